"""Groups: ties within and between the groups of an attribute, and communities found in the ties.

Group tables are computed on integer group codes with ``numpy.bincount``. People
whose group is unknown are left out of group tables and matrices (and ties
touching them are not counted there); assortativity and modularity are computed
on the network among people whose group is known.

A non-respondent's own ties are unknown (docs/metrics.md, "When some people did not
answer"): in a directed relation the mixing matrix counts ties sent by respondents,
and densities are over respondents' rows (``r_g · n_h``); in a symmetric relation a
pair is known when either person answered. Full response gives the plain definitions.

In a symmetric relation each edge counts once: within a group on the diagonal of
the mixing matrix, and in both off-diagonal cells between two groups (so
``ties_out`` and ``ties_in`` of a group are equal).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onatool import engine
from onatool.engine import Layer
from onatool.network import Network

__all__ = [
    "assortativity",
    "block_density",
    "block_density_from_mixing",
    "communities",
    "covered_pairs",
    "group_measures",
    "group_table",
    "mixing_matrix",
    "modularity",
    "modularity_communities",
]

Net = Network | Layer

GROUP_COLUMNS = ("size", "respondents", "ties_within", "ties_out", "ties_in", "ei", "density_within",
                 "response_rate", "low_response")


def _mixing(lay: Layer, attribute: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """Mixing counts (diagonal halved when undirected), sizes, respondents, groups."""
    codes, groups = engine.group_codes(lay, attribute)
    k = len(groups)
    gs, gd = codes[lay.src], codes[lay.dst]
    known = (gs >= 0) & (gd >= 0)
    if lay.directed:
        known &= lay.responded[lay.src]  # ties sent by respondents
    counts = np.bincount(gs[known] * k + gd[known], minlength=k * k).reshape(k, k)
    if not lay.directed:
        counts[np.diag_indices(k)] //= 2
    person = codes >= 0
    sizes = np.bincount(codes[person], minlength=k)
    respondents = np.bincount(codes[person & lay.responded], minlength=k)
    return counts, sizes, respondents, groups


def covered_pairs(
    sizes: np.ndarray, respondents: np.ndarray | None = None, *, directed: bool = True
) -> np.ndarray:
    """Pairs between (and, on the diagonal, within) groups that the answers cover.

    Directed: respondents' rows, ``r_g · n_h`` off the diagonal and ``r_g (n_g − 1)`` on
    it. Undirected: pairs where at least one person answered, ``n_g n_h − s_g s_h`` and
    ``C(n_g, 2) − C(s_g, 2)``, s the non-respondents. ``respondents`` None: full response.

    Examples
    --------
    >>> covered_pairs(np.array([3, 2]), np.array([1, 2])).tolist()
    [[2.0, 2.0], [6.0, 2.0]]
    """
    from onatool.metrics.cohesion import known_pairs

    n = np.asarray(sizes, dtype=float)
    r = n if respondents is None else np.asarray(respondents, dtype=float)
    if directed:
        pairs = np.asarray(engine.possible_pairs(r[:, None], n[None, :]), dtype=float)
        pairs = pairs.reshape(len(n), len(n))
        pairs[np.diag_indices(len(n))] = r * (n - 1)
    else:
        silent = n - r
        pairs = n[:, None] * n[None, :] - silent[:, None] * silent[None, :]
        pairs[np.diag_indices(len(n))] = known_pairs(r, n)
    return pairs


def block_density_from_mixing(
    counts: pd.DataFrame, sizes: pd.Series, *, directed: bool = True,
    respondents: pd.Series | None = None,
) -> pd.DataFrame:
    """Block densities from a mixing matrix and group sizes: the one formula.

    Used on the groups as computed and on groups merged for disclosure ("Other"),
    so every surface's block density comes from the same arithmetic.

    Parameters
    ----------
    counts
        Ties from each row group to each column group (diagonal: each edge once when
        undirected).
    sizes
        People per group (aligned on ``counts.index``).
    directed
        False for a symmetric relation (halved pairs on the diagonal).
    respondents
        Respondents per group (None: everyone answered).

    Returns
    -------
    pandas.DataFrame
        ``M[g,h]/(r_g n_h)`` off the diagonal, ``M[g,g]/(r_g(n_g−1))`` on it (with full
        response ``n_g n_h`` and ``n_g(n_g−1)``); undirected over the pairs where either
        answered (:func:`covered_pairs`). NaN where no pair is covered.
    """
    n = sizes.reindex(counts.index).to_numpy(dtype=float)
    r = None if respondents is None else respondents.reindex(counts.index).to_numpy(dtype=float)
    pairs = covered_pairs(n, r, directed=directed)
    values = engine.pair_density(counts.to_numpy(dtype=float), pairs)
    return pd.DataFrame(values, index=counts.index, columns=counts.columns)


def group_measures(
    counts: pd.DataFrame, sizes: pd.Series, *, directed: bool = True,
    respondents: pd.Series | None = None,
) -> pd.DataFrame:
    """Ties within, out and in, E-I and density within, per group of a mixing matrix.

    The one home of the group formulas, used by :func:`group_table` and by the
    disclosure gate when it merges small groups into "Other".

    Parameters
    ----------
    counts
        Mixing matrix: ties from each row group to each column group.
    sizes
        People per group (aligned on ``counts.index``).
    directed
        False for a symmetric relation.
    respondents
        Respondents per group (None: everyone answered): ``density_within`` is over the
        pairs they cover (:func:`covered_pairs`).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``counts``: ``ties_within``, ``ties_out``, ``ties_in``, ``ei``
        (``(ties_out − ties_within)/(ties_out + ties_within)``), ``density_within``.

    Examples
    --------
    >>> counts = pd.DataFrame([[1, 1], [1, 0]], index=["NHS", "VCSE"], columns=["NHS", "VCSE"])
    >>> group_measures(counts, pd.Series({"NHS": 2, "VCSE": 1}))["ei"].tolist()
    [0.0, 1.0]
    """
    m = counts.to_numpy(dtype=float)
    within = np.diag(m).copy()
    out = m.sum(axis=1) - within
    into = m.sum(axis=0) - within
    n = sizes.reindex(counts.index).to_numpy(dtype=float)
    r = n if respondents is None else respondents.reindex(counts.index).to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "ties_within": within,
            "ties_out": out,
            "ties_in": into,
            "ei": engine.ei_ratio(out, within),
            "density_within": engine.pair_density(
                within, np.diag(covered_pairs(n, r, directed=directed))
            ),
        },
        index=counts.index,
    )


def mixing_matrix(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> pd.DataFrame:
    """Tie counts between the groups of ``attribute``: row sender's group, column receiver's.

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
        Square, groups on both axes (index named after the attribute); counts >= 0.

    Raises
    ------
    NotDefinedError
        If no person has the attribute.

    Notes
    -----
    Plain language: how many ties run from each group to each other group.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("c", "b")], people=people)
    >>> mixing_matrix(net, "sector").to_numpy().tolist()
    [[1, 1], [1, 0]]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    counts, _, _, groups = _mixing(lay, attribute)
    return pd.DataFrame(counts, index=groups, columns=groups.rename(None))


def block_density(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> pd.DataFrame:
    """Density of ties within and between the groups of ``attribute``.

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
        Square, rows senders; values in [0, 1]. NaN on the diagonal of a group of one.

    Notes
    -----
    ``M[g,h]/(n_g n_h)`` off the diagonal, ``M[g,g]/(n_g(n_g−1))`` on it (halved
    denominator on the diagonal when undirected).
    Plain language: of all the ties that could exist from one group to another, the share that do.

    References
    ----------
    White, H. C., Boorman, S. A. and Breiger, R. L. (1976). Social structure from
    multiple networks. American Journal of Sociology 81(4), 730-780.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("c", "b")], people=people)
    >>> block_density(net, "sector").to_numpy().tolist()
    [[0.5, 0.5], [0.5, nan]]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    counts, sizes, respondents, groups = _mixing(lay, attribute)
    table = pd.DataFrame(counts, index=groups, columns=groups.rename(None))
    return block_density_from_mixing(
        table, pd.Series(sizes, index=groups), directed=lay.directed,
        respondents=pd.Series(respondents, index=groups),
    )


def group_table(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None,
    low: float | None = None,
) -> pd.DataFrame:
    """One row per group of ``attribute``: size, respondents, ties within and across, E-I, density.

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
        Indexed by group (index named after the attribute), columns:

        - ``size``, ``respondents``: people in the group, and how many answered;
        - ``ties_within``: ties with both ends in the group (each arc once);
        - ``ties_out``, ``ties_in``: ties sent to / received from other groups;
        - ``ei`` in [-1, 1]: ``(ties_out − ties_within)/(ties_out + ties_within)``,
          NaN when the group sends no ties;
        - ``density_within`` in [0, 1]: ``ties_within / (size(size−1))`` (halved
          denominator when undirected), NaN for a group of one; under non-response
          over respondents' rows ``respondents(size−1)`` (undirected: pairs where
          either answered);
        - ``response_rate``: respondents / size, and ``low_response``: True when it is
          under ``low`` (default :data:`onatool.engine.LOW_RESPONSE`, 0.6).

        Ties of a directed relation are those sent by respondents.

    Notes
    -----
    Plain language: for each group, how many of its ties stay inside it and how many reach out.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("c", "b")], people=people)
    >>> group_table(net, "sector")[["ties_within", "ties_out", "ties_in", "ei"]].to_dict("index")
    {'NHS': {'ties_within': 1, 'ties_out': 1, 'ties_in': 1, 'ei': 0.0}, \
'VCSE': {'ties_within': 0, 'ties_out': 1, 'ties_in': 1, 'ei': 1.0}}
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    counts, sizes, respondents, groups = _mixing(lay, attribute)
    measures = group_measures(
        pd.DataFrame(counts, index=groups, columns=groups.rename(None)),
        pd.Series(sizes, index=groups),
        directed=lay.directed,
        respondents=pd.Series(respondents, index=groups),
    )
    table = pd.DataFrame({"size": sizes, "respondents": respondents}, index=groups)
    for column in ("ties_within", "ties_out", "ties_in"):
        table[column] = measures[column].to_numpy().astype(np.int64)
    table["ei"] = measures["ei"]
    table["density_within"] = measures["density_within"]
    table["response_rate"] = engine.pair_density(respondents, sizes)
    table["low_response"] = table["response_rate"] < (engine.LOW_RESPONSE if low is None else low)
    return table


def _known_subgraph(lay: Layer, attribute: str):
    codes, groups = engine.group_codes(lay, attribute)
    known = np.flatnonzero(codes >= 0)
    return codes[known], known


def assortativity(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Newman's nominal assortativity of the network by ``attribute``.

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
        ``assortativity_X`` in [-1, 1]: 1 when every tie stays inside a group, 0 as
        many as chance, negative when ties prefer other groups. NaN without ties
        among people of known group, or with a single group.

    Notes
    -----
    ``(Σ_g e_gg − Σ_g a_g b_g)/(1 − Σ_g a_g b_g)``, ``e`` the share of ties from g to h.
    Directed when the relation is. Equals igraph ``assortativity_nominal``.
    Plain language: how strongly people tie to others in their own group rather than across.

    References
    ----------
    Newman, M. E. J. (2003). Mixing patterns in networks. Physical Review E 67, 026126.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"},
    ...           "c": {"sector": "VCSE"}, "d": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("c", "d")], people=people, symmetric=True)
    >>> assortativity(net, "sector")
    1.0
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, known = _known_subgraph(lay, attribute)
    graph = lay.graph.induced_subgraph(known.tolist())
    if not graph.ecount():
        return float("nan")
    with engine.quiet():
        value = graph.assortativity_nominal(codes.tolist(), directed=lay.directed)
    return float(value)


def modularity(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> float:
    """Modularity of the partition by ``attribute``: how far the network is siloed along it.

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
        ``modularity_X`` in [-0.5, 1): 0 when ties ignore the groups, higher the more
        ties stay inside groups than chance would give. NaN without ties among people
        of known group.

    Notes
    -----
    Newman-Girvan modularity on the symmetrised network (so that it compares with
    ``modularity_community``): ``Σ_g [e_gg − a_g²]``.
    Plain language: how much the network splits into separate groups along this line.

    References
    ----------
    Newman, M. E. J. and Girvan, M. (2004). Finding and evaluating community structure
    in networks. Physical Review E 69, 026113.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"},
    ...           "c": {"sector": "VCSE"}, "d": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("c", "d")], people=people)
    >>> modularity(net, "sector")
    0.5
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, known = _known_subgraph(lay, attribute)
    graph = lay.undirected.induced_subgraph(known.tolist())
    if not graph.ecount():
        return float("nan")
    return float(graph.modularity(codes.tolist(), directed=False))


def communities(
    net: Net, *, relation=None, min_weight=None, symmetric=None, seed: int = 0
) -> pd.Series:
    """Communities found by the Leiden algorithm, maximising modularity.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    seed
        Seed for the algorithm (results are reproducible).

    Returns
    -------
    pandas.Series
        ``community`` per person: integer labels 0, 1, ... numbered from the largest
        community down. Isolates are communities of one.

    Notes
    -----
    igraph ``community_leiden(objective_function="modularity")`` on the symmetrised
    network, iterated until stable.
    Plain language: groups of people more tied to each other than to everyone else,
    found from the ties alone.

    References
    ----------
    Traag, V. A., Waltman, L. and van Eck, N. J. (2019). From Louvain to Leiden:
    guaranteeing well-connected communities. Scientific Reports 9, 5233.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"),
    ...                           ("e", "f"), ("f", "d"), ("a", "d")])
    >>> communities(net).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    return engine.series(lay, _leiden(lay, seed), "community")


def modularity_communities(
    net: Net, *, relation=None, min_weight=None, symmetric=None, seed: int = 0
) -> float:
    """Modularity of the Leiden communities: how clustered the network is at best.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    seed
        Seed for the algorithm.

    Returns
    -------
    float
        ``modularity_community`` in [0, 1); NaN without ties. Compare with
        ``modularity_X``: when an attribute comes close, the communities follow it.

    Notes
    -----
    Plain language: how strongly the network falls apart into clusters, whatever the
    formal groups.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"),
    ...                           ("e", "f"), ("f", "d"), ("a", "d")])
    >>> round(modularity_communities(net), 4)
    0.3571
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    if not lay.n_ties:
        return float("nan")
    return float(lay.undirected.modularity(_leiden(lay, seed).tolist(), directed=False))


def _leiden(lay: Layer, seed: int) -> np.ndarray:
    key = ("leiden", seed)
    if key not in lay.memo:
        if not lay.n:
            membership = np.zeros(0, dtype=np.int64)
        else:
            with engine.seeded(seed):
                found = lay.undirected.community_leiden(
                    objective_function="modularity", n_iterations=-1
                )
            membership = np.asarray(found.membership, dtype=np.int64)
            # Relabel from the largest community down (ties: first person first).
            sizes = np.bincount(membership)
            first = np.full(len(sizes), lay.n)
            np.minimum.at(first, membership, np.arange(lay.n))
            order = np.lexsort((first, -sizes))
            rank = np.empty(len(sizes), dtype=np.int64)
            rank[order] = np.arange(len(sizes))
            membership = rank[membership]
        lay.memo[key] = membership
    return lay.memo[key]
