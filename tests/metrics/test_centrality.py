"""Person centrality against known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from onatool import Network
from onatool.metrics import centrality


def test_kite_betweenness_from_the_literature(kite):
    # Krackhardt's kite (networkx numbering): raw betweenness 14 for Heather (7), 8 for
    # Ike (8), 8 1/3 for Fernando and Garth (5, 6), 3 2/3 for Diane (3), 5/6 for Andre
    # and Beverly (0, 1), 0 for the rest (Krackhardt 1990; networkx's test suite,
    # test_betweenness_centrality.py). Normalised by (n-1)(n-2)/2 = 36.
    raw = {0: 5 / 6, 1: 5 / 6, 2: 0, 3: 11 / 3, 4: 0, 5: 25 / 3, 6: 25 / 3, 7: 14, 8: 8, 9: 0}
    expected = [raw[k] / 36 for k in range(10)]
    assert centrality.betweenness(kite).tolist() == pytest.approx(expected)


def test_kite_degrees(kite):
    # Diane (3) has the most ties, six; Jane (9) one (Krackhardt 1990).
    degree = centrality.degree(kite)
    assert degree["3"] == 6 and degree["9"] == 1
    # Symmetric relation: in = out = degree.
    assert centrality.in_degree(kite).tolist() == degree.tolist()
    assert centrality.out_degree(kite).tolist() == degree.astype(float).tolist()


def test_kite_harmonic_closeness_by_hand(kite):
    # Jane (9) is 1 step from Ike (8), 2 from Heather (7), 3 from Fernando and Garth
    # (5, 6) and 4 from the other five: (1 + 1/2 + 2/3 + 5/4) / 9.
    expected = (1 + 1 / 2 + 2 / 3 + 5 / 4) / 9
    assert centrality.closeness_in(kite)["9"] == pytest.approx(expected)
    assert centrality.closeness_out(kite)["9"] == pytest.approx(expected)


def test_florentine_medici(florentine):
    # Padgett's marriage network: the Medici have degree 6 and raw betweenness 47.5 of
    # the (15-1)(15-2)/2 = 91 possible (UCINET; networkx gives the same).
    assert centrality.degree(florentine)["Medici"] == 6
    assert centrality.betweenness(florentine)["Medici"] == pytest.approx(47.5 / 91)
    assert centrality.betweenness(florentine).idxmax() == "Medici"
    # Pucci has no marriage ties in Padgett's data and networkx leaves them out, so the
    # 15 families here are all connected.
    assert (centrality.core(florentine) >= 1).all()


def test_directed_path_closeness_and_betweenness():
    # a -> b -> c: of the (n-1)(n-2) = 2 ordered pairs b could lie between (a..c and
    # c..a), b is on the only shortest path of one: 1/2.
    net = Network.from_edges([("a", "b"), ("b", "c")])
    assert centrality.betweenness(net).to_dict() == {"a": 0.0, "b": 0.5, "c": 0.0}
    # closeness_out of a: (1/1 + 1/2)/2; closeness_in of c: (1/1 + 1/2)/2.
    assert centrality.closeness_out(net)["a"] == pytest.approx(0.75)
    assert centrality.closeness_in(net)["c"] == pytest.approx(0.75)
    assert centrality.closeness_in(net)["a"] == 0.0


def test_non_respondents_out_measures_are_unknown_not_zero():
    people = {"a": {"responded": True}, "b": {"responded": False}, "c": {"responded": True}}
    net = Network.from_edges([("a", "b"), ("c", "b"), ("a", "c")], people=people)
    assert math.isnan(centrality.out_degree(net)["b"])
    assert math.isnan(centrality.closeness_out(net)["b"])
    assert math.isnan(centrality.betweenness(net)["b"])
    # What others said about b still counts.
    assert centrality.in_degree(net)["b"] == 2
    assert centrality.degree(net)["b"] == 2
    assert centrality.closeness_in(net)["b"] == 1.0
    assert not math.isnan(centrality.constraint(net)["b"])


def test_non_respondents_in_a_symmetric_relation_keep_path_measures():
    # Only out_degree stays unknown: in a mutual relation a tie reported by either side
    # is the whole tie.
    people = {"a": {"responded": True}, "b": {"responded": False}, "c": {"responded": True}}
    net = Network.from_edges([("a", "b"), ("c", "b")], people=people, symmetric=True)
    assert centrality.betweenness(net)["b"] == 1.0
    assert centrality.closeness_out(net)["b"] == 1.0
    assert math.isnan(centrality.out_degree(net)["b"])


def test_constraint_and_effective_size_worked_by_hand_undirected():
    # Ego i with contacts a, b, c; a and b know each other.
    # p_ij = 1/3 for i; 1/2 for a and b; 1 for c.
    # constraint(i) = 2 * (1/3 + 1/3 * 1/2)^2 + (1/3)^2 = 0.5 + 1/9
    # constraint(a) = (1/2 + 1/2 * 1/2)^2 + (1/2 + 1/2 * 1/3)^2 = 9/16 + 4/9
    # effective size(i) = (1 - 1/3) + (1 - 1/3) + 1 = 7/3 (Borgatti: 3 - 2*1/3)
    # effective size(a) = (1 - 1/2) + (1 - 1/2) = 1
    net = Network.from_edges([("i", "a"), ("i", "b"), ("i", "c"), ("a", "b")], symmetric=True)
    c = centrality.constraint(net)
    assert c["i"] == pytest.approx(0.5 + 1 / 9)
    assert c["a"] == pytest.approx(9 / 16 + 4 / 9)
    assert c["c"] == pytest.approx(1.0)
    es = centrality.effective_size(net)
    assert es.to_dict() == pytest.approx({"i": 7 / 3, "a": 1.0, "b": 1.0, "c": 1.0})
    assert centrality.efficiency(net)["i"] == pytest.approx(7 / 9)


def test_constraint_and_effective_size_worked_by_hand_directed():
    # i <-> a (mutual: weight 2), i -> b, a -> b (one-way: weight 1).
    # i: p_ia = 2/3, p_ib = 1/3; a: p_ai = 2/3, p_ab = 1/3, strongest 2; b: 1/2 each,
    # strongest 1.
    # effective size(i) = [1 - p_ib m_ab] + [1 - p_ia m_ba] = (1 - 1/3 * 1/2) + (1 - 2/3 * 1)
    # constraint(i) = (2/3 + 1/3 * 1/2)^2 + (1/3 + 2/3 * 1/3)^2
    net = Network.from_edges([("i", "a"), ("a", "i"), ("i", "b"), ("a", "b")])
    assert centrality.effective_size(net)["i"] == pytest.approx(5 / 6 + 1 / 3)
    assert centrality.constraint(net)["i"] == pytest.approx((5 / 6) ** 2 + (5 / 9) ** 2)


def test_isolates_have_no_constraint_or_effective_size():
    net = Network.from_edges([("a", "b")], people={"z": {}})
    for measure in (centrality.constraint, centrality.effective_size, centrality.efficiency):
        assert math.isnan(measure(net)["z"])
    assert centrality.core(net)["z"] == 0
    assert centrality.eigenvector(net)["z"] == 0


def test_eigenvector_of_a_star_and_of_no_ties():
    net = Network.from_edges([("c", x) for x in "abd"])  # directed out, symmetrised
    values = centrality.eigenvector(net)
    assert values["c"] == 1.0
    assert values[["a", "b", "d"]].tolist() == pytest.approx([1 / math.sqrt(3)] * 3)
    empty = Network.from_edges([], people={"a": {}, "b": {}})
    assert centrality.eigenvector(empty).tolist() == [0.0, 0.0]


def test_karate_eigenvector_leader_and_core(karate):
    # Known: the instructor (0) and the administrator (33) lead; the 4-core is the top
    # (networkx core_number, and Seidman's k-core of the karate club).
    eig = centrality.eigenvector(karate)
    assert eig.idxmax() == "33" and eig.max() == 1.0
    assert eig["0"] == pytest.approx(0.9521, abs=1e-3)  # networkx, scaled to max 1
    assert centrality.core(karate).max() == 4


def test_pagerank_sums_to_one_with_dangling_people():
    # c names no one: its share is spread evenly (as igraph and networkx do).
    net = Network.from_edges([("a", "b"), ("b", "c")])
    pr = centrality.pagerank(net)
    assert pr.sum() == pytest.approx(1.0)
    assert pr.is_monotonic_increasing


def test_core_numbers():
    # Triangle a b c with a tail d: triangle is the 2-core, d is in the 1-core.
    net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    assert centrality.core(net).to_dict() == {"a": 2, "b": 2, "c": 2, "d": 1}


def test_results_are_indexed_by_people_and_named():
    net = Network.from_edges([("a", "b")], people={"z": {}})
    for name in centrality.__all__:
        result = getattr(centrality, name)(net)
        assert result.name == name
        assert list(result.index) == list(net.people.index)


def test_tiny_networks_are_defined():
    for net in (Network.from_edges([], people={"a": {}}), Network.from_edges([("a", "b")])):
        assert np.isfinite(centrality.betweenness(net).fillna(0)).all()
        assert np.isfinite(centrality.closeness_in(net)).all()


def test_eigenvector_is_the_same_on_every_call_even_when_components_tie():
    # Two separate pairs share the leading eigenvalue 1; a path of three has sqrt(2).
    pairs = Network.from_edges([("a", "b"), ("c", "d")])
    assert {tuple(centrality.eigenvector(pairs)) for _ in range(10)} == {(1.0, 1.0, 1.0, 1.0)}
    path = Network.from_edges([("a", "b"), ("c", "d"), ("e", "f"), ("f", "g")])
    values = centrality.eigenvector(path)
    # Only the component with the largest eigenvalue scores: e, g = 1/sqrt(2), f = 1.
    assert values[["a", "b", "c", "d"]].tolist() == [0.0] * 4
    assert values[["e", "f", "g"]].tolist() == pytest.approx([2 ** -0.5, 1.0, 2 ** -0.5])
