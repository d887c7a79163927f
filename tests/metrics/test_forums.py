"""Two-mode membership measures on a hand-worked example, and against networkx's projection.

The example: three forums, five people.

    A: p1 p2 p3          (organisations: p1 trust, p2 trust, p3 council)
    B: p3 p4             (p4 council)
    C: p3 p4 p5          (p5 unknown)

Forums share: A-B {p3}, A-C {p3}, B-C {p3, p4}. People share: p3-p4 two forums,
every other pair inside a forum one. p3 is the only link between A and both B and C.
"""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from onatool.metrics import forums

SEATS = [("p1", "A"), ("p2", "A"), ("p3", "A"), ("p3", "B"), ("p4", "B"),
         ("p3", "C"), ("p4", "C"), ("p5", "C"), ("p3", "C")]  # one duplicate seat, counted once
MEMBERSHIP = pd.DataFrame(SEATS, columns=["person_id", "forum"])
PEOPLE = pd.DataFrame({"organisation": ["trust", "trust", "council", "council", None]},
                      index=pd.Index(["p1", "p2", "p3", "p4", "p5"], name="person_id"))


def test_forum_size_and_organisational_mix_by_hand():
    table = forums.forum_table(MEMBERSHIP, PEOPLE)
    assert table["members"].to_dict() == {"A": 3, "B": 2, "C": 3}
    assert table["groups"].to_dict() == {"A": 2, "B": 1, "C": 1}
    assert table.at["A", "largest_share"] == pytest.approx(2 / 3)
    assert table.at["A", "mix"] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)  # 4/9
    assert table.at["B", "mix"] == 0.0  # everyone from one organisation
    assert table.at["C", "unknown"] == 1 and table.at["C", "largest_share"] == 1.0


def test_forum_table_without_attributes_gives_sizes_only():
    assert list(forums.forum_table(MEMBERSHIP).columns) == ["members"]


def test_forum_overlap_is_breigers_forum_projection():
    shared, jaccard = forums.forum_overlap(MEMBERSHIP)
    assert shared.loc["A", "B"] == 1 and shared.loc["A", "C"] == 1 and shared.loc["B", "C"] == 2
    assert np.diag(shared).tolist() == [3, 2, 3]
    assert jaccard.loc["B", "C"] == pytest.approx(2 / 3)  # {p3,p4} over {p3,p4,p5}
    assert jaccard.loc["A", "B"] == pytest.approx(1 / 4)


def test_co_membership_by_hand():
    edges = forums.co_membership(MEMBERSHIP)
    got = {(s, t): w for s, t, w in edges.itertuples(index=False)}
    assert got == {("p1", "p2"): 1, ("p1", "p3"): 1, ("p2", "p3"): 1,
                   ("p3", "p4"): 2, ("p3", "p5"): 1, ("p4", "p5"): 1}


def test_bridging_finds_the_sole_bridge():
    table = forums.bridging(MEMBERSHIP)
    assert table.loc["p3"].tolist() == [3, 3, 2]  # 3 forums, 3 pairs, sole link of A-B and A-C
    assert table.loc["p4"].tolist() == [2, 1, 0]  # links B-C, but so does p3
    assert table.loc["p1"].tolist() == [1, 0, 0]


def test_concentration_by_hand():
    summary = forums.concentration(MEMBERSHIP)
    assert summary["forums"] == 3 and summary["members"] == 5 and summary["seats"] == 8
    assert summary["busiest_members"] == 1 and summary["busiest_seat_share"] == pytest.approx(3 / 8)
    assert summary["in_half_or_more"] == 2  # p3 (3 forums) and p4 (2 of 3)
    assert summary["mean_overlap"] == pytest.approx((1 / 5 + 1 / 4 + 2 / 3) / 3)  # A-C is {p3} of 5


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="missing forum"):
        forums.incidence(pd.DataFrame({"person_id": ["p1"]}))


seats = st.lists(st.tuples(st.sampled_from([f"p{i}" for i in range(12)]), st.sampled_from("ABCDEF")),
                 min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(seats)
def test_projections_agree_with_networkx(rows):
    membership = pd.DataFrame(rows, columns=["person_id", "forum"])
    graph = nx.Graph()
    people = sorted({p for p, _ in rows})
    rooms = sorted({("forum", f) for _, f in rows})
    graph.add_nodes_from(people, bipartite=0)
    graph.add_nodes_from(rooms, bipartite=1)
    graph.add_edges_from((p, ("forum", f)) for p, f in rows)

    expected = bipartite.weighted_projected_graph(graph, people)
    got = forums.co_membership(membership)
    assert {(s, t): w for s, t, w in got.itertuples(index=False)} == {
        tuple(sorted((u, v))): d["weight"] for u, v, d in expected.edges(data=True)}

    expected_forums = bipartite.weighted_projected_graph(graph, rooms)
    shared, _ = forums.forum_overlap(membership)
    for u, v, d in expected_forums.edges(data=True):
        assert shared.loc[u[1], v[1]] == d["weight"]
    assert int(np.triu(shared.to_numpy(), k=1).astype(bool).sum()) == expected_forums.number_of_edges()

    sole = forums.bridging(membership)["sole_bridge"]
    for person in people:  # brute force: pairs of this person's forums sharing no one else
        mine = sorted({f for p, f in rows if p == person})
        count = 0
        for i, f in enumerate(mine):
            for g in mine[i + 1:]:
                others = {p for p, h in rows if h == f} & {p for p, h in rows if h == g}
                count += others == {person}
        assert sole[person] == count
    assert not math.isnan(forums.concentration(membership)["seats_per_member"])
