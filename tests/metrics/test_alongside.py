"""Shortest paths in a second process while the rest of an analysis runs here (issue 15):
same values, no process left behind, and a failed process costs only time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ona_networks import random_network

from onatool import analyse, engine, paths


@pytest.fixture
def everywhere(monkeypatch):
    """Any network, however small, is worth a second process."""
    monkeypatch.setattr(engine, "ALONGSIDE_WORK", 0)
    monkeypatch.setattr(paths.os, "sched_getaffinity", lambda _: {0, 1}, raising=False)


def _pending(lay: engine.Layer):
    return [value for key, value in lay.memo.items() if key[0] == "paths pending"]


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("samples", [None, 40])
def test_analysis_with_paths_alongside_equals_the_plain_one(everywhere, monkeypatch, symmetric, samples):
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
    with engine.paths_alongside(lay):
        (pending,) = _pending(lay)
        assert pending._process.poll() in (None, 0)  # working, or done
        values = engine.harmonic_closeness(lay, "in").values
    assert pending._process.poll() is not None and not _pending(lay)
    fresh = engine.layer(random_network(80, 300, seed=1))
    np.testing.assert_array_equal(values, engine.harmonic_closeness(fresh, "in").values)


def test_a_result_never_asked_for_leaves_no_process(everywhere):
    lay = engine.layer(random_network(80, 300, seed=2))
    with engine.paths_alongside(lay):
        (pending,) = _pending(lay)
    assert pending._process.poll() is not None
    assert ("harmonic", "in", None, None) not in lay.memo  # computed here when asked, as before


def test_a_failed_process_costs_only_time(everywhere):
    lay = engine.layer(random_network(80, 300, seed=3))
    with engine.paths_alongside(lay):
        (pending,) = _pending(lay)
        pending._process.kill()
        pending._process.wait()
        values = engine.harmonic_closeness(lay, "out").values
    fresh = engine.layer(random_network(80, 300, seed=3))
    np.testing.assert_array_equal(values, engine.harmonic_closeness(fresh, "out").values)


def test_small_work_or_one_core_starts_nothing(monkeypatch):
    lay = engine.layer(random_network(80, 300, seed=4))
    with engine.paths_alongside(lay):
        assert not _pending(lay)  # far below ALONGSIDE_WORK
    monkeypatch.setattr(engine, "ALONGSIDE_WORK", 0)
    monkeypatch.setattr(paths.os, "sched_getaffinity", lambda _: {0}, raising=False)
    with engine.paths_alongside(lay):
        assert not _pending(lay)


def test_sampled_betweenness_goes_alongside_too(everywhere):
    lay = engine.layer(random_network(150, 600, seed=5))
    with engine.paths_alongside(lay, samples=50, seed=2):
        (pending,) = _pending(lay)
        values = engine.betweenness(lay, 50, 2)
    assert pending.result()[("betweenness batches", 50, 2)].shape == (5, 150)  # half the batches
    fresh = engine.betweenness(engine.layer(random_network(150, 600, seed=5)), 50, 2)
    np.testing.assert_array_equal(values.values, fresh.values)
    np.testing.assert_array_equal(values.standard_error, fresh.standard_error)


def test_exact_betweenness_of_a_small_network_stays_in_one_call(everywhere):
    lay = engine.layer(random_network(80, 300, seed=6))
    with engine.paths_alongside(lay):
        (pending,) = _pending(lay)
        engine.harmonic_closeness(lay, "in")
    assert not any(key[0].startswith("betweenness") for key in pending.result())


def test_exact_betweenness_in_blocks_equals_one_call_and_is_the_same_in_one_process_or_two(everywhere, monkeypatch):
    monkeypatch.setattr(paths, "BLOCK_WORK", 0)  # every network is summed over blocks
    net = random_network(150, 700, seed=8, response_rate=0.9)
    lay = engine.layer(net)
    with engine.paths_alongside(lay):
        (pending,) = _pending(lay)
        two = engine.betweenness(lay).values
    assert pending.result()[("betweenness batches", None, None)].shape == (3, 150)  # 3 of 10 blocks there
    one = engine.betweenness(engine.layer(random_network(150, 700, seed=8, response_rate=0.9))).values
    np.testing.assert_array_equal(two, one)  # in one process the same blocks, added in the same order
    call = np.asarray(lay.graph.betweenness(directed=True), dtype=float)
    np.testing.assert_allclose(two, call, rtol=1e-12, atol=1e-12)  # and igraph's one call, within rounding


def test_a_script_without_a_main_guard_is_not_run_again(everywhere, tmp_path):
    # multiprocessing's "spawn" imports the caller's main module in the worker: a script
    # that analyses at top level would run again there (and write its files twice).
    import subprocess
    import sys
    from pathlib import Path

    marker = tmp_path / "runs.txt"
    script = tmp_path / "analyse_at_top_level.py"
    script.write_text(
        "import sys\n"
        f"sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parents[2])!r}]\n"
        "from onatool import engine, paths\n"
        "from ona_networks import random_network\n"
        "engine.ALONGSIDE_WORK = 0\n"
        "paths.os.sched_getaffinity = lambda _: {0, 1}\n"
        f"open({str(marker)!r}, 'a').write('run\\n')\n"
        "lay = engine.layer(random_network(60, 200, seed=1))\n"
        "with engine.paths_alongside(lay):\n"
        "    assert any(key[0] == 'paths pending' for key in lay.memo)\n"
        "    engine.harmonic_closeness(lay, 'in')\n"
    )
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    assert marker.read_text() == "run\n"


def test_blocks_of_a_network_smaller_than_the_blocks(monkeypatch):
    monkeypatch.setattr(paths, "BLOCK_WORK", 0)
    net = random_network(6, 12, seed=9)
    blocks = engine.betweenness(engine.layer(net)).values
    monkeypatch.setattr(paths, "BLOCK_WORK", float("inf"))
    call = engine.betweenness(engine.layer(random_network(6, 12, seed=9))).values
    np.testing.assert_allclose(blocks, call, rtol=1e-12, atol=1e-12)


def test_a_process_started_ahead_is_taken(everywhere, monkeypatch):
    monkeypatch.setattr(paths, "BLOCK_WORK", 0)
    net = random_network(150, 700, seed=8, response_rate=0.9)
    lay = engine.layer(net)
    with paths.standby():
        (started,) = paths._STANDING
        with engine.paths_alongside(lay):
            (pending,) = _pending(lay)
            assert pending._process is started and not paths._STANDING
            ahead = engine.betweenness(lay).values
        assert pending.result()[("betweenness batches", None, None)].shape == (3, 150)
    assert started.poll() is not None
    plain = engine.betweenness(engine.layer(random_network(150, 700, seed=8, response_rate=0.9))).values
    np.testing.assert_array_equal(ahead, plain)  # the same blocks added in the same order


def test_a_process_started_ahead_and_never_taken_is_stopped():
    with paths.standby():
        (started,) = paths._STANDING
    assert started.poll() is not None and not paths._STANDING
    with paths.standby(wanted=False):
        assert not paths._STANDING


def test_analyse_starts_the_second_process_ahead_only_for_large_answers(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from onatool.cli import app

    started = []
    real = paths.standby

    def spy(wanted=True):
        started.append(wanted)
        return real(wanted)

    monkeypatch.setattr(paths, "standby", spy)
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    roster, ties = tmp_path / "roster.csv", tmp_path / "ties.csv"
    roster.write_text("id,name,organisation\na,A,X\nb,B,Y\nc,C,X\n")
    ties.write_text("source,target\na,b\nb,c\nc,a\n")
    command = ["analyse", "--roster", str(roster), "--ties", str(ties), "--out", str(tmp_path / "out"), "--resamples", "0"]
    assert CliRunner().invoke(app, command).exit_code == 0
    monkeypatch.setattr(paths, "STANDBY_BYTES", 10)
    assert CliRunner().invoke(app, command).exit_code == 0
    assert started == [False, True] and not paths._STANDING


def test_the_e_i_tests_go_alongside_first_and_give_the_same_p_values(everywhere, monkeypatch):
    from onatool.metrics import boundary

    monkeypatch.setattr(paths, "BLOCK_WORK", 0)
    net = random_network(150, 700, seed=10, response_rate=0.9)
    lay = engine.layer(net)
    with engine.paths_alongside(lay, ei_attributes=["organisation", "level", "absent"], permutations=200, seed=4):
        (pending,) = _pending(lay)
        assert pending.work.result_keys()[:2] == [("ei test", "organisation", 200, 4), ("ei test", "level", 200, 4)]
        alongside = [boundary.ei_network(lay, a, permutations=200, seed=4) for a in ("organisation", "level")]
        assert pending.result()[("betweenness batches", None, None)].shape == (2, 150)  # 2 blocks with the tests
    here = engine.layer(random_network(150, 700, seed=10, response_rate=0.9))
    assert alongside == [boundary.ei_network(here, a, permutations=200, seed=4) for a in ("organisation", "level")]
    assert 0 < alongside[0]["ei_p_organisation"] <= 1


def test_results_come_back_one_by_one_and_a_process_stopped_midway_is_finished_here(everywhere):
    lay = engine.layer(random_network(150, 700, seed=11))
    with engine.paths_alongside(lay, ei_attributes=["organisation"], permutations=100):
        (pending,) = _pending(lay)
        first = engine.ei_test(lay, "organisation", 100, 0)  # the first result it sends
        pending._process.kill()
        pending._process.wait()
        closeness = engine.harmonic_closeness(lay, "in").values
    fresh = engine.layer(random_network(150, 700, seed=11))
    assert first == engine.ei_test(fresh, "organisation", 100, 0)
    np.testing.assert_array_equal(closeness, engine.harmonic_closeness(fresh, "in").values)


def test_results_larger_than_a_pipe_do_not_stop_the_process_before_they_are_asked_for():
    # Closeness of 10,000 people is 160 KB pickled; a pipe holds 64 KB. Read as it comes,
    # the process finishes its work while this one is busy elsewhere.
    import time

    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 10_000, 300), rng.integers(0, 10_000, 300)
    keep = a != b
    pending = paths.Pending(paths.Work(10_000, a[keep], b[keep], True, None, 0))
    try:
        deadline = time.monotonic() + 60
        while pending._process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pending._process.poll() == 0  # done, not waiting for its output to be read
        assert pending.get(("harmonic", "in", None, None)).values.shape == (10_000,)
    finally:
        pending.close()


def test_one_core_starts_nothing_ahead(monkeypatch):
    monkeypatch.setattr(paths.os, "sched_getaffinity", lambda _: {0}, raising=False)
    with paths.standby():
        assert not paths._STANDING
