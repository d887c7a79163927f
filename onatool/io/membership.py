"""Who sits on which board, forum or programme: person x forum membership from a sheet.

Two layouts are read, told apart by their headers:

- **long**: one row per person (an identity column: ``id``, ``email`` or ``name``) with a
  ``forum`` column (also ``board``, ``group``, ``meeting``, ``programme``). A cell may
  hold several forums separated by ``;``, as a multi-select survey question ("Which of
  these groups do you attend?") exports them from Microsoft Forms.
- **wide**: an identity column and one column per forum, each cell a membership mark
  (``yes``, ``x``, ``1``, ``true``, ``member``) or blank / ``no`` / ``0``. Roster
  columns (organisation, level, ...) are recognised and left out, as are columns whose
  cells are not marks; both are reported.

People are found in the roster exactly (id, email, name, or an earlier name decision);
a row whose person cannot be found is dropped and reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io.report import ImportReport
from onatool.io.roster import Roster
from onatool.io.tables import Sheet, identity_column, read_table, sheet_row

__all__ = ["FORUM_HEADERS", "MEMBERSHIP_SETTING", "MEMBER_MARKS", "NOT_MEMBER_MARKS", "Membership",
           "membership_from_sheet", "read_membership"]

#: The project setting that keeps a project's membership (:meth:`Membership.as_setting`).
MEMBERSHIP_SETTING = "forum_membership"

FORUM_HEADERS = frozenset({"forum", "forums", "board", "boards", "group", "groups", "meeting", "meetings",
                           "programme", "programmes", "program", "programs", "membership"})
MEMBER_MARKS = frozenset({"yes", "y", "x", "1", "true", "member", "✓", "✔"})
NOT_MEMBER_MARKS = frozenset({"", "no", "n", "0", "false", "-"})
_SEPARATOR = ";"


@dataclass(frozen=True)
class Membership:
    """Seats read from a membership sheet.

    Attributes
    ----------
    seats
        One row per seat: ``person_id``, ``forum`` (duplicates removed).
    forums
        Every forum the sheet names, members or not, in the sheet's order.
    report
        The accounting of the sheet's rows and columns.
    """

    seats: pd.DataFrame
    forums: tuple[str, ...]
    report: ImportReport = field(default_factory=ImportReport)
    source: str = ""

    def as_setting(self) -> dict:
        """What a project keeps: the file's name, the forums in order and the seats (pseudonymised)."""
        return {"source": self.source, "forums": list(self.forums),
                "seats": self.seats[["person_id", "forum"]].to_numpy().tolist()}

    @classmethod
    def from_setting(cls, saved: dict) -> Membership:
        """A membership as a project kept it (its import report is not kept)."""
        seats = pd.DataFrame(saved.get("seats", []), columns=["person_id", "forum"])
        return cls(seats, tuple(saved.get("forums", ())), source=str(saved.get("source", "")))


def read_membership(path: str | Path, roster: Roster, *, sheet: str | None = None) -> Membership:
    """Read a membership sheet (CSV or XLSX) against a project's roster.

    Raises
    ------
    InputFormatError
        No identity column; a mark that is neither a member nor a non-member mark in a
        forum column of a wide sheet is reported per cell, not raised.
    """
    return membership_from_sheet(read_table(path, sheet=sheet), roster)


def membership_from_sheet(table: Sheet, roster: Roster) -> Membership:
    """Build :class:`Membership` from a table already read (see :func:`read_membership`)."""
    report = ImportReport()
    data = table.data
    report.read(table.file, table.sheet, len(data))
    canonical = {column: schema.canonical_header(column) for column in data.columns}
    identity = identity_column(data.columns)
    if identity is None:
        raise InputFormatError(
            "the membership sheet has no column naming the person",
            expected="an 'id', 'email' or 'name' column matching the roster, then a 'forum' column "
                     "or one column per forum",
            place=table.place(row=1),
        )
    forum_column = next((c for c in data.columns if str(c).strip().casefold() in FORUM_HEADERS), None)
    index = roster.index()
    people = [index.resolve(str(value)) for value in data[identity].tolist()]
    if forum_column is not None:
        seats, forums = _long(table, identity, forum_column, people, report)
    else:
        seats, forums = _wide(table, identity, canonical, people, report)
    frame = pd.DataFrame(seats, columns=["person_id", "forum"]).drop_duplicates(ignore_index=True)
    report.note(f"{len(frame)} seat(s) on {len(forums)} forum(s) for {frame['person_id'].nunique()} "
                f"person(s), read as a {'long' if forum_column is not None else 'wide'} membership sheet")
    return Membership(frame, tuple(forums), report, source=table.file)


def _person(table: Sheet, position: int, match, report: ImportReport) -> str | None:
    row = sheet_row(position)
    if match.exact:
        return match.person_id
    why = "blank" if match.method == "blank" else f"{match.raw!r} is not exactly one person on the roster"
    report.add_row(table.file, table.sheet, row, "dropped", f"person not found: {why}")
    return None


def _long(table, identity, forum_column, people, report) -> tuple[list[tuple[str, str]], list[str]]:
    seats: list[tuple[str, str]] = []
    forums: dict[str, None] = {}
    for position, (match, cell) in enumerate(zip(people, table.data[forum_column].tolist(), strict=True)):
        names = [f.strip() for f in str(cell).split(_SEPARATOR) if f.strip()]
        forums.update(dict.fromkeys(names))
        person = _person(table, position, match, report)
        if person is None:
            continue
        if not names:
            report.add_row(table.file, table.sheet, sheet_row(position), "dropped",
                           f"no forum in column {forum_column!r}")
            continue
        report.add_row(table.file, table.sheet, sheet_row(position), "kept")
        seats.extend((person, name) for name in names)
    for column in table.data.columns:
        if column not in (identity, forum_column):
            report.drop_column(table.file, str(column), "not used by a long membership sheet")
    return seats, list(forums)


def _wide(table, identity, canonical, people, report) -> tuple[list[tuple[str, str]], list[str]]:
    data = table.data
    forums: list[str] = []
    for column in data.columns:
        if column == identity:
            continue
        if canonical[column] in (*schema.ROSTER_COLUMNS, schema.RESPONDED, schema.WAVES):
            report.drop_column(table.file, str(column), f"a roster column ({canonical[column]}), not a forum")
            continue
        marks = data[column].map(lambda v: str(v).strip().casefold())
        if not marks.isin(MEMBER_MARKS | NOT_MEMBER_MARKS).all():
            odd = marks[~marks.isin(MEMBER_MARKS | NOT_MEMBER_MARKS)]
            report.drop_column(table.file, str(column),
                               f"not a forum: {len(odd)} cell(s) are not membership marks, e.g. "
                               f"{data[column][odd.index[0]]!r} in row {sheet_row(int(odd.index[0]))}")
            continue
        forums.append(str(column).strip())
    if not forums:
        raise InputFormatError(
            "the membership sheet has no forum column",
            expected="a 'forum' column, or columns with membership marks (yes / x / 1 or blank)",
            place=table.place(row=1),
        )
    seats: list[tuple[str, str]] = []
    marks = {f: data[c].map(lambda v: str(v).strip().casefold()).isin(MEMBER_MARKS).to_numpy()
             for c in data.columns for f in [str(c).strip()] if f in forums}
    for position, match in enumerate(people):
        mine = [f for f in forums if marks[f][position]]
        person = _person(table, position, match, report)
        if person is None:
            continue
        report.add_row(table.file, table.sheet, sheet_row(position), "kept",
                       "" if mine else "on no forum")
        seats.extend((person, f) for f in mine)
    return seats, forums
