"""igraph (onatool) against networkx, an independent implementation, on generated graphs."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from ona_networks import to_networkx

from onatool import Network
from onatool.metrics import centrality, cohesion, groups

SETTINGS = settings(max_examples=30, deadline=None)


@st.composite
def networks(draw, symmetric: bool | None = None):
    """A random network of 2-12 people, directed or symmetric, with an attribute."""
    n = draw(st.integers(2, 12))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=50))
    edges = sorted({(f"n{a:02d}", f"n{b:02d}") for a, b in pairs if a != b})
    labels = draw(st.lists(st.sampled_from("ABC"), min_size=n, max_size=n))
    if symmetric is None:
        symmetric = draw(st.booleans())
    people = {f"n{k:02d}": {"org": labels[k]} for k in range(n)}
    return Network.from_edges(edges, people=people, symmetric=symmetric)


def nx_graph(net: Network) -> nx.Graph:
    """networkx graph of the layer as onatool reads it (undirected when symmetric)."""
    symmetric = net.is_symmetric(net.relation_names[0]) if net.relation_names else False
    return to_networkx(net, directed=not symmetric)


def as_list(net: Network, values: dict) -> list[float]:
    return [values[p] for p in net.people.index]


@SETTINGS
@given(networks())
def test_betweenness(net):
    expected = as_list(net, nx.betweenness_centrality(nx_graph(net), normalized=True))
    # Everyone responded here, so no non-respondent NaN.
    assert centrality.betweenness(net).tolist() == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(networks())
def test_harmonic_closeness(net):
    graph = nx_graph(net)
    n = net.n_people
    # networkx sums 1/d(v, u) over v: distances towards u, our closeness_in.
    towards = as_list(net, nx.harmonic_centrality(graph))
    assert centrality.closeness_in(net).tolist() == pytest.approx([v / (n - 1) for v in towards])
    reverse = graph.reverse(copy=True) if graph.is_directed() else graph
    away = as_list(net, nx.harmonic_centrality(reverse))
    assert centrality.closeness_out(net).tolist() == pytest.approx([v / (n - 1) for v in away])


@SETTINGS
@given(networks())
def test_pagerank(net):
    expected = as_list(net, _pagerank_python(nx_graph(net), alpha=0.85, tol=1e-12, max_iter=1000))
    assert centrality.pagerank(net).tolist() == pytest.approx(expected, abs=1e-6)


@SETTINGS
@given(networks())
def test_core_number(net):
    expected = as_list(net, nx.core_number(nx_graph(net).to_undirected()))
    assert centrality.core(net).tolist() == expected


@SETTINGS
@given(networks())
def test_constraint(net):
    graph = nx_graph(net)
    expected = nx.constraint(graph)
    ours = centrality.constraint(net)
    for person, value in ours.items():
        # networkx treats someone who only receives ties as an isolate (NaN); Burt's
        # formula, igraph and onatool count those contacts too.
        if graph.is_directed() and not graph.out_degree(person) and graph.in_degree(person):
            assert 0 < value <= 2
        else:
            assert value == pytest.approx(expected[person], nan_ok=True)


@SETTINGS
@given(networks())
def test_effective_size_against_networkx_on_mutual_weights(net):
    # networkx is right for undirected weighted graphs: give it the mutual weights
    # a_ij + a_ji that Burt's formula uses for directed data.
    directed = to_networkx(net)
    if net.is_symmetric("tie"):
        directed = directed.to_directed()
        directed.add_edges_from([(v, u) for u, v in list(directed.edges())])
    mutual = nx.Graph()
    mutual.add_nodes_from(directed)
    for u, v in directed.edges():
        w = 1 + directed.has_edge(v, u)
        mutual.add_edge(u, v, weight=w)
    # nodes= keeps networkx on its node-by-node path, Burt's formula as written. Its
    # all-nodes sparse shortcut (networkx 3.6) gives 4/3 where the formula gives 7/6 on
    # weights a-b 2, a-c 1, b-c 1 (see the hand-worked test below).
    expected = as_list(net, nx.effective_size(mutual, nodes=list(mutual), weight="weight"))
    assert centrality.effective_size(net).tolist() == pytest.approx(expected, nan_ok=True)


def test_effective_size_by_hand_on_mutual_weights():
    # a <-> b, a -> c, b -> c: mutual weights a-b 2, a-c 1, b-c 1. For a: proportions
    # 2/3 (b) and 1/3 (c); redundancy of b = 1/3 * 1/2 (b's tie to c over its largest), of
    # c = 2/3 * 1 (c's tie to b over its largest): effective size 2 - 5/6 = 7/6.
    net = Network.from_edges([("a", "b"), ("b", "a"), ("a", "c"), ("b", "c")])
    assert centrality.effective_size(net).to_dict() == pytest.approx({"a": 7 / 6, "b": 7 / 6, "c": 1.0})


@SETTINGS
@given(networks())
def test_transitivity_undirected(net):
    expected = nx.transitivity(nx_graph(net).to_undirected())
    ours = cohesion.transitivity_undirected(net)
    if expected == 0 and math.isnan(ours):  # networkx says 0 where there is no triple
        return
    assert ours == pytest.approx(expected)


@SETTINGS
@given(networks(symmetric=False))
def test_reciprocity(net):
    graph = nx_graph(net)
    if graph.number_of_edges() == 0:
        assert math.isnan(cohesion.reciprocity(net))
    else:
        assert cohesion.reciprocity(net) == pytest.approx(nx.overall_reciprocity(graph))


@SETTINGS
@given(networks())
def test_assortativity(net):
    graph = nx_graph(net)
    nx.set_node_attributes(graph, net.people["org"].to_dict(), "org")
    ours = groups.assortativity(net, "org")
    if graph.number_of_edges() == 0:
        assert math.isnan(ours)
        return
    with np.errstate(all="ignore"):
        expected = nx.attribute_assortativity_coefficient(graph, "org")
    if math.isnan(expected):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(expected)


@SETTINGS
@given(networks())
def test_directed_weak_transitivity_brute_force(net):
    arcs = set(zip(net.ties["source"], net.ties["target"], strict=True))
    if net.is_symmetric("tie"):
        arcs |= {(b, a) for a, b in arcs}
    paths = [(a, b, c) for a, b in arcs for b2, c in arcs if b2 == b and a != c]
    ours = cohesion.transitivity(net)
    if not paths:
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(sum((a, c) in arcs for a, _, c in paths) / len(paths))


def test_eigenvector_on_a_connected_graph(florentine):
    graph = to_networkx(florentine, directed=False)
    expected = pd.Series(nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-12))
    expected = expected / expected.max()
    ours = centrality.eigenvector(florentine)
    assert ours.tolist() == pytest.approx(expected[ours.index].tolist(), abs=1e-6)
