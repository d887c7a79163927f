"""Rosters: header and value variants, identities kept apart, pseudonyms, bad files."""

import openpyxl
import pandas as pd
import pytest

from onatool import InputFormatError, schema
from onatool.io import read_roster
from onatool.pseudonyms import pseudonym


def test_headers_and_levels_are_mapped(roster_csv, key):
    roster = read_roster(roster_csv, key=key)
    people = roster.people
    assert list(people.columns) == ["label", "organisation", "sector", "level", "cohort"]
    assert people["level"].tolist() == ["top", "bottom", "middle", "bottom"]
    assert people["cohort"].isna().tolist() == [False, True, True, True]
    assert people.index.name == "person_id"


def test_identities_never_in_people(roster_csv, key):
    roster = read_roster(roster_csv, key=key)
    assert not set(schema.IDENTITY_COLUMNS) & set(roster.people.columns)
    assert roster.identities.loc[pseudonym(key, "A1"), "name"] == "Ann Lee"
    assert roster.identities.loc[pseudonym(key, "A2"), "email"] == "bo.chan@council.example"
    flat = roster.people.astype(str).to_csv()
    assert "Ann Lee" not in flat and "A1" not in flat.split("\n", 1)[1].split(",")


def test_pseudonyms_stable_within_and_different_between_projects(roster_csv, key):
    one = read_roster(roster_csv, key=key)
    again = read_roster(roster_csv, key=key)
    other = read_roster(roster_csv, key=b"z" * 32)
    assert list(one.people.index) == list(again.people.index)
    assert not set(one.people.index) & set(other.people.index)
    assert one.people["label"].tolist() == again.people["label"].tolist()


def test_labels_are_not_in_roster_order(write, key):
    rows = "\n".join(f"R{i:03d},Person {i},Org{i % 3},top" for i in range(60))
    roster = read_roster(write("r.csv", "id,name,organisation,level\n" + rows + "\n"), key=key)
    labels = roster.people["label"].tolist()
    assert sorted(labels) == [f"P{i:03d}" for i in range(1, 61)]
    assert labels != sorted(labels)  # random order, not alphabetical


def test_extra_columns_kept_and_value_maps_applied(write, key):
    path = write("r.csv", "id,Employer,Grade,Team,Tenure\nx1,Acute,Band 8d,Ward 3,4\nx2,PCN,Band 5,Hub,1\n")
    roster = read_roster(path, key=key, value_maps={"level": {"Band 8d": "top", "Band 5": "bottom"}})
    assert roster.people["level"].tolist() == ["top", "bottom"]
    assert roster.people["Team"].tolist() == ["Ward 3", "Hub"]
    assert roster.people["Tenure"].tolist() == ["4", "1"]


def test_unknown_level_reported_not_silent(write, key):
    roster = read_roster(write("r.csv", "id,level\nx1,Wizard\nx2,top\n"), key=key)
    assert roster.people["level"].isna().tolist() == [True, False]
    rows = roster.report.rows_frame()
    assert rows.loc[rows["row"] == 2, "outcome"].item() == "changed"
    assert "Wizard" in rows.loc[rows["row"] == 2, "reason"].item()
    assert roster.report.balanced()


def test_email_is_the_identifier_when_there_is_no_id(write, key):
    roster = read_roster(write("r.csv", "Email,Name\nA@X.example,Ann\nb@x.example,Bo\n"), key=key)
    assert pseudonym(key, "a@x.example") in roster.people.index


def test_empty_rows_and_missing_ids_are_dropped_and_counted(write, key):
    roster = read_roster(write("r.csv", "id,name\nx1,Ann\n,\n,Nobody\nx2,Bo\n"), key=key)
    assert len(roster.people) == 2
    assert roster.report.counts() == {"kept": 2, "changed": 0, "dropped": 2, "doubted": 0}
    assert roster.report.balanced()


def test_roster_from_xlsx_with_number_ids(tmp_path, key):
    path = tmp_path / "roster.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(["ID", "Name", "Organisation"])
    sheet.append([101, "Ann", "Acute"])
    sheet.append([102, "Bo", "Council"])
    book.save(path)
    roster = read_roster(path, key=key)
    assert roster.identities["id"].tolist() == ["101", "102"]
    assert roster.report.rows[0].sheet == "People"


@pytest.mark.parametrize(
    ("text", "message", "row", "column"),
    [
        ("name,organisation\nAnn,Acute\n", "no column identifying people", 1, None),
        ("id,name\nx1,Ann\nx2,Bo\nX1,Ann again\n", "appears on rows 2, 4", 4, "id"),
        ("id,Org,Organisation\nx1,A,B\n", "both look like 'organisation'", 1, "Organisation"),
        ("id,name,name\nx1,A,B\n", "appears more than once", 1, "name"),
    ],
)
def test_bad_rosters_name_the_place_and_the_fix(write, key, text, message, row, column):
    with pytest.raises(InputFormatError, match=message) as caught:
        read_roster(write("roster.csv", text), key=key)
    error = caught.value
    assert error.place.file == "roster.csv" and error.place.row == row
    assert error.place.column == column
    assert error.expected


def test_roster_responded_column_understood(write, key):
    roster = read_roster(write("r.csv", "id,responded\nx1,yes\nx2,No\nx3,maybe\n"), key=key)
    assert roster.responded.tolist() == [True, False]
    assert "maybe" in roster.report.rows_frame()["reason"].str.cat()
    assert isinstance(roster.responded, pd.Series)


def test_waves_column_limits_membership(write, key):
    from onatool.io import read_ties

    roster = read_roster(write("r.csv", "id,waves\nx1,\nx2,baseline\nx3,follow-up; final\n"), key=key)
    assert "waves" not in roster.people.columns
    assert set(roster.members("baseline")) == {pseudonym(key, "x1"), pseudonym(key, "x2")}
    assert set(roster.members("final")) == {pseudonym(key, "x1"), pseudonym(key, "x3")}
    result = read_ties(write("t.csv", "source,target\nx1,x2\nx1,x3\nx3,x1\n"), roster, wave="baseline")
    assert result.network.n_people == 2 and result.network.n_ties == 1
    reasons = result.report.reasons()
    assert reasons["dropped: named person is not in this wave's network (roster 'waves' column)"] == 1
    assert reasons["dropped: respondent is not in this wave's network (roster 'waves' column)"] == 1
    assert result.report.balanced()
