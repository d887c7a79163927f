"""Person attributes reported in an export, onto the people they describe.

Some exports say things about people besides who named whom: a Network Canvas
interview records the respondent's own answers (ego variables) and what they said
about each person they named (alter variables: age, how often they meet). Readers
turn these into *attribute items*, one per (person, attribute, value), and
:func:`apply_attributes` puts them on ``Network.people``. Each value read gets one
outcome, counted in the import report per attribute: kept, dropped (and why) or
blank.

Attribute item columns
----------------------
``file, sheet, row``
    Where the value came from.
``person``
    The person described, as written (an id, email or name), matched like any name.
``reported_by``
    ``"self"`` for the respondent's own answer, ``"other"`` for a respondent's
    answer about someone they named.
``attribute``
    The variable's name (a categorical variable already folded into one).
``value``
    The answer as text (several choices joined with ``"; "``).

Rules
-----
- The roster wins: a value is used only where the roster has none for that person.
- A person's own answer wins over what others said about them.
- When others disagree, the value most of them gave is kept (the first given on a
  tie); the others are dropped and counted.
- Names that would put an identity in ``people`` (``id``, ``name``, ``email``) or
  clash with onatool's own columns (``responded``, ``label``, ``waves``) are dropped.
  A name onatool knows (``Organisation`` -> ``organisation``) takes the canonical
  column; a level must read as top, middle or bottom.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import pandas as pd

from onatool import schema
from onatool.io.matching import Match
from onatool.io.report import ImportReport

__all__ = ["ATTRIBUTE_ITEM_COLUMNS", "apply_attributes"]

ATTRIBUTE_ITEM_COLUMNS = ("file", "sheet", "row", "person", "reported_by", "attribute", "value")

_RESERVED = {*schema.IDENTITY_COLUMNS, schema.RESPONDED, schema.LABEL, schema.WAVES, schema.PERSON_ID}


def apply_attributes(
    people: pd.DataFrame,
    attributes: pd.DataFrame,
    *,
    match: Callable[[object], Match],
    members: Iterable[str],
    report: ImportReport,
) -> pd.DataFrame:
    """``people`` with the reported attributes added where the roster has no value.

    Parameters
    ----------
    people
        Indexed by ``person_id`` (the wave's people, from the roster).
    attributes
        :data:`ATTRIBUTE_ITEM_COLUMNS` rows.
    match
        Text -> :class:`~onatool.io.matching.Match` (the import's own resolver, so a
        name is matched here as it is for ties).
    members
        The people in this wave's network.
    report
        Receives one outcome per value.

    Returns
    -------
    pandas.DataFrame
        A copy of ``people``; new attributes become ``string`` columns after the
        roster's own.

    Examples
    --------
    >>> from onatool.io.matching import Match
    >>> people = pd.DataFrame({"organisation": ["Acute", pd.NA]}, index=pd.Index(["p1", "p2"], name="person_id"))
    >>> items = pd.DataFrame([("f", None, 2, "Ann", "self", "Age", "40"), ("f", None, 3, "Bo", "other", "Age", "31"),
    ...                       ("f", None, 3, "Bo", "other", "Org", "Council")], columns=ATTRIBUTE_ITEM_COLUMNS)
    >>> ids = {"Ann": "p1", "Bo": "p2"}
    >>> out = apply_attributes(people, items, match=lambda t: Match(str(t), ids.get(str(t)), "exact"),
    ...                        members=["p1", "p2"], report=ImportReport())
    >>> out.to_dict("index")
    {'p1': {'organisation': 'Acute', 'Age': '40'}, 'p2': {'organisation': 'Council', 'Age': '31'}}
    """
    people = people.copy()
    members = set(members)
    reports: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (person, column) -> [(reported_by, value)]
    for item in attributes.itertuples(index=False):
        column, problem = _column(str(item.attribute))
        value = str(item.value).strip()
        if problem:
            report.add_attribute_value(str(item.attribute), "dropped", problem)
            continue
        if column == schema.LEVEL:
            level = schema.canonical_level(value)
            if level not in schema.LEVELS:
                report.add_attribute_value(column, "dropped", "a level that is not top, middle or bottom")
                continue
            value = level
        who = match(item.person)
        if not who.matched:
            report.add_attribute_value(column, "dropped", "the person described is not matched to the roster")
            continue
        if who.person_id not in members:
            report.add_attribute_value(column, "dropped", "the person described is not in this wave's network")
            continue
        reports.setdefault((who.person_id, column), []).append((str(item.reported_by), value))

    chosen: dict[str, dict[str, str]] = {}
    for (person, column), given in reports.items():
        roster_value = people.at[person, column] if column in people.columns else pd.NA
        if not pd.isna(roster_value) and str(roster_value).strip():
            report.add_attribute_value(column, "dropped", "the roster's value kept", len(given))
            continue
        own = [v for by, v in given if by == "self"]
        if own:
            value = own[-1]
        else:
            tally = Counter(v for _, v in given)
            value = max(tally, key=lambda v: (tally[v], -[g for _, g in given].index(v)))
        agreeing = sum(v == value for _, v in given)
        report.add_attribute_value(column, "kept", "", agreeing)
        if agreeing < len(given):
            report.add_attribute_value(
                column, "dropped",
                "another answer about the same person kept (their own, or the one most respondents gave)",
                len(given) - agreeing)
        chosen.setdefault(column, {})[person] = value
    for column, values in chosen.items():
        if column not in people.columns:
            people[column] = pd.Series(pd.NA, index=people.index, dtype="string")
        elif people[column].dtype != "string" and column != schema.LEVEL:
            people[column] = people[column].astype("string")
        for person, value in values.items():
            people.at[person, column] = value
    return people


def _column(attribute: str) -> tuple[str, str]:
    """The people column an attribute goes to, or ``("", why not)``."""
    canonical = schema.canonical_header(attribute)
    if canonical in schema.IDENTITY_COLUMNS or attribute.strip().casefold() in _RESERVED:
        return "", "identifying, or one of onatool's own columns; not kept as an attribute"
    if canonical in schema.ATTRIBUTE_COLUMNS:
        return canonical, ""
    if canonical is not None:  # responded, waves
        return "", "one of onatool's own columns; not kept as an attribute"
    return attribute.strip(), ""
