"""onatool's metrics recover what the sample's generator planted (sample_data/ground_truth.json).

Exact figures come from the generator's own count of its tables (``summary``); the
planted patterns are checked with the tolerances stated in each test.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from onatool import analyse
from onatool.compare import cohort_change, compare_waves
from onatool.io.assemble import response_summary
from onatool.sample import SAMPLE_COHORTS, SAMPLE_WAVES, load_sample, sample_dir, sample_person_id

COHORT_1, COHORT_2 = SAMPLE_COHORTS


@pytest.fixture(scope="module")
def truth():
    return json.loads((sample_dir() / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def networks():
    return {r.network.wave: r.network for r in load_sample()}


@pytest.fixture(scope="module")
def analyses(networks):
    return {wave: analyse(net, relation="advice") for wave, net in networks.items()}


def ids(roster_ids):
    return [sample_person_id(roster_id) for roster_id in roster_ids]


def test_boundary_spanners_lead_on_boundary_measures(truth, analyses):
    spanners = ids(truth["boundary_spanners"])
    people = analyses["baseline"].people
    for column in ("external_organisation", "betweenness", "liaison_organisation"):
        rank = people[column].rank(pct=True)[spanners]
        # All but at most one spanner (one did not answer, so only others' answers count) in the top 10%.
        assert (rank >= 0.9).sum() >= len(spanners) - 1, column


def test_respondents_who_named_nobody_have_out_degree_zero_not_unknown(truth, analyses):
    people = analyses["baseline"].people
    named_nobody = ids(truth["planted_named_nobody"]["baseline"])
    assert (people.loc[named_nobody, "out_degree"] == 0).all()
    assert people.loc[~people["responded"], "out_degree"].isna().all()


def test_organisations_are_silos_beyond_chance(analyses):
    network = analyses["baseline"].network
    assert network["ei_organisation"] < network["ei_expected_organisation"]
    assert network["ei_p_organisation"] < 0.01
    assert network["assortativity_organisation"] > 0.5


def _available_case(net):
    """Reciprocity and cross-organisation top density by hand, over the pairs the answers cover.

    Written apart from onatool's vectorised code: a dense adjacency of advice ties, pairs
    restricted to respondents as metrics.md ("When some people did not answer") says.
    """
    people = net.people
    index = people.index
    a = np.zeros((len(index), len(index)), dtype=bool)
    advice = net.ties[(net.ties["relation"] == "advice") & (net.ties["weight"] > 0)]
    a[index.get_indexer(advice["source"]), index.get_indexer(advice["target"])] = True
    answered = people["responded"].to_numpy(dtype=bool)
    both = answered[:, None] & answered[None, :]
    reciprocity = (a & a.T & both).sum() / (a & both).sum()
    top = (people["level"] == "top").to_numpy()
    org = people["organisation"].to_numpy()
    rows = (top & answered)[:, None] & top[None, :] & (org[:, None] != org[None, :])
    return reciprocity, a[rows].sum() / rows.sum()


@pytest.mark.parametrize("wave", list(SAMPLE_WAVES))
def test_levels_match_the_generator_counts(truth, networks, analyses, wave):
    # The generator counts these directly from its own tables (ground_truth.json, summary.waves);
    # reach to a top is over the bottoms who answered (available case), as the generator's
    # ``bottom_reach_to_top_respondents``; reciprocity and top density over the pairs answered.
    expected = truth["summary"]["waves"][wave]["advice"]
    result = analyses[wave]
    reciprocity, top_density = _available_case(networks[wave])
    assert result.levels["bottom_reach_to_top"]["value"] == pytest.approx(
        expected["bottom_reach_to_top_respondents"], abs=1e-4)
    assert result.levels["top_peer_density_cross_org"]["value"] == pytest.approx(top_density, abs=1e-12)
    assert result.network["ei_organisation"] == pytest.approx(expected["ei_organisation"], abs=1e-4)
    assert result.network["reciprocity"] == pytest.approx(reciprocity, abs=1e-12)
    # Available case reads higher than counting non-respondents as "no" (issue 12).
    assert result.network["reciprocity"] > expected["reciprocity"]
    assert result.levels["bottom_reach_to_top"]["value"] >= expected["bottom_reach_to_top"]
    # Silos by organisation, tops who barely know each other across organisations, limited reach.
    assert result.network["ei_organisation"] < -0.2
    assert result.levels["top_peer_density_cross_org"]["value"] < expected["top_top_density_same_org"] / 2
    assert result.levels["bottom_reach_to_top"]["value"] < 0.6


# Response ---------------------------------------------------------------------------------


@pytest.mark.parametrize("wave", list(SAMPLE_WAVES))
def test_response_by_level_matches_and_tops_answer_least(truth, networks, wave):
    expected = truth["summary"]["waves"][wave]
    summary = response_summary(networks[wave])
    assert (summary["people"], summary["respondents"]) == (expected["people"], expected["respondents"])
    by_level = {row["group"]: row for row in summary["by_group"]["level"]}
    for level, figures in expected["response_by_level"].items():
        assert by_level[level]["response_rate"] == pytest.approx(figures["response_rate"], abs=1e-4)
    rates = {level: row["response_rate"] for level, row in by_level.items()}
    # Tops lowest, by at least 15 points below each other level, in every wave.
    assert rates["top"] + 0.15 <= min(rates["middle"], rates["bottom"])


def test_response_drifts_down_and_one_organisation_falls_away(networks):
    rates = [networks[w].response_rate for w in SAMPLE_WAVES]
    assert rates[0] > rates[1] > rates[2] and rates[0] - rates[2] > 0.08
    by_org = {w: {row["group"]: row["response_rate"] for row in response_summary(networks[w])["by_group"]["organisation"]}
              for w in SAMPLE_WAVES}
    ambulance = next(name for name in by_org["baseline"] if "Ambulance" in name)
    # The ambulance service answered like the rest at baseline, then fell away by 30 points or more.
    assert by_org["baseline"][ambulance] >= 0.6
    assert by_org["interim"][ambulance] <= by_org["baseline"][ambulance] - 0.3


# Turnover ---------------------------------------------------------------------------------


@pytest.mark.parametrize("first, second", [("baseline", "interim"), ("interim", "final")])
def test_joiners_leavers_and_people_who_changed(truth, networks, first, second):
    comparison = compare_waves([networks[first], networks[second]], relation="advice", permutations=0)
    assert set(comparison.joiners) == set(ids(truth["joiners"][second]))
    assert set(comparison.leavers) == set(ids(truth["leavers"][second]))
    # About 10% a year: 20 to 30 leavers, as many joiners, of about 250.
    n = networks[first].n_people
    assert 0.08 * n <= len(comparison.leavers) <= 0.12 * n and len(comparison.joiners) == len(comparison.leavers)
    before, after = networks[first].people, networks[second].people
    both = before.index.intersection(after.index)
    moved = both[(before.loc[both, "organisation"] != after.loc[both, "organisation"]).to_numpy()]
    promoted = both[(before.loc[both, "level"] != after.loc[both, "level"]).to_numpy()]
    assert set(moved) == set(ids(truth["moved_organisation"][second]))
    assert set(promoted) == set(ids(truth["promoted"][second]))
    assert (after.loc[promoted, "level"] == "middle").all() and (before.loc[promoted, "level"] == "bottom").all()


# The programmes ------------------------------------------------------------------------


@pytest.mark.parametrize("cohort", SAMPLE_COHORTS)
def test_cohorts_were_selected_more_senior_and_cohort_1_more_central(truth, analyses, cohort):
    expected = truth["summary"]["selection"][cohort]
    people = analyses[expected["wave"]].people
    member = people.index.isin(ids(truth["cohorts"][cohort]))
    in_degree = people["in_degree"]
    assert in_degree[member].mean() == pytest.approx(expected["cohort_mean_in_degree"], abs=1e-4)
    assert in_degree[~member].mean() == pytest.approx(expected["others_mean_in_degree"], abs=1e-4)
    senior = people["level"].isin(["top", "middle"])
    # Nominated: more tops and middles than the rest, by 10 points or more.
    assert senior[member].mean() >= senior[~member].mean() + 0.1
    if cohort == COHORT_1:
        # Already more central before the programme: 15% more often named for advice.
        assert in_degree[member].mean() >= 1.15 * in_degree[~member].mean()


@pytest.mark.parametrize("cohort, first, second", [(COHORT_1, "baseline", "interim"), (COHORT_2, "interim", "final")])
def test_new_ties_within_cohort_and_spillover(truth, networks, cohort, first, second):
    expected = truth["summary"]["change"][f"{first} to {second}"]["new_cross_org_ties"]
    comparison = compare_waves([networks[first], networks[second]], relation="advice", permutations=0)
    ties = comparison.ties
    members = set(ids(truth["cohorts"][cohort]))
    compared = comparison.people.index[comparison.people["compared"].astype(bool)]
    in_cohort = np.isin(ties["source"], list(members)).astype(int) + np.isin(ties["target"], list(members))
    new_cross = (ties["status"] == "new") & ties["crosses_organisation"].fillna(False).astype(bool)
    rates = {}
    for name, ends in (("within_cohort", 2), ("cohort_and_others", 1), ("others", 0)):
        count = int((new_cross & (in_cohort == ends)).sum())
        assert count == expected[name]["new_ties"], name
        rates[name] = count / expected[name]["open_pairs"]
    assert len(compared) == truth["summary"]["change"][f"{first} to {second}"]["respondents_in_both_waves"]
    # Planted: participants formed ties with each other (rate 5 times or more that of
    # participant and non-participant), and some with non-participants (spillover: 1.5
    # times or more the rate between non-participants).
    assert rates["within_cohort"] >= 5 * rates["cohort_and_others"]
    assert rates["cohort_and_others"] >= 1.5 * rates["others"]


def test_cohort_1_programme_ties_partly_decay_after_it_ends(truth, networks):
    expected = truth["summary"]["decay"][COHORT_1]
    waves = [networks[w] for w in SAMPLE_WAVES]
    everyone = set.intersection(*(set(net.respondents) for net in waves))
    first = compare_waves(waves[:2], relation="advice", permutations=0).ties
    second = compare_waves(waves[1:], relation="advice", permutations=0).ties
    members = set(ids(truth["cohorts"][COHORT_1]))

    def among_everyone(table):
        return table[table["source"].isin(everyone) & table["target"].isin(everyone)]

    first, second = among_everyone(first), among_everyone(second)
    new = first[(first["status"] == "new") & first["crosses_organisation"].fillna(False).astype(bool)]
    still = set(zip(*second.loc[second["status"] == "stable", ["source", "target"]].T.to_numpy(), strict=True))
    ends = new["source"].isin(members).astype(int) + new["target"].isin(members)
    shares = {}
    for name, k in (("within_cohort", 2), ("cohort_and_others", 1), ("others", 0)):
        pairs = list(zip(new.loc[ends == k, "source"], new.loc[ends == k, "target"], strict=True))
        kept = sum(pair in still for pair in pairs)
        assert (len(pairs), kept) == (expected[name]["new_ties"], expected[name]["still_ties"]), name
        shares[name] = kept / len(pairs)
    # Partial decay: some programme ties last, but fewer than other new ties (by 15 points or more).
    assert 0.1 <= shares["within_cohort"] <= shares["others"] - 0.15
    assert shares["cohort_and_others"] <= shares["others"] - 0.15


def test_cohort_1_gains_more_cross_organisation_contacts_than_others(networks):
    result = cohort_change(networks["baseline"], networks["interim"], COHORT_1, relation="advice",
                           permutations=200)
    new = result["measures"]["new_external_organisation"]
    assert new["difference"] > 0 and new["p"] < 0.01
    assert new["cohort_mean"] >= 2 * new["others_mean"]
