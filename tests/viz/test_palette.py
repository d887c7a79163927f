"""The project palette: at least 20 colours a reader can tell apart, in ordinary vision and
with the commonest colour-vision deficiencies, and one colour per group wherever it is drawn."""

from __future__ import annotations

from itertools import combinations

import pytest

from onatool.errors import InputFormatError
from onatool.viz.palette import (
    COLOURS,
    MIN_DISTANCE,
    OTHER_COLOUR,
    assign,
    check_colour,
    closest,
    delta_e2000,
    distance,
    simulate,
)


def test_ciede2000_on_its_extremes_identity_and_symmetry():
    # Black to white is L* 0 to 100 with no chroma: CIEDE2000 gives exactly 100.
    assert delta_e2000("#000000", "#FFFFFF") == pytest.approx(100.0, abs=0.01)
    assert delta_e2000("#0072B2", "#0072B2") == 0
    assert delta_e2000("#0072B2", "#E69F00") == pytest.approx(delta_e2000("#E69F00", "#0072B2"))


def test_simulated_deuteranopia_merges_red_and_green_as_expected():
    # The classic confusion: a pure red and a pure green look alike to a deuteranope.
    assert delta_e2000("#FF0000", "#00A000") > 50
    assert distance("#FF0000", "#00A000") < delta_e2000("#FF0000", "#00A000") / 2
    assert simulate("#808080") == "#808080"  # greys stay grey


def test_at_least_twenty_colours_every_pair_distinguishable_in_every_vision():
    assert len(COLOURS) >= 20 and len(set(COLOURS)) == len(COLOURS)
    worst = min(combinations(COLOURS, 2), key=lambda pair: distance(*pair))
    assert distance(*worst) >= MIN_DISTANCE, worst
    for vision in ("deuteranopia", "protanopia"):
        seen = [simulate(c, vision) for c in COLOURS]
        assert min(delta_e2000(a, b) for a, b in combinations(seen, 2)) >= MIN_DISTANCE


def test_no_palette_colour_looks_like_the_other_grey_or_the_missing_white():
    for colour in COLOURS:
        assert distance(colour, OTHER_COLOUR) >= MIN_DISTANCE
        assert distance(colour, "#FFFFFF") >= MIN_DISTANCE


def test_assign_is_by_name_keeps_saved_colours_and_runs_out_into_grey():
    assert assign(["b", "a"]) == assign(["a", "b", "a"]) == {"a": COLOURS[0], "b": COLOURS[1]}
    kept = assign(["new", "old"], saved={"old": COLOURS[5]})
    assert kept == {"old": COLOURS[5], "new": COLOURS[0]}
    many = assign([f"org {i:02d}" for i in range(len(COLOURS) + 2)])
    assert list(many.values())[: len(COLOURS)] == list(COLOURS)
    assert list(many.values())[len(COLOURS):] == [OTHER_COLOUR, OTHER_COLOUR]
    assert assign([None, float("nan")]) == {}


def test_a_colour_is_checked_and_its_nearest_neighbour_found():
    assert check_colour(" #00ff00 ") == "#00FF00"
    for bad in ("red", "#12345", "#GGGGGG", None, "javascript:x"):
        with pytest.raises(InputFormatError, match="#RRGGBB"):
            check_colour(bad)
    name, how_far = closest("#0070B0", {"Acute": "#0072B2", "Council": "#E69F00"})
    assert name == "Acute" and how_far < MIN_DISTANCE
    assert closest("#0070B0", {}) is None
