"""People outside the staff list: how the kinds of people in a place are tied to each other.

A place's collaborative network includes service users and carers, elected members and
community organisations as well as staff. The roster's ``actor_type`` says which each
person is (:data:`onatool.schema.ACTOR_TYPES`); :func:`type_mix` answers questions such as
"how many staff have any tie to a community organisation?".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.engine import Layer
from onatool.network import Network

__all__ = ["type_mix"]


def type_mix(net: Network | Layer, *, relation: str | None = None, min_weight: float | None = None) -> pd.DataFrame:
    """For each pair of actor types, how many people of the first have any tie to the second.

    A tie counts in either direction (named or named by). People whose type is unknown
    are left out of rows and columns.

    Returns
    -------
    DataFrame
        One row per (``actor_type``, ``tied_to``): ``people`` (of ``actor_type``),
        ``with_tie`` (of them, tied to at least one person of ``tied_to``, other than
        themselves) and ``share``. Empty when the roster has no actor types.

    Examples
    --------
    >>> net = Network.from_edges([("s1", "c1"), ("s2", "s1")], people={
    ...     "s1": {"actor_type": "staff"}, "s2": {"actor_type": "staff"},
    ...     "c1": {"actor_type": "community organisation"}})
    >>> mix = type_mix(net).set_index(["actor_type", "tied_to"])
    >>> mix.loc[("staff", "community organisation"), ["people", "with_tie"]].tolist()
    [2, 1]
    """
    lay = engine.prepare(net, relation, min_weight)
    columns = ["actor_type", "tied_to", "people", "with_tie", "share"]
    if schema.ACTOR_TYPE not in lay.people.columns:
        return pd.DataFrame(columns=columns)
    codes, kinds = engine.group_codes(lay, schema.ACTOR_TYPE)
    k = len(kinds)
    i, j = lay.contacts
    known = (codes[i] >= 0) & (codes[j] >= 0)
    # One mark per person and type of contact, then count people per (own type, contact type).
    marks = np.unique(i[known] * k + codes[j[known]])
    person, kind = marks // k, marks % k
    with_tie = np.bincount(codes[person] * k + kind, minlength=k * k).reshape(k, k)
    sizes = np.bincount(codes[codes >= 0], minlength=k)
    rows = [(kinds[a], kinds[b], int(sizes[a]), int(with_tie[a, b]),
             with_tie[a, b] / sizes[a] if sizes[a] else np.nan) for a in range(k) for b in range(k)]
    return pd.DataFrame(rows, columns=columns)
