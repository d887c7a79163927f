"""The sample place's PARTNER ratings: the measures find the planted valued organisation and the low-trust pair."""

import json

import pytest

from onatool.io import read_roster
from onatool.io.ratings import read_ratings
from onatool.metrics.partner import partner_scores
from onatool.sample import SAMPLE_KEY, sample_dir
from onatool.share.disclosure import Disclosure
from onatool.share.gate import release


@pytest.fixture(scope="module")
def sample():
    folder = sample_dir()
    truth = json.loads((folder / "ground_truth.json").read_text())["partner"]
    roster = read_roster(folder / "roster.csv", key=SAMPLE_KEY)
    read = read_ratings(folder / truth["file"], roster)
    pairs, organisations = partner_scores(read.answers, roster.people)
    return read, pairs, organisations, truth


def test_every_row_is_read_and_every_final_respondent_rates(sample):
    read, _, _, truth = sample
    assert read.report.balanced() and read.report.counts()["dropped"] == 0 and not read.report.items
    assert read.answers["person_id"].nunique() == truth["raters"]
    assert set(read.answers["score"]) == {1, 2, 3, 4}


def test_the_planted_organisation_is_valued_most_on_power_and_resources(sample):
    read, _, organisations, truth = sample
    assert organisations["value"].idxmax() == truth["valued_highly"]
    others = organisations.drop(index=truth["valued_highly"])
    assert organisations.loc[truth["valued_highly"], "value"] - others["value"].max() > 0.4
    by_dimension = read.answers.groupby(["rated", "dimension"])["score"].mean().unstack()
    for dimension in truth["valued_dimensions"]:
        assert by_dimension[dimension].idxmax() == truth["valued_highly"]
        assert by_dimension.loc[truth["valued_highly"], dimension] > truth["means"]["value"] + 0.8
    # its involvement was not planted: it sits with everyone else's
    involvement = by_dimension["level_of_involvement"]
    assert abs(involvement[truth["valued_highly"]] - involvement.drop(truth["valued_highly"]).mean()) < 0.3


def test_the_planted_pair_has_the_least_trust_of_any_pair_shown(sample):
    _, pairs, organisations, truth = sample
    low_from, low_to = truth["low_trust_pair"]
    shown = release("ratings", pairs, Disclosure(k=5)).dropna(subset=["trust"])
    assert (low_from, low_to) in shown.index and shown.loc[(low_from, low_to), "raters"] >= 10
    assert shown["trust"].idxmin() == (low_from, low_to)
    assert shown.loc[(low_from, low_to), "trust"] < truth["means"]["trust"] - 1
    others_of_target = shown.xs(low_to, level="rated").drop(index=low_from)
    assert (others_of_target["trust"] > truth["means"]["trust"] - 0.5).all()
    # the organisation as a whole is still trusted by the rest
    assert organisations.loc[low_to, "trust"] > 2.2


def test_the_committed_ratings_are_what_the_generator_writes_from_a_stream_of_their_own(tmp_path):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("sample_generate_partner", sample_dir() / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen  # dataclasses look their module up
    spec.loader.exec_module(gen)
    sample = gen.generate(2026)
    gen.write(sample, tmp_path)
    assert (tmp_path / "partner_ratings.csv").read_bytes() == (sample_dir() / "partner_ratings.csv").read_bytes()
    # without the plan, every other file is byte for byte the same: the ratings draw on nothing else
    from dataclasses import replace

    plain = gen.generate(2026, spec=replace(gen.NORTHMOOR, partner=None))
    gen.write(plain, tmp_path / "plain")
    assert not (tmp_path / "plain" / "partner_ratings.csv").exists()
    for name in ("roster.csv", "ties_baseline.csv", "ties_interim.csv", "ties_final.csv", "forums.csv"):
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / name).read_bytes(), name
    assert "partner" not in plain.truth and {k: v for k, v in sample.truth.items() if k != "partner"} == plain.truth
