"""Answers to the by-organisation form, written as each platform's export lays them out.

Given a :class:`~onatool.survey_design.FormDesign` and what each respondent answered
(:class:`Answers`, usually made from canonical ties by :func:`answers_from_ties`),
:func:`render` writes the rows Microsoft Forms, Qualtrics or Google Forms would export
for that form:

- Microsoft Forms ("Open in Excel"): ``ID, Start time, Completion time, Email, Name``
  (``anonymous`` and blank: the form is open to anyone), then one column per question
  in form order: the name and email typed, each organisation's Yes/No question, each
  list's multi-select (choices ``;``-separated with a trailing ``;``) and Likert (one
  column per person, ``Question.Name``);
- Qualtrics (CSV, choice text): three header rows (export tags, question text,
  ``{"ImportId": ...}``), the platform's metadata columns, then the typed name and email,
  the organisations chosen, and per list the multi-selects (choices joined by ``,``),
  the "who do you know" question and the matrix carried forward from it (columns
  ``TAG_x1`` ..., answered only for the people named);
- Google Forms (sheet or CSV download): ``Timestamp`` (day-first, as a UK sheet shows
  it), ``Email address``, then the questions; checkboxes ``, ``-separated, grid rows
  ``Question [Name]``.

Skipped sections are blank, as each platform leaves them. The sample's exports
(``sample_data/forms_export.py``) and the round-trip tests are built on this.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool.survey_design import (
    FORMS,
    GOOGLE,
    GOOGLE_EMAIL,
    QUALTRICS,
    QUALTRICS_EMAIL_TAG,
    QUALTRICS_NAME_TAG,
    QUALTRICS_ORGS_TAG,
    FormDesign,
)

__all__ = ["FREE", "Answers", "add_ratings", "answers_from_ties", "render", "write_export"]

#: The list key of names typed into a free-recall question (``recall="free"``).
FREE = "free"

FORMS_META = ["ID", "Start time", "Completion time", "Email", "Name"]
#: Qualtrics metadata columns: export tag, question text, ImportId.
QUALTRICS_META = [
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "Europe/London"}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "Europe/London"}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
    ("Progress", "Progress", {"ImportId": "progress"}),
    ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "Europe/London"}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
    ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
]


@dataclass
class Answers:
    """One submission of the form, platform-neutral.

    Attributes
    ----------
    email, name
        As the respondent typed them.
    started, completed
        When they opened and submitted it.
    ticks
        ``(list key, relation) -> labels ticked`` for the multi-select questions.
    scales
        ``(list key, relation) -> {label: answer}`` for the strength questions.
    others
        ``(list key, relation) -> texts`` typed into a multi-select's "Other" box
        (Microsoft Forms and Google Forms; Qualtrics' would be a ``_TEXT`` column).
    sections
        Numbers of the sections the respondent opened (said they work with).
    ratings
        ``organisation -> {dimension: answer}``: PARTNER's trust and value grid about
        each organisation rated (its section must be opened; see :func:`add_ratings`).
    finished
        Whether they submitted the last page (Qualtrics records partial responses).
    """

    email: str
    name: str
    started: dt.datetime
    completed: dt.datetime
    ticks: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    scales: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    others: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    sections: set[int] = field(default_factory=set)
    ratings: dict[str, dict[str, str]] = field(default_factory=dict)
    finished: bool = True


def answers_from_ties(
    design: FormDesign, ties: pd.DataFrame, people: pd.DataFrame, *, start: dt.datetime, seed: int = 0,
) -> list[Answers]:
    """Each respondent's answers to the form, from canonical ties.

    Parameters
    ----------
    design
        The form (for the wave the ties belong to).
    ties
        ``source, target, relation, raw_value`` with roster ids; a blank target marks a
        respondent who named nobody.
    people
        The roster file's rows: ``id, name, email``.
    start
        When the survey opened; submissions fall in the following 18 days.
    seed
        For the submission times.

    Raises
    ------
    ValueError
        A tie whose target is on none of the form's lists, whose relation is not one
        of the instrument's questions, or whose answer is not on the question's scale.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    instrument = design.instrument
    questions = {q.relation: q for q in instrument.questions}
    place = design.place_of()
    who = people.set_index("id")
    out: list[Answers] = []
    for source, mine in ties.groupby("source", sort=False):
        done = start + dt.timedelta(minutes=int(rng.integers(60, 60 * 24 * 18)))
        began = done - dt.timedelta(minutes=int(rng.integers(4, 25)), seconds=int(rng.integers(0, 60)))
        answers = Answers(str(who.at[source, "email"]), str(who.at[source, "name"]), began, done)
        for row in mine.itertuples(index=False):
            if not isinstance(row.target, str) or not row.target:
                continue
            if row.target not in place:
                raise ValueError(f"{source} named {row.target} ({row.relation}), who is on none of the form's lists")
            if row.relation not in questions:
                raise ValueError(f"relation {row.relation!r} is not a question of {instrument.name}")
            section, name_list, label = place[row.target]
            q = questions[row.relation]
            if instrument.is_tick(q) and design.free:
                answers.ticks.setdefault((FREE, q.relation), []).append(label)
                continue
            answers.sections.add(section.number)
            if instrument.is_tick(q):
                answers.ticks.setdefault((name_list.key, q.relation), []).append(label)
            else:
                allowed = dict(instrument.scales[q.scale])
                if row.raw_value not in allowed:
                    raise ValueError(f"{source} answered {row.raw_value!r} about {row.target}: not on the "
                                     f"{q.scale} scale ({', '.join(allowed)})")
                answers.scales.setdefault((name_list.key, q.relation), {})[label] = row.raw_value
        out.append(answers)
    return out


def add_ratings(design: FormDesign, submissions: list[Answers], ratings: pd.DataFrame, *,
                start: dt.datetime) -> list[Answers]:
    """Add PARTNER trust and value answers to the submissions, opening each organisation rated.

    Parameters
    ----------
    design
        The form (with the instrument's ``organisation_questions``).
    submissions
        Answers so far (from :func:`answers_from_ties`); changed in place.
    ratings
        ``email, rated, dimension, answer`` (the scale's word, or anything else to plant
        an answer the import must report), one row per answer.
    start
        Submission time of a respondent who is not among ``submissions`` yet.

    Returns
    -------
    list of Answers
        ``submissions`` with respondents who only rated organisations added at the end.

    Raises
    ------
    ValueError
        An organisation the form does not rate, or a dimension it does not ask.
    """
    rated = {r.organisation: r for r in design.rated()}
    dimensions = {s.dimension for s in design.partner.statements} if design.partner else set()
    by_email = {a.email: a for a in submissions}
    for row in ratings.itertuples(index=False):
        if row.rated not in rated:
            raise ValueError(f"{row.rated!r} is not an organisation the form rates")
        if row.dimension not in dimensions:
            raise ValueError(f"{row.dimension!r} is not one of the form's PARTNER dimensions")
        answers = by_email.get(row.email)
        if answers is None:
            answers = by_email[row.email] = Answers(row.email, row.email.split("@")[0], start,
                                                    start + dt.timedelta(minutes=9))
            submissions.append(answers)
        answers.sections.add(rated[row.rated].section)
        answers.ratings.setdefault(row.rated, {})[row.dimension] = str(row.answer)
    return submissions


def _rating_cells(design: FormDesign, answers: Answers, section) -> list[object]:
    """One respondent's PARTNER grids in one section: a cell per organisation and statement."""
    opened = section.number in answers.sections
    cells: list[object] = []
    for rated in design.rated(section):
        given = answers.ratings.get(rated.organisation, {}) if opened else {}
        cells += [given.get(statement.dimension, "") for statement in design.partner.statements]
    return cells


def _in_option_order(labels: Iterable[str], options: Sequence[str]) -> list[str]:
    chosen = set(labels)
    return [o for o in options if o in chosen]


def render(design: FormDesign, submissions: Sequence[Answers], platform: str, *, seed: int = 0) -> list[list[object]]:
    """The export's rows, header rows first, submissions in the order given.

    Dates are :class:`datetime.datetime` for Microsoft Forms (an Excel file) and text
    for Qualtrics and Google Forms (CSV), as each platform writes them.
    """
    if platform == FORMS:
        return _forms(design, submissions)
    if platform == QUALTRICS:
        if any(key[0] != FREE for a in submissions for key in a.others):
            raise ValueError("the Qualtrics form has no 'Other' boxes (their text would come in separate "
                             "_TEXT columns): render Qualtrics answers without typed names")
        return _qualtrics(design, submissions, seed)
    if platform == GOOGLE:
        return _google(design, submissions)
    raise ValueError(f"unknown platform {platform!r}")


def _multi(design: FormDesign, answers: Answers, key: tuple[str, str], options: Sequence[str], joiner: str,
           trailing: bool) -> str:
    ticked = answers.ticks.get(key, [])
    picked = _in_option_order(ticked, options) + list(answers.others.get(key, []))
    if not picked:
        return ""
    return "".join(f"{p}{joiner}" for p in picked) if trailing else joiner.join(picked)


def _typed(answers: Answers, relation: str) -> str:
    """A free-recall answer: the names typed, one a line."""
    key = (FREE, relation)
    return "\n".join([*answers.ticks.get(key, []), *answers.others.get(key, [])])


def _answer_cells(design: FormDesign, answers: Answers, *, separator: str, trailing: bool) -> list[object]:
    """One respondent's cells after the identity columns, as Forms and Google Forms lay them out:
    typed names (free recall), then per organisation section its Yes/No gate and, per list,
    each tick question as one multi-select cell (``separator``-joined, with a ``trailing`` one
    as Forms writes) and each scale question as one cell per person."""
    instrument = design.instrument
    cells: list[object] = [_typed(answers, q.relation) for q in design.tick_questions() if design.free]
    for section in design.sections:
        opened = section.number in answers.sections
        cells.append("Yes" if opened else "No")
        cells += _rating_cells(design, answers, section)
        for name_list in section.lists:
            for q in design.listed_questions():
                key = (name_list.key, q.relation)
                if instrument.is_tick(q):
                    cells.append(_multi(design, answers, key, name_list.labels, separator, trailing)
                                 if opened else "")
                else:
                    given = answers.scales.get(key, {}) if opened else {}
                    cells += [given.get(label, "") for label in name_list.labels]
    return cells


def _forms(design: FormDesign, submissions: Sequence[Answers]) -> list[list[object]]:
    header: list[object] = [*FORMS_META, *(column[0] for column in design.forms_columns())]
    rows: list[list[object]] = [header]
    for number, answers in enumerate(submissions, start=1):
        row: list[object] = [number, answers.started, answers.completed, "anonymous", "", answers.name,
                             answers.email]
        row += _answer_cells(design, answers, separator=";", trailing=True)
        rows.append(row)
    return rows


def _google(design: FormDesign, submissions: Sequence[Answers]) -> list[list[object]]:
    instrument = design.instrument
    header: list[object] = ["Timestamp", GOOGLE_EMAIL, design.name_question]
    header += [design.free_question(q) for q in design.tick_questions() if design.free]
    for section in design.sections:
        header.append(design.gate(section))
        header += [f"{rated.question} [{row}]" for rated in design.rated(section) for row in design.rating_rows()]
        for name_list in section.lists:
            for q in design.listed_questions():
                text = design.question(q, name_list)
                header += [text] if instrument.is_tick(q) else [f"{text} [{label}]" for label in name_list.labels]
    rows: list[list[object]] = [header]
    for answers in submissions:
        row: list[object] = [answers.completed.strftime("%d/%m/%Y %H:%M:%S"), answers.email, answers.name]
        row += _answer_cells(design, answers, separator=", ", trailing=False)
        rows.append(row)
    return rows


def _qualtrics(design: FormDesign, submissions: Sequence[Answers], seed: int) -> list[list[object]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    instrument = design.instrument
    tags = [m[0] for m in QUALTRICS_META]
    texts = [m[1] for m in QUALTRICS_META]
    ids = [m[2] for m in QUALTRICS_META]
    qid = 0

    def add(tag: str, text: str, import_id: str) -> None:
        tags.append(tag)
        texts.append(text)
        ids.append({"ImportId": import_id})

    qid += 1
    add(QUALTRICS_NAME_TAG, design.name_question, f"QID{qid}_TEXT")
    qid += 1
    add(QUALTRICS_EMAIL_TAG, design.email_question, f"QID{qid}_TEXT")
    for q in design.tick_questions() if design.free else ():
        qid += 1
        add(f"free_{q.relation}", design.free_question(q), f"QID{qid}_TEXT")
    qid += 1
    add(QUALTRICS_ORGS_TAG, design.organisations_question, f"QID{qid}")
    for name_list in _blocks(design):
        if not hasattr(name_list, "roster_ids"):  # an organisation's PARTNER matrix
            qid += 1
            for i, row in enumerate(design.rating_rows(), start=1):
                add(f"{name_list.key}_partner_{i}", f"{name_list.question} - {row}", f"QID{qid}_{i}")
            continue
        for q in design.listed_questions():
            text = design.question(q, name_list)
            tag = f"{name_list.key}_{q.relation}"
            qid += 1
            if instrument.is_tick(q):
                add(tag, text, f"QID{qid}")
                continue
            add(f"{tag}_named", design.name_first(q, name_list), f"QID{qid}")
            qid += 1  # the matrix: its rows carried forward from the question above keep its choice numbers
            for i, label in enumerate(name_list.labels, start=1):
                add(f"{tag}_x{i}", f"{text} - {label}", f"QID{qid}_x{i}")
    rows: list[list[object]] = [tags, texts, [json.dumps(i, separators=(",", ":")) for i in ids]]
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
    for answers in submissions:
        seconds = int((answers.completed - answers.started).total_seconds())
        row: list[object] = [
            answers.started.strftime("%Y-%m-%d %H:%M:%S"), answers.completed.strftime("%Y-%m-%d %H:%M:%S"),
            "IP Address", f"203.0.113.{int(rng.integers(1, 255))}", 100 if answers.finished else 60, seconds,
            "True" if answers.finished else "False", answers.completed.strftime("%Y-%m-%d %H:%M:%S"),
            "R_" + "".join(rng.choice(alphabet, 15)), "", "", "", "",
            f"{53.5 + rng.random() * 0.4:.4f}", f"{-2.4 + rng.random() * 0.6:.4f}", "anonymous", "EN-GB",
            answers.name, answers.email,
            *[_typed(answers, q.relation) for q in design.tick_questions() if design.free],
            ",".join(s.title for s in design.sections if s.number in answers.sections),
        ]
        for section in design.sections:
            opened = section.number in answers.sections
            row += _rating_cells(design, answers, section)
            for name_list in section.lists:
                for q in design.listed_questions():
                    key = (name_list.key, q.relation)
                    if instrument.is_tick(q):
                        row.append(_multi(design, answers, key, name_list.labels, ",", False) if opened else "")
                        continue
                    given = answers.scales.get(key, {}) if opened else {}
                    row.append(",".join(_in_option_order(given, name_list.labels)))
                    row += [given.get(label, "") for label in name_list.labels]
        rows.append(row)
    return rows


def _blocks(design: FormDesign) -> list:
    """Qualtrics' blocks' questions in form order: per section its PARTNER matrices, then its lists."""
    return [item for section in design.sections for item in (*design.rated(section), *section.lists)]


def write_export(rows: Sequence[Sequence[object]], path: str | Path, platform: str) -> Path:
    """Write rendered rows as the platform's file: ``.xlsx`` (Forms) or CSV (Qualtrics with a BOM, Google)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if platform == FORMS:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
        book.set_properties({"created": dt.datetime(2026, 1, 1), "author": "onatool"})
        when = book.add_format({"num_format": "m/d/yy h:mm:ss"})
        sheet = book.add_worksheet("Sheet1")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, when)
                elif isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                elif value != "":
                    sheet.write_string(r, c, str(value))
        book.close()
        return path
    encoding = "utf-8-sig" if platform == QUALTRICS else "utf-8"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, lineterminator="\r\n" if platform == QUALTRICS else "\n").writerows(rows)
    return path

