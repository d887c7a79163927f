"""`onatool forums` on the sample place: gated shareable files, analyst files only in the private folder."""

import json

import pandas as pd
from typer.testing import CliRunner

from onatool.cli import app
from onatool.sample import sample_dir

runner = CliRunner()


def run(tmp_path, monkeypatch, *extra):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    folder = sample_dir()
    out = tmp_path / "out"
    result = runner.invoke(app, ["forums", "--roster", str(folder / "roster.csv"), "--membership",
                                 str(folder / "forums.csv"), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_forums_writes_gated_tables_and_says_who_is_in_every_room(tmp_path, monkeypatch):
    out, output = run(tmp_path, monkeypatch)
    assert "82 people hold 142 seats on 10 forums" in " ".join(output.split())
    forums = pd.read_csv(out / "forums.csv", index_col=0)
    assert forums["members"].sum() == 142 and len(forums) == 10
    overlap = pd.read_csv(out / "forum_overlap.csv", index_col=0)
    cells = overlap.to_numpy()
    assert not ((cells > 0) & (cells < 5)).any()  # one to four shared people are never shown
    assert (pd.Series(cells.diagonal(), index=overlap.index) == forums.loc[overlap.index, "members"]).all()
    people = pd.read_csv(out / "forum_people.csv")
    assert not {"id", "name"} & set(people.columns) and people["forums"].sum() == 142
    summary = json.loads((out / "forums.json").read_text())
    assert summary["in_half_or_more"] == 6 and summary["params"]["suppression"]["analyst_only"] is False
    assert not (tmp_path / "home" / "private").exists()


def test_identifiable_forum_people_go_only_to_the_private_folder(tmp_path, monkeypatch):
    out, _ = run(tmp_path, monkeypatch, "--identifiable", "--user", "ana")
    private = list((tmp_path / "home" / "private").rglob("forum_people.csv"))
    assert len(private) == 1 and not private[0].is_relative_to(out)
    named = pd.read_csv(private[0])
    assert {"id", "name"} <= set(named.columns)
    overlap = pd.read_csv(private[0].parent / "forum_overlap.csv", index_col=0).to_numpy()
    assert ((overlap > 0) & (overlap < 5)).any()  # the analyst sees every count
    log = (tmp_path / "home" / "audit.log").read_text()
    assert "names revealed" in log and "onatool forums" in log
