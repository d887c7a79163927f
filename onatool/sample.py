"""The bundled sample ICS place partnership (synthetic), ready to import.

The files live in the repository's ``sample_data/`` folder, written by the seeded
generator beside them; see ``sample_data/README.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

from onatool.errors import InputFormatError
from onatool.io import ImportResult, read_roster, read_ties
from onatool.pseudonyms import pseudonym

__all__ = ["SAMPLE_PROJECT", "SAMPLE_WAVES", "ensure_sample_project", "load_sample", "sample_dir"]

#: Wave label -> ties file, in time order.
SAMPLE_WAVES = {"baseline": "ties_baseline.csv", "follow-up": "ties_followup.csv"}
#: The sample's own fixed key, so its pseudonyms are the same on every machine.
SAMPLE_KEY = bytes.fromhex("5a" * 32)


def sample_dir() -> Path:
    """The folder holding the sample files (``$ONATOOL_SAMPLE_DIR`` overrides)."""
    here = Path(os.environ.get("ONATOOL_SAMPLE_DIR", Path(__file__).resolve().parents[1] / "sample_data"))
    if not (here / "roster.csv").exists():
        raise InputFormatError(
            f"the sample partnership is not at {here}",
            expected="a checkout of onatool with its sample_data/ folder (or ONATOOL_SAMPLE_DIR set)",
        )
    return here


def load_sample(key: bytes = SAMPLE_KEY) -> list[ImportResult]:
    """Import both waves of the sample partnership, in time order.

    Parameters
    ----------
    key
        Pseudonym key; the default is the sample's fixed key.
    """
    folder = sample_dir()
    roster = read_roster(folder / "roster.csv", key=key)
    return [read_ties(folder / file, roster, wave=wave) for wave, file in SAMPLE_WAVES.items()]


def sample_person_id(roster_id: str, key: bytes = SAMPLE_KEY) -> str:
    """The ``person_id`` a sample roster id gets under ``key`` (for tests and docs)."""
    return pseudonym(key, roster_id)


SAMPLE_PROJECT = "Northmoor place partnership (sample)"


def ensure_sample_project(workspace) -> str | None:
    """On first start (a workspace with no project), create the sample project.

    Imports both waves with the workspace's own key for the project, saves the roster,
    the waves with their import reports, and a layout fixed over both waves, so maps
    of the two waves hold still. Safe when two sessions race to create it. A user who
    deletes the sample while keeping projects of their own does not get it back.

    Returns
    -------
    str or None
        The sample project's name if it was created (or was being created), else None.
    """
    from onatool.errors import OnaError
    from onatool.viz.layout import compute_layout

    if workspace.projects():
        return None
    try:
        workspace.create_project(
            SAMPLE_PROJECT,
            description="A synthetic ICS place partnership, surveyed twice a year apart (bundled sample).",
        )
    except OnaError:  # another session created it first
        return SAMPLE_PROJECT
    try:
        results = load_sample(workspace.project_key(SAMPLE_PROJECT))
        roster = results[0].roster
        workspace.save_roster(SAMPLE_PROJECT, roster.people, roster.identities)
        for result in results:
            workspace.save_wave(SAMPLE_PROJECT, result.network, report=result.report.to_dict())
        workspace.save_layout(SAMPLE_PROJECT, compute_layout([r.network for r in results], seed=0))
    except BaseException:
        workspace.delete_project(SAMPLE_PROJECT)
        raise
    return SAMPLE_PROJECT
