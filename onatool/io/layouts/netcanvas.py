"""Network Canvas: egocentric interviews, as CSV files or GraphML.

The CSV export writes, per interview or merged: an *ego* file (one row per interview:
``networkCanvasEgoUUID, networkCanvasCaseID, ..., sessionFinish`` and ego variables),
an *attribute list* per node type (``..._attributeList_Person.csv``: one row per person
named, ``nodeID, networkCanvasEgoUUID, networkCanvasUUID, name, ...``) and an *edge
list* per edge type (ties between the people named, as the respondent sees them).
GraphML holds the same, one ``<graph>`` per interview.

Each respondent is matched to the roster by an ego column (the case id by default);
each person they named is matched like free text. Which relation a named person
belongs to comes from true/false node variables (one per name generator, say
``advice``); without them every named person is one relation. Alter-alter edges are
the respondent's view of other people's ties, not their own answers: they are
counted and reported, never imported as ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from onatool.errors import InputFormatError, Place
from onatool.io.assemble import ITEM_COLUMNS
from onatool.io.layouts.survey import RelationQuestion, Resolve, parse_times
from onatool.io.matching import normalise_name
from onatool.io.report import ImportReport
from onatool.io.tables import read_table

__all__ = ["CASE_ID", "EGO_UUID", "LAYOUT", "EgoPlan", "NetCanvasExport", "netcanvas_items", "read_netcanvas",
           "relation_flags", "sniff_path"]

LAYOUT = "network_canvas"
EGO_UUID = "networkCanvasEgoUUID"
CASE_ID = "networkCanvasCaseID"
_TRUE = {"true", "1", "yes", "y"}


@dataclass(frozen=True)
class EgoPlan:
    """How to read an egocentric export.

    Parameters
    ----------
    identity
        Ego column (or GraphML graph attribute) identifying the respondent.
    name
        Node column holding the named person's name.
    questions
        True/false node columns -> relations (``RelationQuestion(question="advice",
        relation="advice")``); empty: every named person in ``relation``.
    relation
        The relation when there are no such columns.
    duplicates
        ``latest`` (default) or ``earliest`` interview of the same respondent kept.
    """

    identity: str = CASE_ID
    name: str = "name"
    questions: tuple[RelationQuestion, ...] = ()
    relation: str = "tie"
    duplicates: str = "latest"


@dataclass(frozen=True)
class NetCanvasExport:
    """The records of an export: each a dict with ``_file``, ``_sheet`` and ``_row``."""

    egos: list[dict]
    alters: list[dict]
    edges: list[dict]
    files: dict[tuple[str, str | None], int]  # (file, sheet) -> rows read


def relation_flags(export: NetCanvasExport) -> tuple[list[str], list[str]]:
    """The alter variables that say which name generator named a person, and the others.

    Network Canvas also exports as true/false columns the categorical variables, one
    column per choice (``Gender_Female``, ``PlaceMet_Bar_Club``), and booleans set by
    forms (``Serious``): those are attributes, never relations. A generator's flag is a
    true/false column named after one of the interview's edge types (``Close`` for
    ``Close``, ``Drugs`` for ``DrugTie``): the edge files' types, or the GraphML edges'
    ``networkCanvasType``. When no column is named after an edge type (or there are no
    edges), every true/false column that is not one of a one-hot group is taken as a
    flag.

    Returns
    -------
    flags, others
        Column names, in file order.

    Examples
    --------
    >>> e = NetCanvasExport([], [{"Close": "true", "Drugs": "false", "Serious": "true", "Gender_Male": "true",
    ...                           "Gender_Female": "false", "name": "Ann"}],
    ...                     [{"_type": "Close"}, {"_type": "DrugTie"}], {})
    >>> relation_flags(e)
    (['Close', 'Drugs'], ['Serious', 'Gender_Male', 'Gender_Female'])
    """
    columns = list(dict.fromkeys(k for a in export.alters for k in a if not k.startswith("_")))
    booleans = []
    for column in columns:
        values = {str(a.get(column, "")).strip().casefold() for a in export.alters} - {""}
        if values and values <= {"true", "false", "1", "0"}:
            booleans.append(column)
    groups: dict[str, int] = {}
    for column in booleans:
        if "_" in column:
            groups[column.split("_", 1)[0]] = groups.get(column.split("_", 1)[0], 0) + 1
    one_hot = {c for c in booleans if "_" in c and groups[c.split("_", 1)[0]] >= 2}
    types = {_fold(str(e.get("_type", ""))) for e in export.edges} - {""}
    plain = [c for c in booleans if c not in one_hot]
    flags = [c for c in plain if any(t.startswith(_stem(c)) or _stem(c).startswith(t) for t in types)]
    flags = flags or plain
    return flags, [c for c in booleans if c not in flags]


def _stem(column: str) -> str:
    stem = _fold(column)
    return stem[:-1] if stem.endswith("s") and len(stem) > 3 else stem


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def sniff_path(path: str | Path) -> bool:
    """Whether ``path`` is a Network Canvas export (folder, CSV of one, or GraphML)."""
    path = Path(path)
    if path.is_dir():
        return any(path.glob("*_ego.csv"))
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(65536)
    if path.suffix.lower() == ".graphml":  # a whole-network GraphML (SocNetV, Gephi ...) is not one
        return b"schema.networkcanvas.com" in head or b"networkCanvas" in head
    if path.suffix.lower() == ".csv":
        return EGO_UUID.encode() in head[:2048]
    return False


def read_netcanvas(path: str | Path) -> NetCanvasExport:
    """Read a Network Canvas export: a folder of CSV files, one of them, or GraphML.

    Raises
    ------
    InputFormatError
        No ego file, or a file that is not part of a Network Canvas export.
    """
    path = Path(path)
    if path.suffix.lower() == ".graphml":
        return _from_graphml(path)
    folder = path if path.is_dir() else path.parent
    files = sorted(folder.glob("*.csv"))
    egos, alters, edges = [], [], []
    counts: dict[tuple[str, str | None], int] = {}
    for file in files:
        stem = file.stem
        kind = "ego" if stem.endswith("_ego") or stem == "ego" else (
            "alter" if "_attributeList_" in stem or stem.startswith("attributeList_") else (
                "edge" if "_edgeList_" in stem or stem.startswith("edgeList_") else ""))
        if not kind:
            continue
        table = read_table(file)
        if EGO_UUID not in table.data.columns:
            raise InputFormatError(
                f"no {EGO_UUID} column",
                expected="the CSV files exactly as Network Canvas exported them",
                place=Place(file=file.name, row=1),
            )
        node_type = stem.split("_attributeList_")[-1] if kind == "alter" else (
            stem.split("_edgeList_")[-1] if kind == "edge" else "")
        records = [
            {**row, "_file": file.name, "_sheet": None, "_row": number, "_type": node_type}
            for number, row in enumerate(table.data.to_dict("records"), start=2)
        ]
        counts[(file.name, None)] = len(records)
        {"ego": egos, "alter": alters, "edge": edges}[kind].extend(records)
    if not egos:
        raise InputFormatError(
            "no ego file found",
            expected="the Network Canvas CSV export: a folder with *_ego.csv, *_attributeList_*.csv "
            "and *_edgeList_*.csv files",
            place=Place(file=str(path)),
        )
    return NetCanvasExport(egos, alters, edges, counts)


def _from_graphml(path: Path) -> NetCanvasExport:
    from onatool.io.graphml import read_graphml

    egos, alters, edges = [], [], []
    counts = {}
    for graph in read_graphml(path):
        uuid = graph.attributes.get(EGO_UUID) or graph.id
        where = {"_file": path.name, "_sheet": graph.id}
        ego = {**graph.attributes, EGO_UUID: uuid, **where, "_row": 1}
        if CASE_ID not in ego and "caseId" in ego:  # nc:caseId on <graph>
            ego[CASE_ID] = ego["caseId"]
        if "sessionFinish" not in ego and "sessionFinishTime" in ego:
            ego["sessionFinish"] = ego["sessionFinishTime"]
        egos.append(ego)
        for number, (node, data) in enumerate(graph.nodes, start=2):
            alters.append({**data, EGO_UUID: uuid, "_uid": node, **where, "_row": number, "_type": data.get("type", "")})
        start = 2 + len(graph.nodes)
        for number, (source, target, data) in enumerate(graph.edges, start=start):
            edges.append({**data, "from": source, "to": target, EGO_UUID: uuid, **where, "_row": number,
                          "_type": data.get("networkCanvasType", data.get("type", ""))})
        counts[(path.name, graph.id)] = 1 + len(graph.nodes) + len(graph.edges)
    return NetCanvasExport(egos, alters, edges, counts)


def netcanvas_items(
    export: NetCanvasExport, plan: EgoPlan, *, report: ImportReport, resolve: Resolve
) -> pd.DataFrame:
    """Items for :func:`~onatool.io.assemble.assemble` from an egocentric export.

    Rows dropped here (interviews repeated, people named outside every relation read,
    alter-alter edges) are recorded in ``report``; every other row becomes items.

    Raises
    ------
    InputFormatError
        The identity or name column, or a relation column, is missing.
    """
    for (file, sheet), n in export.files.items():
        report.read(file, sheet, n)
    _require(export.egos, plan.identity, "ego", "the identity column (the case id, or an ego variable)")
    if export.alters:
        _require(export.alters, plan.name, "named people", "the node variable holding names")
        for question in plan.questions:
            _require(export.alters, question.question, "named people", f"the true/false variable for {question.relation}")

    kept_egos = _latest_interviews(export.egos, plan, report, resolve)
    records: list[tuple] = []
    for ego in kept_egos:
        records.append((ego["_file"], ego["_sheet"], ego["_row"], ego.get(plan.identity, ""), "", "", "",
                        float("nan"), True))
    who = {ego[EGO_UUID]: ego.get(plan.identity, "") for ego in kept_egos}
    every = {ego[EGO_UUID] for ego in export.egos}
    for alter in export.alters:
        where = (alter["_file"], alter["_sheet"], alter["_row"])
        uuid = alter.get(EGO_UUID, "")
        if uuid not in who:
            reason = "named in a repeated interview; the latest one kept" if uuid in every \
                else "named in an interview with no ego row"
            report.add_row(*where, "dropped", reason)
            continue
        relations = [q.relation for q in plan.questions
                     if str(alter.get(q.question, "")).strip().casefold() in _TRUE] if plan.questions else [plan.relation]
        if not relations:
            report.add_row(*where, "dropped", "named in no relation the recipe reads")
            continue
        name = str(alter.get(plan.name, "")).strip()
        records.extend((*where, who[uuid], name, relation, "Yes", float("nan"), True) for relation in relations)
    for edge in export.edges:
        report.add_row(edge["_file"], edge["_sheet"], edge["_row"], "dropped",
                       "tie between two named people as the respondent sees it; not imported")
    return pd.DataFrame.from_records(records, columns=list(ITEM_COLUMNS))


def _require(records: list[dict], column: str, what: str, meaning: str) -> None:
    if records and not any(column in r for r in records):
        sample = records[0]
        present = [k for k in sample if not k.startswith("_")]
        raise InputFormatError(
            f"the {what} records have no {column!r}",
            expected=f"{meaning}; the file has {', '.join(present[:12])}",
            place=Place(file=sample["_file"], sheet=sample["_sheet"], row=1),
        )


def _latest_interviews(egos: list[dict], plan: EgoPlan, report: ImportReport, resolve: Resolve) -> list[dict]:
    finished = parse_times(pd.Series([str(e.get("sessionFinish", "")) for e in egos], dtype=object))
    groups: dict[str, list[int]] = {}
    for i, ego in enumerate(egos):
        raw = str(ego.get(plan.identity, "")).strip()
        if raw:
            m = resolve(raw)
            groups.setdefault(m.person_id or f"text:{normalise_name(raw)}", []).append(i)
    dropped = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        order = sorted(members, key=lambda i: (pd.Timestamp(0) if finished is None or pd.isna(finished[i])
                                               else finished[i], i))
        chosen = order[0] if plan.duplicates == "earliest" else order[-1]
        for i in members:
            if i != chosen:
                dropped.add(i)
                e = egos[i]
                report.add_row(e["_file"], e["_sheet"], e["_row"], "dropped",
                               "duplicate interview, an earlier one; the latest one kept"
                               if plan.duplicates != "earliest" else "duplicate interview; the earliest one kept")
    return [e for i, e in enumerate(egos) if i not in dropped]
