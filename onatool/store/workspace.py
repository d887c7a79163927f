"""The workspace facade: one SQLite file that keeps every project between runs.

A :class:`Workspace` holds, per project: the roster (attributes, and separately the
identities, the only identifying data), the survey waves in order (people, ties,
relation metadata, the import report and the fingerprint of the key they were read
with), import recipes, name decisions (the one store of them), settings, the project's pseudonym key, a fixed map layout and an audit log
of sensitive actions (who and when, never the data).

It stores and returns the canonical tables and plain dicts; it knows nothing about
file formats. Tables come back exactly as they were saved: column order, dtypes
(text stays text, booleans stay booleans, categories keep their categories) and
missing values."""

from __future__ import annotations

import getpass
import json
import os
import secrets
from collections.abc import Mapping
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
from onatool.store.codec import (
    _check_ids,
    _clean_name,
    _decode_frame,
    _dumps,
    _encode_roster,
    _encode_wave,
    _is_int,
    _listing,
    _now,
    _parse_time,
    _project_info,
    _rate,
    _wave_name,
)
from onatool.store.db import NAME_DECISIONS, Database
from onatool.store.records import ProjectInfo, ProjectRef, WaveInfo, WaveRef, default_path


# The workspace ------------------------------------------------------------------------
class Workspace(Database):
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
    def create_project(self, name: str, *, description: str = "", key: bytes | None = None) -> ProjectInfo:
        """Create an empty project with its own pseudonym key.

        Parameters
        ----------
        name
            Unique in the workspace, ignoring case; surrounding spaces are dropped.
        description
            Free text shown with the project.
        key
            The pseudonym key to keep (32 bytes), e.g. one adopted from an older key
            file; None makes a new random one (the usual case).

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
        if key is not None and (not isinstance(key, bytes) or len(key) != 32):
            raise InputFormatError("a project key must be 32 bytes", expected="32 random bytes, or None")
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
                (name, description, created, key if key is not None else secrets.token_bytes(32)),
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

    def delete_project(self, project: ProjectRef, *, user: str | None = None) -> None:
        """Delete a project and everything in it (roster, waves, key), from the file too.

        The deletion is recorded in the workspace's audit log, which outlives the
        project (see :meth:`workspace_audit_log`); the project's earlier audit entries
        stay there too. Then the file is compacted (checkpoint and VACUUM, with
        ``secure_delete`` on), so the deleted data is gone from the file and its
        ``-wal`` companion, not merely marked free.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        user
            Who deleted it, for the audit log (default: this computer's login name).

        Raises
        ------
        NotFoundError
            If there is no such project.
        WorkspaceError
            If another window kept the deleted pages in use (the deletion itself is
            saved; the message says what to do).
        """
        who = _audit_text("user", user if user is not None else _login_name())
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            name = self._name(conn, project_id)
            conn.execute(
                "UPDATE workspace_audit SET project_id = NULL WHERE project_id = ?", (project_id,)
            )
            conn.execute("DELETE FROM project WHERE id = ?", (project_id,))
            _record(conn, who, None, name, "project deleted")
        self._compact()

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
        key_fingerprint: str | None = None,
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
        key_fingerprint
            The fingerprint of the key the wave's ids were made with
            (:func:`onatool.pseudonyms.key_fingerprint`), listed by :meth:`waves`.

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
            return self._write_wave(conn, self._project_id(conn, project), encoded, replace, position,
                                    key_fingerprint)

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
        key_fingerprint: str | None = None,
        name_decisions: Mapping[str, Mapping[str, Any]] | None = None,
        source: tuple[str, bytes, Mapping[str, Any]] | None = None,
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
        key_fingerprint
            The fingerprint of the key the wave was read with.
        name_decisions
            Name decisions made during the import, added to the project's
            (see :meth:`save_name_decisions`).
        source
            The answers file read, ``(file name, bytes, reading options)``, kept with
            the wave (see :meth:`save_wave_source`).

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
        decided = _name_decision_rows(name_decisions or {})
        kept = None if source is None else (str(source[0]), bytes(source[1]),
                                            _dumps(dict(source[2]), what="the wave's reading options"))
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            self._write_roster(conn, project_id, roster)
            info = self._write_wave(conn, project_id, wave, replace, None, key_fingerprint)
            if kept is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO wave_source (wave_id, file_name, body, options, saved) "
                    "VALUES (?, ?, ?, ?, ?)", (self._wave_id(conn, project_id, info.name), *kept, _now()))
            if body is not None:
                self._write_recipe(conn, project_id, "latest", body)
            self._write_name_decisions(conn, project_id, decided)
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
                "SELECT name, position, n_people, n_respondents, n_ties, created, key_fingerprint "
                "FROM wave WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
        return [
            WaveInfo(name, pos, people, responded, ties, _rate(responded, people), _parse_time(t), fp)
            for name, pos, people, responded, ties, t, fp in rows
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
        """Delete a wave (and the answers it was read from); later waves move up.

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
            self._renumber(conn, self._wave_order(conn, project_id))

    def rename_wave(self, project: ProjectRef, wave: WaveRef, new_name: str) -> WaveInfo:
        """Give a wave another label.

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
    def save_name_decisions(
        self,
        project: ProjectRef,
        decisions: Mapping[str, Mapping[str, Any]],
        *,
        replace: bool = False,
    ) -> None:
        """Keep what people decided about names: the one store of name decisions.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        decisions
            Normalised name -> ``{"decision", "person", "raw", "name"}``: ``decision``
            is ``chosen`` (``person`` is the roster id or email, stable across keys),
            ``new person`` (``name`` is the name the new person gets) or ``ignored``.
        replace
            Replace every saved decision with these; by default they are added to
            (and override) the saved ones.

        Raises
        ------
        InputFormatError
            If a decision is not one of those, or ``chosen`` names nobody.
        NotFoundError
            If there is no such project.

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> ws.save_name_decisions("p", {"jo s": {"decision": "chosen", "person": "ACU-4", "raw": "Jo S."}})
        >>> ws.load_name_decisions("p")["jo s"]["person"]
        'ACU-4'
        >>> folder.cleanup()
        """
        rows = _name_decision_rows(decisions)
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            if replace:
                conn.execute("DELETE FROM name_decision WHERE project_id = ?", (project_id,))
            self._write_name_decisions(conn, project_id, rows)

    @staticmethod
    def _write_name_decisions(conn: Any, project_id: int, rows: list[tuple]) -> None:
        now = _now()
        conn.executemany(
            "INSERT OR REPLACE INTO name_decision (project_id, text, decision, person, raw, name, saved) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((project_id, *row, now) for row in rows),
        )

    def load_name_decisions(self, project: ProjectRef) -> dict[str, dict[str, Any]]:
        """Every saved name decision, by normalised name (see :meth:`save_name_decisions`).

        Returns
        -------
        dict
            Normalised name -> ``{"decision", "person", "raw", "name"}``; empty if none.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT text, decision, person, raw, name FROM name_decision WHERE project_id = ? "
                "ORDER BY text", (project_id,),
            ).fetchall()
        return {text: {"decision": decision, "person": person, "raw": raw, "name": name}
                for text, decision, person, raw, name in rows}

    # The answers a wave was read from --------------------------------------------------
    def save_wave_source(self, project: ProjectRef, wave: WaveRef, file_name: str, body: bytes,
                         options: Mapping[str, Any]) -> None:
        """Keep the answers file a saved wave was read from, and how it was read.

        So that the wave can be read again with changed name decisions
        (:meth:`onatool.project.Project.rederive_wave`). Replaces any earlier source
        of the wave; goes with the wave when it is deleted.

        Parameters
        ----------
        project
            The project's name (ignoring case), id or :class:`ProjectInfo`.
        wave
            The saved wave's name (ignoring case) or :class:`WaveInfo`.
        file_name
            The answers file's name (readers name it in their messages).
        body
            The file's bytes.
        options
            JSON-able reading options (layout, relation, sheet, recipe ...).

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        InputFormatError
            If ``body`` is not bytes or ``options`` cannot be stored exactly.
        """
        if not isinstance(body, bytes | bytearray):
            raise InputFormatError("a wave's source must be the file's bytes", expected="bytes")
        text = _dumps(dict(options), what=f"the reading options of {file_name!r}")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            conn.execute(
                "INSERT OR REPLACE INTO wave_source (wave_id, file_name, body, options, saved) VALUES (?, ?, ?, ?, ?)",
                (wave_id, str(file_name), bytes(body), text, _now()),
            )

    def load_wave_source(self, project: ProjectRef, wave: WaveRef) -> tuple[str, bytes, dict[str, Any]] | None:
        """The answers file a wave was read from: ``(file name, bytes, options)``, or None.

        None for a wave saved without its source (before onatool kept sources, or
        saved from a Network rather than an import).

        Raises
        ------
        NotFoundError
            If there is no such project or wave.
        """
        with self._session(write=False) as conn:
            project_id = self._project_id(conn, project)
            wave_id = self._wave_id(conn, project_id, wave)
            row = conn.execute("SELECT file_name, body, options FROM wave_source WHERE wave_id = ?",
                               (wave_id,)).fetchone()
        if row is None:
            return None
        with self._damaged(f"the source of wave {_wave_name(wave)!r} of project {project_id}"):
            return row[0], bytes(row[1]), json.loads(row[2])

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

        The entry goes into the workspace's audit log, which outlives the project.

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
        who, what = _audit_text("user", user), _audit_text("action", action)
        if not isinstance(detail, str):
            raise InputFormatError("audit detail must be text")
        with self._session(write=True) as conn:
            project_id = self._project_id(conn, project)
            _record(conn, who, project_id, self._name(conn, project_id), what, detail)

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
                "SELECT at, user_name, action, detail FROM workspace_audit "
                "WHERE project_id = ? ORDER BY id",
                (project_id,),
            ).fetchall()
        return _audit_frame(rows, ["at", "user", "action", "detail"])

    def workspace_audit_log(self) -> pd.DataFrame:
        """Every audit entry in the workspace, oldest first, deleted projects included.

        Returns
        -------
        pandas.DataFrame
            Columns ``at`` (UTC datetime), ``user``, ``project`` (its name when the
            entry was made), ``action``, ``detail``. A project's deletion is an entry
            of its own (action ``"project deleted"``).

        Examples
        --------
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace(Path(folder.name) / "w.sqlite")
        >>> _ = ws.create_project("p")
        >>> ws.audit("p", "alex", "names revealed")
        >>> ws.delete_project("p", user="sam")
        >>> ws.workspace_audit_log()[["user", "project", "action"]].to_numpy().tolist()
        [['alex', 'p', 'names revealed'], ['sam', 'p', 'project deleted']]
        >>> folder.cleanup()
        """
        with self._session(write=False) as conn:
            rows = conn.execute(
                "SELECT at, user_name, project, action, detail FROM workspace_audit ORDER BY id"
            ).fetchall()
        return _audit_frame(rows, ["at", "user", "project", "action", "detail"])

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


# Audit helpers ------------------------------------------------------------------------
def _audit_text(label: str, text: object) -> str:
    """A user or action for the audit log: non-empty text, surrounding spaces dropped."""
    if not isinstance(text, str) or not text.strip():
        raise InputFormatError(f"audit {label} {text!r} is not valid", expected="text")
    return text.strip()


def _record(
    conn: Any, user: str, project_id: int | None, project: str, action: str, detail: str = ""
) -> None:
    conn.execute(
        "INSERT INTO workspace_audit (at, user_name, project_id, project, action, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (_now(), user, project_id, project, action, detail),
    )


def _audit_frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    log = pd.DataFrame.from_records(rows, columns=columns)
    log["at"] = pd.to_datetime(log["at"], utc=True, format="ISO8601")
    return log


def _login_name() -> str:
    """This computer's login name, for audit entries made without one."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):  # no login name in this environment
        return "unknown"

def _name_decision_rows(decisions: Mapping[str, Mapping[str, Any]]) -> list[tuple]:
    """Checked rows ``(text, decision, person, raw, name)`` for the name_decision table."""
    rows = []
    for text, entry in dict(decisions).items():
        decision = entry.get("decision") if isinstance(entry, Mapping) else None
        person = entry.get("person") if isinstance(entry, Mapping) else None
        if not isinstance(text, str) or not text.strip() or decision not in NAME_DECISIONS:
            raise InputFormatError(
                f"name decision {text!r} -> {entry!r} cannot be saved",
                expected=f"a name mapped to a decision: {', '.join(NAME_DECISIONS)}",
            )
        if decision == "chosen" and not (isinstance(person, str) and person.strip()):
            raise InputFormatError(
                f"name decision {text!r} chooses nobody", expected="the roster id of the person chosen"
            )
        rows.append((text, decision, person if decision == "chosen" else None,
                     str(entry.get("raw") or ""), str(entry.get("name") or "")))
    return rows
