"""Edge lists and adjacency matrices against a roster: every row accounted for."""

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onatool import InputFormatError, UnsafeFileError
from onatool.io import import_wave, read_matrix, read_roster, read_ties
from onatool.pseudonyms import pseudonym


def pid(key, roster_id):
    return pseudonym(key, roster_id)


@pytest.fixture
def roster(roster_csv, key):
    return read_roster(roster_csv, key=key)


def test_from_to_spelling_ids_emails_and_names(write, roster, key):
    path = write("ties.csv", "From,To,Type\nA1,A2,advice\nbo.chan@council.example,Lee, Ann,advice\n".replace(
        "Lee, Ann", '"Lee, Ann"'))
    result = read_ties(path, roster)
    got = set(map(tuple, result.network.ties[["source", "target"]].to_numpy()))
    assert got == {(pid(key, "A1"), pid(key, "A2")), (pid(key, "A2"), pid(key, "A1"))}
    methods = {n["raw"]: n["method"] for n in result.report.names}
    assert methods == {"A1": "id", "A2": "id", "bo.chan@council.example": "email", "Lee, Ann": "name"}


def test_row_outcomes_self_unknown_duplicate_and_scale(write, roster, key):
    path = write(
        "ties.csv",
        "source,target,relation,weight\n"
        "A1,A2,collaboration,Weekly\n"    # 2 kept: word through the scale
        "A1,A2,collaboration,Daily\n"     # 3 kept: the higher weight wins the repeat
        "A1,A1,collaboration,Daily\n"     # 4 self-tie
        "A1,Zed Unknown,advice,1\n"       # 5 unknown name
        "A3,A4,collaboration,Often\n"     # 6 not on the scale
        "A3,A4,collaboration,Never\n"     # 7 kept as an answer with weight 0
        ",,,\n"                           # 8 empty
        "Nobody,A1,advice,1\n",           # 9 respondent not on the roster
    )
    result = read_ties(path, roster)
    rows = result.report.rows_frame().query("file == 'ties.csv'").set_index("row")
    assert rows.loc[2, "outcome"] == "dropped" and "repeated" in rows.loc[2, "reason"]
    assert rows.loc[3, "outcome"] == "kept"
    assert rows.loc[4, "reason"] == "self-tie"
    assert rows.loc[5, "reason"] == "named person not on the roster"
    assert rows.loc[6, "reason"] == "answer not on the scale"
    assert rows.loc[7, "outcome"] == "kept"
    assert rows.loc[8, "reason"] == "empty row"
    assert rows.loc[9, "reason"] == "respondent not on the roster"
    ties = result.network.ties.set_index(["source", "target"])
    assert ties.loc[(pid(key, "A1"), pid(key, "A2")), "weight"] == 5.0
    assert ties.loc[(pid(key, "A3"), pid(key, "A4")), "weight"] == 0.0
    assert result.network.layer("collaboration").n_ties == 1  # "Never" is not a tie
    assert result.report.balanced()
    assert sum(result.report.counts("ties.csv").values()) == 8


def test_respondents_include_people_who_named_nobody(write, roster, key):
    path = write("ties.csv", "source,target\nA1,A2\nA3,\n")
    net = read_ties(path, roster).network
    assert set(net.respondents) == {pid(key, "A1"), pid(key, "A3")}
    assert net.response_rate == pytest.approx(0.5)
    assert net.n_ties == 1


def test_wave_column_filters_and_is_reported(write, roster):
    path = write("ties.csv", "source,target,wave\nA1,A2,baseline\nA1,A3,follow-up\nA2,A1,baseline\n")
    with pytest.raises(InputFormatError, match="several waves"):
        read_ties(path, roster)
    result = read_ties(path, roster, wave="baseline")
    assert result.network.wave == "baseline" and result.network.n_ties == 2
    assert "belongs to wave 'follow-up'" in result.report.rows_frame()["reason"].str.cat()
    assert result.report.balanced()


def test_ambiguous_names_are_doubted_never_guessed(write, key):
    roster = read_roster(write("r.csv", "id,name\nx1,Jo Smith\nx2,Jo Smith\nx3,Ann\n"), key=key)
    result = read_ties(write("t.csv", "source,target\nx3,Jo Smith\n"), roster)
    assert result.network.n_ties == 0
    assert result.report.counts()["doubted"] == 1
    (name,) = [n for n in result.report.names if n["raw"] == "Jo Smith"]
    assert name["method"] == "ambiguous" and len(name["candidates"]) == 2


def test_missing_target_column(write, roster):
    with pytest.raises(InputFormatError, match="no column for the tie's target") as caught:
        read_ties(write("ties.csv", "source,friend\nA1,A2\n"), roster)
    assert caught.value.place.file == "ties.csv" and "'To'" in caught.value.expected


def test_xlsx_edge_list(tmp_path, roster, key):
    path = tmp_path / "ties.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Source", "Target", "Relation", "Weight"])
    book.active.append(["A1", "A2", "trust", 1])
    book.save(path)
    assert read_ties(path, roster).network.ties["relation"].tolist() == ["trust"]


def test_matrix_csv_blank_row_is_a_non_respondent(write, roster, key):
    path = write("advice.csv", ",A1,A2,A3,A4\nA1,,1,0,\nA2,1,,,1\nA3,,,,\nA4,0,0,0,0\n")
    result = read_matrix(path, roster)
    net = result.network
    assert set(map(tuple, net.ties[["source", "target"]].to_numpy())) == {
        (pid(key, "A1"), pid(key, "A2")), (pid(key, "A2"), pid(key, "A1")), (pid(key, "A2"), pid(key, "A4"))}
    assert pid(key, "A3") not in net.respondents  # blank row: unknown, not zero
    assert pid(key, "A4") in net.respondents  # all zeros: answered "nobody"
    assert net.relation_names == ("advice",)
    assert result.report.balanced()


def test_matrix_xlsx_one_sheet_per_relation(tmp_path, roster):
    path = tmp_path / "matrices.xlsx"
    book = openpyxl.Workbook()
    for index, name in enumerate(["advice", "trust"]):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        sheet.append([None, "A1", "A2"])
        sheet.append(["A1", None, 1])
        sheet.append(["A2", 1 if name == "trust" else None, None])
    book.save(path)
    net = read_matrix(path, roster).network
    assert net.relation_names == ("advice", "trust")
    assert net.layer("trust").n_ties == 2


def test_matrix_must_be_square(write, roster):
    with pytest.raises(InputFormatError, match="not square.*only in rows: \\['A3'\\]"):
        read_matrix(write("m.csv", ",A1,A2\nA1,,1\nA2,1,\nA3,1,1\n"), roster)


def test_import_wave_needs_exactly_one_ties_source(roster_csv, key):
    with pytest.raises(InputFormatError, match="either a ties file or a matrix"):
        import_wave(roster_csv, key=key)


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("ties.xlsm", b"PK\x03\x04", UnsafeFileError, "macro-enabled"),
        ("ties.xls", b"\xd0\xcf\x11\xe0", UnsafeFileError, "save as .xlsx"),
        ("ties.xlsx", b"not a zip", UnsafeFileError, "not an Excel workbook"),
        ("ties.csv", b"", InputFormatError, "empty"),
        ("ties.csv", b"source,target\x00\x01", UnsafeFileError, "binary"),
        ("ties.json", b"{}", InputFormatError, "a .csv or .xlsx file"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, roster, name, content, error, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error, match=message):
        read_ties(path, roster)


def test_cp1252_csv_is_read(write, key):
    path = write("r.csv", "id,name\nx1,Zoë Brontë\n", encoding="cp1252")
    assert read_roster(path, key=key).identities["name"].tolist() == ["Zoë Brontë"]


# The accounting property: whatever rows a file holds, each gets exactly one outcome.
cell = st.sampled_from(["A1", "A2", "A3", "A4", "Ann Lee", "Zed", "", "a2", "Nobody", "Lee, Ann"])
answer = st.sampled_from(["", "1", "0", "Weekly", "Never", "Often", "2.5", "-1", "x"])
relation = st.sampled_from(["advice", "trust", ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell, relation, answer), min_size=0, max_size=25))
def test_every_row_is_accounted_for(tmp_path_factory, roster_csv, key, rows):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "ties.csv"
    lines = ["source,target,relation,weight"] + [",".join(f'"{v}"' for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    result = read_ties(path, read_roster(roster_csv, key=key))
    counts = result.report.counts("ties.csv")
    nonblank = [r for r in rows if any(r)]
    assert sum(counts.values()) == len(rows) - _trailing_blank(rows)
    assert result.report.balanced()
    assert result.network.n_ties <= len(nonblank)


def _trailing_blank(rows):
    n = 0
    for row in reversed(rows):
        if any(row):
            break
        n += 1
    return n
