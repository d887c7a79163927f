"""Qualtrics: the CSV (or Excel) export of responses, in each of its layouts.

Current layout (2018 on): row 1 holds export tags (``Q5_1``), row 2 the question text
(for a matrix or multiple-answer question, ``question - row``, the row often a person's
name), row 3 ``{"ImportId": ...}``. The 2016-18 layout is the same with row 3 written
Python-style (``{'ImportId': 'QID2-1'}``) and labels joined by a bare hyphen
(``Question-Choice``). The legacy layout has two header rows: ``V1 ... V10`` over the
metadata (``ResponseID``, ``Name``, ``EmailAddress`` ... named on row 2) then the export
tags, and row 2 the question text; every line ends with a comma.
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
    if len(raw) < 2:
        return False
    if _legacy(raw):
        return True
    if len(raw) < 3:
        return False
    third = [str(v).strip() for v in raw.iloc[2] if str(v).strip()]
    return bool(third) and sum(v.startswith(_IMPORT_IDS) for v in third) >= len(third) / 2


_IMPORT_IDS = ('{"ImportId"', "{'ImportId'")
_V = re.compile(r"^V\d+$")


def _legacy(raw: pd.DataFrame) -> bool:
    """The legacy layout: ``V1, V2, V3 ...`` on row 1, ``ResponseID`` among them on row 2.

    Examples
    --------
    >>> _legacy(pd.DataFrame([["V1", "V2", "V3", "Q1", ""], ["ResponseID", "ResponseSet", "Name", "Who?", ""]]))
    True
    """
    first = [str(v).strip() for v in raw.iloc[0]]
    second = {header_words(v) for v in raw.iloc[1]}
    return first[:3] == ["V1", "V2", "V3"] and "response id" in second


def parse(sheet: Sheet) -> SurveyTable:
    """The export with its three header rows understood.

    A column's header is its internal id (``Q5_1``, ``RecipientEmail``); its question
    is the question text, shared by the columns of a matrix question, whose labels are
    the text after the last ``" - "``.
    """
    raw = sheet.data
    codes = [str(v).strip() for v in raw.iloc[0]]
    texts = [str(v).strip() for v in raw.iloc[1]]
    header_rows = 3
    if _legacy(raw):  # the metadata's own names are on row 2, under V1 ... Vn
        header_rows = 2
        codes = [text if _V.match(code) else code for code, text in zip(codes, texts, strict=True)]
    check_headers(codes, raw.iloc[header_rows:], sheet.place(row=1))
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
    rows = tuple(range(header_rows + 1, header_rows + 1 + len(raw) - header_rows))
    cells = body_cells(raw, header_rows)
    return SurveyTable(LAYOUT, sheet.file, sheet.sheet, tuple(columns), cells, rows, roles)


def _split(text: str, group: list[str]) -> tuple[str, str]:
    """(question, row label) of one matrix column's text."""
    shared = _common_question(group)
    if shared and text.startswith(shared):
        label = text[len(shared) :].strip(" -")
        # A question with a text box splits its choices as "Selected Choice - <choice>".
        if label.startswith("Selected Choice - "):
            label = label[len("Selected Choice - "):].strip()
        return shared.rstrip(" -"), label
    if " - " in text:
        question, label = text.rsplit(" - ", 1)
        return question.strip(), label.strip()
    return text, ""


def _common_question(texts: list[str]) -> str:
    """The question shared by a group's texts, up to and including its joining hyphen.

    Current exports join ``question - label``; 2016-18 exports ``question-label``, where
    the hyphen is taken after the question's closing punctuation when there is one (so a
    label such as "Mary-Jane" is not cut).

    Examples
    --------
    >>> _common_question(["Who? Pick.-Mary-Jane Lee", "Who? Pick.-Mary-Ann Cho"])
    'Who? Pick.-'
    >>> _common_question(["Work with - Ann", "Work with - Bo"])
    'Work with - '
    """
    if len(texts) < 2:
        return ""
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    common = first[:n]
    at = common.rfind(" - ")
    if at > 0:
        return common[: at + 3]
    after_sentence = re.search(r"[?.:)]-", common)
    if after_sentence:
        return common[: after_sentence.end()]
    at = common.rfind("-")
    return common[: at + 1] if at > 0 else ""
