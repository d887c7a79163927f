"""The networkx reference for ``benchmarks/analysis.py``: a subset of onatool's measures.

Run as a whole process: ``python benchmarks/reference_networkx.py ROSTER TIES OUT``.

Reads the same canonical files as ``onatool analyse`` and computes, the plain way with
networkx and Python loops: in/out/total degree, betweenness, harmonic closeness both ways,
eigenvector centrality, PageRank (networkx's pure-Python version: its default needs
scipy, which onatool does not), k-core, Louvain communities and their modularity,
density, reciprocity, transitivity and components, and per boundary attribute
(organisation, sector, profession, level, place, those present) the person E-I index,
the mixing counts, assortativity and modularity; then writes the person table.

A *subset*: no constraint, effective size or brokerage (networkx's constraint and
effective size alone take minutes at 2,000 people without scipy), no E-I permutation
tests, no levels or health. ``benchmarks/metrics.py`` times the full set.
"""

from __future__ import annotations

import json
import sys
from collections import Counter

import pandas as pd

ATTRIBUTES = ("organisation", "sector", "profession", "level", "place")


def main(roster: str, ties: str, out: str) -> None:
    import networkx as nx
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    people = pd.read_csv(roster, dtype=str).set_index("id")
    arcs = pd.read_csv(ties, dtype={"source": str, "target": str})
    if "relation" in arcs.columns:
        arcs = arcs[arcs["relation"] == "advice"]
    G = nx.DiGraph()
    G.add_nodes_from(people.index)
    G.add_edges_from((a, b) for a, b in zip(arcs["source"], arcs["target"], strict=True) if a != b)
    U = G.to_undirected()
    n = G.number_of_nodes()
    table = pd.DataFrame(index=people.index)
    table["in_degree"] = pd.Series(dict(G.in_degree()))
    table["out_degree"] = pd.Series(dict(G.out_degree()))
    table["degree"] = pd.Series(dict(U.degree()))
    table["betweenness"] = pd.Series(nx.betweenness_centrality(G))
    table["closeness_in"] = pd.Series(nx.harmonic_centrality(G)) / (n - 1)
    table["closeness_out"] = pd.Series(nx.harmonic_centrality(G.reverse(copy=False))) / (n - 1)
    table["eigenvector"] = pd.Series(nx.eigenvector_centrality(U, max_iter=1000))
    table["pagerank"] = pd.Series(_pagerank_python(G))
    table["core"] = pd.Series(nx.core_number(U))
    communities = nx.community.louvain_communities(U, seed=0)
    network = {
        "modularity_community": nx.community.modularity(U, communities),
        "density": nx.density(G),
        "reciprocity": nx.overall_reciprocity(G),
        "transitivity": nx.transitivity(U),
        "components": nx.number_weakly_connected_components(G),
    }
    for attribute in [a for a in ATTRIBUTES if a in people.columns]:
        group = people[attribute].to_dict()
        ei = {}
        for i in U:
            external = sum(group[j] != group[i] for j in U[i])
            internal = U.degree(i) - external
            ei[i] = (external - internal) / (external + internal) if U.degree(i) else float("nan")
        table[f"ei_{attribute}"] = pd.Series(ei)
        mixing = Counter((group[a], group[b]) for a, b in G.edges())
        network[f"mixing_{attribute}"] = len(mixing)
        nx.set_node_attributes(G, group, attribute)
        network[f"assortativity_{attribute}"] = nx.attribute_assortativity_coefficient(G, attribute)
        parts: dict = {}
        for node, value in group.items():
            parts.setdefault(value, set()).add(node)
        network[f"modularity_{attribute}"] = nx.community.modularity(U, parts.values())
    table.to_csv(out)
    print(json.dumps(network, default=float))


if __name__ == "__main__":
    main(*sys.argv[1:4])
