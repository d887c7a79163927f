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
``advice``): the ones the protocol's name generators set (see
:mod:`.netcanvas_protocol`), or, without the protocol, the ones named after the
interview's edge types; without any, every named person is one relation. Alter-alter
edges are the respondent's view of other people's ties, not their own answers: they
are counted and reported, never imported as ties.

Every other variable describes a person: ego variables the respondent, alter
variables the person named. They become person attributes (see
:mod:`onatool.io.attributes`), never relations. A categorical variable, exported as
one true/false column per choice (``Gender_Female``, ``Gender_Male``), is folded
back into one attribute (``Gender``: ``Female``); layout coordinates (``Cords_x``)
are screen positions, dropped and counted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool.errors import InputFormatError, Place
from onatool.io.assemble import ITEM_COLUMNS
from onatool.io.attributes import ATTRIBUTE_ITEM_COLUMNS
from onatool.io.layouts.netcanvas_protocol import Protocol, find_protocol, read_protocol
from onatool.io.layouts.survey import RelationQuestion, Resolve, parse_times
from onatool.io.matching import normalise_name
from onatool.io.report import ImportReport
from onatool.io.tables import read_table

__all__ = ["CASE_ID", "EGO_UUID", "LAYOUT", "EgoPlan", "NetCanvasExport", "Variables", "netcanvas_items",
           "read_netcanvas", "relation_flags", "sniff_path", "variables"]

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
    protocol: Protocol | None = None
    protocol_note: str = ""
    key_ids: dict[str, dict[str, str]] = field(default_factory=dict)  # GraphML: "ego"/"alter" -> name -> key id


#: Columns that are the export's bookkeeping, not answers about anyone.
RESERVED = {
    "ego": {EGO_UUID, CASE_ID, "networkCanvasSessionID", "networkCanvasProtocolName", "sessionStart",
            "sessionFinish", "sessionExported", "caseId", "sessionUUID", "protocolName", "protocolUID",
            "protocolUUID", "codebookHash", "sessionStartTime", "sessionFinishTime", "sessionExportTime",
            "networkCanvasUUID", "schemaLocation"},
    "alter": {"nodeID", EGO_UUID, "networkCanvasUUID", "networkCanvasType", "label", "type"},
}
_OPTION_KEY = re.compile(r"^(?P<variable>.+)_(?P<option>[0-9a-f]{40})$")  # GraphML: <uuid>_<sha1(value)>


@dataclass(frozen=True)
class Variables:
    """How the columns of egos or alters read, beyond the export's bookkeeping.

    Attributes
    ----------
    choices
        Categorical variable -> its true/false columns and the choice each stands for.
    layout
        Screen-position columns (``Cords_x``, ``Cords_y``): not attributes.
    plain
        Every other column, one attribute each (flags and identity columns included;
        the caller leaves those out).
    how
        Where the categorical groups came from: ``"protocol"``, ``"graphml keys"`` or
        ``"column names"``.
    """

    choices: dict[str, list[tuple[str, str]]]
    layout: list[str]
    plain: list[str]
    how: str


def variables(export: NetCanvasExport, entity: str) -> Variables:
    """The categorical groups, layout columns and plain columns of ``"ego"`` or ``"alter"`` records.

    A categorical variable is exported as one true/false column per choice,
    ``<variable>_<choice>``. Which columns form one is read from the protocol's
    codebook when there is one; else from GraphML key ids (``<uuid>_<sha1 of the
    choice>``, exact); else from the names: true/false columns sharing the text before
    their first ``_``, two or more of them.

    Examples
    --------
    >>> e = NetCanvasExport([], [{"Gender_Female": "true", "Gender_Male": "false", "Cords_x": "0.1",
    ...                           "Cords_y": "0.2", "Age": "40", "Serious": "true"}], [], {})
    >>> v = variables(e, "alter")
    >>> v.choices, v.layout, v.plain
    ({'Gender': [('Gender_Female', 'Female'), ('Gender_Male', 'Male')]}, ['Cords_x', 'Cords_y'], ['Age', 'Serious'])
    """
    records = export.egos if entity == "ego" else export.alters
    columns = [c for c in dict.fromkeys(k for r in records for k in r)
               if not c.startswith("_") and c not in RESERVED[entity]]
    protocol = export.protocol
    keys = export.key_ids.get(entity, {})
    choices: dict[str, list[tuple[str, str]]] = {}
    layout: list[str] = []
    if protocol is not None:
        how = "protocol"
        for variable, options in protocol.categorical.get(entity, {}).items():
            found = [(f"{variable}_{o}", o) for o in options if f"{variable}_{o}" in columns]
            if found:
                choices[variable] = found
        for variable in protocol.layout.get(entity, frozenset()):
            layout += [c for c in columns if c.casefold() in (f"{variable}_x".casefold(), f"{variable}_y".casefold())]
    elif keys:
        how = "graphml keys"
        groups: dict[str, list[tuple[str, str]]] = {}
        for column in columns:
            m = _OPTION_KEY.match(keys.get(column, ""))
            if m:
                groups.setdefault(m["variable"], []).append((column, m["option"]))
        for members in groups.values():
            name, found = _split_choices(members)
            choices[name] = found
        layout = [c for c in columns if re.search(r"_[XY]$", keys.get(c, "")) and re.search(r"_[xXyY]$", c)]
    else:
        how = "column names"
        booleans = [c for c in columns if _is_boolean(records, c)]
        prefixes: dict[str, list[str]] = {}
        for column in booleans:
            if "_" in column:
                prefixes.setdefault(column.split("_", 1)[0], []).append(column)
        choices = {v: [(c, c.split("_", 1)[1]) for c in members] for v, members in prefixes.items()
                   if len(members) >= 2}
        for column in columns:
            stem = column[:-2]
            if column[-2:] in ("_x", "_X") and any(c in columns for c in (f"{stem}_y", f"{stem}_Y")):
                pair = [column, next(c for c in (f"{stem}_y", f"{stem}_Y") if c in columns)]
                if all(_is_number_or_blank(records, c) for c in pair):
                    layout += pair
    grouped = {c for members in choices.values() for c, _ in members}
    plain = [c for c in columns if c not in grouped and c not in layout]
    return Variables(choices, layout, plain, how)


def _split_choices(members: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """GraphML ``(attr.name, sha1 of the choice)`` pairs -> the variable's name and each choice."""
    out, names = [], []
    for column, digest in members:
        parts = column.split("_")
        for i in range(1, len(parts)):
            choice = "_".join(parts[i:])
            if hashlib.sha1(choice.encode()).hexdigest() == digest:
                names.append("_".join(parts[:i]))
                out.append((column, choice))
                break
        else:
            names.append(column.split("_", 1)[0])
            out.append((column, column.split("_", 1)[-1]))
    return max(set(names), key=names.count), out


def _is_boolean(records: list[dict], column: str) -> bool:
    values = {str(r.get(column, "")).strip().casefold() for r in records} - {""}
    return bool(values) and values <= {"true", "false", "1", "0"}


def _is_number_or_blank(records: list[dict], column: str) -> bool:
    for r in records:
        text = str(r.get(column, "")).strip()
        if text:
            try:
                float(text)
            except ValueError:
                return False
    return True


def relation_flags(export: NetCanvasExport) -> tuple[list[str], list[str]]:
    """The alter variables that say which name generator named a person, and the others.

    With the protocol, the flags are the true/false node variables its name
    generators' prompts set (``additionalAttributes``): no guessing. Without it (or
    when its generators set none), a flag is a true/false column named after one of
    the interview's edge types (``Close`` for ``Close``, ``Drugs`` for ``DrugTie``):
    the protocol's edge types, else the edge files' types or the GraphML edges'
    ``networkCanvasType``. When no column is named after an edge type (or there are
    no edges), every true/false column outside a categorical group is taken as a
    flag. Categorical choices (``Gender_Female``, ``PlaceMet_Bar_Club``) and booleans
    set by forms (``Serious``) are attributes, never relations.

    Returns
    -------
    flags, others
        True/false column names, in file order.

    Examples
    --------
    >>> e = NetCanvasExport([], [{"Close": "true", "Drugs": "false", "Serious": "true", "Gender_Male": "true",
    ...                           "Gender_Female": "false", "name": "Ann"}],
    ...                     [{"_type": "Close"}, {"_type": "DrugTie"}], {})
    >>> relation_flags(e)
    (['Close', 'Drugs'], ['Serious', 'Gender_Male', 'Gender_Female'])
    """
    columns = list(dict.fromkeys(k for a in export.alters for k in a if not k.startswith("_")))
    booleans = [c for c in columns if _is_boolean(export.alters, c)]
    protocol = export.protocol
    if protocol is not None and protocol.generator_flags:
        flags = [c for c in booleans if c in protocol.generator_flags]
        if flags:
            return flags, [c for c in booleans if c not in flags]
    grouped = {c for members in variables(export, "alter").choices.values() for c, _ in members}
    names = protocol.edge_types if protocol is not None and protocol.edge_types else \
        [str(e.get("_type", "")) for e in export.edges]
    types = {_fold(t) for t in names} - {""}
    plain = [c for c in booleans if c not in grouped]
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
    export = _from_graphml(path) if path.suffix.lower() == ".graphml" else _from_csv(path)
    name = next((str(e.get("networkCanvasProtocolName") or e.get("protocolName") or "") for e in export.egos), "")
    found, note = find_protocol(path, name)
    protocol = read_protocol(found) if found is not None else None
    return NetCanvasExport(export.egos, export.alters, export.edges, export.files, protocol, note, export.key_ids)


def _from_csv(path: Path) -> NetCanvasExport:
    folder = path if path.is_dir() else path.parent
    files = sorted(folder.glob("*.csv"))
    egos: list[dict] = []
    alters: list[dict] = []
    edges: list[dict] = []
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

    egos: list[dict] = []
    alters: list[dict] = []
    edges: list[dict] = []
    counts: dict[tuple[str, str | None], int] = {}
    key_ids: dict[str, dict[str, str]] = {}
    for graph in read_graphml(path):
        key_ids = {"ego": {**graph.keys.get("all", {}), **graph.keys.get("graph", {})},
                   "alter": {**graph.keys.get("all", {}), **graph.keys.get("node", {})}}
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
    return NetCanvasExport(egos, alters, edges, counts, key_ids=key_ids)


def netcanvas_items(
    export: NetCanvasExport, plan: EgoPlan, *, report: ImportReport, resolve: Resolve
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Items and person attributes for :func:`~onatool.io.assemble.assemble` from an egocentric export.

    Rows dropped here (interviews repeated, people named outside every relation read,
    alter-alter edges) are recorded in ``report``, and so are the attribute values
    they held; every other row becomes items, and its variables attribute items.

    Returns
    -------
    items, attributes
        :data:`~onatool.io.assemble.ITEM_COLUMNS` and
        :data:`~onatool.io.attributes.ATTRIBUTE_ITEM_COLUMNS` tables.

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
    ego_vars = variables(export, "ego")
    alter_vars = variables(export, "alter")
    skip = {plan.identity, plan.name, *(q.question for q in plan.questions)}
    _note_variables(export, report, ego_vars, alter_vars, skip)
    attributes: list[tuple] = []

    def describe(record: dict, person: str, reported_by: str, found: Variables, dropped: str = "") -> None:
        where = (record["_file"], record["_sheet"], record["_row"])
        values = _attribute_values(record, found, skip)
        report.read_attribute_values(len(values))
        for attribute, value, layout in values:
            if not value:
                report.add_attribute_value(attribute, "blank")
            elif layout:
                report.add_attribute_value(attribute, "dropped", "a position on the interview's screen, not an attribute")
            elif dropped:
                report.add_attribute_value(attribute, "dropped", dropped)
            else:
                attributes.append((*where, person, reported_by, attribute, value))

    kept_egos = _latest_interviews(export.egos, plan, report, resolve)
    kept_ids = {id(e) for e in kept_egos}
    records: list[tuple] = []
    for ego in export.egos:
        identity = str(ego.get(plan.identity, "")).strip()
        if id(ego) not in kept_ids:
            describe(ego, identity, "self", ego_vars, "the interview is repeated; the kept one's answers used")
            continue
        records.append((ego["_file"], ego["_sheet"], ego["_row"], identity, "", "", "", float("nan"), True))
        describe(ego, identity, "self", ego_vars)
    who = {ego[EGO_UUID]: ego.get(plan.identity, "") for ego in kept_egos}
    every = {ego[EGO_UUID] for ego in export.egos}
    for alter in export.alters:
        where = (alter["_file"], alter["_sheet"], alter["_row"])
        uuid = alter.get(EGO_UUID, "")
        name = str(alter.get(plan.name, "")).strip()
        if uuid not in who:
            reason = "named in a repeated interview; the latest one kept" if uuid in every \
                else "named in an interview with no ego row"
            report.add_row(*where, "dropped", reason)
            describe(alter, name, "other", alter_vars, reason)
            continue
        relations = [q.relation for q in plan.questions
                     if str(alter.get(q.question, "")).strip().casefold() in _TRUE] if plan.questions else [plan.relation]
        if not relations:
            report.add_row(*where, "dropped", "named in no relation the recipe reads")
            describe(alter, name, "other", alter_vars, "named in no relation the recipe reads")
            continue
        records.extend((*where, who[uuid], name, relation, "Yes", float("nan"), True) for relation in relations)
        describe(alter, name, "other", alter_vars)
    for edge in export.edges:
        report.add_row(edge["_file"], edge["_sheet"], edge["_row"], "dropped",
                       "tie between two named people as the respondent sees it; not imported")
    return (pd.DataFrame.from_records(records, columns=list(ITEM_COLUMNS)),
            pd.DataFrame.from_records(attributes, columns=list(ATTRIBUTE_ITEM_COLUMNS)))


def _attribute_values(record: dict, found: Variables, skip: set[str]) -> list[tuple[str, str, bool]]:
    """``(attribute, value, is layout)`` for one record: choices folded, ``""`` for no answer."""
    out = []
    for variable, members in found.choices.items():
        chosen = [choice for column, choice in members if str(record.get(column, "")).strip().casefold() in _TRUE]
        out.append((variable, "; ".join(chosen), False))
    out += [(c, _text(record.get(c)), True) for c in found.layout]
    out += [(c, _text(record.get(c)), False) for c in found.plain if c not in skip]
    return out


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _note_variables(export: NetCanvasExport, report: ImportReport, ego: Variables, alter: Variables,
                    skip: set[str]) -> None:
    protocol = export.protocol
    if protocol is None:
        report.note(f"Network Canvas: {export.protocol_note}; relations are the true/false variables named after "
                    "the interview's edge types, and categorical variables are told by their "
                    f"{'GraphML keys' if alter.how == 'graphml keys' else 'column names'}. Put the protocol "
                    "(.netcanvas or protocol.json) beside the export to read them exactly.")
    else:
        flags = ", ".join(protocol.generator_flags) or "no variable"
        report.note(f"Network Canvas: {export.protocol_note}; its name generators set {flags} on the people named, "
                    f"and its edge types ({', '.join(protocol.edge_types) or 'none'}) are ties between them.")
    for who, found in (("respondent", ego), ("person named", alter)):
        if found.choices:
            report.note(f"Network Canvas: {len(found.choices)} categorical variable(s) of the {who}, exported as one "
                        "true/false column per choice, folded back into one attribute each: "
                        + ", ".join(f"{v} ({len(m)} columns)" for v, m in found.choices.items()) + ".")
        kept = [c for c in found.plain if c not in skip]
        if kept:
            report.note(f"Network Canvas: variables kept as attributes of the {who}: "
                        + ", ".join([*found.choices, *kept]) + ".")


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
