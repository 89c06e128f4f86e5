"""The salesperson page's figures, built server-side with plotly and handed to the template as
plain dicts (drawn by static/js/charts.js under the CSP). Each figure has a table beside it in
the template; these functions only draw what the rows in `reports.person` already say."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from . import charts

PRIMARY = "#0d6efd"
TARGET = "#dc3545"
THRESHOLD = "#6c757d"
NPS = "#198754"


def _plain(fig: go.Figure) -> dict[str, Any]:
    """The figure as a small JSON-safe dict, like the dashboards' (no template blob, no logo)."""
    return charts._dict(fig)


def _layout(**extra: Any) -> dict[str, Any]:
    """The dashboards' layout (fonts, decimal comma in Finnish and Swedish) sized for this page."""
    sized = {
        "margin": {"l": 40, "r": 40, "t": 30, "b": 30},
        "height": 340,
        "legend": {"orientation": "h", "y": -0.12},
    }
    return charts._layout(**{**sized, **extra})


def radar_figure(areas: list[dict[str, Any]], index: dict[str, Any]) -> dict[str, Any] | None:
    """The areas' scores as a radar against the target level's floor (every area must reach
    it) and the index threshold (the index must reach it). None when no area has a score.

    An area without answers keeps its axis, named as such, but no point: the score's outline
    joins the areas that have one (a point at the centre would read as a score of 0)."""
    if all(row["score"] is None for row in areas):
        return None
    theta = [
        charts.short_area_label(row["area"])
        if row["score"] is not None
        else f"{charts.short_area_label(row['area'])}<br>({_('no answers')})"
        for row in areas
    ]
    closed = theta + theta[:1]
    scored = [
        (label, row["score"])
        for label, row in zip(theta, areas, strict=True)
        if row["score"] is not None
    ]
    scored_theta = [label for label, _score in scored]
    scores = [score for _label, score in scored]

    def ring(value: float) -> list[float]:
        return [value] * len(closed)

    fig = go.Figure()
    fig.add_trace(
        go.Scatterpolar(
            r=ring(index["threshold"]),
            theta=closed,
            mode="lines",
            name=_("Index threshold %(level)s") % {"level": index["target_label"]},
            line={"color": THRESHOLD, "dash": "dot", "width": 1},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=ring(index["floor"]),
            theta=closed,
            mode="lines",
            name=_("Floor %(level)s") % {"level": index["target_label"]},
            line={"color": TARGET, "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatterpolar(
            r=scores + scores[:1],
            theta=scored_theta + scored_theta[:1],
            mode="lines+markers",
            fill="toself",
            name=_("Score"),
            line={"color": PRIMARY, "width": 2},
            hovertemplate="%{theta}: %{r:.1f}<extra></extra>",
        )
    )
    fig.update_layout(
        _layout(
            # Room beside the circle for the area names at the spokes' ends (a phone's chart is
            # about 300 px wide: the names must not be cut at its edges).
            margin={"l": 75, "r": 75, "t": 30, "b": 20},
            polar={
                "angularaxis": {"tickfont": {"size": 12}},
                # The scale's numbers between two spokes, clear of the area names.
                "radialaxis": {
                    "range": [0, 100],
                    "tickvals": [0, 25, 50, 75, 100],
                    "angle": 45,
                    "tickangle": 45,
                    "tickfont": {"size": 9},
                },
            },
            showlegend=True,
        )
    )
    return _plain(fig)


def trend_figure(months: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Two panels over the same months: the index (0–100) above, NPS (−100…100) below, each on
    its own labelled scale (one plot with two scales put NPS −52 on the index's 20 line).
    None when no month has either value."""
    if not any(m["index"] is not None or m["nps"] is not None for m in months):
        return None
    x = [m["month"].isoformat() for m in months]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[m["index"] for m in months],
            mode="lines+markers",
            name=_("Fitness index"),
            line={"color": PRIMARY, "width": 2},
            hovertemplate="%{x|%m/%Y}: %{y:.1f}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[m["nps"] for m in months],
            mode="lines+markers",
            name="NPS",
            line={"color": NPS, "width": 2, "dash": "dot"},
            hovertemplate="NPS %{x|%m/%Y}: %{y:.0f}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    axis = charts.month_axis(len(x))
    fig.update_layout(
        _layout(
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            margin={"l": 10, "r": 10, "t": 30, "b": 10},
            height=400,
            # The month labels only under the lower panel.
            xaxis={**axis, "showticklabels": False},
            xaxis2=axis,
            yaxis={
                "range": [0, 100],
                "tickvals": [0, 25, 50, 75, 100],
                "title": {"text": _("Index")},
                "gridcolor": "#e9ecef",
                "automargin": True,
            },
            yaxis2={
                "range": [-100, 100],
                "tickvals": [-100, -50, 0, 50, 100],
                "title": {"text": "NPS"},
                "gridcolor": "#e9ecef",
                "zeroline": True,
                "zerolinecolor": "#adb5bd",
                "automargin": True,
            },
        )
    )
    return _plain(fig)
