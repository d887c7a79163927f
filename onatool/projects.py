"""Project operations that join the file readers to the workspace.

Reading a wave for a project uses the project's own pseudonym key and roster, so
the new wave's ids line up with the earlier waves'. Nothing is saved until the
person has read the import report and chosen to save.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from onatool.errors import NotFoundError
from onatool.io import ImportResult, Roster, import_responses, read_matrix, read_roster, read_ties
from onatool.io.matching import Alias
from onatool.io.recipe import Recipe
from onatool.store import WaveInfo, Workspace

__all__ = ["LAYOUTS", "project_aliases", "project_roster", "read_wave", "save_aliases", "save_wave"]

#: Layout choices offered for a wave's answers; "survey export" detects the platform.
LAYOUTS = ("survey export", "edge list", "matrix")
_ALIASES = "aliases"


def project_aliases(workspace: Workspace, project: str) -> dict[str, Alias]:
    """The project's name decisions, reused by every later wave."""
    entries = workspace.get_setting(project, _ALIASES, []) or []
    return {entry["text"]: Alias(**entry) for entry in entries}


def save_aliases(workspace: Workspace, project: str, aliases: dict[str, Alias]) -> None:
    """Keep the project's name decisions (roster ids, never pseudonyms)."""
    workspace.set_setting(project, _ALIASES, [asdict(a) for a in sorted(aliases.values(), key=lambda a: a.text)])


def project_roster(workspace: Workspace, project: str, roster_file: str | Path | None = None) -> Roster:
    """The roster to read a wave against: a new file (read with the project's key) or the saved one.

    Raises
    ------
    NotFoundError
        If no file is given and the project has no saved roster yet.
    """
    key = workspace.project_key(project)
    if roster_file is not None:
        return read_roster(roster_file, key=key)
    try:
        people, identities = workspace.load_roster(project)
    except NotFoundError:
        raise NotFoundError(
            f"project {project!r} has no roster yet: upload one with the first wave"
        ) from None
    return Roster(people, identities)


def read_wave(
    workspace: Workspace,
    project: str,
    answers: str | Path,
    *,
    layout: str = "edge list",
    wave: str | None = None,
    roster_file: str | Path | None = None,
    relation: str | None = None,
    recipe: Recipe | None = None,
) -> ImportResult:
    """Read one wave's answers for a project, without saving anything.

    Parameters
    ----------
    layout
        One of :data:`LAYOUTS`.
    wave
        The wave's label (default: from the file).
    roster_file
        A new or updated roster; default: the project's saved roster.
    recipe
        For a survey export: how to read it (default: detected).
    """
    roster = project_roster(workspace, project, roster_file)
    if layout == "survey export":
        return import_responses(roster, answers, key=workspace.project_key(project), recipe=recipe,
                                aliases=project_aliases(workspace, project), wave=wave)
    if layout == "matrix":
        return read_matrix(answers, roster, wave=wave, relation=relation)
    return read_ties(answers, roster, wave=wave, relation=relation or "tie")


def save_wave(workspace: Workspace, project: str, result: ImportResult, *, replace: bool = False) -> WaveInfo:
    """Save an import whole: the roster it used, the wave with its report, and its recipe.

    One transaction (:meth:`Workspace.save_import`): if anything fails, nothing of the
    import is saved and the project is as it was.
    """
    recipe = result.recipe.to_dict() if result.recipe is not None else None
    return workspace.save_import(project, result.roster.people, result.roster.identities, result.network,
                                 report=result.report.to_dict(), recipe=recipe, replace=replace)
