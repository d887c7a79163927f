"""Every survey layout read end to end from synthetic exports, ugly cases included.

The same responses are written as each platform exports them (tests/survey_builders.py)
and must give the same ties. Expected ties are worked out by hand from SCENARIO below.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from onatool.errors import InputFormatError
from onatool.io import import_responses
from tests.support import survey_builders as sb
from tests.support.survey_builders import Response

KEY = b"s" * 32
DAY = dt.datetime(2025, 11, 3, 9, 0)

SCENARIO = [
    # Ann: a "Surname, First" name, a misspelling (one letter dropped: accepted as a close
    # spelling), herself (self-tie), Bo twice (repeated tie); "Not applicable" for Zoë.
    Response("ann.lee@acute.example", ["Bo Chan", "Smith, Jo", "Margret Okonkwo", "Ann Lee", "Bo Chan"],
             {"Bo Chan": "Weekly", "Jo Smith": "Never", "Zoë O'Neill": "Not applicable"}, DAY),
    # Bo answers twice: the earlier submission is dropped, the later one kept.
    Response("bo.chan@council.example", ["Ann Lee", "Zoë O'Neill"], {"Ann Lee": "Monthly"}, DAY),
    Response("bo.chan@council.example", ["Ann Lee", "Jo", "J Smith"], {"Ann Lee": "Daily"},
             DAY + dt.timedelta(days=2)),
    # Someone not on the roster.
    Response("stranger@elsewhere.example", ["Ann Lee"], {}, DAY),
    # Jo Smith submits naming nobody: a respondent without ties.
    Response("jo.smith@acute.example", [], {}, DAY),
    # Zoë: an unknown name and a known one.
    Response("zoe.oneill@vcse.example", ["Mystery Person", "Margaret Okonkwo"], {}, DAY),
]

# (source id, target id, relation, weight) from SCENARIO, by hand.
ADVICE = {("A1", "B2", "advice", 1.0), ("A1", "C3", "advice", 1.0), ("A1", "E5", "advice", 1.0),
          ("B2", "A1", "advice", 1.0), ("F6", "E5", "advice", 1.0)}
COLLAB = {("A1", "B2", "collaboration", 4.0), ("A1", "C3", "collaboration", 0.0),
          ("B2", "A1", "collaboration", 5.0)}
RESPONDED = {"A1", "B2", "C3", "F6"}


def ties_by_id(result) -> set[tuple]:
    ids = result.roster.identities["id"]
    t = result.network.ties
    return {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)}


def responded(result) -> set[str]:
    ids = result.roster.identities["id"]
    return {ids[p] for p in result.network.respondents}


def reasons(result) -> dict[str, int]:
    return result.report.reasons()


@pytest.fixture
def roster(tmp_path):
    return sb.write_roster(tmp_path / "roster.csv")


EARLIER = "dropped: duplicate submission, an earlier response; the latest complete one kept"


def _common_checks(result, repeats: int = 1, duplicate: str = EARLIER, stranger_rows: int = 1):
    report = result.report
    assert report.balanced()
    assert responded(result) == RESPONDED
    names = {n["raw"]: n for n in report.names}
    assert names["Jo"]["method"] == "review" and len(names["Jo"]["candidates"]) == 2  # Jo Smith, Jo Smyth
    assert names["J Smith"]["method"] == "review" and len(names["J Smith"]["candidates"]) == 1
    assert names["Mystery Person"]["method"] == "unknown"
    assert names["Margret Okonkwo"]["method"] == "fuzzy"
    r = reasons(result)
    assert r[duplicate] == 1
    assert r["dropped: respondent not on the roster"] == stranger_rows
    assert r["dropped: self-tie"] == 1
    assert r.get("dropped: repeated tie (highest weight kept)", 0) == repeats
    assert r["doubted: named person resembles someone on the roster: awaiting review"] == 2
    assert r["dropped: named person not on the roster"] == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_microsoft_forms(tmp_path, roster, suffix):
    path = sb.forms(tmp_path / f"forms{suffix}", SCENARIO)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "microsoft_forms" and result.recipe.identity == "Email"
    assert ties_by_id(result) == ADVICE | COLLAB
    _common_checks(result)
    assert reasons(result)["dropped: answer not applicable"] == 1
    dropped = {c["column"]: c["reason"] for c in result.report.columns_dropped}
    assert dropped["Name"].startswith("identifying")
    assert dropped[sb.ROLE_Q] == "not a relation question"
    assert "Email" not in dropped and "Completion time" not in dropped


def test_google_forms_with_comma_names(tmp_path, roster):
    path = sb.google(tmp_path / "google.csv", SCENARIO)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "google_forms"
    assert result.recipe.identity == "Email address"
    # "Bo Chan, Smith, Jo, Margret Okonkwo, ...": "Smith, Jo" is kept whole because the
    # roster has Jo Smith, while "Smith" and "Jo" alone only resemble people.
    assert ties_by_id(result) == ADVICE | COLLAB
    _common_checks(result)


def test_qualtrics_three_header_rows_and_negative_recodes(tmp_path, roster):
    responses = [*SCENARIO,
                 # an incomplete later response from Zoë: the latest *complete* one is kept
                 Response("zoe.oneill@vcse.example", ["Bo Chan"], {}, DAY + dt.timedelta(days=5), complete=False)]
    path = sb.qualtrics(tmp_path / "qualtrics.csv", responses)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "qualtrics"
    assert result.recipe.identity == "RecipientEmail"
    assert result.recipe.complete == "Finished"
    assert ties_by_id(result) == ADVICE | COLLAB  # -99 ("not applicable") is never a tie
    _common_checks(result)
    r = reasons(result)
    assert r["dropped: duplicate submission, an incomplete response; the latest complete one kept"] == 1
    assert r["dropped: answer not applicable"] == 1
    dropped = {c["column"]: c["reason"] for c in result.report.columns_dropped}
    for column in ("IPAddress", "LocationLatitude", "LocationLongitude", "RecipientLastName", "RecipientFirstName"):
        assert dropped[column].startswith("identifying"), column
    assert dropped["Q3"] == "not a relation question"


def test_qualtrics_questions_split_over_columns(tmp_path, roster):
    from onatool.io.layouts import qualtrics
    from onatool.io.tables import read_sheets

    path = sb.qualtrics(tmp_path / "q.csv", SCENARIO[:1])
    table = qualtrics.parse(read_sheets(path, header_rows=0)[0])
    grid = table.questions()[sb.COLLAB_Q]
    assert [c.label for c in grid] == sb.NAMES and [c.code for c in grid][:2] == ["Q2_1", "Q2_2"]
    assert [c.label for c in table.questions()[sb.ADVICE_Q]] == ["Selected Choice", "Other (please name) - Text"]
    assert table.rows[0] == 4  # three header rows: the first answer is on spreadsheet row 4


def test_surveymonkey_two_header_rows(tmp_path, roster):
    path = sb.surveymonkey(tmp_path / "monkey.xlsx", SCENARIO)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "surveymonkey" and result.recipe.identity == "Email Address"
    # Checkbox columns carry the roster spelling; misspellings arrive through "Other".
    # A checkbox is ticked once, so Ann's repeated mention of Bo cannot occur.
    assert ties_by_id(result) == ADVICE | COLLAB
    _common_checks(result, repeats=0)
    dropped = {c["column"]: c["reason"] for c in result.report.columns_dropped}
    assert dropped["IP Address"].startswith("identifying") and dropped["First Name"].startswith("identifying")


def test_surveymonkey_forward_fills_the_question(tmp_path):
    from onatool.io.layouts import surveymonkey
    from onatool.io.tables import read_sheets

    table = surveymonkey.parse(read_sheets(sb.surveymonkey(tmp_path / "m.csv", SCENARIO[:1]), header_rows=0)[0])
    grid = table.questions()[sb.COLLAB_Q]
    assert [c.label for c in grid] == sb.NAMES
    assert grid[1].header == f"{sb.COLLAB_Q} - Bo Chan"
    assert table.questions()[sb.ROLE_Q][0].label == ""  # "Open-Ended Response" is not a label


def test_wide_grid_one_sheet_per_relation(tmp_path, roster):
    path = sb.wide_grid(tmp_path / "grid.xlsx", SCENARIO)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "wide_grid"
    assert {q.relation for q in result.recipe.questions} == {"advice", "collaboration"}
    # A grid only holds roster names, so the free-text cases cannot occur: Ann ticks Bo
    # and Ann (self-tie); Bo's later sheet row ticks Ann; Zoë ticks Margaret.
    expected = {("A1", "B2", "advice", 1.0), ("B2", "A1", "advice", 1.0), ("F6", "E5", "advice", 1.0)}
    assert ties_by_id(result) == expected | COLLAB
    assert result.report.balanced()
    assert responded(result) == RESPONDED


def test_multi_select_sheet(tmp_path, roster):
    path = sb.multi_select(tmp_path / "multi.csv", SCENARIO)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "multi_select"
    assert result.recipe.duplicates == "latest_complete"
    # Without a time column the later row of Bo's is the later submission.
    assert ties_by_id(result) == ADVICE
    _common_checks(result)


def test_network_canvas_csv(tmp_path, roster):
    folder = sb.netcanvas(tmp_path / "nc", SCENARIO)
    result = import_responses(roster, folder, key=KEY)
    assert result.recipe.layout == "network_canvas"
    assert result.recipe.identity == "networkCanvasCaseID"
    assert [(q.question, q.relation) for q in result.recipe.questions] == [("advice", "advice"), ("met", "met")]
    assert ties_by_id(result) == ADVICE
    # The stranger's interview row and the row of the person they named are both dropped.
    _common_checks(result, duplicate="dropped: duplicate interview, an earlier one; the latest one kept",
                   stranger_rows=2)
    r = reasons(result)
    assert r["dropped: tie between two named people as the respondent sees it; not imported"] == 4
    assert r["dropped: named in a repeated interview; the latest one kept"] == 2


def test_network_canvas_graphml(tmp_path, roster):
    path = sb.graphml(tmp_path / "nc.graphml", SCENARIO)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "network_canvas"
    assert ties_by_id(result) == ADVICE
    assert result.report.balanced()


def test_empty_rows_are_dropped_and_counted(tmp_path, roster):
    path = sb.forms(tmp_path / "forms.csv", SCENARIO[:1])
    with path.open("a") as handle:
        handle.write("," * 12 + "\n")
        handle.write(",,,,,,,,,,,,\n")
        handle.write("99,x,x,,,,,,,,,,\n")  # a row with no identity but something in it
    result = import_responses(roster, path, key=KEY)
    r = reasons(result)
    assert r["dropped: empty row"] == 2
    assert r["dropped: no respondent identity"] == 1
    assert result.report.balanced()


def test_identity_from_a_who_are_you_question(tmp_path, roster):
    rows = [["Timestamp", "Please select your name", sb.ADVICE_Q],
            ["2025-11-03 09:00", "Ann Lee", "Bo Chan, Jo Smith"],
            ["2025-11-03 09:05", "Lee, Ann", "Margaret Okonkwo"]]  # Ann again, written the other way round
    path = tmp_path / "g.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.identity == "Please select your name"
    assert ties_by_id(result) == {("A1", "E5", "advice", 1.0)}
    assert reasons(result)["dropped: duplicate submission, an earlier response; the latest complete one kept"] == 1


def test_respondent_id_column(tmp_path, roster):
    rows = [["Timestamp", "Staff ID", sb.ADVICE_Q], ["2025-11-03 09:00", "A1", "Bo Chan, Jo Smith"]]
    path = tmp_path / "g.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.identity == "Staff ID"
    assert ties_by_id(result) == {("A1", "B2", "advice", 1.0), ("A1", "C3", "advice", 1.0)}


def test_several_relation_questions_in_one_file(tmp_path, roster):
    rows = [["ID", "Start time", "Completion time", "Email", "Name", sb.ADVICE_Q,
             "Whom do you trust to act in the partnership's interest?",
             "Who would you go to with a concern or a new idea?"],
            ["1", "x", "x", "ann.lee@acute.example", "Ann", "Bo Chan;", "Bo Chan;Jo Smith;", "Jo Smyth;"]]
    path = tmp_path / "f.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY)
    assert ties_by_id(result) == {("A1", "B2", "advice", 1.0), ("A1", "B2", "trust", 1.0),
                                  ("A1", "C3", "trust", 1.0), ("A1", "D4", "concern", 1.0)}


def test_frequency_words_become_weights_and_nothing_is_binarised(tmp_path, roster):
    path = sb.forms(tmp_path / "forms.csv", SCENARIO[:1])
    result = import_responses(roster, path, key=KEY)
    collab = result.network.ties.query("relation == 'collaboration'")
    assert sorted(zip(collab.raw_value, collab.weight, strict=True)) == [("Never", 0.0), ("Weekly", 4.0)]
    # "Never" is kept as a weight-0 row; the layer at analysis time leaves it out.
    assert result.network.layer("collaboration").n_ties == 1


def test_out_of_scale_answers_are_reported(tmp_path, roster):
    scenario = [Response("ann.lee@acute.example", [], {"Bo Chan": "Sometimes-ish", "Jo Smith": "Weekly"}, DAY)]
    result = import_responses(roster, sb.forms(tmp_path / "f.csv", scenario), key=KEY)
    assert reasons(result)["dropped: answer not on the scale"] == 1
    assert ties_by_id(result) == {("A1", "C3", "collaboration", 4.0)}


def test_unknown_layout_names_the_file_and_the_fix(tmp_path, roster):
    path = tmp_path / "mystery.csv"
    path.write_text("colour,shape\nred,square\n")
    with pytest.raises(InputFormatError, match=r"mystery\.csv.*layout could not be told.*chosen by hand"):
        import_responses(roster, path, key=KEY)


def test_duplicate_headers_name_the_column(tmp_path, roster):
    path = tmp_path / "forms.csv"
    path.write_text("ID,Start time,Completion time,Email,Q,Q\n1,a,b,ann.lee@acute.example,x,y\n")
    with pytest.raises(InputFormatError, match=r"forms\.csv.*'Q' appears more than once"):
        import_responses(roster, path, key=KEY)


def test_no_relation_question_is_an_error_with_the_fix(tmp_path, roster):
    path = tmp_path / "forms.csv"
    path.write_text("ID,Start time,Completion time,Email,Name,What is your role?\n1,a,b,ann.lee@acute.example,A,GP\n")
    with pytest.raises(InputFormatError, match=r"forms\.csv.*no relation question.*recipe"):
        import_responses(roster, path, key=KEY)


def test_grid_headers_give_google_forms_away_without_a_timestamp(tmp_path, roster):
    rows = [["Email address", f"{sb.COLLAB_Q} [Ann Lee]", f"{sb.COLLAB_Q} [Bo Chan]"],
            ["jo.smith@acute.example", "Weekly", "Never"]]
    path = tmp_path / "g.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.layout == "google_forms" and result.recipe.submitted is None
    assert ties_by_id(result) == {("C3", "A1", "collaboration", 4.0), ("C3", "B2", "collaboration", 0.0)}


def test_agreement_words_map_to_signed_weights(tmp_path, roster):
    question = "I can rely on this person to act in the partnership's interest (trust)"
    rows = [["Email address", f"{question} [Ann Lee]", f"{question} [Bo Chan]", f"{question} [Jo Smith]"],
            ["zoe.oneill@vcse.example", "Strongly agree", "Disagree", "Neither agree nor disagree"]]
    path = tmp_path / "g.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.questions[0].scale == "agreement"
    assert ties_by_id(result) == {("F6", "A1", "trust", 2.0), ("F6", "B2", "trust", -1.0),
                                  ("F6", "C3", "trust", 0.0)}
    # Only agreement counts as a tie by default; disagreement stays in the data.
    assert result.network.layer("trust").n_ties == 1


def test_a_square_sheet_and_an_edge_list_are_detected_too(tmp_path, roster):
    matrix = tmp_path / "advice.csv"
    matrix.write_text(",A1,B2,C3\nA1,,1,\nB2,1,,Weekly\nC3,,,\n")
    result = import_responses(roster, matrix, key=KEY)
    assert result.recipe.layout == "matrix"
    assert ties_by_id(result) == {("A1", "B2", "advice", 1.0), ("B2", "A1", "advice", 1.0),
                                  ("B2", "C3", "advice", 4.0)}
    edges = tmp_path / "edges.csv"
    edges.write_text("From,To,Type\nA1,B2,trust\n")
    result = import_responses(roster, edges, key=KEY)
    assert result.recipe.layout == "edge_list" and ties_by_id(result) == {("A1", "B2", "trust", 1.0)}


@pytest.mark.parametrize(("cell", "separator", "expected"), [
    ("Ann Lee;Bo Chan;", ";", ["Ann Lee", "Bo Chan"]),
    ("Ann Lee;Smith, Jo;", ";", ["Ann Lee", "Smith, Jo"]),  # a comma inside a ;-list
    ("Smith, Jo, Ann Lee", ",", ["Smith, Jo", "Ann Lee"]),  # Google Forms: rejoined by the roster
    ("Lee, Ann, Chan, Bo", ",", ["Lee, Ann", "Chan, Bo"]),
    ("Ann Lee, Jo, J Smith", ",", ["Ann Lee", "Jo", "J Smith"]),  # a match is never merged away
    ("Ann Lee, Bo Chan", ",", ["Ann Lee", "Bo Chan"]),
    ("Smith, J", ",", ["Smith, J"]),  # one name to review, not a surname and a lone initial
    ("O'Neill, Zoë;Sian", ";", ["O'Neill, Zoë", "Sian"]),  # "Zoë" alone is decided below, still kept whole
    ("Ann Lee\nBo Chan", None, ["Ann Lee", "Bo Chan"]),  # free text, one per line
])
def test_split_names(tmp_path, cell, separator, expected):
    from onatool.io import read_roster
    from onatool.io.layouts import split_names
    from onatool.io.matching import Alias

    people = read_roster(sb.write_roster(tmp_path / "r.csv"), key=KEY)
    index = people.index({"zoe": Alias("zoe", "chosen", "F6")})  # a decided first name
    assert split_names(cell, separator, index.resolve) == expected


def test_qualtrics_previews_are_dropped_and_recipe_roles_respected(tmp_path, roster):
    from onatool.io.recipe import Recipe

    path = sb.qualtrics(tmp_path / "q.csv", SCENARIO[:2])
    frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    frame.iloc[4, 2] = "Survey Preview"  # Bo's response was the survey owner's preview
    frame.to_csv(path, header=False, index=False)
    first = import_responses(roster, path, key=KEY)
    assert reasons(first)["dropped: test or preview response (Survey Preview)"] == 1
    assert first.recipe.status == "Status"
    data = first.recipe.to_dict()
    data["columns"] = {"ResponseId": "identifying"}
    again = import_responses(roster, path, key=KEY, recipe=Recipe.from_dict(data))
    dropped = {c["column"]: c["reason"] for c in again.report.columns_dropped}
    assert dropped["ResponseId"] == "identifying (marked in the recipe)"


def test_an_anonymous_form_is_identified_by_its_who_are_you_question(tmp_path, roster):
    rows = [["ID", "Start time", "Completion time", "Email", "Name", "What is your full name?", sb.ADVICE_Q],
            ["1", "x", "2025-11-03 09:00", "anonymous", "", "Bo Chan", "Ann Lee;"],
            ["2", "x", "2025-11-03 10:00", "anonymous", "", "Zoe O'Neill", "Bo Chan;"]]
    path = tmp_path / "f.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    result = import_responses(roster, path, key=KEY)
    assert result.recipe.identity == "What is your full name?"
    assert ties_by_id(result) == {("B2", "A1", "advice", 1.0), ("F6", "B2", "advice", 1.0)}


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: (d / "nc").mkdir() or d / "nc", r"nc.*no ego file found.*_ego\.csv"),
    (lambda d: _write_text(d / "f.csv", "ID,Start time,Completion time,Email,,Q\n1,a,b,c,oops,x\n"),
     r"f\.csv.*column 5 has answers but no header"),
    (lambda d: _write_text(d / "f.csv", ""), r"f\.csv.*empty"),
    (lambda d: _write_text(d / "f.xlsx", "not a workbook"), r"f\.xlsx.*not an Excel workbook"),
])
def test_bad_exports_name_the_file_and_the_fix(tmp_path, roster, make, message):
    from onatool.errors import OnaError

    with pytest.raises(OnaError, match=message):
        import_responses(roster, make(tmp_path), key=KEY)


def test_network_canvas_recipe_naming_a_missing_column(tmp_path, roster):
    from onatool.io.recipe import Recipe

    folder = sb.netcanvas(tmp_path / "nc", SCENARIO)
    recipe = Recipe("network_canvas", identity="email")
    with pytest.raises(InputFormatError, match=r"ics_ego\.csv.*no 'email'.*networkCanvasCaseID"):
        import_responses(roster, folder, key=KEY, recipe=recipe)


def _write_text(path, text):
    path.write_text(text)
    return path
