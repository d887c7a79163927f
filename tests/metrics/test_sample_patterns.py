"""The sample partnership shows what its generator planted (sample_data/ground_truth.json)."""

from __future__ import annotations

import json

import pytest

from onatool import analyse
from onatool.sample import load_sample, sample_dir, sample_person_id


@pytest.fixture(scope="module")
def sample():
    truth = json.loads((sample_dir() / "ground_truth.json").read_text())
    waves = [analyse(result.network) for result in load_sample()]
    return truth, waves


def ids(truth, key):
    return [sample_person_id(roster_id) for roster_id in truth[key]]


def test_boundary_spanners_lead_on_boundary_measures(sample):
    truth, (baseline, _) = sample
    spanners = ids(truth, "boundary_spanners")
    for column in ("external_organisation", "betweenness", "liaison_organisation"):
        rank = baseline.people[column].rank(pct=True)
        assert (rank[spanners] >= 0.9).all(), column


def test_cohort_gains_cross_organisation_contacts(sample):
    truth, (baseline, follow_up) = sample
    both = baseline.people.index.intersection(follow_up.people.index)
    gain = (follow_up.people.loc[both, "external_organisation"]
            - baseline.people.loc[both, "external_organisation"])
    in_cohort = gain.index.isin(ids(truth, "cohort"))
    assert gain[in_cohort].mean() > 3 * max(gain[~in_cohort].mean(), 0.1)


def test_respondents_who_named_nobody_have_out_degree_zero_not_unknown(sample):
    truth, (baseline, _) = sample
    named_nobody = [sample_person_id(x) for x in truth["planted_named_nobody"]["baseline"]]
    assert (baseline.people.loc[named_nobody, "out_degree"] == 0).all()
    assert baseline.people.loc[~baseline.people["responded"], "out_degree"].isna().all()


def test_organisations_are_silos_beyond_chance(sample):
    _, (baseline, _) = sample
    network = baseline.network
    assert network["ei_organisation"] < network["ei_expected_organisation"]
    assert network["ei_p_organisation"] < 0.01
    assert network["assortativity_organisation"] > 0.5


@pytest.mark.parametrize("wave", ["baseline", "follow-up"])
def test_levels_match_the_generator_counts(wave):
    # The generator counts these directly from its own tables (ground_truth.json, summary.waves).
    truth = json.loads((sample_dir() / "ground_truth.json").read_text())["summary"]["waves"][wave]["advice"]
    network = {r.network.wave: r.network for r in load_sample()}[wave]
    result = analyse(network, relation="advice")
    assert result.levels["bottom_reach_to_top"]["value"] == pytest.approx(truth["bottom_reach_to_top"], abs=1e-4)
    assert result.levels["top_peer_density_cross_org"]["value"] == pytest.approx(
        truth["top_top_density_cross_org"], abs=1e-4)
    assert result.network["ei_organisation"] == pytest.approx(truth["ei_organisation"], abs=1e-4)
    assert result.network["reciprocity"] == pytest.approx(truth["reciprocity"], abs=1e-3)
    # Silos by organisation, tops who barely know each other across organisations, limited reach.
    assert result.network["ei_organisation"] < -0.3
    assert result.levels["top_peer_density_cross_org"]["value"] < truth["top_top_density_same_org"] / 5
    assert result.levels["bottom_reach_to_top"]["value"] < 0.5
