"""Tests for onatool.store: the SQLite workspace."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onatool import (
    DuplicateNameError,
    InputFormatError,
    Network,
    NotFoundError,
    OnaError,
    WorkspaceError,
)
from onatool.schema import Relation
from onatool.store import SCHEMA_VERSION, Workspace
from onatool.store import codec as store_codec
from onatool.store import db as store_db
from onatool.store import records as store_records


@pytest.fixture(autouse=True)
def _no_real_home(tmp_path, monkeypatch):
    """Point HOME and the workspace variable away from the real home directory."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv(store_records.ENV_VAR, raising=False)


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "ws.sqlite")


def _ids(*ids):
    return pd.Index(list(ids), name="person_id")


def _roster():
    """People with every kind of column a roster brings, and their identities."""
    people = pd.DataFrame(
        {
            "organisation": pd.array(["Trust A", None, "Council", "GP"], dtype="str"),
            "level": pd.array(["top", "middle", None, "bottom"], dtype="str"),
            "years": [3, 12, 0, 7],
            "fte": [1.0, np.nan, 0.6, np.inf],
            "cohort": [True, False, False, True],
            "mentor": pd.array([True, None, False, None], dtype="boolean"),
            "band": pd.array([8, None, 6, 7], dtype="Int64"),
            "place": pd.Categorical(
                ["North", None, "South", "North"], categories=["South", "North", "East"],
                ordered=True,
            ),
            "free text": pd.array(["likes maps", 3, None, "é ü 日本"], dtype=object),
            "started": pd.to_datetime(
                ["2024-01-31 09:00", None, "2025-06-01 10:30", "2020-02-29 00:00"]
            ).tz_localize("Europe/London"),
            "review": pd.to_datetime(["2024-01-31", None, "2025-06-01", "2020-02-29"]),
            "note": pd.array(["x", None, "", "z"], dtype="string"),
        },
        index=_ids("p9", "p2", "p7", "p1"),  # deliberately not sorted
    )
    identities = pd.DataFrame(
        {
            "id": ["E9", "E2", "E7"],
            "name": ["Ann O'Neil", "Bo <b>Lee</b>", None],
            "email": ["ann@nhs.net", None, "c@council.gov.uk"],
        },
        index=_ids("p7", "p9", "p2"),
    )
    return people, identities


def _wave(wave="baseline", extra_tie=True):
    """Two relations (one symmetric), a non-respondent, an isolate, zero weights."""
    people = pd.DataFrame(
        {
            "organisation": pd.array(["A", "A", "B", "C", None], dtype="str"),
            "level": pd.array(["top", "middle", "bottom", None, "middle"], dtype="str"),
            "tenure": [1, 2, 3, 4, 5],
            "responded": [True, True, True, False, True],
        },
        index=_ids("a", "b", "c", "d", "e"),
    )
    rows = [
        ("a", "b", "advice", 3.0, "Monthly"),
        ("b", "a", "advice", 0.0, "Never"),
        ("a", "c", "collaboration", 5.0, "Daily"),
        ("c", "d", "collaboration", 1.5, "1.5"),
        ("b", "d", "trust", 1.0, "yes"),
    ]
    if extra_tie:
        rows.append(("c", "a", "advice", 4.0, "Weekly"))
    ties = pd.DataFrame(rows, columns=["source", "target", "relation", "weight", "raw_value"])
    relations = {
        "collaboration": Relation("collaboration", "Work together", symmetric=True,
                                  question="How often do you work together?"),
        "trust": Relation("trust", "Trust", question="Whom do you trust?"),
    }
    return Network(people, ties, wave, relations)


def _assert_same_network(loaded: Network, saved: Network):
    assert loaded.wave == saved.wave
    pd.testing.assert_frame_equal(loaded.people, saved.people, check_exact=True)
    pd.testing.assert_frame_equal(loaded.ties, saved.ties, check_exact=True)
    assert dict(loaded.relations) == dict(saved.relations)


def _rows(path, table):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# Opening -------------------------------------------------------------------------------


def test_default_path_follows_the_environment_variable(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere" / "mine.sqlite"
    monkeypatch.setenv(store_records.ENV_VAR, str(target))
    ws = Workspace()
    assert ws.path == target
    assert target.exists()


def test_default_path_is_a_private_folder_in_home(tmp_path):
    ws = Workspace()
    assert ws.path == tmp_path / "home" / ".onatool" / "workspace.sqlite"
    assert stat.S_IMODE(ws.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(ws.path.stat().st_mode) == 0o600  # it holds pseudonym keys


def test_connections_use_wal_foreign_keys_busy_timeout_and_current_version(ws):
    conn = ws._connect()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        assert conn.execute("PRAGMA application_id").fetchone()[0] == store_db.APPLICATION_ID
    finally:
        conn.close()


def test_a_text_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not a database, just some notes\n" * 50)
    with pytest.raises(WorkspaceError, match="Move it aside") as caught:
        Workspace(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, OnaError)


def test_a_damaged_workspace_gives_a_workspace_error(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace(path)
    ws.create_project("p")
    ws.save_wave("p", _wave())
    # The last connection closed, so the WAL was checkpointed into the main file.
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page:] = b"\xff" * (len(data) - page)  # keep the header page, ruin the rest
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="damaged"):
        Workspace(path).load_wave("p", "baseline")


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(WorkspaceError, match="another program"):
        Workspace(path)


def test_a_folder_is_not_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="cannot be used"):
        Workspace(tmp_path)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "ws.sqlite"
    Workspace(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorkspaceError, match="newer onatool"):
        Workspace(path)


def test_a_busy_workspace_gives_a_workspace_error(ws, monkeypatch):
    ws.create_project("p")
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.05)
    blocker = sqlite3.connect(ws.path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with pytest.raises(WorkspaceError, match="busy"):
            ws.set_setting("p", "k", 1)
        assert ws.get_setting("p", "k") is None  # readers are not blocked under WAL
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    ws.set_setting("p", "k", 1)
    assert ws.get_setting("p", "k") == 1


# Migrations ----------------------------------------------------------------------------

# The version-1 schema exactly as onatool 0.1 wrote it (a copy, not an import, so that
# editing the released migration by mistake makes this test fail).
V1_SCHEMA = [
    """CREATE TABLE project (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
        pseudonym_key BLOB NOT NULL)""",
    """CREATE TABLE roster (project_id INTEGER PRIMARY KEY REFERENCES project(id)
        ON DELETE CASCADE, people_layout TEXT NOT NULL, identity_layout TEXT NOT NULL,
        saved TEXT NOT NULL)""",
    """CREATE TABLE roster_person (project_id INTEGER NOT NULL REFERENCES roster(project_id)
        ON DELETE CASCADE, person_id TEXT NOT NULL, position INTEGER NOT NULL,
        attributes TEXT NOT NULL, PRIMARY KEY (project_id, person_id)) WITHOUT ROWID""",
    """CREATE TABLE roster_identity (project_id INTEGER NOT NULL, person_id TEXT NOT NULL,
        position INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (project_id, person_id),
        FOREIGN KEY (project_id, person_id) REFERENCES roster_person(project_id, person_id)
        ON DELETE CASCADE) WITHOUT ROWID""",
    """CREATE TABLE wave (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL
        REFERENCES project(id) ON DELETE CASCADE, name TEXT NOT NULL COLLATE NOCASE,
        position INTEGER NOT NULL, created TEXT NOT NULL, n_people INTEGER NOT NULL,
        n_respondents INTEGER NOT NULL, n_ties INTEGER NOT NULL, people_layout TEXT NOT NULL,
        relations TEXT NOT NULL, report TEXT, UNIQUE (project_id, name))""",
    """CREATE TABLE wave_person (wave_id INTEGER NOT NULL REFERENCES wave(id)
        ON DELETE CASCADE, person_id TEXT NOT NULL, position INTEGER NOT NULL,
        attributes TEXT NOT NULL, PRIMARY KEY (wave_id, person_id)) WITHOUT ROWID""",
    """CREATE TABLE tie (wave_id INTEGER NOT NULL REFERENCES wave(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
        relation TEXT NOT NULL, weight REAL NOT NULL, raw_value TEXT NOT NULL,
        PRIMARY KEY (wave_id, position)) WITHOUT ROWID""",
    """CREATE TABLE recipe (project_id INTEGER NOT NULL REFERENCES project(id)
        ON DELETE CASCADE, name TEXT NOT NULL COLLATE NOCASE, body TEXT NOT NULL,
        saved TEXT NOT NULL, PRIMARY KEY (project_id, name))""",
    """CREATE TABLE alias (project_id INTEGER NOT NULL REFERENCES project(id)
        ON DELETE CASCADE, raw TEXT NOT NULL, person_id TEXT,
        PRIMARY KEY (project_id, raw)) WITHOUT ROWID""",
    """CREATE TABLE setting (project_id INTEGER NOT NULL REFERENCES project(id)
        ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (project_id, key)) WITHOUT ROWID""",
]


def _v1_workspace(path):
    """A version-1 file with one project, a two-person wave and a recipe, written by hand."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {store_db.APPLICATION_ID}")
    for statement in V1_SCHEMA:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO project VALUES (1, 'Old project', 'from v1', "
        "'2025-03-01T10:00:00+00:00', ?)",
        (b"k" * 32,),
    )
    layout = (
        '{"index":{"name":"person_id","kind":"string","storage":"pyarrow","na":"nan"},'
        '"columns":[{"name":"organisation","kind":"string","storage":"pyarrow","na":"nan"},'
        '{"name":"responded","kind":"plain","dtype":"bool"}]}'
    )
    conn.execute(
        "INSERT INTO wave VALUES (1, 1, 'baseline', 0, '2025-03-02T10:00:00+00:00', 2, 1, 1, "
        "?, ?, NULL)",
        (layout, '{"advice":{"label":"Advice","symmetric":false,"question":""}}'),
    )
    conn.executemany(
        "INSERT INTO wave_person VALUES (1, ?, ?, ?)",
        [("x", 0, '["Trust",true]'), ("y", 1, '[null,false]')],
    )
    conn.execute("INSERT INTO tie VALUES (1, 0, 'x', 'y', 'advice', 2.0, 'Weekly')")
    conn.execute(
        "INSERT INTO recipe VALUES (1, 'forms', '{\"layout\":\"wide\"}', "
        "'2025-03-02T10:00:00+00:00')"
    )
    conn.close()


def test_a_version_1_workspace_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    _v1_workspace(path)
    ws = Workspace(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert [p.name for p in ws.projects()] == ["Old project"]
    assert ws.project_key("Old project") == b"k" * 32
    net = ws.load_wave("Old project", "baseline")
    assert net.people["organisation"].tolist()[0] == "Trust"
    assert pd.isna(net.people["organisation"].iloc[1])
    assert net.respondents.tolist() == ["x"]
    assert net.ties[["source", "target", "weight"]].to_numpy().tolist() == [["x", "y", 2.0]]
    assert net.relations["advice"].label == "Advice"
    assert ws.load_recipe("Old project", "forms") == {"layout": "wide"}
    # The tables added by version 2 work.
    ws.audit("Old project", "alex", "names revealed")
    ws.save_layout("Old project", pd.DataFrame({"x": [0.0], "y": [1.0]}, index=_ids("x")))
    ws.save_wave_source("Old project", "baseline", "answers.csv", b"who,named\n", {"layout": "edge list"})
    assert len(ws.audit_log("Old project")) == 1
    assert ws.integrity_check() == []


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "ws.sqlite"
    Workspace(path).create_project("p")
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(store_db, "MIGRATIONS", (*store_db.MIGRATIONS, broken))
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(WorkspaceError):
        Workspace(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_schema")}
    conn.close()
    assert "half_done" not in tables


# Projects ------------------------------------------------------------------------------


def test_projects_are_created_listed_found_renamed_and_deleted(ws):
    before = datetime.now(UTC)
    north = ws.create_project("North place", description="Place partnership")
    south = ws.create_project("  south  ")
    assert south.name == "south"  # surrounding spaces dropped
    assert before <= north.created <= datetime.now(UTC)
    assert [p.name for p in ws.projects()] == ["North place", "south"]
    assert ws.project("north PLACE") == north  # names ignore case
    assert ws.project(north.id) == north
    assert ws.project(north) == north
    renamed = ws.rename_project("south", "South place")
    assert (renamed.id, renamed.name) == (south.id, "South place")
    ws.delete_project("North place")
    assert [p.name for p in ws.projects()] == ["South place"]
    with pytest.raises(NotFoundError):
        ws.project(north.id)


def test_project_name_errors(ws):
    ws.create_project("North")
    ws.create_project("South")
    with pytest.raises(DuplicateNameError, match="'North' is already"):
        ws.create_project("NORTH")
    with pytest.raises(DuplicateNameError):
        ws.rename_project("South", "north")
    ws.rename_project("North", "NORTH")  # a change of case is not a clash with itself
    with pytest.raises(InputFormatError, match="non-empty"):
        ws.create_project("   ")
    with pytest.raises(NotFoundError, match="'Nowhere'.*it has 'NORTH', 'South'") as caught:
        ws.project("Nowhere")
    assert isinstance(caught.value, OnaError) and isinstance(caught.value, KeyError)
    for call in (
        lambda: ws.rename_project("Nowhere", "x"),
        lambda: ws.delete_project("Nowhere"),
        lambda: ws.project_key("Nowhere"),
        lambda: ws.waves("Nowhere"),
        lambda: ws.load_roster("Nowhere"),
        lambda: ws.save_wave("Nowhere", _wave()),
        lambda: ws.audit("Nowhere", "me", "export made"),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_each_project_has_its_own_stable_key(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace(path)
    a = ws.create_project("a")
    ws.create_project("b")
    key_a, key_b = ws.project_key("a"), ws.project_key("b")
    assert len(key_a) == len(key_b) == 32
    assert key_a != key_b
    reopened = Workspace(path)
    assert reopened.project_key(a.id) == key_a
    assert reopened.project_key("b") == key_b
    ws.rename_project("a", "renamed")
    assert reopened.project_key("renamed") == key_a
    assert key_a.hex() not in repr(a) and "key" not in a.__dataclass_fields__


def test_deleting_a_project_removes_all_its_data_and_nothing_else(ws):
    for name in ("gone", "kept"):
        ws.create_project(name)
        ws.save_roster(name, *_roster())
        ws.save_wave(name, _wave())
        ws.save_recipe(name, "r", {"a": 1})
        ws.save_name_decisions(name, {"ann": {"decision": "chosen", "person": "A9", "raw": "Ann"}})
        ws.save_wave_source(name, "baseline", "answers.csv", b"Ann", {})
        ws.set_setting(name, "k", 5)
        ws.save_layout(name, pd.DataFrame({"x": [0.0], "y": [0.0]}, index=_ids("a")))
        ws.audit(name, "me", "export made")
    tables = ["project", "roster", "roster_person", "roster_identity", "wave", "wave_person",
              "tie", "recipe", "name_decision", "setting", "wave_source", "layout"]
    counts = {t: _rows(ws.path, t) for t in tables}
    ws.delete_project("gone")
    # Every table held the same amount for both projects, so exactly half is left.
    assert {t: _rows(ws.path, t) for t in tables} == {t: n // 2 for t, n in counts.items()}
    # The audit log is the workspace's: it keeps the deleted project's entries.
    assert _rows(ws.path, "workspace_audit") == 3
    _assert_same_network(ws.load_wave("kept", "baseline"), _wave())
    assert ws.integrity_check() == []


# Roster --------------------------------------------------------------------------------


def test_roster_round_trips_exactly(ws):
    ws.create_project("p")
    people, identities = _roster()
    ws.save_roster("p", people, identities)
    loaded_people, loaded_identities = ws.load_roster("p")
    pd.testing.assert_frame_equal(loaded_people, people, check_exact=True)
    pd.testing.assert_frame_equal(loaded_identities, identities, check_exact=True)
    assert loaded_people["free text"].tolist()[:2] == ["likes maps", 3]  # int stays int


def test_object_dtype_ids_column_names_and_categories_are_kept(ws):
    ws.create_project("p")
    ids = pd.Index(["x", "y"], name="person_id", dtype=object)
    people = pd.DataFrame(
        {"grade": pd.Categorical([1, 2], categories=pd.Index([2, 1, 3], dtype=object))},
        index=ids,
    )
    identities = pd.DataFrame({"name": ["X", "Y"]}, index=ids)
    identities.columns = pd.Index(["name"], dtype=object)
    ws.save_roster("p", people, identities)
    loaded_people, loaded_identities = ws.load_roster("p")
    pd.testing.assert_frame_equal(loaded_people, people, check_exact=True)
    pd.testing.assert_frame_equal(loaded_identities, identities, check_exact=True)


def test_saving_a_roster_replaces_the_old_one(ws):
    ws.create_project("p")
    ws.save_roster("p", *_roster())
    people = pd.DataFrame({"organisation": ["X"]}, index=_ids("q1"))
    identities = pd.DataFrame({"name": ["Quinn"]}, index=_ids("q1"))
    ws.save_roster("p", people, identities)
    loaded_people, loaded_identities = ws.load_roster("p")
    pd.testing.assert_frame_equal(loaded_people, people)
    pd.testing.assert_frame_equal(loaded_identities, identities)


def test_roster_with_no_attributes_and_no_identities(ws):
    ws.create_project("p")
    people = pd.DataFrame(index=_ids("a", "b"))
    identities = pd.DataFrame({"name": pd.Series([], dtype="str")}, index=_ids())
    ws.save_roster("p", people, identities)
    loaded_people, loaded_identities = ws.load_roster("p")
    pd.testing.assert_frame_equal(loaded_people, people)
    pd.testing.assert_frame_equal(loaded_identities, identities)


def test_identities_live_in_their_own_table(ws):
    ws.create_project("p")
    ws.save_roster("p", *_roster())
    with sqlite3.connect(ws.path) as conn:
        people_text = " ".join(t for (t,) in conn.execute("SELECT attributes FROM roster_person"))
        identity_text = " ".join(t for (t,) in conn.execute("SELECT fields FROM roster_identity"))
    conn.close()
    assert "ann@nhs.net" in identity_text and "Ann O'Neil" in identity_text
    assert "ann@nhs.net" not in people_text and "Ann" not in people_text


@pytest.mark.parametrize(
    ("people", "identities", "message"),
    [
        (pd.DataFrame({"name": ["Ann"]}, index=_ids("a")), pd.DataFrame(index=_ids()),
         "identifying column"),
        (pd.DataFrame({"org": ["A"]}, index=_ids("a")),
         pd.DataFrame({"name": ["Zed"]}, index=_ids("z")), "not in people"),
        (pd.DataFrame({"org": ["A", "B"]}, index=_ids("a", "a")), pd.DataFrame(index=_ids()),
         "repeats person_id 'a'"),
        (pd.DataFrame({"org": ["A"]}, index=pd.Index(["a"], name="who")),
         pd.DataFrame(index=_ids()), "indexed by 'who'"),
        (pd.DataFrame({"org": ["A"]}, index=pd.Index([7], name="person_id")),
         pd.DataFrame(index=_ids()), "non-text person_id"),
        (pd.DataFrame({"gap": pd.to_timedelta(["1D"])}, index=_ids("a")),
         pd.DataFrame(index=_ids()), "column 'gap' has dtype timedelta"),
        (pd.DataFrame({"tags": pd.array([["x"]], dtype=object)}, index=_ids("a")),
         pd.DataFrame(index=_ids()), "column 'tags' holds a list"),
        ("not a table", pd.DataFrame(index=_ids()), "must be a pandas DataFrame"),
    ],
)
def test_bad_rosters_are_refused_and_the_old_one_kept(ws, people, identities, message):
    ws.create_project("p")
    ws.save_roster("p", *_roster())
    with pytest.raises(InputFormatError, match=message):
        ws.save_roster("p", people, identities)
    pd.testing.assert_frame_equal(ws.load_roster("p")[0], _roster()[0])


def test_a_project_without_a_roster_says_so(ws):
    ws.create_project("p")
    with pytest.raises(NotFoundError, match="no roster"):
        ws.load_roster("p")


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            _text.filter(bool),
            st.one_of(st.none(), _text),
            st.one_of(st.floats(allow_nan=True), st.none()),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.booleans(),
        ),
        max_size=12,
        unique_by=lambda row: row[0],
    )
)
def test_any_roster_round_trips(tmp_path_factory, rows):
    # One workspace for all examples: each save replaces the roster before.
    path = tmp_path_factory.getbasetemp() / "hypothesis.sqlite"
    ws = Workspace(path)
    if not ws.projects():
        ws.create_project("p")
    people = pd.DataFrame(
        {
            "text": pd.array([r[1] for r in rows], dtype="str"),
            "number": pd.Series([r[2] for r in rows], dtype=float),
            "count": pd.Series([r[3] for r in rows], dtype="int64"),
            "flag": pd.Series([r[4] for r in rows], dtype=bool),
            "anything": pd.Series([r[1] for r in rows], dtype=object),
        },
        index=pd.Index(pd.array([r[0] for r in rows], dtype="str"), name="person_id"),
    )
    identities = pd.DataFrame({"name": people["text"]}, index=people.index)
    ws.save_roster("p", people, identities)
    loaded_people, loaded_identities = ws.load_roster("p")
    pd.testing.assert_frame_equal(loaded_people, people, check_exact=True)
    pd.testing.assert_frame_equal(loaded_identities, identities, check_exact=True)


# Waves ---------------------------------------------------------------------------------


def test_wave_round_trips_with_relations_and_report(ws):
    ws.create_project("p")
    net = _wave()
    report = {"rows": {"kept": np.int64(6), "dropped": 1}, "doubts": ["Bo?"], "rate": 0.8,
              "file": "wave1.xlsx"}
    info = ws.save_wave("p", net, report=report)
    loaded = ws.load_wave("p", "baseline")
    _assert_same_network(loaded, net)
    assert loaded.is_symmetric("collaboration") and not loaded.is_symmetric("advice")
    assert loaded.relations["collaboration"].question == "How often do you work together?"
    assert ws.load_report("p", "baseline") == {
        "rows": {"kept": 6, "dropped": 1}, "doubts": ["Bo?"], "rate": 0.8, "file": "wave1.xlsx"
    }
    # 5 people, 4 responded ('d' did not), 6 tie rows.
    assert (info.name, info.position, info.people, info.respondents, info.ties) == (
        "baseline", 0, 5, 4, 6
    )
    assert info.response_rate == pytest.approx(0.8)
    assert ws.waves("p") == [info]


def test_a_wave_without_report_or_ties(ws):
    ws.create_project("p")
    empty = Network.from_edges([], people={"a": {"responded": False}}, wave="empty")
    ws.save_wave("p", empty)
    _assert_same_network(ws.load_wave("p", "empty"), empty)
    assert ws.load_report("p", "empty") is None
    (info,) = ws.waves("p")
    assert (info.people, info.respondents, info.ties, info.response_rate) == (1, 0, 0, 0.0)


def test_waves_keep_their_order(ws):
    ws.create_project("p")
    ws.save_wave("p", _wave("baseline"))
    ws.save_wave("p", _wave("final"))
    ws.save_wave("p", _wave("interim"), position=1)
    assert [(w.name, w.position) for w in ws.waves("p")] == [
        ("baseline", 0), ("interim", 1), ("final", 2)
    ]
    ws.save_wave("p", _wave("pilot"), position=0)
    ws.save_wave("p", _wave("follow-up"), position=99)  # past the end: last
    assert [w.name for w in ws.waves("p")] == ["pilot", "baseline", "interim", "final",
                                               "follow-up"]
    ws.delete_wave("p", "pilot")
    assert [(w.name, w.position) for w in ws.waves("p")] == [
        ("baseline", 0), ("interim", 1), ("final", 2), ("follow-up", 3)
    ]
    assert [w.name for w in ws.move_wave("p", "follow-up", 0)] == [
        "follow-up", "baseline", "interim", "final"
    ]
    with pytest.raises(InputFormatError, match="position"):
        ws.save_wave("p", _wave("x"), position=-1)
    with pytest.raises(InputFormatError, match="position"):
        ws.move_wave("p", "final", -2)


def test_replacing_a_wave_keeps_its_place_unless_told(ws):
    ws.create_project("p")
    for name in ("baseline", "interim", "final"):
        ws.save_wave("p", _wave(name))
    smaller = _wave("interim", extra_tie=False)
    with pytest.raises(DuplicateNameError, match="replace=True"):
        ws.save_wave("p", smaller)
    _assert_same_network(ws.load_wave("p", "interim"), _wave("interim"))
    info = ws.save_wave("p", smaller, replace=True)
    assert (info.position, info.ties) == (1, 5)
    _assert_same_network(ws.load_wave("p", "interim"), smaller)
    ws.save_wave("p", smaller, replace=True, position=0)
    assert [w.name for w in ws.waves("p")] == ["interim", "baseline", "final"]


def test_wave_names_ignore_case(ws):
    ws.create_project("p")
    ws.save_wave("p", _wave("Baseline"))
    assert ws.load_wave("p", "BASELINE").wave == "Baseline"
    with pytest.raises(DuplicateNameError):
        ws.save_wave("p", _wave("baseline"))


def test_renaming_a_wave(ws):
    ws.create_project("p")
    ws.save_wave("p", _wave("baseline"))
    ws.save_wave("p", _wave("final"))
    ws.save_wave_source("p", "baseline", "a.csv", b"Ann", {"layout": "edge list"})
    info = ws.rename_wave("p", "baseline", "2025-03")
    assert (info.name, info.position) == ("2025-03", 0)
    _assert_same_network(ws.load_wave("p", "2025-03"), _wave("2025-03"))
    assert ws.load_wave_source("p", "2025-03") == ("a.csv", b"Ann", {"layout": "edge list"})
    with pytest.raises(NotFoundError, match="no wave named 'baseline'; it has '2025-03', 'final'"):
        ws.load_wave("p", "baseline")
    with pytest.raises(DuplicateNameError):
        ws.rename_wave("p", "2025-03", "FINAL")
    assert ws.rename_wave("p", "final", "Final").name == "Final"


def test_unknown_waves_give_not_found(ws):
    ws.create_project("p")
    for call in (
        lambda: ws.load_wave("p", "nope"),
        lambda: ws.load_report("p", "nope"),
        lambda: ws.delete_wave("p", "nope"),
        lambda: ws.rename_wave("p", "nope", "x"),
        lambda: ws.move_wave("p", "nope", 0),
    ):
        with pytest.raises(NotFoundError, match="no wave named 'nope'; it has none"):
            call()


def test_save_wave_refuses_what_it_cannot_keep(ws):
    ws.create_project("p")
    with pytest.raises(InputFormatError, match="needs an onatool Network"):
        ws.save_wave("p", _wave().ties)
    with pytest.raises(InputFormatError, match="report"):
        ws.save_wave("p", _wave(), report={"when": datetime.now(UTC)})
    assert ws.waves("p") == []


# Atomicity -----------------------------------------------------------------------------


def _failing_after(n_rows, real):
    """A stand-in for a row generator that yields ``n_rows`` rows, then fails."""

    def rows(*args, **kwargs):
        for i, row in enumerate(real(*args, **kwargs)):
            if i == n_rows:
                raise RuntimeError("injected failure half-way through the ties")
            yield row

    return rows


def _snapshot(ws, project):
    """Everything a project holds, in comparable form."""
    waves = ws.waves(project)
    return (
        waves,
        [(ws.load_wave(project, w.name).people.to_dict(), ws.load_wave(project, w.name)
          .ties.to_dict()) for w in waves],
        [ws.load_report(project, w.name) for w in waves],
        {t: _rows(ws.path, t) for t in ("wave", "wave_person", "tie")},
    )


def test_a_failure_half_way_through_replacing_a_wave_changes_nothing(ws, monkeypatch):
    ws.create_project("p")
    ws.save_wave("p", _wave("baseline"), report={"n": 1})
    ws.save_wave("p", _wave("final"))
    before = _snapshot(ws, "p")
    monkeypatch.setattr(store_db, "_tie_rows", _failing_after(3, store_db._tie_rows))
    with pytest.raises(RuntimeError, match="injected"):
        ws.save_wave("p", _wave("baseline", extra_tie=False), replace=True, position=1)
    with pytest.raises(RuntimeError, match="injected"):
        ws.save_wave("p", _wave("interim"), position=1)
    assert _snapshot(ws, "p") == before


def test_a_database_failure_half_way_changes_nothing(ws):
    # A trigger makes SQLite itself refuse one tie, after others went in.
    ws.create_project("p")
    ws.save_wave("p", _wave("baseline"))
    before = _snapshot(ws, "p")
    with sqlite3.connect(ws.path) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON tie WHEN NEW.raw_value = 'Weekly' "
            "BEGIN SELECT RAISE(ABORT, 'injected'); END"
        )
    conn.close()
    with pytest.raises(sqlite3.IntegrityError, match="injected"):
        ws.save_wave("p", _wave("baseline"), replace=True)
    assert _snapshot(ws, "p") == before


def test_a_failure_half_way_through_a_roster_changes_nothing(ws, monkeypatch):
    ws.create_project("p")
    ws.save_roster("p", *_roster())
    real = store_codec._encode_frame

    def failing(frame, what):
        layout, rows = real(frame, what)
        return layout, (_failing_after(1, lambda: rows)() if "identities" in what else rows)

    monkeypatch.setattr(store_codec, "_encode_frame", failing)
    new_people = pd.DataFrame({"organisation": ["X", "Y"]}, index=_ids("q1", "q2"))
    new_identities = pd.DataFrame({"name": ["Q", "R"]}, index=_ids("q1", "q2"))
    with pytest.raises(RuntimeError, match="injected"):
        ws.save_roster("p", new_people, new_identities)
    people, identities = ws.load_roster("p")
    pd.testing.assert_frame_equal(people, _roster()[0])
    pd.testing.assert_frame_equal(identities, _roster()[1])


# Concurrency ---------------------------------------------------------------------------


def _write_waves(path, worker, n_waves, start=None):
    """Save waves to a shared project and to the worker's own project."""
    ws = Workspace(path)
    if start is not None:
        start.wait()
    for i in range(n_waves):
        ws.save_wave("shared", _wave(f"{worker}-{i}"), report={"worker": worker, "i": i})
        ws.save_wave(f"own-{worker}", _wave(f"w{i}"))
        ws.audit("shared", worker, "export made", f"wave {i}")


def _check_after_concurrent_writes(path, workers, n_waves):
    ws = Workspace(path)
    assert ws.integrity_check() == []
    waves = ws.waves("shared")
    assert sorted(w.name for w in waves) == sorted(
        f"{w}-{i}" for w in workers for i in range(n_waves)
    )
    assert [w.position for w in waves] == list(range(len(workers) * n_waves))
    for info in waves:
        worker, i = info.name.split("-")
        _assert_same_network(ws.load_wave("shared", info.name), _wave(info.name))
        assert ws.load_report("shared", info.name) == {"worker": worker, "i": int(i)}
    for worker in workers:
        assert [w.name for w in ws.waves(f"own-{worker}")] == [f"w{i}" for i in range(n_waves)]
    assert len(ws.audit_log("shared")) == len(workers) * n_waves


def test_threads_writing_to_one_file_do_not_corrupt_it(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace(path)
    workers = ["t1", "t2", "t3"]
    for name in ["shared", *(f"own-{w}" for w in workers)]:
        ws.create_project(name)
    start = threading.Barrier(len(workers))
    errors = []

    def run(worker):
        try:
            _write_waves(path, worker, 8, start)
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _check_after_concurrent_writes(path, workers, 8)


def test_one_workspace_object_can_be_shared_by_threads(ws):
    ws.create_project("p")
    errors = []

    def run(i):
        try:
            ws.save_wave("p", _wave(f"wave {i}"))
            ws.load_wave("p", f"wave {i}")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(w.name for w in ws.waves("p")) == [f"wave {i}" for i in range(6)]


def test_processes_writing_to_one_file_do_not_corrupt_it(tmp_path):
    path = tmp_path / "ws.sqlite"
    workers = ["proc1", "proc2"]
    ws = Workspace(path)
    for name in ["shared", *(f"own-{w}" for w in workers)]:
        ws.create_project(name)
    context = multiprocessing.get_context("spawn")  # fork is unsafe once other tests leave threads
    processes = [context.Process(target=_write_waves, args=(path, w, 5)) for w in workers]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0]
    _check_after_concurrent_writes(path, workers, 5)


# Recipes, name matching, settings, layout ----------------------------------------------


def test_recipes(ws):
    ws.create_project("p")
    recipe = {"layout": "wide", "columns": {"Your name": "source"}, "scale": [1, 2.5, None],
              "skip": True}
    ws.save_recipe("p", "Forms export", recipe)
    ws.save_recipe("p", "another", {"layout": "long"})
    assert ws.recipes("p") == ["another", "Forms export"]
    assert ws.load_recipe("p", "forms export") == recipe
    ws.save_recipe("p", "FORMS EXPORT", {"layout": "matrix"})  # overwrites, takes the new case
    assert ws.recipes("p") == ["another", "FORMS EXPORT"]
    assert ws.load_recipe("p", "Forms export") == {"layout": "matrix"}
    ws.delete_recipe("p", "another")
    assert ws.recipes("p") == ["FORMS EXPORT"]
    with pytest.raises(NotFoundError, match="no recipe named 'another'; it has 'FORMS EXPORT'"):
        ws.load_recipe("p", "another")
    with pytest.raises(NotFoundError):
        ws.delete_recipe("p", "another")
    with pytest.raises(InputFormatError, match="recipe 'bad'"):
        ws.save_recipe("p", "bad", {"f": object()})


def test_name_decisions_have_one_store(ws):
    ws.create_project("p")
    assert ws.load_name_decisions("p") == {}
    ws.save_name_decisions("p", {"ann oneil": {"decision": "chosen", "person": "A9", "raw": "Ann O'Neil"},
                                 "n a": {"decision": "ignored", "raw": "n/a"}})
    ws.save_name_decisions("p", {"bo lee": {"decision": "new person", "raw": "Bo", "name": "Bo Lee"},
                                 "ann oneil": {"decision": "chosen", "person": "A7"}})  # adds and overrides
    saved = ws.load_name_decisions("p")
    assert sorted(saved) == ["ann oneil", "bo lee", "n a"]
    assert saved["ann oneil"]["person"] == "A7" and saved["bo lee"]["name"] == "Bo Lee"
    assert saved["n a"] == {"decision": "ignored", "person": None, "raw": "n/a", "name": ""}
    ws.save_name_decisions("p", {"c": {"decision": "ignored"}}, replace=True)
    assert list(ws.load_name_decisions("p")) == ["c"]
    for bad in ({"x": {"decision": "maybe"}}, {"x": {"decision": "chosen"}}, {"x": "A1"}):
        with pytest.raises(InputFormatError, match="name decision"):
            ws.save_name_decisions("p", bad)
    assert list(ws.load_name_decisions("p")) == ["c"]


def test_version_2_name_decisions_move_into_the_one_store(tmp_path):
    """The app's settings blob and the old alias table both end in name_decision."""
    path = tmp_path / "old.sqlite"
    _v1_workspace(path)
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in store_db.MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    blob = '[{"text": "jo s", "decision": "chosen", "person": "A4", "raw": "Jo S.", "name": "Jo Smith"}]'
    conn.execute("INSERT INTO setting VALUES (1, 'aliases', ?)", (blob,))
    conn.execute("INSERT INTO alias VALUES (1, 'n a', NULL)")
    conn.close()
    ws = Workspace(path)
    decisions = ws.load_name_decisions("Old project")
    assert decisions["jo s"] == {"decision": "chosen", "person": "A4", "raw": "Jo S.", "name": "Jo Smith"}
    assert decisions["n a"]["decision"] == "ignored"
    assert ws.get_setting("Old project", "aliases") is None
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'alias'").fetchone()[0] == 0
    check.close()
    assert [w.key_fingerprint for w in ws.waves("Old project")] == [None]  # read before keys were recorded


def test_a_wave_keeps_the_answers_it_was_read_from(ws):
    ws.create_project("p")
    ws.save_wave("p", _wave("baseline"))
    assert ws.load_wave_source("p", "baseline") is None  # saved from a Network: no source
    ws.save_wave_source("p", "baseline", "forms.xlsx", b"PK\x03\x04", {"layout": "survey export"})
    assert ws.load_wave_source("p", "Baseline") == ("forms.xlsx", b"PK\x03\x04", {"layout": "survey export"})
    with pytest.raises(NotFoundError):
        ws.save_wave_source("p", "final", "x.csv", b"", {})
    with pytest.raises(InputFormatError, match="bytes"):
        ws.save_wave_source("p", "baseline", "x.csv", "text", {})
    ws.delete_wave("p", "baseline")
    assert _rows(ws.path, "wave_source") == 0


def test_version_5_folds_the_old_match_decisions_into_name_decisions(tmp_path, monkeypatch):
    path = tmp_path / "ws.sqlite"
    monkeypatch.setattr(store_db, "MIGRATIONS", store_db.MIGRATIONS[:4])
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", 4)
    old = Workspace(path)
    old.create_project("p")
    old.save_roster("p", *_roster())
    people, identities = old.load_roster("p")
    first, second = identities.index[:2]
    old.save_name_decisions("p", {"ann": {"decision": "ignored", "raw": "Ann"}})
    with sqlite3.connect(path) as conn:
        decisions = [
            {"raw": "Dr. Bo  Chan", "person_id": first},                   # a person still on the roster
            {"raw": "Ann", "person_id": second},                           # decided already: kept as it was
            {"raw": "Cy", "decision": "new person", "name": "Cy Dee"},     # a decision of its own
            {"raw": "??", "person_id": None},                              # decided nothing
            {"raw": "Gone", "person_id": "p-left"},                        # nobody on the roster now
        ]
        conn.execute("INSERT INTO match_decision VALUES (1, 'baseline', ?, '2025-01-01T00:00:00')",
                     (json.dumps(decisions),))
    conn.close()
    monkeypatch.undo()
    ws = Workspace(path)
    stable = identities.loc[first, "id"] if "id" in identities.columns else identities.loc[first, "email"]
    assert {t: (d["decision"], d["person"]) for t, d in ws.load_name_decisions("p").items()} == {
        "bo chan": ("chosen", stable), "ann": ("ignored", None), "cy": ("new person", None)}
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "match_decision" not in tables and "wave_source" in tables


def test_settings(ws):
    ws.create_project("p")
    ws.create_project("q")
    assert ws.get_setting("p", "k") is None
    assert ws.get_setting("p", "k", 5) == 5
    for value in (7, 0.5, "NHS", True, None, [1, "two"], {"k": 5, "round_to": 5}):
        ws.set_setting("p", "k", value)
        assert ws.get_setting("p", "k", "unset") == value
    assert ws.get_setting("q", "k", "unset") == "unset"  # settings are per project
    with pytest.raises(InputFormatError, match="setting 'bad'"):
        ws.set_setting("p", "bad", {1, 2})
    with pytest.raises(InputFormatError, match="setting key"):
        ws.set_setting("p", "", 1)


def test_layout(ws):
    ws.create_project("p")
    assert ws.load_layout("p") is None
    positions = pd.DataFrame({"x": [0.5, -1.25, 3.0], "y": [2, 0, -7]}, index=_ids("c", "a", "b"))
    ws.save_layout("p", positions)
    pd.testing.assert_frame_equal(ws.load_layout("p"), positions.astype(float))
    smaller = pd.DataFrame({"x": [1.0], "y": [1.0]}, index=_ids("z"))
    ws.save_layout("p", smaller)
    pd.testing.assert_frame_equal(ws.load_layout("p"), smaller)
    with pytest.raises(InputFormatError, match="finite"):
        ws.save_layout("p", pd.DataFrame({"x": [np.nan], "y": [0.0]}, index=_ids("a")))
    with pytest.raises(InputFormatError, match="'x' and 'y'"):
        ws.save_layout("p", pd.DataFrame({"x": [1.0]}, index=_ids("a")))
    pd.testing.assert_frame_equal(ws.load_layout("p"), smaller)


# Audit log -----------------------------------------------------------------------------


def test_audit_log_records_who_when_and_what(ws):
    ws.create_project("p")
    ws.create_project("q")
    empty = ws.audit_log("p")
    assert list(empty.columns) == ["at", "user", "action", "detail"] and empty.empty
    before = pd.Timestamp.now(tz="UTC")
    ws.audit("p", "alex", "names revealed")
    ws.audit("p", "sam", "export made", "Excel workbook, wave baseline")
    ws.audit("q", "sam", "export made")
    after = pd.Timestamp.now(tz="UTC")
    log = ws.audit_log("p")
    assert log[["user", "action", "detail"]].to_numpy().tolist() == [
        ["alex", "names revealed", ""],
        ["sam", "export made", "Excel workbook, wave baseline"],
    ]
    assert str(log["at"].dt.tz) == "UTC"
    assert ((log["at"] >= before) & (log["at"] <= after)).all()
    assert log["at"].is_monotonic_increasing
    with pytest.raises(InputFormatError, match="audit user"):
        ws.audit("p", "  ", "names revealed")


def test_integrity_check_reports_dangling_rows(ws):
    ws.create_project("p")
    ws.save_wave("p", _wave())
    assert ws.integrity_check() == []
    with sqlite3.connect(ws.path) as conn:  # foreign keys are off in a plain connection
        conn.execute("DELETE FROM wave")
    conn.close()
    assert any("wave_person" in p for p in ws.integrity_check())


def test_workspace_path_and_repr(tmp_path):
    ws = Workspace(str(tmp_path / "w.sqlite"))
    assert ws.path == tmp_path / "w.sqlite"
    assert repr(ws) == f"Workspace({str(tmp_path / 'w.sqlite')!r})"
    assert os.path.isabs(ws.path)
