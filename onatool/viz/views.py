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

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import NotDefinedError, SuppressedError
from onatool.network import Network
from onatool.share.disclosure import Disclosure
from onatool.share.gate import drawn_one_by_one, release, small_combinations
from onatool.viz.layout import (
    NOT_GIVEN,
    OTHER,
    ego_subset,
    group_layout,
    level_band_labels,
    level_band_layout,
    organisation_network,
)
from onatool.viz.style import MapData, style_group_network, style_network

__all__ = [
    "EGO_IN_WORKSHOP", "HIGHLIGHTS", "LARGE_NETWORK", "LEVEL_WITHHELD_WORDS", "MapRequest", "VIEWS",
    "boundary_spanners", "build_change_map", "build_map", "filter_choices", "withheld_levels",
]

View = Literal["people", "organisations", "levels", "ego", "change"]
VIEWS: dict[str, str] = {
    "people": "Everyone",
    "organisations": "Organisations",
    "levels": "Tops, middles and bottoms",
    "ego": "One person's network",
    "change": "New or lost ties",
}
#: Why workshop mode does not draw one person's network.
EGO_IN_WORKSHOP = ("one person's network singles that person out, so workshop mode does not draw it; "
                   "turn workshop mode off in the analyst's seat, or search a group on the whole map")
#: What the levels view says of people whose level workshop mode withholds.
LEVEL_WITHHELD_WORDS = "not given or not shown"
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
    """The network among the people the filters keep (in workshop mode, never a service user or
    carer drawn one by one: :func:`onatool.share.gate.drawn_one_by_one`)."""
    people = network.people
    keep = drawn_one_by_one(people) if request.workshop else pd.Series(True, index=people.index)
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
    net, where, highlight, highlight_label, annotations, withheld = _person_view(net, positions, request)
    if request.highlight != "none" and metrics is not None:
        measure = "external" if request.highlight == "spanners" else "liaison"
        marked = boundary_spanners(metrics.reindex(net.people.index), measure=measure)
        highlight = [*highlight, *marked]
        highlight_label = HIGHLIGHTS[request.highlight]
    colourable = {*net.people.columns, *(metrics.columns if metrics is not None else ())}
    colour_by = request.colour_by if request.colour_by in colourable else None
    data = style_network(
        net, where, colour_by=colour_by, size_by=request.size_by, metrics=metrics,
        workshop=request.workshop, labels=labels, min_group_size=request.k,
        highlight=highlight or None, highlight_label=highlight_label, annotations=annotations,
        colours=dict(request.colours) or None,
    )
    return _say_withheld(data, withheld) if withheld else data


def _person_view(network: Network, positions: pd.DataFrame, request: MapRequest):
    """The people a person-level view draws and where: (network, positions, highlight,
    highlight words, annotations, how many levels workshop mode withheld)."""
    net = network
    highlight: list[str] = []
    highlight_label = "Highlighted"
    annotations = None
    where = positions
    withheld = 0
    if request.view == "ego":
        if request.ego is None:
            raise NotDefinedError("choose a person to see their network")
        if request.workshop:
            raise SuppressedError(EGO_IN_WORKSHOP)
        net = net.subset(ego_subset(net, request.ego, request.steps))
        highlight, highlight_label = [request.ego], "The person at the centre"
    if request.view == "levels":
        if request.workshop and schema.LEVEL in net.people.columns:
            hide = withheld_levels(net, request.colour_by, request.k)
            withheld = int(hide.sum())
            if withheld:
                people = net.people.copy()
                people[schema.LEVEL] = people[schema.LEVEL].astype(object).where(~hide, None)
                net = Network(people, net.ties, net.wave, net.relations)
        where = level_band_layout(net, positions)
        annotations = level_band_labels(net)
    return net, where, highlight, highlight_label, annotations, withheld


def node_people(network: Network, positions: pd.DataFrame, request: MapRequest) -> pd.Index:
    """The ``person_id`` of each node of :func:`build_map`'s person-level map, in node order.

    Workshop mode numbers nodes by position (so the page carries no roster order);
    this repeats that order, so a filter can name the nodes it hides without the page
    ever holding a person id.
    """
    if request.view == "organisations":
        raise NotDefinedError("the organisations view draws groups, not people")
    net, where, *_ = _person_view(filter_people(network, request), positions, request)
    ids = net.people.index
    if not request.workshop:
        return ids
    xy = where.loc[ids, ["x", "y"]].to_numpy(dtype=float)
    return ids[np.lexsort((xy[:, 1], xy[:, 0]))]


def withheld_levels(network: Network, colour_by: str | None, k: int) -> pd.Series:
    """Whom the workshop levels view shows without a level.

    Within each colour group (merged by the gate as on the map), a level held by fewer
    than ``k`` people (a missing level counts as a level) is withheld; while the
    withheld people of a group are fewer than ``k``, its next smallest level is withheld
    too, so the few withheld cannot be told apart by elimination. In plain words: the
    hospice's only chief executive is never the one hospice dot in the Tops band, nor
    the one hospice dot in the band of levels not shown.

    Examples
    --------
    >>> people = {p: {"organisation": "GP", "level": "middle"} for p in "abcdef"}
    >>> people["g"] = {"organisation": "Hospice", "level": "top"}
    >>> people.update({p: {"organisation": "Hospice", "level": "bottom"} for p in "hijklm"})
    >>> net = Network.from_edges([("a", "b")], people=people)
    >>> sorted(net.people.index[withheld_levels(net, "organisation", 5)])
    ['g', 'h', 'i', 'j', 'k', 'l', 'm']
    """
    people = network.people
    if schema.LEVEL not in people.columns:
        return pd.Series(False, index=people.index)
    k = max(int(k), 1)
    groups = _colour_groups(network, colour_by, k)
    level = people[schema.LEVEL].astype(object).where(people[schema.LEVEL].notna(), NOT_GIVEN)
    frame = pd.DataFrame({"group": groups, "level": level})
    hide = small_combinations(frame, k, ["group", "level"])
    # Secondary suppression: while a group's withheld people are fewer than k, its next
    # smallest level is withheld too (else the few withheld could be told apart).
    for group in set(groups[hide]):
        mine = (groups == group).to_numpy()
        sizes = frame.loc[mine, "level"].value_counts()
        withheld = set(frame.loc[mine & hide.to_numpy(), "level"])
        for name in sorted(sizes.index, key=lambda v: (sizes[v], str(v))):
            if sizes[list(withheld)].sum() >= k:
                break
            withheld.add(name)
        hide |= mine & frame["level"].isin(withheld)
    return hide


def _colour_groups(network: Network, colour_by: str | None, k: int) -> pd.Series:
    """Each person's colour group as the map shows it in workshop mode (small ones merged by the gate)."""
    people = network.people
    if colour_by and colour_by in people.columns:
        values = people[colour_by]
        groups = pd.Series(np.where(values.isna(), NOT_GIVEN, values.astype(str)), index=people.index, dtype=object)
        return release("map_groups", groups, Disclosure(k=max(int(k), 1)))
    return pd.Series("Person", index=people.index, dtype=object)


def _say_withheld(data: MapData, withheld: int) -> MapData:
    """Words for a levels map on which workshop mode withheld some levels."""
    said = LEVEL_WITHHELD_WORDS

    def reword(text: str) -> str:
        return text.replace("Level: not given", f"Level: {said}").replace("Level not given", f"Level {said}")

    nodes = [{**n, "title": reword(n.get("title", ""))} for n in data.nodes]
    legend = [{**e, "label": reword(str(e.get("label", "")))} for e in data.legend]
    annotations = [{**a, "text": reword(a["text"])} for a in data.annotations]
    notes = [*data.notes, f"Workshop mode: the level of {withheld} people is not shown, because a group "
             f"with fewer than the minimum at some level would single someone out; they are drawn in "
             f"the band 'Level {said}'."]
    return MapData(nodes, data.edges, legend, notes, annotations)


def build_change_map(
    network: Network,
    status: pd.Series,
    positions: pd.DataFrame,
    request: MapRequest,
    *,
    labels: pd.Series | None = None,
) -> MapData:
    """A change map showing only the ties that are new or lost between two waves.

    Parameters
    ----------
    network, status
        From :func:`onatool.compare.change_network`: every compared tie, and ``new`` /
        ``lost`` / ``stable`` per tie.
    positions
        The project's fixed layout.
    request
        Colours, filters and privacy settings (the view itself is ignored).

    Raises
    ------
    InputFormatError
        If ``status`` is not aligned on the ties.
    """
    changed = (status != "stable").to_numpy()
    net = Network(network.people, network.ties[changed].reset_index(drop=True), network.wave, network.relations)
    kept = status[changed].reset_index(drop=True)
    net_filtered = filter_people(net, request)
    if net_filtered is not net:
        inside = net.ties.index[net.ties[schema.SOURCE].isin(net_filtered.people.index)
                                & net.ties[schema.TARGET].isin(net_filtered.people.index)]
        kept = kept.loc[inside].reset_index(drop=True)
        net = net_filtered
    colour_by = request.colour_by if request.colour_by in net.people.columns else None
    data = style_network(net, positions, colour_by=colour_by, workshop=request.workshop, labels=labels,
                         min_group_size=request.k, edge_status=kept)
    stable = int((~changed).sum())
    return MapData(data.nodes, data.edges, data.legend,
                   [*data.notes, f"Only new and lost ties are drawn; {stable} kept tie(s) are left out."],
                   data.annotations)


def filter_choices(network: Network, attribute: str, *, workshop: bool, k: int) -> list[str]:
    """The values a person may filter ``attribute`` by: in workshop mode, only groups of at
    least ``k`` (smaller ones are offered together as "Other", as on the map)."""
    if attribute not in network.people.columns:
        raise NotDefinedError(f"the roster has no {attribute!r} column to filter by")
    values = network.people[attribute]
    shown = pd.Series(np.where(values.isna(), NOT_GIVEN, values.astype(str)), index=values.index, dtype=object)
    if workshop:
        shown = release("map_groups", shown, Disclosure(k=max(int(k), 1)))
    return sorted(shown.unique(), key=lambda v: (v in (OTHER, NOT_GIVEN), v))


def filter_keep(network: Network, *, attribute: str | None = None, values: tuple[str, ...] = (),
                colour_by: str | None = None,
                metrics: pd.DataFrame | None = None, metric: str | None = None,
                low: float | None = None, high: float | None = None,
                workshop: bool = True, k: int = 5) -> pd.Series:
    """Who a map filter keeps: an attribute's chosen values and a metric's range.

    In workshop mode the attribute's values are the gate's merged groups (so "Other"
    keeps every small group at once); a colour group in which some colour, level and value
    combination holds fewer than ``k`` people stays on the map whole, whatever the filter,
    so nobody's value can be read off it (``keep.attrs["always_shown"]`` says how many did
    not match); and a metric range is refused: the people above a threshold can be too few
    to show.

    Raises
    ------
    SuppressedError
        A metric range in workshop mode.
    """
    people = network.people
    keep = pd.Series(True, index=people.index)
    keep.attrs["always_shown"] = 0
    if attribute and values:
        raw = people[attribute]
        shown = pd.Series(np.where(raw.isna(), NOT_GIVEN, raw.astype(str)), index=raw.index, dtype=object)
        if workshop:
            shown = release("map_groups", shown, Disclosure(k=max(int(k), 1)))
            # What the map shows of a person (colour, shape) and whether a filter keeps them
            # together must not single them out: people in a combination of fewer than k
            # stay on the map whatever the filter, so their value cannot be read off it.
            cells = {"group": _colour_groups(network, colour_by, k), "value": shown}
            if schema.LEVEL in people.columns:
                cells["level"] = people[schema.LEVEL].astype(object).where(people[schema.LEVEL].notna(), NOT_GIVEN)
            small = small_combinations(pd.DataFrame(cells), max(int(k), 1), list(cells))
            # Whole colour groups, as for levels; a group whose members all share one value
            # (filtering by the colour itself) shows or hides as one, which tells nothing new.
            varied = shown.groupby(cells["group"]).transform("nunique") > 1
            steady = cells["group"].isin(set(cells["group"][small & varied]))
            keep &= shown.isin(values) | steady
            keep.attrs["always_shown"] = int((steady & ~shown.isin(values)).sum())
        else:
            keep &= shown.isin(values)
    if metric and (low is not None or high is not None):
        if workshop:
            raise SuppressedError("workshop mode does not filter people by a score: the few above a "
                                  "threshold could be picked out")
        if metrics is None or metric not in metrics.columns:
            raise NotDefinedError(f"no {metric!r} scores to filter by")
        score = metrics[metric].reindex(people.index).astype(float)
        inside = score.notna()
        if low is not None:
            inside &= score >= low
        if high is not None:
            inside &= score <= high
        keep &= inside
    return keep
