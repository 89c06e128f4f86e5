"""The dashboards' and the salesperson page's figures read on a 360 px phone and a laptop: no
mode bar over the labels, short month labels, values clear of markers and lines, each scale
labelled on its own."""

from datetime import date

import pytest
from django.utils import translation

from reports import charts
from reports.charts_person import radar_figure, trend_figure
from reports.dashboards import Series, TargetCount, TeamRow
from reports.scoring import AREAS, LEVELS, add_months


@pytest.fixture(autouse=True)
def _finnish():
    with translation.override("fi"):
        yield


def months(n):
    return [add_months(date(2026, 12, 1), -(n - 1 - i)) for i in range(n)]


def team_row(name="Helsinki Kamppi", areas=(59.0, 64.0, 67.0, 68.0)):
    return TeamRow(
        pk=1,
        name=name,
        counts=dict(zip(LEVELS, (1, 1, 3, 4, 0), strict=True)),
        member_count=9,
        share_at_or_above_target=0.22,
        index=64.4,
        level="HYVA",
        provisional=False,
        areas=dict(zip(AREAS, areas, strict=True)),
        nps=2.0,
        nps_n=490,
    )


def person_months(n=12):
    return [
        {"month": m, "index": 50.0, "nps": -52.0, "nps_n": 10, "level": "HYVA"} for m in months(n)
    ]


def every_figure():
    rows = [team_row(), team_row("Tampere Koskikeskus")]
    areas = [{"area": a, "score": 60.0} for a in AREAS]
    index = {"threshold": 75, "floor": 65, "target_label": "ERINOMAINEN"}
    return {
        "levels": charts.level_distribution(rows),
        "heatmap": charts.team_area_heatmap(rows, floor=65),
        "trend": charts.trend_lines(
            months(12), [Series(name="A", values=[50.0] * 12)], y_title="Indeksi"
        ),
        "targets": charts.development_targets(
            [TargetCount(area="SKILLS", question="", people=3)], {}
        ),
        "areas": charts.area_scores(
            dict(zip(AREAS, (59.0, 64.0, 67.0, 68.0), strict=True)),
            floor=65,
            benchmark=dict(zip(AREAS, (62.0, 62.0, 65.0, 67.0), strict=True)),
        ),
        "counts": charts.level_counts(dict(zip(LEVELS, (1, 1, 3, 4, 0), strict=True))),
        "radar": radar_figure(areas, index),
        "person_trend": trend_figure(person_months()),
    }


def test_no_chart_has_a_mode_bar_to_cover_its_labels():
    for name, figure in every_figure().items():
        assert figure["config"]["displayModeBar"] is False, name


@pytest.mark.parametrize(("length", "step"), [(6, "M1"), (12, "M3"), (24, "M6")])
def test_month_axes_have_short_upright_labels_at_most_six(length, step):
    figure = charts.trend_lines(
        months(length), [Series(name="A", values=[50.0] * length)], y_title="Indeksi"
    )
    axis = figure["layout"]["xaxis"]
    assert axis["tickformat"] == "%m/%y"
    assert axis["tickangle"] == 0
    assert axis["dtick"] == step
    assert len(figure["data"][0]["x"]) == length


def test_the_team_area_chart_keeps_each_value_clear_of_markers_and_the_floor_line():
    """The values sit at the bars' feet (inside, anchored at the start); the floor line is
    named in the legend instead of by a label on the plot where it collided with a value."""
    figure = every_figure()["areas"]
    bars = figure["data"][0]
    assert (bars["textposition"], bars["insidetextanchor"]) == ("inside", "start")
    assert bars["text"] == ["59", "64", "67", "68"]
    assert not figure["layout"].get("annotations")
    (line,) = figure["layout"]["shapes"]
    assert line["y0"] == line["y1"] == 65
    assert line["showlegend"] is True and line["name"] == "Tavoitteen alaraja 65"
    assert figure["layout"]["yaxis"]["range"] == [0, 100]


def test_the_members_by_level_chart_reads_its_names_across_without_an_axis_title():
    figure = every_figure()["counts"]
    bars = figure["data"][0]
    assert bars["orientation"] == "h"
    assert bars["y"][0] == "IHAN PARAS"
    assert bars["x"] == [1, 1, 3, 4, 0]
    assert bars["cliponaxis"] is False
    assert "title" not in figure["layout"]["xaxis"]
    assert "title" not in figure["layout"]["yaxis"]
    assert figure["layout"]["xaxis"]["range"][1] > 4  # room for the count beside the bar


def test_the_heat_map_uses_short_area_names_with_the_full_ones_on_hover():
    figure = every_figure()["heatmap"]
    heat = figure["data"][0]
    assert heat["x"] == ["Tiedot", "Taidot", "Tunnetaso", "Uskollisuus"]
    assert heat["customdata"][0][1] == "Taidot ja valmius"
    assert heat["y"][1] == "Tampere<br>Koskikeskus"


def test_long_development_target_labels_wrap_instead_of_being_cut():
    long = "Miten halukas ja kykenevä myyjä on ratkaisemaan tarpeesi?"
    targets = [
        TargetCount(
            area="SKILLS",
            question="",
            people=3,
            questions=[TargetCount(area="SKILLS", question="MYS2", people=2)],
        )
    ]
    figure = charts.development_targets(targets, {"MYS2": long})
    label = figure["data"][0]["y"][1]
    assert "<br>" in label
    assert all(len(line) <= charts.LABEL_WIDTH for line in label.split("<br>"))
    assert label.replace("<br>", " ") == "· " + long


def test_the_person_trend_gives_index_and_nps_each_their_own_panel():
    """NPS −52 drawn on the index's 0–100 scale sat on its "20" line: two panels, each with
    its own labelled scale, sharing the months."""
    layout = every_figure()["person_trend"]["layout"]
    index_axis, nps_axis = layout["yaxis"], layout["yaxis2"]
    assert "overlaying" not in nps_axis
    assert index_axis["range"] == [0, 100] and nps_axis["range"] == [-100, 100]
    assert index_axis["title"]["text"] == "Indeksi" and nps_axis["title"]["text"] == "NPS"
    # One above the other, not overlapping.
    assert nps_axis["domain"][1] < index_axis["domain"][0]
    assert layout["xaxis2"]["tickformat"] == "%m/%y"
    assert layout["xaxis"]["showticklabels"] is False


def test_the_person_trend_plots_nps_on_the_nps_panel():
    data = every_figure()["person_trend"]["data"]
    index, nps = data
    assert index.get("yaxis", "y") == "y" and nps["yaxis"] == "y2"
    assert nps["y"][0] == -52.0


def test_the_radar_leaves_room_for_the_area_names_on_a_phone():
    layout = every_figure()["radar"]["layout"]
    assert layout["margin"]["l"] >= 70 and layout["margin"]["r"] >= 70


def test_the_trend_lines_plain_data_is_what_plotly_makes_of_it():
    """trend_lines writes its figure as plain data (no plotly checking of hundreds of traces):
    plotly accepts it as it is, and gives back the same."""
    import json

    import plotly.graph_objects as go

    series = [Series(name=f"T{i}", values=[50.0 + i] * 12) for i in range(12)]
    series.append(Series(name="Organisaatio", values=[None] * 6 + [60.0] * 6, benchmark=True))
    figure = charts.trend_lines(months(12), series, y_title="NPS", y_range=(-100, 100))
    checked = json.loads(go.Figure(data=figure["data"], layout=figure["layout"]).to_json())
    checked["layout"].pop("template", None)
    assert checked == {"data": figure["data"], "layout": figure["layout"]}
    assert [t["visible"] for t in figure["data"]].count("legendonly") == 12 - charts.VISIBLE_LINES


def test_a_chart_s_table_escapes_its_text_and_formats_numbers_in_the_language():
    from django.utils import translation

    from reports.pages import _table

    with translation.override("fi"):
        html = _table("Indeksi <kk>", ["Kuukausi", "A & B"], [["01/2026", 50.5, None]])
    assert '<caption class="caption-top">Indeksi &lt;kk&gt;</caption>' in html
    assert '<th scope="col">A &amp; B</th>' in html
    assert '<tr><th scope="row">01/2026</th><td>50,5</td><td>–</td></tr>' in html
