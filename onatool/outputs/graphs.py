"""Graph files for Gephi, igraph and networkx: GraphML and GEXF with clean attributes.

Every text that reaches the XML (ids, attribute names and values, graph parameters) has
the characters XML 1.0 forbids stripped (:func:`onatool.outputs.files.xml_text`), so a
control character typed into a roster cannot make the file unreadable.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import SubElement

import networkx as nx
import numpy as np
import pandas as pd

from onatool import __version__, schema
from onatool.network import Network
from onatool.outputs.files import xml_text
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.share.tables import _symmetric, people_table, ties_table

__all__ = ["graph_for_export", "write_gexf", "write_graphml"]

# Graph files (Gephi, igraph, networkx) ---------------------------------------------------------


def _clean(value: object) -> object | None:
    """A value GraphML/GEXF readers accept, or None to leave the attribute out."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, list | tuple | set):
        return xml_text("|".join(map(str, value)))
    return xml_text(value)


def graph_for_export(
    network: Network,
    disclosure: Disclosure,
    provenance: Provenance,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
    positions: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> nx.Graph:
    """A networkx graph with clean attributes, ready for GraphML and GEXF.

    Nodes are ``person_id``; ``label`` is the pseudonym (or the name when revealed);
    every attribute and metric is a node attribute with missing values left out
    (so no None and no NaN reach the file); ties carry ``relation``, ``weight`` and
    (with a comparison) ``status``. The graph is undirected when every relation is
    symmetric. Graph attributes hold the parameters.
    """
    table = people_table(network, disclosure, analysis=analysis, identities=identities)
    symmetric = _symmetric(network, analysis)
    graph: nx.Graph = nx.Graph() if symmetric else nx.DiGraph()
    for key, value in provenance.as_dict().items():
        cleaned = _clean(value if not isinstance(value, Mapping) else json.dumps(value, sort_keys=True))
        if cleaned is not None:
            graph.graph[xml_text(key)] = cleaned
    display = table[schema.NAME] if disclosure.names_revealed else table[schema.LABEL]
    for pid, row in table.iterrows():
        attrs = {xml_text(k): _clean(v) for k, v in row.items() if k != schema.NAME}
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["label"] = xml_text(display[pid])
        if positions is not None and pid in positions.index:
            attrs["x"] = float(positions.loc[pid, "x"])
            attrs["y"] = float(positions.loc[pid, "y"])
        graph.add_node(xml_text(pid), **attrs)
    edges = ties_table(network, disclosure.hiding_names(), status=status)
    for row in edges.itertuples(index=False):
        attrs = {
            "relation": xml_text(row.relation),
            "weight": float(row.weight),
            "raw_value": xml_text(row.raw_value),
        }
        if "status" in edges.columns and isinstance(getattr(row, "status", None), str):
            attrs["status"] = xml_text(row.status)
        graph.add_edge(xml_text(row.source), xml_text(row.target), **attrs)
    return graph


def write_graphml(path: str | Path, graph: nx.Graph) -> Path:
    """Write GraphML (read by Gephi, igraph, networkx, Cytoscape)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path, named_key_ids=True)
    return path


def write_gexf(path: str | Path, graph: nx.Graph) -> Path:
    """Write GEXF 1.2 for Gephi, the parameters in ``<meta><description>``.

    Positions (node attributes ``x``, ``y``) also go into ``viz:position`` so Gephi
    opens the map in the same fixed layout.
    """
    from networkx.readwrite.gexf import GEXFWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    graph = graph.copy()
    for _, data in graph.nodes(data=True):
        if "x" in data and "y" in data:
            data["viz"] = {"position": {"x": data["x"], "y": data["y"], "z": 0.0}}
    recorded = dict(graph.graph)
    graph.graph = {"name": xml_text(f"onatool, wave {recorded.get('wave', '')}")}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph)
    meta = writer.xml.find("meta")
    if meta is not None:
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"onatool {__version__}"
        SubElement(meta, "description").text = xml_text(json.dumps(recorded, sort_keys=True, default=str))
    writer.write(path)
    return path
