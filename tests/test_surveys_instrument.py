"""Survey instruments: the ICS relationships questions, the Excel grid and the Forms text."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import import_responses, read_roster, read_ties
from onatool.surveys import (
    collect_returns,
    forms_recipe,
    forms_text,
    list_instruments,
    load_instrument,
    write_grid_template,
)
from tests.support import survey_builders as sb

KEY = b"i" * 32


@pytest.fixture
def ics():
    return load_instrument("ics_relationships")


def test_the_ics_instrument_matches_the_schema(ics):
    assert "ics_relationships" in list_instruments()
    assert [q.relation for q in ics.questions] == ["advice", "collaboration", "trust", "concern", "met"]
    for q in ics.questions:
        assert q.relation in schema.RELATIONS
        assert q.symmetric == schema.RELATIONS[q.relation].symmetric, q.relation
        if schema.RELATIONS[q.relation].question:
            assert q.wording == schema.RELATIONS[q.relation].question
    assert ics.scale_map("frequency") == {"Never": 0, "Yearly": 1, "Quarterly": 2, "Monthly": 3, "Weekly": 4,
                                          "Daily": 5, "Don't know this person": None}
    assert ics.is_tick(ics.questions[0]) and not ics.is_tick(ics.questions[1])


def test_grid_template_has_drop_downs_and_is_formula_safe(tmp_path, ics):
    rows = [*sb.ROSTER, ("G7", '=HYPERLINK("http://evil.example","click")', "g@x.example", "+Org", "top")]
    roster = read_roster(sb.write_roster(tmp_path / "roster.csv", rows), key=KEY)
    path = write_grid_template(ics, roster, tmp_path / "grid.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Start here", "Information and advice", "Collaboration", "Trust",
                               "Raise a concern or idea", "Met through the programme"]
    sheet = book["Collaboration"]
    assert sheet["A1"].value == ics.questions[1].wording
    names = [sheet.cell(row, 2).value for row in range(5, 5 + len(rows))]
    assert sorted(names) == sorted(r[1] for r in rows)
    evil = next(r for r in range(5, 5 + len(rows)) if str(sheet.cell(r, 2).value).startswith("="))
    assert sheet.cell(evil, 2).data_type == "s"  # text, not a formula
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].type == "list"
    assert validations[0].formula1 == '"Never,Yearly,Quarterly,Monthly,Weekly,Daily,Don\'t know this person"'
    assert str(validations[0].sqref) == f"D5:D{4 + len(rows)}"
    assert book["Trust"].data_validations.dataValidation[0].formula1 == '"Yes"'


def test_returned_grids_import_as_ties(tmp_path, ics):
    roster_path = sb.write_roster(tmp_path / "roster.csv")
    roster = read_roster(roster_path, key=KEY)
    path = write_grid_template(ics, roster, tmp_path / "grid.xlsx")
    book = openpyxl.load_workbook(path)
    book["Start here"]["B5"] = "ann.lee@acute.example"
    collab, trust = book["Collaboration"], book["Trust"]
    for row in range(5, 5 + len(sb.ROSTER)):
        name = collab.cell(row, 2).value
        collab.cell(row, 4).value = {"Bo Chan": "Weekly", "Jo Smith": "Never",
                                     "Zoë O'Neill": "Don't know this person"}.get(name)
        trust.cell(row, 4).value = "Yes" if name == "Bo Chan" else None
    book.save(tmp_path / "ann.xlsx")
    blank = openpyxl.load_workbook(path)
    blank["Start here"]["B5"] = "bo.chan@council.example"
    blank.save(tmp_path / "bo.xlsx")

    edges = collect_returns([tmp_path / "ann.xlsx", tmp_path / "bo.xlsx"], ics)
    edges.to_csv(tmp_path / "ties.csv", index=False)
    scales = {q.relation: ics.scale_map(q.scale) for q in ics.questions}
    result = read_ties(tmp_path / "ties.csv", roster, relations=ics.relations(), scales=scales)
    ids = roster.identities["id"]
    t = result.network.ties
    assert {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)} == {
        ("A1", "B2", "collaboration", 4.0), ("A1", "C3", "collaboration", 0.0), ("A1", "B2", "trust", 1.0)}
    assert result.report.reasons()["dropped: answer not applicable"] == 1  # "Don't know this person"
    assert set(result.network.respondents) == {ids.index[ids == "A1"][0], ids.index[ids == "B2"][0]}


def test_forms_text_and_its_recipe_read_a_form_built_from_it(tmp_path, ics):
    roster_path = sb.write_roster(tmp_path / "roster.csv")
    roster = read_roster(roster_path, key=KEY)
    text = forms_text(ics, roster)
    assert "Type: **Likert**. Options (in this order): Never, Yearly" in text
    assert text.count("Type: **Choice**") == 4 and "Margaret Okonkwo" in text
    # A form built from that text: its export has the instrument's wording as headers.
    header = ["ID", "Start time", "Completion time", "Email", "Name"] + [
        q.wording for q in ics.questions if ics.is_tick(q)] + [
        f"{ics.questions[1].wording}.{name}" for name in sb.NAMES]
    row = ["1", "x", "2025-11-03 09:00:00", "ann.lee@acute.example", "Ann", "Bo Chan;", "Jo Smith;", "", "Bo Chan;",
           "", "Daily", "", "", "", ""]
    path = tmp_path / "forms.csv"
    pd.DataFrame([header, row]).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY, recipe=forms_recipe(ics))
    ids = roster.identities["id"]
    t = result.network.ties
    assert {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)} == {
        ("A1", "B2", "advice", 1.0), ("A1", "C3", "trust", 1.0), ("A1", "B2", "met", 1.0),
        ("A1", "B2", "collaboration", 5.0)}
    assert result.network.is_symmetric("met") and not result.network.is_symmetric("trust")


@pytest.mark.parametrize(("text", "message"), [
    ("questions: []", "no questions"),
    ("scales: {f: {answers: []}}\nquestions: [{relation: advice, wording: W, scale: f}]", "no answers"),
    ("scales: {f: {answers: [{answer: Yes, weight: 1}]}}\nquestions: [{relation: advice, scale: f}]",
     "lacks wording"),
    ("scales: {f: {answers: [{answer: Yes, weight: 1}]}}\nquestions: [{relation: a, wording: W, scale: g}]",
     "uses scale 'g'"),
])
def test_bad_instruments_name_the_file_and_the_fix(tmp_path, text, message):
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(InputFormatError, match=rf"mine\.yaml.*{message}"):
        load_instrument(path)


def test_unknown_instrument(tmp_path):
    with pytest.raises(InputFormatError, match="no such instrument.*ics_relationships"):
        load_instrument("nope")

