"""The tables every surface draws on, each passed through the disclosure gate.

People, ties, response, group and matrix tables: pseudonymised and suppressed under the
project's :class:`~onatool.share.disclosure.Disclosure`, so the app, the report, every
export and the CLI show the same figures under the same rule."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.network import Network
from onatool.share.disclosure import Disclosure
from onatool.share.gate import release
from onatool.share.labels import person_labels

__all__ = ["RESPONSE_TARGET", "export_tables", "group_tables", "matrix_tables", "people_by", "people_table",
           "place_comparison", "response_progress", "response_table", "ties_table"]

#: The response rate a survey aims for in every group while it is open (a project may set its
#: own): every person who does not answer leaves pairs that nobody can speak to.
RESPONSE_TARGET = 0.70

# The tables every export draws on ----------------------------------------------------


def people_table(
    network: Network,
    disclosure: Disclosure,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person: pseudonym, protected attributes, response, metrics.

    Parameters
    ----------
    network
        The wave.
    disclosure
        Names appear (a ``name`` column) only when revealed; otherwise the table
        passes the gate's person-level rule: every combination of its attributes
        holds at least ``k`` people (what changed is in ``table.attrs["notes"]``).
    analysis
        ``Analysis`` whose ``people`` metrics are joined on.
    identities
        The roster's identity table, needed to reveal names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``label``, [``name``], attributes, ``responded``,
        then every metric column.

    Examples
    --------
    >>> people = {f"p{i}": {"organisation": "Acute" if i < 5 else "Hospice"} for i in range(7)}
    >>> net = Network.from_edges([("p0", "p1")], people=people)
    >>> table = people_table(net, Disclosure())
    >>> table["organisation"].value_counts().to_dict(), table.attrs["notes"]
    ({'Other': 7}, ['organisation: 2 value(s) shown as Other, so that every group and every combination of attributes shown holds at least 5 people.'])
    >>> people_table(net, Disclosure(k=2))["organisation"].value_counts().to_dict()
    {'Acute': 5, 'Hospice': 2}
    """
    people = network.people
    out = pd.DataFrame(index=people.index)
    out[schema.LABEL] = person_labels(people, disclosure.hiding_names())
    if disclosure.names_revealed:
        out[schema.NAME] = person_labels(people, disclosure, identities)
    out = out.join(people.drop(columns=[schema.LABEL], errors="ignore"))
    metrics = getattr(analysis, "people", None)
    if isinstance(metrics, pd.DataFrame):
        out = out.join(metrics.drop(columns=[c for c in metrics.columns if c in out.columns]))
    return release("people", out, disclosure)


def ties_table(
    network: Network,
    disclosure: Disclosure,
    *,
    identities: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per tie with both ends' labels (and names, when revealed).

    Parameters
    ----------
    network
        The ties to write (already layered and thresholded, or raw).
    disclosure
        Names or not.
    identities
        Needed to reveal names.
    status
        Optional ``Comparison.ties`` (``source, target, status``) to add a
        ``status`` column (new / lost / stable).
    """
    labels = person_labels(network.people, disclosure, identities)
    pseud = person_labels(network.people, disclosure.hiding_names())
    ties = network.ties.copy()
    out = pd.DataFrame({
        "source": ties[schema.SOURCE],
        "source_label": ties[schema.SOURCE].map(pseud),
        "target": ties[schema.TARGET],
        "target_label": ties[schema.TARGET].map(pseud),
        "relation": ties[schema.RELATION],
        "weight": ties[schema.WEIGHT],
        "raw_value": ties[schema.RAW_VALUE],
    })
    if disclosure.names_revealed:
        out.insert(2, "source_name", ties[schema.SOURCE].map(labels))
        out.insert(5, "target_name", ties[schema.TARGET].map(labels))
    if status is not None and {"source", "target", "status"} <= set(status.columns):
        keys = status.drop_duplicates(["source", "target"]).set_index(["source", "target"])["status"]
        out["status"] = pd.MultiIndex.from_arrays([out["source"], out["target"]]).map(keys)
    return out


def response_table(network: Network, attribute: str, disclosure: Disclosure) -> pd.DataFrame:
    """People, respondents and response rate per group, small groups merged.

    Examples
    --------
    >>> people = pd.DataFrame({"organisation": ["A"] * 6 + ["B"] * 2 + ["C"] * 4,
    ...     "responded": [True] * 5 + [False] * 7},
    ...     index=pd.Index([f"p{i}" for i in range(12)], name="person_id"))
    >>> net = Network(people, pd.DataFrame(columns=list(schema.TIE_COLUMNS)))
    >>> response_table(net, "organisation", Disclosure()).to_dict("index")
    {'A': {'size': 6, 'respondents': 5, 'response_rate': 0.8333333333333334}, 'Other': {'size': 6, 'respondents': 0, 'response_rate': 0.0}}
    """
    people = network.people
    if attribute not in people.columns:
        return pd.DataFrame(columns=["size", "respondents", "response_rate"])
    known = people[engine.group_labels(people[attribute]).notna()]  # blank text is unknown
    table = known.groupby(attribute, sort=True)[schema.RESPONDED].agg(["size", "sum"])
    table = table.rename(columns={"sum": "respondents"}).astype(int)
    table.index = table.index.astype(object)
    table = release("groups", table, disclosure)
    table["response_rate"] = table["respondents"] / table["size"]
    return table


def response_progress(network: Network, attribute: str, disclosure: Disclosure, *,
                      target: float = RESPONSE_TARGET) -> pd.DataFrame:
    """Response per group against a target, while a survey is open (small groups merged).

    Returns
    -------
    pandas.DataFrame
        :func:`response_table`'s ``size``, ``respondents`` and ``response_rate``, then
        ``target``, ``still_needed`` (more answers needed to reach the target) and
        ``under_target``.

    Examples
    --------
    >>> people = pd.DataFrame({"organisation": ["A"] * 6 + ["B"] * 6,
    ...     "responded": [True] * 5 + [False] + [True] * 2 + [False] * 4},
    ...     index=pd.Index([f"p{i}" for i in range(12)], name="person_id"))
    >>> net = Network(people, pd.DataFrame(columns=list(schema.TIE_COLUMNS)))
    >>> response_progress(net, "organisation", Disclosure())[["still_needed", "under_target"]].to_dict("index")
    {'A': {'still_needed': 0, 'under_target': False}, 'B': {'still_needed': 3, 'under_target': True}}
    """
    if not 0 < target <= 1:
        raise ValueError(f"a response target is a share between 0 and 1, not {target}")
    table = response_table(network, attribute, disclosure)
    table["target"] = target
    needed = np.ceil(table["size"] * target - 1e-9).astype(int) - table["respondents"]
    table["still_needed"] = needed.clip(lower=0).astype(int)
    table["under_target"] = table["response_rate"] < target
    return table


def place_comparison(analyses: Mapping[str, Any], networks: Mapping[str, Network],
                     disclosure: Disclosure) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Several places side by side, each place's levels and health through the gate first.

    Each place gets 95% intervals by resampling its respondents
    (:func:`onatool.inference.resampling.attach_intervals`, the default resamples and seed)
    when its analysis has none, so a place is set above or below the others only when its
    interval clears theirs.

    Parameters
    ----------
    analyses
        Place name -> its wave's ``Analysis``.
    networks
        Place name -> the wave analysed (its people's level sizes decide what is withheld).

    Returns
    -------
    (DataFrame, DataFrame)
        Measures in words (rows, with ``measure`` keys as the index name) by place; and
        each place against the others' range (:func:`onatool.compare.places.against_others`).
    """
    from onatool.compare.places import against_others, place_intervals, place_measures, places_table
    from onatool.inference.resampling import attach_intervals
    from onatool.metrics.registry import heading

    per_place, per_place_intervals = {}, {}
    for place, analysis in analyses.items():
        people = networks[place].people
        if not analysis.network.get("intervals"):
            analysis = attach_intervals(analysis, networks[place])
        health = release("health", analysis.health, disclosure, people=people)
        levels = release("levels", analysis.levels, disclosure, people=people)
        per_place[place] = place_measures(analysis.network, health, levels)
        per_place_intervals[place] = place_intervals(analysis.network, health, levels)
    table = places_table(per_place)
    ranges = against_others(table, per_place_intervals)
    words = {key: heading(key.split(".", 1)[1], key.split(".", 1)[0]) for key in table.index}
    ranges.insert(1, "meaning", ranges["measure"].map(words))
    table.insert(0, "meaning", table.index.map(words))
    return table.rename_axis("measure"), ranges


def people_by(
    network: Network,
    rows: str,
    columns: str,
    disclosure: Disclosure,
    *,
    respondents_only: bool = False,
) -> pd.DataFrame:
    """People (or respondents) counted by two attributes, with totals, suppressed.

    Small groups of each attribute are merged into "Other" first, then every count
    under the threshold is hidden, with secondary suppression so no hidden count can
    be worked out from the totals (:func:`onatool.share.suppress.suppress_counts`).

    Returns
    -------
    pandas.DataFrame
        Object dtype: whole numbers, ``"*"`` where suppressed; a ``Total`` row and
        column. Empty when either attribute is missing.
    """
    people = network.people
    if rows not in people.columns or columns not in people.columns:
        return pd.DataFrame()
    table = people[[rows, columns, schema.RESPONDED]].copy()
    for attribute in (rows, columns):
        table[attribute] = release("labels", table[attribute], disclosure)
    if respondents_only:
        table = table[table[schema.RESPONDED]]
    table = table.dropna(subset=[rows, columns])
    counts = pd.crosstab(table[rows].astype(str), table[columns].astype(str))
    if columns == schema.LEVEL:
        counts = counts.reindex(columns=[lv for lv in schema.LEVELS if lv in counts.columns])
    return release("counts", counts, disclosure, margins=True)


def group_tables(analysis: Any, disclosure: Disclosure, *, symmetric: bool = False) -> dict[str, pd.DataFrame]:
    """``Analysis.groups`` with small groups merged into "Other".

    The "Other" row's tie counts, E-I and density are recomputed from the merged
    mixing matrix when the analysis has one, so they are exact.
    """
    mixing = getattr(analysis, "mixing", None) or {}
    return {str(attribute): release("groups", table, disclosure, mixing=mixing.get(attribute),
                                    symmetric=symmetric)
            for attribute, table in (getattr(analysis, "groups", None) or {}).items()}


def matrix_tables(analysis: Any, disclosure: Disclosure, *, symmetric: bool = False) -> dict[str, pd.DataFrame]:
    """Mixing and block-density matrices per attribute, small groups merged.

    Returns
    -------
    dict
        ``{"mixing_X": counts, "block_density_X": densities}``; densities are
        recomputed from the merged counts and sizes (metrics.md's definition).
    """
    out: dict[str, pd.DataFrame] = {}
    groups = getattr(analysis, "groups", None) or {}
    for attribute, mixing in (getattr(analysis, "mixing", None) or {}).items():
        if attribute not in groups:
            continue
        sizes = groups[attribute]["size"]
        out[f"mixing_{attribute}"] = release("matrix", mixing, disclosure, sizes=sizes, symmetric=symmetric)
        out[f"block_density_{attribute}"] = release("matrix", mixing, disclosure, sizes=sizes,
                                                    symmetric=symmetric, density=True,
                                                    respondents=groups[attribute].get("respondents"))
    return out


def _flat(data: Mapping[str, Any] | None, *, key: str = "measure") -> pd.DataFrame:
    """A dict of values (or of dicts) as a two-or-more-column table."""
    rows = []
    for name, value in (data or {}).items():
        if isinstance(value, Mapping):
            rows.append({key: name, **{k: _cell(v) for k, v in value.items()}})
        else:
            rows.append({key: name, "value": _cell(value)})
    return pd.DataFrame(rows)


def _cell(value: object) -> object:
    if isinstance(value, Mapping):
        return json.dumps(value, default=str, sort_keys=True)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, np.generic):
        return value.item()
    return value


def export_tables(
    network: Network,
    disclosure: Disclosure,
    *,
    analysis: Any = None,
    comparison: Any = None,
    identities: pd.DataFrame | None = None,
    attributes: Iterable[str] = schema.BOUNDARY_ATTRIBUTES,
) -> dict[str, pd.DataFrame]:
    """Every table an export writes, protected, by name (file stem / sheet name).

    Returns
    -------
    dict
        ``people``, ``ties``, ``responses_X``, ``network``, ``groups_X``,
        ``mixing_X``, ``block_density_X``, ``levels``, ``health``, ``change``,
        ``people_change``, ``groups_change_X`` (those available).
    """
    symmetric = _symmetric(network, analysis)
    tables: dict[str, pd.DataFrame] = {
        "people": people_table(network, disclosure, analysis=analysis, identities=identities),
        "ties": ties_table(network, disclosure, identities=identities,
                           status=getattr(comparison, "ties", None)),
    }
    for attribute in attributes:
        if attribute in network.people.columns and network.people[attribute].notna().any():
            tables[f"responses_{attribute}"] = response_table(network, attribute, disclosure)
    if analysis is not None:
        tables["network"] = _flat(getattr(analysis, "network", None))
        for attribute, table in group_tables(analysis, disclosure, symmetric=symmetric).items():
            tables[f"groups_{attribute}"] = table
        tables.update(matrix_tables(analysis, disclosure, symmetric=symmetric))
        levels = release("levels", getattr(analysis, "levels", None), disclosure, people=network.people)
        if levels:
            tables["levels"] = _flat(levels)
        health = release("health", getattr(analysis, "health", None), disclosure, people=network.people)
        if health:
            tables["health"] = _flat(health, key="indicator")
    if comparison is not None:
        tables.update(_change_tables(comparison, network, disclosure, identities))
    return {name: t for name, t in tables.items() if t is not None}


def _change_tables(
    comparison: Any, network: Network, disclosure: Disclosure, identities: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    summary = getattr(comparison, "summary", None)
    if summary:
        out["change"] = _flat(summary)
    people = getattr(comparison, "people", None)
    if isinstance(people, pd.DataFrame):
        labels = person_labels(network.people, disclosure.hiding_names()).reindex(people.index)
        table = people.copy()
        table.insert(0, schema.LABEL, labels)
        if disclosure.names_revealed:
            table.insert(1, schema.NAME, person_labels(network.people, disclosure, identities).reindex(people.index))
        out["people_change"] = release("people", table, disclosure)
    groups = getattr(comparison, "groups", None)
    if isinstance(groups, Mapping):
        for attribute, table in groups.items():
            if isinstance(table, pd.DataFrame):
                safe = release("change_groups", table, disclosure)
                if safe is not None:
                    out[f"groups_change_{attribute}"] = safe
    cohort = release("cohort", getattr(comparison, "cohort", None), disclosure)
    if cohort:
        out["cohort_change"] = _flat(cohort)
    return out


def _symmetric(network: Network, analysis: Any) -> bool:
    params = getattr(analysis, "params", None) or {}
    if params.get("symmetric") is not None:
        return bool(params["symmetric"])
    relation = params.get("relation")
    names = [relation] if relation else list(network.relation_names)
    return bool(names) and all(network.is_symmetric(r) for r in names if r in network.relations)
