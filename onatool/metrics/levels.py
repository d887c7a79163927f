"""Tops, middles and bottoms: how Oshry's system positions connect.

Barry Oshry describes organisations as tops (responsible for the whole), middles
(caught between) and bottoms (doing the work). He gives no index, so onatool defines
these measures on the roster attribute ``level`` (``top``/``middle``/``bottom``). People
whose level is unknown are left out of every measure here.

Shares count ties: arcs in a directed relation, edges in a symmetric one. Densities,
reciprocity and reach are over the people and pairs the answers cover (docs/metrics.md,
"When some people did not answer"); each measure's response is in :func:`response`. Reaching
someone "within two steps" follows ties in either direction, because a
non-respondent's own ties are unknown.
"""

from __future__ import annotations

import numpy as np

from onatool import engine, schema
from onatool.engine import Layer
from onatool.errors import NotDefinedError
from onatool.metrics.brokerage import ROLES, two_path_census
from onatool.metrics.cohesion import known_pairs
from onatool.metrics.groups import block_density as _block_density
from onatool.network import Network

__all__ = [
    "MEASURES",
    "block_density",
    "bottom_reach_to_top",
    "lateral_share",
    "levels",
    "middle_integration",
    "middle_integration_cross_org",
    "middle_liaison_share",
    "response",
    "skip_level_share",
    "top_peer_density_cross_org",
    "upward_reciprocity",
    "vertical_share",
]

Net = Network | Layer
NAN = float("nan")
TOP, MIDDLE, BOTTOM = 0, 1, 2  # codes in schema.LEVELS order



def _codes(lay: Layer) -> np.ndarray:
    if schema.LEVEL not in lay.people.columns:
        raise NotDefinedError(
            f"tops, middles and bottoms need a 'level' column in the people table of wave "
            f"{lay.wave!r}, with values top, middle or bottom"
        )
    codes, _ = engine.group_codes(lay, schema.LEVEL)
    if not (codes >= 0).any():
        raise NotDefinedError(
            f"no one in wave {lay.wave!r} has a level; set 'level' to top, middle or bottom"
        )
    return codes


def _ties(lay: Layer) -> tuple[np.ndarray, np.ndarray]:
    return (lay.src, lay.dst) if lay.directed else lay.edges


def _level_gaps(lay: Layer) -> np.ndarray:
    codes = _codes(lay)
    src, dst = _ties(lay)
    ls, ld = codes[src], codes[dst]
    known = (ls >= 0) & (ld >= 0)
    return np.abs(ls[known] - ld[known])


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if len(mask) else NAN


def block_density(net: Net, *, relation=None, min_weight=None, symmetric=None) -> dict:
    """The 3 × 3 block density by level, rows senders.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    dict
        ``{sender level: {receiver level: density in [0, 1] or NaN}}`` in the order
        top, middle, bottom (NaN on the diagonal for a level with one person or none).

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"}, "b": {"level": "bottom"}}
    >>> block_density(Network.from_edges([("b", "m")], people=people))["bottom"]["middle"]
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    _codes(lay)
    table = _block_density(lay, schema.LEVEL)
    return {row: {col: float(table.loc[row, col]) for col in table.columns} for row in table.index}


def lateral_share(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of ties between people at the same level.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``lateral_share`` in [0, 1] over ties whose two ends have a known level; NaN
        without such ties.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: the share of ties between people at the same level.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"}, "n": {"level": "middle"}}
    >>> lateral_share(Network.from_edges([("m", "n"), ("m", "t")], people=people))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return _share(_level_gaps(lay) == 0)


def vertical_share(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of ties between adjacent levels (top–middle, middle–bottom).

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``vertical_share`` in [0, 1]; with :func:`lateral_share` and
        :func:`skip_level_share` it sums to 1.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: the share of ties between adjacent levels: tops with middles,
    middles with bottoms.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"}, "n": {"level": "middle"}}
    >>> vertical_share(Network.from_edges([("m", "n"), ("m", "t")], people=people))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return _share(_level_gaps(lay) == 1)


def skip_level_share(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of ties between tops and bottoms directly.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``skip_level_share`` in [0, 1].

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: the share of ties that link tops and bottoms directly.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "b": {"level": "bottom"}, "c": {"level": "bottom"}}
    >>> skip_level_share(Network.from_edges([("b", "t"), ("b", "c")], people=people))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return _share(_level_gaps(lay) == 2)


def upward_reciprocity(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Of the ties sent upward, the share returned.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``upward_reciprocity`` in [0, 1]: upward ties are bottom → middle or top, and
        middle → top; counted only when their receiver answered (one who did not could
        not name back). NaN without such ties, and for a symmetric relation (every tie
        is two-way by definition).

    Notes
    -----
    Low values mean the tops are not paying attention to the bottoms.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"}, "b": {"level": "bottom"}}
    >>> net = Network.from_edges([("b", "m"), ("m", "b"), ("m", "t")], people=people)
    >>> upward_reciprocity(net)
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes = _codes(lay)
    if not lay.directed:
        return NAN
    ls, ld = codes[lay.src], codes[lay.dst]
    upward = (ls >= 0) & (ld >= 0) & (ls > ld) & lay.responded[lay.dst]
    return _share(lay.has_arc(lay.dst[upward], lay.src[upward]))


def _density_among(lay: Layer, level: int, *, cross_org: bool) -> float:
    """Density among the people of one level (of different organisations when ``cross_org``).

    Over the pairs the answers cover: directed, ties sent by responding members over
    respondents' rows (``r (k − 1)``, cross-organisation ``Σ_g r_g (K − k_g)``);
    undirected, pairs where at least one person answered.
    """
    codes = _codes(lay)
    members = codes == level
    if cross_org:
        if schema.ORGANISATION not in lay.people.columns:
            return NAN
        org, _ = engine.group_codes(lay, schema.ORGANISATION)
        members &= org >= 0
    else:
        org = np.zeros(lay.n, dtype=np.int64)
    answered = lay.responded & members
    k = np.bincount(org[members], minlength=1).astype(float)
    r = np.bincount(org[answered], minlength=len(k)).astype(float)
    k, r = np.pad(k, (0, len(r) - len(k))), np.pad(r, (0, len(k) - len(r)))
    src, dst = _ties(lay)
    inside = members[src] & members[dst] & (org[src] != org[dst] if cross_org else True)
    if lay.directed:
        pairs = (r * (k.sum() - k)).sum() if cross_org else r.sum() * (k.sum() - 1)
        return engine.pair_density((inside & lay.responded[src]).sum(), pairs)
    silent = k - r
    if cross_org:
        pairs = ((k.sum() ** 2 - (k**2).sum()) - (silent.sum() ** 2 - (silent**2).sum())) / 2
    else:
        pairs = known_pairs(r.sum(), k.sum())
    covered = inside & (lay.responded[src] | lay.responded[dst])
    return engine.pair_density(covered.sum(), pairs)


def middle_integration(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Density among middles.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``middle_integration`` in [0, 1]: ties sent by responding middles to middles
        over their rows, ``r (k − 1)`` (symmetric: over the pairs of middles where
        either answered); with full response ``k (k − 1)``. NaN when no pair is covered.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Oshry: middles who integrate with each other gain power; those who don't are torn.

    Examples
    --------
    >>> people = {x: {"level": "middle"} for x in "abc"}
    >>> middle_integration(Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")], people=people))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return _density_among(lay, MIDDLE, cross_org=False)


def middle_integration_cross_org(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Density among middles of different organisations.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``middle_integration_cross_org`` in [0, 1]: ties between middles of
        different organisations over the pairs of such middles on responding
        middles' rows (symmetric: pairs where either answered). NaN without an
        ``organisation`` column or without such a pair.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: how closely middles are connected with middles in other
    organisations.

    Examples
    --------
    >>> people = {"a": {"level": "middle", "organisation": "GP"},
    ...           "b": {"level": "middle", "organisation": "GP"},
    ...           "c": {"level": "middle", "organisation": "Council"}}
    >>> middle_integration_cross_org(Network.from_edges([("a", "b"), ("a", "c")], people=people))
    0.25
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return _density_among(lay, MIDDLE, cross_org=True)


def top_peer_density_cross_org(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Density among tops of different organisations: can the tops work as peers?

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``top_peer_density_cross_org`` in [0, 1], over the pairs of tops of different
        organisations on responding tops' rows (symmetric: pairs where either
        answered); NaN without an ``organisation`` column or without such a pair.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: how closely tops are connected with tops in other organisations, as
    peers across the system.

    Examples
    --------
    >>> people = {"a": {"level": "top", "organisation": "GP"},
    ...           "b": {"level": "top", "organisation": "Council"}}
    >>> top_peer_density_cross_org(Network.from_edges([("a", "b")], people=people,
    ...                                               symmetric=True))
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return _density_among(lay, TOP, cross_org=True)


def bottom_reach_to_top(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of bottoms with a path of length at most 2 to some top.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``bottom_reach_to_top`` in [0, 1], over the bottoms who answered (whether a
        bottom who did not answer can reach a top is unknown, not "no"); NaN without
        responding bottoms. Ties are followed
        in the direction they were named (a bottom names someone who names a top);
        a symmetric relation is followed either way.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: the share of bottoms who can reach a top in one or two steps,
    going to people they name (for advice: whose advice can reach them from a top
    through at most one go-between). Following ties either way would count a bottom
    whom a top names, which says nothing about the bottom's own reach.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"},
    ...           "b": {"level": "bottom"}, "c": {"level": "bottom"}}
    >>> bottom_reach_to_top(Network.from_edges([("b", "m"), ("m", "t")], people=people))
    0.5
    >>> bottom_reach_to_top(Network.from_edges([("m", "b"), ("t", "m")], people=people))
    0.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes = _codes(lay)
    ego, alter = lay.src, lay.dst  # both directions are stored for a symmetric relation
    is_top = codes == TOP
    next_to_top = np.bincount(ego, weights=is_top[alter], minlength=lay.n) > 0
    two_steps = np.bincount(ego, weights=next_to_top[alter], minlength=lay.n) > 0
    reached = (next_to_top | two_steps) & ~is_top
    bottoms = (codes == BOTTOM) & lay.responded  # a non-respondent's own ties are unknown
    return float(reached[bottoms].mean()) if bottoms.any() else NAN


def middle_liaison_share(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of all liaison brokerage by level done by middles.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``middle_liaison_share`` in [0, 1]: top → middle → bottom and bottom →
        middle → top two-paths (with no direct tie) over all two-paths through a
        third level. NaN when there are none.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Notes
    -----
    Plain language: of the links between two different levels made through a person at a
    third level, the share made through middles.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"}, "b": {"level": "bottom"}}
    >>> middle_liaison_share(Network.from_edges([("b", "m"), ("m", "t"), ("t", "m"), ("m", "b")],
    ...                                         people=people))
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes = _codes(lay)
    liaison = two_path_census(lay, [schema.LEVEL])["roles"][schema.LEVEL][:, ROLES.index("liaison")]
    total = liaison.sum()
    return float(liaison[codes == MIDDLE].sum() / total) if total else NAN


#: Every tops/middles/bottoms measure, by name, in the order reported.
_MEASURES = {
    "block_density": block_density,
    "lateral_share": lateral_share,
    "vertical_share": vertical_share,
    "skip_level_share": skip_level_share,
    "upward_reciprocity": upward_reciprocity,
    "middle_integration": middle_integration,
    "middle_integration_cross_org": middle_integration_cross_org,
    "top_peer_density_cross_org": top_peer_density_cross_org,
    "bottom_reach_to_top": bottom_reach_to_top,
    "middle_liaison_share": middle_liaison_share,
}
MEASURES = tuple(_MEASURES)

#: The levels whose response each measure rests on: the people in its denominator
#: (receivers for upward reciprocity, bottoms for reach to a top).
RESPONSE_BASE: dict[str, tuple[str, ...]] = {
    "block_density": schema.LEVELS,
    "lateral_share": schema.LEVELS,
    "vertical_share": schema.LEVELS,
    "skip_level_share": schema.LEVELS,
    "upward_reciprocity": ("top", "middle"),
    "middle_integration": ("middle",),
    "middle_integration_cross_org": ("middle",),
    "top_peer_density_cross_org": ("top",),
    "bottom_reach_to_top": ("bottom",),
    "middle_liaison_share": schema.LEVELS,
}


def response(net: Net, name: str, *, low: float | None = None, relation=None, min_weight=None,
             symmetric=None) -> dict:
    """The response behind one level measure: among the levels in :data:`RESPONSE_BASE`.

    Returns
    -------
    dict
        As :func:`onatool.metrics.cohesion.response`, plus ``levels`` (the levels counted)
        and ``by_level`` (``{level: {people, respondents, response_rate, low_response}}``);
        ``low_response`` is True when any of those levels is under ``low``.

    Examples
    --------
    >>> people = {"t": {"level": "top", "responded": False}, "u": {"level": "top"},
    ...           "b": {"level": "bottom"}}
    >>> r = response(Network.from_edges([("b", "u")], people=people), "top_peer_density_cross_org")
    >>> r["respondents"], r["people"], r["low_response"]
    (1, 2, True)
    """
    from onatool.metrics.cohesion import response as _response

    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes = _codes(lay)
    base = RESPONSE_BASE[name]
    by_level = {lv: _response(lay, codes == schema.LEVELS.index(lv), low=low) for lv in base}
    whole = _response(lay, np.isin(codes, [schema.LEVELS.index(lv) for lv in base]), low=low)
    whole["low_response"] = any(r["low_response"] for r in by_level.values())
    return {**whole, "levels": list(base), "by_level": by_level}


def _sentence(name: str, value: object) -> str:
    from onatool.metrics.registry import statement

    return statement(f"levels.{name}", value)


def levels(net: Net, *, relation=None, min_weight=None, symmetric=None,
           low: float | None = None) -> dict:
    """Every tops/middles/bottoms measure, with its value and a plain-language sentence.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    low
        Response rate under which a measure is flagged (default
        :data:`onatool.engine.LOW_RESPONSE`).

    Returns
    -------
    dict
        ``{measure: {"value": ..., "meaning": ..., "sentence": ..., "response": ...}}`` for
        the measures in :data:`MEASURES`; ``meaning`` and ``sentence`` (the value in words,
        or why it is not defined) come from the metric registry, the one home of the words;
        ``response`` is the response behind it (:func:`response`), with ``low_response``
        flagging a level under ``low``.

    Raises
    ------
    NotDefinedError
        Without a ``level`` column, or when no one has a level.

    Examples
    --------
    >>> people = {"t": {"level": "top"}, "m": {"level": "middle"}, "b": {"level": "bottom"}}
    >>> result = levels(Network.from_edges([("b", "m"), ("m", "t")], people=people))
    >>> result["vertical_share"]["sentence"]
    '100% of ties link adjacent levels (tops with middles, middles with bottoms).'
    """
    from onatool.metrics.registry import describe

    lay = engine.prepare(net, relation, min_weight, symmetric)
    _codes(lay)
    out = {}
    for name, measure in _MEASURES.items():
        value = measure(lay)
        out[name] = {"value": value, "meaning": describe(f"levels.{name}"),
                     "sentence": _sentence(name, value), "response": response(lay, name, low=low)}
    return out
