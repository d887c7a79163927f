"""Tests for onatool.viz.style: what a map shows, hides and explains."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from onatool import Network, NotDefinedError, SuppressedError, UnknownPersonError
from onatool.errors import InputFormatError
from onatool.viz.layout import compute_layout, group_layout, organisation_network
from onatool.viz.palette import assign
from onatool.viz.style import (
    EDGE_STATUS,
    NOT_GIVEN_COLOUR,
    OTHER_COLOUR,
    PALETTE,
    style_group_network,
    style_network,
)
from tests.support.random_networks import random_network


@pytest.fixture(scope="module")
def net() -> Network:
    return random_network(60, seed=11, isolates=3)


@pytest.fixture(scope="module")
def pos(net) -> pd.DataFrame:
    return compute_layout(net, seed=0)


def _small_org_net() -> Network:
    """Six people in Big, two in Tiny (under the default k of 5), one with no organisation."""
    people = {f"b{i}": {"organisation": "Big", "level": "middle"} for i in range(6)}
    people |= {"t0": {"organisation": "Tiny", "level": "top"},
               "t1": {"organisation": "Tiny", "level": "bottom"},
               "n0": {"organisation": None, "level": None}}
    edges = [("b0", "b1"), ("b1", "t0"), ("t0", "t1"), ("t1", "n0"), ("n0", "b2")]
    return Network.from_edges(edges, people=people)


# Workshop mode ------------------------------------------------------------------------


def test_workshop_mode_hides_people(net, pos):
    data = style_network(net, pos, colour_by="organisation", size_by="x", metrics=pos)
    assert all("label" not in n and "person_id" not in n for n in data.nodes)
    # Node ids are just 0..n-1; nothing in the data names a person.
    assert sorted(n["id"] for n in data.nodes) == list(range(net.n_people))
    text = json.dumps([data.nodes, data.edges, data.legend, data.notes])
    assert not any(pid in text for pid in net.people.index)
    # Tooltips say group and level only: each is one of the group x level combinations.
    allowed = {f"Organisation: {g}\nLevel: {lvl}"
               for g in [*net.people["organisation"].unique(), "Other"]
               for lvl in ("top", "middle", "bottom", "not shown")}
    assert {n["title"] for n in data.nodes} <= allowed
    assert all("title" not in e for e in data.edges)


def test_workshop_node_order_does_not_reveal_the_roster_order(net, pos):
    # The same people listed in another order give exactly the same page data.
    shuffled = Network(net.people.sample(frac=1, random_state=3), net.ties, net.wave, net.relations)
    a = style_network(net, pos, colour_by="organisation")
    b = style_network(shuffled, pos, colour_by="organisation")
    assert a == b


def test_workshop_merges_small_groups_into_other():
    net = _small_org_net()
    pos = compute_layout(net)
    data = style_network(net, pos, colour_by="organisation")
    groups = {n["category"] for n in data.nodes}
    # Tiny (2) and Not given (1) are under 5, so both become Other.
    assert groups == {"Big", "Other"}
    assert not any("Tiny" in n["title"] for n in data.nodes)
    colour_legend = [e["label"] for e in data.legend if e["kind"] == "colour"]
    assert colour_legend == ["Big", "Other"]
    assert any("2 organisations with fewer than 5 people are shown together as 'Other'" in note
               for note in data.notes)
    other = [n for n in data.nodes if n["category"] == "Other"]
    assert {n["color"]["background"] for n in other} == {OTHER_COLOUR}


def test_outside_workshop_labels_and_own_groups_show():
    net = _small_org_net()
    pos = compute_layout(net)
    labels = pd.Series({pid: f"P{i:03d}" for i, pid in enumerate(net.people.index)})
    data = style_network(net, pos, colour_by="organisation", workshop=False, labels=labels)
    by_person = {n["person_id"]: n for n in data.nodes}
    assert by_person["t0"]["label"] == labels["t0"]
    assert by_person["t0"]["category"] == "Tiny"
    assert by_person["t0"]["title"].startswith(f"{labels['t0']}\nOrganisation: Tiny\nLevel: top")
    assert by_person["n0"]["category"] == "Not given"
    assert by_person["n0"]["color"]["background"] == NOT_GIVEN_COLOUR
    assert by_person["n0"]["shape"] == "diamond"


def test_labels_are_ignored_in_workshop_mode_and_say_so(net, pos):
    labels = pd.Series("Someone", index=net.people.index)
    data = style_network(net, pos, labels=labels)
    assert all("label" not in n for n in data.nodes)
    assert "Labels are hidden in workshop mode." in data.notes


# Legend, colours, shapes ----------------------------------------------------------------


def test_a_legend_is_always_there(net, pos):
    plain = style_network(net, pos, shape_by_level=False)
    kinds = {e["kind"] for e in plain.legend}
    assert {"colour", "line", "arrow"} <= kinds
    assert all(e["label"] and e["section"] for e in plain.legend)


def test_palette_colours_are_distinct_and_groups_get_distinct_colours(net, pos):
    every = [*PALETTE, OTHER_COLOUR, NOT_GIVEN_COLOUR]
    assert len(set(every)) == len(every)
    data = style_network(net, pos, colour_by="organisation", workshop=False)
    colour_of = {}
    for node in data.nodes:
        colour_of.setdefault(node["category"], set()).add(node["color"]["background"])
    assert all(len(c) == 1 for c in colour_of.values())
    assert len({c.pop() for c in colour_of.values()}) == len(colour_of)


def test_more_groups_than_colours_share_grey():
    names = [f"Org {i:02d}" for i in range(len(PALETTE) + 3)]
    net = random_network(150, seed=11, isolates=3, organisations=names)
    assert net.people["organisation"].nunique() > len(PALETTE)
    data = style_network(net, compute_layout(net, seed=0), colour_by="organisation", workshop=False)
    colours = [e for e in data.legend if e["kind"] == "colour"]
    assert len(colours) == len(PALETTE) + 1 and colours[-1]["label"] == "Other"
    assert any("share grey" in note for note in data.notes)


def test_a_group_keeps_its_colour_in_a_part_of_the_network_and_with_the_projects_palette(net, pos):
    def colour_of(data):
        return {e["label"]: e["colour"] for e in data.legend if e["kind"] == "colour"}

    palette = assign(net.people["organisation"])  # as the project keeps it, over every wave
    whole = colour_of(style_network(net, pos, colour_by="organisation", workshop=False, colours=palette))
    one_org = net.people.index[net.people["organisation"] == sorted(whole)[-1]]
    part = colour_of(style_network(net.subset(one_org), pos, colour_by="organisation", workshop=False,
                                   colours=palette))
    assert part and all(whole[g] == c == palette[g] for g, c in part.items())  # by name, not by rank
    chosen = {sorted(whole)[-1]: "#117733"}
    repainted = colour_of(style_network(net.subset(one_org), pos, colour_by="organisation", workshop=False,
                                        colours=chosen))
    assert repainted[sorted(whole)[-1]] == "#117733"


def test_community_colouring_uses_the_metrics_column(net, pos):
    metrics = pd.DataFrame({"community": [float(i % 3) for i in range(net.n_people)]}, index=net.people.index)
    data = style_network(net, pos, colour_by="community", metrics=metrics, workshop=False)
    legend = [e for e in data.legend if e["kind"] == "colour"]
    assert {e["label"] for e in legend} == {"0", "1", "2"}
    assert {e["section"] for e in legend} == {"Colour: community"}
    assert len({n["color"]["background"] for n in data.nodes}) == 3


def test_shapes_follow_level(net, pos):
    data = style_network(net, pos, workshop=False)
    shape = {n["person_id"]: n["shape"] for n in data.nodes}
    expected = net.people["level"].map({"top": "triangle", "middle": "square", "bottom": "dot"})
    assert shape == expected.to_dict()
    assert [e["label"] for e in data.legend if e["kind"] == "shape"] == [
        "Top (triangle)", "Middle (square)", "Bottom (circle)",
    ]
    flat = style_network(net, pos, shape_by_level=False)
    assert {n["shape"] for n in flat.nodes} == {"dot"}


# Sizes, borders, edges ------------------------------------------------------------------


def test_size_follows_the_metric_and_missing_values_are_smallest(net, pos):
    metric = pd.Series(np.arange(net.n_people, dtype=float), index=net.people.index)
    metric.iloc[0] = np.nan
    data = style_network(net, pos, size_by="score", metrics=metric.to_frame("score"),
                         workshop=False)
    size = pd.Series({n["person_id"]: n["size"] for n in data.nodes})[net.people.index]
    assert size.iloc[1:].is_monotonic_increasing and size.iloc[-1] > size.iloc[1]
    assert size.iloc[0] == size.min()
    assert any("1 people have no score value" in note for note in data.notes)
    assert any(e["kind"] == "size" for e in data.legend)


def test_size_by_errors(net, pos):
    with pytest.raises(NotDefinedError, match="cannot size by 'nope'"):
        style_network(net, pos, size_by="nope")
    with pytest.raises(NotDefinedError, match="not numbers"):
        style_network(net, pos, size_by="organisation")
    with pytest.raises(NotDefinedError, match="cannot colour by 'nope'"):
        style_network(net, pos, colour_by="nope")


def test_highlight_and_non_respondents_are_told_by_border(pos):
    net = random_network(60, seed=11, isolates=3)
    people = net.people.assign(responded=[i % 4 != 0 for i in range(net.n_people)])
    net = Network(people, net.ties, net.wave, net.relations)
    chosen = set(net.people.index[:3])
    data = style_network(net, pos, highlight=chosen | {"not-here"}, highlight_label="Boundary spanner",
                         workshop=False)
    for node in data.nodes:
        if node["person_id"] in chosen:
            assert node["borderWidth"] == 4 and node["color"]["border"] == "#000000"
        else:
            assert node["borderWidth"] < 4
        answered = bool(people.loc[node["person_id"], "responded"])
        assert ("shapeProperties" in node) == (not answered)
    labels = [e["label"] for e in data.legend if e["kind"] == "border"]
    assert labels == ["Thick black border: Boundary spanner",
                      "Dashed border: did not answer (their own ties are unknown)"]
    assert "Response rate: 75% (45 of 60 people answered)" in data.notes[0]


def test_workshop_mode_does_not_mark_who_did_not_answer(pos):
    net = random_network(60, seed=11, isolates=3)
    people = net.people.assign(responded=[i % 4 != 0 for i in range(net.n_people)])
    net = Network(people, net.ties, net.wave, net.relations)
    data = style_network(net, pos)
    assert not any("shapeProperties" in n for n in data.nodes)
    assert not any(e["kind"] == "border" for e in data.legend)
    assert data.notes[0].startswith("Response rate: 75%")


def test_edge_width_follows_weight_and_zero_weights_are_not_drawn():
    edges = [("a", "b", 1), ("b", "c", 3), ("c", "a", 5), ("a", "c", 0)]
    net = Network.from_edges(edges)
    pos = compute_layout(net)
    data = style_network(net, pos, workshop=False)
    # Width = 1 + 3 (w - 1) / (5 - 1): 1, 2.5, 4. The weight-0 answer is not a tie.
    assert sorted(e["width"] for e in data.edges) == [1.0, 2.5, 4.0]
    assert any("1 answers of weight 0" in note for note in data.notes)
    assert {e["arrows"] for e in data.edges} == {"to"}


def test_symmetric_relations_have_no_arrows():
    net = Network.from_edges([("a", "b"), ("b", "c")], relation="collaboration", symmetric=True)
    data = style_network(net, compute_layout(net))
    assert {e["arrows"] for e in data.edges} == {""}
    assert not any(e["kind"] == "arrow" for e in data.legend)


def test_edge_status_differs_by_dash_or_width_not_only_colour():
    styles = {k: (v["dashes"], v["width"]) for k, v in EDGE_STATUS.items()}
    for a, b in itertools.combinations(styles, 2):
        assert styles[a] != styles[b], (a, b)
    net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")])
    status = pd.Series(["new", "lost", "stable"], index=net.ties.index)
    data = style_network(net, compute_layout(net), edge_status=status, workshop=False)
    drawn = {e["status"]: e for e in data.edges}
    assert drawn["new"]["width"] > drawn["stable"]["width"]
    assert drawn["lost"]["dashes"] and not drawn["new"]["dashes"] and not drawn["stable"]["dashes"]
    words = [e["label"] for e in data.legend if e["section"] == "Ties" and e["kind"] == "line"]
    assert words == ["New tie: solid blue line, thicker", "Lost tie: dashed grey line",
                     "Kept tie: thin light grey line"]


def test_edge_status_must_cover_every_tie_with_a_known_value():
    net = Network.from_edges([("a", "b"), ("b", "c")])
    pos = compute_layout(net)
    with pytest.raises(InputFormatError, match="edge_status has 1 tie"):
        style_network(net, pos, edge_status=pd.Series(["new", "gone"], index=net.ties.index))
    with pytest.raises(InputFormatError, match="without a valid status"):
        style_network(net, pos, edge_status=pd.Series(["new"], index=net.ties.index[:1]))


def test_positions_must_cover_everyone(net, pos):
    with pytest.raises(UnknownPersonError, match="positions lack 1 person"):
        style_network(net, pos.iloc[1:])


def test_annotations_pass_through_and_bad_ones_raise(net, pos):
    data = style_network(net, pos, annotations=[{"text": "Tops", "x": -1000, "y": -1000}])
    assert data.annotations == [{"text": "Tops", "x": -1000.0, "y": -1000.0, "size": 40.0}]
    with pytest.raises(InputFormatError, match="annotation"):
        style_network(net, pos, annotations=[{"text": "no place"}])


# Group map ------------------------------------------------------------------------------


def test_group_map_refuses_small_groups_in_workshop_mode():
    net = _small_org_net()
    tables = organisation_network(net)
    with pytest.raises(SuppressedError, match="2 group"):
        style_group_network(tables, group_layout(tables))
    merged = organisation_network(net, min_group_size=5)
    data = style_group_network(merged, group_layout(merged))
    assert [n["label"] for n in data.nodes] == ["Big", "Other"]
    # Big b1 -> Other t0 is the one tie between the groups; Other n0 -> Big b2 the other way.
    assert sorted(e["title"] for e in data.edges) == ["Big names Other: 1 ties",
                                                      "Other names Big: 1 ties"]


def test_one_merged_group_is_counted_in_the_singular():
    people = {f"b{i}": {"organisation": "Big"} for i in range(6)} | {"t0": {"organisation": "Tiny"}}
    net = Network.from_edges([("b0", "t0")], people=people)
    data = style_network(net, compute_layout(net), colour_by="organisation")
    assert "1 organisation with fewer than 5 people is shown together as 'Other'." in data.notes


def test_workshop_never_lets_colour_and_shape_single_someone_out(net, pos):
    # Every (colour, shape) pair drawn is shared by at least k people, or the level is hidden.
    for k in (2, 5, 8):
        data = style_network(net, pos, colour_by="organisation", min_group_size=k)
        pairs = Counter((n["category"], n["shape"]) for n in data.nodes)
        assert all(count >= k for (_, shape), count in pairs.items() if shape != "hexagon"), (k, pairs)


def test_hidden_levels_are_explained():
    net = _small_org_net()
    data = style_network(net, compute_layout(net), colour_by="organisation", min_group_size=2)
    assert any("Level is not shown" in note for note in data.notes)
    assert any(entry["label"].startswith("Level not shown") for entry in data.legend)
