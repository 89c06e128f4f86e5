"""Plotly figures of the dashboards, built server-side with plotly.graph_objects and handed to
the page as small JSON-safe dicts (``reports/_chart.html`` draws them with the app's own
plotly.js). Each builder returns None when it has nothing to draw, so the page shows its empty
state instead of an empty axis. Values arrive rounded (``reports.dashboards.rounded``); no
per-answer points ever go into a figure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
from django.utils import translation
from django.utils.translation import gettext as _

from .dashboards import (
    LEVEL_COLOURS,
    LEVELS,
    Series,
    TargetCount,
    TeamRow,
    area_label,
    has_values,
    level_label,
)
from .scoring import AREAS

# Plotly's own palette, colour-blind friendlier than the default for many lines.
LINE_COLOURS = [
    "#0d6efd",
    "#d63384",
    "#198754",
    "#fd7e14",
    "#6f42c1",
    "#20c997",
    "#dc3545",
    "#0dcaf0",
    "#6c757d",
    "#ffc107",
]
# With many teams, only the first lines are drawn at first; the rest wait in the legend.
VISIBLE_LINES = 8
ROW_HEIGHT = 26
LINE_HEIGHT = 14
LABEL_WIDTH = 30
# At most this many month ticks: six "07/26" labels side by side fit a 360 px phone's chart.
MONTH_TICKS = 6
# Plotly's mode bar (zoom, pan, download) covers labels and legends, on a phone it sits over
# the plot itself; the table beside each chart is the way to the numbers.
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def _layout(**extra) -> dict:
    language = (translation.get_language() or "fi")[:2]
    layout = {
        "template": "none",
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        # Decimal comma and a space between thousands in Finnish and Swedish.
        "separators": ". " if language == "en" else ", ",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#fff",
        "legend": {"orientation": "h", "y": -0.15},
        "hoverlabel": {"namelength": -1},
    }
    layout.update(extra)
    return layout


def short_area_label(code: str) -> str:
    """An area's short name, for charts where the full names do not fit a phone (a radar's
    spokes, a heat map's columns); tables and hover texts use the full name."""
    return {
        "KNOWLEDGE": _("Knowledge"),
        "SKILLS": _("Skills"),
        "ATTITUDE": _("Attitude"),
        "LOYALTY": _("Loyalty"),
    }[code]


def month_dtick(months: int) -> str:
    """A month axis' tick step: every month for a short trend, then every 3, 6 or 12 months
    (quarters, halves, years), so that at most MONTH_TICKS labels share the axis."""
    for step in (1, 3, 6, 12):
        if months <= MONTH_TICKS * step:
            return f"M{step}"
    return "M12"


def month_axis(months: int, **extra) -> dict:
    """A date axis of month-ends with short labels ("07/26") that stay horizontal."""
    return {
        "type": "date",
        "tickformat": "%m/%y",
        "hoverformat": "%m/%Y",
        "dtick": month_dtick(months),
        "tickangle": 0,
        "tickfont": {"size": 11},
        "automargin": True,
        **extra,
    }


def _wrap(text: str, width: int = 16) -> str:
    """A long axis label over several lines (plotly breaks lines only at <br>)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def warm() -> None:
    """Make and serialise a figure of each kind of trace the pages draw: plotly loads its
    classes and validators on first use (about 45 ms), which a server process does before its
    first page (``asiakaskunto.wsgi.prepare``)."""
    kinds = [go.Bar(x=[1], y=[1]), go.Heatmap(z=[[1]]), go.Scatter(x=[1], y=[1])]
    _dict(go.Figure([*kinds, go.Scatterpolar(r=[1], theta=["a"])]))


def _dict(figure: go.Figure) -> dict:
    """JSON-safe plain data (numpy values turned into lists), without plotly's template blob."""
    data = json.loads(figure.to_json())
    data["layout"].pop("template", None)
    data["config"] = dict(CONFIG)
    return data


def level_distribution(rows: Sequence[TeamRow]) -> dict | None:
    """Stacked horizontal bars: each team's members per level, best level first."""
    if not any(sum(row.counts.values()) for row in rows):
        return None
    names = [row.name for row in rows]
    figure = go.Figure(
        [
            go.Bar(
                name=level_label(code),
                y=names,
                x=[row.counts[code] for row in rows],
                orientation="h",
                marker_color=LEVEL_COLOURS[code],
                hovertemplate="%{y}: %{x}<extra>" + level_label(code) + "</extra>",
            )
            for code in LEVELS
        ],
        layout=_layout(
            barmode="stack",
            height=170 + ROW_HEIGHT * len(rows),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"gridcolor": "#e9ecef", "automargin": True},
            legend={"orientation": "h", "y": -0.08, "yanchor": "top", "traceorder": "normal"},
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
        ),
    )
    return _dict(figure)


def trend_lines(
    months: Sequence[date], series: Sequence[Series], *, y_title: str, y_range=None
) -> dict | None:
    """One line per team (and a dashed benchmark line), months on x; click the legend to show
    or hide a line. With many teams only the first few are drawn at first."""
    if not has_values(series):
        return None
    x = [m.isoformat() for m in months]
    traces = []
    drawn = 0
    for i, s in enumerate(series):
        visible = True
        if not s.benchmark:
            visible = True if drawn < VISIBLE_LINES else "legendonly"
            drawn += 1
        traces.append(
            {
                "type": "scatter",
                "name": s.name,
                "x": x,
                # (as plotly's own encoder: a value that is no number is a gap)
                "y": [v if v is None or math.isfinite(v) else None for v in s.values],
                "mode": "lines+markers",
                "visible": visible,
                "connectgaps": False,
                "line": {
                    "color": "#212529" if s.benchmark else LINE_COLOURS[i % len(LINE_COLOURS)],
                    "width": 3 if s.benchmark else 2,
                    "dash": "dash" if s.benchmark else "solid",
                },
                "marker": {"size": 5},
                "hovertemplate": "%{y}<extra>" + s.name + "</extra>",
            }
        )
    yaxis = {
        "automargin": True,
        "title": {"text": y_title},
        "gridcolor": "#e9ecef",
        "zeroline": True,
    }
    if y_range:
        yaxis["range"] = list(y_range)
    layout = _layout(
        height=340,
        xaxis=month_axis(len(x)),
        yaxis=yaxis,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
    )
    # Plain data (already JSON's types), as _dict would give it, without plotly's checking of
    # every property of every trace: a chain's trend has a line per team, hundreds of them.
    layout.pop("template", None)
    return {"data": traces, "layout": layout, "config": dict(CONFIG)}


def team_area_heatmap(rows: Sequence[TeamRow], *, floor: float) -> dict | None:
    """Teams × areas, the colour from red (0) through yellow (the target floor) to green (100).
    The columns carry the areas' short names (the full ones in the hover text and the table)."""
    if not any(v is not None for row in rows for v in row.areas.values()):
        return None
    mid = max(1.0, min(99.0, floor)) / 100
    full_names = [area_label(a) for a in AREAS]
    figure = go.Figure(
        go.Heatmap(
            z=[[row.areas[a] for a in AREAS] for row in rows],
            x=[short_area_label(a) for a in AREAS],
            y=[_wrap(row.name, 14) for row in rows],
            customdata=[full_names for _row in rows],
            zmin=0,
            zmax=100,
            colorscale=[[0, "#dc3545"], [mid, "#ffe083"], [1, "#198754"]],
            texttemplate="%{z:.0f}",
            hovertemplate="%{y} · %{customdata}: %{z}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={"thickness": 10, "len": 0.9, "tickvals": [0, 50, 100]},
        ),
        layout=_layout(
            height=120 + 36 * len(rows),  # a team name may take two lines
            yaxis={"autorange": "reversed", "automargin": True},
            # Plotly turns the names upright when the columns are too narrow for them.
            xaxis={"side": "top", "automargin": True},
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
        ),
    )
    return _dict(figure)


def development_targets(targets: Sequence[TargetCount], question_labels: dict) -> dict | None:
    """Horizontal bars: people below the target floor per area, and per question inside it."""
    if not targets:
        return None
    labels, areas, questions = [], [], []
    for target in targets:
        labels.append(_wrap(area_label(target.area), LABEL_WIDTH))
        areas.append(target.people)
        questions.append(None)
        for q in target.questions:
            labels.append(_wrap("· " + question_labels.get(q.question, q.question), LABEL_WIDTH))
            areas.append(None)
            questions.append(q.people)
    # Long labels wrap (a phone has room for about 30 characters beside the bars).
    lines = sum(label.count("<br>") + 1 for label in labels)
    figure = go.Figure(
        [
            go.Bar(
                name=_("Area"),
                y=labels,
                x=areas,
                orientation="h",
                marker_color="#dc3545",
                hovertemplate="%{y}: %{x}<extra></extra>",
            ),
            go.Bar(
                name=_("Question"),
                y=labels,
                x=questions,
                orientation="h",
                marker_color="#f1aeb5",
                hovertemplate="%{y}: %{x}<extra></extra>",
            ),
        ],
        layout=_layout(
            barmode="overlay",
            height=110 + ROW_HEIGHT * len(labels) + LINE_HEIGHT * (lines - len(labels)),
            yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 12}},
            # A short title: a long one centred under a phone's narrow bars runs off the chart
            # (the caption says "below the floor").
            xaxis={"title": {"text": _("Salespeople")}, "gridcolor": "#e9ecef"},
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        ),
    )
    return _dict(figure)


def area_scores(
    scores: dict[str, float | None], *, floor: float, benchmark: dict[str, float | None] | None
) -> dict | None:
    """A team's area scores as bars against the target level's floor (a dashed line), with the
    organisation's scores as markers when given. Each bar's value sits at its foot, clear of
    the markers and the floor line near its top; the line is named in the legend, not by a
    label on the plot that would collide with the bars' values."""
    if not any(v is not None for v in scores.values()):
        return None
    x = [short_area_label(a) for a in AREAS]
    full_names = [area_label(a) for a in AREAS]
    y = [scores.get(a) for a in AREAS]
    traces = [
        go.Bar(
            name=_("Team"),
            x=x,
            y=y,
            customdata=full_names,
            marker_color=["#198754" if v is not None and v >= floor else "#dc3545" for v in y],
            text=[f"{v:.0f}" if v is not None else "" for v in y],
            textposition="inside",
            insidetextanchor="start",
            textfont={"color": "#fff"},
            hovertemplate="%{customdata}: %{y}<extra></extra>",
        )
    ]
    if benchmark and any(v is not None for v in benchmark.values()):
        traces.append(
            go.Scatter(
                name=_("Organisation"),
                x=x,
                y=[benchmark.get(a) for a in AREAS],
                customdata=full_names,
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": "#212529"},
                hovertemplate="%{customdata}: %{y}<extra>" + _("Organisation") + "</extra>",
            )
        )
    figure = go.Figure(
        traces,
        layout=_layout(
            height=320,
            yaxis={"range": [0, 100], "gridcolor": "#e9ecef", "automargin": True},
            xaxis={"automargin": True, "tickangle": 0},
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": floor,
                    "y1": floor,
                    "line": {"color": "#212529", "dash": "dash", "width": 2},
                    "name": _("Target floor %(floor)s") % {"floor": f"{floor:g}"},
                    "showlegend": True,
                }
            ],
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        ),
    )
    return _dict(figure)


def level_counts(counts: dict[str, int]) -> dict | None:
    """One team's members per level: a horizontal bar per level in the level's colour, best
    level on top, its count beside it. Horizontal, so that the level names read in full on a
    phone; no axis title (the chart's caption says what is counted) to cover the ticks."""
    if not sum(counts.values()):
        return None
    values = [counts.get(code, 0) for code in LEVELS]
    figure = go.Figure(
        go.Bar(
            y=[level_label(code) for code in LEVELS],
            x=values,
            orientation="h",
            marker_color=[LEVEL_COLOURS[code] for code in LEVELS],
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        ),
        layout=_layout(
            height=60 + 36 * len(LEVELS),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={
                "gridcolor": "#e9ecef",
                # Room right of the longest bar for its count.
                "range": [0, max(values) * 1.15 + 0.5],
                "dtick": max(1, math.ceil(max(values) / 5)),
                "automargin": True,
            },
            margin={"l": 10, "r": 20, "t": 10, "b": 10},
            showlegend=False,
        ),
    )
    return _dict(figure)
