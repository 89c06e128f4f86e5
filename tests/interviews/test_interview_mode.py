"""Interview mode: a manager or leadership records a customer's answers as the customer's
survey (method CUSTOMER, marked interviewed, the interviewer kept); salespeople and anyone
interviewing for their own grade are refused; bad input saves nothing."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from asiakaskunto.models import Answer, Method, Role, Submission
from surveys.models import FollowUp, SurveyResponse
from tests.factories import SalespersonFactory, make_user, submit
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def interview_url(person):
    return reverse("interviews:new", args=[person.pk])


def test_a_manager_records_a_customers_answers_as_the_customers(client_for, org):
    response = client_for(org.manager_a).post(
        interview_url(org.seller_a), survey_post(why_CUS2="Hyvä sijainti.")
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.method == Method.CUSTOMER
    assert (submission.salesperson, submission.team) == (org.seller_a, org.team_a)
    stored = SurveyResponse.objects.get(submission=submission)
    assert stored.interviewed and stored.interviewer == org.manager_a
    assert stored.link is None and stored.invitation is None
    answers = {a.question.code: (a.value, a.why) for a in submission.answers.all()}
    assert answers["CUS1"] == (5, "Löysin heti oikean tuotteen.")
    assert answers["CUS2"] == (4, "Hyvä sijainti.")
    assert set(Answer.objects.values_list("method", flat=True)) == {Method.CUSTOMER}


def test_it_asks_the_surveys_questions_with_their_why_prompts(client_for, org):
    page = client_for(org.leader).get(interview_url(org.seller_b))
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("CUS1", "CUS2", "CUS3", "CSAT", "CES"):
        assert f'name="q_{code}"' in html
    for code in ("CUS1", "CUS2", "CUS3"):
        assert f'name="why_{code}"' in html
    assert "Miksi?" in html


def test_an_unhappy_interviewed_answer_opens_a_follow_up(client_for, org):
    client_for(org.manager_a).post(interview_url(org.seller_a), survey_post(q_CUS3="3"))
    follow_up = FollowUp.objects.get()
    assert follow_up.salesperson == org.seller_a and "CUS3=3" in follow_up.reason


def test_missing_answers_and_consent_save_nothing_with_finnish_messages(client_for, org):
    response = client_for(org.manager_a).post(
        interview_url(org.seller_a), survey_post(q_CUS1=None, consent=None)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mitään ei tallennettu" in html
    assert "Vastaa tähän kysymykseen." in html
    assert "Kysy asiakkaalta" in html  # the consent's message
    assert not Submission.objects.exists() and not SurveyResponse.objects.exists()


def test_messages_in_swedish_and_english(client_for, org):
    client = client_for(org.manager_a)
    for language, expected in (("sv", "Inget sparades"), ("en", "Nothing was saved")):
        client.cookies["django_language"] = language
        response = client.post(interview_url(org.seller_a), survey_post(q_CUS1=None))
        assert expected in response.content.decode(), language
    assert not Submission.objects.exists()


def test_the_same_form_sent_twice_is_stored_once(client_for, org):
    client = client_for(org.manager_a)
    data = survey_post(form_key="6f0c1b8e-3f56-4a53-9d49-0f1f9a2b7c11")
    assert client.post(interview_url(org.seller_a), data).status_code == 302
    assert client.post(interview_url(org.seller_a), data).status_code == 302
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "person", "status"),
    [
        ("leader", "seller_a", 200),
        ("leader", "seller_b", 200),
        ("manager_a", "seller_a", 200),
        ("manager_a", "seller_b", 404),  # another team's salesperson
        ("manager_b", "seller_a", 404),
        ("seller_a_user", "seller_a", 403),  # a salesperson never interviews
        ("seller_b_user", "seller_a", 403),
        ("admin", "seller_a", 200),
    ],
)
def test_who_may_interview_whom(client_for, org, role, person, status):
    url = interview_url(getattr(org, person))
    client = client_for(getattr(org, role))
    assert client.get(url).status_code == status
    assert client.post(url, survey_post()).status_code == (302 if status == 200 else status)
    assert Submission.objects.count() == (1 if status == 200 else 0)


def test_anonymous_goes_to_the_login_page(client_for, org):
    response = client_for(None).get(interview_url(org.seller_a))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nobody_interviews_for_their_own_grade(client_for, org):
    """A manager who also sells (their account is a salesperson's too) may not record
    customers' answers about themself: 403 with the reason, nothing saved, not in the list."""
    selling_manager = make_user(org.organisation, Role.MANAGER, username="selling_manager")
    org.team_a.managers.add(selling_manager)
    own = SalespersonFactory(team=org.team_a, name="Maija Myyvä", user=selling_manager)
    client = client_for(selling_manager)
    page = client.get(interview_url(own))
    assert page.status_code == 403
    assert "omaan arvosanaasi" in page.content.decode()
    assert client.post(interview_url(own), survey_post()).status_code == 403
    assert not Submission.objects.exists()
    index = client.get(reverse("interviews:index")).content.decode()
    assert "Maija Myyvä" not in index and "Aino Seller" in index
    # A colleague's customer they may interview.
    assert client.post(interview_url(org.seller_a), survey_post()).status_code == 302


def test_the_index_lists_whom_one_may_interview_and_the_latest_interviews(client_for, org):
    client_for(org.manager_a).post(interview_url(org.seller_a), survey_post())
    page = client_for(org.manager_a).get(reverse("interviews:index")).content.decode()
    assert "Aino Seller" in page and "Cecilia Colleague" in page
    assert "Bertta Seller" not in page
    assert "manager_a" in page or org.manager_a.get_full_name() in page
    other = client_for(org.manager_b).get(reverse("interviews:index")).content.decode()
    assert org.manager_a.get_full_name() not in other  # team A's interview is not theirs


def test_choosing_a_salesperson_opens_their_form(client_for, org):
    client = client_for(org.manager_a)
    response = client.get(reverse("interviews:index"), {"salesperson": org.seller_a.pk})
    assert response.status_code == 302 and response["Location"] == interview_url(org.seller_a)
    refused = client.get(reverse("interviews:index"), {"salesperson": org.seller_b.pk})
    assert refused.status_code == 400
    assert "Valitse myyjä listasta." in refused.content.decode()


def test_pages_ask_a_bounded_number_of_queries(client_for, org, django_assert_max_num_queries):
    client = client_for(org.manager_a)
    for _ in range(5):
        client.post(interview_url(org.seller_a), survey_post())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("interviews:index")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(interview_url(org.seller_a)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.post(interview_url(org.seller_a), survey_post()).status_code == 302


def test_the_person_page_marks_interviewed_answers(client_for, org):
    submit(org.seller_a, Method.CUSTOMER, {"CUS1": 3})  # the customer answered themself
    client_for(org.manager_a).post(interview_url(org.seller_a), survey_post())
    page = client_for(org.leader).get(reverse("reports:person", args=[org.seller_a.pk]))
    html = page.content.decode()
    name = org.manager_a.get_full_name()
    assert html.count('data-testid="interviewed"') == 5  # the interview's five answers only
    assert f"haastatellut {name}" in html


def test_the_customers_words_are_marked_as_an_interviews(client_for, org):
    client_for(org.manager_a).post(interview_url(org.seller_a), survey_post())
    page = client_for(org.leader).get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    assert page.content.decode().count('data-testid="comment-interviewed"') == 1


def test_the_follow_up_page_names_the_interviewer(client_for, org):
    client_for(org.manager_a).post(interview_url(org.seller_a), survey_post(q_CUS3="2"))
    follow_up = FollowUp.objects.get()
    page = client_for(org.leader).get(reverse("surveys:follow_up", args=[follow_up.pk]))
    assert 'data-testid="interviewed"' in page.content.decode()
    assert org.manager_a.get_full_name() in page.content.decode()


def test_the_answers_export_has_an_interviewer_column(client_for, org):
    submit(org.seller_a, Method.CUSTOMER, {"CUS1": 3})
    client_for(org.manager_a).post(interview_url(org.seller_a), survey_post())
    response = client_for(org.leader).get(reverse("reports:export_answers_csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    with translation.override("fi"):
        assert rows[0][-1] == "Haastattelija"
    by = [row[-1] for row in rows[1:]]
    assert by.count(org.manager_a.get_full_name()) == 5
    assert by.count("") == 1
