"""Several places side by side: the same measures for each, and each place against the others' range.

A workspace may hold several projects, one per place (locality), that share a survey
instrument. Places differ in size, make-up and response, so they are never ranked on a
single number: each place's value of a measure is set against the range of the *other*
places ("below the others' range", "within it", "above it"), with the response rate
beside every column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ABOVE", "BELOW", "OVERLAPS", "PLACE_MEASURES", "WITHIN", "against_others", "place_intervals",
           "place_measures", "places_table", "shown_value"]

#: The measures compared between places: (where in the analysis, result name).
PLACE_MEASURES: tuple[tuple[str, str], ...] = (
    ("network", "people"),
    ("network", "response_rate"),
    ("network", "density"),
    ("network", "reciprocity"),
    ("network", "ei_organisation"),
    ("health", "boundary_crossing_organisation"),
    ("health", "two_step_reach"),
    ("health", "top5_cross_organisation_share"),
    ("health", "isolates_share"),
    ("levels", "bottom_reach_to_top"),
    ("levels", "middle_integration"),
    ("levels", "top_peer_density_cross_org"),
    ("levels", "upward_reciprocity"),
)
#: Position words, from below to above. With intervals, a place is below or above only when its
#: whole interval is; otherwise its interval overlaps the others' (no clear difference).
BELOW, WITHIN, ABOVE = "below the others' range", "within the others' range", "above the others' range"
OVERLAPS = "overlaps the others' range"


def _value(entry: Any) -> float:
    if isinstance(entry, Mapping):
        entry = entry.get("value")
    try:
        return float(entry) if entry is not None else np.nan
    except (TypeError, ValueError):
        return np.nan


def place_measures(network: Mapping[str, Any], health: Mapping[str, Any] | None,
                   levels: Mapping[str, Any] | None) -> pd.Series:
    """One place's values of :data:`PLACE_MEASURES` (missing where not defined or withheld).

    Parameters
    ----------
    network, health, levels
        ``Analysis.network``, ``.health`` and ``.levels`` of the place's wave (already
        through the disclosure gate, so withheld measures stay missing).
    """
    parts = {"network": network or {}, "health": health or {}, "levels": levels or {}}
    return pd.Series({f"{where}.{name}": _value(parts[where].get(name)) for where, name in PLACE_MEASURES})


def place_intervals(network: Mapping[str, Any], health: Mapping[str, Any] | None,
                    levels: Mapping[str, Any] | None) -> pd.DataFrame:
    """One place's 95% intervals of :data:`PLACE_MEASURES` (``low``, ``high``; missing where none).

    Read from what :func:`onatool.inference.resampling.attach_intervals` adds: each health
    and level entry's ``interval`` (already through the gate, so a withheld measure has
    none), and ``network["intervals"]`` for the whole-network measures.
    """
    whole = ((network or {}).get("intervals") or {}).get("measures", {})
    rows = {}
    for where, name in PLACE_MEASURES:
        if where == "network":
            found = whole.get(name)
        else:
            entry = ((health if where == "health" else levels) or {}).get(name)
            found = entry.get("interval") if isinstance(entry, Mapping) and entry.get("value") is not None else None
        rows[f"{where}.{name}"] = (_value((found or {}).get("low")), _value((found or {}).get("high")))
    return pd.DataFrame.from_dict(rows, orient="index", columns=["low", "high"])


def places_table(per_place: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Measures (rows) by place (columns), in :data:`PLACE_MEASURES` order."""
    table = pd.DataFrame(dict(per_place))
    return table.reindex([f"{w}.{n}" for w, n in PLACE_MEASURES])


def against_others(table: pd.DataFrame, intervals: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Each place's value set against the range of the other places' values of the same measure.

    Parameters
    ----------
    table
        Measures by place (:func:`places_table`).
    intervals
        Place -> its :func:`place_intervals`. Where a measure has intervals, a place is
        :data:`BELOW` (:data:`ABOVE`) only when its whole interval lies below (above) every
        other place's interval, and :data:`OVERLAPS` otherwise: a difference inside the
        noise of who answered is not a difference to report.

    Returns
    -------
    DataFrame
        One row per (``measure``, ``place``): ``value``, ``low``, ``high`` (its interval,
        when known), ``others_low``, ``others_high`` (the smallest and largest value among
        the other places with a value) and ``position`` (missing when the place has no
        value or no other place has one). Nothing is ranked.

    Examples
    --------
    >>> t = pd.DataFrame({"A": [0.2], "B": [0.5], "C": [0.4]}, index=["network.density"])
    >>> against_others(t).set_index("place")["position"].to_dict()
    {'A': "below the others' range", 'B': "above the others' range", 'C': "within the others' range"}
    """
    intervals = intervals or {}

    def interval(place: str, measure: str) -> tuple[float, float]:
        found = intervals.get(place)
        if found is None or measure not in found.index:
            return np.nan, np.nan
        return float(found.at[measure, "low"]), float(found.at[measure, "high"])

    rows = []
    for measure, values in table.iterrows():
        for place, value in values.items():
            others = values.drop(place).dropna()
            low, high = (others.min(), others.max()) if len(others) else (np.nan, np.nan)
            mine = interval(place, measure)
            theirs = [interval(other, measure) for other in others.index]
            if np.isnan(value) or not len(others):
                position = None
            elif not np.isnan(mine).any() and theirs and not np.isnan(theirs).any():
                position = (BELOW if mine[1] < min(t[0] for t in theirs) else
                            ABOVE if mine[0] > max(t[1] for t in theirs) else OVERLAPS)
            else:
                position = BELOW if value < low else ABOVE if value > high else WITHIN
            rows.append({"measure": measure, "place": place, "value": value, "low": mine[0], "high": mine[1],
                         "others_low": low, "others_high": high, "position": position})
    return pd.DataFrame(rows, columns=["measure", "place", "value", "low", "high", "others_low", "others_high",
                                       "position"])


def shown_value(measure: str, value: float) -> str:
    """A value as its measure's range reads: shares as %, -1 to +1 signed, counts whole.

    Examples
    --------
    >>> shown_value("network.response_rate", 0.66), shown_value("network.ei_organisation", -0.23)
    ('66%', '-0.23')
    >>> shown_value("network.people", 250.0), shown_value("levels.middle_integration", float("nan"))
    ('250', 'not shown')
    """
    from onatool.metrics.registry import spec_for

    if pd.isna(value):
        return "not shown"
    where, name = measure.split(".", 1)
    low, high = spec_for(name, where).range or (None, None)
    if (low, high) == (0, 1):
        return f"{value:.0%}" if value >= 0.01 or value == 0 else f"{value:.1%}"
    if (low, high) == (-1, 1):
        return f"{value:+.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.2f}"
