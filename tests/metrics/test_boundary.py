"""E-I index, external contacts and participation, per person and for the network."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ona_networks import random_network

from onatool import Network
from onatool.metrics import boundary


def sectors() -> Network:
    # i: contacts a, b (NHS, like i) and c, d (VCSE, Council): E = 2, I = 2.
    # a names i and i names a: one contact. c named i (i did not answer for c).
    people = {
        "i": {"sector": "NHS"}, "a": {"sector": "NHS"}, "b": {"sector": "NHS"},
        "c": {"sector": "VCSE"}, "d": {"sector": "Council"}, "e": {"sector": None},
    }
    edges = [("i", "a"), ("a", "i"), ("i", "b"), ("c", "i"), ("i", "d"), ("i", "e")]
    return Network.from_edges(edges, people=people)


def test_person_ei_external_and_participation_by_hand():
    net = sectors()
    ei = boundary.ei(net, "sector")
    # i: E = 2 (c, d), I = 2 (a, b); e's sector is unknown, so e is left out.
    assert ei["i"] == 0.0
    assert ei["a"] == -1.0 and ei["c"] == 1.0
    assert boundary.external(net, "sector")["i"] == 2
    # Participation of i over a, b (NHS), c (VCSE), d (Council): 1 - (2/4)^2 - 2*(1/4)^2.
    assert boundary.participation(net, "sector")["i"] == pytest.approx(1 - 0.25 - 0.125)
    assert boundary.participation(net, "sector")["a"] == 0.0


def test_missing_own_group_and_missing_contacts():
    net = sectors()
    # e's own sector is unknown: E-I and external are undefined.
    assert math.isnan(boundary.ei(net, "sector")["e"])
    assert math.isnan(boundary.external(net, "sector")["e"])
    # e's only contact (i) has a known sector, so participation is defined: 0.
    assert boundary.participation(net, "sector")["e"] == 0.0
    # Someone whose only contact has an unknown group: E-I NaN, participation NaN.
    people = {"x": {"sector": "NHS"}, "y": {"sector": None}, "z": {"sector": "NHS"}}
    lonely = Network.from_edges([("x", "y")], people=people)
    assert math.isnan(boundary.ei(lonely, "sector")["x"])
    assert math.isnan(boundary.participation(lonely, "sector")["x"])
    # No contacts at all: E-I NaN, participation 0 (metrics.md).
    assert math.isnan(boundary.ei(lonely, "sector")["z"])
    assert boundary.participation(lonely, "sector")["z"] == 0.0


def test_network_ei_and_its_expected_value_by_hand():
    # Two groups of two; ties a->b (within), a->c, c->a (across), c->d (within), d->b.
    people = {"a": {"org": "X"}, "b": {"org": "X"}, "c": {"org": "Y"}, "d": {"org": "Y"}}
    net = Network.from_edges([("a", "b"), ("a", "c"), ("c", "a"), ("c", "d"), ("d", "b")],
                             people=people)
    result = boundary.ei_network(net, "org", permutations=0)
    # E = 3, I = 2 over arcs: (3 - 2)/5.
    assert result["ei_org"] == pytest.approx(0.2)
    # P_I = 2*1 + 2*1 = 4, P_E = 4*3 - 4 = 8: (8 - 4)/12.
    assert result["ei_expected_org"] == pytest.approx(1 / 3)
    assert math.isnan(result["ei_p_org"])


def test_network_ei_counts_each_edge_once_when_undirected():
    people = {"a": {"org": "X"}, "b": {"org": "X"}, "c": {"org": "Y"}}
    net = Network.from_edges([("a", "b"), ("b", "a"), ("a", "c")], people=people,
                             symmetric=True)
    assert boundary.ei_network(net, "org", permutations=0)["ei_org"] == 0.0


def test_permutation_p_value_is_small_for_siloed_groups_and_seeded():
    # Four organisations of ten, every tie inside its organisation: E-I = -1, far from
    # expected; no shuffle gets that far, so p = 1/(1 + permutations).
    people = {f"p{k}": {"org": f"o{k // 10}"} for k in range(40)}
    edges = [(f"p{k}", f"p{j}") for k in range(40) for j in range(40)
             if k != j and k // 10 == j // 10 and (k + j) % 3 == 0]
    net = Network.from_edges(edges, people=people)
    result = boundary.ei_network(net, "org", permutations=200, seed=1)
    assert result["ei_org"] == -1.0
    assert result["ei_p_org"] == pytest.approx(1 / 201)
    assert boundary.ei_network(net, "org", permutations=200, seed=1) == result


def test_permutation_p_value_is_large_when_labels_are_random():
    net = random_network(60, 300, seed=2, missing=0.0)
    p = boundary.ei_network(net, "organisation", permutations=500, seed=3)["ei_p_organisation"]
    assert p > 0.05


def test_no_ties_gives_nan_not_an_error():
    net = Network.from_edges([], people={"a": {"org": "X"}, "b": {"org": "Y"}})
    result = boundary.ei_network(net, "org")
    assert math.isnan(result["ei_org"]) and math.isnan(result["ei_p_org"])
    assert result["ei_expected_org"] == 1.0


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 25), density=st.floats(0.05, 0.6))
def test_ranges_hold_on_random_networks(seed, n, density):
    m = max(1, int(density * n * (n - 1) * 0.8))
    net = random_network(n, min(m, (n - 1) * n // 2), seed=seed)
    ei = boundary.ei(net, "organisation").dropna()
    assert ((ei >= -1) & (ei <= 1)).all()
    part = boundary.participation(net, "organisation").dropna()
    assert ((part >= 0) & (part < 1)).all()
    external = boundary.external(net, "organisation").dropna()
    assert (external >= 0).all() and (external <= n - 1).all()
    result = boundary.ei_network(net, "organisation", permutations=20, seed=seed)
    for key in ("ei_organisation", "ei_expected_organisation"):
        assert np.isnan(result[key]) or -1 <= result[key] <= 1
    assert np.isnan(result["ei_p_organisation"]) or 0 < result["ei_p_organisation"] <= 1
