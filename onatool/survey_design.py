"""A survey form that works across organisations: names asked organisation by organisation.

One Likert grid of every person in a place (200 rows and more) is abandoned, and a form
limited to one Microsoft 365 tenant locks out councils, the voluntary sector, housing
and primary care. The form designed here is open to anyone with the link and asks who
is answering; then, for each organisation (a *section*), whether the respondent works
with anyone there and, only if so, the relationship questions about that
organisation's people, in lists of at most about 25 names (a large organisation is
split by team, then by level). Strength (how often) is asked for the people of the
lists the respondent opened and, where the platform can carry answers forward
(Qualtrics), only for the people they named. For places too large even for that,
``recall="free"`` asks each naming question once as a box of typed names, matched to
the roster on import.

:func:`design_form` lays the form out from an instrument and a roster;
:func:`platform_recipe` is the import recipe that reads each platform's export of it;
:func:`platform_guide` is the text to build it on each platform, and
:func:`sending_guide` the advice on piloting, sending and reminders, with
:func:`estimate_minutes`' estimate of the time to complete.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from onatool import schema
from onatool.io.layouts.survey import GRID, NAMES, RelationQuestion
from onatool.io.matching import Alias, normalise_name
from onatool.io.recipe import Recipe
from onatool.io.roster import Roster

__all__ = [
    "FORMS",
    "GOOGLE",
    "PLATFORMS",
    "QUALTRICS",
    "FormDesign",
    "NameList",
    "RatedOrganisation",
    "Section",
    "design_form",
    "estimate_minutes",
    "platform_guide",
    "platform_recipe",
    "sending_guide",
]

FORMS, QUALTRICS, GOOGLE = "microsoft_forms", "qualtrics", "google_forms"
PLATFORMS = (FORMS, QUALTRICS, GOOGLE)
PLATFORM_NAMES = {FORMS: "Microsoft Forms", QUALTRICS: "Qualtrics", GOOGLE: "Google Forms"}
#: The longest list of names a respondent is asked to read in one question.
MAX_PER_LIST = 25
#: Google Forms' own header for the email it collects ("Responder input": typed, no sign-in).
GOOGLE_EMAIL = "Email address"
#: Qualtrics export tags the guide asks for (Qualtrics would otherwise number them Q1, Q2 ...).
QUALTRICS_EMAIL_TAG, QUALTRICS_NAME_TAG, QUALTRICS_ORGS_TAG = "email", "fullname", "orgs"


@dataclass(frozen=True)
class NameList:
    """One list of names: the people a question in a section lists (at most ~25).

    Attributes
    ----------
    key
        ``L01``, ``L02`` ... in form order (Qualtrics export tags start with it).
    title
        What the questions about it say: the organisation, and ``list 2 of 3`` when
        the organisation is split.
    teams
        The teams (or levels) in it, for the section's description.
    roster_ids, labels
        The people, as the roster knows them and as the form shows them (the name;
        name and team when two people share a name).
    """

    key: str
    title: str
    teams: tuple[str, ...]
    roster_ids: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """One organisation's part of the form: a yes/no gate, then its lists."""

    number: int
    organisations: tuple[str, ...]
    lists: tuple[NameList, ...]

    @property
    def title(self) -> str:
        return " or ".join(self.organisations)

    @property
    def size(self) -> int:
        return sum(len(n.roster_ids) for n in self.lists)


@dataclass(frozen=True)
class RatedOrganisation:
    """One organisation rated on PARTNER's trust and value questions in the form.

    Attributes
    ----------
    key
        ``O01``, ``O02`` ... in form order (Qualtrics export tags start with it).
    organisation
        As the roster names it.
    section
        The number of the section whose gate opens it.
    question
        The grid's question text (unique in the form).
    """

    key: str
    organisation: str
    section: int
    question: str


#: The organisation of people whose organisation the roster does not give.
NO_ORGANISATION = "Organisation not given"


@dataclass(frozen=True)
class FormDesign:
    """The form: who is answering, then a section per organisation.

    Build it with :func:`design_form`. Every question's text is unique in the form (a
    list's title is part of it), so each platform's export has one column (or, for a
    grid, one group of columns) per question and list.

    With ``recall="free"`` (for places too large even for lists by organisation) the
    questions answered by naming people are asked once each, before the organisation
    sections, as a box where the respondent types names, one a line, matched to the
    roster on import; only strength is still asked from the organisation lists.
    """

    instrument: object  # onatool.surveys.Instrument (not imported: it imports this module)
    sections: tuple[Section, ...]
    wave: str | None
    max_per_list: int
    aliases: Mapping[str, Alias]
    recall: str = "lists"
    numbered: bool = False  # question texts start "List N, ...": see _forms_safe
    ratings: bool = True  # ask PARTNER's trust and value questions, when the instrument has them

    # Wording --------------------------------------------------------------------------------
    @property
    def email_question(self) -> str:
        return self.instrument.identity.get("wording", "What is your work email address?")

    @property
    def name_question(self) -> str:
        return self.instrument.identity.get("name_wording", "What is your full name?")

    @property
    def organisations_question(self) -> str:
        return self.instrument.design.get(
            "organisations_question", "Which of these organisations do you work with? Tick each one.")

    def gate(self, section: Section) -> str:
        """The yes/no question that opens (or skips) a section."""
        return self.instrument.design.get("gate", "Do you work with anyone at {organisation}?").format(
            organisation=section.title)

    def question(self, question, name_list: NameList) -> str:
        """A relationship question's text for one list (unique in the form)."""
        if self.numbered:
            return f"List {int(name_list.key[1:])}, {name_list.title}: {question.wording}"
        return f"{question.wording} ({name_list.title})"

    def forms_columns(self) -> list[tuple[str, str, str]]:
        """Microsoft Forms' question columns after its metadata: (header, question, grid row label)."""
        columns = [(h, h, "") for h in (self.name_question, self.email_question)]
        columns += [(self.free_question(q),) * 2 + ("",) for q in self.tick_questions() if self.free]
        for section in self.sections:
            columns.append((self.gate(section), self.gate(section), ""))
            for rated in self.rated(section):
                columns += [(f"{rated.question}.{row}", rated.question, row) for row in self.rating_rows()]
            for name_list in section.lists:
                for q in self.listed_questions():
                    text = self.question(q, name_list)
                    if self.instrument.is_tick(q):
                        columns.append((text, text, ""))
                    else:
                        columns += [(f"{text}.{label}", text, label) for label in name_list.labels]
        return columns

    def free_question(self, question) -> str:
        """A question answered by typing names (``recall="free"``)."""
        return f"{question.wording} (type their names, one per line)"

    @property
    def free(self) -> bool:
        return self.recall == "free"

    def listed_questions(self) -> list:
        """The questions asked from each organisation's lists (all of them, or only strength when recall is free)."""
        return self.scale_questions() if self.free else list(self.instrument.questions)

    def name_first(self, question, name_list: NameList) -> str:
        """Qualtrics: the question that names people before their strength is asked."""
        wording = question.name_first or "Which of these people do you know through your work?"
        return f"{wording} ({name_list.title})"

    # Shape ------------------------------------------------------------------------------------
    def lists(self) -> list[NameList]:
        return [n for s in self.sections for n in s.lists]

    def people(self) -> int:
        return sum(s.size for s in self.sections)

    def scale_questions(self) -> list:
        return [q for q in self.instrument.questions if not self.instrument.is_tick(q)]

    def tick_questions(self) -> list:
        return [q for q in self.instrument.questions if self.instrument.is_tick(q)]

    # PARTNER's organisation questions ------------------------------------------------------
    @property
    def partner(self):
        """The instrument's PARTNER questions (:class:`onatool.surveys.OrganisationQuestions`), or None."""
        return self.instrument.organisation_questions if self.ratings else None

    def rated(self, section: Section | None = None) -> list[RatedOrganisation]:
        """The organisations rated on PARTNER's questions (in ``section``, or in the whole form).

        Each organisation of a section is rated on its own grid, opened by the section's
        gate (the respondent works with someone there). People whose organisation the
        roster does not give are in no organisation that could be rated.
        """
        if self.partner is None:
            return []
        out, number = [], 0
        for each in self.sections:
            for organisation in each.organisations:
                if organisation == NO_ORGANISATION:
                    continue
                number += 1
                if section is None or each.number == section.number:
                    out.append(RatedOrganisation(f"O{number:02d}", organisation, each.number,
                                                 self.partner.question(organisation)))
        return out

    def rating_rows(self) -> list[str]:
        """The grid's rows: one statement per PARTNER dimension, value first."""
        return [statement.row for statement in self.partner.statements] if self.partner else []

    def place_of(self) -> dict[str, tuple[Section, NameList, str]]:
        """Roster id -> (section, list, label)."""
        return {rid: (s, n, label) for s in self.sections for n in s.lists
                for rid, label in zip(n.roster_ids, n.labels, strict=True)}


def _people_table(roster: Roster, wave: str | None) -> pd.DataFrame:
    ids = roster.identities
    key = schema.ID if schema.ID in ids.columns and ids[schema.ID].astype(str).str.strip().ne("").all() \
        else schema.EMAIL
    index = roster.members(wave) if wave is not None else roster.people.index

    def column(name: str) -> pd.Series:
        values = roster.people[name] if name in roster.people.columns else pd.Series("", index=roster.people.index)
        return values.reindex(index).fillna("").astype(str).str.strip()

    table = pd.DataFrame({
        "roster_id": ids[key].reindex(index).astype(str),
        "name": (ids[schema.NAME] if schema.NAME in ids.columns else ids[key]).reindex(index).astype(str).str.strip(),
        "organisation": column(schema.ORGANISATION).replace("", NO_ORGANISATION),
        "team": column("team"),
        "level": column(schema.LEVEL),
    })
    return table.reset_index(drop=True)


_LEVEL_ORDER = {"top": 0, "middle": 1, "bottom": 2}


def _split(people: pd.DataFrame, cap: int) -> list[pd.DataFrame]:
    """Split one organisation into lists of at most ``cap``, keeping teams whole where possible.

    Teams (or, without a team column, levels) are packed largest first into the
    fewest lists that hold them, each team going to the list with most room; a team
    larger than ``cap`` is cut by level and then alphabetically.
    """
    people = people.assign(_level=people["level"].str.casefold().map(_LEVEL_ORDER).fillna(3),
                           _name=people["name"].str.casefold()).sort_values(["_level", "_name"])
    if len(people) <= cap:
        return [people]
    by = "team" if people["team"].ne("").any() else "level"
    pieces: list[pd.DataFrame] = []
    for _, group in people.groupby(people[by].replace("", "(none)"), sort=True):
        pieces.extend(group.iloc[i : i + cap] for i in range(0, len(group), cap))
    pieces.sort(key=lambda g: (-len(g), str(g[by].iloc[0])))
    bins = math.ceil(len(people) / cap)
    while True:
        filled: list[list[pd.DataFrame]] = [[] for _ in range(bins)]
        sizes = [0] * bins
        for piece in pieces:
            room = [(cap - sizes[b], -b) for b in range(bins) if sizes[b] + len(piece) <= cap]
            if not room:
                break
            chosen = -max(room)[1]
            filled[chosen].append(piece)
            sizes[chosen] += len(piece)
        else:
            lists = [pd.concat(f) for f in filled if f]
            return sorted(lists, key=lambda t: (t["_level"].min(), t["_name"].min()))
        bins += 1


def _sections(people: pd.DataFrame, cap: int) -> list[Section]:
    """Sections (one per organisation, organisations of one person pooled) and their lists."""
    groups = [(org, g) for org, g in people.groupby("organisation", sort=False)]
    groups.sort(key=lambda item: item[0].casefold())
    big = [([org], g) for org, g in groups if len(g) > 1]
    lone = [(org, g) for org, g in groups if len(g) == 1]
    if lone:
        pooled = ([org for org, _ in lone], pd.concat([g for _, g in lone]))
        if len(pooled[1]) > 1 or not big:
            big.append(pooled)
        else:  # one person alone in the whole place: they join the smallest section
            smallest = min(range(len(big)), key=lambda i: len(big[i][1]))
            big[smallest] = ([*big[smallest][0], *pooled[0]], pd.concat([big[smallest][1], pooled[1]]))
    sections, number = [], 0
    for s, (orgs, group) in enumerate(big, start=1):
        parts = _split(group, cap)
        lists = []
        for i, part in enumerate(parts, start=1):
            number += 1
            title = " or ".join(orgs) + (f", list {i} of {len(parts)}" if len(parts) > 1 else "")
            teams = tuple(dict.fromkeys(t for t in part["team"] if t)) or tuple(
                dict.fromkeys(v for v in part["level"] if v))
            part = part.sort_values("label", key=lambda s: s.str.casefold())  # alphabetical, as people look
            lists.append(NameList(f"L{number:02d}", title, teams, tuple(part["roster_id"]), tuple(part["label"])))
        sections.append(Section(s, tuple(orgs), tuple(lists)))
    return sections


def design_form(
    instrument, roster: Roster, *, wave: str | None = None, max_per_list: int | None = None,
    lists_from: Sequence[Roster] | None = None, recall: str | None = None, ratings: bool = True,
) -> FormDesign:
    """Lay out the by-organisation form for a roster (one wave's people, or everyone).

    Parameters
    ----------
    instrument
        An :class:`onatool.surveys.Instrument`.
    roster
        The people the survey asks about.
    wave
        Only the people who belong to this wave (the roster's ``waves`` column).
    max_per_list
        The longest list (default: the instrument's ``design.max_per_list``, else 25).
    lists_from
        With ``wave``: the rosters (say, the roster as at each wave) whose people decide
        how organisations are cut into lists, so that every wave's form has the same
        lists and one recipe reads them all (default: ``roster``, everyone on it). Each
        person present in ``wave`` is listed under their organisation as at ``wave``.
    recall
        ``lists`` (default: names ticked from the organisation lists) or ``free`` (names
        typed, for very large places; strength still from the lists). Default: the
        instrument's ``design.recall``.
    ratings
        Ask the instrument's PARTNER trust and value questions (``organisation_questions``)
        about each organisation the respondent works with (default: yes, when it has them).

    Returns
    -------
    FormDesign
        A section per organisation (organisations of one person are pooled into one
        section, so no list has a single name), each with lists of at most
        ``max_per_list`` names, in the roster's organisation order.

    Examples
    --------
    >>> from onatool.surveys import load_instrument
    >>> from onatool.io import read_roster
    >>> from onatool.sample import sample_dir
    >>> design = design_form(load_instrument("ics_relationships"), read_roster(sample_dir() / "roster.csv", key=b"k" * 32))
    >>> max(len(n.roster_ids) for n in design.lists()) <= 25
    True
    """
    cap = int(max_per_list or instrument.design.get("max_per_list", MAX_PER_LIST))
    if cap < 2:
        raise ValueError("max_per_list must be at least 2")
    recall = recall or str(instrument.design.get("recall", "lists"))
    if recall not in ("lists", "free"):
        raise ValueError(f"recall must be 'lists' or 'free', not {recall!r}")
    people = _people_table(roster, wave)
    shared = people["name"].map(normalise_name).duplicated(keep=False)
    people["label"] = people["name"].where(~shared, people["name"] + " (" + people["organisation"]
                                           + people["team"].map(lambda t: f", {t}" if t else "") + ")")
    aliases = {normalise_name(row.label): Alias(normalise_name(row.label), "chosen", row.roster_id, row.label, row.name)
               for row in people[shared].itertuples()}
    sections = _sections(people, cap)
    if wave is not None:
        # Lists are cut from everyone on the roster, so every wave's form (and so its recipe)
        # keeps the same lists; only when a wave leaves a list with one name is it cut afresh.
        everyone = pd.concat([_people_table(r, None) for r in (lists_from or [roster])])
        everyone = everyone.drop_duplicates(["roster_id", "organisation"])  # a mover counts in each organisation
        present = dict(zip(people["roster_id"], people["label"], strict=True))
        home = dict(zip(people["roster_id"], people["organisation"], strict=True))
        stable, seen = [], set()
        for section in _sections(everyone.assign(label=everyone["name"]), cap):
            lists = []
            for n in section.lists:
                kept = [rid for rid in n.roster_ids
                        if rid in present and home[rid] in section.organisations and rid not in seen]
                seen.update(kept)
                if kept:
                    lists.append(NameList(n.key, n.title, n.teams, tuple(kept), tuple(present[r] for r in kept)))
            if lists:
                stable.append(Section(section.number, section.organisations, tuple(lists)))
        if seen == set(present) and all(len(n.roster_ids) > 1 for s in stable for n in s.lists):
            sections = stable
    return _forms_safe(FormDesign(instrument, tuple(sections), wave, cap, aliases, recall, ratings=ratings))


def _forms_safe(design: FormDesign) -> FormDesign:
    """The design with question texts that a Microsoft Forms export's headers cannot blur.

    Forms heads a Likert question's columns ``Question.Statement`` and onatool finds the
    question as the part neighbouring columns share; two Likert questions side by side
    with the same wording (two lists' strength questions, when names are typed) would
    read as one. Texts that start with the list's number keep them apart.

    Raises
    ------
    ValueError
        Neither way of wording keeps the questions apart (say, two strength questions in
        a row and lists side by side): reorder the instrument's questions.
    """
    from dataclasses import replace

    from onatool.io.layouts.survey import split_headers

    for candidate in (design, replace(design, numbered=True)):
        columns = candidate.forms_columns()
        if split_headers([c[0] for c in columns]) == [(c[1], c[2]) for c in columns]:
            return candidate
    raise ValueError("the form's questions cannot be told apart in a Microsoft Forms export: put a question "
                     "answered by ticking names between the instrument's strength questions")


# Recipes ----------------------------------------------------------------------------------------


def platform_recipe(design: FormDesign, platform: str) -> Recipe:
    """The recipe that reads ``platform``'s export of the form.

    Each list's question is a relation question of its own (several per relation:
    one per list); the respondent is known by the email they typed; the name they
    typed is read by nobody and dropped as identifying.

    Examples
    --------
    >>> from onatool.surveys import load_instrument
    >>> from onatool.io import read_roster
    >>> from onatool.sample import sample_dir
    >>> design = design_form(load_instrument("ics_relationships"), read_roster(sample_dir() / "roster.csv", key=b"k" * 32))
    >>> recipe = platform_recipe(design, "qualtrics")
    >>> recipe.identity, len(recipe.questions) == 5 * len(design.lists())
    ('email', True)
    """
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}: one of {', '.join(PLATFORMS)}")
    instrument = design.instrument
    questions = []
    separator = {FORMS: ";", QUALTRICS: ",", GOOGLE: ","}[platform]
    if design.free:  # typed names, one a line (the separator is guessed per cell)
        questions += [RelationQuestion(design.free_question(q), q.relation, NAMES, None, None)
                      for q in design.tick_questions()]
    for name_list in design.lists():
        for q in design.listed_questions():
            text = design.question(q, name_list)
            if instrument.is_tick(q):
                questions.append(RelationQuestion(text, q.relation, NAMES, separator, None))
            else:
                questions.append(RelationQuestion(text, q.relation, GRID, None, q.scale))
    scales = {q.scale: instrument.scale_map(q.scale) for q in design.scale_questions()}
    relations = {q.relation: {"label": q.label, "symmetric": q.symmetric} for q in instrument.questions}
    ratings = tuple({"question": rated.question, "statement": statement.row, "organisation": rated.organisation,
                     "dimension": statement.dimension}
                    for rated in design.rated() for statement in design.partner.statements)
    if platform == FORMS:
        return Recipe(FORMS, identity=design.email_question, questions=tuple(questions), scales=scales,
                      submitted="Completion time", relations=relations,
                      columns={design.name_question: "identifying"}, ratings=ratings)
    if platform == GOOGLE:
        return Recipe(GOOGLE, identity=GOOGLE_EMAIL, questions=tuple(questions), scales=scales,
                      submitted="Timestamp", relations=relations, columns={design.name_question: "identifying"},
                      ratings=ratings)
    return Recipe(QUALTRICS, identity=QUALTRICS_EMAIL_TAG, questions=tuple(questions), scales=scales,
                  submitted="RecordedDate", complete="Finished", status="Status", relations=relations,
                  columns={QUALTRICS_NAME_TAG: "identifying"}, ratings=ratings)


# Time to complete -----------------------------------------------------------------------------

#: Seconds, from common survey-timing rules of thumb (about 3 to 5 words a second read,
#: 2 to 4 seconds a closed answer): reading the introduction and typing name and email;
#: one yes/no gate; starting a list's question; scanning one name; rating one person;
#: recalling and typing one name (free recall: about half the people rated, per question).
SECONDS = {"start": 60, "gate": 5, "question": 6, "scan": 0.8, "rate": 3.5, "type": 8}


def estimate_minutes(design: FormDesign, *, sections_opened: float | None = None,
                     named: float | None = None) -> dict[str, float]:
    """Minutes to complete the form, from the number of questions and lists a respondent meets.

    Parameters
    ----------
    design
        The form.
    sections_opened
        Organisations a typical respondent works with (default: a third of the
        sections, at least two).
    named
        People a typical respondent rates for strength (default 12).

    Returns
    -------
    dict
        ``typical`` minutes, ``low`` (one organisation, five people) and ``high``
        (every organisation, 30 people), and ``questions``: the questions a
        respondent who opens every section meets (a PARTNER grid about an
        organisation counts as one question; its six statements take a rating each).
    """
    n_sections = len(design.sections)
    opened = sections_opened if sections_opened is not None else max(2.0, min(n_sections, n_sections / 3))
    rated = named if named is not None else 12.0
    ticks, scales = len(design.tick_questions()), len(design.scale_questions())
    rated_per_section = len(design.rated()) / max(1, n_sections)
    statements = len(design.rating_rows())
    listed = len(design.listed_questions())
    mean_list = design.people() / max(1, len(design.lists()))
    lists_per_section = len(design.lists()) / max(1, n_sections)

    def seconds(sections: float, people: float) -> float:
        lists = sections * lists_per_section
        per_list = listed * (SECONDS["question"] + SECONDS["scan"] * mean_list)
        typed = ticks * (SECONDS["question"] + people / 2 * SECONDS["type"]) if design.free else 0.0
        partner = sections * rated_per_section * (SECONDS["question"] + statements * SECONDS["rate"])
        return (SECONDS["start"] + n_sections * SECONDS["gate"] + lists * per_list + typed
                + scales * people * SECONDS["rate"] + partner)

    every = 3 + n_sections + len(design.lists()) * listed + (ticks if design.free else 0) + len(design.rated())
    return {"typical": round(seconds(opened, rated) / 60, 1), "low": round(seconds(1, 5) / 60, 1),
            "high": round(seconds(n_sections, 30) / 60, 1), "questions": float(every)}


# Guides -----------------------------------------------------------------------------------------


def _intro(design: FormDesign, minutes: Mapping[str, float]) -> list[str]:
    instrument = design.instrument
    return [
        "## Form description", "", instrument.introduction.strip(), "",
        f"It takes about {minutes['typical']:.0f} minutes (from {minutes['low']:.0f} to {minutes['high']:.0f}, "
        "depending on how many organisations you work with).", "",
    ]


def _identity(design: FormDesign, platform: str) -> list[str]:
    help_text = design.instrument.identity.get("help", "")
    email = (f"Settings: **Collect email addresses: Responder input** (typed, no sign-in; the export heads it "
             f"`{GOOGLE_EMAIL}`). Put the help text in the form description: {help_text}"
             if platform == GOOGLE else
             f"### {design.email_question}\n\nType: {'Text' if platform == FORMS else 'Text entry, single line'}. "
             f"Required. Subtitle: {help_text}"
             + (" Export tag: `email`." if platform == QUALTRICS else "")
             + (" Restrict it to an email address (Validation: Email address)." if platform == QUALTRICS else
                " Turn on **Restrictions: Email** if offered."))
    name = (f"### {design.name_question}\n\nType: {'Short answer' if platform == GOOGLE else 'Text'}. Required. "
            "It lets you follow up a mistyped email; it is dropped at import."
            + (" Export tag: `fullname`." if platform == QUALTRICS else ""))
    return ["## Section 1: About you", "", name, "", email, ""]


def _names_block(name_list: NameList) -> list[str]:
    return ["```text", *name_list.labels, "```", ""]


def _rating_grid(design: FormDesign, rated: RatedOrganisation, platform: str) -> list[str]:
    """How to build one organisation's PARTNER trust and value grid on ``platform``."""
    partner = design.partner
    kind = {FORMS: "Likert", GOOGLE: "Multiple choice grid", QUALTRICS: "Matrix table (Likert, single answer)"}
    rows = {FORMS: "Statements", GOOGLE: "Rows", QUALTRICS: "Statements"}[platform]
    tag = f" Export tag `{rated.key}_partner`." if platform == QUALTRICS else ""
    where = ("First in the organisation's people section (before its names)." if platform == GOOGLE else
             "Next after the Yes/No question." if platform == FORMS else "First in the organisation's block.")
    return [f"#### {rated.question}", "",
            f"Type: {kind[platform]}. Not required.{tag} {where} Subtitle: {partner.help} "
            f"Options (columns), in this order: {', '.join(partner.answers)}. {rows}, one per line, word for word "
            "(the recipe finds each answer by them):", "",
            "```text", *design.rating_rows(), "```", ""]


def platform_guide(design: FormDesign, platform: str) -> str:
    """The step-by-step text to build the form on ``platform`` (Markdown)."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}: one of {', '.join(PLATFORMS)}")
    instrument = design.instrument
    minutes = estimate_minutes(design)
    title = PLATFORM_NAMES[platform]
    lines = [f"# {instrument.title}: {title} set-up", ""]
    if platform == FORMS:
        lines += [
            "Create a new form (not a quiz). In **Settings** choose **Anyone can respond**, so partners in "
            "other Microsoft 365 tenants (councils, the voluntary sector, housing, primary care) can answer; "
            "the form then does not know who is answering, so the first two questions ask. Turn off "
            "**Shuffle questions**. Leave **One response per person** off (it needs sign-in).", "",
            "Microsoft Forms branches only on a single-answer Choice question, so each organisation's "
            "section opens with a Yes/No question: **Yes** goes on to that organisation's people, **No** "
            "skips to the next section. Build every section first, then add the branching "
            "(**...** > **Add branching**).", ""]
    elif platform == GOOGLE:
        lines += [
            "Create a new form. In **Settings > Responses**: **Collect email addresses: Responder input** "
            "(respondents type it; no Google account is needed), and leave **Limit to 1 response** off "
            "(it needs a Google sign-in, which most NHS and council staff do not have).", "",
            "Google Forms branches only on a Multiple choice or Dropdown question, so each organisation "
            "is opened by a Yes/No question in a section of its own: **Yes** goes to that organisation's "
            "people, **No** to the next organisation's question (set **Go to section based on answer**). "
            "At the end of each people section, **After section: continue to** the next organisation's "
            "question.", ""]
    else:
        lines += [
            "Create a new survey. Distribute it with an **Anonymous link** (anyone with the link can answer, "
            "whatever their organisation); the survey asks who is answering. In **Survey options** allow "
            "respondents to finish later and leave **Prevent multiple submissions** off (people share "
            "computers; onatool keeps each person's latest complete response and reports the others). "
            "Export the data as CSV with **Use choice text**.", "",
            f"After the About you block, one Multiple choice question (**Allow multiple answers**, export "
            f"tag `{QUALTRICS_ORGS_TAG}`): *{design.organisations_question}*, one choice per organisation "
            "below. Then a block per organisation with **Display logic**: show the block's questions if "
            f"`{QUALTRICS_ORGS_TAG}` **Is Selected** that organisation.", ""]
    lines += _intro(design, minutes) + _identity(design, platform)
    if design.rated():
        lines += ["## Trust and value between partner organisations", "",
                  "Each organisation opened by the respondent starts with one grid of PARTNER's six trust and "
                  "value statements about that organisation (Varda et al. 2008): three about the value it brings "
                  "(power and influence, level of involvement, resources contributed) and three about trust "
                  "(reliability, support of the shared mission, openness to discussion), each answered from "
                  "*Not at all* (1) to *A great deal* (4). Keep the statements' words and the answers' order "
                  "exactly as below.", ""]
    if design.free:
        box = {FORMS: "Text, **Long answer**", GOOGLE: "Paragraph", QUALTRICS: "Text entry, **Multiple lines**"}
        ahead = ("Type-ahead: Qualtrics can suggest roster names as people type if you add an autocomplete "
                 "script to these questions (question JavaScript; try it in the pilot). Without it, or on "
                 if platform == QUALTRICS else "Microsoft Forms and Google Forms have no type-ahead on text; on ")
        lines += ["## Section 2: The people you name", "",
                  "Free recall, for places too large for lists: people type the names they think of. "
                  + ahead + "import onatool matches what was typed to the roster (accents, \"Surname, First\", "
                  "a letter missing are matched; a bare first name waits for your decision, kept for "
                  "the next wave).", ""]
        for q in design.tick_questions():
            tag = f" Export tag `free_{q.relation}`." if platform == QUALTRICS else ""
            lines += [f"### {design.free_question(q)}", "", f"Type: {box[platform]}. Not required.{tag}"
                      + (f" Subtitle: {q.help}" if q.help else ""), ""]
    for section in design.sections:
        gate = design.gate(section)
        lines += [f"## Section {section.number + 1 + design.free}: {section.title}", ""]
        if platform == QUALTRICS:
            lines += [f"Block with display logic: `{QUALTRICS_ORGS_TAG}` is selected: {section.title}.", ""]
        else:
            how = ("Type: Choice (single answer): Yes, No; required. First question of the section. "
                   "Branching: Yes, go to the next question; No, go to the next section."
                   if platform == FORMS else
                   "Type: Multiple choice: Yes, No; required; alone in its section. **Go to section based on "
                   "answer**: Yes, the section of this organisation's people; No, the next organisation's "
                   "question.")
            lines += [f"### {gate}", "", how, ""]
        for rated in design.rated(section):
            lines += _rating_grid(design, rated, platform)
        for name_list in section.lists:
            if len(section.lists) > 1:
                lines += [f"### {name_list.title}: {', '.join(name_list.teams)}", ""]
            for q in design.listed_questions():
                text = design.question(q, name_list)
                if instrument.is_tick(q):
                    kind = {FORMS: "Choice, **Multiple answers** on",
                            GOOGLE: "Checkboxes",
                            QUALTRICS: "Multiple choice, **Allow multiple answers**"}[platform]
                    tag = f" Export tag `{name_list.key}_{q.relation}`." if platform == QUALTRICS else ""
                    other = (" No *Other* choice: its text would come in a column of its own; add anyone "
                             "missing to the roster before sending." if platform == QUALTRICS else
                             " Add an **Other** option for someone missing from the list: what is typed is "
                             "matched to the roster on import.")
                    lines += [f"#### {text}", "", f"Type: {kind}. Not required.{tag}{other} Options, one per "
                              "line (paste them into the first option):", "", *_names_block(name_list)]
                    continue
                answers = [a for a, _ in instrument.scales[q.scale]]
                if platform == QUALTRICS:
                    lines += [f"#### {design.name_first(q, name_list)}", "",
                              f"Type: Multiple choice, **Allow multiple answers**. Export tag "
                              f"`{name_list.key}_{q.relation}_named`. Options:", "", *_names_block(name_list),
                              f"#### {text}", "",
                              f"Type: Matrix table (Likert, single answer). Export tag `{name_list.key}_{q.relation}`. "
                              "Statements: **Carry forward selected choices** from the question above, so "
                              "strength is asked only for the people named. Scale points: "
                              + ", ".join(answers) + ". Add **Force response** so nobody named is left "
                              "without an answer.", ""]
                else:
                    kind = "Likert" if platform == FORMS else "Multiple choice grid"
                    rows = "Statements" if platform == FORMS else "Rows"
                    lines += [f"#### {text}", "",
                              f"Type: {kind}. Not required; tell respondents to answer only for the people "
                              f"they work with and to leave the rest blank ({title} cannot show only the "
                              f"people named earlier). Options (columns): {', '.join(answers)}. "
                              f"{rows}, one per line:", "", *_names_block(name_list)]
        lines += [""]
    recipe_file = {FORMS: "forms_recipe.yaml", QUALTRICS: "qualtrics_recipe.yaml", GOOGLE: "google_recipe.yaml"}
    download = {FORMS: "Responses > Open in Excel", QUALTRICS: "Data & Analysis > Export & Import > Export data "
                "> CSV, Use choice text", GOOGLE: "Responses > Link to Sheets, then File > Download > CSV"}
    lines += ["## Importing the responses", "",
              f"Download the responses ({download[platform]}) and import them with the recipe written beside this "
              f"file: `onatool import --roster ROSTER --responses RESPONSES --recipe {recipe_file[platform]} "
              "--out OUT`. If you change a question's wording or a list, change the recipe too (or run the "
              "import wizard again).", ""]
    return "\n".join(lines)


def sending_guide(design: FormDesign) -> str:
    """Piloting, sending and reminders, with the estimate of time to complete (Markdown)."""
    minutes = estimate_minutes(design)
    sizes = [len(n.roster_ids) for n in design.lists()]
    return "\n".join([
        f"# {design.instrument.title}: piloting, sending and reminders", "",
        f"The form has {len(design.sections)} organisation sections and {len(design.lists())} lists of "
        f"{min(sizes, default=0)} to {max(sizes, default=0)} names ({design.people()} people). A respondent who "
        f"works with a third of the organisations and rates about 12 people takes about "
        f"**{minutes['typical']:.0f} minutes**; someone who works with one organisation about "
        f"{minutes['low']:.0f}, someone who works with every organisation up to {minutes['high']:.0f}. "
        "Say the typical figure in the invitation.", "",
        "## Pilot", "",
        "- Ask four to six people to complete it before it goes out: one top, one middle and one bottom "
        "if you can, from at least three organisations, including one outside the NHS who opens it "
        "from another Microsoft 365 tenant or a personal device.",
        "- Time them, and ask where they hesitated: missing or misspelt names, people in the wrong list, "
        "a question they read differently from its intent.",
        "- Import the pilot answers with the recipe (`onatool import ... --recipe`) and check the import "
        "report: every pilot respondent found by email, every name matched. Then delete the pilot "
        "responses (or mark them as tests) before sending.", "",
        "## Send", "",
        "- Send the link from a named, senior sponsor in the partnership (not a generic mailbox), to each "
        "person individually where you can, with why it matters, how long it takes, who sees what "
        "(maps are shared only in ways that do not identify anyone) and the closing date.",
        "- Keep it open for two to three weeks; avoid school holidays and the weeks of year-end returns.",
        "- Partners outside the NHS often block unknown senders: ask each organisation's lead to forward "
        "it as well.", "",
        "## Reminders", "",
        "- Send two reminders, about a week apart, to non-respondents only (compare the import's list of "
        "respondents with the roster), the last two days before closing.",
        "- Watch the response rate by organisation and by level as it comes in (the import report shows "
        "it): senior leaders and some organisations answer less. A personal note from their own "
        "leader helps more than another general reminder.",
        "- Aim for 70% or more overall; below about 60% the maps describe the respondents more than the "
        "place. Report the rate beside every result.", ""])
