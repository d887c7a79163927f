"""The sample partnership's two waves show the change its generator planted."""

import json

import pandas as pd
import pytest

from onatool.compare import cohort_change, compare_waves, qap, tie_churn, write_comparison
from onatool.metrics import analyse
from onatool.pseudonyms import pseudonym
from onatool.sample import SAMPLE_KEY, load_sample, sample_dir

TRUTH = json.loads((sample_dir() / "ground_truth.json").read_text())
CHANGE = TRUTH["summary"]["change"]


@pytest.fixture(scope="module")
def waves():
    return [r.network for r in load_sample()]


def ids(roster_ids):
    return {pseudonym(SAMPLE_KEY, i) for i in roster_ids}


def test_advice_churn_matches_ground_truth(waves):
    churn = tie_churn(*waves, relation="advice")
    # ground_truth.json counts advice ties among the people who answered both waves,
    # which is compare's default rule.
    assert churn["people_compared"] == CHANGE["respondents_in_both_waves"]
    assert (churn["stable"], churn["lost"], churn["new"]) == (
        CHANGE["advice_stable"], CHANGE["advice_lost"], CHANGE["advice_new"])
    assert churn["jaccard"] == pytest.approx(CHANGE["advice_jaccard_respondents_in_both_waves"], abs=1e-4)
    assert qap(*waves, relation="advice", permutations=200)["qap_p"] < 0.01


def test_cohort_gains_more_cross_organisation_contacts(waves):
    # Everyone present in both waves (present="all") is the ground truth's own population
    # for this figure: the means must match it exactly.
    truth = CHANGE["new_cross_org_contacts"]["present_in_both_waves"]
    everyone = cohort_change(*waves, "Leadership programme", relation="advice", present="all")
    new = everyone["measures"]["new_external_organisation"]
    assert (everyone["members"], everyone["people_compared"]) == (truth["cohort"], truth["people"])
    assert new["cohort_mean"] == pytest.approx(truth["cohort_mean"], abs=1e-4)
    assert new["others_mean"] == pytest.approx(truth["others_mean"], abs=1e-4)
    # Under the default rule (answered both waves, contacts among them) the planted
    # change still stands out: more new contacts across organisations, p small.
    default = cohort_change(*waves, "Leadership programme", relation="advice")
    members = ids(TRUTH["cohort"]) & set(waves[0].respondents) & set(waves[1].respondents)
    assert default["members"] == len(members) == CHANGE["new_cross_org_contacts"]["responded_in_both_waves"]["cohort"]
    for measure in ("new_external_organisation", "external_organisation_change", "ei_organisation_change"):
        result = default["measures"][measure]
        assert result["difference"] > 0 and result["p"] < 0.01, measure


@pytest.fixture(scope="module")
def comparison(waves):
    return compare_waves(waves, relation="advice", cohort="Leadership programme", permutations=200)


def test_joiners_and_leavers_listed_apart(comparison):
    assert set(comparison.joiners) == ids(TRUTH["joiners"])
    assert set(comparison.leavers) == ids(TRUTH["leavers"])
    ends = set(comparison.ties["source"]) | set(comparison.ties["target"])
    assert not ends & (ids(TRUTH["joiners"]) | ids(TRUTH["leavers"]))
    assert len(comparison.not_compared) == CHANGE["people_in_both_waves"] - CHANGE["respondents_in_both_waves"]


def test_deltas_are_each_waves_own_analysis(waves, comparison, tmp_path):
    first, last = (analyse(w, relation="advice") for w in waves)
    people = comparison.people
    # Everyone on both waves' tables: 200 on the roster less 3 joiners and 3 leavers.
    assert len(people) == CHANGE["people_in_both_waves"]
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
    assert network["ei_organisation"] > 0  # less siloed at follow-up, as planted (-0.54 -> -0.40)
    assert network["levels.bottom_reach_to_top"] == pytest.approx(
        last.levels["bottom_reach_to_top"]["value"] - first.levels["bottom_reach_to_top"]["value"])
    assert "levels.block_density.top.middle" in network.index and "health.reciprocity" in network.index
    written = {p.name for p in write_comparison(comparison, tmp_path)}
    assert {"groups_change_organisation.csv", "groups_change_level.csv", "cohort.json"} <= written
