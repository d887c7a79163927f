"""Multi-select sheet: one row per respondent, people listed in a cell.

Any table whose relation questions list names in one cell: ``;``-separated (as
Microsoft Forms writes them, with a trailing ``;``), ``, ``-separated (Google Forms),
or one name per line in free text. Each such column is a question of its own.
"""

from __future__ import annotations

import pandas as pd

from onatool.io.layouts.survey import SurveyTable, table_from_headers
from onatool.io.tables import Sheet

__all__ = ["LAYOUT", "parse", "sniff"]

LAYOUT = "multi_select"


def sniff(raw: pd.DataFrame) -> bool:
    """Whether some column lists several names per cell (``;``-separated).

    Examples
    --------
    >>> sniff(pd.DataFrame([["Email", "Advice"], ["a@x", "Ann Lee;Bo Chan;"]]))
    True
    """
    if len(raw) < 2:
        return False
    body = raw.iloc[1:].astype(str)
    return bool(body.apply(lambda c: c.str.contains(";", regex=False).mean()).max() >= 0.3)


def parse(sheet: Sheet) -> SurveyTable:
    """The sheet with one question per column."""
    return table_from_headers(sheet, LAYOUT, grids=False)
