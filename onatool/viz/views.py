"""The map views a person chooses: whole network, organisations, levels, one person's network.

One request (a frozen dataclass of plain values, so the app can cache on it) and
one function that turns a wave, a fixed layout and optional metrics into
:class:`~onatool.viz.style.MapData`. Filters subset the network; the layout never
moves, so changing a filter or a wave does not reshuffle the picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from onatool import schema
from onatool.errors import NotDefinedError
from onatool.network import Network
from onatool.viz.layout import (
    ego_subset,
    group_layout,
    level_band_labels,
    level_band_layout,
    organisation_network,
)
from onatool.viz.style import MapData, style_group_network, style_network

__all__ = ["HIGHLIGHTS", "LARGE_NETWORK", "MapRequest", "VIEWS", "boundary_spanners", "build_map"]

View = Literal["people", "organisations", "levels", "ego"]
VIEWS: dict[str, str] = {
    "people": "Everyone",
    "organisations": "Organisations",
    "levels": "Tops, middles and bottoms",
    "ego": "One person's network",
}
#: Above this many people, a person-level map is too dense to read: start with organisations.
LARGE_NETWORK = 3000


@dataclass(frozen=True)
class MapRequest:
    """What to draw. Every field is a plain value, so a request can key a cache."""

    view: View = "people"
    colour_by: str | None = schema.ORGANISATION
    size_by: str | None = None
    organisations: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    cohort_only: bool = False
    ego: str | None = None
    steps: int = 1
    highlight: Literal["none", "spanners", "brokers"] = "none"
    workshop: bool = True
    k: int = 5
    group_by: str = schema.ORGANISATION
    #: The project's colour per group of ``colour_by`` (``Project.palette``), as pairs.
    colours: tuple[tuple[str, str], ...] = ()


#: What a thick border can mark, and how the legend says it.
HIGHLIGHTS = {
    "none": "Nobody",
    "spanners": "Boundary spanners (top 5% by contacts in other organisations)",
    "brokers": "Brokers (top 5% by links made between two other organisations)",
}


def boundary_spanners(metrics: pd.DataFrame, attribute: str = schema.ORGANISATION, share: float = 0.05,
                      *, measure: str = "external") -> pd.Index:
    """The top ``share`` of people by a per-attribute measure (at least one, never a zero score).

    ``measure="external"`` ranks distinct contacts across ``attribute`` (boundary
    spanners); ``measure="liaison"`` ranks Gould-Fernandez liaison brokerage, the
    two-paths a person makes between two groups neither of which is their own.

    Examples
    --------
    >>> m = pd.DataFrame({"external_organisation": [0, 5, 2, 9]}, index=list("abcd"))
    >>> list(boundary_spanners(m, share=0.5))
    ['d', 'b']
    """
    column = f"{measure}_{attribute}"
    if column not in metrics.columns:
        return pd.Index([])
    counts = metrics[column].dropna()
    counts = counts[counts > 0].sort_values(ascending=False, kind="stable")
    return counts.index[: max(1, math.ceil(share * len(metrics)))]


def filter_people(network: Network, request: MapRequest) -> Network:
    """The network among the people the filters keep."""
    people = network.people
    keep = pd.Series(True, index=people.index)
    if request.organisations and schema.ORGANISATION in people.columns:
        keep &= people[schema.ORGANISATION].isin(request.organisations)
    if request.levels and schema.LEVEL in people.columns:
        keep &= people[schema.LEVEL].isin(request.levels)
    if request.cohort_only and schema.COHORT in people.columns:
        keep &= people[schema.COHORT].notna()
    return network if keep.all() else network.subset(keep)


def build_map(
    network: Network,
    positions: pd.DataFrame,
    request: MapRequest,
    *,
    metrics: pd.DataFrame | None = None,
    labels: pd.Series | None = None,
) -> MapData:
    """Map data for one request.

    Parameters
    ----------
    network
        One layer of one wave (relation and threshold already chosen).
    positions
        The project's fixed layout, covering everyone in every wave.
    request
        The view, colours, sizes, filters and privacy settings.
    metrics
        Person metrics (for sizing and for highlighting boundary spanners).
    labels
        Display text per person, used only outside workshop mode.

    Raises
    ------
    NotDefinedError
        An ego view without a person, a level view without levels, or an attribute
        that is not in the roster.
    """
    net = filter_people(network, request)
    if request.view == "organisations":
        if request.group_by not in net.people.columns:
            raise NotDefinedError(f"the roster has no {request.group_by!r} column to group people by")
        tables = organisation_network(net, request.group_by, min_group_size=request.k if request.workshop else None)
        return style_group_network(tables, group_layout(tables, seed=0), workshop=request.workshop,
                                   min_group_size=request.k, colours=dict(request.colours) or None)
    highlight: list[str] = []
    highlight_label = "Highlighted"
    annotations = None
    where = positions
    if request.view == "ego":
        if request.ego is None:
            raise NotDefinedError("choose a person to see their network")
        net = net.subset(ego_subset(net, request.ego, request.steps))
        highlight, highlight_label = [request.ego], "The person at the centre"
    if request.view == "levels":
        where = level_band_layout(net, positions)
        annotations = level_band_labels(net)
    if request.highlight != "none" and metrics is not None:
        measure = "external" if request.highlight == "spanners" else "liaison"
        marked = boundary_spanners(metrics.reindex(net.people.index), measure=measure)
        highlight = [*highlight, *marked]
        highlight_label = HIGHLIGHTS[request.highlight]
    colourable = {*net.people.columns, *(metrics.columns if metrics is not None else ())}
    colour_by = request.colour_by if request.colour_by in colourable else None
    return style_network(
        net, where, colour_by=colour_by, size_by=request.size_by, metrics=metrics,
        workshop=request.workshop, labels=labels, min_group_size=request.k,
        highlight=highlight or None, highlight_label=highlight_label, annotations=annotations,
        colours=dict(request.colours) or None,
    )
