"""The indexed roster matcher gives exactly what the brute-force matcher gave.

``BruteForce`` below is the matcher as it was before the roster was indexed: every
partial name checked against every person, every full name scored with
``process.extract`` against every roster name, nothing remembered. The indexed
:class:`RosterIndex` must agree with it on every text, one at a time and in batches.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import process

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io import matching
from onatool.io.matching import (
    ACCEPT_MARGIN,
    ACCEPT_SCORE,
    REVIEW_FLOOR,
    SCORER,
    Alias,
    Match,
    RosterIndex,
    _fits,
    _present,
    new_person_id,
    normalise_name,
)


class BruteForce:
    """The matcher before indexing (onatool 214a813), kept as the reference."""

    def __init__(self, identities: pd.DataFrame, aliases=None, *, fuzzy: bool = True):
        self.fuzzy = fuzzy
        self._ids, self._emails, self._names = defaultdict(set), defaultdict(set), defaultdict(set)
        self._tokens: dict[str, tuple[str, ...]] = {}
        for pid, row in identities.iterrows():
            if _present(row.get(schema.ID)):
                self._ids[str(row[schema.ID]).strip().casefold()].add(str(pid))
            if _present(row.get(schema.EMAIL)):
                self._emails[str(row[schema.EMAIL]).strip().casefold()].add(str(pid))
            if _present(row.get(schema.NAME)):
                name = normalise_name(row[schema.NAME])
                self._names[name].add(str(pid))
                self._tokens[str(pid)] = tuple(name.split())
        self._choices = list(self._names)
        self.aliases, self.alias_methods = {}, {}
        for text, target in (aliases or {}).items():
            if not isinstance(target, Alias):
                self.aliases[text], self.alias_methods[text] = target, "alias" if target else "ignored"
            elif target.decision == "ignored":
                self.aliases[text], self.alias_methods[text] = None, "ignored"
            else:
                key = new_person_id(target.name or target.raw or text) if target.decision == "new person" \
                    else str(target.person or "")
                found = self._ids.get(key.strip().casefold()) or self._emails.get(key.strip().casefold())
                if found and len(found) == 1:
                    self.aliases[text] = next(iter(found))
                    self.alias_methods[text] = "new" if target.decision == "new person" else "alias"

    def resolve(self, raw: object) -> Match:
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
            return Match(text, self.aliases[name], self.alias_methods.get(name, "alias"))
        found = self._names.get(name, set())
        if len(found) == 1:
            return Match(text, next(iter(found)), "name")
        if len(found) > 1:
            return Match(text, None, "ambiguous", tuple(sorted(found)))
        if not self.fuzzy or not name:
            return Match(text, None, "unknown")
        words = name.split()
        if len(words) == 1 or any(len(w) == 1 for w in words):
            found = tuple(sorted(pid for pid, tokens in self._tokens.items() if _fits(words, tokens)))
            return Match(text, None, "review" if found else "unknown", found)
        scored = process.extract(name, self._choices, scorer=SCORER, score_cutoff=REVIEW_FLOOR, limit=8)
        if not scored:
            return Match(text, None, "unknown")
        best_name, best, _ = scored[0]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        people = self._names[best_name]
        if best >= ACCEPT_SCORE and best - runner_up >= ACCEPT_MARGIN and len(people) == 1:
            return Match(text, next(iter(people)), "fuzzy", score=float(best))
        candidates = tuple(dict.fromkeys(p for n, _, _ in scored for p in sorted(self._names[n])))
        return Match(text, None, "review", candidates, score=float(best))


# Random rosters and answers -----------------------------------------------------------------

# Few, similar words, so that near-ties, shared words and shared names are common.
WORDS = ["jo", "joanna", "john", "jon", "ann", "anne", "annmarie", "smith", "smyth", "smithe", "lee",
         "li", "chan", "chen", "okonkwo", "okonkow", "zoë", "zoe", "o'neill", "oneill", "søren",
         "ørsted", "müller", "muller", "محمد", "علي", "王", "王伟", "דנה", "כהן", "иван", "иванов",
         "christopher", "christophor", "johnson", "jonhson", "ng", "x"]
TITLES = ["", "", "", "Dr ", "Prof. ", "Mrs ", "Cllr "]

word = st.sampled_from(WORDS)
person = st.tuples(st.lists(word, min_size=1, max_size=3), st.sampled_from(TITLES), st.booleans())


def _roster(people: list[tuple[list[str], str, bool]]) -> pd.DataFrame:
    names = [title + " ".join(w.title() for w in words) for words, title, _ in people]
    emails = [".".join(words) + "@org.example" if has_email else "" for words, _, has_email in people]
    n = len(people)
    return pd.DataFrame({"id": [f"R{i}" for i in range(n)], "name": names, "email": emails},
                        index=[f"p{i}" for i in range(n)])


@st.composite
def answer(draw, people: list[tuple[list[str], str, bool]]) -> str:
    """A text someone might write for a roster person, or for nobody."""
    words, title, _ = draw(st.sampled_from(people))
    words = list(words)
    how = draw(st.sampled_from(["as is", "typo", "drop", "swap", "first", "last", "initial", "initials",
                                "surname first", "email", "title", "shout", "other", "id", "blank"]))
    if how == "typo" or how == "drop":
        k = draw(st.integers(0, len(words) - 1))
        w = words[k]
        at = draw(st.integers(0, max(0, len(w) - 1)))
        words[k] = w[:at] + (draw(st.sampled_from("aeiouyz")) if how == "typo" else "") + w[at + 1:]
        words = [w for w in words if w]
    elif how == "swap":
        words = words[::-1]
    elif how == "first":
        words = words[:1]
    elif how == "last":
        words = words[-1:]
    elif how == "initial":
        words = [words[0][:1], *words[1:]]
    elif how == "initials":
        words = [w[:1] for w in words]
    elif how == "surname first" and len(words) > 1:
        return f"{words[-1].title()}, {' '.join(words[:-1]).title()}"
    elif how == "email":
        return ".".join(words) + draw(st.sampled_from(["@org.example", "@other.example"]))
    elif how == "title":
        words = [draw(st.sampled_from(["Dr.", "prof", "Ms"])), *words]
    elif how == "shout":
        return " ".join(words).upper() + draw(st.sampled_from(["", " 🌈", "!"]))
    elif how == "other":
        words = draw(st.lists(word, min_size=1, max_size=3))
    elif how == "id":
        return f"r{draw(st.integers(0, len(people)))}"
    elif how == "blank":
        return draw(st.sampled_from(["", "  ", "-"]))
    return " ".join(words)


@st.composite
def roster_and_answers(draw):
    people = draw(st.lists(person, min_size=1, max_size=12))
    answers = draw(st.lists(answer(people), min_size=1, max_size=25))
    return _roster(people), answers


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_and_answers(), st.booleans())
def test_property_indexed_matcher_agrees_with_brute_force(case, fuzzy):
    identities, answers = case
    reference = BruteForce(identities, fuzzy=fuzzy)
    expected = {str(a): reference.resolve(a) for a in answers}
    one_by_one = RosterIndex(identities, fuzzy=fuzzy)
    assert {str(a): one_by_one.resolve(a) for a in answers} == expected
    assert {str(a): one_by_one.resolve(a) for a in reversed(answers)} == expected  # remembered
    assert RosterIndex(identities, fuzzy=fuzzy).resolve_many(answers) == expected


@settings(max_examples=100, deadline=None)
@given(roster_and_answers(), st.data())
def test_property_aliases_agree_with_brute_force(case, data):
    identities, answers = case
    texts = [normalise_name(a) for a in answers if normalise_name(a)]
    if not texts:
        return
    chosen = data.draw(st.lists(st.sampled_from(texts), max_size=4, unique=True))
    aliases = {}
    for k, text in enumerate(chosen):
        aliases[text] = data.draw(st.sampled_from([
            Alias(text, "ignored"), Alias(text, "chosen", f"R{k}"), Alias(text, "chosen", "GONE"),
            f"p{k}", None]))
    expected = {str(a): BruteForce(identities, aliases).resolve(a) for a in answers}
    assert RosterIndex(identities, aliases).resolve_many(answers) == expected


def test_batches_split_into_chunks_agree_with_brute_force(monkeypatch):
    # A roster of 200 people and 300 answers, scored 7 cells at a time: many cdist calls.
    rng = __import__("random").Random(7)
    people = [([rng.choice(WORDS), rng.choice(WORDS)], rng.choice(TITLES), rng.random() < 0.5) for _ in range(200)]
    identities = _roster(people)
    names = [n for n in identities["name"]]
    answers = []
    for _ in range(300):
        n = normalise_name(rng.choice(names))
        at = rng.randrange(len(n))
        answers.append(n[:at] + rng.choice("aeiou ") + n[at + 1:])
    monkeypatch.setattr(matching, "_CDIST_CELLS", 7)
    reference = BruteForce(identities)
    assert RosterIndex(identities).resolve_many(answers) == {a: reference.resolve(a) for a in answers}
    assert any(m.method == "fuzzy" for m in RosterIndex(identities).resolve_many(answers).values())


def test_roster_values_of_any_type_are_read_as_before():
    identities = pd.DataFrame({"id": [1, 2, None, 4.0], "name": ["Ann Lee", None, "Bo Chan", float("nan")],
                               "email": [pd.NA, "bo@x.example", "", " ann@x.example "]},
                              index=[10, 11, 12, 13])
    answers = ["1", "2", "4.0", "4", "bo@x.example", "ANN@x.example", "Ann", "Bo", "Bo Chen", "<NA>", "nan"]
    reference = BruteForce(identities)
    assert RosterIndex(identities).resolve_many(answers) == {a: reference.resolve(a) for a in answers}


def test_a_roster_without_name_or_email_columns_still_resolves_ids():
    identities = pd.DataFrame({"id": ["A", "B"]}, index=["pa", "pb"])
    index = RosterIndex(identities)
    assert index.resolve("a").person_id == "pa"
    assert index.resolve_many(["Jo Smith", "Jo", "b"]) == {
        "Jo Smith": Match("Jo Smith", None, "unknown"), "Jo": Match("Jo", None, "unknown"),
        "b": Match("b", "pb", "id")}


@pytest.mark.parametrize("text, expected", [
    ("jo", ("p0", "p1", "p3")),       # begins the first names Jo and Joanna; is the surname of Ann Jo
    ("smith", ("p0", "p2")),          # a surname equal to the last word only
    ("j smith", ("p0",)),             # an initial and a full word
    ("smith j", ("p0",)),
    ("j s", ("p0", "p1")),            # initials only: Jo Smith, Joanna Smyth
    ("a j", ("p3",)),
    ("l", ()),                        # a lone initial: nobody
    ("mary", ()),
])
def test_partial_names_find_exactly_the_people_they_fit(text, expected):
    index = RosterIndex(_roster([(["jo", "smith"], "", False), (["joanna", "smyth"], "", False),
                                 (["bo", "smith"], "", False), (["ann", "jo"], "", False)]))
    assert index._partial(text.split()) == expected
    assert BruteForce(index.identities).resolve(text).candidates == expected


# The cap on free texts -------------------------------------------------------------------------


def test_too_many_free_texts_is_one_clear_error_naming_the_file_and_the_cap():
    index = RosterIndex(_roster([(["jo", "smith"], "", False)]), max_free_texts=3,
                        place=Place(file="answers.csv"))
    # Exact matches, blanks and repeats are not free texts; three misspellings are allowed.
    for text in ["Jo Smith", "R0", "", "Jo Smyth", "jo  smyth", "Dr Jo Smyth", "Jon Smith", "Jo", "JO"]:
        index.resolve(text)
    with pytest.raises(InputFormatError) as caught:
        index.resolve("Jo Smithe")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("answers.csv: more than 3 different names that are not exactly on the roster")
    assert "ONATOOL_MAX_FREE_TEXTS" in message


def test_a_batch_over_the_cap_is_refused_before_any_scoring_naming_the_column():
    index = RosterIndex(_roster([(["jo", "smith"], "", False)]), max_free_texts=2)
    with pytest.raises(InputFormatError, match=r'^forms\.xlsx, column "Who\?": more than 2 .*at most 2 per upload'):
        index.resolve_many(["Jo Smyth", "Jo Smith", "Jon Smith", "Jo", "Jo Smyth"],
                           place=Place(file="forms.xlsx", column="Who?"))
    assert index._scored == {}
    assert index.resolve_many(["Jo Smyth", "Jo"])["Jo"].method == "review"


def test_the_cap_defaults_to_50000_and_follows_the_environment(monkeypatch):
    identities = _roster([(["jo", "smith"], "", False)])
    assert matching.MAX_FREE_TEXTS == 50_000 == RosterIndex(identities).max_free_texts
    monkeypatch.setenv("ONATOOL_MAX_FREE_TEXTS", "1")
    index = RosterIndex(identities)
    index.resolve("Jo Smyth")
    with pytest.raises(InputFormatError, match="more than 1 different"):
        index.resolve("Jon Smith")
    assert RosterIndex(identities, max_free_texts=5).max_free_texts == 5
    monkeypatch.setenv("ONATOOL_MAX_FREE_TEXTS", "many")
    with pytest.raises(InputFormatError, match="ONATOOL_MAX_FREE_TEXTS is 'many'.*a whole number"):
        RosterIndex(identities)


@pytest.mark.parametrize("batch", [False, True])
def test_a_score_exactly_at_the_floor_is_offered(batch):
    # "jo abc" vs "jo abcdef": 2 * 6 / 15 = 80 exactly, so Jo Abcdef is a candidate.
    identities = _roster([(["jo", "abcdef"], "", False), (["bo", "chan"], "", False)])
    index = RosterIndex(identities)
    texts = ["Jo Abc", "Bo Chen"]
    found = index.resolve_many(texts) if batch else {t: index.resolve(t) for t in texts}
    assert found["Jo Abc"] == Match("Jo Abc", None, "review", ("p0",), 80.0)
    assert found == {t: BruteForce(identities).resolve(t) for t in texts}


def test_an_import_with_too_many_free_texts_stops_with_the_cap(tmp_path, monkeypatch):
    from onatool.io import import_wave

    (tmp_path / "roster.csv").write_text("id,name\nA,Ann Lee\nB,Bo Chan\n")
    (tmp_path / "ties.csv").write_text("From,To\n" + "".join(f"A,Bo Chan{'n' * k}\n" for k in range(1, 5))
                                       + "A,Bo Chan\nB,Ann Lee\n")
    monkeypatch.setenv("ONATOOL_MAX_FREE_TEXTS", "4")
    result = import_wave(tmp_path / "roster.csv", ties=tmp_path / "ties.csv", key=b"k" * 32)
    free = [n["raw"] for n in result.report.names if n["method"] not in ("id", "name")]
    assert free == [f"Bo Chan{'n' * k}" for k in range(1, 5)]  # four free texts: at the cap, allowed
    monkeypatch.setenv("ONATOOL_MAX_FREE_TEXTS", "3")
    with pytest.raises(InputFormatError, match=r"more than 3 different names .*ONATOOL_MAX_FREE_TEXTS"):
        import_wave(tmp_path / "roster.csv", ties=tmp_path / "ties.csv", key=b"k" * 32)


def test_a_survey_export_over_the_cap_names_its_file(tmp_path, monkeypatch):
    from onatool.io import import_responses

    (tmp_path / "roster.csv").write_text("id,name,email\nA,Ann Lee,ann@x.example\nB,Bo Chan,bo@x.example\n")
    answers = ", ".join(f"Bo Chan{'n' * k}" for k in range(1, 5))
    (tmp_path / "google.csv").write_text(
        "Timestamp,Email address,Who do you go to for advice about your work?\n"
        f'1/26/2023 11:17:16,ann@x.example,"{answers}"\n')
    monkeypatch.setenv("ONATOOL_MAX_FREE_TEXTS", "3")
    with pytest.raises(InputFormatError, match=r"google\.csv.*more than 3 different names"):
        import_responses(tmp_path / "roster.csv", tmp_path / "google.csv", key=b"k" * 32)
