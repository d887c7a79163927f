"""The compare command: waves read against one roster, change tables written."""

import json

import pytest
from typer.testing import CliRunner

from onatool.cli import app

runner = CliRunner()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))


def test_compare_two_files(tmp_path, roster_csv, write, home):
    first = write("w1.csv", "source,target\nA1,A2\nA2,A3\nA3,A1\n")
    second = write("w2.csv", "source,target\nA1,A2\nA3,A4\nA2,A1\n")
    out = tmp_path / "out"
    args = ["compare", "--roster", str(roster_csv), "--ties", str(first), "--ties", str(second),
            "--out", str(out), "--wave-names", "baseline,follow-up", "--cohort", "Leadership programme",
            "--permutations", "99"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    change = json.loads((out / "change.json").read_text())
    # A4 answered neither wave, so only A1-A3 are compared: A1>A2 stable,
    # A2>A3 and A3>A1 lost, A2>A1 new (A3>A4 is to someone not compared).
    assert (change["stable"], change["lost"], change["new"]) == (1, 2, 1)
    assert change["params"]["waves"] == ["baseline", "follow-up"]
    assert change["not_compared"] == 1
    assert not (out / "cohort.json").exists()  # a cohort of one is never shown
    assert "Ann Lee" not in (out / "people_change.csv").read_text(encoding="utf-8-sig")
    analyst = runner.invoke(app, [*args[:-2], "--permutations", "99", "--analyst", "--user", "ana"])
    assert analyst.exit_code == 0, analyst.output
    private = list((tmp_path / "home" / "private").rglob("cohort.json"))
    assert len(private) == 1 and json.loads(private[0].read_text())["members"] == 1
    assert "Ann Lee" not in (out / "people_change.csv").read_text(encoding="utf-8-sig")
    assert "people compared" in result.output


def test_compare_one_file_with_a_wave_column(tmp_path, roster_csv, write, home):
    both = write("ties.csv", "source,target,wave\nA1,A2,one\nA2,A3,one\nA1,A2,two\nA2,A3,two\nA3,A1,two\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["compare", "--roster", str(roster_csv), "--ties", str(both),
                                 "--out", str(out), "--wave-names", "one,two", "--permutations", "0"])
    assert result.exit_code == 0, result.output
    change = json.loads((out / "change.json").read_text())
    # A3 named nobody in wave one, so is not a respondent there: only A1 and A2 are
    # compared, and A1>A2 is their one (stable) tie. A3>A1 is not counted as new.
    assert (change["stable"], change["lost"], change["new"]) == (1, 0, 0)
    assert change["people_compared"] == 2


def test_compare_needs_two_waves(tmp_path, roster_csv, write, home, monkeypatch, capsys):
    one = write("w1.csv", "source,target\nA1,A2\n")
    result = runner.invoke(app, ["compare", "--roster", str(roster_csv), "--ties", str(one),
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "two or more waves" in str(result.exception)
    result = runner.invoke(app, ["compare", "--roster", str(roster_csv), "--ties", str(one), "--ties",
                                 str(one), "--wave-names", "a,b,c", "--out", str(tmp_path / "o")])
    assert "3 wave name(s) for 2 files" in str(result.exception)


def test_wave_names_must_match_the_file(tmp_path, roster_csv, write, home):
    both = write("ties.csv", "source,target,wave\nA1,A2,one\nA1,A2,two\n")
    result = runner.invoke(app, ["compare", "--roster", str(roster_csv), "--ties", str(both),
                                 "--out", str(tmp_path / "o"), "--wave-names", "one,three"])
    assert "no ties for wave 'three'" in str(result.exception)
    assert "ties.csv" in str(result.exception)


def test_compare_the_sample(tmp_path, home):
    from onatool.sample import SAMPLE_WAVES, sample_dir

    folder = sample_dir()
    # The last two waves: the roster file gives everyone's values as at the final wave.
    args = ["compare", "--roster", str(folder / "roster.csv"), "--relation", "advice",
            "--cohort", "Leadership programme 2", "--out", str(tmp_path / "out"), "--permutations", "99"]
    for file in (SAMPLE_WAVES["interim"], SAMPLE_WAVES["final"]):
        args += ["--ties", str(folder / file)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    change = json.loads((tmp_path / "out" / "change.json").read_text())
    truth = json.loads((folder / "ground_truth.json").read_text())["summary"]["change"]["interim to final"]
    assert (change["stable"], change["lost"], change["new"]) == (
        truth["advice_stable"], truth["advice_lost"], truth["advice_new"])
    assert (change["joiners"], change["leavers"]) == (len(truth["joiners"]), len(truth["leavers"])) == (24, 24)
    assert change["params"]["waves"] == ["interim", "final"]


def test_compare_survey_exports(tmp_path, home):
    from tests.support import survey_builders as sb
    from tests.support.survey_builders import Response

    roster = sb.write_roster(tmp_path / "roster.csv")
    first = sb.forms(tmp_path / "autumn.xlsx", [
        Response("ann.lee@acute.example", ["Bo Chan", "Margaret Okonkwo"]),
        Response("bo.chan@council.example", ["Ann Lee"]),
    ])
    second = sb.forms(tmp_path / "spring.xlsx", [
        Response("ann.lee@acute.example", ["Bo Chan", "Zoë O'Neill"]),
        Response("bo.chan@council.example", ["Ann Lee", "Margaret Okonkwo"]),
        Response("m.okonkwo@pcn.example", ["Ann Lee"]),
    ])
    out = tmp_path / "out"
    result = runner.invoke(app, ["compare", "--roster", str(roster), "--responses", str(first),
                                 "--responses", str(second), "--relation", "advice", "--out", str(out),
                                 "--permutations", "0"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    change = json.loads((out / "change.json").read_text())
    # Ann and Bo answered both exports; Margaret only the second. Among Ann and Bo the
    # advice ties Ann>Bo and Bo>Ann are in both waves: 2 stable, nothing lost or new.
    assert change["params"]["waves"] == ["autumn", "spring"]
    assert (change["people_compared"], change["stable"], change["lost"], change["new"]) == (2, 2, 0, 0)


def test_ties_and_responses_do_not_mix(tmp_path, roster_csv, write, home):
    one = write("w1.csv", "source,target\nA1,A2\n")
    result = runner.invoke(app, ["compare", "--roster", str(roster_csv), "--ties", str(one),
                                 "--responses", str(one), "--out", str(tmp_path / "o")])
    assert "--ties files or as --responses files" in str(result.exception)
