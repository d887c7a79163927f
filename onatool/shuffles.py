"""The E-I index and its label-shuffle test, on integer codes (numpy only, no pandas).

:func:`ei_ratio` is the one E-I formula every surface shows. :func:`ei_test` is the
whole-network E-I with its permutation p-value; it takes group codes and arcs, not a
Layer, so the second process of an analysis (:mod:`onatool.paths`) can run it while the
first measures the rest. :func:`onatool.metrics.boundary.ei_network` is its public face.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import numpy as np

__all__ = ["ei_ratio", "ei_test"]


def ei_ratio(external, internal):
    """Krackhardt and Stern's E-I index ``(E − I)/(E + I)``: the one formula.

    Parameters
    ----------
    external, internal
        Counts of ties (or contacts) across the boundary and inside it: numbers or
        arrays of the same shape.

    Returns
    -------
    float or numpy.ndarray
        In [-1, 1]: -1 all inside, +1 all across; NaN where ``E + I`` is 0.

    Examples
    --------
    >>> ei_ratio(3, 1)
    0.5
    >>> ei_ratio(np.array([0, 2]), np.array([0, 2])).tolist()
    [nan, 0.0]
    """
    e = np.asarray(external, dtype=float)
    i = np.asarray(internal, dtype=float)
    total = e + i
    value = np.where(total > 0, (e - i) / np.where(total > 0, total, 1), np.nan)
    return float(value) if value.ndim == 0 else value


def ei_test(codes: np.ndarray, n_groups: int, src: np.ndarray, dst: np.ndarray, permutations: int,
            seed: int, memo: MutableMapping | None = None) -> tuple[float, float, float]:
    """Whole-network E-I, its expected value and its two-sided permutation p-value.

    Parameters
    ----------
    codes
        Group code per person (-1 where unknown), ``n_groups`` groups.
    src, dst
        The arcs (each edge once when undirected) as person codes.
    permutations, seed
        Label shuffles for the p-value (0: p is NaN) and their seed.
    memo
        Where the shuffles are kept for other attributes with as many people of known
        group (a Layer's memo); None keeps nothing.

    Returns
    -------
    (observed, expected, p)
        As :func:`onatool.metrics.boundary.ei_network` documents them.

    Examples
    --------
    >>> codes = np.array([0, 0, 1, 1])
    >>> observed, expected, p = ei_test(codes, 2, np.array([0, 2]), np.array([1, 3]), 0, 0)
    >>> observed, round(expected, 4), p != p
    (-1.0, 0.3333, True)
    """
    keep = (codes[src] >= 0) & (codes[dst] >= 0)
    src, dst = src[keep], dst[keep]
    observed = _ei_of(codes[src] == codes[dst])

    sizes = np.bincount(codes[codes >= 0], minlength=n_groups).astype(float)
    n = sizes.sum()
    p_internal = float((sizes * (sizes - 1)).sum())
    p_external = n * (n - 1) - p_internal
    expected = (p_external - p_internal) / (p_external + p_internal) if n > 1 else float("nan")

    p_value = float("nan")
    if permutations > 0 and len(src) and np.isfinite(expected):
        known = np.flatnonzero(codes >= 0)
        # Only people who touch a counted tie matter: shuffle labels, read theirs.
        local = np.full(len(codes), -1)
        ends = np.unique(np.concatenate([src, dst]))
        local[ends] = np.arange(len(ends))
        where = np.searchsorted(known, ends)  # ends are all of known group
        ls, ld = local[src], local[dst]
        labels = codes[known].astype(np.min_scalar_type(n_groups))  # small: fast gathers
        shuffles = _shuffles({} if memo is None else memo, len(known), permutations, seed)
        rng = np.random.default_rng(seed) if shuffles is None else None
        extreme = 0
        batch = max(1, min(permutations, 20_000_000 // max(len(src), 1)))
        done = 0
        while done < permutations:
            size = min(batch, permutations - done)
            # One row per person, one column per shuffle: each tie end reads one
            # contiguous row (five times faster than gathering columns).
            if shuffles is None:
                shuffled = rng.permuted(np.broadcast_to(labels, (size, len(labels))), axis=1)
                at_ends = np.ascontiguousarray(shuffled[:, where].T)
            else:
                at_ends = labels[shuffles[done:done + size][:, where].T]
            within = np.zeros(size, dtype=np.int64)
            for start in range(0, len(ls), 2048):  # in blocks that stay in the CPU's cache
                block = slice(start, start + 2048)
                within += np.count_nonzero(at_ends[ls[block]] == at_ends[ld[block]], axis=0)
            perm_ei = ei_ratio(len(src) - within, within)
            extreme += int((np.abs(perm_ei - expected) >= abs(observed - expected) - 1e-12).sum())
            done += size
        p_value = (1 + extreme) / (1 + permutations)
    return observed, float(expected), p_value


#: Largest memoised set of label shuffles (bytes); beyond it each attribute draws its own.
_SHUFFLES_MEMO_LIMIT = 256 * 2**20


def _shuffles(memo: MutableMapping, n_known: int, permutations: int, seed: int) -> np.ndarray | None:
    """The E-I test's shuffles as positions, one row per shuffle, shared by attributes.

    Shuffling moves positions whatever the labels are, so row p, applied to any
    attribute's labels of ``n_known`` people, gives exactly what
    ``default_rng(seed).permuted`` gives on the p-th shuffle of those labels. Attributes
    with as many people of known group draw the random numbers once. Kept in ``memo``;
    None (draw per attribute) when the rows would take more than 256 MB.
    """
    dtype = np.uint16 if n_known <= 2**16 else np.uint32
    if permutations * n_known * np.dtype(dtype).itemsize > _SHUFFLES_MEMO_LIMIT:
        return None
    key = ("ei_shuffles", n_known, permutations, seed)
    if key not in memo:
        positions = np.broadcast_to(np.arange(n_known, dtype=dtype), (permutations, n_known))
        shuffles = np.random.default_rng(seed).permuted(positions, axis=1)
        shuffles.flags.writeable = False
        memo[key] = shuffles
    return memo[key]


def _ei_of(same: np.ndarray) -> float:
    """(E − I)/(E + I) of a boolean "same group" per tie (NaN without ties)."""
    internal = int(same.sum())
    return ei_ratio(len(same) - internal, internal)
