"""The one disclosure gate: everything that leaves the tool passes through :func:`release`.

Every table, chart, sentence, map and file that someone outside the analyst's seat can
see is released through one function, under the project's
:class:`~onatool.share.disclosure.Disclosure`. Each kind of output has one rule, in
:data:`RULES`; no page, export or command applies its own copy.

Kinds
-----
``groups``
    One row per group with a ``size`` column (group tables, response tables): groups
    under ``k`` merged into "Other", the merged row recomputed from the mixing matrix.
``counts``
    A cross-tabulation of people: counts under ``k`` hidden, with secondary
    suppression so no hidden count can be worked out from a total.
``matrix``
    A group-by-group mixing matrix (counts or block density): small groups merged.
``by_group``
    Any figure per group (a chart's bars, brokerage roles per group): groups that
    :func:`~onatool.share.suppress.groups_to_merge` hides are left out.
``labels``
    One group value per person (person tables, legends): small groups "Other",
    with the next smallest where needed.
``map_groups``
    Colour groups on a map: groups under ``k`` "Other" (a map shows no totals).
``levels``
    ``Analysis.levels``: a level under ``k`` is never shown on its own, and every
    measure that rests on it is withheld.
``health``
    ``Analysis.health``: inclusion tables merged as group tables; indicators resting on
    a hidden level withheld.
``people``
    A person-level table: service users and carers (``actor_type``) left out whatever
    ``k`` is, since they are only ever counted in totals, and so are columns about
    protected characteristics (:func:`onatool.schema.is_edi_attribute`); then every combination of its
    shareable attributes holds at least ``k`` people, by merging values into "Other" or
    leaving attributes out (said in ``table.attrs["notes"]``).
``cohort``
    ``Comparison.cohort``: shown only when the cohort and everyone else each number ``k``.
``change_groups``
    A groups-change table: groups under ``k`` in any wave left out.
``network_change``
    Whole-network measures per wave: per-group rows left out, level rows as ``levels``.
``insights``
    Findings: any finding about a group that is hidden is left out.
``forums``
    One row per board or forum with a ``members`` column: a forum under ``k`` keeps its
    size, and its mix of organisations is withheld.
``overlap``
    A forum-by-forum table of shared members (or their Jaccard share, with the counts as
    ``shared``): a count under ``k`` (other than none) is withheld, since it says that
    one or two people sit on both.
``ratings``
    Scores resting on raters (PARTNER trust and value) with a ``raters`` column: a score
    given by fewer than ``k`` raters is withheld, since it would be one person's view.
    In the pair table (indexed by ``rater_organisation, rated``), shown beside each
    organisation's score from the other organisations' raters, the withheld pairs about
    one organisation must hold no raters or at least ``k``: otherwise their mean could be
    worked out from the organisation's score and the pairs shown, so the pairs about it
    with fewest raters are withheld too until they do.
``regression``
    A network regression (:class:`~onatool.inference.Regression`): coefficients are
    about relations and attributes, not people, but a ``sender:``/``receiver:`` term
    resting on fewer than ``k`` people (with the value, or without it) has its
    coefficient, p-value and odds ratio withheld, and every term is withheld when the
    regression covers fewer than ``k`` people; what was withheld is said in ``notes``.

Analyst-only outputs (unsuppressed, or linking names to pseudonyms) are not released:
they are written, when asked, to :func:`private_folder`, and each write is recorded in
the audit log (:meth:`Gate.for_analyst`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError
from onatool.share.disclosure import OTHER, AuditLog, Disclosure
from onatool.share.suppress import (
    groups_to_merge,
    merge_small_groups,
    merge_small_matrix,
    suppress_counts,
    suppress_groups,
)

__all__ = ["KINDS", "NOT_RECORDED", "RULES", "WITHHELD", "Gate", "drawn_one_by_one", "k_anonymous",
           "private_folder", "release", "shareable_attributes", "small_combinations"]

#: How a missing attribute value counts when combinations are checked.
NOT_RECORDED = "not recorded"
#: The sentence a withheld measure carries instead of its own.
WITHHELD = "Not shown: it rests on a group of fewer than {k} people."

#: Columns of a person-level table that are never shareable attributes.
_NOT_ATTRIBUTES = {schema.LABEL, schema.NAME, schema.ID, schema.RESPONDED, schema.PERSON_ID}

#: The levels each level measure rests on (``Analysis.levels`` and ``.health`` names).
LEVEL_MEASURES: dict[str, tuple[str, ...]] = {
    "block_density": schema.LEVELS,
    "lateral_share": schema.LEVELS,
    "vertical_share": schema.LEVELS,
    "skip_level_share": schema.LEVELS,
    "upward_reciprocity": schema.LEVELS,
    "middle_integration": ("middle",),
    "middle_integration_cross_org": ("middle",),
    "top_peer_density_cross_org": ("top",),
    "bottom_reach_to_top": ("top", "bottom"),
    "middle_liaison_share": schema.LEVELS,
}


# The rules, one per kind of output ------------------------------------------------------


def _groups(table: pd.DataFrame, d: Disclosure, *, mixing: pd.DataFrame | None = None,
            symmetric: bool = False, size: str = "size", additive: Sequence[str] = ("size", "respondents"),
            **_: Any) -> pd.DataFrame:
    """A group table with groups under k merged into "Other" (recomputed from ``mixing``)."""
    merged = suppress_groups(table, d, size=size, additive=additive)
    other = [g for g in merged.index if g not in table.index]
    if mixing is None or not other:
        return merged
    counts, sizes = merge_small_matrix(mixing, table[size], d, symmetric=symmetric)
    from onatool.engine import LOW_RESPONSE  # lazily: an import needs no igraph
    from onatool.metrics.groups import group_measures

    respondents = (_merged_like(table["respondents"], table[size], d)
                   if "respondents" in table.columns else None)
    measures = group_measures(counts, sizes, directed=not symmetric, respondents=respondents)
    for name in other:
        if name not in measures.index:
            continue
        for column in measures.columns:
            if column in merged.columns:
                merged.loc[name, column] = measures.loc[name, column]
        if respondents is not None and "response_rate" in merged.columns and sizes.get(name):
            rate = float(respondents[name]) / float(sizes[name])
            merged.loc[name, "response_rate"] = rate
            if "low_response" in merged.columns:
                flags = merged["low_response"].astype(object)
                flags[name] = rate < LOW_RESPONSE
                merged["low_response"] = flags.map(lambda v: v if pd.isna(v) else bool(v))
    return merged


def _merged_like(values: pd.Series, sizes: pd.Series, d: Disclosure) -> pd.Series:
    """Per-group counts summed as :func:`merge_small_matrix` merges the groups of ``sizes``."""
    merge = set(groups_to_merge(sizes, d))
    if not merge:
        return values.copy()
    from onatool.share.suppress import _other_name

    name = _other_name(sizes.index)
    return values.rename(index=lambda g: name if g in merge else g).groupby(level=0, sort=False).sum()


def _counts(table: pd.DataFrame | pd.Series, d: Disclosure, *, margins: bool = True, **_: Any) -> pd.DataFrame:
    """A cross-tabulation of people: row and column groups under k merged into "Other" (their
    totals are the groups' sizes), then every count under k hidden, with secondary suppression."""
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    if d.suppresses and len(frame.columns) > 1:
        frame = _merge_lines(_merge_lines(frame, d).T, d).T
    elif d.suppresses:
        frame = _merge_lines(frame, d)
    return suppress_counts(frame, d, margins=margins)


def _merge_lines(frame: pd.DataFrame, d: Disclosure) -> pd.DataFrame:
    totals = frame.apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
    merge = set(groups_to_merge(totals, d))
    if not merge:
        return frame
    from onatool.share.suppress import _other_name

    name = _other_name(frame.index)
    relabel = [name if g in merge else g for g in frame.index]
    merged = frame.apply(pd.to_numeric, errors="coerce").groupby(relabel, sort=False).sum(min_count=1)
    merged.index.name = frame.index.name
    return merged


def _matrix(mixing: pd.DataFrame, d: Disclosure, *, sizes: pd.Series, symmetric: bool = False,
            density: bool = False, respondents: pd.Series | None = None, **_: Any) -> pd.DataFrame:
    """Mixing counts (or block density) with small groups merged, and any still-small group left out.

    Block density is over respondents' rows when ``respondents`` (per group) is given,
    as :func:`onatool.metrics.groups.block_density` computes it.
    """
    counts, merged_sizes = merge_small_matrix(mixing, sizes, d, symmetric=symmetric)
    large = [g for g in counts.index if float(merged_sizes.get(g, 0)) >= d.threshold]
    counts, merged_sizes = counts.loc[large, large], merged_sizes[large]
    if not density:
        return counts
    from onatool.metrics.groups import block_density_from_mixing

    merged_respondents = None
    if respondents is not None:
        merged_respondents = _merged_like(respondents.reindex(sizes.index).fillna(0), sizes, d)[large]
    return block_density_from_mixing(counts, merged_sizes, directed=not symmetric,
                                     respondents=merged_respondents)


def _by_group(values: pd.Series | pd.DataFrame, d: Disclosure, *, sizes: pd.Series, **_: Any):
    """Figures per group, without the groups that the suppression rule hides."""
    hidden = set(groups_to_merge(sizes.dropna(), d)) if d.suppresses else set()
    if float(sizes.sum()) < d.threshold:
        hidden = set(sizes.index)
    keep = [g for g in values.index if g in sizes.index and g not in hidden]
    return values.loc[keep]


def _labels(values: pd.Series, d: Disclosure, **_: Any) -> pd.Series:
    return merge_small_groups(values, d) if d.suppresses else values.copy()


def _map_groups(values: pd.Series, d: Disclosure, **_: Any) -> pd.Series:
    """Colour groups on a map: groups under k shown as "Other", without growing it.

    A map shows no count and no total, so nothing can be subtracted; folding the next
    smallest large group into "Other" (as tables must) would only cost colours.
    """
    if not d.suppresses:
        return values.copy()
    counts = values.value_counts()
    small = counts.index[(counts < d.threshold) & (counts.index != OTHER)]
    return values.where(~values.isin(small), OTHER)


def _hidden_levels(people: pd.DataFrame | None, d: Disclosure) -> set[str]:
    if people is None or schema.LEVEL not in people.columns or not d.suppresses:
        return set()
    sizes = people[schema.LEVEL].dropna().astype(str).value_counts()
    sizes = sizes.reindex([lv for lv in schema.LEVELS], fill_value=0)
    present = sizes[sizes > 0]
    if float(present.sum()) < d.threshold:
        return set(present.index)
    return set(groups_to_merge(present, d))


def _withheld(entry: Any, d: Disclosure) -> dict[str, Any]:
    out = dict(entry) if isinstance(entry, Mapping) else {}
    out.update(value=None, withheld=True, sentence=WITHHELD.format(k=d.threshold))
    for key in ("previous", "expected", "response", "interval", "change_interval"):
        out.pop(key, None)
    return out


def _levels(levels: Mapping[str, Any] | None, d: Disclosure, *, people: pd.DataFrame | None = None,
            **_: Any) -> dict[str, Any] | None:
    """Level measures with every measure resting on a level under k withheld."""
    if not levels:
        return levels if levels is None else {}
    hidden = _hidden_levels(people, d)
    if people is None and d.suppresses:
        hidden = set(schema.LEVELS)  # sizes unknown: nothing about a level can be vouched for
    out: dict[str, Any] = {}
    for name, entry in levels.items():
        rests_on = set(LEVEL_MEASURES.get(name, ()))
        if name == "block_density" and hidden:
            value = entry.get("value") if isinstance(entry, Mapping) else entry
            if isinstance(value, Mapping):
                kept = {r: {c: v for c, v in row.items() if c not in hidden}
                        for r, row in value.items() if r not in hidden and isinstance(row, Mapping)}
                out[name] = {**(entry if isinstance(entry, Mapping) else {}), "value": kept,
                             "hidden_levels": len(hidden)}
                for key in ("response", "interval"):  # they would count the hidden level's people
                    out[name].pop(key, None)
            else:
                out[name] = _withheld(entry, d)
        elif rests_on & hidden:
            out[name] = _withheld(entry, d)
        else:
            out[name] = entry
    return out


def _health(health: Mapping[str, Any] | None, d: Disclosure, *, people: pd.DataFrame | None = None,
            **_: Any) -> dict[str, Any] | None:
    """Health indicators: inclusion tables merged as group tables, level indicators gated."""
    if health is None:
        return None
    hidden = _hidden_levels(people, d)
    out: dict[str, Any] = {}
    for name, entry in health.items():
        value = entry.get("value") if isinstance(entry, Mapping) else None
        if name.startswith("inclusion_") and isinstance(value, Mapping):
            frame = pd.DataFrame(value).T
            if "people" in frame.columns and len(frame):
                additive = [c for c in ("people", "isolates", "peripheral") if c in frame.columns]
                frame = frame.apply(pd.to_numeric, errors="coerce")
                safe = suppress_groups(frame, d, size="people", additive=additive)
                safe = safe.astype(object).where(safe.notna(), None)
                out[name] = {**entry, "value": {str(g): {c: _plain(v) for c, v in row.items()}
                                                  for g, row in safe.iterrows()}}
                continue
        if name in LEVEL_MEASURES and set(LEVEL_MEASURES[name]) & hidden:
            out[name] = _withheld(entry, d)
            continue
        out[name] = entry
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _network_change(table: pd.DataFrame, d: Disclosure, *, people: pd.DataFrame | None = None,
                    **_: Any) -> pd.DataFrame:
    """Whole-network measures per wave (``Comparison.network``), without per-group rows.

    Rows of group tables flattened into it (``health.inclusion_<attribute>.<group>...``)
    are left out (the groups-change tables show them, gated); level rows follow the
    ``levels`` rule.
    """
    hidden = _hidden_levels(people, d) if people is not None else (set(schema.LEVELS) if d.suppresses else set())
    keep, withhold = [], []
    for name in table.index:
        parts = str(name).split(".")
        if d.suppresses and parts[0] == "health" and len(parts) > 1 and parts[1].startswith("inclusion_"):
            continue
        if parts[0] == "levels" and len(parts) > 1 and parts[1] == "block_density":
            if set(parts[2:]) & hidden:
                continue
        elif parts[0] in ("levels", "health") and len(parts) > 1 and set(LEVEL_MEASURES.get(parts[1], ())) & hidden:
            withhold.append(name)
        keep.append(name)
    out = table.loc[keep].copy()
    if withhold:
        out.loc[withhold] = np.nan
    return out


def _cohort(cohort: Mapping[str, Any] | None, d: Disclosure, **_: Any) -> Mapping[str, Any] | None:
    if not cohort:
        return None
    members, others = int(cohort.get("members", 0) or 0), int(cohort.get("others", 0) or 0)
    return cohort if min(members, others) >= d.threshold else None


def _change_groups(table: pd.DataFrame, d: Disclosure, **_: Any) -> pd.DataFrame | None:
    """A groups-change table (``size_<wave>`` columns) without groups under k in any wave.

    Hidden groups are dropped, not merged: a change of "Other" would mix different
    groups in each wave.
    """
    sizes = [c for c in table.columns if str(c).startswith("size_") and c != "size_change"]
    if "size" in table.columns:
        sizes = ["size"]
    if not sizes:
        return None
    smallest = table[sizes].min(axis=1).fillna(0)
    hidden = suppress_groups(table.assign(_size=smallest), d, size="_size", how="hide", additive=())
    return hidden.drop(columns="_size")


def _insights(found: Sequence[Any], d: Disclosure, *, people: pd.DataFrame | None = None, **_: Any) -> list:
    """Findings about groups the rule hides are left out (never reworded)."""
    if people is None or not d.suppresses:
        return list(found)
    hidden: dict[str, set[str]] = {}
    for attribute in {a for f in found for a, _ in getattr(f, "groups", ())}:
        if attribute in people.columns:
            sizes = people[attribute].dropna().astype(str).value_counts()
            hidden[attribute] = (set(sizes.index) if sizes.sum() < d.threshold
                                 else set(groups_to_merge(sizes, d)))
    return [f for f in found
            if not any(str(g) in hidden.get(a, set()) or a not in people.columns
                       for a, g in getattr(f, "groups", ()))]


def _withhold(values: pd.Series, where: pd.Series) -> pd.Series:
    """``values`` with the cells ``where`` is true left empty (counts stay whole numbers)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        values = values.astype("Int64")
    return values.mask(where)


def _forums(table: pd.DataFrame, d: Disclosure, **_: Any) -> pd.DataFrame:
    """Forum sizes, with the mix of a forum under k withheld."""
    out = table.copy()
    if d.suppresses:
        small = out["members"] < d.threshold
        for column in out.columns.drop("members"):
            out[column] = _withhold(out[column], small)
    return out


def _overlap(table: pd.DataFrame, d: Disclosure, *, shared: pd.DataFrame | None = None,
             **_: Any) -> pd.DataFrame:
    """Shared members between forums, without counts between 1 and k - 1."""
    counts = table if shared is None else shared
    if not d.suppresses:
        return table.copy()
    few = (counts > 0) & (counts < d.threshold)
    kind = "Int64" if pd.api.types.is_integer_dtype(table.to_numpy().dtype) else float
    return table.astype(kind).mask(few.to_numpy())


def _ratings(table: pd.DataFrame, d: Disclosure, **_: Any) -> pd.DataFrame:
    """Scores with their response base: a score from fewer than k raters withheld (and, in the
    pair table, a second pair where the withheld ones about an organisation hold under k raters)."""
    out = table.copy()
    if d.suppresses:
        few = out["raters"] < d.threshold
        if list(out.index.names) == ["rater_organisation", "rated"]:
            few = _second_pairs(out["raters"], few, d.threshold)
        for column in out.columns.drop("raters"):
            out[column] = _withhold(out[column], few)
    return out


def _second_pairs(raters: pd.Series, few: pd.Series, k: int) -> pd.Series:
    """``few`` widened so that, about each organisation, the withheld pairs from other
    organisations hold no raters or at least ``k`` (the smallest shown pairs go first)."""
    few = few.copy()
    others = raters.index.get_level_values(0) != raters.index.get_level_values(1)
    for _, group in raters[others].groupby(level="rated", sort=False):
        hidden = int(group[few[group.index]].sum())
        for key, count in group[~few[group.index]].sort_values(kind="stable").items():
            if not 0 < hidden < k:
                break
            few[key] = True
            hidden += int(count)
    return few


def _people(table: pd.DataFrame, d: Disclosure, *, attributes: Iterable[str] | None = None,
            **_: Any) -> pd.DataFrame:
    aggregated = _aggregated(table)
    edi = [c for c in table.columns if schema.is_edi_attribute(c)]
    out, notes = k_anonymous(table.loc[~aggregated].drop(columns=edi),
                             d, None if attributes is None else [a for a in attributes if a not in edi])
    if edi:
        notes.append(f"{len(edi)} equality, diversity and inclusion column(s) left out: they are shown only "
                     "as group totals.")
    if aggregated.any():
        notes.append(f"{int(aggregated.sum())} service users and carers are counted only in group totals, "
                     "never shown one by one.")
    out.attrs["notes"] = notes
    return out


def drawn_one_by_one(people: pd.DataFrame) -> pd.Series:
    """Who a shared map may draw as an individual: everyone but service users and carers.

    They are part of the network (their ties count in every measure and total), but a
    shared map, like a shared table, shows them only in groups (``schema.AGGREGATED_ACTOR_TYPES``).
    """
    return ~_aggregated(people)


def _aggregated(table: pd.DataFrame) -> pd.Series:
    """Rows of people whose actor type is only ever shown in totals (service users and carers)."""
    if schema.ACTOR_TYPE not in table.columns:
        return pd.Series(False, index=table.index)
    return table[schema.ACTOR_TYPE].isin(schema.AGGREGATED_ACTOR_TYPES).fillna(False).astype(bool)


def _regression(fit: Any, d: Disclosure, **_: Any) -> Any:
    from dataclasses import replace

    if not d.suppresses:
        return fit
    withheld: dict[str, str] = {}
    if fit.people < d.threshold:
        withheld = {t["term"]: f"the regression covers {fit.people} people, fewer than {d.threshold}"
                    for t in fit.terms}
    else:
        for term, (ones, zeros) in fit.groups.items():
            if min(ones, zeros) < d.threshold:
                withheld[term] = f"it rests on a group of fewer than {d.threshold} people"
    if not withheld:
        return fit
    terms = [{**t, **{key: None for key in ("coefficient", "p_value", "odds_ratio") if key in t}}
             if t["term"] in withheld else dict(t) for t in fit.terms]
    notes = tuple(f"term {term!r} withheld: {why}" for term, why in withheld.items())
    return replace(fit, terms=terms, groups={}, notes=fit.notes + notes)


#: The rule for each kind of output.
RULES: dict[str, Callable[..., Any]] = {
    "groups": _groups,
    "counts": _counts,
    "matrix": _matrix,
    "by_group": _by_group,
    "labels": _labels,
    "map_groups": _map_groups,
    "levels": _levels,
    "health": _health,
    "people": _people,
    "cohort": _cohort,
    "network_change": _network_change,
    "change_groups": _change_groups,
    "insights": _insights,
    "forums": _forums,
    "overlap": _overlap,
    "ratings": _ratings,
    "regression": _regression,
}
KINDS = tuple(RULES)


def release(kind: str, data: Any, disclosure: Disclosure, **context: Any) -> Any:
    """``data`` as it may leave the tool under ``disclosure``: the one gate.

    Parameters
    ----------
    kind
        One of :data:`KINDS` (see the module's notes).
    data
        The output before protection; never changed in place.
    disclosure
        The project's policy.
    context
        What the rule needs: ``sizes`` (matrix, by_group), ``mixing`` and ``symmetric``
        (groups, matrix), ``people`` (levels, health, insights), ``attributes`` (people),
        ``shared`` (overlap, when the table is a share).

    Raises
    ------
    InputFormatError
        An unknown kind.

    Examples
    --------
    >>> sizes = pd.Series({"Acute": 40, "Hospice": 1, "Council": 12})
    >>> release("by_group", pd.Series({"Acute": 0.2, "Hospice": 0.9, "Council": 0.1}), Disclosure(),
    ...         sizes=sizes).to_dict()
    {'Acute': 0.2}
    """
    return Gate(disclosure).release(kind, data, **context)


@dataclass(frozen=True)
class Gate:
    """The disclosure policy applied to one audience.

    Parameters
    ----------
    disclosure
        The project's policy.
    analyst
        The analyst's own seat: outputs pass unchanged. Only :meth:`for_analyst`
        makes one, after recording it in the audit log; its files go to
        :func:`private_folder`.
    """

    disclosure: Disclosure = Disclosure()
    analyst: bool = False

    @classmethod
    def for_analyst(cls, disclosure: Disclosure, *, user: str, project: str, audit: AuditLog,
                    detail: str) -> Gate:
        """An analyst gate (unsuppressed outputs), recorded in the audit log first.

        Raises
        ------
        InputFormatError
            No user named.
        """
        if not isinstance(user, str) or not user.strip():
            raise InputFormatError("unsuppressed outputs need the name of who asks for them",
                                   expected="a user name")
        audit(project, user.strip(), "analyst outputs written", detail)
        return cls(disclosure, analyst=True)

    def release(self, kind: str, data: Any, **context: Any) -> Any:
        """``data`` under this gate's policy (see :func:`release`)."""
        if kind not in RULES:
            raise InputFormatError(f"no disclosure rule for output kind {kind!r}", expected=", ".join(KINDS))
        if self.analyst:
            return data
        return RULES[kind](data, self.disclosure, **context)


# People-level outputs: combinations of attributes ------------------------------------------


def shareable_attributes(table: pd.DataFrame) -> list[str]:
    """The columns of a person-level table that describe who a person is (text columns).

    Labels, names, ids and the response flag are not attributes; numbers (measures)
    are not either.
    """
    return [c for c in table.columns
            if str(c) not in _NOT_ATTRIBUTES
            and not pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])]


def _keys(table: pd.DataFrame, attributes: Sequence[str]) -> pd.DataFrame:
    return table[list(attributes)].astype(object).where(table[list(attributes)].notna(), NOT_RECORDED).astype(str)


def small_combinations(table: pd.DataFrame, k: int, attributes: Sequence[str] | None = None) -> pd.Series:
    """Whether each person shares their combination of attributes with fewer than ``k`` people.

    Missing values count as a value of their own ("not recorded").
    """
    attributes = list(shareable_attributes(table) if attributes is None else attributes)
    if not attributes or not len(table):
        return pd.Series(False, index=table.index)
    keys = _keys(table, attributes)
    sizes = keys.groupby(attributes, dropna=False)[attributes[0]].transform("size")
    return sizes < k


_OTHER_CODE = -1
_DROP = object()


def _codes(table: pd.DataFrame, attributes: Sequence[str]) -> np.ndarray:
    """Integer codes per attribute: "Other" is -1, a missing value a code of its own."""
    columns = []
    for a in attributes:
        series = table[a].astype(object).where(table[a].notna(), NOT_RECORDED).astype(str)
        codes, uniques = pd.factorize(series)
        other = np.flatnonzero(np.asarray(uniques, dtype=object) == OTHER)
        if len(other):
            codes = np.where(codes == int(other[0]), _OTHER_CODE, codes)
        columns.append(codes)
    return np.column_stack(columns) if columns else np.zeros((len(table), 0), dtype=int)


def _small(codes: np.ndarray, k: int) -> np.ndarray:
    """Whether each row's combination of codes is held by fewer than ``k`` rows."""
    if codes.shape[1] == 0:
        return np.zeros(len(codes), dtype=bool) if len(codes) >= k else np.ones(len(codes), dtype=bool)
    # One integer per row (mixed radix over each column's distinct codes): a 1-d unique
    # is many times faster than np.unique(axis=0) on rows.
    key = np.zeros(len(codes), dtype=np.int64)
    room = 1
    for column in codes.T:
        values, dense = np.unique(column, return_inverse=True)
        room *= len(values)
        if room >= 2**62:
            _, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
            return counts[inverse.ravel()] < k
        key = key * len(values) + dense.ravel()
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] < k


def k_anonymous(table: pd.DataFrame, disclosure: Disclosure,
                attributes: Iterable[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """A person-level table in which every combination of attributes holds at least ``k`` people.

    Parameters
    ----------
    table
        One row per person.
    disclosure
        Supplies ``k``. Nothing changes when names are revealed (an analyst-only
        output) or suppression is off.
    attributes
        The attributes checked together (default :func:`shareable_attributes`).

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table, with values merged into "Other" (first every group under ``k`` of
        each attribute; then every attribute of the people whose combination is still
        under ``k``, joined by the smallest other combinations until they number
        ``k``); attributes left out only when the whole table has fewer than ``k``
        people. And the notes saying what changed, naming no group.

    Examples
    --------
    The only top of organisation A, and the three bottoms of B, share the smallest
    combinations:

    >>> t = pd.DataFrame({"organisation": ["A"] * 8 + ["B"] * 8,
    ...                   "level": ["top"] + ["bottom"] * 7 + ["top"] * 5 + ["bottom"] * 3})
    >>> safe, notes = k_anonymous(t, Disclosure(k=3))
    >>> bool(small_combinations(safe, 3).any()), safe.value_counts().to_dict()
    (False, {('A', 'bottom'): 7, ('B', 'top'): 5, ('Other', 'Other'): 4})
    """
    out = table.copy()
    k = disclosure.threshold
    if disclosure.names_revealed or k <= 1 or not len(out):
        return out, []
    attrs = [a for a in (shareable_attributes(out) if attributes is None else attributes) if a in out.columns]
    merged: dict[str, int] = {}
    dropped: list[str] = []
    for a in attrs:
        before = out[a].nunique(dropna=True)
        out[a] = merge_small_groups(out[a], disclosure)
        if out[a].nunique(dropna=True) < before:
            merged[a] = merged.get(a, 0) + before - out[a].nunique(dropna=True) + 1
    # Global generalisation first (greedy): merge into "Other" the value, or leave out the
    # attribute, that frees the most people from small combinations per person changed,
    # until few people are still singled out.
    generalised: dict[str, int] = {}
    kept = list(attrs)
    allowance = max(k, int(0.05 * len(out)))
    while kept:
        codes = _codes(out, kept)
        bad = _small(codes, k)
        n_bad = int(bad.sum())
        if n_bad <= allowance:
            break
        best: tuple | None = None
        for j, a in enumerate(kept):
            column = codes[:, j]
            for v in np.unique(column[bad]):
                if v == _OTHER_CODE:
                    continue
                trial = codes.copy()
                trial[column == v, j] = _OTHER_CODE
                gain = n_bad - int(_small(trial, k).sum())
                changed = int((column == v).sum())
                score = (gain / changed, -changed)
                if gain > 0 and (best is None or score > best[:2]):
                    best = (*score, a, column == v)
            if len(kept) > 1:
                trial = np.delete(codes, j, axis=1)
                gain = n_bad - int(_small(trial, k).sum())
                score = (gain / len(out), -len(out))
                if gain > 0 and (best is None or score > best[:2]):
                    best = (*score, a, _DROP)
        if best is None:
            break
        _, _, a, value = best
        if value is _DROP:
            out = out.drop(columns=a)
            kept.remove(a)
            dropped.append(a)
        else:
            out[a] = out[a].astype(object).where(~value, OTHER)
            generalised[a] = generalised.get(a, 0) + 1
    for a, n in generalised.items():
        merged[a] = merged.get(a, 0) + n
    attrs_left = kept
    suppressed = 0
    bad = small_combinations(out, k, attrs_left) if attrs_left else pd.Series(False, index=out.index)
    if bad.any():
        if len(out) < k:
            # Fewer than k people in all: no attribute can travel with them.
            out = out.drop(columns=attrs_left)
            dropped += list(attrs_left)
        else:
            # Local suppression: every attribute of the people still singled out becomes
            # "Other"; then the smallest other combinations join them until that
            # all-"Other" group itself holds k people.
            hidden = bad.copy()
            if int(hidden.sum()) < k:
                keys = _keys(out, attrs_left).agg("\x00".join, axis=1)
                sizes = keys[~hidden].value_counts(sort=False)
                order = sorted(sizes.index, key=lambda c: (sizes[c], c))
                for combination in order:
                    if int(hidden.sum()) >= k:
                        break
                    hidden |= keys == combination
            for a in attrs_left:
                out[a] = out[a].astype(object).where(~hidden, OTHER)
            suppressed = int(hidden.sum())
    notes = []
    together = ", ".join(attrs)
    for a, n in merged.items():
        if a not in dropped:
            notes.append(f"{a}: {n} value(s) shown as {OTHER}, so that every group and every combination "
                         f"of attributes shown holds at least {k} people.")
    if suppressed:
        notes.append(f"{suppressed} people have every one of {together} shown as {OTHER}, so that every "
                     f"combination of them holds at least {k} people.")
    for a in dropped:
        notes.append(f"{a}: left out, so that every combination of the attributes shown holds at least "
                     f"{k} people.")
    return out, notes


# Analyst-only outputs ----------------------------------------------------------------------


def private_folder(project: str, what: str, *, home: Path | None = None) -> Path:
    """A new owner-only folder for analyst-only files, never beside shareable ones.

    ``<ONATOOL_HOME>/private/<project>/<what>-<UTC time>``, mode 0700.
    """
    from onatool.pseudonyms import onatool_home

    def slug(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "default"

    base = (home or onatool_home()) / "private" / slug(project)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = base / f"{slug(what)}-{stamp}"
    for part in (base.parent, base, folder):
        part.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # a file system without modes
            os.chmod(part, 0o700)
    return folder
