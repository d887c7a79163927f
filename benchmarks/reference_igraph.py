"""The bare igraph reference for ``benchmarks/analysis.py``: the heaviest measures, nothing else.

Run as a whole process: ``python benchmarks/reference_igraph.py ROSTER TIES OUT``.

Reads the canonical roster (``id`` column) and ties (``source,target[,relation,weight]``)
files with pandas, keeps the ``advice`` relation (all ties when there is no relation
column), builds one directed igraph graph from integer codes and computes betweenness,
harmonic closeness towards and from each person, PageRank and Burt's constraint, then
writes one CSV. No validation, no pseudonyms, no groups: the irreducible igraph work
plus reading and writing, as a script written by hand would do it.

igraph is imported as onatool imports it: without its matplotlib drawing backends (a plain
``import igraph`` loads matplotlib too, about 0.4 s) and with its OpenMP pool one thread wide
(igraph's PageRank otherwise waits for its threads on a busy machine, up to 2 s at 2,000
people): either would make this reference slower and flatter onatool.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd


def main(roster: str, ties: str, out: str) -> None:
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # igraph without drawing
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import igraph as ig

    del sys.modules["matplotlib"]
    people = pd.read_csv(roster, dtype=str)
    arcs = pd.read_csv(ties, dtype={"source": str, "target": str})
    if "relation" in arcs.columns:
        arcs = arcs[arcs["relation"] == "advice"]
    ids = pd.Index(people["id"])
    src = ids.get_indexer(arcs["source"])
    dst = ids.get_indexer(arcs["target"])
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    graph = ig.Graph(len(ids), edges=np.column_stack([src[keep], dst[keep]]).tolist(), directed=True)
    graph.simplify()
    result = pd.DataFrame(
        {
            "betweenness": graph.betweenness(directed=True),
            "closeness_in": graph.harmonic_centrality(mode="in", normalized=True),
            "closeness_out": graph.harmonic_centrality(mode="out", normalized=True),
            "pagerank": graph.pagerank(directed=True),
            "constraint": graph.constraint(),
        },
        index=ids,
    )
    result.to_csv(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
