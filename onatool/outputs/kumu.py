"""Kumu: a blueprint (JSON) and a workbook Kumu imports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from onatool.network import Network
from onatool.outputs.excel import _write_sheet
from onatool.outputs.graphs import graph_for_export
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure

__all__ = ["KUMU_SCHEMA", "kumu_blueprint", "write_kumu_excel", "write_kumu_json"]

# Kumu ------------------------------------------------------------------------------------------

#: The documented shape of a Kumu blueprint (docs.kumu.io, "JSON / Blueprints"):
#: elements with a label (and optional id, type, description, tags, custom fields),
#: connections with from/to (ids or labels), optional type and direction.
KUMU_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["elements", "connections"],
    "properties": {
        "elements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["label"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "label": {"type": "string", "minLength": 1},
                    "type": {"type": "string"},
                    "description": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": {"type": ["string", "number", "boolean", "array"]},
            },
        },
        "connections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "from": {"type": "string", "minLength": 1},
                    "to": {"type": "string", "minLength": 1},
                    "type": {"type": "string"},
                    "direction": {"enum": ["directed", "undirected", "mutual"]},
                },
                "additionalProperties": {"type": ["string", "number", "boolean", "array"]},
            },
        },
    },
}


def kumu_blueprint(
    network: Network,
    disclosure: Disclosure,
    provenance: Provenance,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """A Kumu blueprint: ``{"elements": [...], "connections": [...]}``.

    Element ids are the project's pseudonymous ``person_id``, stable across waves,
    so importing a later wave into the same Kumu project updates the same elements;
    connection ids are ``source>target:relation`` for the same reason. Labels are
    pseudonyms (names only when revealed). A symmetric relation gives undirected
    connections, one per pair. The parameters sit under the ``onatool`` key, which
    Kumu does not read.

    Examples
    --------
    >>> net = Network.from_edges([("pa", "pb")], relation="advice")
    >>> blueprint = kumu_blueprint(net, Disclosure(k=1), Provenance("baseline"))
    >>> [e["id"] for e in blueprint["elements"]], blueprint["connections"][0]["id"]
    (['pa', 'pb'], 'pa>pb:advice')
    """
    graph = graph_for_export(network, disclosure, provenance, analysis=analysis,
                             identities=identities, status=status)
    elements = []
    for pid, data in graph.nodes(data=True):
        element: dict[str, Any] = {"id": pid, "label": data["label"], "type": "Person"}
        for key, value in data.items():
            if key in ("label", "x", "y"):
                continue
            element[_kumu_field(key)] = value
        elements.append(element)
    connections = []
    direction = "directed" if graph.is_directed() else "undirected"
    for source, target, data in graph.edges(data=True):
        relation = data.get("relation", "tie")
        label = network.relations[relation].label if relation in network.relations else relation
        connection = {
            "id": f"{source}>{target}:{relation}",
            "from": source,
            "to": target,
            "type": str(label),
            "direction": direction,
            "strength": data.get("weight", 1.0),
        }
        if "status" in data:
            connection["status"] = data["status"]
        connections.append(connection)
    return {"elements": elements, "connections": connections, "onatool": provenance.as_dict()}


def _kumu_field(key: str) -> str:
    """Kumu field names read best as words: ``in_degree`` -> ``In degree``."""
    return key.replace("_", " ").capitalize()


def write_kumu_json(path: str | Path, blueprint: Mapping[str, Any]) -> Path:
    """Write a blueprint as UTF-8 JSON (NaN never appears: attributes are cleaned)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(blueprint, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                    encoding="utf-8")
    return path


def write_kumu_excel(path: str | Path, blueprint: Mapping[str, Any], provenance: Provenance) -> Path:
    """The same blueprint as Kumu's spreadsheet layout: ``Elements`` and ``Connections``.

    Both sheets start with an ``ID`` column so that re-importing a later wave updates
    the same elements and connections; ``From``/``To`` hold element ids. A third
    sheet, ``About (ignore)``, holds the parameters (Kumu skips sheets whose name
    contains "(ignore)").
    """
    elements = pd.DataFrame(blueprint["elements"])
    elements = elements.rename(columns={"id": "ID", "label": "Label", "type": "Type"})
    connections = pd.DataFrame(blueprint["connections"]).rename(columns={
        "id": "ID", "from": "From", "to": "To", "type": "Type", "direction": "Direction",
        "strength": "Strength", "status": "Status"})
    front = ["ID", "Label", "Type"]
    elements = elements[front + [c for c in elements.columns if c not in front]]
    front = ["ID", "From", "To", "Type", "Direction"]
    connections = connections.reindex(columns=front + [c for c in connections.columns if c not in front])
    about = pd.DataFrame(provenance.rows(), columns=["Parameter", "Value"])
    tables = {"Elements": elements, "Connections": connections, "About (ignore)": about}
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
    header = workbook.add_format({"bold": True})
    formats = {"int": None, "float": None, "rate": None, "text": None}
    for name, table in tables.items():
        _write_sheet(workbook.add_worksheet(name), table.reset_index(drop=True), header, formats)
    workbook.close()
    return path
