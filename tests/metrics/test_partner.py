"""PARTNER trust and value scores on a hand-worked example (Varda et al. 2008)."""

import math

import pandas as pd
import pytest

from onatool.metrics import partner

ORG = pd.Series({"a1": "A", "a2": "A", "b1": "B", "c1": "C", "x1": None})
V, T = partner.VALUE, partner.TRUST


def answers(person, rated, values, trusts):
    return [(person, rated, d, s) for d, s in [*zip(V, values, strict=True), *zip(T, trusts, strict=True)]]


RATINGS = pd.DataFrame(
    answers("a1", "B", [4, 3, 2], [4, 4, 1])        # value 3, trust 3
    + answers("a2", "B", [2, 2, 2], [3, None, 3])   # value 2, trust 3 (one blank)
    + answers("b1", "A", [1, 1, 1], [1, 1, 1])      # value 1, trust 1
    + answers("c1", "B", [4, 4, 4], [None] * 3)     # value 4, no trust answered
    + answers("a1", "A", [4, 4, 4], [4, 4, 4])      # rates their own organisation
    + answers("x1", "B", [1, 1, 1], [1, 1, 1]),     # organisation unknown
    columns=["person_id", "rated", "dimension", "score"])


def test_each_raters_scores_are_the_means_of_the_dimensions_answered():
    scores = partner.rater_scores(RATINGS).set_index(["person_id", "rated"])
    assert scores.loc[("a1", "B"), ["value", "trust"]].tolist() == [3.0, 3.0]
    assert scores.loc[("a2", "B"), "trust"] == 3.0
    assert math.isnan(scores.loc[("c1", "B"), "trust"])


def test_pair_scores_by_hand():
    pairs = partner.pair_scores(RATINGS, ORG)
    assert pairs.loc[("A", "B")].tolist() == [2.5, 3.0, 2]
    assert pairs.loc[("C", "B"), "value"] == 4.0 and pairs.loc[("C", "B"), "raters"] == 1
    assert pairs.loc[("A", "A"), "raters"] == 1  # a pair may be an organisation's view of itself
    assert "x1" not in str(pairs.index.tolist()) and len(pairs) == 4


def test_organisation_scores_leave_out_own_organisation_and_unknown_raters():
    orgs = partner.organisation_scores(RATINGS, ORG)
    assert orgs.loc["B"].tolist() == [3.0, 3.0, 3, 2]  # value (3+2+4)/3, trust (3+3)/2, 3 raters, 2 orgs
    assert orgs.loc["A"].tolist() == [1.0, 1.0, 1, 1]  # a1's rating of A is their own organisation's


def test_bad_dimensions_and_scores_are_refused():
    with pytest.raises(ValueError, match="unknown PARTNER dimension"):
        partner.rater_scores(pd.DataFrame([("a1", "B", "friendliness", 3)],
                                          columns=["person_id", "rated", "dimension", "score"]))
    with pytest.raises(ValueError, match="1 \\(not at all\\) to 4"):
        partner.rater_scores(pd.DataFrame([("a1", "B", "reliability", 5)],
                                          columns=["person_id", "rated", "dimension", "score"]))
