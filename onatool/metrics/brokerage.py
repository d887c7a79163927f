"""Gould and Fernandez brokerage roles across a boundary attribute.

A person ``i`` brokers a two-path ``a -> i -> b`` when a, i and b are three different
people and ``a`` does not name ``b`` directly. The role depends on the groups:

============== ============ ==========================================
role           groups       who is where
============== ============ ==========================================
coordinator    A -> A -> A  all three in one group
itinerant      A -> B -> A  the broker outside the others' group (consultant)
representative A -> A -> B  broker in the source's group, passing outward
gatekeeper     A -> B -> B  broker in the target's group, letting in
liaison        A -> B -> C  all three in different groups
============== ============ ==========================================

Counts are raw, as sna's ``brokerage(g, cl)$raw.nli`` (columns ``w_I, w_O, b_IO,
b_OI, b_O``). In a symmetric relation each open path ``a - i - b`` counts in both
directions, as sna does on a symmetric matrix.

Missing group values: a two-path touching anyone whose group is unknown is not
counted; a broker whose own group is unknown gets NaN. In a directed relation,
non-respondents get NaN (every two-path through them leaves by a tie they did not
report).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from onatool import engine
from onatool.engine import Layer
from onatool.network import Network

__all__ = [
    "ROLES",
    "brokerage",
    "coordinator",
    "gatekeeper",
    "itinerant",
    "liaison",
    "representative",
    "two_path_census",
]

Net = Network | Layer

#: Role names, in sna's column order w_I, w_O, b_IO, b_OI, b_O.
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def two_path_census(lay: Layer, attributes: Sequence[str] = ()) -> dict:
    """Two-paths counted once for transitivity and every attribute's brokerage.

    Parameters
    ----------
    lay
        A prepared Layer.
    attributes
        Boundary attributes to classify brokerage by.

    Returns
    -------
    dict
        ``two_paths`` (``a -> i -> b``, ``a != b``), ``closed`` (of those, with
        ``a -> b``), the same per person ``a`` who starts them (``two_paths_from``,
        ``closed_from``: arrays over people), and ``roles``: ``{attribute: array (n, 5)}``
        of raw counts in :data:`ROLES` order (before NaN conventions). Memoised on the Layer.
    """
    memo = lay.memo.setdefault("two_path_census", {"roles": {}})
    todo = [a for a in dict.fromkeys(attributes) if a not in memo["roles"]]
    if "two_paths" in memo and not todo:
        return memo
    codes = {a: engine.group_codes(lay, a)[0] for a in todo}
    counts = {a: np.zeros(lay.n * len(ROLES), dtype=np.int64) for a in todo}
    total = closed_total = 0
    from_a, closed_from_a = np.zeros(lay.n, dtype=np.int64), np.zeros(lay.n, dtype=np.int64)
    for a, i, b in engine.two_paths(lay.src, lay.dst, lay.n):
        closed = lay.has_arc(a, b)
        total += len(a)
        closed_total += int(closed.sum())
        from_a += np.bincount(a, minlength=lay.n)
        closed_from_a += np.bincount(a[closed], minlength=lay.n)
        a, i, b = a[~closed], i[~closed], b[~closed]
        for attribute, g in codes.items():
            ga, gi, gb = g[a], g[i], g[b]
            known = (ga >= 0) & (gi >= 0) & (gb >= 0)
            ga, gi, gb, broker = ga[known], gi[known], gb[known], i[known]
            role = np.select(
                [(ga == gi) & (gi == gb), ga == gb, ga == gi, gi == gb],
                [0, 1, 2, 3],
                default=4,
            )
            counts[attribute] += np.bincount(
                broker * len(ROLES) + role, minlength=lay.n * len(ROLES)
            )
    memo["two_paths"], memo["closed"] = total, closed_total
    memo["two_paths_from"], memo["closed_from"] = from_a, closed_from_a
    for attribute in todo:
        memo["roles"][attribute] = counts[attribute].reshape(lay.n, len(ROLES))
    return memo


def brokerage(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> pd.DataFrame:
    """The five Gould-Fernandez brokerage counts of every person across ``attribute``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute, e.g. ``organisation``.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``; columns ``coordinator_X, itinerant_X,
        representative_X, gatekeeper_X, liaison_X`` (X the attribute): raw counts,
        0 or more. NaN when the person's own group is unknown, and for
        non-respondents in a directed relation.

    Raises
    ------
    NotDefinedError
        If no person has the attribute.

    Notes
    -----
    Equals sna ``brokerage(g, cl)$raw.nli``. A two-path ``a -> i -> b`` needs a, i, b
    distinct and no tie ``a -> b``.
    Plain language: how often this person connects two colleagues who are not
    directly connected, and across which boundaries.

    References
    ----------
    Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a formal
    approach to brokerage in transaction networks. Sociological Methodology 19, 89-126.

    Examples
    --------
    >>> people = {"a": {"organisation": "GP"}, "i": {"organisation": "GP"},
    ...           "b": {"organisation": "Council"}}
    >>> net = Network.from_edges([("a", "i"), ("i", "b")], people=people)
    >>> brokerage(net, "organisation").loc["i"].tolist()
    [0.0, 0.0, 1.0, 0.0, 0.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    counts = two_path_census(lay, [attribute])["roles"][attribute].astype(float)
    codes, _ = engine.group_codes(lay, attribute)
    counts[codes < 0] = np.nan
    if lay.directed:
        counts[~lay.responded] = np.nan
    return pd.DataFrame(
        counts, index=lay.ids.copy(), columns=[f"{role}_{attribute}" for role in ROLES]
    )


def _role(role: str):
    def measure(
        net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
    ) -> pd.Series:
        return brokerage(
            net, attribute, relation=relation, min_weight=min_weight, symmetric=symmetric
        )[f"{role}_{attribute}"]

    measure.__name__ = measure.__qualname__ = role
    measure.__doc__ = (
        f"The {role} column of :func:`brokerage`: ``{role}_X`` per person, a raw count."
    )
    return measure


coordinator = _role("coordinator")
itinerant = _role("itinerant")
representative = _role("representative")
gatekeeper = _role("gatekeeper")
liaison = _role("liaison")
