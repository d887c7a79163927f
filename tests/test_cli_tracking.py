"""`onatool responses` while a survey is open: rates by group against a target, history, reminders."""

import json

import pandas as pd
from typer.testing import CliRunner

from onatool.cli import app
from onatool.project import Project, home_workspace

runner = CliRunner()
ROSTER = ("id,name,email,organisation,level\n"
          + "".join(f"T{i},Trust Person {i},t{i}@trust.example,Trust,bottom\n" for i in range(10))
          + "".join(f"C{i},Council Person {i},c{i}@council.example,Council,middle\n" for i in range(6)))


def partial(write, name, respondents):
    rows = "".join(f"{r},T0,advice\n" if r != "T0" else "T0,C0,advice\n" for r in respondents)
    return write(name, "source,target,relation\n" + rows)


def run(*args):
    result = runner.invoke(app, ["responses", *map(str, args)])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_groups_under_target_with_how_many_more_are_needed(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    roster = write("roster.csv", ROSTER)
    answers = partial(write, "so_far.csv", [*(f"T{i}" for i in range(8)), "C0", "C1"])
    out = tmp_path / "out"
    said = run("--roster", roster, "--ties", answers, "--wave", "w1", "--out", out)
    assert "10 of 16 people have answered (62%)" in said
    assert "By organisation: 1 of 2 group(s) under 70%. Council: 2 of 6 (33%), 3 more needed" in said
    table = pd.read_csv(out / "responses_organisation.csv", index_col=0)
    assert table.loc["Trust", ["respondents", "still_needed", "under_target"]].tolist() == [8, 0, False]
    assert table.loc["Council", "still_needed"] == 3  # ceil(0.7 * 6) = 5, 2 answered
    assert "Person" not in (out / "responses_organisation.csv").read_text()
    assert not (tmp_path / "home" / "private").exists()


def test_the_history_of_an_open_survey_is_kept_in_the_project(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    roster = write("roster.csv", ROSTER)
    first = partial(write, "monday.csv", ["T0", "T1", "C0"])
    second = partial(write, "friday.csv", ["T0", "T1", "T2", "T3", "C0", "C1", "C2"])
    run("--roster", roster, "--ties", first, "--wave", "w1", "--project", "Northmoor")
    said = run("--roster", roster, "--ties", second, "--wave", "w1", "--project", "Northmoor")
    assert "Earlier checks of this wave:" in said and "3 of 16 (19%) from monday.csv" in said
    history = Project.open(home_workspace(), "Northmoor").response_history("w1")
    assert history["respondents"].tolist() == [3, 7] and history["source"].tolist() == ["monday.csv", "friday.csv"]


def test_reminder_list_only_in_the_private_folder_and_audited(tmp_path, write, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ONATOOL_HOME", str(home))
    roster = write("roster.csv", ROSTER)
    answers = partial(write, "so_far.csv", [f"T{i}" for i in range(10)])
    out = tmp_path / "out"
    run("--roster", roster, "--ties", answers, "--wave", "w1", "--out", out, "--reminders", "--user", "ana")
    private = list((home / "private").rglob("not_answered.csv"))
    assert len(private) == 1 and not private[0].is_relative_to(out)
    missing = pd.read_csv(private[0])
    assert missing["id"].tolist() == [f"C{i}" for i in range(6)] and "email" in missing.columns
    log = [json.loads(line) for line in (home / "audit.log").read_text().splitlines()]
    assert {(e["user"], e["action"]) for e in log} >= {("ana", "names revealed"), ("ana", "analyst outputs written")}
