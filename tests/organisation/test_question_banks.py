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
    assert [q.code for q in bank(mine, Method.OBSERVATION)][:3] == ["OBS3", "OBS1", "OBS2"]


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


BANK_MIGRATIONS = ["0002_default_question_bank", "0009_richer_default_bank"]


@pytest.mark.parametrize("name", BANK_MIGRATIONS)
def test_the_bank_migrations_never_read_the_live_question_bank(name):
    migration = importlib.import_module(f"asiakaskunto.migrations.{name}")
    tree = ast.parse(inspect.getsource(migration))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported and all(name.startswith("django") for name in imported)


def test_editing_question_bank_py_cannot_change_what_the_migrations_load(monkeypatch):
    seeds = _bank_migration()
    richer = importlib.import_module("asiakaskunto.migrations.0009_richer_default_bank")
    frozen = [tuple(row) for row in seeds.QUESTIONS], [tuple(row) for row in richer.QUESTIONS]
    # Someone rewrites the live bank: a seed question's and a richer one's wording and scale.
    for name in ("DEFAULT_QUESTIONS", "RICHER_QUESTIONS"):
        edited = [list(row) for row in getattr(question_bank, name)]
        edited[0][4], edited[0][6] = "ELEVEN_POINT", "Hymyileekö?"
        monkeypatch.setattr(question_bank, name, [tuple(r) for r in edited])

    reloaded = importlib.reload(seeds), importlib.reload(richer)

    assert tuple([tuple(row) for row in m.QUESTIONS] for m in reloaded) == frozen
    obs1 = next(row for row in reloaded[0].QUESTIONS if row[0] == "OBS1")
    assert obs1[4] == "FIVE_POINT" and obs1[6] == "Irtoaako asiakashymy helposti?"
    obs10 = next(row for row in reloaded[1].QUESTIONS if row[0] == "OBS10")
    assert obs10[4] == "YES_PARTLY_NO" and obs10[6] == "Tervehtikö myyjä jokaista asiakasta?"
    assert question_bank.default_rows()[0]["text_fi"] == "Hymyileekö?"  # the live one did change


def test_the_richer_questions_come_not_in_use_and_the_seed_questions_stay(db):
    organisation = OrganisationFactory()
    questions = {q.code: q for q in Question.objects.filter(organisation=organisation)}
    richer = [row[0] for row in question_bank.RICHER_QUESTIONS]
    assert len(richer) == 16 and all(not questions[code].active for code in richer)
    assert all(questions[code].active for code in SEED_CODES)
    asked = [q.code for q in active_questions(organisation)]
    assert asked == [*SEED_CODES, "CSAT", "CES"]
    knowledge = {q.method for q in questions.values() if q.area == "KNOWLEDGE"}
    assert knowledge == {Method.OBSERVATION, Method.MYSTERY_SHOP, Method.CUSTOMER}
    greetings = [questions[code] for code in ("OBS10", "MYS10", "CUS10")]
    assert all(q.scale == "YES_PARTLY_NO" and q.text_sv and q.text_en for q in greetings)
    for question in questions.values():
        question.full_clean()  # every default question keeps the model's rules


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

    # Then the richer questions join every bank, not in use, after the organisation's own.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    for organisation in (first, second):
        richer = Question.objects.filter(
            organisation_id=organisation.pk, code__in=["OBS10", "CUS13"]
        )
        assert [(q.code, q.active) for q in richer.order_by("position")] == [
            ("OBS10", False),
            ("CUS13", False),
        ]
        assert richer.get(code="OBS10").position > banks[organisation.pk].position


@pytest.mark.django_db
def test_the_demo_uses_the_richer_bank():
    """The demo's leadership has taken some richer questions into use; the observation and
    survey demos answer them (every method has a knowledge-of-the-customer question)."""
    import random

    from django.utils import timezone

    from asiakaskunto.demo import DEMO_IN_USE, seed_organisation
    from asiakaskunto.models import Answer
    from observations import demo as observations_demo
    from surveys import demo as surveys_demo

    organisation, _logins = seed_organisation()
    now = timezone.now()
    observations_demo.seed(organisation, now=now, rng=random.Random(1))
    surveys_demo.seed(organisation, now=now, rng=random.Random(1))

    in_use = {q.code for q in active_questions(organisation)}
    assert set(DEMO_IN_USE) <= in_use and "OBS11" not in in_use
    answered = set(
        Answer.objects.filter(submission__organisation=organisation)
        .values_list("question__code", flat=True)
        .distinct()
    )
    assert {"OBS10", "OBS13", "MYS13", "CUS13", "CUS14"} <= answered
    greeting = Answer.objects.filter(question__code="OBS10").values_list("value", flat=True)
    assert set(greeting) <= {0, 1, 2}
