"""The adapter: integer arcs from a Network, conventions, randomness, two-paths, sampling."""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ona_networks import random_network

from onatool import Network, engine, schema
from onatool.errors import NotDefinedError


def two_relations() -> Network:
    ties = pd.DataFrame(
        [
            ("a", "b", "advice", 3.0),
            ("b", "a", "advice", 1.0),
            ("a", "c", "advice", 0.0),  # "never": not a tie
            ("c", "b", "collaboration", 2.0),
            ("b", "c", "collaboration", 4.0),
            ("a", "b", "collaboration", 2.0),
        ],
        columns=["source", "target", "relation", "weight"],
    )
    ties["raw_value"] = ties["weight"].astype(str)
    people = pd.DataFrame(
        {"responded": [True, True, False]}, index=pd.Index(["a", "b", "c"], name="person_id")
    )
    return Network(people, ties, relations={"collaboration": schema.RELATIONS["collaboration"]})


def arcs(lay: engine.Layer) -> set[tuple[str, str]]:
    return {(lay.ids[s], lay.ids[t]) for s, t in zip(lay.src, lay.dst, strict=True)}


def test_directed_layer_keeps_positive_weights_in_people_order():
    lay = engine.layer(two_relations(), "advice")
    assert lay.directed and lay.relation == "advice"
    assert arcs(lay) == {("a", "b"), ("b", "a")}
    assert list(lay.ids) == ["a", "b", "c"]


def test_threshold_is_at_least_min_weight():
    lay = engine.layer(two_relations(), "advice", min_weight=3)
    assert arcs(lay) == {("a", "b")}


def test_symmetric_relation_makes_one_edge_of_a_pair_named_by_either_side():
    # c names b and b names c: one edge; a names b: one edge, stored both ways.
    lay = engine.layer(two_relations(), "collaboration")
    assert not lay.directed
    assert lay.n_ties == 2
    assert arcs(lay) == {("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")}
    assert lay.graph.ecount() == 2 and not lay.graph.is_directed()


def test_symmetric_override_both_ways():
    assert engine.layer(two_relations(), "advice", symmetric=True).n_ties == 1
    assert engine.layer(two_relations(), "collaboration", symmetric=False).n_ties == 3


def test_several_relations_are_merged_when_none_is_named():
    lay = engine.layer(two_relations())
    assert lay.relation == "advice+collaboration"
    assert lay.relations == ("advice", "collaboration")
    assert lay.directed  # advice is directed, so the merge is
    assert arcs(lay) == {("a", "b"), ("b", "a"), ("c", "b"), ("b", "c")}


def test_unknown_relation_is_refused():
    with pytest.raises(NotDefinedError, match="trust"):
        engine.layer(two_relations(), "trust")


def test_network_without_ties():
    net = Network.from_edges([], people={"a": {}, "b": {}})
    lay = engine.layer(net)
    assert lay.n == 2 and lay.n_ties == 0 and lay.relation is None
    assert lay.degree.tolist() == [0, 0]
    assert lay.graph.vcount() == 2


def test_prepare_passes_a_layer_through_and_refuses_options_with_it():
    lay = engine.layer(two_relations(), "advice")
    assert engine.prepare(lay) is lay
    with pytest.raises(TypeError):
        engine.prepare(lay, relation="advice")


def test_group_codes_missing_and_blank_values_are_minus_one():
    net = Network.from_edges(
        [("a", "b")],
        people={"a": {"organisation": "X"}, "b": {"organisation": " "}, "c": {"organisation": None},
                "d": {"organisation": "W"}},
    )
    codes, groups = engine.group_codes(engine.layer(net), "organisation")
    assert list(groups) == ["W", "X"]
    assert codes.tolist() == [1, -1, -1, 0]


def test_group_codes_name_the_missing_attribute():
    net = Network.from_edges([("a", "b")], people={"a": {"sector": "NHS"}})
    with pytest.raises(NotDefinedError, match="'organisation'.*'sector'"):
        engine.group_codes(engine.layer(net), "organisation")


def test_seeded_is_reproducible_and_restores_callers_random_state():
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    graph = ig.Graph.Famous("Zachary")
    with engine.seeded(5):
        first = graph.community_leiden(objective_function="modularity").membership
    assert random.random() == expected_next
    with engine.seeded(5):
        again = graph.community_leiden(objective_function="modularity").membership
    assert first == again


def brute_two_paths(src, dst):
    out = set(zip(src.tolist(), dst.tolist(), strict=True))
    return sorted(
        (a, i, b) for (a, i) in out for (i2, b) in out if i2 == i and a != b
    )


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 9),
    pairs=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=40),
    chunk=st.integers(1, 20),
)
def test_two_paths_match_brute_force_whatever_the_chunk(n, pairs, chunk):
    keys = sorted({a * n + b for a, b in pairs if a < n and b < n and a != b})
    src = np.array([k // n for k in keys], dtype=np.int64)
    dst = np.array([k % n for k in keys], dtype=np.int64)
    found = sorted(
        (int(a), int(i), int(b))
        for pa, pi, pb in engine.two_paths(src, dst, n, chunk=chunk)
        for a, i, b in zip(pa, pi, pb, strict=True)
    )
    assert found == brute_two_paths(src, dst)


@pytest.mark.parametrize("network_seed", [3, 5])
def test_sampled_betweenness_is_within_its_stated_error_of_exact(network_seed):
    # A few-hundred-person random network; half the sources sampled.
    net = random_network(300, 1500, seed=network_seed, response_rate=1.0)
    lay = engine.layer(net)
    exact = engine.betweenness(lay).values
    sampled = engine.betweenness(lay, samples=150, seed=1)
    assert sampled.samples == 150 and not sampled.exact
    pairs = 299 * 298  # normalise to the 0-1 scale of the person column
    error = np.abs(sampled.values - exact) / pairs
    stated = sampled.standard_error / pairs
    # What params promise: no one further than twice the largest standard error, and
    # the typical (RMS) error of the order of the typical stated one.
    assert error.max() <= 2 * stated.max()
    assert 0.3 < np.sqrt(np.mean(error**2)) / np.sqrt(np.mean(stated**2)) < 2
    assert error.max() < 0.015


@pytest.mark.parametrize("mode", ["in", "out"])
def test_sampled_closeness_is_within_its_stated_error_of_exact(mode):
    net = random_network(300, 1500, seed=4, response_rate=1.0)
    lay = engine.layer(net)
    exact = engine.harmonic_closeness(lay, mode).values
    sampled = engine.harmonic_closeness(lay, mode, samples=150, seed=2)
    error = np.abs(sampled.values - exact)
    assert error.max() <= 2 * sampled.standard_error.max()
    assert 0.3 < np.sqrt(np.mean(error**2)) / np.sqrt(np.mean(sampled.standard_error**2)) < 2
    assert error.max() < 0.05


def test_exact_results_state_no_error():
    lay = engine.layer(random_network(30, 60))
    result = engine.betweenness(lay)
    assert result.exact and result.samples is None and not result.standard_error.any()


def test_sampling_is_automatic_only_beyond_the_exact_limit():
    assert engine.sample_size(engine.EXACT_LIMIT, None) is None
    assert engine.sample_size(engine.EXACT_LIMIT + 1, None) == engine.DEFAULT_SAMPLES
    assert engine.sample_size(100, 100) is None  # as many sources as people: exact
    assert engine.sample_size(100, 40) == 40
    with pytest.raises(ValueError):
        engine.sample_size(100, 3)
