"""Wide grid: one row per respondent, one column per roster member.

The classic ONA roster question laid out flat: the respondent in the first column (or
a chosen one), then a column headed by each person's name, id or email, with an answer
in each cell (a frequency, an agreement, a tick). A workbook may hold one sheet per
relation; each sheet's grid is a question named after the sheet (after the file for a
CSV). Columns that are survey metadata stay out of the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from onatool.io.layouts.survey import (
    Column,
    SurveyTable,
    body_cells,
    check_headers,
    classify_column,
)
from onatool.io.matching import Match
from onatool.io.tables import Sheet

__all__ = ["LAYOUT", "parse", "sniff"]

LAYOUT = "wide_grid"


def sniff(raw: pd.DataFrame, resolve: Callable[[str], Match] | None = None) -> bool:
    """Whether most headers after the first name roster members (needs the roster).

    Examples
    --------
    >>> from onatool.io.matching import RosterIndex
    >>> ids = pd.DataFrame({"name": ["Ann Lee", "Bo Chan"]}, index=["p1", "p2"])
    >>> sniff(pd.DataFrame([["Email", "Ann Lee", "Bo Chan"]]), RosterIndex(ids).resolve)
    True
    """
    if resolve is None or not len(raw) or raw.shape[1] < 3:
        return False
    headers = [str(h).strip() for h in raw.iloc[0, 1:] if str(h).strip()]
    people = sum(resolve(h).matched for h in headers)
    return people >= 2 and people >= 0.6 * len(headers)


def parse(sheet: Sheet, *, identity: int = 0, question: str | None = None) -> SurveyTable:
    """The sheet as one grid question; ``identity`` is the respondent column's position."""
    raw = sheet.data
    headers = [str(h).strip() for h in raw.iloc[0]]
    check_headers(headers, raw.iloc[1:], sheet.place(row=1))
    name = question or sheet.sheet or Path(sheet.file).stem
    columns = []
    for position, header in enumerate(headers):
        if not header:
            continue
        single = position == identity or classify_column(header)[0]
        columns.append(Column(position, header, header if single else name, "" if single else header))
    rows = tuple(range(2, 2 + len(raw) - 1))
    return SurveyTable(LAYOUT, sheet.file, sheet.sheet, tuple(columns), body_cells(raw, 1), rows)
