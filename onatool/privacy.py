"""Privacy: keyed pseudonyms, small-group suppression, and the disclosure policy.

Pseudonyms
    ``person_id`` is a keyed HMAC-SHA256 of the normalised roster identifier, so the
    same person keeps the same id in every wave of a project, while two projects (two
    keys) give unrelated ids. Display labels ``P001 …`` are assigned in an order drawn
    from the key, not alphabetical or by organisation, so a label says nothing about
    who it is. The key is per project and never written to any output.

Suppression
    A figure about a group of fewer than ``k`` people is not shown
    (:func:`suppress_counts`, :func:`suppress_groups`, :func:`merge_small_groups`).
    Where a total would let a hidden figure be worked out by subtraction, a second
    figure is hidden too (secondary suppression). The NHS preset shows counts of 1–7
    as ``*`` and rounds every other count to the nearest 5.

Disclosure
    Every output path (report, exports, maps) takes a :class:`Disclosure`: whether
    names are revealed (only through :meth:`Disclosure.reveal_names`, which writes to
    the audit log), the threshold and the preset. The default hides names and
    suppresses groups under 5.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place, SuppressedError

__all__ = [
    "NHS_THRESHOLD",
    "OTHER",
    "PRESETS",
    "SUPPRESSED",
    "Disclosure",
    "groups_to_merge",
    "merge_small_groups",
    "merge_small_matrix",
    "new_project_key",
    "normalise_identifier",
    "person_labels",
    "project_key_file",
    "pseudonym",
    "pseudonym_labels",
    "read_or_create_key",
    "round_to_5",
    "safe_attributes",
    "suppress_counts",
    "suppress_groups",
    "workshop_labels",
]

KEY_BYTES = 32


def new_project_key() -> bytes:
    """A fresh random 32-byte project key."""
    return secrets.token_bytes(KEY_BYTES)


def normalise_identifier(identifier: object) -> str:
    """Fold a roster id or email so trivial differences do not split a person.

    Examples
    --------
    >>> normalise_identifier("  Jo.Bloggs@Example.NHS.uk ")
    'jo.bloggs@example.nhs.uk'
    """
    return str(identifier).strip().casefold()


def pseudonym(key: bytes, identifier: object) -> str:
    """The ``person_id`` for a roster identifier under a project key.

    Parameters
    ----------
    key
        The project's secret key.
    identifier
        The roster's stable id (or email when there is no id column).

    Returns
    -------
    str
        ``"p"`` followed by 16 hex digits (64 bits of HMAC-SHA256).

    Examples
    --------
    >>> a = pseudonym(b"k" * 32, "NM0001")
    >>> a == pseudonym(b"k" * 32, " nm0001 "), a == pseudonym(b"j" * 32, "NM0001")
    (True, False)
    >>> len(a)
    17
    """
    digest = hmac.new(key, normalise_identifier(identifier).encode(), hashlib.sha256)
    return "p" + digest.hexdigest()[:16]


def pseudonym_labels(key: bytes, person_ids: Iterable[str]) -> dict[str, str]:
    """Display labels ``P001, P002 …`` in an order drawn from the key.

    Parameters
    ----------
    key
        The project's secret key.
    person_ids
        The people to label.

    Returns
    -------
    dict
        ``person_id -> label``; zero-padded to at least three digits.

    Examples
    --------
    >>> labels = pseudonym_labels(b"k" * 32, ["pa", "pb", "pc"])
    >>> sorted(labels.values())
    ['P001', 'P002', 'P003']
    """
    ids = list(dict.fromkeys(person_ids))
    width = max(3, len(str(len(ids))))

    def rank_key(pid: str) -> bytes:
        return hmac.new(key, b"label:" + pid.encode(), hashlib.sha256).digest()

    ordered = sorted(ids, key=rank_key)
    return {pid: f"P{i:0{width}d}" for i, pid in enumerate(ordered, start=1)}


def onatool_home() -> Path:
    """Where onatool keeps per-user files (``$ONATOOL_HOME``, else ``~/.onatool``)."""
    return Path(os.environ.get("ONATOOL_HOME", Path.home() / ".onatool"))


def project_key_file(project: str) -> Path:
    """The key file of a named project under :func:`onatool_home`."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in project) or "default"
    return onatool_home() / "keys" / f"{safe}.key"


def read_or_create_key(path: Path) -> bytes:
    """Read a project key file, creating it (mode 0600) with a new key if absent.

    Raises
    ------
    InputFormatError
        If the file exists but does not hold a 64-hex-digit key.
    """
    path = Path(path)
    if path.exists():
        text = path.read_text().strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise InputFormatError(
                "the project key file is damaged",
                expected=f"{KEY_BYTES * 2} hexadecimal digits",
                place=Place(file=str(path)),
            )
        return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = new_project_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
    return key


# Disclosure policy ------------------------------------------------------------------

#: The presets: ``"k"`` hides groups under ``k``; ``"nhs"`` shows 1–7 as ``*`` and
#: rounds other counts to the nearest 5.
PRESETS = ("k", "nhs")
#: Under the NHS preset, counts below this are shown as ``*``.
NHS_THRESHOLD = 8
#: What a suppressed cell shows.
SUPPRESSED = "*"
#: The group that small groups merge into.
OTHER = "Other"

#: ``audit(project, user, action, detail)``, as the workspace store's ``audit``.
AuditLog = Callable[[str, str, str, str], object]


@dataclass(frozen=True)
class Disclosure:
    """What an output may show: names or not, and how small groups are protected.

    Every output path (the report, each export, maps) takes one. The default hides
    names and hides groups of fewer than 5 people.

    Parameters
    ----------
    names_revealed
        Whether person-level outputs may carry names. Only
        :meth:`reveal_names` sets it, so that revealing is always audited.
    k
        Groups of fewer than ``k`` people are suppressed (``k=1`` suppresses nothing).
    preset
        ``"k"`` (groups under ``k`` hidden, with secondary suppression), or ``"nhs"``
        (counts 1–7 shown as ``*``, every other count rounded to the nearest 5; groups
        under ``max(k, 8)`` hidden).
    revealed_by
        Who revealed names (set by :meth:`reveal_names`).

    Raises
    ------
    InputFormatError
        ``k`` is not a whole number of at least 1, or ``preset`` is unknown.
    SuppressedError
        ``names_revealed`` set directly rather than through :meth:`reveal_names`.

    Examples
    --------
    >>> Disclosure().threshold, Disclosure(preset="nhs").threshold
    (5, 8)
    >>> log = []
    >>> named = Disclosure().reveal_names(user="ana", project="place-a",
    ...     audit=lambda *entry: log.append(entry), detail="Excel export")
    >>> named.names_revealed, log
    (True, [('place-a', 'ana', 'names revealed', 'Excel export')])
    """

    names_revealed: bool = False
    k: int = 5
    preset: str = "k"
    revealed_by: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int | np.integer) or self.k < 1:
            raise InputFormatError(
                f"suppression threshold k={self.k!r} is not valid",
                expected="a whole number of people, at least 1 (5 is the usual choice)",
            )
        if self.preset not in PRESETS:
            raise InputFormatError(
                f"suppression preset {self.preset!r} is unknown", expected=" or ".join(PRESETS)
            )
        if self.names_revealed and not self.revealed_by:
            raise SuppressedError(
                "names can only be revealed through Disclosure.reveal_names, "
                "which records who did it in the project's audit log"
            )

    def reveal_names(
        self, *, user: str, project: str, audit: AuditLog, detail: str = ""
    ) -> Disclosure:
        """This policy with names revealed, recorded first in the audit log.

        Parameters
        ----------
        user
            Who is revealing names; non-empty.
        project
            The project whose names are revealed.
        audit
            Called as ``audit(project, user, "names revealed", detail)`` before
            anything is revealed (``Workspace.audit`` fits). If it raises, nothing is.
        detail
            Context such as which export; never names or values.

        Raises
        ------
        InputFormatError
            If ``user`` is empty.
        """
        if not isinstance(user, str) or not user.strip():
            raise InputFormatError("revealing names needs the name of who is doing it",
                                   expected="a user name")
        audit(project, user.strip(), "names revealed", detail)
        return replace(self, names_revealed=True, revealed_by=user.strip())

    def hiding_names(self) -> Disclosure:
        """This policy with names hidden again."""
        return replace(self, names_revealed=False, revealed_by="")

    @property
    def threshold(self) -> int:
        """Smallest group size shown: ``k``, or at least 8 under the NHS preset."""
        return max(int(self.k), NHS_THRESHOLD) if self.preset == "nhs" else int(self.k)

    @property
    def suppresses(self) -> bool:
        """Whether any group is suppressed at all (threshold above 1)."""
        return self.threshold > 1

    @property
    def rounding(self) -> int | None:
        """Counts are rounded to a multiple of this (5 under the NHS preset), or None."""
        return 5 if self.preset == "nhs" else None

    def rule(self) -> str:
        """The suppression rule in one plain sentence, for methods notes and exports.

        Examples
        --------
        >>> print(Disclosure(k=5).rule())
        Figures about groups of fewer than 5 people are not shown; where a total would let a hidden figure be worked out, another figure is hidden too.
        """
        if not self.suppresses:
            return "No suppression: figures about groups of any size are shown."
        if self.preset == "nhs":
            return (
                f"NHS rule: counts of 1 to {self.threshold - 1} are shown as *, and every other "
                f"count is rounded to the nearest 5; groups of fewer than {self.threshold} "
                "people are not shown."
            )
        return (
            f"Figures about groups of fewer than {self.threshold} people are not shown; where a "
            "total would let a hidden figure be worked out, another figure is hidden too."
        )

    def describe(self) -> dict[str, object]:
        """The policy as plain data, recorded inside every export."""
        return {
            "names_revealed": self.names_revealed,
            "revealed_by": self.revealed_by or None,
            "k": int(self.k),
            "preset": self.preset,
            "threshold": self.threshold,
            "rounding": self.rounding,
            "rule": self.rule(),
        }


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


# Labels and person tables --------------------------------------------------------------


def person_labels(
    people: pd.DataFrame,
    disclosure: Disclosure,
    identities: pd.DataFrame | None = None,
) -> pd.Series:
    """What each person is called in a person-level output.

    Parameters
    ----------
    people
        Indexed by ``person_id``, with a ``label`` column (``P001 …``) when the
        network came from a roster.
    disclosure
        Names are used only when it has them revealed.
    identities
        The roster's identity table (``name`` column), needed to reveal names.

    Returns
    -------
    pandas.Series
        Names when revealed (the label where a name is blank), else the label, else
        the ``person_id`` (already a pseudonym).

    Raises
    ------
    SuppressedError
        Names revealed but no identity table given.
    """
    if schema.LABEL in people.columns:
        labels = people[schema.LABEL].astype(object).where(people[schema.LABEL].notna(), None)
        labels = labels.fillna(pd.Series(people.index, index=people.index))
    else:
        labels = pd.Series(people.index, index=people.index, dtype=object)
    if not disclosure.names_revealed:
        return labels.astype(str)
    if identities is None or schema.NAME not in identities.columns:
        raise SuppressedError("names were revealed but no identity table (names) was given")
    names = identities[schema.NAME].reindex(people.index).astype(object)
    names = names.where(names.notna() & (names.astype(str).str.strip() != ""), labels)
    return names.astype(str)


def safe_attributes(
    people: pd.DataFrame, disclosure: Disclosure, attributes: Iterable[str] | None = None
) -> pd.DataFrame:
    """The people table with small groups of each attribute merged into "Other".

    A pseudonymised table still singles someone out when they are the only person of
    their organisation or level, so person-level exports merge small groups of every
    text attribute (unless names are revealed, or suppression is off).

    Parameters
    ----------
    people
        Indexed by ``person_id``.
    disclosure
        Supplies the threshold.
    attributes
        The columns to protect (default: every text column except ``label``).

    Returns
    -------
    pandas.DataFrame
        A copy; numeric and boolean columns untouched.
    """
    out = people.copy()
    if disclosure.names_revealed or not disclosure.suppresses:
        return out
    if attributes is None:
        attributes = [
            c for c in out.columns
            if c not in (schema.LABEL, schema.RESPONDED)
            and not pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
        ]
    for column in attributes:
        if column in out.columns:
            out[column] = merge_small_groups(out[column], disclosure)
    return out


def workshop_labels(
    people: pd.DataFrame,
    disclosure: Disclosure | int = 5,
    *,
    attributes: Sequence[str] = (schema.ORGANISATION, schema.LEVEL),
) -> pd.Series:
    """Group-level text for each person, for workshop ("mirror") tooltips.

    Parameters
    ----------
    people
        Indexed by ``person_id``.
    disclosure
        Supplies the threshold (or give ``k``).
    attributes
        The attributes shown, in order; those missing from ``people`` are skipped.

    Returns
    -------
    pandas.Series
        For example ``"Northmoor Acute Hospitals · middle"``, with small groups of
        each attribute shown as "Other". Never a label or a name.

    Examples
    --------
    >>> p = pd.DataFrame({"organisation": ["Acute"] * 5 + ["Hospice"] * 2 + ["PCN"] * 3,
    ...                   "level": ["top"] * 10})
    >>> workshop_labels(p, 5).tolist()[4:6]
    ['Acute · top', 'Other · top']
    """
    disclosure = disclosure if isinstance(disclosure, Disclosure) else Disclosure(k=disclosure)
    parts = [
        merge_small_groups(people[a], disclosure).astype(object).fillna("not recorded").astype(str)
        for a in attributes if a in people.columns
    ]
    if not parts:
        return pd.Series("", index=people.index, dtype=object)
    text = parts[0]
    for part in parts[1:]:
        text = text + " · " + part
    return text
