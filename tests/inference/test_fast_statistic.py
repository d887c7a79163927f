"""The linear MRQAP's fast permutation statistic equals statsmodels' t-value on the permuted
design, cell for cell, including non-respondents, missing attributes and ``new`` outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from onatool import schema
from onatool.inference import design, mrqap
from onatool.inference.regression import _fast_linear
from onatool.network import Network


def _wave(n: int, seed: int, *, respond: float, wave: str, missing_org: int = 0) -> Network:
    rng = np.random.default_rng(seed)
    ids = [f"p{i:02d}" for i in range(n)]
    org = rng.choice(["A", "B", "C"], n).astype(object)
    org[:missing_org] = None
    people = pd.DataFrame({"organisation": org, "level": rng.choice(["top", "middle", "bottom"], n),
                           "cohort": np.where(np.arange(n) % 4 == 0, "LP", None),
                           "tenure": rng.integers(1, 20, n).astype(float),
                           schema.RESPONDED: rng.random(n) < respond},
                          index=pd.Index(ids, name=schema.PERSON_ID))
    rows = []
    for i in range(n):
        if not people[schema.RESPONDED].iloc[i]:
            continue
        for j in range(n):
            if i != j and rng.random() < 0.12 + 0.2 * (org[i] == org[j]):
                rows.append((ids[i], ids[j], "advice", 1.0, "yes"))
            if i != j and rng.random() < 0.1:
                rows.append((ids[i], ids[j], "trust", 1.0, "yes"))
    return Network(people, pd.DataFrame(rows, columns=list(schema.TIE_COLUMNS)), wave)


def _reference(d, orders):
    """statsmodels on the permuted design: residual of each term on the others (over the
    cells where the terms are known), permuted, then OLS on the cells where it is known."""
    cells = d.cells()
    names = d.names
    known = d.candidate_cells()
    for m in d.terms.values():
        known &= ~np.isnan(m)
    out = np.full((len(orders), len(names)), np.nan)
    for k, name in enumerate(names):
        rest = [m for m in names if m != name]
        residual = np.full(known.shape, np.nan)
        z = np.column_stack([d.terms[m][known] for m in rest])
        residual[known] = sm.OLS(d.terms[name][known], z).fit().resid
        for i, order in enumerate(orders):
            e = residual[np.ix_(order, order)][cells]
            keep = ~np.isnan(e)
            x = np.column_stack([*(d.terms[m][cells][keep] for m in rest), e[keep]])
            out[i, k] = sm.OLS(d.outcome[cells][keep], x).fit().tvalues[-1]
    return out


CASES = {
    "full response": (dict(respond=1.0), "advice", ["same:organisation", "sender:cohort", "receiver:level=top",
                                                    "sender:tenure", "trust"]),
    "non-response": (dict(respond=0.7), "advice", ["same:organisation", "receiver:tenure", "trust"]),
    "missing groups": (dict(respond=0.8, missing_org=3), "advice", ["same:organisation", "sender:cohort=LP"]),
    "new ties": (dict(respond=0.75), "new", ["same:organisation", "sender:cohort=LP", "receiver:cohort=LP",
                                            "trust@w1"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_fast_t_values_equal_statsmodels_on_the_permuted_design(case):
    options, outcome, terms = CASES[case]
    first = _wave(18, 1, wave="w1", **options)
    second = _wave(18, 2, wave="w2", **options)
    d = design([first, second], outcome, terms, relation="advice")
    cells = d.cells()
    known = d.candidate_cells()
    for m in d.terms.values():
        known &= ~np.isnan(m)
    rng = np.random.default_rng(5)
    orders = np.array([rng.permutation(len(d.people)) for _ in range(12)])
    fast = _fast_linear(d, cells, known, orders)
    assert fast is not None, "the fast path must handle this design"
    np.testing.assert_allclose(fast, _reference(d, orders), rtol=1e-7, atol=1e-9)


def test_p_values_are_the_same_with_and_without_the_fast_path(monkeypatch):
    from onatool.inference import regression

    net = _wave(20, 3, respond=0.8, wave="w1")
    d = design(net, "advice", ["same:organisation", "sender:cohort=LP", "trust"])
    fast = mrqap(d, permutations=60, seed=2)
    monkeypatch.setattr(regression, "_fast_linear", lambda *args: None)
    slow = mrqap(d, permutations=60, seed=2)
    assert [t["p_value"] for t in fast.terms] == pytest.approx([t["p_value"] for t in slow.terms], abs=1e-12)


def test_inner_products_of_every_pair_of_shapes_equal_the_dense_sum():
    from onatool.inference import dyadic

    rng = np.random.default_rng(11)
    n = 25
    codes = rng.integers(-1, 4, n)
    factors = {
        "rank1": dyadic.rank1(rng.normal(size=n), rng.normal(size=n)),
        "block": dyadic.block(codes),
        "sparse": dyadic.sparse((rng.random((n, n)) < 0.2).astype(float)),
    }
    dense = {"rank1": np.outer(factors["rank1"].u, factors["rank1"].v),
             "block": (factors["block"].g[:, None] == factors["block"].g[None, :]).astype(float),
             "sparse": factors["sparse"].dense}
    alpha, beta = (rng.random(n) < 0.8).astype(float), (rng.random(n) < 0.9).astype(float)
    mask = np.outer(alpha, beta).astype(bool) & ~np.eye(n, dtype=bool)
    s_rows, s_cols = np.nonzero(mask & (rng.random((n, n)) < 0.1))
    mask[s_rows, s_cols] = False
    order = rng.permutation(n)
    inverse = np.argsort(order)
    for a in factors:
        for b in factors:
            expected = (dense[a] * dense[b])[mask].sum()
            assert dyadic.inner(factors[a], factors[b], alpha, beta, s_rows, s_cols) == pytest.approx(expected)
            moved = factors[a].permuted(order, inverse)
            expected = (dense[a][np.ix_(order, order)] * dense[b])[mask].sum()
            assert dyadic.inner(moved, factors[b], alpha, beta, s_rows, s_cols) == pytest.approx(expected), (a, b)
