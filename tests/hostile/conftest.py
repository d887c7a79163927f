"""The hostile-input suite: fuzz counts are tallied here and written at the end of the run.

Every test that feeds onatool a case (a corpus file to a reader, a hypothesis example, a
payload to a renderer) calls ``tally(kind)``; at the end of the session the counts go to
``test-artifacts/fuzz_counts.json`` and into the terminal summary, so a run says how
much it tried, not only that it passed.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.hostile.counts import COUNTS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

def pytest_terminal_summary(terminalreporter) -> None:
    if not COUNTS:
        return
    terminalreporter.section("hostile input: cases tried")
    for kind, n in sorted(COUNTS.items()):
        terminalreporter.write_line(f"{kind:40} {n:6d}")
    terminalreporter.write_line(f"{'total':40} {sum(COUNTS.values()):6d}")


def pytest_sessionfinish(session) -> None:
    if not COUNTS:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    body = {"total": sum(COUNTS.values()), "by_kind": dict(sorted(COUNTS.items()))}
    (ARTIFACTS / "fuzz_counts.json").write_text(json.dumps(body, indent=2) + "\n")


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


@pytest.fixture
def tally():
    """``tally(kind, n=1)``: count cases tried, by kind."""

    def _tally(kind: str, n: int = 1) -> None:
        COUNTS[kind] += n

    return _tally
