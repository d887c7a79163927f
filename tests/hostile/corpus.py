"""A corpus of real-shaped bad files, written on demand, and the readers they are fed to.

Each :class:`Case` writes one file (or folder) the way users and survey platforms
really get them wrong: truncated workbooks, the wrong encoding, merged cells, empty
sheets, 10,000 columns, repeated headers, names in emoji and right-to-left scripts,
numbers where names belong, repeated roster ids, ties to people not on the roster,
answer scales with gaps. :data:`READERS` are every way onatool reads such a file.

A case says what must happen: ``ok`` (it imports), ``error`` (an OnaError), or
``either`` (a reader may accept it; if it refuses, the refusal must be clear).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference

from onatool.errors import InputFormatError, OnaError
from onatool.io import detect, import_responses, read_matrix, read_roster, read_ties
from onatool.io.roster import Roster

KEY = b"h" * 32

#: Names that are valid and must import intact: emoji, right-to-left, combining marks.
GOOD_NAMES = [
    ("R1", "Ann Lee", "Acute trust", "top"),
    ("R2", "Zoë O’Neill 🌈", "Council", "middle"),
    ("R3", "محمد علي", "Primary care", "bottom"),
    ("R4", "דנה כהן\u200f", "Primary care", "middle"),
    ("R5", "Jo\u0301se Nuñez", "Voluntary sector", "bottom"),
    ("R6", "Ōkonkwo 👩🏽‍⚕️", "Council", "bottom"),
]
ROSTER_HEADER = ["id", "name", "organisation", "level"]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merge: dict[str, list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in (merge or {}).get(title, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def good_roster_rows() -> list[list[object]]:
    return [ROSTER_HEADER, *[list(r) for r in GOOD_NAMES]]


def good_ties_rows() -> list[list[object]]:
    return [["source", "target", "relation", "weight"],
            ["R1", "R2", "advice", 1], ["R2", "R3", "advice", 2], ["R3", "R1", "advice", 1],
            ["R4", "R5", "advice", 1], ["R6", "R1", "advice", 3]]


def good_roster(folder: Path) -> Path:
    return write_csv(folder / "roster.csv", good_roster_rows())


# The cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad (or awkward) file and what must come of reading it.

    Attributes
    ----------
    name
        Short id, used as the test id.
    write
        Writes the file into a folder; returns its path.
    expect
        ``ok``, ``error`` or ``either`` (see the module notes), per reader kind;
        readers not listed use ``default``.
    default
        The expectation for readers not in ``expect``.
    place
        Reader -> text its error must contain (a sheet, row or column); ``*`` for all.
    """

    name: str
    write: Callable[[Path], Path]
    expect: dict[str, str]
    default: str = "either"
    place: dict[str, str] = field(default_factory=dict)

    def outcome(self, reader: str) -> str:
        return self.expect.get(reader, self.default)

    def place_for(self, reader: str) -> str | None:
        return self.place.get(reader, self.place.get("*"))


def _truncated_xlsx(folder: Path) -> Path:
    whole = write_xlsx(folder / "whole.xlsx", {"Sheet1": good_roster_rows()})
    data = whole.read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _truncated_entry_xlsx(folder: Path) -> Path:
    """A workbook whose zip directory is intact but one part's XML stops half-way."""
    whole = write_xlsx(folder / "whole.xlsx", {"Sheet1": good_roster_rows()})
    with zipfile.ZipFile(whole) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]
    path = folder / "cut_sheet.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _not_a_workbook_zip(folder: Path) -> Path:
    path = folder / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.txt", "not a workbook")
    return path


def _utf16(folder: Path) -> Path:
    return write_csv(folder / "utf16.csv", good_roster_rows(), encoding="utf-16")


def _undecodable(folder: Path) -> Path:
    path = folder / "mojibake.csv"
    path.write_bytes(b"id,name\nR1,Ann\nR2," + b"\x81\x8d\x8f\x90\x9d\n")
    return path


def _latin1(folder: Path) -> Path:
    return write_csv(folder / "latin1.csv", [ROSTER_HEADER, ["R1", "Zoë Brontë", "Café Trust", "top"],
                                              ["R2", "Ana Núñez", "Council", "middle"]], encoding="cp1252")


def _merged(folder: Path) -> Path:
    rows = good_roster_rows()
    return write_xlsx(folder / "merged.xlsx", {"People": rows}, merge={"People": ["C2:C4", "A6:B6"]})


def _merged_header(folder: Path) -> Path:
    rows = [["Person", "", "organisation", "level"], *[list(r) for r in GOOD_NAMES]]
    return write_xlsx(folder / "merged_header.xlsx", {"People": rows}, merge={"People": ["A1:B1"]})


def _empty_sheets(folder: Path) -> Path:
    return write_xlsx(folder / "empty.xlsx", {"Sheet1": [], "Sheet2": [[None, None]]})


def _empty_csv(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n  \r\n")
    return path


def _header_only(folder: Path) -> Path:
    return write_csv(folder / "header_only.csv", [["source", "target"]])


def _wide(folder: Path) -> Path:
    header = ["id", "name"] + [f"extra {n}" for n in range(9_998)]
    rows = [header] + [[r[0], r[1]] + [""] * 9_998 for r in GOOD_NAMES]
    return write_csv(folder / "wide.csv", rows)


def _wide_xlsx(folder: Path) -> Path:
    header = ["source", "target"] + [f"c{n}" for n in range(10_000)]
    return write_xlsx(folder / "wide.xlsx", {"Ties": [header, ["R1", "R2"] + [1] * 10]})


def _duplicate_headers(folder: Path) -> Path:
    return write_csv(folder / "dup_headers.csv", [["id", "name", "name"], ["R1", "Ann", "Lee"]])


def _duplicate_headers_xlsx(folder: Path) -> Path:
    return write_xlsx(folder / "dup_headers.xlsx", {"Roster": [["id", "organisation", "organisation"],
                                                               ["R1", "Acute", "Council"]]})


def _headless_column(folder: Path) -> Path:
    return write_csv(folder / "no_header.csv", [["id", "", "name"], ["R1", "stray", "Ann"]])


def _numbers_for_names(folder: Path) -> Path:
    rows = [["id", "name", "organisation"], [1, 3.5, 42], [2, -7, 1e300], [3.0, 0, float("nan")]]
    return write_xlsx(folder / "numbers.xlsx", {"Sheet1": rows})


def _numbers_for_ties(folder: Path) -> Path:
    return write_csv(folder / "number_ties.csv", [["source", "target", "weight"], [1, 2, 3], [2, 3.0, "x"],
                                                  ["R1", "R2", "1e309"], ["R2", "R3", "nan"],
                                                  ["R3", "R4", "-inf"], ["R4", "R5", "-2"]])


def _duplicate_ids(folder: Path) -> Path:
    rows = good_roster_rows() + [["r1", "Ann Again", "Council", "top"]]
    return write_csv(folder / "dup_ids.csv", rows)


def _unknown_people(folder: Path) -> Path:
    return write_csv(folder / "unknown_ties.csv", [["source", "target"], ["R1", "Nobody"], ["Ghost", "R2"],
                                                   ["R1", "R2"], ["R1", ""], ["", "R2"]])


def _scale_gaps(folder: Path) -> Path:
    """A Forms-like grid whose answers skip and stray off the scale."""
    header = ["ID", "Start time", "Completion time", "Email", "Name",
              *[f"How often do you work with each of these people?.{r[1]}" for r in GOOD_NAMES]]
    answers = ["Weekly", "", "Sometimes-ish", "7", "-99", "Never"]
    rows = [header] + [[n, "1/2/25 09:00:00", "1/2/25 09:05:00", f"{r[0].lower()}@x.example", r[1],
                        *answers[n % 3:] + answers[: n % 3]] for n, r in enumerate(GOOD_NAMES, start=1)]
    return write_csv(folder / "scale_gaps.csv", rows)


def _hostile_names(folder: Path) -> Path:
    """Names that look like code, formulas and markup: valid text, kept as text."""
    from tests.hostile.payloads import PAYLOADS

    rows = [ROSTER_HEADER] + [[f"H{n}", p, p, "top"] for n, p in enumerate(PAYLOADS, start=1)]
    return write_csv(folder / "hostile_roster.csv", rows)


def _ragged(folder: Path) -> Path:
    path = folder / "ragged.csv"
    path.write_text('source,target\nR1,R2,extra,cells\nR2\n"R3,"R4\n"unclosed,R5\n', encoding="utf-8")
    return path


def _nul_bytes(folder: Path) -> Path:
    path = folder / "nul.csv"
    path.write_bytes(b"source,target\nR1\x00,R2\n")
    return path


def _zip_named_csv(folder: Path) -> Path:
    whole = write_xlsx(folder / "w.xlsx", {"Sheet1": good_ties_rows()})
    path = folder / "actually_xlsx.csv"
    path.write_bytes(whole.read_bytes())
    return path


def _huge_cell(folder: Path) -> Path:
    return write_csv(folder / "huge_cell.csv", [ROSTER_HEADER, ["R1", "A" * 2_000_000, "Acute", "top"]])


def _control_characters(folder: Path) -> Path:
    return write_csv(folder / "control.csv", [ROSTER_HEADER, ["R1", "Ann\x1b[31m\x07Lee", "Acute\u202eevil", "top"],
                                              ["R2", "Bo\u200bChan", "Council\r", "middle"]])


def _formula_workbook(folder: Path) -> Path:
    rows = [["source", "target"], ["=CONCAT(\"R\",1)", "R2"], ["R2", '=HYPERLINK("http://x","R3")']]
    return write_xlsx(folder / "formulas.xlsx", {"Sheet1": rows})


def _hidden_and_chart(folder: Path) -> Path:
    path = write_xlsx(folder / "hidden.xlsx", {"Visible": good_ties_rows(), "Secret": [["a"], ["b"]]})
    book = openpyxl.load_workbook(path)
    book["Secret"].sheet_state = "hidden"
    chart = BarChart()
    chart.add_data(Reference(book["Visible"], min_col=4, min_row=1, max_row=6), titles_from_data=True)
    book.create_chartsheet("Chart").add_chart(chart)
    book.save(path)
    return path


def _square_but_not(folder: Path) -> Path:
    return write_csv(folder / "matrix_bad.csv", [["", "R1", "R2", "R1"], ["R1", "", "1", "1"], ["R2", "x", "", ""],
                                                 ["R3", "1", "1", ""]])


def _matrix_emoji(folder: Path) -> Path:
    ids = [r[0] for r in GOOD_NAMES]
    rows = [["", *ids]] + [[a, *["" if a == b else ("1" if (i + j) % 2 else "0") for j, b in enumerate(ids)]]
                           for i, a in enumerate(ids)]
    rows[2] = [rows[2][0]] + [""] * len(ids)  # a non-respondent
    return write_csv(folder / "matrix.csv", rows)


def _folder(folder: Path) -> Path:
    path = folder / "a_folder.csv"
    path.mkdir()
    return path


def _missing(folder: Path) -> Path:
    return folder / "not_there.csv"


def _wrong_type(folder: Path) -> Path:
    path = folder / "roster.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    return path


def _xlsm(folder: Path) -> Path:
    whole = write_xlsx(folder / "w.xlsx", {"Sheet1": good_roster_rows()})
    path = folder / "macros.xlsm"
    path.write_bytes(whole.read_bytes())
    return path


def _semicolons(folder: Path) -> Path:
    path = folder / "semicolon.csv"
    path.write_text("source;target;weight\nR1;R2;1,5\nR2;R3;2\n", encoding="utf-8")
    return path


def _bom_cp1252_mix(folder: Path) -> Path:
    path = folder / "bom_mix.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\nR1,Zo\xeb\n")
    return path


CASES: tuple[Case, ...] = (
    Case("truncated_xlsx", _truncated_xlsx, {}, default="error"),
    Case("truncated_sheet_xml", _truncated_entry_xlsx, {}, default="error"),
    Case("zip_not_workbook", _not_a_workbook_zip, {}, default="error"),
    Case("utf16_csv", _utf16, {}, default="error"),
    Case("undecodable_csv", _undecodable, {}, default="either"),
    Case("cp1252_csv", _latin1, {"roster": "ok"}),
    Case("merged_cells", _merged, {"roster": "ok"}),
    Case("merged_header", _merged_header, {"roster": "error"}, place={"roster": 'sheet "People", row 1'}),
    Case("empty_sheets", _empty_sheets, {}, default="error"),
    Case("empty_csv", _empty_csv, {}, default="error"),
    Case("header_only", _header_only, {"roster": "error", "ties": "ok"}),
    Case("10000_columns_csv", _wide, {"roster": "ok"}),
    Case("10000_columns_xlsx", _wide_xlsx, {"ties": "ok"}),
    Case("duplicate_headers", _duplicate_headers, {}, default="error",
         place={"roster": 'row 1, column "name"', "ties": 'row 1, column "name"'}),
    Case("duplicate_headers_xlsx", _duplicate_headers_xlsx, {}, default="error",
         place={"roster": 'sheet "Roster", row 1, column "organisation"', "ties": 'sheet "Roster", row 1'}),
    Case("column_without_header", _headless_column, {}, default="error",
         place={"roster": "row 1: column 2 has values (first on row 2)", "ties": "row 1"}),
    Case("numbers_for_names", _numbers_for_names, {"roster": "ok"}),
    Case("numbers_for_ties", _numbers_for_ties, {"ties": "ok"}),
    Case("duplicate_ids", _duplicate_ids, {"roster": "error"}, place={"roster": 'row 8, column "id"'}),
    Case("ties_to_unknown_people", _unknown_people, {"ties": "ok"}),
    Case("scale_with_gaps", _scale_gaps, {"survey": "ok"}),
    Case("hostile_names", _hostile_names, {"roster": "ok"}),
    Case("emoji_rtl_roster", good_roster, {"roster": "ok"}),
    Case("emoji_rtl_matrix", _matrix_emoji, {"matrix": "ok", "roster": "error"}),
    Case("ragged_rows", _ragged, {"roster": "error", "ties": "error"}, place={"ties": "first on row 2"}),
    Case("nul_bytes", _nul_bytes, {}, default="error"),
    Case("xlsx_named_csv", _zip_named_csv, {}, default="error"),
    Case("huge_cell", _huge_cell, {}, default="error", place={"*": "row 2"}),
    Case("control_characters", _control_characters, {"roster": "ok"}),
    Case("formulas_in_workbook", _formula_workbook, {"ties": "ok"}),
    Case("hidden_sheet_and_chartsheet", _hidden_and_chart, {"ties": "ok"}),
    Case("matrix_not_square", _square_but_not, {"matrix": "error"}, place={"matrix": "row 1"}),
    Case("folder_not_file", _folder, {}, default="error"),
    Case("missing_file", _missing, {}, default="error"),
    Case("wrong_type", _wrong_type, {}, default="error"),
    Case("xlsm", _xlsm, {}, default="error"),
    Case("semicolons_decimal_comma", _semicolons, {"ties": "ok"}),
    Case("bom_then_cp1252", _bom_cp1252_mix, {}, default="either"),
)


# The readers ---------------------------------------------------------------------------


def _roster(path: Path, roster: Roster) -> object:
    return read_roster(path, key=KEY)


READERS: dict[str, Callable[[Path, Roster], object]] = {
    "roster": _roster,
    "ties": lambda path, roster: read_ties(path, roster, relation="advice"),
    "matrix": lambda path, roster: read_matrix(path, roster),
    "detect": lambda path, roster: detect(path, roster=roster),
    "survey": lambda path, roster: import_responses(roster, path, key=KEY),
}

# Words that tell a person what to do about a refusal.
_ADVICE = re.compile(
    r"\b(expected|save|use|choose|remove|rename|split|raise|open|export|check|give|add|try|move|"
    r"upgrade|install|unset|map|keep|pass|upload|decide|import|make|delete)\b", re.I)


def assert_clear_refusal(error: BaseException, path: Path, place: str | None = None) -> None:
    """An error a user can act on: an OnaError naming the file (and place) and the fix."""
    assert isinstance(error, OnaError), f"{type(error).__name__} is not an OnaError: {error}"
    message = str(error)
    assert path.name in message, f"the message does not name {path.name!r}: {message}"
    if isinstance(error, InputFormatError):
        assert error.expected or _ADVICE.search(message), f"no fix in: {message}"
    else:
        assert _ADVICE.search(message), f"no fix in: {message}"
    if place is not None:
        assert place in message, f"the message does not say {place!r}: {message}"
    assert "Traceback" not in message
