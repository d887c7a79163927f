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


@dataclass(frozen=True)
class _Row:
    file: str
    sheet: str | None
    row: int


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
    members = set(roster.members(wave))
    outcomes: dict[_Row, list[tuple[str, str]]] = defaultdict(list)
    kept: list[tuple[str, str, str, float, str, int]] = []
    responded: set[str] = set()
    writers: dict[str, set[str]] = defaultdict(set)  # name not matched exactly -> who wrote it

    for position, item in enumerate(items.itertuples(index=False)):
        where = _Row(item.file, item.sheet if isinstance(item.sheet, str) else None, int(item.row))

        def note(outcome: str, reason: str, detail: str = "", where: _Row = where) -> None:
            outcomes[where].append((outcome, reason))
            if outcome != "kept":
                report.add_item(where.file, where.sheet, where.row, outcome, reason, detail)  # type: ignore[arg-type]

        who = match(item.respondent)
        if not who.matched:
            outcome = "doubted" if who.needs_review else "dropped"
            reason = {
                "ambiguous": "respondent matches several people on the roster",
                "review": "respondent resembles someone on the roster: awaiting review",
                "blank": "no respondent identity",
                "ignored": "respondent marked as ignored",
            }.get(who.method, "respondent not on the roster")
            note(outcome, reason, repr(who.raw))
            continue
        if who.person_id not in members:
            note("dropped", "respondent is not in this wave's network (roster 'waves' column)", repr(who.raw))
            continue
        if not bool(item.answered):
            note("kept", "")
            continue
        responded.add(who.person_id)  # type: ignore[arg-type]
        target_text = "" if item.target is None or pd.isna(item.target) else str(item.target).strip()
        if not target_text:
            note("kept", "")
            continue
        named = match(target_text)
        if named.method not in ("id", "email", "name"):  # who wrote each name a person may decide
            writers[target_text].add(who.person_id)  # type: ignore[arg-type]
        if not named.matched:
            outcome = "doubted" if named.needs_review else "dropped"
            reason = {
                "ambiguous": "named person matches several people on the roster",
                "review": "named person resembles someone on the roster: awaiting review",
                "ignored": "named person marked as ignored",
            }.get(named.method, "named person not on the roster")
            note(outcome, reason, repr(named.raw))
            continue
        if named.person_id not in members:
            note("dropped", "named person is not in this wave's network (roster 'waves' column)",
                 repr(named.raw))
            continue
        weight = item.weight
        if weight is None or pd.isna(weight) or not math.isfinite(weight):  # "1e309", "inf": not weights
            weight, problem = read_answer(item.raw_value, (scales or {}).get(item.relation))
            if weight is None:
                note("dropped", f"answer {problem}", repr(str(item.raw_value)))
                continue
        if named.person_id == who.person_id:
            note("dropped", "self-tie")
            continue
        if who.method in _INDIRECT or named.method in _INDIRECT:
            how = named if named.method in _INDIRECT else who
            note("changed", f"name matched by {how.method}", f"{how.raw!r} -> {labels[how.person_id]}")
        else:
            note("kept", "")
        kept.append((who.person_id, named.person_id, str(item.relation), float(weight),  # type: ignore[arg-type]
                     "" if pd.isna(item.raw_value) else str(item.raw_value), position))

    ties = pd.DataFrame(kept, columns=[*schema.TIE_COLUMNS, "_position"])
    ties = _drop_repeats(ties, items, report, outcomes)

    for raw, m in matches.items():
        if raw:
            report.add_name(
                raw, m.person_id, m.method, decision=m.decision, score=m.score,
                candidates=list(m.candidates),
                candidate_labels=[str(labels.get(c, c)) for c in m.candidates],
                **({"writers": sorted(writers[raw])} if raw in writers else {}),
            )
    for where, results in outcomes.items():
        report.add_row(where.file, where.sheet, where.row, *_row_outcome(results))
    report.count_items(len(items), Counter(o for results in outcomes.values() for o, _ in results))

    people = roster.people.loc[roster.people.index.isin(members)].copy()
    if len(people) < len(roster.people):
        report.note(f"{len(roster.people) - len(people)} people on the roster are not part of wave "
                    f"{wave!r} (the roster's 'waves' column) and are left out of it.")
    from_roster = roster.responded.reindex(people.index)
    answered = people.index.isin(list(responded))
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


def _drop_repeats(
    ties: pd.DataFrame, items: pd.DataFrame, report: ImportReport, outcomes: dict
) -> pd.DataFrame:
    """Keep the highest weight of a repeated (source, target, relation); report the rest."""
    order = ties.sort_values(["weight", "_position"], ascending=[False, True], kind="stable")
    repeated = order.duplicated([schema.SOURCE, schema.TARGET, schema.RELATION])
    for position in order.loc[repeated, "_position"]:
        item = items.iloc[int(position)]
        where = _Row(item["file"], item["sheet"] if isinstance(item["sheet"], str) else None, int(item["row"]))
        results = outcomes[where]
        # this item's last recorded outcome was "kept" (or "changed"); replace it
        for i in range(len(results) - 1, -1, -1):
            if results[i][0] in ("kept", "changed"):
                results[i] = ("dropped", "repeated tie (highest weight kept)")
                break
        report.add_item(where.file, where.sheet, where.row, "dropped", "repeated tie (highest weight kept)")
    return order.loc[~repeated].sort_values("_position").reset_index(drop=True)


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
