"""The per-item ``assemble`` from before issue 15's import work, the reference for the vectorised one.

Copied verbatim from ``onatool/io/assemble.py`` at fa89a64 (main then), docstring shortened;
``test_assemble_reference.py`` runs both on random items and compares everything they give.
"""

# ruff: noqa

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from onatool import schema
from onatool.io.assemble import ITEM_COLUMNS, _INDIRECT, _check_wave, read_answer, response_summary
from onatool.io.attributes import apply_attributes
from onatool.io.emails import DomainTypos
from onatool.io.matching import Match
from onatool.io.report import ImportReport
from onatool.io.roster import Roster, roster_for_wave
from onatool.network import Network


@dataclass(frozen=True)
class _Row:
    file: str
    sheet: str | None
    row: int


def reference_assemble(
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
    """The per-item assemble as it was (fa89a64), kept verbatim as the reference."""
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
