"""Recipes: how a survey export was read, saved so the next wave imports in one step.

A practitioner confirms once what the import wizard detected: the layout, the column
that says who answered, which questions are relations (and their names), how answer
words become weights (scales), what to do with duplicate submissions, how the roster's
headers and values map. That is a :class:`Recipe`, saved as YAML (or JSON). The next
wave's export is read with :func:`apply`; a file that no longer fits (a question
renamed, the identity column gone) gives one :class:`~onatool.errors.InputFormatError`
naming the missing columns and the likely new names.

:func:`~onatool.io.detect.detect` is the wizard's first step: it reads a file, says which layout it gives
away, which column identifies respondents, which questions look like relations (with
sample answers and a suggested scale), and which columns would be dropped and why.
:func:`~onatool.io.detect.recipe_from_detection` turns the confirmed detection into a recipe (both
live in :mod:`onatool.io.detect` and are re-exported here).
"""

from __future__ import annotations

import json
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
    survey_items,
)
from onatool.io.matching import Alias, Match, RosterIndex
from onatool.io.report import ImportReport
from onatool.io.result import ImportResult
from onatool.io.roster import Roster, add_people
from onatool.io.tables import read_sheets

__all__ = [
    "NOT_APPLICABLE_WORDS",
    "SCALES",
    "Recipe",
    "apply",
    "load_recipe",
    "resolve_with",
    "save_recipe",
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
    ratings
        PARTNER trust and value grids: ``{question, statement, organisation, dimension}``
        per column (the grid's question and row, the organisation rated, the dimension);
        read by :func:`onatool.io.ratings.ratings_from_export`, not by :func:`apply`.
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
    ratings: tuple[Mapping[str, str], ...] = ()

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
        if self.ratings:
            data["ratings"] = [dict(entry) for entry in self.ratings]
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
                 "relation", "ratings"}
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
                str(entry["question"]), relation_name(entry["relation"]), kind,
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
            relation=data.get("relation"), ratings=_ratings_entries(data.get("ratings"), place),
        )
        for question in recipe.questions:
            if question.scale is not None and question.scale not in scales:
                raise InputFormatError(
                    f"question {question.question!r} uses scale {question.scale!r}, which the recipe lacks",
                    expected=f"a scale under 'scales' (it has {', '.join(scales) or 'none'})",
                    place=place,
                )
        return recipe


def relation_name(name: object) -> str:
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


def _ratings_entries(entries: object, place: Place) -> tuple[dict[str, str], ...]:
    """A recipe's ``ratings`` list, checked: each entry names its column and what it holds."""
    keys = ("question", "statement", "organisation", "dimension")
    out = []
    for number, entry in enumerate(entries or [], start=1):
        if not isinstance(entry, Mapping) or any(not entry.get(k) for k in keys):
            raise InputFormatError(f"ratings entry {number} needs {', '.join(keys)}",
                                   expected="entries such as {question: ..., statement: 'Reliability: ...', "
                                            "organisation: Council, dimension: reliability}", place=place)
        out.append({k: str(entry[k]) for k in keys})
    return tuple(out)


def apply(
    recipe: Recipe,
    responses: str | Path,
    roster: Roster,
    *,
    key: bytes | None = None,
    aliases: Mapping[str, Alias | str | None] | None = None,
    wave: str | None = None,
) -> ImportResult:
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
    ImportResult
        The network; the roster used, with any people added by "new person" decisions;
        the report of the roster's rows and the export's; and this recipe.

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
    index = roster.index(aliases)
    index.place = Place(file=responses.name)  # a refusal (too many free-text names) names the file
    resolve = resolve_with(index)

    report = ImportReport()
    items = _items(recipe, responses, report, resolve)
    items, attributes = items if isinstance(items, tuple) else (items, None)
    network = assemble(
        roster, items, report=report, wave=wave or responses.stem, relations=recipe.relation_metadata(),
        scales=recipe.relation_scales(), resolve=resolve, attributes=attributes,
    )
    return ImportResult(network, roster, roster.report.merge(report), recipe)


def _items(recipe: Recipe, path: Path, report: ImportReport, resolve) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """The answers as items; a Network Canvas export also gives person attributes."""
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
            tables.append(grid.parse(sheet, identity=header_position(sheet, recipe.identity)))
        else:
            tables.append(layouts.parse_sheet(sheet, recipe.layout))
    return tables


def header_position(sheet, header: str | None) -> int:
    headers = [str(h).strip() for h in sheet.data.iloc[0]]
    if header and header in headers:
        return headers.index(header)
    return 0


def resolve_with(index: RosterIndex):
    """A cached resolver over a roster index (what :func:`apply` uses)."""
    cache: dict[str, Match] = {}

    def resolve(text: object) -> Match:
        key = "" if text is None else str(text)
        if key not in cache:
            cache[key] = index.resolve(key)
        return cache[key]

    return resolve
