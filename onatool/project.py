"""The one service the CLI and the app both call: a project in a workspace.

A :class:`Project` joins the file readers to the workspace. Everything a surface does
with a project goes through it, with the same defaults everywhere:

- its **key** lives in the workspace (one per project, never in a file beside the
  data); every saved wave records the key's fingerprint, and a wave read with another
  key is refused, a changed key between saved waves a loud warning;
- its **name decisions** have one store, the workspace (:meth:`Project.decide`,
  :meth:`Project.name_decisions`); a decisions file (``--decisions``) is the same
  decisions written out, for scripts;
- its **waves, roster and recipes**, read and saved whole;
- its **fixed layout**, computed once over every wave;
- **analysis and comparison** with one default relation (:func:`choose_relation`),
  stated in every output (:func:`relation_statement`).

The CLI without a named project runs the same code on a throwaway workspace
(:meth:`Project.throwaway`), deleted when the command ends.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from dataclasses import replace as replaced
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from onatool import schema
from onatool.errors import (
    DuplicateNameError,
    InputFormatError,
    NotDefinedError,
    NotFoundError,
    Place,
)
from onatool.io import (
    ImportResult,
    Roster,
    import_responses,
    read_matrix,
    read_network_file,
    read_roster,
    read_ties,
)
from onatool.io.matching import (
    Alias,
    Match,
    candidate_scores,
    decide,
    is_clear_match,
    normalise_name,
)
from onatool.io.networks import sniff_network
from onatool.io.recipe import Recipe
from onatool.io.result import WaveSource
from onatool.network import Network
from onatool.pseudonyms import adoptable_key_file, key_fingerprint, keys_match, read_key_file
from onatool.store import WaveInfo, Workspace, default_path

__all__ = [
    "ALL_RELATIONS", "DEFAULT_RELATION", "LAYOUTS", "MAX_NAME_LENGTH", "Candidate", "NameToDecide", "Project",
    "choose_relation", "home_workspace", "relation_statement",
]

#: Layout choices offered for a wave's answers; "survey export" detects the platform.
LAYOUTS = ("survey export", "edge list", "matrix")
#: The relation analysed when none is asked for, if the answers hold it.
DEFAULT_RELATION = "advice"
#: Asking for this relation merges every relation into one network.
ALL_RELATIONS = "all"
#: The longest project name accepted (it is shown in every output's provenance).
MAX_NAME_LENGTH = 100
#: What a decisions file holds (``--decisions``): its version, for later changes.
DECISIONS_FORMAT = "onatool name decisions 1"
#: How a name was resolved when it needed no person: never listed for review or revisiting.
_SETTLED = ("id", "email", "name", "blank")
#: The project setting holding its palette: ``{attribute: {group: colour}}``.
PALETTE_SETTING = "palette"


@dataclass(frozen=True)
class Candidate:
    """A roster person offered for a typed name, with what tells them apart."""

    person_id: str
    name: str
    organisation: str
    team: str
    level: str
    score: float  # 0-100, the matcher's scorer on the typed name and the roster name


@dataclass(frozen=True)
class NameToDecide:
    """A typed name as a person sees it when deciding who it is.

    ``writers`` is how many respondents wrote it and ``organisations`` their number per
    organisation, groups under ``k`` merged into "Other" (counts only, never who).
    ``decision`` is the project's saved decision in words (empty: none yet); ``method``
    how the import resolved it; ``clear`` whether it is a clear match
    (:func:`onatool.io.matching.is_clear_match`).
    """

    raw: str
    method: str
    writers: int
    organisations: dict[str, int]
    candidates: tuple[Candidate, ...]
    clear: bool
    decision: str = ""
    person: str | None = None
    extra: dict = field(default_factory=dict)


# The default relation ---------------------------------------------------------------------
def choose_relation(networks: Sequence[Network], relation: str | None = None) -> str | None:
    """The relation every surface analyses: the one asked for, else ``advice``, else the first.

    One rule for the CLI's ``analyse``, ``compare`` and ``report``, and the app's pages.

    Parameters
    ----------
    networks
        The waves analysed together.
    relation
        The relation asked for; ``"all"`` (or the app's "All relations") merges every
        relation; None takes the default: ``advice`` if any wave holds it, else the
        first relation by name.

    Returns
    -------
    str or None
        The relation; None means every relation merged.

    Raises
    ------
    NotDefinedError
        If the relation asked for is in none of the waves.

    Examples
    --------
    >>> waves = [Network.from_edges([("a", "b")], relation="trust"),
    ...          Network.from_edges([("a", "b")], relation="advice")]
    >>> choose_relation(waves), choose_relation(waves, "trust"), choose_relation(waves, "all")
    ('advice', 'trust', None)
    >>> choose_relation(waves[:1])
    'trust'
    """
    present = sorted({r for n in networks for r in n.relation_names})
    if relation is not None and relation.strip().casefold() in (ALL_RELATIONS, "all relations"):
        return None
    if relation is not None:
        if relation not in present:
            raise NotDefinedError(
                f"relation {relation!r} is not in the answers; they hold {', '.join(present) or 'none'} "
                f"(or ask for {ALL_RELATIONS!r} to merge them)"
            )
        return relation
    if not present:
        return None
    return DEFAULT_RELATION if DEFAULT_RELATION in present else present[0]


def relation_statement(relation: str | None, asked: str | None = None) -> str:
    """The sentence every output carries about the relation analysed.

    Examples
    --------
    >>> relation_statement("advice")
    "Relation: advice (the default: 'advice' when the answers hold it, else the first by name; 'all' merges them)."
    >>> relation_statement(None, "all")
    'Relation: all relations merged (as asked).'
    """
    what = relation if relation is not None else "all relations merged"
    if asked is not None:
        return f"Relation: {what} (as asked)."
    return (f"Relation: {what} (the default: {DEFAULT_RELATION!r} when the answers hold it, else the first "
            f"by name; {ALL_RELATIONS!r} merges them).")


# Where projects live ----------------------------------------------------------------------
def home_workspace() -> Workspace:
    """The per-user workspace: ``$ONATOOL_WORKSPACE``, else ``workspace.sqlite`` in ``$ONATOOL_HOME``.

    Moving ``ONATOOL_HOME`` moves the workspace and every project key in it together.
    """
    return Workspace(default_path())


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputFormatError(f"a project name must be non-empty text, got {name!r}",
                               expected="a name such as 'North place'")
    name = name.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise InputFormatError(
            f"the project name is {len(name)} characters long",
            expected=f"at most {MAX_NAME_LENGTH} characters (a short name; put detail in the description)",
        )
    if any(ord(c) < 32 for c in name):
        raise InputFormatError("the project name holds a control character (a line break or tab)",
                               expected="a name on one line")
    return name


# The project ------------------------------------------------------------------------------
class Project:
    """One project of a workspace: the service behind every command and page.

    Parameters
    ----------
    workspace
        The workspace holding the project.
    name
        The project's name (ignoring case); it must exist (see :meth:`open`).

    Raises
    ------
    NotFoundError
        If the workspace has no such project.

    Examples
    --------
    >>> with Project.throwaway("demo") as project:
    ...     project.name, project.fingerprint.startswith("k-"), project.waves()
    ('demo', True, [])
    """

    def __init__(self, workspace: Workspace, name: str):
        self.workspace = workspace
        self._id = workspace.project(name).id

    # Opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, workspace: Workspace, name: str, *, create: bool = False, description: str = "") -> Project:
        """Open a project, creating it (with its own new key) if asked and missing.

        Two processes creating the same project at once both end with the one project
        and its one key. With ``create``, a key file that onatool's command line kept
        before keys moved into the workspace (``<home>/keys/<name>.key``) is adopted,
        so earlier outputs' pseudonyms still line up, but only when the file's name
        is exactly the project's (names that differ in punctuation once shared a file).

        Raises
        ------
        NotFoundError
            If the project is missing and ``create`` is False.
        InputFormatError
            A name that is empty, longer than :data:`MAX_NAME_LENGTH` or on more
            than one line; a damaged old key file.
        WorkspaceError
            If the workspace cannot be written (the message says where and why).
        """
        name = _check_name(name)
        try:
            return cls(workspace, name)
        except NotFoundError:
            if not create:
                raise
        key_file = adoptable_key_file(name)
        key = read_key_file(key_file) if key_file is not None else None
        if key is not None and key_fingerprint(key) in _fingerprints(workspace):
            key = None  # another project adopted it already: never two projects on one key
        with suppress(DuplicateNameError):  # another process created it a moment ago: open theirs
            workspace.create_project(name, description=description, key=key)
        return cls(workspace, name)

    @classmethod
    def create(cls, workspace: Workspace, name: str, *, description: str = "") -> Project:
        """Create a new project (refusing a name already taken).

        Raises
        ------
        DuplicateNameError
            If a project of that name exists.
        InputFormatError
            If the name is empty, too long or on more than one line.
        """
        workspace.create_project(_check_name(name), description=description)
        return cls(workspace, name.strip())

    @classmethod
    @contextmanager
    def throwaway(cls, name: str = "scratch") -> Iterator[Project]:
        """The same service on a temporary workspace, deleted afterwards (a fresh key).

        For the command line without ``--project``: pseudonyms are then stable
        within the command, not between runs.
        """
        with tempfile.TemporaryDirectory(prefix="onatool-scratch-") as folder:
            project = cls.open(Workspace(Path(folder) / "workspace.sqlite"), name, create=True)
            project._throwaway = True
            yield project

    # What it is ---------------------------------------------------------------------------
    _throwaway = False

    @property
    def is_throwaway(self) -> bool:
        """Whether the project lives on a temporary workspace that ends with the command
        (its audit entries then go to the per-user audit file)."""
        return self._throwaway

    @property
    def name(self) -> str:
        """The project's name as it is now (renames included)."""
        return self.workspace.project(self._id).name

    @property
    def key(self) -> bytes:
        """The project's secret pseudonym key: for readers only, never for an output."""
        return self.workspace.project_key(self._id)

    @property
    def fingerprint(self) -> str:
        """The key's fingerprint (:func:`onatool.pseudonyms.key_fingerprint`), for outputs."""
        return key_fingerprint(self.key)

    def __repr__(self) -> str:
        return f"Project({self.workspace!r}, {self.name!r})"

    def rename(self, new_name: str) -> str:
        """Give the project another name (its key, waves and decisions stay); returns it.

        Raises
        ------
        InputFormatError
            If the name is empty, too long or on more than one line.
        DuplicateNameError
            If another project has it.
        """
        return self.workspace.rename_project(self._id, _check_name(new_name)).name

    def key_warnings(self) -> list[str]:
        """Loud warnings when saved waves were read with a key other than the project's.

        Their ids would not line up with the others': every person would look like a
        leaver and a joiner. Empty when every wave that recorded its key used this one.
        """
        current = self.fingerprint
        other = [w for w in self.waves() if w.key_fingerprint not in (None, current)]
        if not other:
            return []
        listed = ", ".join(f"{w.name!r} (key {w.key_fingerprint})" for w in other)
        return [f"the pseudonym key of project {self.name!r} changed: wave(s) {listed} were read with another "
                f"key than the project's ({current}), so their people do not line up with the other waves'. "
                "Import those waves again (or restore the workspace they were read in)"]

    # Waves --------------------------------------------------------------------------------
    def waves(self) -> list[WaveInfo]:
        """The saved waves in survey order, each with the key fingerprint it was read with."""
        return self.workspace.waves(self._id)

    def wave_names(self) -> list[str]:
        """The saved waves' names, in survey order."""
        return [w.name for w in self.waves()]

    def load_wave(self, wave: str) -> Network:
        """One saved wave."""
        return self.workspace.load_wave(self._id, wave)

    def roster(self, roster_file: str | Path | None = None, *, recipe: Recipe | None = None) -> Roster:
        """The roster to read a wave against: a new file (read with the project's key) or the saved one.

        Raises
        ------
        NotFoundError
            If no file is given and the project has no saved roster yet.
        """
        order = tuple(self.wave_names())  # a roster's changed_in waves are placed in time by the saved ones
        if roster_file is not None:
            maps = dict(recipe.roster) if recipe is not None else {}
            roster = read_roster(roster_file, key=self.key, column_map=maps.get("column_map"),
                                 value_maps=maps.get("value_maps"))
            return replaced(roster, wave_order=order)
        try:
            people, identities = self.workspace.load_roster(self._id)
        except NotFoundError:
            raise NotFoundError(
                f"project {self.name!r} has no roster yet: give one with the first wave"
            ) from None
        return Roster(people, identities, wave_order=order)

    def read_wave(
        self,
        answers: str | Path,
        *,
        layout: str = "edge list",
        wave: str | None = None,
        roster_file: str | Path | None = None,
        relation: str | None = None,
        recipe: Recipe | None = None,
        detect_layout: str | None = None,
        sheet: str | None = None,
    ) -> ImportResult:
        """Read one wave's answers with the project's key and name decisions; nothing is saved.

        Parameters
        ----------
        answers
            The answers file.
        layout
            One of :data:`LAYOUTS`.
        wave
            The wave's label (default: from the file).
        roster_file
            A new or updated roster; default: the project's saved roster.
        relation
            For an edge list or matrix without a relation column.
        recipe
            For a survey export: how to read it (default: detected).
        detect_layout
            For a survey export without a recipe: the layout to assume when detecting.
        sheet
            The workbook sheet to read (default: as each reader chooses).

        Notes
        -----
        A whole-network file (GraphML, GEXF, Pajek, UCINET DL, Kumu, Polinode) read as an
        edge list needs no roster when the project has none: its nodes are the roster.
        """
        if layout not in LAYOUTS:
            raise InputFormatError(f"layout {layout!r} is not known", expected=", ".join(LAYOUTS))
        if (layout == "edge list" and roster_file is None and not self.has_roster()
                and sniff_network(answers)):
            result = read_network_file(answers, key=self.key, wave=wave, relation=relation, sheet=sheet)
        else:
            roster = self.roster(roster_file, recipe=recipe if layout == "survey export" else None)
            if layout == "survey export":
                result = import_responses(roster, answers, key=self.key, recipe=recipe,
                                          aliases=self.name_decisions(), wave=wave, layout=detect_layout,
                                          sheet=sheet)
            elif layout == "matrix":
                result = read_matrix(answers, roster, wave=wave, relation=relation)
            else:
                result = read_ties(answers, roster, wave=wave, relation=relation or "tie", sheet=sheet)
        if not Path(answers).is_file():  # a folder (a Network Canvas export): kept only as read
            return result
        options = {"layout": layout, "relation": relation, "sheet": sheet, "detect_layout": detect_layout,
                   "recipe": result.recipe.to_dict() if result.recipe is not None else None}
        return replaced(result, source=WaveSource(Path(answers).name, Path(answers).read_bytes(), options))

    def has_roster(self) -> bool:
        """Whether the project has a saved roster."""
        try:
            self.workspace.load_roster(self._id)
        except NotFoundError:
            return False
        return True

    def check_key(self, result: ImportResult) -> None:
        """Refuse a wave whose ids were not made with this project's key.

        Raises
        ------
        InputFormatError
            If the roster's pseudonyms come from another key (another project's, or
            a key that has changed): saved, its people would not line up.
        """
        identities = result.roster.identities
        column = next((c for c in (schema.ID, schema.EMAIL) if c in identities.columns), None)
        if column is None or not len(identities):
            return
        known = identities[column].notna() & (identities[column].astype(str).str.strip() != "")
        if not keys_match(self.key, identities.index[known], identities.loc[known, column]):
            raise InputFormatError(
                f"wave {result.network.wave!r} was read with another pseudonym key than project "
                f"{self.name!r}'s ({self.fingerprint}); its people would not line up with the other waves'",
                expected="the wave read through this project (Project.read_wave)",
            )

    def save_wave(self, result: ImportResult, *, replace: bool = False) -> WaveInfo:
        """Save an import whole: the roster it used, the wave and its report, its recipe, its key.

        One transaction: if anything fails, nothing of the import is saved. The wave
        records the fingerprint of the key it was read with, and keeps the answers file
        it was read from (so :meth:`rederive_wave` can read it again).

        Raises
        ------
        InputFormatError
            If the wave was read with another key (see :meth:`check_key`).
        DuplicateNameError
            If the wave's name is taken and ``replace`` is False.
        """
        self.check_key(result)
        recipe = result.recipe.to_dict() if result.recipe is not None else None
        saved = self.workspace.save_import(
            self._id, result.roster.people, result.roster.identities, result.network,
            report=result.report.to_dict(), recipe=recipe, replace=replace, key_fingerprint=self.fingerprint,
            source=None if result.source is None else (result.source.file_name, result.source.body,
                                                       result.source.options),
        )
        # Each save of a wave is a check of the response (a partial export saved again adds one).
        self.record_responses(result.network, source=next(iter(result.report.rows_read), ""),
                              attributes=(schema.ORGANISATION, schema.LEVEL))
        return saved

    def rederive_wave(self, wave: str) -> ImportResult:
        """Read a saved wave again from the answers it was read from, with today's name decisions.

        After a decision changes (on the Names page, or ``--decisions``), the wave's ties
        follow it: the saved answers file is read again the same way (layout, recipe,
        relation, sheet) against the project's saved roster, and the wave is replaced
        in its place, with its report.

        Returns
        -------
        ImportResult
            The wave as read again (already saved).

        Raises
        ------
        NotFoundError
            If there is no such wave.
        NotDefinedError
            If the wave was saved without its answers file (saved before onatool kept
            them, or from a Network): import it again instead.
        """
        from onatool.files_safety import write_owner_only

        name = next((w for w in self.wave_names() if w.casefold() == str(wave).strip().casefold()), None)
        if name is None:
            raise NotFoundError(f"project {self.name!r} has no wave named {wave!r}; it has "
                                f"{', '.join(map(repr, self.wave_names())) or 'none'}")
        source = self.workspace.load_wave_source(self._id, name)
        if source is None:
            raise NotDefinedError(f"wave {name!r} was saved without the answers it was read from, so it cannot "
                                  "be read again here: import its answers file again (same wave name)")
        file_name, body, options = source
        recipe = Recipe.from_dict(options["recipe"]) if options.get("recipe") else None
        with tempfile.TemporaryDirectory(prefix="onatool-rederive-") as folder:
            answers = write_owner_only(Path(folder) / (Path(file_name).name or "answers"), body)
            result = self.read_wave(answers, layout=options.get("layout", "edge list"), wave=name,
                                    relation=options.get("relation"), recipe=recipe,
                                    detect_layout=options.get("detect_layout"), sheet=options.get("sheet"))
        self.save_wave(result, replace=True)
        return result

    # Recipes ------------------------------------------------------------------------------
    def saved_recipe(self, name: str = "latest") -> Recipe | None:
        """A saved recipe (by default the last one used), or None if there is none."""
        if name not in self.workspace.recipes(self._id):
            return None
        return Recipe.from_dict(self.workspace.load_recipe(self._id, name))

    # Name decisions -----------------------------------------------------------------------
    def name_decisions(self) -> dict[str, Alias]:
        """Every name decision of the project, by normalised name, reused in every wave."""
        return {text: Alias(text, d["decision"], d["person"], d["raw"], d["name"])
                for text, d in self.workspace.load_name_decisions(self._id).items()}

    def save_name_decisions(self, decisions: Mapping[str, Alias], *, replace: bool = False) -> None:
        """Keep name decisions (roster ids, never pseudonyms) in the workspace."""
        self.workspace.save_name_decisions(
            self._id, {text: {k: v for k, v in asdict(a).items() if k != "text"} for text, a in decisions.items()},
            replace=replace,
        )

    def decide(
        self,
        result: ImportResult,
        raw: str,
        action: str,
        *,
        person: str | None = None,
        name: str = "",
    ) -> Alias:
        """Record one decision about a name under review, and keep it.

        Parameters
        ----------
        result
            The import whose review lists the name.
        raw
            The name as written.
        action
            ``accept`` one of the candidates offered (``person`` a ``person_id``;
            default the first), ``choose`` any roster person (``person`` a
            ``person_id``), ``new`` (someone not on the roster; ``name`` default the
            text) or ``ignore``.

        Returns
        -------
        Alias
            The decision saved (with the person's stable roster id, not the pseudonym).

        Raises
        ------
        InputFormatError
            An unknown action, a candidate not offered, a person not on the roster.
        """
        return self._decide(result.report.names, result.roster.identities, raw, action, person=person, name=name)

    def _decide(self, names: Sequence[Mapping], identities: pd.DataFrame, raw: str, action: str, *,
                person: str | None = None, name: str = "") -> Alias:
        entry = next((e for e in names if e.get("raw") == raw), None)
        match = Match(raw, entry.get("person_id"), entry.get("method", "review"),
                      tuple(entry.get("candidates") or ())) if entry else raw
        book = decide({}, match, action, person=person, identities=identities, name=name)
        self.save_name_decisions(book)
        return next(iter(book.values()))

    def names_to_decide(self, result: ImportResult, *, k: int = 5) -> list[NameToDecide]:
        """The names of an import awaiting a person's decision, each with what helps decide.

        Parameters
        ----------
        result
            The import under review.
        k
            The disclosure threshold: organisations with fewer than ``k`` of a name's
            writers are counted together as "Other".
        """
        return self._describe(result.report.review(), result.roster, k=k)

    def accept_clear_matches(self, result: ImportResult, *, k: int = 5) -> list[str]:
        """Accept, in one step, every name under review that is a clear match; returns those names.

        "Clear" has one definition, beside the matcher's thresholds
        (:func:`onatool.io.matching.is_clear_match`): one candidate, close enough.
        """
        accepted = []
        for item in self.names_to_decide(result, k=k):
            if item.clear:
                self.decide(result, item.raw, "accept", person=item.candidates[0].person_id)
                accepted.append(item.raw)
        return accepted

    def wave_names_decided(self, wave: str, *, k: int = 5) -> list[NameToDecide]:
        """Every typed name of a saved wave that needed more than an exact match, to revisit.

        Names resolved by a decision, a close spelling, a review or not found at all,
        each with the project's saved decision (if any), its writers and candidates.
        """
        report = self.workspace.load_report(self._id, wave) or {}
        names = [n for n in report.get("names", []) if n.get("method") not in _SETTLED]
        return self._describe(names, self.roster(), k=k)

    def decide_in_wave(self, wave: str, raw: str, action: str, *, person: str | None = None,
                       name: str = "") -> Alias:
        """Record a decision about a name of a saved wave (see :meth:`decide`); re-derive the wave after.

        ``action`` is ``accept`` or ``choose`` (``person`` a ``person_id`` of the saved
        roster: the candidates offered by :meth:`wave_names_decided` or anyone),
        ``new`` or ``ignore``.
        """
        report = self.workspace.load_report(self._id, wave) or {}
        action = "choose" if action == "accept" else action  # an earlier decision left no candidates saved
        return self._decide(report.get("names", []), self.roster().identities, raw, action, person=person,
                            name=name)

    def forget_decision(self, raw: str) -> bool:
        """Remove the saved decision about a name (matched afresh next time); False if there was none."""
        text = normalise_name(raw)
        decisions = self.name_decisions()
        if text not in decisions:
            return False
        self.save_name_decisions({t: a for t, a in decisions.items() if t != text}, replace=True)
        return True

    def _describe(self, names: Sequence[Mapping], roster: Roster, *, k: int) -> list[NameToDecide]:
        from onatool.io.matching import RosterIndex
        from onatool.share.disclosure import Disclosure
        from onatool.share.gate import release

        people, identities = roster.people, roster.identities
        fresh = None  # the roster's own candidates, for names a decision settled (no candidates saved)
        saved = self.name_decisions()
        organisation = people[schema.ORGANISATION] if schema.ORGANISATION in people.columns else None
        roster_names = identities[schema.NAME] if schema.NAME in identities.columns else pd.Series(dtype=object)
        out = []
        for entry in names:
            raw = str(entry.get("raw", ""))
            writers = [w for w in entry.get("writers") or [] if w in people.index]
            counts: dict[str, int] = {}
            if organisation is not None and writers:
                orgs = organisation.reindex(writers).astype(object).fillna("(not recorded)")
                counts = release("labels", orgs, Disclosure(k=max(int(k), 1))).value_counts().to_dict()
            ids = [str(c) for c in entry.get("candidates") or [] if c in people.index]
            if not ids and entry.get("method") not in ("review", "ambiguous"):
                fresh = fresh or RosterIndex(identities)
                ids = [c for c in fresh.resolve(raw).candidates if c in people.index]
            scores = candidate_scores(raw, {c: roster_names.get(c) for c in ids})
            candidates = tuple(Candidate(c, _text(roster_names.get(c)), *(_text(people.at[c, col])
                                         if col in people.columns else "" for col in
                                         (schema.ORGANISATION, "team", schema.LEVEL)), scores[c]) for c in ids)
            decision = saved.get(normalise_name(raw))
            out.append(NameToDecide(
                raw, str(entry.get("method", "")), len(writers), {str(g): int(n) for g, n in counts.items()},
                candidates, entry.get("method") in ("review", "ambiguous") and is_clear_match(ids, scores),
                _decision_words(decision, identities), decision.person if decision else None,
            ))
        return out

    # Palette ------------------------------------------------------------------------------
    def palette(self, attribute: str, values: Sequence[object] = ()) -> dict[str, str]:
        """The project's colour for each group of ``attribute``: the same in every view, chart and report.

        Groups are the attribute's values on the saved roster plus ``values`` (for
        groups the roster does not hold, such as communities). Groups new to the
        project get the next free palette colours by name
        (:func:`onatool.viz.palette.assign`) and are kept, so a group keeps its colour
        when later waves bring new ones.
        """
        from onatool.viz.palette import assign

        every = dict(self.workspace.get_setting(self._id, PALETTE_SETTING, {}) or {})
        saved = dict(every.get(attribute) or {})
        groups = list(values)
        with suppress(NotFoundError):
            people = self.workspace.load_roster(self._id)[0]
            if attribute in people.columns:
                groups += list(people[attribute].dropna().astype(str).unique())
        colours = assign(groups, saved)
        if colours != saved:
            self.workspace.set_setting(self._id, PALETTE_SETTING, {**every, attribute: colours})
        return colours

    def set_colour(self, attribute: str, group: str, colour: str) -> dict[str, str]:
        """Give one group of ``attribute`` another colour (``#RRGGBB``); returns the palette.

        Raises
        ------
        InputFormatError
            If the colour is not ``#RRGGBB``.
        """
        from onatool.viz.palette import check_colour

        colour = check_colour(colour)
        every = dict(self.workspace.get_setting(self._id, PALETTE_SETTING, {}) or {})
        colours = {**self.palette(attribute), str(group): colour}
        self.workspace.set_setting(self._id, PALETTE_SETTING, {**every, attribute: colours})
        return colours

    def reset_palette(self, attribute: str) -> dict[str, str]:
        """Forget the colours chosen for ``attribute`` and assign them afresh by name."""
        every = dict(self.workspace.get_setting(self._id, PALETTE_SETTING, {}) or {})
        every.pop(attribute, None)
        self.workspace.set_setting(self._id, PALETTE_SETTING, every)
        return self.palette(attribute)

    def read_decisions_file(self, path: str | Path) -> int:
        """Add the decisions of a decisions file (``--decisions``) to the project's.

        Entries still undecided (``decision`` empty) are skipped. A missing file is
        no decisions yet. An older YAML alias file (an ``aliases`` list of the same
        entries) is read too.

        Returns
        -------
        int
            The number of decisions read.

        Raises
        ------
        InputFormatError
            An unreadable file, or an entry with an unknown decision or no name.
        """
        import yaml

        path = Path(path)
        if not path.exists():
            return 0
        place = Place(file=path.name)
        try:  # JSON, as onatool writes it; YAML too, for alias files kept before decisions moved here
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
            raise InputFormatError(f"the decisions file cannot be read ({type(exc).__name__})",
                                   expected="a JSON file written by onatool --decisions", place=place) from None
        entries = (data.get("decisions", data.get("aliases")) or []) if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise InputFormatError("the decisions file has no 'decisions' list",
                                   expected="a JSON file written by onatool --decisions", place=place)
        from onatool.io.matching import normalise_name

        book: dict[str, Alias] = {}
        for number, entry in enumerate(entries, start=1):
            if isinstance(entry, dict) and not entry.get("raw") and entry.get("text"):
                entry = {**entry, "raw": entry["text"]}
            if not isinstance(entry, dict) or not str(entry.get("raw") or "").strip():
                raise InputFormatError(f"decision {number} has no name", expected="'raw': the name as written",
                                       place=place)
            decision = str(entry.get("decision") or "").strip()
            if not decision:
                continue
            if decision not in ("chosen", "new person", "ignored"):
                raise InputFormatError(f"decision {number} ({entry['raw']!r}) is {decision!r}",
                                       expected="chosen, new person or ignored (or empty: undecided)", place=place)
            if decision == "chosen" and not str(entry.get("person") or "").strip():
                raise InputFormatError(f"decision {number} ({entry['raw']!r}) chooses nobody",
                                       expected="'person': the roster id of the person chosen", place=place)
            text = normalise_name(entry.get("text") or entry["raw"])
            person = str(entry["person"]).strip() if decision == "chosen" else None
            book[text] = Alias(text, decision, person, str(entry["raw"]), str(entry.get("name") or ""))  # type: ignore[arg-type]
        self.save_name_decisions(book)
        return len(book)

    def write_decisions_file(self, path: str | Path, result: ImportResult | None = None) -> Path:
        """Write the project's name decisions to a file (owner-only), and the names awaiting one.

        The file identifies people (names as typed, roster ids): keep it in a private
        folder, never beside shareable outputs. Names awaiting a decision are listed
        with ``decision`` empty and their candidates (roster id and name), to fill in
        and read back with ``--decisions``.
        """
        path = Path(path)
        if path.suffix.lower() != ".json":
            raise InputFormatError(f"name decisions are written as JSON, not to {path.name}",
                                   expected="a decisions file ending in .json")
        entries = [{"raw": a.raw or a.text, "decision": a.decision, "person": a.person, "name": a.name}
                   for a in sorted(self.name_decisions().values(), key=lambda a: a.text)]
        if result is not None:
            ids = result.roster.identities
            for item in result.report.review():
                entries.append({
                    "raw": item["raw"], "decision": "", "person": None, "name": "",
                    "candidates": [_roster_label(ids, c) for c in item.get("candidates", [])],
                })
        body = json.dumps({"format": DECISIONS_FORMAT, "project": self.name, "decisions": entries},
                          indent=2, ensure_ascii=False) + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(temporary, path)
        return path

    # Response tracking while a survey is open ------------------------------------------------
    def record_responses(self, network: Network, *, source: str, attributes: Sequence[str] = (),
                         at: datetime | None = None) -> dict:
        """Keep how many had answered when a partial export was read (the history of an open survey).

        The entry holds counts only (people and respondents, overall and per group of each
        attribute), in the project's private workspace; the pages and commands that show it
        pass it through the gate.

        Returns
        -------
        dict
            The entry kept: ``at`` (ISO time, UTC), ``wave``, ``source``, ``people``,
            ``respondents``, ``groups`` (attribute -> group -> [people, respondents]).
        """
        people = network.people
        groups = {}
        for attribute in attributes:
            if attribute in people.columns:
                counts = people.groupby(attribute, sort=True)[schema.RESPONDED].agg(["size", "sum"])
                groups[attribute] = {str(g): [int(n), int(r)] for g, (n, r) in counts.iterrows()}
        entry = {"at": (at or datetime.now(UTC)).isoformat(timespec="seconds"), "wave": network.wave,
                 "source": source, "people": int(network.n_people),
                 "respondents": int(people[schema.RESPONDED].sum()), "groups": groups}
        history = self.workspace.get_setting(self._id, _RESPONSE_HISTORY, [])
        self.workspace.set_setting(self._id, _RESPONSE_HISTORY, [*history, entry])
        return entry

    def write_reminders(self, wave: str, *, user: str) -> Reminders:
        """Who has not answered ``wave`` (id, name, email, organisation, level), for reminders.

        Written only to the private folder (:func:`onatool.share.gate.private_folder`) and
        recorded in the audit log as a reveal of names: never shown, never shared.
        """
        from onatool.outputs.files import write_csv
        from onatool.share.gate import private_folder

        network = self.load_wave(wave)
        table = reminder_list(network, self.roster().identities)
        path = write_csv(table, private_folder(self.name, "reminders") / f"not_answered_{wave}.csv", index=False)
        self.workspace.audit(self._id, user, "names revealed", f"reminder list of wave {wave!r}: {path}")
        return Reminders(path, len(table))

    def response_history(self, wave: str | None = None) -> pd.DataFrame:
        """Each partial export read so far (of ``wave``, or every wave): time, people, respondents, rate."""
        history = self.workspace.get_setting(self._id, _RESPONSE_HISTORY, [])
        rows = [{k: e[k] for k in ("at", "wave", "source", "people", "respondents")} for e in history
                if wave is None or e["wave"] == wave]
        table = pd.DataFrame(rows, columns=["at", "wave", "source", "people", "respondents"])
        table["response_rate"] = table["respondents"] / table["people"].where(table["people"] > 0)
        return table

    # Boards and forums ---------------------------------------------------------------------
    def import_membership(self, path: str | Path, *, sheet: str | None = None):
        """Read who sits on which board or forum against the project's roster, and keep it.

        Returns
        -------
        onatool.io.membership.Membership
            With its import report (every row and column accounted for).
        """
        from onatool.io.membership import MEMBERSHIP_SETTING, read_membership

        read = read_membership(path, self.roster(), sheet=sheet)
        self.workspace.set_setting(self._id, MEMBERSHIP_SETTING, read.as_setting())
        return read

    def membership(self):
        """The project's kept membership (:class:`~onatool.io.membership.Membership`), or None."""
        from onatool.io.membership import MEMBERSHIP_SETTING, Membership

        saved = self.workspace.get_setting(self._id, MEMBERSHIP_SETTING)
        return None if saved is None else Membership.from_setting(saved)

    def import_ratings(self, path: str | Path, *, sheet: str | None = None, recipe: str | Path | None = None,
                       user: str | None = None):
        """Read PARTNER trust and value ratings against the project's roster, and keep them.

        Parameters
        ----------
        path
            A ratings sheet (one row per respondent and organisation rated), or, with
            ``recipe``, a survey platform's export of the form ``onatool survey`` designed.
        sheet
            The workbook sheet of a ratings sheet.
        recipe
            The recipe the survey pack wrote for the export's platform.
        user
            Who imported them, for the audit log (default: the login).

        Returns
        -------
        onatool.io.ratings.Ratings
            With its import report (every row, and every answer off the scale, accounted for).
        """
        import getpass

        from onatool.io.ratings import RATINGS_SETTING, ratings_from_export, read_ratings

        if recipe is not None:
            from onatool.io.recipe import load_recipe

            read = ratings_from_export(path, load_recipe(recipe), self.roster())
        else:
            read = read_ratings(path, self.roster(), sheet=sheet)
        self.workspace.set_setting(self._id, RATINGS_SETTING, read.as_setting())
        self.workspace.audit(self._id, user or getpass.getuser(), "ratings imported",
                             f"{read.source}: {len(read.answers)} answers")
        return read

    def ratings(self):
        """The project's kept PARTNER ratings (:class:`~onatool.io.ratings.Ratings`), or None."""
        from onatool.io.ratings import RATINGS_SETTING, Ratings

        saved = self.workspace.get_setting(self._id, RATINGS_SETTING)
        return None if saved is None else Ratings.from_setting(saved)

    # Themes ----------------------------------------------------------------------------------
    def themes(self):
        """The theme set this project's findings are grouped by (:mod:`onatool.share.themes`)."""
        from onatool.share.themes import theme_set

        return theme_set(self.workspace.get_setting(self._id, _THEMES))

    def set_themes(self, themes: str | Mapping[str, Any]) -> None:
        """Use a bundled theme set (by name) or the partnership's own (title, themes, tags)."""
        from onatool.share.themes import theme_set

        chosen = theme_set(themes)  # checked before it is kept
        self.workspace.set_setting(self._id, _THEMES, themes if isinstance(themes, str) else chosen.as_dict())

    # Layout, analysis, comparison ---------------------------------------------------------
    def layout(self) -> pd.DataFrame:
        """The project's fixed map layout over every wave, computed once and saved."""
        from onatool.viz.layout import compute_layout

        saved = self.workspace.load_layout(self._id)
        waves = [self.load_wave(name) for name in self.wave_names()]
        everyone = pd.Index(sorted({pid for net in waves for pid in net.people.index}))
        if saved is not None and everyone.isin(saved.index).all():
            return saved
        fresh = compute_layout(waves, seed=0) if waves else pd.DataFrame(columns=["x", "y"])
        self.workspace.save_layout(self._id, fresh)
        return fresh

    def analyse(self, wave: str, *, relation: str | None = None, min_weight: float | None = None,
                previous: Any = None, seed: int = 0, **options: Any):
        """Every metric of one saved wave, on the default relation unless another is asked for."""
        network = self.load_wave(wave)
        return analyse_wave(network, relation=relation, min_weight=min_weight, previous=previous, seed=seed,
                            **options)

    def compare(self, waves: Sequence[str] | None = None, *, relation: str | None = None,
                min_weight: float | None = None, seed: int = 0, **options: Any):
        """The change between saved waves (default: all, in order) on the default relation."""
        networks = [self.load_wave(w) for w in (waves or self.wave_names())]
        return compare_networks(networks, relation=relation, min_weight=min_weight, seed=seed, **options)


def analyse_wave(network: Network, *, relation: str | None = None, **options: Any):
    """:func:`onatool.metrics.analyse` with the one default relation (:func:`choose_relation`)."""
    from onatool.metrics import analyse

    return analyse(network, relation=choose_relation([network], relation), **options)


def compare_networks(networks: Sequence[Network], *, relation: str | None = None, **options: Any):
    """:func:`onatool.compare.compare_waves` with the one default relation (:func:`choose_relation`)."""
    from onatool.compare import compare_waves

    return compare_waves(list(networks), relation=choose_relation(networks, relation), **options)


class Reminders(NamedTuple):
    """A reminder list written to the private folder: where, and how many people."""

    path: Path
    rows: int


def reminder_list(network: Network, identities: pd.DataFrame) -> pd.DataFrame:
    """Everyone in ``network`` who has not answered: roster id, name and email, organisation and level.

    Identifying: only ever written to the private folder (:meth:`Project.write_reminders`,
    ``onatool responses --reminders``).
    """
    people = network.people
    missing = people.index[~people[schema.RESPONDED].astype(bool)]
    keep = [c for c in (schema.ID, schema.NAME, schema.EMAIL) if c in identities.columns]
    extra = [c for c in (schema.ORGANISATION, schema.LEVEL) if c in people.columns]
    table = identities.reindex(missing)[keep].join(people.loc[missing, extra])
    return table.sort_values(keep[:1] or extra[:1]) if len(table) else table


#: The project setting that keeps each partial export's response counts (:meth:`Project.record_responses`).
_RESPONSE_HISTORY = "response_history"
#: The project setting naming its theme set, or holding its own (:meth:`Project.set_themes`).
_THEMES = "themes"


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)


def _decision_words(decision: Alias | None, identities: pd.DataFrame) -> str:
    """A saved decision in plain words: ``It is Jo Smith``, ``Someone not on the roster`` ..."""
    if decision is None:
        return ""
    if decision.decision == "ignored":
        return "Ignored"
    if decision.decision == "new person":
        return f"Someone not on the roster ({decision.name or decision.raw})"
    for column in (schema.ID, schema.EMAIL):
        if column in identities.columns:
            found = identities.index[identities[column].astype(str) == str(decision.person)]
            if len(found) and schema.NAME in identities.columns:
                return f"It is {_text(identities.at[found[0], schema.NAME])}"
    return f"It is {decision.name or decision.person}"


def _fingerprints(workspace: Workspace) -> set[str]:
    return {key_fingerprint(workspace.project_key(p.id)) for p in workspace.projects()}


def _roster_label(identities: pd.DataFrame, person_id: str) -> str:
    if person_id not in identities.index:
        return str(person_id)
    row = identities.loc[person_id]
    ident = next((str(row[c]) for c in (schema.ID, schema.EMAIL) if c in row.index and pd.notna(row[c])
                  and str(row[c]).strip()), str(person_id))
    name = str(row[schema.NAME]) if schema.NAME in row.index and pd.notna(row[schema.NAME]) else ""
    return f"{ident} ({name})" if name else ident
