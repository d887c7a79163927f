"""The workspace: one SQLite file that keeps every project between runs.

A :class:`Workspace` holds, per project: the roster (attributes, and separately the
identities, the only identifying data), the survey waves in order (people, ties,
relation metadata and the import report), import recipes, name-matching aliases and
decisions, settings, the project's pseudonym key, a fixed map layout and an audit log
of sensitive actions (who and when, never the data).

It stores and returns the canonical tables and plain dicts; it knows nothing about
file formats. Tables come back exactly as they were saved: column order, dtypes
(text stays text, booleans stay booleans, categories keep their categories) and
missing values.

Every write is one transaction: a failure half-way leaves the project as it was.
Each call opens its own short-lived connection, so one ``Workspace`` can be shared
by threads (Streamlit sessions) and several processes can use one file at once.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import (
    DuplicateNameError,
    InputFormatError,
    NotFoundError,
    WorkspaceError,
)
from onatool.network import Network

__all__ = ["SCHEMA_VERSION", "ProjectInfo", "WaveInfo", "Workspace", "default_path"]

#: Environment variable naming the workspace file; overrides the per-user default.
ENV_VAR = "ONATOOL_WORKSPACE"
#: How long a call waits for another writer before giving up, in seconds.
BUSY_TIMEOUT_S = 10.0
#: Marks a SQLite file as an onatool workspace (``PRAGMA application_id``; "ONAt").
APPLICATION_ID = 0x4F4E4174

# Schema ------------------------------------------------------------------------------
# Each migration takes the file from version i to i + 1 and runs in one transaction.
# Never edit a released migration: append a new one.
_V1 = (
    """CREATE TABLE project (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        pseudonym_key BLOB NOT NULL
    )""",
    """CREATE TABLE roster (
        project_id INTEGER PRIMARY KEY REFERENCES project(id) ON DELETE CASCADE,
        people_layout TEXT NOT NULL,
        identity_layout TEXT NOT NULL,
        saved TEXT NOT NULL
    )""",
    """CREATE TABLE roster_person (
        project_id INTEGER NOT NULL REFERENCES roster(project_id) ON DELETE CASCADE,
        person_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        PRIMARY KEY (project_id, person_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE roster_identity (
        project_id INTEGER NOT NULL,
        person_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        fields TEXT NOT NULL,
        PRIMARY KEY (project_id, person_id),
        FOREIGN KEY (project_id, person_id)
            REFERENCES roster_person(project_id, person_id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    """CREATE TABLE wave (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        position INTEGER NOT NULL,
        created TEXT NOT NULL,
        n_people INTEGER NOT NULL,
        n_respondents INTEGER NOT NULL,
        n_ties INTEGER NOT NULL,
        people_layout TEXT NOT NULL,
        relations TEXT NOT NULL,
        report TEXT,
        UNIQUE (project_id, name)
    )""",
    """CREATE TABLE wave_person (
        wave_id INTEGER NOT NULL REFERENCES wave(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        PRIMARY KEY (wave_id, person_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE tie (
        wave_id INTEGER NOT NULL REFERENCES wave(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        relation TEXT NOT NULL,
        weight REAL NOT NULL,
        raw_value TEXT NOT NULL,
        PRIMARY KEY (wave_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE recipe (
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        body TEXT NOT NULL,
        saved TEXT NOT NULL,
        PRIMARY KEY (project_id, name)
    )""",
    """CREATE TABLE alias (
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        raw TEXT NOT NULL,
        person_id TEXT,
        PRIMARY KEY (project_id, raw)
    ) WITHOUT ROWID""",
    """CREATE TABLE setting (
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (project_id, key)
    ) WITHOUT ROWID""",
)
_V2 = (
    # Name-matching decisions are kept by wave name, so they can be saved while an
    # import is still being reviewed, before the wave itself exists.
    """CREATE TABLE match_decision (
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        wave TEXT NOT NULL COLLATE NOCASE,
        decisions TEXT NOT NULL,
        saved TEXT NOT NULL,
        PRIMARY KEY (project_id, wave)
    )""",
    """CREATE TABLE layout (
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        PRIMARY KEY (project_id, person_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        user_name TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX audit_by_project ON audit(project_id, id)",
)
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
#: The schema version this onatool writes (``PRAGMA user_version``).
SCHEMA_VERSION = len(MIGRATIONS)


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
    """

    name: str
    position: int
    people: int
    respondents: int
    ties: int
    response_rate: float
    created: datetime


ProjectRef = str | int | ProjectInfo
WaveRef = str | WaveInfo


def default_path() -> Path:
    """Where the workspace lives when no path is given.

    ``$ONATOOL_WORKSPACE`` if set, else ``~/.onatool/workspace.sqlite``.

    Examples
    --------
    >>> default_path().name.endswith(".sqlite") or "ONATOOL_WORKSPACE" in os.environ
    True
    """
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".onatool" / "workspace.sqlite"


# The workspace ------------------------------------------------------------------------
class Workspace:
    """A SQLite file holding every project: rosters, waves, recipes, settings, audit log.

    Parameters
    ----------
    path
        The workspace file. None uses :func:`default_path`. A missing file is created
        (readable by its owner only, in a folder created with mode 0700); an existing
        one is upgraded to the current schema version.

    Raises
    ------
    WorkspaceError
        If the file is damaged or not a database (move it aside), belongs to another
        program, was written by a newer onatool, or cannot be opened.

    Notes
    -----
    Each call opens its own connection (WAL journal, foreign keys on, a
    ``busy_timeout`` of :data:`BUSY_TIMEOUT_S`) and closes it before returning. The
    object itself holds only the path, so it is safe to share between threads (for
    example in Streamlit's ``st.cache_resource``), and several processes can use the
    same file: SQLite serialises the writers. Writes take the write lock at once
    (``BEGIN IMMEDIATE``) and run in one transaction, so a failure part-way leaves
    everything as it was. In plain words: saving either happens completely or not at
    all, whoever else has the file open.

    Projects, waves and recipes are named; names are unique ignoring case (ASCII).
    A project can be given as its name, its id or its :class:`ProjectInfo`.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> ws = Workspace(Path(folder.name) / "workspace.sqlite")
    >>> ws.create_project("North place").name
    'North place'
    >>> net = Network.from_edges([("a", "b"), ("b", "c")], relation="advice", wave="baseline")
    >>> ws.save_wave("North place", net).ties
    2
    >>> [w.name for w in ws.waves("North place")]
    ['baseline']
    >>> ws.load_wave("North place", "baseline").n_ties
    2
    >>> folder.cleanup()
    """

    def __init__(self, path: str | os.PathLike[str] | None = None):
        chosen = default_path() if path is None else Path(path).expanduser()
        if str(path) == ":memory:":
            raise WorkspaceError(
                "a workspace must be a file, not ':memory:', because every call opens "
                "its own connection; pass a file path"
            )
        self._path = chosen.absolute()
        self._create_if_missing(private_folder=path is None)
        with self._session(write=False):
            pass  # opening checks (and, if needed, upgrades) the schema

    @property
    def path(self) -> Path:
        """The workspace file (absolute)."""
        return self._path

    def __repr__(self) -> str:
        return f"Workspace({str(self._path)!r})"

    # Projects ---------------------------------------------------------------------------
    def create_project(self, name: str, *, description: str = "") -> ProjectInfo:
        """Create an empty project with its own pseudonym key.

        Parameters
        ----------
        name
            Unique in the workspace, ignoring case; surrounding spaces are dropped.
        description
            Free text shown with the project.

        Returns
        -------
        ProjectInfo
            The new project.

        Raises
        ------
        DuplicateNameError
            If a project of that name exists.
        InputFormatError
            If the name is empty or not text.

        Notes
        -----
        The key is 32 random bytes from :mod:`secrets`, used to derive pseudonymous
        ``person_id`` values (keyed HMAC). It is read only by :meth:`project_key` and
        never goes into an export.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> info = ws.create_project("  Leadership cohort ", description="2026 programme")
        >>> info.name, info.description
        ('Leadership cohort', '2026 programme')
        >>> folder.cleanup()
        """
        name = _clean_name(name, "project")
        if not isinstance(description, str):
            raise InputFormatError("a project description must be text")
        created = _now()
        with self._session(write=True) as conn:
            taken = conn.execute("SELECT name FROM project WHERE name = ?", (name,)).fetchone()
            if taken:
                raise DuplicateNameError(
                    f"a project named {taken[0]!r} is already in workspace {self._path}; "
                    "choose another name or open that project"
                )
            cursor = conn.execute(
                "INSERT INTO project (name, description, created, pseudonym_key) "
                "VALUES (?, ?, ?, ?)",
                (name, description, created, secrets.token_bytes(32)),
            )
            project_id = cursor.lastrowid
        assert project_id is not None
        return ProjectInfo(project_id, name, description, _parse_time(created))

    def projects(self) -> list[ProjectInfo]:
        """Every project, by name (ignoring case).

        Returns
        -------
        list of ProjectInfo
            Empty for a new workspace.
        """
        with self._session(write=False) as conn:
            rows = conn.execute(
                "SELECT id, name, description, created FROM project ORDER BY name, id"
            ).fetchall()
        return [_project_info(row) for row in rows]

    def project(self, name_or_id: ProjectRef) -> ProjectInfo:
        """One project, by name (ignoring case), id or :class:`ProjectInfo`.

        Parameters
        ----------
        name_or_id
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        ProjectInfo
            The project as it is now (a stale ProjectInfo gets its current name).

        Raises
        ------
        NotFoundError
            If there is no such project; the message lists the projects there are.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, name_or_id)
            row = conn.execute(
                "SELECT id, name, description, created FROM project WHERE id = ?", (project_id,)
            ).fetchone()
        return _project_info(row)

    def rename_project(self, project: ProjectRef, new_name: str) -> ProjectInfo:
        """Give a project another name (its id, key and data stay).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        new_name
            Unique in the workspace, ignoring case; a change of case alone is allowed.

        Returns
        -------
        ProjectInfo
            The renamed project.

        Raises
        ------
        NotFoundError
            If there is no such project.
        DuplicateNameError
            If another project has the new name.
        """
        new_name = _clean_name(new_name, "project")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            other = conn.execute(
                "SELECT id, name FROM project WHERE name = ? AND id != ?", (new_name, project_id)
            ).fetchone()
            if other:
                raise DuplicateNameError(
                    f"a project named {other[1]!r} is already in workspace {self._path}"
                )
            conn.execute("UPDATE project SET name = ? WHERE id = ?", (new_name, project_id))
            row = conn.execute(
                "SELECT id, name, description, created FROM project WHERE id = ?", (project_id,)
            ).fetchone()
        return _project_info(row)

    def delete_project(self, project: ProjectRef) -> None:
        """Delete a project and everything in it: roster, waves, key, audit log.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Raises
        ------
        NotFoundError
            If there is no such project.
        """
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            conn.execute("DELETE FROM project WHERE id = ?", (project_id,))

    def project_key(self, project: ProjectRef) -> bytes:
        """The project's secret pseudonym key (32 bytes).

        Only this accessor returns it; keep it out of every export and log.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        bytes
            32 random bytes, fixed for the project's lifetime (renames included).

        Raises
        ------
        NotFoundError
            If there is no such project.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            (key,) = conn.execute(
                "SELECT pseudonym_key FROM project WHERE id = ?", (project_id,)
            ).fetchone()
        return bytes(key)

    # Roster -----------------------------------------------------------------------------
    def save_roster(
        self, project: ProjectRef, people: pd.DataFrame, identities: pd.DataFrame
    ) -> None:
        """Save (replace) the project's roster.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        people
            Indexed by ``person_id`` (unique text), with any attribute columns
            (``organisation``, ``level`` ... and extras). Identifying columns
            (``id``, ``name``, ``email``) are refused here.
        identities
            Indexed by ``person_id``, with the identifying columns (``id``, ``name``,
            ``email``). Every id must be in ``people``. Kept in a table of its own.

        Raises
        ------
        InputFormatError
            If a table breaks these rules or holds a value type that cannot be kept
            exactly (supported: numbers, booleans, text, categories, dates).
        NotFoundError
            If there is no such project.

        Notes
        -----
        Each table is stored with its layout (column order and dtypes), so
        :meth:`load_roster` gives back equal tables: text stays text, missing stays
        missing, booleans stay booleans. Object columns may hold text, numbers,
        booleans and None, each kept as it is.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> ids = pd.Index(["p1", "p2"], name="person_id")
        >>> people = pd.DataFrame({"organisation": ["Trust", None], "cohort": [True, False]},
        ...                       index=ids)
        >>> identities = pd.DataFrame({"name": ["Ann Lee", "Bo Chan"]}, index=ids)
        >>> ws.save_roster("p", people, identities)
        >>> loaded, names = ws.load_roster("p")
        >>> loaded.equals(people), loaded["cohort"].dtype, names.loc["p2", "name"]
        (True, dtype('bool'), 'Bo Chan')
        >>> folder.cleanup()
        """
        encoded = _encode_roster(people, identities)
        with self._session(write=True) as conn:
            self._write_roster(conn, self._project_id(conn, project), encoded)

    def load_roster(self, project: ProjectRef) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The project's roster, exactly as saved.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        people, identities : pandas.DataFrame
            Both indexed by ``person_id``, rows and columns in their saved order.

        Raises
        ------
        NotFoundError
            If there is no such project or it has no roster yet.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            layouts = conn.execute(
                "SELECT people_layout, identity_layout FROM roster WHERE project_id = ?",
                (project_id,),
            ).fetchone()
            if layouts is None:
                raise NotFoundError(
                    f"project {self._name(conn, project_id)!r} has no roster yet; "
                    "import one first"
                )
            people_rows = conn.execute(
                "SELECT person_id, attributes FROM roster_person WHERE project_id = ? "
                "ORDER BY position",
                (project_id,),
            ).fetchall()
            identity_rows = conn.execute(
                "SELECT person_id, fields FROM roster_identity WHERE project_id = ? "
                "ORDER BY position",
                (project_id,),
            ).fetchall()
        with self._damaged(f"the roster of project {project_id}"):
            people = _decode_frame(json.loads(layouts[0]), people_rows)
            identities = _decode_frame(json.loads(layouts[1]), identity_rows)
        return people, identities

    # Waves ------------------------------------------------------------------------------
    def save_wave(
        self,
        project: ProjectRef,
        network: Network,
        *,
        report: Mapping[str, Any] | None = None,
        replace: bool = False,
        position: int | None = None,
    ) -> WaveInfo:
        """Save one wave under its label ``network.wave``.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        network
            The wave: its people (attributes and ``responded``), ties and relation
            metadata are stored.
        report
            The import report as a JSON-able dict (see :meth:`load_report`).
        replace
            Overwrite a saved wave of the same name (it keeps its place unless
            ``position`` is given). Without it, a name already taken is refused.
        position
            Where the wave goes in the project's order: 0 is first; None puts a new
            wave last. Later waves move one place down.

        Returns
        -------
        WaveInfo
            The saved wave's summary.

        Raises
        ------
        DuplicateNameError
            If the name is taken and ``replace`` is False.
        InputFormatError
            If ``network`` is not a Network, ``position`` is negative, or the report
            or a person attribute cannot be stored exactly.
        NotFoundError
            If there is no such project.
        """
        encoded = _encode_wave(network, report, position)
        with self._session(write=True) as conn:
            return self._write_wave(conn, self._project_id(conn, project), encoded, replace, position)

    def save_import(
        self,
        project: ProjectRef,
        people: pd.DataFrame,
        identities: pd.DataFrame,
        network: Network,
        *,
        report: Mapping[str, Any] | None = None,
        recipe: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> WaveInfo:
        """Save one import whole: the roster it used, the wave with its report, its recipe.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        people, identities
            The roster, as for :meth:`save_roster` (it replaces the saved one).
        network
            The wave, as for :meth:`save_wave`.
        report
            The import report as a JSON-able dict.
        recipe
            The recipe used, saved as ``"latest"`` (None leaves saved recipes alone).
        replace
            Overwrite a saved wave of the same name.

        Returns
        -------
        WaveInfo
            The saved wave's summary.

        Raises
        ------
        DuplicateNameError
            If the wave's name is taken and ``replace`` is False.
        InputFormatError
            If a table, the report or the recipe cannot be stored exactly.
        NotFoundError
            If there is no such project.

        Notes
        -----
        Everything is checked and encoded first, then written in one transaction: if
        any part fails (a taken name, a full disk, the process killed), the project is
        left exactly as it was. In plain words: an import is saved whole or not at all.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> net = Network.from_edges([("a", "b")], wave="baseline")
        >>> ids = pd.DataFrame({"name": ["Ann", "Bo"]}, index=net.people.index)
        >>> people = net.people.drop(columns="responded")
        >>> ws.save_import("p", people, ids, net, recipe={"layout": "edge_list"}).ties
        1
        >>> ws.save_import("p", people.iloc[:0], ids.iloc[:0], net)  # taken name: nothing saved
        Traceback (most recent call last):
        ...
        onatool.errors.DuplicateNameError: project 'p' already has a wave named 'baseline'; ...
        >>> len(ws.load_roster("p")[0]), ws.recipes("p")
        (2, ['latest'])
        >>> folder.cleanup()
        """
        roster = _encode_roster(people, identities)
        wave = _encode_wave(network, report, None)
        body = None if recipe is None else _dumps(dict(recipe), what="recipe 'latest'")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            self._write_roster(conn, project_id, roster)
            info = self._write_wave(conn, project_id, wave, replace, None)
            if body is not None:
                self._write_recipe(conn, project_id, "latest", body)
        return info

    def waves(self, project: ProjectRef) -> list[WaveInfo]:
        """The project's waves in order (baseline first).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        list of WaveInfo
            Positions 0, 1, 2 ...; empty if no wave is saved.

        Raises
        ------
        NotFoundError
            If there is no such project.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT name, position, n_people, n_respondents, n_ties, created FROM wave "
                "WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
        return [
            WaveInfo(name, pos, people, responded, ties, _rate(responded, people), _parse_time(t))
            for name, pos, people, responded, ties, t in rows
        ]

    def load_wave(self, project: ProjectRef, wave: WaveRef) -> Network:
        """A saved wave as a Network, with the tables and relation metadata saved.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case) or :class:`WaveInfo`.

        Returns
        -------
        Network
            Equal tables (rows, columns, dtypes) to the Network saved, under the wave's
            current name; relation labels, questions and ``symmetric`` as saved.

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            name, layout, relations = conn.execute(
                "SELECT name, people_layout, relations FROM wave WHERE id = ?", (wave_id,)
            ).fetchone()
            people_rows = conn.execute(
                "SELECT person_id, attributes FROM wave_person WHERE wave_id = ? "
                "ORDER BY position",
                (wave_id,),
            ).fetchall()
            tie_rows = conn.execute(
                "SELECT source, target, relation, weight, raw_value FROM tie "
                "WHERE wave_id = ? ORDER BY position",
                (wave_id,),
            ).fetchall()
        with self._damaged(f"wave {name!r} of project {project_id}"):
            people = _decode_frame(json.loads(layout), people_rows)
            ties = pd.DataFrame.from_records(tie_rows, columns=list(schema.TIE_COLUMNS))
            ties[schema.WEIGHT] = ties[schema.WEIGHT].astype(float)
            relation_info = {
                key: schema.Relation(key, r["label"], r["symmetric"], r["question"])
                for key, r in json.loads(relations).items()
            }
            return Network(people, ties, name, relation_info)

    def load_report(self, project: ProjectRef, wave: WaveRef) -> dict[str, Any] | None:
        """The import report saved with a wave, or None if none was.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case) or :class:`WaveInfo`.

        Notes
        -----
        Reports are stored as JSON: tuples come back as lists and mapping keys as text.

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            (text,) = conn.execute("SELECT report FROM wave WHERE id = ?", (wave_id,)).fetchone()
        with self._damaged(f"the import report of wave {_wave_name(wave)!r} of project {project_id}"):
            return None if text is None else json.loads(text)

    def delete_wave(self, project: ProjectRef, wave: WaveRef) -> None:
        """Delete a wave and its name-matching decisions; later waves move up.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case) or :class:`WaveInfo`.

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        """
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            (name,) = conn.execute("SELECT name FROM wave WHERE id = ?", (wave_id,)).fetchone()
            conn.execute("DELETE FROM wave WHERE id = ?", (wave_id,))
            conn.execute(
                "DELETE FROM match_decision WHERE project_id = ? AND wave = ?", (project_id, name)
            )
            self._renumber(conn, self._wave_order(conn, project_id))

    def rename_wave(self, project: ProjectRef, wave: WaveRef, new_name: str) -> WaveInfo:
        """Give a wave another label (its matching decisions follow it).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case) or :class:`WaveInfo`.
        new_name
            Unique in the project, ignoring case.

        Returns
        -------
        WaveInfo
            The renamed wave; loading it gives a Network whose ``wave`` is the new name.

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        DuplicateNameError
            If another wave of the project has the new name.
        """
        new_name = _clean_name(new_name, "wave")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            other = conn.execute(
                "SELECT name FROM wave WHERE project_id = ? AND name = ? AND id != ?",
                (project_id, new_name, wave_id),
            ).fetchone()
            if other:
                raise DuplicateNameError(
                    f"project {self._name(conn, project_id)!r} already has a wave named "
                    f"{other[0]!r}"
                )
            (old_name,) = conn.execute(
                "SELECT name FROM wave WHERE id = ?", (wave_id,)
            ).fetchone()
            conn.execute("UPDATE wave SET name = ? WHERE id = ?", (new_name, wave_id))
            conn.execute(
                "DELETE FROM match_decision WHERE project_id = ? AND wave = ? AND wave != ?",
                (project_id, new_name, old_name),
            )
            conn.execute(
                "UPDATE match_decision SET wave = ? WHERE project_id = ? AND wave = ?",
                (new_name, project_id, old_name),
            )
        return next(w for w in self.waves(project_id) if w.name == new_name)

    def move_wave(self, project: ProjectRef, wave: WaveRef, position: int) -> list[WaveInfo]:
        """Put a wave at another place in the order (0 is first).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case) or :class:`WaveInfo`.
        position
            The new place; past the end means last.

        Returns
        -------
        list of WaveInfo
            The project's waves in their new order.

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        InputFormatError
            If ``position`` is negative.
        """
        if not _is_int(position) or position < 0:
            raise InputFormatError(
                f"wave position {position!r} is not valid", expected="0 (first), 1, 2 ..."
            )
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            order = [w for w in self._wave_order(conn, project_id) if w != wave_id]
            order.insert(min(position, len(order)), wave_id)
            self._renumber(conn, order)
        return self.waves(project_id)

    # Recipes ----------------------------------------------------------------------------
    def save_recipe(self, project: ProjectRef, name: str, recipe: Mapping[str, Any]) -> None:
        """Save (or overwrite) an import recipe under a name.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        name
            Unique in the project, ignoring case; saving under a taken name overwrites.
        recipe
            A JSON-able dict (the column mapping that makes the next wave one click).

        Raises
        ------
        InputFormatError
            If the recipe is not JSON-able or the name is empty.
        NotFoundError
            If there is no such project.
        """
        name = _clean_name(name, "recipe")
        body = _dumps(dict(recipe), what=f"recipe {name!r}")
        with self._session(write=True) as conn:
            self._write_recipe(conn, self._project_id(conn, project), name, body)

    def recipes(self, project: ProjectRef) -> list[str]:
        """Names of the project's recipes, alphabetical (ignoring case).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        list of str
            Empty if none is saved.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT name FROM recipe WHERE project_id = ? ORDER BY name", (project_id,)
            ).fetchall()
        return [name for (name,) in rows]

    def load_recipe(self, project: ProjectRef, name: str) -> dict[str, Any]:
        """A saved recipe (JSON: tuples come back as lists).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        name
            The recipe's name, ignoring case.

        Returns
        -------
        dict
            The recipe as saved.

        Raises
        ------
        NotFoundError
            If there is no such project or recipe.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            row = conn.execute(
                "SELECT body FROM recipe WHERE project_id = ? AND name = ?", (project_id, name)
            ).fetchone()
            if row is None:
                names = conn.execute(
                    "SELECT name FROM recipe WHERE project_id = ? ORDER BY name", (project_id,)
                )
                raise NotFoundError(
                    f"project {self._name(conn, project_id)!r} has no recipe named {name!r}; "
                    f"it has {_listing(n for (n,) in names)}"
                )
        with self._damaged(f"recipe {name!r} of project {project_id}"):
            return json.loads(row[0])

    def delete_recipe(self, project: ProjectRef, name: str) -> None:
        """Delete a recipe.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        name
            The recipe's name, ignoring case.

        Raises
        ------
        NotFoundError
            If there is no such project or recipe.
        """
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            deleted = conn.execute(
                "DELETE FROM recipe WHERE project_id = ? AND name = ?", (project_id, name)
            ).rowcount
            if not deleted:
                raise NotFoundError(
                    f"project {self._name(conn, project_id)!r} has no recipe named {name!r}"
                )

    # Name matching ----------------------------------------------------------------------
    def save_aliases(
        self,
        project: ProjectRef,
        aliases: Mapping[str, str | None],
        *,
        replace: bool = False,
    ) -> None:
        """Remember what free-text names stand for.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        aliases
            Normalised raw text -> ``person_id``, or None for text to ignore
            ("not a person", "n/a").
        replace
            Replace every saved alias with these; by default they are added to (and
            override) the saved ones.

        Raises
        ------
        InputFormatError
            If a key is not text or a value is neither text nor None.
        NotFoundError
            If there is no such project.
        """
        rows = []
        for raw, person_id in dict(aliases).items():
            if not isinstance(raw, str) or not (person_id is None or isinstance(person_id, str)):
                raise InputFormatError(
                    f"alias {raw!r} -> {person_id!r} cannot be saved",
                    expected="text mapped to a person_id (text) or None",
                )
            rows.append((raw, person_id))
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            if replace:
                conn.execute("DELETE FROM alias WHERE project_id = ?", (project_id,))
            conn.executemany(
                "INSERT OR REPLACE INTO alias (project_id, raw, person_id) VALUES (?, ?, ?)",
                ((project_id, raw, person_id) for raw, person_id in rows),
            )

    def load_aliases(self, project: ProjectRef) -> dict[str, str | None]:
        """Every saved alias, raw text -> ``person_id`` (None: ignored), by raw text.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        dict
            Empty if none is saved.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> ws.save_aliases("p", {"dr a smith": "p17", "n a": None})
        >>> ws.load_aliases("p")
        {'dr a smith': 'p17', 'n a': None}
        >>> folder.cleanup()
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT raw, person_id FROM alias WHERE project_id = ? ORDER BY raw",
                (project_id,),
            ).fetchall()
        return dict(rows)

    def save_match_decisions(
        self, project: ProjectRef, wave: WaveRef, decisions: Sequence[Mapping[str, Any]]
    ) -> None:
        """Save (replace) the reviewed name-matching decisions of one wave's import.

        The wave need not be saved yet, so a review can be kept while it is under way;
        decisions follow the wave when it is renamed and go when it is deleted.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case), saved or not yet.
        decisions
            JSON-able dicts, in the order to show them again.

        Raises
        ------
        InputFormatError
            If a decision is not a JSON-able dict.
        NotFoundError
            If there is no such project.
        """
        wave_name = _clean_name(_wave_name(wave), "wave")
        listed = list(decisions)
        if not all(isinstance(d, Mapping) for d in listed):
            raise InputFormatError(
                f"match decisions for wave {wave_name!r} cannot be saved",
                expected="a list of dicts",
            )
        body = _dumps([dict(d) for d in listed], what=f"match decisions of {wave_name!r}")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            conn.execute(
                "INSERT OR REPLACE INTO match_decision (project_id, wave, decisions, saved) "
                "VALUES (?, ?, ?, ?)",
                (project_id, wave_name, body, _now()),
            )

    def load_match_decisions(self, project: ProjectRef, wave: WaveRef) -> list[dict[str, Any]]:
        """The name-matching decisions saved for a wave ([] if none were).

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The wave's name (ignoring case), saved or not.

        Returns
        -------
        list of dict
            As saved, in order.

        Raises
        ------
        NotFoundError
            If there is no such project.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            row = conn.execute(
                "SELECT decisions FROM match_decision WHERE project_id = ? AND wave = ?",
                (project_id, _wave_name(wave).strip()),
            ).fetchone()
        with self._damaged(f"the name decisions of wave {_wave_name(wave)!r} of project {project_id}"):
            return [] if row is None else json.loads(row[0])

    # Settings ---------------------------------------------------------------------------
    def get_setting(self, project: ProjectRef, key: str, default: Any = None) -> Any:
        """A project setting, or ``default`` if it was never set.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        key
            The setting's name.
        default
            Returned when the setting was never set.

        Returns
        -------
        object
            The JSON value saved (tuples come back as lists).

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> ws.get_setting("p", "suppression_k", 5)
        5
        >>> ws.set_setting("p", "suppression_k", 7)
        >>> ws.get_setting("p", "suppression_k", 5)
        7
        >>> folder.cleanup()
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            row = conn.execute(
                "SELECT value FROM setting WHERE project_id = ? AND key = ?", (project_id, key)
            ).fetchone()
        with self._damaged(f"setting {key!r} of project {project_id}"):
            return default if row is None else json.loads(row[0])

    def set_setting(self, project: ProjectRef, key: str, value: Any) -> None:
        """Set a project setting to a JSON-able value.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        key
            Non-empty text.
        value
            Text, number, boolean, None, or lists and dicts of those.

        Raises
        ------
        InputFormatError
            If the key is not text or the value is not JSON-able.
        NotFoundError
            If there is no such project.
        """
        if not isinstance(key, str) or not key:
            raise InputFormatError(f"setting key {key!r} is not valid", expected="non-empty text")
        text = _dumps(value, what=f"setting {key!r}")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            conn.execute(
                "INSERT OR REPLACE INTO setting (project_id, key, value) VALUES (?, ?, ?)",
                (project_id, key, text),
            )

    # Layout -----------------------------------------------------------------------------
    def save_layout(self, project: ProjectRef, positions: pd.DataFrame) -> None:
        """Save (replace) the project's fixed map layout.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        positions
            Indexed by ``person_id`` (unique text), with finite numeric ``x`` and ``y``.

        Raises
        ------
        InputFormatError
            If the table breaks these rules.
        NotFoundError
            If there is no such project.
        """
        if not isinstance(positions, pd.DataFrame) or not {"x", "y"} <= set(positions.columns):
            raise InputFormatError(
                "a layout needs columns 'x' and 'y'",
                expected="a DataFrame indexed by person_id with numeric x and y",
            )
        ids = _check_ids(positions.index, "layout")
        xy = positions[["x", "y"]].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(xy).all():
            raise InputFormatError(
                "layout has missing or non-numeric x/y values", expected="finite numbers"
            )
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            conn.execute("DELETE FROM layout WHERE project_id = ?", (project_id,))
            conn.executemany(
                "INSERT INTO layout (project_id, person_id, position, x, y) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    (project_id, pid, i, x, y)
                    for i, (pid, (x, y)) in enumerate(zip(ids, xy.tolist(), strict=True))
                ),
            )

    def load_layout(self, project: ProjectRef) -> pd.DataFrame | None:
        """The saved layout, or None if none is.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        pandas.DataFrame or None
            Indexed by ``person_id`` in saved order, float columns ``x`` and ``y``.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT person_id, x, y FROM layout WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
        if not rows:
            return None
        table = pd.DataFrame.from_records(rows, columns=[schema.PERSON_ID, "x", "y"])
        return table.set_index(schema.PERSON_ID).astype(float)

    # Audit log --------------------------------------------------------------------------
    def audit(self, project: ProjectRef, user: str, action: str, detail: str = "") -> None:
        """Record a sensitive action: who did what to a project, and when.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        user
            Who (a login or a name typed in); non-empty.
        action
            What, in a few words: ``"names revealed"``, ``"export made"``.
        detail
            Context such as the export format. Never the data itself (no names,
            no values).

        Raises
        ------
        InputFormatError
            If ``user`` or ``action`` is empty or not text.
        NotFoundError
            If there is no such project.
        """
        for label, text in (("user", user), ("action", action)):
            if not isinstance(text, str) or not text.strip():
                raise InputFormatError(f"audit {label} {text!r} is not valid", expected="text")
        if not isinstance(detail, str):
            raise InputFormatError("audit detail must be text")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            conn.execute(
                "INSERT INTO audit (project_id, at, user_name, action, detail) "
                "VALUES (?, ?, ?, ?, ?)",
                (project_id, _now(), user.strip(), action.strip(), detail),
            )

    def audit_log(self, project: ProjectRef) -> pd.DataFrame:
        """The project's audit log, oldest first.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.

        Returns
        -------
        pandas.DataFrame
            Columns ``at`` (UTC datetime), ``user``, ``action``, ``detail``; one row
            per :meth:`audit` call.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> ws.audit("p", "alex", "names revealed")
        >>> ws.audit_log("p")[["user", "action"]].to_numpy().tolist()
        [['alex', 'names revealed']]
        >>> folder.cleanup()
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT at, user_name, action, detail FROM audit WHERE project_id = ? "
                "ORDER BY id",
                (project_id,),
            ).fetchall()
        log = pd.DataFrame.from_records(rows, columns=["at", "user", "action", "detail"])
        log["at"] = pd.to_datetime(log["at"], utc=True, format="ISO8601")
        return log

    # Maintenance ------------------------------------------------------------------------
    def integrity_check(self) -> list[str]:
        """Problems SQLite finds in the file and its cross-references.

        Returns
        -------
        list of str
            Empty when the file is sound (``PRAGMA integrity_check`` says ok and no row
            points to a missing one).
        """
        with self._session(write=False) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems = [p for p in problems if p != "ok"]
        problems += [f"row {row[1]} of {row[0]} points to a missing {row[2]}" for row in foreign]
        return problems

    # Plumbing ---------------------------------------------------------------------------
    def _create_if_missing(self, *, private_folder: bool) -> None:
        """Create the folder (0700) and an empty file (0600) if they do not exist."""
        folder = self._path.parent
        try:
            if not folder.exists():
                folder.mkdir(mode=0o700, parents=True)
                folder.chmod(0o700)  # mkdir's mode is filtered by the umask
            elif private_folder and stat.S_IMODE(folder.stat().st_mode) & 0o077:
                folder.chmod(0o700)
            if not self._path.exists():
                with suppress(FileExistsError):  # another process was first
                    os.close(os.open(self._path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise WorkspaceError(
                f"cannot create workspace {self._path}: {exc.strerror}. "
                f"Choose a writable location (set {ENV_VAR} or pass a path)"
            ) from exc

    def _connect(self) -> sqlite3.Connection:
        """A fresh connection with our pragmas, the schema checked and upgraded."""
        conn = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            if version != SCHEMA_VERSION:
                self._migrate(conn, version)
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        """Bring the file to :data:`SCHEMA_VERSION`, one transaction per step."""
        self._refuse_newer(version)
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        (tables,) = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        if app_id != APPLICATION_ID and (tables or version):
            raise WorkspaceError(
                f"{self._path} is a SQLite database of another program, not an onatool "
                "workspace; choose another file (or move that one aside)"
            )
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        if mode.lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()  # may have moved on
            self._refuse_newer(version)
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step + 1}")
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"workspace {self._path} was written by a newer onatool (schema version "
                f"{version}; this onatool reads up to {SCHEMA_VERSION}). Upgrade onatool, "
                f"or open another workspace (set {ENV_VAR} or pass a path)"
            )

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction on a fresh connection; sqlite errors become WorkspaceError."""
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            failure = self._failure(exc)
            if failure is None:
                raise
            raise failure from exc
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            failure = self._failure(exc) if isinstance(exc, sqlite3.Error) else None
            if failure is None:
                raise
            raise failure from exc
        finally:
            conn.close()

    def _failure(self, exc: sqlite3.Error) -> WorkspaceError | None:
        """The WorkspaceError to show for a sqlite error; None for a bug (shown as is).

        Locks, I/O and damage are the environment's doing and get a message saying what
        to do; a broken constraint or a misused API is onatool's own bug.
        """
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError):
            if "locked" in text or "busy" in text:
                return WorkspaceError(
                    f"workspace {self._path} is busy: another window or process held it for "
                    f"{BUSY_TIMEOUT_S:g} s. Try again in a moment"
                )
            return WorkspaceError(
                f"workspace {self._path} cannot be used ({text}). Check that the file and "
                "its folder exist and are writable"
            )
        if type(exc) is sqlite3.DatabaseError:  # not a database, or damaged
            return WorkspaceError(
                f"{self._path} is damaged or is not an onatool workspace ({text}). Move it "
                "aside (rename it and keep it, in case it can be recovered); onatool will "
                "then start a new, empty workspace in its place"
            )
        return None

    def _write_roster(self, conn: sqlite3.Connection, project_id: int, roster: _Roster) -> None:
        conn.execute("DELETE FROM roster WHERE project_id = ?", (project_id,))
        conn.execute(
            "INSERT INTO roster (project_id, people_layout, identity_layout, saved) "
            "VALUES (?, ?, ?, ?)",
            (project_id, _dumps(roster.people_layout), _dumps(roster.identity_layout), _now()),
        )
        conn.executemany(
            "INSERT INTO roster_person (project_id, person_id, position, attributes) "
            "VALUES (?, ?, ?, ?)",
            ((project_id, *row) for row in roster.people_rows),
        )
        conn.executemany(
            "INSERT INTO roster_identity (project_id, person_id, position, fields) "
            "VALUES (?, ?, ?, ?)",
            ((project_id, *row) for row in roster.identity_rows),
        )

    def _write_wave(
        self, conn: sqlite3.Connection, project_id: int, wave: _Wave, replace: bool,
        position: int | None,
    ) -> WaveInfo:
        existing = conn.execute(
            "SELECT id, position, name FROM wave WHERE project_id = ? AND name = ?",
            (project_id, wave.name),
        ).fetchone()
        if existing and not replace:
            raise DuplicateNameError(
                f"project {self._name(conn, project_id)!r} already has a wave named "
                f"{existing[2]!r}; pass replace=True to overwrite it, or use another name"
            )
        if existing:
            conn.execute("DELETE FROM wave WHERE id = ?", (existing[0],))
        order = self._wave_order(conn, project_id)
        if position is None:
            position = existing[1] if existing else len(order)
        position = min(position, len(order))
        network = wave.network
        created = _now()
        cursor = conn.execute(
            "INSERT INTO wave (project_id, name, position, created, n_people, "
            "n_respondents, n_ties, people_layout, relations, report) "
            "VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?, ?)",
            (
                project_id,
                wave.name,
                created,
                network.n_people,
                wave.n_respondents,
                network.n_ties,
                _dumps(wave.people_layout),
                wave.relations,
                wave.report,
            ),
        )
        wave_id = cursor.lastrowid
        assert wave_id is not None
        order.insert(position, wave_id)
        self._renumber(conn, order)
        conn.executemany(
            "INSERT INTO wave_person (wave_id, person_id, position, attributes) "
            "VALUES (?, ?, ?, ?)",
            ((wave_id, *row) for row in wave.people_rows),
        )
        conn.executemany(
            "INSERT INTO tie (wave_id, position, source, target, relation, weight, "
            "raw_value) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((wave_id, *row) for row in _tie_rows(network.ties)),
        )
        return WaveInfo(
            wave.name,
            position,
            network.n_people,
            wave.n_respondents,
            network.n_ties,
            _rate(wave.n_respondents, network.n_people),
            _parse_time(created),
        )

    @staticmethod
    def _write_recipe(conn: sqlite3.Connection, project_id: int, name: str, body: str) -> None:
        conn.execute(
            "INSERT INTO recipe (project_id, name, body, saved) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (project_id, name) DO UPDATE SET "
            "name = excluded.name, body = excluded.body, saved = excluded.saved",
            (project_id, name, body, _now()),
        )

    @contextmanager
    def _damaged(self, what: str) -> Iterator[None]:
        """Stored data that cannot be decoded becomes a WorkspaceError naming it.

        One damaged row (a report, a wave, a recipe) then spoils only itself: the
        project's other data and every other project can still be listed and opened.
        """
        try:
            yield
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise WorkspaceError(
                f"{what} in workspace {self._path} is damaged and cannot be read "
                f"({type(exc).__name__}). Delete it and import it again; the rest of the "
                "workspace is not affected"
            ) from exc

    def _project_id(self, conn: sqlite3.Connection, project: ProjectRef) -> int:
        if isinstance(project, ProjectInfo):
            project = project.id
        if _is_int(project):
            row = conn.execute("SELECT id FROM project WHERE id = ?", (project,)).fetchone()
            wanted = f"with id {project}"
        elif isinstance(project, str):
            row = conn.execute(
                "SELECT id FROM project WHERE name = ?", (project.strip(),)
            ).fetchone()
            wanted = f"named {project!r}"
        else:
            raise InputFormatError(
                f"{project!r} does not name a project",
                expected="a project name, id or ProjectInfo",
            )
        if row is None:
            names = [name for (name,) in conn.execute("SELECT name FROM project ORDER BY name")]
            raise NotFoundError(
                f"no project {wanted} in workspace {self._path}; it has {_listing(names)}"
            )
        return int(row[0])

    def _wave_id(self, conn: sqlite3.Connection, project_id: int, wave: WaveRef) -> int:
        name = _wave_name(wave)
        row = conn.execute(
            "SELECT id FROM wave WHERE project_id = ? AND name = ?", (project_id, name.strip())
        ).fetchone()
        if row is None:
            names = [
                n
                for (n,) in conn.execute(
                    "SELECT name FROM wave WHERE project_id = ? ORDER BY position", (project_id,)
                )
            ]
            raise NotFoundError(
                f"project {self._name(conn, project_id)!r} has no wave named {name!r}; "
                f"it has {_listing(names)}"
            )
        return int(row[0])

    @staticmethod
    def _name(conn: sqlite3.Connection, project_id: int) -> str:
        return conn.execute("SELECT name FROM project WHERE id = ?", (project_id,)).fetchone()[0]

    @staticmethod
    def _wave_order(conn: sqlite3.Connection, project_id: int) -> list[int]:
        rows = conn.execute(
            "SELECT id FROM wave WHERE project_id = ? ORDER BY position, id", (project_id,)
        ).fetchall()
        return [wave_id for (wave_id,) in rows]

    @staticmethod
    def _renumber(conn: sqlite3.Connection, wave_ids: Sequence[int]) -> None:
        conn.executemany(
            "UPDATE wave SET position = ? WHERE id = ?",
            ((position, wave_id) for position, wave_id in enumerate(wave_ids)),
        )


# Encoded writes -----------------------------------------------------------------------
# Everything a write needs is checked and encoded before its transaction starts, so the
# transaction itself only inserts.


@dataclass(frozen=True)
class _Roster:
    people_layout: dict[str, Any]
    people_rows: list[tuple[str, int, str]]
    identity_layout: dict[str, Any]
    identity_rows: list[tuple[str, int, str]]


@dataclass(frozen=True)
class _Wave:
    name: str
    network: Network
    people_layout: dict[str, Any]
    people_rows: list[tuple[str, int, str]]
    relations: str
    report: str | None
    n_respondents: int


def _encode_roster(people: pd.DataFrame, identities: pd.DataFrame) -> _Roster:
    people_layout, people_rows = _encode_frame(people, "roster people")
    identity_layout, identity_rows = _encode_frame(identities, "roster identities")
    identifying = [c for c in schema.IDENTITY_COLUMNS if c in people.columns]
    if identifying:
        raise InputFormatError(
            f"roster people has identifying column(s) {identifying}",
            expected="names, emails and roster ids only in the identities table",
        )
    strangers = identities.index.difference(people.index)
    if len(strangers):
        raise InputFormatError(
            f"roster identities has {len(strangers)} person_id(s) not in people, "
            f"e.g. {strangers[0]!r}",
            expected="an identity only for someone in people",
        )
    return _Roster(people_layout, people_rows, identity_layout, identity_rows)


def _encode_wave(network: object, report: Mapping[str, Any] | None, position: object) -> _Wave:
    if not isinstance(network, Network):
        raise InputFormatError(
            f"save_wave needs an onatool Network, got {type(network).__name__}"
        )
    if position is not None and (not _is_int(position) or position < 0):  # type: ignore[operator]
        raise InputFormatError(
            f"wave position {position!r} is not valid", expected="0 (first), 1, 2 ..."
        )
    name = _clean_name(network.wave, "wave")
    people_layout, people_rows = _encode_frame(network.people, f"wave {name!r} people")
    report_text = None if report is None else _dumps(dict(report), what=f"report of {name!r}")
    relations_text = _dumps(
        {
            key: {"label": r.label, "symmetric": r.symmetric, "question": r.question}
            for key, r in network.relations.items()
        }
    )
    return _Wave(name, network, people_layout, people_rows, relations_text, report_text,
                 len(network.respondents))


# Tables <-> rows ----------------------------------------------------------------------
# A table is kept as a layout (index and column names with their dtypes, as JSON) and
# one row per person: (person_id, position, JSON list of the row's values). Values are
# JSON scalars; the dtype in the layout turns them back into exactly the saved column.


def _encode_frame(frame: object, what: str) -> tuple[dict[str, Any], list[tuple[str, int, str]]]:
    """A table's layout and its rows ``(person_id, position, values_json)``."""
    if not isinstance(frame, pd.DataFrame):
        raise InputFormatError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    if frame.index.name != schema.PERSON_ID:
        raise InputFormatError(
            f"{what} is indexed by {frame.index.name!r}", expected=f"an index named {schema.PERSON_ID!r}"
        )
    ids = _check_ids(frame.index, what)
    names = list(frame.columns)
    if not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise InputFormatError(f"{what} has repeated or non-text column names {names}")
    index_spec, _ = _encode_column(pd.Series(frame.index, dtype=frame.index.dtype), what, "index")
    names_spec, _ = _encode_column(pd.Series(frame.columns, dtype=frame.columns.dtype), what, "")
    specs, columns = [], []
    for name in names:
        spec, values = _encode_column(frame[name], what, name)
        specs.append({"name": name, **spec})
        columns.append(values)
    layout = {
        "index": {"name": frame.index.name, **index_spec},
        "column_names": names_spec,
        "columns": specs,
    }
    row_values = zip(*columns, strict=True) if columns else [()] * len(ids)
    rows = [
        (pid, position, _dumps(list(values)))
        for position, (pid, values) in enumerate(zip(ids, row_values, strict=True))
    ]
    return layout, rows


def _decode_frame(layout: Mapping[str, Any], rows: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The table stored as ``layout`` and rows ``(person_id, values_json)``."""
    specs = layout["columns"]
    index_spec = layout["index"]
    index = _decode_index(index_spec, [pid for pid, _ in rows], name=index_spec["name"])
    values = [json.loads(text) for _, text in rows]
    columns = list(zip(*values, strict=True)) if values else [() for _ in specs]
    data = {
        spec["name"]: _decode_column(spec, list(column))
        for spec, column in zip(specs, columns, strict=True)
    }
    names = [spec["name"] for spec in specs]
    # Without columns, pandas' own default (an empty RangeIndex) is what was saved.
    names_spec = layout.get("column_names")
    column_index = _decode_index(names_spec, names) if names and names_spec else names or None
    return pd.DataFrame(data, index=index, columns=column_index)


def _decode_index(spec: Mapping[str, Any], values: list[Any], name: str | None = None) -> pd.Index:
    array = _decode_column(spec, values)
    return pd.Index(array, dtype=array.dtype, name=name)


def _encode_column(series: pd.Series, what: str, name: str) -> tuple[dict[str, Any], list[Any]]:
    """A column's dtype spec and its values as JSON scalars."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories_spec, categories = _encode_column(
            pd.Series(dtype.categories, dtype=dtype.categories.dtype), what, name
        )
        spec = {
            "kind": "category",
            "ordered": bool(dtype.ordered),
            "categories": categories,
            "categories_dtype": categories_spec,
        }
        return spec, series.cat.codes.tolist()
    if isinstance(dtype, pd.StringDtype):
        na = "nan" if dtype.na_value is np.nan else "NA"
        spec = {"kind": "string", "storage": dtype.storage, "na": na}
        return spec, [None if pd.isna(v) else v for v in series.tolist()]
    if isinstance(dtype, pd.DatetimeTZDtype) or (
        isinstance(dtype, np.dtype) and dtype.kind == "M"
    ):
        spec = {"kind": "datetime", "dtype": str(dtype)}
        return spec, series.array.asi8.tolist()  # UTC ticks in the dtype's unit; NaT is min int
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        values = series.tolist()
        for value in values:
            if value is not None and not isinstance(value, str | bool | int | float):
                raise InputFormatError(
                    f"{what} column {name!r} holds a {type(value).__name__}, which cannot be "
                    "kept exactly",
                    expected="text, numbers, booleans or missing values",
                )
        return {"kind": "plain", "dtype": "object"}, values
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf" or str(dtype) in _MASKED:
        values = [None if v is pd.NA else v for v in series.tolist()]
        return {"kind": "plain", "dtype": str(dtype)}, values
    raise InputFormatError(
        f"{what} column {name!r} has dtype {dtype}, which the workspace cannot keep exactly",
        expected="text, numbers, booleans, categories or dates",
    )


_MASKED = {
    "boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
    "Float32", "Float64",
}


def _decode_column(spec: Mapping[str, Any], values: list[Any]) -> Any:
    """The array a column spec and its JSON values stand for."""
    kind = spec["kind"]
    if kind == "category":
        categories = _decode_index(spec["categories_dtype"], spec["categories"])
        return pd.Categorical.from_codes(
            np.asarray(values, dtype=int), categories=categories, ordered=spec["ordered"]
        )
    if kind == "string":
        na_value = np.nan if spec["na"] == "nan" else pd.NA
        dtype = pd.StringDtype(spec["storage"], na_value=na_value)
        return pd.array(values, dtype=dtype)
    if kind == "datetime":
        target = pd.api.types.pandas_dtype(spec["dtype"])
        unit = target.unit if isinstance(target, pd.DatetimeTZDtype) else np.datetime_data(target)[0]
        naive = pd.Series(np.asarray(values, dtype="int64").view(f"M8[{unit}]"))
        if isinstance(target, pd.DatetimeTZDtype):
            naive = naive.dt.tz_localize("UTC").dt.tz_convert(target.tz)
        return naive.astype(target).array
    return pd.Series(values, dtype=object).astype(spec["dtype"]).array


def _tie_rows(ties: pd.DataFrame) -> Iterable[tuple[int, str, str, str, float, str]]:
    """Tie rows in saved order: ``(position, source, target, relation, weight, raw_value)``."""
    columns = [ties[c].tolist() for c in schema.TIE_COLUMNS]
    return zip(range(len(ties)), *columns, strict=True)


# Small helpers ----------------------------------------------------------------------------
def _check_ids(index: pd.Index, what: str) -> list[str]:
    ids = index.tolist()
    if not all(isinstance(pid, str) and pid for pid in ids):
        raise InputFormatError(f"{what} has missing or non-text person_id values",
                               expected="a non-empty text person_id for every row")
    if index.has_duplicates:
        repeated = index[index.duplicated()][0]
        raise InputFormatError(f"{what} repeats person_id {repeated!r}", expected="unique ids")
    return ids


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"a {type(value).__name__} is not a JSON value")


def _dumps(value: object, what: str = "value") -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InputFormatError(
            f"the {what} cannot be saved: {exc}",
            expected="JSON values (text, numbers, booleans, None, lists, dicts with text keys)",
        ) from exc


def _clean_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputFormatError(
            f"a {what} name must be non-empty text, got {name!r}", expected="a name such as 'baseline'"
        )
    return name.strip()


def _wave_name(wave: WaveRef) -> str:
    if isinstance(wave, WaveInfo):
        return wave.name
    if isinstance(wave, str):
        return wave
    raise InputFormatError(f"{wave!r} does not name a wave", expected="a wave name or WaveInfo")


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _rate(respondents: int, people: int) -> float:
    return respondents / people if people else math.nan


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _project_info(row: tuple[int, str, str, str]) -> ProjectInfo:
    project_id, name, description, created = row
    return ProjectInfo(project_id, name, description, _parse_time(created))


def _listing(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(repr(n) for n in names) if names else "none"

