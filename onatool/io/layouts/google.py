"""Google Forms: the response sheet (or its CSV download).

``Timestamp[, Email address]`` then one column per question; a checkbox answer lists
the choices separated by ``", "``; a grid question gives one column per row, headed
``Question [Row]``. The respondent is known by the collected email address or by a
"who are you" question.
"""

from __future__ import annotations

import pandas as pd

from onatool.io.layouts.survey import GRID_HEADER, SurveyTable, header_words, table_from_headers
from onatool.io.tables import Sheet

__all__ = ["LAYOUT", "parse", "sniff"]

LAYOUT = "google_forms"


def sniff(raw: pd.DataFrame) -> bool:
    """Whether a sheet (read without headers) is a Google Forms response sheet.

    Examples
    --------
    >>> sniff(pd.DataFrame([["Timestamp", "Email address", "Work with? [Ann Lee]"]]))
    True
    """
    if not len(raw):
        return False
    headers = [str(h) for h in raw.iloc[0]]
    grid_rows = sum(bool(GRID_HEADER.match(h.strip())) for h in headers)
    return header_words(headers[0]) == "timestamp" or grid_rows >= 2


def parse(sheet: Sheet) -> SurveyTable:
    """The sheet with its headers understood (``Question [Row]`` grouped into grids)."""
    first = str(sheet.data.iloc[0, 0]).strip()
    roles = {"submitted": first} if header_words(first) == "timestamp" else {}
    return table_from_headers(sheet, LAYOUT, roles=roles)
