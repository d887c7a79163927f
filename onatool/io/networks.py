"""Whole-network files: every tie of a bounded network in one file, recognised by content.

A whole-network file is not a survey: it already lists the people (nodes, with their
attributes) and the ties between them. onatool reads

- GraphML, as SocNetV, Gephi, igraph, networkx and onatool write it (one ``<graph>``
  of nodes and edges; Network Canvas GraphML, one interview per graph, is a survey
  export and read by :mod:`onatool.io.layouts.netcanvas`);
- GEXF (Gephi), with node and edge ``<attvalues>``;
- Pajek ``.net`` (``*Vertices``, ``*Arcs``, ``*Edges``, ``*Arcslist``, ``*Edgeslist``,
  ``*Matrix``);
- UCINET DL in its ``fullmatrix``, ``edgelist1`` and ``nodelist1`` forms, with row,
  column and level labels (one relation per level);
- workbooks holding a node sheet and an edge sheet: Kumu (``Elements`` then
  ``Connections``) and Polinode (``Nodes`` and ``Edges``).

Each becomes a :class:`WholeNetwork`: nodes (an id, a label, attributes) and edges
(source and target node ids, relation, weight, where in the file). Nodes are matched
to the roster by label (then id); without a roster, the nodes and their attributes
are the roster (:func:`roster_from_nodes`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place, UnsafeFileError
from onatool.io import safety
from onatool.io.assemble import ITEM_COLUMNS
from onatool.io.report import ImportReport
from onatool.io.tables import is_number

__all__ = ["WholeNetwork", "network_items", "read_network", "refuse_whole_network", "relation_key", "roster_from_nodes", "sniff_network"]

#: Values of a ``Type`` column that give an edge's direction (Gephi), not its relation.
DIRECTIONS = {"directed", "undirected", "mutual", "bidirected"}
_LABEL_KEYS = ("label", "name", "Label", "Name", "id_label")
_RELATION_KEYS = ("relation", "Relation", "relationship", "type", "Type", "kind", "label", "Label")
_WEIGHT_KEYS = ("weight", "Weight", "value", "Value", "strength")


@dataclass
class WholeNetwork:
    """A whole network read from a file.

    Attributes
    ----------
    kind
        What the file is, for messages: ``"GraphML"``, ``"UCINET DL (fullmatrix)"`` ...
    file, sheet
        Where the edges came from.
    nodes
        ``id -> attributes`` (``label`` among them when the file gives one), in file order.
    edges
        ``(source id, target id, relation or "", raw weight or "", row)``; ``row`` is the
        edge's position in the file (line, element or sheet row) for the report.
    directed
        Whether the file says its ties are directed.
    node_rows
        ``id -> row`` where each node is declared.
    """

    kind: str
    file: str
    sheet: str | None = None
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    directed: bool = True
    node_rows: dict[str, int] = field(default_factory=dict)
    name: str = ""
    node_sheet: str | None = None

    def describe(self) -> str:
        """``"a whole-network GraphML with 21 nodes and 190 edges"``."""
        return f"a whole-network {self.kind} with {len(self.nodes)} nodes and {len(self.edges)} edges"

    def label(self, node: str) -> str:
        """The text a node is matched by: its label, else its id."""
        attributes = self.nodes.get(node, {})
        for key in _LABEL_KEYS:
            if str(attributes.get(key, "")).strip():
                return str(attributes[key]).strip()
        return node

    def add_node(self, node: str, row: int, attributes: dict[str, str] | None = None) -> None:
        if node not in self.nodes:
            self.nodes[node] = {}
            self.node_rows[node] = row
        self.nodes[node].update({k: v for k, v in (attributes or {}).items() if v is not None})


# Recognising ---------------------------------------------------------------------------------


def sniff_network(path: str | Path, *, sheet: str | None = None) -> str | None:
    """The whole-network format a file holds, told by its content, or None.

    Returns one of ``graphml``, ``gexf``, ``pajek``, ``dl``, ``workbook`` (node and edge
    sheets), or None (a table, a survey export, a Network Canvas GraphML).
    """
    path = Path(path)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        head = handle.read(65536)
    if head.startswith(safety.ZIP_MAGIC):
        return "workbook" if _workbook_sheets(path, sheet) is not None else None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    lowered = text[:4096].casefold()
    if "<graphml" in lowered:
        if "schema.networkcanvas.com" in text or "networkCanvas" in text:
            return None  # an egocentric interview, read as a survey export
        return "graphml"
    if "<gexf" in lowered:
        return "gexf"
    if re.match(r"^(%[^\n]*\n\s*)*\*(vertices|network)\b", lowered):
        return "pajek"
    if re.match(r"^dl\b", lowered) and re.search(r"\bn\s*=\s*\d+|\bnr\s*=", lowered):
        return "dl"
    return None


def read_network(path: str | Path, *, sheet: str | None = None, relation: str | None = None) -> WholeNetwork:
    """Read a whole-network file (see :func:`sniff_network`).

    Parameters
    ----------
    path
        The file.
    sheet
        For a workbook, the sheet of edges (default: the first with source and target).
    relation
        Relation for edges the file does not name (default: what the file or graph name
        suggests, ``advice`` for ``..._advice.graphml``, else ``tie``).

    Raises
    ------
    InputFormatError
        Not a whole-network file, or one that breaks its format's rules (the message
        names the line or element).
    """
    path = Path(path)
    kind = sniff_network(path, sheet=sheet)
    safety.check_file(path)
    readers = {"graphml": _graphml, "gexf": _gexf, "pajek": _pajek, "dl": _dl}
    if kind == "workbook":
        network = _workbook(path, sheet)
    elif kind in readers:
        network = readers[kind](path)
    else:
        raise InputFormatError(
            "not a whole-network file", expected="GraphML, GEXF, Pajek .net, UCINET DL or a workbook of nodes "
            "and edges", place=Place(file=path.name))
    default = relation or _suggested_relation(network.name, path.stem)
    network.edges = [(s, t, r or default, w, row) for s, t, r, w, row in network.edges]
    return network


def _suggested_relation(*names: str) -> str:
    from onatool.io.detect import suggest_relation

    for name in names:
        found = suggest_relation(re.sub(r"[_\-]+", " ", name or ""))
        if found:
            return found
    return "tie"


def refuse_whole_network(path: str | Path, instead: str) -> None:
    """Refuse a whole-network file where a table or survey is read, saying what it is.

    The file is parsed (safely: an XML attack is refused here as unsafe) so the message
    can say what it holds: "a whole-network GraphML with 21 nodes and 190 edges".
    """
    if sniff_network(path):
        found = read_network(path)
        raise InputFormatError(
            f"this is {found.describe()}, not a survey export or matrix",
            expected=f"the whole network imported with {instead}",
            place=Place(file=Path(path).name),
        )


# Into items and a roster -------------------------------------------------------------------


def network_items(network: WholeNetwork, *, report: ImportReport) -> pd.DataFrame:
    """Items for :func:`~onatool.io.assemble.assemble`: one per edge, one per node without ties.

    Nodes are accounted for in the report under ``nodes`` (the node sheet of a
    workbook), numbered in file order: a node with out-ties is kept (its ties carry
    the outcomes), a node without becomes a respondent who named nobody (in a whole
    network every node was observed), unless its own ``responded`` attribute says it
    did not answer (as onatool's exports record non-respondents). Edges are accounted
    for by the line, element or sheet row they are written on (a matrix row holds
    several).
    """
    node_sheet = network.node_sheet or "nodes"
    edge_sheet = network.sheet
    offset = 2 if network.node_sheet else 1
    report.read(network.file, node_sheet, len(network.nodes))
    report.read(network.file, edge_sheet, len({row for *_, row in network.edges}))
    senders = {s for s, *_ in network.edges}
    records = []
    for position, node in enumerate(network.nodes):
        row = position + offset
        if node in senders:
            report.add_row(network.file, node_sheet, row, "kept", "a person of the network")
        else:
            records.append((network.file, node_sheet, row, network.label(node), "", "", "", float("nan"),
                            not _said_no_answer(network.nodes[node])))
    for source, target, relation, weight, row in network.edges:
        value = _weight(weight)
        records.append((network.file, edge_sheet, row, network.label(source), network.label(target),
                        relation_key(relation), weight, value, True))
    return pd.DataFrame.from_records(records, columns=list(ITEM_COLUMNS))


def _said_no_answer(attributes: dict[str, str]) -> bool:
    """Whether a node's attributes say its person did not respond (``responded`` false)."""
    return any(schema.canonical_header(k) == schema.RESPONDED and str(v).strip().casefold() in ("false", "0", "no")
               for k, v in attributes.items())


def _weight(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")  # blank, or an answer word mapped through the scale later


@functools.lru_cache(maxsize=4096)
def relation_key(text: str) -> str:
    """A relation's name from a file: a known relation's label gives its name back.

    Examples
    --------
    >>> relation_key("Information and advice"), relation_key("Employee/Founder"), relation_key("")
    ('advice', 'employee_founder', 'tie')
    """
    folded = schema.normalise_key(text)
    for name, known in schema.RELATIONS.items():
        if folded == schema.normalise_key(known.label):
            return name
    return folded.replace(" ", "_") or "tie"


def roster_from_nodes(network: WholeNetwork, *, key: bytes):
    """The network's nodes as a roster: label as id and name, attributes as columns."""
    from onatool.io.roster import roster_from_sheet
    from onatool.io.tables import Sheet

    rows = []
    for node, attributes in network.nodes.items():
        label = network.label(node)
        extra = {k: v for k, v in attributes.items() if k not in _LABEL_KEYS and k.casefold() not in ("id", "name")
                 and not k.startswith(("networkCanvas", "x_", "y_")) and k.casefold() not in _DRAWING}
        rows.append({"id": label, "name": label, **extra})
    data = pd.DataFrame(rows, dtype=object).fillna("").astype(str)
    # Accounted for apart from the nodes and edges read as ties (same file, own rows).
    return roster_from_sheet(Sheet(data, network.file, f"{network.node_sheet or 'nodes'} as the roster"), key=key)


_DRAWING = {"x", "y", "z", "size", "color", "colour", "shape", "label.color", "label.size", "x_coordinate",
            "y_coordinate", "r", "g", "b", "viz", "image", "tags", "description", "attribution"}


# Formats ------------------------------------------------------------------------------------------


def _graphml(path: Path) -> WholeNetwork:
    from defusedxml import ElementTree as SafeTree

    root = _parse_xml(path, SafeTree, "GraphML")
    keys = {k.get("id"): k.get("attr.name") or k.get("id") for k in root.iter() if _local(k.tag) == "key"}
    defaults = {}
    for k in root.iter():
        if _local(k.tag) == "key":
            default = next((d for d in k if _local(d.tag) == "default"), None)
            if default is not None and (default.text or "").strip():
                defaults[(k.get("for"), keys[k.get("id")])] = default.text.strip()
    graphs = [g for g in root.iter() if _local(g.tag) == "graph"]
    if not graphs:
        raise InputFormatError("the GraphML holds no <graph>", expected="a <graph> of nodes and edges",
                               place=Place(file=path.name))
    network = WholeNetwork("GraphML", path.name, name=graphs[0].get("id") or "")
    network.directed = graphs[0].get("edgedefault", "directed") == "directed"
    row = 0
    for graph in graphs:
        for element in graph:
            tag = _local(element.tag)
            row += 1
            data = {keys.get(d.get("key"), d.get("key") or ""): (d.text or "").strip()
                    for d in element if _local(d.tag) == "data"}
            if tag == "node":
                network.add_node(element.get("id") or "", row, data)
            elif tag == "edge":
                source, target = element.get("source") or "", element.get("target") or ""
                network.add_node(source, row)
                network.add_node(target, row)
                weight = data.get("weight", defaults.get(("edge", "weight"), ""))
                network.edges.append((source, target, _relation_of(data), weight, row))
    return network


def _gexf(path: Path) -> WholeNetwork:
    from defusedxml import ElementTree as SafeTree

    root = _parse_xml(path, SafeTree, "GEXF")
    graph = next((g for g in root.iter() if _local(g.tag) == "graph"), None)
    if graph is None:
        raise InputFormatError("the GEXF holds no <graph>", expected="a <graph> with <nodes> and <edges>",
                               place=Place(file=path.name))
    titles: dict[tuple[str, str], str] = {}
    for block in graph.iter():
        if _local(block.tag) == "attributes":
            for a in block:
                titles[(block.get("class", "node"), a.get("id") or "")] = a.get("title") or a.get("id") or ""
    network = WholeNetwork("GEXF", path.name)
    network.directed = graph.get("defaultedgetype", "directed") != "undirected"
    row = 0
    for element in graph.iter():
        tag = _local(element.tag)
        if tag not in ("node", "edge"):
            continue
        row += 1
        values = {titles.get((tag, v.get("for") or ""), v.get("for") or ""): v.get("value") or ""
                  for att in element if _local(att.tag) == "attvalues" for v in att}
        if tag == "node":
            network.add_node(element.get("id") or "", row, {"label": element.get("label") or "", **values})
        else:
            source, target = element.get("source") or "", element.get("target") or ""
            network.add_node(source, row)
            network.add_node(target, row)
            attributes = {**values}
            if element.get("label"):
                attributes.setdefault("label", element.get("label"))
            if element.get("kind"):
                attributes.setdefault("kind", element.get("kind"))
            network.edges.append((source, target, _relation_of(attributes), element.get("weight") or "", row))
    return network


def _pajek(path: Path) -> WholeNetwork:
    network = WholeNetwork("Pajek .net", path.name)
    lines = _text(path).splitlines()
    section, relation, ids = "", "", {}
    matrix_row = 0
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("%"):
            continue
        if text.startswith("*"):
            head = text.split()[0].casefold()
            section = head[1:]
            named = re.search(r'"([^"]+)"', text) or re.search(r":\s*\d+\s+(\S+)", text)
            relation = named.group(1) if named and section in ("arcs", "edges", "arcslist", "edgeslist", "matrix") else ""
            if section in ("edges", "edgeslist"):
                network.directed = False
            if section == "network":
                network.name = text.split(None, 1)[1] if " " in text else ""
            matrix_row = 0
            continue
        parts = _pajek_split(text)
        if section == "vertices":
            ids[parts[0]] = parts[0]
            network.add_node(parts[0], number, {"label": parts[1] if len(parts) > 1 else parts[0]})
        elif section in ("arcs", "edges"):
            _need(len(parts) >= 2, path, number, "a line 'source target [weight]'")
            network.add_node(parts[0], number)
            network.add_node(parts[1], number)
            network.edges.append((parts[0], parts[1], relation, parts[2] if len(parts) > 2 else "", number))
        elif section in ("arcslist", "edgeslist"):
            for target in parts[1:]:
                network.add_node(parts[0], number)
                network.add_node(target, number)
                network.edges.append((parts[0], target, relation, "", number))
        elif section == "matrix":
            matrix_row += 1
            order = list(network.nodes)
            _need(matrix_row <= len(order) and len(parts) == len(order), path, number,
                  f"a matrix row of {len(order)} numbers (one per vertex)")
            for target, value in zip(order, parts, strict=True):
                if value not in ("0", "0.0"):
                    network.edges.append((order[matrix_row - 1], target, relation, value, number))
    if not network.nodes:
        raise InputFormatError("the Pajek file declares no vertices", expected="a '*Vertices N' section",
                               place=Place(file=path.name))
    return network


def _pajek_split(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', text)]


def _dl(path: Path) -> WholeNetwork:
    """UCINET DL: ``DL N=.. [NM=..] FORMAT=..``, label sections, then ``DATA:``."""
    text = _text(path)
    at = re.search(r"^\s*data\s*:", text, re.I | re.M)
    _need(at is not None, path, 1, "a 'DATA:' line before the data")
    assert at is not None
    header, body = text[: at.start()], text[at.end():]
    params = dict((k.casefold(), v) for k, v in re.findall(r"\b(N|NR|NC|NM)\s*=\s*(\d+)", header, re.I))
    form = re.search(r"format\s*=?\s*(fullmatrix|fm|edgelist1|el1|nodelist1|nl1)\b", header, re.I)
    fmt = {"fm": "fullmatrix", "el1": "edgelist1", "nl1": "nodelist1"}.get(
        form.group(1).casefold() if form else "fullmatrix", form.group(1).casefold() if form else "fullmatrix")
    sections = _dl_labels(header)
    row_labels = sections.get("row labels") or sections.get("labels") or []
    column_labels = sections.get("column labels") or row_labels
    levels = sections.get("level labels") or sections.get("matrix labels") or []
    embedded = re.search(r"labels\s+embedded", header, re.I) is not None
    n = int(params.get("n") or params.get("nr") or 0)
    network = WholeNetwork(f"UCINET DL ({fmt})", path.name)
    body_start = text[: at.end()].count("\n") + (2 if re.match(r"[ \t]*\r?\n", body) else 1)
    if fmt == "fullmatrix" and embedded:
        return _dl_embedded_matrix(network, body, body_start, levels, path)
    if fmt == "fullmatrix":
        values = body.split()
        nm = int(params.get("nm", 1))
        rows_n, columns_n = n or int(params.get("nr", 0)), n or int(params.get("nc", 0))
        labels_r = row_labels or [str(i) for i in range(1, rows_n + 1)]
        labels_c = column_labels or labels_r
        _need(len(values) == rows_n * columns_n * nm, path, body_start,
              f"{rows_n}x{columns_n} numbers per matrix for {nm} matri{'ces' if nm > 1 else 'x'} "
              f"({rows_n * columns_n * nm}); found {len(values)}")
        for i, label in enumerate(labels_r):
            network.add_node(label, i + 1)
        for label in labels_c:
            network.add_node(label, 0)
        lines = [ln for ln in body.splitlines() if ln.strip()]
        for m in range(nm):
            relation = levels[m] if m < len(levels) else ""
            for i in range(rows_n):
                for j in range(columns_n):
                    value = values[(m * rows_n + i) * columns_n + j]
                    if value not in ("0", "0.0"):
                        line = body_start + m * rows_n + i if len(lines) == rows_n * nm else body_start
                        network.edges.append((labels_r[i], labels_c[j], relation, value, line))
        return network
    names = row_labels
    for number, line in enumerate(body.splitlines(), start=body_start):
        parts = line.replace(",", " ").split()
        if not parts:
            continue
        if not embedded and names and all(p.isdigit() for p in parts[:2]):
            parts = [names[int(p) - 1] if fmt == "edgelist1" and k < 2 or fmt == "nodelist1" else p
                     for k, p in enumerate(parts)]
        if fmt == "edgelist1":
            _need(len(parts) >= 2, path, number, "a line 'source target [weight]'")
            network.add_node(parts[0], number)
            network.add_node(parts[1], number)
            network.edges.append((parts[0], parts[1], levels[0] if levels else "",
                                  parts[2] if len(parts) > 2 else "", number))
        else:
            network.add_node(parts[0], number)
            for target in parts[1:]:
                network.add_node(target, number)
                network.edges.append((parts[0], target, levels[0] if levels else "", "", number))
    for label in names:
        network.add_node(label, 0)
    return network


def _dl_embedded_matrix(network: WholeNetwork, body: str, start: int, levels: list[str], path: Path) -> WholeNetwork:
    """A full matrix with ``LABELS EMBEDDED``: column labels on the first line, a row label on each row."""
    lines = [(n, ln.replace(",", " ").split()) for n, ln in enumerate(body.splitlines(), start=start) if ln.strip()]
    _need(bool(lines), path, start, "column labels, then one labelled row per node")
    columns = lines[0][1]
    for position, label in enumerate(columns):
        network.add_node(label, position + 1)
    matrix = 0
    for number, parts in lines[1:]:
        if parts == columns:  # the next relation's matrix starts
            matrix += 1
            continue
        _need(len(parts) == len(columns) + 1, path, number, f"a row label and {len(columns)} numbers")
        network.add_node(parts[0], number)
        relation = levels[matrix] if matrix < len(levels) else ""
        for target, value in zip(columns, parts[1:], strict=True):
            if value not in ("0", "0.0"):
                network.edges.append((parts[0], target, relation, value, number))
    return network


def _dl_labels(header: str) -> dict[str, list[str]]:
    """Label sections of a DL header: ``ROW LABELS:`` then labels, one a line or comma-separated."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in header.splitlines():
        found = re.match(r"^\s*((?:row |column |col |level |matrix )?labels)\s*:\s*(.*)$", line, re.I)
        if found:
            current = found.group(1).casefold().replace("col ", "column ")
            sections[current] = []
            line = found.group(2)
        elif re.match(r"^\s*(dl\b|n\s*=|nm\s*=|format|diagonal|labels embedded)", line, re.I):
            current = None
            continue
        if current is not None:
            sections[current].extend(p.strip().strip('"') for p in re.split(r"[,\n]", line) if p.strip())
    return sections


def _workbook(path: Path, sheet: str | None) -> WholeNetwork:
    found = _workbook_sheets(path, sheet)
    assert found is not None
    nodes_sheet, edges_sheet = found
    data = _canonical(edges_sheet.data)
    network = WholeNetwork(_workbook_kind(nodes_sheet, edges_sheet), path.name, edges_sheet.sheet)
    if nodes_sheet is not None:
        nodes = nodes_sheet.data
        label = next((c for c in nodes.columns if schema.canonical_header(c) in (schema.NAME, schema.ID)), None)
        for number, record in enumerate(nodes.to_dict("records"), start=2):
            text = str(record.get(label, "")).strip() if label else ""
            if text:
                attributes = {str(k): str(v) for k, v in record.items() if str(v).strip() and k != label}
                network.add_node(text, number, {"label": text, **attributes})
    relation_column = _relation_column(data)
    weight_column = "weight" if "weight" in data.columns else None
    for number, record in enumerate(data.to_dict("records"), start=2):
        source, target = str(record["source"]).strip(), str(record["target"]).strip()
        if not source and not target:
            continue
        network.add_node(source, number, {"label": source})
        if target:
            network.add_node(target, number, {"label": target})
            network.edges.append((source, target, str(record.get(relation_column, "")).strip() if relation_column
                                  else "", str(record.get(weight_column, "")).strip() if weight_column else "",
                                  number))
    if nodes_sheet is not None:
        network.node_sheet = nodes_sheet.sheet
    return network


def _workbook_kind(nodes, edges) -> str:
    names = {(s.sheet or "").casefold() for s in (nodes, edges) if s is not None}
    if {"elements", "connections"} & names:
        return "Kumu workbook"
    if {"nodes", "edges"} <= names:
        return "Polinode workbook"
    return "workbook of nodes and edges"


def _workbook_sheets(path: Path, sheet: str | None):
    """(node sheet or None, edge sheet) of a workbook whose edges are not on its first sheet.

    A workbook whose first sheet is the edge list is an ordinary edge list (None here).
    """
    from onatool.io.tables import read_sheets

    try:
        raw = read_sheets(path, header_rows=0)
    except (InputFormatError, UnsafeFileError):
        return None
    # Sheets that are not tables (a README sheet, as onatool's own workbook opens with) are left aside.
    headed = [_headed(s) for s in raw]
    sheets = [s for s in headed if s is not None]
    if len(sheets) < 2:
        return None
    edges = [s for s in sheets if _has_ends(s.data) and (sheet is None or s.sheet == sheet)]
    if not edges or (sheet is None and edges[0] is headed[0]):
        return None
    nodes = next((s for s in sheets if s is not edges[0] and not _has_ends(s.data) and any(
        schema.canonical_header(c) in (schema.NAME, schema.ID) for c in s.data.columns)), None)
    return nodes, edges[0]


def _headed(raw):
    """A sheet read with no header row, with its first row as the header; None if it is not a table."""
    from onatool.io.tables import Sheet, _frame

    try:
        data = _frame(raw.data.values.tolist(), 1, Place(file=raw.file, sheet=raw.sheet))
    except InputFormatError:
        return None
    return Sheet(data, raw.file, raw.sheet)


def _has_ends(data: pd.DataFrame) -> bool:
    found = {schema.canonical_header(c) for c in data.columns}
    return {schema.SOURCE, schema.TARGET} <= found


def _canonical(data: pd.DataFrame) -> pd.DataFrame:
    renames = {}
    for column in data.columns:
        canonical = schema.canonical_header(column)
        if canonical in (schema.SOURCE, schema.TARGET, schema.WEIGHT) and canonical not in renames.values():
            renames[column] = canonical
    return data.rename(columns=renames)


def _relation_column(data: pd.DataFrame) -> str | None:
    """The column naming each edge's relation: ``relation``, or a ``Type`` that is not a direction."""
    for column in data.columns:
        if schema.canonical_header(column) == schema.RELATION:
            values = {str(v).strip().casefold() for v in data[column]} - {""}
            if values and not values <= DIRECTIONS:
                return column
    return None


def _relation_of(attributes: dict[str, str]) -> str:
    for key in _RELATION_KEYS:
        value = str(attributes.get(key, "")).strip()
        if value and value.casefold() not in DIRECTIONS and not is_number(value):
            return value
    return ""



# Helpers --------------------------------------------------------------------------------------------


def _parse_xml(path: Path, tree, kind: str):
    from defusedxml import DefusedXmlException

    try:
        return tree.parse(path, forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as exc:
        raise UnsafeFileError(
            f"{path.name}: the XML declares entities or external references ({type(exc).__name__}), "
            f"which {kind} never needs; it was refused unread."
        ) from None
    except tree.ParseError as exc:
        raise InputFormatError(f"this {kind} is not well-formed XML ({exc})",
                               expected=f"the {kind} file as it was written", place=Place(file=path.name)) from None


def _text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFormatError("the text encoding is not recognised", expected="a file saved as UTF-8",
                           place=Place(file=path.name))


def _need(condition: bool, path: Path, line: int, expected: str) -> None:
    if not condition:
        raise InputFormatError("the file breaks its format here", expected=expected,
                               place=Place(file=path.name, row=line))


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]
