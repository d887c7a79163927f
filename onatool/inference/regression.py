"""Network regression: MRQAP with double semi-partialling (Dekker, Krackhardt & Snijders 2007).

The evaluator's question, "does being on the programme predict new cross-boundary ties,
allowing for organisation, level and prior ties?", is a regression whose cases are pairs of
people. Pairs are not independent (the same person sits in many pairs), so p-values come
from permutations that keep the network's row and column structure: quadratic assignment
(QAP). onatool uses Dekker, Krackhardt and Snijders' double semi-partialling: for each term,
the term is first regressed on the others, and its residual matrix is permuted (rows and
columns together) before the full model is fitted again. This is sna's ``netlm`` and
``netlogit`` with ``nullhyp="qapspp"``.

Terms
-----
``intercept``
    Always first.
``RELATION`` or ``RELATION@WAVE``
    1 where the sender named the receiver in that relation (at the threshold), in the
    outcome's wave or the named one. Unknown (the cell is left out) where the sender did
    not answer that wave.
``earlier``
    The outcome's relation in the wave before the outcome's wave (for ``new``: the
    earlier of the two waves, which is 0 on every case, so it cannot be used there).
``same:ATTR``
    1 when both people are in the same group of ``ATTR``; unknown where either has no
    value (blank text is missing).
``sender:ATTR``, ``receiver:ATTR``, ``sender:ATTR=VALUE``, ``receiver:ATTR=VALUE``
    The sender's (receiver's) attribute: a number as it is; true/false as 1/0; with
    ``=VALUE``, 1 for that value and 0 for any other (unknown where missing, except
    ``cohort``, where no value means on no programme: 0); the ``cohort`` column without
    a value is 1 for anyone on a programme.

Outcome
-------
``RELATION`` (or ``RELATION@WAVE``): the tie in the last wave given. ``new``: between the
last two waves, 1 where a tie is present in the later wave and absent in the earlier, over
pairs untied in the earlier wave, among people on both waves.

Cells are the ordered pairs ``i != j`` whose sender answered (both waves, for ``new``);
unordered pairs when the outcome relation is symmetric (known when either answered). A
cell where any term is unknown is left out, and the number of cells used is reported.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.errors import InputFormatError, NotDefinedError
from onatool.network import Network

__all__ = ["DEFAULT_PERMUTATIONS", "MODELS", "Design", "Regression", "describe_term", "design", "mrqap",
           "p_text", "regress"]

def p_text(p: float | None) -> str:
    """A permutation p-value in words: never "0.000", which no finite test can show.

    Examples
    --------
    >>> p_text(0.0), p_text(0.0412), p_text(None)
    ('< 0.001', '0.041', 'not tested')
    """
    if p is None:
        return "not tested"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


#: The models: ordinary least squares (= sna ``netlm``) and logistic (= sna ``netlogit``).
MODELS = ("linear", "logistic")
#: Permutations per term unless told otherwise.
DEFAULT_PERMUTATIONS = 1000
#: The outcome that means "ties present in the later wave and absent in the earlier one".
NEW = "new"
INTERCEPT = "intercept"
#: The outcome's relation one wave earlier.
EARLIER = "earlier"


@dataclass(frozen=True, eq=False)
class Design:
    """The dyadic matrices of one regression, before any fit.

    Attributes
    ----------
    people
        ``person_id`` of each row and column.
    outcome
        ``n x n``; NaN where the outcome is unknown or the cell is not a case.
    terms
        Term name -> ``n x n`` predictor matrix (NaN where unknown), intercept first.
    symmetric
        True when cells are unordered pairs (lower triangle).
    outcome_name
        The outcome as asked for.
    """

    people: pd.Index
    outcome: np.ndarray
    terms: dict[str, np.ndarray]
    symmetric: bool
    outcome_name: str

    @property
    def names(self) -> list[str]:
        """Term names, in order."""
        return list(self.terms)

    def candidate_cells(self) -> np.ndarray:
        """Boolean ``n x n`` mask of the pairs a case can be: off the diagonal (lower
        triangle when symmetric)."""
        n = len(self.people)
        mask = ~np.eye(n, dtype=bool)
        if self.symmetric:
            mask &= np.tri(n, k=-1, dtype=bool)
        return mask

    def cells(self) -> np.ndarray:
        """Boolean ``n x n`` mask of the cells used: candidates where every matrix is known."""
        mask = self.candidate_cells() & ~np.isnan(self.outcome)
        for matrix in self.terms.values():
            mask &= ~np.isnan(matrix)
        return mask


@dataclass(frozen=True)
class Regression:
    """A fitted network regression with its permutation p-values.

    Attributes
    ----------
    model, outcome, cells, permutations, seed
        As in ``regression.json`` (docs/metrics.md, "Network regression").
    terms
        One dict per term: ``term``, ``coefficient``, ``p_value`` and, for the logistic
        model, ``odds_ratio``.
    statistic
        What the permutation test compares: ``"t-value"`` (linear) or ``"coefficient"``
        (logistic), as sna does.
    people
        People with at least one cell (as sender or receiver).
    groups
        For each ``sender:``/``receiver:`` term that is 0/1: how many of those people
        have 1 and how many 0 (the disclosure gate withholds a term resting on a group
        under ``k``).
    notes
        What the disclosure gate withheld, if anything.
    """

    model: str
    outcome: str
    cells: int
    permutations: int
    seed: int
    terms: list[dict[str, Any]] = field(default_factory=list)
    statistic: str = "t-value"
    people: int = 0
    groups: dict[str, tuple[int, int]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``regression.json`` document."""
        return {"model": self.model, "outcome": self.outcome, "cells": self.cells,
                "permutations": self.permutations, "seed": self.seed,
                "terms": [dict(term) for term in self.terms]}

    def table(self) -> pd.DataFrame:
        """The ``regression.csv`` table: one row per term."""
        return pd.DataFrame(self.terms)


def describe_term(term: str) -> str:
    """A term in words, for tables and sentences.

    Examples
    --------
    >>> describe_term("same:organisation"), describe_term("receiver:level=top")
    ('Both in the same organisation', 'The person named is level top')
    >>> describe_term("sender:cohort"), describe_term("trust@baseline")
    ('The person naming is on a programme (cohort)', 'The person naming named them for trust at baseline')
    """
    if term == INTERCEPT:
        return "Baseline (every other term 0)"
    if term == EARLIER:
        return "A tie between them at the wave before"
    kind, colon, rest = term.partition(":")
    if colon and kind in ("same", "sender", "receiver"):
        spec, _, wave = rest.partition("@")
        attribute, has_value, value = spec.partition("=")
        at = f" at {wave}" if wave else ""
        if kind == "same":
            return f"Both in the same {attribute}{at}"
        who = "The person naming" if kind == "sender" else "The person named"
        if has_value:
            return f"{who} is {attribute} {value}{at}"
        if attribute == schema.COHORT:
            return f"{who} is on a programme (cohort){at}"
        return f"{who}: {attribute}{at}"
    relation, _, wave = term.partition("@")
    return f"The person naming named them for {relation}" + (f" at {wave}" if wave else "")


# Building the design ---------------------------------------------------------------------

def _by_wave(networks: Sequence[Network]) -> dict[str, Network]:
    waves: dict[str, Network] = {}
    for net in networks:
        if net.wave in waves:
            raise InputFormatError(f"wave {net.wave!r} is given twice",
                                   expected="each wave once, in time order")
        waves[net.wave] = net
    return waves


def _split_wave(term: str, waves: dict[str, Network], default: Network) -> tuple[str, Network]:
    name, _, wave = term.partition("@")
    if not wave:
        return name, default
    if wave not in waves:
        raise NotDefinedError(f"term {term!r} names wave {wave!r}, which is not given; "
                              f"the waves are {', '.join(map(repr, waves))}")
    return name, waves[wave]


def _tie_matrix(net: Network, relation: str, people: pd.Index, min_weight: float | None,
                *, symmetric: bool | None = None) -> np.ndarray:
    """1 where the sender named the receiver, 0 where not, NaN where the sender's answers
    are unknown (did not answer, or not on that wave). Symmetric relations: a pair is known
    when either person answered, and tied when either named the other."""
    lay = engine.layer(net, relation, min_weight, symmetric=symmetric)
    n = len(people)
    matrix = np.zeros((n, n))
    position = people.get_indexer(lay.ids)
    src, dst = position[lay.src], position[lay.dst]
    keep = (src >= 0) & (dst >= 0)
    matrix[src[keep], dst[keep]] = 1.0
    answered = np.zeros(n, dtype=bool)
    on_wave = position >= 0
    answered[position[on_wave]] = lay.responded[on_wave]
    if lay.directed:
        matrix[~answered, :] = np.nan
    else:
        unknown = ~answered[:, None] & ~answered[None, :]
        matrix[unknown] = np.nan
    return matrix


def _attribute(people: pd.DataFrame, attribute: str, term: str) -> pd.Series:
    if attribute not in people.columns or attribute == schema.RESPONDED:
        have = [c for c in people.columns if c != schema.RESPONDED]
        raise NotDefinedError(f"term {term!r}: attribute {attribute!r} is not in the people "
                              f"table; it has {', '.join(map(repr, have)) or 'no attributes'}")
    values = people[attribute]
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype | pd.CategoricalDtype):
        text = values.astype("string").str.strip()
        values = values.where(~(values.isna() | (text == "")))
    return values


def _person_values(people: pd.DataFrame, spec: str, term: str) -> np.ndarray:
    """One number per person for ``sender:``/``receiver:`` terms (NaN where unknown)."""
    attribute, has_value, value = spec.partition("=")
    values = _attribute(people, attribute, term)
    if has_value:
        # No cohort means on no programme: 0, not unknown. Other blanks are unknown.
        known = values.notna() | (attribute == schema.COHORT)
        hit = values.astype("string").str.strip().str.casefold() == value.strip().casefold()
        return np.where(known, hit.fillna(False).to_numpy(dtype=float), np.nan)
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(float).to_numpy()
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype(float).to_numpy()
    if attribute == schema.COHORT:
        return values.notna().to_numpy(dtype=float)
    choices = sorted(map(str, values.dropna().unique()))[:8]
    raise InputFormatError(
        f"term {term!r}: {attribute!r} holds text, so the term needs a value",
        expected=f"{term.split(':')[0]}:{attribute}=VALUE, with VALUE one of {', '.join(choices)}")


def _same_group(people: pd.DataFrame, attribute: str, term: str) -> np.ndarray:
    values = _attribute(people, attribute, term)
    codes, _ = pd.factorize(values)
    same = (codes[:, None] == codes[None, :]).astype(float)
    unknown = codes < 0
    same[unknown, :] = np.nan
    same[:, unknown] = np.nan
    return same


def _term_matrix(term: str, waves: dict[str, Network], base: Network, people: pd.Index,
                 min_weight: float | None, earlier: tuple[str, Network | None] | None = None) -> np.ndarray:
    n = len(people)
    if term == INTERCEPT:
        return np.ones((n, n))
    if term == EARLIER:
        relation, net = earlier if earlier is not None else ("", None)
        if net is None:
            raise NotDefinedError(f"term {term!r} needs the wave before the outcome's: give the earlier "
                                  "wave too")
        return _tie_matrix(net, relation, people, min_weight)
    kind, colon, rest = term.partition(":")
    if colon and kind in ("same", "sender", "receiver"):
        spec, net = _split_wave(rest, waves, base)
        table = net.people.reindex(people)
        if kind == "same":
            return _same_group(table, spec, term)
        values = _person_values(table, spec, term)
        return np.repeat(values[:, None], n, axis=1) if kind == "sender" else np.repeat(
            values[None, :], n, axis=0)
    relation, net = _split_wave(term, waves, base)
    return _tie_matrix(net, relation, people, min_weight)


def design(
    networks: Network | Sequence[Network],
    outcome: str,
    predictors: Sequence[str],
    *,
    relation: str | None = None,
    min_weight: float | None = None,
) -> Design:
    """The outcome and predictor matrices of a network regression.

    Parameters
    ----------
    networks
        One wave, or several in time order (the last is the outcome's wave).
    outcome
        A relation (``advice``, ``advice@baseline``) or ``new``.
    predictors
        Terms as in the module notes; the intercept is added first.
    relation
        For ``new``: the relation whose new ties are the outcome (default: the only
        relation of the later wave).
    min_weight
        Tie threshold for every relation (None: weight above 0).

    Raises
    ------
    InputFormatError
        A term is malformed, repeated or needs a value.
    NotDefinedError
        A relation, attribute or wave is not there, or ``new`` has fewer than two waves.
    """
    nets = [networks] if isinstance(networks, Network) else list(networks)
    if not nets:
        raise InputFormatError("network regression needs at least one wave", expected="a wave")
    waves = _by_wave(nets)
    names = [INTERCEPT, *[p for p in predictors if p != INTERCEPT]]
    repeated = {p for p in names if names.count(p) > 1}
    if repeated:
        raise InputFormatError(f"term {sorted(repeated)[0]!r} is given twice", expected="each term once")
    if outcome == NEW:
        if len(nets) < 2:
            raise NotDefinedError("the outcome 'new' needs two waves: give the earlier wave too")
        before, after = nets[-2], nets[-1]
        chosen = relation or (after.relation_names[0] if len(after.relation_names) == 1 else None)
        if chosen is None:
            raise InputFormatError("the outcome 'new' needs a relation",
                                   expected=f"one of {', '.join(after.relation_names)}")
        people = after.people.index.intersection(before.people.index, sort=False)
        symmetric = after.is_symmetric(chosen)
        earlier = _tie_matrix(before, chosen, people, min_weight)
        later = _tie_matrix(after, chosen, people, min_weight)
        y = np.where(earlier == 1, np.nan, later)
        y[np.isnan(earlier)] = np.nan
        base = after
        previous = (chosen, before)
    else:
        chosen_relation, base = _split_wave(outcome, waves, nets[-1])
        people = base.people.index
        symmetric = base.is_symmetric(chosen_relation) if chosen_relation in base.relation_names else False
        y = _tie_matrix(base, chosen_relation, people, min_weight)
        position = next(i for i, net in enumerate(nets) if net is base)
        previous = (chosen_relation, nets[position - 1] if position > 0 else None)
    terms = {name: _term_matrix(name, waves, base, people, min_weight, previous) for name in names}
    return Design(pd.Index(people, name=schema.PERSON_ID), y, terms, symmetric, outcome)


# Fitting -----------------------------------------------------------------------------------

def _vectors(d: Design, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = d.outcome[cells]
    x = np.column_stack([matrix[cells] for matrix in d.terms.values()])
    return y, x


def _check_identified(x: np.ndarray, y: np.ndarray, names: list[str], model: str) -> None:
    if len(y) <= x.shape[1]:
        raise NotDefinedError(f"only {len(y)} pairs can be used, too few for {x.shape[1]} terms")
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        for k in range(1, x.shape[1]):
            if np.linalg.matrix_rank(x[:, : k + 1]) <= k:
                raise NotDefinedError(
                    f"term {names[k]!r} is fully explained by the terms before it "
                    f"({', '.join(names[:k])}) over the pairs used: leave it out")
    if model == "logistic" and (y.min() == y.max()):
        raise NotDefinedError("the outcome is the same for every pair used: a logistic model "
                              "cannot be fitted")


def _fit(y: np.ndarray, x: np.ndarray, model: str, start: np.ndarray | None = None) -> Any:
    import statsmodels.api as sm

    if model == "linear":
        return sm.OLS(y, x).fit()
    return sm.GLM(y, x, family=sm.families.Binomial()).fit(start_params=start)


def _permuted(matrix: np.ndarray, order: np.ndarray) -> np.ndarray:
    return matrix[np.ix_(order, order)]


def _linear_statistics(y: np.ndarray, others: np.ndarray, residual: np.ndarray,
                       cells: np.ndarray, orders: np.ndarray) -> np.ndarray:
    """t-values of the permuted residual term, by the Frisch-Waugh-Lovell identity.

    For ``y ~ [Z, e]`` the coefficient of ``e`` is ``e'r / e'Me`` with ``r`` the residual
    of ``y`` on ``Z`` and ``M`` the annihilator of ``Z``: the same least-squares numbers as
    a full refit, computed once per permutation from ``Z``'s QR.
    """
    q, _ = np.linalg.qr(others)
    r = y - q @ (q.T @ y)
    rr = float(r @ r)
    dof = len(y) - others.shape[1] - 1
    out = np.empty(len(orders))
    rows, cols = np.nonzero(cells)
    for k, order in enumerate(orders):
        e = residual[order[rows], order[cols]]
        if np.isnan(e).any():  # an unknown residual lands on a case: refit on the others
            out[k] = _refit_statistic(y, others, e, "linear", None)
            continue
        qe = q.T @ e
        ee = float(e @ e - qe @ qe)
        if ee <= 1e-12 * max(float(e @ e), 1.0):
            out[k] = np.nan
            continue
        b = float(e @ r) / ee
        resvar = max(rr - b * b * ee, 0.0) / dof
        out[k] = b / np.sqrt(resvar / ee) if resvar > 0 else np.copysign(np.inf, b)
    return out


def _factor(name: str, matrix: np.ndarray, known: np.ndarray) -> Any:
    """The term's matrix in factored form (:mod:`onatool.inference.dyadic`), checked
    against the matrix where it is known; None if it does not have the shape."""
    from onatool.inference import dyadic

    n = len(matrix)
    kind = name.split(":", 1)[0] if ":" in name else ""
    if name == INTERCEPT:
        factor = dyadic.rank1(np.ones(n), np.ones(n))
    elif kind == "sender":
        factor = dyadic.rank1(matrix[:, 0] if n else matrix[:0, 0], np.ones(n))
    elif kind == "receiver":
        factor = dyadic.rank1(np.ones(n), matrix[0, :] if n else matrix[0, :0])
    elif kind == "same":
        member = np.nan_to_num(matrix) == 1
        codes = np.where(np.isnan(np.diagonal(matrix)), -1, np.argmax(member, axis=1))
        factor = dyadic.block(codes)
    elif np.isin(matrix[known], (0.0, 1.0)).all():
        factor = dyadic.sparse(matrix)
        if len(factor.rows) > 0.25 * max(int(known.sum()), 1):
            return None  # dense ties: the cell-by-cell refit is as quick
    else:
        return None
    if factor.kind == "rank1":
        rebuilt = np.outer(factor.u, factor.v)
    elif factor.kind == "block":
        rebuilt = (factor.g[:, None] == factor.g[None, :]).astype(float)
    else:
        rebuilt = factor.dense
    return factor if np.array_equal(rebuilt[known], matrix[known]) else None


def _fast_linear(d: Design, cells: np.ndarray, x_known: np.ndarray, orders: np.ndarray,
                 ) -> np.ndarray | None:
    """Every term's permutation t-values from the matrices' structure
    (:func:`onatool.inference.dyadic.dsp_t_values`), or None when the design lacks it
    (symmetric relations, dense or weighted matrices, unknown cells in no row/column pattern)."""
    from onatool.inference import dyadic

    if d.symmetric:
        return None
    st = dyadic.structure(cells, x_known)
    if st is None:
        return None
    factors = [_factor(name, matrix, x_known) for name, matrix in d.terms.items()]
    outcome = np.where(cells, d.outcome, 0.0)
    if any(f is None for f in factors) or not np.isin(outcome[cells], (0.0, 1.0)).all():
        return None
    y = dyadic.sparse(outcome)
    # Residual of each term on the others over every pair where the terms are known, as a
    # combination of the terms: the same least squares statsmodels fits, from the Gram matrix.
    none = np.zeros(0, dtype=np.int64)
    g = dyadic.gram(factors, factors, st.known_rows, st.known_cols, none, none, symmetric=True)
    k_terms = len(factors)
    combinations = np.eye(k_terms)
    for k in range(k_terms):
        rest = [m for m in range(k_terms) if m != k]
        combinations[k, rest] = -np.linalg.lstsq(g[np.ix_(rest, rest)], g[rest, k], rcond=None)[0]
    return dyadic.dsp_t_values(factors, y, combinations, st, orders)


def _refit_statistic(y: np.ndarray, others: np.ndarray, e: np.ndarray, model: str,
                     start: np.ndarray | None) -> float:
    keep = ~np.isnan(e)
    x = np.column_stack([others[keep], e[keep]])
    try:
        # A permuted replicate may separate the outcome perfectly; its estimate is still the
        # replicate's value, so the warnings of that fit are not the user's business.
        with warnings.catch_warnings(), np.errstate(over="ignore", divide="ignore"):
            warnings.simplefilter("ignore")
            fit = _fit(y[keep], x, model, start)
    except (np.linalg.LinAlgError, ValueError):
        return np.nan
    if model == "linear":
        return float(fit.tvalues[-1])
    return float(fit.params[-1])


def mrqap(d: Design, *, model: str = "linear", permutations: int = DEFAULT_PERMUTATIONS,
          seed: int = 0) -> Regression:
    """Fit the model and test every term by double semi-partialling QAP.

    Parameters
    ----------
    d
        The matrices (:func:`design`).
    model
        ``"linear"`` (OLS, = sna ``netlm``) or ``"logistic"`` (= sna ``netlogit``).
    permutations
        Permutations per term (0: coefficients only, no p-values).
    seed
        Seeds the permutations; the same seed gives the same p-values.

    Returns
    -------
    Regression
        Coefficients from statsmodels on the cells used; ``p_value`` is the share of
        permutations whose statistic is at least as far from zero as the observed one
        (sna's ``pgreqabs``): the t-value for the linear model, the coefficient for the
        logistic, as sna compares them.

    Notes
    -----
    For term ``k``: regress matrix ``X_k`` on the other terms over the cells where every
    term is known; permute the residual matrix's rows and columns together; refit
    ``y ~ X_{-k} + permuted residual``; the permuted term's statistic makes the null
    distribution (Dekker, Krackhardt & Snijders 2007, Psychometrika 72, 563-581).

    References
    ----------
    Krackhardt (1988) Social Networks 10, 359-381. Butts, sna: ``netlm``, ``netlogit``.
    """
    if model not in MODELS:
        raise InputFormatError(f"model {model!r} is unknown", expected=" or ".join(MODELS))
    if isinstance(permutations, bool) or not isinstance(permutations, int | np.integer) or permutations < 0:
        raise InputFormatError(f"permutations={permutations!r} is not valid",
                               expected="a whole number, 0 or more (1000 is usual)")
    cells = d.cells()
    y, x = _vectors(d, cells)
    names = d.names
    _check_identified(x, y, names, model)
    observed = _fit(y, x, model)
    coefficients = np.asarray(observed.params, dtype=float)
    statistic = np.asarray(observed.tvalues if model == "linear" else observed.params, dtype=float)
    p_values = np.full(len(names), np.nan)
    if permutations:
        rng = np.random.default_rng(seed)
        n = len(d.people)
        orders = np.array([rng.permutation(n) for _ in range(permutations)])
        x_known = d.candidate_cells()
        for matrix in d.terms.values():
            x_known &= ~np.isnan(matrix)
        fast = _fast_linear(d, cells, x_known, orders) if model == "linear" else None
        for k, name in enumerate(names):
            if fast is not None:
                dist = fast[:, k]
                valid = ~np.isnan(dist)
                p_values[k] = float(np.mean(np.abs(dist[valid]) >= np.abs(statistic[k]) - 1e-12)) \
                    if valid.any() else np.nan
                continue
            others_names = [m for m in names if m != name]
            # Residual of term k on the others, over every pair where the terms are known.
            xk = d.terms[name][x_known]
            z = np.column_stack([d.terms[m][x_known] for m in others_names])
            residual = np.full((n, n), np.nan)
            residual[x_known] = xk - _fit(xk, z, "linear").fittedvalues
            if d.symmetric:
                upper = np.triu(np.ones((n, n), dtype=bool), 1)
                residual[upper] = residual.T[upper]
            others = np.column_stack([d.terms[m][cells] for m in others_names])
            if model == "linear":
                dist = _linear_statistics(y, others, residual, cells, orders)
            else:
                dist = np.array([
                    _refit_statistic(y, others, _permuted(residual, order)[cells], model,
                                     np.append(np.delete(coefficients, k), coefficients[k]))
                    for order in orders])
            valid = ~np.isnan(dist)
            p_values[k] = float(np.mean(np.abs(dist[valid]) >= np.abs(statistic[k]) - 1e-12)) \
                if valid.any() else np.nan
    terms = []
    for k, name in enumerate(names):
        row: dict[str, Any] = {"term": name, "coefficient": float(coefficients[k]),
                               "p_value": None if np.isnan(p_values[k]) else float(p_values[k])}
        if model == "logistic":
            row["odds_ratio"] = float(np.exp(coefficients[k]))
        terms.append(row)
    return Regression(model=model, outcome=d.outcome_name, cells=int(cells.sum()),
                      permutations=int(permutations), seed=int(seed), terms=terms,
                      statistic="t-value" if model == "linear" else "coefficient",
                      people=int((cells.any(axis=0) | cells.any(axis=1)).sum()),
                      groups=_group_sizes(d, cells))


def _group_sizes(d: Design, cells: np.ndarray) -> dict[str, tuple[int, int]]:
    """People with 1 and with 0 on each 0/1 ``sender:``/``receiver:`` term, among those whose
    row (sender) or column (receiver) has a cell."""
    out: dict[str, tuple[int, int]] = {}
    for name, matrix in d.terms.items():
        kind = name.split(":", 1)[0]
        if kind not in ("sender", "receiver"):
            continue
        used = cells.any(axis=1) if kind == "sender" else cells.any(axis=0)
        values = (matrix[:, 0] if kind == "sender" else matrix[0, :])[used]
        if np.isin(values, (0.0, 1.0)).all():
            ones = int((values == 1).sum())
            out[name] = (ones, int(len(values) - ones))
    return out


def regress(
    networks: Network | Sequence[Network],
    outcome: str,
    predictors: Sequence[str],
    *,
    model: str = "linear",
    relation: str | None = None,
    min_weight: float | None = None,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
) -> Regression:
    """Network regression in one call: :func:`design`, then :func:`mrqap`.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")],
    ...     relation="advice", people={p: {"organisation": o} for p, o in
    ...     [("a", "X"), ("b", "X"), ("c", "Y"), ("d", "Y")]})
    >>> fit = regress(net, "advice", ["same:organisation"], permutations=0)
    >>> [t["term"] for t in fit.terms], fit.cells
    (['intercept', 'same:organisation'], 12)
    """
    d = design(networks, outcome, predictors, relation=relation, min_weight=min_weight)
    return mrqap(d, model=model, permutations=permutations, seed=seed)
