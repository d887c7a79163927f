"""Shortest-path measures: betweenness and harmonic closeness, exact or from sampled sources.

The kernels here take an igraph graph and integer codes (no Layer, no pandas), so a second
process can compute them after importing only numpy and igraph: on two cores the analysis
of a large network runs its shortest paths there, with the E-I tests of
:mod:`onatool.shuffles`, while the rest runs in the first process
(:func:`onatool.engine.paths_alongside`; the process itself: :class:`Work`,
:class:`Pending`, :func:`standby`). igraph itself is loaded here, once, for all of
onatool (:data:`ig`).

Conventions: betweenness is raw (pairs counted as igraph does: ordered when directed);
closeness is harmonic and normalised by ``n - 1``; both are exact up to
:data:`EXACT_LIMIT` people and estimated beyond from sampled source people (Brandes and
Pich 2007), drawn in :data:`BATCHES` batches whose spread gives the standard error.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "BATCHES",
    "BLOCK_WORK",
    "DEFAULT_SAMPLES",
    "EXACT_LIMIT",
    "SAMPLED_BETWEENNESS_NOTE",
    "STANDBY_BYTES",
    "PathCentrality",
    "Pending",
    "Work",
    "betweenness_batches",
    "betweenness_of",
    "blocked",
    "compute",
    "cores",
    "from_batches",
    "graph_of",
    "harmonic_of",
    "ig",
    "sample_size",
    "standby",
    "take_standing",
]

#: Largest network (people) whose betweenness and closeness are computed exactly.
EXACT_LIMIT = 10_000
#: Source people sampled beyond :data:`EXACT_LIMIT`.
DEFAULT_SAMPLES = 1_000
#: The sampled sources are drawn in this many batches; their spread gives the error.
BATCHES = 10
#: What a sampled betweenness's standard error is worth, as measured by
#: ``benchmarks/analysis.py`` against exact betweenness (benchmarks/README.md).
SAMPLED_BETWEENNESS_NOTE = (
    "Betweenness is estimated from sampled source people. Its standard error comes from the spread of "
    f"{BATCHES} batches of sources and understates the error of so uneven a measure: on a generated "
    "10,000-person network about 75% of people, not 95%, were within twice it (the mean over 10 draws of sources). "
    "Read it as broad bands (the few people far above the rest), not as a ranking of individuals."
)


def _import_igraph():
    """igraph without its drawing backends, its OpenMP pool one thread wide.

    igraph's drawing modules import matplotlib and pyplot when igraph itself is imported
    (about half a second); onatool never draws with igraph, so matplotlib is hidden while
    igraph loads, and igraph's drawing falls back to its placeholder. Code that wants
    matplotlib (the report's charts) imports it as usual afterwards.

    igraph's PageRank (PRPACK) runs in an OpenMP pool (igraph's own bundled libgomp), which
    reads ``OMP_NUM_THREADS`` once, when igraph loads. On a busy machine its threads wait
    for each other: a 2,000-person PageRank measured 0.1-2 s instead of 2 ms. Unless the
    user set ``OMP_NUM_THREADS``, igraph loads with it at 1 and the environment is put back
    afterwards (nothing else in the process sees it); results are the same.
    """
    if "igraph" in sys.modules:
        import igraph

        return igraph
    hide_matplotlib = "matplotlib" not in sys.modules
    set_threads = "OMP_NUM_THREADS" not in os.environ
    if hide_matplotlib:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]  # "import matplotlib" fails
    if set_threads:
        os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import igraph
    finally:
        if hide_matplotlib and sys.modules.get("matplotlib", 0) is None:
            del sys.modules["matplotlib"]
        if set_threads:
            os.environ.pop("OMP_NUM_THREADS", None)
    return igraph


class _Igraph:
    """igraph, imported on first use: commands that read files and write tables (an import)
    never pay for it."""

    def __getattr__(self, name: str):
        module = _import_igraph()
        globals()["ig"] = module
        return getattr(module, name)


ig = _Igraph()


def graph_of(n: int, a: np.ndarray, b: np.ndarray, *, directed: bool) -> ig.Graph:
    """The igraph graph on ``n`` people with arcs (edges) ``a[k] -> b[k]``."""
    return ig.Graph(n, edges=list(zip(a.tolist(), b.tolist(), strict=True)), directed=directed)


@dataclass(frozen=True)
class PathCentrality:
    """A shortest-path score per person, exact or estimated from sampled sources.

    Attributes
    ----------
    values
        Score per integer code.
    samples
        Source people sampled, or None when exact.
    standard_error
        Per person, the standard error of a sampled estimate (zeros when exact).
    """

    values: np.ndarray
    samples: int | None
    standard_error: np.ndarray

    @property
    def exact(self) -> bool:
        return self.samples is None


def sample_size(n: int, samples: int | None) -> int | None:
    """Sources to sample, or None for exact: automatic beyond :data:`EXACT_LIMIT`."""
    if samples is None:
        return None if n <= EXACT_LIMIT else min(DEFAULT_SAMPLES, n)
    if samples < BATCHES:
        raise ValueError(f"betweenness_samples must be at least {BATCHES} (got {samples})")
    return None if samples >= n else int(samples)


#: Shortest-path work (people x arcs) from which exact betweenness is summed over
#: :data:`BATCHES` blocks of sources, so a second process can take some of them
#: (:func:`onatool.engine.paths_alongside`); below it, one igraph call. Fixed, never the
#: machine's cores: the same network always gets the same sums, to the last digit.
BLOCK_WORK = 3e7


def blocked(n: int, n_arcs: int) -> bool:
    """Whether exact betweenness on ``n`` people and ``n_arcs`` arcs is summed over blocks."""
    return n * n_arcs >= BLOCK_WORK


def _batches(n: int, k: int | None, seed: int) -> list[list[int]]:
    """The :data:`BATCHES` batches of sources: ``k`` sampled people, or (``k`` None) everyone
    in blocks of consecutive codes."""
    chosen = np.arange(n) if k is None else np.random.default_rng(seed).choice(n, size=k, replace=False)
    return [b.tolist() for b in np.array_split(chosen, BATCHES)]


def betweenness_of(graph: ig.Graph, n: int, directed: bool, k: int | None, seed: int, *,
                   blocks: bool = False) -> PathCentrality:
    """Betweenness of every person of ``graph``: exact, or from ``k`` sampled sources.

    Exact betweenness is one igraph call, or with ``blocks`` the sum over :data:`BATCHES`
    blocks of sources (equal to it within rounding, about 1e-15 of the value).
    """
    if k is None and not blocks:
        return PathCentrality(np.asarray(graph.betweenness(directed=directed), dtype=float), None, np.zeros(n))
    return from_batches(betweenness_batches(graph, n, directed, k, seed, slice(None)), k)


def betweenness_batches(graph: ig.Graph, n: int, directed: bool, k: int | None, seed: int,
                        which: slice) -> np.ndarray:
    """Betweenness from ``which`` of the :data:`BATCHES` batches of sources, one row per batch:
    each sampled batch's estimate of the whole, or each block's share of the exact sum. The
    first process and the second can each take some."""
    rows = []
    for batch in _batches(n, k, seed)[which]:
        if not batch:  # fewer people than blocks
            rows.append(np.zeros(n))
            continue
        row = np.asarray(graph.betweenness(directed=directed, sources=batch), dtype=float)
        rows.append(row if k is None else row * n / len(batch))
    return np.array(rows).reshape(-1, n)


def from_batches(rows: np.ndarray, k: int | None) -> PathCentrality:
    """Betweenness from every batch's row (in batch order): exact, their sum (added in that
    order, whichever process computed them); sampled, the mean of the estimates, with their
    spread as the standard error."""
    n = rows.shape[1]
    if k is None:
        total = np.zeros(n)
        for row in rows:
            total += row
        return PathCentrality(total, None, np.zeros(n))
    return PathCentrality(rows.mean(axis=0), k, rows.std(axis=0, ddof=1) / np.sqrt(BATCHES))


def harmonic_of(graph: ig.Graph, n: int, mode: str, k: int | None, seed: int) -> PathCentrality:
    """Harmonic closeness of every person of ``graph``: exact, or from ``k`` sampled sources."""
    if n < 2:
        return PathCentrality(np.zeros(n), None, np.zeros(n))
    if k is None:
        values = np.asarray(graph.harmonic_centrality(mode=mode, normalized=True), dtype=float)
        return PathCentrality(values, None, np.zeros(n))
    # Rows from source s: d(s, j) ("out") gives closeness towards j; for
    # closeness from j we need d(j, s): follow arcs backwards from s.
    walk = "out" if mode == "in" else "in"
    estimates = []
    for batch in _batches(n, k, seed):
        with np.errstate(divide="ignore"):
            inverse = 1.0 / np.asarray(graph.distances(source=batch, mode=walk))
        inverse[~np.isfinite(inverse)] = 0.0  # the source itself and the unreachable
        others = np.full(n, len(batch), dtype=float)
        others[batch] -= 1
        estimates.append(inverse.sum(axis=0) / np.maximum(others, 1))
    estimates = np.array(estimates)
    return PathCentrality(estimates.mean(axis=0), k, estimates.std(axis=0, ddof=1) / np.sqrt(BATCHES))


@dataclass(frozen=True)
class Work:
    """What the second process computes, on the graph of ``n`` people with arcs (edges when
    not ``directed``) ``a -> b``: both harmonic closenesses, the first ``betweenness_share``
    batches of betweenness (``samples`` sampled sources or exact blocks, ``seed``), and the
    E-I tests of ``ei_tests`` (attribute, group codes, number of groups, permutations)."""

    n: int
    a: np.ndarray
    b: np.ndarray
    directed: bool
    samples: int | None
    seed: int
    betweenness_share: int = 0
    ei_tests: tuple = ()

    def result_keys(self) -> list[tuple]:
        """The results' keys, in the order the work is done: the memo keys of
        :func:`onatool.engine.ei_test`, :func:`onatool.engine.harmonic_closeness` and
        ``("betweenness batches", samples, seed)``. E-I first: the first process wants it first."""
        memo_seed = self.seed if self.samples else None
        keys = [("ei test", attribute, permutations, self.seed) for attribute, _, _, permutations in self.ei_tests]
        keys += [("harmonic", mode, self.samples, memo_seed) for mode in ("in", "out")]
        if self.betweenness_share:
            keys.append(("betweenness batches", self.samples, memo_seed))
        return keys


def compute(work: Work) -> Iterator[tuple[tuple, object]]:
    """Each of ``work``'s results with its key, in the order of :meth:`Work.result_keys`: what the
    second process runs (and the first, when that process fails)."""
    from onatool.shuffles import ei_test

    shuffles: dict = {}  # label shuffles shared by attributes, as on a Layer's memo
    keys = iter(work.result_keys())
    for _, codes, n_groups, permutations in work.ei_tests:
        yield next(keys), ei_test(codes, n_groups, work.a, work.b, permutations, work.seed, shuffles)
    graph = graph_of(work.n, work.a, work.b, directed=work.directed)
    with warnings.catch_warnings():  # disconnected graphs: documented cases
        warnings.simplefilter("ignore", RuntimeWarning)
        for mode in ("in", "out"):
            yield next(keys), harmonic_of(graph, work.n, mode, work.samples, work.seed)
        if work.betweenness_share:
            yield next(keys), betweenness_batches(graph, work.n, work.directed, work.samples, work.seed,
                                                  slice(work.betweenness_share))


def main() -> None:
    """The second process: read a :class:`Work` from stdin, write each result to stdout as
    it is done (one pickle per key and value, then None).

    igraph is loaded first, so a process started ahead of its work (:func:`standby`) has
    everything loaded by the time its work comes.
    """
    import pickle

    _import_igraph()
    work = pickle.load(sys.stdin.buffer)
    for pair in compute(work):
        pickle.dump(pair, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()
    pickle.dump(None, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _start() -> subprocess.Popen:
    """A fresh interpreter running :func:`main`, this onatool first on its path."""
    here = str(Path(__file__).resolve().parents[1])  # this onatool, whatever is installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-c", "from onatool.paths import main; main()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )


#: Answers files from this size (bytes) hold enough ties for a second process (about 1,800
#: people naming 9 each in a canonical ties file, where ``engine.ALONGSIDE_WORK`` starts):
#: a command that reads them starts it ahead with :func:`standby`.
STANDBY_BYTES = 400_000

#: Second processes started ahead of their work by :func:`standby`, for the next Pending.
_STANDING: list[subprocess.Popen] = []


@contextlib.contextmanager
def standby(wanted: bool = True) -> Iterator[None]:
    """Start the second process now, for the shortest paths measured inside the block.

    A command that imports pandas and reads files before it measures (``onatool analyse``)
    starts it first: the new process loads Python, numpy and igraph (about a fifth of a
    second) on the other core meanwhile, and is ready when :class:`Pending` wants it. With
    ``wanted`` false (a network too small for a second process), or on one core, nothing
    starts. A process
    no Pending took is stopped when the block ends.
    """
    if not wanted or cores() < 2:
        yield
        return
    process = _start()
    _STANDING.append(process)
    try:
        yield
    finally:
        if process in _STANDING:  # not taken: nothing else will stop it
            _STANDING.remove(process)
            _stop(process)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def take_standing() -> subprocess.Popen | None:
    """A second process :func:`standby` started and no one has taken yet, or None."""
    try:
        return _STANDING.pop()
    except IndexError:
        return None


def _stop(process: subprocess.Popen, *threads: threading.Thread) -> None:
    """Stop ``process`` if it is still working, wait for ``threads`` (which use its pipes:
    they end with it), and release its pipes."""
    if process.poll() is None:
        process.kill()
    process.wait()
    for thread in threads:
        thread.join()
    for pipe in (process.stdin, process.stdout):
        with contextlib.suppress(OSError, ValueError):
            pipe.close()


class Pending:
    """Results being computed in a second process; :meth:`get` waits for one (or, if that
    process failed, computes what is left here: the values are the same).

    The process is a fresh interpreter that imports only this module (numpy and igraph, a
    fifth of a second): forking the app's multi-threaded server is unsafe, and
    multiprocessing's "spawn" would run the caller's own script again in it. The work goes
    in through a pipe, fed by a thread so the caller never waits for the process to start;
    results come back one by one, as each is done, read by another thread as they come
    (a pipe holds 64 KB: unread, a large result would stop the process until asked for).
    """

    def __init__(self, work: Work, process: subprocess.Popen | None = None) -> None:
        """Start ``work`` in ``process`` (one started ahead of it, :func:`take_standing`) or
        in a new one."""
        import pickle

        self.work = work
        #: The results it computes, by key (:meth:`Work.result_keys`).
        self.keys = frozenset(work.result_keys())
        self._process = process if process is not None else _start()
        self._results: dict = {}
        self._ended = False  # the process has sent all it will send
        self._arrived = threading.Condition()
        payload = pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL)
        self._feeder = threading.Thread(target=self._feed, args=(payload,), daemon=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._feeder.start()
        self._reader.start()

    @property
    def betweenness_share(self) -> int:
        """Batches of betweenness the second process computes (the first ones)."""
        return self.work.betweenness_share

    def _feed(self, payload: bytes) -> None:
        try:
            self._process.stdin.write(payload)
            self._process.stdin.close()
        except (BrokenPipeError, OSError, ValueError):  # stopped before it read everything
            pass

    def _read(self) -> None:
        import pickle

        try:
            while (pair := pickle.load(self._process.stdout)) is not None:
                with self._arrived:
                    self._results[pair[0]] = pair[1]
                    self._arrived.notify_all()
        except Exception:  # the process died or was stopped
            pass
        finally:
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()

    def get(self, key: tuple):
        """The result of ``key`` (one of :attr:`keys`), waiting for the process to send it."""
        with self._arrived:
            self._arrived.wait_for(lambda: key in self._results or self._ended)
            if key in self._results:
                return self._results[key]
        # The process ended without it (it failed, or was stopped): compute the rest here.
        for done, value in compute(self.work):
            with self._arrived:
                self._results.setdefault(done, value)
        return self._results[key]

    def result(self) -> dict:
        """Every result, by key (waiting for them all)."""
        for key in self.work.result_keys():
            self.get(key)
        return dict(self._results)

    def close(self) -> None:
        """Stop the process if it is still working, and release it."""
        _stop(self._process, self._feeder, self._reader)
