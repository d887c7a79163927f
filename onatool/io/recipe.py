"""Recipes: how a survey export was read, saved so the next wave imports in one step.

A practitioner confirms once what the import wizard detected: the layout, the column
that says who answered, which questions are relations (and their names), how answer
words become weights (scales), what to do with duplicate submissions, how the roster's
headers and values map. That is a :class:`Recipe`, saved as YAML (or JSON). The next
wave's export is read with :func:`apply`; a file that no longer fits (a question
renamed, the identity column gone) gives one :class:`~onatool.errors.InputFormatError`
naming the missing columns and the likely new names.

:func:`detect` is the wizard's first step: it reads a file, says which layout it gives
away, which column identifies respondents, which questions look like relations (with
sample answers and a suggested scale), and which columns would be dropped and why.
:func:`recipe_from_detection` turns the confirmed detection into a recipe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io import layouts
from onatool.io.assemble import assemble
from onatool.io.layouts import grid, netcanvas
from onatool.io.layouts.survey import (
    AUTO,
    GRID,
    NAMES,
    Plan,
    RelationQuestion,
    SurveyTable,
    classify_column,
    header_words,
    lists_names,
    split_names,
    survey_items,
)
from onatool.io.matching import Alias, Match, RosterIndex, normalise_name
from onatool.io.report import ImportReport
from onatool.io.roster import Roster, add_people
from onatool.io.tables import read_sheets
from onatool.network import Network

__all__ = [
    "NOT_APPLICABLE_WORDS",
    "SCALES",
    "Detection",
    "QuestionGuess",
    "Recipe",
    "apply",
    "detect",
    "load_recipe",
    "recipe_from_detection",
    "save_recipe",
    "suggest_relation",
]

RECIPE_VERSION = 1

#: Answers that are not ties, whatever the scale: weight None ("not applicable").
NOT_APPLICABLE_WORDS: dict[str, None] = {
    "Not applicable": None, "N/A": None, "NA": None, "Don't know": None, "Do not know": None,
    "Prefer not to say": None, "I don't know this person": None,
}

#: Scales the wizard suggests; a recipe holds its own copy, which the user may edit.
#: Weights are ordinal: whether a weight counts as a tie is chosen at analysis time
#: (``Network.layer(min_weight=...)``; by default a weight above 0). Agreement is
#: centred on 0 so that "Disagree" is never a tie by default.
SCALES: dict[str, dict[str, float | None]] = {
    "frequency": {
        "Never": 0, "Yearly": 1, "Once a year": 1, "A few times a year": 1, "Less than monthly": 1,
        "Quarterly": 2, "Every few months": 2, "Monthly": 3, "Once a month": 3,
        "Fortnightly": 3.5, "Weekly": 4, "Once a week": 4, "Several times a week": 4.5, "Daily": 5,
        **NOT_APPLICABLE_WORDS,
    },
    "often": {"Never": 0, "Rarely": 1, "Sometimes": 2, "Often": 3, "Very often": 4, "Always": 5,
              **NOT_APPLICABLE_WORDS},
    "agreement": {
        "Strongly disagree": -2, "Disagree": -1, "Neither agree nor disagree": 0, "Neutral": 0,
        "Agree": 1, "Strongly agree": 2, **NOT_APPLICABLE_WORDS,
    },
    "yes_no": {"Yes": 1, "No": 0, "Selected": 1, "Ticked": 1, "True": 1, "False": 0, "1": 1, "0": 0,
               **NOT_APPLICABLE_WORDS},
}

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


# The recipe --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipe:
    """How one survey's exports are read (see the module notes).

    Attributes
    ----------
    layout
        One of :data:`onatool.io.layouts.LAYOUTS`.
    identity
        Column (header, or a question) holding the respondent's email, roster id or name.
    questions
        The relation questions, each with its relation name, kind and scale.
    scales
        Scale name -> ``{answer: weight}``; a weight of None means "not applicable".
    sheet
        Workbook sheet to read (None: the first, or every sheet for a wide grid).
    submitted, complete, status
        Columns giving submission time, completion (``Finished``) and test status.
    duplicates
        ``latest_complete`` (default), ``latest`` or ``earliest``.
    relations
        Relation metadata: name -> ``{"label": ..., "symmetric": ...}``.
    columns
        Extra column roles, header -> ``identifying`` (listed as dropped as such).
    roster
        ``{"column_map": {...}, "value_maps": {...}}`` for :func:`~onatool.io.read_roster`.
    alter_name, relation
        Network Canvas: the node variable holding names; the relation when no
        true/false variables are read (also the relation of a canonical file without one).
    """

    layout: str
    identity: str | None = None
    questions: tuple[RelationQuestion, ...] = ()
    scales: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)
    sheet: str | None = None
    submitted: str | None = None
    complete: str | None = None
    status: str | None = None
    duplicates: str = "latest_complete"
    relations: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    roster: Mapping[str, Mapping] = field(default_factory=dict)
    alter_name: str = "name"
    relation: str | None = None

    def plan(self) -> Plan:
        """The survey-table part of the recipe."""
        if not self.identity:
            raise InputFormatError(
                "the recipe names no identity column",
                expected="'identity': the column with the respondent's email, roster id or name",
            )
        return Plan(self.identity, tuple(self.questions), self.submitted, self.complete, self.status,
                    self.duplicates, dict(self.columns))

    def scale_for(self, question: RelationQuestion) -> Mapping[str, float | None] | None:
        """The scale a question's answers are read with (None: numbers and yes/no only)."""
        if question.scale is None:
            return None
        if question.scale not in self.scales:
            raise InputFormatError(
                f"question {question.question!r} uses scale {question.scale!r}, which the recipe lacks",
                expected=f"a scale under 'scales' (it has {', '.join(self.scales) or 'none'})",
            )
        return self.scales[question.scale]

    def relation_scales(self) -> dict[str, Mapping[str, float | None]]:
        """Relation -> scale, as :func:`~onatool.io.assemble.assemble` wants it."""
        out: dict[str, Mapping[str, float | None]] = {}
        for question in self.questions:
            scale = self.scale_for(question)
            if scale is None:
                continue
            if question.relation in out and dict(out[question.relation]) != dict(scale):
                raise InputFormatError(
                    f"relation {question.relation!r} is read with two different scales",
                    expected="one scale per relation",
                )
            out[question.relation] = scale
        return out

    def relation_metadata(self) -> dict[str, schema.Relation]:
        """Relation name -> :class:`~onatool.schema.Relation` (defaults from the schema)."""
        names = {q.relation for q in self.questions} | set(self.relations)
        if self.relation:
            names.add(self.relation)
        out = {}
        for name in sorted(names):
            base = schema.RELATIONS.get(name, schema.Relation(name, name.replace("_", " ").capitalize()))
            extra = dict(self.relations.get(name, {}))
            out[name] = schema.Relation(
                name, str(extra.get("label", base.label)), bool(extra.get("symmetric", base.symmetric)),
                str(extra.get("question", base.question)),
            )
        return out

    def to_dict(self) -> dict:
        """Plain data for YAML or JSON (empty parts left out)."""
        data: dict = {"onatool_recipe": RECIPE_VERSION, "layout": self.layout}
        for name in ("sheet", "identity", "submitted", "complete", "status"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        data["duplicates"] = self.duplicates
        data["questions"] = [
            {k: v for k, v in (("question", q.question), ("relation", q.relation), ("kind", q.kind),
                               ("separator", q.separator), ("scale", q.scale)) if v is not None}
            for q in self.questions
        ]
        if self.scales:
            data["scales"] = {name: dict(scale) for name, scale in self.scales.items()}
        for name in ("relations", "columns", "roster"):
            value = getattr(self, name)
            if value:
                data[name] = json.loads(json.dumps(value))
        if self.layout == netcanvas.LAYOUT:
            data["alter_name"] = self.alter_name
        if self.relation:
            data["relation"] = self.relation
        return data

    @classmethod
    def from_dict(cls, data: Mapping, *, source: str = "recipe") -> Recipe:
        """A recipe from plain data, checked.

        Raises
        ------
        InputFormatError
            Unknown layout or keys, a question without text or relation, a bad scale.
        """
        place = Place(file=source)
        if not isinstance(data, Mapping):
            raise InputFormatError("the recipe is not a mapping", expected="YAML or JSON keys such as 'layout'",
                                   place=place)
        known = {"onatool_recipe", "layout", "identity", "questions", "scales", "sheet", "submitted",
                 "complete", "status", "duplicates", "relations", "columns", "roster", "alter_name",
                 "relation"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputFormatError(f"unknown recipe key(s) {unknown}", expected=f"keys among {sorted(known)}",
                                   place=place)
        layout = data.get("layout")
        if layout not in layouts.LAYOUTS:
            raise InputFormatError(f"unknown layout {layout!r}", expected=f"one of {', '.join(layouts.LAYOUTS)}",
                                   place=place)
        questions = []
        for number, entry in enumerate(data.get("questions") or [], start=1):
            if not isinstance(entry, Mapping) or not entry.get("question") or not entry.get("relation"):
                raise InputFormatError(
                    f"question {number} needs 'question' (its text) and 'relation' (its name)",
                    expected="entries such as {question: 'Who do you go to for advice?', relation: advice}",
                    place=place,
                )
            kind = entry.get("kind", AUTO)
            if kind not in (AUTO, NAMES, GRID):
                raise InputFormatError(f"question {number} has kind {kind!r}", expected="names, grid or auto",
                                       place=place)
            questions.append(RelationQuestion(
                str(entry["question"]), _relation_name(entry["relation"]), kind,
                entry.get("separator"), entry.get("scale"),
            ))
        scales = {}
        for name, scale in (data.get("scales") or {}).items():
            if not isinstance(scale, Mapping):
                raise InputFormatError(f"scale {name!r} is not a mapping", expected="{answer: weight}", place=place)
            clean = {}
            for answer, weight in scale.items():
                if weight is not None and not isinstance(weight, int | float):
                    raise InputFormatError(
                        f"scale {name!r} gives {answer!r} the weight {weight!r}",
                        expected="a number, or null for 'not applicable'", place=place,
                    )
                clean[str(answer)] = weight
            scales[str(name)] = clean
        recipe = cls(
            layout=layout, identity=data.get("identity"), questions=tuple(questions), scales=scales,
            sheet=data.get("sheet"), submitted=data.get("submitted"), complete=data.get("complete"),
            status=data.get("status"), duplicates=data.get("duplicates", "latest_complete"),
            relations=dict(data.get("relations") or {}), columns=dict(data.get("columns") or {}),
            roster=dict(data.get("roster") or {}), alter_name=data.get("alter_name", "name"),
            relation=data.get("relation"),
        )
        for question in recipe.questions:
            if question.scale is not None and question.scale not in scales:
                raise InputFormatError(
                    f"question {question.question!r} uses scale {question.scale!r}, which the recipe lacks",
                    expected=f"a scale under 'scales' (it has {', '.join(scales) or 'none'})",
                    place=place,
                )
        return recipe


def _relation_name(name: object) -> str:
    return schema.normalise_key(name).replace(" ", "_")


def save_recipe(recipe: Recipe, path: str | Path) -> Path:
    """Write a recipe as YAML (or JSON, by the file's suffix)."""
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = recipe.to_dict()
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        header = "# onatool import recipe: how this survey's exports are read. Edit freely;\n" \
                 "# `onatool import --responses FILE --recipe THIS` applies it to the next wave.\n"
        path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                        encoding="utf-8")
    return path


def load_recipe(path: str | Path) -> Recipe:
    """Read a recipe from YAML or JSON.

    Raises
    ------
    InputFormatError
        Unreadable file or invalid recipe (see :meth:`Recipe.from_dict`).
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise InputFormatError(
            f"the recipe cannot be read ({type(exc).__name__})",
            expected="a YAML or JSON recipe saved by onatool",
            place=Place(file=path.name),
        ) from None
    return Recipe.from_dict(data, source=path.name)


# Applying a recipe -------------------------------------------------------------------------


def apply(
    recipe: Recipe,
    responses: str | Path,
    roster: Roster,
    *,
    key: bytes | None = None,
    aliases: Mapping[str, Alias | str | None] | None = None,
    wave: str | None = None,
) -> tuple[Network, Roster, ImportReport]:
    """Import one wave's export with a recipe.

    Parameters
    ----------
    recipe
        How the export is read.
    responses
        The export: a file (CSV/XLSX/GraphML), or a Network Canvas folder.
    roster
        The project's people.
    key
        The project key; needed only when ``aliases`` add new people.
    aliases
        Earlier decisions about names (:func:`~onatool.io.matching.load_aliases`).
    wave
        Wave label (default: the file's stem).

    Returns
    -------
    network, roster, report
        The roster returned includes any people added by "new person" decisions; the
        report covers the export's rows (merge the roster's own report to show both).

    Raises
    ------
    InputFormatError
        The file does not fit the recipe (named columns or questions missing).
    """
    responses = Path(responses)
    aliases = dict(aliases or {})
    new_people = [a.name or a.raw or a.text for a in aliases.values()
                  if isinstance(a, Alias) and a.decision == "new person"]
    if new_people:
        if key is None:
            raise InputFormatError("the alias file adds new people, which needs the project key",
                                   expected="the project's key passed to apply()")
        roster = add_people(roster, new_people, key=key)
    resolve = resolve_with(roster.index(aliases))

    report = ImportReport()
    items = _items(recipe, responses, report, resolve)
    network = assemble(
        roster, items, report=report, wave=wave or responses.stem, relations=recipe.relation_metadata(),
        scales=recipe.relation_scales(), resolve=resolve,
    )
    return network, roster, report


def _items(recipe: Recipe, path: Path, report: ImportReport, resolve) -> pd.DataFrame:
    if recipe.layout == "edge_list":
        items, _ = layouts.edge_list_items(path, report=report, sheet=recipe.sheet, relation=recipe.relation or "tie")
        return items
    if recipe.layout == "matrix":
        return layouts.matrix_items(path, report=report, relation=recipe.relation)
    if recipe.layout == netcanvas.LAYOUT:
        export = netcanvas.read_netcanvas(path)
        plan = netcanvas.EgoPlan(
            recipe.identity or "networkCanvasCaseID", recipe.alter_name, tuple(recipe.questions),
            recipe.relation or "tie", "earliest" if recipe.duplicates == "earliest" else "latest",
        )
        return netcanvas.netcanvas_items(export, plan, report=report, resolve=resolve)
    plan = recipe.plan()
    tables = _tables(recipe, path)
    frames = []
    for table in tables:
        questions = tuple(q for q in plan.questions if table.find_question(q.question))
        if len(tables) > 1 and not questions:
            report.note(f"{table.file} [{table.sheet}]: not read (none of the recipe's questions).")
            continue
        sub = replace(plan, questions=questions) if len(tables) > 1 else plan
        frames.append(survey_items(table, sub, report=report, resolve=resolve))
    if not frames:
        raise InputFormatError(
            "no sheet holds any of the recipe's questions",
            expected="the questions named in the recipe: "
            + "; ".join(repr(q.question) for q in plan.questions),
            place=Place(file=path.name),
        )
    return pd.concat(frames, ignore_index=True)


def _tables(recipe: Recipe, path: Path) -> list[SurveyTable]:
    sheets = read_sheets(path, header_rows=0)
    if recipe.sheet is not None:
        sheets = [s for s in sheets if s.sheet == recipe.sheet]
        if not sheets:
            raise InputFormatError(f"no sheet named {recipe.sheet!r}", expected="the sheet the recipe names",
                                   place=Place(file=path.name))
    elif recipe.layout not in (grid.LAYOUT, "multi_select"):
        sheets = sheets[:1]
    tables = []
    for sheet in sheets:
        if recipe.layout == grid.LAYOUT:
            tables.append(grid.parse(sheet, identity=_position(sheet, recipe.identity)))
        else:
            tables.append(layouts.parse_sheet(sheet, recipe.layout))
    return tables


def _position(sheet, header: str | None) -> int:
    headers = [str(h).strip() for h in sheet.data.iloc[0]]
    if header and header in headers:
        return headers.index(header)
    return 0


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
        more = [_detect_table(grid.parse(s, identity=_position(s, detection.identity)) if found == grid.LAYOUT
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
    for question, columns in table.questions().items():
        if len(columns) == 1 and columns[0].header in role_headers | {identity}:
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
        if column.label or column.header in skip:
            continue
        values = [v for v in table.values(column) if v]
        if not values:
            continue
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
        share = None
        if resolve is not None:
            share = sum(resolve(v).matched for v in values[:500]) / min(len(values), 500)
        if share is not None and share >= 0.5:
            scored.append((column.header, kind or "name", round(share, 3)))
        elif kind:
            # What the header and answers say (emails first, then ids, then a "who are you"
            # question), when the roster cannot confirm it: say, nobody in it answered yet.
            scored.append((column.header, kind, round(share or 0.0, 3)))
    order = {"email": 0, "id": 1, "name": 2}
    return sorted(scored, key=lambda c: (c[2] < 0.5, -c[2] if c[2] >= 0.5 else 0, order.get(c[1], 3)))


def _guess(table: SurveyTable, question: str, columns, resolve) -> QuestionGuess:
    cells = [v for c in columns for v in table.values(c) if v]
    samples = tuple(dict.fromkeys(cells))[:5]
    relation = suggest_relation(question)
    if any(not lists_names(c) for c in columns):
        labels = [c.label for c in columns if not lists_names(c)]
        people = sum(resolve(label).matched for label in labels) / len(labels) if resolve and labels else None
        answers = tuple(sorted({v for v in cells if normalise_name(v) not in {normalise_name(x) for x in labels}},
                               key=str.casefold))
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
    words = [a for a in answers if not _number(a)]
    if not words:
        return None, ()  # numbers (codes) are read as weights; negative codes as not applicable
    best, best_unknown = None, tuple(words)
    for name, scale in SCALES.items():
        folded = {k.casefold() for k in scale}
        unknown = tuple(w for w in words if w.casefold() not in folded)
        if len(unknown) < len(best_unknown):
            best, best_unknown = name, unknown
    return best, best_unknown


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
    alter_columns = list(dict.fromkeys(k for a in export.alters for k in a if not k.startswith("_")))
    for column in alter_columns:
        values = {str(a.get(column, "")).strip().casefold() for a in export.alters} - {""}
        if values and values <= {"true", "false", "1", "0"}:
            relation = suggest_relation(column) or _relation_name(column)
            flags.append(QuestionGuess(column, NAMES, 1, True, relation, tuple(sorted(values))))
    dropped = tuple((c, "ego variable, not read") for c in ego_columns if c not in {x[0] for x in candidates[:1]})
    notes = ()
    if export.edges:
        notes = (f"{len(export.edges)} ties between named people (as respondents see them) are not imported.",)
    return Detection(netcanvas.LAYOUT, path.name, None, candidates[0][0] if candidates else "networkCanvasCaseID",
                     tuple(candidates), tuple(flags), dropped, notes=notes)


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
        questions.append(RelationQuestion(guess.question, _relation_name(relation), guess.kind, separator, scale))
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


def resolve_with(index: RosterIndex):
    """A cached resolver over a roster index (what :func:`apply` uses)."""
    cache: dict[str, Match] = {}

    def resolve(text: object) -> Match:
        key = "" if text is None else str(text)
        if key not in cache:
            cache[key] = index.resolve(key)
        return cache[key]

    return resolve
