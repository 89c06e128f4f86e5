"""Checklist templates: leadership edits them (bad input saves nothing, others are refused), a
manager starts a checklist from one and it asks only those questions, drafts remember their
template and the history names it."""

import pytest
from django.urls import reverse

from asiakaskunto.models import Method, Organisation, Question, Role
from observations.models import Checklist, ChecklistTemplate, ChecklistTemplateQuestion
from tests.factories import OrganisationFactory, make_user

from .factories import ALL_OBS, checklist_post

TEMPLATES = reverse("observations:template_list")
NEW_TEMPLATE = reverse("observations:template_create")
NEW = reverse("observations:checklist_create")


def obs(code, organisation=None):
    """The organisation's current question with ``code`` (the first organisation's by default)."""
    organisation = organisation or Organisation.objects.order_by("id").first()
    return Question.objects.get(organisation=organisation, code=code, replaced_by__isnull=True)


def template_post(name_fi="Tervehdys ja odotus", order=None, **extra):
    """A template form post: ``order`` {question code: order number or ""} of the chosen ones."""
    data = {"name_fi": name_fi, "name_sv": "", "name_en": ""}
    for code, position in ({"OBS2": 1, "OBS1": 2} if order is None else order).items():
        question = obs(code)
        data[f"include_{question.pk}"] = "on"
        data[f"order_{question.pk}"] = position
    data.update(extra)
    return data


def make_template(organisation, name="Tuotetuntemus", codes=("OBS3", "OBS1")):
    template = ChecklistTemplate.objects.create(organisation=organisation, name_fi=name)
    for position, code in enumerate(codes, start=1):
        ChecklistTemplateQuestion.objects.create(
            template=template, question=obs(code, organisation), position=position
        )
    return template


def template_codes(template):
    return list(template.entries.order_by("position").values_list("question__code", flat=True))


def test_leadership_creates_a_template_with_its_questions_in_order(org, client_for):
    client = client_for(org.leader)
    page = client.get(NEW_TEMPLATE).content.decode()
    assert "Uusi havainnointipohja" in page and obs("OBS1").text_fi in page
    response = client.post(
        NEW_TEMPLATE,
        template_post(order={"OBS3": 2, "OBS1": 1, "OBS2": ""}, name_sv="Hälsning", name_en=""),
    )
    assert response.status_code == 302 and response.url == TEMPLATES
    template = ChecklistTemplate.objects.get()
    assert template.organisation == org.organisation
    assert (template.name_fi, template.name_sv) == ("Tervehdys ja odotus", "Hälsning")
    # Without a number, OBS2 keeps its place in the bank (2nd): after OBS1 (1), before OBS3 (2).
    assert template_codes(template) == ["OBS1", "OBS2", "OBS3"]
    page = client.get(TEMPLATES).content.decode()
    assert "Tervehdys ja odotus" in page and "3 kysymystä" in page


def test_editing_a_template_replaces_its_questions(org, client_for):
    template = make_template(org.organisation)
    url = reverse("observations:template_edit", args=[template.pk])
    client = client_for(org.leader)
    page = client.get(url).content.decode()
    assert 'value="Tuotetuntemus"' in page
    client.post(url, template_post("Tuotetuntemus 2", order={"OBS2": 1}))
    template.refresh_from_db()
    assert template.name_fi == "Tuotetuntemus 2" and template_codes(template) == ["OBS2"]


@pytest.mark.parametrize(
    "post, field, message",
    [
        ({"name_fi": "  "}, "name_fi", "Anna pohjalle nimi suomeksi."),
        ({"name_fi": "x" * 121}, "name_fi", "Pidä nimi enintään 120 merkissä."),
        ({"order": {}}, None, "Valitse pohjaan vähintään yksi kysymys."),
        ({"order": {"OBS1": "kaksi"}}, "order", "Anna järjestys kokonaislukuna."),
        ({"order": {"OBS1": "0"}}, "order", "Anna järjestys väliltä 1–99."),
        ({"name_fi": "Tuotetuntemus"}, "name_fi", "Toisella pohjalla on jo tämä nimi."),
    ],
)
def test_bad_template_input_says_why_and_saves_nothing(org, client_for, post, field, message):
    existing = make_template(org.organisation)
    before = list(ChecklistTemplateQuestion.objects.values_list("pk", flat=True))
    data = template_post(**post)
    response = client_for(org.leader).post(NEW_TEMPLATE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(ChecklistTemplate.objects.values_list("pk", flat=True)) == [existing.pk]
    assert list(ChecklistTemplateQuestion.objects.values_list("pk", flat=True)) == before


def test_a_question_outside_the_bank_cannot_be_slipped_in(org, client_for):
    mystery = Question.objects.filter(method=Method.MYSTERY_SHOP).first()
    data = template_post(order={"OBS1": 1})
    data[f"include_{mystery.pk}"] = "on"
    client_for(org.leader).post(NEW_TEMPLATE, data)
    assert template_codes(ChecklistTemplate.objects.get()) == ["OBS1"]


def test_only_leadership_may_edit_templates(org, client_for):
    template = make_template(org.organisation)
    urls = [
        ("get", TEMPLATES),
        ("get", NEW_TEMPLATE),
        ("post", NEW_TEMPLATE),
        ("get", reverse("observations:template_edit", args=[template.pk])),
        ("post", reverse("observations:template_edit", args=[template.pk])),
        ("post", reverse("observations:template_archive", args=[template.pk])),
        ("post", reverse("observations:template_delete", args=[template.pk])),
    ]
    for user in (org.manager_a, org.seller_a_user):
        client = client_for(user)
        for method, url in urls:
            data = template_post("Kaapattu") if method == "post" else None
            assert getattr(client, method)(url, data).status_code == 403, (user, url)
    client = client_for(None)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    template.refresh_from_db()
    assert template.name_fi == "Tuotetuntemus" and template.archived_at is None
    assert ChecklistTemplate.objects.count() == 1


def test_another_organisations_leadership_gets_404_for_our_templates(org, client_for):
    template = make_template(org.organisation)
    other = make_user(OrganisationFactory(name="Toinen Oy"), Role.LEADERSHIP, username="other")
    client = client_for(other)
    for name in ("template_edit", "template_archive", "template_delete"):
        url = reverse(f"observations:{name}", args=[template.pk])
        response = client.post(url, template_post("Kaapattu"))
        assert response.status_code == 404, name
    assert "Tuotetuntemus" not in client.get(TEMPLATES).content.decode()
    template.refresh_from_db()
    assert template.name_fi == "Tuotetuntemus" and template.archived_at is None


def test_a_used_template_is_archived_not_deleted_and_an_unused_one_deleted(org, client_for):
    used = make_template(org.organisation)
    unused = make_template(org.organisation, "Tyhjä", ("OBS2",))
    client = client_for(org.manager_a)
    client.post(NEW, checklist_post(org.seller_a, {"OBS3": 4, "OBS1": 3}, template=used.pk))
    client = client_for(org.leader)
    response = client.post(reverse("observations:template_delete", args=[used.pk]), follow=True)
    assert "arkistoi se" in response.content.decode()
    assert ChecklistTemplate.objects.filter(pk=used.pk).exists()
    client.post(reverse("observations:template_delete", args=[unused.pk]))
    assert not ChecklistTemplate.objects.filter(pk=unused.pk).exists()
    client.post(reverse("observations:template_archive", args=[used.pk]))
    used.refresh_from_db()
    assert used.is_archived
    # Archived: no longer offered, and a post naming it is refused.
    manager = client_for(org.manager_a)
    assert "Tuotetuntemus" not in manager.get(NEW).content.decode()
    response = manager.post(NEW, checklist_post(org.seller_a, ALL_OBS, template=used.pk))
    assert response.status_code == 200
    assert "Valitse jokin organisaatiosi pohjista." in response.content.decode()
    assert Checklist.objects.count() == 1
    # History still names it.
    page = manager.get(reverse("observations:salesperson_history", args=[org.seller_a.pk]))
    assert "Tuotetuntemus" in page.content.decode()


def test_a_checklist_from_a_template_asks_only_its_questions_in_its_order(
    org, client_for, django_assert_max_num_queries
):
    template = make_template(org.organisation)  # OBS3, OBS1
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(12):
        page = client.get(NEW, {"template": template.pk}).content.decode()
    assert 'data-testid="scale-OBS2"' not in page
    assert page.index('data-testid="scale-OBS3"') < page.index('data-testid="scale-OBS1"')
    assert f'name="template" value="{template.pk}"' in page
    # Submitting needs only the template's required questions.
    response = client.post(
        NEW, checklist_post(org.seller_a, {"OBS3": 4, "OBS1": 2}, template=template.pk)
    )
    checklist = Checklist.objects.get()
    assert response.url == checklist.get_absolute_url()
    assert checklist.template == template
    codes = set(checklist.submission.answers.values_list("question__code", flat=True))
    assert codes == {"OBS3", "OBS1"}
    detail = client.get(response.url).content.decode()
    assert 'data-testid="checklist-template">Tuotetuntemus<' in detail


def test_all_questions_remains_the_default(org, client_for):
    make_template(org.organisation)
    client = client_for(org.manager_a)
    page = client.get(NEW).content.decode()
    assert "Kaikki kysymykset" in page and 'data-testid="scale-OBS2"' in page
    client.post(NEW, checklist_post(org.seller_a, ALL_OBS))
    checklist = Checklist.objects.get()
    assert checklist.template is None
    page = client.get(checklist.get_absolute_url()).content.decode()
    assert 'data-testid="checklist-template">Kaikki kysymykset<' in page


def test_a_draft_remembers_its_template(org, client_for):
    template = make_template(org.organisation)
    client = client_for(org.manager_a)
    response = client.post(
        NEW, checklist_post(org.seller_a, {"OBS3": 2}, action="draft", template=template.pk)
    )
    draft = Checklist.objects.get()
    assert draft.template == template and draft.is_draft
    page = client.get(response.url).content.decode()
    assert "Tuotetuntemus" in page
    assert 'data-testid="scale-OBS2"' not in page and 'data-testid="scale-OBS1"' in page
    # Finishing it asks the template's required questions only.
    response = client.post(
        response.url, checklist_post(org.seller_a, {"OBS3": 2}, key=draft.idempotency_key)
    )
    assert "Vastaa tähän kysymykseen" in response.content.decode()
    assert 'data-testid="error-OBS1"' in response.content.decode()
    client.post(
        reverse("observations:checklist_edit", args=[draft.pk]),
        checklist_post(org.seller_a, {"OBS3": 2, "OBS1": 5}, key=draft.idempotency_key),
    )
    draft.refresh_from_db()
    assert not draft.is_draft and draft.template == template


def test_a_template_of_another_organisation_is_refused(org, client_for):
    other = make_template(OrganisationFactory(name="Toinen Oy"), "Vieras")
    client = client_for(org.manager_a)
    page = client.get(NEW, {"template": other.pk}).content.decode()
    assert "Vieras" not in page and 'data-testid="error-template"' in page
    assert 'data-testid="scale-OBS2"' in page  # every question, as without a template
    response = client.post(NEW, checklist_post(org.seller_a, ALL_OBS, template=other.pk))
    assert response.status_code == 200
    assert "Valitse jokin organisaatiosi pohjista." in response.content.decode()
    assert Checklist.objects.count() == 0


def test_the_template_list_keeps_its_query_count(org, client_for, django_assert_max_num_queries):
    for index in range(6):
        make_template(org.organisation, f"Pohja {index}")
    client = client_for(org.leader)
    with django_assert_max_num_queries(8):
        page = client.get(TEMPLATES).content.decode()
    assert page.count('data-testid="template"') == 6


def new_version(question):
    """What the bank does when a question with answers is edited: a new row with the same code,
    the old one pointing at it."""
    old_pk = question.pk
    question.pk = None
    question.version += 1
    question.text_fi += " (uusi)"
    question.save()
    Question.objects.filter(pk=old_pk).update(replaced_by=question, active=False)
    return question


def test_a_question_edited_into_a_new_version_stays_in_the_template(org, client_for):
    template = make_template(org.organisation)  # OBS3, OBS1
    current = new_version(obs("OBS1"))
    client = client_for(org.manager_a)
    page = client.get(NEW, {"template": template.pk}).content.decode()
    assert f'name="q_{current.pk}"' in page and "(uusi)" in page
    assert page.index('data-testid="scale-OBS3"') < page.index('data-testid="scale-OBS1"')
    edit = client_for(org.leader).get(reverse("observations:template_edit", args=[template.pk]))
    assert f'name="include_{current.pk}" id="id_include_{current.pk}" checked' in (
        edit.content.decode()
    )


def test_the_template_form_keeps_its_query_count(org, client_for, django_assert_max_num_queries):
    template = make_template(org.organisation)
    client = client_for(org.leader)
    for url in (NEW_TEMPLATE, reverse("observations:template_edit", args=[template.pk])):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_the_list_shows_what_each_template_asks_now(org, client_for):
    template = make_template(org.organisation)  # OBS3, OBS1
    new_version(obs("OBS1"))
    retired = obs("OBS3")
    retired.active = False
    retired.save()
    page = client_for(org.leader).get(TEMPLATES).content.decode()
    assert "(uusi)" in page and retired.text_fi not in page
    assert "1 kysymys" in page
    assert template.entries.count() == 2  # the choice itself is kept
