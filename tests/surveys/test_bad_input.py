"""Bad input on the public survey: a clear message or a 4xx, never a 500, nothing half-saved."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiakaskunto.models import Answer, Submission
from surveys.models import FollowUp, SurveyResponse
from tests.surveys.factories import survey_post

pytestmark = pytest.mark.django_db


def url(link):
    return reverse("surveys_public:link", kwargs={"token": link.token})


def nothing_stored():
    return not (
        Submission.objects.exists()
        or Answer.objects.exists()
        or SurveyResponse.objects.exists()
        or FollowUp.objects.exists()
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"q_CUS1": "6"}, "Valitse yksi vaihtoehdoista."),
        ({"q_CUS1": "0"}, "Valitse yksi vaihtoehdoista."),
        ({"q_CUS3": "11"}, "Valitse yksi vaihtoehdoista."),
        ({"q_CUS3": "-1"}, "Valitse yksi vaihtoehdoista."),
        ({"q_CUS2": "kolme"}, "Valitse yksi vaihtoehdoista."),
        ({"q_CES": "9"}, "Valitse yksi vaihtoehdoista."),
        ({"q_CUS1": None}, "Vastaa tähän kysymykseen."),
        ({"q_CUS3": ""}, "Vastaa tähän kysymykseen."),
        ({"consent": None}, "Hyväksy vastauksesi tallentaminen"),
        ({"why_CUS1": "x" * 1001}, "1000"),
        ({"free_text": "x" * 2001}, "2000"),
        ({"contact": "x" * 201}, "200"),
        ({"why_CUS2": "nul\x00merkki"}, "Null"),
    ],
)
def test_a_bad_answer_gets_a_clear_message_and_stores_nothing(
    client, seller_link, overrides, message
):
    response = client.post(url(seller_link), survey_post(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tarkista alla merkityt vastaukset." in html
    assert message.lower() in html.lower()
    assert nothing_stored()


def test_html_in_texts_is_stored_as_text_and_escaped_everywhere(
    client, client_for, seller_link, org
):
    script = '<script>alert("x")</script>'
    response = client.post(
        url(seller_link), survey_post(q_CUS3="2", why_CUS3=script, free_text=script)
    )
    assert response.status_code == 302
    assert Answer.objects.get(question__code="CUS3").why == script
    follow_up = FollowUp.objects.get()
    page = client_for(org.manager_a).get(reverse("surveys:follow_up", args=[follow_up.pk]))
    html = page.content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_redisplayed_form_escapes_what_was_typed(client, seller_link):
    script = "<b onmouseover=x>"
    response = client.post(url(seller_link), survey_post(consent=None, free_text=script))
    assert script not in response.content.decode()
    assert "&lt;b onmouseover=x&gt;" in response.content.decode()


def test_a_post_without_csrf_token_gets_the_friendly_expired_page(seller_link):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(seller_link), survey_post(), HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Lomake vanheni" in html
    assert "lataa sivu uudelleen" in html
    assert nothing_stored()


def test_the_expired_form_page_speaks_swedish_to_a_swedish_browser(seller_link):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(seller_link), survey_post(), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Formuläret har gått ut" in response.content.decode()


def test_a_real_form_with_its_csrf_token_goes_through(seller_link):
    client = Client(enforce_csrf_checks=True)
    client.get(url(seller_link))
    token = client.cookies["csrftoken"].value
    response = client.post(url(seller_link), survey_post(csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_a_tampered_token_gets_a_clear_404(client, seller_link):
    tampered = seller_link.token[:-1] + ("A" if seller_link.token[-1] != "A" else "B")
    response = client.post(f"/s/{tampered}/", survey_post())
    assert response.status_code == 404
    assert "Linkki ei toimi" in response.content.decode()
    assert client.get("/s/short/").status_code == 404
    assert client.get("/s/i/" + "<script>" + "/").status_code == 404
    assert nothing_stored()


def test_other_methods_are_refused(client, seller_link):
    assert client.put(url(seller_link)).status_code == 405
    assert client.delete(url(seller_link)).status_code == 405


FIELDS = ["q_CUS1", "q_CUS2", "q_CUS3", "q_CSAT", "q_CES", "salesperson", "consent"]
TEXT_FIELDS = ["why_CUS1", "why_CUS3", "free_text", "contact"]
junk = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(min_value=-1000, max_value=1000).map(str),
    st.sampled_from(["", "0", "5", "10", "11", "1.5", "1e3", "on", "unknown", "\x00"]),
)
long_text = st.one_of(
    st.none(), st.text(max_size=30), st.text(min_size=1, max_size=5).map(lambda s: s * 500)
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.fixed_dictionaries({name: junk for name in FIELDS}),
    texts=st.fixed_dictionaries({name: long_text for name in TEXT_FIELDS}),
    extra=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)
def test_many_malformed_surveys_never_give_a_500_nor_stray_rows(
    client, team_link, values, texts, extra
):
    from asiakaskunto.cache import shared_cache

    shared_cache.clear()  # the rate limit is not what this test is about
    before = Submission.objects.count()
    data = {**extra, **{k: v for k, v in {**values, **texts}.items() if v is not None}}
    data = {key.replace("\x00", ""): value for key, value in data.items()}
    response = client.post(url(team_link), data)
    assert response.status_code in (302, 400)
    after = Submission.objects.count()
    if response.status_code == 400:
        assert after == before
    else:
        assert after == before + 1
    # Every stored submission is whole: its response and at least the three required answers.
    assert SurveyResponse.objects.count() == after
    assert Answer.objects.filter(question__code__in=["CUS1", "CUS2", "CUS3"]).count() == 3 * after
