"""Qualtrics: the CSV (or Excel) export of responses, with three header rows.

Row 1 holds internal ids (``Q5_1``), row 2 the question text (for a matrix question,
``question - row``, the row often a person's name), row 3 ``{"ImportId": ...}``.
Metadata columns (``StartDate``, ``IPAddress``, ``RecipientEmail``,
``LocationLatitude`` ...) come first. Answers are choice text or numeric recodes, and
recodes may be negative for "not applicable" (``-99``): those are never ties.
"""

from __future__ import annotations

import re

import pandas as pd

from onatool.io.layouts.survey import Column, SurveyTable, body_cells, check_headers, header_words
from onatool.io.tables import Sheet

__all__ = ["LAYOUT", "parse", "sniff"]

LAYOUT = "qualtrics"
#: ``Q5_1``, ``Q5_4_TEXT``; ``Q5_x1`` is a row carried forward from another question's choices.
_CODE = re.compile(r"^(?P<base>.+?)_(?P<row>x?\d+)(?P<text>_TEXT)?$")


def sniff(raw: pd.DataFrame) -> bool:
    """Whether a sheet (read without headers) is a Qualtrics export: row 3 is ImportIds.

    Examples
    --------
    >>> sniff(pd.DataFrame([["ResponseId", "Q1"], ["Response ID", "Who?"],
    ...                     ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}']]))
    True
    """
    if len(raw) < 3:
        return False
    third = [str(v).strip() for v in raw.iloc[2] if str(v).strip()]
    return bool(third) and sum(v.startswith('{"ImportId"') for v in third) >= len(third) / 2


def parse(sheet: Sheet) -> SurveyTable:
    """The export with its three header rows understood.

    A column's header is its internal id (``Q5_1``, ``RecipientEmail``); its question
    is the question text, shared by the columns of a matrix question, whose labels are
    the text after the last ``" - "``.
    """
    raw = sheet.data
    codes = [str(v).strip() for v in raw.iloc[0]]
    texts = [str(v).strip() for v in raw.iloc[1]]
    check_headers(codes, raw.iloc[3:], sheet.place(row=1))
    bases: dict[str, list[int]] = {}
    for position, code in enumerate(codes):
        if not code or header_words(code).startswith(("q relevant", "q recaptcha")):
            continue
        found = _CODE.match(code)
        bases.setdefault(found["base"] if found else code, []).append(position)
    columns = []
    for position, (code, text) in enumerate(zip(codes, texts, strict=True)):
        if not code:
            continue
        found = _CODE.match(code)
        base = found["base"] if found else code
        group = bases.get(base, [])
        if len(group) > 1 or (found and found["row"].startswith("x")):  # a matrix, even of one carried row
            question, label = _split(text, [texts[p] for p in group])
            columns.append(Column(position, code, question or base, label, code))
        else:
            columns.append(Column(position, code, text or code, "", code))
    words = {header_words(c): c for c in codes}
    roles = {}
    for role, names in (("submitted", ("recorded date", "end date")), ("complete", ("finished",)),
                        ("status", ("status",))):
        for name in names:
            if name in words:
                roles[role] = words[name]
                break
    rows = tuple(range(4, 4 + len(raw) - 3))
    return SurveyTable(LAYOUT, sheet.file, sheet.sheet, tuple(columns), body_cells(raw, 3), rows, roles)


def _split(text: str, group: list[str]) -> tuple[str, str]:
    """(question, row label) of one matrix column's text."""
    shared = _common_question(group)
    if shared and text.startswith(shared):
        return shared.rstrip(" -"), text[len(shared) :].strip(" -")
    if " - " in text:
        question, label = text.rsplit(" - ", 1)
        return question.strip(), label.strip()
    return text, ""


def _common_question(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    common = first[:n]
    at = common.rfind(" - ")
    return common[: at + 3] if at > 0 else ""
