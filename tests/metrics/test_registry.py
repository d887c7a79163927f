"""One contract over every registered measure, on several networks.

Each person result is indexed by exactly the people, named as registered, inside its
documented range (NaN only where the spec says when), and the input Network is unchanged.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ona_networks import random_network

from onatool import Network
from onatool.errors import NotDefinedError
from onatool.metrics import REGISTRY, MetricSpec, spec_for

FIXTURES = ["kite", "karate", "florentine", "messy", "messy_symmetric", "no_ties", "star"]


@pytest.fixture
def messy_symmetric() -> Network:
    return random_network(30, 70, seed=11, symmetric=True)


@pytest.fixture
def no_ties() -> Network:
    return Network.from_edges([], people={"a": {"organisation": "X", "level": "top"},
                                          "b": {"organisation": "Y", "level": "bottom"}})


def attributes_of(net: Network) -> list[str]:
    return [a for a in ("organisation", "sector", "profession", "level", "club")
            if a in net.people.columns]


def snapshot(net: Network):
    return net.people.copy(deep=True), net.ties.copy(deep=True), net.wave, dict(net.relations)


def assert_unchanged(net: Network, before) -> None:
    people, ties, wave, relations = before
    pd.testing.assert_frame_equal(net.people, people)
    pd.testing.assert_frame_equal(net.ties, ties)
    assert net.wave == wave and dict(net.relations) == relations


def assert_in_range(values, spec: MetricSpec, where: str) -> None:
    values = np.asarray(values, dtype=float).ravel()
    nan = np.isnan(values)
    if nan.any():
        assert spec.missing, f"{where}: NaN but the spec documents none"
    if spec.range is not None:
        lo, hi = spec.range
        inside = values[~nan]
        assert ((inside >= lo - 1e-9) & (inside <= hi + 1e-9)).all(), (
            f"{where}: outside [{lo}, {hi}]: {inside.min()}..{inside.max()}"
        )


def calls(spec: MetricSpec, net: Network):
    """(name in results, result) for each attribute the measure applies to."""
    if not spec.per_attribute:
        yield spec.name, spec.function(net)
        return
    for attribute in attributes_of(net):
        yield f"{spec.name}_{attribute}", spec.function(net, attribute)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_person_measures(fixture, request):
    net = request.getfixturevalue(fixture)
    before = snapshot(net)
    for spec in (s for s in REGISTRY.values() if s.level == "person"):
        for name, result in calls(spec, net):
            assert isinstance(result, pd.Series), name
            assert result.name == name
            assert result.index.equals(net.people.index), name
            assert_in_range(result, spec, f"{fixture}: {name}")
    assert_unchanged(net, before)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_group_and_network_measures(fixture, request):
    net = request.getfixturevalue(fixture)
    before = snapshot(net)
    for spec in (s for s in REGISTRY.values() if s.level in ("group", "network")):
        for name, result in calls(spec, net):
            if spec.level == "group":
                assert isinstance(result, pd.DataFrame), name
                values = result[spec.name] if spec.name in result.columns else result
                if spec.name in ("mixing", "block_density"):
                    assert list(result.index) == list(result.columns)
                assert_in_range(values, spec, f"{fixture}: {name}")
            else:
                assert np.ndim(result) == 0, name
                value = float(result)
                if not math.isnan(value):
                    assert_in_range([value], spec, f"{fixture}: {name}")
    assert_unchanged(net, before)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_levels_and_health_measures(fixture, request):
    net = request.getfixturevalue(fixture)
    before = snapshot(net)
    for spec in (s for s in REGISTRY.values() if s.level in ("levels", "health")):
        try:
            results = list(calls(spec, net))
        except NotDefinedError:
            assert spec.level == "levels" or spec.name in ("bottom_reach_to_top",
                                                           "upward_reciprocity")
            assert "level" not in net.people.columns
            continue
        for name, result in results:
            if isinstance(result, pd.DataFrame | dict):
                continue
            value = float(result)
            if not math.isnan(value):
                assert_in_range([value], spec, f"{fixture}: {name}")
    assert_unchanged(net, before)


def test_every_spec_is_complete():
    for key, spec in REGISTRY.items():
        assert key == f"{spec.level}.{spec.name}"
        assert spec.sentence.endswith(".") and len(spec.sentence) < 200, key
        assert spec.level in ("person", "group", "network", "levels", "health")
        assert callable(spec.function)


def test_spec_for_resolves_result_names():
    assert spec_for("betweenness").name == "betweenness"
    assert spec_for("gatekeeper_organisation").name == "gatekeeper"
    assert spec_for("ei_expected_level", "network").name == "ei_expected"
    assert spec_for("ei_level", "network").name == "ei"
    with pytest.raises(KeyError):
        spec_for("no_such_measure")
