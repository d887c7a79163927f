"""How long comparing two 2,000-person waves takes, QAP with 1,000 permutations included.

Run from the repository root::

    python benchmarks/compare.py [--people 2000] [--permutations 1000]

Two synthetic waves of one partnership: 2,000 people in 12 organisations (5 sectors,
tops / middles / bottoms, 5% on a leadership programme), 80% answering each wave (not
the same 80%), 2% leaving and 2% joining. Each respondent names about six colleagues,
mostly in their own organisation (mean degree about 10); the second wave keeps 70% of
the first wave's ties, adds as many new ones, and gives the cohort extra contacts
across organisations.

Reported: the time of each step (best of three), the whole ``compare_waves`` +
``write_comparison`` (with the metrics engine's ``analyse`` of both waves when it is
installed), peak traced memory, and a naive QAP (permute the dense matrix, call
``np.corrcoef`` per permutation) for scale.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from types import SimpleNamespace

import numpy as np
import pandas as pd

from onatool import Network
from onatool.compare import cohort_change, compare_waves, qap, tie_churn
from onatool.outputs.writers import write_comparison
from onatool.share.gate import Gate


def synthetic_waves(n: int = 2000, seed: int = 0) -> list[Network]:
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i:06d}" for i in range(n)], dtype=object)
    org = rng.integers(0, 12, n)
    sector = org % 5
    level = rng.choice(["top", "middle", "bottom"], n, p=[0.1, 0.3, 0.6])
    cohort = np.where(rng.random(n) < 0.05, "Leadership programme", None)

    def naming(sources: np.ndarray, mean: float) -> np.ndarray:
        """Each source names Poisson(mean) people, 70% in their own organisation."""
        counts = rng.poisson(mean, len(sources))
        src = np.repeat(sources, counts)
        same = rng.random(len(src)) < 0.7
        tgt = rng.integers(0, n, len(src))
        # Same-organisation targets: a random member of the source's organisation.
        members = [np.flatnonzero(org == k) for k in range(12)]
        pick = rng.random(len(src))
        for k in range(12):
            rows = same & (org[src] == k)
            tgt[rows] = members[k][(pick[rows] * len(members[k])).astype(int)]
        return np.stack([src, tgt], axis=1)

    first = naming(np.arange(n), 6.0)
    kept = first[rng.random(len(first)) < 0.7]
    fresh = naming(np.arange(n), 6.0 * 0.3)
    cohort_rows = np.flatnonzero(cohort != None)  # noqa: E711 (element-wise)
    extra = np.stack([np.repeat(cohort_rows, 3), rng.integers(0, n, 3 * len(cohort_rows))], axis=1)
    second = np.concatenate([kept, fresh, extra])

    leavers = rng.random(n) < 0.02
    joiners = ~leavers & (rng.random(n) < 0.02)
    waves = []
    for label, pairs, absent in (("baseline", first, joiners), ("follow-up", second, leavers)):
        responded = (rng.random(n) < 0.8) & ~absent
        pairs = pairs[(pairs[:, 0] != pairs[:, 1]) & responded[pairs[:, 0]]]
        pairs = pairs[~absent[pairs[:, 0]] & ~absent[pairs[:, 1]]]
        pairs = np.unique(pairs, axis=0)
        people = pd.DataFrame(
            {"organisation": [f"Org {k}" for k in org], "sector": [f"Sector {k}" for k in sector],
             "level": level, "cohort": cohort, "responded": responded},
            index=pd.Index(ids, name="person_id"),
        )[~absent]
        ties = pd.DataFrame({
            "source": ids[pairs[:, 0]], "target": ids[pairs[:, 1]], "relation": "advice",
            "weight": 1.0, "raw_value": "Yes",
        })
        waves.append(Network(people, ties, wave=label))
    return waves


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def naive_qap_seconds(before: Network, after: Network, permutations: int) -> float:
    """Seconds per naive permutation: dense matrices, fancy-index, np.corrcoef."""
    ids = before.people.index.intersection(after.people.index)
    index = {p: i for i, p in enumerate(ids)}
    n = len(ids)
    x, y = np.zeros((n, n)), np.zeros((n, n))
    for net, matrix in ((before, x), (after, y)):
        for s, t in zip(net.ties["source"], net.ties["target"], strict=True):
            if s in index and t in index:
                matrix[index[s], index[t]] = 1
    off = ~np.eye(n, dtype=bool)
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(permutations):
        order = rng.permutation(n)
        np.corrcoef(x[off], y[np.ix_(order, order)][off])
    return (time.perf_counter() - start) / permutations


def analyses_or_stub(waves: list[Network]):
    try:
        from onatool.metrics import analyse  # noqa: F401
    except ImportError:
        return "stub (onatool.metrics not installed)", [
            SimpleNamespace(people=pd.DataFrame(index=w.people.index), groups={}, network={}, levels=None)
            for w in waves
        ]
    return "onatool.metrics.analyse of both waves", None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--permutations", type=int, default=1000)
    args = parser.parse_args()

    waves = synthetic_waves(args.people)
    before, after = waves
    pairs = np.unique(np.sort(before.ties[["source", "target"]].to_numpy(dtype=str), axis=1), axis=0)
    print(f"{before!r}\n{after!r}\nmean degree (distinct contacts, baseline): "
          f"{2 * len(pairs) / before.n_people:.1f}")
    churn = tie_churn(before, after)
    print(f"compared {churn['people_compared']}: stable {churn['stable']}, lost {churn['lost']}, "
          f"new {churn['new']}, Jaccard {churn['jaccard']:.2f}")

    p = args.permutations
    steps = {
        "tie_churn": lambda: tie_churn(before, after),
        f"qap ({p} permutations)": lambda: qap(before, after, permutations=p),
        f"qap, present='all' ({p} permutations)": lambda: qap(before, after, permutations=p, present="all"),
        f"cohort_change ({p} permutations)": lambda: cohort_change(before, after, "Leadership programme",
                                                                   permutations=p),
    }
    for name, action in steps.items():
        print(f"{name:<42} {best_of(3, action):7.3f} s")

    how, analyses = analyses_or_stub(waves)

    def whole() -> None:
        comparison = compare_waves(waves, cohort="Leadership programme", permutations=p, analyses=analyses)
        with tempfile.TemporaryDirectory() as folder:
            write_comparison(comparison, folder, Gate(), people=waves[-1].people)  # the default disclosure, as shared

    seconds = best_of(3, whole)
    print(f"{'compare_waves + write_comparison':<42} {seconds:7.3f} s   [{how}]")

    tracemalloc.start()
    whole()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory (whole comparison): {peak / 1e6:.0f} MB; "
          f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")

    naive = naive_qap_seconds(before, after, 5)
    qap_seconds = best_of(3, steps[f"qap ({p} permutations)"])
    print(f"naive QAP: {naive * p:.1f} s for {p} permutations (extrapolated from 5), "
          f"{naive * p / qap_seconds:.0f}x slower than onatool's")


if __name__ == "__main__":
    main()
