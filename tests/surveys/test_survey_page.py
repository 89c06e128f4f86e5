"""A customer answers through a standing link: the page, the stored rows, the languages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from asiakaskunto.models import Answer, Method, Submission
from surveys.models import FollowUp, SurveyResponse
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def url(link, lang=None):
    path = reverse("surveys_public:link", kwargs={"token": link.token})
    return f"{path}?lang={lang}" if lang else path


def test_the_link_token_is_unguessable(seller_link):
    # token_urlsafe(32): 32 random bytes = 256 bits, 43 characters.
    assert len(seller_link.token) >= 43


def test_it_shows_the_survey_in_finnish_by_default(client, seller_link):
    response = client.get(url(seller_link))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Saitko sen mitä tulit hakemaan?" in html
    assert "Aino Seller" in html
    assert "csrfmiddlewaretoken" in html
    assert "bootstrap" not in html


def test_it_follows_the_browser_and_the_lang_parameter(client, seller_link):
    response = client.get(url(seller_link), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Fick du det du kom för?" in response.content.decode()
    response = client.get(url(seller_link, "en"), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Did you get what you came for?" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_the_page_with_its_stylesheet_weighs_under_100_kb(client, team_link):
    html = client.get(url(team_link)).content
    css = Path(settings.BASE_DIR, "surveys/static/surveys/survey.css").read_bytes()
    assert len(html) + len(css) < 100_000


def test_every_question_is_a_fieldset_with_a_legend_and_labelled_radios(client, seller_link):
    html = client.get(url(seller_link)).content.decode()
    assert html.count("<fieldset") == 5  # CUS1-3, CSAT, CES
    assert html.count("<legend") == 5
    assert 'for="id_q_CUS3_0"' in html and 'id="id_q_CUS3_0"' in html
    assert 'for="id_why_CUS1"' in html


def test_a_valid_answer_is_stored_once_with_its_why_texts(client, seller_link, org):
    response = client.post(url(seller_link), survey_post())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("surveys_public:thanks"))
    submission = Submission.objects.get()
    assert submission.method == Method.CUSTOMER
    assert submission.salesperson == org.seller_a
    assert submission.team == org.team_a
    answers = {a.question.code: (a.value, a.why) for a in submission.answers.all()}
    assert answers == {
        "CUS1": (5, "Löysin heti oikean tuotteen."),
        "CUS2": (4, ""),
        "CUS3": (9, "Asiantunteva palvelu."),
        "CSAT": (5, ""),
        "CES": (4, ""),
    }
    stored = SurveyResponse.objects.get()
    assert stored.link == seller_link and stored.consent and stored.language == "fi"
    assert not FollowUp.objects.exists()


def test_the_thank_you_page_speaks_the_customers_language(client, seller_link):
    response = client.post(url(seller_link, "sv"), survey_post(), follow=True)
    assert "Tack" in response.content.decode()
    assert SurveyResponse.objects.get().language == "sv"


def test_a_team_link_asks_whom_the_customer_met(client, team_link, org):
    html = client.get(url(team_link)).content.decode()
    assert "Aino Seller" in html and "Cecilia Colleague" in html
    assert "Bertta Seller" not in html
    client.post(url(team_link), survey_post(salesperson=str(org.colleague_a.pk)))
    assert Submission.objects.get().salesperson == org.colleague_a


def test_a_team_link_accepts_dont_know(client, team_link, org):
    client.post(url(team_link), survey_post(salesperson="unknown"))
    submission = Submission.objects.get()
    assert submission.salesperson is None
    assert submission.team == org.team_a


def test_a_team_link_refuses_a_salesperson_of_another_team(client, team_link, org):
    response = client.post(url(team_link), survey_post(salesperson=str(org.seller_b.pk)))
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_team_link_needs_a_choice_of_salesperson(client, team_link):
    response = client.post(url(team_link), survey_post())
    assert response.status_code == 400
    assert "En tiedä" in response.content.decode()
    assert not Submission.objects.exists()


def test_switched_off_questions_are_not_asked(client, seller_link, org):
    org.organisation.survey_csat = False
    org.organisation.survey_ces = False
    org.organisation.survey_free_text = False
    org.organisation.save()
    html = client.get(url(seller_link)).content.decode()
    assert html.count("<fieldset") == 3
    assert 'name="free_text"' not in html
    client.post(url(seller_link), survey_post(q_CSAT="1", free_text="ei kysytty"))
    codes = set(Answer.objects.values_list("question__code", flat=True))
    assert codes == {"CUS1", "CUS2", "CUS3"}
    assert SurveyResponse.objects.get().free_text == ""


def test_optional_metrics_may_be_left_empty(client, seller_link):
    response = client.post(url(seller_link), survey_post(q_CSAT=None, q_CES=None))
    assert response.status_code == 302
    assert Answer.objects.count() == 3


def test_the_customer_may_stay_anonymous_or_leave_a_contact(client, seller_link):
    client.post(url(seller_link), survey_post(contact="Matti, 040 123 4567"))
    assert SurveyResponse.objects.get().contact == "Matti, 040 123 4567"


def test_an_inactive_or_unknown_link_shows_a_clear_404(client, seller_link):
    seller_link.active = False
    seller_link.save()
    response = client.get(url(seller_link))
    assert response.status_code == 404
    assert "Linkki ei toimi" in response.content.decode()
    response = client.get("/s/" + "x" * 43 + "/")
    assert response.status_code == 404


def test_the_link_of_a_salesperson_who_left_no_longer_works(client, seller_link, org):
    org.seller_a.active = False
    org.seller_a.save()
    assert client.get(url(seller_link)).status_code == 404


def test_a_rotated_link_stops_the_old_token(client, seller_link):
    old = url(seller_link)
    seller_link.rotate()
    assert client.get(old).status_code == 404
    assert client.get(url(seller_link)).status_code == 200


def test_the_survey_page_uses_few_queries(client, team_link, django_assert_max_num_queries):
    """Without Redis the shared cache is the database: the link's stamp is read and written
    there (2 queries), and a post's rate counter too (2). A GET counts the page's view (one
    UPDATE; the day's first view inserts its row)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    shared = 2 if isinstance(caches["shared"], BaseDatabaseCache) else 0
    with django_assert_max_num_queries(3 + shared + 2):
        client.get(url(team_link))
    with django_assert_max_num_queries(3 + 1):  # the link's stamp is in the cache now
        client.get(url(team_link))
    with django_assert_max_num_queries(10 + shared):
        client.post(url(team_link), survey_post(salesperson="unknown", q_CUS3="3"))
