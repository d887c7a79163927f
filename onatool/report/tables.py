"""Write tables that spreadsheet programs open safely.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or NUL
would be read by Excel as a formula (CSV injection). Such cells are prefixed with an
apostrophe; numeric columns are left untouched, so ``-0.5`` stays a number.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise", "safe_frame", "write_csv", "write_json"]

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
