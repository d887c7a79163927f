"""Random test networks: people in organisations and levels, ties mostly within an organisation.

Built through :meth:`onatool.network.Network.from_edges` so they pass the same validation
as real data. Seeded, so a test that uses one sees the same network every run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onatool import Network

LEVEL_SHARES = {"top": 0.1, "middle": 0.3, "bottom": 0.6}


def random_network(
    n_people: int,
    *,
    seed: int = 0,
    n_organisations: int = 6,
    mean_out_degree: float = 3.0,
    within_share: float = 0.75,
    isolates: int = 0,
    organisations: list[str] | None = None,
    relation: str = "advice",
    wave: str = "wave 1",
) -> Network:
    """A random directed network with ``organisation`` and ``level`` for every person.

    Parameters
    ----------
    n_people
        People in total, isolates included.
    seed
        Seed for numpy's generator.
    n_organisations
        Organisations, of unequal sizes (Dirichlet shares), named ``Org A``, ``Org B`` ...
        unless ``organisations`` gives the names.
    mean_out_degree
        Mean number of people each connected person names.
    within_share
        Share of ties that stay inside the naming person's organisation.
    isolates
        How many people (the last ones) have no ties at all.
    organisations
        Names to use instead of ``Org A`` ...; its length sets the number of organisations.
    relation, wave
        Passed to :meth:`Network.from_edges`.
    """
    rng = np.random.default_rng(seed)
    names = organisations or [f"Org {chr(65 + i % 26)}{i // 26 or ''}" for i in range(n_organisations)]
    shares = rng.dirichlet(np.full(len(names), 2.0))
    org_code = rng.choice(len(names), size=n_people, p=shares)
    levels = rng.choice(list(LEVEL_SHARES), size=n_people, p=list(LEVEL_SHARES.values()))
    ids = np.array([f"p{i:05d}" for i in range(n_people)], dtype=object)
    people = pd.DataFrame(
        {"organisation": np.array(names, dtype=object)[org_code], "level": levels},
        index=pd.Index(ids, name="person_id"),
    )

    connected = n_people - isolates
    sources, targets = [], []
    if connected > 1:
        k = rng.poisson(mean_out_degree, size=connected)
        src = np.repeat(np.arange(connected), k)
        same = rng.random(src.size) < within_share
        tgt = rng.integers(0, connected, size=src.size)
        # Within-organisation ties: pick a random member of the source's organisation.
        members = [np.flatnonzero(org_code[:connected] == c) for c in range(len(names))]
        for c, pool in enumerate(members):
            rows = np.flatnonzero(same & (org_code[src] == c))
            if pool.size and rows.size:
                tgt[rows] = pool[rng.integers(0, pool.size, size=rows.size)]
        pairs = pd.DataFrame({"s": src, "t": tgt})
        pairs = pairs[pairs.s != pairs.t].drop_duplicates()
        sources, targets = ids[pairs.s.to_numpy()], ids[pairs.t.to_numpy()]
    weights = rng.integers(1, 6, size=len(sources)).astype(float)
    return Network.from_edges(
        zip(sources, targets, weights, strict=True), people=people, relation=relation, wave=wave
    )
