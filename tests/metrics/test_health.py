"""The collaborative knowledge network health dashboard."""

from __future__ import annotations

import math

import pytest

from onatool import Network
from onatool.metrics import health


def partnership(extra=()) -> Network:
    # Organisations X (x1 x2 x3) and Y (y1 y2); x1 is the bridge; z has no tie.
    people = {
        "x1": {"organisation": "X", "sector": "NHS", "level": "middle"},
        "x2": {"organisation": "X", "sector": "NHS", "level": "bottom"},
        "x3": {"organisation": "X", "sector": "NHS", "level": "top"},
        "y1": {"organisation": "Y", "sector": "Council", "level": "top"},
        "y2": {"organisation": "Y", "sector": "Council", "level": "bottom"},
        "z": {"organisation": "Y", "sector": "Council", "level": "bottom"},
    }
    edges = [("x2", "x1"), ("x1", "x2"), ("x1", "x3"), ("x1", "y1"), ("y2", "y1"), *extra]
    return Network.from_edges(edges, people=people)


def test_boundary_crossing_and_expected_share():
    net = partnership()
    # 1 of 5 ties crosses organisations (x1 -> y1).
    assert health.boundary_crossing(net, "organisation") == pytest.approx(1 / 5)
    # Pairs across organisations: 3*3*2 = 18 of 6*5 = 30 ordered pairs.
    assert health.expected_boundary_crossing(net, "organisation") == pytest.approx(18 / 30)


def test_two_step_reach_by_hand():
    # Ties followed either way, within two steps: x1 reaches x2 x3 y1 y2 (4);
    # x2: x1, x3, y1 (3); x3: x1, x2, y1 (3); y1: x1, y2, x2, x3 (4); y2: y1, x1 (2);
    # z: none. Mean of the shares of the 5 others.
    assert health.two_step_reach(partnership()) == pytest.approx((4 + 3 + 3 + 4 + 2) / 6 / 5)


def test_dependence_on_a_few():
    net = partnership()
    # One cross-organisation tie, held by x1 (the top 5% of 6 people is 1 person).
    assert health.top5_cross_organisation_share(net) == 1.0
    # Only x1 lies between others (x2 -> x1 -> x3, x2 -> x1 -> y1). Reach before:
    # (4 + 3 + 3 + 4 + 2 + 0) / 6 / 5 = 16/30 (see two-step reach); without x1, only
    # y1 - y2 are tied: (1 + 1) / 5 / 4 = 0.1. Fall: (16/30 - 0.1) / (16/30).
    assert health.reach_drop_without_top3(net) == pytest.approx((16 / 30 - 0.1) / (16 / 30))


def test_inclusion():
    net = partnership()
    assert health.isolates_share(net) == pytest.approx(1 / 6)
    # Core 1: everyone with a tie (the network is a tree).
    assert health.peripheral_share(net) == pytest.approx(5 / 6)
    table = health.inclusion(net, "organisation")
    assert table.loc["Y"].to_dict() == {"people": 3, "isolates": 1, "peripheral": 2}


def test_dashboard_has_meanings_and_directions():
    board = health.health(partnership())
    expected = {
        "boundary_crossing_organisation", "boundary_crossing_sector", "reciprocity",
        "two_step_reach", "top5_cross_organisation_share", "reach_drop_without_top3",
        "bottom_reach_to_top", "upward_reciprocity", "isolates_share", "peripheral_share",
        "inclusion_organisation", "inclusion_sector", "inclusion_level",
    }
    assert set(board) == expected
    for entry in board.values():
        assert entry["meaning"] and "{" not in entry["meaning"]
    assert board["boundary_crossing_organisation"]["expected"] == pytest.approx(0.6)
    assert board["isolates_share"]["better"] == "lower"
    assert "previous" not in board["reciprocity"]


def test_change_since_the_previous_wave():
    before = health.health(partnership())
    # z now names y2 and y1 names y2 back: z is no longer isolated, one more mutual pair,
    # and a smaller share of ties crosses organisations (1 of 7).
    # The intervals of the change (from the balanced panel) decide the words: each
    # excludes zero here, so the direction of the change is called.
    intervals = {"isolates_share": {"low": -0.3, "high": -0.1}, "reciprocity": {"low": 0.05, "high": 0.4},
                 "boundary_crossing_organisation": {"low": -0.2, "high": -0.01},
                 "two_step_reach": {"low": -0.1, "high": 0.2}}
    after = health.health(partnership(extra=[("z", "y2"), ("y1", "y2")]), previous=before, change=intervals)
    assert after["isolates_share"]["previous"] == pytest.approx(1 / 6)
    assert after["isolates_share"]["value"] == 0.0
    assert after["isolates_share"]["change"] == "down"
    assert after["isolates_share"]["assessment"] == "better"
    assert after["reciprocity"]["change"] == "up"
    assert after["reciprocity"]["assessment"] == "better"
    assert after["boundary_crossing_organisation"]["change"] == "down"
    assert after["boundary_crossing_organisation"]["assessment"] == "worse"
    # An interval that includes zero, and no interval at all, are not evidence of change.
    assert after["two_step_reach"]["assessment"] == "no clear change"
    assert after["two_step_reach"]["change_interval"] == {"low": -0.1, "high": 0.2}
    assert after["peripheral_share"]["assessment"] == "no clear change"
    unsure = health.health(partnership(extra=[("z", "y2"), ("y1", "y2")]), previous=before)
    assert {e["assessment"] for k, e in unsure.items() if not k.startswith("inclusion")} <= {
        "no clear change", None}
    # Group tables have no direction.
    assert "change" not in after["inclusion_organisation"]


def test_same_and_not_comparable():
    board = health.health(partnership())
    again = health.health(partnership(), previous=board)
    assert all(e["change"] in ("same", None) for k, e in again.items()
               if not k.startswith("inclusion"))
    assert again["reciprocity"]["assessment"] == "no clear change"
    # A previous wave without the indicator (or with null, as read back from JSON).
    partial = health.health(partnership(), previous={"reciprocity": {"value": None}})
    assert partial["reciprocity"]["change"] is None and partial["reciprocity"]["previous"] is None


def test_without_levels_or_organisations():
    net = Network.from_edges([("a", "b"), ("b", "c")])
    board = health.health(net)
    assert math.isnan(board["bottom_reach_to_top"]["value"])
    assert math.isnan(board["top5_cross_organisation_share"]["value"])
    assert "boundary_crossing_organisation" not in board
