"""Change between waves: tie churn, Jaccard, QAP, boundary change, deltas and cohorts.

Two or more :class:`~onatool.network.Network` waves of one project (one pseudonym key,
so a ``person_id`` means the same person in every wave) are compared in time order.

Who is compared
---------------
Tie churn, QAP and the cohort comparison are computed over the people *present* in
both waves, by the rule ``present``:

``"respondents"`` (default)
    on both waves' people tables and a respondent in both. A non-respondent's missing
    out-ties are unknown, not absent: counting them as lost (or new) would read a
    change in who answered as a change in relationships.
``"all"``
    everyone on both waves' people tables; a non-respondent's unreported ties count
    as absent. Use it only when response was (near) complete in both waves.

People on the later wave's table only are *joiners*, on the earlier only *leavers*;
people on both tables whom the rule leaves out are *not compared*. All three are
listed apart and never counted in lost or new ties.

Directed relations compare ordered pairs (``a`` names ``b``); symmetric ones compare
unordered pairs, a pair being tied when either person reported it (the higher weight
kept). Person, group and network measures come from :func:`onatool.metrics.analyse`
run on each whole wave, side by side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, NotDefinedError, UnknownPersonError
from onatool.network import Network
from onatool.report.tables import write_csv, write_json

__all__ = [
    "CHANGE_ATTRIBUTES",
    "DEFAULT_PERMUTATIONS",
    "PRESENT_RULES",
    "Comparison",
    "change_network",
    "cohort_change",
    "compare_waves",
    "group_change",
    "jaccard_reading",
    "network_change",
    "people_change",
    "qap",
    "qap_test",
    "tie_churn",
    "write_comparison",
]

#: Rules for who is compared (see the module notes).
PRESENT_RULES = ("respondents", "all")
#: Permutations for QAP and cohort p-values unless told otherwise.
DEFAULT_PERMUTATIONS = 1000
#: Boundary attributes whose crossing is counted, when present in every wave.
CHANGE_ATTRIBUTES = (
    schema.ORGANISATION, schema.SECTOR, schema.PROFESSION, schema.LEVEL, schema.PLACE,
)
#: Cohorts smaller than this are flagged: a mean over a handful of people is fragile.
SMALL_COHORT = 10

# Network keys that are p-values (the E-I permutation test), not amounts.
_P_VALUE_PREFIXES = ("ei_p_",)
# Person columns that are labels (community numbers), not amounts: not compared.
_LABEL_COLUMNS = frozenset({"community"})

_P_CONVENTION = (
    "two-sided: (number of permutations with |statistic| >= |observed| + 1) / "
    "(permutations + 1)"
)
# Up to this many people, QAP looks cells up in a dense n x n boolean matrix
# (n^2 bytes); above it, in the sorted tie codes.
_DENSE_PEOPLE = 6000
# Cells gathered per batch of permutations: bounds memory at a few tens of MB.
_BATCH_CELLS = 1_000_000


# ---------------------------------------------------------------------------------
# One pair of waves, restricted to the people compared
# ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Pair:
    """Two layered waves over the people compared, ties as sorted integer codes.

    A tie between the i-th and j-th person compared has code ``i * n + j``; for a
    symmetric relation ``i < j``.
    """

    before: Network
    after: Network
    ids: pd.Index
    symmetric: bool
    codes_before: np.ndarray
    weights_before: np.ndarray
    codes_after: np.ndarray
    weights_after: np.ndarray
    joiners: pd.Index
    leavers: pd.Index
    not_compared: pd.Index

    @property
    def n(self) -> int:
        return len(self.ids)


def _check_present(present: str) -> None:
    if present not in PRESENT_RULES:
        raise NotDefinedError(
            f"present={present!r} is not a rule for who is compared; "
            f"use one of {', '.join(PRESENT_RULES)}"
        )


def _layers(
    networks: Sequence[Network], relation: str | None, min_weight: float | None,
    symmetric: bool | None,
) -> tuple[list[Network], bool, str]:
    """Each wave's chosen relation at the threshold; whether to read it as symmetric."""
    layers = [net.layer(relation, min_weight) for net in networks]
    if symmetric is None:
        votes = [net.is_symmetric(r) for net in layers for r in net.relation_names]
        symmetric = bool(votes) and all(votes)
    names = sorted({r for net in layers for r in net.relation_names})
    return layers, bool(symmetric), "+".join(names) if names else (relation or "")


def _tie_codes(net: Network, ids: pd.Index, symmetric: bool) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique pair codes among ``ids`` and their weights (max over duplicates)."""
    n = len(ids)
    source = ids.get_indexer(net.ties[schema.SOURCE])
    target = ids.get_indexer(net.ties[schema.TARGET])
    weight = net.ties[schema.WEIGHT].to_numpy(dtype=float)
    inside = (source >= 0) & (target >= 0)
    source, target, weight = source[inside], target[inside], weight[inside]
    if symmetric:
        source, target = np.minimum(source, target), np.maximum(source, target)
    codes = source.astype(np.int64) * n + target
    order = np.lexsort((weight, codes))
    codes, weight = codes[order], weight[order]
    last = np.r_[codes[1:] != codes[:-1], True] if len(codes) else np.zeros(0, bool)
    return codes[last], weight[last]


def _pair(before: Network, after: Network, *, symmetric: bool, present: str) -> _Pair:
    """Restrict two layered waves to the people compared under ``present``."""
    _check_present(present)
    on_both = before.people.index.intersection(after.people.index)
    ids = on_both
    if present == "respondents":
        answered = (
            before.people[schema.RESPONDED].reindex(on_both).to_numpy(dtype=bool)
            & after.people[schema.RESPONDED].reindex(on_both).to_numpy(dtype=bool)
        )
        ids = on_both[answered]
    ids = pd.Index(sorted(ids), name=schema.PERSON_ID)
    codes_before, weights_before = _tie_codes(before, ids, symmetric)
    codes_after, weights_after = _tie_codes(after, ids, symmetric)
    return _Pair(
        before, after, ids, symmetric, codes_before, weights_before, codes_after, weights_after,
        joiners=after.people.index.difference(before.people.index),
        leavers=before.people.index.difference(after.people.index),
        not_compared=on_both.difference(ids),
    )


# ---------------------------------------------------------------------------------
# Tie churn
# ---------------------------------------------------------------------------------
def jaccard_reading(jaccard: float) -> str:
    """A plain-language reading of a Jaccard index between two waves.

    Parameters
    ----------
    jaccard
        Shared ties over ties in either wave, in [0, 1], or NaN.

    Returns
    -------
    str
        One or two sentences an evaluator can read out.

    Notes
    -----
    Snijders, van de Bunt and Steglich (2010) advise that consecutive waves should
    preferably have a Jaccard index above 0.3, and that values below 0.2 cast doubt on
    treating the waves as one network evolving gradually (unless the first wave is
    much denser than the second). Above about 0.9 little has changed.

    References
    ----------
    Snijders, T. A. B., van de Bunt, G. G. & Steglich, C. E. G. (2010). Introduction to
    stochastic actor-based models for network dynamics. *Social Networks* 32(1), 44-60.
    https://doi.org/10.1016/j.socnet.2009.02.004

    Examples
    --------
    >>> jaccard_reading(0.45).split(":")[0]
    'Moderate change'
    >>> jaccard_reading(0.1).split(":")[0]
    'Very different'
    """
    if jaccard is None or not math.isfinite(jaccard):
        return "Not defined: there are no ties among the people compared in either wave."
    share = f"{jaccard:.0%} of the ties seen in either wave are in both"
    if jaccard < 0.2:
        return (
            f"Very different: {share}. Below 0.2 the two waves are better read as two "
            "different networks than as one network evolving (Snijders et al. 2010); "
            "check that the same question, relation and threshold were used."
        )
    if jaccard < 0.3:
        return (
            f"Borderline: {share}. Between 0.2 and 0.3 the waves are only just similar "
            "enough to read as one network evolving (Snijders et al. 2010): read change "
            "figures with care."
        )
    if jaccard < 0.9:
        return f"Moderate change: {share}, so the second wave reads as the same network evolving."
    return f"Little change: {share}."


def _churn(pair: _Pair) -> dict[str, Any]:
    in_after = np.isin(pair.codes_before, pair.codes_after, assume_unique=True)
    in_before = np.isin(pair.codes_after, pair.codes_before, assume_unique=True)
    stable = int(in_after.sum())
    lost = len(pair.codes_before) - stable
    new = len(pair.codes_after) - stable
    # Both code arrays are sorted, so the stable ties line up in the same order.
    before, after = pair.weights_before[in_after], pair.weights_after[in_before]
    union = stable + lost + new
    jaccard = stable / union if union else float("nan")
    return {
        "people_compared": pair.n,
        "stable": stable,
        "lost": lost,
        "new": new,
        "hamming": lost + new,
        "jaccard": jaccard,
        "jaccard_reading": jaccard_reading(jaccard),
        "strengthened": int((after > before).sum()),
        "weakened": int((after < before).sum()),
    }


def tie_churn(
    before: Network,
    after: Network,
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    present: str = "respondents",
) -> dict[str, Any]:
    """Ties kept, lost and gained between two waves, among the people compared.

    Parameters
    ----------
    before, after
        Two waves of one project, in time order.
    relation, min_weight
        The relation and weight threshold (see :meth:`Network.layer`).
    symmetric
        Compare unordered pairs; None follows the relation's declaration.
    present
        Who is compared: ``"respondents"`` (on both people tables and a respondent in
        both; default) or ``"all"`` (on both tables). See the module notes.

    Returns
    -------
    dict
        ``people_compared``; ``stable``, ``lost``, ``new`` (ties in both waves, only the
        first, only the second); ``hamming`` = lost + new; ``jaccard`` in [0, 1] (NaN
        when neither wave has a tie); ``jaccard_reading``; ``strengthened`` and
        ``weakened``: stable ties whose weight rose or fell.

    Raises
    ------
    NotDefinedError
        An unknown relation or ``present`` rule.

    Notes
    -----
    ``jaccard = stable / (stable + lost + new)``. Plainly: of all the relationships
    seen in either wave, the share seen in both.

    References
    ----------
    Snijders, van de Bunt & Steglich (2010), see :func:`jaccard_reading`.

    Examples
    --------
    >>> a = Network.from_edges([("x", "y"), ("y", "z")])
    >>> b = Network.from_edges([("x", "y"), ("z", "x")])
    >>> c = tie_churn(a, b)
    >>> c["stable"], c["lost"], c["new"], c["jaccard"]
    (1, 1, 1, 0.3333333333333333)
    """
    layers, sym, _ = _layers([before, after], relation, min_weight, symmetric)
    return _churn(_pair(layers[0], layers[1], symmetric=sym, present=present))


# ---------------------------------------------------------------------------------
# QAP
# ---------------------------------------------------------------------------------
class _CellLookup:
    """Whether cells ``(row, column)`` hold a tie, for many cells at once."""

    def __init__(self, codes: np.ndarray, n: int):
        self.n = n
        self.codes = codes
        self.dense: np.ndarray | None = None
        if n <= _DENSE_PEOPLE:
            self.dense = np.zeros(n * n, dtype=bool)
            self.dense[codes] = True

    def count(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Ties found per row of the (batch, cells) arrays."""
        cells = rows.astype(np.int64) * self.n + columns
        if self.dense is not None:
            return self.dense[cells].sum(axis=1)
        if not len(self.codes):
            return np.zeros(len(cells), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.codes, cells), len(self.codes) - 1)
        return (self.codes[at] == cells).sum(axis=1)


def _both_directions(codes: np.ndarray, n: int) -> np.ndarray:
    rows, columns = np.divmod(codes, n)
    return np.sort(np.concatenate([codes, columns * n + rows]))


def _qap_codes(
    n: int, codes_x: np.ndarray, codes_y: np.ndarray, *, seed: int, permutations: int,
) -> tuple[float, float]:
    """Correlation and QAP p-value of two binary matrices given as sorted cell codes.

    Every permutation keeps the number of ties in each matrix, so only the cross
    product ``c = Σ x_ij y_π(i)π(j)`` changes and
    ``r = (N c − m_x m_y) / sqrt(m_x (N − m_x) m_y (N − m_y))`` with ``N = n(n − 1)``.
    ``|r_perm| >= |r_obs|`` is decided on the integers ``|N c − m_x m_y|``, so there
    are no rounding ties.
    """
    cells = n * (n - 1)
    mx, my = len(codes_x), len(codes_y)
    if n < 2 or mx in (0, cells) or my in (0, cells):
        return float("nan"), float("nan")
    observed = int(np.isin(codes_x, codes_y, assume_unique=True).sum())
    expected = mx * my
    r = (cells * observed - expected) / (
        math.sqrt(mx * (cells - mx)) * math.sqrt(my * (cells - my))
    )
    if permutations <= 0:
        return r, float("nan")
    rows, columns = np.divmod(codes_x, n)
    lookup = _CellLookup(codes_y, n)
    rng = np.random.default_rng(seed)
    threshold = abs(cells * observed - expected)
    batch = max(1, min(permutations, _BATCH_CELLS // mx))
    extreme = done = 0
    while done < permutations:
        size = min(batch, permutations - done)
        order = rng.permuted(np.tile(np.arange(n, dtype=np.int64), (size, 1)), axis=1)
        hits = lookup.count(order[:, rows], order[:, columns]).astype(np.int64)
        extreme += int((np.abs(cells * hits - expected) >= threshold).sum())
        done += size
    return r, (extreme + 1) / (permutations + 1)


def qap_test(
    x: np.ndarray, y: np.ndarray, *, seed: int = 0, permutations: int = DEFAULT_PERMUTATIONS,
) -> dict[str, float]:
    """Graph correlation of two adjacency matrices and its QAP permutation p-value.

    Parameters
    ----------
    x, y
        Square matrices of the same people in the same order; a non-zero cell is a
        tie. The diagonal is ignored.
    seed
        Seed of the permutations.
    permutations
        How many; 0 skips the test.

    Returns
    -------
    dict
        ``correlation`` in [-1, 1] (NaN when either matrix is empty or full off the
        diagonal), ``p`` in (0, 1], ``permutations``.

    Raises
    ------
    InputFormatError
        Matrices that are not square or not the same shape.

    Notes
    -----
    The correlation is Pearson's r over the ``n(n − 1)`` off-diagonal cells of the
    binarised matrices, equal to R sna's ``gcor(x, y)``. For a symmetric pair it equals
    the correlation over the upper triangle (sna ``mode = "graph"``), since every
    cell then appears twice. The p-value permutes the rows and columns of ``y``
    together (the same relabelling of people) and is two-sided:
    ``(#{|r_perm| >= |r_obs|} + 1) / (permutations + 1)``. Plainly: how often a random
    relabelling of the people makes the two networks look as alike (or as unalike)
    as they really are.

    References
    ----------
    Krackhardt, D. (1987). QAP partialling as a test of spuriousness. *Social Networks*
    9(2), 171-186. https://doi.org/10.1016/0378-8733(87)90012-8

    Examples
    --------
    >>> x = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    >>> result = qap_test(x, x, permutations=99)
    >>> result["correlation"], 0 < result["p"] <= 1
    (1.0, True)
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 2 or x.shape[0] != x.shape[1] or x.shape != y.shape:
        raise InputFormatError(
            f"QAP needs two square matrices of the same size; got {x.shape} and {y.shape}",
            expected="two n x n adjacency matrices over the same people in the same order",
        )
    n = x.shape[0]
    off = ~np.eye(n, dtype=bool)

    def codes(matrix: np.ndarray) -> np.ndarray:
        return np.flatnonzero((matrix != 0) & off).astype(np.int64)

    r, p = _qap_codes(n, codes(x), codes(y), seed=seed, permutations=permutations)
    return {"correlation": r, "p": p, "permutations": permutations}


def _qap(pair: _Pair, *, seed: int, permutations: int) -> dict[str, Any]:
    x, y = pair.codes_before, pair.codes_after
    if pair.symmetric:
        x, y = _both_directions(x, pair.n), _both_directions(y, pair.n)
    r, p = _qap_codes(pair.n, x, y, seed=seed, permutations=permutations)
    return {
        "qap_correlation": r,
        "qap_p": p,
        "qap_permutations": permutations,
        "qap_p_convention": _P_CONVENTION,
    }


def qap(
    before: Network,
    after: Network,
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    present: str = "respondents",
    seed: int = 0,
    permutations: int = DEFAULT_PERMUTATIONS,
) -> dict[str, Any]:
    """QAP correlation between two waves over the people compared.

    Parameters
    ----------
    before, after
        Two waves of one project, in time order.
    relation, min_weight, symmetric, present
        As for :func:`tie_churn`.
    seed, permutations
        For the permutation p-value.

    Returns
    -------
    dict
        ``qap_correlation`` in [-1, 1] (NaN if a wave has no tie), ``qap_p`` in (0, 1],
        ``qap_permutations``, ``qap_p_convention``.

    Notes
    -----
    See :func:`qap_test`. Plainly: 1 means the same people are tied in both waves,
    0 means the second wave's ties are unrelated to the first's.

    Examples
    --------
    >>> a = Network.from_edges([("x", "y"), ("y", "z"), ("z", "w")])
    >>> round(qap(a, a, permutations=0)["qap_correlation"], 6)
    1.0
    """
    layers, sym, _ = _layers([before, after], relation, min_weight, symmetric)
    pair = _pair(layers[0], layers[1], symmetric=sym, present=present)
    return _qap(pair, seed=seed, permutations=permutations)


# ---------------------------------------------------------------------------------
# Boundary change
# ---------------------------------------------------------------------------------
def _boundary_attributes(networks: Sequence[Network], attributes: Sequence[str] | None) -> list[str]:
    """The attributes whose crossings are counted: given, or the usual ones present."""
    if attributes is None:
        return [
            a for a in CHANGE_ATTRIBUTES
            if all(a in net.people.columns and net.people[a].notna().any() for net in networks)
        ]
    for attribute in attributes:
        for net in networks:
            if attribute not in net.people.columns:
                raise NotDefinedError(
                    f"attribute {attribute!r} is not on the people table of wave {net.wave!r}; "
                    f"it has {', '.join(net.attributes) or 'no attributes'}"
                )
    return list(attributes)


def _ties_table(pair: _Pair, attributes: Sequence[str]) -> pd.DataFrame:
    """One row per tie seen in either wave, with its status and boundary crossings."""
    codes = np.union1d(pair.codes_before, pair.codes_after)
    in_before = np.isin(codes, pair.codes_before, assume_unique=True)
    in_after = np.isin(codes, pair.codes_after, assume_unique=True)
    status = np.where(in_before & in_after, "stable", np.where(in_before, "lost", "new"))
    weight_before = np.full(len(codes), np.nan)
    weight_before[in_before] = pair.weights_before
    weight_after = np.full(len(codes), np.nan)
    weight_after[in_after] = pair.weights_after
    rows, columns = np.divmod(codes, pair.n) if pair.n else (codes, codes)
    ids = pair.ids.to_numpy(dtype=object)
    table = pd.DataFrame({
        schema.SOURCE: ids[rows],
        schema.TARGET: ids[columns],
        "status": status.astype(object),
        "weight_before": weight_before,
        "weight_after": weight_after,
    })
    for attribute in attributes:
        # A tie's crossing is judged by the attributes of the wave it was seen in:
        # the earlier wave for lost ties, the later for new and stable ones.
        crosses = np.zeros(len(codes), dtype=bool)
        known = np.zeros(len(codes), dtype=bool)
        for people, mask in ((pair.before.people, status == "lost"), (pair.after.people, status != "lost")):
            values = people[attribute].reindex(pair.ids).to_numpy(dtype=object)
            a, b = values[rows[mask]], values[columns[mask]]
            seen = ~(pd.isna(a) | pd.isna(b))
            known[mask] = seen
            crosses[mask] = seen & (a != b)
        flag = pd.array(crosses, dtype="boolean")
        flag[~known] = pd.NA
        table[f"crosses_{attribute}"] = flag
    order = pd.Categorical(table["status"], ["stable", "lost", "new"])
    return table.iloc[np.lexsort((columns, rows, order.codes))].reset_index(drop=True)


def _boundary_counts(ties: pd.DataFrame, attributes: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for attribute in attributes:
        crosses = ties[f"crosses_{attribute}"].fillna(False).to_numpy(dtype=bool)
        for status in ("new", "lost", "stable"):
            counts[f"{status}_cross_{attribute}"] = int((crosses & (ties["status"] == status)).sum())
    return counts


# ---------------------------------------------------------------------------------
# Cohort comparison
# ---------------------------------------------------------------------------------
def _contacts(codes: np.ndarray, n: int, symmetric: bool) -> np.ndarray:
    """Unordered pair codes ``lo * n + hi``: who is tied to whom in either direction."""
    if symmetric or not len(codes):
        return codes
    rows, columns = np.divmod(codes, n)
    return np.unique(np.minimum(rows, columns) * n + np.maximum(rows, columns))


def _group_codes(people: pd.DataFrame, ids: pd.Index, attribute: str) -> np.ndarray:
    values = people[attribute].reindex(ids)
    codes, _ = pd.factorize(values.astype(object), use_na_sentinel=True)
    return codes


def _contact_counts(pairs: np.ndarray, n: int, keep: np.ndarray | None = None) -> np.ndarray:
    lo, hi = np.divmod(pairs, n)
    if keep is not None:
        lo, hi = lo[keep], hi[keep]
    return (np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)).astype(float)


def _person_measures(pair: _Pair, attributes: Sequence[str]) -> pd.DataFrame:
    """Per person compared: change in degree, external contacts and E-I; new contacts across.

    Computed on the network among the people compared only, so a change in who
    answered elsewhere does not move them.
    """
    n = pair.n
    before = _contacts(pair.codes_before, n, pair.symmetric)
    after = _contacts(pair.codes_after, n, pair.symmetric)
    gained = np.setdiff1d(after, before, assume_unique=True)
    measures = {"degree_change": _contact_counts(after, n) - _contact_counts(before, n)}
    for attribute in attributes:
        per_wave = []
        for people, pairs in ((pair.before.people, before), (pair.after.people, after)):
            group = _group_codes(people, pair.ids, attribute)
            lo, hi = np.divmod(pairs, n)
            known = (group[lo] >= 0) & (group[hi] >= 0)
            across = known & (group[lo] != group[hi])
            external = _contact_counts(pairs, n, across)
            internal = _contact_counts(pairs, n, known & ~across)
            with np.errstate(invalid="ignore", divide="ignore"):
                ei = (external - internal) / (external + internal)
            per_wave.append((external, ei))
        (external_before, ei_before), (external_after, ei_after) = per_wave
        group = _group_codes(pair.after.people, pair.ids, attribute)
        lo, hi = np.divmod(gained, n)
        across = (group[lo] >= 0) & (group[hi] >= 0) & (group[lo] != group[hi])
        measures[f"external_{attribute}_change"] = external_after - external_before
        measures[f"ei_{attribute}_change"] = ei_after - ei_before
        measures[f"new_external_{attribute}"] = _contact_counts(gained, n, across)
    return pd.DataFrame(measures, index=pair.ids)


def _cohort_members(pair: _Pair, cohort: str) -> np.ndarray:
    """Whether each person compared is in the named cohort in either wave."""
    wanted = str(cohort).strip().casefold()
    found: set[str] = set()
    member = np.zeros(pair.n, dtype=bool)
    for net in (pair.before, pair.after):
        if schema.COHORT not in net.people.columns:
            continue
        values = net.people[schema.COHORT].dropna().astype(str).str.strip()
        found.update(values)
        member |= values.str.casefold().eq(wanted).reindex(pair.ids, fill_value=False).to_numpy(dtype=bool)
    if not found:
        raise NotDefinedError(
            f"no wave has a {schema.COHORT!r} attribute, so cohort {cohort!r} cannot be found; "
            "add a cohort column to the roster"
        )
    if not member.any():
        raise NotDefinedError(
            f"nobody compared is in cohort {cohort!r}; cohorts on the roster: "
            f"{', '.join(sorted(found))}"
        )
    return member


def _mean_differences(
    measures: pd.DataFrame, member: np.ndarray, *, seed: int, permutations: int,
) -> dict[str, dict[str, Any]]:
    """Per measure: difference in means (members − others), label-permutation p-value.

    People with a missing value (E-I with no contacts) are left out of that measure.
    Measures missing for the same people share one set of shuffled labels, so the
    permuted sums of all of them come from one matrix product.
    """
    values = measures.to_numpy(dtype=float)
    valid = ~np.isnan(values)
    patterns: dict[bytes, list[int]] = {}
    for j in range(values.shape[1]):
        patterns.setdefault(np.packbits(valid[:, j]).tobytes(), []).append(j)
    results: dict[str, dict[str, Any]] = {}
    for columns in patterns.values():
        rows = valid[:, columns[0]]
        v, m = values[rows][:, columns], member[rows]
        k, n = int(m.sum()), len(v)
        if k == 0 or k == n:
            for j in columns:
                results[measures.columns[j]] = {
                    "n_cohort": k, "n_others": n - k, "cohort_mean": float("nan"),
                    "others_mean": float("nan"), "difference": float("nan"), "p": float("nan"),
                }
            continue
        total, inside = v.sum(axis=0), v[m].sum(axis=0)
        observed = inside / k - (total - inside) / (n - k)
        # Differences equal to the observed one but for rounding count as ties.
        threshold = np.abs(observed) - 1e-9 * np.maximum(1.0, np.abs(observed))
        extreme = np.zeros(len(columns), dtype=np.int64)
        rng = np.random.default_rng(seed)
        batch = max(1, min(permutations, _BATCH_CELLS // n))
        done = 0
        while done < permutations:
            size = min(batch, permutations - done)
            labels = rng.permuted(np.tile(m, (size, 1)), axis=1)
            sums = labels.astype(float) @ v
            differences = sums / k - (total - sums) / (n - k)
            extreme += (np.abs(differences) >= threshold).sum(axis=0)
            done += size
        for i, j in enumerate(columns):
            results[measures.columns[j]] = {
                "n_cohort": k,
                "n_others": n - k,
                "cohort_mean": float(inside[i] / k),
                "others_mean": float((total[i] - inside[i]) / (n - k)),
                "difference": float(observed[i]),
                "p": float((extreme[i] + 1) / (permutations + 1)) if permutations > 0 else float("nan"),
            }
    return {name: results[name] for name in measures.columns}


def _cohort(
    pair: _Pair, cohort: str, attributes: Sequence[str], *, seed: int, permutations: int,
) -> tuple[dict[str, Any], np.ndarray]:
    member = _cohort_members(pair, cohort)
    measures = _person_measures(pair, attributes)
    results = _mean_differences(measures, member, seed=seed, permutations=permutations)
    k = int(member.sum())
    summary = {
        "cohort": str(cohort),
        "waves": [pair.before.wave, pair.after.wave],
        "people_compared": pair.n,
        "members": k,
        "others": pair.n - k,
        "small_numbers": k < SMALL_COHORT or pair.n - k < SMALL_COHORT,
        "permutations": permutations,
        "seed": seed,
        "p_convention": _P_CONVENTION.replace("statistic", "difference in means")
        + "; cohort labels shuffled among the people compared",
        "measures": results,
    }
    return summary, member


def cohort_change(
    before: Network,
    after: Network,
    cohort: str,
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    attributes: Sequence[str] | None = None,
    present: str = "respondents",
    seed: int = 0,
    permutations: int = DEFAULT_PERMUTATIONS,
) -> dict[str, Any]:
    """How a cohort's connections changed, against everyone else compared.

    Parameters
    ----------
    before, after
        Two waves of one project, in time order.
    cohort
        A value of the ``cohort`` attribute (compared ignoring case and surrounding
        spaces); a person is a member if either wave lists them in it.
    relation, min_weight, symmetric, present
        As for :func:`tie_churn`.
    attributes
        Boundary attributes (default: organisation, sector, profession, level and
        place, where every wave has them).
    seed, permutations
        For the permutation p-values.

    Returns
    -------
    dict
        ``cohort``, ``members``, ``others``, ``people_compared``, ``small_numbers``
        (fewer than 10 on either side), ``measures``: for each measure
        ``cohort_mean``, ``others_mean``, ``difference`` (cohort minus others),
        ``p``, ``n_cohort``, ``n_others``. Measures, per person, on the network among
        the people compared: ``degree_change`` (distinct contacts, either direction),
        ``external_X_change`` (contacts in another group of X), ``ei_X_change``
        (Krackhardt-Stern E-I; people with no contacts in a wave are left out), and
        ``new_external_X`` (contacts across X in the later wave not tied in the
        earlier).

    Raises
    ------
    NotDefinedError
        No ``cohort`` attribute, or nobody compared in the cohort.

    Notes
    -----
    ``difference = mean(members) − mean(others)``; its p-value shuffles the cohort
    labels among the people compared (seeded) and is two-sided,
    ``(#{|d_perm| >= |d_obs|} + 1) / (permutations + 1)``. Plainly: could a group
    this size, picked at random, have changed this much more (or less) than the rest?
    It says nothing about why: people chosen for a programme may differ from the rest
    before it starts.

    Examples
    --------
    >>> people = {"a": {"cohort": "LP"}, "b": {"cohort": "LP"}, "c": {}, "d": {}}
    >>> before = Network.from_edges([("a", "b"), ("c", "d")], people=people)
    >>> after = Network.from_edges([("a", "b"), ("a", "c"), ("b", "d")], people=people)
    >>> result = cohort_change(before, after, "LP", permutations=0)
    >>> result["measures"]["degree_change"]["difference"]  # members +1 each, others 0
    1.0
    """
    layers, sym, _ = _layers([before, after], relation, min_weight, symmetric)
    attrs = _boundary_attributes(layers, attributes)
    pair = _pair(layers[0], layers[1], symmetric=sym, present=present)
    return _cohort(pair, cohort, attrs, seed=seed, permutations=permutations)[0]


# ---------------------------------------------------------------------------------
# Person, group and network deltas from per-wave analyses
# ---------------------------------------------------------------------------------
def _numeric_columns(frames: Sequence[pd.DataFrame]) -> list[str]:
    columns: dict[str, None] = {}
    for frame in frames:
        for column in frame.columns:
            if column in _LABEL_COLUMNS:
                continue
            dtype = frame[column].dtype
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                columns.setdefault(str(column), None)
    return list(columns)


def _side_by_side(frames: Sequence[pd.DataFrame], waves: Sequence[str], index: pd.Index) -> pd.DataFrame:
    """For each numeric column: its value in every wave, then latest minus first."""
    out: dict[str, pd.Series] = {}
    for column in _numeric_columns(frames):
        values = [
            (f[column] if column in f.columns else pd.Series(np.nan, index=f.index))
            .reindex(index).astype(float)
            for f in frames
        ]
        for wave, series in zip(waves, values, strict=True):
            out[f"{column}_{wave}"] = series
        out[f"{column}_change"] = values[-1] - values[0]
    return pd.DataFrame(out, index=index)


def people_change(analyses: Sequence[Any], waves: Sequence[str]) -> pd.DataFrame:
    """Every person measure in every wave, side by side, and its change.

    Parameters
    ----------
    analyses
        One :class:`onatool.metrics.Analysis` per wave (anything with a ``people``
        DataFrame indexed by ``person_id``), in time order.
    waves
        The wave labels, used as column suffixes.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` over the people on every wave's table; for each
        numeric measure ``m``: ``m_<wave>`` for each wave, then ``m_change`` (latest
        minus first; NaN where either is undefined). Attributes, ``responded`` and
        community numbers (labels, not amounts) are left out.

    Examples
    --------
    >>> from types import SimpleNamespace as A
    >>> one = A(people=pd.DataFrame({"degree": [1, 2]}, index=pd.Index(["a", "b"], name="person_id")))
    >>> two = A(people=pd.DataFrame({"degree": [3, 2]}, index=pd.Index(["a", "b"], name="person_id")))
    >>> people_change([one, two], ["w1", "w2"])["degree_change"].tolist()
    [2.0, 0.0]
    """
    frames = [a.people for a in analyses]
    index = frames[0].index
    for frame in frames[1:]:
        index = index.intersection(frame.index, sort=False)
    index = pd.Index(index, name=schema.PERSON_ID)
    return _side_by_side(frames, waves, index)


def group_change(analyses: Sequence[Any], waves: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Every group measure of every attribute in every wave, and its change.

    Parameters
    ----------
    analyses
        One analysis per wave with ``groups: dict[attribute, DataFrame]`` indexed by
        group.
    waves
        The wave labels.

    Returns
    -------
    dict
        ``attribute -> DataFrame`` indexed by group (every group seen in any wave), with
        ``m_<wave>`` and ``m_change`` columns; a group missing from a wave has NaN there.
    """
    attributes = list(dict.fromkeys(a for analysis in analyses for a in (analysis.groups or {})))
    out: dict[str, pd.DataFrame] = {}
    for attribute in attributes:
        frames = [(a.groups or {}).get(attribute, pd.DataFrame()) for a in analyses]
        index = pd.Index(list(dict.fromkeys(g for f in frames for g in f.index)), name="group")
        out[attribute] = _side_by_side(frames, waves, index)
    return out


def _scalars(value: Any, prefix: str = "") -> dict[str, float]:
    """Flatten nested dicts, Series and DataFrames into ``dotted.name -> number``.

    A dict holding a ``value`` (with its meaning and sentence, as level and health
    measures are) stands for that value.
    """
    if isinstance(value, Mapping) and "value" in value:  # {"value", "meaning", ...}
        return _scalars(value["value"], prefix)
    if isinstance(value, Mapping):
        out: dict[str, float] = {}
        for key, item in value.items():
            out.update(_scalars(item, f"{prefix}{key}."))
        return out
    if isinstance(value, pd.DataFrame):
        return _scalars({str(r): value.loc[r].to_dict() for r in value.index}, prefix)
    if isinstance(value, pd.Series):
        return _scalars(value.to_dict(), prefix)
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return {}
    return {prefix.rstrip("."): float(value)}


def network_change(analyses: Sequence[Any], waves: Sequence[str]) -> pd.DataFrame:
    """Network, tops/middles/bottoms and health measures in every wave, and their change.

    Parameters
    ----------
    analyses
        One analysis per wave with ``network: dict`` and, if present, ``levels`` and
        ``health`` dicts.
    waves
        The wave labels.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure``: network keys as they are, level measures as
        ``levels.<key>``, health indicators as ``health.<key>`` (nested keys dotted,
        e.g. ``levels.block_density.top.middle``); one column per wave, then
        ``change`` (latest minus first). A p-value's change means nothing, so it is
        left blank.

    Examples
    --------
    >>> from types import SimpleNamespace as A
    >>> one = A(network={"density": 0.1}, levels={"lateral_share": {"value": 0.5}})
    >>> two = A(network={"density": 0.15}, levels={"lateral_share": {"value": 0.25}})
    >>> network_change([one, two], ["w1", "w2"])["change"].round(2).tolist()
    [0.05, -0.25]
    """
    flat = [
        {
            **_scalars(getattr(a, "network", None) or {}),
            **_scalars(getattr(a, "levels", None) or {}, "levels."),
            **_scalars(getattr(a, "health", None) or {}, "health."),
        }
        for a in analyses
    ]
    measures = list(dict.fromkeys(k for f in flat for k in f))
    table = pd.DataFrame(
        {wave: [f.get(m, np.nan) for m in measures] for wave, f in zip(waves, flat, strict=True)},
        index=pd.Index(measures, name="measure"),
        dtype=float,
    )
    table["change"] = table[waves[-1]] - table[waves[0]]
    p_values = table.index.str.startswith(_P_VALUE_PREFIXES)
    table.loc[p_values, "change"] = np.nan
    return table


# ---------------------------------------------------------------------------------
# The whole comparison
# ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Comparison:
    """The change between waves, ready to show or write.

    Attributes
    ----------
    summary
        ``change.json``: first-to-latest tie churn, Jaccard and its reading, QAP,
        boundary change counts, who was compared, and ``params``.
    ties
        ``ties_change``: ``source, target, status`` (new / lost / stable),
        ``weight_before, weight_after, crosses_<attribute>`` (NA when an end's attribute
        is missing), among the people compared, first wave to latest.
    people
        ``people_change``: person measures side by side (see :func:`people_change`),
        plus ``responded_<wave>``, ``compared`` and, with a cohort, ``in_cohort``.
    groups
        ``attribute -> groups_change`` (see :func:`group_change`).
    network
        Network and level measures side by side (see :func:`network_change`).
    cohort
        ``cohort.json`` (see :func:`cohort_change`), or None.
    timeline
        With three or more waves: one row per consecutive pair and one for first to
        latest; None with two.
    joiners, leavers, not_compared
        On the latest wave's table only; on the first's only; on both but left out
        by the ``present`` rule.
    params
        The options used.
    """

    summary: dict[str, Any]
    ties: pd.DataFrame
    people: pd.DataFrame
    groups: dict[str, pd.DataFrame]
    network: pd.DataFrame
    cohort: dict[str, Any] | None
    timeline: pd.DataFrame | None
    joiners: pd.Index
    leavers: pd.Index
    not_compared: pd.Index = field(default_factory=lambda: pd.Index([], name=schema.PERSON_ID))
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def waves(self) -> list[str]:
        """The wave labels, in time order."""
        return list(self.params.get("waves", []))


def _pair_figures(pair: _Pair, attributes: Sequence[str], *, seed: int, permutations: int,
                  ) -> tuple[dict[str, Any], pd.DataFrame]:
    ties = _ties_table(pair, attributes)
    figures = {
        **_churn(pair),
        **_qap(pair, seed=seed, permutations=permutations),
        **_boundary_counts(ties, attributes),
        "joiners": len(pair.joiners),
        "leavers": len(pair.leavers),
        "not_compared": len(pair.not_compared),
    }
    return figures, ties


def _timeline(layers: Sequence[Network], attributes: Sequence[str], *, symmetric: bool,
              present: str, seed: int, permutations: int) -> pd.DataFrame:
    spans = [(i, i + 1, "consecutive") for i in range(len(layers) - 1)]
    spans.append((0, len(layers) - 1, "first to latest"))
    rows = []
    for i, j, span in spans:
        pair = _pair(layers[i], layers[j], symmetric=symmetric, present=present)
        figures, _ = _pair_figures(pair, attributes, seed=seed, permutations=permutations)
        figures.pop("jaccard_reading")
        figures.pop("qap_p_convention")
        rows.append({"from": layers[i].wave, "to": layers[j].wave, "span": span, **figures})
    return pd.DataFrame(rows)


def _analyse_waves(networks: Sequence[Network], **options: Any) -> list[Any]:
    from onatool.metrics import analyse  # the metrics layer; compare sits above it

    analyses: list[Any] = []
    for net in networks:
        analyses.append(analyse(net, previous=analyses[-1] if analyses else None, **options))
    return analyses


def compare_waves(
    networks: Sequence[Network],
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    attributes: Sequence[str] | None = None,
    cohort: str | None = None,
    present: str = "respondents",
    seed: int = 0,
    permutations: int = DEFAULT_PERMUTATIONS,
    analyses: Sequence[Any] | None = None,
) -> Comparison:
    """Compare two or more waves of one project.

    Parameters
    ----------
    networks
        The waves in time order, each with a distinct ``wave`` label; ``person_id``
        must mean the same person in each (one project key).
    relation, min_weight
        The relation and weight threshold; None takes the only relation, or all of
        them merged, and weights above 0, as :meth:`Network.layer` and ``analyse`` do.
    symmetric
        Compare unordered pairs; None follows the relation's declaration.
    attributes
        Boundary attributes for crossings and cohort measures (default: organisation,
        sector, profession, level and place, where every wave has them).
    cohort
        A ``cohort`` value (e.g. ``"Leadership programme"``) to compare with everyone
        else compared; None for no cohort comparison.
    present
        Who is compared: ``"respondents"`` (default) or ``"all"``; see the module notes.
    seed, permutations
        For the QAP and cohort p-values (and passed to ``analyse``).
    analyses
        Per-wave :class:`onatool.metrics.Analysis` results already computed with the
        same options (the app passes its cached ones); None runs ``analyse``.

    Returns
    -------
    Comparison

    Raises
    ------
    NotDefinedError
        Fewer than two waves, an unknown relation, attribute, cohort or rule.
    InputFormatError
        Two waves with the same label.

    Notes
    -----
    Tie churn, QAP, boundary crossings and the cohort are computed first wave to
    latest over the people compared; with three or more waves ``timeline`` repeats
    them for each consecutive pair. Person, group and network measures are each
    wave's own analysis (everyone in the wave), so they match that wave's report.
    """
    networks = list(networks)
    if len(networks) < 2:
        raise NotDefinedError(f"comparing waves needs at least two; got {len(networks)}")
    waves = [net.wave for net in networks]
    repeated = sorted({w for w in waves if waves.count(w) > 1})
    if repeated:
        raise InputFormatError(
            f"two waves share the label {repeated[0]!r}",
            expected="a distinct label per wave (e.g. --wave-names baseline,follow-up)",
        )
    _check_present(present)
    if analyses is not None and len(analyses) != len(networks):
        raise NotDefinedError(f"got {len(analyses)} analyses for {len(networks)} waves")
    layers, sym, relation_label = _layers(networks, relation, min_weight, symmetric)
    attrs = _boundary_attributes(layers, attributes)
    pair = _pair(layers[0], layers[-1], symmetric=sym, present=present)
    figures, ties = _pair_figures(pair, attrs, seed=seed, permutations=permutations)

    params = {
        "waves": waves,
        "relation": relation_label,
        "min_weight": min_weight,
        "symmetric": sym,
        "attributes": attrs,
        "present": present,
        "cohort": cohort,
        "seed": seed,
        "permutations": permutations,
    }
    if analyses is None:
        analyses = _analyse_waves(
            networks, relation=relation, min_weight=min_weight, symmetric=symmetric,
            attributes=attributes, seed=seed,
        )
    people = people_change(analyses, waves)
    for net in networks:
        people[f"responded_{net.wave}"] = net.people[schema.RESPONDED].reindex(people.index).astype(bool)
    people["compared"] = people.index.isin(pair.ids)

    cohort_summary = None
    if cohort is not None:
        cohort_summary, member = _cohort(pair, cohort, attrs, seed=seed, permutations=permutations)
        people["in_cohort"] = people.index.isin(pair.ids[member])

    timeline = None
    if len(networks) > 2:
        timeline = _timeline(layers, attrs, symmetric=sym, present=present, seed=seed,
                             permutations=permutations)

    summary = {
        **figures,
        "waves": waves,
        "response_rate": {net.wave: net.response_rate for net in networks},
        "params": params,
    }
    return Comparison(
        summary=summary,
        ties=ties,
        people=people,
        groups=group_change(analyses, waves),
        network=network_change(analyses, waves),
        cohort=cohort_summary,
        timeline=timeline,
        joiners=pair.joiners,
        leavers=pair.leavers,
        not_compared=pair.not_compared,
        params=params,
    )


def _people_status(comparison: Comparison) -> pd.DataFrame:
    rows = [(pid, "joined") for pid in comparison.joiners]
    rows += [(pid, "left") for pid in comparison.leavers]
    rows += [(pid, "not compared (did not answer in both waves)") for pid in comparison.not_compared]
    table = pd.DataFrame(rows, columns=[schema.PERSON_ID, "status"]).set_index(schema.PERSON_ID)
    return table.sort_index()


def change_network(comparison: Comparison, network: Network) -> tuple[Network, pd.Series]:
    """The ties of a comparison as one network, with each tie's status, for a change map.

    Parameters
    ----------
    comparison
        From :func:`compare_waves`.
    network
        The wave whose people (and attributes) the map shows, usually the latest.
        Everyone compared must be on its people table.

    Returns
    -------
    network, status
        A Network over ``network``'s people whose ties are every tie of
        ``comparison.ties`` (weight: the latest wave's, else the first's), and a
        Series of ``new`` / ``lost`` / ``stable`` aligned on its ties: pass it as
        ``edge_status`` to :func:`onatool.viz.style.style_network`.

    Raises
    ------
    UnknownPersonError
        If a tie's end is not on ``network``'s people table.

    Examples
    --------
    >>> a = Network.from_edges([("x", "y"), ("y", "z")], wave="w1")
    >>> b = Network.from_edges([("x", "y"), ("z", "x")], wave="w2")
    >>> comparison = compare_waves([a, b], permutations=0)
    >>> net, status = change_network(comparison, b)
    >>> sorted(status)
    ['lost', 'new', 'stable']
    """
    ties = comparison.ties
    relation = str(comparison.params.get("relation") or "tie")
    symmetric = bool(comparison.params.get("symmetric"))
    ends = pd.Index(pd.concat([ties[schema.SOURCE], ties[schema.TARGET]]).unique())
    unknown = ends.difference(network.people.index)
    if len(unknown):
        raise UnknownPersonError(
            f"{len(unknown)} person(s) tied in the comparison are not in wave {network.wave!r}, "
            f"e.g. {unknown[0]!r}; draw the change map on the latest wave"
        )
    weight = ties["weight_after"].fillna(ties["weight_before"]).astype(float)
    table = pd.DataFrame({
        schema.SOURCE: ties[schema.SOURCE].astype(object),
        schema.TARGET: ties[schema.TARGET].astype(object),
        schema.RELATION: relation,
        schema.WEIGHT: weight,
        schema.RAW_VALUE: weight.map(lambda w: f"{w:g}"),
    })
    label = f"{comparison.waves[0]} to {comparison.waves[-1]}" if comparison.waves else "change"
    net = Network(
        network.people, table, wave=label,
        relations={relation: schema.Relation(relation, relation, symmetric=symmetric)},
    )
    return net, pd.Series(ties["status"].astype(object).to_numpy(), index=net.ties.index, name="status")


def write_comparison(comparison: Comparison, out_dir: str | Path) -> list[Path]:
    """Write a comparison's tables into a folder, pseudonymised (``person_id`` only).

    Parameters
    ----------
    comparison
        From :func:`compare_waves`.
    out_dir
        Created if needed.

    Returns
    -------
    list of Path
        ``change.json``, ``people_change.csv``, ``people_status.csv`` (joiners,
        leavers, not compared), ``network_change.csv``, ``ties_change.csv``,
        ``groups_change_<attribute>.csv`` per attribute, and ``cohort.json`` and
        ``timeline.csv`` when present. CSVs are formula-safe.
    """
    out = Path(out_dir)
    written = [
        write_json(comparison.summary, out / "change.json"),
        write_csv(comparison.people, out / "people_change.csv"),
        write_csv(_people_status(comparison), out / "people_status.csv"),
        write_csv(comparison.network, out / "network_change.csv"),
        write_csv(comparison.ties, out / "ties_change.csv", index=False),
    ]
    for attribute, table in comparison.groups.items():
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in attribute)
        written.append(write_csv(table, out / f"groups_change_{name}.csv"))
    if comparison.cohort is not None:
        written.append(write_json(comparison.cohort, out / "cohort.json"))
    if comparison.timeline is not None:
        written.append(write_csv(comparison.timeline, out / "timeline.csv", index=False))
    return written

