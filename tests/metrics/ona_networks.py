"""Builders for test networks: from networkx graphs, random ones, and back to networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from onatool import Network


def from_networkx(graph: nx.Graph, *, attributes: tuple[str, ...] = (), symmetric=None) -> Network:
    """A Network with the same people and ties (undirected graphs become symmetric)."""
    people = pd.DataFrame(
        {a: [graph.nodes[v].get(a) for v in graph] for a in attributes},
        index=pd.Index([str(v) for v in graph], name="person_id"),
    )
    people["responded"] = True
    if symmetric is None:
        symmetric = not graph.is_directed()
    return Network.from_edges(
        [(str(u), str(v)) for u, v in graph.edges()], people=people, symmetric=symmetric
    )


def random_network(
    n: int, m: int, *, seed: int = 0, groups: int = 3, response_rate: float = 0.8,
    missing: float = 0.1, symmetric: bool = False,
) -> Network:
    """A random directed network with attributes, non-respondents and missing values.

    Only respondents send ties; ``m`` is capped at what they could send.
    """
    rng = np.random.default_rng(seed)
    ids = [f"p{i:03d}" for i in range(n)]
    responded = rng.random(n) < response_rate
    responded[0] = True
    org = rng.choice([f"org{k}" for k in range(groups)], n).astype(object)
    org[rng.random(n) < missing] = None
    level = rng.choice(["top", "middle", "bottom"], n).astype(object)
    level[rng.random(n) < missing] = None
    people = pd.DataFrame(
        {
            "organisation": org,
            "sector": [None if o is None else ("NHS" if o != "org0" else "VCSE") for o in org],
            "profession": rng.choice(["nurse", "doctor", "social worker"], n),
            "level": level,
            "responded": responded,
        },
        index=pd.Index(ids, name="person_id"),
    )
    senders = np.flatnonzero(responded)
    m = min(m, len(senders) * (n - 1))
    pairs = set()
    while len(pairs) < m:
        s, t = int(rng.choice(senders)), int(rng.integers(n))
        if s != t:
            pairs.add((ids[s], ids[t]))
    return Network.from_edges(sorted(pairs), people=people, symmetric=symmetric)


def to_networkx(net: Network, *, directed: bool = True) -> nx.DiGraph:
    """The Network's ties (any weight > 0) as a networkx graph, people in order."""
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(net.people.index)
    ties = net.ties[net.ties["weight"] > 0]
    graph.add_edges_from(zip(ties["source"], ties["target"], strict=True))
    return graph
