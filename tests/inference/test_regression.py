"""Network regression (MRQAP): coefficients against statsmodels, the permutation test against a
literal double semi-partialling reference, and every convention on hand-worked networks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from onatool import schema
from onatool.errors import InputFormatError, NotDefinedError
from onatool.inference import design, mrqap, regress
from onatool.network import Network


def _random_network(n: int, seed: int, *, respond: float = 1.0, relation: str = "advice",
                    wave: str = "wave 1", extra_relation: bool = True) -> Network:
    rng = np.random.default_rng(seed)
    ids = [f"p{i:02d}" for i in range(n)]
    org = rng.choice(["A", "B", "C"], n)
    level = rng.choice(["top", "middle", "bottom"], n, p=[0.2, 0.3, 0.5])
    cohort = np.where(rng.random(n) < 0.3, "Programme", "")
    tenure = rng.integers(1, 20, n).astype(float)
    responded = rng.random(n) < respond
    people = pd.DataFrame({"organisation": org, "level": level, "cohort": cohort, "tenure": tenure,
                           schema.RESPONDED: responded}, index=pd.Index(ids, name=schema.PERSON_ID))
    rows = []
    for i in range(n):
        if not responded[i]:
            continue
        for j in range(n):
            if i == j:
                continue
            base = -2.2 + 1.4 * (org[i] == org[j]) + 0.8 * (cohort[i] != "")
            if rng.random() < 1 / (1 + np.exp(-base)):
                rows.append((ids[i], ids[j], relation, 1.0, "yes"))
            if extra_relation and rng.random() < 0.15:
                rows.append((ids[i], ids[j], "trust", 1.0, "yes"))
    ties = pd.DataFrame(rows, columns=list(schema.TIE_COLUMNS))
    return Network(people, ties, wave)


def _matrices(d):
    cells = d.cells()
    y = d.outcome[cells]
    x = np.column_stack([m[cells] for m in d.terms.values()])
    return y, x, cells


TERMS = ["same:organisation", "sender:cohort", "receiver:level=top", "sender:tenure", "trust"]


def test_linear_coefficients_equal_statsmodels_on_the_same_design():
    net = _random_network(30, 1)
    d = design(net, "advice", TERMS)
    y, x, _ = _matrices(d)
    expected = sm.OLS(y, x).fit().params
    fit = mrqap(d, model="linear", permutations=0)
    assert [t["coefficient"] for t in fit.terms] == pytest.approx(list(expected), abs=1e-8)
    assert [t["term"] for t in fit.terms] == ["intercept", *TERMS]
    assert fit.cells == 30 * 29


def test_logistic_coefficients_and_odds_ratios_equal_statsmodels():
    net = _random_network(30, 2)
    d = design(net, "advice", TERMS)
    y, x, _ = _matrices(d)
    expected = sm.Logit(y, x).fit(disp=0).params
    fit = mrqap(d, model="logistic", permutations=0)
    assert [t["coefficient"] for t in fit.terms] == pytest.approx(list(expected), abs=1e-6)
    assert [t["odds_ratio"] for t in fit.terms] == pytest.approx(list(np.exp(expected)), rel=1e-6)


def _reference_dsp(d, model: str, permutations: int, seed: int) -> list[float]:
    """sna's qapspp, literally: refit the whole model with statsmodels for every permutation."""
    cells = d.cells()
    names = d.names
    y = d.outcome[cells]
    x = np.column_stack([d.terms[m][cells] for m in names])
    observed = sm.OLS(y, x).fit() if model == "linear" else sm.Logit(y, x).fit(disp=0)
    stat = observed.tvalues if model == "linear" else observed.params
    rng = np.random.default_rng(seed)
    n = len(d.people)
    orders = [rng.permutation(n) for _ in range(permutations)]
    known = d.candidate_cells()
    for m in d.terms.values():
        known &= ~np.isnan(m)
    p = []
    for k, name in enumerate(names):
        others = [m for m in names if m != name]
        res = np.full((n, n), np.nan)
        z = np.column_stack([d.terms[m][known] for m in others])
        res[known] = sm.OLS(d.terms[name][known], z).fit().resid
        dist = []
        for order in orders:
            e = res[np.ix_(order, order)][cells]
            xx = np.column_stack([*(d.terms[m][cells] for m in others), e])
            fit = sm.OLS(y, xx).fit() if model == "linear" else sm.Logit(y, xx).fit(disp=0)
            dist.append(fit.tvalues[-1] if model == "linear" else fit.params[-1])
        p.append(float(np.mean(np.abs(dist) >= abs(stat[k]) - 1e-12)))
    return p


@pytest.mark.parametrize("model", ["linear", "logistic"])
def test_permutation_p_values_equal_a_literal_double_semi_partialling(model):
    net = _random_network(14, 3)
    d = design(net, "advice", ["same:organisation", "sender:cohort"])
    fit = mrqap(d, model=model, permutations=40, seed=7)
    assert [t["p_value"] for t in fit.terms] == pytest.approx(_reference_dsp(d, model, 40, 7), abs=1e-12)


def test_p_values_are_reproducible_from_the_seed():
    net = _random_network(20, 4)
    one = regress(net, "advice", ["same:organisation", "sender:cohort"], permutations=100, seed=11)
    two = regress(net, "advice", ["same:organisation", "sender:cohort"], permutations=100, seed=11)
    other = regress(net, "advice", ["same:organisation", "sender:cohort"], permutations=100, seed=12)
    assert one.to_dict() == two.to_dict()
    assert one.to_dict()["seed"] == 11 and other.to_dict()["seed"] == 12
    assert [t["p_value"] for t in one.terms] != [t["p_value"] for t in other.terms]


def test_a_planted_effect_is_found_and_a_random_term_is_not():
    net = _random_network(40, 5)
    rng = np.random.default_rng(0)
    noise = pd.Series(rng.normal(size=40), index=net.people.index)
    people = net.people.assign(noise=noise)
    net = Network(people, net.ties, net.wave)
    fit = {t["term"]: t for t in regress(net, "advice", ["same:organisation", "sender:noise"],
                                         permutations=200, seed=1).terms}
    assert fit["same:organisation"]["coefficient"] > 0.15
    assert fit["same:organisation"]["p_value"] < 0.01
    assert fit["sender:noise"]["p_value"] > 0.05


def test_a_hand_worked_linear_model():
    # Ties exactly within organisations: y = same:organisation, so the slope is 1, intercept 0.
    people = {"a": {"organisation": "X"}, "b": {"organisation": "X"},
              "c": {"organisation": "Y"}, "d": {"organisation": "Y"}}
    net = Network.from_edges([("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")],
                             relation="advice", people=people)
    fit = regress(net, "advice", ["same:organisation"], permutations=0)
    coefficients = {t["term"]: t["coefficient"] for t in fit.terms}
    assert coefficients == pytest.approx({"intercept": 0.0, "same:organisation": 1.0}, abs=1e-12)
    assert fit.cells == 12


def test_cells_are_the_pairs_whose_sender_answered():
    net = _random_network(20, 6, respond=0.6)
    d = design(net, "advice", ["same:organisation"])
    respondents = int(net.people[schema.RESPONDED].sum())
    assert d.cells().sum() == respondents * 19
    assert regress(net, "advice", ["same:organisation"], permutations=0).cells == respondents * 19


def test_symmetric_relations_use_unordered_pairs_known_when_either_answered():
    people = {"a": {"organisation": "X", schema.RESPONDED: True},
              "b": {"organisation": "X", schema.RESPONDED: False},
              "c": {"organisation": "Y", schema.RESPONDED: False},
              "d": {"organisation": "Y", schema.RESPONDED: True}}
    net = Network.from_edges([("a", "b"), ("d", "c")], relation="works_with", symmetric=True,
                             people=people)
    d = design(net, "works_with", ["same:organisation"])
    assert d.symmetric
    # 6 unordered pairs; b-c is the only one where neither answered.
    assert d.cells().sum() == 5
    y, _, _ = _matrices(d)
    assert y.sum() == 2


def test_new_ties_between_two_waves():
    people = {p: {"organisation": o} for p, o in [("a", "X"), ("b", "X"), ("c", "Y"), ("d", "Y")]}
    before = Network.from_edges([("a", "b"), ("c", "d")], relation="advice", people=people,
                                wave="baseline")
    after = Network.from_edges([("a", "b"), ("a", "c"), ("d", "a")], relation="advice",
                               people=people, wave="final")
    d = design([before, after], "new", ["same:organisation", "advice@baseline"], relation="advice")
    # Pairs tied at baseline are not cases; advice@baseline is then 0 on every case.
    assert d.cells().sum() == 12 - 2
    y, _, cells = _matrices(d)
    assert y.sum() == 2  # a->c and d->a are new
    with pytest.raises(NotDefinedError, match="fully explained"):
        regress([before, after], "new", ["same:organisation", "advice@baseline"],
                relation="advice", permutations=0)
    fit = regress([before, after], "new", ["same:organisation"], relation="advice", permutations=0)
    assert fit.outcome == "new" and fit.cells == 10


@pytest.mark.parametrize(("terms", "error", "match"), [
    (["sender:organisation"], InputFormatError, "needs a value"),
    (["friendship"], NotDefinedError, "relation 'friendship'"),
    (["same:team"], NotDefinedError, "attribute 'team'"),
    (["advice@interim"], NotDefinedError, "wave 'interim'"),
    (["same:organisation", "same:organisation"], InputFormatError, "twice"),
])
def test_bad_terms_say_what_is_wrong(terms, error, match):
    net = _random_network(10, 8)
    with pytest.raises(error, match=match):
        regress(net, "advice", terms, permutations=0)


def test_regression_json_has_the_documented_shape():
    net = _random_network(15, 9)
    doc = regress(net, "advice", ["same:organisation"], model="logistic", permutations=20,
                  seed=3).to_dict()
    assert list(doc) == ["model", "outcome", "cells", "permutations", "seed", "terms"]
    assert doc["model"] == "logistic" and doc["permutations"] == 20
    assert set(doc["terms"][0]) == {"term", "coefficient", "p_value", "odds_ratio"}
    assert all(0 <= t["p_value"] <= 1 for t in doc["terms"])
