"""The roster: one row per person in the bounded network, from CSV or XLSX.

Headers are mapped onto canonical names (``Org``, ``Employer`` -> ``organisation``),
level wording onto ``top``/``middle``/``bottom`` (``Senior leader`` -> ``top``), and
every other column is kept as an attribute. Each person gets a keyed pseudonym
``person_id`` and a display label; ids, names and emails go to a separate identity
table that only display and identifiable exports read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io.matching import RosterIndex
from onatool.io.report import ImportReport
from onatool.io.tables import Sheet, read_table, sheet_row
from onatool.pseudonyms import pseudonym, pseudonym_labels

__all__ = ["Roster", "add_people", "read_roster", "roster_from_sheet"]

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
        (``;``-separated in the file); people not listed belong to every wave.
    report
        The accounting of the roster file's rows.
    """

    people: pd.DataFrame
    identities: pd.DataFrame
    responded: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    report: ImportReport = field(default_factory=ImportReport)
    waves: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))

    def members(self, wave: str) -> pd.Index:
        """The people who belong to the network in ``wave``."""
        limited = self.waves.reindex(self.people.index)
        inside = limited.map(lambda labels: not isinstance(labels, frozenset) or wave in labels)
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
    data = data.rename(columns=renames).map(lambda v: str(v).strip())
    if schema.ID not in data.columns and schema.EMAIL not in data.columns:
        raise InputFormatError(
            "the roster has no column identifying people",
            expected="an 'id' column (or 'email') that stays the same in every wave",
            place=table.place(row=1),
        )
    identifier = schema.ID if schema.ID in data.columns else schema.EMAIL

    # Rows: empty and unidentified rows are dropped, repeated ids refused.
    keep: list[int] = []
    for position, row in enumerate(data.itertuples(index=False)):
        values = dict(zip(data.columns, row, strict=True))
        number = sheet_row(position)
        if not any(values.values()):
            report.add_row(table.file, table.sheet, number, "dropped", "empty row")
        elif not values[identifier]:
            report.add_row(table.file, table.sheet, number, "dropped", f"no {identifier}")
        else:
            keep.append(position)
    data = data.iloc[keep]
    numbers = [sheet_row(p) for p in keep]
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

    person_ids = [pseudonym(key, v) for v in data[identifier]]
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
        listed = data[schema.WAVES].map(lambda v: frozenset(w.strip() for w in v.split(";") if w.strip()))
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
    out = []
    for number, value in zip(numbers, values, strict=True):
        if pd.isna(value):  # blank in the file: not recorded, nothing to report
            out.append(pd.NA)
            continue
        level = schema.canonical_level(value, recode)
        if level not in schema.LEVELS:
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
    out = []
    for number, value in zip(numbers, values, strict=True):
        if pd.isna(value):
            out.append(pd.NA)
            continue
        kind = schema.canonical_actor_type(value)
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
    return Roster(people, pd.concat([roster.identities, identities]), roster.responded, report, roster.waves)
