"""SurveyMonkey: the "all responses" export, with two header rows.

Row 1 holds the question text, written only above the first of a question's columns;
row 2 the sub-labels (a matrix row, a checkbox choice, or ``Response`` /
``Open-Ended Response`` for a one-column question). The question is carried forward
over its columns and joined with the sub-label. Metadata (``Respondent ID``,
``Collector ID``, ``IP Address``, ``Email Address``, ``First Name`` ...) come first.
"""

from __future__ import annotations

import pandas as pd

from onatool.io.layouts.survey import Column, SurveyTable, body_cells, header_words
from onatool.io.tables import Sheet

__all__ = ["LAYOUT", "parse", "sniff"]

LAYOUT = "surveymonkey"
_SINGLE = {"response", "open ended response", ""}


def sniff(raw: pd.DataFrame) -> bool:
    """Whether a sheet (read without headers) is a SurveyMonkey export.

    Examples
    --------
    >>> sniff(pd.DataFrame([["Respondent ID", "Collector ID", "Who?", ""],
    ...                     ["", "", "Ann Lee", "Bo Chan"]]))
    True
    """
    if len(raw) < 2:
        return False
    words = {header_words(h) for h in raw.iloc[0]}
    return {"respondent id", "collector id"} <= words


def parse(sheet: Sheet) -> SurveyTable:
    """The export with its two header rows joined (question forward-filled)."""
    raw = sheet.data
    top = [str(v).strip() for v in raw.iloc[0]]
    sub = [str(v).strip() for v in raw.iloc[1]]
    columns, question, seen = [], "", set()
    for position, (head, label) in enumerate(zip(top, sub, strict=True)):
        question = head or question
        if not question:
            continue
        single = header_words(label) in _SINGLE
        header = question if single else f"{question} - {label}"
        if header in seen:
            header = f"{header} ({position + 1})"
        seen.add(header)
        columns.append(Column(position, header, question, "" if single else label))
    words = {header_words(c.header): c.header for c in columns}
    roles = {"submitted": words["end date"]} if "end date" in words else {}
    rows = tuple(range(3, 3 + len(raw) - 2))
    return SurveyTable(LAYOUT, sheet.file, sheet.sheet, tuple(columns), body_cells(raw, 2), rows, roles)
