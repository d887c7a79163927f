"""Non-response sensitivity: ties reconstructed from those received (Stork and Richards 1992)."""

from __future__ import annotations

import pytest

from onatool import Network, schema
from onatool.inference import reconstruct, sensitivity
from onatool.inference.nonresponse import RECONSTRUCTED
from onatool.sample import load_sample


def test_reconstruction_by_hand():
    # b did not answer. a and c named b: b is given b->a and b->c. d, also silent, named by b
    # in no answer and naming no one: nothing is invented between two non-respondents.
    net = Network.from_edges([("a", "b", 3.0), ("c", "b"), ("a", "c")],
                             people={"b": {"responded": False}, "d": {"responded": False}})
    full = reconstruct(net)
    ties = {(s, t): (w, raw) for s, t, w, raw in
            full.ties[[schema.SOURCE, schema.TARGET, schema.WEIGHT, schema.RAW_VALUE]].itertuples(index=False)}
    assert ties[("b", "a")] == (3.0, RECONSTRUCTED)
    assert ties[("b", "c")] == (1.0, RECONSTRUCTED)
    assert len(ties) == 5
    assert full.people[schema.RESPONDED].all()
    assert net.people[schema.RESPONDED].sum() == 2  # the original is unchanged


def test_reconstruction_keeps_a_silent_persons_existing_tie_and_symmetric_relations():
    people = {"b": {"responded": False}}
    net = Network.from_edges([("a", "b"), ("b", "a")], people=people)  # b->a came from elsewhere
    assert len(reconstruct(net).ties) == 2
    mutual = Network.from_edges([("a", "b")], people=people, symmetric=True)
    assert len(reconstruct(mutual).ties) == 1


def test_full_response_changes_nothing():
    net = Network.from_edges([("a", "b"), ("b", "c")])
    table = sensitivity(net)
    assert (table["difference"].fillna(0) == 0).all()
    assert table.attrs["reconstructed_ties"] == 0


def test_sensitivity_bounds_by_hand():
    # c silent. As answered: a->b unreturned among a, b: reciprocity 0; density 3/(2 x 2).
    # Reconstructed: c->a, c->b added: 4 of 5 ties returned; density 5/6.
    net = Network.from_edges([("a", "b"), ("a", "c"), ("b", "c")], people={"c": {"responded": False}})
    table = sensitivity(net, ["reciprocity", "density"])
    assert table.loc["reciprocity", ["as_answered", "reconstructed"]].tolist() == pytest.approx([0.0, 0.8])
    assert table.loc["density", ["low", "high"]].tolist() == pytest.approx([0.75, 5 / 6])
    with pytest.raises(KeyError, match="no measure"):
        sensitivity(net, ["not a measure"])


def test_sample_reciprocity_bounds():
    final = load_sample()[-1].network
    table = sensitivity(final, ["reciprocity", "health.bottom_reach_to_top"], relation="advice")
    # Non-respondents reconstructed as naming back everyone who named them: reciprocity rises.
    assert table.loc["reciprocity", "reconstructed"] > table.loc["reciprocity", "as_answered"]
    assert table.attrs["reconstructed_ties"] > 0
    assert table.attrs["response_rate"] == pytest.approx(final.response_rate)
