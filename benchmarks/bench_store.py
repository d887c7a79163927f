"""How long the workspace takes to save and load waves of growing size.

Run from the repository root::

    python benchmarks/bench_store.py

A synthetic wave: n people in 12 organisations, each respondent (80%) naming about
``ties_per_person`` others in two relations. Times are the best of three runs, in a
fresh temporary workspace.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from onatool import Network, Workspace


def synthetic_wave(n_people: int, n_ties: int, seed: int = 0) -> Network:
    rng = np.random.default_rng(seed)
    ids = [f"p{i:06d}" for i in range(n_people)]
    people = pd.DataFrame(
        {
            "organisation": rng.choice([f"Org {k}" for k in range(12)], n_people),
            "level": rng.choice(["top", "middle", "bottom"], n_people),
            "responded": rng.random(n_people) < 0.8,
        },
        index=pd.Index(ids, name="person_id"),
    )
    pairs = set()
    while len(pairs) < n_ties:
        s, t = rng.integers(0, n_people, 2)
        if s != t:
            pairs.add((int(s), int(t), "advice" if len(pairs) % 2 else "collaboration"))
    src, tgt, rel = zip(*sorted(pairs), strict=True)
    weight = rng.integers(1, 6, len(src)).astype(float)
    ties = pd.DataFrame(
        {
            "source": [ids[i] for i in src],
            "target": [ids[i] for i in tgt],
            "relation": rel,
            "weight": weight,
            "raw_value": [f"{w:g}" for w in weight],
        }
    )
    return Network(people, ties, wave="baseline")


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(f"{'people':>7} {'ties':>8} {'save s':>8} {'load s':>8} {'file MB':>8}")
    for n_people, n_ties in ((500, 5_000), (2_000, 20_000), (10_000, 200_000)):
        net = synthetic_wave(n_people, n_ties)
        with tempfile.TemporaryDirectory() as folder:
            ws = Workspace(Path(folder) / "bench.sqlite")
            ws.create_project("bench")
            save = best_of(3, lambda: ws.save_wave("bench", net, replace=True))  # noqa: B023
            load = best_of(3, lambda: ws.load_wave("bench", "baseline"))  # noqa: B023
            size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
        print(f"{n_people:>7} {n_ties:>8} {save:>8.3f} {load:>8.3f} {size:>8.1f}")


if __name__ == "__main__":
    main()
