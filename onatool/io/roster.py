"""The roster: one row per person in the bounded network, from CSV or XLSX.

Headers are mapped onto canonical names (``Org``, ``Employer`` -> ``organisation``),
level wording onto ``top``/``middle``/``bottom`` (``Senior leader`` -> ``top``), and
every other column is kept as an attribute. Each person gets a keyed pseudonym
``person_id`` and a display label; ids, names and emails go to a separate identity
table that only display and identifiable exports read.

People change organisation, team or level between waves. One roster can say so: a
person's row holds their values as at their last wave; ``changed_in`` names the wave
from which those values apply, and ``earlier_<column>`` (``earlier_organisation``,
``earlier_level`` ...) holds the value before it. Every wave is read against the
roster as at that wave (:func:`roster_for_wave`), which needs the waves' order in
time: each person's ``waves`` cell lists their waves in time order, and a project's
saved waves come before a new one (:attr:`Roster.wave_order`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io.matching import RosterIndex
from onatool.io.report import ImportReport
from onatool.io.tables import Sheet, paused_gc, read_table, sheet_row, stripped
from onatool.pseudonyms import pseudonym, pseudonym_labels

__all__ = ["CHANGED_IN", "EARLIER", "Roster", "add_people", "read_roster", "roster_for_wave", "roster_from_sheet",
           "wave_order"]

#: Roster column naming the wave from which a person's (changed) values apply.
CHANGED_IN = "changed_in"
#: Prefix of the roster columns holding a value as it was before ``changed_in``.
EARLIER = "earlier_"

_TRUE = {"yes", "y", "true", "1", "responded", "x"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass(frozen=True, eq=False)
class Roster:
    """People of a project: attributes, identities and how the file was read.

    Attributes
    ----------
    people
        Indexed by ``person_id``: ``label`` then the attribute columns.
    identities
        Indexed by ``person_id``: ``id``, ``name``, ``email`` (identifying).
    responded
        Per person, what the roster says about responding (True/False), or empty when
        the roster has no such column.
    waves
        Per person, the wave labels in which they belong to the bounded network
        (``;``-separated in the file, in time order); people not listed belong to
        every wave.
    report
        The accounting of the roster file's rows.
    wave_order
        Waves known to come first, in time order (a project's saved waves); see
        :func:`wave_order`.
    """

    people: pd.DataFrame
    identities: pd.DataFrame
    responded: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    report: ImportReport = field(default_factory=ImportReport)
    waves: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    wave_order: tuple[str, ...] = ()

    def members(self, wave: str) -> pd.Index:
        """The people who belong to the network in ``wave``."""
        limited = self.waves.reindex(self.people.index)
        inside = limited.map(lambda labels: not isinstance(labels, tuple | frozenset) or wave in labels)
        return self.people.index[inside.to_numpy(dtype=bool)]

    def index(self, aliases: dict[str, str | None] | None = None) -> RosterIndex:
        """Exact lookup of this roster's ids, emails and names."""
        return RosterIndex(self.identities, aliases)


def read_roster(
    path: str | Path,
    *,
    key: bytes,
    sheet: str | None = None,
    column_map: Mapping[str, str] | None = None,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> Roster:
    """Read a roster file.

    Parameters
    ----------
    path
        CSV or XLSX with a header row.
    key
        The project's pseudonym key (:func:`onatool.pseudonyms.read_or_create_key`).
    sheet
        The XLSX sheet to read (default: the first with data).
    column_map
        Extra header variants, ``{"Home organisation": "organisation"}``; they win
        over the built-in ones.
    value_maps
        Recodes per canonical column, ``{"level": {"Band 8d+": "top"}}``.

    Returns
    -------
    Roster

    Raises
    ------
    InputFormatError
        No id or email column; a repeated id; two columns meaning the same thing.
    """
    return roster_from_sheet(
        read_table(path, sheet=sheet), key=key, column_map=column_map, value_maps=value_maps
    )


@paused_gc()
def roster_from_sheet(
    table: Sheet,
    *,
    key: bytes,
    column_map: Mapping[str, str] | None = None,
    value_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> Roster:
    """Build a :class:`Roster` from a table already read (see :func:`read_roster`)."""
    report = ImportReport()
    data = table.data
    report.read(table.file, table.sheet, len(data))
    value_maps = {k: dict(v) for k, v in (value_maps or {}).items()}

    # Headers -> canonical names; other columns kept as they are.
    renames: dict[str, str] = {}
    claimed: dict[str, str] = {}
    for column in data.columns:
        canonical = schema.canonical_header(column, dict(column_map or {}))
        if canonical in (*schema.ROSTER_COLUMNS, schema.RESPONDED, schema.WAVES):
            if canonical in claimed:
                raise InputFormatError(
                    f"columns {claimed[canonical]!r} and {column!r} both look like {canonical!r}",
                    expected="one column per meaning; rename or remove one (or map it in the recipe)",
                    place=table.place(row=1, column=column),
                )
            claimed[canonical] = column
            renames[column] = canonical
        else:
            renames[column] = str(column).strip()
    data = stripped(data.rename(columns=renames))
    if len(data):
        data = data.astype("str")  # the text dtype a cell-by-cell str(v).strip() gives
    if schema.ID not in data.columns and schema.EMAIL not in data.columns:
        raise InputFormatError(
            "the roster has no column identifying people",
            expected="an 'id' column (or 'email') that stays the same in every wave",
            place=table.place(row=1),
        )
    identifier = schema.ID if schema.ID in data.columns else schema.EMAIL

    # Rows: empty and unidentified rows are dropped, repeated ids refused.
    empty = (data == "").all(axis=1).to_numpy(dtype=bool)
    unidentified = ~empty & (data[identifier] == "").to_numpy(dtype=bool)
    for position in np.flatnonzero(empty | unidentified):
        reason = "empty row" if empty[position] else f"no {identifier}"
        report.add_row(table.file, table.sheet, sheet_row(int(position)), "dropped", reason)
    keep = np.flatnonzero(~(empty | unidentified))
    data = data.iloc[keep]
    numbers = [sheet_row(p) for p in keep.tolist()]
    folded = data[identifier].str.casefold()
    repeated = folded[folded.duplicated(keep=False)]
    if len(repeated):
        first = repeated.iloc[0]
        rows = [n for n, v in zip(numbers, folded, strict=True) if v == first]
        raise InputFormatError(
            f"{identifier} {data[identifier][folded == first].iloc[0]!r} appears on rows "
            f"{', '.join(map(str, rows))}",
            expected=f"each person once, with a unique {identifier}",
            place=table.place(row=rows[1], column=claimed.get(identifier, identifier)),
        )

    person_ids = [pseudonym(key, v) for v in data[identifier].tolist()]
    if len(set(person_ids)) != len(person_ids):  # 64-bit collision: astronomically rare
        raise InputFormatError("two identifiers gave the same pseudonym; use a new project key")
    data.index = pd.Index(person_ids, name=schema.PERSON_ID)
    identities = data.reindex(columns=list(schema.IDENTITY_COLUMNS), fill_value="")

    # Attributes: canonical ones (recoded), then extras in file order.
    changed: dict[int, list[str]] = {}
    kept = [c for c in data.columns if c not in (*schema.IDENTITY_COLUMNS, schema.RESPONDED, schema.WAVES)]
    attributes = data[kept].replace({"": pd.NA})  # whole-table steps: a roster may have 10,000 columns
    for column in kept:
        recode = value_maps.get(column, {})
        if not recode and column not in (schema.LEVEL, schema.ACTOR_TYPE):
            continue
        values = attributes[column]
        if recode:
            values = values.map(lambda v, r=recode: r.get(v, v) if isinstance(v, str) else v)
        if column == schema.LEVEL:
            values = _levels(values, recode, numbers, changed)
        if column == schema.ACTOR_TYPE:
            values = _actor_types(values, numbers, changed)
        attributes[column] = values
    attributes = attributes.astype("string")
    ordered = [c for c in schema.ATTRIBUTE_COLUMNS if c in attributes.columns]
    attributes = attributes[ordered + [c for c in attributes.columns if c not in ordered]]
    labels = pseudonym_labels(key, attributes.index)
    attributes.insert(0, schema.LABEL, attributes.index.map(labels).astype("string"))

    responded = pd.Series(dtype=bool)
    if schema.RESPONDED in data.columns:
        responded = data[schema.RESPONDED].str.casefold().map(
            lambda v: True if v in _TRUE else False if v in _FALSE else pd.NA
        )
        for number, value, raw in zip(numbers, responded, data[schema.RESPONDED], strict=True):
            if value is pd.NA:
                changed.setdefault(number, []).append(
                    f"responded {raw!r} not understood (yes/no); treated as unknown"
                )
        responded = responded.dropna().astype(bool)

    waves = pd.Series(dtype=object)
    if schema.WAVES in data.columns:
        listed = data[schema.WAVES].map(lambda v: tuple(dict.fromkeys(w.strip() for w in v.split(";") if w.strip())))
        waves = listed[listed.map(bool)]

    for number in numbers:
        if number in changed:
            report.add_row(table.file, table.sheet, number, "changed", "; ".join(changed[number]))
        else:
            report.add_row(table.file, table.sheet, number, "kept")
    return Roster(attributes, identities, responded, report, waves)


def _levels(
    values: pd.Series, recode: dict[str, str], numbers: list[int], changed: dict[int, list[str]]
) -> pd.Series:
    """Map level wording to top/middle/bottom; unknown wording becomes missing, reported."""
    read: dict[str, object] = {}
    out = []
    for number, value in zip(numbers, values.tolist(), strict=True):
        if pd.isna(value):  # blank in the file: not recorded, nothing to report
            out.append(pd.NA)
            continue
        if value not in read:
            level = schema.canonical_level(value, recode)
            read[value] = level if level in schema.LEVELS else None
        level = read[value]
        if level is None:
            changed.setdefault(number, []).append(
                f"level {value!r} not recognised (expected top, middle or bottom, or a mapped "
                "wording such as 'Senior leader'); left blank"
            )
            level = pd.NA
        out.append(level)
    return pd.Series(out, index=values.index, dtype="object")


def _actor_types(values: pd.Series, numbers: list[int], changed: dict[int, list[str]]) -> pd.Series:
    """Map the kind of person to one of :data:`onatool.schema.ACTOR_TYPES`; unknown wording
    becomes "other", reported (never dropped: a person outside the staff list still counts)."""
    read: dict[str, str | None] = {}
    out = []
    for number, value in zip(numbers, values.tolist(), strict=True):
        if pd.isna(value):
            out.append(pd.NA)
            continue
        if value not in read:
            read[value] = schema.canonical_actor_type(value)
        kind = read[value]
        if kind is None:
            changed.setdefault(number, []).append(
                f"actor type {value!r} not recognised (expected {', '.join(schema.ACTOR_TYPES)}); read as 'other'")
            kind = schema.OTHER_ACTOR
        out.append(kind)
    return pd.Series(out, index=values.index, dtype="object")


def add_people(roster: Roster, names: list[str], *, key: bytes) -> Roster:
    """The roster with people added by "new person" decisions (not on the roster file).

    Each gets the roster id ``new:<normalised name>`` (see
    :func:`onatool.io.matching.new_person_id`), a keyed ``person_id``, the next free
    label, and blank attributes; the addition is noted in the roster's report.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_text("id,name\\nA,Ann Lee\\n")
    >>> grown = add_people(read_roster(p, key=b"k" * 32), ["Jo Bloggs"], key=b"k" * 32)
    >>> grown.identities["id"].tolist(), grown.people["label"].tolist()
    (['A', 'new:jo bloggs'], ['P001', 'P002'])
    """
    from onatool.io.matching import new_person_id

    fresh = [n for n in dict.fromkeys(names)
             if pseudonym(key, new_person_id(n)) not in roster.people.index]
    if not fresh:
        return roster
    ids = [pseudonym(key, new_person_id(n)) for n in fresh]
    identities = pd.DataFrame(
        {schema.ID: [new_person_id(n) for n in fresh], schema.NAME: fresh, schema.EMAIL: ""},
        index=pd.Index(ids, name=schema.PERSON_ID),
    ).reindex(columns=roster.identities.columns, fill_value="")
    taken = [int(label[1:]) for label in roster.people[schema.LABEL].dropna() if str(label)[1:].isdigit()]
    start = max(taken, default=0) + 1
    width = max(3, len(str(start + len(fresh))))
    people = pd.DataFrame(index=identities.index, columns=roster.people.columns, dtype=object)
    people[schema.LABEL] = [f"P{n:0{width}d}" for n in range(start, start + len(fresh))]
    people = pd.concat([roster.people, people.astype(roster.people.dtypes.to_dict())])
    report = roster.report.merge(ImportReport())
    report.note(f"{len(fresh)} people added to the roster by a 'new person' decision: "
                + ", ".join(people.loc[ids, schema.LABEL]))
    return Roster(people, pd.concat([roster.identities, identities]), roster.responded, report, roster.waves,
                  roster.wave_order)


def wave_order(roster: Roster, waves: Sequence[str] | None = None) -> tuple[str, ...]:
    """The waves in time order, as far as the roster (and ``waves``) tell.

    Each person's ``waves`` cell lists their waves in time order (``baseline;interim``),
    so the cells together order every wave they name; ``waves`` (else
    :attr:`Roster.wave_order`, a project's saved waves) gives further ones, in order.
    A wave that is neither is not ordered.

    Raises
    ------
    InputFormatError
        The cells contradict each other (``baseline;final`` and ``final;baseline``).

    Examples
    --------
    >>> r = Roster(pd.DataFrame(index=pd.Index(["p1", "p2"], name="person_id")), pd.DataFrame(),
    ...            waves=pd.Series({"p1": ("baseline", "interim"), "p2": ("interim", "final")}))
    >>> wave_order(r)
    ('baseline', 'interim', 'final')
    """
    after: dict[str, set[str]] = {}
    seen: list[str] = []
    for labels in roster.waves:
        labels = list(labels)
        for label in labels:
            if label not in after:
                after[label] = set()
                seen.append(label)
        for earlier, later in zip(labels, labels[1:], strict=False):
            after[earlier].add(later)
    for label in [*(waves if waves is not None else roster.wave_order)]:
        if label not in after:
            after[label] = set()
            seen.append(label)
    given = list(waves if waves is not None else roster.wave_order)
    for earlier, later in zip(given, given[1:], strict=False):
        after[earlier].add(later)
    order: list[str] = []
    left = {label: {e for e, ls in after.items() if label in ls} for label in seen}
    while left:
        ready = [label for label in seen if label in left and not left[label]]
        if not ready:
            raise InputFormatError(
                f"the roster's 'waves' cells give the waves {', '.join(sorted(left))} in contradictory orders",
                expected="each person's waves listed in time order, separated by ';'",
            )
        order.append(ready[0])
        del left[ready[0]]
        for rest in left.values():
            rest.discard(ready[0])
    return tuple(order)


def roster_for_wave(roster: Roster, wave: str, waves: Sequence[str] | None = None) -> Roster:
    """The roster as at ``wave``: earlier values for people who changed in a later wave.

    Parameters
    ----------
    roster
        The roster as read. Without a ``changed_in`` column it is returned unchanged.
    wave
        The wave being read. A wave not yet ordered (see :func:`wave_order`) is taken
        to come after every known one: a new wave of a project.
    waves
        The waves in time order, when the roster's ``waves`` column and the project do
        not give it.

    Returns
    -------
    Roster
        The same people; for each person whose ``changed_in`` wave comes after
        ``wave``, every ``earlier_<column>`` value in ``<column>`` (a blank one means
        that column did not change); the ``changed_in`` and ``earlier_*`` columns
        dropped.

    Raises
    ------
    InputFormatError
        A ``changed_in`` wave whose place in time is not known.

    Examples
    --------
    >>> people = pd.DataFrame({"label": ["P1"], "team": ["B"], "changed_in": ["final"], "earlier_team": ["A"]},
    ...                       index=pd.Index(["p1"], name="person_id"))
    >>> r = Roster(people, pd.DataFrame(), wave_order=("baseline", "final"))
    >>> roster_for_wave(r, "baseline").people["team"].tolist(), roster_for_wave(r, "final").people["team"].tolist()
    (['A'], ['B'])
    """
    people = roster.people
    if CHANGED_IN not in people.columns:
        return roster
    order = list(wave_order(roster, waves))
    if wave not in order:
        order.append(wave)
    position = {label: k for k, label in enumerate(order)}
    changed = people[CHANGED_IN].astype("string").fillna("").str.strip()
    unknown = sorted(set(changed[changed != ""]) - set(position))
    if unknown:
        raise InputFormatError(
            f"the roster's {CHANGED_IN!r} column names wave(s) {', '.join(map(repr, unknown))}, whose place in "
            f"time is not known (known, in order: {', '.join(order)})",
            expected="a 'waves' column listing each person's waves in time order (baseline;interim), or the "
            "import into a project that holds those waves",
        )
    before = changed.map(lambda v: bool(v) and position[wave] < position[v]).to_numpy(dtype=bool)
    people = people.copy()
    for column in [c for c in people.columns if str(c).startswith(EARLIER)]:
        name = str(column)[len(EARLIER):]
        target = schema.canonical_header(name) or name
        if target not in people.columns:
            continue
        values = people[column].astype("string").str.strip()
        rows = before & values.fillna("").ne("").to_numpy(dtype=bool)  # blank: this column did not change
        earlier = values[rows]
        if target == schema.LEVEL:
            earlier = earlier.map(lambda v: schema.canonical_level(v) or pd.NA)
        people[target] = people[target].astype(object)
        people.loc[rows, target] = earlier.astype(object)
        people[target] = people[target].astype(roster.people[target].dtype)
    people = people.drop(columns=[c for c in people.columns if c == CHANGED_IN or str(c).startswith(EARLIER)])
    return replace(roster, people=people)
