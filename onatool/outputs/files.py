"""Write tables that spreadsheet programs open safely.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or NUL
would be read by Excel as a formula (CSV injection). Such cells are prefixed with an
apostrophe; numeric columns are left untouched, so ``-0.5`` stays a number.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from onatool.outputs.provenance import Provenance

__all__ = ["FORMULA_PREFIXES", "neutralise", "safe_frame", "write_csv", "write_csvs", "write_json"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value: object) -> object:
    """Prefix a formula-like text with an apostrophe; leave everything else.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x","y")'), neutralise("-0.5"), neutralise(-0.5)
    ('\\'=HYPERLINK("http://x","y")', "'-0.5", -0.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and the index and headers) neutralised."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    if not pd.api.types.is_numeric_dtype(out.index):
        out.index = out.index.map(neutralise)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = True) -> Path:
    """Write a formula-safe UTF-8 CSV (with BOM, so Excel reads accents right)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(frame).to_csv(path, index=index, encoding="utf-8-sig")
    return path


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def write_json(data: dict, path: str | Path) -> Path:
    """Write JSON with sorted keys (readable diffs) and NaN as null."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_plain(data), indent=2, sort_keys=True, default=str) + "\n")
    return path
# CSV ---------------------------------------------------------------------------------------


def write_csvs(folder: str | Path, tables: Mapping[str, pd.DataFrame], provenance: Provenance) -> list[Path]:
    """One formula-safe CSV per table, plus ``parameters.json`` beside them.

    Each CSV's first line is a ``#`` comment holding the parameters (pandas reads it
    back with ``comment="#"``; spreadsheet programs show it as a first row).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{file_stem(name)}.csv"
        index = not isinstance(table.index, pd.RangeIndex)
        write_csv(table, path, index=index)
        body = path.read_text(encoding="utf-8-sig")
        comment = "# " + provenance.one_line().replace("\n", " ")
        path.write_text(comment + "\n" + body, encoding="utf-8-sig")
        written.append(path)
    params = folder / "parameters.json"
    params.write_text(json.dumps(provenance.as_dict(), indent=2, sort_keys=True, default=str) + "\n")
    return [*written, params]


def file_stem(name: str) -> str:
    """A file name made of safe characters only (``table`` when nothing is left)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "table"
