"""Change between waves: churn, QAP, boundary change, cohorts, deltas, timeline, files."""

from __future__ import annotations

import itertools
import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import InputFormatError, Network, NotDefinedError, UnknownPersonError, schema
from onatool.compare import (
    cohort_change,
    compare_waves,
    group_change,
    jaccard_reading,
    network_change,
    people_change,
    qap,
    qap_test,
    tie_churn,
)
from onatool.outputs.writers import write_comparison
from onatool.share.disclosure import Disclosure
from onatool.share.gate import Gate


def people(rows: dict[str, dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = schema.PERSON_ID
    if schema.RESPONDED not in frame.columns:
        frame[schema.RESPONDED] = True
    frame[schema.RESPONDED] = frame[schema.RESPONDED].fillna(True).astype(bool)
    return frame


def wave(edges, who, label, *, relation="advice", symmetric=False) -> Network:
    return Network.from_edges(edges, people=people(who), relation=relation, symmetric=symmetric, wave=label)


def fake_analysis(net: Network) -> SimpleNamespace:
    """Stands in for onatool.metrics.Analysis: the fields compare reads."""
    degree = pd.concat([net.ties["source"], net.ties["target"]]).value_counts()
    frame = pd.DataFrame({"degree": degree.reindex(net.people.index, fill_value=0).astype(float)})
    return SimpleNamespace(people=frame, groups={}, network={"ties": float(net.n_ties)}, levels=None)


# Four people; a, b in organisation X and c, d in Y.
ORGS = {"a": {"organisation": "X"}, "b": {"organisation": "X"},
        "c": {"organisation": "Y"}, "d": {"organisation": "Y"}}
BEFORE = [("a", "b", 1), ("b", "c", 2), ("c", "a", 3), ("a", "d", 1)]
AFTER = [("a", "b", 2), ("b", "c", 1), ("c", "a", 3), ("c", "d", 1), ("d", "a", 1)]


# --- tie churn --------------------------------------------------------------------
def test_hand_counted_directed_churn():
    churn = tie_churn(wave(BEFORE, ORGS, "w1"), wave(AFTER, ORGS, "w2"))
    # By hand: a->b, b->c, c->a in both (3 stable); a->d only before (1 lost);
    # c->d, d->a only after (2 new). Jaccard 3 / 6. a->b went 1 -> 2, b->c 2 -> 1.
    assert (churn["stable"], churn["lost"], churn["new"], churn["hamming"]) == (3, 1, 2, 3)
    assert churn["jaccard"] == 0.5
    assert (churn["strengthened"], churn["weakened"]) == (1, 1)
    assert churn["people_compared"] == 4
    assert churn["jaccard_reading"].startswith("Moderate change")


def test_symmetric_relation_compares_unordered_pairs():
    before = [("a", "b"), ("b", "a"), ("b", "c")]
    after = [("b", "a"), ("c", "d")]
    # Unordered, by hand: before {ab, bc}, after {ab, cd}: ab stable, bc lost, cd new.
    sym = tie_churn(wave(before, ORGS, "w1", symmetric=True), wave(after, ORGS, "w2", symmetric=True))
    assert (sym["stable"], sym["lost"], sym["new"]) == (1, 1, 1)
    # The same reports read as directed: before {a>b, b>a, b>c}, after {b>a, c>d}.
    directed = tie_churn(wave(before, ORGS, "w1"), wave(after, ORGS, "w2"))
    assert (directed["stable"], directed["lost"], directed["new"]) == (1, 2, 1)
    # Forcing symmetric on a directed relation gives the unordered reading.
    forced = tie_churn(wave(before, ORGS, "w1"), wave(after, ORGS, "w2"), symmetric=True)
    assert (forced["stable"], forced["lost"], forced["new"]) == (1, 1, 1)


def test_threshold_applies_to_both_waves():
    # min_weight=2 keeps b->c, c->a before and a->b, c->a after (by hand): 1 stable, 1 lost, 1 new.
    churn = tie_churn(wave(BEFORE, ORGS, "w1"), wave(AFTER, ORGS, "w2"), min_weight=2)
    assert (churn["stable"], churn["lost"], churn["new"]) == (1, 1, 1)


def test_joiners_and_leavers_are_never_lost_or_new_ties():
    before_people = {**ORGS, "x": {"organisation": "X"}}
    after_people = {**ORGS, "y": {"organisation": "Y"}}
    before = wave([*BEFORE, ("x", "a", 1), ("b", "x", 1)], before_people, "w1")
    after = wave([*AFTER, ("y", "b", 1), ("a", "y", 1)], after_people, "w2")
    churn = tie_churn(before, after)
    assert (churn["stable"], churn["lost"], churn["new"]) == (3, 1, 2)  # as without x and y
    comparison = compare_waves([before, after], analyses=[fake_analysis(before), fake_analysis(after)],
                               permutations=0)
    assert list(comparison.joiners) == ["y"] and list(comparison.leavers) == ["x"]
    ends = set(comparison.ties["source"]) | set(comparison.ties["target"])
    assert not ends & {"x", "y"}
    assert set(comparison.people.index) == {"a", "b", "c", "d"}


def test_non_respondents_are_left_out_by_default():
    # c does not answer the second wave: its out-ties there are unknown.
    after_people = {**ORGS, "c": {"organisation": "Y", "responded": False}}
    before = wave([("a", "b"), ("c", "a"), ("a", "c")], ORGS, "w1")
    after = wave([("a", "b"), ("a", "c")], after_people, "w2")
    default = tie_churn(before, after)
    # Compared: a, b, d. Only a->b is among them: 1 stable, nothing lost.
    assert (default["people_compared"], default["stable"], default["lost"], default["new"]) == (3, 1, 0, 0)
    # present="all" compares a, b, c, d: c->a reads as lost, though c simply did not answer.
    everyone = tie_churn(before, after, present="all")
    assert (everyone["people_compared"], everyone["stable"], everyone["lost"], everyone["new"]) == (4, 2, 1, 0)
    comparison = compare_waves([before, after], analyses=[fake_analysis(before), fake_analysis(after)],
                               permutations=0)
    assert list(comparison.not_compared) == ["c"]
    assert not comparison.people.loc["c", "compared"] and comparison.people.loc["a", "compared"]
    assert not comparison.people.loc["c", "responded_w2"]


@st.composite
def random_network(draw):
    n = draw(st.integers(1, 9))
    ids = [f"p{i}" for i in range(n)]
    pairs = [(s, t) for s in ids for t in ids if s != t]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    weights = draw(st.lists(st.integers(1, 5), min_size=len(chosen), max_size=len(chosen)))
    answered = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    orgs = draw(st.lists(st.sampled_from(["X", "Y", None]), min_size=n, max_size=n))
    who = {p: {"responded": r, "organisation": o} for p, r, o in zip(ids, answered, orgs, strict=True)}
    edges = [(s, t, w) for (s, t), w in zip(chosen, weights, strict=True)]
    return wave(edges, who, "w1", symmetric=draw(st.booleans()))


@settings(max_examples=60, deadline=None)
@given(random_network(), st.sampled_from(["respondents", "all"]))
def test_a_wave_compared_with_itself_shows_no_change(net, present):
    churn = tie_churn(net, net.with_wave("w2"), present=present)
    assert churn["lost"] == churn["new"] == churn["hamming"] == 0
    assert churn["strengthened"] == churn["weakened"] == 0
    if churn["stable"]:
        assert churn["jaccard"] == 1.0
        result = qap(net, net.with_wave("w2"), present=present, permutations=0)
        r = result["qap_correlation"]
        assert math.isnan(r) or r == pytest.approx(1.0)  # NaN only when every cell is a tie
    else:
        assert math.isnan(churn["jaccard"])
    comparison = compare_waves([net, net.with_wave("w2")], present=present, permutations=0,
                               analyses=[fake_analysis(net)] * 2)
    assert set(comparison.ties["status"]) <= {"stable"}
    assert (comparison.people["degree_change"] == 0).all()
    assert all(v == 0 for k, v in comparison.summary.items() if k.startswith(("new_cross", "lost_cross")))


# --- QAP --------------------------------------------------------------------------
def pearson_by_hand(x, y):
    """Pearson r over off-diagonal cells with plain Python (no numpy, scipy or networkx)."""
    n = len(x)
    xs = [x[i][j] for i in range(n) for j in range(n) if i != j]
    ys = [y[i][j] for i in range(n) for j in range(n) if i != j]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True))
    vx = sum((a - mx) ** 2 for a in xs)
    vy = sum((b - my) ** 2 for b in ys)
    return cov / math.sqrt(vx * vy)


def test_qap_correlation_known_value():
    # x: 0->1, 1->2; y: 0->1, 2->0. Six off-diagonal cells, 2 ties each, 1 shared:
    # r = (6*1 - 2*2) / sqrt(2*4 * 2*4) = 2 / 8 = 0.25 (as sna::gcor gives).
    x = np.zeros((3, 3), int)
    y = np.zeros((3, 3), int)
    x[0, 1] = x[1, 2] = 1
    y[0, 1] = y[2, 0] = 1
    assert qap_test(x, y, permutations=0)["correlation"] == pytest.approx(0.25)


@pytest.mark.parametrize("seed", range(5))
def test_qap_correlation_equals_pearson_of_off_diagonal_cells(seed):
    rng = np.random.default_rng(seed)
    n = 15
    x = (rng.random((n, n)) < 0.2).astype(int)
    y = np.where(rng.random((n, n)) < 0.7, x, (rng.random((n, n)) < 0.2).astype(int))
    np.fill_diagonal(y, rng.integers(0, 2, n))  # the diagonal must be ignored
    off = ~np.eye(n, dtype=bool)
    r = qap_test(x, y, permutations=0)["correlation"]
    assert r == pytest.approx(np.corrcoef(x[off], y[off])[0, 1], abs=1e-12)
    assert r == pytest.approx(pearson_by_hand(x.tolist(), np.where(off, y, 0).tolist()), abs=1e-12)


def test_symmetric_qap_equals_upper_triangle_correlation():
    rng = np.random.default_rng(3)
    n = 12
    upper = np.triu(rng.random((n, n)) < 0.3, 1)
    x = upper | upper.T
    flip = np.triu(rng.random((n, n)) < 0.2, 1)
    y = (upper ^ flip) | (upper ^ flip).T
    iu = np.triu_indices(n, 1)
    # Networks: each pair reported once, read as symmetric.
    ids = [f"p{i:02d}" for i in range(n)]
    a = Network.from_edges([(ids[i], ids[j]) for i, j in zip(*np.nonzero(upper), strict=True)],
                           people=people({p: {} for p in ids}), relation="met", symmetric=True, wave="w1")
    b_edges = [(ids[j], ids[i]) for i, j in zip(*np.nonzero(np.triu(y, 1)), strict=True)]  # other end reports
    b = Network.from_edges(b_edges, people=people({p: {} for p in ids}), relation="met", symmetric=True,
                           wave="w2")
    r = qap(a, b, permutations=0)["qap_correlation"]
    assert r == pytest.approx(np.corrcoef(x[iu], y[iu])[0, 1], abs=1e-12)


def exact_qap_p(x, y):
    """Two-sided p over all n! relabellings (for tiny n)."""
    n = len(x)
    off = ~np.eye(n, dtype=bool)

    def r(yy):
        return np.corrcoef(x[off], yy[off])[0, 1]

    observed = abs(r(y))
    hits = [abs(r(y[np.ix_(p, p)])) >= observed - 1e-12 for p in itertools.permutations(range(n))]
    return float(np.mean(hits))


def test_qap_p_matches_exact_enumeration_and_is_stable_across_seeds():
    rng = np.random.default_rng(11)
    n = 6
    x = (rng.random((n, n)) < 0.4).astype(int)
    y = np.where(rng.random((n, n)) < 0.2, x, (rng.random((n, n)) < 0.4).astype(int))
    np.fill_diagonal(x, 0)
    np.fill_diagonal(y, 0)
    exact = exact_qap_p(x, y)  # enumerates all 720 relabellings
    assert 0.1 < exact < 0.9  # a middling p (0.23), where Monte Carlo error shows
    permutations = 2000
    error = math.sqrt(exact * (1 - exact) / permutations)
    estimates = [qap_test(x, y, seed=s, permutations=permutations)["p"] for s in range(5)]
    for p in estimates:
        assert abs(p - exact) < 4 * error + 1 / permutations
    assert len(set(estimates)) > 1  # the seed really changes the permutations
    assert qap_test(x, y, seed=3, permutations=500) == qap_test(x, y, seed=3, permutations=500)


def test_qap_p_small_for_a_noisy_copy_and_for_an_opposite():
    rng = np.random.default_rng(5)
    n = 60
    x = (rng.random((n, n)) < 0.1).astype(int)
    np.fill_diagonal(x, 0)
    noisy = np.where(rng.random((n, n)) < 0.8, x, (rng.random((n, n)) < 0.1).astype(int))
    np.fill_diagonal(noisy, 0)
    assert qap_test(x, noisy, permutations=1000)["p"] < 0.01
    # Two-sided: the complement (every tie becomes a non-tie) has r = -1 and p small too.
    opposite = 1 - x
    np.fill_diagonal(opposite, 0)
    result = qap_test(x, opposite, permutations=1000)
    assert result["correlation"] == pytest.approx(-1.0) and result["p"] < 0.01


def test_qap_p_is_large_for_independent_random_graphs():
    rng = np.random.default_rng(8)
    p_values = []
    for seed in range(20):
        x = (rng.random((25, 25)) < 0.15).astype(int)
        y = (rng.random((25, 25)) < 0.15).astype(int)
        p_values.append(qap_test(x, y, seed=seed, permutations=300)["p"])
    # Under independence p is about uniform: mean near 0.5, few below 0.05.
    assert 0.3 < np.mean(p_values) < 0.7
    assert sum(p < 0.05 for p in p_values) <= 3


def test_qap_sparse_lookup_matches_dense(monkeypatch):
    rng = np.random.default_rng(2)
    x = (rng.random((30, 30)) < 0.2).astype(int)
    y = np.where(rng.random((30, 30)) < 0.6, x, 0)
    dense = qap_test(x, y, seed=1, permutations=200)
    monkeypatch.setattr("onatool.compare.correlation._DENSE_PEOPLE", 0)
    assert qap_test(x, y, seed=1, permutations=200) == dense


def test_qap_undefined_and_bad_shapes():
    empty = np.zeros((4, 4))
    full = np.ones((4, 4))
    result = qap_test(empty, full, permutations=10)
    assert math.isnan(result["correlation"]) and math.isnan(result["p"])
    with pytest.raises(InputFormatError, match="square"):
        qap_test(np.zeros((3, 4)), np.zeros((3, 4)))


# --- boundary change --------------------------------------------------------------
def test_boundary_crossings_counted_by_hand():
    comparison = compare_waves(
        [wave(BEFORE, ORGS, "w1"), wave(AFTER, ORGS, "w2")], permutations=0,
        analyses=[SimpleNamespace(people=pd.DataFrame(), groups={}, network={}, levels=None)] * 2,
    )
    s = comparison.summary
    # X = {a, b}, Y = {c, d}. Lost a->d crosses; new c->d stays in Y, new d->a crosses;
    # stable a->b inside X, b->c and c->a cross.
    assert (s["lost_cross_organisation"], s["new_cross_organisation"], s["stable_cross_organisation"]) == (1, 1, 2)
    ties = comparison.ties.set_index(["source", "target"])
    assert ties.loc[("a", "d"), "status"] == "lost" and pd.isna(ties.loc[("a", "d"), "weight_after"])
    assert ties.loc[("a", "b"), ["weight_before", "weight_after"]].tolist() == [1.0, 2.0]
    assert list(comparison.ties["status"]) == ["stable"] * 3 + ["lost"] + ["new"] * 2


def test_crossing_uses_each_ties_own_wave_and_missing_is_unknown():
    moved = {**ORGS, "d": {"organisation": "X"}, "c": {"organisation": None}}
    comparison = compare_waves(
        [wave(BEFORE, ORGS, "w1"), wave(AFTER, moved, "w2")], permutations=0,
        analyses=[SimpleNamespace(people=pd.DataFrame(), groups={}, network={}, levels=None)] * 2,
    )
    ties = comparison.ties.set_index(["source", "target"])["crosses_organisation"]
    # d moved to X by wave 2: lost a->d is judged in wave 1 (crosses), new d->a in wave 2 (does not).
    assert ties[("a", "d")] and not ties[("d", "a")]
    # c's organisation is missing in wave 2: its ties' crossing is unknown, not False.
    assert pd.isna(ties[("c", "d")]) and pd.isna(ties[("b", "c")])
    s = comparison.summary
    assert (s["new_cross_organisation"], s["lost_cross_organisation"]) == (0, 1)


# --- cohort -----------------------------------------------------------------------
COHORT_PEOPLE = {
    "a": {"organisation": "X", "cohort": "Leadership programme"},
    "b": {"organisation": "X", "cohort": "leadership programme "},
    "c": {"organisation": "Y"}, "d": {"organisation": "Y"},
    "e": {"organisation": "Z"}, "f": {"organisation": "Z"},
}
COHORT_BEFORE = [("a", "b"), ("c", "d"), ("e", "f")]
COHORT_AFTER = [("a", "b"), ("a", "c"), ("b", "e"), ("c", "d"), ("e", "f")]


def test_cohort_change_by_hand():
    result = cohort_change(wave(COHORT_BEFORE, COHORT_PEOPLE, "w1"), wave(COHORT_AFTER, COHORT_PEOPLE, "w2"),
                           "Leadership Programme", permutations=0)
    assert (result["members"], result["others"], result["small_numbers"]) == (2, 4, True)
    m = result["measures"]
    # Degree change by hand: a +1 (c), b +1 (e), c +1 (a), d 0, e +1 (b), f 0.
    # Cohort mean 1, others (1 + 0 + 1 + 0) / 4 = 0.5, difference 0.5.
    assert (m["degree_change"]["cohort_mean"], m["degree_change"]["others_mean"]) == (1.0, 0.5)
    assert m["degree_change"]["difference"] == 0.5
    # Every new contact crosses organisations, so the same numbers hold for external
    # contacts and new contacts across; E-I moves -1 -> 0 for a, b, c, e and stays -1 for d, f.
    for name in ("external_organisation_change", "new_external_organisation", "ei_organisation_change"):
        assert m[name]["difference"] == 0.5, name


def test_cohort_p_matches_exact_label_enumeration():
    result = cohort_change(wave(COHORT_BEFORE, COHORT_PEOPLE, "w1"), wave(COHORT_AFTER, COHORT_PEOPLE, "w2"),
                           "Leadership programme", permutations=4000, seed=1)
    # Changes (1, 1, 1, 0, 1, 0); any 2 of 6 as the cohort (15 ways): the difference is
    # 0.5 when both have 1 (6 ways), -1 when both have 0 (1 way), else -0.25.
    # |d| >= 0.5 in 7 of 15 labellings: exact p = 7/15.
    p = result["measures"]["degree_change"]["p"]
    assert abs(p - 7 / 15) < 4 * math.sqrt((7 / 15) * (8 / 15) / 4000)


def test_cohort_detects_a_planted_change():
    rng = np.random.default_rng(4)
    n, k = 80, 15
    ids = [f"p{i:02d}" for i in range(n)]
    who = {p: {"organisation": "ABCD"[i % 4], "cohort": "LP" if i < k else None} for i, p in enumerate(ids)}
    before = {(ids[i], ids[j]) for i, j in rng.integers(0, n, (200, 2)) if i != j}
    after = {e for e in before if rng.random() < 0.8}
    for i in range(k):  # each cohort member gains three contacts in other organisations
        for j in rng.choice([j for j in range(n) if j % 4 != i % 4], 3, replace=False):
            after.add((ids[i], ids[j]))
    result = cohort_change(wave(sorted(before), who, "w1"), wave(sorted(after), who, "w2"), "LP")
    new_across = result["measures"]["new_external_organisation"]
    assert new_across["difference"] > 2 and new_across["p"] < 0.01


def test_cohort_errors():
    before, after = wave(BEFORE, ORGS, "w1"), wave(AFTER, ORGS, "w2")
    with pytest.raises(NotDefinedError, match="cohort"):
        cohort_change(before, after, "Leadership programme")
    before, after = wave(COHORT_BEFORE, COHORT_PEOPLE, "w1"), wave(COHORT_AFTER, COHORT_PEOPLE, "w2")
    with pytest.raises(NotDefinedError, match="Leadership programme"):
        cohort_change(before, after, "Mentoring")


# --- deltas, timeline, whole comparison -------------------------------------------
def test_people_group_and_network_change_side_by_side():
    idx = pd.Index(["a", "b", "c"], name="person_id")
    one = SimpleNamespace(
        people=pd.DataFrame({"degree": [1, 2, 3], "organisation": ["X", "Y", "Y"]}, index=idx),
        groups={"organisation": pd.DataFrame({"ei": [-1.0, 0.5]}, index=["X", "Y"])},
        network={"density": 0.1, "ei_organisation": -0.2}, levels={"block_density": pd.DataFrame(
            {"top": [0.5]}, index=["top"])})
    two = SimpleNamespace(
        people=pd.DataFrame({"degree": [2, 2]}, index=pd.Index(["a", "c"], name="person_id")),
        groups={"organisation": pd.DataFrame({"ei": [-0.5, 0.0]}, index=["X", "Z"])},
        network={"density": 0.2, "ei_organisation": 0.1}, levels=None)
    people_table = people_change([one, two], ["w1", "w2"])
    assert list(people_table.columns) == ["degree_w1", "degree_w2", "degree_change"]
    assert people_table["degree_change"].to_dict() == {"a": 1.0, "c": -1.0}
    groups = group_change([one, two], ["w1", "w2"])["organisation"]
    assert groups.loc["X", "ei_change"] == 0.5 and groups["ei_change"].isna().sum() == 2  # Y and Z in one wave only
    network = network_change([one, two], ["w1", "w2"])
    assert network.loc["ei_organisation", "change"] == pytest.approx(0.3)
    assert network.loc["levels.block_density.top.top", "w1"] == 0.5
    assert math.isnan(network.loc["levels.block_density.top.top", "change"])


def test_three_waves_timeline():
    w1 = wave([("a", "b"), ("b", "c")], ORGS, "w1")
    w2 = wave([("a", "b"), ("c", "d")], ORGS, "w2")
    w3 = wave([("c", "d"), ("d", "a"), ("a", "c")], ORGS, "w3")
    comparison = compare_waves([w1, w2, w3], permutations=0, analyses=[fake_analysis(w) for w in (w1, w2, w3)])
    t = comparison.timeline.set_index(["from", "to"])
    # By hand: w1->w2: a>b stable, b>c lost, c>d new; w2->w3: c>d stable, a>b lost, d>a and a>c new;
    # w1->w3: nothing stable, a>b and b>c lost, three new.
    assert t.loc[("w1", "w2"), ["stable", "lost", "new"]].tolist() == [1, 1, 1]
    assert t.loc[("w2", "w3"), ["stable", "lost", "new"]].tolist() == [1, 1, 2]
    assert t.loc[("w1", "w3"), ["stable", "lost", "new", "jaccard"]].tolist() == [0, 2, 3, 0.0]
    assert list(t["span"]) == ["consecutive", "consecutive", "first to latest"]
    # The headline figures and the ties table are first to latest.
    assert comparison.summary["new"] == 3 and set(comparison.ties["status"]) == {"lost", "new"}
    assert list(comparison.people.columns[:4]) == ["degree_w1", "degree_w2", "degree_w3", "degree_change"]


def test_compare_waves_errors():
    one = wave(BEFORE, ORGS, "w1")
    with pytest.raises(NotDefinedError, match="at least two"):
        compare_waves([one])
    with pytest.raises(InputFormatError, match="share the label"):
        compare_waves([one, one])
    with pytest.raises(NotDefinedError, match="present"):
        compare_waves([one, one.with_wave("w2")], present="everyone")
    with pytest.raises(NotDefinedError, match="profession"):
        compare_waves([one, one.with_wave("w2")], attributes=["profession"])
    with pytest.raises(NotDefinedError, match="relation 'trust'"):
        compare_waves([one, one.with_wave("w2")], relation="trust")


def test_write_comparison(tmp_path):
    who = {**COHORT_PEOPLE, "=cmd": {"organisation": "=HYPERLINK(\"x\")"}}
    before = wave([*COHORT_BEFORE, ("=cmd", "a")], who, "baseline")
    after = wave(COHORT_AFTER, {**who, "g": {"organisation": "Z"}}, "follow-up")
    third = after.with_wave("later")
    comparison = compare_waves([before, after, third], cohort="Leadership programme", permutations=50,
                               analyses=[fake_analysis(w) for w in (before, after, third)])
    # Through an analyst gate, every table as computed (the groups here are all under k).
    analyst = Gate.for_analyst(Disclosure(), user="tester", project="p", audit=lambda *entry: None, detail="test")
    written = write_comparison(comparison, tmp_path, analyst, people=after.people)
    names = {p.name for p in written}
    assert names == {"change.json", "parameters.json", "people_change.csv", "people_status.csv",
                     "network_change.csv", "ties_change.csv", "cohort.json", "timeline.csv"}
    change = json.loads((tmp_path / "change.json").read_text())
    for key in ("stable", "lost", "new", "hamming", "jaccard", "qap_correlation", "qap_p",
                "new_cross_organisation", "lost_cross_organisation", "params"):
        assert key in change, key
    assert change["params"]["waves"] == ["baseline", "follow-up", "later"]
    cohort = json.loads((tmp_path / "cohort.json").read_text())
    assert cohort["members"] == 2
    status = pd.read_csv(tmp_path / "people_status.csv", encoding="utf-8-sig")
    assert set(status["status"]) == {"joined"}  # g joined; nobody left
    ties = (tmp_path / "ties_change.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd" in ties and "\n=cmd" not in ties  # formula-safe
    people_csv = pd.read_csv(tmp_path / "people_change.csv", encoding="utf-8-sig")
    assert people_csv.columns[0] == "person_id" and "in_cohort" in people_csv.columns


def test_jaccard_reading_bands():
    assert jaccard_reading(float("nan")).startswith("Not defined")
    assert jaccard_reading(0.19).startswith("Very different")
    assert jaccard_reading(0.25).startswith("Borderline")
    assert jaccard_reading(0.3).startswith("Moderate")
    assert jaccard_reading(0.95).startswith("Little change")


# --- with the metrics engine ------------------------------------------------------
@settings(max_examples=20, deadline=None)
@given(random_network())
def test_self_comparison_with_real_analyses_changes_nothing(net):
    comparison = compare_waves([net, net.with_wave("w2")], permutations=0)
    changes = [comparison.people.filter(like="_change"), comparison.network[["change"]]]
    changes += [table.filter(like="_change") for table in comparison.groups.values()]
    for table in changes:
        values = table.to_numpy(dtype=float)
        assert np.all((values == 0) | np.isnan(values))
    assert "degree_change" in comparison.people.columns
    assert "community_change" not in comparison.people.columns  # a label, not an amount


def test_cohort_measures_agree_with_the_metrics_engine():
    from onatool.compare.cohort import _person_measures
    from onatool.compare.pairs import _layers, _pair
    from onatool.metrics import analyse

    rng = np.random.default_rng(9)
    ids = [f"p{i:02d}" for i in range(30)]
    who = {p: {"organisation": "ABC"[i % 3]} for i, p in enumerate(ids)}

    def random_wave(label):
        edges = {(ids[i], ids[j]) for i, j in rng.integers(0, 30, (70, 2)) if i != j}
        return wave(sorted(edges), who, label)

    before, after = random_wave("w1"), random_wave("w2")
    layers, sym, _ = _layers([before, after], None, None, None)
    mine = _person_measures(_pair(*layers, symmetric=sym, present="all"), ["organisation"])
    first, last = analyse(before).people, analyse(after).people
    # Everyone answered both waves, so the panel is each whole wave and the cohort
    # measures must be the metrics engine's measures, differenced.
    pd.testing.assert_series_equal(mine["degree_change"], (last["degree"] - first["degree"]).astype(float),
                                   check_names=False)
    pd.testing.assert_series_equal(
        mine["external_organisation_change"],
        last["external_organisation"] - first["external_organisation"], check_names=False)
    pd.testing.assert_series_equal(mine["ei_organisation_change"],
                                   last["ei_organisation"] - first["ei_organisation"], check_names=False)


def test_change_map_tells_new_lost_and_stable_apart_without_colour():
    from onatool.compare import change_network
    from onatool.viz.layout import compute_layout
    from onatool.viz.maps import render_map
    from onatool.viz.style import style_network

    before, after = wave(BEFORE, ORGS, "w1"), wave(AFTER, ORGS, "w2")
    comparison = compare_waves([before, after], permutations=0)
    net, status = change_network(comparison, after)
    assert status.value_counts().to_dict() == {"stable": 3, "new": 2, "lost": 1}
    data = style_network(net, compute_layout([before, after]), edge_status=status, workshop=False)
    drawn = {}
    for edge in data.edges:
        drawn.setdefault(edge["status"], set()).add((bool(edge["dashes"]), edge["width"]))
    # One look per status, and every pair of statuses differs in dashes or width.
    assert all(len(looks) == 1 for looks in drawn.values())
    looks = {k: next(iter(v)) for k, v in drawn.items()}
    assert len(set(looks.values())) == 3
    assert "<html" in render_map(data, title="Change").lower()
    with pytest.raises(UnknownPersonError, match="not in wave"):
        change_network(comparison, after.subset(["a", "b"]))
