"""QAP: the correlation of two waves' adjacency matrices and its permutation test."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from onatool.compare.pairs import _P_CONVENTION, DEFAULT_PERMUTATIONS, _layers, _Pair, _pair
from onatool.errors import InputFormatError
from onatool.network import Network

# Up to this many people, QAP looks cells up in a dense n x n boolean matrix
# (n^2 bytes); above it, in the sorted tie codes.
_DENSE_PEOPLE = 6000
# Cells gathered per batch of permutations: bounds memory at a few tens of MB.
_BATCH_CELLS = 1_000_000

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
