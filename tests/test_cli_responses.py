"""`onatool import --responses` (with and without a recipe) and `onatool survey`."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool.cli import app
from onatool.io import load_recipe
from tests.support import survey_builders as sb
from tests.support.survey_builders import Response

runner = CliRunner()
DAY = dt.datetime(2025, 11, 3, 9, 0)
ANSWERS = [Response("ann.lee@acute.example", ["Bo Chan", "Jo"], {"Bo Chan": "Weekly"}, DAY),
           Response("bo.chan@council.example", ["Ann Lee"], {}, DAY)]


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def test_import_responses_writes_tables_recipe_and_decisions(tmp_path):
    roster = sb.write_roster(tmp_path / "roster.csv")
    forms = sb.forms(tmp_path / "forms.xlsx", ANSWERS)
    out = tmp_path / "out"
    result = invoke("import", "--roster", roster, "--responses", forms, "--out", out)
    assert "1 name(s) await a decision" in result.output
    for name in ("people.csv", "ties.csv", "import_summary.json", "import_summary.md", "recipe.yaml"):
        assert (out / name).exists(), name
    # Typed names beside pseudonyms are analyst-only: never in the shareable folder.
    assert not (out / "match_decisions.csv").exists() and not (out / "import_report.md").exists()
    for path in out.iterdir():
        assert "Jo" not in path.read_text(encoding="utf-8-sig").split(), path.name
    assert load_recipe(out / "recipe.yaml").layout == "microsoft_forms"
    summary = json.loads((out / "import_summary.json").read_text())
    assert summary["balanced"] and summary["names_awaiting_decision"] == 1
    assert "Ann Lee" not in (out / "people.csv").read_text()

    # --analyst writes them to a private folder, and the audit log says so.
    invoke("import", "--roster", roster, "--responses", forms, "--out", tmp_path / "again", "--analyst")
    private = list((tmp_path / "home" / "private").rglob("match_decisions.csv"))
    assert len(private) == 1
    decisions = pd.read_csv(private[0], keep_default_na=False)
    jo = decisions.set_index("raw").loc["Jo"]
    assert jo["decision"] == "awaiting review" and jo["candidates"].count("P") == 2
    assert "roster_name" not in decisions.columns  # pseudonymised unless --identifiable
    assert json.loads((private[0].parent / "import_report.json").read_text())["balanced"]
    assert "analyst outputs written" in (tmp_path / "home" / "audit.log").read_text()

    # The next wave, with the recipe written and the decision filled in in the decisions file.
    private = tmp_path / "private" / "decisions.json"
    out2, out3 = tmp_path / "out2", tmp_path / "out3"
    result = invoke("import", "--roster", roster, "--responses", forms, "--recipe", out / "recipe.yaml",
                    "--decisions", private, "--out", out2)
    assert "fill them in in" in " ".join(result.output.split())
    assert private.stat().st_mode & 0o777 == 0o600  # it names people: owner only
    listed = json.loads(private.read_text())
    [jo] = [d for d in listed["decisions"] if d["raw"] == "Jo"]
    assert jo["decision"] == "" and any("Jo Smith" in c for c in jo["candidates"])
    jo.update(decision="chosen", person="C3")
    private.write_text(json.dumps(listed))
    result = invoke("import", "--roster", roster, "--responses", forms, "--recipe", out / "recipe.yaml",
                    "--decisions", private, "--out", out3, "--identifiable")
    assert "await a decision" not in result.output
    assert not (out2 / "match_decisions.csv").exists() and not (out3 / "match_decisions.csv").exists()
    latest = max((tmp_path / "home" / "private").rglob("match_decisions.csv"), key=lambda p: p.parent.name)
    decisions = pd.read_csv(latest, keep_default_na=False).set_index("raw")
    assert decisions.loc["Jo", "decision"] == "chosen by a person"
    assert decisions.loc["Jo", "roster_name"] == "Jo Smith"
    kept = json.loads(private.read_text())["decisions"]
    assert [(d["raw"], d["decision"], d["person"]) for d in kept] == [("Jo", "chosen", "C3")]


def test_the_decisions_file_is_never_written_beside_the_outputs(tmp_path):
    roster = sb.write_roster(tmp_path / "roster.csv")
    forms = sb.forms(tmp_path / "forms.xlsx", ANSWERS)
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", "--roster", str(roster), "--responses", str(forms), "--out", str(out),
                                 "--decisions", str(out / "decisions.json")])
    assert result.exit_code != 0 and "names people" in str(result.exception)
    assert not (out / "decisions.json").exists()


def test_a_named_project_keeps_its_decisions_for_the_next_run(tmp_path):
    """Decisions read from a file go into the project's one store; the next run needs no file."""
    roster = sb.write_roster(tmp_path / "roster.csv")
    forms = sb.forms(tmp_path / "forms.xlsx", ANSWERS)
    private = tmp_path / "private" / "decisions.json"
    private.parent.mkdir()
    private.write_text(json.dumps({"decisions": [{"raw": "Jo", "decision": "chosen", "person": "C3"}]}))
    invoke("import", "--roster", roster, "--responses", forms, "--decisions", private, "--out", tmp_path / "a",
           "--project", "North place")
    result = invoke("import", "--roster", roster, "--responses", forms, "--out", tmp_path / "b",
                    "--project", "North place")
    assert "await a decision" not in result.output
    from onatool.project import Project, home_workspace

    assert Project(home_workspace(), "North place").name_decisions()["jo"].person == "C3"


def test_ties_still_works_and_exactly_one_source_is_required(tmp_path):
    roster = sb.write_roster(tmp_path / "roster.csv")
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target\nA1,B2\n")
    invoke("import", "--roster", roster, "--ties", ties, "--out", tmp_path / "o")
    assert not (tmp_path / "o" / "recipe.yaml").exists()
    result = runner.invoke(app, ["import", "--roster", str(roster), "--ties", str(ties), "--responses", str(ties),
                                 "--out", str(tmp_path / "o2")])
    assert result.exit_code != 0 and "exactly one of" in str(result.exception)


def test_survey_writes_grid_forms_text_and_recipe(tmp_path):
    roster = sb.write_roster(tmp_path / "roster.csv")
    out = tmp_path / "pack"
    result = invoke("survey", "--instrument", "ics_relationships", "--roster", roster, "--out", out)
    assert "5 questions" in result.output
    assert {p.name for p in out.iterdir()} >= {"ics_relationships_grid.xlsx", "ics_relationships_forms.md",
                                                "forms_recipe.yaml"}
