"""Reading person x forum membership: long and wide sheets, every row accounted for."""

import pandas as pd
import pytest

from onatool.errors import InputFormatError
from onatool.io.membership import membership_from_sheet, read_membership
from onatool.io.roster import roster_from_sheet
from onatool.io.tables import Sheet

KEY = b"k" * 32


@pytest.fixture
def roster():
    data = pd.DataFrame({"id": ["A1", "A2", "A3"], "name": ["Ann Lee", "Bo Chan", "Cy Dee"],
                         "email": ["ann@x.nhs.uk", "bo@x.nhs.uk", "cy@y.gov.uk"],
                         "organisation": ["Trust", "Trust", "Council"]})
    return roster_from_sheet(Sheet(data, "roster.csv"), key=KEY)


def pid(roster, id_):
    ids = roster.identities
    return ids.index[ids["id"] == id_][0]


def seats(result):
    return sorted(map(tuple, result.seats.to_numpy().tolist()))


def test_long_sheet_with_multi_select_cells(roster, tmp_path):
    path = tmp_path / "forums.csv"
    path.write_text("email,Which of these groups do you attend?,forum\n"
                    "ann@x.nhs.uk,ignored,Place board;Frailty forum;\n"
                    "BO@x.nhs.uk,,Place board\n"
                    "zed@z.org,,Place board\n"
                    "cy@y.gov.uk,,\n", encoding="utf-8")
    result = read_membership(path, roster)
    assert seats(result) == sorted([(pid(roster, "A1"), "Place board"), (pid(roster, "A1"), "Frailty forum"),
                                    (pid(roster, "A2"), "Place board")])
    assert result.forums == ("Place board", "Frailty forum")
    outcomes = {r.row: (r.outcome, r.reason) for r in result.report.rows}
    assert outcomes[2][0] == outcomes[3][0] == "kept"
    assert outcomes[4] == ("dropped", "person not found: 'zed@z.org' is not exactly one person on the roster")
    assert outcomes[5] == ("dropped", "no forum in column 'forum'")
    assert [c["column"] for c in result.report.columns_dropped] == ["Which of these groups do you attend?"]
    assert result.report.balanced()


def test_wide_sheet_skips_roster_and_non_mark_columns(roster):
    data = pd.DataFrame({"ID": ["A1", "A2", "A3"], "Organisation": ["Trust", "Trust", "Council"],
                         "Place board": ["x", "", "Yes"], "Frailty forum": ["1", "0", ""],
                         "Notes": ["chair", "", ""]})
    result = membership_from_sheet(Sheet(data, "forums.xlsx", "Sheet1"), roster)
    assert result.forums == ("Place board", "Frailty forum")
    assert seats(result) == sorted([(pid(roster, "A1"), "Place board"), (pid(roster, "A1"), "Frailty forum"),
                                    (pid(roster, "A3"), "Place board")])
    dropped = {c["column"]: c["reason"] for c in result.report.columns_dropped}
    assert dropped["Organisation"].startswith("a roster column")
    assert dropped["Notes"] == "not a forum: 1 cell(s) are not membership marks, e.g. 'chair' in row 2"
    assert [r.reason for r in result.report.rows] == ["", "on no forum", ""]


def test_no_identity_column_is_one_clear_line(roster):
    with pytest.raises(InputFormatError) as error:
        membership_from_sheet(Sheet(pd.DataFrame({"who": ["Ann"], "forum": ["Board"]}), "forums.csv"), roster)
    assert "forums.csv" in str(error.value) and "'id', 'email' or 'name'" in str(error.value)


def test_wide_sheet_without_forum_columns_is_refused(roster):
    with pytest.raises(InputFormatError, match="no forum column"):
        membership_from_sheet(Sheet(pd.DataFrame({"id": ["A1"], "Notes": ["chair"]}), "forums.csv"), roster)
