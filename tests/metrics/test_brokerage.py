"""Gould-Fernandez brokerage: each role a known number of times, and a brute-force check."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import Network, engine
from onatool.errors import NotDefinedError
from onatool.metrics import brokerage
from onatool.metrics.brokerage import ROLES


def motifs() -> Network:
    """Separate two-paths, one per role, plus cases that must not count.

    Groups A, B, C. Each motif uses its own people, so no two-path crosses motifs.
    """
    group = {}
    edges = []

    def path(*people_groups, closed=False):
        names = [name for name, _ in people_groups]
        group.update(dict(people_groups))
        edges.extend(zip(names, names[1:], strict=False))
        if closed:
            edges.append((names[0], names[-1]))

    path(("p1", "A"), ("p2", "A"), ("p3", "A"))  # coordinator p2
    path(("q1", "A"), ("q2", "B"), ("q3", "A"))  # itinerant q2
    path(("r1", "A"), ("r2", "A"), ("r3", "B"))  # representative r2
    path(("s1", "A"), ("s2", "B"), ("s3", "B"))  # gatekeeper s2
    path(("t1", "A"), ("t2", "B"), ("t3", "C"))  # liaison t2
    path(("u1", "A"), ("u2", "B"), ("u3", "C"), closed=True)  # closed by u1 -> u3: none
    path(("v1", "A"), ("v2", "B"))  # v1 <-> v2: a -> i -> a is not a two-path
    edges.append(("v2", "v1"))
    # w2 (A) is representative twice: w1 (A) and w3 (A) both go through w2 to w4 (B).
    group.update({"w1": "A", "w2": "A", "w3": "A", "w4": "B"})
    edges += [("w1", "w2"), ("w3", "w2"), ("w2", "w4")]
    people = {name: {"organisation": g} for name, g in group.items()}
    return Network.from_edges(edges, people=people)


EXPECTED = {  # person -> (coordinator, itinerant, representative, gatekeeper, liaison)
    "p2": (1, 0, 0, 0, 0),
    "q2": (0, 1, 0, 0, 0),
    "r2": (0, 0, 1, 0, 0),
    "s2": (0, 0, 0, 1, 0),
    "t2": (0, 0, 0, 0, 1),
    "w2": (0, 0, 2, 0, 0),
}


def test_each_role_occurs_a_known_number_of_times():
    table = brokerage.brokerage(motifs(), "organisation")
    assert list(table.columns) == [f"{role}_organisation" for role in ROLES]
    for person, row in table.iterrows():
        assert tuple(row) == EXPECTED.get(person, (0, 0, 0, 0, 0)), person
    # Totals per role: coordinator 1, itinerant 1, representative 3, gatekeeper 1, liaison 1.
    assert table.sum().tolist() == [1, 1, 3, 1, 1]


def test_single_role_functions_match_the_table():
    net = motifs()
    table = brokerage.brokerage(net, "organisation")
    for role in ROLES:
        series = getattr(brokerage, role)(net, "organisation")
        assert series.name == f"{role}_organisation"
        assert series.equals(table[f"{role}_organisation"])


def test_symmetric_relation_counts_each_open_path_both_ways():
    # a - i - b undirected, a and b not tied: a->i->b and b->i->a, as sna counts on a
    # symmetric matrix. All in one group: coordinator 2.
    people = {x: {"organisation": "A"} for x in "aib"}
    net = Network.from_edges([("a", "i"), ("i", "b")], people=people, symmetric=True)
    assert brokerage.coordinator(net, "organisation")["i"] == 2
    # Across groups A - B - A: itinerant both ways.
    people["i"] = {"organisation": "B"}
    net = Network.from_edges([("a", "i"), ("i", "b")], people=people, symmetric=True)
    assert brokerage.itinerant(net, "organisation")["i"] == 2


def test_missing_groups():
    # Broker with unknown group: NaN for every role. Paths touching an unknown end: not
    # counted, the others are.
    people = {"a": {"organisation": "A"}, "i": {"organisation": None},
              "b": {"organisation": "B"}, "x": {"organisation": None},
              "j": {"organisation": "A"}}
    net = Network.from_edges(
        [("a", "i"), ("i", "b"), ("a", "j"), ("j", "b"), ("x", "j")], people=people
    )
    table = brokerage.brokerage(net, "organisation")
    assert table.loc["i"].isna().all()
    # j: a -> j -> b is representative (A, A, B); x -> j -> b has an unknown source.
    assert table.loc["j"].tolist() == [0, 0, 1, 0, 0]


def test_non_respondents_are_unknown_in_a_directed_relation():
    people = {"a": {"organisation": "A"}, "i": {"organisation": "A", "responded": False},
              "b": {"organisation": "B"}}
    net = Network.from_edges([("a", "i"), ("i", "b")], people=people)
    assert brokerage.brokerage(net, "organisation").loc["i"].isna().all()


def brute_force(net: Network, attribute: str) -> pd.DataFrame:
    """The definition, loop by loop, as sna's C code does it."""
    arcs = set(zip(net.ties["source"], net.ties["target"], strict=True))
    group = net.people[attribute].to_dict()
    counts = {p: Counter() for p in net.people.index}
    for a, i in arcs:
        for i2, b in arcs:
            if i2 != i or a == b or (a, b) in arcs:
                continue
            ga, gi, gb = group[a], group[i], group[b]
            if ga == gi == gb:
                role = "coordinator"
            elif ga == gb:
                role = "itinerant"
            elif ga == gi:
                role = "representative"
            elif gi == gb:
                role = "gatekeeper"
            else:
                role = "liaison"
            counts[i][role] += 1
    return pd.DataFrame(
        [[counts[p][r] for r in ROLES] for p in net.people.index],
        index=net.people.index, columns=[f"{r}_{attribute}" for r in ROLES],
    )


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(3, 10),
    pairs=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=45),
    labels=st.lists(st.sampled_from("ABC"), min_size=10, max_size=10),
)
def test_matches_brute_force_on_random_networks(n, pairs, labels):
    edges = sorted({(f"n{a}", f"n{b}") for a, b in pairs if a < n and b < n and a != b})
    people = {f"n{k}": {"organisation": labels[k]} for k in range(n)}
    net = Network.from_edges(edges, people=people)
    ours = brokerage.brokerage(net, "organisation")
    pd.testing.assert_frame_equal(ours, brute_force(net, "organisation").astype(float))


def test_census_counts_all_and_closed_two_paths_once():
    lay = engine.layer(motifs())
    census = brokerage.two_path_census(lay)
    # Two-paths: one per open motif (5), u1->u2->u3 closed, w1/w3 -> w2 -> w4 (2).
    assert census["two_paths"] == 8 and census["closed"] == 1
    again = brokerage.two_path_census(lay, ["organisation"])
    assert again is census  # memoised: one pass per Layer
    assert np.asarray(again["roles"]["organisation"]).sum() == 7


def test_unknown_attribute_is_refused():
    with pytest.raises(NotDefinedError, match="'team'"):
        brokerage.brokerage(motifs(), "team")
