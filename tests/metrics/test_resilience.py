"""What if these people left: hand-worked reach lost, and agreement with the health board."""

import math

import pytest
from ona_networks import random_network

from onatool.errors import NotDefinedError
from onatool.metrics import health
from onatool.metrics.centrality import betweenness
from onatool.metrics.resilience import group_members, most_central_spanners, reach_without
from onatool.network import Network

PEOPLE = ("a1", "a2", "a3", "b1", "b2", "b3")


@pytest.fixture
def two_triangles():
    """Triangles a1a2a3 (organisation A) and b1b2b3 (B) joined by the one tie a1-b1."""
    ties = [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3"), ("b1", "b3"), ("a1", "b1")]
    people = {p: {"organisation": p[0].upper()} for p in PEOPLE}
    return Network.from_edges(ties, people=people, symmetric=True)


def test_taking_out_the_bridge_splits_the_partnership(two_triangles):
    lost = reach_without(two_triangles, ["a1"])
    # The 5 who stay make 10 pairs, all joined before; after, a2-a3 and the 3 pairs of B: 4 of 10.
    assert (lost.removed, lost.remaining) == (1, 5)
    assert lost.connected_pairs_before == 1.0
    assert lost.connected_pairs_after == pytest.approx(0.4)
    # Two steps, before (6 people, 5 others each): a1 and b1 reach 5/5, the other four 3/5.
    assert lost.two_step_reach_before == pytest.approx((1 + 1 + 4 * 0.6) / 6)
    # After (5 people, 4 others each): a2, a3 reach 1/4; b1, b2, b3 reach 2/4.
    assert lost.two_step_reach_after == pytest.approx((2 * 0.25 + 3 * 0.5) / 5)
    assert (lost.cross_ties_before, lost.cross_ties_after, lost.cross_ties_lost) == (1, 0, 1)
    assert lost.reach_drop == pytest.approx((11 / 15 - 0.4) / (11 / 15))


def test_taking_out_someone_at_the_edge_loses_no_pair(two_triangles):
    lost = reach_without(two_triangles, ["a3"])
    assert lost.connected_pairs_after == 1.0 and lost.cross_ties_lost == 0


def test_taking_out_nobody_changes_nothing(two_triangles):
    lost = reach_without(two_triangles, [])
    assert lost.connected_pairs_after == lost.connected_pairs_before
    assert lost.two_step_reach_after == lost.two_step_reach_before
    assert lost.reach_drop == 0


def test_a_whole_group_leaving(two_triangles):
    members = group_members(two_triangles, "organisation", "B")
    assert members == ["b1", "b2", "b3"]
    lost = reach_without(two_triangles, members)
    assert lost.remaining == 3 and lost.connected_pairs_after == 1.0 and lost.cross_ties_after == 0


def test_everyone_but_one_leaving_is_not_defined(two_triangles):
    lost = reach_without(two_triangles, PEOPLE[1:])
    assert math.isnan(lost.connected_pairs_after) and math.isnan(lost.two_step_reach_after)


def test_unknown_people_and_attributes_are_refused(two_triangles):
    with pytest.raises(NotDefinedError):
        reach_without(two_triangles, ["zz"])
    with pytest.raises(NotDefinedError):
        group_members(two_triangles, "sector", "NHS")


def test_spanners_are_the_boundary_crossers_most_often_between_others(two_triangles):
    assert most_central_spanners(two_triangles, 3) == ["a1", "b1"]  # only they cross


def test_agrees_with_the_health_boards_reach_drop_without_the_top_three():
    net = random_network(40, 120, seed=5)
    between = betweenness(net)
    top = list(between[between > 0].sort_values(ascending=False, kind="stable").index[:3])
    lost = reach_without(net, top)
    assert lost.reach_drop == pytest.approx(health.reach_drop_without_top3(net))
