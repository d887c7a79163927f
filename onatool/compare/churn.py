"""Tie churn (stable, lost, new, Jaccard) and boundary change between two waves."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.compare.pairs import CHANGE_ATTRIBUTES, _layers, _Pair, _pair
from onatool.errors import NotDefinedError
from onatool.network import Network


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
# Boundary change
# ---------------------------------------------------------------------------------
def _boundary_attributes(networks: Sequence[Network], attributes: Sequence[str] | None) -> list[str]:
    """The attributes whose crossings are counted: given, or the usual ones present."""
    if attributes is None:
        return [
            a for a in CHANGE_ATTRIBUTES
            if all(
                a in net.people.columns and engine.group_labels(net.people[a]).notna().any()
                for net in networks
            )
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
            group = engine.people_codes(people, attribute, pair.ids)
            a, b = group[rows[mask]], group[columns[mask]]
            seen = (a >= 0) & (b >= 0)
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
