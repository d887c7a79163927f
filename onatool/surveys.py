"""Survey instruments: the questions, their scales, and ready-to-send survey files.

An instrument (``surveys/*.yaml``) defines each relationship question: its wording, the
relation it measures (a name from :data:`onatool.schema.RELATIONS`), its answer scale
with weights, and whether the relationship is mutual by nature. From an instrument and
a roster this module writes:

- an Excel roster grid to send to each respondent (:func:`write_grid_template`): one
  sheet per question listing everyone on the roster, with a drop-down of the scale's
  answers; returned copies are turned into one edge list by :func:`collect_returns`;
- the text to build the by-organisation form (open to anyone with the link, names
  asked organisation by organisation) in Microsoft Forms, Qualtrics and Google Forms,
  the recipe that reads each one's export in one step, and the guide to piloting,
  sending and reminders (:func:`write_survey_pack`; the layout itself is
  :mod:`onatool.survey_design`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io.recipe import Recipe
from onatool.io.roster import Roster

__all__ = [
    "PARTNER_SHEET",
    "Instrument",
    "InstrumentQuestion",
    "OrganisationQuestions",
    "RatingStatement",
    "collect_ratings",
    "collect_returns",
    "forms_recipe",
    "forms_text",
    "instruments_dir",
    "list_instruments",
    "load_instrument",
    "write_grid_template",
    "write_survey_pack",
]

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class InstrumentQuestion:
    """One relationship question of an instrument."""

    relation: str
    label: str
    wording: str
    scale: str
    symmetric: bool = False
    help: str = ""
    name_first: str = ""  # a scale question: who is named before strength is asked (Qualtrics)
    themes: tuple[str, ...] = ()  # the partnership's themes it speaks to (onatool.share.themes)


@dataclass(frozen=True)
class RatingStatement:
    """One PARTNER dimension as the form asks it: a statement rated on the PARTNER scale.

    Attributes
    ----------
    dimension
        Its name in :data:`onatool.schema.PARTNER_VALUE` or :data:`~onatool.schema.PARTNER_TRUST`.
    kind
        ``value`` or ``trust``.
    label, wording
        Its short name and what it means; the form's row reads ``label: wording``.
    themes
        The partnership's themes it speaks to.
    """

    dimension: str
    kind: str
    label: str
    wording: str
    themes: tuple[str, ...] = ()

    @property
    def row(self) -> str:
        """The statement as one row of the form's grid (the same text on every platform)."""
        return f"{self.label}: {self.wording}"


@dataclass(frozen=True)
class OrganisationQuestions:
    """PARTNER's organisation-level trust and value questions (Varda et al. 2008).

    Asked once for each partner organisation the respondent works with, as one grid:
    :attr:`wording` (with ``{organisation}``) over the six :attr:`statements`, answered
    on :attr:`scale` (PARTNER's 1-4, :data:`onatool.schema.PARTNER_SCALE`).
    """

    wording: str
    statements: tuple[RatingStatement, ...]
    scale: str = "partner"
    help: str = ""

    def question(self, organisation: str) -> str:
        """The grid's question for one organisation (unique in the form)."""
        return self.wording.format(organisation=organisation)

    @property
    def answers(self) -> tuple[str, ...]:
        """The scale's words, 1 to 4."""
        return tuple(schema.PARTNER_SCALE[score] for score in sorted(schema.PARTNER_SCALE))

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for s in self.statements for t in s.themes))


@dataclass(frozen=True)
class Instrument:
    """A survey instrument: questions, answer scales and the words around them.

    Attributes
    ----------
    name
        Short name (the file's stem).
    title, introduction
        What respondents read first.
    identity
        ``{"wording": ..., "help": ..., "name_wording": ...}``: the email question, its
        help, and the name question (the form is open to anyone, so it asks both).
    scales
        Scale name -> ordered ``(answer, weight)`` pairs; a weight of None is "not
        applicable" (never a tie).
    questions
        The relationship questions, in order.
    design
        How the by-organisation form is laid out (:mod:`onatool.survey_design`):
        ``max_per_list``, ``gate``, ``organisations_question``.
    organisation_questions
        PARTNER's trust and value questions about each partner organisation, or None.
    """

    name: str
    title: str
    introduction: str
    identity: Mapping[str, str]
    scales: Mapping[str, tuple[tuple[str, float | None], ...]]
    questions: tuple[InstrumentQuestion, ...]
    version: int = 1
    design: Mapping[str, object] = field(default_factory=dict)
    organisation_questions: OrganisationQuestions | None = None

    def scale_map(self, name: str) -> dict[str, float | None]:
        """A scale as ``{answer: weight}``."""
        return dict(self.scales[name])

    def is_tick(self, question: InstrumentQuestion) -> bool:
        """Whether a question is answered by selecting people (a one-answer scale)."""
        return len(self.scales[question.scale]) == 1

    def relations(self) -> dict[str, schema.Relation]:
        """Relation metadata for :class:`~onatool.network.Network`."""
        return {q.relation: schema.Relation(q.relation, q.label, q.symmetric, q.wording) for q in self.questions}


def instruments_dir() -> Path:
    """The folder of bundled instruments (``$ONATOOL_SURVEYS_DIR`` overrides)."""
    return Path(os.environ.get("ONATOOL_SURVEYS_DIR", Path(__file__).resolve().parents[1] / "surveys"))


def list_instruments() -> list[str]:
    """Names of the bundled instruments."""
    folder = instruments_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.exists() else []


def load_instrument(name_or_path: str | Path) -> Instrument:
    """Read an instrument by name (bundled) or from a YAML file.

    Raises
    ------
    InputFormatError
        Not found, unreadable, or a question whose relation, wording or scale is
        missing, or a scale without answers or with a non-numeric weight.

    Examples
    --------
    >>> ics = load_instrument("ics_relationships")
    >>> [q.relation for q in ics.questions]
    ['advice', 'collaboration', 'trust', 'concern', 'met']
    >>> ics.scale_map("frequency")["Never"], ics.relations()["collaboration"].symmetric
    (0, True)
    """
    import yaml

    path = Path(name_or_path)
    if not path.suffix:
        path = instruments_dir() / f"{name_or_path}.yaml"
    place = Place(file=path.name)
    if not path.exists():
        raise InputFormatError(
            "no such instrument", expected=f"a YAML file, or one of {list_instruments()}", place=place
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputFormatError(f"the instrument cannot be read ({type(exc).__name__})",
                               expected="a YAML instrument like surveys/ics_relationships.yaml", place=place) from None
    if not isinstance(data, dict):
        raise InputFormatError("the instrument is not a mapping", expected="keys such as 'questions'", place=place)
    scales = {}
    for scale_name, scale in (data.get("scales") or {}).items():
        answers = scale.get("answers") if isinstance(scale, dict) else None
        if not answers:
            raise InputFormatError(f"scale {scale_name!r} has no answers", expected="a list of {answer, weight}",
                                   place=place)
        pairs = []
        for entry in answers:
            weight = entry.get("weight")
            if weight is not None and not isinstance(weight, int | float):
                raise InputFormatError(f"scale {scale_name!r}: {entry.get('answer')!r} has weight {weight!r}",
                                       expected="a number, or null for 'not applicable'", place=place)
            pairs.append((str(entry["answer"]), weight))
        scales[str(scale_name)] = tuple(pairs)
    questions = []
    for number, q in enumerate(data.get("questions") or [], start=1):
        missing = [k for k in ("relation", "wording", "scale") if not (isinstance(q, dict) and q.get(k))]
        if missing:
            raise InputFormatError(f"question {number} lacks {', '.join(missing)}",
                                   expected="relation, wording and scale for every question", place=place)
        if q["scale"] not in scales:
            raise InputFormatError(f"question {number} uses scale {q['scale']!r}",
                                   expected=f"one of the instrument's scales {sorted(scales)}", place=place)
        base = schema.RELATIONS.get(q["relation"])
        questions.append(InstrumentQuestion(
            q["relation"], q.get("label") or (base.label if base else q["relation"]), q["wording"], q["scale"],
            bool(q.get("symmetric", base.symmetric if base else False)), q.get("help", ""),
            q.get("name_first", ""), tuple(str(t) for t in q.get("themes") or ()),
        ))
    if not questions:
        raise InputFormatError("the instrument has no questions", expected="a 'questions' list", place=place)
    return Instrument(
        data.get("instrument", path.stem), data.get("title", path.stem), data.get("introduction", ""),
        dict(data.get("identity") or {"wording": "What is your work email address?"}), scales,
        tuple(questions), int(data.get("version", 1)), dict(data.get("design") or {}),
        _organisation_questions(data.get("organisation_questions"), scales, place),
    )


def _organisation_questions(data: object, scales: Mapping[str, tuple], place: Place) -> OrganisationQuestions | None:
    """PARTNER's questions from an instrument's ``organisation_questions:`` section, checked.

    Raises
    ------
    InputFormatError
        A wording without ``{organisation}``, a scale that is not PARTNER's 1-4, or
        dimensions other than the six PARTNER asks (three under ``value``, three under
        ``trust``).
    """
    if data is None:
        return None
    expected = "PARTNER's six dimensions: value " + ", ".join(schema.PARTNER_VALUE) + "; trust " \
        + ", ".join(schema.PARTNER_TRUST)
    if not isinstance(data, dict) or "{organisation}" not in str(data.get("wording", "")):
        raise InputFormatError("organisation_questions needs a wording naming {organisation}",
                               expected="wording: '... {organisation} ...'", place=place)
    scale = str(data.get("scale", "partner"))
    words = tuple((answer, weight) for answer, weight in scales.get(scale, ()))
    if words != tuple((text, score) for score, text in sorted(schema.PARTNER_SCALE.items())):
        raise InputFormatError(f"organisation_questions uses scale {scale!r}, which is not PARTNER's",
                               expected="a scale of " + ", ".join(f"{t} = {s}" for s, t in
                                                                   sorted(schema.PARTNER_SCALE.items())),
                               place=place)
    statements = []
    for kind, wanted in (("value", schema.PARTNER_VALUE), ("trust", schema.PARTNER_TRUST)):
        entries = data.get(kind) or []
        if sorted(str(e.get("dimension")) for e in entries if isinstance(e, dict)) != sorted(wanted) \
                or len(entries) != len(wanted):
            raise InputFormatError(f"organisation_questions: the {kind} dimensions are not PARTNER's",
                                   expected=expected, place=place)
        for entry in entries:
            if not entry.get("wording"):
                raise InputFormatError(f"organisation_questions: {entry['dimension']} has no wording",
                                       expected="a wording for every dimension", place=place)
            statements.append(RatingStatement(
                entry["dimension"], kind, str(entry.get("label") or entry["dimension"].replace("_", " ").capitalize()),
                str(entry["wording"]).strip(), tuple(str(t) for t in entry.get("themes") or ())))
    return OrganisationQuestions(str(data["wording"]), tuple(statements), scale, str(data.get("help", "")).strip())


# The Excel roster grid -----------------------------------------------------------------------


def _people(roster: Roster) -> pd.DataFrame:
    ids = roster.identities
    key = schema.ID if schema.ID in ids.columns and ids[schema.ID].astype(str).str.strip().ne("").all() else schema.EMAIL
    table = pd.DataFrame({
        "roster_id": ids[key].astype(str),
        "name": ids[schema.NAME].astype(str) if schema.NAME in ids.columns else ids[key].astype(str),
        "organisation": roster.people.get(schema.ORGANISATION, pd.Series("", index=ids.index)).reindex(ids.index)
        .fillna("").astype(str),
    })
    return table.sort_values(["organisation", "name"], key=lambda s: s.str.casefold()).reset_index(drop=True)


def _sheet_name(label: str, used: set[str]) -> str:
    name = _SHEET_BAD.sub(" ", label).strip()[:31] or "Question"
    base, n = name, 2
    while name.casefold() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.casefold())
    return name


def write_grid_template(instrument: Instrument, roster: Roster, path: str | Path) -> Path:
    """Write the Excel roster grid a respondent fills in.

    A "Start here" sheet holds the introduction and the respondent's email; each
    question has a sheet listing everyone on the roster (by organisation, then name)
    with an answer cell restricted by a drop-down to the scale's answers. Text is
    written as text, never as a formula, whatever a name starts with.

    Returns
    -------
    Path
        The workbook written.
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    people = _people(roster)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                          "strings_to_numbers": False})
    try:
        title = book.add_format({"bold": True, "font_size": 14})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        head = book.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"})
        answer = book.add_format({"bg_color": "#FFF9DB", "border": 1, "locked": False})
        start = book.add_worksheet("Start here")
        start.set_column(0, 0, 34)
        start.set_column(1, 1, 60)
        start.write_string(0, 0, instrument.title, title)
        start.write_string(2, 0, instrument.introduction.strip(), wrap)
        start.set_row(2, 90)
        start.write_string(4, 0, instrument.identity.get("wording", "Your work email address"), head)
        start.write_string(4, 1, "", answer)
        start.write_string(5, 0, instrument.identity.get("help", ""), wrap)
        start.write_string(7, 0, "How to answer", head)
        for row, q in enumerate(instrument.questions, start=8):
            how = "choose Yes beside each person who applies" if instrument.is_tick(q) else \
                "choose an answer beside each person"
            start.write_string(row, 0, q.label)
            start.write_string(row, 1, f"{q.wording} ({how}; leave the rest blank)", wrap)
        start.write_string(8 + len(instrument.questions) + 1, 0,
                           f"onatool instrument: {instrument.name} v{instrument.version}")
        used = {"start here"}
        for q in instrument.questions:
            sheet = book.add_worksheet(_sheet_name(q.label, used))
            sheet.write_string(0, 0, q.wording, title)
            sheet.write_string(1, 0, q.help, wrap)
            for column, text in enumerate(("Roster id", "Name", "Organisation", "Your answer")):
                sheet.write_string(3, column, text, head)
            for row, person in enumerate(people.itertuples(index=False), start=4):
                sheet.write_string(row, 0, person.roster_id)
                sheet.write_string(row, 1, person.name)
                sheet.write_string(row, 2, person.organisation)
                sheet.write_blank(row, 3, None, answer)
            last = 3 + len(people)
            answers = [a for a, _ in instrument.scales[q.scale]]
            sheet.data_validation(4, 3, max(4, last), 3, {
                "validate": "list", "source": answers, "ignore_blank": True,
                "input_title": "Your answer", "input_message": ", ".join(answers)[:255],
                "error_title": "Not an answer", "error_message": "Choose from the list, or leave blank.",
            })
            sheet.set_column(0, 0, 12, None, {"hidden": True})
            sheet.set_column(1, 1, 30)
            sheet.set_column(2, 2, 44)
            sheet.set_column(3, 3, 24)
            sheet.freeze_panes(4, 2)
            sheet.autofilter(3, 1, max(3, last), 3)
        if instrument.organisation_questions is not None:
            _partner_sheet(book, instrument.organisation_questions, people, title, wrap, head, answer)
    finally:
        book.close()
    return path


#: The grid's sheet of PARTNER's trust and value questions, one row per organisation.
PARTNER_SHEET = "Partner organisations"


def _partner_sheet(book, partner: OrganisationQuestions, people: pd.DataFrame, title, wrap, head, answer) -> None:
    """PARTNER's six statements as columns, each organisation on the roster as a row, answers by drop-down."""
    sheet = book.add_worksheet(PARTNER_SHEET)
    sheet.write_string(0, 0, partner.question("each organisation you work with"), title)
    sheet.write_string(1, 0, partner.help, wrap)
    organisations = sorted({o for o in people["organisation"] if o}, key=str.casefold)
    sheet.write_string(3, 0, "Organisation", head)
    for column, statement in enumerate(partner.statements, start=1):
        sheet.write_string(2, column, statement.wording, wrap)
        sheet.write_string(3, column, statement.label, head)
        sheet.set_column(column, column, 22)
    sheet.set_row(2, 90)
    for row, organisation in enumerate(organisations, start=4):
        sheet.write_string(row, 0, organisation)
        for column in range(1, len(partner.statements) + 1):
            sheet.write_blank(row, column, None, answer)
    last = 3 + len(organisations)
    sheet.data_validation(4, 1, max(4, last), len(partner.statements), {
        "validate": "list", "source": list(partner.answers), "ignore_blank": True,
        "error_title": "Not an answer", "error_message": "Choose from the list, or leave blank."})
    sheet.set_column(0, 0, 44)
    sheet.freeze_panes(4, 1)


def collect_ratings(paths: Iterable[str | Path], instrument: Instrument) -> pd.DataFrame:
    """Returned roster grids -> one ratings sheet of PARTNER's trust and value answers.

    Returns
    -------
    pandas.DataFrame
        ``email, partner`` and one column per statement (headed by its label), one row
        per respondent and organisation they rated, answers as written: read it with
        :func:`onatool.io.ratings.read_ratings` (which reports any answer off the scale).

    Raises
    ------
    InputFormatError
        The instrument has no PARTNER questions, or a workbook lacks the respondent's
        email or the partner sheet.
    """
    from onatool.io.tables import read_sheets

    partner = instrument.organisation_questions
    if partner is None:
        raise InputFormatError("the instrument has no organisation_questions",
                               expected="an instrument with PARTNER's trust and value questions")
    labels = [s.label for s in partner.statements]
    rows = []
    for path in paths:
        path = Path(path)
        sheets = {s.sheet: s for s in read_sheets(path, header_rows=0)}
        start, grid = sheets.get("Start here"), sheets.get(PARTNER_SHEET)
        email = str(start.data.iloc[4, 1]).strip() if start is not None and start.data.shape[0] > 4 \
            and start.data.shape[1] > 1 else ""
        if not email:
            raise InputFormatError("no email address given on the 'Start here' sheet",
                                   expected="the respondent's email in cell B5", place=Place(path.name, "Start here", 5, "B"))
        if grid is None:
            raise InputFormatError(f"no sheet {PARTNER_SHEET!r}", expected="the workbook as the survey sent it",
                                   place=Place(file=path.name))
        for values in grid.data.iloc[4:].itertuples(index=False):
            cells = [str(v).strip() for v in values] + [""] * (len(labels) + 1)
            if cells[0] and any(cells[1 : len(labels) + 1]):
                rows.append([email, cells[0], *cells[1 : len(labels) + 1]])
    return pd.DataFrame(rows, columns=["email", "partner", *labels])


def collect_returns(paths: Iterable[str | Path], instrument: Instrument) -> pd.DataFrame:
    """Returned roster grids -> one canonical edge list.

    Parameters
    ----------
    paths
        Filled copies of :func:`write_grid_template`'s workbook.
    instrument
        The instrument they were made from.

    Returns
    -------
    pandas.DataFrame
        ``source, target, relation, raw_value``: source is the email each respondent
        gave, target the roster id; a respondent who answered nothing gets one row with
        a blank target (a respondent who named nobody). Import it with
        ``onatool import --ties`` and the instrument's scales.

    Raises
    ------
    InputFormatError
        A workbook without the respondent's email or without a question's sheet.
    """
    from onatool.io.tables import read_sheets

    rows = []
    for path in paths:
        path = Path(path)
        sheets = {s.sheet: s for s in read_sheets(path, header_rows=0)}
        start = sheets.get("Start here")
        email = str(start.data.iloc[4, 1]).strip() if start is not None and start.data.shape[0] > 4 \
            and start.data.shape[1] > 1 else ""
        if not email:
            raise InputFormatError("no email address given on the 'Start here' sheet",
                                   expected="the respondent's email in cell B5", place=Place(path.name, "Start here", 5, "B"))
        found = 0
        used = {"start here"}
        for q in instrument.questions:
            name = _sheet_name(q.label, used)
            sheet = sheets.get(name)
            if sheet is None:
                raise InputFormatError(f"no sheet {name!r}", expected="the workbook as the survey sent it",
                                       place=Place(file=path.name))
            body = sheet.data.iloc[4:]
            for values in body.itertuples(index=False):
                cells = [str(v).strip() for v in values] + [""] * 4
                if cells[0] and cells[3]:
                    rows.append((email, cells[0], q.relation, cells[3]))
                    found += 1
        if not found:
            rows.append((email, "", "", ""))
    return pd.DataFrame(rows, columns=[schema.SOURCE, schema.TARGET, schema.RELATION, schema.RAW_VALUE])


# Platform forms -------------------------------------------------------------------------------


def forms_text(instrument: Instrument, roster: Roster) -> str:
    """The text to build the by-organisation form in Microsoft Forms (Markdown).

    Anyone with the link can respond; name and email are asked first; each organisation
    is opened by a Yes/No question (see :mod:`onatool.survey_design`).
    """
    from onatool.survey_design import FORMS, design_form, platform_guide

    return platform_guide(design_form(instrument, roster), FORMS)


def forms_recipe(instrument: Instrument, roster: Roster) -> Recipe:
    """The recipe that reads a Microsoft Forms export of the form :func:`forms_text` describes."""
    from onatool.survey_design import FORMS, design_form, platform_recipe

    return platform_recipe(design_form(instrument, roster), FORMS)


#: File names of each platform's guide and recipe in a survey pack.
PACK_FILES = {"microsoft_forms": ("forms", "forms_recipe.yaml"), "qualtrics": ("qualtrics", "qualtrics_recipe.yaml"),
              "google_forms": ("google", "google_recipe.yaml")}


def write_survey_pack(instrument: Instrument, roster: Roster, out: str | Path, *,
                      max_per_list: int | None = None, recall: str | None = None) -> list[Path]:
    """Everything to run the survey.

    The Excel roster grid; for Microsoft Forms, Qualtrics and Google Forms the text to
    build the by-organisation form (``NAME_forms.md``, ``NAME_qualtrics.md``,
    ``NAME_google.md``) and the recipe that imports its export; the guide to piloting,
    sending and reminders with the minutes to complete (``NAME_sending.md``); and,
    when two people share a name, the alias file that tells them apart.
    ``max_per_list`` and ``recall`` override the instrument's ``design``
    (:func:`onatool.survey_design.design_form`).
    """
    from onatool.io.matching import save_aliases
    from onatool.io.recipe import save_recipe
    from onatool.survey_design import design_form, platform_guide, platform_recipe, sending_guide

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    design = design_form(instrument, roster, max_per_list=max_per_list, recall=recall)
    written = [write_grid_template(instrument, roster, out / f"{instrument.name}_grid.xlsx")]
    for platform, (stem, recipe_name) in PACK_FILES.items():
        text = out / f"{instrument.name}_{stem}.md"
        text.write_text(platform_guide(design, platform), encoding="utf-8")
        written += [text, save_recipe(platform_recipe(design, platform), out / recipe_name)]
    sending = out / f"{instrument.name}_sending.md"
    sending.write_text(sending_guide(design), encoding="utf-8")
    written.append(sending)
    if design.aliases:
        written.append(save_aliases(design.aliases, out / "survey_aliases.yaml"))
    return written
