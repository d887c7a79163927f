"""One rule for groups and one formula for E-I and density, whichever surface asks.

Issue 11: blank text was a group in ``compare`` and missing in ``engine``, so one
person's E-I was NaN in metrics and +1 in the cohort table; the E-I index was written
out in four places. These tests pin the behaviour, not the call graph: the same ties
give the same figure through every public function.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import Network, engine
from onatool.compare import cohort_change, compare_waves, tie_churn
from onatool.metrics import boundary, cohesion, groups
from onatool.share.disclosure import Disclosure
from onatool.share.tables import group_tables, matrix_tables

BLANKS = ["", " ", "\t", "  \n"]


def _net(ties, orgs, cohort=(), wave="wave 1"):
    people = {p: {"organisation": org, "cohort": "LP" if p in cohort else None} for p, org in orgs.items()}
    return Network.from_edges(ties, people=people, wave=wave)


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_text_is_unknown_in_person_group_and_network_measures(blank):
    orgs = {"x": blank, "a": "Acute", "b": "Council", "c": "Acute"}
    net = _net([("x", "a"), ("x", "b"), ("a", "c"), ("c", "x")], orgs)
    same = _net([("x", "a"), ("x", "b"), ("a", "c"), ("c", "x")], {**orgs, "x": None})
    assert np.isnan(boundary.ei(net, "organisation")["x"])
    pd.testing.assert_series_equal(boundary.ei(net, "organisation"), boundary.ei(same, "organisation"))
    table = groups.group_table(net, "organisation")
    assert list(table.index) == ["Acute", "Council"]  # no group called "" or " "
    pd.testing.assert_frame_equal(table, groups.group_table(same, "organisation"))
    got = boundary.ei_network(net, "organisation", permutations=0)
    want = boundary.ei_network(same, "organisation", permutations=0)
    assert got["ei_organisation"] == want["ei_organisation"]
    assert got["ei_expected_organisation"] == want["ei_expected_organisation"]


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_text_is_unknown_in_the_cohort_comparison(blank):
    # x (blank organisation) gains a contact in each organisation. Metrics call x's
    # E-I undefined, so the cohort comparison must leave x out of the E-I change
    # rather than count "blank" as an organisation of its own (+1 before the fix).
    orgs = {"x": blank, "a": "Acute", "b": "Council", "c": "Acute", "d": "Council"}
    before = _net([("a", "c"), ("b", "d"), ("x", "a")], orgs, cohort={"x"})
    after = _net([("a", "c"), ("b", "d"), ("x", "a"), ("x", "b")], orgs, cohort={"x"})
    result = cohort_change(before, after, "LP", permutations=0, attributes=["organisation"])
    ei = result["measures"]["ei_organisation_change"]
    assert ei["n_cohort"] == 0 and np.isnan(ei["cohort_mean"])
    assert result["measures"]["external_organisation_change"]["n_cohort"] == 0


def test_blank_text_never_crosses_a_boundary_in_churn():
    orgs = {"x": " ", "a": "Acute", "b": "Acute"}
    before = _net([("a", "b")], orgs)
    after = _net([("a", "b"), ("x", "a"), ("x", "b")], orgs, wave="wave 2")
    churn = tie_churn(before, after)
    assert churn["new"] == 2
    comparison = compare_waves([before, after], permutations=0)
    assert comparison.summary["new_cross_organisation"] == 0


def _random_pair(seed: int):
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(14)]
    orgs = {p: rng.choice(["Acute", "Council", "Hospice", " ", None]) for p in ids}
    def ties():
        return [(a, b) for a in ids for b in ids if a != b and rng.random() < 0.15]
    return orgs, ties(), ties()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 13))
def test_a_persons_ei_change_in_the_cohort_table_is_the_change_in_metrics(seed, who):
    orgs, first, second = _random_pair(seed)
    person = f"p{who}"
    before = _net(first, orgs, cohort={person})
    after = _net(second, orgs, cohort={person})
    result = cohort_change(before, after, "LP", permutations=0, attributes=["organisation"])
    # Everyone answered both waves, so the people compared are everyone, and the
    # cohort compares contacts either way: the symmetrised network.
    ei_before = boundary.ei(before, "organisation", symmetric=True)[person]
    ei_after = boundary.ei(after, "organisation", symmetric=True)[person]
    expected = ei_after - ei_before
    got = result["measures"]["ei_organisation_change"]
    if np.isnan(expected):
        assert got["n_cohort"] == 0
    else:
        assert got["cohort_mean"] == pytest.approx(expected, abs=1e-12)
    ext = boundary.external(after, "organisation", symmetric=True)[person] - boundary.external(
        before, "organisation", symmetric=True)[person]
    got_ext = result["measures"]["external_organisation_change"]
    if np.isnan(ext):
        assert got_ext["n_cohort"] == 0
    else:
        assert got_ext["cohort_mean"] == pytest.approx(ext)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.integers(2, 6))
def test_merged_other_group_measures_equal_metrics_on_the_merged_attribute(seed, symmetric, k):
    # The gate merges small groups into "Other" and recomputes its row from the
    # mixing matrix; metrics on a roster where those groups are renamed "Other" must
    # give the same ties, E-I and density.
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(20)]
    sizes = {"Acute": 8, "Council": 6, "Hospice": 3, "GP": 2, "Care": 1}
    labels = [g for g, n in sizes.items() for _ in range(n)]
    orgs = dict(zip(ids, labels, strict=True))
    ties = [(a, b) for a in ids for b in ids if a != b and rng.random() < 0.2]
    people = {p: {"organisation": o} for p, o in orgs.items()}
    net = Network.from_edges(ties, people=people, symmetric=symmetric)
    analysis = type("A", (), {})()
    analysis.groups = {"organisation": groups.group_table(net, "organisation")}
    analysis.mixing = {"organisation": groups.mixing_matrix(net, "organisation")}
    disclosure = Disclosure(k=k)
    merged = group_tables(analysis, disclosure, symmetric=symmetric)["organisation"]
    if "Other" not in merged.index:
        return
    small = [g for g, n in sizes.items() if g not in merged.index]
    renamed = {p: {"organisation": "Other" if o in small else o} for p, o in orgs.items()}
    truth = groups.group_table(Network.from_edges(ties, people=renamed, symmetric=symmetric), "organisation")
    for column in ("ties_within", "ties_out", "ties_in", "ei", "density_within"):
        assert merged.loc["Other", column] == pytest.approx(truth.loc["Other", column], nan_ok=True)
    matrices = matrix_tables(analysis, disclosure, symmetric=symmetric)
    block = groups.block_density(Network.from_edges(ties, people=renamed, symmetric=symmetric), "organisation")
    shown = matrices["block_density_organisation"]
    for g in shown.index:
        for h in shown.columns:
            assert shown.loc[g, h] == pytest.approx(block.loc[g, h], nan_ok=True)


def test_ei_and_density_formulas_by_hand():
    assert engine.ei_ratio(3, 1) == 0.5
    assert np.isnan(engine.ei_ratio(0, 0))
    assert engine.pair_density(3, engine.possible_pairs(4)) == 0.25
    assert engine.pair_density(3, engine.possible_pairs(4, directed=False)) == 0.5
    assert np.isnan(engine.pair_density(0, engine.possible_pairs(1)))
    net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")])
    assert cohesion.density(net) == 0.5


def test_igraph_seeding_is_reproducible_and_leaves_callers_random_alone():
    graph = ig.Graph.Erdos_Renyi(n=60, p=0.08, directed=False)
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    with engine.seeded(7):
        first = graph.community_leiden(objective_function="modularity").membership
    assert random.random() == expected_next  # the caller's stream is untouched
    with engine.seeded(7):
        again = graph.community_leiden(objective_function="modularity").membership
    assert first == again
