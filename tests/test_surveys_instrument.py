"""Survey instruments: the questions, the Excel grid, and the by-organisation form on each platform."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import import_responses, load_aliases, read_roster, read_ties
from onatool.survey_design import (
    PLATFORMS,
    design_form,
    estimate_minutes,
    platform_guide,
    platform_recipe,
    sending_guide,
)
from onatool.survey_render import answers_from_ties, render, write_export
from onatool.surveys import (
    collect_returns,
    forms_text,
    list_instruments,
    load_instrument,
    write_grid_template,
    write_survey_pack,
)
from tests.support import survey_builders as sb

KEY = b"i" * 32


@pytest.fixture
def ics():
    return load_instrument("ics_relationships")


def test_the_ics_instrument_matches_the_schema(ics):
    assert "ics_relationships" in list_instruments()
    assert [q.relation for q in ics.questions] == ["advice", "collaboration", "trust", "concern", "met"]
    for q in ics.questions:
        assert q.relation in schema.RELATIONS
        assert q.symmetric == schema.RELATIONS[q.relation].symmetric, q.relation
        if schema.RELATIONS[q.relation].question:
            assert q.wording == schema.RELATIONS[q.relation].question
    assert ics.scale_map("frequency") == {"Never": 0, "Yearly": 1, "Quarterly": 2, "Monthly": 3, "Weekly": 4,
                                          "Daily": 5, "Don't know this person": None}
    assert ics.is_tick(ics.questions[0]) and not ics.is_tick(ics.questions[1])
    assert ics.identity["name_wording"] and ics.design["max_per_list"] == 25
    assert ics.questions[1].name_first  # strength is asked only of people named first (Qualtrics)


def test_grid_template_has_drop_downs_and_is_formula_safe(tmp_path, ics):
    rows = [*sb.ROSTER, ("G7", '=HYPERLINK("http://evil.example","click")', "g@x.example", "+Org", "top")]
    roster = read_roster(sb.write_roster(tmp_path / "roster.csv", rows), key=KEY)
    path = write_grid_template(ics, roster, tmp_path / "grid.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Start here", "Information and advice", "Collaboration", "Trust",
                               "Raise a concern or idea", "Met through the programme", "Partner organisations"]
    sheet = book["Collaboration"]
    assert sheet["A1"].value == ics.questions[1].wording
    names = [sheet.cell(row, 2).value for row in range(5, 5 + len(rows))]
    assert sorted(names) == sorted(r[1] for r in rows)
    evil = next(r for r in range(5, 5 + len(rows)) if str(sheet.cell(r, 2).value).startswith("="))
    assert sheet.cell(evil, 2).data_type == "s"  # text, not a formula
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].type == "list"
    assert validations[0].formula1 == '"Never,Yearly,Quarterly,Monthly,Weekly,Daily,Don\'t know this person"'
    assert str(validations[0].sqref) == f"D5:D{4 + len(rows)}"
    assert book["Trust"].data_validations.dataValidation[0].formula1 == '"Yes"'


def test_returned_grids_import_as_ties(tmp_path, ics):
    roster_path = sb.write_roster(tmp_path / "roster.csv")
    roster = read_roster(roster_path, key=KEY)
    path = write_grid_template(ics, roster, tmp_path / "grid.xlsx")
    book = openpyxl.load_workbook(path)
    book["Start here"]["B5"] = "ann.lee@acute.example"
    collab, trust = book["Collaboration"], book["Trust"]
    for row in range(5, 5 + len(sb.ROSTER)):
        name = collab.cell(row, 2).value
        collab.cell(row, 4).value = {"Bo Chan": "Weekly", "Jo Smith": "Never",
                                     "Zoë O'Neill": "Don't know this person"}.get(name)
        trust.cell(row, 4).value = "Yes" if name == "Bo Chan" else None
    book.save(tmp_path / "ann.xlsx")
    blank = openpyxl.load_workbook(path)
    blank["Start here"]["B5"] = "bo.chan@council.example"
    blank.save(tmp_path / "bo.xlsx")

    edges = collect_returns([tmp_path / "ann.xlsx", tmp_path / "bo.xlsx"], ics)
    edges.to_csv(tmp_path / "ties.csv", index=False)
    scales = {q.relation: ics.scale_map(q.scale) for q in ics.questions}
    result = read_ties(tmp_path / "ties.csv", roster, relations=ics.relations(), scales=scales)
    ids = roster.identities["id"]
    t = result.network.ties
    assert {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)} == {
        ("A1", "B2", "collaboration", 4.0), ("A1", "C3", "collaboration", 0.0), ("A1", "B2", "trust", 1.0)}
    assert result.report.reasons()["dropped: answer not applicable"] == 1  # "Don't know this person"
    assert set(result.network.respondents) == {ids.index[ids == "A1"][0], ids.index[ids == "B2"][0]}


def _place(tmp_path, sizes=None, duplicate=False):
    """A made-up place: organisations of the given sizes (teams of up to 8), a lone person, a shared name."""
    sizes = sizes or {"Acute trust": 60, "Council": 18, "Hospice": 3}
    rows, n = [], 0
    for org, size in sizes.items():
        for i in range(size):
            n += 1
            level = "top" if i == 0 else "middle" if i % 5 == 1 else "bottom"
            rows.append((f"P{n:03d}", f"Person{n:03d} Surname{chr(65 + n % 26)}{n}", f"p{n}@x.example", org,
                         level, f"{org} team {i // 8 + 1}"))
    rows.append(("P999", "Lone Councillor", "lone@y.example", "Elected members", "top", ""))
    if duplicate:
        rows.append(("P998", rows[0][1], "second@x.example", "Council", "bottom", "Council team 9"))
    path = tmp_path / "roster.csv"
    pd.DataFrame(rows, columns=["id", "name", "email", "organisation", "level", "team"]).to_csv(path, index=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False), read_roster(path, key=KEY)


def test_names_come_in_lists_of_at_most_25_by_organisation_and_team(tmp_path, ics):
    frame, roster = _place(tmp_path)
    design = design_form(ics, roster)
    lists = design.lists()
    assert all(2 <= len(n.roster_ids) <= 25 for n in lists)
    # everyone once, in their organisation's section
    assert sorted(r for n in lists for r in n.roster_ids) == sorted(frame["id"])
    org = dict(zip(frame["id"], frame["organisation"], strict=True))
    team = dict(zip(frame["id"], frame["team"], strict=True))
    for section in design.sections:
        assert {org[r] for n in section.lists for r in n.roster_ids} <= set(section.organisations)
    acute = next(s for s in design.sections if s.organisations == ("Acute trust",))
    assert len(acute.lists) == 3 and [n.title for n in acute.lists][0] == "Acute trust, list 1 of 3"
    for n in acute.lists:  # teams kept whole
        for other in acute.lists:
            if other is not n:
                assert not {team[r] for r in n.roster_ids} & {team[r] for r in other.roster_ids}
    # the lone councillor is not a list of one: pooled with the hospice
    lone = next(s for s in design.sections if "Elected members" in s.organisations)
    assert lone.size > 1
    assert design_form(ics, roster, max_per_list=10).max_per_list == 10
    assert max(len(n.roster_ids) for n in design_form(ics, roster, max_per_list=10).lists()) <= 10


def test_the_forms_guide_is_open_to_anyone_and_asks_who_is_answering(tmp_path, ics):
    _, roster = _place(tmp_path)
    text = forms_text(ics, roster)
    assert "Anyone can respond" in text and "Only people in my organisation" not in text
    about = text.index("## Section 1: About you")
    assert about < text.index("What is your full name?") < text.index(ics.identity["wording"]) \
        < text.index("Do you work with anyone at")
    assert text.count("Do you work with anyone at") == len(design_form(ics, roster).sections)
    assert "It takes about" in text and "minutes" in text
    for platform in PLATFORMS:
        guide = platform_guide(design_form(ics, roster), platform)
        assert "Only people in my organisation" not in guide
    assert "Carry forward selected choices" in platform_guide(design_form(ics, roster), "qualtrics")
    assert "Responder input" in platform_guide(design_form(ics, roster), "google_forms")


def test_minutes_grow_with_the_organisations_opened_and_the_people_rated(tmp_path, ics):
    _, roster = _place(tmp_path)
    design = design_form(ics, roster)
    est = estimate_minutes(design)
    assert est["low"] < est["typical"] < est["high"]
    assert estimate_minutes(design, sections_opened=1, named=5)["typical"] == est["low"]
    assert estimate_minutes(design, sections_opened=3, named=12)["typical"] > \
        estimate_minutes(design, sections_opened=2, named=12)["typical"] > \
        estimate_minutes(design, sections_opened=2, named=4)["typical"]
    assert est["questions"] == 3 + len(design.sections) + 5 * len(design.lists()) + len(design.rated())
    guide = sending_guide(design)
    for words in ("## Pilot", "## Send", "## Reminders", f"about **{est['typical']:.0f} minutes**"):
        assert words in guide


def test_the_survey_pack_has_every_platform(tmp_path, ics):
    _, roster = _place(tmp_path, duplicate=True)
    written = write_survey_pack(ics, roster, tmp_path / "pack")
    assert {p.name for p in written} == {
        "ics_relationships_grid.xlsx", "ics_relationships_forms.md", "forms_recipe.yaml",
        "ics_relationships_qualtrics.md", "qualtrics_recipe.yaml", "ics_relationships_google.md",
        "google_recipe.yaml", "ics_relationships_sending.md", "survey_aliases.yaml"}
    aliases = load_aliases(tmp_path / "pack" / "survey_aliases.yaml")
    assert {a.person for a in aliases.values()} == {"P001", "P998"}  # the shared name, told apart


def _answers_of(ties, frame, design):
    return answers_from_ties(design, ties, frame, start=dt.datetime(2025, 11, 3, 8))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_platform_export_imports_back_to_the_ties(tmp_path, ics, platform):
    frame, roster = _place(tmp_path, {"Acute trust": 30, "Council": 4}, duplicate=True)
    ties = pd.DataFrame([
        ("P001", "P002", "advice", "Yes"), ("P001", "P031", "trust", "Yes"), ("P001", "P998", "advice", "Yes"),
        ("P001", "P999", "collaboration", "Never"), ("P001", "P002", "collaboration", "Weekly"),
        ("P002", "P001", "collaboration", "Daily"), ("P002", "P999", "met", "Yes"),
        ("P031", "", "", ""),  # answered, named nobody
    ], columns=["source", "target", "relation", "raw_value"])
    design = design_form(ics, roster)
    rows = render(design, _answers_of(ties, frame, design), platform)
    path = write_export(rows, tmp_path / ("export.xlsx" if platform == "microsoft_forms" else "export.csv"), platform)
    result = import_responses(roster, path, key=KEY, recipe=platform_recipe(design, platform), aliases=design.aliases)
    ids = roster.identities["id"]
    t = result.network.ties
    assert {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)} == {
        ("P001", "P002", "advice", 1.0), ("P001", "P031", "trust", 1.0), ("P001", "P998", "advice", 1.0),
        ("P001", "P999", "collaboration", 0.0), ("P001", "P002", "collaboration", 4.0),
        ("P002", "P001", "collaboration", 5.0), ("P002", "P999", "met", 1.0)}
    assert {ids[p] for p in result.network.respondents} == {"P001", "P002", "P031"}
    assert result.report.balanced() and not result.report.review()


def test_a_tie_the_form_cannot_hold_is_refused(tmp_path, ics):
    frame, roster = _place(tmp_path, {"Acute trust": 4})
    design = design_form(ics, roster)
    bad = pd.DataFrame([("P001", "P002", "collaboration", "Fortnightly")], columns=["source", "target", "relation",
                                                                                   "raw_value"])
    with pytest.raises(ValueError, match="not on the frequency scale"):
        _answers_of(bad, frame, design)
    with pytest.raises(ValueError, match="relation 'mentoring'"):
        _answers_of(bad.assign(relation="mentoring"), frame, design)


@pytest.mark.parametrize(("text", "message"), [
    ("questions: []", "no questions"),
    ("scales: {f: {answers: []}}\nquestions: [{relation: advice, wording: W, scale: f}]", "no answers"),
    ("scales: {f: {answers: [{answer: Yes, weight: 1}]}}\nquestions: [{relation: advice, scale: f}]",
     "lacks wording"),
    ("scales: {f: {answers: [{answer: Yes, weight: 1}]}}\nquestions: [{relation: a, wording: W, scale: g}]",
     "uses scale 'g'"),
])
def test_bad_instruments_name_the_file_and_the_fix(tmp_path, text, message):
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(InputFormatError, match=rf"mine\.yaml.*{message}"):
        load_instrument(path)


def test_unknown_instrument(tmp_path):
    with pytest.raises(InputFormatError, match="no such instrument.*ics_relationships"):
        load_instrument("nope")



def test_every_wave_gets_the_same_lists_so_one_recipe_reads_them_all(tmp_path, ics):
    frame, _ = _place(tmp_path, {"Acute trust": 24, "Council": 10})
    # P001 joins at the second wave, pushing the trust past 25 people ever; P020 moves to the
    # council at the second wave (listed under the trust at the first).
    frame = pd.concat([frame, pd.DataFrame([("P100", "New Starter", "new@x.example", "Acute trust", "bottom",
                                             "Acute trust team 3")], columns=frame.columns)])
    frame["waves"] = frame["id"].map({"P100": "second"}).fillna("")
    first_rows = frame.copy()
    second_rows = frame.copy()
    second_rows.loc[second_rows["id"] == "P020", "organisation"] = "Council"
    first = read_roster(_csv(tmp_path / "first.csv", first_rows), key=KEY)
    second = read_roster(_csv(tmp_path / "second.csv", second_rows), key=KEY)
    designs = {w: design_form(ics, r, wave=w, lists_from=[first, second])
               for w, r in (("first", first), ("second", second))}
    assert platform_recipe(designs["first"], "microsoft_forms") == platform_recipe(designs["second"], "microsoft_forms")
    where = {w: {rid: s.organisations for s in d.sections for n in s.lists for rid in n.roster_ids}
             for w, d in designs.items()}
    assert where["first"]["P020"] == ("Acute trust",) and "Council" in where["second"]["P020"]
    assert "P100" not in where["first"] and "P100" in where["second"]
    assert all(len(n.roster_ids) <= 25 for d in designs.values() for n in d.lists())


def _csv(path, frame):
    frame.to_csv(path, index=False)
    return path


def test_qualtrics_answers_cannot_hold_typed_names(tmp_path, ics):
    frame, roster = _place(tmp_path, {"Acute trust": 4})
    design = design_form(ics, roster)
    ties = pd.DataFrame([("P001", "P002", "advice", "Yes")], columns=["source", "target", "relation", "raw_value"])
    answers = _answers_of(ties, frame, design)
    answers[0].others[(design.lists()[0].key, "advice")] = ["Someone typed"]
    header, row = render(design, answers, "microsoft_forms")
    advice = header.index(design.question(ics.questions[0], design.lists()[0]))
    assert row[advice] == f"{design.place_of()['P002'][2]};Someone typed;"  # ticked, then the Other text
    with pytest.raises(ValueError, match="no 'Other' boxes"):
        render(design, answers, "qualtrics")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_free_recall_names_are_typed_and_matched_and_strength_still_comes_from_lists(tmp_path, ics, platform):
    frame, roster = _place(tmp_path, {"Acute trust": 30, "Council": 4})
    design = design_form(ics, roster, recall="free")
    assert design.free and [q.relation for q in design.listed_questions()] == ["collaboration"]
    ties = pd.DataFrame([
        ("P001", "P002", "advice", "Yes"), ("P001", "P031", "trust", "Yes"), ("P001", "P002", "collaboration", "Weekly"),
        ("P002", "P001", "concern", "Yes"), ("P031", "", "", ""),
    ], columns=["source", "target", "relation", "raw_value"])
    answers = _answers_of(ties, frame, design)
    name = dict(zip(frame["id"], frame["name"], strict=True))
    first, last = name["P003"].split()
    answers[0].others[("free", "advice")] = [f"{last}, {first}", name["P004"].lower()]  # typed as people type
    rows = render(design, answers, platform)
    path = write_export(rows, tmp_path / ("export.xlsx" if platform == "microsoft_forms" else "export.csv"), platform)
    result = import_responses(roster, path, key=KEY, recipe=platform_recipe(design, platform))
    ids = roster.identities["id"]
    t = result.network.ties
    assert {(ids[s], ids[d], r, w) for s, d, r, w in zip(t.source, t.target, t.relation, t.weight, strict=True)} == {
        ("P001", "P002", "advice", 1.0), ("P001", "P003", "advice", 1.0), ("P001", "P004", "advice", 1.0),
        ("P001", "P031", "trust", 1.0), ("P001", "P002", "collaboration", 4.0), ("P002", "P001", "concern", 1.0)}
    assert {ids[p] for p in result.network.respondents} == {"P001", "P002", "P031"}
    guide = platform_guide(design, platform)
    assert "(type their names, one per line)" in guide and "type-ahead" in guide.casefold()
    assert estimate_minutes(design)["questions"] == 3 + len(design.sections) + len(design.lists()) + 4 + len(design.rated())


def test_a_qualtrics_matrix_carried_forward_from_one_choice_is_still_a_matrix(tmp_path, ics):
    """Carried-forward rows export as ``TAG_x1``; a matrix with a single such row keeps its person."""
    _, roster = _place(tmp_path, {"Acute trust": 3})
    question = "How often do you work together with each of these people? (Acute trust)"
    rows = [["ResponseId", "Finished", "email", "L01_collaboration_x1"],
            ["Response ID", "Finished", "What is your work email address?", f"{question} - Person002 SurnameC2"],
            ['{"ImportId":"_recordId"}', '{"ImportId":"finished"}', '{"ImportId":"QID2_TEXT"}',
             '{"ImportId":"QID9_x1"}'],
            ["R_1", "True", "p1@x.example", "Monthly"]]
    path = tmp_path / "qualtrics.csv"
    pd.DataFrame(rows).to_csv(path, header=False, index=False)
    from onatool.io.layouts.survey import GRID, RelationQuestion
    from onatool.io.recipe import Recipe

    recipe = Recipe("qualtrics", identity="email", complete="Finished", scales={"frequency": ics.scale_map("frequency")},
                    questions=(RelationQuestion(question, "collaboration", GRID, None, "frequency"),))
    result = import_responses(roster, path, key=KEY, recipe=recipe)
    ids = roster.identities["id"]
    t = result.network.ties
    assert list(zip(t.source.map(ids), t.target.map(ids), t.weight, strict=True)) == [("P001", "P002", 3.0)]
