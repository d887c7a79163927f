"""The whole network: size, density, reciprocity, transitivity, centralization, components.

Each function returns one number for the network (or a dict for :func:`counts`).
Counts of ties are arcs in a directed relation and edges in a symmetric one.

A non-respondent's own ties are unknown, not absent: ratios about pairs are computed
over the pairs the data can speak to (docs/metrics.md, "When some people did not
answer"), and equal the plain definitions under full response.
"""

from __future__ import annotations

import numpy as np

from onatool import engine
from onatool.engine import Layer
from onatool.metrics.brokerage import two_path_census
from onatool.network import Network

__all__ = [
    "centralization_betweenness",
    "centralization_in_degree",
    "centralization_out_degree",
    "components",
    "counts",
    "density",
    "isolates",
    "known_pairs",
    "largest_component_share",
    "reciprocity",
    "response",
    "transitivity",
    "transitivity_undirected",
]

Net = Network | Layer
NAN = float("nan")


def counts(net: Net, *, relation=None, min_weight=None, symmetric=None) -> dict[str, float]:
    """People, respondents, response rate and ties.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    dict
        ``people``, ``respondents`` (counts), ``response_rate`` in [0, 1]
        (respondents / people; NaN with no people), ``ties`` (arcs, or edges when
        undirected).

    Notes
    -----
    Plain language: how many people are in the network, how many answered, and how
    many ties they reported.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b")], people={"b": {"responded": False}})
    >>> counts(net)
    {'people': 2, 'respondents': 1, 'response_rate': 0.5, 'ties': 1}
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    respondents = int(lay.responded.sum())
    return {
        "people": lay.n,
        "respondents": respondents,
        "response_rate": respondents / lay.n if lay.n else NAN,
        "ties": lay.n_ties,
    }


def response(lay: Layer, members: np.ndarray | None = None, *, low: float | None = None) -> dict:
    """The response behind a measure: people, respondents, their ratio and a low-response flag.

    Parameters
    ----------
    lay
        A prepared Layer.
    members
        Boolean mask of the people the measure is about (None: everyone).
    low
        Flag when the response rate is under this (None: :data:`onatool.engine.LOW_RESPONSE`).

    Returns
    -------
    dict
        ``people``, ``respondents`` (counts), ``response_rate`` (NaN with no people) and
        ``low_response`` (True when the rate is under ``low``; False with no people).

    Examples
    --------
    >>> net = Network.from_edges([("a", "b")], people={"b": {"responded": False}})
    >>> response(engine.layer(net))
    {'people': 2, 'respondents': 1, 'response_rate': 0.5, 'low_response': True}
    """
    low = engine.LOW_RESPONSE if low is None else float(low)
    mask = np.ones(lay.n, dtype=bool) if members is None else np.asarray(members, dtype=bool)
    people = int(mask.sum())
    respondents = int((mask & lay.responded).sum())
    rate = respondents / people if people else NAN
    return {"people": people, "respondents": respondents, "response_rate": rate,
            "low_response": bool(people and rate < low)}


def known_pairs(respondents, people):
    """Unordered pairs among ``people`` in which at least one of ``respondents`` answered.

    ``C(n,2) − C(n−r,2)``: the pairs an undirected relation can speak to (a pair is known
    when either person answered). Arrays broadcast.

    Examples
    --------
    >>> known_pairs(2, 4), known_pairs(4, 4)
    (5.0, 6.0)
    """
    n = np.asarray(people, dtype=float)
    silent = n - np.asarray(respondents, dtype=float)
    value = engine.possible_pairs(n, directed=False) - engine.possible_pairs(silent, directed=False)
    return float(value) if np.ndim(value) == 0 else value


def density(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Share of possible ties that exist, over the pairs the answers cover.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``density`` in [0, 1]: ties sent by respondents over ``r(n−1)``, r respondents;
        undirected: edges touching a respondent over the pairs with at least one
        respondent. With full response ``m/(n(n−1))`` (undirected ``m/(n(n−1)/2)``).
        NaN when no pair is covered.

    Notes
    -----
    Plain language: of all the relationships that could exist, the share that do.

    Examples
    --------
    >>> density(Network.from_edges([("a", "b"), ("b", "c")]))
    0.3333333333333333
    >>> density(Network.from_edges([("a", "b"), ("b", "c")], people={"c": {"responded": False}}))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    answered = lay.responded
    r = int(answered.sum())
    if lay.directed:
        return engine.pair_density(int(answered[lay.src].sum()), r * (lay.n - 1))
    lo, hi = lay.edges
    return engine.pair_density(int((answered[lo] | answered[hi]).sum()), known_pairs(r, lay.n))


def reciprocity(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Edgewise reciprocity: the share of ties that are returned, among pairs who both answered.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``reciprocity`` in [0, 1]: ``2M/(2M+A)``, M mutual and A one-way pairs, over
        the pairs whose two people both answered (someone who did not answer cannot
        name back). NaN without such ties, and for a symmetric relation (every tie is
        two-way by definition).

    Notes
    -----
    With full response it equals igraph ``reciprocity()`` and networkx
    ``overall_reciprocity`` on directed graphs.
    Plain language: when someone names a colleague, how often that colleague names them back.

    References
    ----------
    Wasserman, S. and Faust, K. (1994). Social Network Analysis. Cambridge UP, ch. 13.

    Examples
    --------
    >>> reciprocity(Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")]))
    0.6666666666666666
    >>> reciprocity(Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")],
    ...                                people={"c": {"responded": False}}))
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if not lay.directed:
        return NAN
    both = lay.responded[lay.src] & lay.responded[lay.dst]
    if not both.any():
        return NAN
    return float(lay.has_arc(lay.dst[both], lay.src[both]).mean())


def transitivity(net: Net, *, relation=None, min_weight=None, symmetric=None) -> float:
    """Directed weak transitivity: the share of two-paths ``i→j→k`` closed by ``i→k``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``transitivity`` in [0, 1]; NaN without two-paths. On a symmetric relation it
        equals :func:`transitivity_undirected`.

    Notes
    -----
    Two-paths have ``i != k``. Equals sna ``gtrans(measure="weak")`` (networkx's
    ``transitivity`` is not this on directed graphs).
    Plain language: when I go to someone who goes to a third person, how often I also
    go to that third person directly.

    References
    ----------
    Wasserman and Faust (1994), ch. 14.

    Examples
    --------
    >>> transitivity(Network.from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("b", "d")]))
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    census = two_path_census(lay)
    return census["closed"] / census["two_paths"] if census["two_paths"] else NAN


def transitivity_undirected(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Global clustering of the symmetrised network: closed triplets over all triplets.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``transitivity_undirected`` in [0, 1]; NaN without a connected triple.

    Notes
    -----
    ``3 × triangles / connected triples``. Equals igraph ``transitivity_undirected``
    and networkx ``transitivity`` on the undirected graph.
    Plain language: how often two of a person's contacts are also connected with each other.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> round(transitivity_undirected(net), 6)
    0.6
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if lay.n < 3:
        return NAN
    return float(lay.undirected.transitivity_undirected(mode="nan"))


def _freeman(scores: np.ndarray, maximum: float) -> float:
    if not len(scores) or maximum <= 0:
        return NAN
    return float((scores.max() - scores).sum() / maximum)


def centralization_in_degree(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Freeman centralization of in-degree: how far ties received concentrate on one person.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``centralization_in_degree`` in [0, 1]: 1 for a star (one person named by all,
        no one else named), 0 when everyone is named equally often. NaN for fewer than
        two people (three when undirected).

    Notes
    -----
    ``Σ_i (max c − c_i) / (n−1)²``; undirected: degree over ``(n−1)(n−2)``. Equals sna
    ``centralization(g, degree, cmode="indegree")``.
    Plain language: whether being sought out is spread around or concentrated on a few.

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    Social Networks 1(3), 215-239.

    Examples
    --------
    >>> star = Network.from_edges([("b", "a"), ("c", "a"), ("d", "a")])
    >>> centralization_in_degree(star)
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if not lay.directed:
        return _freeman(lay.degree, (lay.n - 1) * (lay.n - 2))
    return _freeman(lay.in_degree, (lay.n - 1) ** 2)


def centralization_out_degree(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Freeman centralization of out-degree.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``centralization_out_degree`` in [0, 1], as :func:`centralization_in_degree`
        for ties sent. Non-respondents count as sending none, as in sna: read it with
        the response rate.

    Notes
    -----
    ``Σ_i (max c − c_i) / (n−1)²``; undirected: as in-degree. Equals sna
    ``centralization(g, degree, cmode="outdegree")``.
    Plain language: whether reaching out is spread around or done by a few.

    Examples
    --------
    >>> star = Network.from_edges([("a", "b"), ("a", "c"), ("a", "d")])
    >>> centralization_out_degree(star)
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if not lay.directed:
        return _freeman(lay.degree, (lay.n - 1) * (lay.n - 2))
    return _freeman(lay.out_degree, (lay.n - 1) ** 2)


def centralization_betweenness(
    net: Net, *, relation=None, min_weight=None, symmetric=None, samples=None, seed=0
) -> float:
    """Freeman centralization of betweenness: how far brokerage rests on one person.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    samples, seed
        As for :func:`onatool.metrics.centrality.betweenness` (sampled beyond the exact limit).

    Returns
    -------
    float
        ``centralization_betweenness`` in [0, 1]: 1 for a star, 0 for a circle. NaN with
        fewer than three people.

    Notes
    -----
    On raw scores: ``Σ_i (max b − b_i) / ((n−1)²(n−2))``, undirected
    ``/ ((n−1)²(n−2)/2)``. Non-respondents' raw scores are used as the data give them.
    Equals sna ``centralization(g, betweenness)``.
    Plain language: whether the routes between people all run through one person.

    Examples
    --------
    >>> star = Network.from_edges([("a", "b"), ("a", "c"), ("a", "d")], symmetric=True)
    >>> centralization_betweenness(star)
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    raw = engine.betweenness(lay, samples, seed).values
    maximum = (lay.n - 1) ** 2 * (lay.n - 2) / (1 if lay.directed else 2)
    return _freeman(raw, maximum)


def _components(lay: Layer) -> np.ndarray:
    if "components" not in lay.memo:
        membership = lay.undirected.connected_components().membership if lay.n else []
        lay.memo["components"] = np.bincount(np.asarray(membership, dtype=np.int64))
    return lay.memo["components"]


def components(net: Net, *, relation=None, min_weight=None, symmetric=None) -> int:
    """Weak components: separate pieces, isolates included.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    int
        ``components``, 1 to n (0 with no people).

    Notes
    -----
    Plain language: how many separate pieces the network falls into, counting each
    unconnected person as a piece.

    Examples
    --------
    >>> components(Network.from_edges([("a", "b"), ("c", "d")]))
    2
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return len(_components(lay))


def largest_component_share(
    net: Net, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Share of people in the largest weak component.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    float
        ``largest_component_share`` in (0, 1]; NaN with no people.

    Notes
    -----
    Plain language: the share of people joined up, directly or indirectly, in the main network.

    Examples
    --------
    >>> largest_component_share(Network.from_edges([("a", "b"), ("b", "c"), ("d", "e")]))
    0.6
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    sizes = _components(lay)
    return float(sizes.max() / lay.n) if lay.n else NAN


def isolates(net: Net, *, relation=None, min_weight=None, symmetric=None) -> int:
    """People with no tie either way.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    int
        ``isolates``, 0 to n.

    Notes
    -----
    A non-respondent no one named is an isolate too: read it with the response rate.
    Plain language: how many people have no relationship in this network at all.

    Examples
    --------
    >>> isolates(Network.from_edges([("a", "b")], people={"c": {}}))
    1
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return int((lay.degree == 0).sum())
