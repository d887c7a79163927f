"""Intervals by resampling respondents, and change on the balanced panel."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from random_networks import random_network

from onatool import Network, engine, schema
from onatool.inference import resampling
from onatool.sample import load_sample


def _with_silence(net: Network, share: float, seed: int, *, symmetric: bool = False) -> Network:
    """The network with a share of people not answering: their own ties dropped, as a survey would."""
    rng = np.random.default_rng(seed)
    silent = net.people.index[rng.random(net.n_people) < share]
    people = net.people.assign(**{schema.RESPONDED: ~net.people.index.isin(silent)})
    ties = net.ties[~net.ties[schema.SOURCE].isin(silent)]
    relations = {r: schema.Relation(r, r, symmetric=symmetric) for r in net.relation_names}
    return Network(people, ties.reset_index(drop=True), net.wave, relations)


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_contribution_adds_up_to_the_measure_as_answered(seed, symmetric):
    # With every weight 1 the ratio of summed contributions is the measure the analysis shows.
    net = _with_silence(random_network(60, seed=seed, mean_out_degree=4), 0.3, seed, symmetric=symmetric)
    lay = engine.layer(net)
    observed = resampling.measures(lay)
    parts = resampling.contributions(lay)
    assert set(parts) <= set(observed)
    ones = np.ones((1, lay.n))
    for name, part in parts.items():
        assert resampling._resampled(part, ones)[0] == pytest.approx(observed[name], nan_ok=True), name
    # Only measures that are not a ratio over people go without an interval.
    missing = set(observed) - set(parts)
    assert missing <= {"centralization_in_degree", "largest_component_share", "health.reach_drop_without_top3",
                       "reciprocity", "health.reciprocity", "levels.upward_reciprocity",
                       "health.upward_reciprocity"}
    if not symmetric:
        assert "reciprocity" in parts


def test_weights_draw_respondents_and_keep_the_others():
    responded = np.array([True, False, True, True, False])
    w = resampling.weights(responded, 500, np.random.default_rng(3))
    assert (w[:, ~responded] == 1).all()
    assert (w[:, responded].sum(axis=1) == 3).all()
    assert w[:, responded].mean() == pytest.approx(1, abs=0.05)


def test_a_measure_every_respondent_holds_equally_has_no_spread():
    # A directed cycle: each person sends 1 of 2 possible ties, and each is returned by no one.
    net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")])
    table = resampling.intervals(net, resamples=100, seed=5)
    assert table.loc["density", ["value", "low", "high"]].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert table.loc["reciprocity", ["value", "low", "high"]].tolist() == pytest.approx([0.0, 0.0, 0.0])
    assert table.attrs["resamples"] == 100 and table.attrs["seed"] == 5


def test_hand_worked_interval_of_density():
    # a sends 2 ties, b sends 0, c is silent (3 people, rows of 2). Density = 2/4.
    # Drawing a twice: 4/4; once: 2/4; never: 0/4; 2.5% and 97.5% of those over many resamples.
    net = Network.from_edges([("a", "b"), ("a", "c")], people={"c": {"responded": False}})
    table = resampling.intervals(net, resamples=2000, seed=0)
    assert table.loc["density", "value"] == pytest.approx(0.5)
    assert table.loc["density", "low"] == pytest.approx(0.0)
    assert table.loc["density", "high"] == pytest.approx(1.0)


def test_intervals_are_reproducible_from_the_seed_and_cover_the_value():
    net = _with_silence(random_network(80, seed=4), 0.25, 4)
    one = resampling.intervals(net, resamples=150, seed=11)
    two = resampling.intervals(net, resamples=150, seed=11)
    pd.testing.assert_frame_equal(one, two)
    other = resampling.intervals(net, resamples=150, seed=12)
    assert not one["low"].equals(other["low"])
    defined = one.dropna(subset=["low"])
    assert ((defined["low"] <= defined["value"] + 1e-12) & (defined["value"] <= defined["high"] + 1e-12)).all()
    assert one.attrs["method"] == resampling.METHOD


def test_two_hundred_resamples_of_the_sample_take_well_under_a_few_seconds():
    waves = load_sample()
    net, latest = waves[0].network, waves[-1].network
    resampling.intervals(net, relation="advice", resamples=10)  # warm up igraph
    start = time.perf_counter()
    table = resampling.intervals(net, relation="advice")  # the default: 200 resamples
    assert time.perf_counter() - start < 3.0
    assert table.attrs["resamples"] == engine.RESAMPLES == 200
    start = time.perf_counter()
    resampling.panel_change(net, latest, relation="advice")
    assert time.perf_counter() - start < 3.0


def test_panel_change_by_hand():
    # x, y, z answered both waves; q answered only the first. Among the panel, the only
    # change is the new tie z->x: density among 3 people goes from 2/6 to 3/6.
    a = Network.from_edges([("x", "y"), ("y", "z"), ("q", "x")], wave="w1")
    b = Network.from_edges([("x", "y"), ("y", "z"), ("z", "x")], wave="w2",
                           people={"q": {"responded": False}})
    assert list(resampling.balanced_panel(a, b)) == ["x", "y", "z"]
    change = resampling.panel_change(a, b, resamples=300, seed=2)
    assert change.attrs["people"] == 3
    assert change.loc["density", ["before", "after", "change"]].tolist() == pytest.approx([2 / 6, 3 / 6, 1 / 6])
    # z, the one person whose row changed, is left out of some resamples: the interval reaches zero.
    assert change.loc["density", "low"] == pytest.approx(0.0)
    assert change.loc["density", "verdict"] == "no clear change"


def test_identical_ties_with_falling_response_give_no_clear_change_anywhere():
    # Issue 12: with the same ties in both waves and only response falling, the old dashboard
    # read 10 of 11 indicators as "worse". On the balanced panel nothing changes.
    first = load_sample()[0].network
    second = _with_silence(first, 0.25, 7).with_wave("later")
    second = Network(second.people.assign(**{schema.RESPONDED: second.people[schema.RESPONDED]
                                             & first.people[schema.RESPONDED]}),
                     second.ties, second.wave, first.relations)
    assert second.response_rate < first.response_rate - 0.1
    change = resampling.panel_change(first, second, relation="advice")
    assert (change["change"].abs().fillna(0) < 1e-12).all()
    assert set(change["verdict"]) == {"no clear change"}
    assert set(change["assessment"].dropna()) == {"no clear change"}


@pytest.mark.parametrize("symmetric", [False, True])
def test_transitivity_parts_person_by_person_equal_counting_every_two_path(symmetric):
    # The parts come from the analysis's census and igraph's local transitivity; counted
    # here over every two-path, by the person who starts it and by the person at its centre.
    lay = engine.layer(random_network(80, seed=5, mean_out_degree=5), symmetric=symmetric)
    n = lay.n
    started, closed = np.zeros(n), np.zeros(n)
    for a, _, b in engine.two_paths(lay.src, lay.dst, n):
        started += np.bincount(a, minlength=n)
        closed += np.bincount(a, weights=lay.has_arc(a, b), minlength=n)
    c0, c1 = lay.contacts
    keys = np.sort(c0 * n + c1)
    centred, closed_at = np.zeros(n), np.zeros(n)
    for a, i, b in engine.two_paths(c0, c1, n):
        centred += np.bincount(i, minlength=n)
        closed_at += np.bincount(i, weights=engine.contains(keys, a * n + b), minlength=n)
    parts = resampling.contributions(lay)
    np.testing.assert_array_equal(parts["transitivity"][0], closed)
    np.testing.assert_array_equal(parts["transitivity"][1], started)
    np.testing.assert_array_equal(parts["transitivity_undirected"][0], closed_at)
    np.testing.assert_array_equal(parts["transitivity_undirected"][1], centred)
