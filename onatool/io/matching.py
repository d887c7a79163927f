"""Free-text names and identifiers -> roster ``person_id``: never guess.

The exact stage lives here: ids, emails and names are normalised (case, accents,
titles, punctuation, "Surname, First", email local parts) and matched only when they
point to exactly one person. A name shared by two people is ambiguous and goes to
review; a wrong match is worse than an unmatched name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from onatool import schema

__all__ = ["Match", "RosterIndex", "normalise_name"]

_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "cllr", "rev"}


def normalise_name(text: object) -> str:
    """Fold a person's name for matching.

    Case, accents, titles and punctuation are dropped; "Surname, First" is turned
    round; an email address becomes its local part with dots as spaces.

    Examples
    --------
    >>> normalise_name("Dr. Zoë  O'Neill")
    'zoe oneill'
    >>> normalise_name("O'Neill, Zoë")
    'zoe oneill'
    >>> normalise_name("zoe.oneill@acute.nhs.example")
    'zoe oneill'
    """
    text = str(text).strip()
    if "@" in text and " " not in text:
        text = text.split("@", 1)[0].replace(".", " ").replace("_", " ")
    if text.count(",") == 1:
        surname, first = (part.strip() for part in text.split(","))
        if surname and first:
            text = f"{first} {surname}"
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"['’`]", "", folded)
    words = [w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in _TITLES]
    return " ".join(words)


@dataclass(frozen=True)
class Match:
    """How one raw text was resolved.

    ``method`` is ``id``, ``email``, ``name``, ``alias``, ``fuzzy``, ``chosen``,
    ``ambiguous`` (several candidates), ``unknown`` or ``blank``.
    """

    raw: str
    person_id: str | None
    method: str
    candidates: tuple[str, ...] = field(default=())

    @property
    def matched(self) -> bool:
        """True when exactly one person was found."""
        return self.person_id is not None


class RosterIndex:
    """Exact lookup of roster ids, emails and normalised names.

    Parameters
    ----------
    identities
        Indexed by ``person_id`` with any of ``id``, ``email``, ``name``.
    aliases
        Earlier decisions, ``normalised text -> person_id`` (None for "ignore").

    Examples
    --------
    >>> ids = pd.DataFrame({"id": ["A1", "A2"], "name": ["Ann Lee", "Bo Chan"],
    ...                     "email": ["ann@x.example", ""]}, index=["p1", "p2"])
    >>> index = RosterIndex(ids)
    >>> index.resolve("a1").person_id, index.resolve("Lee, Ann").method
    ('p1', 'name')
    >>> index.resolve("Cy Dee").method
    'unknown'
    """

    def __init__(self, identities: pd.DataFrame, aliases: dict[str, str | None] | None = None):
        self.identities = identities
        self._ids: dict[str, set[str]] = defaultdict(set)
        self._emails: dict[str, set[str]] = defaultdict(set)
        self._names: dict[str, set[str]] = defaultdict(set)
        for pid, row in identities.iterrows():
            if _present(row.get(schema.ID)):
                self._ids[str(row[schema.ID]).strip().casefold()].add(str(pid))
            if _present(row.get(schema.EMAIL)):
                self._emails[str(row[schema.EMAIL]).strip().casefold()].add(str(pid))
            if _present(row.get(schema.NAME)):
                self._names[normalise_name(row[schema.NAME])].add(str(pid))
        self.aliases = dict(aliases or {})

    @property
    def names(self) -> dict[str, set[str]]:
        """Normalised name -> person ids (more than one when names are shared)."""
        return self._names

    def resolve(self, raw: object) -> Match:
        """Resolve one text exactly, or say why not."""
        text = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw).strip()
        if not text:
            return Match(text, None, "blank")
        folded = text.casefold()
        for table, method in ((self._ids, "id"), (self._emails, "email")):
            found = table.get(folded)
            if found and len(found) == 1:
                return Match(text, next(iter(found)), method)
        name = normalise_name(text)
        if name in self.aliases:
            return Match(text, self.aliases[name], "alias" if self.aliases[name] else "ignored")
        found = self._names.get(name, set())
        if len(found) == 1:
            return Match(text, next(iter(found)), "name")
        if len(found) > 1:
            return Match(text, None, "ambiguous", tuple(sorted(found)))
        return Match(text, None, "unknown")

    def resolve_many(self, raws: Iterable[object]) -> dict[str, Match]:
        """Resolve each distinct text once."""
        return {str(r): self.resolve(r) for r in dict.fromkeys(raws)}


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip() != ""
