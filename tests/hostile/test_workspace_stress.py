"""The workspace under stress: killed mid-import, failing between writes, a full disk, two
sessions writing at once, an old schema, a damaged file, a damaged row.

The promise: an import is saved whole or not at all; whatever happens to one project's
data, the others can still be listed and opened; a file that cannot be used says so and
says what to do.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from onatool.errors import OnaError, WorkspaceError
from onatool.project import Project
from onatool.store import SCHEMA_VERSION, Workspace
from tests.hostile.corpus import good_roster, good_ties_rows, write_csv
from tests.hostile.workspaces import PROJECT, copy_workspace, dump

ROOT = Path(__file__).resolve().parents[2]


def big_import_files(folder: Path, people: int = 3000, ties_each: int = 6) -> tuple[Path, Path]:
    """A roster and ties large enough that saving takes a noticeable moment."""
    ids = [f"R{n}" for n in range(1, 7)] + [f"X{n:05d}" for n in range(people)]
    roster = write_csv(folder / "big_roster.csv", [["id", "name", "organisation", "level"]]
                       + [[i, f"Person {i}", f"Org {n % 17}", ("top", "middle", "bottom")[n % 3]]
                          for n, i in enumerate(ids)])
    rng = random.Random(7)
    ties = write_csv(folder / "big_ties.csv", [["source", "target", "relation", "weight"]]
                     + [[i, rng.choice(ids), "advice", str(rng.randint(1, 4))] for i in ids for _ in range(ties_each)])
    return roster, ties


# Killed mid-import --------------------------------------------------------------------------

_SAVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from onatool.project import Project
    from onatool.store import Workspace
    workspace, roster, ties, marker, pause_in = sys.argv[1:6]
    ws = Workspace(workspace)
    result = Project(ws, "P").read_wave(ties, wave="killed", roster_file=roster)
    if pause_in != "none":  # stop inside the transaction, after some writes, until killed
        original = getattr(Workspace, pause_in)
        def paused(self, *args, **kwargs):
            value = original(self, *args, **kwargs)
            Path(marker).write_text("inside")
            time.sleep(120)
            return value
        setattr(Workspace, pause_in, paused)
    else:
        Path(marker).write_text("reading done")
    Project(ws, "P").save_wave(result)
    Path(marker).write_text("saved")
""")


def _start_saver(ws: Path, roster: Path, ties: Path, marker: Path, pause_in: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", _SAVER, str(ws), str(roster), str(ties), str(marker), pause_in],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE)


def _wait_for(marker: Path, text: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text() == text:
            return
        if process.poll() is not None:
            raise AssertionError(f"the saver ended early: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    raise AssertionError(f"the saver never reached {text!r}")


@pytest.mark.parametrize("pause_in", ["_write_roster", "_write_wave"])
def test_a_process_killed_inside_the_import_transaction_leaves_the_old_state(template, tmp_path, pause_in, tally):
    ws_path = copy_workspace(template, tmp_path / "ws.sqlite")
    roster, ties = good_roster(tmp_path), write_csv(tmp_path / "ties.csv", good_ties_rows())
    before = dump(ws_path)
    marker = tmp_path / "marker"
    saver = _start_saver(ws_path, roster, ties, marker, pause_in)
    try:
        _wait_for(marker, "inside", saver)
        os.kill(saver.pid, signal.SIGKILL)  # no cleanup, no rollback: the process just stops
    finally:
        saver.wait(timeout=30)
    assert saver.returncode == -signal.SIGKILL
    ws = Workspace(ws_path)
    assert dump(ws_path) == before
    assert ws.integrity_check() == []
    assert [w.name for w in ws.waves(PROJECT)] == ["baseline"]
    # ... and the workspace takes the same import afterwards.
    Project(ws, PROJECT).save_wave(Project(ws, PROJECT).read_wave(ties, wave="killed", roster_file=roster))
    assert [w.name for w in ws.waves(PROJECT)] == ["baseline", "killed"]
    tally("workspace: kills inside a transaction")


@pytest.mark.slow  # four processes each read 3,000 people first: about 7 s
def test_kills_at_random_moments_leave_either_the_old_or_the_new_state_never_a_mix(template, tmp_path, tally):
    roster, ties = big_import_files(tmp_path)
    before = dump(template)
    rng = random.Random(11)
    outcomes = []
    for attempt in range(4):
        ws_path = copy_workspace(template, tmp_path / f"ws{attempt}.sqlite")
        marker = tmp_path / f"marker{attempt}"
        saver = _start_saver(ws_path, roster, ties, marker, "none")
        try:
            _wait_for(marker, "reading done", saver)
            time.sleep(0.05 * attempt + rng.uniform(0.0, 0.05))  # through the save (~0.2 s here)
            os.kill(saver.pid, signal.SIGKILL)
        finally:
            saver.wait(timeout=30)
        ws = Workspace(ws_path)
        assert ws.integrity_check() == []
        names = [w.name for w in ws.waves(PROJECT)]
        if names == ["baseline"]:
            assert dump(ws_path) == before
            outcomes.append("old")
        else:
            assert names == ["baseline", "killed"]
            wave = ws.load_wave(PROJECT, "killed")
            assert wave.n_people == 3006 and wave.n_ties == ws.waves(PROJECT)[1].ties
            assert len(ws.load_roster(PROJECT)[0]) == 3006 and ws.recipes(PROJECT) == []
            outcomes.append("new")
        tally(f"workspace: kills at random moments ({outcomes[-1]} state)")
    assert len(outcomes) == 4  # each attempt ended in one whole state, old or new


# Failures between writes ----------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["_write_wave", "_write_recipe"])
def test_an_exception_between_the_writes_changes_nothing(template, tmp_path, monkeypatch, failing, tally):
    ws = Workspace(copy_workspace(template, tmp_path / "ws.sqlite"))
    export = write_csv(tmp_path / "forms.csv", [
        ["ID", "Start time", "Completion time", "Email", "Name", "Who do you go to for advice?"],
        ["1", "1/2/25 09:00:00", "1/2/25 09:05:00", "", "Ann Lee", "Zoë O’Neill 🌈;محمد علي;"]])
    result = Project(ws, PROJECT).read_wave(export, layout="survey export", wave="w2",
                       roster_file=good_roster(tmp_path))
    assert result.recipe is not None  # so all three writes happen
    before = dump(ws.path)

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(Workspace, failing, boom)
    with pytest.raises(RuntimeError, match="power cut"):
        Project(ws, PROJECT).save_wave(result)
    assert dump(ws.path) == before
    tally("workspace: failures between writes")


def test_a_full_disk_mid_import_is_a_clear_error_and_changes_nothing(template, tmp_path, monkeypatch, tally):
    roster, ties = big_import_files(tmp_path, people=2000)
    ws = Workspace(copy_workspace(template, tmp_path / "ws.sqlite"))
    result = Project(ws, PROJECT).read_wave(ties, wave="big", roster_file=roster)
    before = dump(ws.path)
    (pages,) = sqlite3.connect(ws.path).execute("PRAGMA page_count").fetchone()
    connect = Workspace._connect

    def small_disk(self):
        conn = connect(self)
        conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # room for a little, not for this
        return conn

    monkeypatch.setattr(Workspace, "_connect", small_disk)
    with pytest.raises(WorkspaceError, match="full"):
        Project(ws, PROJECT).save_wave(result)
    monkeypatch.undo()
    assert dump(ws.path) == before
    tally("workspace: full disk")


# Two sessions at once ------------------------------------------------------------------------


def test_two_sessions_importing_at_once_do_not_corrupt_the_workspace(template, tmp_path, tally):
    ws_path = copy_workspace(template, tmp_path / "ws.sqlite")
    roster = good_roster(tmp_path)
    ties = write_csv(tmp_path / "ties.csv", good_ties_rows())
    errors: list[BaseException] = []

    def session(name: str) -> None:
        ws = Workspace(ws_path)  # each Streamlit session would share one; separate is harsher
        try:
            for n in range(6):
                result = Project(ws, PROJECT).read_wave(ties, wave=f"{name}-{n}", roster_file=roster)
                Project(ws, PROJECT).save_wave(result)
                ws.load_wave(PROJECT, f"{name}-{n}")
                ws.audit(PROJECT, name, "import", f"{n}")
        except BaseException as error:  # collected, re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=session, args=(name,)) for name in ("alex", "sam")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    ws = Workspace(ws_path)
    assert ws.integrity_check() == []
    waves = ws.waves(PROJECT)
    assert [w.position for w in waves] == list(range(13))
    assert sorted(w.name for w in waves[1:]) == sorted(f"{s}-{n}" for s in ("alex", "sam") for n in range(6))
    assert all(ws.load_wave(PROJECT, w.name).n_ties == w.ties for w in waves)
    assert len(ws.audit_log(PROJECT)) == 12
    tally("workspace: concurrent imports", 12)


_WRITER = textwrap.dedent("""
    import sys
    from onatool.project import Project
    from onatool.store import Workspace
    workspace, roster, ties, name = sys.argv[1:5]
    ws = Workspace(workspace)
    for n in range(5):
        Project(ws, "P").save_wave(Project(ws, "P").read_wave(ties, wave=f"{name}-{n}", roster_file=roster))
""")


def test_two_processes_importing_at_once_do_not_corrupt_the_workspace(template, tmp_path, tally):
    ws_path = copy_workspace(template, tmp_path / "ws.sqlite")
    roster, ties = good_roster(tmp_path), write_csv(tmp_path / "ties.csv", good_ties_rows())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(ws_path), str(roster), str(ties), name],
                                cwd=ROOT, env=env, stderr=subprocess.PIPE) for name in ("one", "two")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()[-2000:]
    ws = Workspace(ws_path)
    assert ws.integrity_check() == []
    assert len(ws.waves(PROJECT)) == 11
    tally("workspace: concurrent imports", 10)


# An older workspace --------------------------------------------------------------------------


def test_a_version_1_workspace_opens_upgraded_and_takes_an_import(template, tmp_path, tally):
    path = copy_workspace(template, tmp_path / "old.sqlite")
    expected_wave = Workspace(path).load_wave(PROJECT, "baseline")
    with sqlite3.connect(path) as conn:  # back to what onatool 0.1 wrote: schema version 1
        # What later versions added (version 3 moved the audit log to workspace_audit).
        for table in ("room_note", "wave_source", "layout", "workspace_audit", "name_decision"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE wave DROP COLUMN key_fingerprint")  # added by version 4
        conn.execute("CREATE TABLE alias (project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE, "
                     "raw TEXT NOT NULL, person_id TEXT, PRIMARY KEY (project_id, raw)) WITHOUT ROWID")
        conn.execute("PRAGMA user_version = 1")
    ws = Workspace(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    loaded = ws.load_wave(PROJECT, "baseline")
    assert loaded.people.equals(expected_wave.people) and loaded.ties.equals(expected_wave.ties)
    ties = write_csv(tmp_path / "ties.csv", good_ties_rows())
    Project(ws, PROJECT).save_wave(Project(ws, PROJECT).read_wave(ties, wave="after upgrade"))
    ws.audit(PROJECT, "me", "names revealed")
    assert ws.audit_log(PROJECT)["action"].tolist() == ["names revealed"]
    assert [w.name for w in ws.waves(PROJECT)] == ["baseline", "after upgrade"]
    assert ws.integrity_check() == []
    tally("workspace: old schema")


# Damage --------------------------------------------------------------------------------------


def _damage(path: Path, how: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    if how == "header":
        data[:100] = b"\xde\xad" * 50
    elif how == "truncated":
        data = data[: len(data) // 3]
    elif how == "pages overwritten":
        rng = random.Random(3)
        page = 4096
        for n in rng.sample(range(2, len(data) // page), k=min(4, len(data) // page - 2)):
            data[n * page:(n + 1) * page] = bytes(rng.getrandbits(8) for _ in range(page))
    elif how == "zeroed":
        data = bytearray(len(data))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["header", "truncated", "pages overwritten", "zeroed"])
def test_a_damaged_file_gives_a_clear_error_never_a_crash(template, tmp_path, how, tally):
    path = copy_workspace(template, tmp_path / "ws.sqlite")
    _damage(path, how)
    try:
        ws = Workspace(path)
        for project in ws.projects():
            for wave in ws.waves(project):
                ws.load_wave(project, wave.name)
            ws.load_roster(project)
        problems = ws.integrity_check()
    except WorkspaceError as error:
        assert str(path) in str(error) and ("Move it aside" in str(error) or "Delete it" in str(error))
    except OnaError as error:  # e.g. NotFoundError when damage hid a row
        assert str(path) in str(error)
    else:
        # SQLite read every page it needed: then its own check must see the damage.
        assert problems, f"{how}: damage went unnoticed"
    tally("workspace: damaged files")


@pytest.mark.parametrize(("table", "column"), [("wave", "report"), ("wave", "people_layout"),
                                                ("wave_person", "attributes"), ("wave", "relations"),
                                                ("roster", "people_layout"), ("recipe", "body"),
                                                ("setting", "value")])
def test_a_damaged_row_spoils_only_itself(tmp_path, table, column, tally):
    ws = Workspace(tmp_path / "ws.sqlite")
    ties = write_csv(tmp_path / "ties.csv", good_ties_rows())
    for name in ("Damaged", "Healthy"):
        ws.create_project(name)
        Project(ws, name).save_wave(Project(ws, name).read_wave(ties, wave="baseline", roster_file=good_roster(tmp_path)))
        ws.save_recipe(name, "latest", {"layout": "edge_list"})
        ws.set_setting(name, "k", 5)
    damaged_id = ws.project("Damaged").id
    with sqlite3.connect(ws.path) as conn:
        where = {"wave": "project_id", "roster": "project_id", "recipe": "project_id", "setting": "project_id",
                 "wave_person": "wave_id"}[table]
        target = damaged_id if where == "project_id" else conn.execute(
            "SELECT id FROM wave WHERE project_id = ?", (damaged_id,)).fetchone()[0]
        changed = conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where} = ?",
                               ('{"half a JSON', target)).rowcount
    assert changed
    reads = {
        ("wave", "report"): lambda: ws.load_report("Damaged", "baseline"),
        ("wave", "people_layout"): lambda: ws.load_wave("Damaged", "baseline"),
        ("wave_person", "attributes"): lambda: ws.load_wave("Damaged", "baseline"),
        ("wave", "relations"): lambda: ws.load_wave("Damaged", "baseline"),
        ("roster", "people_layout"): lambda: ws.load_roster("Damaged"),
        ("recipe", "body"): lambda: ws.load_recipe("Damaged", "latest"),
        ("setting", "value"): lambda: ws.get_setting("Damaged", "k"),
    }
    with pytest.raises(WorkspaceError, match=r"is damaged and cannot be read .*Delete it and import it again"):
        reads[(table, column)]()
    # Everything else still works: listing, the other project, the damaged project's other parts.
    assert [p.name for p in ws.projects()] == ["Damaged", "Healthy"]
    assert ws.load_wave("Healthy", "baseline").n_ties == 5
    assert ws.load_report("Healthy", "baseline") is not None
    assert ws.load_recipe("Healthy", "latest") == {"layout": "edge_list"}
    assert [w.name for w in ws.waves("Damaged")] == ["baseline"]
    ws.delete_project("Damaged")  # the way out the message offers
    assert ws.integrity_check() == []
    tally("workspace: damaged rows")


def test_the_app_keeps_other_projects_usable_when_one_wave_is_damaged(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    ws = Workspace(tmp_path / "ws.sqlite")
    ties = write_csv(tmp_path / "ties.csv", good_ties_rows())
    for name in ("A damaged", "B healthy"):
        ws.create_project(name)
        Project(ws, name).save_wave(Project(ws, name).read_wave(ties, wave="baseline", roster_file=good_roster(tmp_path)))
    with sqlite3.connect(ws.path) as conn:
        conn.execute("UPDATE wave SET people_layout = 'not json' WHERE project_id = ?", (ws.project("A damaged").id,))
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(ws.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("is damaged" in e.value for e in at.error)
    at.sidebar.selectbox(key="project").select("B healthy").run()
    at.switch_page("onatool/app/pages/people.py").run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value["people"].sum() == 6  # workshop mode: the six people as groups only


def test_a_damaged_workspace_file_stops_the_app_with_advice(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "ws.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Move it aside" in at.error[0].value



# Deleting a project while others use the file -----------------------------------------------

_AUDITOR = textwrap.dedent("""
    import sys
    from onatool.store import Workspace
    ws = Workspace(sys.argv[1])
    for i in range(int(sys.argv[3])):
        ws.audit(sys.argv[2], "other process", "export made", str(i))
        ws.load_roster(sys.argv[2])
""")


def test_deleting_a_project_while_another_process_writes_leaves_no_trace(template, tmp_path, tally):
    path = copy_workspace(template, tmp_path / "ws.sqlite")
    ws = Workspace(path)
    ws.create_project("Busy")
    ws.save_roster("Busy", *ws.load_roster(PROJECT))
    secret = ws.load_roster(PROJECT)[1].iloc[0, 0]  # a name from the roster that goes
    assert str(secret).encode() in b"".join(
        p.read_bytes() for p in tmp_path.glob("ws.sqlite*"))
    ws.rename_project(PROJECT, "Gone")
    ws.save_roster("Busy", *_renamed(ws.load_roster("Busy")))  # Busy no longer holds the secret
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    other = subprocess.Popen([sys.executable, "-c", _AUDITOR, str(path), "Busy", "40"], cwd=ROOT, env=env,
                             stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)
        ws.delete_project("Gone", user="alex")
    finally:
        _, err = other.communicate(timeout=120)
    assert other.returncode == 0, err.decode()[-2000:]
    assert len(ws.audit_log("Busy")) == 40
    assert "project deleted" in ws.workspace_audit_log()["action"].tolist()
    data = b"".join(p.read_bytes() for p in tmp_path.glob("ws.sqlite*"))
    assert str(secret).encode() not in data
    assert ws.integrity_check() == []
    tally("workspace: deletion under load")


def _renamed(tables):
    people, identities = tables
    identities = identities.copy()
    for column in identities.columns:
        identities[column] = [f"person {i}" for i in range(len(identities))]
    return people, identities


@pytest.mark.parametrize("how", ["a file where the folder should be", "a folder nobody may write"])
def test_an_unwritable_home_ends_in_one_clear_line(tmp_path, monkeypatch, how):
    home = tmp_path / "home"
    if how.startswith("a file"):
        home.write_text("not a folder")  # fails for every user, root included
    else:
        if os.name != "posix" or os.geteuid() == 0:
            pytest.skip("root can write anywhere")
        home.mkdir()
        home.chmod(0o500)
    try:
        with pytest.raises(WorkspaceError, match="cannot create workspace") as caught:
            Workspace(home / ".onatool" / "workspace.sqlite")
        assert "\n" not in str(caught.value) and "ONATOOL_WORKSPACE" in str(caught.value)
    finally:
        if home.is_dir():
            home.chmod(0o700)
