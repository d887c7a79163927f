"""Name matching policy: exact, then decided, then clearly-ahead close spellings; never guess."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from onatool.errors import InputFormatError
from onatool.io import import_responses, load_aliases, read_roster, save_aliases
from onatool.io.matching import (
    ACCEPT_MARGIN,
    ACCEPT_SCORE,
    SCORER,
    Alias,
    RosterIndex,
    decide,
    normalise_name,
)
from tests.support import survey_builders as sb
from tests.support.survey_builders import Response

KEY = b"m" * 32


def index_of(names: list[str], **kwargs) -> RosterIndex:
    ids = pd.DataFrame({"id": [f"X{i}" for i in range(len(names))], "name": names},
                       index=[f"p{i}" for i in range(len(names))])
    return RosterIndex(ids, **kwargs)


def test_exact_stage_is_unchanged():
    index = index_of(["Ann Lee", "Bo Chan"])
    assert index.resolve("X0").method == "id"
    assert index.resolve("  LEE, ann ").method == "name"
    assert index.resolve("").method == "blank"


def test_a_clear_misspelling_is_accepted():
    # "Margret" drops one letter of "Margaret": token_sort_ratio = 2*15/31 = 96.8 >= 95,
    # and the next name is far behind.
    m = index_of(["Margaret Okonkwo", "Ann Lee"]).resolve("Margret Okonkwo")
    assert (m.method, m.person_id) == ("fuzzy", "p0")
    assert m.score == pytest.approx(2 * 15 / 31 * 100)


def test_a_near_tie_goes_to_review_not_to_the_best_scorer():
    # "Jo Smth" is one letter short of both Jo Smith and Jo Smyth: 2*7/15 = 93.3 each.
    m = index_of(["Jo Smith", "Jo Smyth"]).resolve("Jo Smth")
    assert m.method == "review" and not m.matched
    assert set(m.candidates) == {"p0", "p1"}


def test_high_score_without_margin_is_not_accepted():
    # Both roster names are one letter away from the text: a score >= 95 is not enough.
    index = index_of(["Christopher Johnson", "Christophor Johnson"])
    m = index.resolve("Christopher Jonhson")
    assert not m.matched and m.method == "review"


@pytest.mark.parametrize("text", ["Jo", "J Smith", "J. Smith", "Smith", "Smith J"])
def test_initials_and_bare_names_go_to_review(text):
    index = index_of(["Jo Smith", "Ann Lee"])
    m = index.resolve(text)
    assert m.method == "review" and m.candidates == ("p0",), text


def test_a_shared_name_is_ambiguous():
    m = index_of(["Jo Smith", "Jo Smith", "Ann Lee"]).resolve("Jo Smith")
    assert m.method == "ambiguous" and m.candidates == ("p0", "p1")


def test_something_resembling_nobody_is_unknown():
    assert index_of(["Jo Smith"]).resolve("Quentin Blake").method == "unknown"
    assert index_of(["Jo Smith"]).resolve("Q").method == "unknown"  # a lone initial says too little


def test_the_scorer_does_not_score_a_part_of_a_name_as_the_whole():
    # Why token_sort_ratio: WRatio and token_set_ratio would put a bare first name or a
    # name missing its middle name within reach of automatic acceptance.
    assert SCORER is fuzz.token_sort_ratio
    assert fuzz.token_set_ratio("jo", "jo smith") == 100 and fuzz.WRatio("jo", "jo smith") >= 90
    assert SCORER("jo", "jo smith") == 40
    assert SCORER("ann lee", "ann marie lee") == 70
    assert SCORER("smith jo", "jo smith") == 100


def test_fuzzy_can_be_turned_off():
    assert index_of(["Margaret Okonkwo"], fuzzy=False).resolve("Margret Okonkwo").method == "unknown"


_letters = st.text(alphabet="abcdefghijklmnoprstuvwy", min_size=2, max_size=9)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_letters, _letters), min_size=1, max_size=8, unique=True),
       st.integers(min_value=0, max_value=7), st.integers(min_value=0, max_value=20), _letters)
def test_property_an_automatic_match_is_always_clearly_ahead(people, pick, cut, noise):
    """Whatever the roster and text, a close-spelling match is unique and >= 5 points clear."""
    names = [f"{a} {b}" for a, b in people]
    index = index_of(names)
    first, last = people[pick % len(people)]
    text = f"{first} {last[: cut % (len(last) + 1)]}{noise[:1]}"
    m = index.resolve(text)
    if m.method != "fuzzy":
        return
    query = normalise_name(text)
    scores = sorted((SCORER(query, normalise_name(n)) for n in set(map(normalise_name, names))), reverse=True)
    assert scores[0] >= ACCEPT_SCORE
    assert len(scores) == 1 or scores[0] - scores[1] >= ACCEPT_MARGIN
    assert SCORER(query, normalise_name(index.identities.at[m.person_id, "name"])) == scores[0]


@settings(max_examples=200, deadline=None)
@given(_letters, _letters, st.sampled_from("abcdefghijklmnoprstuvwy"))
def test_property_near_ties_never_auto_match(first, last, letter):
    """Two roster names equally close to the text: never an automatic match."""
    a = f"{first} {last}{letter}"
    b = f"{first} {letter}{last}"
    if normalise_name(a) == normalise_name(b):
        return
    m = index_of([a, b]).resolve(f"{first} {last}")
    score_a, score_b = (SCORER(normalise_name(f"{first} {last}"), normalise_name(x)) for x in (a, b))
    if abs(score_a - score_b) < ACCEPT_MARGIN:
        assert not m.matched or m.method in ("name", "id")


# Decisions and alias files ---------------------------------------------------------------


def test_decide_records_each_kind_of_decision():
    roster_ids = pd.DataFrame({"id": ["C3"], "name": ["Jo Smith"]}, index=["pc3"])
    match = index_of(["Jo Smith"]).resolve("Jo")
    book = decide({}, match, "accept", identities=roster_ids.rename(index={"pc3": "p0"}))
    assert book["jo"] == Alias("jo", "chosen", "C3", "Jo", "Jo Smith")
    book = decide(book, "Mystery Person", "ignore")
    book = decide(book, "Dr Who", "new", name="Doctor Who")
    assert [a.decision for a in book.values()] == ["chosen", "ignored", "new person"]
    with pytest.raises(InputFormatError, match="was not offered"):
        decide({}, match, "accept", person="p9")
    with pytest.raises(InputFormatError, match="accept, choose, new or ignore"):
        decide({}, "Jo", "maybe")  # type: ignore[arg-type]


def test_alias_file_round_trip_yaml_and_json(tmp_path):
    book = decide(decide({}, "Jo", "choose", person="C3"), "Mystery Person", "ignore")
    for name in ("aliases.yaml", "aliases.json"):
        assert load_aliases(save_aliases(book, tmp_path / name)) == {
            "jo": Alias("jo", "chosen", "C3", "Jo"), "mystery person": Alias("mystery person", "ignored", None,
                                                                             "Mystery Person")}


@pytest.mark.parametrize("text, message", [
    ("aliases: {a: 1}", "not a list"),
    ("aliases:\n- raw: Jo\n  decision: maybe\n", "decision 'maybe'"),
    ("aliases:\n- raw: Jo\n  decision: chosen\n", "chooses nobody"),
    ("aliases:\n- decision: ignored\n", "has no name"),
    ("aliases: [unclosed", "cannot be read"),
])
def test_bad_alias_files_name_the_file_and_the_fix(tmp_path, text, message):
    path = tmp_path / "aliases.yaml"
    path.write_text(text)
    with pytest.raises(InputFormatError, match=rf"aliases\.yaml.*{message}"):
        load_aliases(path)


def test_aliases_are_reused_by_the_next_wave_so_nobody_decides_twice(tmp_path):
    roster = sb.write_roster(tmp_path / "roster.csv")
    wave1 = [Response("ann.lee@acute.example", ["Jo", "Mystery Person", "Dr Who"], {})]
    first = import_responses(roster, sb.forms(tmp_path / "w1.csv", wave1), key=KEY)
    review = {n["raw"]: n for n in first.report.names if n["method"] in ("review", "unknown")}
    assert set(review) == {"Jo", "Mystery Person", "Dr Who"}
    people = read_roster(roster, key=KEY)
    jo_smith = people.identities.index[people.identities["id"] == "C3"][0]
    assert jo_smith in review["Jo"]["candidates"]

    book = decide({}, "Jo", "choose", person=jo_smith, identities=people.identities)
    book = decide(book, "Mystery Person", "ignore")
    book = decide(book, "Dr Who", "new", name="Dr Who")
    aliases = save_aliases(book, tmp_path / "aliases.yaml")

    wave2 = [Response("ann.lee@acute.example", ["Jo", "Mystery Person", "Dr Who", "Bo Chan"], {}),
             Response("bo.chan@council.example", ["jo"], {})]
    second = import_responses(roster, sb.forms(tmp_path / "w2.csv", wave2), key=KEY, aliases=aliases)
    methods = {n["raw"]: n["method"] for n in second.report.names}
    assert methods == {"ann.lee@acute.example": "email", "Jo": "alias", "Mystery Person": "ignored",
                       "Dr Who": "new", "Bo Chan": "name", "bo.chan@council.example": "email", "jo": "alias"}
    assert not second.report.review()
    ids = second.roster.identities["id"]
    pairs = {(ids[s], ids[t]) for s, t in zip(second.network.ties.source, second.network.ties.target, strict=True)}
    assert pairs == {("A1", "C3"), ("A1", "new:who"), ("A1", "B2"), ("B2", "C3")}
    new = second.network.people.loc[second.roster.identities.index[ids == "new:who"][0]]
    assert not new["responded"] and new["label"] == "P007"  # the next free label after six people
    decisions = second.decisions()
    assert set(decisions["decision"]) >= {"chosen by a person", "ignored", "new person", "accepted (exact name)"}


def test_an_alias_to_someone_who_left_falls_back_to_matching(tmp_path):
    book = {"jo": Alias("jo", "chosen", "GONE")}
    index = index_of(["Jo Smith"], aliases=book)
    assert index.resolve("Jo").method == "review"
