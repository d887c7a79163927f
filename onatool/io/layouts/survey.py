"""What every survey export has in common, and how it becomes items.

A platform reader (Microsoft Forms, Qualtrics, SurveyMonkey, Google Forms, a wide
grid, a multi-select sheet) only has to say what its header rows mean: it returns a
:class:`SurveyTable` whose columns each carry a *question* and, for a question split
over several columns, a *label* (the person in a grid row, a choice). Everything
after that is shared and lives here:

- which columns are read (the respondent's identity, submission time, completion,
  the relation questions) and which are dropped, with the reason, in
  ``report.columns_dropped`` (identifying metadata such as IP addresses, locations
  and recipient names always among them);
- empty rows, test responses and duplicate submissions (by default the latest
  complete one is kept and the others reported);
- each relation question turned into items: a *names* question lists people in one
  cell (``;`` as Microsoft Forms writes it, ``,`` as Google Forms and Qualtrics do,
  with names such as "Smith, Jo" kept whole when the roster says so); a *grid*
  question has one column per person and an answer (a frequency, an agreement, a
  tick) in each cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io.assemble import ITEM_COLUMNS
from onatool.io.matching import Match, normalise_name
from onatool.io.report import ImportReport
from onatool.io.tables import Sheet

__all__ = [
    "Column",
    "Plan",
    "RelationQuestion",
    "SurveyTable",
    "classify_column",
    "header_words",
    "is_quiz_column",
    "lists_names",
    "split_headers",
    "split_names",
    "survey_items",
    "table_from_headers",
]

Resolve = Callable[[str], Match]

#: Kinds of relation question.
NAMES, GRID, AUTO = "names", "grid", "auto"
#: Duplicate policies.
DUPLICATES = ("latest_complete", "latest", "earliest")

#: Headers that identify a person or their device: never read unless chosen as the
#: respondent's identity, and always listed as dropped.
IDENTIFYING = (
    "ip address", "ip", "ip addr", "location latitude", "location longitude", "latitude",
    "longitude", "location", "geo location", "user agent", "browser", "device",
    "operating system", "recipient first name", "recipient last name", "recipient name",
    "recipient email", "email", "email address", "e mail", "respondent email", "name",
    "full name", "first name", "last name", "surname", "phone", "phone number", "mobile",
    "ego email", "your email", "your name",
)
#: Platform metadata that says nothing about relationships.
METADATA = (
    "id", "start time", "completion time", "last modified time", "start date", "end date",
    "startdate", "enddate", "status", "progress", "duration", "duration in seconds",
    "finished", "recorded date", "response id", "response type", "external reference",
    "distribution channel", "user language", "timestamp", "score", "total score",
    "respondent id", "collector id", "custom data 1", "custom data", "q recaptcha score",
    "q relevant id duplicate", "q relevant id fraud score", "q relevant id last start date",
    "language",
)
_TEST_STATUSES = {"survey preview", "survey test", "spam", "1", "2", "8"}
_TRUE = {"1", "true", "yes", "y", "complete", "completed", "finished", "100"}


def header_words(header: object) -> str:
    """A header folded for comparison: camelCase split, case, punctuation dropped.

    Examples
    --------
    >>> header_words("RecipientLastName"), header_words("IPAddress"), header_words("Start time")
    ('recipient last name', 'ip address', 'start time')
    """
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", str(header))
    return schema.normalise_key(text)


def classify_column(header: str) -> tuple[str, str]:
    """Whether a non-question column is identifying or plain metadata.

    Returns
    -------
    role, reason
        ``("identifying", ...)``, ``("metadata", ...)`` or ``("", "")`` when the header
        is not a known metadata column (so it is probably a question).

    Examples
    --------
    >>> classify_column("IPAddress")[0], classify_column("Completion time")[0]
    ('identifying', 'metadata')
    >>> classify_column("Who do you go to for advice?")
    ('', '')
    """
    words = header_words(header)
    if is_quiz_column(header):
        return "metadata", "quiz points or feedback (Microsoft Forms quiz), not a question"
    if words in IDENTIFYING or words.startswith(("location ", "recipient ")):
        return "identifying", "identifying metadata (who answered, from where or on what device)"
    if words in METADATA or words.startswith(("duration ", "q relevant", "q recaptcha")):
        return "metadata", "survey metadata, not needed"
    return "", ""


_QUIZ = re.compile(r"^\s*(total points|quiz feedback|points - .+|feedback - .+)\s*$", re.I)


def is_quiz_column(header: str) -> bool:
    """Whether a header is one Microsoft Forms adds in quiz mode.

    ``Total points``, ``Quiz feedback``, and after every question ``Points - <question>``
    and ``Feedback - <question>``.

    Examples
    --------
    >>> is_quiz_column("Points - Who do you go to?"), is_quiz_column("Who do you go to?")
    (True, False)
    """
    return bool(_QUIZ.match(str(header)))


@dataclass(frozen=True)
class Column:
    """One column of a survey export and what it belongs to.

    Attributes
    ----------
    position
        0-based column position in the file.
    header
        The column's full header, unique within the table (what recipes name).
    question
        The question it belongs to; several columns share it in a grid.
    label
        The grid row or choice (a person's name in a roster grid); ``""`` when the
        question has one column.
    code
        The platform's own id (Qualtrics ``Q5_1``), ``""`` if none.
    """

    position: int
    header: str
    question: str
    label: str = ""
    code: str = ""


@dataclass(frozen=True)
class SurveyTable:
    """A survey export with its headers understood."""

    layout: str
    file: str
    sheet: str | None
    columns: tuple[Column, ...]
    cells: pd.DataFrame  # data rows as text, columns numbered by position
    rows: tuple[int, ...]  # spreadsheet row number of each data row
    roles: Mapping[str, str] = field(default_factory=dict)  # role -> header (platform metadata)

    def place(self, row: int | None = None, column: str | None = None) -> Place:
        """A place in this table, for error messages."""
        return Place(self.file, self.sheet, row, column)

    def questions(self) -> dict[str, list[Column]]:
        """Question text -> its columns, in file order."""
        grouped: dict[str, list[Column]] = {}
        for column in self.columns:
            grouped.setdefault(column.question, []).append(column)
        return grouped

    def find(self, header: str) -> Column | None:
        """The column with this header (exact, then whitespace- and case-folded)."""
        for column in self.columns:
            if column.header == header:
                return column
        folded = _fold(header)
        for column in self.columns:
            if _fold(column.header) == folded:
                return column
        return None

    def find_question(self, question: str) -> list[Column]:
        """The columns of a question (exact text, then folded), or []."""
        grouped = self.questions()
        if question in grouped:
            return grouped[question]
        folded = _fold(question)
        for text, columns in grouped.items():
            if _fold(text) == folded:
                return columns
        return []

    def values(self, column: Column) -> pd.Series:
        """A column's cells, stripped."""
        return self.cells[column.position]


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


# Headers -------------------------------------------------------------------------------

GRID_HEADER = re.compile(r"^(?P<question>.*\S)\s*\[(?P<label>[^\[\]]+)\]\s*$")
_BOUNDARIES = (".", " - ", " – ", ": ", "?")
_MIN_QUESTION = 8


def split_headers(headers: Sequence[str]) -> list[tuple[str, str]]:
    """(question, label) per header: grids found from their headers.

    ``Question [Row]`` (Google Forms) is a grid row; so is a run of two or more
    neighbouring headers sharing a question before ``.``, `` - `` or ``: `` (Microsoft
    Forms Likert rows as ``Question.Statement``). Everything else is a one-column
    question with an empty label.

    Examples
    --------
    >>> split_headers(["Email", "Work with? [Ann Lee]", "Work with? [Bo Chan]"])
    [('Email', ''), ('Work with?', 'Ann Lee'), ('Work with?', 'Bo Chan')]
    >>> split_headers(["How often do you work with them?.Ann Lee",
    ...                "How often do you work with them?.J. Smith"])[1]
    ('How often do you work with them?', 'J. Smith')
    """
    out: list[tuple[str, str]] = [(h, "") for h in headers]
    for i, header in enumerate(headers):
        found = GRID_HEADER.match(header)
        if found:
            out[i] = (found["question"].strip(), found["label"].strip())
    i = 0
    while i < len(headers):
        if out[i][1]:
            i += 1
            continue
        j = i + 1
        prefix = ""
        while j < len(headers) and not out[j][1]:
            candidate = _question_prefix(headers[i : j + 1])
            if len(candidate) < _MIN_QUESTION:
                break
            prefix = candidate
            j += 1
        if j - i >= 2 and prefix:
            for k in range(i, j):
                out[k] = (prefix.rstrip(" .-–:"), headers[k][len(prefix) :].strip())
            i = j
        else:
            i += 1
    return out


def _question_prefix(headers: Sequence[str]) -> str:
    """The longest common prefix of ``headers`` cut back to a question boundary."""
    first, last = min(headers), max(headers)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    common = first[:n]
    best = -1
    for mark in _BOUNDARIES:
        at = common.rfind(mark)
        if at >= 0:
            best = max(best, at + len(mark))
    if best <= 0 or any(len(h) <= best for h in headers):
        return ""
    return common[:best]


def table_from_headers(
    sheet: Sheet, layout: str, *, header_row: int = 0, roles: Mapping[str, str] | None = None,
    grids: bool = True,
) -> SurveyTable:
    """A :class:`SurveyTable` from a sheet read without headers, with one header row.

    Parameters
    ----------
    sheet
        Read with ``header_rows=0``.
    layout
        The layout's name.
    header_row
        0-based row holding the headers; data starts below it.
    roles
        Platform metadata roles (``submitted``, ``complete``, ``status``) -> header.
    grids
        Whether to look for grid questions in the headers (:func:`split_headers`).
    """
    raw = sheet.data
    headers = [str(h).strip() for h in raw.iloc[header_row]]
    check_headers(headers, raw.iloc[header_row + 1 :], sheet.place(row=header_row + 1))
    pairs = split_headers(headers) if grids else [(h, "") for h in headers]
    columns = tuple(
        Column(i, h, q, label) for i, (h, (q, label)) in enumerate(zip(headers, pairs, strict=True)) if h
    )
    return SurveyTable(
        layout, sheet.file, sheet.sheet, columns, body_cells(raw, header_row + 1),
        tuple(range(header_row + 2, header_row + 2 + len(raw) - header_row - 1)), dict(roles or {}),
    )


def body_cells(raw: pd.DataFrame, start: int) -> pd.DataFrame:
    body = raw.iloc[start:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    return body.map(lambda v: str(v).strip())


def check_headers(headers: list[str], body: pd.DataFrame, place: Place) -> None:
    for position, name in enumerate(headers):
        if not name and body.shape[0] and body.iloc[:, position].astype(str).str.strip().ne("").any():
            raise InputFormatError(
                f"column {position + 1} has answers but no header",
                expected="a header above every column in use (export the file again)",
                place=place,
            )
    seen: dict[str, int] = {}
    for name in headers:
        if name and name in seen:
            raise InputFormatError(
                f"the header {name!r} appears more than once",
                expected="each column name once (rename one of them, or export again)",
                place=Place(place.file, place.sheet, place.row, name),
            )
        seen[name] = 1


# Names in a cell --------------------------------------------------------------------------


def split_names(cell: str, separator: str | None = None, resolve: Resolve | None = None) -> list[str]:
    """The names listed in one cell.

    Parameters
    ----------
    cell
        ``"Ann Lee;Bo Chan;"`` (Microsoft Forms), ``"Ann Lee, Bo Chan"`` (Google Forms),
        free text with one name per line.
    separator
        ``";"`` or ``","``; None guesses (``;`` if present, else ``,``). New lines
        always separate.
    resolve
        Roster matching. With it, pieces split at commas are rejoined when together
        they name a roster person as "Surname, First" (``"Smith, Jo"``) and apart
        they do not name people better.

    Examples
    --------
    >>> split_names("Ann Lee;Smith, Jo;")
    ['Ann Lee', 'Smith, Jo']
    >>> split_names("Ann Lee, Bo Chan")
    ['Ann Lee', 'Bo Chan']
    """
    text = str(cell).strip()
    if not text:
        return []
    if separator is None:
        separator = ";" if ";" in text else ","
    lines = [line for line in text.splitlines() if line.strip()]
    if separator == ",":
        return [name for line in lines for name in _comma_names(line, resolve)]
    out: list[str] = []
    for line in lines:
        for piece in (p.strip() for p in line.split(separator)):
            if "," in piece and resolve is not None:
                out.extend(_comma_names(piece, resolve))  # "Smith, Jo", or two names typed in one box
            elif piece:
                out.append(piece)
    return out


def _comma_names(text: str, resolve: Resolve | None) -> list[str]:
    """Split at commas, rejoining "Surname, First" pairs that name a roster person."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if resolve is None or len(parts) < 2:
        return parts

    verdicts: dict[str, str] = {}

    def verdict(name: str) -> str:
        if name not in verdicts:
            m = resolve(name)
            verdicts[name] = "matched" if m.matched else "review" if m.needs_review else "unknown"
        return verdicts[name]

    # best[i] scores the best reading of parts[i:], smallest first: most names matched,
    # then fewest pieces left unmatched, then fewest names. So a pair is read as one
    # "Surname, First" name ("Smith, Jo") when that matches at least as many people as
    # reading its parts apart, while "Ann Lee, Jo" stays Ann Lee and a "Jo" to review.
    def add(score: tuple[int, int, int], piece: str) -> tuple[int, int, int]:
        matched = verdict(piece) == "matched"
        return (score[0] - matched, score[1] + (not matched), score[2] + 1)

    best: list[tuple[int, int, int]] = [(0, 0, 0)] * (len(parts) + 1)
    choice = [1] * (len(parts) + 1)
    for i in range(len(parts) - 1, -1, -1):
        best[i] = add(best[i + 1], parts[i])
        # Two pieces that each name someone are two names: joining them cannot match
        # more people, so the (costly) lookup of the pair is skipped.
        if i + 1 < len(parts) and not (verdict(parts[i]) == "matched" == verdict(parts[i + 1])):
            pair = f"{parts[i]}, {parts[i + 1]}"
            joined = add(best[i + 2], pair)
            if verdict(pair) != "unknown" and joined <= best[i]:
                best[i], choice[i] = joined, 2
    names, i = [], 0
    while i < len(parts):
        names.append(", ".join(parts[i : i + choice[i]]))
        i += choice[i]
    return names


# From a table to items ------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationQuestion:
    """A survey question read as a relation.

    Parameters
    ----------
    question
        The question text as the export has it (for a grid, the part shared by its
        columns; for a wide grid, its sheet).
    relation
        Canonical relation name (``advice``; see :data:`onatool.schema.RELATIONS`).
    kind
        ``names`` (people listed in a cell), ``grid`` (one column per person, an answer
        in each cell) or ``auto`` (grid when the question has several columns).
    separator
        For ``names``: ``;`` or ``,``; None guesses per cell.
    scale
        Name of the scale (in the recipe's ``scales``) its answers are read with.
    """

    question: str
    relation: str
    kind: str = AUTO
    separator: str | None = None
    scale: str | None = None


@dataclass(frozen=True)
class Plan:
    """How to read a survey table: who answered, which questions, which duplicates."""

    identity: str
    questions: tuple[RelationQuestion, ...]
    submitted: str | None = None
    complete: str | None = None
    status: str | None = None
    duplicates: str = "latest_complete"
    roles: Mapping[str, str] = field(default_factory=dict)  # header -> identifying|metadata


def check_plan(table: SurveyTable, plan: Plan) -> None:
    """Raise one :class:`InputFormatError` naming every column the plan needs and the file lacks."""
    from rapidfuzz import process

    missing: list[tuple[str, str]] = []
    if table.find(plan.identity) is None:
        missing.append(("identity column", plan.identity))
    for role in ("submitted", "complete", "status"):
        header = getattr(plan, role)
        if header and table.find(header) is None:
            missing.append((f"{role} column", header))
    for question in plan.questions:
        if not table.find_question(question.question):
            missing.append((f"{question.relation} question", question.question))
    if not missing:
        return
    present = [*table.questions(), *(c.header for c in table.columns)]
    parts = []
    for what, wanted in missing:
        close = process.extractOne(wanted, present, score_cutoff=60)
        hint = f" (renamed to {close[0]!r}?)" if close else ""
        parts.append(f"{what} {wanted!r}{hint}")
    raise InputFormatError(
        "the file no longer fits its recipe: it has no " + "; no ".join(parts),
        expected="the columns the recipe names; if the survey changed, update the recipe "
        "(or run the import wizard again)",
        place=table.place(row=1),
    )


def survey_items(
    table: SurveyTable, plan: Plan, *, report: ImportReport, resolve: Resolve
) -> pd.DataFrame:
    """Items for :func:`~onatool.io.assemble.assemble` from a survey table.

    Parameters
    ----------
    table
        The export, headers understood.
    plan
        Identity column, relation questions, duplicate policy.
    report
        Receives the rows read, the rows dropped here (empty rows, test responses,
        duplicate submissions) and the columns not read.
    resolve
        Roster matching (to spot duplicates and to keep "Surname, First" names whole).

    Returns
    -------
    pandas.DataFrame
        :data:`~onatool.io.assemble.ITEM_COLUMNS`; a respondent who named nobody gets
        one item with an empty target.

    Raises
    ------
    InputFormatError
        A column or question of the plan is missing; an unknown duplicate policy.
    """
    check_plan(table, plan)
    if plan.duplicates not in DUPLICATES:
        raise InputFormatError(
            f"unknown duplicate policy {plan.duplicates!r}", expected=f"one of {', '.join(DUPLICATES)}"
        )
    identity = table.find(plan.identity)
    assert identity is not None
    roles = {r: table.find(h) for r in ("submitted", "complete", "status") if (h := getattr(plan, r))}
    questions = [(q, table.find_question(q.question)) for q in plan.questions]
    _drop_columns(table, identity, roles, questions, plan, report)
    report.read(table.file, table.sheet, len(table.cells))

    cells = table.cells
    numbers = pd.Series(table.rows)
    live = cells.ne("").any(axis=1)
    for number in numbers[~live]:
        report.add_row(table.file, table.sheet, int(number), "dropped", "empty row")
    keep = list(cells.index[live])

    status = roles.get("status")
    if status is not None:
        test = cells[status.position].str.casefold().isin(_TEST_STATUSES)
        for position in [p for p in keep if test[p]]:
            report.add_row(table.file, table.sheet, int(numbers[position]), "dropped",
                           f"test or preview response ({cells.at[position, status.position]})")
        keep = [p for p in keep if not test[p]]

    complete = _completeness(cells, roles.get("complete"))
    modified = table.find(table.roles["modified"]) if table.roles.get("modified") else None
    keep = _deduplicate(table, keep, identity, roles.get("submitted"), complete, plan, report, resolve, modified)

    relation_columns = [(q, [c for c in cols]) for q, cols in questions]
    values = cells.to_numpy(dtype=object)  # one lookup per cell, not one pandas .at each
    records: list[tuple] = []
    for position in keep:
        number = int(numbers[position])
        who = cells.at[position, identity.position]
        found = []
        for question, columns in relation_columns:
            found.extend(_answers(values, position, question, columns, resolve))
        if found:
            records.extend(
                (table.file, table.sheet, number, who, target, relation, raw, float("nan"), True)
                for target, relation, raw in found
            )
        else:
            # Submitted a complete form naming nobody: a respondent with no ties. An
            # incomplete one with no answers is not a response at all.
            records.append((table.file, table.sheet, number, who, "", "", "", float("nan"),
                            bool(complete[position])))
    return pd.DataFrame.from_records(records, columns=list(ITEM_COLUMNS))


def _answers(
    cells, position: int, question: RelationQuestion, columns: list[Column], resolve: Resolve
) -> Iterable[tuple[str, str, str]]:
    kind = question.kind
    if kind == AUTO:
        kind = GRID if any(not lists_names(c) for c in columns) else NAMES
    for column in columns:
        value = cells[position, column.position]
        if not value:
            continue
        if kind == NAMES or lists_names(column):
            if column.label and not column.code.upper().endswith("_TEXT") and re.fullmatch(r"-?\d+", value):
                continue  # Qualtrics' tick on "Other": the name typed is in its _TEXT column
            for name in split_names(value, question.separator, resolve):
                yield name, question.relation, "Yes"
        elif normalise_name(value) == normalise_name(column.label):
            yield column.label, question.relation, "Yes"  # a ticked checkbox gives its own label
        else:
            yield column.label, question.relation, value


def lists_names(column: Column) -> bool:
    """Whether a column's cells list names rather than answer about its label.

    True for a one-column question, an "Other (please specify)" box, Qualtrics'
    ``_TEXT`` and "Selected Choice" columns.
    """
    label = header_words(column.label)
    return (not column.label or label.startswith("other") or label == "selected choice"
            or column.code.upper().endswith("_TEXT"))


def _completeness(cells: pd.DataFrame, column: Column | None) -> pd.Series:
    if column is None:
        return pd.Series(True, index=cells.index)
    return cells[column.position].str.casefold().isin(_TRUE)


def _deduplicate(
    table: SurveyTable, keep: list[int], identity: Column, submitted: Column | None,
    complete: pd.Series, plan: Plan, report: ImportReport, resolve: Resolve, modified: Column | None = None,
) -> list[int]:
    """Keep one response per respondent; report the others as dropped."""
    cells = table.cells
    order = _time_order(cells, keep, submitted, table, report, modified)
    groups: dict[str, list[int]] = {}
    for position in keep:
        raw = cells.at[position, identity.position]
        if not raw:
            continue
        m = resolve(raw)
        groups.setdefault(m.person_id or f"text:{normalise_name(raw) or raw.casefold()}", []).append(position)
    dropped: dict[int, str] = {}
    for positions in groups.values():
        if len(positions) < 2:
            continue
        by_time = sorted(positions, key=lambda p: order[p])
        if plan.duplicates == "earliest":
            chosen = by_time[0]
        else:
            finished = [p for p in by_time if complete[p]] if plan.duplicates == "latest_complete" else []
            chosen = (finished or by_time)[-1]
        label = {"earliest": "the earliest one kept", "latest": "the latest one kept"}.get(
            plan.duplicates, "the latest complete one kept")
        for p in positions:
            if p == chosen:
                continue
            if plan.duplicates == "latest_complete" and not complete[p] and complete[chosen]:
                why = "an incomplete response"
            else:
                why = "an earlier response" if order[p] < order[chosen] else "a later response"
            dropped[p] = f"duplicate submission, {why}; {label}"
    for position, reason in dropped.items():
        report.add_row(table.file, table.sheet, table.rows[position], "dropped", reason)
    return [p for p in keep if p not in dropped]


def _time_order(
    cells: pd.DataFrame, keep: list[int], submitted: Column | None, table: SurveyTable, report: ImportReport,
    modified: Column | None = None,
) -> dict[int, tuple]:
    """Sort key per row: submission (or last edit) time where it can be read, then file order."""
    if submitted is None:
        return {p: (p,) for p in keep}
    values = cells.loc[keep, submitted.position]
    if modified is not None:
        edited = cells.loc[keep, modified.position]
        values = edited.where(edited.ne(""), values)
    times = parse_times(values)
    if times is None:
        report.note(
            f"{table.file}: the dates in {submitted.header!r} could be day-first or month-first; "
            "duplicate submissions were ordered by their position in the file."
        )
        return {p: (p,) for p in keep}
    stamps = times.to_dict()
    return {p: (0, pd.Timestamp(0), p) if pd.isna(stamps[p]) else (1, stamps[p], p) for p in keep}


_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")


def parse_times(values: pd.Series) -> pd.Series | None:
    """Timestamps, or None when day-first and month-first readings would disagree."""
    slashed = values.str.extract(_SLASHED)
    dayfirst = False
    if slashed.notna().all(axis=1).any():
        first = pd.to_numeric(slashed[0], errors="coerce")
        second = pd.to_numeric(slashed[1], errors="coerce")
        if (first > 12).any():
            dayfirst = True
        elif not (second > 12).any():
            day = pd.to_datetime(values, errors="coerce", format="mixed", dayfirst=True)
            month = pd.to_datetime(values, errors="coerce", format="mixed", dayfirst=False)
            if not (day.rank(method="first").equals(month.rank(method="first"))):
                return None
    return pd.to_datetime(values, errors="coerce", format="mixed", dayfirst=dayfirst)


def _drop_columns(
    table: SurveyTable, identity: Column, roles: Mapping[str, Column | None],
    questions: list[tuple[RelationQuestion, list[Column]]], plan: Plan, report: ImportReport,
) -> None:
    """List every column not read, with the reason (identifying metadata first of all)."""
    read = {identity.position} | {c.position for c in roles.values() if c is not None}
    modified = table.find(table.roles["modified"]) if table.roles.get("modified") else None
    if modified is not None and roles.get("submitted") is not None:
        read.add(modified.position)
    read |= {c.position for _, columns in questions for c in columns}
    for column in table.columns:
        if column.position in read:
            continue
        role, reason = classify_column(column.header)
        forced = plan.roles.get(column.header)
        if forced == "identifying":
            role, reason = "identifying", "identifying (marked in the recipe)"
        if not role:
            reason = "not a relation question"
        report.drop_column(table.file, column.header, reason)
