"""PARTNER's trust and value questions in the survey pack: asked per organisation, read back from each platform.

The form is built as the pack tells the user to build it (``design_form`` + the platform's
guide), answered (``survey_render``), exported as the platform writes it, and read back
with the recipe the pack writes: the ratings must equal what was answered, and every
answer that cannot be read is reported with its file, row and column.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import import_responses, read_roster
from onatool.io.ratings import ratings_from_export
from onatool.io.recipe import Recipe, load_recipe, save_recipe
from onatool.survey_design import (
    FORMS,
    PLATFORMS,
    QUALTRICS,
    design_form,
    estimate_minutes,
    platform_guide,
    platform_recipe,
)
from onatool.survey_render import add_ratings, answers_from_ties, render, write_export
from onatool.surveys import load_instrument, write_survey_pack

KEY = b"p" * 32
START = dt.datetime(2026, 3, 2, 8)
WORDS = schema.PARTNER_SCALE


@pytest.fixture
def ics():
    return load_instrument("ics_relationships")


@pytest.fixture
def place(tmp_path):
    rows = [(f"P{n:03d}", f"Person{n:03d} Surname{chr(65 + n)}", f"p{n}@x.example", org, "middle", "")
            for n, org in enumerate(["Trust"] * 6 + ["Council"] * 5 + ["Hospice"] * 3, start=1)]
    rows.append(("P099", "Lone Councillor", "lone@y.example", "Elected members", "top", ""))
    path = tmp_path / "roster.csv"
    frame = pd.DataFrame(rows, columns=["id", "name", "email", "organisation", "level", "team"])
    frame.to_csv(path, index=False)
    return frame, read_roster(path, key=KEY)


def test_the_instrument_asks_partner_six_dimensions_on_its_scale(ics):
    partner = ics.organisation_questions
    assert [s.dimension for s in partner.statements] == [*schema.PARTNER_VALUE, *schema.PARTNER_TRUST]
    assert [s.kind for s in partner.statements] == ["value"] * 3 + ["trust"] * 3
    assert partner.answers == tuple(WORDS[i] for i in (1, 2, 3, 4))
    assert all(s.themes for s in partner.statements)
    assert "Council" in partner.question("Council")


def test_an_instrument_with_other_dimensions_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "scales: {t: {answers: [{answer: 'Yes', weight: 1}]}, partner: {answers: [{answer: Not at all, weight: 1}, "
        "{answer: A small amount, weight: 2}, {answer: A fair amount, weight: 3}, {answer: A great deal, weight: 4}]}}\n"
        "questions: [{relation: advice, wording: W, scale: t}]\n"
        "organisation_questions: {wording: 'About {organisation}', value: [{dimension: power_and_influence, "
        "wording: w}], trust: []}\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="value dimensions are not PARTNER's"):
        load_instrument(path)


def test_each_organisation_is_rated_once_behind_its_gate(place, ics):
    _, roster = place
    design = design_form(ics, roster)
    rated = design.rated()
    assert sorted(r.organisation for r in rated) == ["Council", "Elected members", "Hospice", "Trust"]
    assert len({r.question for r in rated}) == len(rated)
    for r in rated:  # its section's gate opens it
        section = next(s for s in design.sections if s.number == r.section)
        assert r.organisation in section.organisations
    assert design_form(ics, roster, ratings=False).rated() == []


def test_the_guides_and_the_minutes_count_the_grids(place, ics):
    _, roster = place
    design = design_form(ics, roster)
    without = design_form(ics, roster, ratings=False)
    for platform in PLATFORMS:
        text = platform_guide(design, platform)
        assert text.count("Power and influence: it holds a prominent position") == len(design.rated())
        assert "Not at all, A small amount, A fair amount, A great deal" in text
    assert "Export tag `O01_partner`" in platform_guide(design, QUALTRICS)
    assert estimate_minutes(design)["questions"] == estimate_minutes(without)["questions"] + len(design.rated())
    assert estimate_minutes(design)["typical"] > estimate_minutes(without)["typical"]
    assert estimate_minutes(design)["high"] - estimate_minutes(without)["high"] == pytest.approx(
        len(design.rated()) * (6 + 6 * 3.5) / 60, abs=0.06)


def _answered():
    """What three respondents answered (word per dimension), one of them twice."""
    rows = []
    for email, organisation, scores in (
        ("p1@x.example", "Council", (4, 3, 2, 4, 4, 3)),
        ("p1@x.example", "Hospice", (1, 2, 1, 2, 3, None)),
        ("p7@x.example", "Trust", (3, 3, 3, 2, 2, 1)),
        ("p12@x.example", "Council", (2, 2, 2, 4, 4, 4)),
        ("p12@x.example", "Elected members", (4, 1, 1, 3, 3, 3)),
    ):
        for dimension, score in zip((*schema.PARTNER_VALUE, *schema.PARTNER_TRUST), scores, strict=True):
            if score is not None:
                rows.append((email, organisation, dimension, WORDS[score], score))
    return pd.DataFrame(rows, columns=["email", "rated", "dimension", "answer", "score"])


def _export(tmp_path, design, frame, answered, platform):
    ties = pd.DataFrame([("P001", "P002", "advice", "Yes"), ("P007", "P008", "collaboration", "Weekly")],
                        columns=["source", "target", "relation", "raw_value"])
    submissions = answers_from_ties(design, ties, frame, start=START)
    submissions = add_ratings(design, submissions, answered, start=START)
    rows = render(design, submissions, platform)
    return write_export(rows, tmp_path / ("export.xlsx" if platform == FORMS else "export.csv"), platform)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_platform_export_reads_back_to_the_ratings_answered(tmp_path, place, ics, platform):
    frame, roster = place
    design = design_form(ics, roster)
    answered = _answered()
    path = _export(tmp_path, design, frame, answered, platform)
    recipe = load_recipe(save_recipe(platform_recipe(design, platform), tmp_path / "recipe.yaml"))
    read = ratings_from_export(path, recipe, roster)
    ids = roster.identities["email"]
    got = {(ids[p], r, d, s) for p, r, d, s in read.answers.itertuples(index=False)}
    assert got == {(e, r, d, s) for e, r, d, _, s in answered.itertuples(index=False)}
    assert read.report.balanced() and read.report.counts()["dropped"] == 0
    # the same export still imports the relationships, the grids listed as columns not read
    result = import_responses(roster, path, key=KEY, recipe=recipe, aliases=design.aliases)
    assert len(result.network.ties) == 2 and result.report.balanced()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_answers_that_cannot_be_read_are_reported_with_row_and_column(tmp_path, place, ics, platform):
    frame, roster = place
    design = design_form(ics, roster)
    answered = _answered()
    answered.loc[0, "answer"] = "Very much"  # p1 about Council, power and influence
    answered = pd.concat([answered, pd.DataFrame([("stranger@z.example", "Trust", "reliability", "A great deal", 4)],
                                                 columns=answered.columns)], ignore_index=True)
    path = _export(tmp_path, design, frame, answered, platform)
    read = ratings_from_export(path, platform_recipe(design, platform), roster)
    [item] = read.report.items
    assert item.outcome == "dropped" and item.detail == "power_and_influence"
    assert item.reason.startswith("'Very much' in column ") and "expected one of Not at all" in item.reason
    first_data_row = 4 if platform == QUALTRICS else 2  # below three header rows, or one
    assert item.row == first_data_row  # p1 submitted first
    dropped = [r for r in read.report.rows if r.outcome == "dropped"]
    assert len(dropped) == 1 and "stranger@z.example" in dropped[0].reason
    assert len(read.answers) == len(_answered()) - 1
    assert read.report.balanced()


def test_an_export_without_the_grids_names_what_is_missing(tmp_path, place, ics):
    frame, roster = place
    design = design_form(ics, roster)
    path = _export(tmp_path, design_form(ics, roster, ratings=False), frame, _answered().iloc[0:0], FORMS)
    with pytest.raises(InputFormatError, match="grid row"):
        ratings_from_export(path, platform_recipe(design, FORMS), roster)
    with pytest.raises(InputFormatError, match="no trust and value questions"):
        ratings_from_export(path, Recipe(FORMS, identity="x"), roster)


def test_the_pack_writes_recipes_that_name_every_grid_row(tmp_path, place, ics):
    _, roster = place
    write_survey_pack(ics, roster, tmp_path / "pack")
    recipe = load_recipe(tmp_path / "pack" / "forms_recipe.yaml")
    assert len(recipe.ratings) == 6 * 4
    assert {e["organisation"] for e in recipe.ratings} == {"Council", "Elected members", "Hospice", "Trust"}


def test_the_excel_grid_asks_them_too_and_its_returns_read_as_ratings(tmp_path, place, ics):
    import openpyxl

    from onatool.io.ratings import read_ratings
    from onatool.surveys import PARTNER_SHEET, collect_ratings, write_grid_template

    _, roster = place
    path = write_grid_template(ics, roster, tmp_path / "grid.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[PARTNER_SHEET]
    assert [sheet.cell(4, c).value for c in range(1, 8)] == ["Organisation", *(s.label for s in
                                                                                ics.organisation_questions.statements)]
    organisations = [sheet.cell(r, 1).value for r in range(5, 9)]
    assert organisations == ["Council", "Elected members", "Hospice", "Trust"]
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Not at all,A small amount,A fair amount,A great deal"'
    book["Start here"]["B5"] = "p1@x.example"
    for column, word in enumerate(["A great deal", "A fair amount", "", "Not at all", "sometimes", "A small amount"],
                                  start=2):
        sheet.cell(5, column).value = word or None  # about the Council
    book.save(tmp_path / "p1.xlsx")
    frame = collect_ratings([tmp_path / "p1.xlsx"], ics)
    assert frame[["email", "partner"]].values.tolist() == [["p1@x.example", "Council"]]
    frame.to_csv(tmp_path / "ratings.csv", index=False)
    read = read_ratings(tmp_path / "ratings.csv", roster)
    assert sorted(zip(read.answers["dimension"], read.answers["score"], strict=True)) == [
        ("level_of_involvement", 3), ("open_to_discussion", 2), ("power_and_influence", 4), ("reliability", 1)]
    [item] = read.report.items
    assert "'sometimes' in column 'Support of the shared mission'" in item.reason


def test_a_recipe_ratings_entry_must_say_what_its_column_holds():
    with pytest.raises(InputFormatError, match="ratings entry 1 needs question, statement, organisation, dimension"):
        Recipe.from_dict({"layout": FORMS, "identity": "Email", "ratings": [{"question": "Q", "statement": "S"}]})


def test_importing_the_export_into_a_project_keeps_its_ratings(tmp_path, place, ics, monkeypatch):
    from typer.testing import CliRunner

    from onatool.cli import app
    from onatool.project import Project, home_workspace

    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    frame, roster = place
    design = design_form(ics, roster)
    path = _export(tmp_path, design, frame, _answered(), FORMS)
    recipe = save_recipe(platform_recipe(design, FORMS), tmp_path / "forms_recipe.yaml")
    result = CliRunner().invoke(app, ["import", "--project", "North", "--roster", str(tmp_path / "roster.csv"),
                                      "--responses", str(path), "--recipe", str(recipe), "--out",
                                      str(tmp_path / "out"), "--save"])
    assert result.exit_code == 0, result.output
    assert "Trust and value ratings kept: 29 answer(s) from 3 respondent(s)" in " ".join(result.output.split())
    project = Project.open(home_workspace(), "North")
    assert len(project.ratings().answers) == len(_answered())
    assert (project.workspace.audit_log("North")["action"] == "ratings imported").sum() == 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_second_submission_replaces_the_first_as_for_the_ties(tmp_path, place, ics, platform):
    frame, roster = place
    design = design_form(ics, roster)
    first = _answered()
    submissions = add_ratings(design, [], first, start=START)
    again = first[first["email"] == "p1@x.example"].assign(answer=WORDS[1], score=1)
    later = add_ratings(design, [], again, start=START + dt.timedelta(days=2))
    rows = render(design, submissions + later, platform)
    path = write_export(rows, tmp_path / ("export.xlsx" if platform == FORMS else "export.csv"), platform)
    read = ratings_from_export(path, platform_recipe(design, platform), roster)
    ids = roster.identities["email"]
    p1 = read.answers[read.answers["person_id"].map(ids) == "p1@x.example"]
    assert len(p1) == len(again) and set(p1["score"]) == {1}
    [dropped] = [r for r in read.report.rows if r.outcome == "dropped"]
    assert dropped.reason.startswith("duplicate submission, an earlier response")
    assert read.report.balanced()
