"""Tops, middles and bottoms on a hand-made partnership."""

from __future__ import annotations

import math

import pytest

from onatool import Network
from onatool.errors import NotDefinedError
from onatool.metrics import levels


def partnership() -> Network:
    """Two organisations X and Y; tops T1 (X), T2 (Y); middles M1, M2 (X), M3 (Y);
    bottoms B1, B2 (X), B3 (Y); U has no level.

    Ties (directed):
      lateral:  M1->M2, M2->M1, T1->T2                      (3)
      vertical: B1->M1, M1->B1, B2->M1, M1->T1, B3->M3, M3->T2 (6)
      skip:     B1->T1                                      (1)
      unknown:  U->M1 (not counted)
    """
    level = {"T1": "top", "T2": "top", "M1": "middle", "M2": "middle", "M3": "middle",
             "B1": "bottom", "B2": "bottom", "B3": "bottom", "U": None}
    org = {"T1": "X", "T2": "Y", "M1": "X", "M2": "X", "M3": "Y", "B1": "X", "B2": "X",
           "B3": "Y", "U": "X"}
    people = {p: {"level": level[p], "organisation": org[p]} for p in level}
    edges = [("M1", "M2"), ("M2", "M1"), ("T1", "T2"),
             ("B1", "M1"), ("M1", "B1"), ("B2", "M1"), ("M1", "T1"), ("B3", "M3"), ("M3", "T2"),
             ("B1", "T1"), ("U", "M1")]
    return Network.from_edges(edges, people=people)


def test_shares_of_lateral_vertical_and_skip_level_ties():
    net = partnership()
    assert levels.lateral_share(net) == pytest.approx(3 / 10)
    assert levels.vertical_share(net) == pytest.approx(6 / 10)
    assert levels.skip_level_share(net) == pytest.approx(1 / 10)


def test_upward_reciprocity():
    # Upward: B1->M1 (returned by M1->B1), B2->M1, M1->T1, B3->M3, M3->T2, B1->T1: 1 of 6.
    assert levels.upward_reciprocity(partnership()) == pytest.approx(1 / 6)


def test_middle_integration_and_cross_organisation_densities():
    net = partnership()
    # Among 3 middles: M1->M2, M2->M1 of 3*2 = 6 ordered pairs.
    assert levels.middle_integration(net) == pytest.approx(2 / 6)
    # Middles of different organisations: M1-M3, M2-M3 both ways = 4 ordered pairs; no tie.
    assert levels.middle_integration_cross_org(net) == 0.0
    # Tops: T1 (X) -> T2 (Y): 1 of 2 ordered pairs.
    assert levels.top_peer_density_cross_org(net) == pytest.approx(1 / 2)


def test_bottom_reach_to_top():
    # B1 names T1 directly; B2 -> M1 -> T1; B3 -> M3 -> T2: all three within two steps.
    assert levels.bottom_reach_to_top(partnership()) == 1.0
    people = {"t": {"level": "top"}, "m": {"level": "middle"}, "b": {"level": "bottom"},
              "c": {"level": "bottom"}, "d": {"level": "bottom"}}
    # b -> m -> t reaches; c -> d -> m -> t is three steps; d -> m -> t reaches.
    net = Network.from_edges([("b", "m"), ("m", "t"), ("c", "d"), ("d", "m")], people=people)
    assert levels.bottom_reach_to_top(net) == pytest.approx(2 / 3)


def test_middle_liaison_share():
    net = partnership()
    # Open two-paths through a third level (liaison by level): B1->M1->T1 is closed by
    # B1->T1; B2->M1->T1 (middle); B3->M3->T2 (middle); M1->B1->T1 is closed by M1->T1.
    # No liaison elsewhere: 2 of 2 are done by middles.
    assert levels.middle_liaison_share(net) == 1.0
    # Add a top brokering between a bottom and a middle: B2 -> T2 -> M2.
    more = Network.from_edges(
        [*zip(net.ties["source"], net.ties["target"], strict=True), ("B2", "T2"), ("T2", "M2")],
        people=net.people,
    )
    # Liaisons now: B2->M1->T1, B3->M3->T2 (middles) and B2->T2->M2 (top). Through T2 also
    # T1->T2->M2 (representative) and M3->T2->M2 (itinerant), which are not liaison.
    assert levels.middle_liaison_share(more) == pytest.approx(2 / 3)


def test_block_density_by_level():
    density = levels.block_density(partnership())
    assert list(density) == ["top", "middle", "bottom"]
    # bottom -> middle: B1->M1, B2->M1, B3->M3 of 3*3 pairs.
    assert density["bottom"]["middle"] == pytest.approx(3 / 9)
    assert density["top"]["top"] == pytest.approx(1 / 2)


def test_levels_report_has_every_measure_with_a_sentence():
    report = levels.levels(partnership())
    assert set(report) == set(levels.MEASURES)
    assert report["upward_reciprocity"]["sentence"] == (
        "When someone names a person at a higher level, that person names them back 17% "
        "of the time."
    )
    for entry in report.values():
        assert entry["meaning"] and entry["sentence"]


def test_undefined_measures_say_why():
    people = {"a": {"level": "bottom"}, "b": {"level": "bottom"}}
    report = levels.levels(Network.from_edges([("a", "b")], people=people))
    assert math.isnan(report["upward_reciprocity"]["value"])
    assert report["upward_reciprocity"]["sentence"].startswith("Not defined here")
    # Symmetric relation: every tie is two-way, so upward reciprocity is not defined.
    sym = Network.from_edges([("a", "b")], people={"a": {"level": "bottom"},
                                                  "b": {"level": "top"}}, symmetric=True)
    assert math.isnan(levels.upward_reciprocity(sym))


def test_no_level_column_or_no_levels_is_not_defined():
    with pytest.raises(NotDefinedError, match="level"):
        levels.levels(Network.from_edges([("a", "b")]))
    with pytest.raises(NotDefinedError, match="no one"):
        levels.levels(Network.from_edges([("a", "b")], people={"a": {"level": None}}))


def test_bottom_reach_follows_ties_the_way_they_were_named():
    people = {"t": {"level": "top"}, "m": {"level": "middle"}, "b": {"level": "bottom"}}
    # The top names the middle, who names the bottom: the bottom names nobody, reaches no one.
    assert levels.bottom_reach_to_top(Network.from_edges([("t", "m"), ("m", "b")], people=people)) == 0.0
    # The same ties in a symmetric relation are followed either way.
    mutual = Network.from_edges([("t", "m"), ("m", "b")], people=people, symmetric=True)
    assert levels.bottom_reach_to_top(mutual) == 1.0
