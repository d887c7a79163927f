"""Free-text names and identifiers -> roster ``person_id``: never guess.

Matching runs in stages, and a wrong match is worse than an unmatched name:

1. exact: ids, emails and names normalised (case, accents, titles, punctuation,
   "Surname, First", email local parts) that point to exactly one person;
2. aliases: what a person decided earlier (kept in an alias file, reused every wave);
3. close spelling (rapidfuzz): accepted only when one roster name is clearly ahead,
   score >= :data:`ACCEPT_SCORE` and at least :data:`ACCEPT_MARGIN` points over the
   runner-up;
4. everything else that resembles someone (near-ties, initials such as "J Smith",
   bare first names such as "Jo", a name shared by two people) goes to a review list
   with its candidates, and the rest is unknown.

Every text resolved gets a :class:`Match` whose :attr:`Match.decision` says how, so
the import report can list every decision.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
from rapidfuzz import fuzz, process

from onatool import schema
from onatool.errors import InputFormatError, Place

__all__ = [
    "ACCEPT_MARGIN",
    "ACCEPT_SCORE",
    "CLEAR_SCORE",
    "MAX_FREE_TEXTS",
    "REVIEW_FLOOR",
    "Alias",
    "Match",
    "RosterIndex",
    "decide",
    "load_aliases",
    "new_person_id",
    "candidate_scores",
    "is_clear_match",
    "normalise_name",
    "save_aliases",
]

_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "cllr", "rev"}

#: A close spelling is accepted automatically only at or above this score (0-100) ...
ACCEPT_SCORE = 95.0
#: ... and only this many points clear of the next roster name.
ACCEPT_MARGIN = 5.0
#: Roster names scoring below this are not even offered as candidates.
REVIEW_FLOOR = 80.0
#: A name under review is a *clear match*, which a person may accept with every other
#: clear match in one step ("accept every clear match"), when it offers one candidate
#: only, whose name scores at least this much. Bare first names, surnames and initials
#: never are (they score far lower against a full name), nor is a name two people share.
CLEAR_SCORE = 88.0
#: The scorer. ``token_sort_ratio`` compares the sorted words letter by letter, so
#: "Smith Jo" equals "Jo Smith" but a part of a name never scores as the whole:
#: "jo" vs "jo smith" is 40 and "ann lee" vs "ann marie lee" is 70, where ``WRatio``
#: gives 90 and 85.5 and ``token_set_ratio`` gives 100 to both (a subset counts as
#: a full match), which would let a bare first name through.
SCORER = fuzz.token_sort_ratio
#: The most distinct free texts (names not found exactly) one upload may hold; see
#: :class:`RosterIndex`. The ``ONATOOL_MAX_FREE_TEXTS`` environment variable overrides it.
MAX_FREE_TEXTS = 50_000


def normalise_name(text: object) -> str:
    """Fold a person's name for matching.

    Case, accents, titles, punctuation and symbols (emoji) are dropped; letters of
    every script are kept; "Surname, First" is turned round; an email address becomes
    its local part with dots as spaces.

    Examples
    --------
    >>> normalise_name("Dr. Zoë  O'Neill")
    'zoe oneill'
    >>> normalise_name("O'Neill, Zoë")
    'zoe oneill'
    >>> normalise_name("zoe.oneill@acute.nhs.example")
    'zoe oneill'
    >>> normalise_name("Søren Ørsted 🌈"), normalise_name("محمد علي")
    ('soren orsted', 'محمد علي')
    """
    text = str(text).strip()
    if "@" in text and " " not in text:
        text = text.split("@", 1)[0].replace(".", " ").replace("_", " ")
    if text.count(",") == 1:
        surname, first = (part.strip() for part in text.split(","))
        if surname and first:
            text = f"{first} {surname}"
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_LETTERS))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    folded = re.sub(r"['’`]", "", folded)
    # Letters and digits of every script count (محمد, דנה, 王): only marks, symbols and
    # punctuation separate words, so names in other scripts never fold to "".
    words = [w for w in re.split(r"[\W_]+", folded) if w and w not in _TITLES]
    return " ".join(words)


#: Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss",
                                "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
                                "ı": "i"})


#: What each method means for the person checking the import.
DECISIONS = {
    "id": "accepted (exact id)",
    "email": "accepted (exact email)",
    "name": "accepted (exact name)",
    "fuzzy": "accepted (close spelling)",
    "alias": "chosen by a person",
    "chosen": "chosen by a person",
    "new": "new person",
    "ignored": "ignored",
    "ambiguous": "awaiting review",
    "review": "awaiting review",
    "unknown": "not on the roster",
    "blank": "blank",
}


@dataclass(frozen=True)
class Match:
    """How one raw text was resolved.

    ``method`` is ``id``, ``email``, ``name`` (exact), ``alias`` (an earlier decision),
    ``new`` (decided to be a person not on the roster), ``fuzzy`` (close spelling,
    clearly ahead), ``chosen``, ``ambiguous`` (a name several people share),
    ``review`` (resembles someone, a person must decide), ``ignored``, ``unknown``
    or ``blank``. ``candidates`` are person ids, best first; ``score`` is the best
    close-spelling score (0-100) when one was computed.
    """

    raw: str
    person_id: str | None
    method: str
    candidates: tuple[str, ...] = field(default=())
    score: float | None = None

    @property
    def matched(self) -> bool:
        """True when exactly one person was found."""
        return self.person_id is not None

    @property
    def exact(self) -> bool:
        """True when the text is exactly one roster person (id, email, name or an earlier decision),
        as sheets that are not survey answers (membership, ratings) require: never a guess."""
        return self.person_id is not None and self.method in ("id", "email", "name", "alias")

    @property
    def needs_review(self) -> bool:
        """True when a person must decide (ambiguous or resembling someone)."""
        return self.method in ("ambiguous", "review")

    @property
    def decision(self) -> str:
        """The decision in plain words (``accepted (close spelling)``, ``ignored`` ...)."""
        return DECISIONS.get(self.method, self.method)


@dataclass(frozen=True)
class Alias:
    """A person's decision about one name, reused in every later wave.

    Parameters
    ----------
    text
        The name as normalised (:func:`normalise_name`); the lookup key.
    decision
        ``chosen`` (this roster person), ``new person`` (someone not on the roster,
        added as a non-respondent) or ``ignored`` (not a person, or not in scope).
    person
        For ``chosen``: the roster's identifier of the person (``id``, or ``email``
        when the roster has no id), stable across waves and project keys.
    raw
        The text as first written, for the reader's eyes.
    name
        For ``chosen``: the roster name at the time (for the reader's eyes, not used);
        for ``new person``: the name the new person gets.
    """

    text: str
    decision: Literal["chosen", "new person", "ignored"]
    person: str | None = None
    raw: str = ""
    name: str = ""


ALIAS_DECISIONS = ("chosen", "new person", "ignored")
NEW_PERSON_PREFIX = "new:"


def new_person_id(name: str) -> str:
    """The roster identifier given to a person added by a "new person" decision.

    Examples
    --------
    >>> new_person_id("Dr Jo Bloggs")
    'new:jo bloggs'
    """
    return NEW_PERSON_PREFIX + normalise_name(name)


class RosterIndex:
    """Lookup of roster ids, emails and names: exact, then decided, then close.

    The roster is indexed once: exact tables for ids, emails and normalised names;
    first names (sorted, for prefixes), surnames, every word and every initial for
    partial names; and each name's words sorted, for close spellings. A partial name
    ("Jo", "J Smith") is compared only with the people its words can fit; a full
    name is scored against every roster name in C (:func:`rapidfuzz.process.cdist`
    over many texts at once in :meth:`resolve_many`), since a misspelling may share
    no word with the name it is close to. Each normalised text is scored once per
    index; repeats are answered from memory.

    Parameters
    ----------
    identities
        Indexed by ``person_id`` with any of ``id``, ``email``, ``name``.
    aliases
        Earlier decisions: ``normalised text -> person_id`` (None for "ignore"), or
        :class:`Alias` entries as :func:`load_aliases` returns them.
    fuzzy
        Whether to try close spellings and offer review candidates (default True).
        With False, only exact matches and aliases resolve, as before.
    max_free_texts
        The most distinct free texts one index (one upload) scores: normalised texts
        that are not an exact id, email, name or decided alias, and so go to
        close-spelling and partial-name matching. One more raises
        :class:`~onatool.errors.InputFormatError`. Default :data:`MAX_FREE_TEXTS`
        (50,000, or the ``ONATOOL_MAX_FREE_TEXTS`` environment variable): a survey
        of 5,000 people naming 10 each with one misspelling in ten has about 5,000.
    place
        Where the texts come from (the uploaded file), named in that error.

    Examples
    --------
    >>> ids = pd.DataFrame({"id": ["A1", "A2", "A3"],
    ...                     "name": ["Ann Lee", "Bo Chan", "Margaret Okonkwo"],
    ...                     "email": ["ann@x.example", "", ""]}, index=["p1", "p2", "p3"])
    >>> index = RosterIndex(ids)
    >>> index.resolve("a1").person_id, index.resolve("Lee, Ann").method
    ('p1', 'name')
    >>> index.resolve("Cy Dee").method
    'unknown'
    >>> m = index.resolve("Margret Okonkwo")   # one letter missing: clearly Margaret
    >>> m.method, m.person_id, round(m.score)
    ('fuzzy', 'p3', 97)
    >>> index.resolve("Ann").method, index.resolve("Ann").candidates   # bare first name
    ('review', ('p1',))
    """

    def __init__(
        self,
        identities: pd.DataFrame,
        aliases: Mapping[str, str | None | Alias] | None = None,
        *,
        fuzzy: bool = True,
        max_free_texts: int | None = None,
        place: Place | None = None,
    ):
        self.identities = identities
        self.fuzzy = fuzzy
        self.max_free_texts = _max_free_texts() if max_free_texts is None else int(max_free_texts)
        self.place = place or Place()
        self._ids: dict[str, set[str]] = defaultdict(set)
        self._emails: dict[str, set[str]] = defaultdict(set)
        self._names: dict[str, set[str]] = defaultdict(set)
        self._tokens: dict[str, tuple[str, ...]] = {}
        pids = [str(pid) for pid in identities.index]
        for column, table in ((schema.ID, self._ids), (schema.EMAIL, self._emails)):
            if column in identities.columns:
                for pid, value in zip(pids, identities[column].tolist(), strict=True):
                    if _present(value):
                        table[str(value).strip().casefold()].add(pid)
        if schema.NAME in identities.columns:
            for pid, value in zip(pids, identities[schema.NAME].tolist(), strict=True):
                if _present(value):
                    name = normalise_name(value)
                    self._names[name].add(pid)
                    self._tokens[pid] = tuple(name.split())
        self._choices = list(self._names)
        # token_sort_ratio(a, b) is ratio() of the two texts with their words sorted:
        # sorting the roster's words once saves doing it for every comparison.
        self._sorted_choices = [_sorted_words(n) for n in self._choices]
        self._build_partial_index()
        self._scored: dict[str, _Found] = {}
        self.aliases: dict[str, str | None] = {}
        self.alias_methods: dict[str, str] = {}
        for text, target in (aliases or {}).items():
            self._add_alias(text, target)

    def _build_partial_index(self) -> None:
        by_first: dict[str, list[str]] = defaultdict(list)
        self._by_last: dict[str, list[str]] = defaultdict(list)
        self._by_word: dict[str, set[str]] = defaultdict(set)
        self._by_initial: dict[str, set[str]] = defaultdict(set)
        for pid, tokens in self._tokens.items():
            if not tokens:
                continue
            by_first[tokens[0]].append(pid)
            self._by_last[tokens[-1]].append(pid)
            for token in tokens:
                self._by_word[token].add(pid)
                self._by_initial[token[0]].add(pid)
        self._by_first = dict(by_first)
        self._first_names = sorted(by_first)

    def _add_alias(self, text: str, target: str | None | Alias) -> None:
        if not isinstance(target, Alias):
            self.aliases[text] = target
            self.alias_methods[text] = "alias" if target else "ignored"
            return
        if target.decision == "ignored":
            self.aliases[text], self.alias_methods[text] = None, "ignored"
            return
        key = new_person_id(target.name or target.raw or text) if target.decision == "new person" \
            else str(target.person or "")
        found = self._ids.get(key.strip().casefold()) or self._emails.get(key.strip().casefold())
        if found and len(found) == 1:
            self.aliases[text] = next(iter(found))
            self.alias_methods[text] = "new" if target.decision == "new person" else "alias"
        # An alias whose person has left the roster is skipped: the name then goes
        # through matching again and, if still unresolved, to review.

    @property
    def names(self) -> dict[str, set[str]]:
        """Normalised name -> person ids (more than one when names are shared)."""
        return self._names

    def resolve(self, raw: object) -> Match:
        """Resolve one text, or say why not (see the module notes for the stages).

        Raises
        ------
        InputFormatError
            The text would be the index's free text number ``max_free_texts + 1``.
        """
        text, name, early = self._exact(raw)
        if early is not None:
            return early
        return Match(text, *self._near(name))

    def resolve_many(self, raws: Iterable[object], *, place: Place | None = None) -> dict[str, Match]:
        """Resolve each distinct text once, scoring the full names together.

        Parameters
        ----------
        raws
            Texts, repeats welcome.
        place
            Where they come from (file, column), named if there are too many;
            default the index's ``place``.

        Returns
        -------
        dict
            ``str(text) -> Match`` for each distinct text.

        Raises
        ------
        InputFormatError
            More distinct free texts than ``max_free_texts``; raised before any is
            scored.
        """
        stages = {str(raw): self._exact(raw) for raw in dict.fromkeys(raws)}
        pending = dict.fromkeys(name for _, name, early in stages.values()
                                if early is None and name not in self._scored)
        self._check_cap(len(pending), place)
        full = [name for name in pending if _is_full_name(name)]
        for name, scored in zip(full, self._score_full_names(full), strict=True):
            self._scored[name] = self._decide(scored)
        return {key: Match(text, *self._near(name)) if early is None else early
                for key, (text, name, early) in stages.items()}

    def _exact(self, raw: object) -> tuple[str, str, Match | None]:
        """The text, its normalised name, and its Match if settled before close matching."""
        text = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw).strip()
        if not text:
            return text, "", Match(text, None, "blank")
        folded = text.casefold()
        for table, method in ((self._ids, "id"), (self._emails, "email")):
            found = table.get(folded)
            if found and len(found) == 1:
                return text, "", Match(text, next(iter(found)), method)
        name = normalise_name(text)
        if name in self.aliases:
            return text, name, Match(text, self.aliases[name], self.alias_methods.get(name, "alias"))
        found = self._names.get(name, set())
        if len(found) == 1:
            return text, name, Match(text, next(iter(found)), "name")
        if len(found) > 1:
            return text, name, Match(text, None, "ambiguous", tuple(sorted(found)))
        if not self.fuzzy or not name:
            return text, name, Match(text, None, "unknown")
        return text, name, None

    def _check_cap(self, new: int, place: Place | None = None) -> None:
        if len(self._scored) + new > self.max_free_texts:
            raise InputFormatError(
                f"more than {self.max_free_texts:,} different names that are not exactly on the roster",
                expected=f"at most {self.max_free_texts:,} per upload (set ONATOOL_MAX_FREE_TEXTS "
                "to allow more)",
                place=place or self.place,
            )

    # Close and partial names ------------------------------------------------------
    def _near(self, name: str) -> _Found:
        """(person, method, candidates, score) for a name with no exact match, once."""
        found = self._scored.get(name)
        if found is not None:
            return found
        self._check_cap(1)
        if _is_full_name(name):
            found = self._decide(self._score_full_names([name])[0])
        else:
            # A bare first name or surname, or initials: never decided automatically,
            # however few people it fits.
            people = self._partial(name.split())
            found = (None, "review" if people else "unknown", people, None)
        self._scored[name] = found
        return found

    def _score_full_names(self, names: list[str]) -> list[list[tuple[int, float]]]:
        """Per name, up to 8 (roster name position, score) at or above the floor, best first.

        Ties keep roster order, as :func:`rapidfuzz.process.extract` orders them.
        """
        if not names:
            return []
        if len(names) == 1:
            found = process.extract(_sorted_words(names[0]), self._sorted_choices, scorer=fuzz.ratio,
                                    score_cutoff=REVIEW_FLOOR, limit=_CANDIDATES)
            return [[(position, score) for _, score, position in found]]
        import numpy as np

        queries = [_sorted_words(n) for n in names]
        out: list[list[tuple[int, float]]] = []
        rows = max(1, _CDIST_CELLS // max(1, len(self._sorted_choices)))
        for start in range(0, len(queries), rows):
            scores = process.cdist(queries[start:start + rows], self._sorted_choices, scorer=fuzz.ratio,
                                   score_cutoff=REVIEW_FLOOR, dtype=np.float64, workers=-1)
            for row in scores:
                at = np.flatnonzero(row >= REVIEW_FLOOR)
                best = at[np.lexsort((at, -row[at]))][:_CANDIDATES]
                out.append([(int(p), float(row[p])) for p in best])
        return out

    def _decide(self, scored: list[tuple[int, float]]) -> _Found:
        """Accept the best close spelling when clearly ahead; else offer the candidates."""
        if not scored:
            return None, "unknown", (), None
        best_position, best = scored[0]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        people = self._names[self._choices[best_position]]
        if best >= ACCEPT_SCORE and best - runner_up >= ACCEPT_MARGIN and len(people) == 1:
            return next(iter(people)), "fuzzy", (), float(best)
        names = (self._names[self._choices[position]] for position, _ in scored)
        candidates = tuple(dict.fromkeys(p for people in names for p in sorted(people)))
        return None, "review", candidates, float(best)

    def _partial(self, words: list[str]) -> tuple[str, ...]:
        """People a partial name could be: every full word and initial fits, in order.

        Only people the words can fit are checked: for one word, first names it begins
        and surnames it equals; for several, people holding every full word (or, when
        all are initials, a word starting with each initial).
        """
        if len(words) == 1:
            word = words[0]
            if len(word) == 1:
                return ()  # a lone initial says too little to offer anyone
            found = set(self._by_last.get(word, ()))
            at = bisect_left(self._first_names, word)
            while at < len(self._first_names) and self._first_names[at].startswith(word):
                found.update(self._by_first[self._first_names[at]])
                at += 1
            return tuple(sorted(found))
        full = [w for w in words if len(w) > 1]
        pools = [self._by_word.get(w, set()) for w in full] if full else \
            [self._by_initial.get(w, set()) for w in words]
        pools.sort(key=len)
        block = pools[0].intersection(*pools[1:])
        return tuple(sorted(pid for pid in block if _fits(words, self._tokens[pid])))


#: What close matching found for a name: person, method, candidates, score (as in Match).
_Found = tuple[str | None, str, tuple[str, ...], float | None]
#: Close-spelling candidates kept per text (the review list's length).
_CANDIDATES = 8
#: Scores computed per :func:`rapidfuzz.process.cdist` call (8 bytes each): 16 MB.
_CDIST_CELLS = 2_000_000


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))


def _is_full_name(name: str) -> bool:
    """Two words or more, none an initial: scored as a close spelling."""
    words = name.split()
    return len(words) > 1 and all(len(w) > 1 for w in words)


def _max_free_texts() -> int:
    value = os.environ.get("ONATOOL_MAX_FREE_TEXTS", "")
    try:
        return int(value) if value.strip() else MAX_FREE_TEXTS
    except ValueError:
        raise InputFormatError(
            f"ONATOOL_MAX_FREE_TEXTS is {value!r}", expected="a whole number of names, such as 50000"
        ) from None


def _fits(words: list[str], tokens: tuple[str, ...]) -> bool:
    """Whether ``words`` (full words or initials) could abbreviate ``tokens``.

    A single word fits a first name it begins ("jo" -> "joanna") or a surname it
    equals; several words must each fit a different token, in any order ("Smith J"),
    a full word by equality and an initial by the token's first letter.
    """
    if not tokens:
        return False
    if len(words) == 1:
        word = words[0]
        if len(word) == 1:
            return False  # a lone initial says too little to offer anyone
        return tokens[0].startswith(word) or tokens[-1] == word
    left = list(tokens)
    for word in sorted(words, key=len, reverse=True):  # full words claim their tokens first
        found = next((t for t in left if t == word or (len(word) == 1 and t.startswith(word))), None)
        if found is None:
            return False
        left.remove(found)
    return True


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip() != ""


# Alias files ----------------------------------------------------------------------------

_ALIAS_HEADER = (
    "# onatool name decisions: how names that could not be matched exactly were resolved.\n"
    "# onatool reuses them in every later wave, so nobody decides the same name twice.\n"
    "# decision: chosen (person = the roster id) | new person | ignored\n"
)


def load_aliases(path: str | Path) -> dict[str, Alias]:
    """Read an alias file (YAML or JSON) written by :func:`save_aliases` or by hand.

    Parameters
    ----------
    path
        ``.yaml``/``.yml`` or ``.json``: a mapping with an ``aliases`` list, each entry
        ``{text or raw, decision, person, name}``; ``text`` defaults to the normalised
        ``raw``.

    Returns
    -------
    dict
        Normalised text -> :class:`Alias`.

    Raises
    ------
    InputFormatError
        Unreadable file, or an entry without a name or with an unknown decision.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "aliases.yaml"
    >>> book = decide({}, "Jo S.", "choose", person="ACU-004")
    >>> save_aliases(book, p) == p
    True
    >>> load_aliases(p)["jo s"].person
    'ACU-004'
    """
    import yaml

    path = Path(path)
    place = Place(file=path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise InputFormatError(
            f"the alias file cannot be read ({type(exc).__name__})",
            expected="a YAML or JSON file written by onatool (an 'aliases' list)",
            place=place,
        ) from None
    entries = data.get("aliases") if isinstance(data, dict) else data
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise InputFormatError("'aliases' is not a list", expected="a list of decisions", place=place)
    book: dict[str, Alias] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not (entry.get("text") or entry.get("raw")):
            raise InputFormatError(
                f"alias entry {number} has no name",
                expected="each entry with 'raw' (the name as written) or 'text'",
                place=place,
            )
        decision = str(entry.get("decision", "chosen"))
        if decision not in ALIAS_DECISIONS:
            raise InputFormatError(
                f"alias entry {number} has decision {decision!r}",
                expected=f"one of {', '.join(ALIAS_DECISIONS)}",
                place=place,
            )
        if decision == "chosen" and not entry.get("person"):
            raise InputFormatError(
                f"alias entry {number} ({entry.get('raw') or entry.get('text')!r}) chooses nobody",
                expected="'person' set to the roster id of the person chosen",
                place=place,
            )
        key = normalise_name(entry.get("text") or entry.get("raw"))
        person = entry.get("person")
        book[key] = Alias(
            key, decision, None if person is None else str(person),  # type: ignore[arg-type]
            str(entry.get("raw") or ""), str(entry.get("name") or ""),
        )
    return book


def save_aliases(aliases: Mapping[str, Alias], path: str | Path) -> Path:
    """Write decisions to a YAML (or, by suffix, JSON) alias file, sorted by name."""
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = []
    for key in sorted(aliases):
        entry = {k: v for k, v in asdict(aliases[key]).items() if v not in ("", None)}
        entries.append(entry)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps({"aliases": entries}, indent=2, ensure_ascii=False) + "\n")
    else:
        body = yaml.safe_dump({"aliases": entries}, sort_keys=False, allow_unicode=True)
        path.write_text(_ALIAS_HEADER + body, encoding="utf-8")
    return path


def candidate_scores(raw: str, names: Mapping[str, object]) -> dict[str, float]:
    """How close a typed name is to each candidate's roster name, 0-100 (the matcher's scorer).

    Parameters
    ----------
    raw
        The name as written.
    names
        ``person_id -> roster name`` for the candidates.

    Examples
    --------
    >>> candidate_scores("Margret Okonkwo", {"p3": "Margaret Okonkwo", "p4": "Jo"})
    {'p3': 96.8, 'p4': 11.8}
    """
    typed = normalise_name(raw)
    return {pid: round(float(SCORER(typed, normalise_name(name))), 1) if _present(name) else 0.0
            for pid, name in names.items()}


def is_clear_match(candidates: Sequence[str], scores: Mapping[str, float]) -> bool:
    """Whether a name under review is a clear match (see :data:`CLEAR_SCORE`).

    Examples
    --------
    >>> is_clear_match(["p3"], {"p3": 92.0}), is_clear_match(["p3", "p4"], {"p3": 99.0, "p4": 50.0})
    (True, False)
    >>> is_clear_match(["p1"], {"p1": 40.0})   # "Ann" for Ann Lee: a bare first name
    False
    """
    return len(candidates) == 1 and scores.get(candidates[0], 0.0) >= CLEAR_SCORE


Action = Literal["accept", "choose", "new", "ignore"]


def decide(
    aliases: Mapping[str, Alias],
    raw: str | Match,
    action: Action,
    *,
    person: str | None = None,
    identities: pd.DataFrame | None = None,
    name: str = "",
) -> dict[str, Alias]:
    """Record a person's decision about a name; returns a new alias book.

    Parameters
    ----------
    aliases
        The decisions so far (:func:`load_aliases`), left unchanged.
    raw
        The name as written, or its :class:`Match` from the review list.
    action
        ``accept`` a candidate (``person`` one of the match's candidates, default the
        first), ``choose`` any roster person, ``new`` person not on the roster, or
        ``ignore`` (not a person in scope).
    person
        A ``person_id`` (translated to the roster id through ``identities``) or, when
        ``identities`` is None, the roster id itself.
    identities
        The roster's identity table (``Roster.identities``), to store the stable
        roster id rather than the project-keyed ``person_id``.
    name
        For ``new``: the new person's name (default: the text as written).

    Returns
    -------
    dict
        ``aliases`` plus this decision (replacing any earlier one for the same name).

    Raises
    ------
    InputFormatError
        An unknown action, a candidate not offered, or a person not on the roster.

    Examples
    --------
    >>> book = decide({}, "Jo", "new", name="Jo Bloggs")
    >>> book["jo"].decision, book["jo"].name
    ('new person', 'Jo Bloggs')
    >>> decide(book, "Mystery Guest", "ignore")["mystery guest"].decision
    'ignored'
    """
    match = raw if isinstance(raw, Match) else None
    text = match.raw if match else str(raw)
    key = normalise_name(text)
    if not key:
        raise InputFormatError("a blank name cannot be decided", expected="the name as written")
    if action == "accept":
        if match is None or not match.candidates:
            raise InputFormatError(
                f"{text!r} has no candidates to accept", expected="'choose' with a person instead"
            )
        person = person or match.candidates[0]
        if person not in match.candidates:
            raise InputFormatError(
                f"{person!r} was not offered for {text!r}",
                expected=f"one of the candidates {list(match.candidates)}",
            )
    if action in ("accept", "choose"):
        if not person:
            raise InputFormatError(f"no person chosen for {text!r}", expected="a person from the roster")
        roster_id, roster_name = _roster_identifier(person, identities)
        entry = Alias(key, "chosen", roster_id, text, roster_name)
    elif action == "new":
        entry = Alias(key, "new person", None, text, name or text)
    elif action == "ignore":
        entry = Alias(key, "ignored", None, text)
    else:
        raise InputFormatError(f"unknown decision {action!r}", expected="accept, choose, new or ignore")
    return {**aliases, key: entry}


def _roster_identifier(person: str, identities: pd.DataFrame | None) -> tuple[str, str]:
    if identities is None:
        return person, ""
    if person not in identities.index:
        raise InputFormatError(f"person {person!r} is not on the roster", expected="a person_id from the roster")
    row = identities.loc[person]
    for column in (schema.ID, schema.EMAIL):
        if column in row.index and _present(row[column]):
            return str(row[column]), str(row.get(schema.NAME, "") or "")
    raise InputFormatError(f"person {person!r} has no roster id or email", expected="a roster id")
