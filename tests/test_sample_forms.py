"""The sample partnership as users bring it: Microsoft Forms exports import to the canonical sample."""

from __future__ import annotations

import importlib.util
import sys

import pandas as pd
import pytest

from onatool.io import import_responses, load_aliases, read_roster
from onatool.sample import SAMPLE_KEY, load_sample, sample_dir

FOLDER = sample_dir()
WAVES = {"baseline": "forms_baseline.xlsx", "follow-up": "forms_followup.xlsx"}
#: Every way an imported row may differ from the canonical files, each explained.
EXPLAINED = {
    "changed: name matched by alias",  # a partial name a person decided (forms_aliases.yaml)
    "changed: name matched by fuzzy",  # a letter missing or doubled, clearly one person
    "dropped: duplicate submission, an earlier response; the latest complete one kept",
    "dropped: self-tie",
    "dropped: repeated tie (highest weight kept)",
    "dropped: named person not on the roster",
}


def _module():
    spec = importlib.util.spec_from_file_location("sample_forms_export", FOLDER / "forms_export.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def canonical():
    return {r.network.wave: r for r in load_sample()}


@pytest.fixture(scope="module")
def imported():
    roster = read_roster(FOLDER / "roster.csv", key=SAMPLE_KEY)
    return {wave: import_responses(roster, FOLDER / file, key=SAMPLE_KEY, recipe=FOLDER / "forms_recipe.yaml",
                                   aliases=FOLDER / "forms_aliases.yaml", wave=wave)
            for wave, file in WAVES.items()}


def _sorted(ties: pd.DataFrame) -> pd.DataFrame:
    return ties.sort_values(["source", "target", "relation"]).reset_index(drop=True)


@pytest.mark.parametrize("wave", list(WAVES))
def test_forms_export_reproduces_the_canonical_ties_exactly(canonical, imported, wave):
    mine, theirs = imported[wave].network, canonical[wave].network
    pd.testing.assert_frame_equal(_sorted(mine.ties), _sorted(theirs.ties))
    assert set(mine.respondents) == set(theirs.respondents)
    assert list(mine.people.index) == list(theirs.people.index)


@pytest.mark.parametrize("wave", list(WAVES))
def test_every_difference_is_explained_in_the_report(imported, wave):
    report = imported[wave].report
    assert report.balanced()
    assert set(report.reasons()) <= EXPLAINED
    assert report.counts()["doubted"] == 0 and not report.review()
    reasons = report.reasons()
    # the planted ugly cases, one of each per wave (see forms_export.py)
    for planted in ("dropped: duplicate submission, an earlier response; the latest complete one kept",
                    "dropped: self-tie", "dropped: repeated tie (highest weight kept)",
                    "dropped: named person not on the roster"):
        assert reasons[planted] == 1, planted
    assert reasons["changed: name matched by fuzzy"] > 20 and reasons["changed: name matched by alias"] > 10
    dropped = {c["column"]: c["reason"] for c in report.columns_dropped}
    assert dropped["Name"].startswith("identifying") and set(dropped) == {"ID", "Start time", "Name"}


def test_without_the_alias_file_partial_names_wait_for_a_person(canonical):
    roster = read_roster(FOLDER / "roster.csv", key=SAMPLE_KEY)
    result = import_responses(roster, FOLDER / WAVES["baseline"], key=SAMPLE_KEY,
                              recipe=FOLDER / "forms_recipe.yaml", wave="baseline")
    waiting = {n["raw"] for n in result.report.review()}
    decided = {a.raw for a in load_aliases(FOLDER / "forms_aliases.yaml").values()}
    assert waiting and waiting <= decided
    missing = len(canonical["baseline"].network.ties) - len(result.network.ties)
    assert missing == result.report.reasons()["doubted: named person resembles someone on the roster: awaiting review"]


def test_the_committed_exports_are_what_the_script_writes(tmp_path):
    module = _module()
    written = module.write(module.build(FOLDER), tmp_path)
    for path in written:
        assert path.read_bytes() == (FOLDER / path.name).read_bytes(), path.name


def test_the_export_looks_like_microsoft_forms():
    first = pd.read_excel(FOLDER / WAVES["baseline"], header=None, nrows=2)
    header = list(first.iloc[0])
    assert header[:6] == ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    cell = str(first.iloc[1, 6])
    assert cell.endswith(";") or cell == "nan"
    assert sum(str(h).startswith("How often do you work together with each of these people?.") for h in header) == 197


