"""Closing the loop: unhappy answers open follow-ups that the team's manager contacts and
resolves; the time to resolve is stored and reported per team."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import FollowUp
from tests.surveys.factories import survey_post
from tests.visible import list_items, parse, question_codes_in

pytestmark = pytest.mark.django_db


def answer(client, link, **overrides):
    path = reverse("surveys_public:link", kwargs={"token": link.token})
    return client.post(path, survey_post(**overrides))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"q_CUS3": "6"}, "CUS3=6"),
        ({"q_CUS3": "0"}, "CUS3=0"),
        ({"q_CUS1": "2"}, "CUS1=2"),
        ({"q_CUS2": "1", "q_CUS3": "3"}, "CUS2=1, CUS3=3"),
    ],
)
def test_an_unhappy_answer_opens_a_follow_up_for_the_team(
    client, seller_link, org, overrides, reason
):
    answer(client, seller_link, **overrides)
    follow_up = FollowUp.objects.get()
    assert follow_up.reason == reason
    assert follow_up.team == org.team_a and follow_up.salesperson == org.seller_a
    assert follow_up.status == FollowUp.Status.OPEN


@pytest.mark.parametrize("overrides", [{"q_CUS3": "7"}, {"q_CUS1": "3", "q_CUS2": "3"}, {}])
def test_a_passive_or_happy_answer_opens_none(client, seller_link, overrides):
    answer(client, seller_link, **overrides)
    assert not FollowUp.objects.exists()


def test_a_dont_know_answer_on_a_team_link_goes_to_the_team(client, team_link, org):
    answer(client, team_link, salesperson="unknown", q_CUS3="2")
    follow_up = FollowUp.objects.get()
    assert follow_up.team == org.team_a and follow_up.salesperson is None


def test_the_manager_sees_the_answer_and_its_why_texts(client, client_for, seller_link, org):
    answer(client, seller_link, q_CUS3="3", why_CUS3="Jonotin puoli tuntia.", contact="040 111")
    follow_up = FollowUp.objects.get()
    html = client_for(org.manager_a).get(reverse("surveys:follow_up", args=[follow_up.pk]))
    html = html.content.decode()
    assert "Jonotin puoli tuntia." in html and "040 111" in html


def test_the_manager_marks_contacted_then_resolved_and_the_time_is_stored(
    client, client_for, seller_link, org
):
    answer(client, seller_link, q_CUS3="3")
    follow_up = FollowUp.objects.get()
    FollowUp.objects.filter(pk=follow_up.pk).update(
        answered_at=timezone.now() - timedelta(hours=30)
    )
    manager = client_for(org.manager_a)
    page = reverse("surveys:follow_up", args=[follow_up.pk])
    assert manager.post(page, {"status": "CONTACTED", "note": "Soitin."}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "CONTACTED" and follow_up.contacted_at and not follow_up.resolved_at
    assert (
        manager.post(page, {"status": "RESOLVED", "note": "Vaihdettiin tuote."}).status_code == 302
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "RESOLVED" and follow_up.handled_by == org.manager_a
    assert 29.9 < follow_up.hours_to_resolve < 30.1


def test_resolving_needs_a_note(client, client_for, seller_link, org):
    answer(client, seller_link, q_CUS3="3")
    follow_up = FollowUp.objects.get()
    response = client_for(org.manager_a).post(
        reverse("surveys:follow_up", args=[follow_up.pk]), {"status": "RESOLVED", "note": " "}
    )
    assert response.status_code == 400
    assert "Kirjoita lyhyesti, miten asia ratkaistiin." in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "OPEN"


def test_a_bad_status_is_refused(client, client_for, seller_link, org):
    answer(client, seller_link, q_CUS3="3")
    follow_up = FollowUp.objects.get()
    response = client_for(org.manager_a).post(
        reverse("surveys:follow_up", args=[follow_up.pk]), {"status": "DONE"}
    )
    assert response.status_code == 400


def _follow_up(org, team, hours=None, status="OPEN"):
    from tests.factories import Method, submit

    person = org.seller_a if team == org.team_a else org.seller_b
    now = timezone.now()
    submission = submit(person, Method.CUSTOMER, {"CUS3": 2}, answered_at=now - timedelta(days=2))
    return FollowUp.objects.create(
        organisation=org.organisation,
        submission=submission,
        team=team,
        salesperson=person,
        reason="CUS3=2",
        status=status,
        answered_at=submission.answered_at,
        resolved_at=now if hours is not None else None,
        time_to_resolve=timedelta(hours=hours) if hours is not None else None,
    )


def test_the_list_reports_median_and_mean_hours_per_team(client_for, org):
    for hours in (2, 4, 30):
        _follow_up(org, org.team_a, hours, "RESOLVED")
    _follow_up(org, org.team_a)
    response = client_for(org.leader).get(reverse("surveys:follow_ups"))
    stats = {row["team"].name: row for row in response.context["stats"]}
    assert stats["Team A"]["median_hours"] == 4
    assert stats["Team A"]["mean_hours"] == 12
    assert stats["Team A"]["resolved"] == 3 and stats["Team A"]["unresolved"] == 1
    assert stats["Team B"]["median_hours"] is None
    assert len(response.context["follow_ups"]) == 1  # unresolved by default


def test_the_list_filters_by_status_and_team(client_for, org):
    _follow_up(org, org.team_a, 3, "RESOLVED")
    _follow_up(org, org.team_a)
    _follow_up(org, org.team_b, status="CONTACTED")
    leader = client_for(org.leader)
    url = reverse("surveys:follow_ups")
    assert len(leader.get(url, {"status": "ALL"}).context["follow_ups"]) == 3
    assert len(leader.get(url, {"status": "RESOLVED"}).context["follow_ups"]) == 1
    only_b = leader.get(url, {"status": "ALL", "team": org.team_b.pk}).context["follow_ups"]
    assert [f.team for f in only_b] == [org.team_b]
    assert leader.get(url, {"status": "NOPE"}).status_code == 200


def test_a_manager_sees_only_own_teams_follow_ups(client_for, org):
    _follow_up(org, org.team_a)
    other = _follow_up(org, org.team_b)
    manager = client_for(org.manager_a)
    listed = manager.get(reverse("surveys:follow_ups"), {"status": "ALL"}).context["follow_ups"]
    assert {f.team for f in listed} == {org.team_a}
    assert manager.get(reverse("surveys:follow_up", args=[other.pk])).status_code == 404


def test_open_follow_ups_show_on_the_managers_home_page(
    client_for, org, django_assert_max_num_queries
):
    own = _follow_up(org, org.team_a)
    other = _follow_up(org, org.team_b)
    client = client_for(org.manager_a)
    # Every app's panel; grades cold: computed once and stored in the shared cache (a table
    # here, so its reads and writes count).
    # (+2: every CULL_EVERY-th write to that table also culls it)
    with django_assert_max_num_queries(31):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert 'data-testid="surveys-panel"' in html
    assert "Tyytymättömät asiakkaat seurattavana" in html
    assert reverse("surveys:follow_up", args=[own.pk]) in html
    assert reverse("surveys:follow_up", args=[other.pk]) not in html


def test_a_salesperson_home_has_no_follow_up_panel(client_for, org):
    _follow_up(org, org.team_a)
    html = client_for(org.seller_a_user).get(reverse("home")).content.decode()
    assert 'data-testid="surveys-panel"' not in html


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"q_CSAT": "1"}, "CSAT=1"),
        ({"q_CES": "2"}, "CES=2"),
        ({"q_CUS1": "2", "q_CUS3": "6"}, "CUS1=2, CUS3=6"),
        ({"q_CES": "3", "q_CUS3": "7"}, ""),
    ],
)
def test_any_answer_of_1_2_or_a_detractor_opens_a_follow_up(client, org, answers, reason):
    """DESIGN.md: a detractor (NPS 0–6) or an answer of 1–2 raises a follow-up — CSAT and
    CES included; 3 on a 1–5 question and 7 on NPS do not."""
    from tests.surveys.factories import SurveyLinkFactory, survey_post

    link = SurveyLinkFactory(salesperson=org.seller_a)
    client.post(
        reverse("surveys_public:link", kwargs={"token": link.token}), survey_post(**answers)
    )
    follow_ups = list(FollowUp.objects.values_list("reason", flat=True))
    assert follow_ups == ([reason] if reason else [])


def _unhappy_customer(client, link):
    answer(client, link, q_CUS1="2", q_CUS3="6", q_CES="1", why_CUS1="Tuotetta ei ollut.")
    return FollowUp.objects.get()


def test_the_list_says_the_unhappy_answers_in_words_not_codes(client, client_for, seller_link, org):
    _unhappy_customer(client, seller_link)
    html = client_for(org.manager_a).get(reverse("surveys:follow_ups")).content.decode()
    items = list_items(html, "unhappy-answers")
    assert [item.text for item in items] == [
        "Saitko sen mitä tulit hakemaan?: 2",
        "Suosittelisitko tuotteitamme ja…: 6",
        "Kuinka helppoa asiasi hoitaminen oli…: 1",
    ]
    # Shortened wordings carry the whole wording for hover and tap.
    assert items[1].find_all("abbr")[0].attrs["title"] == (
        "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?"
    )
    assert question_codes_in(html) == []


def test_the_list_speaks_the_users_language(client, client_for, seller_link, org):
    _unhappy_customer(client, seller_link)
    manager = client_for(org.manager_a)
    manager.post(reverse("set_language"), {"language": "en"})
    html = manager.get(reverse("surveys:follow_ups")).content.decode()
    assert list_items(html, "unhappy-answers")[0].text == "Did you get what you came for?: 2"


def test_the_home_panel_and_the_detail_say_the_answers_in_words(
    client, client_for, seller_link, org
):
    follow_up = _unhappy_customer(client, seller_link)
    manager = client_for(org.manager_a)
    home = manager.get(reverse("home")).content.decode()
    assert [item.text for item in list_items(home, "unhappy-answers")][0] == (
        "Saitko sen mitä tulit hakemaan?: 2"
    )
    assert question_codes_in(home) == []
    detail = manager.get(reverse("surveys:follow_up", args=[follow_up.pk])).content.decode()
    assert question_codes_in(detail) == []
    unhappy = parse(detail).find_all("tr", data_testid="unhappy-answer")
    assert [row.find_all("td")[0].text for row in unhappy] == [
        "Saitko sen mitä tulit hakemaan?",
        "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?",
        "Kuinka helppoa asiasi hoitaminen oli? (5 = erittäin helppoa)",
    ]


def test_the_help_text_states_the_rule_the_code_applies(
    client, client_for, seller_link, org, monkeypatch
):
    """The explanation is written from the rule's own thresholds: change them and both move."""
    from surveys import services

    page = client_for(org.manager_a).get(reverse("surveys:follow_ups")).content.decode()
    rule = parse(page).find_all(data_testid="follow-up-rule")[0].text
    assert "0–6" in rule and "1–2" in rule and "1–5" in rule
    monkeypatch.setattr(services, "FOLLOW_UP_NPS_AT_OR_BELOW", 4)
    monkeypatch.setattr(services, "FOLLOW_UP_FIVE_POINT_AT_OR_BELOW", 1)
    answer(client, seller_link, q_CES="2", q_CUS3="5")
    assert not FollowUp.objects.exists()
    page = client_for(org.manager_a).get(reverse("surveys:follow_ups")).content.decode()
    rule = parse(page).find_all(data_testid="follow-up-rule")[0].text
    assert "0–4" in rule and "1–1" in rule


def test_the_list_page_uses_few_queries(client_for, org, django_assert_max_num_queries):
    for _ in range(5):
        _follow_up(org, org.team_a)
    client = client_for(org.manager_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("surveys:follow_ups"))
    assert len(list_items(response.content, "unhappy-answers")) == 5
