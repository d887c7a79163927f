"""project.py: one home for keys, name decisions and the default relation, for the CLI and the app."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onatool.cli import app, run
from onatool.errors import InputFormatError, NotDefinedError, NotFoundError, OnaError
from onatool.network import Network
from onatool.project import MAX_NAME_LENGTH, Project, choose_relation, home_workspace
from onatool.pseudonyms import key_fingerprint, pseudonym
from onatool.store import Workspace

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ONATOOL_WORKSPACE", raising=False)
    return tmp_path / "home"


@pytest.fixture
def files(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,organisation\nA1,Ann Lee,Acute\nA2,Bo Chan,Council\nA3,Jo Smith,Acute\n")
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,relation\nA1,A2,advice\nA2,A3,trust\n")
    return roster, ties


def _ids(out: Path) -> set[str]:
    import pandas as pd

    return set(pd.read_csv(out / "people.csv")["person_id"])


# Keys ------------------------------------------------------------------------------------
def test_names_that_differ_only_in_punctuation_get_their_own_keys(tmp_path, files):
    """`North place`, `North_place` and `North/place` once shared one key file."""
    roster, ties = files
    seen = []
    for name in ("North place", "North_place", "North/place", "North place"):
        out = tmp_path / f"out{len(seen)}"
        result = runner.invoke(app, ["import", "--roster", str(roster), "--ties", str(ties), "--out", str(out),
                                     "--project", name])
        assert result.exit_code == 0, result.output
        seen.append(_ids(out))
    assert seen[0] == seen[3]  # the same project keeps its ids between runs
    assert not (seen[0] & seen[1]) and not (seen[0] & seen[2]) and not (seen[1] & seen[2])
    ws = home_workspace()
    fingerprints = {key_fingerprint(ws.project_key(p.id)) for p in ws.projects()}
    assert len(fingerprints) == 3
    assert not (tmp_path / "home" / "keys").exists()  # no key file beside anything


def test_onatool_home_moves_the_workspace_and_the_keys_together(tmp_path, files, monkeypatch):
    roster, ties = files
    runs = []
    for home in ("h1", "h1", "h2"):
        monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / home))
        out = tmp_path / f"out{len(runs)}"
        runner.invoke(app, ["import", "--roster", str(roster), "--ties", str(ties), "--out", str(out),
                            "--project", "P"])
        runs.append(_ids(out))
    assert runs[0] == runs[1] and not runs[0] & runs[2]
    assert (tmp_path / "h1" / "workspace.sqlite").exists() and (tmp_path / "h2" / "workspace.sqlite").exists()
    # the app reads the same file, so the app and the CLI give the same pseudonyms
    from onatool.app.state import workspace_path

    assert Path(workspace_path()) == tmp_path / "h2" / "workspace.sqlite"
    assert pseudonym(Workspace(workspace_path()).project_key("P"), "A1") in runs[2]


def test_onatool_workspace_still_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(tmp_path / "elsewhere.sqlite"))
    assert home_workspace().path == tmp_path / "elsewhere.sqlite"


def test_without_a_project_the_cli_uses_a_throwaway_workspace(tmp_path, files, home):
    roster, ties = files
    for out in ("a", "b"):
        result = runner.invoke(app, ["import", "--roster", str(roster), "--ties", str(ties), "--out",
                                     str(tmp_path / out)])
        assert result.exit_code == 0, result.output
        assert "throwaway" in result.output
    assert not _ids(tmp_path / "a") & _ids(tmp_path / "b")  # a fresh key each run
    assert not (home / "workspace.sqlite").exists()


def test_an_old_key_file_is_adopted_only_by_the_project_of_exactly_that_name(home):
    (home / "keys").mkdir(parents=True)
    old = bytes(range(32))
    (home / "keys" / "North_place.key").write_text(old.hex() + "\n")
    ws = home_workspace()
    assert Project.open(ws, "North place", create=True).key != old  # it would have shared the file
    assert Project.open(ws, "North_place", create=True).key == old  # earlier outputs still line up
    assert Project.open(ws, "north_place", create=True).key == old  # the same project, ignoring case


def test_every_saved_wave_records_its_key_and_a_wave_of_another_key_is_refused(tmp_path, files):
    roster, ties = files
    ws = Workspace(tmp_path / "w.sqlite")
    north, south = Project.create(ws, "North"), Project.create(ws, "South")
    info = north.save_wave(north.read_wave(ties, wave="w1", roster_file=roster))
    assert info.key_fingerprint == north.fingerprint == north.waves()[0].key_fingerprint
    assert north.fingerprint != south.fingerprint and len(north.fingerprint) == 14
    assert north.key.hex() not in json.dumps([w.key_fingerprint for w in north.waves()])
    with pytest.raises(InputFormatError, match="another pseudonym key"):
        north.save_wave(south.read_wave(ties, wave="w2", roster_file=roster))
    assert [w.name for w in north.waves()] == ["w1"]


def test_a_changed_key_between_waves_is_a_loud_warning(tmp_path, files, monkeypatch):
    roster, ties = files
    ws = home_workspace()
    project = Project.open(ws, "P", create=True)
    project.save_wave(project.read_wave(ties, wave="w1", roster_file=roster))
    assert project.key_warnings() == []
    with sqlite3.connect(ws.path) as conn:  # the key changed under the project (a restored file, a bug)
        conn.execute("UPDATE project SET pseudonym_key = ? WHERE name = 'P'", (b"x" * 32,))
    conn.close()
    [warning] = project.key_warnings()
    assert "'w1'" in warning and "changed" in warning
    result = runner.invoke(app, ["import", "--roster", str(roster), "--ties", str(ties), "--out",
                                 str(tmp_path / "o"), "--project", "P"])
    assert result.exit_code == 0 and "WARNING" in result.output and "changed" in result.output


def _open_in_another_process(args):
    home, name = args
    import os

    os.environ["ONATOOL_HOME"] = home
    os.environ.pop("ONATOOL_WORKSPACE", None)
    try:
        return Project.open(home_workspace(), name, create=True).fingerprint
    except OnaError as error:  # acceptable only as one clear line
        return f"error: {error}"


def test_two_processes_creating_the_first_key_at_once_share_one_key(home):
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.map(_open_in_another_process, [(str(home), "Race")] * 8)
    assert len(set(results)) == 1 and results[0].startswith("k-"), results
    assert [p.name for p in home_workspace().projects() if p.name == "Race"] == ["Race"]


# One clear line --------------------------------------------------------------------------
def _one_line(monkeypatch, capsys, args) -> str:
    monkeypatch.setattr("sys.argv", ["onatool", *args])
    assert run() == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return " ".join(err.split())


def test_a_long_project_name_is_one_clear_line(tmp_path, files, monkeypatch, capsys):
    roster, ties = files
    err = _one_line(monkeypatch, capsys, ["import", "--roster", str(roster), "--ties", str(ties),
                                          "--out", str(tmp_path / "o"), "--project", "x" * 300])
    assert "InputFormatError" in err and f"at most {MAX_NAME_LENGTH} characters" in err
    ws = Workspace(tmp_path / "w.sqlite")
    with pytest.raises(InputFormatError, match="characters"):
        Project.create(ws, "y" * (MAX_NAME_LENGTH + 1))
    with pytest.raises(InputFormatError, match="characters"):
        Project.create(ws, "short").rename("z" * (MAX_NAME_LENGTH + 1))
    assert [p.name for p in ws.projects()] == ["short"]


def test_an_unwritable_home_is_one_clear_line(tmp_path, files, monkeypatch, capsys):
    roster, ties = files
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should be")
    monkeypatch.setenv("ONATOOL_HOME", str(blocker / "home"))
    err = _one_line(monkeypatch, capsys, ["import", "--roster", str(roster), "--ties", str(ties),
                                          "--out", str(tmp_path / "o"), "--project", "P"])
    assert "WorkspaceError" in err and "cannot create workspace" in err


# Name decisions --------------------------------------------------------------------------
def test_a_decisions_file_round_trips_through_the_one_store(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    project = Project.create(ws, "P")
    path = tmp_path / "private" / "decisions.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"decisions": [
        {"raw": "Dr Jo S.", "decision": "chosen", "person": "C3"},
        {"raw": "n/a", "decision": "ignored"},
        {"raw": "Bo", "decision": "new person", "name": "Bo Lee"},
        {"raw": "Later", "decision": ""},
    ]}))
    assert project.read_decisions_file(path) == 3
    decided = project.name_decisions()
    assert {t: a.decision for t, a in decided.items()} == {"jo s": "chosen", "n a": "ignored", "bo": "new person"}
    assert set(ws.load_name_decisions("P")) == set(decided)  # the workspace is the store, not the file
    project.write_decisions_file(path)
    again = Project.create(ws, "Q")
    assert again.read_decisions_file(path) == 3 and again.name_decisions() == decided
    path.write_text(json.dumps({"decisions": [{"raw": "X", "decision": "maybe"}]}))
    with pytest.raises(InputFormatError, match="decisions.json"):
        project.read_decisions_file(path)


def test_the_old_homes_of_name_decisions_are_gone():
    root = Path(__file__).resolve().parents[1]
    assert not (root / "onatool" / "projects.py").exists()
    sources = [*root.joinpath("onatool").rglob("*.py"), root / "app.py"]
    assert [p for p in sources if "onatool.projects" in p.read_text()] == []
    cli = (root / "onatool" / "cli.py").read_text()
    assert "load_aliases" not in cli and "save_aliases" not in cli  # the YAML alias files
    assert not hasattr(Workspace, "save_aliases") and not hasattr(Workspace, "load_aliases")


# The default relation --------------------------------------------------------------------
def test_one_default_relation_for_every_surface():
    advice = Network.from_edges([("a", "b")], relation="advice")
    trust = Network.from_edges([("a", "b")], relation="trust")
    assert choose_relation([trust, advice]) == "advice"
    assert choose_relation([trust]) == "trust"
    assert choose_relation([trust, advice], "all") is None and choose_relation([trust], "All relations") is None
    with pytest.raises(NotDefinedError, match="'met' is not in the answers"):
        choose_relation([trust], "met")


def test_analyse_and_compare_state_and_use_the_default_relation(tmp_path):
    from onatool.sample import sample_dir

    # The roster holds each person's values as at the final wave, so the CLI reads interim and final.
    args = ["--roster", str(sample_dir() / "roster.csv"), "--ties", str(sample_dir() / "ties_interim.csv")]
    analysed = runner.invoke(app, ["analyse", *args, "--out", str(tmp_path / "a")])
    assert analysed.exit_code == 0, analysed.output
    assert "Relation: advice (the default" in " ".join(analysed.output.split())
    compared = runner.invoke(app, ["compare", *args, "--ties", str(sample_dir() / "ties_final.csv"),
                                   "--wave-names", "interim,final", "--permutations", "50",
                                   "--out", str(tmp_path / "c")])
    assert compared.exit_code == 0, compared.output
    assert "Relation: advice (the default" in " ".join(compared.output.split())
    change = json.loads((tmp_path / "c" / "change.json").read_text())
    assert change["params"]["relation"] == "advice"  # was every relation merged (Jaccard 0.60 vs 0.58)


def test_project_opens_only_existing_projects_unless_asked_to_create(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    with pytest.raises(NotFoundError):
        Project.open(ws, "Missing")
    assert Project.open(ws, "Missing", create=True).name == "Missing"


def test_an_older_yaml_alias_file_is_read_into_the_store_and_never_overwritten(tmp_path):
    from onatool.sample import sample_dir

    original = (sample_dir() / "forms_aliases.yaml").read_text()
    project = Project.create(Workspace(tmp_path / "w.sqlite"), "P")
    assert project.read_decisions_file(sample_dir() / "forms_aliases.yaml") > 0
    assert project.name_decisions() and (sample_dir() / "forms_aliases.yaml").read_text() == original
    with pytest.raises(InputFormatError, match="JSON"):
        project.write_decisions_file(tmp_path / "decisions.yaml")


def test_the_report_records_the_key_fingerprint_never_the_key(tmp_path):
    from onatool.sample import sample_dir

    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "--roster", str(sample_dir() / "roster.csv"),
                                 "--ties", str(sample_dir() / "ties_baseline.csv"), "--no-pdf",
                                 "--project", "Sample", "--out", str(out)])
    assert result.exit_code == 0, result.output
    project = Project(home_workspace(), "Sample")
    html = (out / "report.html").read_text()
    assert project.fingerprint in html and project.key.hex() not in html


def test_import_save_puts_the_wave_in_the_project_with_its_key(tmp_path, files):
    roster, ties = files
    args = ["import", "--roster", str(roster), "--ties", str(ties), "--out", str(tmp_path / "o"), "--save"]
    assert "--project" in str(runner.invoke(app, args).exception)
    result = runner.invoke(app, [*args, "--project", "P", "--wave", "w1"])
    assert result.exit_code == 0, result.output
    project = Project(home_workspace(), "P")
    assert [(w.name, w.key_fingerprint) for w in project.waves()] == [("w1", project.fingerprint)]
    assert _ids(tmp_path / "o") == set(project.load_wave("w1").people.index)
