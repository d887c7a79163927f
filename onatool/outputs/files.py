"""Write files as their consumers read them: plain CSV tables, JSON, XML-safe text.

- A CSV is a plain table: the header on row 1, one row per record, nothing else. What
  made it (provenance, the key's fingerprint) goes in ``parameters.json`` beside it.
- A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or NUL
  would be read by Excel as a formula (CSV injection). Such cells, and such headers and
  index names, are prefixed with an apostrophe; numeric columns are left untouched, so
  ``-0.5`` stays a number.
- XML 1.0 forbids most control characters; :func:`xml_text` strips them from any text
  bound for GraphML, GEXF or SVG, so those files always parse.
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

__all__ = [
    "FORMULA_PREFIXES", "neutralise", "safe_frame", "write_csv", "write_csvs", "write_json", "xml_text",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")

#: Characters XML 1.0 does not allow anywhere in a document (its ``Char`` production).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    r"""Text with every character XML 1.0 forbids removed (tab, newline and return stay).

    Examples
    --------
    >>> xml_text("Acute\x00 \x1bTrust\x0c"), xml_text("a\tb")
    ('Acute Trust', 'a\tb')
    """
    return _XML_FORBIDDEN.sub("", str(value))


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


def _safe_index(index: pd.Index) -> pd.Index:
    """An index (or MultiIndex) with its text labels and its name(s) neutralised."""
    if isinstance(index, pd.MultiIndex):
        levels = [_safe_index(level) for level in index.levels]
        return index.set_levels(levels).set_names([_safe_name(n) for n in index.names])
    if not (pd.api.types.is_numeric_dtype(index) or pd.api.types.is_bool_dtype(index)):
        index = index.map(neutralise)
    return index.rename(_safe_name(index.name))


def _safe_name(name: object) -> object:
    return None if name is None else neutralise(str(name))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell, header and index label, and the index names, neutralised.

    Examples
    --------
    >>> frame = pd.DataFrame({"=cmd": ["+1", "ok"], "n": [-1, 2]},
    ...                      index=pd.Index(["@a", "b"], name="-group"))
    >>> safe = safe_frame(frame)
    >>> list(safe.columns), safe.index.name, list(safe.index), safe["'=cmd"].tolist()
    (["'=cmd", 'n'], "'-group", ["'@a", 'b'], ["'+1", 'ok'])
    """
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            out.isetitem(position, column.astype(object).map(neutralise))
    out.columns = _safe_index(pd.Index([str(c) for c in out.columns], name=out.columns.name)) \
        if not isinstance(out.columns, pd.MultiIndex) else _safe_index(out.columns)
    out.index = _safe_index(out.index)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = True) -> Path:
    """Write a formula-safe UTF-8 CSV (with BOM, so Excel reads accents right).

    Lines end in CRLF (RFC 4180), so a cell holding a carriage return or a newline is
    quoted and stays one cell for every reader.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(frame).to_csv(path, index=index, encoding="utf-8-sig", lineterminator="\r\n")
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
    """One plain, formula-safe CSV per table, plus ``parameters.json`` beside them.

    Each CSV is a table and nothing else: the header on row 1, so spreadsheet
    programs, pandas and R read it as it is. ``parameters.json`` holds the provenance
    (wave, relation, threshold, suppression, the key's fingerprint when known, tool
    version, date) and lists the tables it describes.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{file_stem(name)}.csv"
        index = not isinstance(table.index, pd.RangeIndex)
        written.append(write_csv(table, path, index=index))
    params = folder / "parameters.json"
    record = {**provenance.as_dict(), "files": sorted(p.name for p in written)}
    params.write_text(json.dumps(_plain(record), indent=2, sort_keys=True, default=str) + "\n")
    return [*written, params]


def file_stem(name: str) -> str:
    """A file name made of safe characters only (``table`` when nothing is left)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "table"
