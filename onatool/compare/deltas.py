"""Person, group and network deltas from per-wave analyses, side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from onatool import schema

# Network keys that are p-values (the E-I permutation test), not amounts.
_P_VALUE_PREFIXES = ("ei_p_",)
# Person columns that are labels (community numbers), not amounts: not compared.
_LABEL_COLUMNS = frozenset({"community"})

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
        left blank; intervals (``network["intervals"]``) are not measures and are left
        out. Whether a change is real is read on the balanced panel
        (:func:`onatool.inference.resampling.panel_change`), not from this column.

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
            **_scalars({k: v for k, v in (getattr(a, "network", None) or {}).items() if k != "intervals"}),
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
