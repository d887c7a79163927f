"""Hypothesis strategies for hostile tables and files.

Cells mix what real exports hold (roster ids, names, answer words, numbers, blanks)
with what they should not (markup, formulas, emoji, right-to-left marks, control
characters), so a generated table is sometimes a valid import and sometimes not.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import strategies as st

from tests.hostile.corpus import GOOD_NAMES, write_xlsx
from tests.hostile.payloads import PAYLOADS

IDS = [r[0] for r in GOOD_NAMES]
NAMES = [r[1] for r in GOOD_NAMES]
HEADERS = ["source", "target", "From", "To", "relation", "weight", "wave", "raw_value", "id", "name",
           "email", "organisation", "Org", "level", "Seniority", "responded", "waves", "cohort",
           "Email", "Start time", "Completion time", "Who do you go to for advice?",
           "How often do you work with each of these people?.Ann Lee", "Timestamp", "Email address",
           "ResponseId", "Finished", "Respondent ID", *IDS, *NAMES]
WORDS = ["Weekly", "Monthly", "Never", "Daily", "Yes", "No", "x", "N/A", "-99", "top", "middle",
         "bottom", "Senior leader", "Acute trust", "Council", "advice", "collaboration", "baseline",
         "ann.lee@acute.example", "R1;R2;", "Ann Lee, Bo Chan", "1e309", "nan", "inf", "-1", "0",
         "3.5", "007", "TRUE"]

cells = st.one_of(
    st.sampled_from(IDS + [i.lower() for i in IDS] + NAMES + WORDS + list(PAYLOADS) + ["", " "]),
    st.integers(-10, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Lo", "Mn"]), max_size=6),
)
headers = st.one_of(st.sampled_from(HEADERS), st.text(max_size=10), st.just(""))


@st.composite
def tables(draw, max_columns: int = 6, max_rows: int = 8) -> list[list[str]]:
    """A header row and data rows, rows sometimes ragged."""
    width = draw(st.integers(1, max_columns))
    header = draw(st.lists(headers, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 1), max_size=max_rows))
    return [header, *rows]


def _xml_safe(text: str) -> str:
    """openpyxl refuses control characters XML cannot hold; Excel cannot hold them either."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF
                   and c not in "\ufffe\uffff")


@st.composite
def table_files(draw, folder: Path, stem: str = "answers") -> Path:
    """A generated table written as users write them: CSV in some encoding and delimiter, or XLSX."""
    rows = draw(tables())
    kind = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "xlsx", "tsv"]))
    if kind == "xlsx":
        clean = [[_xml_safe(c) for c in row] for row in rows]
        return write_xlsx(folder / f"{stem}.xlsx", {draw(st.sampled_from(["Sheet1", "advice", "Ties"])): clean})
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter="\t" if kind == "tsv" else draw(st.sampled_from([",", ";"]))).writerows(rows)
    data = buffer.getvalue().encode("utf-8" if kind == "tsv" else kind, errors="replace")
    path = folder / f"{stem}.{'tsv' if kind == 'tsv' else 'csv'}"
    path.write_bytes(data)
    return path


@st.composite
def mangled_workbooks(draw, folder: Path, valid: bytes) -> Path:
    """A valid workbook cut short or with bytes overwritten."""
    data = bytearray(valid)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data) - 1))]
    else:
        for position, value in draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)),
                                             min_size=1, max_size=8)):
            data[position] = value
    path = folder / "mangled.xlsx"
    path.write_bytes(bytes(data))
    return path


near_ids = st.one_of(st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(IDS), cells)


def _write_rows(folder: Path, stem: str, rows: list[list[str]], as_xlsx: bool) -> Path:
    if as_xlsx:
        return write_xlsx(folder / f"{stem}.xlsx", {"Sheet1": [[_xml_safe(c) for c in r] for r in rows]})
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = folder / f"{stem}.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


@st.composite
def edge_list_files(draw, folder: Path) -> Path:
    """Mostly valid edge lists: roster ids at both ends, sometimes not; weights of every kind."""
    header = [draw(st.sampled_from(["source", "From", "Source"])), draw(st.sampled_from(["target", "To"]))]
    extras = draw(st.lists(st.sampled_from(["relation", "weight", "wave", "raw_value"]), unique=True, max_size=3))
    rows = [header + extras]
    for _ in range(draw(st.integers(0, 12))):
        row = [draw(near_ids), draw(near_ids)]
        for column in extras:
            row.append(draw({"relation": st.sampled_from(["advice", "collaboration", "", "trust"]),
                             "weight": st.one_of(st.sampled_from(["1", "2", "0", "", "-1", "1e309", "nan"]), cells),
                             "wave": st.sampled_from(["", "next"]),
                             "raw_value": cells}[column]))
        rows.append(row)
    return _write_rows(folder, "answers", rows, draw(st.booleans()))


@st.composite
def forms_files(draw, folder: Path) -> Path:
    """Microsoft Forms-like exports: emails or names of respondents, ';'-lists of names."""
    people = NAMES[: draw(st.integers(2, len(NAMES)))]
    header = ["ID", "Start time", "Completion time", "Email", "Name",
              "Who do you go to for information or advice about your work?",
              *[f"How often do you work with each of these people?.{p}" for p in people]]
    rows = [header]
    for n in range(1, draw(st.integers(1, 8)) + 1):
        who = draw(st.sampled_from(NAMES + list(PAYLOADS[:3])))
        named = draw(st.lists(st.sampled_from(NAMES + ["Nobody Known", "ann lee", ""] + list(PAYLOADS[:2])),
                              max_size=4))
        answers = [draw(st.sampled_from(WORDS[:6] + ["", "7", "Sometimes-ish"])) for _ in people]
        rows.append([str(n), "1/2/25 09:00:00", "1/2/25 09:05:00", draw(st.sampled_from(["", "anonymous"])),
                     who, "".join(f"{x};" for x in named), *answers])
    return _write_rows(folder, "answers", rows, draw(st.booleans()))


@st.composite
def roster_files(draw, folder: Path) -> Path:
    """Mostly valid rosters: the good people, with cells and rows added or changed."""
    rows = [["id", "name", "organisation", "level"], *[list(r) for r in GOOD_NAMES]]
    for _ in range(draw(st.integers(0, 3))):
        rows.append([draw(near_ids), draw(cells), draw(cells), draw(cells)])
    if draw(st.booleans()):
        row = draw(st.integers(1, len(rows) - 1))
        rows[row][draw(st.integers(0, 3))] = draw(cells)
    return _write_rows(folder, "roster", rows, draw(st.booleans()))
