"""Raw answers -> a validated Network, with every item accounted for.

Every layout reader (edge list, matrix, survey exports) turns its file into the same
long table of *items*, one per (respondent, named person, relation, answer), and hands
it here. This step resolves names to ``person_id``, maps answers to weights, drops
self-ties and repeated ties, works out who responded, and records each decision in
the :class:`~onatool.io.report.ImportReport`.

Item columns
------------
``file, sheet, row``
    Where the item came from (spreadsheet row numbering).
``respondent``
    The respondent as written (id, email or name).
``target``
    The person named, as written; ``""`` marks a respondent who named nobody.
``relation``
    Canonical relation name.
``raw_value``
    The answer as given (``"Weekly"``, ``"1"``, ``"Yes"``).
``weight``
    A number if the reader already knows it, else NaN to map ``raw_value`` through
    the scale.
``answered``
    False for a row that holds no answers at all (a non-respondent's blank row in a
    matrix): the row is kept, but does not make its person a respondent.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from onatool import schema
from onatool.io.attributes import apply_attributes
from onatool.io.emails import DomainTypos
from onatool.io.matching import Match
from onatool.io.report import ImportReport
from onatool.io.roster import Roster, roster_for_wave
from onatool.io.tables import paused_gc
from onatool.network import Network

__all__ = ["DEFAULT_SCALE", "ITEM_COLUMNS", "assemble", "read_answer", "response_summary", "scale_weight"]

ITEM_COLUMNS = ("file", "sheet", "row", "respondent", "target", "relation", "raw_value", "weight", "answered")

#: Answers understood without a recipe: yes/no ticks and the frequency scale.
DEFAULT_SCALE: dict[str, float] = {
    **schema.FREQUENCY_SCALE,
    "yes": 1, "y": 1, "x": 1, "true": 1, "ticked": 1, "selected": 1, "\u2713": 1, "\u2714": 1,
    "no": 0, "n": 0, "false": 0,
}


def scale_weight(raw: object, scale: Mapping[str, float | None] | None = None) -> float | None:
    """The weight of one answer, or None when it is not a usable answer.

    Words and codes are looked up in ``scale`` (case-insensitive), then numbers are
    read as they are, then words in the default scale; a blank answer to a named
    person counts as 1 (a plain mention). See :func:`read_answer` for why an answer
    is not usable.

    Examples
    --------
    >>> scale_weight("Weekly"), scale_weight("2.5"), scale_weight(""), scale_weight("Often")
    (4.0, 2.5, 1.0, None)
    """
    return read_answer(raw, scale)[0]


NOT_APPLICABLE = "not applicable"
NOT_ON_SCALE = "not on the scale"
OUTSIDE_SCALE = "outside the scale"


def read_answer(raw: object, scale: Mapping[str, float | None] | None = None) -> tuple[float | None, str]:
    """An answer's weight, or None and why it is not one.

    Parameters
    ----------
    raw
        The answer as given (``"Weekly"``, ``"3"``, ``"-99"``).
    scale
        Answer word or code -> weight; a weight of None marks a "not applicable"
        answer (``{"N/A": None, "-99": None}``).

    Returns
    -------
    weight, problem
        ``problem`` is ``""`` when the answer was read, ``"not applicable"`` (the
        scale says so, or a negative code such as Qualtrics' ``-99``), ``"not on the
        scale"`` (a word nobody mapped) or ``"outside the scale"`` (a number beyond
        the scale's lowest and highest weights).

    Notes
    -----
    Negative codes are conventionally "not applicable" or "don't know" in survey
    exports, so they are never read as weights unless the scale maps them. In plain
    words: only answers that say how strong a tie is become weights.

    Examples
    --------
    >>> read_answer("-99"), read_answer("N/A", {"n/a": None}), read_answer("7", {"Never": 0, "Daily": 5})
    ((None, 'not applicable'), (None, 'not applicable'), (None, 'outside the scale'))
    """
    text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
    if not text:
        return 1.0, ""
    folded = text.casefold()
    lookup = _folded(scale)
    if folded in lookup:
        value = lookup[folded]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None, NOT_APPLICABLE
        return float(value), ""
    try:
        number = float(text)
    except ValueError:
        if folded in _DEFAULT_LOOKUP:
            return float(_DEFAULT_LOOKUP[folded]), ""
        return None, NOT_ON_SCALE
    if not math.isfinite(number):
        return None, NOT_ON_SCALE
    if number < 0:
        return None, NOT_APPLICABLE
    weights = [float(v) for v in lookup.values() if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if weights and not min(weights) <= number <= max(weights):
        return None, OUTSIDE_SCALE
    return number, ""


def _folded(scale: Mapping[str, float | None] | None) -> dict[str, float | None]:
    return {str(k).strip().casefold(): v for k, v in (scale or {}).items()}


_DEFAULT_LOOKUP = _folded(DEFAULT_SCALE)

#: Match methods that mean a name was resolved by something other than an exact match.
_INDIRECT = ("alias", "fuzzy", "chosen", "new")


def _check_wave(roster: Roster, wave: str, file: str | None = None) -> None:
    """Refuse a wave the roster's ``waves`` column does not know, naming the waves it has.

    Without it a file's stem becomes the wave, nobody belongs to it and every answer
    is dropped as "not in this wave's network".
    """
    known = sorted({w for labels in roster.waves for w in labels}) if len(roster.waves) else []
    if known and wave not in known:
        from onatool.errors import InputFormatError, Place

        raise InputFormatError(
            f"the wave {wave!r} is not in the roster's 'waves' column, which has {', '.join(map(repr, known))}",
            expected="the wave named with --wave (one of those), or the roster's 'waves' column updated",
            place=Place(file=file) if file else None,
        )


_RESPONDENT_PROBLEMS = {
    "ambiguous": "respondent matches several people on the roster",
    "review": "respondent resembles someone on the roster: awaiting review",
    "blank": "no respondent identity",
    "ignored": "respondent marked as ignored",
}
_NAMED_PROBLEMS = {
    "ambiguous": "named person matches several people on the roster",
    "review": "named person resembles someone on the roster: awaiting review",
    "ignored": "named person marked as ignored",
}


def _respondent_key(value: object) -> str:
    return "" if value is None else str(value)


def _target_key(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def _text_codes(values: np.ndarray, key: Callable[[object], str]) -> tuple[np.ndarray, list[str]]:
    """``key`` of each value as codes into the distinct keys, which are in order of first appearance."""
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        codes, uniques = pd.factorize(values)  # every value text: key each distinct one once
        texts = np.array([key(v) for v in uniques], dtype=object)
    else:
        codes, texts = np.arange(len(values)), np.array([key(v) for v in values], dtype=object)
    merged, keys = pd.factorize(texts)  # keys may merge values (" A" and "A")
    return merged[codes], [str(k) for k in keys]


def _texts(values: np.ndarray, text: Callable[[object], str]) -> np.ndarray:
    """``text(v)`` of each value; the values themselves when they are all text already."""
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    return np.array([text(v) for v in values], dtype=object)


def _within(index: pd.Index, ids: set[str]) -> np.ndarray:
    """Whether each id of ``index`` is in ``ids`` (``index.isin(ids)``, without converting ``ids`` to the
    index's Arrow strings one by one)."""
    return np.fromiter((pid in ids for pid in index.tolist()), dtype=bool, count=len(index))


def _truth(values: pd.Series) -> np.ndarray:
    """``bool(v)`` of each value."""
    if pd.api.types.is_bool_dtype(values.dtype) and not values.hasnans:
        return values.to_numpy(dtype=bool)
    return np.array([bool(v) for v in values.to_numpy(dtype=object)], dtype=bool)


class _Places:
    """Where each item came from, and the input rows (file, sheet, row) they group into."""

    def __init__(self, items: pd.DataFrame) -> None:
        self.file = items["file"].to_numpy(dtype=object)
        sheets = items["sheet"].to_numpy(dtype=object)
        if pd.isna(sheets).all():  # a CSV's items: no sheet
            self.sheet = np.full(len(sheets), None, dtype=object)
        elif pd.api.types.infer_dtype(sheets, skipna=False) == "string":
            self.sheet = sheets
        else:
            self.sheet = np.array([v if isinstance(v, str) else None for v in sheets], dtype=object)
        rows = items["row"]
        self.row = rows.to_numpy(dtype=np.int64) if pd.api.types.is_integer_dtype(rows.dtype) \
            else np.array([int(v) for v in rows.to_numpy(dtype=object)], dtype=np.int64)
        # rows numbered in order of their first item: one integer key per (file, sheet, row)
        files = pd.factorize(self.file)[0].astype(np.int64)
        sheets = pd.factorize(self.sheet, use_na_sentinel=False)[0].astype(np.int64)  # None: a sheet of its own
        rows = self.row - self.row.min() if len(self.row) else self.row
        key = (files * (sheets.max(initial=0) + 1) + sheets) * (rows.max(initial=0) + 1) + rows
        self.group = pd.factorize(key)[0]

    def where(self, position: int) -> tuple[str, str | None, int]:
        return self.file[position], self.sheet[position], int(self.row[position])

    def items_of(self, groups: set[int]) -> dict[int, list[int]]:
        """The items of some rows, in item order."""
        found: dict[int, list[int]] = defaultdict(list)
        if groups:
            for position in np.flatnonzero(np.isin(self.group, list(groups))):
                found[int(self.group[position])].append(int(position))
        return found

    def add_rows(self, report: ImportReport, outcome: np.ndarray, reason: np.ndarray) -> None:
        """One outcome per input row, from its items' outcomes (see :func:`_row_outcome`)."""
        if not len(self.group):
            return
        sizes = np.bincount(self.group)
        firsts = np.unique(self.group, return_index=True)[1]
        several = {int(g): [] for g in np.flatnonzero(sizes > 1)}
        if several:
            for position in np.flatnonzero(sizes[self.group] > 1):
                several[int(self.group[position])].append((outcome[position], reason[position]))
        files, sheets, rows = self.file[firsts].tolist(), self.sheet[firsts].tolist(), self.row[firsts].tolist()
        kinds, whys = outcome[firsts].tolist(), reason[firsts].tolist()
        for group, (file, sheet, row) in enumerate(zip(files, sheets, rows, strict=True)):
            results = several.get(group)
            kind, why = _row_outcome(results) if results else (kinds[group], whys[group])
            report.add_row(file, sheet, row, kind, why)


@dataclass
class _Decided:
    """Every item's outcome (reason, detail), the ties kept, and what the walk met on the way."""

    outcome: np.ndarray
    reason: np.ndarray
    detail: np.ndarray
    source: np.ndarray
    target: np.ndarray
    relation: np.ndarray
    weight: np.ndarray
    raw_value: np.ndarray
    position: np.ndarray
    names: list[str]
    writers: dict[str, set[str]]
    responded: set[str]


def _decide_items(
    items: pd.DataFrame,
    match: Callable[[object], Match],
    members: set[str],
    scales: Mapping[str, Mapping[str, float | None]],
    labels: pd.Series,
) -> _Decided:
    """Each item's outcome, decided for whole columns at once.

    The rules, applied in this order to each item: the respondent must resolve to one
    roster person in this wave's network; a row without answers is kept (not an answer);
    a blank target is kept (the respondent named nobody); the named person must resolve
    to one person in the network; the answer must be a weight; no self-ties; a name
    resolved other than exactly is kept as "changed". Each distinct text is resolved
    once, respondents first, then the names that get that far.
    """
    n = len(items)
    outcome = np.full(n, "kept", dtype=object)
    reason = np.full(n, "", dtype=object)
    detail = np.full(n, "", dtype=object)

    def refuse(mask: np.ndarray, kinds, reasons, details) -> None:
        outcome[mask], reason[mask], detail[mask] = kinds, reasons, details

    # Respondents.
    r_codes, r_keys = _text_codes(items["respondent"].to_numpy(dtype=object), _respondent_key)
    who = [match(k) for k in r_keys]
    r_pid = np.array([m.person_id for m in who], dtype=object)
    r_method = np.array([m.method for m in who], dtype=object)
    r_in = np.array([m.matched and m.person_id in members for m in who], dtype=bool)
    r_kind = np.array(["doubted" if m.needs_review else "dropped" for m in who], dtype=object)
    r_reason = np.array([_RESPONDENT_PROBLEMS.get(m.method, "respondent not on the roster") if not m.matched
                         else "respondent is not in this wave's network (roster 'waves' column)" for m in who],
                        dtype=object)
    r_kind[np.array([m.matched for m in who], dtype=bool)] = "dropped"
    r_detail = np.array([repr(m.raw) for m in who], dtype=object)
    out = ~r_in[r_codes]
    refuse(out, r_kind[r_codes[out]], r_reason[r_codes[out]], r_detail[r_codes[out]])

    # Rows without answers, blank targets: kept, not ties.
    active = ~out & _truth(items["answered"])
    responded = set(r_pid[np.unique(r_codes[active])].tolist())
    t_codes, t_keys = _text_codes(items["target"].to_numpy(dtype=object), _target_key)
    blank = np.array([k == "" for k in t_keys], dtype=bool)
    named = active & ~blank[t_codes]

    # Named people, each distinct name resolved once (in the order the items reach it).
    found: dict[int, Match] = {int(c): match(t_keys[c]) for c in pd.unique(t_codes[named])}
    t_pid = np.full(len(t_keys), None, dtype=object)
    t_method = np.full(len(t_keys), "", dtype=object)
    t_in = np.zeros(len(t_keys), dtype=bool)
    t_kind = np.full(len(t_keys), "dropped", dtype=object)
    t_reason = np.full(len(t_keys), "", dtype=object)
    t_detail = np.full(len(t_keys), "", dtype=object)
    for code, m in found.items():
        t_pid[code], t_method[code], t_detail[code] = m.person_id, m.method, repr(m.raw)
        t_in[code] = m.matched and m.person_id in members
        if not m.matched:
            t_kind[code] = "doubted" if m.needs_review else "dropped"
            t_reason[code] = _NAMED_PROBLEMS.get(m.method, "named person not on the roster")
        else:
            t_reason[code] = "named person is not in this wave's network (roster 'waves' column)"
    writers: dict[str, set[str]] = defaultdict(set)  # name not matched exactly -> who wrote it
    inexact = named & ~np.isin(t_method, ("id", "email", "name"))[t_codes]
    for position in np.flatnonzero(inexact):
        writers[t_keys[t_codes[position]]].add(r_pid[r_codes[position]])
    out = named & ~t_in[t_codes]
    refuse(out, t_kind[t_codes[out]], t_reason[t_codes[out]], t_detail[t_codes[out]])
    alive = named & ~out

    # Answers: a weight given, or read from the answer through the relation's scale.
    weight = pd.to_numeric(items["weight"], errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    raw_values = items["raw_value"].to_numpy(dtype=object)
    relations = items["relation"].to_numpy(dtype=object)
    read: dict[tuple, tuple[float | None, str]] = {}
    for position in np.flatnonzero(alive & ~np.isfinite(weight)):  # "1e309", "inf": not weights
        raw, relation = raw_values[position], relations[position]
        key = (relation, raw)
        if key not in read:
            read[key] = read_answer(raw, scales.get(relation))
        value, problem = read[key]
        if value is None:
            outcome[position], reason[position] = "dropped", f"answer {problem}"
            detail[position] = repr(str(raw))
            alive[position] = False
        else:
            weight[position] = value

    # Self-ties, then names matched other than exactly.
    kept = np.flatnonzero(alive)
    sources, targets = r_pid[r_codes[kept]], t_pid[t_codes[kept]]
    selfie = sources == targets
    outcome[kept[selfie]], reason[kept[selfie]] = "dropped", "self-tie"
    kept, sources, targets = kept[~selfie], sources[~selfie], targets[~selfie]
    by_named = np.isin(t_method[t_codes[kept]], _INDIRECT)
    by_respondent = np.isin(r_method[r_codes[kept]], _INDIRECT) & ~by_named
    for position in np.sort(np.concatenate([kept[by_named], kept[by_respondent]])):
        how = found[int(t_codes[position])] if t_method[t_codes[position]] in _INDIRECT else who[r_codes[position]]
        outcome[position], reason[position] = "changed", f"name matched by {how.method}"
        detail[position] = f"{how.raw!r} -> {labels[how.person_id]}"

    return _Decided(
        outcome, reason, detail,
        source=sources, target=targets,
        relation=_texts(relations[kept], str),
        weight=weight[kept].astype(float),
        raw_value=_texts(raw_values[kept], lambda v: "" if pd.isna(v) else str(v)),
        position=kept.astype(np.int64),
        names=_first_met(r_codes, r_keys, t_codes[named], np.flatnonzero(named), t_keys),
        writers=dict(writers),
        responded=responded,
    )


def _first_met(r_codes: np.ndarray, r_keys: list[str], t_codes: np.ndarray, t_positions: np.ndarray,
               t_keys: list[str]) -> list[str]:
    """The texts resolved, in the order a walk through the items meets them (each item's
    respondent, then the person it names)."""
    r_first = np.unique(r_codes, return_index=True)[1]  # codes number the keys in order of first appearance
    t_codes_met, t_first = np.unique(t_codes, return_index=True)
    met = pd.DataFrame({
        "key": np.concatenate([np.array(r_keys, dtype=object), np.array(t_keys, dtype=object)[t_codes_met]]),
        "at": np.concatenate([2 * r_first, 2 * t_positions[t_first] + 1]).astype(np.int64),
    })
    first = met.groupby("key", sort=False)["at"].min().sort_values(kind="stable")
    return [str(k) for k in first.index]


@paused_gc()
def assemble(
    roster: Roster,
    items: pd.DataFrame,
    *,
    report: ImportReport,
    wave: str,
    relations: Mapping[str, schema.Relation] | None = None,
    scales: Mapping[str, Mapping[str, float | None]] | None = None,
    resolve: Callable[[object], Match] | None = None,
    attributes: pd.DataFrame | None = None,
) -> Network:
    """Resolve, weigh, clean and validate raw items into a :class:`Network`.

    Parameters
    ----------
    roster
        The project's people, read as at ``wave`` (:func:`~onatool.io.roster.roster_for_wave`).
    items
        Long table with :data:`ITEM_COLUMNS` (see the module notes).
    report
        Receives one outcome per input row and per non-kept item.
    wave
        The wave's label.
    relations
        Relation metadata (symmetric or not); defaults from :data:`onatool.schema.RELATIONS`.
    scales
        Answer word or code -> weight (None: "not applicable"), per relation.
    resolve
        Text -> :class:`~onatool.io.matching.Match`; default: exact roster matching.
    attributes
        What the export says about people besides their ties (Network Canvas ego and
        alter variables), as :data:`~onatool.io.attributes.ATTRIBUTE_ITEM_COLUMNS`
        rows: added to ``people`` by :func:`~onatool.io.attributes.apply_attributes`.

    Returns
    -------
    Network
        People from the roster with ``responded`` set; the ties that survived.
    """
    resolve = resolve or roster.index().resolve
    labels = roster.people[schema.LABEL]
    missing = [c for c in ITEM_COLUMNS if c not in items.columns]
    if missing:  # a reader bug, not a user error
        raise ValueError(f"items lack columns {missing}")

    matches: dict[str, Match] = {}
    typos = DomainTypos(roster.identities)

    def match(text: object) -> Match:
        key = "" if text is None else str(text)
        if key not in matches:
            matches[key] = typos.review(resolve(key))  # "ann@nhs.nte" goes to review, not dropped
        return matches[key]

    _check_wave(roster, wave, str(items['file'].iloc[0]) if len(items) else None)
    roster = roster_for_wave(roster, wave)  # earlier_* values for people who changed after this wave
    members = set(roster.members(wave).tolist())
    decided = _decide_items(items, match, members, scales or {}, labels)

    ties = pd.DataFrame({
        schema.SOURCE: decided.source, schema.TARGET: decided.target, schema.RELATION: decided.relation,
        schema.WEIGHT: decided.weight, schema.RAW_VALUE: decided.raw_value, "_position": decided.position,
    }, columns=[*schema.TIE_COLUMNS, "_position"])
    for name in (schema.SOURCE, schema.TARGET, schema.RELATION, schema.RAW_VALUE):
        ties[name] = ties[name].astype(object)
    outcome, reason, detail = decided.outcome, decided.reason, decided.detail
    places = _Places(items)
    for position in np.flatnonzero(outcome != "kept"):  # each item not kept, in item order
        report.add_item(*places.where(position), outcome[position], reason[position], detail[position])
    ties = _drop_repeats(ties, places, report, outcome, reason)

    for raw in decided.names:
        if raw:
            m = matches[raw]
            writers = decided.writers.get(raw)
            report.add_name(
                raw, m.person_id, m.method, decision=m.decision, score=m.score,
                candidates=list(m.candidates),
                candidate_labels=[str(labels.get(c, c)) for c in m.candidates],
                **({"writers": sorted(writers)} if writers is not None else {}),
            )
    places.add_rows(report, outcome, reason)
    report.count_items(len(items), Counter(outcome.tolist()))
    responded = decided.responded

    people = roster.people.loc[_within(roster.people.index, members)].copy()
    if len(people) < len(roster.people):
        report.note(f"{len(roster.people) - len(people)} people on the roster are not part of wave "
                    f"{wave!r} (the roster's 'waves' column) and are left out of it.")
    from_roster = roster.responded.reindex(people.index)
    answered = _within(people.index, responded)
    if from_roster.notna().any():
        conflict = int((from_roster.eq(False) & answered).sum())
        if conflict:
            report.note(f"{conflict} people marked as not responding on the roster sent answers; "
                        "they are counted as respondents.")
        answered = answered | from_roster.eq(True).to_numpy()
    people[schema.RESPONDED] = answered
    if attributes is not None and len(attributes):
        people = apply_attributes(people, attributes, match=match, members=members, report=report)
    network = Network(people, ties[list(schema.TIE_COLUMNS)], wave=wave, relations=dict(relations or {}))
    report.response = response_summary(network)
    return network


_REPEATED = "repeated tie (highest weight kept)"


def _drop_repeats(
    ties: pd.DataFrame, places: _Places, report: ImportReport, outcome: np.ndarray, reason: np.ndarray
) -> pd.DataFrame:
    """Keep the highest weight of a repeated (source, target, relation); report the rest.

    Each repeat turns the last item of its row still kept (or changed) into a dropped one,
    in ``outcome`` and ``reason``.
    """
    # highest weight first, then earliest; the first of each (source, target, relation) is kept
    order = np.lexsort((ties["_position"].to_numpy(), -ties["weight"].to_numpy(dtype=float)))
    codes = [pd.factorize(ties[c].to_numpy(dtype=object))[0].astype(np.int64)
             for c in (schema.SOURCE, schema.TARGET, schema.RELATION)]
    key = (codes[0] * (codes[1].max(initial=0) + 1) + codes[1]) * (codes[2].max(initial=0) + 1) + codes[2]
    repeated = np.zeros(len(ties), dtype=bool)
    repeated[order] = pd.Series(key[order]).duplicated().to_numpy()
    positions = ties["_position"].to_numpy()[order][repeated[order]]
    rows = places.items_of({places.group[p] for p in positions})
    for position in positions:
        # the item's row's last outcome still "kept" (or "changed"): replace it
        for i in reversed(rows[places.group[position]]):
            if outcome[i] in ("kept", "changed"):
                outcome[i], reason[i] = "dropped", _REPEATED
                break
        report.add_item(*places.where(position), "dropped", _REPEATED)
    return ties.loc[~repeated].reset_index(drop=True)  # ties are in item order


def _row_outcome(results: list[tuple[str, str]]) -> tuple[str, str]:
    kinds = {o for o, _ in results}
    reasons = "; ".join(dict.fromkeys(r for o, r in results if o != "kept" and r))
    if kinds == {"kept"}:
        return "kept", ""
    if kinds == {"dropped"}:
        return "dropped", reasons
    if kinds <= {"doubted", "dropped"}:
        return "doubted", reasons
    return "changed", reasons


def response_summary(network: Network, attributes: tuple[str, ...] = (schema.ORGANISATION, schema.LEVEL)) -> dict:
    """Respondents, people and response rate, overall and by group."""
    people = network.people
    summary: dict = {
        "people": int(len(people)),
        "respondents": int(people[schema.RESPONDED].sum()),
        "response_rate": float(network.response_rate) if len(people) else float("nan"),
        "by_group": {},
    }
    for attribute in attributes:
        if attribute not in people.columns:
            continue
        groups = people.groupby(people[attribute].astype(object).fillna("(not recorded)"))[schema.RESPONDED]
        summary["by_group"][attribute] = [
            {"group": str(g), "people": int(s.size), "respondents": int(s.sum()),
             "response_rate": float(np.round(s.mean(), 4))}
            for g, s in groups
        ]
    return summary
