"""Microsoft Forms: the Excel export of a form's responses.

``ID, Start time, Completion time, Email, Name[, Last modified time]`` then one column
per question, headed by the question text. A multi-select answer lists the choices
separated by ``;`` with a trailing ``;``; a Likert question gives one column per
statement, headed ``Question.Statement``. In quiz mode Forms adds ``Total points``,
``Quiz feedback``, and ``Points - <question>`` and ``Feedback - <question>`` after every
question: metadata, never questions. The respondent is known by ``Email`` when
the form records it (``anonymous`` otherwise), or by a "who are you" question.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from onatool.io.layouts.survey import (
    Column,
    SurveyTable,
    header_words,
    is_quiz_column,
    table_from_headers,
)
from onatool.io.tables import Sheet

__all__ = ["LAYOUT", "parse", "sniff"]

LAYOUT = "microsoft_forms"


def sniff(raw: pd.DataFrame) -> bool:
    """Whether a sheet (read without headers) is a Microsoft Forms export.

    Examples
    --------
    >>> sniff(pd.DataFrame([["ID", "Start time", "Completion time", "Email", "Q1"]]))
    True
    """
    words = {header_words(h) for h in raw.iloc[0]} if len(raw) else set()
    return {"start time", "completion time"} <= words


def parse(sheet: Sheet) -> SurveyTable:
    """The export with its headers understood (Likert rows grouped into grids)."""
    headers = {header_words(h): str(h).strip() for h in sheet.data.iloc[0]}
    roles = {}
    if "completion time" in headers:
        roles["submitted"] = headers["completion time"]
    if "last modified time" in headers:  # an edited response counts from its last edit
        roles["modified"] = headers["last modified time"]
    table = table_from_headers(sheet, LAYOUT, roles=roles)
    # Quiz mode's Points - / Feedback - columns are one-column metadata, never a grid.
    columns = tuple(Column(c.position, c.header, c.header, "", c.code) if is_quiz_column(c.header) else c
                    for c in table.columns)
    return replace(table, columns=columns)
