"""The workspace file itself: schema, migrations, connections and transactions.

Each call opens its own short-lived connection (WAL journal, foreign keys on, a busy
timeout); writes take the write lock at once and run in one transaction."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from onatool.errors import (
    DuplicateNameError,
    InputFormatError,
    NotFoundError,
    WorkspaceError,
)
from onatool.files_safety import owner_only_folder
from onatool.store.codec import (
    _dumps,
    _is_int,
    _listing,
    _now,
    _parse_time,
    _rate,
    _Roster,
    _tie_rows,
    _Wave,
    _wave_name,
)
from onatool.store.records import ENV_VAR, ProjectInfo, ProjectRef, WaveInfo, WaveRef

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
_WORKSPACE_AUDIT = (
    # The audit log belongs to the workspace, not to a project: it outlives a project's
    # deletion and records the deletion itself. Rows keep the project's id (NULL once the
    # project is gone, so a later project given the same id does not inherit them) and
    # its name at the time. Who and when, never the data.
    """CREATE TABLE workspace_audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_name TEXT NOT NULL,
        project_id INTEGER,
        project TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    """INSERT INTO workspace_audit (at, user_name, project_id, project, action, detail)
        SELECT audit.at, audit.user_name, audit.project_id, project.name, audit.action,
               audit.detail
        FROM audit JOIN project ON project.id = audit.project_id ORDER BY audit.id""",
    "DROP TABLE audit",
    "CREATE INDEX workspace_audit_by_project ON workspace_audit(project_id, id)",
)


def _move_old_name_decisions(conn: sqlite3.Connection) -> None:
    """Version 4: every name decision into one table, ``name_decision``.

    Before, the app kept its decisions as a settings blob (``aliases``) and the
    ``alias`` table (raw text -> person_id) was written by no surface; both move here.
    An old alias that points to a person no longer on the roster cannot be resolved
    by anyone and is not carried over (matching would skip it anyway).
    """
    now = _now()
    rows = conn.execute("SELECT project_id, value FROM setting WHERE key = 'aliases'").fetchall()
    for project_id, value in rows:
        try:
            entries = json.loads(value) or []
        except ValueError:
            entries = []
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("text") and entry.get("decision") in NAME_DECISIONS:
                conn.execute(
                    "INSERT OR REPLACE INTO name_decision (project_id, text, decision, person, raw, name, saved) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (project_id, str(entry["text"]), entry["decision"], entry.get("person"),
                     str(entry.get("raw") or ""), str(entry.get("name") or ""), now),
                )
    conn.execute("DELETE FROM setting WHERE key = 'aliases'")
    for project_id, raw, person_id in conn.execute("SELECT project_id, raw, person_id FROM alias").fetchall():
        person = None
        if person_id is not None:
            found = conn.execute(
                "SELECT i.fields, r.identity_layout FROM roster_identity i JOIN roster r USING (project_id) "
                "WHERE i.project_id = ? AND i.person_id = ?", (project_id, person_id)).fetchone()
            if found is None:
                continue
            try:
                fields = dict(zip([c["name"] for c in json.loads(found[1]).get("columns", [])],
                                  json.loads(found[0]), strict=False))
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
            person = fields.get("id") or fields.get("email")
            if not isinstance(person, str) or not person:
                continue
        conn.execute(
            "INSERT OR IGNORE INTO name_decision (project_id, text, decision, person, raw, name, saved) "
            "VALUES (?, ?, ?, ?, ?, '', ?)",
            (project_id, raw, "ignored" if person is None else "chosen", person, raw, now),
        )


#: What a person can decide about a name (see :class:`onatool.io.matching.Alias`).
NAME_DECISIONS = ("chosen", "new person", "ignored")
_NAME_DECISIONS = (
    # One home for name decisions (they were a settings blob, an unused alias table
    # and YAML files), and the key each wave was read with.
    """CREATE TABLE name_decision (
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('chosen', 'new person', 'ignored')),
        person TEXT,
        raw TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        saved TEXT NOT NULL,
        PRIMARY KEY (project_id, text)
    ) WITHOUT ROWID""",
    _move_old_name_decisions,
    "DROP TABLE alias",
    "ALTER TABLE wave ADD COLUMN key_fingerprint TEXT",
)


def _fold_match_decisions(conn: sqlite3.Connection) -> None:
    """Version 5: the per-wave ``match_decision`` lists (written by no surface) join ``name_decision``.

    An entry is carried over when it says what was decided: a ``decision`` of its own
    (``chosen`` with a roster ``person``, ``new person``, ``ignored``), or a ``person_id``
    that is still on the roster (translated to the roster's stable id, as the alias
    table was in version 4). Entries that decided nothing are dropped with the table.
    A decision already in ``name_decision`` wins: it is the newer home.
    """
    from onatool.io.matching import normalise_name

    now = _now()
    identities: dict[tuple[int, str], str] = {}
    for project_id, person_id, fields, layout in conn.execute(
            "SELECT i.project_id, i.person_id, i.fields, r.identity_layout "
            "FROM roster_identity i JOIN roster r USING (project_id)").fetchall():
        try:
            row = dict(zip([c["name"] for c in json.loads(layout).get("columns", [])], json.loads(fields),
                           strict=False))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        stable = row.get("id") or row.get("email")
        if isinstance(stable, str) and stable:
            identities[(project_id, person_id)] = stable
    for project_id, body in conn.execute("SELECT project_id, decisions FROM match_decision "
                                         "ORDER BY saved").fetchall():
        try:
            entries = json.loads(body)
        except ValueError:
            continue
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not str(entry.get("raw") or "").strip():
                continue
            raw = str(entry["raw"])
            text = normalise_name(raw)
            decision, person = entry.get("decision"), entry.get("person")
            if decision not in NAME_DECISIONS:
                person = identities.get((project_id, str(entry.get("person_id"))))
                decision = "chosen" if person else None
            if not text or decision is None or (decision == "chosen" and not person):
                continue
            conn.execute(
                "INSERT OR IGNORE INTO name_decision (project_id, text, decision, person, raw, name, saved) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (project_id, text, decision, person if decision == "chosen" else None, raw,
                 str(entry.get("name") or ""), now),
            )


_SOURCES = (
    # Name decisions are folded into their one home, and each wave keeps the answers file
    # it was read from (bytes, name and how it was read), so that a changed decision can
    # re-derive the wave (Project.rederive_wave). The bytes hold names as typed: the
    # workspace is owner-only and deletes securely, as for the import report.
    _fold_match_decisions,
    "DROP TABLE match_decision",
    """CREATE TABLE wave_source (
        wave_id INTEGER PRIMARY KEY REFERENCES wave(id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        body BLOB NOT NULL,
        options TEXT NOT NULL,
        saved TEXT NOT NULL
    )""",
)
_ROOM_NOTES = (
    # What the room said about each finding in a workshop, kept with the project and
    # carried into the report. A finding is keyed by what it is about (kind, groups,
    # measures: onatool.store.notes.finding_key), not by its wording, which may improve.
    """CREATE TABLE room_note (
        id INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        wave TEXT NOT NULL COLLATE NOCASE,
        finding TEXT NOT NULL,
        finding_text TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX room_note_by_finding ON room_note(project_id, wave, finding, id)",
)
MIGRATIONS: tuple[tuple, ...] = (_V1, _V2, _WORKSPACE_AUDIT, _NAME_DECISIONS, _SOURCES, _ROOM_NOTES)
#: The schema version this onatool writes (``PRAGMA user_version``).
SCHEMA_VERSION = len(MIGRATIONS)



class Database:
    """Connections, transactions and id look-ups shared by every workspace operation.

    Holds only the file's path (``self._path``), so it is safe to share between threads.
    """

    _path: Path

    def _create_if_missing(self, *, private_folder: bool) -> None:
        """Create the folder (0700) and an empty file (0600) if they do not exist.

        SQLite gives the ``-wal`` and ``-shm`` files it creates beside the file the
        file's own mode, so they are owner-only too.
        """
        try:
            owner_only_folder(self._path.parent, tighten=private_folder)
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
            # Deleted rows are overwritten with zeros, not merely marked free.
            conn.execute("PRAGMA secure_delete = ON")
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
        self._refuse_foreign(conn)
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        if mode.lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Checked again under the write lock, in one snapshot: another process may
            # have been creating the same new file a moment ago.
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            self._refuse_newer(version)
            self._refuse_foreign(conn)
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            while version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    if callable(statement):
                        statement(conn)
                    else:
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
                # Between two steps another process may have taken the lock and run
                # the next step itself: carry on from where the file is now.
                (version,) = conn.execute("PRAGMA user_version").fetchone()
                self._refuse_newer(version)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _refuse_foreign(self, conn: sqlite3.Connection) -> None:
        """Refuse a database another program wrote (tables or a version, and not our id)."""
        in_transaction = conn.in_transaction
        if not in_transaction:
            conn.execute("BEGIN")  # one snapshot for the three reads
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            (tables,) = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
            (version,) = conn.execute("PRAGMA user_version").fetchone()
        finally:
            if not in_transaction:
                conn.execute("COMMIT")
        if app_id != APPLICATION_ID and (tables or version):
            raise WorkspaceError(
                f"{self._path} is a SQLite database of another program, not an onatool "
                "workspace; choose another file (or move that one aside)"
            )

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

    def _compact(self) -> None:
        """Move everything into the main file, rebuild it, and empty the ``-wal`` file.

        After a deletion, ``secure_delete`` has zeroed the rows in the pages the WAL
        holds; the checkpoint writes those pages home and VACUUM rebuilds the file
        without free pages, its temporary copy kept in memory, never in a temp folder.
        A checkpoint waits for readers that still see older pages (another window).

        Raises
        ------
        WorkspaceError
            If another process kept old pages in use for :data:`BUSY_TIMEOUT_S`.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        with self._errors():
            conn = self._connect()
        try:
            with self._errors():
                conn.execute("PRAGMA temp_store = MEMORY")
                while True:
                    busy = self._checkpoint(conn)
                    if not busy:
                        conn.execute("VACUUM")
                        busy = self._checkpoint(conn)
                    if not busy:
                        return
                    if time.monotonic() > deadline:
                        raise WorkspaceError(
                            f"the deletion is saved, but another window or process is still "
                            f"reading workspace {self._path}, so the deleted data stays in "
                            f"{self._path.name}-wal until it closes; SQLite then clears it. "
                            "Close the other onatool windows"
                        )
                    time.sleep(0.1)
        finally:
            conn.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """sqlite errors from the environment become a WorkspaceError (see :meth:`_failure`)."""
        try:
            yield
        except sqlite3.Error as exc:
            failure = self._failure(exc)
            if failure is None:
                raise
            raise failure from exc

    @staticmethod
    def _checkpoint(conn: sqlite3.Connection) -> bool:
        """Checkpoint and truncate the WAL; True if a reader kept it from finishing."""
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy)

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
        position: int | None, key_fingerprint: str | None = None,
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
            "n_respondents, n_ties, people_layout, relations, report, key_fingerprint) "
            "VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                key_fingerprint,
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
            key_fingerprint,
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
