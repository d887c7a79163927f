"""What the workspace returns about its projects and waves, and where it lives by default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from onatool.pseudonyms import onatool_home

#: Environment variable naming the workspace file; overrides the per-user default.
ENV_VAR = "ONATOOL_WORKSPACE"



# Public records -----------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectInfo:
    """A project as listed in the workspace (never carries the pseudonym key).

    Attributes
    ----------
    id
        The workspace's own number for the project; stable across renames.
    name
        Unique in the workspace, ignoring case.
    description
        Free text.
    created
        When the project was created (UTC).
    """

    id: int
    name: str
    description: str
    created: datetime


@dataclass(frozen=True)
class WaveInfo:
    """A saved wave, as listed in order.

    Attributes
    ----------
    name
        The wave label (``Network.wave``), unique in its project ignoring case.
    position
        0 for the first wave (the baseline), then 1, 2 ... in survey order.
    people, respondents, ties
        Counts of people (respondents or not), of respondents, and of tie rows.
    response_rate
        ``respondents / people`` in [0, 1]; NaN when the wave has no people.
    created
        When the wave was saved (UTC).
    key_fingerprint
        The fingerprint of the pseudonym key the wave was read with
        (:func:`onatool.pseudonyms.key_fingerprint`); None for waves saved before
        onatool recorded it.
    """

    name: str
    position: int
    people: int
    respondents: int
    ties: int
    response_rate: float
    created: datetime
    key_fingerprint: str | None = None


@dataclass(frozen=True)
class RoomNote:
    """A note the room made against one finding (see :mod:`onatool.store.notes`).

    Attributes
    ----------
    id
        The workspace's own number for the note.
    wave
        The wave the finding is about.
    finding
        The finding's key (:func:`onatool.store.notes.finding_key`).
    finding_text
        The finding's sentence when the note was made, for context.
    text
        What the room said.
    user
        Who typed it.
    at
        When (UTC).
    """

    id: int
    wave: str
    finding: str
    finding_text: str
    text: str
    user: str
    at: datetime


ProjectRef = str | int | ProjectInfo
WaveRef = str | WaveInfo


def default_path() -> Path:
    """Where the workspace lives when no path is given.

    ``$ONATOOL_WORKSPACE`` if set, else ``workspace.sqlite`` in the onatool home
    (``$ONATOOL_HOME``, else ``~/.onatool``), so moving the home moves the workspace
    and every project key in it together.

    Examples
    --------
    >>> default_path().name.endswith(".sqlite") or "ONATOOL_WORKSPACE" in os.environ
    True
    """
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return onatool_home() / "workspace.sqlite"
