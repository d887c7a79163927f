"""Excel workbooks: formula-safe (text is always text), a README sheet with the parameters."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onatool.outputs.provenance import Provenance, _text

__all__ = ["write_excel"]

# Excel ---------------------------------------------------------------------------------------

_SHEET_NOTES = {
    "people": "One row per person, by pseudonym; attribute values shown as Other wherever fewer than "
              "the threshold share a combination of them (see the person-level notes above).",
    "people_change": "Per-person change since the previous wave, by pseudonym; attributes protected as in "
                     "the people sheet.",
    "ties": "One row per tie: source names target.",
    "network": "Whole-network measures.",
    "levels": "Tops, middles and bottoms (Oshry): how the levels connect.",
    "health": "Collaborative network health indicators.",
    "change": "Change since the previous wave.",
    "cohort_change": "Programme cohort compared with everyone else.",
}


def write_excel(
    path: str | Path,
    tables: Mapping[str, pd.DataFrame],
    provenance: Provenance,
    *,
    definitions: Mapping[str, str] | None = None,
) -> Path:
    """Write the tables as one formula-safe workbook with a README sheet first.

    Parameters
    ----------
    path
        The ``.xlsx`` to write.
    tables
        As :func:`export_tables` returns.
    provenance
        Recorded on the README sheet.
    definitions
        Metric name -> plain-language sentence, listed on the README sheet.

    Notes
    -----
    Written with XlsxWriter (``strings_to_formulas=False``, ``strings_to_urls=False``)
    and every text written with ``write_string``, so ``=HYPERLINK(...)`` typed into a
    roster stays text. Headers are frozen, widths fitted, numbers formatted.
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    workbook.set_properties({
        "title": f"onatool analysis, wave {provenance.wave}",
        "comments": provenance.one_line(),
        "company": "",
        "author": "onatool",
    })
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True,
                                "valign": "top"})
    title = workbook.add_format({"bold": True, "font_size": 14})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        "int": workbook.add_format({"num_format": "0"}),
        "float": workbook.add_format({"num_format": "0.000"}),
        "rate": workbook.add_format({"num_format": "0%"}),
        "text": None,
    }

    readme = workbook.add_worksheet("README")
    readme.write_string(0, 0, "onatool analysis", title)
    readme.write_string(1, 0, "Read this sheet first: it says how every figure in this workbook was made.", wrap)
    row = 3
    readme.write_string(row, 0, "Parameter", bold)
    readme.write_string(row, 1, "Value", bold)
    for key, value in provenance.rows():
        row += 1
        readme.write_string(row, 0, key, wrap)
        readme.write_string(row, 1, value, wrap)
    row += 2
    readme.write_string(row, 0, "Sheet", bold)
    readme.write_string(row, 1, "What it holds", bold)
    names = _sheet_names(tables)
    for name, sheet in names.items():
        row += 1
        readme.write_string(row, 0, sheet, wrap)
        readme.write_string(row, 1, _sheet_note(name), wrap)
    if definitions:
        row += 2
        readme.write_string(row, 0, "Measure", bold)
        readme.write_string(row, 1, "What it means", bold)
        for key, sentence in definitions.items():
            row += 1
            readme.write_string(row, 0, str(key), wrap)
            readme.write_string(row, 1, str(sentence), wrap)
    readme.set_column(0, 0, 28)
    readme.set_column(1, 1, 100)
    readme.freeze_panes(4, 0)

    for name, table in tables.items():
        sheet = workbook.add_worksheet(names[name])
        _write_sheet(sheet, table, bold, formats)
    workbook.close()
    return path


def _sheet_note(name: str) -> str:
    if name in _SHEET_NOTES:
        return _SHEET_NOTES[name]
    for prefix, note in (
        ("responses_", "People and respondents per group of {}; groups under the threshold merged into Other."),
        ("groups_change_", "Change per group of {}; groups under the threshold merged into Other."),
        ("groups_", "One row per group of {}; groups under the threshold merged into Other."),
        ("mixing_", "Ties from each group (row) to each group (column) of {}."),
        ("block_density_", "Share of possible ties present, from each group (row) to each (column) of {}."),
    ):
        if name.startswith(prefix):
            return note.format(name[len(prefix):])
    return ""


def _sheet_names(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Excel-safe, unique sheet names (31 characters, no []:*?/\\)."""
    out: dict[str, str] = {}
    used: set[str] = {"readme"}
    for name in tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", name.replace("block_density_", "density_"))[:31] or "sheet"
        candidate, i = base, 2
        while candidate.lower() in used:
            candidate = f"{base[:28]}_{i}"
            i += 1
        used.add(candidate.lower())
        out[name] = candidate
    return out


def _write_sheet(sheet: Any, table: pd.DataFrame, header: Any, formats: Mapping[str, Any]) -> None:
    with_index = not isinstance(table.index, pd.RangeIndex)
    frame = table.reset_index() if with_index else table
    if with_index and frame.columns[0] == "index":
        frame = frame.rename(columns={"index": ""})
    widths = []
    for j, column in enumerate(frame.columns):
        sheet.write_string(0, j, str(column), header)
        values = frame[column]
        kind = _kind(str(column), values)
        width = len(str(column))
        for i, value in enumerate(values, start=1):
            width = max(width, _write_cell(sheet, i, j, value, formats[kind]))
        widths.append(min(max(width + 2, 8), 45))
    for j, width in enumerate(widths):
        sheet.set_column(j, j, width)
    sheet.freeze_panes(1, 1 if with_index else 0)
    if len(frame):
        sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))


def _kind(column: str, values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "text"
    if column.endswith("rate") or column.endswith("_share") or column == "response_rate":
        return "rate"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    finite = values.dropna()
    if len(finite) and np.allclose(finite, np.round(finite)) and finite.abs().max() > 1:
        return "int"
    return "float"


def _write_cell(sheet: Any, row: int, col: int, value: object, fmt: Any) -> int:
    """Write one typed cell; return its displayed width. Text is never a formula."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and not math.isfinite(value)):
        sheet.write_blank(row, col, None)
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
        return len(f"{value:.3f}") if isinstance(value, float) else len(str(value))
    text = _text(value)
    sheet.write_string(row, col, text)
    return len(text)
