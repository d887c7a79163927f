"""Who is central: degree, betweenness, closeness, eigenvector, PageRank, structural holes, core.

Every function takes a Network (or an :class:`onatool.engine.Layer`) and the options
of :func:`onatool.engine.layer` (``relation``, ``min_weight``, ``symmetric``), and
returns a Series indexed by ``person_id``, named after the measure.

Non-respondents: a measure that counts only what a person sends (``out_degree``)
or only paths leaving through the person's own ties (``closeness_out``,
``betweenness`` in a directed relation) is NaN for people who did not answer: their
ties are unknown, not absent. Measures on the symmetrised network use the ties
others reported about them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onatool import engine
from onatool.engine import Layer
from onatool.network import Network

__all__ = [
    "betweenness",
    "closeness_in",
    "closeness_out",
    "constraint",
    "core",
    "degree",
    "effective_size",
    "efficiency",
    "eigenvector",
    "in_degree",
    "out_degree",
    "pagerank",
]

Net = Network | Layer


def _unknown_if_silent(lay: Layer, values: np.ndarray, *, directed_only: bool = True) -> np.ndarray:
    """NaN for non-respondents (in a directed relation, unless ``directed_only`` is False)."""
    values = np.asarray(values, dtype=float).copy()
    if lay.directed or not directed_only:
        values[~lay.responded] = np.nan
    return values


def in_degree(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Ties received: ``Σ_j a_ji``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``in_degree`` per person, an integer count from 0 to n-1.

    Notes
    -----
    In a symmetric relation, in-degree, out-degree and degree are equal.
    Plain language: how many colleagues named this person.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("c", "b")])
    >>> in_degree(net).to_dict()
    {'a': 0, 'c': 0, 'b': 2}
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return engine.series(lay, lay.in_degree, "in_degree")


def out_degree(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Ties sent: ``Σ_j a_ij``; NaN for non-respondents.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``out_degree`` per person, 0 to n-1; NaN for everyone who did not answer
        (whatever the relation), because what they would have named is unknown.

    Notes
    -----
    Plain language: how many colleagues this person named.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("a", "c")],
    ...     people={"c": {"responded": False}})
    >>> out_degree(net).to_dict()
    {'c': nan, 'a': 2.0, 'b': 0.0}
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return engine.series(lay, _unknown_if_silent(lay, lay.out_degree, directed_only=False), "out_degree")


def degree(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Distinct contacts either way: ``|N(i)|``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``degree`` per person, 0 to n-1. A mutual pair counts once.

    Notes
    -----
    Plain language: how many colleagues this person is connected with, whoever named whom.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "a"), ("c", "b")])
    >>> degree(net).tolist()
    [1, 2, 1]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return engine.series(lay, lay.degree, "degree")


def betweenness(
    net: Net, *, relation=None, min_weight=None, symmetric=None, samples=None, seed=0
) -> pd.Series:
    """Freeman betweenness, normalised to 0-1.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    samples
        None: exact up to :data:`onatool.engine.EXACT_LIMIT` people, else estimated
        from :data:`onatool.engine.DEFAULT_SAMPLES` sampled sources. An integer: that
        many sources (exact when at least n).
    seed
        Seed for the sampled sources.

    Returns
    -------
    pandas.Series
        ``betweenness`` per person in [0, 1]; 0 for everyone when n <= 2. NaN for
        non-respondents in a directed relation (every path through them would
        leave by a tie they did not report).

    Notes
    -----
    ``Σ_{s≠i≠t} σ_st(i)/σ_st`` over ordered pairs divided by ``(n-1)(n-2)``; over
    unordered pairs divided by ``(n-1)(n-2)/2`` when undirected. Equals sna
    ``betweenness(cmode="directed")/((n-1)(n-2))`` and networkx
    ``betweenness_centrality(normalized=True)``.
    Plain language: how often this person sits on the shortest route between two others.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    Sociometry 40(1), 35-41. doi:10.2307/3033543.
    Brandes, U. and Pich, C. (2007). Centrality estimation in large networks.
    Int. J. Bifurcation and Chaos 17(7), 2303-2318.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c")], symmetric=True)
    >>> betweenness(net).tolist()
    [0.0, 1.0, 0.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    result = engine.betweenness(lay, samples, seed)
    return engine.series(lay, _unknown_if_silent(lay, result.values / _pairs(lay)), "betweenness")


def _pairs(lay: Layer) -> float:
    """Pairs a person could lie between: ``(n-1)(n-2)``, halved when undirected (1 if n <= 2)."""
    pairs = (lay.n - 1) * (lay.n - 2) / (1 if lay.directed else 2)
    return pairs if pairs > 0 else 1.0


def closeness_in(
    net: Net, *, relation=None, min_weight=None, symmetric=None, samples=None, seed=0
) -> pd.Series:
    """Harmonic closeness towards the person: ``Σ_{j≠i} 1/d(j,i) / (n-1)``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    samples, seed
        As for :func:`betweenness`: estimated from sampled sources beyond the exact limit.

    Returns
    -------
    pandas.Series
        ``closeness_in`` per person in [0, 1]: 1 when everyone names the person
        directly, 0 when no one reaches them. Defined on disconnected networks.

    Notes
    -----
    Unreachable people contribute ``1/∞ = 0``.
    Plain language: how easily what others know reaches this person.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("c", "b")])
    >>> closeness_in(net).to_dict()
    {'a': 0.0, 'c': 0.0, 'b': 1.0}
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    values = engine.harmonic_closeness(lay, "in", samples, seed).values
    return engine.series(lay, values, "closeness_in")


def closeness_out(
    net: Net, *, relation=None, min_weight=None, symmetric=None, samples=None, seed=0
) -> pd.Series:
    """Harmonic closeness from the person: ``Σ_{j≠i} 1/d(i,j) / (n-1)``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    samples, seed
        As for :func:`betweenness`.

    Returns
    -------
    pandas.Series
        ``closeness_out`` per person in [0, 1]; NaN for non-respondents in a
        directed relation. Equals sna ``closeness(cmode="suminvdir")``.

    Notes
    -----
    Plain language: how easily this person can reach everyone else through the people they name.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c")])
    >>> closeness_out(net).tolist()
    [0.75, 0.5, 0.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    values = engine.harmonic_closeness(lay, "out", samples, seed).values
    return engine.series(lay, _unknown_if_silent(lay, values), "closeness_out")


def eigenvector(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Eigenvector centrality of the symmetrised network, scaled so the maximum is 1.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``eigenvector`` per person in [0, 1]; 0 for everyone when there are no ties.
        On a disconnected network, people outside the component with the largest
        leading eigenvalue score 0.

    Notes
    -----
    Leading eigenvector of ``A ∨ Aᵀ``: a directed eigenvector is ill-defined on networks
    that are not strongly connected, which survey networks rarely are.
    Plain language: how well connected this person is to people who are themselves well connected.

    References
    ----------
    Bonacich, P. (1972). Factoring and weighting approaches to status scores and clique
    identification. Journal of Mathematical Sociology 2(1), 113-120.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("a", "c")])
    >>> eigenvector(net).round(4).tolist()
    [1.0, 0.7071, 0.7071]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if not lay.n_ties:
        return engine.series(lay, np.zeros(lay.n), "eigenvector")
    lo, hi = lay.edges
    membership = np.asarray(lay.undirected.connected_components().membership)
    leading = [_leading_eigenpair(np.flatnonzero(membership == c), lo, hi, membership, c)
               for c in np.unique(membership[lo])]
    top = max(value for value, _, _ in leading)
    values = np.zeros(lay.n)
    for value, members, vector in leading:
        if value >= top * (1 - 1e-9):  # components tied for the largest eigenvalue all count
            values[members] = vector / vector.max()
    return engine.series(lay, np.clip(values, 0.0, 1.0), "eigenvector")


def _leading_eigenpair(
    members: np.ndarray, lo: np.ndarray, hi: np.ndarray, membership: np.ndarray, component: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """Largest eigenvalue and its (positive) eigenvector for one connected component.

    Exact (dense symmetric solver) for small components; power iteration on ``A + I``
    from a vector of ones for large ones, which converges because a connected graph's
    leading eigenvector is unique (Perron-Frobenius) and the shift removes the
    oscillation of bipartite graphs. Deterministic either way, unlike ARPACK's random
    start, which gives different answers on repeated calls for tiny components.
    """
    inside = membership[lo] == component
    position = np.full(membership.shape[0], -1)
    position[members] = np.arange(len(members))
    a, b = position[lo[inside]], position[hi[inside]]
    size = len(members)
    if size <= 400:
        matrix = np.zeros((size, size))
        matrix[a, b] = matrix[b, a] = 1.0
        eigenvalues, eigenvectors = np.linalg.eigh(matrix)
        return float(eigenvalues[-1]), members, np.abs(eigenvectors[:, -1])
    x = np.ones(size) / size
    for _ in range(10_000):
        y = x + np.bincount(a, weights=x[b], minlength=size) + np.bincount(b, weights=x[a], minlength=size)
        y /= np.abs(y).sum()
        done = np.abs(y - x).sum() < 1e-13 * size
        x = y
        if done:
            break
    ax = np.bincount(a, weights=x[b], minlength=size) + np.bincount(b, weights=x[a], minlength=size)
    return float(ax @ x / (x @ x)), members, x


def pagerank(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """PageRank with damping 0.85; people who name no one spread their share evenly.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``pagerank`` per person in [0, 1], summing to 1. Equals igraph ``pagerank``.

    Notes
    -----
    Plain language: how much attention flows to this person, counting who names them
    and how much attention those people receive.

    References
    ----------
    Brin, S. and Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "a")])
    >>> pagerank(net).round(6).tolist()
    [0.5, 0.5]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if lay.n == 0:
        return engine.series(lay, np.zeros(0), "pagerank")
    values = lay.graph.pagerank(directed=lay.directed, damping=0.85)
    return engine.series(lay, np.asarray(values, dtype=float), "pagerank")


def constraint(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Burt's constraint: how far a person's contacts are tied to one another.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``constraint`` per person, from about 0 (many unconnected contacts) to 1.125
        (two contacts tied to each other); 1 with a single contact. Mixing one-way and
        two-way ties can push it a little higher, never above 2. NaN for isolates.

    Notes
    -----
    ``Σ_{j∈N(i)} (p_ij + Σ_{q∈N(i), q≠i,j} p_iq p_qj)²`` with
    ``p_ij = (a_ij+a_ji)/Σ_k(a_ik+a_ki)``. Equals igraph ``constraint``.
    Plain language: low constraint means this person's contacts do not know each other,
    so they bridge separate circles.

    References
    ----------
    Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
    Harvard University Press.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("a", "c")], symmetric=True)
    >>> constraint(net).tolist()
    [0.5, 1.0, 1.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    values = np.asarray(lay.graph.constraint(), dtype=float) if lay.n else np.zeros(0)
    values[lay.degree == 0] = np.nan
    return engine.series(lay, values, "constraint")


def effective_size(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Burt's effective size: contacts less their redundancy.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``effective_size`` per person, from 1 up to ``|N(i)|`` (all contacts
        unconnected with each other). NaN for isolates.

    Notes
    -----
    ``Σ_{j∈N(i)} [1 − Σ_q p_iq m_jq]`` with ``p`` as in :func:`constraint` and
    ``m_jq = (a_jq+a_qj)/max_k(a_jk+a_kj)``. Computed on the mutual weights
    ``a_ij + a_ji``, so it holds for directed relations too (networkx's
    ``effective_size`` does not for directed graphs).
    Plain language: how many separate circles this person's contacts amount to.

    References
    ----------
    Burt (1992); Borgatti, S. P. (1997). Structural holes: unpacking Burt's
    redundancy measures. Connections 20(1), 35-38.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")],
    ...                          symmetric=True)
    >>> effective_size(net).round(4).tolist()
    [2.3333, 1.0, 1.0, 1.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return engine.series(lay, _effective_size(lay), "effective_size")


def efficiency(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Burt's efficiency: effective size over the number of contacts.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``efficiency`` per person in (0, 1]; NaN for isolates.

    Notes
    -----
    ``effective_size / |N(i)|``.
    Plain language: the share of this person's contacts that open a door the others do not.

    References
    ----------
    Burt (1992).

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("b", "c"), ("a", "d")],
    ...                          symmetric=True)
    >>> efficiency(net).round(4).tolist()
    [0.7778, 0.5, 0.5, 1.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = _effective_size(lay) / lay.degree
    return engine.series(lay, values, "efficiency")


def _effective_size(lay: Layer) -> np.ndarray:
    """Effective size per person from closed two-paths on the contact graph (memoised)."""
    if "effective_size" in lay.memo:
        return lay.memo["effective_size"]
    n = lay.n
    ego, alter = lay.contacts
    order = np.argsort(ego * n + alter)
    ego, alter = ego[order], alter[order]
    keys = ego * n + alter
    # Mutual weight a_ij + a_ji (1 or 2), proportional strength p and strength relative
    # to the strongest contact m.
    mutual = (lay.has_arc(ego, alter).astype(float) + lay.has_arc(alter, ego))
    p = mutual / np.bincount(ego, weights=mutual, minlength=n)[ego]
    strongest = np.zeros(n)
    np.maximum.at(strongest, ego, mutual)
    m = mutual / strongest[ego]
    redundancy = np.zeros(len(keys))
    for a, q, b in engine.two_paths(ego, alter, n):
        # Ego a, alter b, q a contact of both: redundancy of b for a is Σ_q p_aq m_bq.
        closed = engine.contains(keys, a * n + b)
        a, q, b = a[closed], q[closed], b[closed]
        at = np.searchsorted(keys, a * n + b)
        redundancy += np.bincount(
            at,
            weights=p[np.searchsorted(keys, a * n + q)] * m[np.searchsorted(keys, b * n + q)],
            minlength=len(keys),
        )
    values = lay.degree - np.bincount(ego, weights=redundancy, minlength=n)
    values = np.where(lay.degree > 0, values, np.nan)
    lay.memo["effective_size"] = values
    return values


def core(net: Net, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """k-core number of the symmetrised network.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``core`` per person, 0 (isolate) to n-1: the largest k such that the person
        belongs to a group in which everyone has at least k contacts inside the group.

    Notes
    -----
    Core 1 people hang on by a thread: the periphery.
    Plain language: how deep inside the tightly knit core of the network this person sits.

    References
    ----------
    Seidman, S. B. (1983). Network structure and minimum degree. Social Networks 5(3), 269-287.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> core(net).tolist()
    [2, 2, 2, 1]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    values = np.asarray(lay.undirected.coreness(), dtype=np.int64) if lay.n else np.zeros(0, int)
    return engine.series(lay, values, "core")
