"""Checks that payloads stay inert in each kind of file onatool writes.

HTML: no payload markup survives unescaped, no ``javascript:`` URL, no template
evaluated. Spreadsheets: no formula cell. CSV: no text cell a spreadsheet would run as a
formula. XML: parses through defusedxml. Each check returns how many payload strings it
found intact (as the text they are), so tests can say the payloads went through.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from defusedxml import ElementTree as SafeTree

from tests.hostile.payloads import DANGEROUS_MARKUP, FORMULA_STARTS

_JS_URL = re.compile(r"""(?i)<[a-z][^<>]*\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:""")
_MARKDOWN_LIVE = re.compile(r"(?<!\\)!?(?<!\\)\[[^\]\n]*(?<!\\)\]\((?!#)")


def check_html(text: str, where: str = "page") -> None:
    """No payload markup, ``javascript:`` URL or evaluated template in an HTML page."""
    for markup in DANGEROUS_MARKUP:
        assert markup not in text, f"{where}: {markup!r} appears unescaped"
    assert not _JS_URL.search(text), f"{where}: a javascript: URL in an attribute"
    assert "{{7*7}}" in text or "7*7" not in text, f"{where}: a template was evaluated"


def check_markdown(text: str, where: str = "markdown") -> None:
    """No live Markdown link or image (unescaped ``[..](..)``) in text rendered as Markdown."""
    found = _MARKDOWN_LIVE.search(text)
    assert not found, f"{where}: live Markdown {found.group(0)!r} in {text[:200]!r}"


def unescape_markdown(text: str) -> str:
    """What a Markdown renderer shows for backslash-escaped text."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_csv_text(text: str, where: str = "csv") -> list[str]:
    """No text cell starts like a formula (numbers such as -0.5 may); return every cell."""
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_STARTS) and not _is_number(cell):
            raise AssertionError(f"{where}: cell {cell!r} would run as a formula")
    return cells


def check_csv(path: Path) -> list[str]:
    return check_csv_text(path.read_text(encoding="utf-8-sig"), str(path.name))


def check_xlsx(path: Path) -> list[str]:
    """No formula cell in any sheet; return every text cell."""
    book = openpyxl.load_workbook(path)  # not read-only: data_type says what each cell is
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}!{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def check_xml(path: Path) -> str:
    """Parses through defusedxml (no entities); return its text."""
    SafeTree.parse(path)
    return path.read_text(encoding="utf-8")


def check_file(path: Path) -> str:
    """Check one written file by its kind; return its text as a reader sees it."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = path.read_text(encoding="utf-8")
        check_html(text, path.name)
        return html.unescape(text)
    if suffix == ".csv":
        return "\n".join(check_csv(path))
    if suffix == ".xlsx":
        return "\n".join(check_xlsx(path))
    if suffix in (".graphml", ".gexf", ".svg"):
        return html.unescape(check_xml(path))
    if suffix == ".json":
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive, _unzipped(archive) as folder:
            return "\n".join(check_file(p) for p in sorted(folder.rglob("*")) if p.is_file())
    if suffix in (".md", ".yaml", ".yml", ".txt"):
        return path.read_text(encoding="utf-8")
    return ""


class _unzipped:
    def __init__(self, archive: zipfile.ZipFile):
        import tempfile

        self._folder = tempfile.TemporaryDirectory()
        archive.extractall(self._folder.name)

    def __enter__(self) -> Path:
        return Path(self._folder.name)

    def __exit__(self, *exc: object) -> None:
        self._folder.cleanup()


def check_folder(folder: Path) -> tuple[list[Path], str]:
    """Check every file under ``folder``; return them and their text joined."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return files, "\n".join(check_file(p) for p in files)


def intact(texts: Iterable[str], haystack: str) -> list[str]:
    """Which of ``texts`` appear exactly in ``haystack``."""
    return [t for t in texts if t.strip() and t.strip() in haystack]
