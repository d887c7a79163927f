"""Detection: what a survey export gives away about itself, for the import wizard.

:func:`detect` reads a file and says which layout it is (three Qualtrics header rows,
``Start time``/``Completion time``, ``[...]`` grid headers, a square sheet, ...), which
column identifies respondents, which questions look like relations (with sample answers
and a suggested scale) and which columns would be dropped and why. Every guess can be
overridden; :func:`recipe_from_detection` turns what the user confirmed into a
:class:`~onatool.io.recipe.Recipe`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io import layouts
from onatool.io.layouts import grid, netcanvas
from onatool.io.layouts.survey import (
    GRID,
    NAMES,
    RelationQuestion,
    SurveyTable,
    classify_column,
    header_words,
    lists_names,
    split_names,
)
from onatool.io.matching import normalise_name
from onatool.io.recipe import SCALES, Recipe, header_position, relation_name
from onatool.io.roster import Roster
from onatool.io.tables import is_number, read_sheets

__all__ = ["Detection", "QuestionGuess", "detect", "recipe_from_detection", "suggest_relation"]

_RELATION_WORDS = (
    ("advice", ("advice", "information", "ask for help", "go to for help", "expertise")),
    ("collaboration", ("work with", "work together", "worked with", "collaborat", "how often", "joint")),
    ("trust", ("trust",)),
    ("concern", ("concern", "new idea", "an idea", "raise", "speak up")),
    ("met", ("met ", "meet", "first met", "met through", "got to know")),
    ("influence", ("influence",)),
    ("mentoring", ("mentor", "coach")),
)
_WHO_ARE_YOU = re.compile(
    r"\b(your (full |own )?name|who are you|your (work )?e-?mail|your (staff |employee )?(id|number)|"
    r"select your(self| name)|about you)\b", re.I)


def suggest_relation(question: str) -> str | None:
    """The canonical relation a question's wording suggests, or None.

    Examples
    --------
    >>> suggest_relation("Who do you go to for information or advice about your work?")
    'advice'
    >>> suggest_relation("How often do you work with each of these people?")
    'collaboration'
    >>> suggest_relation("What is your job title?") is None
    True
    """
    text = f" {str(question).casefold()} "
    for relation, words in _RELATION_WORDS:
        if any(w in text for w in words):
            return relation
    return None


# Detection ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionGuess:
    """A question as detected, for the wizard to confirm.

    Attributes
    ----------
    question
        Its text (what a recipe names).
    kind
        ``names`` or ``grid``.
    columns
        How many columns it spans.
    relational
        Whether it looks like a relation question (names people, or a grid over people).
    relation
        Suggested relation name (None when the wording suggests none).
    samples
        A few answers as given.
    answers
        Distinct answer words of a grid (empty for names questions).
    scale
        Suggested scale (a key of :data:`SCALES`), or None.
    unknown_answers
        Grid answers that no suggested scale covers (they would be reported as
        "not on the scale" until mapped).
    """

    question: str
    kind: str
    columns: int
    relational: bool
    relation: str | None
    samples: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    scale: str | None = None
    unknown_answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Detection:
    """What a file gives away about itself (see :func:`detect`)."""

    layout: str
    file: str
    sheet: str | None = None
    identity: str | None = None
    identity_candidates: tuple[tuple[str, str, float], ...] = ()  # (header, kind, share matched)
    questions: tuple[QuestionGuess, ...] = ()
    dropped: tuple[tuple[str, str], ...] = ()  # (header, reason)
    submitted: str | None = None
    complete: str | None = None
    status: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def relation_questions(self) -> tuple[QuestionGuess, ...]:
        """The questions that look like relations."""
        return tuple(q for q in self.questions if q.relational)


def detect(
    path: str | Path, *, roster: Roster | None = None, layout: str | None = None, sheet: str | None = None
) -> Detection:
    """Look at an export and say how it could be read.

    Parameters
    ----------
    path
        The export (CSV, XLSX, GraphML, or a Network Canvas folder).
    roster
        With a roster, identity columns and grid headers are checked against it.
    layout
        Force a layout instead of detecting it.
    sheet
        Workbook sheet (default: the first with data).

    Returns
    -------
    Detection

    Raises
    ------
    InputFormatError
        The layout cannot be told (name the fix: pass ``layout``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "forms.csv"
    >>> _ = p.write_text("ID,Start time,Completion time,Email,Name,Who do you go to for advice?\\n"
    ...                  "1,x,y,ann@x.example,Ann,Bo Chan;Cy Dee;\\n")
    >>> found = detect(p)
    >>> found.layout, found.identity, found.relation_questions[0].relation
    ('microsoft_forms', 'Email', 'advice')
    """
    path = Path(path)
    index = roster.index() if roster is not None else None
    resolve = index.resolve if index is not None else None
    if layout == netcanvas.LAYOUT or (layout is None and (path.is_dir() or netcanvas.sniff_path(path))):
        return _detect_netcanvas(path, resolve)
    from onatool.io.networks import refuse_whole_network

    refuse_whole_network(path, "--ties FILE (onatool import --ties), not as a survey export")
    sheets = read_sheets(path, header_rows=0)
    chosen = sheets[0] if sheet is None else next((s for s in sheets if s.sheet == sheet), None)
    if chosen is None:
        raise InputFormatError(f"no sheet named {sheet!r}", expected=f"one of {[s.sheet for s in sheets]}",
                               place=Place(file=path.name))
    found = layout or _sniff(chosen, resolve)
    if found is None:
        raise InputFormatError(
            "the layout could not be told from the file",
            expected="one of " + ", ".join(layouts.LAYOUTS) + " chosen by hand (layout=..., or --layout)",
            place=Place(file=path.name, sheet=chosen.sheet),
        )
    if found in layouts.CANONICAL:
        return Detection(found, path.name, chosen.sheet)
    table = grid.parse(chosen) if found == grid.LAYOUT else layouts.parse_sheet(chosen, found)
    detection = _detect_table(table, resolve, sheet=sheet)
    if sheet is None and found in (grid.LAYOUT, "multi_select") and len(sheets) > 1:
        # One sheet per relation: every sheet laid out the same way adds its questions.
        more = [_detect_table(grid.parse(s, identity=header_position(s, detection.identity)) if found == grid.LAYOUT
                              else layouts.parse_sheet(s, found), resolve, sheet=None)
                for s in sheets[1:] if _sniff(s, resolve) == found]
        seen = {q.question for q in detection.questions}
        extra = tuple(q for d in more for q in d.questions if q.question not in seen)
        detection = replace(detection, sheet=None, questions=detection.questions + extra,
                            dropped=detection.dropped + tuple(x for d in more for x in d.dropped))
    return detection


def _sniff(sheet, resolve) -> str | None:
    for name in ("qualtrics", "microsoft_forms", "surveymonkey", "google_forms"):
        sniff = layouts.SURVEY_LAYOUTS[name][0]
        if sniff(sheet.data):
            return name
    if _is_square(sheet.data):
        return "matrix"
    headers = {schema.canonical_header(h) for h in sheet.data.iloc[0]}
    if {schema.SOURCE, schema.TARGET} <= headers:
        return "edge_list"
    if grid.sniff(sheet.data, resolve):
        return grid.LAYOUT
    if layouts.multiselect.sniff(sheet.data):
        return "multi_select"
    return None


def _is_square(raw: pd.DataFrame) -> bool:
    if raw.shape[0] < 3 or raw.shape[1] < 3:
        return False
    top = [str(v).strip() for v in raw.iloc[0, 1:] if str(v).strip()]
    side = [str(v).strip() for v in raw.iloc[1:, 0] if str(v).strip()]
    return len(top) >= 2 and sorted(top) == sorted(side)


def _detect_table(table: SurveyTable, resolve, *, sheet: str | None) -> Detection:
    roles = {role: header for role, header in table.roles.items()}
    role_headers = set(roles.values())
    candidates = _identity_candidates(table, resolve, role_headers)
    identity = candidates[0][0] if candidates else None
    guesses, dropped = [], []
    others = {header for header, kind, share in candidates[1:]  # e.g. the name typed beside the email
              if share >= 0.5 and (kind == "email" or _WHO_ARE_YOU.search(header))}
    for question, columns in table.questions().items():
        if len(columns) == 1 and columns[0].header in role_headers | {identity}:
            continue
        if len(columns) == 1 and columns[0].header in others:
            dropped.append((columns[0].header, "identifying (the respondent's name or email, besides the identity)"))
            continue
        role, reason = classify_column(columns[0].header) if len(columns) == 1 else ("", "")
        if role:
            dropped.append((columns[0].header, reason))
            continue
        guess = _guess(table, question, columns, resolve)
        guesses.append(guess)
        if not guess.relational:
            dropped.append((columns[0].header if len(columns) == 1 else question, "not a relation question"))
    notes = []
    if identity is None:
        notes.append("No column identifies respondents; choose one (an email, roster id or 'your name' question).")
    return Detection(
        table.layout, table.file, table.sheet if sheet or table.sheet else None, identity,
        tuple(candidates), tuple(guesses), tuple(dropped), roles.get("submitted"), roles.get("complete"),
        roles.get("status"), tuple(notes),
    )


def _identity_candidates(table: SurveyTable, resolve, skip: set[str]) -> list[tuple[str, str, float]]:
    """(header, kind, share of answers matching the roster), best first."""
    scored = []
    for column in table.columns:
        if (column.label and not _contact_field(column)) or column.header in skip:
            continue
        values = [v for v in table.values(column) if v]
        if not values or sum(v.casefold() == "anonymous" for v in values) > len(values) / 2:
            continue  # Microsoft Forms writes "anonymous" when the form records no names
        words = header_words(column.header)
        at = sum("@" in v for v in values) / len(values)
        kind = "email" if at > 0.8 else "id" if words in (
            "external reference", "external data reference", "staff id", "person id", "employee id",
            "participant id", "roster id", "respondent code", "network canvas case id", "case id") else (
            "name" if _WHO_ARE_YOU.search(column.question) or words in ("name", "respondent name", "full name")
            else "")
        listing = sum(";" in v for v in values) / len(values) >= 0.3
        if not kind and (listing or suggest_relation(column.question)):
            continue  # a relation question naming people, not the respondent
        if not kind and classify_column(column.header)[0] == "metadata":
            continue  # dates, statuses, durations: never who answered
        share = None
        if resolve is not None:
            sample = values[:500]
            matched = {v: resolve(v).matched for v in set(sample)}
            share = sum(matched[v] for v in sample) / len(sample)
        if share is not None and share >= 0.5:
            scored.append((column.header, kind or "name", round(share, 3)))
        elif kind:
            # What the header and answers say (emails first, then ids, then a "who are you"
            # question), when the roster cannot confirm it: say, nobody in it answered yet.
            scored.append((column.header, kind, round(share or 0.0, 3)))
    order = {"email": 0, "id": 1, "name": 2}
    return sorted(scored, key=lambda c: (c[2] < 0.5, -c[2] if c[2] >= 0.5 else 0, order.get(c[1], 3)))


_CONTACT_FIELDS = ("email", "email address", "e mail", "name", "full name", "your name", "name of organization",
                   "name of organisation", "organization", "organisation", "company", "staff id", "employee id")


def _contact_field(column) -> bool:
    """Whether a sub-field of a question can say who answered: a contact question's name or email.

    SurveyMonkey's "Contact Information" question, say, is split into ``Name``,
    ``Company``, ``Email Address``, ``Phone`` ... columns, and is often the only record
    of who answered.
    """
    label = header_words(column.label)
    return label in _CONTACT_FIELDS or (label.endswith(" email") and "contact" in header_words(column.question))


def _guess(table: SurveyTable, question: str, columns, resolve) -> QuestionGuess:
    cells = [v for c in columns for v in table.values(c) if v]
    samples = tuple(dict.fromkeys(cells))[:5]
    relation = suggest_relation(question)
    if any(not lists_names(c) for c in columns):
        labels = [c.label for c in columns if not lists_names(c)]
        people = sum(resolve(label).matched for label in labels) / len(labels) if resolve and labels else None
        own = {normalise_name(x) for x in labels}
        answers = tuple(sorted({v for v in set(cells) if normalise_name(v) not in own}, key=str.casefold))
        scale, unknown = _suggest_scale(answers)
        relational = people >= 0.5 if people is not None else (relation is not None or scale is not None)
        return QuestionGuess(question, GRID, len(columns), relational, relation if relational else None,
                             samples, answers, scale, unknown)
    listed = sum((";" in v) or ("," in v) for v in cells) / len(cells) if cells else 0.0
    columns_n = len(columns)
    # Relational when the wording says so and answers are lists of names, or when most
    # names given are people on the roster.
    worded = relation is not None and (listed >= 0.3 or table.layout == "multi_select"
                                       or bool(re.search(r"\bwho(m)?\b", question, re.I)))
    relational = worded or (resolve is None and listed >= 0.3)
    if resolve is not None and cells and not relational:
        names = [n for v in cells[:300] for n in split_names(v, None, resolve)]
        share = sum(resolve(n).matched or resolve(n).needs_review for n in names) / max(1, len(names))
        relational = share >= 0.5
    return QuestionGuess(question, NAMES, columns_n, relational, relation if relational else None, samples)


def _suggest_scale(answers: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    words = [a for a in answers if not is_number(a)]
    if not words:
        return None, ()  # numbers (codes) are read as weights; negative codes as not applicable
    best, best_unknown = None, tuple(words)
    for name, scale in SCALES.items():
        folded = {k.casefold() for k in scale}
        unknown = tuple(w for w in words if w.casefold() not in folded)
        if len(unknown) < len(best_unknown):
            best, best_unknown = name, unknown
    return best, best_unknown



def _detect_netcanvas(path: Path, resolve) -> Detection:
    export = netcanvas.read_netcanvas(path)
    ego_columns = [k for k in export.egos[0] if not k.startswith("_")]
    candidates = []
    for column in ego_columns:
        values = [str(e.get(column, "")).strip() for e in export.egos if str(e.get(column, "")).strip()]
        if not values:
            continue
        if resolve is not None:
            share = sum(resolve(v).matched for v in values) / len(values)
            if share >= 0.5:
                candidates.append((column, "name", round(share, 3)))
        elif column in ("networkCanvasCaseID", "caseId") or header_words(column) in ("email", "name", "id"):
            candidates.append((column, "id", 0.8))
    candidates.sort(key=lambda c: -c[2])
    flags = []
    generators, _ = netcanvas.relation_flags(export)
    for column in generators:
        values = {str(a.get(column, "")).strip().casefold() for a in export.alters} - {""}
        relation = suggest_relation(column) or relation_name(column)
        flags.append(QuestionGuess(column, NAMES, 1, True, relation, tuple(sorted(values))))
    identity = candidates[0][0] if candidates else "networkCanvasCaseID"
    ego_vars, alter_vars = netcanvas.variables(export, "ego"), netcanvas.variables(export, "alter")
    dropped = tuple((c, "a position on the interview's screen, not an attribute")
                    for c in (*ego_vars.layout, *alter_vars.layout))
    kept_ego = [*ego_vars.choices, *(c for c in ego_vars.plain if c != identity)]
    kept_alter = [*alter_vars.choices, *(c for c in alter_vars.plain if c not in {*generators, "name"})]
    notes = [f"Network Canvas: {export.protocol_note}."]
    if kept_ego:
        notes.append("Kept as attributes of the respondent: " + ", ".join(kept_ego) + ".")
    if kept_alter:
        notes.append("Kept as attributes of the people named (not relations): " + ", ".join(kept_alter) + ".")
    if export.edges:
        notes.append(f"{len(export.edges)} ties between named people (as respondents see them) are not imported.")
    return Detection(netcanvas.LAYOUT, path.name, None, identity, tuple(candidates), tuple(flags), dropped,
                     notes=tuple(notes))


def recipe_from_detection(
    detection: Detection,
    *,
    relations: Mapping[str, str | None] | None = None,
    identity: str | None = None,
    scales: Mapping[str, Mapping[str, float | None]] | None = None,
    duplicates: str = "latest_complete",
    roster_column_map: Mapping[str, str] | None = None,
    roster_value_maps: Mapping[str, Mapping[str, str]] | None = None,
    relation_metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> Recipe:
    """The recipe for what the user confirmed.

    Parameters
    ----------
    detection
        From :func:`detect`.
    relations
        Question text -> relation name (None to leave a question out). Questions not
        mentioned keep the detected suggestion when they look relational.
    identity
        Override the detected identity column.
    scales
        Scale name -> map, replacing or adding to the suggested ones.
    duplicates
        Duplicate policy.
    roster_column_map, roster_value_maps
        The roster's header and value maps to keep with the recipe.
    relation_metadata
        Relation name -> ``{"label", "symmetric"}`` overrides.

    Raises
    ------
    InputFormatError
        A question chosen as relational has no relation name, or a relation is named
        for a question the file does not have.
    """
    chosen = dict(relations or {})
    known = {q.question for q in detection.questions}
    strangers = [q for q in chosen if q not in known]
    if strangers:
        raise InputFormatError(
            f"no question {strangers[0]!r} in {detection.file}",
            expected="question texts as detected: " + "; ".join(repr(q) for q in sorted(known)),
            place=Place(file=detection.file),
        )
    questions, used_scales = [], {}
    for guess in detection.questions:
        relation = chosen.get(guess.question, guess.relation if guess.relational else None)
        if guess.question in chosen and chosen[guess.question] is None:
            relation = None
        if relation is None:
            if guess.question in chosen or not guess.relational:
                continue
            raise InputFormatError(
                f"the question {guess.question!r} looks like a relation but has no relation name",
                expected="a relation name for it in 'relations' (or None to leave it out)",
                place=Place(file=detection.file),
            )
        scale = guess.scale if guess.kind == GRID else None
        if scale:
            used_scales[scale] = dict((scales or {}).get(scale, SCALES[scale]))
        separator = None
        if guess.kind == NAMES and detection.layout == "microsoft_forms":
            separator = ";"
        questions.append(RelationQuestion(guess.question, relation_name(relation), guess.kind, separator, scale))
    for name, scale in (scales or {}).items():
        used_scales[name] = dict(scale)
    roster = {}
    if roster_column_map:
        roster["column_map"] = dict(roster_column_map)
    if roster_value_maps:
        roster["value_maps"] = {k: dict(v) for k, v in roster_value_maps.items()}
    return Recipe(
        layout=detection.layout, identity=identity or detection.identity, questions=tuple(questions),
        scales=used_scales, sheet=detection.sheet, submitted=detection.submitted, complete=detection.complete,
        status=detection.status, duplicates=duplicates, relations=dict(relation_metadata or {}), roster=roster,
    )
