"""Collaborative knowledge network health: a short dashboard to read out in a workshop.

Each indicator comes with its value, what it means in plain language, which way is
better, and, when the previous wave's indicators are given, how it moved:

- boundary crossing: share of ties across organisation, sector and profession, with
  the share expected if ties ignored those boundaries;
- two-way relationships: reciprocity;
- reach: mean share of people reachable within two steps;
- dependence on a few: share of cross-organisation ties held by the top 5% of people,
  and the fall in reach when the 3 highest-betweenness people are taken out;
- vertical connection: ``bottom_reach_to_top`` and ``upward_reciprocity`` (when people
  have a level);
- inclusion: isolates and peripheral people (core 1), overall and by group.

Reach follows ties in either direction (a non-respondent's own ties are unknown).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.engine import Layer
from onatool.errors import NotDefinedError
from onatool.metrics import levels as _levels
from onatool.metrics.centrality import core as _core
from onatool.metrics.cohesion import reciprocity
from onatool.metrics.cohesion import response as _response
from onatool.network import Network

__all__ = [
    "DIRECTIONS",
    "NO_CLEAR_CHANGE",
    "assess",
    "boundary_crossing",
    "expected_boundary_crossing",
    "health",
    "inclusion",
    "isolates_share",
    "peripheral_share",
    "reassess",
    "reach_drop_without_top3",
    "top5_cross_organisation_share",
    "two_step_reach",
]

Net = Network | Layer
NAN = float("nan")
#: Attributes whose boundary crossing the dashboard reports.
CROSSING_ATTRIBUTES = (schema.ORGANISATION, schema.SECTOR, schema.PROFESSION)
#: Values closer than this count as unchanged between waves (3 decimal places).
SAME = 0.0005

#: indicator -> which way is better: "higher", "lower" or None. Their meanings are in the
#: metric registry (``health.<indicator>``), the one home of the words.
DIRECTIONS: dict[str, str | None] = {
    "boundary_crossing": "higher",
    "reciprocity": "higher",
    "two_step_reach": "higher",
    "top5_cross_organisation_share": "lower",
    "reach_drop_without_top3": "lower",
    "bottom_reach_to_top": "higher",
    "upward_reciprocity": "higher",
    "isolates_share": "lower",
    "peripheral_share": "lower",
    "inclusion": None,
}


def _ties(lay: Layer) -> tuple[np.ndarray, np.ndarray]:
    return (lay.src, lay.dst) if lay.directed else lay.edges


def boundary_crossing(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Share of ties that cross between groups of ``attribute``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``boundary_crossing_X`` in [0, 1], over ties whose two ends have a known
        group; NaN without such ties. ``(1 + ei_X)/2`` of the network.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> boundary_crossing(Network.from_edges([("a", "b"), ("a", "c")], people=people), "sector")
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, _ = engine.group_codes(lay, attribute)
    src, dst = _ties(lay)
    gs, gd = codes[src], codes[dst]
    known = (gs >= 0) & (gd >= 0)
    return float((gs[known] != gd[known]).mean()) if known.any() else NAN


def expected_boundary_crossing(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Share of ties that would cross between groups if ties ignored ``attribute``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        The share of ordered pairs of people (known group) in different groups,
        ``P_E/(P_E + P_I)``, in [0, 1]; NaN with fewer than two such people.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> round(expected_boundary_crossing(Network.from_edges([("a", "b")], people=people),
    ...                                  "sector"), 4)
    0.6667
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, groups = engine.group_codes(lay, attribute)
    sizes = np.bincount(codes[codes >= 0], minlength=len(groups)).astype(float)
    n = sizes.sum()
    if n < 2:
        return NAN
    return float(1 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))


def _reach(graph, n: int) -> float:
    if n < 2:
        return NAN
    sizes = np.asarray(graph.neighborhood_size(order=2), dtype=float) - 1
    return float(sizes.mean() / (n - 1))


def two_step_reach(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Mean share of the other people reachable within two steps.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``two_step_reach`` in [0, 1] (ties followed either way); NaN with fewer than
        two people.

    Examples
    --------
    >>> round(two_step_reach(Network.from_edges([("a", "b"), ("b", "c"), ("c", "d")])), 4)
    0.8333
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if "two_step_reach" not in lay.memo:  # read by health, the intervals and reach_drop_without_top3
        lay.memo["two_step_reach"] = _reach(lay.undirected, lay.n)
    return lay.memo["two_step_reach"]


def top5_cross_organisation_share(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Share of cross-organisation ties held by the 5% of people holding most of them.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``top5_cross_organisation_share`` in [0, 1]: of the ties between people of
        different (known) organisations, the share with at least one end among the
        ``ceil(5% of people)`` people at the most such ties. NaN without such ties.

    Examples
    --------
    >>> people = {p: {"organisation": o} for p, o in zip("abcd", "XYZW")}
    >>> top5_cross_organisation_share(Network.from_edges([("a", "b"), ("a", "c"), ("d", "b")],
    ...                                                  people=people))
    0.6666666666666666
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if schema.ORGANISATION not in lay.people.columns:
        return NAN
    codes, _ = engine.group_codes(lay, schema.ORGANISATION)
    src, dst = _ties(lay)
    cross = (codes[src] >= 0) & (codes[dst] >= 0) & (codes[src] != codes[dst])
    src, dst = src[cross], dst[cross]
    if not len(src):
        return NAN
    held = np.bincount(src, minlength=lay.n) + np.bincount(dst, minlength=lay.n)
    top = np.zeros(lay.n, dtype=bool)
    top[np.argsort(-held, kind="stable")[: math.ceil(0.05 * lay.n)]] = True
    return float((top[src] | top[dst]).mean())


def reach_drop_without_top3(
    net: Net, *, relation=None, min_weight=None, symmetric=None, samples=None, seed=0
) -> float:
    """Relative fall in two-step reach when the 3 highest-betweenness people are taken out.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    samples, seed
        For betweenness, as in :func:`onatool.metrics.centrality.betweenness`.

    Returns
    -------
    float
        ``reach_drop_without_top3`` at most 1: ``(before − after)/before``, reach being
        :func:`two_step_reach` among the people left. 0 means no one depends on those
        three; NaN with 4 people or fewer, or no reach to begin with. Only people who
        do lie between others are taken out (fewer than 3 if fewer do; none: 0).

    Examples
    --------
    >>> star = Network.from_edges([("a", x) for x in "bcdefg"], symmetric=True)
    >>> reach_drop_without_top3(star)
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if lay.n <= 4:
        return NAN
    before = two_step_reach(lay)
    if not before:
        return NAN
    raw = engine.betweenness(lay, samples, seed).values
    out = tuple(k for k in np.argsort(-raw, kind="stable")[:3].tolist() if raw[k] > 0)
    if not out:
        return 0.0
    key = ("two_step_reach without", out)
    if key not in lay.memo:
        rest = lay.undirected.copy()
        rest.delete_vertices(list(out))
        lay.memo[key] = _reach(rest, lay.n - len(out))
    return float((before - lay.memo[key]) / before)


def isolates_share(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of people with no tie either way.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``isolates_share`` in [0, 1]; NaN with no people.

    Examples
    --------
    >>> isolates_share(Network.from_edges([("a", "b")], people={"c": {}, "d": {}}))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return float((lay.degree == 0).mean()) if lay.n else NAN


def peripheral_share(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of people in the 1-core but not the 2-core: connected only at the edge.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``peripheral_share`` in [0, 1]; NaN with no people.

    Examples
    --------
    >>> peripheral_share(Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    0.25
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return float((_core(lay).to_numpy() == 1).mean()) if lay.n else NAN


def inclusion(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> pd.DataFrame:
    """Isolates and peripheral people (core 1) by group of ``attribute``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.DataFrame
        Indexed by group: ``people``, ``isolates``, ``peripheral`` (counts). People whose
        group is unknown are left out.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> inclusion(Network.from_edges([("a", "b")], people=people), "sector")["isolates"].tolist()
    [0, 1]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, groups = engine.group_codes(lay, attribute)
    known = codes >= 0
    core = _core(lay).to_numpy()
    k = len(groups)
    return pd.DataFrame(
        {
            "people": np.bincount(codes[known], minlength=k),
            "isolates": np.bincount(codes[known & (lay.degree == 0)], minlength=k),
            "peripheral": np.bincount(codes[known & (core == 1)], minlength=k),
        },
        index=groups,
    )


def _entry(value, name: str, attribute: str | None = None, **extra) -> dict:
    from onatool.metrics.registry import describe

    return {
        "value": value,
        "meaning": describe(f"health.{name}", attribute),
        "better": DIRECTIONS[name],
        **extra,
    }


#: What a change is called when its interval includes zero (or none was computed).
NO_CLEAR_CHANGE = "no clear change"


def assess(better: str | None, interval: Mapping | None) -> str | None:
    """"better", "worse" or "no clear change" for a change and its 95% interval.

    Parameters
    ----------
    better
        Which way is better: ``"higher"``, ``"lower"`` or None (no direction: None).
    interval
        The change's interval, ``{"low", "high"}`` (the balanced panel's resampled
        change, :func:`onatool.inference.resampling.panel_change`), or None.

    Returns
    -------
    str or None
        "better" or "worse" only when the interval excludes zero; otherwise "no clear
        change" (also without an interval: a difference alone is not evidence).

    Examples
    --------
    >>> assess("higher", {"low": 0.01, "high": 0.05}), assess("lower", {"low": 0.01, "high": 0.05})
    ('better', 'worse')
    >>> assess("higher", {"low": -0.01, "high": 0.05}), assess("higher", None)
    ('no clear change', 'no clear change')
    """
    if better is None:
        return None
    low = interval.get("low") if isinstance(interval, Mapping) else None
    high = interval.get("high") if isinstance(interval, Mapping) else None
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (low, high)):
        return NO_CLEAR_CHANGE
    if low > 0 or high < 0:
        return "better" if (low > 0) == (better == "higher") else "worse"
    return NO_CLEAR_CHANGE


def _compare(entry: dict, previous: object, interval: Mapping | None = None) -> None:
    """Add ``previous``, ``change`` (up/down/same) and ``assessment`` to a scalar indicator."""
    old = previous.get("value") if isinstance(previous, Mapping) else None
    now = entry["value"]
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (old, now)):
        entry.update(previous=old if isinstance(old, int | float) else None,
                     change=None, assessment=None)
        return
    delta = now - old
    change = "same" if abs(delta) < SAME else ("up" if delta > 0 else "down")
    entry.update(previous=old, change=change, assessment=assess(entry["better"], interval))
    if interval is not None:
        entry["change_interval"] = dict(interval)


def reassess(dashboard: Mapping, previous: Mapping | None, change: Mapping[str, Mapping] | None) -> dict:
    """A health dashboard compared again with the previous wave, given intervals of the change.

    Parameters
    ----------
    dashboard
        This wave's health dict (``Analysis.health``).
    previous
        The previous wave's.
    change
        ``{indicator: {"low", "high", ...}}`` as :func:`health` takes it.

    Returns
    -------
    dict
        A new dict: every scalar indicator with ``previous``, ``change``, ``assessment``
        (and ``change_interval``) set as :func:`health` sets them; group tables as they were.
    """
    out: dict[str, dict] = {}
    for name, entry in dashboard.items():
        if name.startswith("inclusion_") or not isinstance(entry, Mapping) or previous is None:
            out[name] = entry
            continue
        fresh = {k: v for k, v in entry.items() if k not in ("change_interval",)}
        _compare(fresh, previous.get(name), (change or {}).get(name))
        out[name] = fresh
    return out


def health(
    net: Net,
    *,
    relation=None,
    min_weight=None,
    symmetric=None,
    attributes: Sequence[str] | None = None,
    previous: Mapping | None = None,
    change: Mapping[str, Mapping] | None = None,
    samples: int | None = None,
    seed: int = 0,
    low: float | None = None,
) -> dict:
    """The collaborative knowledge network health dashboard.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    attributes
        Attributes for inclusion by group (default: the boundary attributes present).
        Boundary crossing is reported for organisation, sector and profession when present.
    previous
        The previous wave's health dict (``Analysis.health``): adds ``previous``,
        ``change`` and ``assessment`` to every scalar indicator.
    change
        ``{indicator: {"low", "high", ...}}``: the 95% interval of each indicator's change
        on the balanced panel (:func:`onatool.inference.resampling.panel_change`), kept
        as ``change_interval``. Only a change whose interval excludes zero is called
        "better" or "worse"; otherwise, or without it, "no clear change".
    samples, seed
        For betweenness, as in :func:`onatool.metrics.centrality.betweenness`.
    low
        Response rate under which an indicator is flagged (default
        :data:`onatool.engine.LOW_RESPONSE`).

    Returns
    -------
    dict
        ``{indicator: {"value", "meaning", "better", ...}}``. Boundary crossing entries
        (``boundary_crossing_X``) add ``expected``; inclusion entries
        (``inclusion_X``) hold ``{group: {people, isolates, peripheral}}`` as value. Every
        scalar indicator carries ``response``: the people it is about, how many answered,
        the rate and ``low_response`` (see :func:`onatool.metrics.cohesion.response`;
        for the level indicators, the levels they rest on). With ``previous``:
        ``previous`` (its value), ``change`` (``up``, ``down``, ``same`` when within
        0.0005: the direction only) and ``assessment`` (see :func:`assess`: ``better``
        or ``worse`` only when the change's interval excludes zero, else ``no clear
        change``; None when not comparable or without a better direction).

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")])
    >>> now = health(net)
    >>> now["reciprocity"]["value"]
    0.6666666666666666
    >>> later = health(Network.from_edges([("a", "b"), ("b", "a")], people={"c": {}}),
    ...                previous=now)
    >>> later["reciprocity"]["change"], later["reciprocity"]["assessment"]
    ('up', 'no clear change')
    >>> later = health(Network.from_edges([("a", "b"), ("b", "a")], people={"c": {}}),
    ...                previous=now, change={"reciprocity": {"low": 0.1, "high": 0.5}})
    >>> later["reciprocity"]["assessment"]
    'better'
    >>> now["reciprocity"]["response"]["response_rate"]
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    present = [a for a in (*schema.BOUNDARY_ATTRIBUTES, schema.PLACE) if a in lay.people.columns]
    attributes = present if attributes is None else list(attributes)
    out: dict[str, dict] = {}
    for attribute in CROSSING_ATTRIBUTES:
        if attribute in lay.people.columns:
            out[f"boundary_crossing_{attribute}"] = _entry(
                boundary_crossing(lay, attribute), "boundary_crossing", attribute,
                expected=expected_boundary_crossing(lay, attribute),
            )
    out["reciprocity"] = _entry(reciprocity(lay), "reciprocity")
    out["two_step_reach"] = _entry(two_step_reach(lay), "two_step_reach")
    out["top5_cross_organisation_share"] = _entry(
        top5_cross_organisation_share(lay), "top5_cross_organisation_share"
    )
    out["reach_drop_without_top3"] = _entry(
        reach_drop_without_top3(lay, samples=samples, seed=seed), "reach_drop_without_top3"
    )
    for name in ("bottom_reach_to_top", "upward_reciprocity"):
        try:
            value = getattr(_levels, name)(lay)
        except NotDefinedError:
            value = NAN
        out[name] = _entry(value, name)
    out["isolates_share"] = _entry(isolates_share(lay), "isolates_share")
    out["peripheral_share"] = _entry(peripheral_share(lay), "peripheral_share")
    from onatool.metrics.registry import better  # which way is better depends on the relation

    for name in ("reciprocity", "upward_reciprocity"):
        out[name]["better"] = better(f"health.{name}", lay.relations)
    everyone = _response(lay, low=low)
    for name, entry in out.items():
        try:
            entry["response"] = (_levels.response(lay, name, low=low) if name in _levels.RESPONSE_BASE
                                 else dict(everyone))
        except NotDefinedError:
            entry["response"] = dict(everyone)
    if previous is not None:
        for name, entry in out.items():
            _compare(entry, previous.get(name), (change or {}).get(name))
    for attribute in attributes:
        table = inclusion(lay, attribute)
        out[f"inclusion_{attribute}"] = _entry(
            {str(g): {k: int(v) for k, v in row.items()} for g, row in table.iterrows()},
            "inclusion", attribute,
        )
    return out
