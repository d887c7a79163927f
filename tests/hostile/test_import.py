"""The whole import of every corpus file into a workspace: saved whole, or nothing changes.

Each bad file is imported the ways the app offers (as the wave's answers in each layout,
or as a new roster with good answers) into a copy of a workspace that already holds a
project; a refusal must be clear and leave every table of the workspace as it was.
"""

from __future__ import annotations

import pytest

from onatool.errors import DuplicateNameError
from onatool.project import LAYOUTS, Project
from onatool.store import Workspace
from tests.hostile.checks import import_and_check
from tests.hostile.corpus import CASES, good_ties_rows, write_csv
from tests.hostile.workspaces import PROJECT, copy_workspace, dump

MODES = [*LAYOUTS, "as roster"]
# The 10,000-column files take seconds each to import whole; the reader test covers them
# in the default run, and -m slow imports them too.
CASE_PARAMS = [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if "10000" in c.name else [])
               for c in CASES]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_a_bad_file_is_imported_whole_or_changes_nothing(case, mode, template, tmp_path, tally):
    ws = Workspace(copy_workspace(template, tmp_path / "ws.sqlite"))
    folder = tmp_path / "files"
    folder.mkdir()
    path = case.write(folder)
    if mode == "as roster":
        answers = write_csv(tmp_path / "answers.csv", good_ties_rows())
        outcome = import_and_check(ws, answers, layout="edge list", roster_file=path)
    else:
        outcome = import_and_check(ws, path, layout=mode, roster_file=None)
    tally(f"corpus whole import ({outcome})")
    expected = case.outcome({"edge list": "ties", "matrix": "matrix", "survey export": "survey",
                             "as roster": "roster"}[mode])
    if expected == "ok":
        assert outcome == "saved"
    elif expected == "error":
        assert outcome == "refused"


def test_a_taken_wave_name_saves_nothing_not_even_the_new_roster(template, tmp_path):
    """The half import save_wave used to leave: new roster saved, wave refused."""
    ws = Workspace(copy_workspace(template, tmp_path / "ws.sqlite"))
    roster = write_csv(tmp_path / "roster.csv", [["id", "name"], ["R1", "Ann"], ["R9", "New Person"]])
    answers = write_csv(tmp_path / "answers.csv", [["source", "target"], ["R1", "R9"]])
    result = Project(ws, PROJECT).read_wave(answers, wave="baseline", roster_file=roster)
    before = dump(ws.path)
    with pytest.raises(DuplicateNameError, match="baseline"):
        Project(ws, PROJECT).save_wave(result)
    assert dump(ws.path) == before
    assert len(ws.load_roster(PROJECT)[0]) == 6  # the old roster, not the two-person one
