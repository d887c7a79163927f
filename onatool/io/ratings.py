"""Ratings of partner organisations (PARTNER's trust and value questions) from a sheet.

One row per respondent and organisation rated: the respondent (``id``, ``email`` or
``name`` as in the roster), the organisation rated (a column headed ``partner``,
``organisation rated`` or ``rated``), and one column per dimension (headers such as
"Power and influence", "Level of involvement", "Resources contributed", "Reliability",
"Support of mission", "Open to discussion"). Answers are 1-4 or the scale's words
("Not at all" ... "A great deal"); blank is not answered. A row whose respondent is not on
the roster, or an answer that is not on the scale, is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io.report import ImportReport
from onatool.io.roster import Roster
from onatool.io.tables import Sheet, identity_column, read_table, sheet_row

DIMENSIONS = (*schema.PARTNER_VALUE, *schema.PARTNER_TRUST)
SCALE = schema.PARTNER_SCALE

__all__ = ["RATED_HEADERS", "Ratings", "ratings_from_sheet", "read_ratings"]

RATED_HEADERS = frozenset({"partner", "partner organisation", "organisation rated", "rated", "rated organisation"})
_WORDS = {text.casefold(): score for score, text in SCALE.items()}


def _key(text: object) -> str:
    return re.sub(r"[^a-z]+", "_", str(text).casefold()).strip("_")


#: Header words -> dimension ("In support of mission" and "Support of the mission" both count).
_HEADERS = {_key(d): d for d in DIMENSIONS} | {
    "power_influence": "power_and_influence", "power": "power_and_influence", "influence": "power_and_influence",
    "involvement": "level_of_involvement", "resources": "resources_contributed",
    "resource_contribution": "resources_contributed", "in_support_of_mission": "support_of_mission",
    "support_of_the_mission": "support_of_mission", "mission": "support_of_mission",
    "openness_to_discussion": "open_to_discussion", "open_to_discussion": "open_to_discussion",
}


@dataclass(frozen=True)
class Ratings:
    """Answers read from a ratings sheet: one row per (rater, organisation rated, dimension)."""

    answers: pd.DataFrame
    report: ImportReport = field(default_factory=ImportReport)


def read_ratings(path: str | Path, roster: Roster, *, sheet: str | None = None) -> Ratings:
    """Read a sheet of PARTNER trust and value ratings against a roster."""
    return ratings_from_sheet(read_table(path, sheet=sheet), roster)


def ratings_from_sheet(table: Sheet, roster: Roster) -> Ratings:
    """Build :class:`Ratings` from a table already read (see :func:`read_ratings`).

    Raises
    ------
    InputFormatError
        No respondent column, no organisation-rated column, or no dimension column.
    """
    report = ImportReport()
    data = table.data
    report.read(table.file, table.sheet, len(data))
    identity = identity_column(data.columns)
    rated = next((c for c in data.columns if str(c).strip().casefold() in RATED_HEADERS), None)
    dimensions = {c: _HEADERS[_key(c)] for c in data.columns if _key(c) in _HEADERS}
    for missing, expected in ((identity, "an 'id', 'email' or 'name' column naming the respondent"),
                              (rated, "a 'partner' column naming the organisation rated"),
                              (dimensions or None, "columns for the trust and value questions, e.g. "
                                                   "'Reliability', 'Power and influence'")):
        if missing is None:
            raise InputFormatError("the ratings sheet is missing a column", expected=expected,
                                   place=table.place(row=1))
    for column in data.columns:
        if column not in (identity, rated, *dimensions):
            report.drop_column(table.file, str(column), "not a PARTNER rating column")
    index = roster.index()
    rows: list[tuple[str, str, str, int]] = []
    for position, record in enumerate(data.to_dict("records")):
        row = sheet_row(position)
        match = index.resolve(str(record[identity]))
        organisation = str(record[rated]).strip()
        if not match.exact:
            report.add_row(table.file, table.sheet, row, "dropped",
                           f"respondent not found: {match.raw!r} is not exactly one person on the roster")
            continue
        if not organisation:
            report.add_row(table.file, table.sheet, row, "dropped", f"no organisation in column {rated!r}")
            continue
        changed = False
        for column, dimension in dimensions.items():
            text = str(record[column]).strip()
            if not text:
                continue
            score = _WORDS.get(text.casefold()) or (int(text) if text in {"1", "2", "3", "4"} else None)
            if score is None:
                changed = True
                report.add_item(table.file, table.sheet, row, "dropped",
                                f"{text!r} in column {column!r} is not on the 1-4 scale", detail=dimension)
                continue
            rows.append((match.person_id, organisation, dimension, score))
        report.add_row(table.file, table.sheet, row, "changed" if changed else "kept",
                       "an answer off the scale left out" if changed else "")
    answers = pd.DataFrame(rows, columns=["person_id", "rated", "dimension", "score"])
    report.note(f"{len(answers)} answer(s) from {answers['person_id'].nunique()} respondent(s) about "
                f"{answers['rated'].nunique()} organisation(s)")
    return Ratings(answers, report)
