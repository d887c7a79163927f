"""The sample's survey answers as users bring them: every platform's export imports to the canonical sample.

The waves are whatever the sample has (``onatool.sample.SAMPLE_WAVES``). For each wave,
the canonical ties are rendered as the Microsoft Forms, Qualtrics and Google Forms
exports of the by-organisation form (:mod:`onatool.survey_render`) and imported back with
the recipe ``onatool survey`` writes: people, respondents and every tie (relation,
weight, answer) must come back exactly. The committed Forms exports, with their typed
names and planted mistakes, must too, with every difference explained in the report.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys

import pandas as pd
import pytest

from onatool.io import detect, import_responses, load_aliases, read_roster
from onatool.sample import SAMPLE_KEY, SAMPLE_WAVES, load_sample, sample_dir
from onatool.survey_design import PLATFORMS, design_form, estimate_minutes, platform_recipe
from onatool.survey_render import answers_from_ties, render, write_export
from onatool.surveys import load_instrument

FOLDER = sample_dir()
#: Every way an imported row may differ from the canonical files, each explained.
EXPLAINED = {
    "changed: name matched by alias",  # a partial name a person decided (forms_aliases.yaml)
    "changed: name matched by fuzzy",  # a letter missing or doubled, clearly one person
    "dropped: duplicate submission, an earlier response; the latest complete one kept",
    "dropped: self-tie",
    "dropped: repeated tie (highest weight kept)",
    "dropped: named person not on the roster",
}
PLANTED = ("dropped: duplicate submission, an earlier response; the latest complete one kept",
           "dropped: self-tie", "dropped: repeated tie (highest weight kept)",
           "dropped: named person not on the roster")


def _module():
    spec = importlib.util.spec_from_file_location("sample_forms_export", FOLDER / "forms_export.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _forms_file(wave: str) -> str:
    return "forms_" + SAMPLE_WAVES[wave].removeprefix("ties_").removesuffix(".csv") + ".xlsx"


def _recipe_file(wave: str):
    stem = SAMPLE_WAVES[wave].removeprefix("ties_").removesuffix(".csv")
    per_wave = FOLDER / f"forms_recipe_{stem}.yaml"
    return per_wave if per_wave.exists() else FOLDER / "forms_recipe.yaml"


@pytest.fixture(scope="module")
def canonical():
    return {r.network.wave: r for r in load_sample()}


@pytest.fixture(scope="module")
def roster():
    return read_roster(FOLDER / "roster.csv", key=SAMPLE_KEY)


@pytest.fixture(scope="module")
def as_at(roster):
    """Wave -> the roster as at that wave (people who moved later in their earlier place)."""
    module = _module()
    return {wave: module.as_at_wave(roster, wave, tuple(SAMPLE_WAVES)) for wave in SAMPLE_WAVES}


@pytest.fixture(scope="module")
def imported(as_at):
    return {wave: import_responses(as_at[wave], FOLDER / _forms_file(wave), key=SAMPLE_KEY, recipe=_recipe_file(wave),
                                   aliases=FOLDER / "forms_aliases.yaml", wave=wave)
            for wave in SAMPLE_WAVES}


def _sorted(ties: pd.DataFrame) -> pd.DataFrame:
    return ties.sort_values(["source", "target", "relation"]).reset_index(drop=True)


def _same_network(mine, theirs):
    pd.testing.assert_frame_equal(_sorted(mine.ties), _sorted(theirs.ties))
    assert set(mine.respondents) == set(theirs.respondents)
    assert list(mine.people.index) == list(theirs.people.index)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("wave", list(SAMPLE_WAVES))
def test_each_platform_export_of_the_sample_imports_to_the_canonical_network(
    tmp_path, canonical, as_at, wave, platform
):
    roster = as_at[wave]
    people = pd.read_csv(FOLDER / "roster.csv", dtype=str, keep_default_na=False)
    ties = pd.read_csv(FOLDER / SAMPLE_WAVES[wave], dtype=str, keep_default_na=False)
    design = design_form(load_instrument("ics_relationships"), roster, wave=wave, lists_from=list(as_at.values()))
    assert max(len(n.roster_ids) for n in design.lists()) <= 25
    submissions = answers_from_ties(design, ties, people, start=pd.Timestamp("2025-11-03 08:00").to_pydatetime())
    rows = render(design, submissions, platform)
    path = write_export(rows, tmp_path / ("export.xlsx" if platform == "microsoft_forms" else "export.csv"), platform)
    result = import_responses(roster, path, key=SAMPLE_KEY, recipe=platform_recipe(design, platform),
                              aliases=design.aliases, wave=wave)
    _same_network(result.network, canonical[wave].network)
    assert result.report.balanced() and not result.report.review()
    assert not set(result.report.reasons()) - EXPLAINED


@pytest.mark.parametrize("wave", list(SAMPLE_WAVES))
def test_the_committed_forms_export_reproduces_the_canonical_ties_exactly(canonical, imported, wave):
    _same_network(imported[wave].network, canonical[wave].network)


@pytest.mark.parametrize("wave", list(SAMPLE_WAVES))
def test_every_difference_is_explained_in_the_report(imported, wave):
    report = imported[wave].report
    assert report.balanced()
    assert set(report.reasons()) <= EXPLAINED
    assert report.counts()["doubted"] == 0 and not report.review()
    reasons = report.reasons()
    for planted in PLANTED:  # one of each per wave (see forms_export.py)
        assert reasons[planted] == 1, planted
    assert reasons["changed: name matched by fuzzy"] >= 5 and reasons["changed: name matched by alias"] >= 2
    dropped = {c["column"]: c["reason"] for c in report.columns_dropped}
    assert dropped["Email"].startswith("identifying") and dropped["What is your full name?"].startswith("identifying")
    assert all(reason == "not a relation question" for column, reason in dropped.items()
               if column.startswith("Do you work with anyone at"))


def test_without_the_alias_file_partial_names_wait_for_a_person(canonical, as_at):
    wave = next(iter(SAMPLE_WAVES))
    result = import_responses(as_at[wave], FOLDER / _forms_file(wave), key=SAMPLE_KEY, recipe=_recipe_file(wave),
                              wave=wave)
    waiting = {n["raw"] for n in result.report.review()}
    decided = {a.raw for a in load_aliases(FOLDER / "forms_aliases.yaml").values()}
    assert waiting and waiting <= decided
    missing = len(canonical[wave].network.ties) - len(result.network.ties)
    assert missing == result.report.reasons()["doubted: named person resembles someone on the roster: awaiting review"]


def test_the_committed_exports_are_what_the_script_writes(tmp_path):
    module = _module()
    written = module.write(module.build(FOLDER), tmp_path)
    assert {p.name for p in written} >= {_forms_file(w) for w in SAMPLE_WAVES}
    for path in written:
        assert path.read_bytes() == (FOLDER / path.name).read_bytes(), path.name


def test_the_export_looks_like_microsoft_forms_open_to_anyone():
    sheet = pd.read_excel(FOLDER / _forms_file(next(iter(SAMPLE_WAVES))), header=None, dtype=str).fillna("")
    header = list(sheet.iloc[0])
    assert header[:7] == ["ID", "Start time", "Completion time", "Email", "Name", "What is your full name?",
                          "What is your work email address?"]
    assert set(sheet.iloc[1:, 3]) == {"anonymous"} and set(sheet.iloc[1:, 4]) == {""}
    advice = [i for i, h in enumerate(header) if h.startswith("Who do you go to for information or advice")]
    cells = [v for i in advice for v in sheet.iloc[1:, i] if v]
    assert cells and all(v.endswith(";") for v in cells)
    likert = {}
    for h in header:
        if h.startswith("How often do you work together with each of these people? ("):
            likert.setdefault(h.split(").", 1)[0], []).append(h)
    assert len(likert) >= 2 and max(map(len, likert.values())) <= 25  # one grid per list, none of 200 rows
    gates = [i for i, h in enumerate(header) if h.startswith("Do you work with anyone at")]
    assert {v for i in gates for v in sheet.iloc[1:, i]} == {"Yes", "No"}


def test_qualtrics_and_google_exports_look_like_theirs(tmp_path, as_at):
    module = _module()
    export = module.build(FOLDER, platforms=PLATFORMS)
    module.write(export, tmp_path)
    stem = SAMPLE_WAVES[next(iter(SAMPLE_WAVES))].removeprefix("ties_").removesuffix(".csv")
    with (tmp_path / f"qualtrics_{stem}.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["StartDate", "EndDate"] and rows[1][0] == "Start Date"
    assert all(json.loads(cell)["ImportId"] for cell in rows[2])
    assert any(code.endswith("_x1") for code in rows[0])  # the carried-forward matrix
    google = pd.read_csv(tmp_path / f"google_{stem}.csv", dtype=str, keep_default_na=False)
    assert list(google.columns[:3]) == ["Timestamp", "Email address", "What is your full name?"]
    ticks = [v for c in google.columns if c.startswith("Whom do you trust") for v in google[c] if v]
    assert any(", " in v for v in ticks) and not any(v.endswith(";") for v in ticks)
    assert any(c.endswith("]") and "[" in c for c in google.columns)
    for platform in ("qualtrics", "google_forms"):  # the same planted answers import the same way
        name = f"{module.STEM[platform]}_{stem}.csv"
        recipe = next(tmp_path.glob(f"{module.STEM[platform]}_recipe*.yaml"))
        wave = next(iter(SAMPLE_WAVES))
        result = import_responses(as_at[wave], tmp_path / name, key=SAMPLE_KEY, recipe=recipe,
                                  aliases=tmp_path / "forms_aliases.yaml", wave=wave)
        assert set(result.report.reasons()) <= EXPLAINED and not result.report.review()
        reasons = result.report.reasons()
        assert reasons["dropped: duplicate submission, an earlier response; the latest complete one kept"] == 1
        assert reasons["dropped: self-tie"] == 1


def test_detection_without_a_recipe_finds_the_typed_email(as_at):
    wave = next(iter(SAMPLE_WAVES))
    found = detect(FOLDER / _forms_file(wave), roster=as_at[wave])
    assert found.layout == "microsoft_forms" and found.identity == "What is your work email address?"
    assert "What is your full name?" in {c for c, _ in found.dropped}
    assert {q.relation for q in found.relation_questions} >= {"advice", "collaboration", "trust", "concern"}


def test_one_recipe_reads_every_wave():
    assert (FOLDER / "forms_recipe.yaml").exists() and not list(FOLDER.glob("forms_recipe_*.yaml"))


def test_minutes_to_complete_for_the_sample(roster):
    design = design_form(load_instrument("ics_relationships"), roster)
    minutes = estimate_minutes(design)
    assert 3 <= minutes["low"] < minutes["typical"] < minutes["high"]
    assert minutes["typical"] <= 15  # a survey people finish


@pytest.mark.parametrize("platform", PLATFORMS)
def test_free_recall_export_of_the_sample_imports_to_the_canonical_network(tmp_path, canonical, as_at, platform):
    wave = list(SAMPLE_WAVES)[-1]
    people = pd.read_csv(FOLDER / "roster.csv", dtype=str, keep_default_na=False)
    ties = pd.read_csv(FOLDER / SAMPLE_WAVES[wave], dtype=str, keep_default_na=False)
    design = design_form(load_instrument("ics_relationships"), as_at[wave], wave=wave,
                         lists_from=list(as_at.values()), recall="free")
    submissions = answers_from_ties(design, ties, people, start=pd.Timestamp("2026-11-02 08:00").to_pydatetime())
    path = write_export(render(design, submissions, platform),
                        tmp_path / ("export.xlsx" if platform == "microsoft_forms" else "export.csv"), platform)
    result = import_responses(as_at[wave], path, key=SAMPLE_KEY, recipe=platform_recipe(design, platform),
                              aliases=design.aliases, wave=wave)
    _same_network(result.network, canonical[wave].network)
