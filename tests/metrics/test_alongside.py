"""Closeness in a second process while betweenness runs here (issue 15): same values, no
process left behind, and a failed process costs only time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ona_networks import random_network

from onatool import analyse, engine


@pytest.fixture
def everywhere(monkeypatch):
    """Any network, however small, is worth a second process."""
    monkeypatch.setattr(engine, "ALONGSIDE_WORK", 0)
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda _: {0, 1}, raising=False)


def _pending(lay: engine.Layer):
    return [value for key, value in lay.memo.items() if key[0] == "harmonic pending"]


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("samples", [None, 40])
def test_analysis_with_closeness_alongside_equals_the_plain_one(everywhere, monkeypatch, symmetric, samples):
    net = random_network(120, 500, seed=7, response_rate=0.8)
    alongside = analyse(net, symmetric=symmetric, betweenness_samples=samples, seed=3)
    monkeypatch.setattr(engine, "ALONGSIDE_WORK", float("inf"))
    plain = analyse(random_network(120, 500, seed=7, response_rate=0.8), symmetric=symmetric,
                    betweenness_samples=samples, seed=3)
    pd.testing.assert_frame_equal(alongside.people, plain.people)
    assert alongside.network == plain.network
    assert alongside.params["betweenness"] == plain.params["betweenness"]


def test_the_second_process_is_used_and_stopped(everywhere):
    lay = engine.layer(random_network(80, 300, seed=1))
    with engine.closeness_alongside(lay):
        (pending,) = _pending(lay)
        assert pending._process.is_alive() or pending._process.exitcode == 0
        values = engine.harmonic_closeness(lay, "in").values
    assert not pending._process.is_alive() and not _pending(lay)
    fresh = engine.layer(random_network(80, 300, seed=1))
    np.testing.assert_array_equal(values, engine.harmonic_closeness(fresh, "in").values)


def test_a_result_never_asked_for_leaves_no_process(everywhere):
    lay = engine.layer(random_network(80, 300, seed=2))
    with engine.closeness_alongside(lay):
        (pending,) = _pending(lay)
    assert not pending._process.is_alive()
    assert ("harmonic", "in", None, None) not in lay.memo  # computed here when asked, as before


def test_a_failed_process_costs_only_time(everywhere):
    lay = engine.layer(random_network(80, 300, seed=3))
    with engine.closeness_alongside(lay):
        (pending,) = _pending(lay)
        pending._process.kill()
        pending._process.join()
        values = engine.harmonic_closeness(lay, "out").values
    fresh = engine.layer(random_network(80, 300, seed=3))
    np.testing.assert_array_equal(values, engine.harmonic_closeness(fresh, "out").values)


def test_small_work_or_one_core_starts_nothing(monkeypatch):
    lay = engine.layer(random_network(80, 300, seed=4))
    with engine.closeness_alongside(lay):
        assert not _pending(lay)  # far below ALONGSIDE_WORK
    monkeypatch.setattr(engine, "ALONGSIDE_WORK", 0)
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda _: {0}, raising=False)
    with engine.closeness_alongside(lay):
        assert not _pending(lay)
