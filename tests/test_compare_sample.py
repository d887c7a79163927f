"""The sample place's three waves show the change its generator planted."""

import json

import pandas as pd
import pytest

from onatool.compare import cohort_change, compare_waves, qap, tie_churn
from onatool.metrics import analyse
from onatool.outputs.writers import write_comparison
from onatool.pseudonyms import pseudonym
from onatool.sample import SAMPLE_COHORTS, SAMPLE_KEY, load_sample, sample_dir
from onatool.share.gate import Gate

TRUTH = json.loads((sample_dir() / "ground_truth.json").read_text())
PAIRS = [("baseline", "interim"), ("interim", "final")]


@pytest.fixture(scope="module")
def waves():
    return {r.network.wave: r.network for r in load_sample()}


def ids(roster_ids):
    return {pseudonym(SAMPLE_KEY, i) for i in roster_ids}


@pytest.mark.parametrize("first, second", PAIRS)
def test_advice_churn_matches_ground_truth(waves, first, second):
    change = TRUTH["summary"]["change"][f"{first} to {second}"]
    churn = tie_churn(waves[first], waves[second], relation="advice")
    # ground_truth.json counts advice ties among the people who answered both waves,
    # which is compare's default rule.
    assert churn["people_compared"] == change["respondents_in_both_waves"]
    assert (churn["stable"], churn["lost"], churn["new"]) == (
        change["advice_stable"], change["advice_lost"], change["advice_new"])
    assert churn["jaccard"] == pytest.approx(change["advice_jaccard_respondents_in_both_waves"], abs=1e-4)
    assert qap(waves[first], waves[second], relation="advice", permutations=200)["qap_p"] < 0.01


def test_cohort_1_gains_more_cross_organisation_contacts(waves):
    # Under the default rule (answered both waves, contacts among them) the planted
    # change stands out: more new contacts across organisations, p small.
    result = cohort_change(waves["baseline"], waves["interim"], SAMPLE_COHORTS[0], relation="advice")
    members = ids(TRUTH["cohorts"][SAMPLE_COHORTS[0]]) & set(waves["baseline"].respondents) & set(
        waves["interim"].respondents)
    assert result["members"] == len(members) == TRUTH["summary"]["change"]["baseline to interim"][
        "cohort_members_compared"]
    for measure in ("new_external_organisation", "external_organisation_change", "ei_organisation_change"):
        figures = result["measures"][measure]
        assert figures["difference"] > 0 and figures["p"] < 0.01, measure


@pytest.fixture(scope="module")
def comparison(waves):
    return compare_waves(list(waves.values()), relation="advice", cohort=SAMPLE_COHORTS[0], permutations=200)


def test_joiners_and_leavers_listed_apart(comparison):
    # First wave to latest: everyone who joined at interim or final, less those who left again
    # (nobody does in the sample); everyone who left by final.
    joiners = ids(TRUTH["joiners"]["interim"]) | ids(TRUTH["joiners"]["final"])
    leavers = ids(TRUTH["leavers"]["interim"]) | ids(TRUTH["leavers"]["final"])
    assert set(comparison.joiners) == joiners and set(comparison.leavers) == leavers
    ends = set(comparison.ties["source"]) | set(comparison.ties["target"])
    assert not ends & (joiners | leavers)
    assert comparison.timeline is not None and len(comparison.timeline) == 3


def test_deltas_are_each_waves_own_analysis(waves, comparison, tmp_path):
    first, last = analyse(waves["baseline"], relation="advice"), analyse(waves["final"], relation="advice")
    people = comparison.people
    # Everyone on the first and the latest wave's tables: 250 less the 48 who left.
    stayed = len(set(waves["baseline"].people.index) & set(waves["final"].people.index))
    assert len(people) == stayed == 250 - len(TRUTH["leavers"]["interim"]) - len(TRUTH["leavers"]["final"])
    for measure in ("in_degree", "betweenness", "external_organisation"):
        pd.testing.assert_series_equal(people[f"{measure}_baseline"], first.people[measure].reindex(people.index),
                                       check_names=False, check_dtype=False)
        pd.testing.assert_series_equal(people[f"{measure}_change"],
                                       (last.people[measure] - first.people[measure]).reindex(people.index),
                                       check_names=False, check_dtype=False)
    groups = comparison.groups["organisation"]
    expected = last.groups["organisation"]["ei"] - first.groups["organisation"]["ei"]
    pd.testing.assert_series_equal(groups["ei_change"], expected.reindex(groups.index), check_names=False)
    network = comparison.network["change"]
    assert network["ei_organisation"] == pytest.approx(last.network["ei_organisation"] - first.network["ei_organisation"])
    # Less siloed by final, as planted (ground truth: -0.60 at baseline, -0.23 at final).
    assert network["ei_organisation"] > 0
    assert network["levels.bottom_reach_to_top"] == pytest.approx(
        last.levels["bottom_reach_to_top"]["value"] - first.levels["bottom_reach_to_top"]["value"])
    assert "levels.block_density.top.middle" in network.index and "health.reciprocity" in network.index
    written = {p.name for p in write_comparison(comparison, tmp_path, Gate(), people=waves["final"].people)}
    assert {"groups_change_organisation.csv", "groups_change_level.csv", "cohort.json"} <= written


def test_identical_ties_with_falling_response_read_no_clear_change_everywhere(tmp_path):
    """Issue 12: the same ties in both waves, response falling from 78% to 59%.

    Before, the dashboard called any difference over 0.0005, and 10 of its 11 indicators
    read "worse". On the balanced panel the network has not changed, so every indicator,
    in the comparison, the latest health and the files written, reads "no clear change".
    """
    import numpy as np

    from onatool import Network, schema

    first = load_sample()[0].network
    rng = np.random.default_rng(7)
    silent = first.people.index[rng.random(first.n_people) < 0.25]
    people = first.people.assign(**{schema.RESPONDED: first.people[schema.RESPONDED]
                                    & ~first.people.index.isin(silent)})
    ties = first.ties[~first.ties[schema.SOURCE].isin(silent)].reset_index(drop=True)
    second = Network(people, ties, "later", first.relations)
    assert second.response_rate < first.response_rate - 0.15

    comparison = compare_waves([first, second], relation="advice", permutations=0)
    indicators = {k: e for k, e in comparison.health.items() if not k.startswith("inclusion")}
    assert len(indicators) == 11
    # Reciprocity of advice has no better direction (it runs one way by nature): no verdict at all.
    undirected = {k for k, e in indicators.items() if e["better"] is None}
    assert undirected == {"reciprocity", "upward_reciprocity"}
    assert {e["assessment"] for k, e in indicators.items() if k not in undirected} == {"no clear change"}
    assert all(indicators[k]["assessment"] is None for k in undirected)
    panel = comparison.network.dropna(subset=["verdict"])
    assert set(panel["verdict"]) == {"no clear change"}
    assert (panel["panel_change"].abs() < 1e-12).all()
    summary = comparison.summary["panel"]
    assert summary["people"] == len(second.respondents)
    assert (summary["resamples"], summary["seed"]) == (200, 0)
    assert summary["assessments"] == {"no clear change": 11}

    write_comparison(comparison, tmp_path, Gate(), people=second.people)
    written = pd.read_csv(tmp_path / "network_change.csv", index_col=0)
    assert set(written["verdict"].dropna()) == {"no clear change"}
    assert json.loads((tmp_path / "change.json").read_text())["panel"]["assessments"] == {"no clear change": 11}
