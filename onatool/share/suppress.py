"""Small-group suppression: the one home of the rule that hides groups under ``k``.

A figure about a group of fewer than ``k`` people is not shown
(:func:`suppress_counts`, :func:`suppress_groups`, :func:`merge_small_groups`).
Where a total would let a hidden figure be worked out by subtraction, a second
figure is hidden too (secondary suppression). The NHS preset shows counts of 1–7
as ``*`` and rounds every other count to the nearest 5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from onatool.errors import InputFormatError
from onatool.share.disclosure import OTHER, SUPPRESSED, Disclosure

__all__ = ["groups_to_merge", "merge_small_groups", "merge_small_matrix", "round_to_5", "suppress_counts", "suppress_groups"]

# Suppression ---------------------------------------------------------------------------


def round_to_5(value: float) -> float:
    """Round to the nearest multiple of 5, halves up (NHS convention).

    Examples
    --------
    >>> [round_to_5(v) for v in (0, 8, 12, 12.5, 13, 102)]
    [0, 10, 10, 15, 15, 100]
    """
    return int(math.floor(value / 5 + 0.5) * 5)


def _threshold(k: int | Disclosure, preset: str) -> tuple[int, str]:
    disclosure = k if isinstance(k, Disclosure) else Disclosure(k=k, preset=preset)
    return disclosure.threshold, disclosure.preset


def suppress_counts(
    table: pd.DataFrame | pd.Series,
    k: int | Disclosure = 5,
    *,
    preset: str = "k",
    secondary: bool | None = None,
    margins: bool = False,
) -> pd.DataFrame:
    """Hide counts resting on fewer than ``k`` people, and those that would give them away.

    Parameters
    ----------
    table
        Counts of people (non-negative); a Series is treated as one column. NaN
        cells stay empty.
    k
        The threshold, or a :class:`Disclosure` (whose threshold and preset win).
    preset
        ``"k"`` or ``"nhs"`` (see :class:`Disclosure`).
    secondary
        Apply secondary suppression. Default: yes for ``"k"``; no for ``"nhs"``,
        whose rounding already stops a hidden count being worked out exactly.
    margins
        Add a ``Total`` column and row (themselves suppressed when under ``k``).

    Returns
    -------
    pandas.DataFrame
        Object dtype: whole numbers where shown, ``"*"`` where suppressed, None where
        the input was NaN. Zero is shown: it rests on nobody.

    Notes
    -----
    Primary suppression hides every count from 1 to ``k - 1``. Secondary suppression
    assumes that the total of every row and every column is known (published here
    or elsewhere, such as the size of an organisation): a line holding exactly one
    hidden cell would let it be worked out by subtraction, so the smallest other
    cell of that line is hidden too (preferring one whose crossing line also holds a
    single hidden cell, then a non-zero one), repeated until
    every row and column holds no hidden cell or at least two. With ``margins``, the
    totals are cells of their lines. Under the NHS preset shown counts are then
    rounded to the nearest 5. In plain words: no figure about fewer than k people
    is shown, and none can be recovered from the figures that are.

    Examples
    --------
    >>> counts = pd.DataFrame({"top": [2, 6, 7], "middle": [10, 12, 9], "bottom": [30, 25, 40]},
    ...                       index=["Acute", "Council", "VCSE"])
    >>> suppress_counts(counts, 5)
            top middle bottom
    Acute     *      *     30
    Council   *      *     25
    VCSE      7      9     40
    >>> suppress_counts(counts, preset="nhs", margins=True)
            top middle bottom Total
    Acute     *     10     30    40
    Council   *     10     25    45
    VCSE      *     10     40    55
    Total    15     30     95   140
    """
    threshold, preset = _threshold(k, preset)
    if secondary is None:
        secondary = preset != "nhs"
    frame = table.to_frame() if isinstance(table, pd.Series) else table.copy()
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if (values[~np.isnan(values)] < 0).any():
        raise InputFormatError("counts to suppress must not be negative", expected="counts of people")
    rows, columns = list(frame.index), list(frame.columns)
    if margins:
        filled = np.nan_to_num(values)
        values = np.vstack([
            np.column_stack([values, filled.sum(axis=1)]),
            np.append(filled.sum(axis=0), filled.sum()),
        ])
        rows, columns = [*rows, "Total"], [*columns, "Total"]
    present = ~np.isnan(values)
    hidden = present & (values > 0) & (values < threshold)
    if secondary and threshold > 1:
        _secondary(values, hidden, present, margins)
    shown: list[list[object]] = []
    for i in range(values.shape[0]):
        line: list[object] = []
        for j in range(values.shape[1]):
            if not present[i, j]:
                line.append(None)
            elif hidden[i, j]:
                line.append(SUPPRESSED)
            else:
                v = float(values[i, j])
                v = round_to_5(v) if preset == "nhs" else v
                line.append(int(v) if float(v).is_integer() else v)
        shown.append(line)
    out = pd.DataFrame(shown, index=pd.Index(rows, name=frame.index.name), columns=columns, dtype=object)
    out.columns.name = frame.columns.name
    return out


def _secondary(values: np.ndarray, hidden: np.ndarray, present: np.ndarray, margins: bool) -> None:
    """Hide complementary cells in place until no line holds exactly one hidden cell."""
    n_rows, n_cols = values.shape
    inner_rows = n_rows - 1 if margins else n_rows
    inner_cols = n_cols - 1 if margins else n_cols
    lines = [("row", i) for i in range(n_rows)] + [("col", j) for j in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for axis, index in lines:
            cells = [(index, j) for j in range(n_cols)] if axis == "row" else [(i, index) for i in range(n_rows)]
            cells = [c for c in cells if present[c]]
            if sum(hidden[c] for c in cells) != 1 or len(cells) < 2:
                continue
            inner = [c for c in cells if not hidden[c] and c[0] < inner_rows and c[1] < inner_cols]
            margin = [c for c in cells if not hidden[c] and c not in inner]

            def fixes_crossing_line(c: tuple[int, int], axis: str = axis) -> bool:
                crossing = hidden[:, c[1]] if axis == "row" else hidden[c[0], :]
                return int(crossing.sum()) == 1

            # Prefer a cell that also mends its crossing line, then non-zero, then small.
            candidates = sorted(
                inner, key=lambda c: (not fixes_crossing_line(c), values[c] == 0, values[c])
            ) or margin
            if candidates:
                hidden[candidates[0]] = True
                changed = True


def groups_to_merge(sizes: pd.Series, k: int | Disclosure = 5, *, preset: str = "k") -> list:
    """The groups to hide or merge so that no group and no remainder is under ``k``.

    Parameters
    ----------
    sizes
        People per group.
    k, preset
        The threshold (or a :class:`Disclosure`).

    Returns
    -------
    list
        Group names, smallest first: every group under the threshold, then, while
        those together number fewer than the threshold, the next smallest (so that
        the merged group is not itself small, and no hidden group can be worked out
        from a known total). Empty when every group is large enough.

    Examples
    --------
    >>> groups_to_merge(pd.Series({"Acute": 40, "Hospice": 3, "Council": 12}), 5)
    ['Hospice', 'Council']
    >>> groups_to_merge(pd.Series({"Acute": 40, "Hospice": 3, "PCN": 4}), 5)
    ['Hospice', 'PCN']
    """
    threshold, _ = _threshold(k, preset)
    ordered = sizes.astype(float).sort_values(kind="stable")
    merge = list(ordered.index[ordered < threshold])
    if not merge:
        return []
    total = float(ordered[merge].sum())
    for group in ordered.index[len(merge):]:
        if total >= threshold:
            break
        merge.append(group)
        total += float(ordered[group])
    return merge


def _other_name(existing: Iterable[object]) -> str:
    names = {str(e) for e in existing}
    name = OTHER
    while name in names:
        name = f"{name} (small groups)"
    return name


def merge_small_groups(
    series: pd.Series, k: int | Disclosure = 5, *, preset: str = "k", other: str = OTHER
) -> pd.Series:
    """Replace the values of small groups with ``"Other"``, for maps and person tables.

    Parameters
    ----------
    series
        One group value per person (missing values stay missing).
    k, preset
        The threshold (or a :class:`Disclosure`).
    other
        The merged group's name (made unique if a real group has it).

    Returns
    -------
    pandas.Series
        Same index; groups chosen by :func:`groups_to_merge` renamed ``other``.

    Examples
    --------
    >>> orgs = pd.Series(["Acute"] * 6 + ["Hospice"] * 2 + ["PCN"] * 3)
    >>> merge_small_groups(orgs, 5).value_counts().to_dict()
    {'Acute': 6, 'Other': 5}
    """
    sizes = series.dropna().value_counts()
    merge = groups_to_merge(sizes, k, preset=preset)
    if not merge:
        return series.copy()
    name = other if other not in set(map(str, sizes.index)) else _other_name(sizes.index)
    return series.map(lambda v: name if (not pd.isna(v) and v in set(merge)) else v)


def suppress_groups(
    groups: pd.DataFrame,
    k: int | Disclosure = 5,
    *,
    preset: str = "k",
    size: str = "size",
    additive: Sequence[str] = ("size", "respondents"),
    how: str = "merge",
) -> pd.DataFrame:
    """A group table safe to show: groups under ``k`` merged into "Other" or hidden.

    Parameters
    ----------
    groups
        One row per group (as ``Analysis.groups[X]``), with a ``size`` column.
    k, preset
        The threshold (or a :class:`Disclosure`).
    size
        The column holding the number of people in the group.
    additive
        Columns whose "Other" value is the sum of the merged rows. Every other
        column (ties, E-I, densities) is left empty for "Other": it cannot be
        recovered from the rows alone (ties between two merged groups would count
        as crossing).
    how
        ``"merge"`` (add an "Other" row) or ``"hide"`` (drop the rows).

    Returns
    -------
    pandas.DataFrame
        The large groups unchanged, then "Other" (under ``merge``) when any group
        was merged and the merged groups number at least ``k`` people together (when
        the whole table has fewer than ``k`` people, nothing is shown). Under the NHS
        preset, the additive counts are rounded to 5.

    Notes
    -----
    The rows merged are those of :func:`groups_to_merge`: every group under the
    threshold and, while those number fewer than the threshold together, the next
    smallest, so that "Other" is never itself a small group and a hidden group's
    size cannot be worked out from the total.

    Examples
    --------
    >>> g = pd.DataFrame({"size": [40, 3, 12], "respondents": [30, 2, 9], "ei": [-0.5, 0.2, 0.1]},
    ...                  index=pd.Index(["Acute", "Hospice", "Council"], name="organisation"))
    >>> suppress_groups(g, 5).to_dict("index")
    {'Acute': {'size': 40, 'respondents': 30, 'ei': -0.5}, 'Other': {'size': 15, 'respondents': 11, 'ei': nan}}
    """
    if how not in ("merge", "hide"):
        raise InputFormatError(f"how={how!r} is not valid", expected="'merge' or 'hide'")
    if size not in groups.columns:
        raise InputFormatError(f"the group table has no {size!r} column", expected="a column of group sizes")
    disclosure = k if isinstance(k, Disclosure) else Disclosure(k=k, preset=preset)
    merge = groups_to_merge(groups[size], disclosure)
    kept = groups.drop(index=merge)
    # Everyone together is fewer than k: "Other" would itself be a small group.
    too_small = float(groups.loc[merge, size].sum()) < disclosure.threshold
    if merge and how == "merge" and not too_small:
        other = pd.DataFrame(
            {c: [groups.loc[merge, c].sum() if c in additive else np.nan] for c in groups.columns},
            index=pd.Index([_other_name(groups.index)], name=groups.index.name),
        )
        kept = pd.concat([kept.astype({c: float for c in kept.columns if c not in additive and
                                       pd.api.types.is_numeric_dtype(kept[c])}), other])
        for column in additive:
            if column in kept.columns and pd.api.types.is_numeric_dtype(groups[column]):
                kept[column] = kept[column].astype(groups[column].dtype)
    if disclosure.rounding:
        for column in additive:
            if column in kept.columns:
                kept[column] = kept[column].map(round_to_5)
    return kept


def merge_small_matrix(
    matrix: pd.DataFrame,
    sizes: pd.Series,
    k: int | Disclosure = 5,
    *,
    preset: str = "k",
    symmetric: bool = False,
) -> tuple[pd.DataFrame, pd.Series]:
    """A group-by-group count matrix with small groups' rows and columns summed into "Other".

    Parameters
    ----------
    matrix
        Counts (a mixing matrix: row = sender's group, column = receiver's group).
    sizes
        People per group (every row and column label of ``matrix``).
    k, preset
        The threshold (or a :class:`Disclosure`).
    symmetric
        The matrix counts an undirected relation as onatool's metrics do: each tie
        once on the diagonal, in both cells off it. Ties between two merged groups
        then count once on the merged diagonal.

    Returns
    -------
    (pandas.DataFrame, pandas.Series)
        The merged matrix (sums of counts, exact, since every tie still falls in one
        cell) and the merged sizes, so that densities can be recomputed.

    Examples
    --------
    >>> m = pd.DataFrame([[5, 1, 2], [1, 0, 0], [2, 0, 1]], index=list("ABC"), columns=list("ABC"))
    >>> merged, sizes = merge_small_matrix(m, pd.Series({"A": 9, "B": 2, "C": 4}), 5)
    >>> merged.to_numpy().tolist(), sizes.to_dict()
    ([[5, 3], [3, 1]], {'A': 9, 'Other': 6})
    """
    merge = set(groups_to_merge(sizes, k, preset=preset))
    if not merge:
        return matrix.copy(), sizes.copy()
    name = _other_name(sizes.index)
    relabel = {g: (name if g in merge else g) for g in sizes.index}
    merged = matrix.rename(index=relabel, columns=relabel)
    merged = merged.T.groupby(level=0, sort=False).sum().T.groupby(level=0, sort=False).sum()
    if symmetric:
        inner = matrix.loc[matrix.index.isin(merge), matrix.columns.isin(merge)].to_numpy()
        across = inner.sum() - np.trace(inner)  # ties between two merged groups, counted twice
        merged.loc[name, name] -= across // 2
    return merged, sizes.rename(index=relabel).groupby(level=0, sort=False).sum()
