"""GraphML, read only through defusedxml (as Network Canvas exports it).

XML can carry entity-expansion ("billion laughs") and external-entity payloads, so no
GraphML reaches the standard library's parser directly: :mod:`defusedxml` refuses DTDs
with entities and external references, and this module turns that refusal into an
:class:`~onatool.errors.UnsafeFileError`.

Network Canvas writes one ``<graph>`` per interview: graph-level ``<data>`` describe
the respondent (ego), nodes are the people they named (alters), edges are ties between
alters as the respondent sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from onatool.errors import InputFormatError, Place, UnsafeFileError
from onatool.io import safety

__all__ = ["GraphmlGraph", "read_graphml"]

_NS = "{http://graphml.graphdrawing.org/xmlns}"


@dataclass(frozen=True)
class GraphmlGraph:
    """One ``<graph>``: its own attributes (ego), nodes and edges, values as text.

    ``keys`` maps each key's domain (``graph``, ``node``, ``edge``, ``all``) to its
    attribute names and their key ids: Network Canvas builds the ids of a categorical
    variable's columns from the variable's UUID and each choice.
    """

    id: str
    attributes: dict[str, str] = field(default_factory=dict)
    nodes: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    keys: dict[str, dict[str, str]] = field(default_factory=dict)


def read_graphml(path: str | Path) -> list[GraphmlGraph]:
    """Every graph in a GraphML file, attribute keys replaced by their names.

    Raises
    ------
    UnsafeFileError
        The file declares entities or external references (refused unparsed), or
        fails the size and type checks.
    InputFormatError
        Not well-formed XML, or not GraphML.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "n.graphml"
    >>> _ = p.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    ...   '<key id="d0" for="node" attr.name="name"/><graph id="g1">'
    ...   '<node id="a"><data key="d0">Ann Lee</data></node></graph></graphml>')
    >>> read_graphml(p)[0].nodes
    [('a', {'name': 'Ann Lee'})]
    """
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeTree

    path = Path(path)
    if not path.exists():
        raise InputFormatError("file not found", expected="an existing file", place=Place(file=str(path)))
    safety.check_file(path)
    try:
        root = SafeTree.parse(path, forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as exc:
        raise UnsafeFileError(
            f"{path.name}: the XML declares entities or external references "
            f"({type(exc).__name__}), which GraphML never needs; it was refused unread."
        ) from None
    except SafeTree.ParseError as exc:
        raise InputFormatError(
            f"this is not well-formed XML ({exc})",
            expected="a GraphML file as Network Canvas, Gephi or igraph write it",
            place=Place(file=path.name),
        ) from None
    if _local(root.tag) != "graphml":
        raise InputFormatError(
            f"the root element is <{_local(root.tag)}>, not <graphml>",
            expected="a GraphML file",
            place=Place(file=path.name),
        )
    key_elements = [k for k in root.iter() if _local(k.tag) == "key"]
    keys = {k.get("id"): k.get("attr.name") or k.get("id") for k in key_elements}
    domains: dict[str, dict[str, str]] = {}
    for k in key_elements:
        domains.setdefault(k.get("for") or "all", {})[k.get("attr.name") or k.get("id") or ""] = k.get("id") or ""
    graphs = []
    for number, graph in enumerate((g for g in root.iter() if _local(g.tag) == "graph"), start=1):
        out = GraphmlGraph(graph.get("id") or f"graph {number}", keys=domains)
        # Network Canvas puts the case id and session on <graph> itself (nc:caseId="case_1").
        for name, value in graph.attrib.items():
            if _local(name) not in ("id", "edgedefault"):
                out.attributes.setdefault(_local(name), value.strip())
        for child in graph:
            tag = _local(child.tag)
            if tag == "data":
                out.attributes[keys.get(child.get("key"), child.get("key") or "")] = (child.text or "").strip()
            elif tag == "node":
                out.nodes.append((child.get("id") or "", _data(child, keys)))
            elif tag == "edge":
                out.edges.append((child.get("source") or "", child.get("target") or "", _data(child, keys)))
        graphs.append(out)
    if not graphs:
        raise InputFormatError("the file holds no <graph>", expected="at least one graph", place=Place(file=path.name))
    return graphs


def _data(element, keys: dict) -> dict[str, str]:
    return {
        keys.get(d.get("key"), d.get("key") or ""): (d.text or "").strip()
        for d in element
        if _local(d.tag) == "data"
    }


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]
