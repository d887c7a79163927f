"""Checks shared by the hostile tests: what a result must keep, what an import must leave."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import currently_in_test_context, note

from onatool.errors import OnaError
from onatool.io import ImportResult, Roster
from onatool.io.detect import Detection
from onatool.io.layouts import LAYOUTS
from onatool.project import Project
from onatool.store import Workspace
from tests.hostile.corpus import assert_clear_refusal
from tests.hostile.workspaces import dump


def check_result(value: object) -> None:
    """What must hold of anything a reader returns."""
    if isinstance(value, Roster):
        people = value.people
        assert people.index.is_unique and people.index.equals(value.identities.index)
        assert people["label"].is_unique
        assert value.report.balanced()
    elif isinstance(value, ImportResult):
        net = value.network
        assert value.report.balanced(), "a row was read but not accounted for"
        ends = set(net.ties["source"]) | set(net.ties["target"])
        assert ends <= set(net.people.index), "a tie to someone not in the network"
        assert np.isfinite(net.ties["weight"].to_numpy(dtype=float)).all()
        assert set(net.people.index) <= set(value.roster.people.index)
    else:
        assert isinstance(value, Detection) and value.layout in LAYOUTS


def show(*paths: Path | None) -> None:
    """Put the files' first bytes in hypothesis' report of a failing example."""
    if currently_in_test_context():
        for path in paths:
            if path is not None and path.is_file():
                note(f"{path.name}: {path.read_bytes()[:600]!r}")


def import_and_check(ws: Workspace, answers: Path, *, layout: str, roster_file: Path | None) -> str:
    """Read and save one wave; return "saved" or "refused" after checking the workspace."""
    show(answers, roster_file)
    before = dump(ws.path)
    try:
        result = Project(ws, "P").read_wave(answers, layout=layout, wave="next", roster_file=roster_file)
        info = Project(ws, "P").save_wave(result)
    except Exception as error:  # the point is to see what escapes
        assert_clear_refusal(error, roster_file if _blames(error, roster_file) else answers)
        assert dump(ws.path) == before, "a failed import changed the workspace"
        return "refused"
    assert result.report.balanced()
    saved = ws.load_wave("P", info.name)
    assert saved.people.index.equals(result.network.people.index)
    assert saved.ties.reset_index(drop=True).equals(result.network.ties.reset_index(drop=True))
    people, _ = ws.load_roster("P")
    assert people.index.equals(result.roster.people.index)
    # Saving it again under the same name is refused, and changes nothing (no half import).
    again = dump(ws.path)
    with pytest.raises(OnaError, match="already has a wave named 'next'"):
        Project(ws, "P").save_wave(result)
    assert dump(ws.path) == again
    return "saved"


def _blames(error: BaseException, roster_file: Path | None) -> bool:
    return roster_file is not None and roster_file.name in str(error)


