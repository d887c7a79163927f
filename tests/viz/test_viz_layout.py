"""Tests for onatool.viz.layout: positions, level bands, ego subsets, group tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import EmptyNetworkError, Network, NotDefinedError, UnknownPersonError
from onatool.viz.layout import (
    CANVAS,
    compute_layout,
    ego_subset,
    group_layout,
    level_band_labels,
    level_band_layout,
    organisation_network,
)
from tests.support.random_networks import random_network


def test_same_seed_same_positions_and_another_seed_differs():
    net = random_network(120, seed=4, isolates=5)
    first = compute_layout(net, seed=7)
    pd.testing.assert_frame_equal(first, compute_layout(net, seed=7))
    assert not np.allclose(first.to_numpy(), compute_layout(net, seed=8).to_numpy())


def test_layout_covers_everyone_sorted_inside_the_canvas():
    net = random_network(150, seed=2, isolates=10)
    pos = compute_layout(net)
    assert list(pos.index) == sorted(net.people.index)
    assert pos.index.name == "person_id"
    assert list(pos.columns) == ["x", "y"]
    assert np.isfinite(pos.to_numpy()).all()
    assert pos.abs().to_numpy().max() <= CANVAS + 1e-9
    # The picture uses the canvas: it spans it in at least one direction.
    assert max(np.ptp(pos["x"]), np.ptp(pos["y"])) == pytest.approx(2 * CANVAS)


def test_union_layout_holds_people_still_across_waves():
    w1 = random_network(80, seed=1, wave="wave 1")
    # Wave 2: some people leave, new ones join, ties change.
    w2 = random_network(90, seed=2, wave="wave 2").subset([f"p{i:05d}" for i in range(10, 90)])
    pos = compute_layout([w1, w2], seed=3)
    assert set(pos.index) == set(w1.people.index) | set(w2.people.index)
    # The order waves are given in does not matter.
    pd.testing.assert_frame_equal(pos, compute_layout([w2, w1], seed=3))
    # Each wave reads its people's positions from the one table, so shared people match.
    shared = w1.people.index.intersection(w2.people.index)
    assert len(shared) == 70
    pd.testing.assert_frame_equal(pos.loc[shared], pos.reindex(shared))


def test_isolates_sit_in_rows_below_everyone_else_inside_the_canvas():
    net = random_network(100, seed=5, isolates=12)
    pos = compute_layout(net)
    isolated = [f"p{i:05d}" for i in range(88, 100)]
    connected = pos.drop(index=isolated)
    alone = pos.loc[isolated]
    assert alone["y"].min() > connected["y"].max()
    assert alone.abs().to_numpy().max() <= CANVAS
    # Tidy rows: few distinct heights, and no two isolates on the same spot.
    assert alone["y"].nunique() <= 2
    assert not alone.round(6).duplicated().any()


def test_only_isolates_fill_a_grid():
    net = Network.from_edges([], people={f"p{i}": {} for i in range(9)})
    pos = compute_layout(net)
    # 9 people: a 3 x 3 grid spanning the canvas.
    assert sorted(pos["x"].unique()) == [-CANVAS, 0.0, CANVAS]
    assert sorted(pos["y"].unique()) == [-CANVAS, 0.0, CANVAS]


def test_zero_weight_ties_and_other_relations_leave_people_isolated():
    ties = pd.DataFrame({
        "source": ["a", "a", "b"], "target": ["b", "c", "c"],
        "relation": ["advice", "advice", "trust"], "weight": [1.0, 0.0, 1.0],
        "raw_value": ["1", "0", "1"],
    })
    table = pd.DataFrame({"responded": True}, index=pd.Index(["a", "b", "c"], name="person_id"))
    net = Network(table, ties)
    pos = compute_layout(net, relation="advice")
    # c's advice tie has weight 0 and its trust tie is another relation: it is an isolate,
    # drawn in the row below a and b.
    assert pos.loc["c", "y"] > pos.loc[["a", "b"], "y"].max()


def test_unknown_relation_and_empty_network_raise():
    net = random_network(10, seed=0)
    with pytest.raises(NotDefinedError, match="relation 'trust' is in none of the waves"):
        compute_layout(net, relation="trust")
    empty = Network.from_edges([])
    with pytest.raises(EmptyNetworkError):
        compute_layout(empty)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 40),
    edges=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60),
    seed=st.integers(0, 10),
)
def test_every_layout_is_finite_and_inside_the_canvas(n, edges, seed):
    pairs = sorted({(f"p{a % n}", f"p{b % n}") for a, b in edges if a % n != b % n})
    net = Network.from_edges(pairs, people={f"p{i}": {} for i in range(n)})
    pos = compute_layout(net, seed=seed)
    assert len(pos) == n
    assert np.isfinite(pos.to_numpy()).all()
    assert pos.abs().to_numpy().max() <= CANVAS + 1e-6


# Level bands --------------------------------------------------------------------------


def test_level_bands_order_tops_over_middles_over_bottoms_and_keep_x():
    net = random_network(60, seed=3)
    pos = compute_layout(net)
    bands = level_band_layout(net, pos)
    pd.testing.assert_series_equal(bands["x"], pos.loc[net.people.index, "x"], check_names=False)
    y = bands["y"].groupby(net.people["level"]).agg(["min", "max"])
    # Screen y grows downwards: every top is above every middle, every middle above every bottom.
    assert y.loc["top", "max"] < y.loc["middle", "min"]
    assert y.loc["middle", "max"] < y.loc["bottom", "min"]
    assert bands.abs().to_numpy().max() <= CANVAS


def test_missing_level_gets_a_fourth_band_and_a_label():
    people = {"a": {"level": "top"}, "b": {"level": None}, "c": {"level": "bottom"}}
    net = Network.from_edges([("a", "b"), ("b", "c")], people=people)
    pos = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, 0.0, 0.0]}, index=["a", "b", "c"])
    bands = level_band_layout(net, pos)
    # Four bands of height 500: centres at -750, -250, 250, 750; b (no level) in the last.
    assert bands["y"].to_dict() == {"a": -750.0, "b": 750.0, "c": 250.0}
    assert [b["text"] for b in level_band_labels(net)] == ["Tops", "Middles", "Bottoms", "Level not given"]


def test_level_bands_need_a_level_and_every_position():
    net = Network.from_edges([("a", "b")])
    pos = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 0.0]}, index=["a", "b"])
    with pytest.raises(NotDefinedError, match="no 'level' attribute"):
        level_band_layout(net, pos)
    leveled = Network.from_edges([("a", "b")], people={"a": {"level": "top"}})
    with pytest.raises(UnknownPersonError, match="positions lack 1"):
        level_band_layout(leveled, pos.loc[["a"]])


# Ego subsets --------------------------------------------------------------------------


def test_ego_subset_follows_ties_either_way():
    # a -> b <- c -> d -> e ; f alone
    net = Network.from_edges([("a", "b"), ("c", "b"), ("c", "d"), ("d", "e")], people={"f": {}})
    assert sorted(ego_subset(net, "b")) == ["a", "b", "c"]
    assert sorted(ego_subset(net, "b", steps=2)) == ["a", "b", "c", "d"]
    assert sorted(ego_subset(net, "a", steps=3)) == ["a", "b", "c", "d"]
    assert list(ego_subset(net, "f", steps=2)) == ["f"]


def test_ego_subset_errors():
    net = Network.from_edges([("a", "b")])
    with pytest.raises(UnknownPersonError):
        ego_subset(net, "zz")
    with pytest.raises(NotDefinedError, match="at least 1"):
        ego_subset(net, "a", steps=0)


# Organisation network -----------------------------------------------------------------


def _org_net() -> Network:
    people = {
        "a": {"organisation": "GP"}, "b": {"organisation": "GP"}, "c": {"organisation": "GP"},
        "d": {"organisation": "Council"}, "e": {"organisation": "Council"},
        "f": {"organisation": None}, "g": {"organisation": "Hospice"},
    }
    edges = [("a", "b", 1), ("a", "d", 1), ("b", "d", 2), ("d", "a", 1), ("e", "f", 1),
             ("g", "a", 0), ("c", "g", 3)]
    return Network.from_edges(edges, people=people)


def test_organisation_network_counts_people_and_ties():
    nodes, edges = organisation_network(_org_net())
    # Sizes by hand: GP a,b,c; Council d,e; Not given f; Hospice g. Largest first, then by name.
    assert nodes.to_numpy().tolist() == [
        ["GP", 3, 1], ["Council", 2, 0], ["Hospice", 1, 0], ["Not given", 1, 0],
    ]
    # GP->Council: a->d, b->d; Council->GP: d->a; Council->Not given: e->f; GP->Hospice: c->g.
    # g->a has weight 0 and is not a tie.
    assert edges.to_numpy().tolist() == [
        ["GP", "Council", 2], ["Council", "GP", 1], ["Council", "Not given", 1],
        ["GP", "Hospice", 1],
    ]


def test_organisation_network_merges_small_groups():
    nodes, edges = organisation_network(_org_net(), min_group_size=2)
    # Hospice (1) and Not given (1) merge into Other (2); e->f becomes Council->Other.
    assert nodes.to_numpy().tolist() == [["GP", 3, 1], ["Council", 2, 0], ["Other", 2, 0]]
    assert ["Council", "Other", 1] in edges.to_numpy().tolist()
    assert ["GP", "Other", 1] in edges.to_numpy().tolist()


def test_organisation_network_needs_the_attribute():
    with pytest.raises(NotDefinedError, match="no 'sector' attribute"):
        organisation_network(_org_net(), "sector")


def test_group_layout_places_every_group_inside_the_canvas():
    tables = organisation_network(_org_net())
    pos = group_layout(tables, seed=1)
    assert list(pos.index) == list(tables.nodes["group"])
    assert pos.abs().to_numpy().max() <= CANVAS
    pd.testing.assert_frame_equal(pos, group_layout(tables, seed=1))
