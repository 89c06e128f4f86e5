"""The leadership and team dashboards: who may open them, what they show, and that the numbers
on the page are the engine's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from asiakaskunto.models import Level, Method
from reports import dashboards as D
from reports.results_cache import grades_for
from reports.scoring import LEVELS, month_end
from reports.services import scoring_settings_for
from tests.factories import SalespersonFactory, TeamFactory, submit
from tests.reports.dashboard_data import fill
from tests.visible import list_items, question_codes_in


@pytest.fixture
def evidence(org):
    """Enough evidence for grades: the cast's salespeople and four more in each team."""
    fill([], people=[org.seller_a, org.colleague_a, org.seller_b], surveys=8, seed=2)
    fill([org.team_a, org.team_b], people_per_team=4, surveys=8, seed=3)
    return org


def url_of(name, org=None):
    return {
        "dashboard": lambda: reverse("reports:dashboard"),
        "team_a": lambda: reverse("reports:team_dashboard", args=[org.team_a.pk]),
        "team_b": lambda: reverse("reports:team_dashboard", args=[org.team_b.pk]),
    }[name]()


@pytest.mark.parametrize(
    ("who", "page", "status"),
    [
        ("leader", "dashboard", 200),
        ("leader", "team_a", 200),
        ("leader", "team_b", 200),
        ("admin", "dashboard", 200),
        ("manager_a", "dashboard", 302),
        ("manager_a", "team_a", 200),
        ("manager_a", "team_b", 404),
        ("manager_b", "team_a", 404),
        ("manager_b", "team_b", 200),
        ("seller_a_user", "dashboard", 403),
        ("seller_a_user", "team_a", 403),
        ("seller_b_user", "team_b", 403),
        (None, "dashboard", 302),
        (None, "team_a", 302),
    ],
)
def test_each_role_gets_what_it_may_see(org, client_for, who, page, status):
    user = getattr(org, who) if who else None
    response = client_for(user).get(url_of(page, org))
    assert response.status_code == status
    if who is None:
        assert response["Location"].startswith(reverse("login"))


def test_a_manager_of_one_team_goes_to_that_teams_dashboard_with_the_filters(org, client_for):
    response = client_for(org.manager_a).get(reverse("reports:dashboard") + "?months=6")
    assert response["Location"] == (
        reverse("reports:team_dashboard", args=[org.team_a.pk]) + "?months=6"
    )


def test_a_manager_of_several_teams_sees_the_dashboard_restricted_to_them(evidence, client_for):
    org = evidence
    third = TeamFactory(organisation=org.organisation, name="Team C", managers=[org.manager_a])
    fill([third], people_per_team=2, seed=5)
    response = client_for(org.manager_a).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert [row.name for row in response.context["team_rows"]] == ["Team A", "Team C"]
    shown = {row.team for row in response.context["people"]["page"]}
    assert shown == {"Team A", "Team C"}
    assert "Team B" not in response.content.decode()
    assert "target-form" not in response.content.decode()


def test_a_manager_without_teams_sees_an_empty_dashboard(org, client_for):
    org.team_a.managers.remove(org.manager_a)
    response = client_for(org.manager_a).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["team_rows"] == []
    assert response.context["people"]["total"] == 0


def test_the_headline_is_the_engines_organisation_result(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard"))
    grades = grades_for(org.organisation)
    group = grades.organisation
    figures = response.context["figures"]
    assert figures.share_at_or_above_target == group.share_at_or_above_target
    assert figures.nps == group.metrics["NPS"].value
    assert figures.csat == group.metrics["CSAT"].value
    assert figures.ces == group.metrics["CES"].value
    assert figures.nps_n == group.metrics["NPS"].n
    cards = {card.key: card for card in response.context["cards"]}
    assert cards["nps"].value == round(group.metrics["NPS"].value, 1)
    assert cards["target"].detail == f"{group.at_or_above_target_count} / {group.graded_count}"
    page = response.content.decode()
    assert f"n = {group.metrics['NPS'].n}" in page


def test_the_change_compares_with_the_end_of_the_previous_month(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard"))
    period = response.context["period"]
    this_month = timezone.localdate().replace(day=1)
    assert period.previous_as_of == month_end(
        (this_month - timedelta(days=1)).replace(day=1), timezone.get_current_timezone()
    )
    now = grades_for(org.organisation).organisation.metrics["NPS"].value
    before = grades_for(org.organisation, as_of=period.previous_as_of).organisation
    cards = {card.key: card for card in response.context["cards"]}
    assert cards["nps"].change == round(now - before.metrics["NPS"].value, 1)


def test_the_level_distribution_and_heat_map_are_the_engines_team_results(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard"))
    grades = grades_for(org.organisation)
    rows = {row.pk: row for row in response.context["team_rows"]}
    for team in (org.team_a, org.team_b):
        engine = grades.teams[team.pk]
        assert rows[team.pk].counts == {code: engine.level_distribution[code] for code in LEVELS}
        assert rows[team.pk].areas["SKILLS"] == round(engine.areas["SKILLS"].score, 1)
    levels = response.context["levels_chart"]
    by_level = {trace["name"]: trace["x"] for trace in levels["data"]}
    assert by_level[D.level_label("KEHITETTAVAA")] == [
        grades.teams[org.team_a.pk].level_distribution["KEHITETTAVAA"],
        grades.teams[org.team_b.pk].level_distribution["KEHITETTAVAA"],
    ]


def test_the_salespeople_table_shows_the_engines_grades(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard") + "?sort=name")
    grades = grades_for(org.organisation)
    rows = list(response.context["people"]["page"])
    assert len(rows) == 11
    for row in rows:
        result = grades.people[row.pk]
        assert row.level == result.level
        assert row.index == round(result.index, 1)
        assert row.gap == round(result.gap_to_target, 1)
        assert row.provisional == result.provisional
        assert row.n == sum(result.submissions_per_method.values())
    assert [r.name for r in rows] == sorted((r.name for r in rows), key=str.casefold)


def test_the_table_sorts_by_index_largest_first_and_pages_by_fifty(org, client_for):
    fill([org.team_a], people_per_team=55, surveys=6, seed=4)
    client = client_for(org.leader)
    first = client.get(reverse("reports:dashboard") + "?sort=-index")
    rows = list(first.context["people"]["page"])
    assert len(rows) == 50
    indexes = [r.index for r in rows if r.index is not None]
    assert indexes == sorted(indexes, reverse=True)
    second = client.get(reverse("reports:dashboard") + "?sort=-index&page=2")
    assert len(second.context["people"]["page"]) == 58 - 50
    assert "sort=-index&amp;page=2" in first.content.decode()


def test_an_unknown_sort_falls_back_to_the_index(evidence, client_for):
    response = client_for(evidence.leader).get(reverse("reports:dashboard") + "?sort=password")
    assert response.status_code == 200
    assert response.context["people"]["page"][0].index is not None


def test_the_team_filter_restricts_every_figure(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard") + f"?teams={org.team_b.pk}")
    team = grades_for(org.organisation).teams[org.team_b.pk]
    assert [row.name for row in response.context["team_rows"]] == ["Team B"]
    assert response.context["figures"].nps == team.metrics["NPS"].value
    assert {row.team for row in response.context["people"]["page"]} == {"Team B"}
    names = {trace["name"] for trace in response.context["index_chart"]["data"]}
    assert names == {"Team B", "Organisaatio"}


def test_all_teams_together_equal_the_organisation(evidence, client_for):
    """Team pools partition the organisation's answers, so combining them gives its numbers."""
    org = evidence
    query = f"?teams={org.team_a.pk}&teams={org.team_b.pk}"
    response = client_for(org.leader).get(reverse("reports:dashboard") + query)
    group = grades_for(org.organisation).organisation
    figures = response.context["figures"]
    assert figures.share_at_or_above_target == pytest.approx(group.share_at_or_above_target)
    for code in ("NPS", "CSAT", "CES"):
        assert getattr(figures, code.lower()) == pytest.approx(group.metrics[code].value)
        assert getattr(figures, f"{code.lower()}_n") == group.metrics[code].n


def test_a_team_outside_the_users_scope_in_the_filter_is_refused(evidence, client_for):
    org = evidence
    org.team_a.managers.add(org.manager_b)
    response = client_for(org.manager_b).get(reverse("reports:dashboard") + "?teams=999999")
    assert response.status_code == 200
    assert response.context["form"].errors["teams"]
    assert {row.name for row in response.context["team_rows"]} == {"Team A", "Team B"}


def test_the_team_page_shows_the_engines_team_result(evidence, client_for):
    org = evidence
    response = client_for(org.manager_a).get(
        reverse("reports:team_dashboard", args=[org.team_a.pk])
    )
    team = grades_for(org.organisation).teams[org.team_a.pk]
    assert response.context["figures"].nps == team.metrics["NPS"].value
    assert response.context["team_row"].index == round(team.index, 1)
    assert response.context["levels_chart"]["data"][0]["x"] == [
        team.level_distribution[code] for code in LEVELS
    ]
    bars = response.context["areas_chart"]["data"][0]["y"]
    assert bars[1] == round(team.areas["SKILLS"].score, 1)
    assert {row.team for row in response.context["people"]["page"]} == {"Team A"}
    # A manager gets no organisation benchmark (other teams' numbers are not theirs to see).
    assert len(response.context["areas_chart"]["data"]) == 1
    page = response.content.decode()
    assert "Bertta Seller" not in page and "Aino Seller" in page


def test_the_development_targets_count_people_below_the_floor(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard"))
    floor = scoring_settings_for(org.organisation).levels["ERINOMAINEN"].no_area_below
    people = grades_for(org.organisation).people.values()
    below = sum(1 for p in people if "SKILLS" in p.areas and p.areas["SKILLS"].score < floor - 1e-9)
    counts = {t.area: t.people for t in response.context["targets"]}
    assert counts.get("SKILLS", 0) == below


def test_with_no_answers_every_chart_shows_its_empty_state(org, client_for):
    response = client_for(org.leader).get(reverse("reports:dashboard"))
    page = response.content.decode()
    for chart in ("levels", "heatmap", "index", "nps", "targets"):
        assert f'data-testid="empty-chart-{chart}"' in page
    assert "data-plotly-src" not in page
    assert "Ei vielä vastauksia tällä jaksolla" in page
    assert page.count("liian vähän vastauksia") == 3
    team_page = client_for(org.manager_a).get(
        reverse("reports:team_dashboard", args=[org.team_a.pk])
    )
    for chart in ("levels", "areas", "index", "nps", "targets"):
        assert f'data-testid="empty-chart-{chart}"' in team_page.content.decode()


def test_the_charts_are_small_json_with_a_table_beside_each(evidence, client_for):
    response = client_for(evidence.leader).get(reverse("reports:dashboard"))
    page = response.content.decode()
    for chart in ("levels", "heatmap", "index", "nps", "targets"):
        assert f'data-plotly-src="chart-{chart}"' in page
    assert page.count("<details") >= 5
    assert '"template"' not in page


def test_a_month_in_the_past_is_graded_as_of_its_end(evidence, client_for):
    org = evidence
    month = (timezone.localdate().replace(day=1) - timedelta(days=40)).replace(day=1)
    response = client_for(org.leader).get(reverse("reports:dashboard") + f"?month={month:%Y-%m}")
    period = response.context["period"]
    assert period.as_of == month_end(month, timezone.get_current_timezone())
    assert not period.is_now
    engine = grades_for(org.organisation, as_of=period.as_of).organisation
    assert response.context["figures"].nps == engine.metrics["NPS"].value
    assert response.context["index_chart"]["data"][0]["x"][-1] == month.isoformat()


def test_the_trend_length_sets_the_number_of_months(evidence, client_for):
    response = client_for(evidence.leader).get(reverse("reports:dashboard") + "?months=24")
    assert len(response.context["index_chart"]["data"][0]["x"]) == 24


def test_one_method_alone_explains_why_grades_are_missing(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard") + "?method=OBSERVATION")
    assert 'data-testid="method-note"' in response.content.decode()
    engine = grades_for(org.organisation, method=Method.OBSERVATION)
    assert all(p.level == "NOT_ENOUGH_DATA" for p in engine.people.values())
    assert response.context["heatmap_chart"] is not None  # area scores still show


@pytest.mark.parametrize("people_per_team", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_salespeople(
    org, client_for, django_assert_max_num_queries, people_per_team
):
    extra = [TeamFactory(organisation=org.organisation, managers=[org.manager_a]) for _ in range(2)]
    fill([org.team_a, org.team_b, *extra], people_per_team=people_per_team, surveys=5)
    client = client_for(org.leader)
    # Cold: the answers are read once for the whole result, which is stored in the shared
    # cache (a table in the tests: its reads and writes count as queries here, not with Redis;
    # +2 wherever the cache writes: every CULL_EVERY-th write also culls the table; +2 on
    # PostgreSQL, where the engine's read sets and resets its work_mem).
    with django_assert_max_num_queries(19):
        client.get(reverse("reports:dashboard"))
    # Warm: the stored result's head and this variant's shaped figures (one read each); the
    # names of the salespeople come from the database.
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:dashboard") + "?sort=name&page=1")
    # The team page adds its open follow-ups and overdue visits (a count and a list each) and
    # its customers' thanks per person (one query) and their written words (the surveys, their
    # answers with a why), and its coaching panel (open plans, the people with targets, whom
    # the reader coaches), and its response rates (five queries: the members, their links,
    # the links' views and answers, the invitations).
    # A variant not shaped yet reads the result's groups and people pieces, shapes and keeps it.
    with django_assert_max_num_queries(34):
        client.get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    with django_assert_max_num_queries(28):
        client.get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    manager = client_for(org.manager_a)
    with django_assert_max_num_queries(14):
        manager.get(reverse("reports:dashboard"))


def test_leadership_sets_the_target_level_on_the_dashboard(evidence, client_for):
    org = evidence
    client = client_for(org.leader)
    back = reverse("reports:dashboard") + "?months=6"
    response = client.post(
        reverse("reports:target_level"), {"target_level": Level.HYVA, "next": back}
    )
    assert response["Location"] == back
    org.organisation.refresh_from_db()
    assert org.organisation.target_level == Level.HYVA
    page = client.get(back)
    assert "Tavoitetaso asetettu: HYVÄ" in page.content.decode()
    assert page.context["target_level"] == Level.HYVA
    assert '<option value="HYVA" selected>' in page.content.decode()


def test_a_bad_target_level_changes_nothing(org, client_for):
    client = client_for(org.leader)
    response = client.post(
        reverse("reports:target_level"), {"target_level": "BEST", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("reports:dashboard")
    org.organisation.refresh_from_db()
    assert org.organisation.target_level == Level.ERINOMAINEN


@pytest.mark.parametrize("who", ["manager_a", "seller_a_user"])
def test_only_leadership_may_set_the_target_level(org, client_for, who):
    response = client_for(getattr(org, who)).post(
        reverse("reports:target_level"), {"target_level": Level.HYVA}
    )
    assert response.status_code == 403
    org.organisation.refresh_from_db()
    assert org.organisation.target_level == Level.ERINOMAINEN


def test_a_salesperson_in_no_team_of_the_manager_is_not_listed(evidence, client_for):
    other = TeamFactory(organisation=evidence.organisation, name="Other")
    SalespersonFactory(team=other, name="Outsider Olli")
    response = client_for(evidence.manager_a).get(
        reverse("reports:team_dashboard", args=[evidence.team_a.pk])
    )
    assert "Outsider Olli" not in response.content.decode()


def test_the_team_page_lists_open_follow_ups_and_overdue_mystery_visits(org, client_for):
    """An unhappy customer (NPS 3) opens a follow-up; a plan whose window ended unused is overdue;
    a resolved follow-up, a future plan and another team's items are not listed."""
    from datetime import timedelta

    from surveys.models import FollowUp
    from tests.observations.factories import MysteryPlanFactory

    now = timezone.now()
    unhappy = submit(org.seller_a, Method.CUSTOMER, {"CUS3": 3})
    FollowUp.objects.create(
        organisation=org.organisation,
        submission=unhappy,
        team=org.team_a,
        salesperson=org.seller_a,
        reason="CUS3=3",
        answered_at=now,
    )
    resolved = submit(org.seller_a, Method.CUSTOMER, {"CUS3": 2})
    FollowUp.objects.create(
        organisation=org.organisation,
        submission=resolved,
        team=org.team_a,
        salesperson=org.seller_a,
        reason="CUS3=2",
        answered_at=now,
        status="RESOLVED",
    )
    other = submit(org.seller_b, Method.CUSTOMER, {"CUS3": 1})
    FollowUp.objects.create(
        organisation=org.organisation,
        submission=other,
        team=org.team_b,
        salesperson=org.seller_b,
        reason="CUS3=1",
        answered_at=now,
    )
    today = timezone.localdate()
    overdue = MysteryPlanFactory(
        salesperson=org.colleague_a,
        window_start_date=today - timedelta(days=10),
        window_end_date=today - timedelta(days=2),
    )
    MysteryPlanFactory(salesperson=org.seller_a)  # window still open
    assert D.open_follow_ups(org.team_a)[0] == 1
    count, plans = D.overdue_mystery_visits(org.team_a, now=now)
    assert (count, plans) == (1, [overdue])
    page = client_for(org.manager_a).get(reverse("reports:team_dashboard", args=[org.team_a.pk]))
    html = page.content.decode()
    # Only the open follow-up of this team, its answer in words (CUS3 = the recommendation).
    assert [item.text for item in list_items(html, "unhappy-answers")] == [
        "Suosittelisitko tuotteitamme ja…: 3"
    ]
    assert question_codes_in(html) == []
    assert "Cecilia Colleague" in html


def test_new_answers_show_on_the_dashboard_at_once(
    org, client_for, django_capture_on_commit_callbacks
):
    client = client_for(org.leader)
    assert client.get(reverse("reports:dashboard")).context["figures"].nps_n == 0
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            submit(org.seller_a, Method.CUSTOMER, {"CUS1": 5, "CUS2": 5, "CUS3": 10})
    figures = client.get(reverse("reports:dashboard")).context["figures"]
    assert (figures.nps_n, figures.nps) == (5, 100)


def test_the_cached_figures_follow_the_language(evidence, client_for):
    client = client_for(evidence.leader)
    finnish = client.get(reverse("reports:dashboard")).context["levels_chart"]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("reports:dashboard")).context["levels_chart"]
    assert finnish["data"][0]["name"] == "IHAN PARAS"
    assert english["layout"]["separators"] == ". "
    assert finnish["layout"]["separators"] == ", "


def test_requests_share_the_figures_but_not_each_others_page(evidence, client_for, monkeypatch):
    """The shaped figures are kept beside the stored result; each request adds its own form
    and page of people to a copy, never to the kept figures."""
    from reports import results_cache

    kept = []
    real = results_cache.cache

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def set(self, key, value, *args, **kwargs):
            if ":page:" in key:
                kept.append(value)
            return real.set(key, value, *args, **kwargs)

    monkeypatch.setattr(results_cache, "cache", Spy())
    org = evidence
    first = client_for(org.leader).get(reverse("reports:dashboard"), {"sort": "name"})
    second = client_for(org.leader).get(reverse("reports:dashboard"), {"sort": "-name"})
    assert first.status_code == second.status_code == 200
    assert first.context["people"] is not second.context["people"]
    names = [row.name for row in second.context["people"]["page"]]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert len(kept) == 1  # shaped once, read by the second request
    assert "summaries" in kept[0]
    assert not {"people", "form", "period", "freshness"} & set(kept[0])
