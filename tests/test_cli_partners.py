"""`onatool partners`: trust and value by organisation, with a score from fewer than k raters withheld."""

import pandas as pd
from typer.testing import CliRunner

from onatool.cli import app

runner = CliRunner()
ROSTER = ("id,name,organisation\n" + "".join(f"T{i},Trust Person {i},Trust\n" for i in range(6))
          + "".join(f"C{i},Council Person {i},Council\n" for i in range(6)) + "H0,Hospice Person,Hospice\n")
HEADER = "id,partner,Power and influence,Level of involvement,Resources contributed,Reliability,In support of mission,Open to discussion\n"


def test_scores_with_their_raters_and_small_bases_withheld(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    roster = write("roster.csv", ROSTER)
    rows = [f"T{i},Council,3,3,3,4,4,{2 + i % 2}\n" for i in range(6)]     # trust (4+4+2.5)/3 = 3.5
    rows += [f"C{i},Trust,2,2,2,A small amount,2,2\n" for i in range(5)]  # trust 2, value 2
    rows += ["H0,Trust,4,4,4,4,4,4\n", "H0,Council,1,1,1,1,1,1\n"]        # one hospice rater
    ratings = write("partner.csv", HEADER + "".join(rows))
    out = tmp_path / "out"
    result = runner.invoke(app, ["partners", "--roster", str(roster), "--ratings", str(ratings), "--out", str(out)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    orgs = pd.read_csv(out / "partner_organisations.csv", index_col=0)
    assert orgs.loc["Council", "raters"] == 7 and orgs.loc["Council", "trust"] == (6 * 3.5 + 1) / 7
    assert orgs.loc["Trust", "value"] == (5 * 2 + 4) / 6
    pairs = pd.read_csv(out / "partner_pairs.csv", index_col=[0, 1])
    assert pairs.loc[("Hospice", "Trust"), "raters"] == 1 and pd.isna(pairs.loc[("Hospice", "Trust"), "trust"])
    # Six Trust raters' 3.5 beside the Council's (6 * 3.5 + 1) / 7 would give the one hospice rater's 1 away:
    # withheld too (and likewise the Council's raters about the Trust)
    assert pairs.loc[("Trust", "Council"), "raters"] == 6 and pd.isna(pairs.loc[("Trust", "Council"), "trust"])
    assert pd.isna(pairs.loc[("Council", "Trust"), "trust"])
    assert "Council: trust 3.1, value 2.7 of 4 (7 raters from 2 organisations)" in said
    page = (out / "partner_map.html").read_text()
    assert "Council, as the other organisations see it: trust 3.1, value 2.7 of 4 from 7 raters" in page
    assert "Hospice about" not in page and "Trust about Council" not in page  # not drawn
