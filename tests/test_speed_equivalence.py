"""The faster paths of issue 15 give exactly what the plain ones give.

Each test runs the shortcut and a plain reference on the same input: the E-I test's shared
shuffles against drawing them per attribute, the gate's one-key row count against
``np.unique(axis=0)``, and igraph's one-thread load leaving the environment as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import Network, engine, shuffles
from onatool.metrics import boundary
from onatool.share.gate import _small

ROOT = Path(__file__).resolve().parents[1]


def _network(seed: int, n: int = 60) -> Network:
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(n)]
    people = pd.DataFrame(
        {
            # Missing and blank values change how many people have a known group.
            "organisation": rng.choice(np.array(["A", "B", "C", None], dtype=object), n),
            "sector": rng.choice(np.array(["NHS", "VCSE", " "], dtype=object), n),
            "level": rng.choice(np.array(["top", "middle", "bottom"], dtype=object), n),
            "responded": True,
        },
        index=pd.Index(ids, name="person_id"),
    )
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, (4 * n, 2)) if a != b}
    ties = pd.DataFrame({"source": [ids[a] for a, _ in sorted(pairs)], "target": [ids[b] for _, b in sorted(pairs)],
                         "relation": "advice", "weight": 1.0, "raw_value": "1"})
    return Network(people, ties)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("symmetric", [False, True])
def test_shared_shuffles_give_the_p_values_of_shuffles_drawn_per_attribute(seed, symmetric, monkeypatch):
    net = _network(seed)
    attributes = ["organisation", "sector", "level", "organisation"]
    shared_layer = engine.layer(net, symmetric=symmetric)
    shared = [boundary.ei_network(shared_layer, a, seed=seed, permutations=300) for a in attributes]
    assert any(key[0] == "ei_shuffles" for key in shared_layer.memo)
    monkeypatch.setattr(shuffles, "_SHUFFLES_MEMO_LIMIT", 0)  # every attribute draws its own
    own_layer = engine.layer(_network(seed), symmetric=symmetric)  # a new Network: a Layer of its own
    own = [boundary.ei_network(own_layer, a, seed=seed, permutations=300) for a in attributes]
    assert not any(key[0] == "ei_shuffles" for key in own_layer.memo)
    assert shared == own
    assert any(0.01 < r[f"ei_p_{a}"] < 0.99 for r, a in zip(shared, attributes, strict=True))  # not all extreme


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(1, 4), st.integers(1, 6), st.integers(1, 5), st.integers(0, 2**31))
def test_small_combinations_counted_by_one_key_match_unique_rows(rows, columns, values, k, seed):
    codes = np.random.default_rng(seed).integers(-1, values, (rows, columns))
    _, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
    assert (_small(codes, k) == (counts[inverse.ravel()] < k)).all()


def test_igraph_loads_one_thread_wide_and_leaves_the_environment_as_it_was():
    code = (
        "import os\n"
        "from onatool import engine\n"
        "engine.ig.Graph(2)\n"
        "print(os.environ.get('OMP_NUM_THREADS'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "None"
    env["OMP_NUM_THREADS"] = "2"  # a user's own setting is kept
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "2"
