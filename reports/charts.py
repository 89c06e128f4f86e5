"""Plotly figures of the dashboards, built server-side with plotly.graph_objects and handed to
the page as small JSON-safe dicts (``reports/_chart.html`` draws them with the app's own
plotly.js). Each builder returns None when it has nothing to draw, so the page shows its empty
state instead of an empty axis. Values arrive rounded (``reports.dashboards.rounded``); no
per-answer points ever go into a figure.
"""

from __future__ import annotations

import json
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


def _dict(figure: go.Figure) -> dict:
    """JSON-safe plain data (numpy values turned into lists), without plotly's template blob."""
    data = json.loads(figure.to_json())
    data["layout"].pop("template", None)
    data["config"] = {"displaylogo": False, "responsive": True}
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
            go.Scatter(
                name=s.name,
                x=x,
                y=s.values,
                mode="lines+markers",
                visible=visible,
                connectgaps=False,
                line={
                    "color": "#212529" if s.benchmark else LINE_COLOURS[i % len(LINE_COLOURS)],
                    "width": 3 if s.benchmark else 2,
                    "dash": "dash" if s.benchmark else "solid",
                },
                marker={"size": 5},
                hovertemplate="%{y}<extra>" + s.name + "</extra>",
            )
        )
    figure = go.Figure(
        traces,
        layout=_layout(
            height=340,
            xaxis={
                "type": "date",
                "tickformat": "%m/%y",
                "dtick": "M1" if len(x) <= 6 else "M3",
                "automargin": True,
            },
            yaxis={
                "automargin": True,
                "title": {"text": y_title},
                "range": list(y_range) if y_range else None,
                "gridcolor": "#e9ecef",
                "zeroline": True,
            },
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            legend={"orientation": "h", "y": -0.2},
        ),
    )
    return _dict(figure)


def team_area_heatmap(rows: Sequence[TeamRow], *, floor: float) -> dict | None:
    """Teams × areas, the colour from red (0) through yellow (the target floor) to green (100)."""
    if not any(v is not None for row in rows for v in row.areas.values()):
        return None
    mid = max(1.0, min(99.0, floor)) / 100
    figure = go.Figure(
        go.Heatmap(
            z=[[row.areas[a] for a in AREAS] for row in rows],
            x=[_wrap(area_label(a)) for a in AREAS],
            y=[row.name for row in rows],
            zmin=0,
            zmax=100,
            colorscale=[[0, "#dc3545"], [mid, "#ffe083"], [1, "#198754"]],
            texttemplate="%{z:.0f}",
            hovertemplate="%{y}: %{z}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={"thickness": 12, "len": 0.9},
        ),
        layout=_layout(
            height=140 + ROW_HEIGHT * len(rows),
            yaxis={"autorange": "reversed", "automargin": True},
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
        labels.append(area_label(target.area))
        areas.append(target.people)
        questions.append(None)
        for q in target.questions:
            labels.append("· " + question_labels.get(q.question, q.question))
            areas.append(None)
            questions.append(q.people)
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
            height=110 + ROW_HEIGHT * len(labels),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": _("Salespeople below the floor")}, "gridcolor": "#e9ecef"},
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        ),
    )
    return _dict(figure)


def area_scores(
    scores: dict[str, float | None], *, floor: float, benchmark: dict[str, float | None] | None
) -> dict | None:
    """A team's area scores as bars against the target level's floor (a dashed line), with the
    organisation's scores as markers when given."""
    if not any(v is not None for v in scores.values()):
        return None
    x = [_wrap(area_label(a)) for a in AREAS]
    y = [scores.get(a) for a in AREAS]
    traces = [
        go.Bar(
            name=_("Team"),
            x=x,
            y=y,
            marker_color=["#198754" if v is not None and v >= floor else "#dc3545" for v in y],
            text=[f"{v:.0f}" if v is not None else "" for v in y],
            textposition="outside",
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    ]
    if benchmark and any(v is not None for v in benchmark.values()):
        traces.append(
            go.Scatter(
                name=_("Organisation"),
                x=x,
                y=[benchmark.get(a) for a in AREAS],
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": "#212529"},
                hovertemplate="%{x}: %{y}<extra></extra>",
            )
        )
    figure = go.Figure(
        traces,
        layout=_layout(
            height=340,
            yaxis={"range": [0, 105], "gridcolor": "#e9ecef", "automargin": True},
            xaxis={"automargin": True},
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": floor,
                    "y1": floor,
                    "line": {"color": "#212529", "dash": "dash", "width": 2},
                }
            ],
            annotations=[
                {
                    "xref": "paper",
                    "x": 1,
                    "y": floor,
                    "xanchor": "right",
                    "yanchor": "bottom",
                    "text": _("Target floor %(floor)s") % {"floor": f"{floor:g}"},
                    "showarrow": False,
                }
            ],
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            legend={"orientation": "h", "y": -0.25},
        ),
    )
    return _dict(figure)


def level_counts(counts: dict[str, int]) -> dict | None:
    """One team's members per level: a bar per level in the level's colour."""
    if not sum(counts.values()):
        return None
    figure = go.Figure(
        go.Bar(
            x=[level_label(code) for code in LEVELS],
            y=[counts.get(code, 0) for code in LEVELS],
            marker_color=[LEVEL_COLOURS[code] for code in LEVELS],
            text=[counts.get(code, 0) for code in LEVELS],
            textposition="outside",
            hovertemplate="%{x}: %{y}<extra></extra>",
        ),
        layout=_layout(
            height=300,
            yaxis={
                "title": {"text": _("Salespeople")},
                "gridcolor": "#e9ecef",
                "rangemode": "tozero",
            },
            xaxis={"automargin": True},
            margin={"l": 10, "r": 10, "t": 20, "b": 10},
            showlegend=False,
        ),
    )
    return _dict(figure)
