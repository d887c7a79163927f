"""Cohort change decomposed: within-cohort, spillover and background ties, several cohorts,
the bootstrap interval, descriptive wording for small cohorts, and whether new ties last."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from onatool import schema
from onatool.compare import cohort_change
from onatool.compare.cohort import cohort_changes, cohort_values
from onatool.network import Network
from onatool.sample import SAMPLE_COHORTS, load_sample, sample_dir


def _people(rows: dict[str, dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = schema.PERSON_ID
    frame[schema.RESPONDED] = frame.get(schema.RESPONDED, pd.Series(True, index=frame.index)).fillna(True)
    frame[schema.RESPONDED] = frame[schema.RESPONDED].astype(bool)
    return frame


def _wave(edges, who, label, *, symmetric=False) -> Network:
    return Network.from_edges(edges, people=_people(who), relation="advice", symmetric=symmetric, wave=label)


# a, b, c on the programme (a, b in X, c in Y); d in X, e and f in Y.
WHO = {"a": {"organisation": "X", "cohort": "LP"}, "b": {"organisation": "X", "cohort": "LP"},
       "c": {"organisation": "Y", "cohort": "LP"}, "d": {"organisation": "X"},
       "e": {"organisation": "Y"}, "f": {"organisation": "Y"}}
BEFORE = [("a", "b"), ("d", "e")]
# New: a->c (within, across), b->c (within, across), c->d (spillover, across),
# e->a (spillover, across), d->f (background, across), e->f (background, same organisation).
AFTER = [("a", "b"), ("d", "e"), ("a", "c"), ("b", "c"), ("c", "d"), ("e", "a"), ("d", "f"), ("e", "f")]


def test_new_ties_split_within_spillover_and_background_by_hand():
    result = cohort_change(_wave(BEFORE, WHO, "w1"), _wave(AFTER, WHO, "w2"), "LP", permutations=0,
                           resamples=0, attributes=["organisation"])
    split = result["new_ties"]
    assert split["all"]["ties"] == {"within": 2, "spillover": 2, "background": 2}
    assert split["organisation"]["ties"] == {"within": 2, "spillover": 2, "background": 1}
    # Ordered pairs untied at w1: within 6 - 1 (a->b) = 5; spillover 3*3*2 = 18;
    # background 6 - 1 (d->e) = 5. Across organisations: within a->c, c->a, b->c, c->b = 4;
    # spillover a,b with e,f and c with d, both ways = 10; background d with e, f both ways
    # less d->e = 3.
    assert split["all"]["open_pairs"] == {"within": 5, "spillover": 18, "background": 5}
    assert split["organisation"]["open_pairs"] == {"within": 4, "spillover": 10, "background": 3}
    assert split["organisation"]["per_100_pairs"]["within"] == pytest.approx(50.0)
    # New contacts across organisations (either direction): a: c, e -> 1 with cohort, 1 not;
    # b: c -> 1, 0; c: a, b, d -> 2, 1. Members' mean 6/3 new contacts, 4/3 within, 2/3 spillover.
    members = split["organisation"]["members"]
    assert members == pytest.approx({"mean": 2.0, "within_mean": 4 / 3, "spillover_mean": 2 / 3})
    # d: c, f -> 1 with cohort, 1 not; e: a -> 1, 0; f: d -> 0, 1. Others' mean 4/3.
    others = split["organisation"]["others"]
    assert others == pytest.approx({"mean": 4 / 3, "spillover_mean": 2 / 3, "background_mean": 2 / 3})
    measures = result["measures"]
    assert measures["new_external_organisation_with_cohort"]["cohort_mean"] == pytest.approx(4 / 3)
    assert measures["new_external_organisation_with_others"]["others_mean"] == pytest.approx(2 / 3)


def test_a_symmetric_relation_counts_each_pair_once():
    result = cohort_change(_wave(BEFORE, WHO, "w1", symmetric=True), _wave(AFTER, WHO, "w2", symmetric=True),
                           "LP", permutations=0, resamples=0, attributes=["organisation"])
    split = result["new_ties"]["all"]
    assert split["ties"] == {"within": 2, "spillover": 2, "background": 2}
    # Unordered pairs untied at w1: within 3 - 1, spillover 9, background 3 - 1.
    assert split["open_pairs"] == {"within": 2, "spillover": 9, "background": 2}


def test_persistence_counts_new_ties_the_next_wave_still_has():
    later = [("a", "c"), ("c", "d"), ("d", "f"), ("e", "f"), ("a", "b")]  # b->c and e->a dropped
    result = cohort_change(_wave(BEFORE, WHO, "w1"), _wave(AFTER, WHO, "w2"), "LP", permutations=0,
                           resamples=0, attributes=["organisation"], following=_wave(later, WHO, "w3"))
    kept = result["persistence"]
    assert kept["wave"] == "w3" and kept["people"] == 6
    assert kept["all"]["within"] == {"new_ties": 2, "still_ties": 1, "share_kept": 0.5}
    assert kept["all"]["spillover"] == {"new_ties": 2, "still_ties": 1, "share_kept": 0.5}
    assert kept["all"]["background"] == {"new_ties": 2, "still_ties": 2, "share_kept": 1.0}
    # Someone who did not answer the next wave: ties with them cannot be judged, so left out.
    silent = {**WHO, "b": {**WHO["b"], schema.RESPONDED: False}}
    result = cohort_change(_wave(BEFORE, WHO, "w1"), _wave(AFTER, WHO, "w2"), "LP", permutations=0,
                           resamples=0, attributes=["organisation"], following=_wave(later, silent, "w3"))
    assert result["persistence"]["people"] == 5
    assert result["persistence"]["all"]["within"] == {"new_ties": 1, "still_ties": 1, "share_kept": 1.0}


def test_small_cohorts_are_descriptive_only_and_large_ones_are_not():
    small = cohort_change(_wave(BEFORE, WHO, "w1"), _wave(AFTER, WHO, "w2"), "LP", permutations=0, resamples=0)
    assert small["members"] == 3 and small["descriptive_only"] is True
    ids = [f"p{i:02d}" for i in range(30)]
    who = {p: {"organisation": "AB"[i % 2], "cohort": "LP" if i < 10 else None} for i, p in enumerate(ids)}
    edges = [(ids[i], ids[(i + 1) % 30]) for i in range(30)]
    big = cohort_change(_wave(edges, who, "w1"), _wave(edges, who, "w2"), "LP", permutations=0, resamples=0)
    assert big["members"] == 10 and big["descriptive_only"] is False


def test_bootstrap_interval_is_seeded_and_brackets_the_difference():
    rng = np.random.default_rng(3)
    ids = [f"p{i:02d}" for i in range(60)]
    who = {p: {"organisation": "ABC"[i % 3], "cohort": "LP" if i < 15 else None} for i, p in enumerate(ids)}
    before = sorted({(ids[i], ids[j]) for i, j in rng.integers(0, 60, (120, 2)) if i != j})
    after = sorted(set(before) | {(ids[i], ids[j]) for i, j in rng.integers(0, 60, (80, 2)) if i != j}
                   | {(ids[i], ids[(i + 1) % 60 + 0]) for i in range(15)})
    one = cohort_change(_wave(before, who, "w1"), _wave(after, who, "w2"), "LP", permutations=0, seed=5)
    two = cohort_change(_wave(before, who, "w1"), _wave(after, who, "w2"), "LP", permutations=0, seed=5)
    other = cohort_change(_wave(before, who, "w1"), _wave(after, who, "w2"), "LP", permutations=0, seed=6)
    m = one["measures"]["degree_change"]
    assert m["interval"] == two["measures"]["degree_change"]["interval"]
    assert m["interval"] != other["measures"]["degree_change"]["interval"]
    assert m["interval"][0] < m["difference"] < m["interval"][1]
    assert "2000 resamples, seed 5" in one["interval_method"]


def test_bootstrap_interval_of_a_constant_difference_is_that_difference():
    # Every member gains exactly two contacts and nobody else gains any: no spread to resample.
    ids = [f"p{i:02d}" for i in range(12)]
    who = {p: {"organisation": "X", "cohort": "LP" if i < 4 else None} for i, p in enumerate(ids)}
    after = [(ids[i], ids[j]) for i in range(4) for j in range(4) if i != j and (j - i) % 4 in (1, 3)]
    result = cohort_change(_wave([], who, "w1"), _wave(after, who, "w2"), "LP", permutations=0)
    assert result["measures"]["degree_change"]["interval"] == pytest.approx([2.0, 2.0])


def test_several_cohorts_each_against_everyone_else():
    who = {**WHO, "e": {"organisation": "Y", "cohort": "Mentoring"}}
    results = cohort_changes(_wave(BEFORE, who, "w1"), _wave(AFTER, who, "w2"), permutations=0, resamples=0)
    assert list(results) == ["LP", "Mentoring"]
    assert results["LP"]["members"] == 3 and results["Mentoring"]["members"] == 1
    assert cohort_values(_wave(BEFORE, who, "w1")) == ["LP", "Mentoring"]
    missing = cohort_changes(_wave(BEFORE, who, "w1"), _wave(AFTER, who, "w2"), ["Coaching"], permutations=0)
    assert "nobody compared" in missing["Coaching"]["error"]


# --- the sample place -------------------------------------------------------------------
TRUTH = json.loads((sample_dir() / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def sample():
    return [r.network for r in load_sample()]


def test_sample_decomposition_and_decay_match_the_generator(sample):
    baseline, interim, final = sample
    result = cohort_change(baseline, interim, SAMPLE_COHORTS[0], relation="advice", following=final,
                           permutations=200)
    truth = TRUTH["summary"]["change"]["baseline to interim"]["new_cross_org_ties"]
    split = result["new_ties"]["organisation"]
    names = {"within": "within_cohort", "spillover": "cohort_and_others", "background": "others"}
    for mine, theirs in names.items():
        assert split["ties"][mine] == truth[theirs]["new_ties"]
        assert split["open_pairs"][mine] == truth[theirs]["open_pairs"]
    decay = TRUTH["summary"]["decay"][SAMPLE_COHORTS[0]]
    kept = result["persistence"]
    assert kept["people"] == decay["people"]
    for mine, theirs in names.items():
        assert kept["organisation"][mine]["new_ties"] == decay[theirs]["new_ties"]
        assert kept["organisation"][mine]["still_ties"] == decay[theirs]["still_ties"]
    # The planted decay: about 31% of the participants' new ties last, against 67% of others'.
    assert kept["organisation"]["within"]["share_kept"] == pytest.approx(0.314, abs=0.001)
    assert kept["organisation"]["background"]["share_kept"] == pytest.approx(0.667, abs=0.001)
    # Members' new contacts across organisations: about half are with other participants.
    members = split["members"]
    assert members["within_mean"] + members["spillover_mean"] == pytest.approx(members["mean"])
    assert 0.4 < members["within_mean"] / members["mean"] < 0.6
    effect = result["measures"]["new_external_organisation"]
    assert effect["interval"][0] > 0 and effect["p"] < 0.01 and not result["descriptive_only"]


def test_sample_both_cohorts_in_one_call(sample):
    baseline, interim, final = sample
    results = cohort_changes(interim, final, relation="advice", permutations=0, resamples=100)
    assert list(results) == list(SAMPLE_COHORTS)
    truth = TRUTH["summary"]["change"]["interim to final"]
    assert results[SAMPLE_COHORTS[1]]["members"] == truth["cohort_members_compared"]
    assert results[SAMPLE_COHORTS[1]]["new_ties"]["organisation"]["ties"]["within"] == \
        truth["new_cross_org_ties"]["within_cohort"]["new_ties"]


# --- the headline -----------------------------------------------------------------------
def test_headline_shows_the_within_and_spillover_split_on_the_sample(sample):
    from onatool.compare import compare_waves
    from onatool.metrics import analyse
    from onatool.share.insights import insights

    baseline, interim, _ = sample
    comparison = compare_waves([baseline, interim], relation="advice", cohort=SAMPLE_COHORTS[0], permutations=200)
    found = [f for f in insights(interim, analyse(interim, relation="advice"), comparison) if f.kind == "cohort"]
    assert len(found) == 1
    finding = found[0]
    split = comparison.cohort["new_ties"]["organisation"]["members"]
    assert f"{split['mean']:.1f} new contacts in other organisations" in finding.text
    assert f"{split['within_mean']:.1f} of them with other participants" in finding.text
    assert "unlikely to be chance" in finding.note and "95% interval" in finding.note
    for word in ("caused", "led to", "because of the programme", "resulted in"):
        assert word not in (finding.text + finding.note).lower()
    # Every number in the sentence is in its values.
    assert finding.values["within_mean"] == pytest.approx(split["within_mean"])


def test_a_small_cohort_is_described_never_tested():
    from onatool.compare.cohort import cohort_sentence

    ids = [f"p{i:02d}" for i in range(40)]
    who = {p: {"organisation": "ABCD"[i % 4], "cohort": "LP" if i < 6 else None} for i, p in enumerate(ids)}
    after = [(ids[i], ids[j]) for i in range(6) for j in range(6) if i != j and i % 4 != j % 4]
    result = cohort_change(_wave([], who, "w1"), _wave(after, who, "w2"), "LP", permutations=200)
    assert result["members"] == 6 and result["measures"]["new_external_organisation"]["p"] < 0.05
    text, note, values = cohort_sentence(result, "organisation")
    assert "unlikely to be chance" not in note and "could be chance" not in note
    assert "Only 6 participants" in note and values["members"] == 6
