"""The canonical layouts, each turned into raw items for :func:`~onatool.io.assemble.assemble`.

Here: the long edge list (``source, target[, relation,
weight, raw_value, wave]``, also ``From, To`` as Kumu and Gephi write it) and the
adjacency matrix (a square sheet per relation). Readers record the rows they drop
themselves (empty rows, other waves) and hand every other row over as items.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io.assemble import ITEM_COLUMNS
from onatool.io.report import ImportReport
from onatool.io.tables import Sheet, read_sheets, read_table, sheet_row, stripped

__all__ = ["edge_list_items", "matrix_items"]


def edge_list_items(
    path: str | Path,
    *,
    report: ImportReport,
    sheet: str | None = None,
    relation: str = "tie",
    wave: str | None = None,
    table: Sheet | None = None,
) -> tuple[pd.DataFrame, str | None]:
    """Items from a long edge list.

    Parameters
    ----------
    path
        CSV or XLSX with ``source`` and ``target`` columns (or ``From``/``To``).
    report
        Receives the rows this reader drops (empty rows, rows of other waves).
    sheet
        XLSX sheet (default: first with data).
    relation
        Relation for every row when the file has no ``relation`` column.
    wave
        Keep only rows of this wave when the file has a ``wave`` column.
    table
        The file's table already read (its header row as column names), so it is not
        read again.

    Returns
    -------
    items, wave
        The items, and the wave label the file gave (None if it has no wave column).

    Raises
    ------
    InputFormatError
        No source or target column; a file with several waves and none chosen.
    """
    if table is None:
        table = read_table(path, sheet=sheet)
    report.read(table.file, table.sheet, len(table.data))
    data = _canonical_columns(table)
    for needed in (schema.SOURCE, schema.TARGET):
        if needed not in data.columns:
            raise InputFormatError(
                f"no column for the tie's {needed}",
                expected=f"a column named '{needed}' (or '{'From' if needed == schema.SOURCE else 'To'}')",
                place=table.place(row=1),
            )
    data = stripped(data)
    numbers = pd.Series(np.arange(len(data)) + sheet_row(0), index=data.index)
    empty = ~(data != "").any(axis=1)
    for number in numbers[empty]:
        report.add_row(table.file, table.sheet, int(number), "dropped", "empty row")
    data, numbers = data[~empty], numbers[~empty]

    file_wave: str | None = None
    if schema.WAVE in data.columns:
        labels = data[schema.WAVE]
        waves = list(pd.unique(labels[labels != ""]))
        if wave is None and len(waves) > 1:
            raise InputFormatError(
                f"the file holds several waves ({', '.join(waves)})",
                expected="one wave chosen (--wave) or one file per wave",
                place=table.place(column=schema.WAVE),
            )
        file_wave = wave if wave is not None else (waves[0] if waves else None)
        other = data[schema.WAVE].ne(file_wave or "") & data[schema.WAVE].ne("")
        for number, label in zip(numbers[other], data.loc[other, schema.WAVE], strict=True):
            report.add_row(table.file, table.sheet, int(number), "dropped", f"belongs to wave {label!r}")
        data, numbers = data[~other], numbers[~other]

    weights = pd.Series(float("nan"), index=data.index)
    if schema.WEIGHT in data.columns:
        weights = pd.to_numeric(data[schema.WEIGHT].replace("", None), errors="coerce")
    if schema.RAW_VALUE in data.columns:
        raw = data[schema.RAW_VALUE]
    elif schema.WEIGHT in data.columns:
        raw = data[schema.WEIGHT]
    else:
        raw = pd.Series("", index=data.index)
    # A weight that is not a number is an answer word: map it through the scale.
    relations = data[schema.RELATION] if schema.RELATION in data.columns else relation
    items = pd.DataFrame({
        "file": table.file,
        "sheet": table.sheet,
        "row": numbers,
        "respondent": data[schema.SOURCE],
        "target": data[schema.TARGET],
        "relation": relations,
        "raw_value": raw,
        "weight": weights,
        "answered": True,
    })
    if schema.RELATION in data.columns:
        items["relation"] = items["relation"].where(items["relation"] != "", relation)
    blank_target = items["target"] == ""
    items.loc[blank_target, ["raw_value"]] = ""
    return items[list(ITEM_COLUMNS)].reset_index(drop=True), file_wave


def matrix_items(
    path: str | Path, *, report: ImportReport, relation: str | None = None
) -> pd.DataFrame:
    """Items from adjacency matrices: one square sheet per relation.

    The first row and column hold ids, emails or names; the cell in row i, column j
    is i's answer about j. A row left wholly blank is a non-respondent's: unknown,
    not zero. In a row with answers, a blank or 0 cell means "no tie".

    Parameters
    ----------
    path
        CSV (one relation) or XLSX (one sheet per relation, named after it).
    report
        Receives the rows this reader drops.
    relation
        Relation name for a CSV (default: the file's stem).

    Raises
    ------
    InputFormatError
        A sheet that is not square (row and column names differ).
    """
    frames = []
    for table in read_sheets(path, header_rows=0):
        name = relation if table.sheet is None else table.sheet
        name = name or Path(path).stem
        frames.append(_matrix_sheet(table, schema.normalise_key(name).replace(" ", "_"), report))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(ITEM_COLUMNS))


def _matrix_sheet(table: Sheet, relation: str, report: ImportReport) -> pd.DataFrame:
    cells = stripped(table.data)
    report.read(table.file, table.sheet, len(cells) - 1)
    columns = list(cells.iloc[0, 1:])
    rows = list(cells.iloc[1:, 0])
    while columns and not columns[-1]:
        columns.pop()
    if sorted(filter(None, rows)) != sorted(columns) or len(set(columns)) != len(columns):
        only_rows = sorted(set(filter(None, rows)) - set(columns))[:3]
        only_cols = sorted(set(columns) - set(rows))[:3]
        raise InputFormatError(
            "the matrix is not square: its row and column names differ"
            + (f" (only in rows: {only_rows})" if only_rows else "")
            + (f" (only in columns: {only_cols})" if only_cols else ""),
            expected="the same people, once each, along the first row and the first column",
            place=table.place(row=1),
        )
    values = cells.iloc[1:, 1 : len(columns) + 1]
    records = []
    for position, (who, answers) in enumerate(zip(rows, values.itertuples(index=False), strict=True)):
        number = position + 2
        if not who:
            report.add_row(table.file, table.sheet, number, "dropped", "row without a name")
            continue
        given = [(target, value) for target, value in zip(columns, answers, strict=True) if value]
        if not given:
            records.append((table.file, table.sheet, number, who, "", relation, "", float("nan"), False))
            continue
        named = [(t, v) for t, v in given if v not in ("0", "0.0")]  # diagonal: a self-tie
        if not named:
            records.append((table.file, table.sheet, number, who, "", relation, "", float("nan"), True))
        for target, value in named:
            records.append((table.file, table.sheet, number, who, target, relation, value, float("nan"), True))
    return pd.DataFrame(records, columns=list(ITEM_COLUMNS))


def _canonical_columns(table: Sheet) -> pd.DataFrame:
    """Rename known tie headers (From/To, Source/Target ...) to canonical names."""
    wanted = (schema.SOURCE, schema.TARGET, schema.RELATION, schema.WEIGHT, schema.RAW_VALUE, schema.WAVE)
    renames: dict[str, str] = {}
    claimed: dict[str, str] = {}
    for column in table.data.columns:
        canonical = schema.canonical_header(column)
        if canonical is None and schema.normalise_key(column) in ("raw value", "answer"):
            canonical = schema.RAW_VALUE
        if canonical not in wanted:
            continue
        if canonical == schema.RELATION and _directions(table.data[column]):
            continue  # Gephi's edge table: Type is Directed/Undirected, not a relation
        if canonical in claimed:  # "From" and "source": which one is meant?
            raise InputFormatError(
                f"columns {claimed[canonical]!r} and {column!r} both look like the tie's {canonical}",
                expected="one column per meaning; rename or remove one",
                place=table.place(row=1, column=column),
            )
        claimed[canonical] = column
        renames[column] = canonical
    return table.data.rename(columns=renames)


def _directions(values: pd.Series) -> bool:
    """Whether a column holds edge directions (``Directed``, ``Undirected``) rather than relations."""
    from onatool.io.networks import DIRECTIONS

    found = {str(v).strip().casefold() for v in pd.unique(values.to_numpy(dtype=object))} - {""}
    return bool(found) and found <= DIRECTIONS
