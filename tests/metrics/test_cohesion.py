"""Network-level measures: counts, density, reciprocity, transitivity, centralization, components."""

from __future__ import annotations

import math

import pytest

from onatool import Network
from onatool.metrics import cohesion


def test_counts_and_density():
    people = {"d": {"responded": False}}
    net = Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")], people=people)
    assert cohesion.counts(net) == {"people": 4, "respondents": 3, "response_rate": 0.75,
                                    "ties": 3}
    # d did not answer: density over respondents' rows, 3 ties / (3 respondents x 3 others).
    assert cohesion.density(net) == pytest.approx(3 / 9)
    undirected = Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")], symmetric=True)
    assert cohesion.counts(undirected)["ties"] == 2
    assert cohesion.density(undirected) == pytest.approx(2 / 3)


def test_edgewise_reciprocity():
    # One mutual pair (M = 1), two one-way ties (A = 2): 2M / (2M + A) = 2/4.
    net = Network.from_edges([("a", "b"), ("b", "a"), ("b", "c"), ("c", "d")])
    assert cohesion.reciprocity(net) == 0.5
    assert math.isnan(cohesion.reciprocity(Network.from_edges([("a", "b")], symmetric=True)))


def test_directed_weak_transitivity_by_hand():
    # Two-paths i->j->k with i != k: a->b->c (closed by a->c), a->b->d, b->c->a, c->a->b
    # (open; a->c->a and c->a->c are not two-paths): 1 closed of 4 (= sna gtrans weak).
    net = Network.from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("b", "d"), ("c", "a")])
    assert cohesion.transitivity(net) == pytest.approx(1 / 4)


def test_transitivity_of_classics(karate, florentine):
    # Global clustering: karate 0.2557, Florentine families 0.1915 (networkx.transitivity).
    assert cohesion.transitivity_undirected(karate) == pytest.approx(0.255682, abs=1e-6)
    assert cohesion.transitivity_undirected(florentine) == pytest.approx(0.191489, abs=1e-6)
    # On a symmetric relation the directed weak measure equals the undirected one.
    assert cohesion.transitivity(karate) == pytest.approx(cohesion.transitivity_undirected(karate))


def test_centralization_of_a_star_is_one_and_of_a_circle_zero(star, circle):
    for name in ("centralization_in_degree", "centralization_out_degree",
                 "centralization_betweenness"):
        assert getattr(cohesion, name)(star) == pytest.approx(1.0), name
        assert getattr(cohesion, name)(circle) == pytest.approx(0.0), name


def test_directed_star_centralization():
    # Leaves naming the centre only: the in-star, maximal for in-degree: 1. Out-degree:
    # leaves 1, centre 0, so the gaps sum to 1, over (n-1)^2 = 25.
    leaves = "abcde"
    inward = Network.from_edges([(x, "o") for x in leaves])
    assert cohesion.centralization_in_degree(inward) == pytest.approx(1.0)
    assert cohesion.centralization_out_degree(inward) == pytest.approx(1 / 25)
    # Mutual star: the centre is between every ordered pair of leaves, raw (n-1)(n-2) = 20,
    # the maximum: betweenness centralization 1 (denominator (n-1)^2 (n-2) = 100). The
    # leaves are also named once each, so in-degree gaps are 5 * (5 - 1) = 20 of 25.
    mutual = Network.from_edges([(x, "o") for x in leaves] + [("o", x) for x in leaves])
    assert cohesion.centralization_betweenness(mutual) == pytest.approx(1.0)
    assert cohesion.centralization_in_degree(mutual) == pytest.approx(0.8)
    assert cohesion.centralization_out_degree(mutual) == pytest.approx(0.8)


def test_kite_centralization(kite):
    # Degree: max 6 (Diane), degrees 4 4 3 6 3 5 5 3 2 1 -> sum of gaps 60 - 36 = 24,
    # over (n-1)(n-2) = 72. Betweenness: max 14 (Heather), raw sum 44 (see the kite
    # betweenness test) -> 10*14 - 44 = 96, over (n-1)^2 (n-2)/2 = 324.
    assert cohesion.centralization_in_degree(kite) == pytest.approx(24 / 72)
    assert cohesion.centralization_betweenness(kite) == pytest.approx(96 / 324)


def test_components_and_isolates():
    net = Network.from_edges([("a", "b"), ("b", "c"), ("d", "e")], people={"z": {}})
    assert cohesion.components(net) == 3
    assert cohesion.largest_component_share(net) == pytest.approx(3 / 6)
    assert cohesion.isolates(net) == 1


def test_tiny_networks():
    one = Network.from_edges([], people={"a": {}})
    assert math.isnan(cohesion.density(one))
    assert math.isnan(cohesion.centralization_betweenness(one))
    assert math.isnan(cohesion.transitivity(one))
    assert cohesion.components(one) == 1 and cohesion.isolates(one) == 1
