"""Hypothesis fuzzing of every reader and of the whole import into a workspace.

Generated tables (valid and not), random bytes and mangled workbooks are fed to every
reader: each either returns a result that keeps its promises (every row accounted
for, ties only between people in the network, finite weights) or raises an OnaError
naming the file and the fix. Imports into a workspace either save whole or leave it
exactly as it was. The default run is modest; ``-m slow`` runs ten times as many.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onatool.project import LAYOUTS
from onatool.store import Workspace
from tests.hostile.checks import check_result, import_and_check, show
from tests.hostile.corpus import (
    READERS,
    assert_clear_refusal,
    good_roster,
    good_ties_rows,
    write_xlsx,
)
from tests.hostile.counts import COUNTS, FAST, SLOW
from tests.hostile.strategies import (
    edge_list_files,
    forms_files,
    mangled_workbooks,
    roster_files,
    table_files,
)
from tests.hostile.workspaces import copy_workspace

_ROSTER_DIR = Path(tempfile.mkdtemp(prefix="onatool-fuzz-"))
ROSTER = READERS["roster"](good_roster(_ROSTER_DIR), None)
VALID_XLSX = write_xlsx(_ROSTER_DIR / "valid.xlsx", {"Sheet1": good_ties_rows()}).read_bytes()


def run_every_reader(path: Path, kind: str) -> None:
    """Each reader on ``path``: a result that keeps its promises, or a clear refusal."""
    show(path)
    for reader in READERS.values():
        COUNTS[f"fuzz: {kind} x reader"] += 1
        try:
            value = reader(path, ROSTER)
        except Exception as error:  # the point is to see what escapes
            assert_clear_refusal(error, path)
        else:
            check_result(value)


def _tables_body(data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_every_reader(data.draw(table_files(Path(folder))), "generated table")


def _bytes_body(raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(raw)
        run_every_reader(path, "random bytes")


def _workbook_body(data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_every_reader(data.draw(mangled_workbooks(Path(folder), VALID_XLSX)), "mangled workbook")


@FAST
@given(st.data())
def test_generated_tables_through_every_reader(data):
    _tables_body(data)


@FAST
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".xlsx", ".tsv", ".txt"]))
def test_random_bytes_through_every_reader(raw, suffix):
    _bytes_body(raw, suffix)


@FAST
@given(st.data())
def test_mangled_workbooks_through_every_reader(data):
    _workbook_body(data)


@pytest.mark.slow
@SLOW
@given(st.data())
def test_generated_tables_through_every_reader_long(data):
    _tables_body(data)


@pytest.mark.slow
@SLOW
@given(st.binary(max_size=20_000), st.sampled_from([".csv", ".xlsx", ".tsv", ".txt"]))
def test_random_bytes_through_every_reader_long(raw, suffix):
    _bytes_body(raw, suffix)


@pytest.mark.slow
@SLOW
@given(st.data())
def test_mangled_workbooks_through_every_reader_long(data):
    _workbook_body(data)


# The whole import, into a workspace ------------------------------------------------------


def _import_body(data, template: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        ws = Workspace(copy_workspace(template, folder / "ws.sqlite"))
        layout = data.draw(st.sampled_from(LAYOUTS))
        likely = {"edge list": edge_list_files(folder), "survey export": forms_files(folder)}.get(layout)
        answers = data.draw(table_files(folder) if likely is None or data.draw(st.booleans()) else likely)
        roster_file = data.draw(st.one_of(st.none(), st.none(), roster_files(folder),
                                          table_files(folder, stem="roster")))
        outcome = import_and_check(ws, answers, layout=layout, roster_file=roster_file)
        COUNTS[f"fuzz: whole import ({outcome})"] += 1


@FAST
@given(data=st.data())
def test_generated_imports_save_whole_or_change_nothing(data, template):
    _import_body(data, template)


@pytest.mark.slow
@SLOW
@given(data=st.data())
def test_generated_imports_save_whole_or_change_nothing_long(data, template):
    _import_body(data, template)
