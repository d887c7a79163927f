"""A project made of payloads: names, organisations, cohort, wave, relation and project names.

Every text a respondent or the person importing could type is a payload from
:mod:`tests.hostile.payloads`, in groups large enough (five or more) that suppression
does not hide them, so every page, map, report and export has to show them as text.
"""

from __future__ import annotations

from pathlib import Path

from onatool.project import Project
from onatool.store import Workspace
from tests.hostile.corpus import write_csv
from tests.hostile.payloads import PAYLOADS

#: Markdown that would fetch from outside if rendered (an image) or link out.
MARKDOWN = ("![pixel](http://evil.example/pixel.png)", "[click](http://evil.example/phish)")
PROJECT = "P {{7*7}} <img src=x onerror=alert(1)> " + MARKDOWN[0]
WAVES = ("baseline", '"><svg onload=alert(1)> ' + MARKDOWN[1])
ORGANISATIONS = (PAYLOADS[0], PAYLOADS[1], PAYLOADS[7])  # script, svg, =HYPERLINK(...)
COHORT = "@SUM(1) " + MARKDOWN[0]
RELATION = "advice"
NAMES = (*PAYLOADS, *MARKDOWN, "Plain Person")
#: The names as onatool keeps them (a roster's cells are stripped of surrounding space).
SHOWN_NAMES = tuple(n.strip() for n in NAMES)
#: Every string the project holds that must come back out as exactly this text.
TEXTS = (PROJECT, *WAVES, *ORGANISATIONS, COHORT, *NAMES)
LEVELS = ("top", "middle", "bottom")


def roster_rows() -> list[list[str]]:
    rows = [["id", "name", "email", "organisation", "sector", "level", "cohort", "team <b>x</b>"]]
    for n, name in enumerate(NAMES):
        rows.append([f"H{n:02d}", name, f"h{n:02d}@example.nhs.uk", ORGANISATIONS[n % 3],
                     ORGANISATIONS[(n + 1) % 3], LEVELS[n % 3], COHORT if n % 2 else "",
                     PAYLOADS[(n + 3) % len(PAYLOADS)]])
    return rows


def tie_rows(wave: int) -> list[list[str]]:
    """A ring plus chords, a little different per wave (so there is change to show)."""
    n = len(NAMES)
    rows = [["source", "target", "relation", "weight"]]
    for i in range(n):
        for step in (1, 3 + wave, 7):
            rows.append([f"H{i:02d}", f"H{(i + step) % n:02d}", RELATION, str(1 + (i + step) % 3)])
    return rows


def build(folder: Path, workspace: Path) -> Workspace:
    """Save the hostile project (two waves) into ``workspace``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    ws = Workspace(workspace)
    ws.create_project(PROJECT, description="Made of payloads " + MARKDOWN[1])
    roster = write_csv(folder / "hostile roster.csv", roster_rows())
    for number, wave in enumerate(WAVES):
        ties = write_csv(folder / f"ties {number}.csv", tie_rows(number))
        Project(ws, PROJECT).save_wave(Project(ws, PROJECT).read_wave(ties, wave=wave, roster_file=roster))
    return ws
