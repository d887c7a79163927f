"""Charts: heatmaps, bar charts and change charts as plotly figures.

Colour-blind-safe scales (viridis for magnitudes, a blue-orange diverging scale for
E-I), numbers printed on the cells and bars so nothing relies on colour alone, and
no external resources (the app renders plotly from its own bundle).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

__all__ = ["bar_chart", "change_chart", "diverging_bar_chart", "heatmap"]

FONT = dict(family="Arial, Helvetica, sans-serif", size=13)
DIVERGING = [[0.0, "#0072B2"], [0.5, "#F7F7F7"], [1.0, "#D55E00"]]  # Okabe-Ito blue / vermillion
SINGLE = "#0072B2"  # bars that stand for no group, or a group without a colour


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0), font=FONT, height=height,
                      margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white")
    return fig


def heatmap(matrix: pd.DataFrame, title: str, *, value_format: str = ".2f", zmax: float | None = None) -> go.Figure:
    """Rows are senders' groups, columns receivers'; each cell labelled with its value.

    Examples
    --------
    >>> m = pd.DataFrame([[0.5, 0.1], [0.0, 0.4]], index=["A", "B"], columns=["A", "B"])
    >>> heatmap(m, "Block density").data[0].type
    'heatmap'
    """
    values = matrix.astype(float)
    text = values.map(lambda v: "" if pd.isna(v) else format(v, value_format))
    fig = go.Figure(
        go.Heatmap(
            z=values.to_numpy(), x=[str(c) for c in values.columns], y=[str(i) for i in values.index],
            text=text.to_numpy(), texttemplate="%{text}", colorscale="Viridis", zmin=0,
            zmax=zmax, hovertemplate="from %{y}<br>to %{x}<br>%{z}<extra></extra>",
            colorbar=dict(thickness=12),
        )
    )
    fig.update_yaxes(autorange="reversed", title="from (who named)")
    fig.update_xaxes(title="to (who was named)", tickangle=-30)
    return _layout(fig, title, max(320, 60 + 36 * len(values)))


def bar_chart(values: pd.Series, title: str, *, value_format: str = ".2f", axis_title: str = "",
              colours: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars, largest at the top, each labelled with its value.

    ``colours`` is the project's colour per group (``Project.palette``): each group's
    bar takes its colour, as on every map; groups it lacks, and every bar without it,
    are one blue.

    Examples
    --------
    >>> fig = bar_chart(pd.Series({"Acute": 2.0, "Council": 1.0}), "Contacts", colours={"Acute": "#E69F00"})
    >>> list(fig.data[0].marker.color)
    ['#0072B2', '#E69F00']
    """
    values = values.dropna().sort_values()
    bars = [(colours or {}).get(str(i), SINGLE) for i in values.index]
    fig = go.Figure(
        go.Bar(x=values.to_numpy(), y=[str(i) for i in values.index], orientation="h",
               marker_color=bars, text=[format(v, value_format) for v in values],
               textposition="outside", cliponaxis=False)
    )
    fig.update_xaxes(title=axis_title)
    return _layout(fig, title, max(260, 60 + 30 * len(values)))


def diverging_bar_chart(values: pd.Series, title: str, *, axis_title: str = "E-I index") -> go.Figure:
    """Bars on [-1, 1] coloured by side: inward-looking (negative) or outward (positive)."""
    values = values.dropna().sort_values()
    colours = ["#0072B2" if v < 0 else "#D55E00" for v in values]
    fig = go.Figure(
        go.Bar(x=values.to_numpy(), y=[str(i) for i in values.index], orientation="h",
               marker_color=colours, text=[f"{v:+.2f}" for v in values], textposition="outside",
               cliponaxis=False)
    )
    fig.update_xaxes(range=[-1.15, 1.15], zeroline=True, zerolinecolor="#444",
                     title=f"{axis_title}: ← inside the group · across the boundary →")
    return _layout(fig, title, max(300, 80 + 30 * len(values)))


def change_chart(before: pd.Series, after: pd.Series, title: str, *, labels: tuple[str, str] = ("before", "after")) -> go.Figure:
    """Paired bars per group (before, after), patterned differently, values printed."""
    index = before.index.union(after.index)
    fig = go.Figure()
    for series, label, colour, pattern in ((before, labels[0], "#999999", "/"), (after, labels[1], "#0072B2", "")):
        values = series.reindex(index)
        fig.add_bar(
            name=label, x=[str(i) for i in index], y=values.to_numpy(), marker_color=colour,
            marker_pattern_shape=pattern,
            text=["" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2g}" for v in values],
            textposition="outside",
        )
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.2))
    return _layout(fig, title, 380)
