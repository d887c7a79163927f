"""One pair of waves, restricted to the people compared, and the rules for who is compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import NotDefinedError
from onatool.network import Network

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

_P_CONVENTION = (
    "two-sided: (number of permutations with |statistic| >= |observed| + 1) / "
    "(permutations + 1)"
)

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
