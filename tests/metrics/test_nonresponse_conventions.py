"""Available-case conventions, worked by hand (docs/metrics.md, "When some people did not answer").

Every ratio about pairs is computed over the pairs the answers cover; with full response
each equals the plain definition. Each test states the hand count in a comment, then the
same network with everyone answering (and so the plain definition).
"""

from __future__ import annotations

import pytest

from onatool import Network, engine
from onatool.metrics import cohesion, groups, health, levels


def _answered(people: dict, everyone: bool) -> dict:
    return {p: {**a, "responded": True} if everyone else a for p, a in people.items()}


@pytest.mark.parametrize("everyone", [False, True])
def test_density_and_reciprocity(everyone):
    people = _answered({"d": {"responded": False}}, everyone)
    net = Network.from_edges([("a", "b"), ("b", "a"), ("a", "d"), ("b", "c"), ("c", "a")], people=people)
    if everyone:
        # Plain: 5 ties / (4 x 3); reciprocity 2M/(2M+A) = 2/(2+3).
        assert cohesion.density(net) == pytest.approx(5 / 12)
        assert cohesion.reciprocity(net) == pytest.approx(2 / 5)
    else:
        # d did not answer: 5 ties sent by a, b, c over their rows 3 x 3; reciprocity among
        # a, b, c only: a->b, b->a returned, b->c, c->a not: 2 of 4 (a->d cannot be named back).
        assert cohesion.density(net) == pytest.approx(5 / 9)
        assert cohesion.reciprocity(net) == pytest.approx(2 / 4)


def test_undirected_density_counts_a_pair_known_when_either_answered():
    # 4 people, c and d silent: the pair c-d is unknown, 5 pairs known; 2 edges.
    people = {"c": {"responded": False}, "d": {"responded": False}}
    net = Network.from_edges([("a", "b"), ("a", "d")], people=people, symmetric=True)
    assert cohesion.density(net) == pytest.approx(2 / 5)
    assert cohesion.known_pairs(2, 4) == 5
    everyone = Network.from_edges([("a", "b"), ("a", "d")], people={"c": {}, "d": {}}, symmetric=True)
    assert cohesion.density(everyone) == pytest.approx(2 / 6)


@pytest.mark.parametrize("everyone", [False, True])
def test_upward_reciprocity_over_receivers_who_answered(everyone):
    people = _answered({"t": {"level": "top", "responded": False}, "m": {"level": "middle"},
                        "b": {"level": "bottom"}}, everyone)
    net = Network.from_edges([("b", "m"), ("m", "b"), ("b", "t"), ("m", "t")], people=people)
    # Upward: b->m (returned), b->t and m->t (t silent: left out unless t answered).
    assert levels.upward_reciprocity(net) == pytest.approx(1 / 3 if everyone else 1.0)


@pytest.mark.parametrize("everyone", [False, True])
def test_reach_to_a_top_over_bottoms_who_answered(everyone):
    people = _answered({"t": {"level": "top"}, "m": {"level": "middle"}, "b1": {"level": "bottom"},
                        "b2": {"level": "bottom", "responded": False}}, everyone)
    net = Network.from_edges([("b1", "m"), ("m", "t")], people=people)
    # b1 reaches t through m; b2 named no one: unknown when silent, "no" when she answered.
    assert levels.bottom_reach_to_top(net) == pytest.approx(0.5 if everyone else 1.0)


@pytest.mark.parametrize("everyone", [False, True])
def test_top_peer_density_over_respondents_rows(everyone):
    people = _answered({"t1": {"level": "top", "organisation": "X"},
                        "t2": {"level": "top", "organisation": "Y"},
                        "t3": {"level": "top", "organisation": "Y", "responded": False}}, everyone)
    net = Network.from_edges([("t1", "t2"), ("t1", "t3")], people=people)
    # Rows of respondents: t1 to 2 tops of other organisations, t2 to 1; t3's row only if she answered.
    assert levels.top_peer_density_cross_org(net) == pytest.approx(2 / 4 if everyone else 2 / 3)


@pytest.mark.parametrize("everyone", [False, True])
def test_middle_integration_over_respondents_rows(everyone):
    people = _answered({x: {"level": "middle"} for x in "abc"} | {"c": {"level": "middle", "responded": False}},
                       everyone)
    net = Network.from_edges([("a", "b"), ("b", "c")], people=people)
    # Respondents a, b: rows of 2 each -> 4 pairs; everyone: 6.
    assert levels.middle_integration(net) == pytest.approx(2 / 6 if everyone else 2 / 4)


def _groups_network(everyone: bool) -> Network:
    people = _answered({"a1": {"org": "A"}, "a2": {"org": "A"}, "a3": {"org": "A", "responded": False},
                        "b1": {"org": "B"}, "b2": {"org": "B"}}, everyone)
    return Network.from_edges([("a1", "b1"), ("a1", "a2"), ("a2", "a3"), ("b1", "a3")], people=people)


def test_group_densities_over_respondents_rows():
    density = groups.block_density(_groups_network(False), "org")
    # A's rows: 2 respondents. A->A 2/(2 x 2), A->B 1/(2 x 2); B->A 1/(2 x 3); B->B 0/(2 x 1).
    assert density.loc["A", "A"] == pytest.approx(2 / 4)
    assert density.loc["A", "B"] == pytest.approx(1 / 4)
    assert density.loc["B", "A"] == pytest.approx(1 / 6)
    table = groups.group_table(_groups_network(False), "org")
    assert table.loc["A", "density_within"] == pytest.approx(2 / 4)
    assert table.loc["A", "response_rate"] == pytest.approx(2 / 3)
    assert not table.loc["A", "low_response"]
    assert groups.group_table(_groups_network(False), "org", low=0.7).loc["A", "low_response"]
    plain = groups.block_density(_groups_network(True), "org")
    assert plain.loc["A", "A"] == pytest.approx(2 / 6) and plain.loc["A", "B"] == pytest.approx(1 / 6)


def test_undirected_group_density_pairs_known_when_either_answered():
    # A = {a1, a2 silent, a3 silent}: pair a2-a3 unknown, 2 of 3 pairs known.
    people = {"a1": {"org": "A"}, "a2": {"org": "A", "responded": False},
              "a3": {"org": "A", "responded": False}, "b1": {"org": "B"}}
    net = Network.from_edges([("a1", "a2"), ("a2", "b1")], people=people, symmetric=True)
    table = groups.group_table(net, "org")
    assert table.loc["A", "density_within"] == pytest.approx(1 / 2)
    # A-B: 3 pairs, all known (b1 answered): 1 edge.
    assert groups.block_density(net, "org").loc["A", "B"] == pytest.approx(1 / 3)


def test_the_response_behind_each_measure_is_beside_it():
    people = {"t": {"level": "top", "responded": False}, "u": {"level": "top"},
              "m": {"level": "middle"}, "b": {"level": "bottom"}, "c": {"level": "bottom"}}
    net = Network.from_edges([("b", "m"), ("m", "u"), ("c", "m")], people=people)
    board = health.health(net)
    assert board["two_step_reach"]["response"] == {"people": 5, "respondents": 4, "response_rate": 0.8,
                                                   "low_response": False}
    assert board["bottom_reach_to_top"]["response"]["response_rate"] == 1.0
    tops = levels.levels(net)["top_peer_density_cross_org"]["response"]
    assert (tops["people"], tops["respondents"], tops["low_response"]) == (2, 1, True)
    assert levels.levels(net, low=0.4)["top_peer_density_cross_org"]["response"]["low_response"] is False
    assert engine.LOW_RESPONSE == 0.6
