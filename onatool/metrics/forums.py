"""Boards, forums and programmes: two-mode (person x forum) membership and its measures.

A partnership's collaboration lives as much in who sits on which board, forum and
programme as in who advises whom. Membership is two-mode data: people on one side,
forums on the other, an incidence matrix ``B`` (people x forums) with ``B[i, f] = 1``
when person ``i`` sits on forum ``f``. Breiger (1974) showed that it holds two
one-mode networks:

- ``B.T @ B``: forums linked by the members they share (its diagonal is each forum's
  size);
- ``B @ B.T``: people linked by the forums they share (co-membership, weighted by the
  number of shared forums; its diagonal is how many forums each person sits on).

Borgatti & Everett (1997) set out how to analyse the two modes together rather than
only through the projections; the measures here answer the practitioner's question
"is the same small group in every room?" (see ``docs/metrics.md``, "Boards, forums and
programmes").

Every function takes a *membership* frame with one row per seat, columns
``person_id`` and ``forum`` (duplicates are counted once), and is pure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "MEMBERSHIP_COLUMNS",
    "ForumAnalysis",
    "analyse_forums",
    "bridging",
    "co_membership",
    "concentration",
    "forum_overlap",
    "forum_table",
    "incidence",
]

MEMBERSHIP_COLUMNS = ("person_id", "forum")


def _clean(membership: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in MEMBERSHIP_COLUMNS if c not in membership.columns]
    if missing:
        raise ValueError(f"membership needs the columns {', '.join(MEMBERSHIP_COLUMNS)}; missing {', '.join(missing)}")
    seats = membership.loc[:, list(MEMBERSHIP_COLUMNS)].dropna()
    seats = seats.astype({"person_id": str, "forum": str})
    return seats.drop_duplicates(ignore_index=True)


def incidence(membership: pd.DataFrame) -> tuple[sparse.csr_matrix, pd.Index, pd.Index]:
    """The person x forum incidence matrix.

    Returns
    -------
    matrix
        Sparse 0/1 matrix, people in rows and forums in columns.
    people, forums
        Sorted labels of the rows and the columns.
    """
    seats = _clean(membership)
    people = pd.Index(sorted(seats["person_id"].unique()), name="person_id")
    forums = pd.Index(sorted(seats["forum"].unique()), name="forum")
    rows = people.get_indexer(seats["person_id"])
    cols = forums.get_indexer(seats["forum"])
    data = np.ones(len(seats), dtype=np.int64)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(people), len(forums)))
    return matrix, people, forums


def forum_table(
    membership: pd.DataFrame, people: pd.DataFrame | None = None, attribute: str = "organisation"
) -> pd.DataFrame:
    """Each forum's size and mix of groups.

    Parameters
    ----------
    membership
        One row per seat (``person_id``, ``forum``).
    people
        Person attributes indexed by ``person_id``; without it (or without
        ``attribute``) only sizes are given.
    attribute
        The attribute whose mix is measured, usually ``organisation``.

    Returns
    -------
    DataFrame
        Indexed by forum: ``members``; and when the attribute is known ``groups``
        (distinct values among members whose value is known), ``largest_share`` (share
        of known members in the largest group), ``mix`` (Blau's heterogeneity,
        ``1 - sum(p_g^2)`` over known members: 0 when everyone is from one group) and
        ``unknown`` (members whose value is not known).
    """
    seats = _clean(membership)
    table = seats.groupby("forum")["person_id"].nunique().rename("members").to_frame()
    if people is None or attribute not in people.columns:
        return table
    values = people[attribute].reindex(seats["person_id"]).to_numpy()
    seats = seats.assign(group=values)
    known = seats.dropna(subset=["group"])
    counts = known.groupby(["forum", "group"]).size().unstack(fill_value=0).reindex(table.index, fill_value=0)
    total = counts.sum(axis=1)
    shares = counts.div(total.where(total > 0), axis=0)
    table["groups"] = (counts > 0).sum(axis=1).astype("Int64")
    table["largest_share"] = shares.max(axis=1)
    table["mix"] = 1.0 - (shares**2).sum(axis=1, min_count=1)
    table["unknown"] = (table["members"] - total).astype("Int64")
    return table


def forum_overlap(membership: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forums linked by shared members (Breiger's forum projection ``B.T @ B``).

    Returns
    -------
    shared
        Forum x forum counts of shared members; the diagonal is each forum's size.
    jaccard
        Shared members over members of either forum (1 on the diagonal).
    """
    matrix, _, forums = incidence(membership)
    shared = (matrix.T @ matrix).toarray()
    size = np.diag(shared).astype(float)
    union = size[:, None] + size[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, shared / union, np.nan)
    return (pd.DataFrame(shared, index=forums, columns=forums),
            pd.DataFrame(jaccard, index=forums, columns=forums))


def co_membership(membership: pd.DataFrame) -> pd.DataFrame:
    """People linked by the forums they share (Breiger's person projection ``B @ B.T``).

    Returns
    -------
    DataFrame
        One row per pair who share at least one forum: ``source`` < ``target`` and
        ``shared`` (number of forums both sit on). The same as networkx's
        ``bipartite.weighted_projected_graph`` on the person side.
    """
    matrix, people, _ = incidence(membership)
    pairs = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    edges = pd.DataFrame({
        "source": people[pairs.row].to_numpy(),
        "target": people[pairs.col].to_numpy(),
        "shared": pairs.data.astype(int),
    })
    return edges.sort_values(["source", "target"], ignore_index=True)


def bridging(membership: pd.DataFrame) -> pd.DataFrame:
    """Who bridges forums, per person.

    Returns
    -------
    DataFrame
        Indexed by ``person_id``:

        - ``forums``: forums the person sits on;
        - ``forum_pairs``: pairs of forums the person links (``forums`` choose 2);
        - ``sole_bridge``: pairs of forums whose *only* shared member is this person,
          so that without them the two forums would share no one.
    """
    matrix, people, _ = incidence(membership)
    dense = matrix.toarray()
    forums = dense.sum(axis=1)
    shared = dense.T @ dense
    only_one = np.triu(shared == 1, k=1)
    # A person is the sole bridge of the pairs (f, g) with shared == 1 they sit on both of.
    sole = np.einsum("if,fg,ig->i", dense, only_one.astype(np.int64), dense)
    return pd.DataFrame(
        {"forums": forums, "forum_pairs": forums * (forums - 1) // 2, "sole_bridge": sole},
        index=people,
    )


def concentration(membership: pd.DataFrame, *, top_share: float = 0.10) -> dict[str, float | int]:
    """Is the same small group in every room?

    Parameters
    ----------
    membership
        One row per seat.
    top_share
        The share of members taken as "the busiest" (10% by default, at least one).

    Returns
    -------
    dict
        ``forums``, ``members`` (distinct people), ``seats``; ``seats_per_member``;
        ``busiest_members`` (how many people ``top_share`` is) and ``busiest_seat_share``
        (the share of all seats they hold, ranked by forums sat on); ``in_half_or_more``
        (people on at least half of the forums, with two or more forums);
        ``mean_overlap`` (mean Jaccard overlap over pairs of forums).
    """
    matrix, people, forums = incidence(membership)
    per_person = np.sort(np.asarray(matrix.sum(axis=1)).ravel())[::-1]
    seats = int(per_person.sum())
    busiest = max(1, int(np.ceil(top_share * len(people)))) if len(people) else 0
    _, jaccard = forum_overlap(membership)
    upper = jaccard.to_numpy()[np.triu_indices(len(forums), k=1)]
    return {
        "forums": len(forums),
        "members": len(people),
        "seats": seats,
        "seats_per_member": seats / len(people) if len(people) else float("nan"),
        "busiest_members": busiest,
        "busiest_seat_share": float(per_person[:busiest].sum() / seats) if seats else float("nan"),
        "in_half_or_more": int((per_person >= max(2, len(forums) / 2)).sum()) if len(forums) >= 2 else 0,
        "mean_overlap": float(upper.mean()) if upper.size else float("nan"),
    }


@dataclass(frozen=True)
class ForumAnalysis:
    """Every forum measure of one membership, as :func:`analyse_forums` returns it.

    Attributes
    ----------
    forums
        :func:`forum_table`, indexed by forum (every forum named, members or not).
    shared, jaccard
        :func:`forum_overlap`.
    people
        :func:`bridging` joined to the members' attributes, indexed by ``person_id``.
    summary
        :func:`concentration`.
    """

    forums: pd.DataFrame
    shared: pd.DataFrame
    jaccard: pd.DataFrame
    people: pd.DataFrame
    summary: dict


def analyse_forums(membership: pd.DataFrame, people: pd.DataFrame | None = None, *,
                   attribute: str = "organisation", forums: tuple[str, ...] = ()) -> ForumAnalysis:
    """All forum measures at once.

    Parameters
    ----------
    membership
        One row per seat (``person_id``, ``forum``).
    people
        Person attributes indexed by ``person_id`` (e.g. ``Network.people``).
    attribute
        The attribute whose mix is measured.
    forums
        Every forum named, so that forums without members are listed with 0.
    """
    table = forum_table(membership, people, attribute)
    order = list(dict.fromkeys([*forums, *table.index]))
    table = table.reindex(order)
    table["members"] = table["members"].fillna(0).astype(int)
    shared, jaccard = forum_overlap(membership)
    seated = [f for f in order if f in shared.index]
    shared, jaccard = shared.loc[seated, seated], jaccard.loc[seated, seated]
    per_person = bridging(membership)
    if people is not None:
        per_person = people.reindex(per_person.index).join(per_person)
    return ForumAnalysis(table, shared, jaccard, per_person, concentration(membership))
