"""The dashboards say what they plot: the trend length shown is the one drawn, a change reads
with one sign, one arrow and one colour (none for no change), the team filter is a set of
checkboxes and CSAT shows its mean beside the share."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from reports import dashboards as D
from reports.results_cache import grades_for
from tests.reports.dashboard_data import fill


@pytest.fixture
def evidence(org):
    fill([], people=[org.seller_a, org.colleague_a, org.seller_b], surveys=8, seed=2)
    fill([org.team_a, org.team_b], people_per_team=4, surveys=8, seed=3)
    return org


def selected_trend_length(html):
    select = re.search(r'<select name="months".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)" selected>', select)


@pytest.mark.parametrize(
    ("query", "shown"),
    [("", "12"), ("?months=6", "6"), ("?months=24", "24"), ("?months=7", "12")],
)
def test_the_trend_length_shown_is_the_one_plotted(evidence, client_for, query, shown):
    """Without a length in the query the select showed its first option, 6 months, while the
    charts plotted the default 12."""
    response = client_for(evidence.leader).get(reverse("reports:dashboard") + query)
    html = response.content.decode()
    assert selected_trend_length(html) == [shown]
    assert len(response.context["index_chart"]["data"][0]["x"]) == int(shown)


def test_the_team_page_shows_the_trend_length_it_plots(evidence, client_for):
    url = reverse("reports:team_dashboard", args=[evidence.team_a.pk])
    response = client_for(evidence.leader).get(url)
    assert selected_trend_length(response.content.decode()) == ["12"]
    assert len(response.context["index_chart"]["data"][0]["x"]) == 12


def test_an_invalid_trend_length_is_named_and_the_default_used(evidence, client_for):
    response = client_for(evidence.leader).get(reverse("reports:dashboard") + "?months=7")
    html = response.content.decode()
    assert "Osa rajauksista ei kelvannut" in html
    assert "7" in str(response.context["form"].errors["months"])


def test_the_team_filter_is_a_set_of_checkboxes(evidence, client_for):
    org = evidence
    url = reverse("reports:dashboard") + f"?teams={org.team_b.pk}"
    html = client_for(org.leader).get(url).content.decode()
    assert '<select name="teams"' not in html
    boxes = re.findall(r'<input type="checkbox"[^>]*name="teams"[^>]*>', html)
    assert len(boxes) == 2
    checked = [box for box in boxes if " checked" in box]
    assert len(checked) == 1 and f'value="{org.team_b.pk}"' in checked[0]
    # Each box has its label.
    for box in boxes:
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        assert f'<label class="form-check-label" for="{box_id}">' in html


def card(key="nps", *, change, decimals=0, suffix=""):
    return D.Card(
        key=key,
        value=-2.0,
        n=100,
        too_few=False,
        change=change,
        decimals=decimals,
        suffix=suffix,
    )


def headline(cards):
    html = render_to_string(
        "reports/dashboard_headline.html",
        {"cards": cards, "target_label": "ERINOMAINEN", "period": None, "min_n": 5},
    )
    spans = re.findall(
        r'<span class="([^"]*)" data-testid="change-(\w+)"[^>]*>(.*?)</span>\s*\n', html
    )
    return {key: (classes, re.sub(r"<[^>]+>", "", text)) for classes, key, text in spans}


def test_a_change_of_zero_has_no_arrow_and_no_colour():
    classes, text = headline([card(change=0.0)])["nps"]
    assert "▼" not in text and "▲" not in text
    assert "text-danger" not in classes and "text-success" not in classes
    assert text == "±0"


def test_a_fall_reads_with_one_minus_sign_and_a_rise_with_one_plus():
    shown = headline([card("csat", change=-4.0, suffix=" %"), card("nps", change=3.0)])
    classes, text = shown["csat"]
    assert text == "▼ −4 %-yks." and "text-danger" in classes
    classes, text = shown["nps"]
    assert text == "▲ +3" and "text-success" in classes


def test_a_change_that_rounds_to_zero_counts_as_no_change():
    """NPS −2 a month ago −1.6: the change −0.4 shows as 0, so no red ▼."""
    previous = D.Figures(**{**figures(nps=-1.6)})
    current = D.Figures(**{**figures(nps=-2.0)})
    nps = {c.key: c for c in D.headline_cards(current, previous)}["nps"]
    assert nps.change == 0.0
    assert nps.change_direction == "" and nps.change_is_good is None


def figures(**extra):
    base = {
        "member_count": 10,
        "graded_count": 10,
        "at_or_above_target_count": 2,
        "share_at_or_above_target": 0.2,
        "index": 60.0,
        "level": "HYVA",
        "provisional": False,
        "nps": 0.0,
        "nps_n": 50,
        "csat": 48.0,
        "csat_mean": 3.46,
        "csat_n": 50,
        "ces": 3.5,
        "ces_n": 50,
        "min_n": 5,
    }
    return {**base, **extra}


def test_the_csat_card_shows_the_mean_beside_the_share(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:dashboard"))
    csat = grades_for(org.organisation).organisation.metrics["CSAT"]
    card = {c.key: c for c in response.context["cards"]}["csat"]
    assert card.mean == D.rounded(csat.mean)
    mean = f"{card.mean:.1f}".replace(".", ",")
    assert re.search(
        rf'data-testid="mean-csat">· keskiarvo {mean}</span>', response.content.decode()
    )


def test_the_mean_of_several_teams_weighs_each_by_its_answers(evidence, client_for):
    org = evidence
    url = reverse("reports:dashboard") + f"?teams={org.team_a.pk}&teams={org.team_b.pk}"
    response = client_for(org.leader).get(url)
    grades = grades_for(org.organisation)
    a, b = grades.teams[org.team_a.pk].metrics["CSAT"], grades.teams[org.team_b.pk].metrics["CSAT"]
    expected = (a.mean * a.n + b.mean * b.n) / (a.n + b.n)
    assert response.context["figures"].csat_mean == pytest.approx(expected)


def test_the_person_page_shows_the_csat_mean(evidence, client_for):
    org = evidence
    response = client_for(org.leader).get(reverse("reports:person", args=[org.seller_a.pk]))
    csat = grades_for(org.organisation).people[org.seller_a.pk].metrics["CSAT"]
    mean = f"{D.rounded(csat.mean):.1f}".replace(".", ",")
    assert f'data-testid="metric-CSAT-mean">keskiarvo {mean}</span>' in response.content.decode()
