"""What if these people left: the reach a network loses when some of its people are taken out.

:func:`reach_without` takes people out of one relation's network and compares, before and
after, three things a workshop can read out:

- **pairs still connected**: of every pair of the people who stay, the share joined by
  some chain of relationships (ties followed either way);
- **reach in two steps**: the mean share of the others a person can reach through their
  contacts and their contacts' contacts (:func:`onatool.metrics.health.two_step_reach`'s
  convention: before over everyone, after over the people who stay);
- **ties across a boundary**: relationships between people of different groups
  (organisation by default); those the leavers held are lost.

:func:`most_central_spanners` and :func:`group_members` say whom to take out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.errors import NotDefinedError
from onatool.network import Network

__all__ = ["ReachLost", "group_members", "most_central_spanners", "reach_without"]


@dataclass(frozen=True)
class ReachLost:
    """Reach before and after some people leave (see :func:`reach_without`).

    Attributes
    ----------
    removed, remaining
        How many people were taken out, and how many stay.
    connected_pairs_before, connected_pairs_after
        Share of the pairs of people who stay that are joined by a chain of ties, in
        [0, 1]; NaN when fewer than two people stay.
    two_step_reach_before, two_step_reach_after
        Mean share of the others reachable in one or two steps, in [0, 1].
    cross_ties_before, cross_ties_after
        Ties between people of different ``attribute`` groups (pairs, either way).
    attribute
        The boundary the cross ties are counted across.
    """

    removed: int
    remaining: int
    connected_pairs_before: float
    connected_pairs_after: float
    two_step_reach_before: float
    two_step_reach_after: float
    cross_ties_before: int
    cross_ties_after: int
    attribute: str

    @property
    def reach_drop(self) -> float:
        """Relative fall in two-step reach, ``(before - after) / before`` (NaN without reach)."""
        before = self.two_step_reach_before
        return float("nan") if not before or np.isnan(before) else (before - self.two_step_reach_after) / before

    @property
    def cross_ties_lost(self) -> int:
        """Ties across the boundary that left with the people taken out."""
        return self.cross_ties_before - self.cross_ties_after

    def as_dict(self) -> dict[str, float | int | str]:
        """Plain data (a table row, JSON)."""
        return {**{k: getattr(self, k) for k in self.__dataclass_fields__},
                "reach_drop": self.reach_drop, "cross_ties_lost": self.cross_ties_lost}


def reach_without(net: Network, removed: Iterable[str], *, attribute: str = schema.ORGANISATION,
                  relation: str | None = None, min_weight: float | None = None,
                  symmetric: bool | None = None) -> ReachLost:
    """The reach lost when ``removed`` leave the network.

    Parameters
    ----------
    net
        The network.
    removed
        ``person_id`` of the people taken out (unknown ids are an error).
    attribute
        The boundary whose crossing ties are counted (none counted when absent).
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`. Ties are followed either way.

    Returns
    -------
    ReachLost

    Raises
    ------
    NotDefinedError
        If a person to remove is not in the network.

    Notes
    -----
    Pairs still connected compares the same people (those who stay) before and after,
    so it shows only the connections that ran through the leavers. A non-respondent's
    own ties are unknown, so reach through them is a lower bound, before and after alike.

    Examples
    --------
    Two triangles joined by one tie, a1-b1; take a1 out:

    >>> ties = [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3"),
    ...         ("a1", "b1")]
    >>> people = {p: {"organisation": p[0].upper()} for p in ("a1", "a2", "a3", "b1", "b2", "b3")}
    >>> lost = reach_without(Network.from_edges(ties, people=people, symmetric=True), ["a1"])
    >>> lost.connected_pairs_before, lost.connected_pairs_after, lost.cross_ties_lost
    (1.0, 0.4, 1)
    """
    lay = engine.layer(net, relation, min_weight, symmetric)
    gone = list(dict.fromkeys(removed))
    missing = [p for p in gone if p not in lay.ids]
    if missing:
        raise NotDefinedError(f"{len(missing)} of the people to take out are not in this network "
                              "(expected person ids of this wave)")
    out = lay.ids.get_indexer(gone)
    stay = np.setdiff1d(np.arange(lay.n), out)
    graph = lay.undirected
    rest = graph.copy()
    rest.delete_vertices(out.tolist())
    membership = np.asarray(graph.connected_components().membership)
    return ReachLost(
        removed=len(out),
        remaining=len(stay),
        connected_pairs_before=_connected_share(membership[stay]),
        connected_pairs_after=_connected_share(np.asarray(rest.connected_components().membership)),
        two_step_reach_before=_reach(graph, lay.n),
        two_step_reach_after=_reach(rest, len(stay)),
        cross_ties_before=_cross_ties(lay, attribute, np.array([], dtype=int)),
        cross_ties_after=_cross_ties(lay, attribute, out),
        attribute=attribute,
    )


def most_central_spanners(net: Network, n: int = 3, *, attribute: str = schema.ORGANISATION,
                          relation: str | None = None, min_weight: float | None = None,
                          symmetric: bool | None = None) -> list[str]:
    """The ``n`` boundary spanners who sit most often between others.

    A spanner has at least one tie to someone of another ``attribute`` group; among them,
    the highest betweenness first (ties: more cross ties first, then ``person_id``).
    Fewer than ``n`` when fewer people span.

    Examples
    --------
    >>> ties = [("a1", "a2"), ("a2", "a3"), ("a1", "b1"), ("b1", "b2"), ("b2", "b3"), ("a3", "b3")]
    >>> people = {p: {"organisation": p[0]} for p in ("a1", "a2", "a3", "b1", "b2", "b3")}
    >>> most_central_spanners(Network.from_edges(ties, people=people, symmetric=True), 2)
    ['a1', 'a3']
    """
    from onatool.metrics.centrality import betweenness

    lay = engine.layer(net, relation, min_weight, symmetric)
    cross = pd.Series(_cross_degree(lay, attribute), index=lay.ids)
    spans = cross[cross > 0]
    if spans.empty:
        return []
    between = betweenness(lay).reindex(spans.index).fillna(0.0)
    order = pd.DataFrame({"between": between, "cross": spans, "id": spans.index.astype(str)})
    order = order.sort_values(["between", "cross", "id"], ascending=[False, False, True])
    return list(order.index[:n])


def group_members(net: Network, attribute: str, value: str) -> list[str]:
    """``person_id`` of everyone whose ``attribute`` is ``value``.

    Raises
    ------
    NotDefinedError
        If the network's people have no such attribute.
    """
    if attribute not in net.people.columns:
        raise NotDefinedError(f"the roster has no {attribute!r} column to choose a group by")
    values = net.people[attribute].astype(object)
    return list(net.people.index[values.notna() & (values.astype(str) == str(value))])


def _connected_share(membership: np.ndarray) -> float:
    """Share of pairs in the same component, for people labelled by component."""
    m = len(membership)
    if m < 2:
        return float("nan")
    sizes = np.bincount(membership) if m else np.array([])
    return float((sizes * (sizes - 1)).sum() / (m * (m - 1)))


def _reach(graph, n: int) -> float:
    if n < 2:
        return float("nan")
    sizes = np.asarray(graph.neighborhood_size(order=2), dtype=float) - 1
    return float(sizes.mean() / (n - 1))


def _pairs(lay) -> tuple[np.ndarray, np.ndarray]:
    """Each connected pair once (smaller code first)."""
    a, b = np.minimum(lay.src, lay.dst), np.maximum(lay.src, lay.dst)
    pairs = np.unique(np.column_stack([a, b]), axis=0) if len(a) else np.zeros((0, 2), dtype=int)
    return pairs[:, 0], pairs[:, 1]


def _groups(lay, attribute: str) -> np.ndarray | None:
    if attribute not in lay.people.columns:
        return None
    values = lay.people[attribute].astype(object)
    codes, _ = pd.factorize(values.where(values.notna(), None))
    return codes  # -1: unknown group, never counted as crossing


def _crossing(lay, attribute: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b = _pairs(lay)
    codes = _groups(lay, attribute)
    if codes is None:
        return a, b, np.zeros(len(a), dtype=bool)
    return a, b, (codes[a] >= 0) & (codes[b] >= 0) & (codes[a] != codes[b])


def _cross_ties(lay, attribute: str, removed: np.ndarray) -> int:
    a, b, crossing = _crossing(lay, attribute)
    kept = ~(np.isin(a, removed) | np.isin(b, removed))
    return int((crossing & kept).sum())


def _cross_degree(lay, attribute: str) -> np.ndarray:
    a, b, crossing = _crossing(lay, attribute)
    return np.bincount(np.concatenate([a[crossing], b[crossing]]), minlength=lay.n)
