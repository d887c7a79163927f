"""Networks whose answers are known: hand-made ones and networkx's classics.

networkx's numbering is kept as person ids (``"0"``, ``"1"`` ...), so values quoted
from the literature for node k can be looked up as ``str(k)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the test modules' own helpers

from ona_networks import from_networkx, random_network

from onatool import Network


@pytest.fixture
def kite() -> Network:
    """Krackhardt's kite: 10 people, undirected (Krackhardt 1990)."""
    return from_networkx(nx.krackhardt_kite_graph())


@pytest.fixture
def karate() -> Network:
    """Zachary's karate club with its ``club`` attribute, undirected, unweighted."""
    return from_networkx(nx.karate_club_graph(), attributes=("club",))


@pytest.fixture
def florentine() -> Network:
    """Padgett's Florentine families (marriage ties), undirected."""
    return from_networkx(nx.florentine_families_graph())


@pytest.fixture
def messy() -> Network:
    """Random, directed, with non-respondents and missing attribute values."""
    return random_network(40, 160, seed=7)


@pytest.fixture
def star() -> Network:
    """Undirected star: a centre tied to five others."""
    return Network.from_edges([("c", x) for x in "abdef"], symmetric=True)


@pytest.fixture
def circle() -> Network:
    """Undirected circle of six."""
    ring = "abcdef"
    return Network.from_edges(list(zip(ring, ring[1:] + ring[0], strict=True)), symmetric=True)
