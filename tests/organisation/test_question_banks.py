"""Each organisation's own question bank: created with the organisation, asked through
``active_questions``, and loaded by migrations from their own frozen copies."""

import ast
import importlib
import inspect

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from asiakaskunto import question_bank
from asiakaskunto.models import Method, Question
from asiakaskunto.questions import active_questions, bank, questions_by_code
from surveys.services import survey_questions
from tests.factories import OrganisationFactory, submit

SEED_CODES = ["OBS1", "OBS2", "OBS3", "MYS1", "MYS2", "MYS3", "CUS1", "CUS2", "CUS3"]


def test_a_new_organisation_gets_its_own_copy_of_the_default_bank(db):
    first, second = OrganisationFactory(), OrganisationFactory()
    mine = {q.code: q for q in Question.objects.filter(organisation=first)}
    theirs = {q.code: q for q in Question.objects.filter(organisation=second)}
    assert set(SEED_CODES) <= set(mine) and set(mine) == set(theirs)
    assert not {q.pk for q in mine.values()} & {q.pk for q in theirs.values()}
    assert mine["OBS1"].text_fi == "Irtoaako asiakashymy helposti?"


def test_the_forms_ask_the_organisations_active_questions_in_its_order(db):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    Question.objects.filter(organisation=mine, code="OBS2").update(active=False)
    Question.objects.filter(organisation=mine, code="OBS3").update(position=0)
    Question.objects.filter(organisation=theirs, code="OBS1").update(text_fi="Heidän sanansa")

    asked = active_questions(mine, Method.OBSERVATION)

    assert [q.code for q in asked] == ["OBS3", "OBS1"]
    assert asked[1].text_fi == "Irtoaako asiakashymy helposti?"
    assert [q.code for q in active_questions(theirs, Method.OBSERVATION)] == SEED_CODES[:3]
    assert [q.code for q in bank(mine, Method.OBSERVATION)] == ["OBS3", "OBS1", "OBS2"]


def test_a_replaced_version_is_never_asked_but_the_current_one_is(db):
    organisation = OrganisationFactory()
    old = Question.objects.get(organisation=organisation, code="CUS1")
    new = Question.objects.create(
        organisation=organisation,
        code="CUS1",
        version=2,
        method=old.method,
        area=old.area,
        scale=old.scale,
        text_fi="Löysitkö etsimäsi?",
        text_en="Did you find it?",
        position=old.position,
    )
    Question.objects.filter(pk=old.pk).update(replaced_by=new, active=False)

    asked = active_questions(organisation, Method.CUSTOMER)

    assert [q.pk for q in asked if q.code == "CUS1"] == [new.pk]
    assert questions_by_code(organisation, ["CUS1"])["CUS1"].pk == new.pk


def test_one_query_picks_the_questions(db, django_assert_num_queries):
    organisation = OrganisationFactory()
    with django_assert_num_queries(1):
        active_questions(organisation, Method.CUSTOMER)
    with django_assert_num_queries(0):
        assert questions_by_code(organisation, []) == {}


def test_the_survey_of_one_organisation_never_shows_anothers_questions(db):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    Question.objects.filter(organisation=theirs, code="CUS1").update(text_fi="Vieras kysymys")
    survey_questions(theirs)  # cached for them

    texts = [q.text_fi for q in survey_questions(mine)]

    assert "Vieras kysymys" not in texts
    assert "Saitko sen mitä tulit hakemaan?" in texts
    assert all(q.organisation_id == mine.pk for q in survey_questions(mine))


def test_evidence_written_for_a_person_uses_their_organisations_questions(org):
    other = OrganisationFactory()
    submission = submit(org.seller_a, Method.CUSTOMER, {"CUS1": 4})
    answer = submission.answers.get()
    assert answer.question.organisation_id == org.organisation.pk
    assert other.questions.filter(answers__isnull=False).count() == 0


# --- Migrations carry their own frozen copy ------------------------------------------------


def _bank_migration():
    return importlib.import_module("asiakaskunto.migrations.0002_default_question_bank")


def test_the_bank_migration_never_reads_the_live_question_bank():
    tree = ast.parse(inspect.getsource(_bank_migration()))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported and all(name.startswith("django") for name in imported)


def test_editing_question_bank_py_cannot_change_what_the_migration_loads(monkeypatch):
    migration = _bank_migration()
    frozen = [tuple(row) for row in migration.QUESTIONS]
    # Someone rewrites the live bank: a seed question's wording and scale change.
    edited = [list(row) for row in question_bank.DEFAULT_QUESTIONS]
    edited[0][4], edited[0][6] = "ELEVEN_POINT", "Hymyileekö?"
    monkeypatch.setattr(question_bank, "DEFAULT_QUESTIONS", [tuple(r) for r in edited])

    reloaded = importlib.reload(migration)

    assert [tuple(row) for row in reloaded.QUESTIONS] == frozen
    obs1 = next(row for row in reloaded.QUESTIONS if row[0] == "OBS1")
    assert obs1[4] == "FIVE_POINT" and obs1[6] == "Irtoaako asiakashymy helposti?"
    assert question_bank.default_rows()[0]["text_fi"] == "Hymyileekö?"  # the live one did change


def test_the_frozen_copy_holds_the_nine_seed_questions_as_the_design_has_them():
    rows = {row[0]: row for row in _bank_migration().QUESTIONS}
    assert [code for code in rows if code in SEED_CODES] == SEED_CODES
    assert rows["CUS3"][3:5] == ("NPS", "ELEVEN_POINT")
    assert rows["MYS1"][6] == "Millaiset ovat myyjän tiedot omista tuotteistaan ja palveluistaan?"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_existing_organisation_its_own_bank_and_keeps_its_answers():
    before = [("asiakaskunto", "0006_question_per_organisation")]
    after = [("asiakaskunto", "0008_question_organisation_required")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Organisation = apps.get_model("asiakaskunto", "Organisation")
    Team = apps.get_model("asiakaskunto", "Team")
    Submission = apps.get_model("asiakaskunto", "Submission")
    Answer = apps.get_model("asiakaskunto", "Answer")
    Question = apps.get_model("asiakaskunto", "Question")
    Question.objects.all().delete()
    shared = Question.objects.create(
        code="CUS1", method="CUSTOMER", area="SKILLS", scale="FIVE_POINT", text_fi="Saitko?"
    )
    first, second = (Organisation.objects.create(name=name) for name in ("Eka", "Toka"))
    answers = {}
    for organisation in (first, second):
        team = Team.objects.create(organisation=organisation, name="Tiimi")
        submission = Submission.objects.create(
            organisation=organisation,
            method="CUSTOMER",
            team=team,
            answered_at="2026-01-05T10:00:00Z",
        )
        answers[organisation.pk] = Answer.objects.create(
            submission=submission,
            question=shared,
            method="CUSTOMER",
            area="SKILLS",
            scale="FIVE_POINT",
            value=4,
        ).pk

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Question = apps.get_model("asiakaskunto", "Question")
    Answer = apps.get_model("asiakaskunto", "Answer")

    banks = {q.organisation_id: q for q in Question.objects.filter(code="CUS1")}
    assert set(banks) == {first.pk, second.pk}
    assert banks[first.pk].pk == shared.pk  # the first keeps the rows its answers point to
    assert banks[second.pk].text_fi == "Saitko?"
    for organisation_id, answer_id in answers.items():
        assert Answer.objects.get(pk=answer_id).question_id == banks[organisation_id].pk
