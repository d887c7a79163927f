"""The bundled sample ICS place (synthetic), ready to import.

The files live in the repository's ``sample_data/`` folder, written by the seeded
generator beside them; see ``sample_data/README.md``.

People change organisation or level between waves. The roster holds one row per person
with their values as at their last wave; for the few who changed, ``changed_in`` names
the wave from which those values apply and ``earlier_organisation``, ``earlier_sector``,
``earlier_level`` and ``earlier_team`` hold the values before it. Each wave is read
against the roster as at that wave (:func:`roster_for_wave`), so each wave's network
carries its own attributes, as a project does when a wave is read with an updated roster.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import ImportResult, Roster, read_roster, read_ties
from onatool.privacy import pseudonym

__all__ = [
    "SAMPLE_COHORTS",
    "SAMPLE_PROJECT",
    "SAMPLE_WAVES",
    "ensure_sample_project",
    "load_sample",
    "roster_for_wave",
    "sample_dir",
]

#: Wave label -> ties file, in time order.
SAMPLE_WAVES = {"baseline": "ties_baseline.csv", "interim": "ties_interim.csv", "final": "ties_final.csv"}
#: The two leadership-programme cohorts (roster ``cohort``): cohort 1's programme ran
#: between baseline and interim, cohort 2's between interim and final.
SAMPLE_COHORTS = ("Leadership programme 1", "Leadership programme 2")
#: Roster columns that say what applied before a person changed organisation or level.
CHANGED_IN = "changed_in"
EARLIER = {"earlier_organisation": schema.ORGANISATION, "earlier_sector": "sector",
           "earlier_level": schema.LEVEL, "earlier_team": "team"}
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


def roster_for_wave(roster: Roster, wave: str, waves: tuple[str, ...] = tuple(SAMPLE_WAVES)) -> Roster:
    """The roster as at ``wave``: earlier values for people who changed in a later wave.

    Parameters
    ----------
    roster
        The roster as read, with ``changed_in`` and ``earlier_*`` columns (a roster
        without them is returned unchanged).
    wave
        One of ``waves``.
    waves
        The wave labels in time order.

    Returns
    -------
    Roster
        The same people and identities; ``organisation``, ``sector``, ``level`` and
        ``team`` as at ``wave``; the ``changed_in`` and ``earlier_*`` columns dropped.

    Raises
    ------
    InputFormatError
        ``wave`` or a ``changed_in`` value is not one of ``waves``.
    """
    people = roster.people
    if CHANGED_IN not in people.columns:
        return roster
    order = {label: k for k, label in enumerate(waves)}
    changed = people[CHANGED_IN].fillna("").astype(str).str.strip()
    unknown = sorted(set(changed[changed != ""]) - set(order)) + ([wave] if wave not in order else [])
    if unknown:
        raise InputFormatError(
            f"roster column {CHANGED_IN!r} names a wave that is not in the sample: {', '.join(unknown)}",
            expected=f"one of {', '.join(waves)}",
        )
    before = changed.map(lambda v: bool(v) and order[wave] < order[v]).to_numpy(dtype=bool)
    people = people.copy()
    for earlier, column in EARLIER.items():
        if earlier in people.columns:
            people.loc[before, column] = people.loc[before, earlier]
    people = people.drop(columns=[c for c in (CHANGED_IN, *EARLIER) if c in people.columns])
    return replace(roster, people=people)


def load_sample(key: bytes = SAMPLE_KEY) -> list[ImportResult]:
    """Import the three waves of the sample place, in time order.

    Each wave is read against the roster as at that wave (:func:`roster_for_wave`).

    Parameters
    ----------
    key
        Pseudonym key; the default is the sample's fixed key.
    """
    folder = sample_dir()
    roster = read_roster(folder / "roster.csv", key=key)
    return [read_ties(folder / file, roster_for_wave(roster, wave), wave=wave)
            for wave, file in SAMPLE_WAVES.items()]


def sample_person_id(roster_id: str, key: bytes = SAMPLE_KEY) -> str:
    """The ``person_id`` a sample roster id gets under ``key`` (for tests and docs)."""
    return pseudonym(key, roster_id)


SAMPLE_PROJECT = "Northmoor place partnership (sample)"


def ensure_sample_project(workspace) -> str | None:
    """On first start (a workspace with no project), create the sample project.

    Imports the three waves with the workspace's own key for the project, saves the
    roster as at the last wave, the waves (each with its own people's attributes) with
    their import reports, and a layout fixed over all waves, so maps of the waves hold
    still. Safe when two sessions race to create it. A user who deletes the sample while
    keeping projects of their own does not get it back.

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
            description="A synthetic ICS place partnership surveyed three times a year apart, with "
                        "turnover, uneven response and two leadership-programme cohorts (bundled sample).",
        )
    except OnaError:  # another session created it first
        return SAMPLE_PROJECT
    try:
        results = load_sample(workspace.project_key(SAMPLE_PROJECT))
        roster = results[-1].roster
        workspace.save_roster(SAMPLE_PROJECT, roster.people, roster.identities)
        for result in results:
            workspace.save_wave(SAMPLE_PROJECT, result.network, report=result.report.to_dict())
        workspace.save_layout(SAMPLE_PROJECT, compute_layout([r.network for r in results], seed=0))
    except BaseException:
        workspace.delete_project(SAMPLE_PROJECT)
        raise
    return SAMPLE_PROJECT
