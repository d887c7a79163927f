"""Network Canvas: ego and alter variables as person attributes, relations from the protocol.

The fixtures are written here in the platform's real structure, as its exporter
writes one interview:

- CSV: ``<case>_<session>_ego.csv`` (``networkCanvasEgoUUID, networkCanvasCaseID, ...``
  then ego variables), ``..._attributeList_Person.csv`` (``nodeID,
  networkCanvasEgoUUID, networkCanvasUUID``, then node variables, a categorical one as
  ``<variable>_<choice>`` true/false columns, a layout one as ``<variable>_x/_y``) and
  ``..._edgeList_<type>.csv``;
- GraphML: keys whose ids are variable UUIDs (``<uuid>_<sha1 of the choice>`` for a
  categorical choice, ``<uuid>_X`` for a layout axis), ego variables as ``for="graph"``
  keys, the case id as ``nc:caseId`` on ``<graph>``;
- the protocol: ``protocol.json`` inside a ``.netcanvas`` zip, its codebook keyed by
  UUIDs and its name generators' prompts setting node variables
  (``additionalAttributes``).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import import_responses
from onatool.io.layouts import netcanvas

KEY = b"n" * 32
ROSTER = (
    "id,name,email,organisation\n"
    "A1,Ann Lee,ann.lee@nhs.example,Acute\n"
    "A2,Bo Chan,bo.chan@nhs.example,Council\n"
    "A3,Cy Dee,cy.dee@nhs.example,\n"
    "A4,Dee O'Neil,dee.oneil@nhs.example,VCSE\n"
)
EGO_UUID = "1b915958-a970-4742-9f98-154a5b97c3e9"
SESSION = "86e8cd5e-f908-49bc-9313-465a72e334fa"
# Variable UUIDs, as the codebook keys them.
UUID = {"Close": "8d84468b-0dcd-40cd-8a2c-e78bd41cf5e4", "Drugs": "45032017-155e-4499-9e7f-2abbfc6cc441",
        "Serious": "1d451133-7e81-4e9d-914c-f24d1e59ff6b", "Age": "6621dc88-9cde-43a1-85ec-6fc7689b2211",
        "ContactFreq": "01d514fa-09fb-4345-b0c0-86394ce0716c", "Gender": "70baa9c1-448f-44ee-a036-d7642cdb9254",
        "PlaceMet": "c4a28d6c-3b6f-4cc7-a15b-0cff8cfd66d9", "Cords": "366ded30-2372-423c-bccb-0caf5c3573ee",
        "name": "b1eb909a-13cd-4dc6-ab90-c77e7bc2c5d3", "DrugsUsed": "71f40cee-f215-4d7d-bcf5-286cc63001f3",
        "EgoAge": "4ff3010b-4706-4e40-9a9e-0735b50c489f"}
GENDER = ("Female", "Male", "Gender_non-conforming")
PLACES = ("Bar_Club", "Work")
DRUGS = ("1", "2", "3")
# One interview: the case A1 (Ann Lee) names three people.
ALTERS = [  # name, Close, Drugs, Serious, Age, ContactFreq, Gender, PlaceMet (several), x, y
    ("Bo Chan", True, True, False, "34", "Weekly", "Male", ("Bar_Club", "Work"), "0.71", "0.44"),
    ("Cy Dee", True, False, True, "29", "Daily", "Gender_non-conforming", ("Work",), "0.36", "0.40"),
    ("Dee O'Neil", False, False, False, "51", "Never", "Female", (), "0.63", "0.32"),  # in no generator
]
EGO = {"DrugsUsed": ("1", "3"), "EgoAge": "44"}
EDGES = [("Close", 1, 2), ("DrugTie", 1, 3)]  # ties between the people named


def _bool(value: bool) -> str:
    return "true" if value else "false"


def write_csv_export(folder: Path) -> Path:
    """The interview as the CSV export writes it."""
    folder.mkdir(parents=True)
    stem = f"A1_{SESSION}"
    drugs = [f"DrugsUsed_{d}" for d in DRUGS]
    ego = pd.DataFrame([{
        "networkCanvasEgoUUID": EGO_UUID, "networkCanvasCaseID": "A1", "networkCanvasSessionID": SESSION,
        "networkCanvasProtocolName": "ONA_Protocol", "sessionStart": "2023-07-17T15:36:41.844Z",
        "sessionFinish": "2023-07-17T16:00:00.000Z", "sessionExported": "2023-07-17T19:33:59.470Z",
        **{c: _bool(d in EGO["DrugsUsed"]) for c, d in zip(drugs, DRUGS, strict=True)}, "EgoAge": EGO["EgoAge"]}])
    ego.to_csv(folder / f"{stem}_ego.csv", index=False)
    rows = []
    for n, (name, close, drugs_tie, serious, age, freq, gender, places, x, y) in enumerate(ALTERS, start=1):
        rows.append({"nodeID": n, "networkCanvasEgoUUID": EGO_UUID, "networkCanvasUUID": f"node-{n}",
                     "Close": _bool(close), "Drugs": _bool(drugs_tie), "Cords_x": x, "Cords_y": y, "Age": age,
                     "ContactFreq": freq, "Serious": _bool(serious),
                     **{f"Gender_{g}": _bool(g == gender) for g in GENDER},
                     **{f"PlaceMet_{p}": _bool(p in places) for p in PLACES}, "name": name})
    pd.DataFrame(rows).to_csv(folder / f"{stem}_attributeList_Person.csv", index=False)
    for i, (kind, s, t) in enumerate(EDGES, start=1):
        pd.DataFrame([{"edgeID": i, "from": s, "to": t, "networkCanvasEgoUUID": EGO_UUID,
                       "networkCanvasUUID": f"edge-{i}", "networkCanvasSourceUUID": f"node-{s}",
                       "networkCanvasTargetUUID": f"node-{t}"}]).to_csv(folder / f"{stem}_edgeList_{kind}.csv",
                                                                        index=False)
    return folder


def _choice_key(variable: str, choice: str) -> str:
    return f"{UUID[variable]}_{hashlib.sha1(choice.encode()).hexdigest()}"


def write_graphml_export(path: Path) -> Path:
    """The same interview as the GraphML export writes it."""
    keys = [(_choice_key("DrugsUsed", d), f"DrugsUsed_{d}", "boolean", "graph") for d in DRUGS]
    keys += [(UUID["EgoAge"], "EgoAge", "int", "graph"), ("label", "label", "string", "all"),
             ("networkCanvasType", "networkCanvasType", "string", "all"),
             ("networkCanvasUUID", "networkCanvasUUID", "string", "all")]
    keys += [(UUID[v], v, "boolean", "node") for v in ("Close", "Drugs")]
    keys += [(f"{UUID['Cords']}_X", "Cords_X", "double", "node"), (f"{UUID['Cords']}_Y", "Cords_Y", "double", "node"),
             (UUID["Age"], "Age", "int", "node"), (UUID["ContactFreq"], "ContactFreq", "string", "node"),
             (UUID["Serious"], "Serious", "boolean", "node")]
    keys += [(_choice_key("Gender", g), f"Gender_{g}", "boolean", "node") for g in GENDER]
    keys += [(_choice_key("PlaceMet", p), f"PlaceMet_{p}", "boolean", "node") for p in PLACES]
    keys += [(UUID["name"], "name", "string", "node")]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '  <graphml', '    xmlns="http://graphml.graphdrawing.org/xmlns"',
             '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
             '    xmlns:nc="http://schema.networkcanvas.com/xmlns">']
    lines += [f'<key id="{i}" attr.name="{n}" attr.type="{t}" for="{f}"/>' for i, n, t, f in keys]
    lines += ['<graph', '  edgedefault="undirected"', '  nc:caseId="A1"', f'  nc:sessionUUID="{SESSION}"',
              '  nc:protocolName="ONA_Protocol"', '  nc:sessionExportTime="2023-07-17T19:33:59.470Z"',
              '    nc:sessionStartTime="2023-07-17T15:36:41.844Z"',
              '    nc:sessionFinishTime="2023-07-17T16:00:00.000Z"', '>',
              f'<data key="networkCanvasUUID">{EGO_UUID}</data>']
    lines += [f'<data key="{_choice_key("DrugsUsed", d)}">{_bool(d in EGO["DrugsUsed"])}</data>' for d in DRUGS]
    lines.append(f'<data key="{UUID["EgoAge"]}">{EGO["EgoAge"]}</data>')
    for n, (name, close, drugs_tie, serious, age, freq, gender, places, x, y) in enumerate(ALTERS, start=1):
        data = [("networkCanvasUUID", f"node-{n}"), ("networkCanvasType", "Person"), ("label", name),
                (UUID["Close"], _bool(close)), (UUID["Drugs"], _bool(drugs_tie)), (f"{UUID['Cords']}_X", x),
                (f"{UUID['Cords']}_Y", y), (UUID["Age"], age), (UUID["ContactFreq"], freq),
                (UUID["Serious"], _bool(serious))]
        data += [(_choice_key("Gender", g), _bool(g == gender)) for g in GENDER]
        data += [(_choice_key("PlaceMet", p), _bool(p in places)) for p in PLACES]
        data += [(UUID["name"], name.replace("'", "&apos;"))]
        lines += [f'<node id="{n}">', *(f'\t<data key="{k}">{v}</data>' for k, v in data), "</node>"]
    for i, (kind, s, t) in enumerate(EDGES, start=1):
        lines += [f'<edge id="e{i}" source="{s}" target="{t}">', f'\t<data key="networkCanvasType">{kind}</data>',
                  "</edge>"]
    lines += ["</graph>", "</graphml>"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_protocol(folder: Path, *, flags: dict[str, str], name: str = "ONA_Protocol") -> Path:
    """A ``.netcanvas`` file: its protocol.json sets ``flags`` (variable -> prompt) on the people named."""
    variables = {UUID[v]: {"name": v, "type": "boolean"} for v in ("Close", "Drugs", "Serious")}
    variables.update({
        UUID["Age"]: {"name": "Age", "type": "number"}, UUID["ContactFreq"]: {"name": "ContactFreq", "type": "text"},
        UUID["name"]: {"name": "name", "type": "text"}, UUID["Cords"]: {"name": "Cords", "type": "layout"},
        UUID["Gender"]: {"name": "Gender", "type": "categorical",
                         "options": [{"label": g.replace("_", " "), "value": g} for g in GENDER]},
        UUID["PlaceMet"]: {"name": "PlaceMet", "type": "categorical",
                           "options": [{"label": p.replace("_", " "), "value": p} for p in PLACES]},
    })
    person = "4aebf73e-95e3-4fd1-95e7-237dcc4a4466"
    protocol = {
        "name": name, "schemaVersion": 7,
        "stages": [
            {"id": "ego-form", "type": "EgoForm", "form": {"fields": [{"variable": UUID["EgoAge"]}]}},
            {"id": "namegen", "type": "NameGenerator", "subject": {"entity": "node", "type": person},
             "prompts": [{"id": f"p{i}", "text": text,
                          "additionalAttributes": [{"variable": UUID[v], "value": True}]}
                         for i, (v, text) in enumerate(flags.items())]},
            {"id": "form", "type": "AlterForm", "subject": {"entity": "node", "type": person},
             "form": {"fields": [{"variable": UUID["Serious"]}, {"variable": UUID["Gender"]}]}},
            {"id": "sociogram", "type": "Sociogram", "subject": {"entity": "node", "type": person},
             "prompts": [{"id": "s1", "edges": {"create": "e-close"}}]},
        ],
        "codebook": {
            "node": {person: {"name": "Person", "variables": variables}},
            "edge": {"e-close": {"name": "Close"}, "e-drug": {"name": "DrugTie"}},
            "ego": {"variables": {
                UUID["DrugsUsed"]: {"name": "DrugsUsed", "type": "categorical",
                                    "options": [{"label": f"Drug {d}", "value": int(d)} for d in DRUGS]},
                UUID["EgoAge"]: {"name": "EgoAge", "type": "number"}}},
        },
    }
    path = folder / f"{name}.netcanvas"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("protocol.json", json.dumps(protocol))
        archive.writestr("assets/logo.png", b"\x89PNG\r\n")
    return path


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def _ties(result) -> set[tuple[str, str, str]]:
    ids = result.roster.identities[schema.ID]
    t = result.network.ties
    return {(ids[s], ids[d], r) for s, d, r in zip(t[schema.SOURCE], t[schema.TARGET], t[schema.RELATION],
                                                   strict=True)}


def _people(result) -> dict[str, dict[str, object]]:
    """People by roster id, every attribute (missing values as None)."""
    people = result.network.people.drop(columns=[schema.LABEL])
    ids = result.roster.identities[schema.ID]
    return {ids[p]: {c: (None if pd.isna(v) else v) for c, v in row.items()} for p, row in people.iterrows()}


EXPECTED_TIES = {("A1", "A2", "close"), ("A1", "A2", "drugs"), ("A1", "A3", "close")}


def test_csv_and_graphml_of_one_interview_give_the_same_network(tmp_path: Path, roster: Path) -> None:
    """People, ties and attributes alike; choices folded back; layout and generator flags are not attributes."""
    from_csv = import_responses(roster, write_csv_export(tmp_path / "csv"), key=KEY, wave="w1")
    from_graphml = import_responses(roster, write_graphml_export(tmp_path / "interview.graphml"), key=KEY, wave="w1")
    assert _ties(from_csv) == _ties(from_graphml) == EXPECTED_TIES
    people = _people(from_csv)
    assert people == _people(from_graphml)
    assert people["A1"]["DrugsUsed"] == "1; 3" and people["A1"]["EgoAge"] == "44" and people["A1"]["responded"]
    assert people["A2"] | {"responded": None} == {
        "organisation": "Council", "responded": None, "DrugsUsed": None, "EgoAge": None, "Gender": "Male",
        "PlaceMet": "Bar_Club; Work", "Age": "34", "ContactFreq": "Weekly", "Serious": "false"}
    assert people["A3"]["Gender"] == "Gender_non-conforming" and people["A3"]["Serious"] == "true"
    # Dee O'Neil was named under no generator: her row is dropped, so are the values it held.
    assert people["A4"]["Age"] is None
    for result in (from_csv, from_graphml):
        columns = set(result.network.people.columns)
        assert not columns & {"Close", "Drugs", "Cords_x", "Cords_X", "Gender_Male", "name", "nodeID"}
        assert result.network.relation_names == ("close", "drugs")
        assert result.report.balanced()


def test_every_attribute_value_is_counted(tmp_path: Path, roster: Path) -> None:
    result = import_responses(roster, write_csv_export(tmp_path / "csv"), key=KEY, wave="w1")
    report = result.report
    table = pd.DataFrame(report.attribute_table())
    # Ego: DrugsUsed, EgoAge. Alters (3 rows): Gender, PlaceMet, Cords_x, Cords_y, Age, ContactFreq, Serious.
    assert report.attribute_values_read == 2 + 3 * 7 == table["values"].sum()
    counts = table.groupby(["outcome", "reason"])["values"].sum().to_dict()
    assert counts[("dropped", "a position on the interview's screen, not an attribute")] == 2 * 3
    assert counts[("dropped", "named in no relation the recipe reads")] == 4  # Dee's row (her PlaceMet is blank)
    assert counts[("kept", "")] == 2 + 2 * 5
    assert counts[("blank", "")] == 1  # Dee ticked no PlaceMet choice
    assert "Person attributes" in report.to_markdown()
    assert report.to_dict()["attribute_values_read"] == report.attribute_values_read


def test_protocol_beside_the_export_names_the_relations(tmp_path: Path, roster: Path) -> None:
    """Where the protocol sits (the folder above the export's), it is read; without it the report says so."""
    folder = write_csv_export(tmp_path / "project" / "networkCanvasExport")
    without = import_responses(roster, folder, key=KEY, wave="w1")
    assert any("no protocol" in n and "named after the interview's edge types" in n for n in without.report.notes)
    assert _ties(without) == EXPECTED_TIES  # Close and Drugs are named after the edge types Close and DrugTie

    write_protocol(tmp_path / "project", flags={"Close": "Who are you close to?", "Drugs": "Who do you use with?"})
    found = netcanvas.read_netcanvas(folder)
    assert found.protocol is not None and found.protocol.generator_flags == ("Close", "Drugs")
    assert found.protocol.edge_types == ("Close", "DrugTie")
    result = import_responses(roster, folder, key=KEY, wave="w1")
    assert _ties(result) == EXPECTED_TIES
    assert any("ONA_Protocol.netcanvas read" in n for n in result.report.notes)
    assert netcanvas.variables(found, "alter").how == "protocol"
    assert _people(result)["A1"]["DrugsUsed"] == "1; 3"
    assert result.report.balanced()


def test_protocol_flags_win_over_names(tmp_path: Path, roster: Path) -> None:
    """A form boolean named like an edge type is not a relation when the protocol says the generators set others."""
    path = write_graphml_export(tmp_path / "interview.graphml")
    write_protocol(tmp_path, flags={"Drugs": "Who do you use with?"})
    result = import_responses(roster, path, key=KEY, wave="w1")
    assert _ties(result) == {("A1", "A2", "drugs")}
    assert _people(result)["A2"]["Close"] == "true"  # a variable like any other now


def test_two_protocols_and_none_named_like_the_export(tmp_path: Path, roster: Path) -> None:
    folder = write_csv_export(tmp_path / "export")
    write_protocol(folder, flags={"Close": "x"}, name="Other")
    write_protocol(folder, flags={"Close": "x"}, name="Another")
    found = netcanvas.read_netcanvas(folder)
    assert found.protocol is None and "2 protocols found" in found.protocol_note
    write_protocol(folder, flags={"Close": "x", "Drugs": "y"}, name="ONA_Protocol (1)")
    assert netcanvas.read_netcanvas(folder).protocol.name == "ONA_Protocol (1)"


def test_reports_about_one_person_disagreeing(tmp_path: Path, roster: Path) -> None:
    """The roster wins; a person's own answer wins; else the answer most respondents gave, the rest counted."""
    folder = tmp_path / "export"
    folder.mkdir()
    egos, alters = [], []
    # Ann, Bo and Cy are interviewed; Ann and Cy describe Dee differently; Bo describes Ann; Ann describes herself.
    interviews = {"A1": [("Dee O'Neil", "50", "VCSE-x"), ("Bo Chan", "35", "")],
                  "A2": [("Ann Lee", "99", ""), ("Dee O'Neil", "50", "")],
                  "A3": [("Dee O'Neil", "52", "")]}
    for n, (case, named) in enumerate(interviews.items(), start=1):
        uuid = f"ego-{n}"
        egos.append({"networkCanvasEgoUUID": uuid, "networkCanvasCaseID": case, "sessionFinish": f"2024-01-0{n}",
                     "Age": {"A1": "41"}.get(case, "")})
        alters += [{"nodeID": i, "networkCanvasEgoUUID": uuid, "networkCanvasUUID": f"{uuid}-{i}", "Close": "true",
                    "name": name, "Age": age, "Organisation": org} for i, (name, age, org) in enumerate(named, 1)]
    pd.DataFrame(egos).to_csv(folder / "merged_ego.csv", index=False)
    pd.DataFrame(alters).to_csv(folder / "merged_attributeList_Person.csv", index=False)
    result = import_responses(roster, folder, key=KEY, wave="w1")
    people = _people(result)
    assert people["A1"]["Age"] == "41"  # her own answer, not Bo's 99
    assert people["A4"]["Age"] == "50"  # two said 50, one 52
    assert people["A4"]["organisation"] == "VCSE"  # the roster's value, not the export's
    assert people["A2"]["Age"] == "35"
    counts = pd.DataFrame(result.report.attribute_table()).groupby(["attribute", "outcome"])["values"].sum()
    assert counts[("Age", "dropped")] == 2 and counts[("organisation", "dropped")] == 1
    assert result.report.balanced()


def test_variables_from_graphml_keys_split_choices_with_underscores(tmp_path: Path) -> None:
    export = netcanvas.read_netcanvas(write_graphml_export(tmp_path / "i.graphml"))
    found = netcanvas.variables(export, "alter")
    assert found.how == "graphml keys"
    assert found.choices["Gender"] == [(f"Gender_{g}", g) for g in GENDER]
    assert found.layout == ["Cords_X", "Cords_Y"]
    assert netcanvas.variables(export, "ego").choices == {"DrugsUsed": [(f"DrugsUsed_{d}", d) for d in DRUGS]}


def test_a_damaged_protocol_is_one_clear_line(tmp_path: Path, roster: Path) -> None:
    folder = write_csv_export(tmp_path / "export")
    (folder / "protocol.json").write_text('{"stages": [', encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"protocol\.json.*not valid JSON") as caught:
        import_responses(roster, folder, key=KEY, wave="w1")
    assert "\n" not in str(caught.value)
