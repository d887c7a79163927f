"""The one data model: an immutable Network per wave.

A :class:`Network` holds two tables and a label:

``people``
    One row per person, indexed by ``person_id`` (a pseudonym stable within a
    project), with the roster attributes (``organisation``, ``sector``,
    ``profession``, ``level``, ``place``, ``cohort`` and any extra columns) and
    ``responded``. Names, emails and the roster's own ids are never here: they
    live in a separate identity lookup that only display and identifiable exports read.
``ties``
    One row per reported tie, long format: ``source`` names ``target`` in
    ``relation`` with numeric ``weight`` and the answer as given in ``raw_value``.
    Weights are kept as answered (``Never`` is 0): whether a weight counts as a tie
    is a threshold chosen at analysis time (:meth:`Network.layer`).
``wave``
    A label such as ``baseline`` or ``2026-06``.

Operations return new Networks; nothing mutates one after construction. Every
problem found at construction is collected and raised together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import NetworkValidationError, NotDefinedError, UnknownPersonError

__all__ = ["Network"]

_RESERVED = {schema.RESPONDED, schema.LABEL}


def _frozen(df: pd.DataFrame) -> pd.DataFrame:
    """A private copy whose arrays refuse in-place writes."""
    df = df.copy(deep=True)
    for column in df.columns:
        values = df[column].array
        ndarray = getattr(values, "_ndarray", None)
        if isinstance(values, np.ndarray):
            values.flags.writeable = False
        elif isinstance(ndarray, np.ndarray):
            ndarray.flags.writeable = False
    return df


@dataclass(frozen=True, eq=False)
class Network:
    """A relationship network of one wave: people, ties and a wave label.

    Parameters
    ----------
    people
        Indexed by ``person_id``; must have a boolean ``responded`` column; ``level``,
        if present, holds ``top``/``middle``/``bottom`` or missing values. Identifying
        columns (``id``, ``name``, ``email``) are refused.
    ties
        Columns ``source, target, relation, weight, raw_value``. Both ends must be in
        ``people``; no self-ties; at most one row per (source, target, relation).
    wave
        The wave's label.
    relations
        Metadata per relation (label, whether symmetric). Relations in ``ties`` but
        not here take the defaults in :data:`onatool.schema.RELATIONS`, or a directed
        relation named after themselves.

    Raises
    ------
    NetworkValidationError
        Listing every problem found, not only the first.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "c")], relation="advice")
    >>> net.n_people, net.n_ties, net.relation_names
    (3, 2, ('advice',))
    >>> net.layer("advice").ties[["source", "target"]].to_numpy().tolist()
    [['a', 'b'], ['b', 'c']]
    """

    people: pd.DataFrame
    ties: pd.DataFrame
    wave: str = "wave 1"
    relations: Mapping[str, schema.Relation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        people, ties, problems = _normalise(self.people, self.ties)
        if not isinstance(self.wave, str) or not self.wave.strip():
            problems.append("wave must be a non-empty label, such as 'baseline'")
        if problems:
            raise NetworkValidationError(problems)
        relations = dict(self.relations)
        for name in sorted(ties[schema.RELATION].unique()):
            relations.setdefault(name, schema.RELATIONS.get(name, schema.Relation(name, name)))
        object.__setattr__(self, "people", _frozen(people))
        object.__setattr__(self, "ties", _frozen(ties))
        object.__setattr__(self, "relations", MappingProxyType(relations))

    # Construction helpers --------------------------------------------------------
    @classmethod
    def from_edges(
        cls,
        edges: Iterable[tuple[str, str]] | Iterable[tuple[str, str, float]],
        *,
        people: pd.DataFrame | Mapping[str, Mapping[str, object]] | None = None,
        relation: str = "tie",
        symmetric: bool = False,
        wave: str = "wave 1",
    ) -> Network:
        """Build a small network from ``(source, target[, weight])`` pairs.

        Everyone is marked as having responded unless ``people`` says otherwise.
        Handy for examples and tests; real data comes through :mod:`onatool.io`.

        Parameters
        ----------
        edges
            Pairs or triples of person ids.
        people
            Attributes per person, as a DataFrame indexed by id or a mapping
            ``{id: {attribute: value}}``. People without ties may be listed here.
        relation
            The relation every edge belongs to.
        symmetric
            Whether that relation is mutual by nature.
        wave
            The wave label.
        """
        rows = [(e[0], e[1], float(e[2]) if len(e) > 2 else 1.0) for e in edges]
        ties = pd.DataFrame(rows, columns=[schema.SOURCE, schema.TARGET, schema.WEIGHT])
        ties[schema.RELATION] = relation
        ties[schema.RAW_VALUE] = ties[schema.WEIGHT].map(lambda w: f"{w:g}")
        if people is None:
            table = pd.DataFrame(index=pd.Index([], name=schema.PERSON_ID))
        elif isinstance(people, pd.DataFrame):
            table = people.copy()
        else:
            table = pd.DataFrame.from_dict(dict(people), orient="index")
        ids = list(dict.fromkeys([*map(str, table.index), *ties[schema.SOURCE], *ties[schema.TARGET]]))
        table.index = table.index.map(str)
        table = table.reindex(ids)
        table.index.name = schema.PERSON_ID
        if schema.RESPONDED not in table.columns:
            table[schema.RESPONDED] = True
        table[schema.RESPONDED] = table[schema.RESPONDED].fillna(True).astype(bool)
        return cls(
            table,
            ties[list(schema.TIE_COLUMNS)],
            wave=wave,
            relations={relation: schema.Relation(relation, relation, symmetric=symmetric)},
        )

    # Facts -----------------------------------------------------------------------
    @property
    def n_people(self) -> int:
        """Number of people in the network (respondents or not)."""
        return len(self.people)

    @property
    def n_ties(self) -> int:
        """Number of tie rows (all relations, all weights)."""
        return len(self.ties)

    @property
    def relation_names(self) -> tuple[str, ...]:
        """The relations present in ``ties``, sorted."""
        return tuple(sorted(self.ties[schema.RELATION].unique()))

    @property
    def respondents(self) -> pd.Index:
        """The ``person_id`` of everyone who answered."""
        return self.people.index[self.people[schema.RESPONDED].to_numpy(dtype=bool)]

    @property
    def response_rate(self) -> float:
        """Respondents over people (NaN for an empty network)."""
        return len(self.respondents) / self.n_people if self.n_people else float("nan")

    @property
    def attributes(self) -> tuple[str, ...]:
        """Person attribute columns (everything but ``responded`` and ``label``)."""
        return tuple(c for c in self.people.columns if c not in _RESERVED)

    def is_symmetric(self, relation: str) -> bool:
        """Whether ``relation`` is declared mutual by nature."""
        info = self.relations.get(relation)
        return bool(info and info.symmetric)

    # Operations --------------------------------------------------------------------
    def layer(
        self, relation: str | Iterable[str] | None = None, min_weight: float | None = None
    ) -> Network:
        """The ties of one relation (or several merged) at or above a weight threshold.

        Parameters
        ----------
        relation
            A relation name, several names, or None for every relation. When more
            than one relation is kept, each ordered pair becomes one tie carrying the
            highest weight, in a relation named by joining the names with ``+``; it is
            symmetric only if every merged relation is.
        min_weight
            Keep ties whose weight is at least this. None keeps weights above 0, so an
            answer of "Never" (0) is not a tie.

        Returns
        -------
        Network
            Same people and wave, fewer ties.

        Raises
        ------
        NotDefinedError
            If a named relation is not in the network.
        """
        names = self.relation_names if relation is None else (
            (relation,) if isinstance(relation, str) else tuple(relation)
        )
        missing = [n for n in names if n not in self.relation_names]
        if missing:
            raise NotDefinedError(
                f"relation {missing[0]!r} is not in wave {self.wave!r}; "
                f"it has {', '.join(self.relation_names) or 'no relations'}"
            )
        ties = self.ties[self.ties[schema.RELATION].isin(names)]
        keep = ties[schema.WEIGHT] > 0 if min_weight is None else ties[schema.WEIGHT] >= min_weight
        ties = ties[keep]
        relations = {n: self.relations[n] for n in names}
        if len(names) > 1:
            merged = "+".join(names)
            ties = (
                ties.sort_values(schema.WEIGHT, ascending=False, kind="stable")
                .drop_duplicates([schema.SOURCE, schema.TARGET])
                .assign(**{schema.RELATION: merged})
                .sort_index()
            )
            symmetric = all(r.symmetric for r in relations.values())
            label = " + ".join(r.label for r in relations.values())
            relations = {merged: schema.Relation(merged, label, symmetric=symmetric)}
        return Network(self.people, ties.reset_index(drop=True), self.wave, relations)

    def subset(self, person_ids: Iterable[str] | pd.Index | pd.Series) -> Network:
        """The network among some people: their rows and the ties between them.

        Parameters
        ----------
        person_ids
            Ids to keep, or a boolean Series aligned on ``people``. Unknown ids raise.
        """
        if isinstance(person_ids, pd.Series) and person_ids.dtype == bool:
            keep = person_ids.reindex(self.people.index, fill_value=False)
            ids = self.people.index[keep.to_numpy()]
        else:
            ids = pd.Index(list(person_ids))
            unknown = ids.difference(self.people.index)
            if len(unknown):
                raise UnknownPersonError(
                    f"{len(unknown)} id(s) not in wave {self.wave!r}, e.g. {unknown[0]!r}"
                )
        people = self.people.loc[self.people.index.isin(ids)]
        inside = self.ties[schema.SOURCE].isin(ids) & self.ties[schema.TARGET].isin(ids)
        return Network(people, self.ties[inside].reset_index(drop=True), self.wave, self.relations)

    def with_wave(self, wave: str) -> Network:
        """The same network under another wave label."""
        return Network(self.people, self.ties, wave, self.relations)

    def __repr__(self) -> str:
        return (
            f"Network(wave={self.wave!r}, people={self.n_people}, "
            f"respondents={len(self.respondents)}, ties={self.n_ties}, "
            f"relations={list(self.relation_names)})"
        )


def _as_text(values: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Each value as text, missing values kept: ``v if pd.isna(v) else str(v)`` per value.

    Vectorised when every value is already a string (the usual case), value by value
    otherwise; the result is the same either way.
    """
    if not values.hasnans and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.astype("str")
    return values.map(lambda v: v if pd.isna(v) else str(v))


def _as_object_text(values: pd.Series) -> pd.Series:
    """:func:`_as_text` as an object column; object columns of text (what the import builds) are kept as
    they are rather than converted to Arrow strings and back."""
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    return _as_text(values).astype(object)


def _normalise(people: pd.DataFrame, ties: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Check both tables; return cleaned copies and every problem found."""
    problems: list[str] = []
    if not isinstance(people, pd.DataFrame):
        return pd.DataFrame(), pd.DataFrame(), ["people must be a pandas DataFrame"]
    if not isinstance(ties, pd.DataFrame):
        return pd.DataFrame(), pd.DataFrame(), ["ties must be a pandas DataFrame"]
    people = people.copy()
    ties = ties.copy()

    # People.
    if people.index.name != schema.PERSON_ID:
        problems.append(f"people must be indexed by {schema.PERSON_ID!r} (got {people.index.name!r})")
    if people.index.hasnans:
        problems.append("people has missing person_id values")
    people.index = _as_text(people.index)
    people.index.name = schema.PERSON_ID
    duplicated = people.index[people.index.duplicated()].unique()
    if len(duplicated):
        problems.append(
            f"person_id must be unique; {len(duplicated)} repeated, e.g. {duplicated[0]!r}"
        )
    identifying = [c for c in schema.IDENTITY_COLUMNS if c in people.columns]
    if identifying:
        problems.append(
            f"identifying column(s) {identifying} must not be in people; "
            "they belong in the identity lookup"
        )
    if schema.RESPONDED not in people.columns:
        problems.append("people needs a boolean 'responded' column (True for respondents)")
    else:
        responded = people[schema.RESPONDED]
        if responded.isna().any() or not set(responded.unique()) <= {True, False}:
            problems.append("'responded' must be True or False for every person")
        else:
            people[schema.RESPONDED] = responded.astype(bool)
    if schema.LEVEL in people.columns:
        bad = people[schema.LEVEL].dropna()
        bad = bad[~bad.isin(schema.LEVELS)]
        if len(bad):
            problems.append(
                f"level must be one of {', '.join(schema.LEVELS)} or missing; "
                f"{len(bad)} person(s) have other values, e.g. {bad.iloc[0]!r} for {bad.index[0]!r}"
            )

    # Ties.
    missing = [c for c in schema.TIE_COLUMNS if c not in ties.columns]
    if missing:
        problems.append(f"ties is missing column(s) {missing}; needs {list(schema.TIE_COLUMNS)}")
        return people, ties, problems
    ties = ties[list(schema.TIE_COLUMNS)].reset_index(drop=True)
    for column in (schema.SOURCE, schema.TARGET, schema.RELATION):
        if ties[column].isna().any():
            problems.append(f"ties has {int(ties[column].isna().sum())} missing {column!r} value(s)")
        ties[column] = _as_object_text(ties[column])
    weight = pd.to_numeric(ties[schema.WEIGHT], errors="coerce")
    if weight.isna().any() or not np.isfinite(weight.to_numpy(dtype=float)).all():
        problems.append("every tie needs a finite numeric weight")
    ties[schema.WEIGHT] = weight.astype(float)
    raw = ties[schema.RAW_VALUE]
    ties[schema.RAW_VALUE] = _as_text(raw) if not raw.hasnans else raw.map(
        lambda v: "" if pd.isna(v) else str(v)
    )
    known = people.index
    for column in (schema.SOURCE, schema.TARGET):
        unknown = ties.loc[~ties[column].isin(known) & ties[column].notna(), column]
        if len(unknown):
            problems.append(
                f"{len(unknown)} tie(s) have a {column} not in people, e.g. {unknown.iloc[0]!r}"
            )
    selfies = ties[schema.SOURCE] == ties[schema.TARGET]
    if selfies.any():
        problems.append(f"{int(selfies.sum())} self-tie(s): a person cannot name themselves")
    repeated = ties.duplicated([schema.SOURCE, schema.TARGET, schema.RELATION])
    if repeated.any():
        problems.append(
            f"{int(repeated.sum())} repeated tie(s): one row per (source, target, relation)"
        )
    return people, ties, problems
