"""Every reader against a corpus of real-shaped bad files: it imports, or refuses clearly.

"Clearly" means an OnaError whose message names the file (and the sheet, row or column
where the case has one) and what would be valid; never a traceback from pandas, csv or
openpyxl, never a half-read result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.hostile.checks import check_result
from tests.hostile.corpus import (
    CASES,
    GOOD_NAMES,
    KEY,
    READERS,
    assert_clear_refusal,
    good_roster,
    read_roster,
)
from tests.hostile.payloads import PAYLOADS


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_reader_imports_or_refuses_clearly(case, reader, tmp_path, tally):
    roster = read_roster(good_roster(tmp_path), key=KEY)
    folder = tmp_path / "case"
    folder.mkdir()
    path = case.write(folder)
    tally(f"corpus file x reader ({reader})")
    expected = case.outcome(reader)
    try:
        value = READERS[reader](path, roster)
    except Exception as error:  # the point is to see what escapes
        assert expected != "ok", f"{case.name} should import with {reader}, got {type(error).__name__}: {error}"
        assert_clear_refusal(error, path, case.place_for(reader))
    else:
        assert expected != "error", f"{case.name} should be refused by {reader}"
        check_result(value)


# What the accepted awkward files must come out as ------------------------------------


def _case(name):
    return next(c for c in CASES if c.name == name)


def test_emoji_and_right_to_left_names_survive_exactly(tmp_path):
    roster = read_roster(good_roster(tmp_path), key=KEY)
    assert roster.identities["name"].tolist() == [r[1] for r in GOOD_NAMES]


def test_hostile_names_are_kept_as_the_text_typed(tmp_path):
    roster = read_roster(_case("hostile_names").write(tmp_path), key=KEY)
    assert roster.identities["name"].tolist() == [p.strip() for p in PAYLOADS]
    assert roster.people["organisation"].tolist() == [p.strip() for p in PAYLOADS]


def test_merged_cells_leave_the_covered_cells_blank(tmp_path):
    roster = read_roster(_case("merged_cells").write(tmp_path), key=KEY)
    # C2:C4 merged: Excel keeps the value in C2 only; A6:B6 merged: R5's name (B6) is gone.
    organisations = roster.people["organisation"].tolist()
    assert organisations[0] == "Acute trust" and organisations[3:] == ["Primary care", "Voluntary sector", "Council"]
    assert organisations[1] is pd.NA and organisations[2] is pd.NA
    assert roster.identities["id"].tolist() == [r[0] for r in GOOD_NAMES]
    assert roster.identities["name"].tolist()[4] == ""


def test_ties_to_unknown_people_are_dropped_and_reported(tmp_path):
    roster = read_roster(good_roster(tmp_path), key=KEY)
    path = _case("ties_to_unknown_people").write(tmp_path)
    result = READERS["ties"](path, roster)
    assert result.network.n_ties == 1  # only R1 -> R2 is between people on the roster
    reasons = result.report.reasons()
    assert reasons["dropped: named person not on the roster"] == 1  # R1 -> Nobody
    assert reasons["dropped: respondent not on the roster"] == 1  # Ghost -> R2
    assert reasons["dropped: no respondent identity"] == 1  # a blank source


def test_weights_that_are_not_numbers_are_dropped_per_row(tmp_path):
    roster = read_roster(good_roster(tmp_path), key=KEY)
    result = READERS["ties"](_case("numbers_for_ties").write(tmp_path), roster)
    dropped = {r.row: r.reason for r in result.report.rows if r.outcome == "dropped"}
    # rows 4-6 hold 1e309, nan and -inf: not weights; row 7 holds -2, a negative code
    assert {4, 5, 6} <= set(dropped)
    assert np.isfinite(result.network.ties["weight"]).all()


def test_answers_off_the_scale_are_reported_not_guessed(tmp_path):
    roster = read_roster(good_roster(tmp_path), key=KEY)
    result = READERS["survey"](_case("scale_with_gaps").write(tmp_path), roster)
    reasons = " ".join(result.report.reasons())
    assert "not on the scale" in reasons and "not applicable" in reasons
    assert set(result.network.ties["raw_value"]) <= {"Weekly", "Never", "7", ""}
