"""How long ``onatool.analyse`` takes on organisational networks of growing size.

Run from the repository root::

    python benchmarks/metrics.py                  # 500, 2,000, 10,000 and 50,000 people
    python benchmarks/metrics.py --sizes 500 2000 # chosen sizes
    python benchmarks/metrics.py --networkx-limit 0   # skip the networkx comparison

Each network is generated (seeded): 10-20 organisations, each in a sector, with teams
that share a profession and a place; three levels (10% tops, 30% middles, 60%
bottoms); 80% respondents, each naming about 12 people (mean out-degree about 10 over
everyone): half in their own team, a third elsewhere in their organisation, the rest
anywhere, tops and middles named more often.

For each size it times the whole :func:`onatool.analyse` (every person, group and
network measure, tops/middles/bottoms and health, over four boundary attributes:
organisation, sector, profession, level) and, up to ``--networkx-limit`` people, a plain
networkx pipeline computing the same measures (brokerage, E-I and mixing counted in
Python over the graph, as one would without onatool). It prints the time of each, the
ratio, and the peak resident memory of each: every measurement runs in a fresh Python
process, whose peak RSS (``resource.getrusage``) includes numpy's and igraph's own
allocations; "added" is the rise above the peak before the pipeline started (Python,
libraries and the generated network).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onatool import Network, analyse

ATTRIBUTES = ("organisation", "sector", "profession", "level")
SECTORS = ("Acute", "Community", "Primary care", "Local authority", "Mental health", "VCSE")
PROFESSIONS = ("Medical", "Nursing", "Allied health", "Social work", "Management", "Admin")
PLACES = ("North", "South", "East", "West", "Central")


def organisational_network(n: int, seed: int = 0, mean_named: float = 12.0) -> Network:
    """A seeded synthetic partnership of ``n`` people (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_org = int(np.clip(round(n ** 0.35), 10, 20))
    org = rng.integers(0, n_org, n)
    level = rng.choice(3, n, p=[0.1, 0.3, 0.6])
    teams_per_org = max(1, n // (n_org * 25))
    team = org * teams_per_org + rng.integers(0, teams_per_org, n)
    responded = rng.random(n) < 0.8
    named = rng.poisson(mean_named, n) * responded
    src = np.repeat(np.arange(n), named)
    m = len(src)

    def pick_within(groups: np.ndarray) -> np.ndarray:
        order = np.argsort(groups, kind="stable")
        sorted_groups = groups[order]
        lo = np.searchsorted(sorted_groups, groups[src], "left")
        hi = np.searchsorted(sorted_groups, groups[src], "right")
        return order[lo + (rng.random(m) * (hi - lo)).astype(np.int64)]

    popularity = np.array([4.0, 2.0, 1.0])[level]
    anywhere = rng.choice(n, m, p=popularity / popularity.sum())
    kind = rng.random(m)
    dst = np.where(kind < 0.5, pick_within(team), np.where(kind < 0.8, pick_within(org), anywhere))
    keys = np.unique((src * n + dst)[src != dst])
    ids = np.array([f"p{i:06d}" for i in range(n)], dtype=object)
    team_profession = rng.integers(0, len(PROFESSIONS), team.max() + 1)
    team_place = rng.integers(0, len(PLACES), team.max() + 1)
    people = pd.DataFrame(
        {
            "organisation": [f"Organisation {k:02d}" for k in org],
            "sector": np.array(SECTORS, dtype=object)[org % len(SECTORS)],
            "profession": np.array(PROFESSIONS, dtype=object)[team_profession[team]],
            "level": np.array(["top", "middle", "bottom"], dtype=object)[level],
            "place": np.array(PLACES, dtype=object)[team_place[team]],
            "responded": responded,
        },
        index=pd.Index(ids, name="person_id"),
    )
    ties = pd.DataFrame(
        {
            "source": ids[keys // n],
            "target": ids[keys % n],
            "relation": "advice",
            "weight": 1.0,
            "raw_value": "1",
        }
    )
    return Network(people, ties, wave="benchmark")


def run_one(size: int, what: str, seed: int) -> dict:
    """Time one pipeline on one size in this process; report its peak resident memory."""
    net = organisational_network(size, seed)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if what == "onatool":
        result = analyse(net, attributes=ATTRIBUTES, seed=seed)
        between = result.params["betweenness"]
        method = "exact" if between["method"] == "exact" else f"{between['samples']} sources"
    else:
        steps = networkx_pipeline(net)
        method = "exact"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"ties": net.n_ties, "seconds": seconds, "peak_mb": peak,
              "added_mb": max(peak - before, 0.0), "betweenness": method}
    if what == "networkx":
        result["slowest"] = sorted(steps.items(), key=lambda kv: -kv[1])[:3]
    return result


def in_child(size: int, what: str, seed: int, timeout: float | None = None) -> dict | None:
    """:func:`run_one` in a fresh Python, so each figure has its own memory peak.

    None if it takes longer than ``timeout`` seconds.
    """
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), what, "--seed", str(seed)],
            capture_output=True, text=True, check=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


# The networkx pipeline ------------------------------------------------------------------
def networkx_pipeline(net: Network, attributes=ATTRIBUTES) -> dict[str, float]:
    """The same measures computed the plain way, networkx plus Python loops; seconds per step."""
    import networkx as nx
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    timings: dict[str, float] = {}

    def step(name, function, *args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
        return result

    ties = net.ties
    G = nx.DiGraph()
    G.add_nodes_from(net.people.index)
    G.add_edges_from(zip(ties["source"], ties["target"], strict=True))
    U = G.to_undirected()
    n = G.number_of_nodes()
    step("degree", lambda: (dict(G.in_degree()), dict(G.out_degree()), dict(U.degree())))
    step("betweenness", nx.betweenness_centrality, G)
    step("closeness", lambda: ({k: v / (n - 1) for k, v in nx.harmonic_centrality(G).items()},
                               {k: v / (n - 1) for k, v in
                                nx.harmonic_centrality(G.reverse(copy=False)).items()}))
    step("eigenvector", nx.eigenvector_centrality, U, max_iter=1000)
    step("pagerank", _pagerank_python, G)  # nx.pagerank needs scipy
    step("constraint", nx.constraint, G)
    step("effective_size", nx.effective_size, U)
    step("core", nx.core_number, U)
    communities = step("communities", nx.community.louvain_communities, U, seed=0)
    step("communities", nx.community.modularity, U, communities)
    step("network", lambda: (nx.density(G), nx.overall_reciprocity(G), nx.transitivity(U),
                             nx.number_weakly_connected_components(G)))

    def two_path_census(group=None):
        closed = paths = 0
        roles: dict = {}
        for i in G:
            counts: Counter = Counter()
            for a in G.predecessors(i):
                for b in G.successors(i):
                    if a == b:
                        continue
                    paths += 1
                    if G.has_edge(a, b):
                        closed += 1
                        continue
                    if group is None:
                        continue
                    ga, gi, gb = group[a], group[i], group[b]
                    if ga == gi == gb:
                        counts["coordinator"] += 1
                    elif ga == gb:
                        counts["itinerant"] += 1
                    elif ga == gi:
                        counts["representative"] += 1
                    elif gi == gb:
                        counts["gatekeeper"] += 1
                    else:
                        counts["liaison"] += 1
            roles[i] = counts
        return closed / paths, roles

    step("transitivity", two_path_census)
    for attribute in attributes:
        group = net.people[attribute].to_dict()
        step("brokerage", two_path_census, group)

        def ei(group=group):
            out = {}
            for i in U:
                external = sum(group[j] != group[i] for j in U[i])
                internal = U.degree(i) - external
                out[i] = (external - internal) / (external + internal) if U.degree(i) else math.nan
            return out

        step("ei_mixing", ei)
        step("ei_mixing", Counter, ((group[a], group[b]) for a, b in G.edges()))
        nx.set_node_attributes(G, group, attribute)
        step("assortativity", nx.attribute_assortativity_coefficient, G, attribute)
        parts: dict = {}
        for node, value in group.items():
            parts.setdefault(value, set()).add(node)
        step("modularity", nx.community.modularity, U, parts.values())
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2_000, 10_000, 50_000])
    parser.add_argument("--networkx-limit", type=int, default=2_000,
                        help="largest size to also time the networkx pipeline on (0: never)")
    parser.add_argument("--networkx-timeout", type=float, default=900,
                        help="give up on the networkx pipeline after this many seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1], args.seed)))
        return

    header = (f"{'people':>7} {'ties':>8} {'onatool s':>10} {'peak MB':>8} {'added MB':>9} "
              f"{'betweenness':>12} {'networkx s':>11} {'nx peak MB':>11} {'ratio':>7}")
    print(header)
    print("-" * len(header), flush=True)
    slowest = {}
    for size in args.sizes:
        ours = in_child(size, "onatool", args.seed)
        row = (f"{size:>7,} {ours['ties']:>8,} {ours['seconds']:>10.2f} {ours['peak_mb']:>8.0f} "
               f"{ours['added_mb']:>9.0f} {ours['betweenness']:>12}")
        theirs = None
        if size <= args.networkx_limit:
            theirs = in_child(size, "networkx", args.seed, args.networkx_timeout)
        if theirs is not None:
            row += (f" {theirs['seconds']:>11.2f} {theirs['peak_mb']:>11.0f} "
                    f"{theirs['seconds'] / ours['seconds']:>6.0f}x")
            slowest[size] = theirs["slowest"]
        elif size <= args.networkx_limit:
            row += f" {'> ' + format(args.networkx_timeout, '.0f'):>11} {'-':>11} {'-':>7}"
        else:
            row += f" {'-':>11} {'-':>11} {'-':>7}"
        print(row, flush=True)
    for size, steps in slowest.items():
        listed = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps)
        print(f"networkx's slowest steps at {size:,} people: {listed}")


if __name__ == "__main__":
    main()
