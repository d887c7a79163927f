"""Checks every file passes before any parser sees it.

Size, type by magic bytes (an ``.xlsx`` must be a zip; a CSV must not be binary), and
the xlsx zip directory (entry count, declared uncompressed size, compression ratio),
so a zip bomb is refused in milliseconds without inflating anything.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from onatool.errors import UnsafeFileError

__all__ = ["Limits", "check_bytes", "check_file", "lone_nuls_only", "require_defused_xml", "strip_lone_nuls"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / encrypted workbooks


@dataclass(frozen=True)
class Limits:
    """What a file may be. Defaults suit survey exports of tens of thousands of rows."""

    max_bytes: int = int(os.environ.get("ONATOOL_MAX_UPLOAD_MB", "50")) * 1024 * 1024
    max_zip_entries: int = 2_000
    max_uncompressed: int = 500 * 1024 * 1024
    max_ratio: float = 200.0


def check_bytes(head: bytes, size: int, name: str, limits: Limits = Limits()) -> None:
    """Refuse by size and magic bytes (no zip inspection)."""
    if size > limits.max_bytes:
        raise UnsafeFileError(
            f"{name}: the file is {size / 1e6:.1f} MB, over the limit of "
            f"{limits.max_bytes / 1e6:.0f} MB. Split it, or raise ONATOOL_MAX_UPLOAD_MB."
        )
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        if head.startswith(OLE_MAGIC):
            raise UnsafeFileError(
                f"{name}: this is a legacy or password-protected Excel file, not .xlsx. "
                "Remove the password and save it as .xlsx (Excel Workbook)."
            )
        if not head.startswith(ZIP_MAGIC):
            raise UnsafeFileError(
                f"{name}: named .xlsx but its contents are not an Excel workbook. Open it in Excel "
                "and save it as .xlsx (Excel Workbook), or upload it as .csv if it is text."
            )
    elif b"\x00" in head and not lone_nuls_only(head):
        raise UnsafeFileError(
            f"{name}: this looks like a binary file (or a CSV saved as UTF-16), not a text CSV. "
            "Save it as CSV UTF-8, or upload a workbook as .xlsx."
        )


#: A cell holding nothing but a NUL byte: SurveyMonkey writes one under every metadata
#: column of its sub-header row. A NUL anywhere else means binary or UTF-16 text.
_LONE_NUL = re.compile(rb"(?:(?<=^)|(?<=[,;\t\n]))\x00(?=[,;\t\r\n]|$)", re.M)


def lone_nuls_only(data: bytes) -> bool:
    """Whether every NUL byte in ``data`` is a cell of its own (as SurveyMonkey writes).

    Examples
    --------
    >>> lone_nuls_only(b"ID,Q\\r\\n\\x00,Name\\r\\n"), lone_nuls_only(b"R1\\x00,R2")
    (True, False)
    """
    return b"\x00" not in _LONE_NUL.sub(b"", data)


def strip_lone_nuls(data: bytes) -> bytes:
    """``data`` with its lone-NUL cells made blank (see :func:`lone_nuls_only`)."""
    return _LONE_NUL.sub(b"", data)


def require_defused_xml() -> None:
    """Refuse to parse workbooks unless openpyxl reads their XML through defusedxml.

    openpyxl switches to defusedxml's parsers when the package is installed (it is a
    hard dependency of onatool) unless ``OPENPYXL_DEFUSEDXML=False`` turned it off.

    Raises
    ------
    UnsafeFileError
        When openpyxl would parse XML with the standard library's parsers.
    """
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise UnsafeFileError(
            "Excel workbooks are not read because openpyxl is not using defusedxml; "
            "install defusedxml and unset OPENPYXL_DEFUSEDXML."
        )


def check_file(path: str | Path, limits: Limits = Limits()) -> None:
    """Refuse a file that is too large, of the wrong type, or a zip bomb.

    Raises
    ------
    UnsafeFileError
        With the file's name and what to do.
    """
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(4096)
    check_bytes(head, size, path.name, limits)
    if path.suffix.lower() == ".xlsx":
        _check_zip(path, size, limits)


def _check_zip(path: Path, size: int, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise UnsafeFileError(
            f"{path.name}: the workbook is damaged or cut short (not a valid zip). Download or "
            "export it again, then open it in Excel and save it as .xlsx."
        ) from None
    if len(entries) > limits.max_zip_entries:
        raise UnsafeFileError(
            f"{path.name}: the workbook holds {len(entries)} parts, more than a survey export "
            f"needs (limit {limits.max_zip_entries}); it was refused as unsafe. Export the "
            "answers again, or copy the sheet into a new workbook."
        )
    declared = sum(e.file_size for e in entries)
    compressed = max(1, sum(e.compress_size for e in entries))
    if declared > limits.max_uncompressed or declared / compressed > limits.max_ratio:
        raise UnsafeFileError(
            f"{path.name}: the workbook would expand to {declared / 1e6:.0f} MB "
            f"({declared / compressed:.0f} times its size): refused as a possible zip bomb. Export "
            "the answers again, or save the sheet as CSV UTF-8."
        )
