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

__all__ = ["PLACE_MEASURES", "against_others", "place_measures", "places_table"]

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
#: Position words, from below to above.
BELOW, WITHIN, ABOVE = "below the others' range", "within the others' range", "above the others' range"


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


def places_table(per_place: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Measures (rows) by place (columns), in :data:`PLACE_MEASURES` order."""
    table = pd.DataFrame(dict(per_place))
    return table.reindex([f"{w}.{n}" for w, n in PLACE_MEASURES])


def against_others(table: pd.DataFrame) -> pd.DataFrame:
    """Each place's value set against the range of the other places' values of the same measure.

    Returns
    -------
    DataFrame
        One row per (``measure``, ``place``): ``value``, ``others_low``, ``others_high``
        (the smallest and largest value among the other places with a value) and
        ``position`` (:data:`BELOW`, :data:`WITHIN` or :data:`ABOVE`; missing when the
        place has no value or no other place has one). Nothing is ranked.

    Examples
    --------
    >>> t = pd.DataFrame({"A": [0.2], "B": [0.5], "C": [0.4]}, index=["network.density"])
    >>> against_others(t).set_index("place")["position"].to_dict()
    {'A': "below the others' range", 'B': "above the others' range", 'C': "within the others' range"}
    """
    rows = []
    for measure, values in table.iterrows():
        for place, value in values.items():
            others = values.drop(place).dropna()
            low, high = (others.min(), others.max()) if len(others) else (np.nan, np.nan)
            if np.isnan(value) or not len(others):
                position = None
            else:
                position = BELOW if value < low else ABOVE if value > high else WITHIN
            rows.append({"measure": measure, "place": place, "value": value, "others_low": low,
                         "others_high": high, "position": position})
    return pd.DataFrame(rows, columns=["measure", "place", "value", "others_low", "others_high", "position"])
