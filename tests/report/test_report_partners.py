"""The report's "Trust and value between partner organisations": the same figures as `onatool partners`, gated.

One rule, one home: the report and the command both score with
``onatool.metrics.partner.partner_scores`` and release through the gate's ``ratings``
rule, so for the same roster and ratings the report's tables are the command's CSVs,
and a pair rated by fewer than k raters appears in neither as a score.
"""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool.cli import app
from onatool.project import Project, home_workspace

runner = CliRunner()
ROSTER = ("id,name,organisation,level\n" + "".join(f"T{i},Trust Person {i},Trust,middle\n" for i in range(7))
          + "".join(f"C{i},Council Person {i},Council,middle\n" for i in range(6))
          + "".join(f"H{i},Hospice Person {i},Hospice,top\n" for i in range(2)))
TIES = "source,target,relation\n" + "".join(f"T{i},C{i % 6},advice\n" for i in range(7)) \
    + "".join(f"C{i},T{i},advice\nC{i},H{i % 2},advice\n" for i in range(6)) + "H0,T0,advice\nH1,C1,advice\n"
HEADER = "id,partner,Power and influence,Level of involvement,Resources contributed,Reliability,In support of mission,Open to discussion\n"
RATINGS = HEADER + "".join(
    [f"T{i},Council,3,{2 + i % 3},3,4,4,{2 + i % 2}\n" for i in range(7)]
    + [f"C{i},Trust,2,2,{1 + i % 4},A small amount,2,3\n" for i in range(6)]
    + [f"C{i},Hospice,4,4,3,3,4,4\n" for i in range(5)]
    + ["H0,Trust,4,4,4,4,4,4\n", "H1,Council,1,1,1,1,1,1\n", "T0,Trust,4,4,4,4,4,4\n"])


def _section(html: str) -> str:
    found = re.search(r'<section id="partners">(.*?)</section>', html, re.S)
    assert found, "no partner section"
    return found.group(1)


def _tables(section: str) -> list[list[list[str]]]:
    tables = []
    for body in re.findall(r"<table[^>]*>(.*?)</table>", section, re.S):
        rows = [[unescape(c).strip() for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
        tables.append(rows)
    return tables


@pytest.fixture
def files(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    return write("roster.csv", ROSTER), write("ties.csv", TIES), write("partner.csv", RATINGS)


def _report(tmp_path, roster, ties, *extra):
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "--roster", str(roster), "--ties", str(ties), "--out", str(out),
                                 "--no-pdf", *extra])
    assert result.exit_code == 0, result.output
    return out


def test_the_report_shows_what_onatool_partners_writes(tmp_path, files):
    roster, ties, ratings = files
    cli_out = tmp_path / "partners"
    result = runner.invoke(app, ["partners", "--roster", str(roster), "--ratings", str(ratings), "--out", str(cli_out)])
    assert result.exit_code == 0, result.output
    out = _report(tmp_path, roster, ties, "--ratings", str(ratings))
    organisations, pairs = _tables(_section((out / "report.html").read_text(encoding="utf-8")))

    expected = pd.read_csv(cli_out / "partner_organisations.csv", index_col=0).dropna(subset=["trust"])
    assert organisations[0] == ["Organisation", "Value", "Trust", "Raters", "From organisations"]
    assert organisations[1:] == [[name, f"{row.value:.2f}", f"{row.trust:.2f}", str(int(row.raters)),
                                  str(int(row.organisations))] for name, row in expected.sort_index().iterrows()]
    expected_pairs = pd.read_csv(cli_out / "partner_pairs.csv", index_col=[0, 1]).dropna(subset=["trust"])
    assert pairs[1:] == [[a, b, f"{row.value:.2f}", f"{row.trust:.2f}", str(int(row.raters))]
                         for (a, b), row in expected_pairs.sort_index().iterrows()]
    # the figures themselves, worked by hand: five Council raters about the hospice
    assert expected_pairs.loc[("Council", "Hospice"), ["value", "trust"]].tolist() == pytest.approx([11 / 3, 11 / 3])
    # a pair rated by fewer than k raters is in neither, as a score
    shown = {(a, b) for a, b, *_ in pairs[1:]}
    assert shown == {("Council", "Hospice")}
    everything = pd.read_csv(cli_out / "partner_pairs.csv", index_col=[0, 1])
    assert pd.isna(everything.loc[("Hospice", "Trust"), "trust"]) and everything.loc[("Hospice", "Trust"), "raters"] == 1
    # nor one that would give it away: the Council's score from the others is the seven Trust raters and
    # one hospice rater, so showing the Trust raters' pair would show that one person's view
    assert everything.loc[("Trust", "Council"), "raters"] == 7 and pd.isna(everything.loc[("Trust", "Council"), "trust"])
    council = expected.loc["Council"]
    assert council.raters == 8 and council.trust == pytest.approx((sum((4 + 4 + 2 + i % 2) / 3 for i in range(7)) + 1) / 8)
    assert [row[3] for row in organisations[1:] if row[0] == "Hospice"] == ["5"]  # five raters: shown
    # the report's exports folder holds the same CSVs (to the last bit but one: each run of a throwaway
    # project has its own pseudonyms, so raters are summed in another order)
    for name, index in (("partner_pairs.csv", [0, 1]), ("partner_organisations.csv", 0)):
        pd.testing.assert_frame_equal(pd.read_csv(out / "partners" / name, index_col=index),
                                      pd.read_csv(cli_out / name, index_col=index), rtol=1e-12)
    assert (out / "partners" / "partner_map.html").exists()
    # the DPIA summary lists the ratings as data held, with how many gave them
    import json

    held = {f["field"]: f for f in json.loads((out / "dpia_summary.json").read_text(encoding="utf-8"))["fields"]}
    assert held["partner ratings"]["people_with_value"] == 15
    assert "partner ratings" in (out / "dpia_summary.md").read_text(encoding="utf-8")


def test_the_report_uses_the_project_kept_ratings_and_says_what_it_hides(tmp_path, files):
    roster, ties, ratings = files
    first = _report(tmp_path / "a", roster, ties, "--project", "North")
    assert 'id="partners"' not in (first / "report.html").read_text(encoding="utf-8")
    project = Project.open(home_workspace(), "North")
    project.save_wave(project.read_wave(ties, roster_file=roster))
    read = project.import_ratings(ratings, user="tester")
    assert len(read.answers) == len(project.ratings().answers) == 6 * 21
    assert project.workspace.audit_log(project.name)["action"].str.contains("ratings imported").any()
    out = _report(tmp_path / "b", roster, ties, "--project", "North")
    html = (out / "report.html").read_text(encoding="utf-8")
    section = _section(html)
    assert "pair(s) of organisations are not shown: rated by fewer than 5 raters" in section
    assert 'href="#partners"' in html and "Varda et al. 2008" in section
    assert "Map of trust between partner organisations" in section


def test_organisation_names_stay_inert_in_the_section_and_its_map(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    payload = '</script><img src=x onerror=alert(1)> href "><svg onload=alert(2)>'
    roster = write("roster.csv", ROSTER.replace("Council,", payload.replace('"', "'").replace(",", ";") + ",")
                   .replace("organisation,level", "organisation,level"))
    ratings = write("partner.csv", RATINGS.replace(",Council,", "," + payload.replace('"', "'").replace(",", ";") + ","))
    out = _report(tmp_path, roster, write("ties.csv", TIES), "--ratings", str(ratings))
    html = (out / "report.html").read_text(encoding="utf-8")
    section = _section(html)
    assert "onerror=alert(1)" in unescape(section)  # the name is there, as text
    assert "<img src=x" not in section and "<svg onload" not in section
    assert "<script" not in html.split('id="partners"')[1].split("srcdoc=")[0]


def test_a_withheld_pair_cannot_be_worked_out_from_the_organisation_score():
    from onatool.share.disclosure import Disclosure
    from onatool.share.gate import release

    index = pd.MultiIndex.from_tuples([("A", "B"), ("C", "B"), ("D", "B"), ("B", "B"), ("A", "C"), ("B", "C")],
                                      names=["rater_organisation", "rated"])
    pairs = pd.DataFrame({"value": 3.0, "trust": 2.5, "raters": [6, 9, 2, 1, 7, 8]}, index=index)
    shown = release("ratings", pairs, Disclosure(k=5))
    # D's two raters about B are withheld; A's six (the smaller shown pair about B) go with them, so
    # the withheld pairs about B hold 8 raters and their mean is no single small group's view.
    # B's own staff about B do not count: they are not in B's score as the others see it.
    assert shown["trust"].isna().tolist() == [True, False, True, True, False, False]
    assert shown["raters"].tolist() == [6, 9, 2, 1, 7, 8]
    untouched = release("ratings", pairs.reset_index(drop=True), Disclosure(k=5))
    assert untouched["trust"].isna().tolist() == [False, False, True, True, False, False]
