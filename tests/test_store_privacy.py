"""A deleted project is gone from the file, the audit log outlives it, and every file the
workspace makes is readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pandas as pd
import pytest

from onatool import files_safety
from onatool.errors import WorkspaceError
from onatool.network import Network
from onatool.store import Workspace
from onatool.store import db as store_db

#: A name that appears nowhere else, so finding its bytes means the data is still there.
NAME = "Zebedee Quillfeather-Ostrogoth"
ORG = "Marrowbone Lantern Trust"
NOTE = "typed-by-hand:Quince-Vellum-4471"


def _workspace_bytes(path) -> bytes:
    """The file and its SQLite companions (``-wal``, ``-shm``, ``-journal``), as they are on disk."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            data += companion.read_bytes()
    return data


def _fill(ws: Workspace, project: str, name: str, org: str) -> None:
    ws.create_project(project)
    people = pd.DataFrame({"organisation": pd.array([org, "Other org"], dtype="str")},
                          index=pd.Index(["p1", "p2"], name="person_id"))
    identities = pd.DataFrame({"name": pd.array([name, "Plain Person"], dtype="str")},
                              index=people.index)
    ws.save_roster(project, people, identities)
    net = Network.from_edges([("p1", "p2")], relation="advice", wave="baseline")
    ws.save_wave(project, net)
    ws.save_name_decisions(project, {name.lower(): {"decision": "chosen", "person": "R001", "raw": name}})
    ws.set_setting(project, "note", NOTE if project == "Gone" else "an ordinary note")


def _found(data: bytes, text: str) -> bool:
    return text.encode() in data or text.encode("utf-16-le") in data


@pytest.mark.parametrize("other_window", [False, True], ids=["alone", "another-window-open"])
def test_a_deleted_project_leaves_no_trace_in_the_file_or_its_wal(tmp_path, other_window):
    path = tmp_path / "workspace.sqlite"
    ws = Workspace(path)
    # An idle connection (another window of the app) keeps SQLite from clearing the -wal
    # file on close, so only an explicit checkpoint empties it.
    idle = sqlite3.connect(path) if other_window else None
    if idle is not None:
        idle.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    _fill(ws, "Gone", NAME, ORG)
    _fill(ws, "Kept", "Kept Person", "Kept org")
    before = _workspace_bytes(path)
    assert _found(before, NAME) and _found(before, ORG) and _found(before, NOTE)  # the test can fail

    ws.delete_project("Gone", user="alex")

    after = _workspace_bytes(path)
    if idle is not None:
        idle.close()
    for text in (NAME, ORG, NOTE, NAME.lower()):
        assert not _found(after, text), f"{text!r} is still in the workspace's bytes"
    assert _found(after, "Kept Person")  # the other project is untouched
    assert ws.load_roster("Kept")[1]["name"].tolist() == ["Kept Person", "Plain Person"]
    assert ws.integrity_check() == []


def test_every_connection_deletes_securely(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    conn = ws._connect()
    try:
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        conn.close()


def test_the_audit_log_outlives_the_project_and_records_its_deletion(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    ws.create_project("Kept")
    gone = ws.create_project("Gone")  # the highest id: SQLite gives it to the next project
    ws.audit("Gone", "alex", "names revealed")
    ws.audit("Gone", "sam", "export made", "Excel workbook, wave baseline")
    ws.audit("Kept", "jo", "names revealed")
    ws.delete_project("Gone", user="  robin ")

    log = ws.workspace_audit_log()
    assert log.columns.tolist() == ["at", "user", "project", "action", "detail"]
    assert log[["user", "project", "action"]].to_numpy().tolist() == [
        ["alex", "Gone", "names revealed"],
        ["sam", "Gone", "export made"],
        ["jo", "Kept", "names revealed"],
        ["robin", "Gone", "project deleted"],
    ]
    assert str(log["at"].dtype).startswith("datetime64") and log["at"].is_monotonic_increasing
    # A new project given the deleted one's id starts with an empty log of its own.
    reborn = ws.create_project("Reborn")
    assert reborn.id == gone.id
    assert ws.audit_log("Reborn").empty
    assert ws.audit_log("Kept")["user"].tolist() == ["jo"]


def test_a_deletion_without_a_user_names_the_login(tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    ws = Workspace(tmp_path / "w.sqlite")
    ws.create_project("p")
    ws.delete_project("p")
    assert ws.workspace_audit_log()[["user", "action"]].to_numpy().tolist() == [
        ["login-name", "project deleted"]]


def test_a_renamed_project_keeps_its_audit_entries(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    ws.create_project("Old")
    ws.audit("Old", "alex", "names revealed")
    ws.rename_project("Old", "New")
    ws.audit("New", "alex", "export made")
    assert ws.audit_log("New")["action"].tolist() == ["names revealed", "export made"]
    assert ws.workspace_audit_log()["project"].tolist() == ["Old", "New"]


def test_a_version_2_workspace_keeps_its_audit_log_when_upgraded(tmp_path, monkeypatch):
    path = tmp_path / "v2.sqlite"
    with monkeypatch.context() as old:
        old.setattr(store_db, "MIGRATIONS", store_db.MIGRATIONS[:2])
        old.setattr(store_db, "SCHEMA_VERSION", 2)
        v2 = Workspace(path)
        v2.create_project("North")
        with sqlite3.connect(path) as conn:
            project_id = conn.execute("SELECT id FROM project").fetchone()[0]
            conn.executemany(
                "INSERT INTO audit (project_id, at, user_name, action, detail) VALUES (?, ?, ?, ?, ?)",
                [(project_id, "2026-01-02T03:04:05+00:00", "alex", "names revealed", ""),
                 (project_id, "2026-01-03T03:04:05+00:00", "sam", "export made", "pdf")])
        conn.close()
    ws = Workspace(path)
    assert ws.audit_log("North")[["user", "action", "detail"]].to_numpy().tolist() == [
        ["alex", "names revealed", ""], ["sam", "export made", "pdf"]]
    ws.delete_project("North", user="jo")
    assert ws.workspace_audit_log()["action"].tolist() == [
        "names revealed", "export made", "project deleted"]
    assert ws.integrity_check() == []


def test_a_reader_holding_old_pages_gets_one_clear_line_and_the_deletion_stands(tmp_path, monkeypatch):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.5)
    path = tmp_path / "w.sqlite"
    ws = Workspace(path)
    _fill(ws, "Gone", NAME, ORG)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM roster_identity").fetchone()  # a snapshot from before
    try:
        with pytest.raises(WorkspaceError, match="deletion is saved.*still reading") as caught:
            ws.delete_project("Gone", user="alex")
        assert "\n" not in str(caught.value)
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert [p.name for p in ws.projects()] == []
    assert ws.workspace_audit_log()["action"].tolist() == ["project deleted"]
    ws._compact()  # once the reader is gone, compacting finishes the job
    assert not _found(_workspace_bytes(path), NAME)


def test_deleting_while_another_thread_writes_ends_cleanly(tmp_path):
    path = tmp_path / "w.sqlite"
    ws = Workspace(path)
    _fill(ws, "Gone", NAME, ORG)
    ws.create_project("Busy")
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(20):
                ws.audit("Busy", "writer", "export made", str(i))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    ws.delete_project("Gone", user="alex")
    thread.join()
    assert errors == []
    assert len(ws.audit_log("Busy")) == 20
    assert not _found(_workspace_bytes(path), NAME)


# Owner-only files ----------------------------------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_workspace_its_companions_and_its_folder_are_owner_only(tmp_path):
    old = os.umask(0o022)  # a typical, permissive umask: the workspace must not depend on it
    try:
        path = tmp_path / "new" / "deeper" / "workspace.sqlite"
        ws = Workspace(path)
        _fill(ws, "p", NAME, ORG)
        conn = ws._connect()  # keep the -wal and -shm files in place while we look
        try:
            conn.execute("SELECT count(*) FROM project").fetchone()
            for companion in ("", "-wal", "-shm"):
                file = path.with_name(path.name + companion)
                if file.exists():
                    assert _mode(file) == 0o600, (file, oct(_mode(file)))
        finally:
            conn.close()
        assert _mode(path.parent) == _mode(path.parent.parent) == 0o700
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_owner_only_helpers(tmp_path):
    old = os.umask(0o022)
    try:
        existing = tmp_path / "chosen-by-the-user"
        existing.mkdir(mode=0o755)
        existing.chmod(0o755)
        assert files_safety.owner_only_folder(existing) == existing
        assert _mode(existing) == 0o755  # a folder the user made is theirs to set
        files_safety.owner_only_folder(existing, tighten=True)
        assert _mode(existing) == 0o700

        file = files_safety.write_owner_only(tmp_path / "a" / "b" / "notes.csv", "x,y\n")
        assert file.read_text() == "x,y\n" and _mode(file) == 0o600
        assert _mode(tmp_path / "a") == _mode(tmp_path / "a" / "b") == 0o700
        loose = tmp_path / "loose.txt"
        loose.write_text("old")
        loose.chmod(0o644)
        files_safety.write_owner_only(loose, b"new")  # replacing a loose file tightens it
        assert loose.read_bytes() == b"new" and _mode(loose) == 0o600

        tree = tmp_path / "written-by-a-library"
        (tree / "inner").mkdir(parents=True)
        (tree / "inner" / "chart.svg").write_text("<svg/>")
        (tree / "book.xlsx").write_bytes(b"PK")
        files_safety.owner_only(tree)
        assert {_mode(p) for p in [tree, tree / "inner"]} == {0o700}
        assert {_mode(p) for p in [tree / "book.xlsx", tree / "inner" / "chart.svg"]} == {0o600}
        open_folder = tmp_path / "open"
        open_folder.mkdir()
        open_folder.chmod(0o755)
        assert files_safety.is_owner_only(tree) and not files_safety.is_owner_only(open_folder)
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_process_umask_makes_library_writes_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        previous = files_safety.owner_only_umask()
        assert previous == 0o022
        (tmp_path / "made").mkdir()
        (tmp_path / "made" / "file.txt").write_text("x")
        assert _mode(tmp_path / "made") == 0o700 and _mode(tmp_path / "made" / "file.txt") == 0o600
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_command_writes_only_owner_only_files_whatever_the_umask(tmp_path):
    """`onatool analyse --out`, run as a user runs it, from a shell with a permissive umask."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "new" / "results"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "ONATOOL_HOME": str(tmp_path / "home" / ".onatool"),
           "ONATOOL_WORKSPACE": str(tmp_path / "home" / "ws.sqlite")}
    command = [sys.executable, "-m", "onatool", "analyse", "--roster", str(root / "sample_data" / "roster.csv"),
               "--ties", str(root / "sample_data" / "ties_baseline.csv"), "--out", str(out)]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(0o022))
    assert done.returncode == 0, done.stdout + done.stderr
    written = [p for p in (tmp_path / "new").rglob("*")]
    assert any(p.is_file() for p in written)
    loose = [f"{p.relative_to(tmp_path)} {oct(_mode(p))}" for p in [tmp_path / "new", *written]
             if not files_safety.is_owner_only(p)]
    assert loose == []
