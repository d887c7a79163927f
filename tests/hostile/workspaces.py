"""Workspace helpers for the hostile tests: a template project, copies, and dumps to compare."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from onatool.project import Project
from onatool.store import Workspace
from tests.hostile.corpus import good_roster, good_ties_rows, write_xlsx

PROJECT = "P"


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a workspace file, in a stable order (for before/after)."""
    with sqlite3.connect(path) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def copy_workspace(source: Path, target: Path) -> Path:
    """Copy a workspace file (its WAL checkpointed first) to ``target``."""
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(source, target)
    return target


def make_template(folder: Path) -> Path:
    """A workspace whose project ``P`` has the good roster and a baseline wave saved."""
    ws = Workspace(folder / "template.sqlite")
    ws.create_project(PROJECT)
    ties = write_xlsx(folder / "baseline.xlsx", {"Sheet1": good_ties_rows()})
    Project(ws, PROJECT).save_wave(Project(ws, PROJECT).read_wave(ties, wave="baseline", roster_file=good_roster(folder)))
    return ws.path
