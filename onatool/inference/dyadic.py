"""Fast QAP statistics for the linear network regression, from the structure of its matrices.

Every term of a network regression is one of three shapes:

``rank1``
    ``u_i v_j``: the intercept (``1·1``), a sender attribute (``s_i·1``), a receiver
    attribute (``1·t_j``).
``block``
    ``[g_i = g_j]``: a same-group indicator.
``sparse``
    a 0/1 tie matrix with few ones: a relation, an earlier wave, the outcome.

Permuting rows and columns together keeps each shape (``u[p]``, ``g[p]``, the ties
relabelled), and the sum over the cells of the product of two such matrices needs only
O(n + ties) work, never the n² cells. The cells used are ``i != j`` with ``alpha_i`` and
``beta_j`` (whose rows and columns can be cases) less a sparse set ``S`` of excluded
cells (for ``new``: the pairs tied in the earlier wave).

With these inner products, the linear model's t-value for a permuted DSP residual follows
exactly from the Frisch-Waugh-Lovell identity (see :func:`dsp_t_values`): the residual of
term ``k`` on the others is a fixed linear combination of the term matrices, so its
permuted cross products with the design are combinations of the permuted term matrices'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Factor:
    """One dyadic matrix in factored form (see the module notes)."""

    kind: str
    u: np.ndarray | None = None
    v: np.ndarray | None = None
    g: np.ndarray | None = None
    rows: np.ndarray | None = None
    cols: np.ndarray | None = None
    dense: np.ndarray | None = None
    order: np.ndarray | None = None  # dense is read at (order[i], order[j])

    def permuted(self, order: np.ndarray, inverse: np.ndarray) -> Factor:
        """The matrix ``M[order][:, order]`` in the same form."""
        if self.kind == "rank1":
            return Factor("rank1", u=self.u[order], v=self.v[order])
        if self.kind == "block":
            return Factor("block", g=self.g[order])
        base = order if self.order is None else self.order[order]
        return Factor("sparse", rows=inverse[self.rows], cols=inverse[self.cols], dense=self.dense, order=base)

    def at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The values at cells ``(rows[k], cols[k])``."""
        if self.kind == "rank1":
            return self.u[rows] * self.v[cols]
        if self.kind == "block":
            return (self.g[rows] == self.g[cols]).astype(float)
        if self.order is None:
            return self.dense[rows, cols]
        return self.dense[self.order[rows], self.order[cols]]


def rank1(u: np.ndarray, v: np.ndarray) -> Factor:
    """``u_i v_j`` (unknowns read as 0: their cells are never used)."""
    return Factor("rank1", u=np.nan_to_num(np.asarray(u, dtype=float)), v=np.nan_to_num(np.asarray(v, dtype=float)))


def block(codes: np.ndarray) -> Factor:
    """``[g_i = g_j]`` from integer group codes (-1 unknown)."""
    codes = np.asarray(codes, dtype=np.int64).copy()
    codes[codes < 0] = codes.max(initial=-1) + 1  # unknowns share a code; their cells are never used
    return Factor("block", g=codes)


def sparse(matrix: np.ndarray) -> Factor:
    """A tie matrix (NaN read as 0, the diagonal ignored)."""
    dense = np.nan_to_num(matrix)
    np.fill_diagonal(dense, 0.0)
    rows, cols = np.nonzero(dense)
    return Factor("sparse", rows=rows, cols=cols, dense=dense)


def _dense_inner(a: Factor, b: Factor, alpha: np.ndarray, beta: np.ndarray) -> float:
    """``sum_{i != j} alpha_i beta_j A_ij B_ij`` for rank-1 and block matrices."""
    if a.kind == "block" and b.kind == "rank1":
        a, b = b, a
    if a.kind == "rank1" and b.kind == "rank1":
        row, col = alpha * a.u * b.u, beta * a.v * b.v
        return float(row.sum() * col.sum() - (row * col).sum())
    if a.kind == "rank1":  # rank-1 times block
        weights = np.bincount(b.g, beta * a.v, minlength=b.g.max() + 1)
        row = alpha * a.u
        return float((row * weights[b.g]).sum() - (row * beta * a.v).sum())
    codes = a.g * (b.g.max() + 1) + b.g
    weights = np.bincount(codes, beta)
    return float((alpha * weights[codes]).sum() - (alpha * beta).sum())


def inner(a: Factor, b: Factor, alpha: np.ndarray, beta: np.ndarray,
          s_rows: np.ndarray, s_cols: np.ndarray) -> float:
    """``sum over the cells of A * B``: cells ``i != j`` with ``alpha_i beta_j`` (0/1), less
    the excluded cells ``(s_rows, s_cols)`` (each of them inside ``alpha x beta``)."""
    if b.kind == "sparse" and a.kind != "sparse":
        a, b = b, a
    if a.kind == "sparse":
        r, c = a.rows, a.cols
        keep = (alpha[r] * beta[c]) != 0
        total = float((a.at(r[keep], c[keep]) * b.at(r[keep], c[keep])).sum())
    else:
        total = _dense_inner(a, b, alpha, beta)
    if len(s_rows):
        total -= float((a.at(s_rows, s_cols) * b.at(s_rows, s_cols)).sum())
    return total


@dataclass(frozen=True, eq=False)
class Structure:
    """The cells of a design as ``offdiag & alpha x beta`` less ``S``, and where the terms
    are known as ``offdiag & known_rows x known_cols``."""

    alpha: np.ndarray
    beta: np.ndarray
    s_rows: np.ndarray
    s_cols: np.ndarray
    known_rows: np.ndarray
    known_cols: np.ndarray


def structure(cells: np.ndarray, x_known: np.ndarray, *, max_excluded: float = 0.25) -> Structure | None:
    """The cells' structure, or None when they do not have it (then refit per permutation)."""
    n = len(cells)
    off = ~np.eye(n, dtype=bool)
    known_rows, known_cols = x_known.any(axis=1), x_known.any(axis=0)
    if not np.array_equal(x_known, off & known_rows[:, None] & known_cols[None, :]):
        return None
    alpha, beta = cells.any(axis=1), cells.any(axis=0)
    full = off & alpha[:, None] & beta[None, :]
    excluded = full & ~cells
    if excluded.sum() > max_excluded * max(int(cells.sum()), 1):
        return None
    s_rows, s_cols = np.nonzero(excluded)
    return Structure(alpha.astype(float), beta.astype(float), s_rows, s_cols,
                     known_rows.astype(float), known_cols.astype(float))


def gram(factors: list[Factor], others: list[Factor], alpha: np.ndarray, beta: np.ndarray,
         s_rows: np.ndarray, s_cols: np.ndarray, *, symmetric: bool = False) -> np.ndarray:
    """Matrix of inner products ``<factors[l], others[m]>`` over the cells."""
    out = np.empty((len(factors), len(others)))
    for i, a in enumerate(factors):
        for j, b in enumerate(others):
            if symmetric and j < i:
                out[i, j] = out[j, i]
                continue
            out[i, j] = inner(a, b, alpha, beta, s_rows, s_cols)
    return out


def dsp_t_values(terms: list[Factor], outcome: Factor, combinations: np.ndarray, st: Structure,
                 orders: np.ndarray) -> np.ndarray:
    """t-values of each term's permuted DSP residual, one row per permutation.

    Parameters
    ----------
    terms
        The K term matrices (intercept included), unpermuted.
    outcome
        The outcome matrix (0/1).
    combinations
        ``K x K``: row ``k`` gives the residual of term ``k`` on the others as a
        combination of the terms (1 at ``k``, minus the fitted coefficients elsewhere).
    st
        The cells' structure (:func:`structure`).
    orders
        Permutations, one per row.

    Returns
    -------
    numpy.ndarray
        ``len(orders) x K``: for permutation ``p`` and term ``k``, the t-value of the
        permuted residual in ``y ~ others + permuted residual`` over the cells where the
        permuted residual is known (NaN when it is collinear with the others there).
    """
    k_terms = len(terms)
    out = np.full((len(orders), k_terms), np.nan)
    cache: dict[bytes, tuple] = {}
    n = len(st.alpha)
    for index, order in enumerate(orders):
        inverse = np.empty(n, dtype=np.int64)
        inverse[order] = np.arange(n)
        alpha = st.alpha * st.known_rows[order]
        beta = st.beta * st.known_cols[order]
        keep = (alpha[st.s_rows] * beta[st.s_cols]) != 0
        s_rows, s_cols = st.s_rows[keep], st.s_cols[keep]
        key = alpha.tobytes() + beta.tobytes()
        if key not in cache:  # the unpermuted moments change only when cells drop out
            xx = gram(terms, terms, alpha, beta, s_rows, s_cols, symmetric=True)
            xy = np.array([inner(t, outcome, alpha, beta, s_rows, s_cols) for t in terms])
            yy = inner(outcome, outcome, alpha, beta, s_rows, s_cols)
            cells = inner(rank1(np.ones(n), np.ones(n)), rank1(np.ones(n), np.ones(n)), alpha, beta,
                          s_rows, s_cols)
            cache = {key: (xx, xy, yy, cells)}
        xx, xy, yy, cells = cache[key]
        moved = [t.permuted(order, inverse) for t in terms]
        cross = gram(moved, terms, alpha, beta, s_rows, s_cols)  # [l, m] = <P X_l P', X_m>
        with_y = np.array([inner(t, outcome, alpha, beta, s_rows, s_cols) for t in moved])
        moved_gram = gram(moved, moved, alpha, beta, s_rows, s_cols, symmetric=True)
        dof = cells - k_terms
        for k in range(k_terms):
            rest = [m for m in range(k_terms) if m != k]
            c = combinations[k]
            zz = xx[np.ix_(rest, rest)]
            try:
                coef = np.linalg.solve(zz, xy[rest])
                ze = cross[:, rest].T @ c
                projected = ze @ np.linalg.solve(zz, ze)
            except np.linalg.LinAlgError:
                continue
            rr = yy - xy[rest] @ coef
            er = c @ (with_y - cross[:, rest] @ coef)
            ee = c @ moved_gram @ c
            eme = ee - projected
            if dof <= 0 or eme <= 1e-12 * max(ee, 1.0):
                continue
            b = er / eme
            resvar = max(rr - b * b * eme, 0.0) / dof
            out[index, k] = b / np.sqrt(resvar / eme) if resvar > 0 else np.copysign(np.inf, b)
    return out
