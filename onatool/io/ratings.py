"""Ratings of partner organisations (PARTNER's trust and value questions) from a sheet.

One row per respondent and organisation rated: the respondent (``id``, ``email`` or
``name`` as in the roster), the organisation rated (a column headed ``partner``,
``organisation rated`` or ``rated``), and one column per dimension (headers such as
"Power and influence", "Level of involvement", "Resources contributed", "Reliability",
"Support of mission", "Open to discussion"). Answers are 1-4 or the scale's words
("Not at all" ... "A great deal"); blank is not answered. A row whose respondent is not on
the roster, or an answer that is not on the scale, is reported, never guessed.

A survey platform's export of the form ``onatool survey`` designs (Microsoft Forms,
Qualtrics, Google Forms) is read with the recipe the survey pack wrote beside it
(:func:`ratings_from_export`): its ``ratings`` entries say which grid row holds which
organisation's dimension. Both give the same :class:`Ratings`, which a project keeps
(:meth:`Ratings.as_setting`, the setting :data:`RATINGS_SETTING`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io.report import ImportReport
from onatool.io.roster import Roster
from onatool.io.tables import Sheet, identity_column, read_table, sheet_row

DIMENSIONS = (*schema.PARTNER_VALUE, *schema.PARTNER_TRUST)
SCALE = schema.PARTNER_SCALE

__all__ = ["RATED_HEADERS", "RATINGS_SETTING", "Ratings", "ratings_from_export", "ratings_from_sheet",
           "read_ratings"]

#: The project setting that keeps a project's ratings (:meth:`Ratings.as_setting`).
RATINGS_SETTING = "partner_ratings"

RATED_HEADERS = frozenset({"partner", "partner organisation", "organisation rated", "rated", "rated organisation"})
_WORDS = {text.casefold(): score for score, text in SCALE.items()}


def _key(text: object) -> str:
    return re.sub(r"[^a-z]+", "_", str(text).casefold()).strip("_")


#: Header words -> dimension ("In support of mission" and "Support of the mission" both count).
_HEADERS = {_key(d): d for d in DIMENSIONS} | {
    "power_influence": "power_and_influence", "power": "power_and_influence", "influence": "power_and_influence",
    "involvement": "level_of_involvement", "resources": "resources_contributed",
    "resource_contribution": "resources_contributed", "in_support_of_mission": "support_of_mission",
    "support_of_the_mission": "support_of_mission", "mission": "support_of_mission",
    "support_of_the_shared_mission": "support_of_mission", "support_of_shared_mission": "support_of_mission",
    "openness_to_discussion": "open_to_discussion", "open_to_discussion": "open_to_discussion",
}


@dataclass(frozen=True)
class Ratings:
    """Answers read from a ratings sheet: one row per (rater, organisation rated, dimension)."""

    answers: pd.DataFrame
    report: ImportReport = field(default_factory=ImportReport)
    source: str = ""

    def as_setting(self) -> dict:
        """What a project keeps: the file's name and the answers (raters pseudonymised)."""
        return {"source": self.source,
                "answers": self.answers[["person_id", "rated", "dimension", "score"]].to_numpy().tolist()}

    @classmethod
    def from_setting(cls, saved: dict) -> Ratings:
        """Ratings as a project kept them (their import report is not kept)."""
        answers = pd.DataFrame(saved.get("answers", []), columns=["person_id", "rated", "dimension", "score"])
        return cls(answers.astype({"score": "int64"}), source=str(saved.get("source", "")))


def read_ratings(path: str | Path, roster: Roster, *, sheet: str | None = None) -> Ratings:
    """Read a sheet of PARTNER trust and value ratings against a roster."""
    read = ratings_from_sheet(read_table(path, sheet=sheet), roster)
    return Ratings(read.answers, read.report, Path(path).name)


def ratings_from_sheet(table: Sheet, roster: Roster) -> Ratings:
    """Build :class:`Ratings` from a table already read (see :func:`read_ratings`).

    Raises
    ------
    InputFormatError
        No respondent column, no organisation-rated column, or no dimension column.
    """
    report = ImportReport()
    data = table.data
    report.read(table.file, table.sheet, len(data))
    identity = identity_column(data.columns)
    rated = next((c for c in data.columns if str(c).strip().casefold() in RATED_HEADERS), None)
    dimensions = {c: _HEADERS[_key(c)] for c in data.columns if _key(c) in _HEADERS}
    for missing, expected in ((identity, "an 'id', 'email' or 'name' column naming the respondent"),
                              (rated, "a 'partner' column naming the organisation rated"),
                              (dimensions or None, "columns for the trust and value questions, e.g. "
                                                   "'Reliability', 'Power and influence'")):
        if missing is None:
            raise InputFormatError("the ratings sheet is missing a column", expected=expected,
                                   place=table.place(row=1))
    for column in data.columns:
        if column not in (identity, rated, *dimensions):
            report.drop_column(table.file, str(column), "not a PARTNER rating column")
    index = roster.index()
    rows: list[tuple[str, str, str, int]] = []
    for position, record in enumerate(data.to_dict("records")):
        row = sheet_row(position)
        match = index.resolve(str(record[identity]))
        organisation = str(record[rated]).strip()
        if not match.exact:
            report.add_row(table.file, table.sheet, row, "dropped",
                           f"respondent not found: {match.raw!r} is not exactly one person on the roster")
            continue
        if not organisation:
            report.add_row(table.file, table.sheet, row, "dropped", f"no organisation in column {rated!r}")
            continue
        changed = False
        for column, dimension in dimensions.items():
            text = str(record[column]).strip()
            if not text:
                continue
            score = _score(text)
            if score is None:
                changed = True
                report.add_item(table.file, table.sheet, row, "dropped",
                                f"{text!r} in column {column!r} is not on the 1-4 scale", detail=dimension)
                continue
            rows.append((match.person_id, organisation, dimension, score))
        report.add_row(table.file, table.sheet, row, "changed" if changed else "kept",
                       "an answer off the scale left out" if changed else "")
    answers = pd.DataFrame(rows, columns=["person_id", "rated", "dimension", "score"])
    report.note(f"{len(answers)} answer(s) from {answers['person_id'].nunique()} respondent(s) about "
                f"{answers['rated'].nunique()} organisation(s)")
    return Ratings(answers, report)


def _score(text: str) -> int | None:
    """An answer as 1-4: the scale's words (any case) or the digit; None when it is neither."""
    return _WORDS.get(text.casefold()) or (int(text) if text in {"1", "2", "3", "4"} else None)


def ratings_from_export(path: str | Path, recipe, roster: Roster) -> Ratings:
    """PARTNER trust and value answers from a survey platform's export, with its recipe.

    Parameters
    ----------
    path
        The export (Microsoft Forms ``.xlsx``, Qualtrics or Google Forms CSV) of the form
        ``onatool survey`` designed.
    recipe
        The :class:`~onatool.io.recipe.Recipe` the survey pack wrote for that platform;
        its ``ratings`` entries name each grid row.
    roster
        The project's people: each respondent is found by the identity they typed.

    Returns
    -------
    Ratings
        One row per (rater, organisation rated, dimension, score), as :func:`read_ratings`
        gives, with a report: a respondent not exactly one person on the roster, an
        earlier or unfinished submission (the latest complete one is kept), and every
        answer not on the 1-4 scale (file, row, column and what was expected).

    Raises
    ------
    InputFormatError
        The recipe has no ratings, or the export lacks its identity column or one of
        its grid rows (the form was changed).
    """
    from onatool.io.layouts import read_survey

    path = Path(path)
    if not recipe.ratings:
        raise InputFormatError("the recipe has no trust and value questions",
                               expected="the recipe `onatool survey` wrote for an instrument with "
                                        "organisation_questions", place=Place(file=path.name))
    table = read_survey(path, recipe.layout, sheet=recipe.sheet)[0]
    identity = table.find(recipe.identity or "") or next(iter(table.find_question(recipe.identity or "")), None)
    if identity is None:
        raise InputFormatError(f"no column {recipe.identity!r} naming the respondent",
                               expected="the identity column the recipe names", place=table.place(row=1))
    columns, missing = [], []
    for entry in recipe.ratings:
        found = [c for c in table.find_question(entry["question"]) if _fold(c.label) == _fold(entry["statement"])]
        if found:
            columns.append((found[0], entry["organisation"], entry["dimension"]))
        else:
            missing.append(f"{entry['question']} / {entry['statement']}")
    if missing:
        raise InputFormatError(f"{len(missing)} trust and value grid row(s) of the recipe are not in the export",
                               expected="the form as the survey pack described it, e.g. " + repr(missing[0]),
                               place=table.place(row=1))
    report = ImportReport()
    report.read(table.file, table.sheet, len(table.rows))
    index = roster.index()
    keep = _responses(table, recipe, identity, report, index)
    rows: list[tuple[str, str, str, int]] = []
    for position, row in enumerate(table.rows):
        if position not in keep:
            continue
        raw = table.values(identity).iloc[position]
        match = index.resolve(str(raw))
        if not match.exact:
            report.add_row(table.file, table.sheet, row, "dropped",
                           f"respondent not found: {match.raw!r} is not exactly one person on the roster")
            continue
        rated, off_scale = set(), 0
        for column, organisation, dimension in columns:
            text = str(table.values(column).iloc[position]).strip()
            if not text:
                continue
            score = _score(text)
            if score is None:
                off_scale += 1
                report.add_item(table.file, table.sheet, row, "dropped",
                                f"{text!r} in column {column.header!r} is not on the 1-4 scale "
                                f"(expected one of {', '.join(SCALE.values())})", detail=dimension)
                continue
            rows.append((match.person_id, organisation, dimension, score))
            rated.add(organisation)
        report.add_row(table.file, table.sheet, row, "changed" if off_scale else "kept",
                       f"{off_scale} answer(s) off the scale left out" if off_scale else
                       "" if rated else "rated no organisation")
    answers = pd.DataFrame(rows, columns=["person_id", "rated", "dimension", "score"])
    report.note(f"{len(answers)} answer(s) from {answers['person_id'].nunique()} respondent(s) about "
                f"{answers['rated'].nunique()} organisation(s)")
    return Ratings(answers, report, path.name)


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _responses(table, recipe, identity, report: ImportReport, index) -> set[int]:
    """Positions of the rows read: not empty, not a test, one per respondent.

    The same rule as the relationship questions' import (the recipe's ``duplicates``,
    by default each respondent's latest complete submission), from
    :mod:`onatool.io.layouts.survey`, so the ratings and the ties come from the same
    submission; every other row is reported as dropped, with why.
    """
    from onatool.io.layouts import survey
    from onatool.io.recipe import resolve_with

    plan = recipe.plan()
    cells = table.cells
    live = cells.ne("").any(axis=1)
    for position in cells.index[~live]:
        report.add_row(table.file, table.sheet, table.rows[position], "dropped", "empty row")
    keep = list(cells.index[live])
    roles = {role: table.find(header) for role in ("submitted", "complete", "status")
             if (header := getattr(plan, role))}
    status = roles.get("status")
    if status is not None:
        test = cells[status.position].str.casefold().isin(survey._TEST_STATUSES)
        for position in [p for p in keep if test[p]]:
            report.add_row(table.file, table.sheet, table.rows[position], "dropped",
                           f"test or preview response ({cells.at[position, status.position]})")
        keep = [p for p in keep if not test[p]]
    complete = survey._completeness(cells, roles.get("complete"))
    modified = table.find(table.roles["modified"]) if table.roles.get("modified") else None
    return set(survey._deduplicate(table, keep, identity, roles.get("submitted"), complete, plan, report,
                                   resolve_with(index), modified))
