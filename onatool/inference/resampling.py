"""95% intervals by resampling respondents, and change between waves on the balanced panel.

Method (stated in every output): a bootstrap over respondents as units. Every measure
given an interval is a ratio over the people the data can speak to (metrics.md, "When
some people did not answer"): ties a respondent sent, pairs on a respondent's row,
bottoms who answered, two-paths a respondent starts. Each person carries their share of
its numerator and denominator (a directed tie belongs to its sender, an undirected one
half to each end; a per-person share to that person). A resample draws as many
respondents as answered, with replacement, and weights each by the times drawn
(non-respondents keep weight 1: their ties are the others' answers); the measure is
then ``Σ w·numerator / Σ w·denominator``. The interval is the 2.5th to 97.5th
percentile over resamples (resamples where the measure is not defined are left out;
``resamples`` in the output counts those used). Paths between people are those of the
network as answered, so a resample never loses a go-between (as a vertex bootstrap
would, biasing reach downwards); the interval is about who answered, not about
sampling the network's structure. All resamples are one matrix product.

Measures that are not a ratio over people (centralization, the largest component's
share, the fall in reach without the three highest-betweenness people) get no
interval: ``low`` and ``high`` are NaN.

Change between two waves is computed on the *balanced panel*: the people who answered in
both waves (joiners, leavers and one-wave respondents are left out), on the network
among them, so a fall in response cannot read as a change in the network. Each resample
draws panel members once and weights both waves by the same draw; the interval of the
change is the percentile interval of the paired differences. A change is called only
when that interval excludes zero (:func:`onatool.metrics.health.assess`).

The number of resamples and the seed default to :data:`onatool.engine.RESAMPLES` and
:data:`onatool.engine.RESAMPLE_SEED`, their one home.

References
----------
Snijders, T. A. B. and Borgatti, S. P. (1999). Non-parametric standard errors and tests
for network statistics. Connections 22(2), 161-170.
Rao, J. N. K. and Wu, C. F. J. (1988). Resampling inference with complex survey data.
JASA 83(401), 231-241.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.engine import Layer
from onatool.errors import NotDefinedError
from onatool.metrics import boundary, brokerage, cohesion, health, levels
from onatool.metrics.centrality import core as _core
from onatool.network import Network

__all__ = [
    "HEADLINE",
    "METHOD",
    "attach_intervals",
    "balanced_panel",
    "change_intervals",
    "contributions",
    "intervals",
    "measures",
    "panel_change",
    "weights",
]

#: How the intervals are made, in words, for every output that shows one.
METHOD = "95% percentile interval from a bootstrap over respondents (each respondent a unit)"
#: Whole-network measures reported with an interval where they have one (``network.json`` keys).
HEADLINE: dict[str, Callable[[Layer], float]] = {
    "density": cohesion.density,
    "reciprocity": cohesion.reciprocity,
    "transitivity": cohesion.transitivity,
    "transitivity_undirected": cohesion.transitivity_undirected,
    "centralization_in_degree": cohesion.centralization_in_degree,
    "largest_component_share": cohesion.largest_component_share,
}
#: Scalar health indicators (``health.json`` keys), besides boundary crossing.
HEALTH: dict[str, Callable[[Layer], float]] = {
    "reciprocity": cohesion.reciprocity,
    "two_step_reach": health.two_step_reach,
    "top5_cross_organisation_share": health.top5_cross_organisation_share,
    "reach_drop_without_top3": health.reach_drop_without_top3,
    "bottom_reach_to_top": levels.bottom_reach_to_top,
    "upward_reciprocity": levels.upward_reciprocity,
    "isolates_share": health.isolates_share,
    "peripheral_share": health.peripheral_share,
}
_LEVELS = tuple(m for m in levels.MEASURES if m != "block_density")
Parts = tuple[np.ndarray, np.ndarray, Callable[[np.ndarray], np.ndarray] | None]


def _attributes(lay: Layer, attributes: Sequence[str] | None) -> list[str]:
    wanted = health.CROSSING_ATTRIBUTES if attributes is None else attributes
    return [a for a in wanted if a in lay.people.columns]


def measures(lay: Layer, attributes: Sequence[str] | None = None) -> dict[str, float]:
    """Every headline, health and level measure of a Layer, by the name ``network_change`` uses.

    Parameters
    ----------
    lay
        A prepared Layer.
    attributes
        Boundary attributes for the E-I index and boundary crossing (default:
        organisation, sector, profession, where present).

    Returns
    -------
    dict
        ``{name: value}``: network measures by their ``network.json`` key (``density``,
        ``ei_organisation`` ...), health indicators as ``health.<key>``, level measures as
        ``levels.<key>`` (left out when people have no level). NaN where not defined.

    Examples
    --------
    >>> m = measures(engine.layer(Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")])))
    >>> m["reciprocity"], m["health.reciprocity"]
    (0.6666666666666666, 0.6666666666666666)
    """
    out: dict[str, float] = {}
    with engine.quiet():
        for name, function in HEADLINE.items():
            out[name] = float(function(lay))
        attrs = _attributes(lay, attributes)
        for attribute in attrs:
            out[f"ei_{attribute}"] = float(
                boundary.ei_network(lay, attribute, permutations=0)[f"ei_{attribute}"]
            )
            if attribute in health.CROSSING_ATTRIBUTES:
                out[f"health.boundary_crossing_{attribute}"] = float(health.boundary_crossing(lay, attribute))
        for name, function in HEALTH.items():
            try:
                out[f"health.{name}"] = float(function(lay))
            except NotDefinedError:
                out[f"health.{name}"] = float("nan")
        try:
            for name in _LEVELS:
                out[f"levels.{name}"] = float(getattr(levels, name)(lay))
        except NotDefinedError:
            pass
    return out


def _ratio(num: np.ndarray, den: np.ndarray, transform=None) -> Parts:
    return np.asarray(num, dtype=float), np.asarray(den, dtype=float), transform


def _ei(share: np.ndarray) -> np.ndarray:
    return 2 * share - 1  # (E − I)/(E + I) from the share of ties that cross


def _arcs(lay: Layer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every arc with the weight its sender carries: 1, or ½ to each end of an undirected edge."""
    weight = np.full(len(lay.src), 1.0 if lay.directed else 0.5)
    return lay.src, lay.dst, weight


def _by(lay: Layer, owner: np.ndarray, values) -> np.ndarray:
    return np.bincount(owner, weights=np.broadcast_to(np.asarray(values, dtype=float), owner.shape),
                       minlength=lay.n)


def _triangle_parts(lay: Layer) -> Parts:
    """Per person, ordered pairs of their contacts who are contacts of each other (twice
    their triangles) over all ordered pairs of their contacts: undirected transitivity's
    numerator and denominator, by the person at the centre."""
    degree = lay.degree.astype(float)
    pairs = degree * (degree - 1)
    if lay.n < 3:
        return _ratio(np.zeros(lay.n), pairs)
    local = np.asarray(lay.undirected.transitivity_local_undirected(mode="zero"), dtype=float)
    return _ratio(np.rint(local * pairs), pairs)  # triangles are whole: undo the division's rounding


def _density_among_parts(lay: Layer, level: int, *, cross_org: bool) -> Parts | None:
    """Numerator and denominator per person of ``levels._density_among``."""
    codes = levels._codes(lay)
    members = codes == level
    if cross_org:
        if schema.ORGANISATION not in lay.people.columns:
            return None
        org, _ = engine.group_codes(lay, schema.ORGANISATION)
        members &= org >= 0
    else:
        org = np.zeros(lay.n, dtype=np.int64)
    answered = lay.responded
    g = np.where(members, org, 0)
    k = np.bincount(org[members], minlength=g.max() + 1).astype(float)
    r = np.bincount(org[members & answered], minlength=len(k)).astype(float)
    total, responding = k.sum(), r.sum()
    others = total - k[g] if cross_org else np.full(lay.n, total - 1)
    responding_others = responding - r[g] if cross_org else np.full(lay.n, responding)
    src, dst, weight = _arcs(lay)
    inside = members[src] & members[dst] & ((org[src] != org[dst]) if cross_org else True)
    if lay.directed:
        num = _by(lay, src, inside & answered[src])
        den = np.where(members & answered, others, 0.0)
    else:
        num = _by(lay, src, weight * (inside & (answered[src] | answered[dst])))
        den = np.where(members, 0.5 * np.where(answered, others, responding_others), 0.0)
    return _ratio(num, den)


def contributions(lay: Layer, attributes: Sequence[str] | None = None) -> dict[str, Parts]:
    """Each measure's numerator and denominator, person by person (see the module notes).

    Parameters
    ----------
    lay
        A prepared Layer.
    attributes
        As for :func:`measures`.

    Returns
    -------
    dict
        ``{name: (numerator, denominator, transform)}`` (arrays over people; ``transform``
        maps the ratio to the measure, or None) for every measure of :func:`measures` that
        is a ratio over people. With every weight 1 the ratio is the measure as answered.

    Examples
    --------
    >>> lay = engine.layer(Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")]))
    >>> num, den, _ = contributions(lay)["reciprocity"]
    >>> num.tolist(), den.tolist()
    ([1.0, 1.0, 0.0], [1.0, 2.0, 0.0])
    """
    n, answered = lay.n, lay.responded
    src, dst, weight = _arcs(lay)
    out: dict[str, Parts] = {}
    with engine.quiet():
        if lay.directed:
            out["density"] = _ratio(_by(lay, src, answered[src]), answered * (n - 1.0))
            both = answered[src] & answered[dst]
            out["reciprocity"] = _ratio(_by(lay, src[both], lay.has_arc(dst[both], src[both])),
                                        _by(lay, src[both], 1.0))
            out["health.reciprocity"] = out["reciprocity"]
        else:
            covered = answered[src] | answered[dst]
            out["density"] = _ratio(_by(lay, src, weight * covered),
                                    0.5 * np.where(answered, n - 1.0, answered.sum()))
        # Two-paths a -> i -> b by the person a who starts them, closed by a -> b (the
        # analysis's one pass over them); contacts' triangles by the person at their centre.
        census = brokerage.two_path_census(lay)
        out["transitivity"] = _ratio(census["closed_from"].astype(float), census["two_paths_from"].astype(float))
        out["transitivity_undirected"] = _triangle_parts(lay)
        for attribute in _attributes(lay, attributes):
            codes, _ = engine.group_codes(lay, attribute)
            known = (codes[src] >= 0) & (codes[dst] >= 0)
            cross = known & (codes[src] != codes[dst])
            num, den = _by(lay, src, weight * cross), _by(lay, src, weight * known)
            out[f"ei_{attribute}"] = _ratio(num, den, _ei)
            if attribute in health.CROSSING_ATTRIBUTES:
                out[f"health.boundary_crossing_{attribute}"] = _ratio(num, den)
        if n >= 2:
            reach = np.asarray(lay.undirected.neighborhood_size(order=2), dtype=float) - 1
            out["health.two_step_reach"] = _ratio(reach, np.full(n, n - 1.0))
        if schema.ORGANISATION in lay.people.columns:
            org, _ = engine.group_codes(lay, schema.ORGANISATION)
            lo, hi = (lay.src, lay.dst) if lay.directed else lay.edges
            crossing = (org[lo] >= 0) & (org[hi] >= 0) & (org[lo] != org[hi])
            held = np.bincount(lo[crossing], minlength=n) + np.bincount(hi[crossing], minlength=n)
            top = np.zeros(n, dtype=bool)
            top[np.argsort(-held, kind="stable")[: int(np.ceil(0.05 * n))]] = True
            cross = (org[src] >= 0) & (org[dst] >= 0) & (org[src] != org[dst])
            out["health.top5_cross_organisation_share"] = _ratio(
                _by(lay, src, weight * cross * (top[src] | top[dst])), _by(lay, src, weight * cross))
        if n:
            ones = np.ones(n)
            out["health.isolates_share"] = _ratio(lay.degree == 0, ones)
            out["health.peripheral_share"] = _ratio(_core(lay).to_numpy() == 1, ones)
        try:
            codes = levels._codes(lay)
        except NotDefinedError:
            return out
        is_top = codes == levels.TOP
        next_to_top = np.bincount(lay.src, weights=is_top[lay.dst], minlength=n) > 0
        two_steps = np.bincount(lay.src, weights=next_to_top[lay.dst], minlength=n) > 0
        bottoms = (codes == levels.BOTTOM) & answered
        out["levels.bottom_reach_to_top"] = _ratio((next_to_top | two_steps) & ~is_top & bottoms, bottoms)
        if lay.directed:
            ls, ld = codes[src], codes[dst]
            up = (ls >= 0) & (ld >= 0) & (ls > ld) & answered[dst]
            out["levels.upward_reciprocity"] = _ratio(
                _by(lay, src[up], lay.has_arc(dst[up], src[up])), _by(lay, src[up], 1.0))
        ls, ld = codes[src], codes[dst]
        known = (ls >= 0) & (ld >= 0)
        gap = np.abs(ls - ld)
        for name, size in (("lateral_share", 0), ("vertical_share", 1), ("skip_level_share", 2)):
            out[f"levels.{name}"] = _ratio(_by(lay, src, weight * known * (gap == size)),
                                           _by(lay, src, weight * known))
        for name, level, cross_org in (("middle_integration", levels.MIDDLE, False),
                                       ("middle_integration_cross_org", levels.MIDDLE, True),
                                       ("top_peer_density_cross_org", levels.TOP, True)):
            parts = _density_among_parts(lay, level, cross_org=cross_org)
            if parts is not None:
                out[f"levels.{name}"] = parts
        census = brokerage.two_path_census(lay, [schema.LEVEL])["roles"][schema.LEVEL]
        liaison = census[:, brokerage.ROLES.index("liaison")].astype(float)
        out["levels.middle_liaison_share"] = _ratio(liaison * (codes == levels.MIDDLE), liaison)
        for name in ("bottom_reach_to_top", "upward_reciprocity"):
            if f"levels.{name}" in out:
                out[f"health.{name}"] = out[f"levels.{name}"]
    return out


def weights(responded: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap weights (resamples × people): times each respondent is drawn; 1 for the others.

    Examples
    --------
    >>> w = weights(np.array([True, True, False]), 4, np.random.default_rng(0))
    >>> w.shape, w[:, :2].sum(axis=1).tolist(), w[:, 2].tolist()
    ((4, 3), [2.0, 2.0, 2.0, 2.0], [1.0, 1.0, 1.0, 1.0])
    """
    responded = np.asarray(responded, dtype=bool)
    out = np.ones((resamples, len(responded)))
    r = int(responded.sum())
    if r:
        out[:, responded] = rng.multinomial(r, np.full(r, 1.0 / r), size=resamples)
    return out


def _resampled(parts: Parts, w: np.ndarray) -> np.ndarray:
    """The measure under each row of weights ``w``: Σ w·num / Σ w·den (NaN where Σ w·den is 0)."""
    num, den, transform = parts
    top, bottom = w @ num, w @ den
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)
    return transform(ratio) if transform is not None else ratio

def _percentiles(values: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Low and high percentiles per column, ignoring NaN, and the count of defined values."""
    tail = (1 - level) / 2 * 100
    used = np.isfinite(values).sum(axis=0)
    low = np.full(values.shape[1], np.nan)
    high = np.full(values.shape[1], np.nan)
    defined = used > 0
    if defined.any():
        low[defined], high[defined] = np.nanpercentile(values[:, defined], [tail, 100 - tail], axis=0)
    return low, high, used


def intervals(
    net: Network | Layer,
    *,
    relation=None,
    min_weight=None,
    symmetric=None,
    attributes: Sequence[str] | None = None,
    resamples: int = engine.RESAMPLES,
    seed: int = engine.RESAMPLE_SEED,
    level: float = 0.95,
) -> pd.DataFrame:
    """95% intervals of every headline, health and level measure, resampling respondents.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    attributes
        As for :func:`measures`.
    resamples, seed
        Bootstrap resamples and their seed (defaults: :data:`onatool.engine.RESAMPLES`,
        :data:`onatool.engine.RESAMPLE_SEED`).
    level
        Coverage of the interval.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure`` (names as :func:`measures`): ``value`` (as answered),
        ``low``, ``high`` (NaN for a measure that is not a ratio over people) and
        ``resamples`` (how many resamples defined it); the seed and the method are in
        ``attrs``.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "a")])
    >>> table = intervals(net, resamples=50, seed=1)
    >>> bool(table.loc["density", "low"] <= table.loc["density", "value"] <= table.loc["density", "high"])
    True
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    observed = measures(lay, attributes)
    names = list(observed)
    parts = contributions(lay, attributes)
    w = weights(lay.responded, resamples, np.random.default_rng(seed))
    values = np.full((resamples, len(names)), np.nan)
    for column, name in enumerate(names):
        if name in parts:
            values[:, column] = _resampled(parts[name], w)
    low, high, used = _percentiles(values, level)
    table = pd.DataFrame(
        {"value": [observed[n] for n in names], "low": low, "high": high, "resamples": used},
        index=pd.Index(names, name="measure"),
    )
    table.attrs.update(method=METHOD, resamples=resamples, seed=seed, level=level)
    return table


def balanced_panel(before: Network, after: Network) -> pd.Index:
    """The people who answered in both waves, sorted.

    Examples
    --------
    >>> a = Network.from_edges([("x", "y")], people={"z": {"responded": False}})
    >>> b = Network.from_edges([("y", "x"), ("z", "x")])
    >>> list(balanced_panel(a, b))
    ['x', 'y']
    """
    answered = before.respondents.intersection(after.respondents)
    return pd.Index(sorted(answered), name=schema.PERSON_ID)


def _panel_layer(net: Network, panel: pd.Index, relation, min_weight, symmetric) -> Layer:
    sub = net.subset(panel)
    sub = Network(sub.people.loc[panel], sub.ties, sub.wave, sub.relations)
    return engine.layer(sub, relation, min_weight, symmetric)


def panel_change(
    before: Network,
    after: Network,
    *,
    relation=None,
    min_weight=None,
    symmetric=None,
    attributes: Sequence[str] | None = None,
    resamples: int = engine.RESAMPLES,
    seed: int = engine.RESAMPLE_SEED,
    level: float = 0.95,
) -> pd.DataFrame:
    """Change of every headline, health and level measure on the balanced panel, with intervals.

    Parameters
    ----------
    before, after
        Two waves (``person_id`` meaning the same person in both).
    relation, min_weight, symmetric
        Which ties count, in both waves.
    attributes
        As for :func:`measures`.
    resamples, seed, level
        As for :func:`intervals`; one draw of panel members serves both waves.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure``: ``before`` and ``after`` (on the network among the panel),
        ``change`` (after minus before), its interval ``low``, ``high``, ``resamples``
        used, ``verdict`` ("increase", "decrease" or "no clear change": the interval
        must exclude zero) and, for health indicators with a better direction,
        ``assessment`` ("better", "worse" or "no clear change"). ``attrs`` holds
        ``people`` (the panel's size), ``resamples``, ``seed`` and ``method``.

    Raises
    ------
    NotDefinedError
        When fewer than two people answered both waves.

    Examples
    --------
    >>> a = Network.from_edges([("x", "y"), ("y", "z"), ("z", "x")], wave="w1")
    >>> b = Network.from_edges([("x", "y"), ("y", "z"), ("z", "x")], wave="w2",
    ...                        people={"q": {"responded": False}})
    >>> change = panel_change(a, b, resamples=20)
    >>> float(change.loc["density", "change"]), change.loc["density", "verdict"]
    (0.0, 'no clear change')
    """
    panel = balanced_panel(before, after)
    if len(panel) < 2:
        raise NotDefinedError(
            f"change on the balanced panel needs at least two people who answered in both "
            f"{before.wave!r} and {after.wave!r}; {len(panel)} did"
        )
    first = _panel_layer(before, panel, relation, min_weight, symmetric)
    second = _panel_layer(after, panel, relation, min_weight, symmetric)
    old, new = measures(first, attributes), measures(second, attributes)
    names = [n for n in old if n in new]
    parts_before, parts_after = contributions(first, attributes), contributions(second, attributes)
    w = weights(np.ones(len(panel), dtype=bool), resamples, np.random.default_rng(seed))
    differences = np.full((resamples, len(names)), np.nan)
    for column, name in enumerate(names):
        if name in parts_before and name in parts_after:
            differences[:, column] = _resampled(parts_after[name], w) - _resampled(parts_before[name], w)
    low, high, used = _percentiles(differences, level)
    table = pd.DataFrame(
        {
            "before": [old[n] for n in names],
            "after": [new[n] for n in names],
            "low": low,
            "high": high,
            "resamples": used,
        },
        index=pd.Index(names, name="measure"),
    )
    table.insert(2, "change", table["after"] - table["before"])
    table["verdict"] = np.where(table["low"] > 0, "increase",
                                np.where(table["high"] < 0, "decrease", health.NO_CLEAR_CHANGE))
    table["assessment"] = [
        health.assess(health.DIRECTIONS.get(_indicator(n)), {"low": lo, "high": hi})
        if n.startswith("health.") and health.DIRECTIONS.get(_indicator(n)) else None
        for n, lo, hi in zip(names, low, high, strict=True)
    ]
    table.attrs.update(method=METHOD, resamples=resamples, seed=seed, level=level,
                       people=len(panel), waves=[before.wave, after.wave])
    return table


def _indicator(name: str) -> str:
    """``health.boundary_crossing_sector`` -> ``boundary_crossing``; other health names as they are."""
    key = name.removeprefix("health.")
    return "boundary_crossing" if key.startswith("boundary_crossing_") else key


def change_intervals(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """``{health indicator: {"change", "low", "high", "resamples", "seed", "people"}}`` from
    :func:`panel_change`, as :func:`onatool.metrics.health.health` takes them."""
    out = {}
    for name, row in table.iterrows():
        if str(name).startswith("health."):
            out[str(name).removeprefix("health.")] = {
                "change": float(row["change"]), "low": float(row["low"]), "high": float(row["high"]),
                "resamples": int(row["resamples"]), "seed": table.attrs.get("seed"),
                "people": table.attrs.get("people"), "method": "balanced panel; " + METHOD,
            }
    return out


def attach_intervals(analysis: Any, network: Network, *, resamples: int = engine.RESAMPLES,
                     seed: int = engine.RESAMPLE_SEED) -> Any:
    """The Analysis with a 95% interval beside each headline, health and level measure.

    ``network`` gains ``intervals`` (``{measure: {"low", "high"}}``, with ``resamples``,
    ``seed`` and ``method``); each scalar health and level entry gains ``interval``
    (``{"low", "high", "resamples", "seed", "method"}``). Computed with the relation,
    threshold and attributes in ``analysis.params``.

    Parameters
    ----------
    analysis
        From :func:`onatool.metrics.analyse` on ``network``.
    network
        The wave analysed.
    resamples, seed
        As for :func:`intervals`; 0 resamples returns ``analysis`` unchanged.
    """
    if resamples <= 0:
        return analysis
    params = analysis.params
    relations = params.get("relations") or None
    table = intervals(
        network, relation=relations if relations and len(relations) > 1 else params.get("relation"),
        min_weight=params.get("min_weight"), symmetric=params.get("symmetric"),
        attributes=params.get("attributes"), resamples=resamples, seed=seed,
    )

    def interval(name: str) -> dict[str, Any] | None:
        if name not in table.index:
            return None
        row = table.loc[name]
        return {"low": float(row["low"]), "high": float(row["high"]), "resamples": int(row["resamples"]),
                "seed": seed, "method": METHOD}

    network_out = dict(analysis.network)
    network_out["intervals"] = {
        "measures": {n: {"low": float(table.loc[n, "low"]), "high": float(table.loc[n, "high"])}
                     for n in table.index if "." not in n},
        "resamples": resamples, "seed": seed, "method": METHOD,
    }
    dashboard = {name: ({**entry, "interval": interval(f"health.{name}")}
                        if isinstance(entry, dict) and interval(f"health.{name}") else entry)
                 for name, entry in (analysis.health or {}).items()}
    level_results = analysis.levels
    if level_results is not None:
        level_results = {name: ({**entry, "interval": interval(f"levels.{name}")}
                                if isinstance(entry, dict) and interval(f"levels.{name}") else entry)
                         for name, entry in level_results.items()}
    return replace(analysis, network=network_out, health=dashboard, levels=level_results,
                   params={**params, "intervals": {"resamples": resamples, "seed": seed, "method": METHOD}})
