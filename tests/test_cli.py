"""The command line: import writes pseudonymised tables; bad input is one clear line."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool.cli import app, run

runner = CliRunner()


def test_import_writes_tables_and_report(tmp_path, roster_csv, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    ties = write("ties.csv", "From,To,Type\nA1,A2,advice\nA2,A2,advice\nA3,\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", "--roster", str(roster_csv), "--ties", str(ties), "--out", str(out)])
    assert result.exit_code == 0, result.output
    people = pd.read_csv(out / "people.csv", index_col="person_id")
    assert "name" not in people.columns and "id" not in people.columns
    assert people["responded"].sum() == 3  # A2 answered, though its only tie was a self-tie
    assert "Ann Lee" not in (out / "people.csv").read_text()
    ties_out = pd.read_csv(out / "ties.csv")
    assert list(ties_out.columns) == ["source", "target", "relation", "weight", "raw_value"]
    assert set(ties_out["source"]) <= set(people.index)
    summary = json.loads((out / "import_summary.json").read_text())
    assert summary["balanced"] and summary["counts"]["dropped"] == 1
    assert "self-tie" in (out / "import_summary.md").read_text()
    assert not (out / "import_report.json").exists()  # the full report is analyst-only
    assert not (tmp_path / "home" / "private").exists()  # nothing analyst-only unless asked


def test_identifiable_writes_names_only_to_a_private_folder_and_audits_it(tmp_path, roster_csv, write,
                                                                          monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ONATOOL_HOME", str(home))
    ties = write("ties.csv", "source,target\nA1,A2\n")
    out = tmp_path / "out"
    args = ["import", "--roster", str(roster_csv), "--ties", str(ties), "--out", str(out), "--identifiable",
            "--user", "ana"]
    assert runner.invoke(app, args).exit_code == 0
    shared = pd.read_csv(out / "people.csv")
    assert not {"id", "name"} & set(shared.columns) and "Ann Lee" not in (out / "people.csv").read_text()
    private = list((home / "private").rglob("people.csv"))
    assert len(private) == 1 and not private[0].is_relative_to(out)
    people = pd.read_csv(private[0])
    assert {"id", "name"} <= set(people.columns) and "Ann Lee" in set(people["name"])
    log = [json.loads(line) for line in (home / "audit.log").read_text().splitlines()]
    assert {(e["user"], e["action"]) for e in log} >= {("ana", "names revealed"), ("ana", "analyst outputs written")}
    assert all("Ann Lee" not in json.dumps(e) for e in log)


def test_same_project_same_ids_across_runs(tmp_path, roster_csv, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    ties = write("ties.csv", "source,target\nA1,A2\n")
    ids = []
    for project in ("alpha", "alpha", "beta"):
        out = tmp_path / project
        runner.invoke(app, ["import", "--roster", str(roster_csv), "--ties", str(ties), "--out", str(out),
                            "--project", project])
        ids.append(pd.read_csv(out / "people.csv")["person_id"].tolist())
    assert ids[0] == ids[1] and not set(ids[0]) & set(ids[2])


def test_bad_file_is_one_clear_line(tmp_path, roster_csv, monkeypatch, capsys):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    bad = tmp_path / "ties.csv"
    bad.write_text("source,friend\nA1,A2\n")
    monkeypatch.setattr("sys.argv", ["onatool", "import", "--roster", str(roster_csv), "--ties", str(bad),
                                     "--out", str(tmp_path / "o")])
    assert run() == 2
    err = capsys.readouterr().err
    assert "InputFormatError" in err and "ties.csv" in err and "Traceback" not in err


def test_analyse_writes_every_table(tmp_path, monkeypatch):
    import json as _json

    from onatool.sample import sample_dir

    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    out = tmp_path / "analysis"
    args = ["analyse", "--roster", str(sample_dir() / "roster.csv"), "--ties",
            str(sample_dir() / "ties_final.csv"), "--relation", "advice", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("people.csv", "network.json", "levels.json", "health.json", "groups_organisation.csv",
                 "mixing_organisation.csv", "block_density_organisation.csv"):
        assert (out / name).exists(), name
    network = _json.loads((out / "network.json").read_text())
    truth = _json.loads((sample_dir() / "ground_truth.json").read_text())
    # the generator's own count of the same E-I (ground_truth.json, summary.waves.final.advice); the
    # final wave, because the roster file gives each person's organisation as at their last wave
    assert network["ei_organisation"] == pytest.approx(truth["summary"]["waves"]["final"]["advice"]["ei_organisation"], abs=1e-3)
    people = pd.read_csv(out / "people.csv")
    assert "name" not in people.columns and len(people) == 250


def test_demo_summarises_every_wave():
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert all(wave in result.output for wave in ("baseline", "interim", "final"))
    assert "E-I by organisation" in result.output
    assert "Tops answered least" in result.output and "association, not cause" in result.output


def test_cli_uses_the_app_workspace_key_for_a_project_it_holds(tmp_path, roster_csv, write, monkeypatch):
    from onatool.pseudonyms import pseudonym
    from onatool.store import Workspace

    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(tmp_path / "ws.sqlite"))
    ws = Workspace(tmp_path / "ws.sqlite")
    ws.create_project("Our place")
    ties = write("ties.csv", "source,target\nA1,A2\n")
    out = tmp_path / "out"
    runner.invoke(app, ["import", "--roster", str(roster_csv), "--ties", str(ties), "--out", str(out),
                        "--project", "Our place"])
    ids = set(pd.read_csv(out / "people.csv")["person_id"])
    assert pseudonym(ws.project_key("Our place"), "A1") in ids
