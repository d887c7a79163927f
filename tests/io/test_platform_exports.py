"""Survey exports in each platform's real structure, imported with no recipe.

Each fixture is written here byte for byte as the platform writes it (BOMs, CRLF, NUL
cells, quoted JSON or Python-dict header rows, hyphen-joined labels, V1..Vn columns,
quiz columns, one-hot Network Canvas variables) and imported through
:func:`onatool.io.import_responses`, the entry point of ``onatool import --responses``.
Each test checks every tie by roster id (none missing, none wrong) and that every data
row of the file has exactly one outcome in the import report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from onatool import schema
from onatool.io import import_responses

KEY = b"p" * 32
ROSTER = (
    "id,name,email,organisation\n"
    "A1,Ann Lee,ann.lee@nhs.example,Acute\n"
    "A2,Bo Chan,bo.chan@nhs.example,Council\n"
    "A3,Cy Dee,cy.dee@nhs.example,Acute\n"
    "A4,Dee O'Neil,dee.oneil@nhs.example,VCSE\n"
)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def _csv(rows: list[list[str]], *, bom: bool = False, crlf: bool = True, final_newline: bool = True) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    text = buffer.getvalue()
    if not final_newline:
        text = text.rstrip("\r\n")
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _ties(result) -> set[tuple[str, str, str]]:
    ids = result.roster.identities[schema.ID]
    ties = result.network.ties
    ties = ties[ties[schema.WEIGHT].isna() | (ties[schema.WEIGHT] > 0)]
    return {(ids[s], ids[t], r) for s, t, r in zip(ties[schema.SOURCE], ties[schema.TARGET], ties[schema.RELATION],
                                                   strict=True)}


def _accounted(result, file: str, data_rows: int) -> None:
    report = result.report
    assert report.balanced()
    read = sum(n for where, n in report.rows_read.items() if where.startswith(file))
    assert read == data_rows
    assert len([r for r in report.rows if r.file == file]) == data_rows


# Qualtrics -------------------------------------------------------------------------------------

QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
                  "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel",
                  "UserLanguage"]
QUALTRICS_TEXT = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                  "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                  "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                  "Distribution Channel", "User Language"]
QUALTRICS_IDS = ['{"ImportId":"startDate","timeZone":"Europe/London"}',
                 '{"ImportId":"endDate","timeZone":"Europe/London"}', '{"ImportId":"status"}',
                 '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
                 '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"Europe/London"}',
                 '{"ImportId":"_recordId"}', '{"ImportId":"recipientLastName"}', '{"ImportId":"recipientFirstName"}',
                 '{"ImportId":"recipientEmail"}', '{"ImportId":"externalDataReference"}',
                 '{"ImportId":"locationLatitude"}', '{"ImportId":"locationLongitude"}',
                 '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}']


def _qualtrics_meta(n: int, last: str, first: str, email: str, status: str = "0") -> list[str]:
    return [f"2024-03-0{n} 09:00:00", f"2024-03-0{n} 09:05:00", status, "", "100", "300", "1",
            f"2024-03-0{n} 09:05:01", f"R_{n}abcDEF", last, first, email, "", "", "", "email", "EN"]


def test_qualtrics_current_layout(tmp_path: Path, roster: Path) -> None:
    """Three header rows, JSON ImportIds, BOM, CRLF, an embedded newline, "Surname, First", a preview."""
    question = "Who do you go to for information or advice about your work? Please type their names."
    rows = [
        [*QUALTRICS_META, "Q2"], [*QUALTRICS_TEXT, question], [*QUALTRICS_IDS, '{"ImportId":"QID2_TEXT"}'],
        [*_qualtrics_meta(1, "Lee", "Ann", "ann.lee@nhs.example"), "Bo Chan, Cy Dee"],
        [*_qualtrics_meta(2, "Chan", "Bo", "bo.chan@nhs.example"), "Ann Lee\nDee O'Neil"],
        [*_qualtrics_meta(3, "Dee", "Cy", "cy.dee@nhs.example"), "Lee, Ann"],
        [*_qualtrics_meta(4, "O'Neil", "Dee", "dee.oneil@nhs.example"), ""],
        [*_qualtrics_meta(5, "Chan", "Bo", "bo.chan@nhs.example", status="1"), "Cy Dee"],  # survey preview
    ]
    path = tmp_path / "qualtrics.csv"
    path.write_bytes(_csv(rows, bom=True))
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "qualtrics"
    assert _ties(result) == {("A1", "A2", "advice"), ("A1", "A3", "advice"), ("A2", "A1", "advice"),
                             ("A2", "A4", "advice"), ("A3", "A1", "advice")}
    assert "A4" in set(result.roster.identities.loc[list(result.network.respondents), schema.ID])
    _accounted(result, "qualtrics.csv", 5)


def test_qualtrics_2016_layout(tmp_path: Path, roster: Path) -> None:
    """Python-dict ImportId row, ``Question-Choice`` labels, ticks exported as ``1``."""
    question = "Who do you go to for advice about your work? Select all that apply."
    meta = ["ResponseID", "ResponseSet", "IPAddress", "StartDate", "EndDate", "RecipientLastName",
            "RecipientFirstName", "RecipientEmail", "ExternalDataReference", "Finished", "Status"]
    ids = ["responseId", "responseSetId", "ipAddress", "startDate", "endDate", "panel-RecipientLastName",
           "panel-RecipientFirstName", "panel-RecipientEmail", "panel-ExternalDataReference", "finished", "status"]
    people = ["Ann Lee", "Bo Chan", "Cy Dee", "Dee O'Neil"]
    rows = [
        [*meta, "Q2_1", "Q2_2", "Q2_3", "Q2_4", "LocationLatitude", "LocationLongitude", "LocationAccuracy"],
        [*meta, *(f"{question}-{p}" for p in people), "LocationLatitude", "LocationLongitude", "LocationAccuracy"],
        [*(f"{{'ImportId': '{i}'}}" for i in ids), *(f"{{'ImportId': 'QID2-{k}'}}" for k in range(1, 5)),
         "{'ImportId': 'Location-LocationLatitude'}", "{'ImportId': 'Location-LocationLongitude'}",
         "{'ImportId': 'Location-LocationAccuracy'}"],
    ]

    def response(n: int, last: str, first: str, email: str, ticks: list[str]) -> list[str]:
        return [f"R_{n}x", "Default Response Set", "", "2016-05-27 11:51:26", "2016-05-27 11:52:26", last, first,
                email, "", "1", "0", *ticks, "42.4", "-71.1", "-1"]

    rows += [
        response(1, "Lee", "Ann", "ann.lee@nhs.example", ["1", "1", "1", ""]),  # ticks herself too
        response(2, "Chan", "Bo", "bo.chan@nhs.example", ["", "", "", "1"]),
        response(3, "Dee", "Cy", "cy.dee@nhs.example", ["", "", "", ""]),
        response(4, "O'Neil", "Dee", "dee.oneil@nhs.example", ["1", "1", "", ""]),
    ]
    path = tmp_path / "insights.csv"
    path.write_bytes(_csv(rows, crlf=False))
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "qualtrics"
    assert _ties(result) == {("A1", "A2", "advice"), ("A1", "A3", "advice"), ("A2", "A4", "advice"),
                             ("A4", "A1", "advice"), ("A4", "A2", "advice")}
    _accounted(result, "insights.csv", 4)


def test_qualtrics_legacy_layout(tmp_path: Path, roster: Path) -> None:
    """V1..V10 over the metadata, two header rows, a trailing comma on every line."""
    question = "Who do you go to for information or advice about your work? Please type their names."
    lines = [
        "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1,LocationLatitude,LocationLongitude,LocationAccuracy,",
        "ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,StartDate,EndDate,"
        f"Finished,{question},LocationLatitude,LocationLongitude,LocationAccuracy,",
        'R_1a,Standard-Antwortsatz,Anonym,,,130.92.34.66,0,2017-07-18 08:28:09,2017-07-18 08:28:48,1,'
        'Hello World!,47.1,7.2,-1,',
        'R_2b,Standard-Antwortsatz,"Lee, Ann",,ann.lee@nhs.example,,0,2017-07-19 10:00:00,2017-07-19 10:02:00,1,'
        '"Bo Chan, Cy Dee",,,-1,',
        'R_3c,Standard-Antwortsatz,"Dee, Cy",,cy.dee@nhs.example,,0,2017-07-20 10:00:00,2017-07-20 10:02:00,1,'
        '"O\'Neil, Dee",,,-1,',
        'R_4d,Standard-Antwortsatz,"Chan, Bo",,bo.chan@nhs.example,,0,2017-07-21 10:00:00,2017-07-21 10:02:00,1,'
        ',,,-1,',
    ]
    path = tmp_path / "legacy.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "qualtrics"
    assert _ties(result) == {("A1", "A2", "advice"), ("A1", "A3", "advice"), ("A3", "A4", "advice")}
    _accounted(result, "legacy.csv", 4)


def test_qualtrics_numeric_multi_select_with_other(tmp_path: Path, roster: Path) -> None:
    """Choices exported as numeric codes (``1`` ticked) in ``Q3_n`` columns, "Other" typed in ``Q3_5_TEXT``."""
    question = "Who do you work with most? Select all that apply."
    people = ["Ann Lee", "Bo Chan", "Cy Dee"]
    rows = [
        [*QUALTRICS_META, "Q3_1", "Q3_2", "Q3_3", "Q3_5", "Q3_5_TEXT"],
        [*QUALTRICS_TEXT, *(f"{question} - Selected Choice - {p}" for p in people),
         f"{question} - Selected Choice - Other (please name)", f"{question} - Other (please name) - Text"],
        [*QUALTRICS_IDS, '{"ImportId":"QID3","choiceId":"1"}', '{"ImportId":"QID3","choiceId":"2"}',
         '{"ImportId":"QID3","choiceId":"3"}', '{"ImportId":"QID3","choiceId":"5"}',
         '{"ImportId":"QID3_5_TEXT"}'],
        [*_qualtrics_meta(1, "Lee", "Ann", "ann.lee@nhs.example"), "", "1", "", "1", "Dee O'Neil"],
        [*_qualtrics_meta(2, "Chan", "Bo", "bo.chan@nhs.example"), "1", "", "1", "", ""],
        [*_qualtrics_meta(3, "O'Neil", "Dee", "dee.oneil@nhs.example"), "", "", "", "", ""],
    ]
    path = tmp_path / "numeric.csv"
    path.write_bytes(_csv(rows, bom=True))
    result = import_responses(roster, path, key=KEY)
    assert _ties(result) == {("A1", "A2", "collaboration"), ("A1", "A4", "collaboration"),
                             ("A2", "A1", "collaboration"), ("A2", "A3", "collaboration")}
    assert not result.report.unmatched(), "a numeric tick was read as a name"
    _accounted(result, "numeric.csv", 3)


# SurveyMonkey -------------------------------------------------------------------------------------


def test_surveymonkey_nul_cells_and_contact_identity(tmp_path: Path, roster: Path) -> None:
    """NUL under every metadata column, CRLF, padded sub-labels, a Contact Information question as identity."""
    question = "Which of these people does your team work with? (Check all that apply)"
    top = ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address", "First Name",
           "LastName", "Custom Data", "Contact Information", "", "", "", question, "", "", "", ""]
    sub = ["\x00"] * 9 + ["               Name             ", "Company", "Email Address", "Phone Number",
                          "Ann Lee", "Bo Chan", "Cy Dee", "Dee O'Neil", "Other (please specify)"]

    def response(n: int, name: str, email: str, ticks: list[str], other: str = "") -> list[str]:
        return [f"1055{n}", "51234", "03/04/2017 10:00:00", "03/04/2017 10:09:00", "", "", "", "", "", name,
                "Northmoor", email, "0161 000 000", *ticks, other]

    rows = [
        top, sub,
        response(1, "Ann Lee", "ann.lee@nhs.example", ["", "Bo Chan", "", ""], other="Dee O'Neil"),
        response(2, "Bo Chan", "bo.chan@nhs.example", ["Ann Lee", "", "Cy Dee", ""]),
        response(3, "Cy Dee", "cy.dee@nhs.example", ["", "", "", ""]),
    ]
    path = tmp_path / "monkey.csv"
    path.write_bytes(_csv(rows))
    assert b"\x00," in path.read_bytes()
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "surveymonkey"
    assert "Email Address" in result.recipe.identity
    assert _ties(result) == {("A1", "A2", "collaboration"), ("A1", "A4", "collaboration"),
                             ("A2", "A1", "collaboration"), ("A2", "A3", "collaboration")}
    _accounted(result, "monkey.csv", 3)


# Microsoft Forms ----------------------------------------------------------------------------------


def test_microsoft_forms_quiz_columns_are_not_questions(tmp_path: Path, roster: Path) -> None:
    """Quiz mode: Total points, Quiz feedback, Points - Q and Feedback - Q after every question."""
    import openpyxl

    question = "Who do you go to for help or advice about your work?"
    quiz = "What is the escalation number?"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Total points", "Quiz feedback",
                  question, f"Points - {question}", f"Feedback - {question}", quiz, f"Points - {quiz}",
                  f"Feedback - {quiz}"])
    when = dt.datetime(2020, 6, 1, 9, 0)
    answers = [("ann.lee@nhs.example", "Ann Lee", "Bo Chan;Cy Dee;", 10),
               ("bo.chan@nhs.example", "Bo Chan", "Ann Lee;", 0),
               ("cy.dee@nhs.example", "Cy Dee", "", 10)]
    for n, (email, name, named, points) in enumerate(answers, start=3):
        sheet.append([n, when, when + dt.timedelta(minutes=4), email, name, points, None, named, 0, None,
                      "2222", points, "Correct" if points else None])
    path = tmp_path / "quiz.xlsx"
    book.save(path)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "microsoft_forms"
    assert [q.question for q in result.recipe.questions] == [question]
    assert _ties(result) == {("A1", "A2", "advice"), ("A1", "A3", "advice"), ("A2", "A1", "advice")}
    assert not result.report.unmatched()
    _accounted(result, "quiz.xlsx", 3)


# Google Forms -------------------------------------------------------------------------------------


def test_google_forms_grid_and_typed_email_domain_slip(tmp_path: Path) -> None:
    """A grid per person, typed emails with capitals and a domain one edit away (to review, not dropped).

    Computing-id addresses (``xq7ab@``), as a university's are: their local part names nobody.
    """
    roster = tmp_path / "class.csv"
    roster.write_text("id,name,email\nA1,Ann Lee,al7qz@nhs.example\nA2,Bo Chan,bc2ww@nhs.example\n"
                      "A3,Cy Dee,cd9kk@nhs.example\nA4,Dee O'Neil,do4rr@nhs.example\n", encoding="utf-8")
    rows = [
        ["Timestamp", "Email Address", "Do you go to this person for advice about your work? [Ann Lee]",
         "Do you go to this person for advice about your work? [Bo Chan]", "Is the canteen any good?"],
        ["1/26/2023 11:17:16", "BC2WW@NHS.EXAMPLE", "Yes", "No", "Yes"],
        ["1/26/2023 11:18:02", "cd9kk@nhs.exampel", "Yes", "Yes", "No"],  # two letters swapped: not one edit
        ["1/26/2023 11:19:40", "do4rr@nhs.exampe", "No", "Yes", "No"],  # one letter missing: review
        ["1/26/2023 11:20:40", "al7qz@nhs.example", "No", "Yes", "Yes"],
    ]
    path = tmp_path / "google.csv"
    path.write_bytes(_csv(rows, crlf=False, final_newline=False))
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "google_forms"
    assert _ties(result) == {("A2", "A1", "advice"), ("A1", "A2", "advice")}
    review = {n["raw"]: n for n in result.report.review()}
    assert "do4rr@nhs.exampe" in review
    person = result.roster.identities.index[result.roster.identities[schema.ID] == "A4"][0]
    assert list(review["do4rr@nhs.exampe"]["candidates"]) == [person]
    assert "cd9kk@nhs.exampel" not in review
    _accounted(result, "google.csv", 4)


# Network Canvas -----------------------------------------------------------------------------------

NC_PEOPLE = [  # name, Close, Drugs, Serious (a form boolean), Gender (one-hot)
    ("Bo Chan", "true", "", "true", "Male"),
    ("Cy Dee", "true", "true", "", "Female"),
    ("Dee O'Neil", "", "true", "true", "Female"),
]


def _nc_csv(folder: Path) -> Path:
    folder.mkdir()
    ego_uuid = "2a891fd1-a8e9-49a8-9ee3-65c87e953793"
    stem = f"A1_{ego_uuid}"
    (folder / f"{stem}_ego.csv").write_text(
        "networkCanvasEgoUUID,networkCanvasCaseID,networkCanvasSessionID,networkCanvasProtocolName,"
        "sessionStart,sessionFinish,sessionExported,Age\n"
        f"{ego_uuid},A1,86e8cd5e,IJE_RADAR_Protocol (1),2023-07-17T15:36:41.844Z,2023-07-17T16:00:00.000Z,"
        "2023-07-17T19:33:59.470Z,44\n", encoding="utf-8")
    lines = ["nodeID,networkCanvasEgoUUID,networkCanvasUUID,Close,Drugs,Serious,Gender_Female,Gender_Male,"
             "PlaceMet_Bar_Club,PlaceMet_Work,name,null"]
    for n, (name, close, drugs, serious, gender) in enumerate(NC_PEOPLE, start=1):
        female, male = ("true", "false") if gender == "Female" else ("false", "true")
        lines.append(f"{n},{ego_uuid},uuid-{n},{close},{drugs},{serious},{female},{male},false,true,{name},")
    (folder / f"{stem}_attributeList_Person.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / f"{stem}_edgeList_Close.csv").write_text(
        "edgeID,networkCanvasEgoUUID,networkCanvasUUID,networkCanvasSourceUUID,networkCanvasTargetUUID,from,to\n"
        f"1,{ego_uuid},e-1,uuid-1,uuid-2,1,2\n", encoding="utf-8")
    (folder / f"{stem}_edgeList_DrugTie.csv").write_text(
        "edgeID,networkCanvasEgoUUID,networkCanvasUUID,networkCanvasSourceUUID,networkCanvasTargetUUID,from,to\n"
        f"1,{ego_uuid},e-2,uuid-2,uuid-3,2,3\n", encoding="utf-8")
    return folder


def _nc_graphml(path: Path) -> Path:
    keys = {"Close": "8d84468b", "Drugs": "45032017", "Serious": "1d451133", "Gender_Female": "aa01",
            "Gender_Male": "aa02", "name": "c0ffee"}
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n  <graphml\n    xmlns="http://graphml.graphdrawing.org/xmlns"\n'
             '    xmlns:nc="http://schema.networkcanvas.com/xmlns">',
             '<key id="label" attr.name="label" attr.type="string" for="all"/>',
             '<key id="networkCanvasType" attr.name="networkCanvasType" attr.type="string" for="all"/>']
    parts += [f'<key id="{k}" attr.name="{name}" attr.type="{"string" if name == "name" else "boolean"}" for="node"/>'
              for name, k in keys.items()]
    parts.append('<graph\n  edgedefault="undirected"\n  nc:caseId="A1"\n  nc:sessionUUID="86e8cd5e"\n'
                 '  nc:protocolName="IJE_RADAR_Protocol"\n>')
    for n, (name, close, drugs, serious, gender) in enumerate(NC_PEOPLE, start=1):
        values = {"Close": close or "false", "Drugs": drugs or "false", "Serious": serious or "false",
                  "Gender_Female": str(gender == "Female").lower(), "Gender_Male": str(gender == "Male").lower(),
                  "name": name}
        parts.append(f'<node id="{n}">\n\t<data key="networkCanvasType">Person</data>\n\t<data key="label">{name}'
                     '</data>' + "".join(f'\n\t<data key="{keys[k]}">{v}</data>' for k, v in values.items())
                     + "\n</node>")
    parts.append('<edge id="1" source="1" target="2">\n\t<data key="networkCanvasType">Close</data>\n</edge>')
    parts.append('<edge id="2" source="2" target="3">\n\t<data key="networkCanvasType">DrugTie</data>\n</edge>')
    parts.append("</graph>\n</graphml>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


NC_EXPECTED = {("A1", "A2", "close"), ("A1", "A3", "close"), ("A1", "A3", "drugs"), ("A1", "A4", "drugs")}


def test_network_canvas_csv_relations_only_from_generators(tmp_path: Path, roster: Path) -> None:
    """One-hot choices (Gender_*, PlaceMet_*) and form booleans (Serious) are not relations."""
    folder = _nc_csv(tmp_path / "export")
    result = import_responses(roster, folder, key=KEY)
    assert sorted(q.relation for q in result.recipe.questions) == ["close", "drugs"]
    assert _ties(result) == NC_EXPECTED
    assert result.report.balanced()
    assert result.network.n_ties == len(NC_EXPECTED)
    assert not any(r.startswith(("gender", "placemet", "serious")) for r in result.network.relation_names)


def test_network_canvas_graphml_matches_csv(tmp_path: Path, roster: Path) -> None:
    """nc:caseId on <graph> identifies the respondent; the GraphML gives the CSV export's network."""
    graphml = import_responses(roster, _nc_graphml(tmp_path / "interview.graphml"), key=KEY)
    from_csv = import_responses(roster, _nc_csv(tmp_path / "export"), key=KEY)
    assert _ties(graphml) == _ties(from_csv) == NC_EXPECTED
    assert graphml.report.balanced()
