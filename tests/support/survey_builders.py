"""Synthetic survey exports for the import tests, one writer per platform layout.

A layout-neutral list of :class:`Response` is rendered as each platform writes it, so
every layout is tested against the same expected ties.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ADVICE_Q = "Who do you go to for information or advice about your work?"
COLLAB_Q = "How often do you work with each of these people?"
ROLE_Q = "What is your role?"

#: id, name, email, organisation, level
ROSTER = [
    ("A1", "Ann Lee", "ann.lee@acute.example", "Acute trust", "top"),
    ("B2", "Bo Chan", "bo.chan@council.example", "Council", "middle"),
    ("C3", "Jo Smith", "jo.smith@acute.example", "Acute trust", "bottom"),
    ("D4", "Jo Smyth", "jo.smyth@pcn.example", "Primary care", "bottom"),
    ("E5", "Margaret Okonkwo", "m.okonkwo@pcn.example", "Primary care", "middle"),
    ("F6", "Zoë O'Neill", "zoe.oneill@vcse.example", "Voluntary sector", "bottom"),
]
NAMES = [r[1] for r in ROSTER]
EMAIL = {r[1]: r[2] for r in ROSTER}
ID = {r[1]: r[0] for r in ROSTER}
FREQ_CODES = {"Never": 0, "Yearly": 1, "Quarterly": 2, "Monthly": 3, "Weekly": 4, "Daily": 5,
              "Not applicable": -99}


def write_roster(path: Path, rows=ROSTER) -> Path:
    pd.DataFrame(rows, columns=["id", "name", "email", "organisation", "level"]).to_csv(path, index=False)
    return path


@dataclass
class Response:
    """One submission: who (an email), names for advice, frequency per roster name."""

    who: str
    advice: list[str] = field(default_factory=list)
    collab: dict[str, str] = field(default_factory=dict)
    submitted: dt.datetime = dt.datetime(2025, 11, 3, 9, 0)
    complete: bool = True
    role: str = "Nurse"


def _write(rows: list[list], path: Path) -> Path:
    frame = pd.DataFrame(rows)
    if path.suffix == ".xlsx":
        with pd.ExcelWriter(path, engine="xlsxwriter",
                            engine_kwargs={"options": {"strings_to_formulas": False,
                                                       "strings_to_urls": False}}) as writer:
            frame.to_excel(writer, header=False, index=False, sheet_name="Sheet1")
    else:
        frame.to_csv(path, header=False, index=False)
    return path


def forms(path: Path, responses: list[Response], people=NAMES) -> Path:
    """Microsoft Forms: ID, times, Email, Name; ``;``-lists with a trailing ``;``; Likert ``Q.Statement``."""
    header = ["ID", "Start time", "Completion time", "Email", "Name", ADVICE_Q,
              *[f"{COLLAB_Q}.{p}" for p in people], ROLE_Q]
    rows = [header]
    for n, r in enumerate(responses, start=1):
        stamp = r.submitted.strftime("%m/%d/%y %H:%M:%S")
        rows.append([n, stamp, stamp, r.who, r.who.split("@")[0], "".join(f"{a};" for a in r.advice),
                     *[r.collab.get(p, "") for p in people], r.role])
    return _write(rows, path)


def google(path: Path, responses: list[Response], people=NAMES) -> Path:
    """Google Forms: Timestamp, Email address; ``", "``-lists; grid ``Q [Row]``."""
    header = ["Timestamp", "Email address", ADVICE_Q, *[f"{COLLAB_Q} [{p}]" for p in people], ROLE_Q]
    rows = [header]
    for r in responses:
        rows.append([r.submitted.strftime("%d/%m/%Y %H:%M:%S"), r.who, ", ".join(r.advice),
                     *[r.collab.get(p, "") for p in people], r.role])
    return _write(rows, path)


def qualtrics(path: Path, responses: list[Response], people=NAMES) -> Path:
    """Qualtrics: three header rows, metadata, choice-text multi-select, numeric matrix recodes."""
    meta = [("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
            ("Status", "Response Type", "status"), ("IPAddress", "IP Address", "ipAddress"),
            ("Progress", "Progress", "progress"), ("Duration (in seconds)", "Duration (in seconds)", "duration"),
            ("Finished", "Finished", "finished"), ("RecordedDate", "Recorded Date", "recordedDate"),
            ("ResponseId", "Response ID", "_recordId"), ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
            ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
            ("RecipientEmail", "Recipient Email", "recipientEmail"),
            ("LocationLatitude", "Location Latitude", "locationLatitude"),
            ("LocationLongitude", "Location Longitude", "locationLongitude")]
    codes = [m[0] for m in meta] + ["Q1", "Q1_7_TEXT"] + [f"Q2_{i}" for i in range(1, len(people) + 1)] + ["Q3"]
    texts = [m[1] for m in meta] + [f"{ADVICE_Q} - Selected Choice", f"{ADVICE_Q} - Other (please name) - Text"]
    texts += [f"{COLLAB_Q} - {p}" for p in people] + [ROLE_Q]
    imports = [json.dumps({"ImportId": m[2]}) for m in meta] + ['{"ImportId":"QID1"}', '{"ImportId":"QID1_7_TEXT"}']
    imports += [json.dumps({"ImportId": f"QID2_{i}"}) for i in range(1, len(people) + 1)] + ['{"ImportId":"QID3"}']
    rows = [codes, texts, imports]
    for n, r in enumerate(responses, start=1):
        stamp = r.submitted.strftime("%Y-%m-%d %H:%M:%S")
        known = [a for a in r.advice if a in people]
        other = [a for a in r.advice if a not in people]
        first, last = r.who.split("@")[0].split(".")[0], "X"
        rows.append([stamp, stamp, "IP Address", "192.0.2.1", "100" if r.complete else "40", "300",
                     "1" if r.complete else "0", stamp, f"R_{n:04d}", last, first, r.who, "51.5", "-0.1",
                     ",".join(known), ", ".join(other),
                     *[str(FREQ_CODES.get(r.collab[p], 7)) if r.collab.get(p) else "" for p in people], r.role])
    return _write(rows, path)


def surveymonkey(path: Path, responses: list[Response], people=NAMES) -> Path:
    """SurveyMonkey: question text over the first sub-column only, sub-labels on row 2."""
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
            "First Name", "Last Name"]
    top = meta + [ADVICE_Q] + [""] * len(people) + [COLLAB_Q] + [""] * (len(people) - 1) + [ROLE_Q]
    sub = [""] * len(meta) + [*people, "Other (please specify)"] + list(people) + ["Open-Ended Response"]
    rows = [top, sub]
    for n, r in enumerate(responses, start=1):
        stamp = r.submitted.strftime("%m/%d/%Y %I:%M:%S %p")
        other = [a for a in r.advice if a not in people]
        rows.append([str(11000 + n), "4242", stamp, stamp, "192.0.2.7", r.who, r.who.split("@")[0], "X",
                     *[p if p in r.advice else "" for p in people], "; ".join(other),
                     *[r.collab.get(p, "") for p in people], r.role])
    return _write(rows, path)


def multi_select(path: Path, responses: list[Response]) -> Path:
    """A plain sheet: Email, then the advice names ``;``-separated."""
    rows = [["Email", "Advice"]] + [[r.who, ";".join(r.advice) + (";" if r.advice else "")] for r in responses]
    return _write(rows, path)


def wide_grid(path: Path, responses: list[Response], people=NAMES) -> Path:
    """An xlsx with one sheet per relation: respondent email, one column per person."""
    advice = pd.DataFrame([[r.who, *["Yes" if p in r.advice else "" for p in people]] for r in responses],
                          columns=["Email", *people])
    collab = pd.DataFrame([[r.who, *[r.collab.get(p, "") for p in people]] for r in responses],
                          columns=["Email", *people])
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        advice.to_excel(writer, sheet_name="advice", index=False)
        collab.to_excel(writer, sheet_name="collaboration", index=False)
    return path


def netcanvas(folder: Path, responses: list[Response]) -> Path:
    """Network Canvas CSV export: ego, attribute list (an advice flag) and an edge list."""
    folder.mkdir(parents=True, exist_ok=True)
    egos, alters, edges = [], [], []
    for n, r in enumerate(responses, start=1):
        uuid = f"ego-{n}"
        stamp = r.submitted.isoformat()
        egos.append({"networkCanvasEgoUUID": uuid, "networkCanvasCaseID": r.who,
                     "networkCanvasSessionID": f"s{n}", "networkCanvasProtocolName": "ICS",
                     "sessionStart": stamp, "sessionFinish": stamp, "sessionExported": stamp})
        for k, name in enumerate(r.advice):
            alters.append({"nodeID": k + 1, "networkCanvasEgoUUID": uuid, "networkCanvasUUID": f"{uuid}-a{k}",
                           "name": name, "advice": "true", "met": "false"})
        if len(r.advice) >= 2:
            edges.append({"edgeID": 1, "networkCanvasEgoUUID": uuid, "networkCanvasUUID": f"{uuid}-e",
                          "networkCanvasSourceUUID": f"{uuid}-a0", "networkCanvasTargetUUID": f"{uuid}-a1",
                          "from": 1, "to": 2})
    pd.DataFrame(egos).to_csv(folder / "ics_ego.csv", index=False)
    pd.DataFrame(alters, columns=["nodeID", "networkCanvasEgoUUID", "networkCanvasUUID", "name", "advice", "met"]
                 ).to_csv(folder / "ics_attributeList_Person.csv", index=False)
    pd.DataFrame(edges, columns=["edgeID", "networkCanvasEgoUUID", "networkCanvasUUID", "networkCanvasSourceUUID",
                                 "networkCanvasTargetUUID", "from", "to"]).to_csv(folder / "ics_edgeList_knows.csv",
                                                                                  index=False)
    return folder


def graphml(path: Path, responses: list[Response]) -> Path:
    """Network Canvas GraphML: one graph per interview, the ego's case id as a graph attribute."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
             '<key id="case" for="graph" attr.name="networkCanvasCaseID" attr.type="string"/>',
             '<key id="nm" for="node" attr.name="name" attr.type="string"/>',
             '<key id="adv" for="node" attr.name="advice" attr.type="boolean"/>']
    for n, r in enumerate(responses, start=1):
        parts.append(f'<graph id="g{n}" edgedefault="undirected"><data key="case">{r.who}</data>')
        for k, name in enumerate(r.advice):
            parts.append(f'<node id="g{n}a{k}"><data key="nm">{name}</data><data key="adv">true</data></node>')
        parts.append("</graph>")
    parts.append("</graphml>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
