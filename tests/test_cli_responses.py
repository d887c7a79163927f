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

    # The next wave, with the recipe written and a decision recorded in an alias file.
    (tmp_path / "aliases.yaml").write_text("aliases:\n- raw: Jo\n  decision: chosen\n  person: C3\n")
    out2 = tmp_path / "out2"
    result = invoke("import", "--roster", roster, "--responses", forms, "--recipe", out / "recipe.yaml",
                    "--aliases", tmp_path / "aliases.yaml", "--out", out2, "--identifiable")
    assert "await a decision" not in result.output
    assert not (out2 / "match_decisions.csv").exists()
    latest = max((tmp_path / "home" / "private").rglob("match_decisions.csv"), key=lambda p: p.parent.name)
    decisions = pd.read_csv(latest, keep_default_na=False).set_index("raw")
    assert decisions.loc["Jo", "decision"] == "chosen by a person"
    assert decisions.loc["Jo", "roster_name"] == "Jo Smith"


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
    assert {p.name for p in out.iterdir()} == {"ics_relationships_grid.xlsx", "ics_relationships_forms.md",
                                                "forms_recipe.yaml"}
