"""The hostile-input suite: fuzz counts are tallied here and written at the end of the run.

Every test that feeds onatool a case (a corpus file to a reader, a hypothesis example, a
payload to a renderer) calls ``tally(kind)``; at the end of the session the counts go to
``test-artifacts/fuzz_counts.json`` and into the terminal summary, so a run says how
much it tried, not only that it passed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.counts import COUNTS
from tests.hostile.workspaces import make_template

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


@pytest.fixture
def tally():
    """``tally(kind, n=1)``: count cases tried, by kind."""

    def _tally(kind: str, n: int = 1) -> None:
        COUNTS[kind] += n

    return _tally


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """A workspace file whose project ``P`` has a roster and a baseline wave (copy it, never write)."""
    return make_template(tmp_path_factory.mktemp("template"))
