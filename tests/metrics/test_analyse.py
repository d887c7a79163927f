"""analyse() and write_analysis(): everything at once, parameters recorded, files written through the gate."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from ona_networks import random_network

import onatool
from onatool import Analysis, Network, analyse, schema, write_analysis
from onatool.errors import EmptyNetworkError, NotDefinedError
from onatool.metrics import boundary, centrality, person_columns
from onatool.share.disclosure import Disclosure
from onatool.share.gate import Gate


def _analyst_gate() -> Gate:
    return Gate.for_analyst(Disclosure(), user="tester", project="p", audit=lambda *entry: None,
                            detail="test")


@pytest.fixture
def wave(messy) -> Network:
    return messy


def test_people_table_holds_every_person_measure(wave):
    result = analyse(wave)
    attrs = ["organisation", "sector", "profession", "level"]
    assert result.params["attributes"] == attrs
    assert list(result.people.columns) == [*attrs, schema.RESPONDED, *person_columns(attrs)]
    assert result.people.index.equals(wave.people.index)
    # Same values as the functions one by one.
    pd.testing.assert_series_equal(result.people["betweenness"], centrality.betweenness(wave))
    pd.testing.assert_series_equal(result.people["ei_level"], boundary.ei(wave, "level"))


def test_groups_network_levels_health(wave):
    result = analyse(wave)
    assert set(result.groups) == set(result.mixing) == set(result.block_density) == {
        "organisation", "sector", "profession", "level"}
    assert list(result.groups["level"].index) == ["top", "middle", "bottom"]
    for key in ("people", "respondents", "response_rate", "ties", "density", "reciprocity",
                "transitivity", "transitivity_undirected", "centralization_in_degree",
                "centralization_out_degree", "centralization_betweenness", "components",
                "largest_component_share", "isolates", "modularity_community",
                "ei_organisation", "ei_expected_organisation", "ei_p_organisation",
                "assortativity_organisation", "modularity_organisation"):
        assert key in result.network, key
    assert result.levels is not None and "middle_liaison_share" in result.levels
    assert "two_step_reach" in result.health
    assert result.params["levels"] == "computed"


def test_params_record_how_it_was_computed(wave):
    params = analyse(wave, seed=4).params
    assert params["wave"] == wave.wave and params["relation"] == "tie"
    assert params["merged"] is False and params["min_weight"] is None
    assert params["symmetric"] is False and params["seed"] == 4
    assert params["onatool_version"] == onatool.__version__
    assert params["betweenness"] == {"method": "exact", "samples": None,
                                     "standard_error_rms": 0.0, "standard_error_max": 0.0}


def test_sampled_betweenness_is_stated(wave):
    params = analyse(wave, betweenness_samples=20).params["betweenness"]
    assert params["method"] == "sampled" and params["samples"] == 20
    assert params["standard_error_max"] > 0


def test_several_relations_are_merged_and_said_so():
    ties = pd.DataFrame({
        "source": ["a", "b", "c"], "target": ["b", "c", "a"],
        "relation": ["advice", "trust", "trust"], "weight": [1.0, 2.0, 0.0],
        "raw_value": ["1", "2", "0"],
    })
    people = pd.DataFrame({"responded": [True] * 3},
                          index=pd.Index(["a", "b", "c"], name="person_id"))
    net = Network(people, ties)
    result = analyse(net)
    assert result.params["merged"] and result.params["relations"] == ["advice", "trust"]
    assert "merged" in result.params["note"]
    assert result.network["ties"] == 2  # c -> a has weight 0: not a tie
    assert analyse(net, relation="trust").network["ties"] == 1
    assert analyse(net, min_weight=2).network["ties"] == 1


def test_attributes_can_be_chosen_and_must_exist(wave):
    result = analyse(wave, attributes=["sector"])
    assert list(result.groups) == ["sector"]
    assert "ei_sector" in result.people and "ei_level" not in result.people
    with pytest.raises(NotDefinedError, match="'team'"):
        analyse(wave, attributes=["team"])


def test_no_level_column_means_no_levels_not_an_error():
    net = Network.from_edges([("a", "b"), ("b", "c")], people={"a": {"organisation": "X"}})
    result = analyse(net)
    assert result.levels is None
    assert result.params["levels"].startswith("not defined")


def test_empty_network_is_refused():
    people = pd.DataFrame({"responded": pd.Series([], dtype=bool)},
                          index=pd.Index([], name="person_id", dtype=object))
    ties = pd.DataFrame(columns=list(schema.TIE_COLUMNS))
    with pytest.raises(EmptyNetworkError):
        analyse(Network(people, ties))


def test_reproducible_and_input_unchanged(wave):
    people, ties = wave.people.copy(deep=True), wave.ties.copy(deep=True)
    first, second = analyse(wave, seed=2), analyse(wave, seed=2)
    pd.testing.assert_frame_equal(first.people, second.people)
    assert first.network == pytest.approx(second.network, nan_ok=True)
    pd.testing.assert_frame_equal(wave.people, people)
    pd.testing.assert_frame_equal(wave.ties, ties)


def test_previous_wave_gives_change_in_health(wave):
    before = analyse(wave)
    after = analyse(random_network(40, 200, seed=7), previous=before)
    assert after.params["previous_wave"] == wave.wave
    assert after.health["reciprocity"]["change"] in ("up", "down", "same")


def test_write_analysis(tmp_path, wave):
    result = analyse(wave)
    identities = pd.DataFrame(
        {"id": [f"R{k}" for k in range(wave.n_people)],
         "name": ["=HYPERLINK(\"x\")"] + [f"Person {k}" for k in range(1, wave.n_people)]},
        index=wave.people.index,
    )
    written = write_analysis(result, wave, tmp_path, _analyst_gate(), identities=identities,
                             key_fingerprint="k-1234")
    names = {p.name for p in written}
    assert json.loads((tmp_path / "parameters.json").read_text())["key_fingerprint"] == "k-1234"
    assert {"people.csv", "network.json", "levels.json", "health.json", "parameters.json",
            "groups_organisation.csv", "mixing_level.csv", "block_density_sector.csv"} <= names
    people = pd.read_csv(tmp_path / "people.csv", encoding="utf-8-sig")
    assert list(people.columns[:3]) == ["person_id", "id", "name"]
    assert people.loc[0, "name"].startswith("'=")  # formula-safe
    assert len(people) == wave.n_people
    text = (tmp_path / "network.json").read_text()
    assert "NaN" not in text
    network = json.loads(text)
    assert list(network) == sorted(network)
    assert network["params"]["wave"] == wave.wave
    mixing = pd.read_csv(tmp_path / "mixing_level.csv", index_col=0, encoding="utf-8-sig")
    assert list(mixing.index) == ["top", "middle", "bottom"]


def test_write_analysis_without_identities_has_no_names(tmp_path, wave):
    write_analysis(analyse(wave), wave, tmp_path, Gate())
    header = (tmp_path / "people.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("person_id,") and ",name," not in header


def test_nan_is_written_as_null(tmp_path):
    net = Network.from_edges([("a", "b")], symmetric=True)
    result = analyse(net)
    assert math.isnan(result.network["reciprocity"])
    write_analysis(result, net, tmp_path, Gate())
    assert json.loads((tmp_path / "network.json").read_text())["reciprocity"] is None


def test_analysis_is_frozen(wave):
    result = analyse(wave)
    assert isinstance(result, Analysis)
    with pytest.raises(AttributeError):
        result.network = {}  # type: ignore[misc]
    assert np.isfinite(result.network["density"])
