"""Group tables, mixing and block density, assortativity, modularity, communities."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from onatool import Network
from onatool.metrics import groups


def three_groups(symmetric: bool = False) -> Network:
    # A = {a1, a2, a3}, B = {b1, b2}, C = {c1}; x has no group.
    people = {"a1": {"org": "A"}, "a2": {"org": "A"}, "a3": {"org": "A"},
              "b1": {"org": "B"}, "b2": {"org": "B"}, "c1": {"org": "C"},
              "x": {"org": None, "responded": False}}
    edges = [("a1", "a2"), ("a2", "a1"), ("a2", "a3"),  # 3 within A
             ("a1", "b1"), ("b1", "a1"),                  # A->B 1, B->A 1
             ("b1", "b2"),                                # 1 within B
             ("b2", "c1"), ("a3", "c1"),                  # B->C 1, A->C 1
             ("a1", "x")]                                 # x's group unknown: left out
    return Network.from_edges(edges, people=people, symmetric=symmetric)


def test_mixing_matrix_by_hand():
    mixing = groups.mixing_matrix(three_groups(), "org")
    assert mixing.index.name == "org"
    assert mixing.to_numpy().tolist() == [[3, 1, 1], [1, 1, 1], [0, 0, 0]]


def test_group_table_by_hand():
    table = groups.group_table(three_groups(), "org")
    assert table.loc["A"].to_dict() == {
        "size": 3, "respondents": 3, "ties_within": 3, "ties_out": 2, "ties_in": 1,
        "ei": pytest.approx(-1 / 5), "density_within": pytest.approx(3 / 6),
        "response_rate": 1.0, "low_response": False,
    }
    assert table.loc["B"].to_dict() == {
        "size": 2, "respondents": 2, "ties_within": 1, "ties_out": 2, "ties_in": 1,
        "ei": pytest.approx(1 / 3), "density_within": pytest.approx(1 / 2),
        "response_rate": 1.0, "low_response": False,
    }
    c = table.loc["C"]
    assert c["ties_in"] == 2 and math.isnan(c["ei"]) and math.isnan(c["density_within"])


def test_block_density_by_hand():
    density = groups.block_density(three_groups(), "org")
    # A->A 3/(3*2); A->B 1/(3*2); A->C 1/(3*1); B->B 1/(2*1); B->C 1/(2*1); C->C empty.
    assert density.loc["A", "A"] == pytest.approx(0.5)
    assert density.loc["A", "B"] == pytest.approx(1 / 6)
    assert density.loc["A", "C"] == pytest.approx(1 / 3)
    assert density.loc["B", "C"] == pytest.approx(0.5)
    assert math.isnan(density.loc["C", "C"])


def test_undirected_counts_each_edge_once():
    # Symmetric: a1-a2, a2-a3 within A (2 edges); a1-b1; b1-b2; b2-c1; a3-c1.
    net = three_groups(symmetric=True)
    mixing = groups.mixing_matrix(net, "org")
    assert mixing.to_numpy().tolist() == [[2, 1, 1], [1, 1, 1], [1, 1, 0]]
    table = groups.group_table(net, "org")
    assert table.loc["A", "ties_within"] == 2
    assert table.loc["A", "ties_out"] == table.loc["A", "ties_in"] == 2
    # density within A: 2 edges of 3 possible pairs.
    assert table.loc["A", "density_within"] == pytest.approx(2 / 3)
    assert groups.block_density(net, "org").loc["A", "A"] == pytest.approx(2 / 3)


def test_karate_modularity_and_assortativity_by_club(karate):
    # Modularity of the club split, unweighted: 0.3582 with networkx's `club` attribute
    # (Zachary's person 9 - node 8 - joined Mr. Hi's club); 0.3715, the value usually
    # quoted for the two factions, when node 8 sits with the Officer (both checked with
    # networkx.community.modularity).
    assert groups.modularity(karate, "club") == pytest.approx(0.358235, abs=1e-6)
    people = karate.people.copy()
    people.loc["8", "club"] = "Officer"
    factions = Network(people, karate.ties, relations=karate.relations)
    assert groups.modularity(factions, "club") == pytest.approx(0.371466, abs=1e-6)
    # Nominal assortativity by club: 0.717531 (networkx attribute_assortativity_coefficient).
    assert groups.assortativity(karate, "club") == pytest.approx(0.717531, abs=1e-6)


def test_leiden_finds_the_karate_split_reproducibly(karate):
    first = groups.communities(karate, seed=3)
    assert first.equals(groups.communities(karate, seed=3))
    # Best known modularity of the karate club is 0.4198 (Brandes et al. 2008); Leiden
    # reaches it or comes within 0.01.
    q = groups.modularity_communities(karate, seed=3)
    assert 0.41 <= q <= 0.4198 + 1e-6
    # Communities are numbered from the largest down.
    sizes = first.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing


def test_communities_of_two_cliques():
    left = [(a, b) for a in "abcd" for b in "abcd" if a < b]
    right = [(a, b) for a in "wxyz" for b in "wxyz" if a < b]
    net = Network.from_edges([*left, *right, ("a", "w")], symmetric=True)
    labels = groups.communities(net)
    assert labels[list("abcd")].nunique() == 1 and labels[list("wxyz")].nunique() == 1
    assert labels["a"] != labels["w"]


def test_assortativity_and_modularity_leave_unknown_groups_out():
    # x has no group; among the rest ties stay within groups: perfectly assortative.
    people = {"a": {"org": "A"}, "b": {"org": "A"}, "c": {"org": "B"}, "d": {"org": "B"},
              "x": {"org": None}}
    net = Network.from_edges([("a", "b"), ("c", "d"), ("a", "x"), ("x", "c")], people=people,
                             symmetric=True)
    assert groups.assortativity(net, "org") == pytest.approx(1.0)
    assert groups.modularity(net, "org") == pytest.approx(0.5)


def test_directed_assortativity_matches_networkx(messy):
    graph = nx.DiGraph()
    known = messy.people["organisation"].dropna()
    graph.add_nodes_from((p, {"org": g}) for p, g in known.items())
    ties = messy.ties[messy.ties["source"].isin(known.index) & messy.ties["target"].isin(known.index)]
    graph.add_edges_from(zip(ties["source"], ties["target"], strict=True))
    expected = nx.attribute_assortativity_coefficient(graph, "org")
    assert groups.assortativity(messy, "organisation") == pytest.approx(expected)


def test_no_ties():
    net = Network.from_edges([], people={"a": {"org": "A"}, "b": {"org": "B"}})
    assert math.isnan(groups.assortativity(net, "org"))
    assert math.isnan(groups.modularity(net, "org"))
    assert math.isnan(groups.modularity_communities(net))
    assert groups.communities(net).tolist() == [0, 1]
    assert np.isnan(groups.group_table(net, "org")["ei"]).all()
