"""Read a user's CSV or XLSX into plain string tables, with clear errors.

Every cell comes back as text (``""`` for a blank), so no reader guesses types: ids
like ``007`` keep their zeros and numbers are parsed where a number is expected, with
an error naming the cell when it is not one. Rows are numbered as a spreadsheet shows
them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place, UnsafeFileError

__all__ = ["Sheet", "is_number", "read_sheets", "read_table", "sheet_row", "paused_gc", "stripped", "with_header"]

ENCODINGS = ("utf-8-sig", "cp1252")
TABULAR = {".csv", ".txt", ".tsv", ".xlsx"}
REFUSED = {
    ".xlsm": "macro-enabled workbooks are refused; save it as .xlsx (Excel Workbook) first",
    ".xls": "the old .xls format is not read; open it in Excel and save as .xlsx",
    ".xlsb": "binary workbooks are not read; save it as .xlsx",
}


@dataclass(frozen=True)
class Sheet:
    """One table read from a file: its cells as text and where it came from."""

    data: pd.DataFrame
    file: str
    sheet: str | None = None

    def place(self, row: int | None = None, column: str | None = None) -> Place:
        """A :class:`~onatool.errors.Place` in this table."""
        return Place(self.file, self.sheet, row, column)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a large table's cells and rows are built.

    Reading a file creates hundreds of thousands of lists, cells and outcome records, none
    of them cyclic garbage; each gets scanned by the collector again and again as they
    pile up, about a fifth of an import's time at 50,000 people. Reference counting still
    frees everything as usual. The collector is switched back on only if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sheet_row(position: int, header_rows: int = 1) -> int:
    """Spreadsheet row number of the data row at 0-based ``position``."""
    return position + header_rows + 1


def _check_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in REFUSED:
        raise UnsafeFileError(f"{path.name}: {REFUSED[suffix]}.")
    if suffix not in TABULAR:
        raise InputFormatError(
            f"cannot read files of type '{suffix or 'none'}'",
            expected="a .csv or .xlsx file",
            place=Place(file=path.name),
        )
    if not path.exists():
        raise InputFormatError("file not found", expected="an existing file", place=Place(file=str(path)))
    if not path.is_file():
        raise InputFormatError("this is a folder, not a file", expected="a .csv or .xlsx file",
                               place=Place(file=path.name))
    from onatool.io import safety

    safety.check_file(path)
    return suffix


def _decode(raw: bytes, name: str) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFormatError(
        "the text encoding is not recognised",
        expected="a CSV saved as UTF-8 (or Windows-1252)",
        place=Place(file=name),
    )


def _read_csv(path: Path, header_rows: int) -> pd.DataFrame:
    from onatool.io import safety

    raw = path.read_bytes()
    if b"\x00" in raw:
        if not safety.lone_nuls_only(raw):
            raise UnsafeFileError(
                f"{path.name}: this looks like a binary file (or a CSV saved as UTF-16), not a text CSV. "
                "Save it as CSV UTF-8, or upload a workbook as .xlsx."
            )
        raw = safety.strip_lone_nuls(raw)
    text = _decode(raw, path.name)
    if not text.strip():
        raise InputFormatError("the file is empty", expected="a header row and data rows", place=Place(file=path.name))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KB field limit
        raise InputFormatError(
            f"the CSV cannot be read ({exc})",
            expected="cells of ordinary length, with quotes closed; save it again as CSV UTF-8",
            place=Place(file=path.name, row=reader.line_num),
        ) from None
    return _frame(rows, header_rows, Place(file=path.name), text=True)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _frame(rows: list[list[object]], header_rows: int, place: Place, *, text: bool = False) -> pd.DataFrame:
    """The table of ``rows`` (cells converted to text unless ``text`` says they are already)."""
    return _framed(_cells(rows, place, text=text), header_rows, place)


def _cells(rows: list[list[object]], place: Place, *, text: bool = False) -> np.ndarray:
    """Every cell as text in one 2-D object array: trailing blank rows removed, short rows padded.

    ``text`` says every cell is a ``str`` already (a CSV's), so no cell is converted.
    """
    if not text:
        rows = [[_cell_text(v) for v in row] for row in rows]
    end = len(rows)
    while end and not any(c.strip() for c in rows[end - 1]):
        end -= 1
    if not end:  # only separators and blanks, e.g. ",,\n ,\n"
        raise InputFormatError("the table is empty", expected="a header row and data rows", place=place)
    rows = rows[:end]
    width = max(map(len, rows))
    cells = np.empty((len(rows), width), dtype=object)
    if all(len(r) == width for r in rows):
        cells[:] = rows
    else:
        cells.fill("")
        for position, row in enumerate(rows):
            cells[position, : len(row)] = row
    return cells


def _framed(cells: np.ndarray, header_rows: int, place: Place) -> pd.DataFrame:
    """The table of text cells, the first row as column names when ``header_rows`` is 1."""
    if header_rows != 1:
        return pd.DataFrame(cells, dtype=object)
    header = [h.strip() for h in cells[0]]
    for position, name in enumerate(header):
        if name:
            continue
        used = next((n for n, v in enumerate(cells[1:, position], start=2) if v.strip()), None)
        if used is not None:
            raise InputFormatError(
                f"column {position + 1} has values (first on row {used}) but no header",
                expected="a name on the first row above every column in use",
                place=Place(place.file, place.sheet, 1),
            )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputFormatError(
                f"the header {name!r} appears more than once",
                expected="each column name once",
                place=Place(place.file, place.sheet, 1, name),
            )
        seen.add(name)
    return pd.DataFrame(cells[1:], columns=header, dtype=object)


def with_header(raw: Sheet) -> Sheet:
    """A table read with ``header_rows=0``, its first row made the column names.

    The same table, with the same checks and errors, as reading the file again with
    ``header_rows=1``: so a reader that looked at a file's raw cells need not read it twice.
    """
    return Sheet(_framed(raw.data.to_numpy(dtype=object), 1, raw.place()), raw.file, raw.sheet)


def stripped(data: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text without surrounding spaces (``str(v).strip()``), column by column, as object columns."""
    columns = {}
    for position in range(data.shape[1]):
        values = data.iloc[:, position].to_numpy(dtype=object)
        if pd.api.types.infer_dtype(values, skipna=False) == "string":  # every cell text already: the usual case
            columns[position] = np.array([v.strip() for v in values], dtype=object)
        else:
            columns[position] = np.array([str(v).strip() for v in values], dtype=object)
    out = pd.DataFrame(columns, index=data.index, dtype=object)
    out.columns = data.columns
    return out


def read_sheets(path: str | Path, *, header_rows: int = 1) -> list[Sheet]:
    """Every sheet of an XLSX (or the one table of a CSV), as text.

    Parameters
    ----------
    path
        A ``.csv``, ``.tsv``, ``.txt`` or ``.xlsx`` file.
    header_rows
        Header rows to use as column names: 1 (usual) or 0 (keep every row as data,
        for adjacency matrices and multi-row survey headers).

    Raises
    ------
    InputFormatError
        Empty file, unreadable encoding, missing or repeated headers.
    UnsafeFileError
        Macro-enabled or legacy Excel files, or a file that fails the safety checks.
    """
    path = Path(path)
    suffix = _check_type(path)
    if suffix != ".xlsx":
        with paused_gc():
            return [Sheet(_read_csv(path, header_rows), path.name)]
    import openpyxl  # reads XML through defusedxml (checked just below)

    from onatool.io.safety import require_defused_xml

    require_defused_xml()
    with warnings.catch_warnings():
        # openpyxl warns about parts it does not keep (sensitivity labels, "Unknown
        # extension", data validation): nothing onatool reads, nothing a user can act on.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?")
        sheets = _workbook_sheets(path, openpyxl, header_rows)
    if not sheets:
        raise InputFormatError("every sheet is empty", expected="a sheet with data", place=Place(file=path.name))
    return sheets


def _workbook_sheets(path: Path, openpyxl, header_rows: int) -> list[Sheet]:
    """Every sheet with data of an opened workbook, as text."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _workbook_error(exc, path) from None
    try:
        sheets = []
        for ws in book.worksheets:
            try:
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
            except Exception as exc:  # cells are parsed lazily, so damage shows here too
                raise _workbook_error(exc, path) from None
            if not any(any(_cell_text(v).strip() for v in r) for r in rows):
                continue
            place = Place(file=path.name, sheet=ws.title)
            sheets.append(Sheet(_frame(rows, header_rows, place), path.name, ws.title))
    finally:
        book.close()
    return sheets


def _workbook_error(exc: Exception, path: Path) -> Exception:
    """The error to raise for a workbook openpyxl could not read."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__  # openpyxl wraps it in a ValueError
    if cause is not None:
        exc = cause  # type: ignore[assignment]
        return UnsafeFileError(
            f"{path.name}: the workbook's XML declares entities or external references "
            f"({type(exc).__name__}), which Excel never writes; it was refused unread."
        )
    return InputFormatError(
        f"this is not a readable Excel workbook ({type(exc).__name__})",
        expected="an .xlsx file saved by Excel, LibreOffice or a survey platform",
        place=Place(file=path.name),
    )


def read_table(path: str | Path, *, sheet: str | None = None, header_rows: int = 1) -> Sheet:
    """One table: a CSV, or one sheet of an XLSX (the first with data by default).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id,name\\n007,Ann\\n")
    >>> read_table(p).data.to_dict("records")
    [{'id': '007', 'name': 'Ann'}]
    """
    sheets = read_sheets(path, header_rows=header_rows)
    if sheet is None:
        return sheets[0]
    for candidate in sheets:
        if candidate.sheet == sheet:
            return candidate
    raise InputFormatError(
        f"no sheet named {sheet!r}",
        expected=f"one of {[s.sheet for s in sheets]}",
        place=Place(file=Path(path).name),
    )


def identity_column(columns) -> object | None:
    """The column naming the person (``id``, then ``email``, then ``name``, by their header variants), or None."""
    canonical = {column: schema.canonical_header(column) for column in columns}
    return next((c for key in schema.IDENTITY_COLUMNS for c, k in canonical.items() if k == key), None)


def is_number(text: str) -> bool:
    """Whether a cell's text reads as a number (``"4.2"``, ``"-1"``, ``"1e3"``).

    Examples
    --------
    >>> is_number(" 4.2 "), is_number("Weekly")
    (True, False)
    """
    try:
        float(text)
    except ValueError:
        return False
    return True
