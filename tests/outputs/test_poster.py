"""The A3 poster: a PDF of the workshop map with its legend, never names."""

import re

import pytest

pytest.importorskip("matplotlib")

from onatool.network import Network
from onatool.outputs.poster import map_image, write_poster
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.viz.layout import compute_layout


@pytest.fixture(scope="module")
def net():
    people = {f"a{i}": {"organisation": "Acute"} for i in range(8)}
    people |= {f"h{i}": {"organisation": "Hospice"} for i in range(2)}
    ties = [(f"a{i}", f"a{(i + 1) % 8}") for i in range(8)] + [("h0", "a0"), ("h1", "h0")]
    return Network.from_edges(ties, people=people, wave="final")


def test_the_poster_is_one_a3_landscape_page_with_its_parameters(net, tmp_path):
    path = write_poster(tmp_path / "poster.pdf", net, compute_layout([net], seed=0),
                        Provenance("final", project="Partnership", disclosure=Disclosure(k=5)))
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == 1
    width, height = map(float, boxes[0])
    assert width == pytest.approx(1190.55, abs=1) and height == pytest.approx(841.89, abs=1)
    assert b"onatool" in data  # the Creator and the footer's parameters


def test_revealing_names_changes_nothing_on_the_map(net):
    positions = compute_layout([net], seed=0)
    hidden = map_image(net, positions, Disclosure(k=5))
    revealed = map_image(net, positions, Disclosure(k=5).reveal_names(
        user="analyst", project="p", audit=lambda *_: None, detail="test"))
    assert hidden == revealed and hidden.startswith(b"\x89PNG")
