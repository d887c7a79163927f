"""Tests for onatool.viz.maps: a self-contained, inert HTML page and static images."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from onatool import Network
from onatool.errors import InputFormatError
from onatool.viz.layout import compute_layout, level_band_labels
from onatool.viz.maps import _vis_library, render_map, render_static
from onatool.viz.style import MapData, style_network
from tests.support.random_networks import random_network

PAYLOADS = [
    "</script><img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "'; alert(1); //",
    "{{ 7*7 }} <!-- ${alert(1)}",
]
# Raw markup that must never appear in the page outside the inlined library.
DANGEROUS = ["<img src=x", "<svg onload", '<a href="javascript', "<!-- ${"]


class _Page(HTMLParser):
    """Collects script elements (attributes and text) and every tag's attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "title"):
            self._in = tag
            if tag == "script":
                self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in == "title":
            self.title += data


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def page_data(page: str) -> dict:
    parsed = parse(page)
    (text,) = [t for a, t in parsed.scripts if a.get("id") == "onatool-map-data"]
    return json.loads(text)


def without_library(page: str) -> str:
    js, css = _vis_library()
    assert str(js) in page and str(css) in page
    return page.replace(str(js), "").replace(str(css), "")


@pytest.fixture(scope="module")
def plain_map() -> tuple[MapData, str]:
    net = random_network(50, seed=2, isolates=2)
    data = style_network(net, compute_layout(net), colour_by="organisation", min_group_size=1)
    return data, render_map(data, title="Plain map")


def _hostile_network() -> tuple[Network, pd.Series]:
    people = {f"p{i}": {"organisation": PAYLOADS[i % len(PAYLOADS)], "level": "middle"}
              for i in range(len(PAYLOADS) * 5)}
    edges = [(f"p{i}", f"p{(i + 1) % len(people)}") for i in range(len(people))]
    net = Network.from_edges(edges, people=people)
    labels = pd.Series({pid: PAYLOADS[i % len(PAYLOADS)] + " label"
                        for i, pid in enumerate(net.people.index)})
    return net, labels


# Self-contained -----------------------------------------------------------------------


def test_page_loads_nothing_from_outside(plain_map):
    _, page = plain_map
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert "@import" not in page
    # Every url( in the page (vis-network's stylesheet) is an inline data: image.
    assert all(u.startswith(("url(data:", 'url("data:', "url('data:"))
               for u in re.findall(r"url\([^)]{0,8}", page))
    # Outside the inlined library (whose licence comment and code strings hold URLs),
    # no http(s) address at all.
    rest = without_library(page)
    assert "http://" not in rest and "https://" not in rest


def test_content_security_policy_allows_exactly_the_two_scripts(plain_map):
    _, page = plain_map
    parsed = parse(page)
    (csp,) = [a["content"] for t, a in parsed.tags
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp
    runnable = [text for attrs, text in parsed.scripts if attrs.get("type") != "application/json"]
    assert len(runnable) == 2
    for text in runnable:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_data_parsed_back_equals_the_input(plain_map):
    data, page = plain_map
    assert page_data(page) == {"nodes": data.nodes, "edges": data.edges,
                               "annotations": data.annotations}
    assert parse(page).title == "Plain map"


def test_legend_and_notes_are_in_the_page(plain_map):
    data, page = plain_map
    for entry in data.legend:
        assert f"<span>{entry['label']}</span>" in page
    assert data.notes[0] in page


# Injection -----------------------------------------------------------------------------


@pytest.mark.parametrize("workshop", [True, False])
def test_injection_payloads_stay_inert(workshop):
    net, labels = _hostile_network()
    data = style_network(
        net, compute_layout(net), colour_by="organisation", workshop=workshop, labels=labels,
        min_group_size=1, annotations=[{"text": PAYLOADS[0], "x": 0, "y": 0}],
    )
    title = PAYLOADS[0] + PAYLOADS[1]
    page = render_map(data, title=title)
    rest = without_library(page)
    for raw in DANGEROUS:
        assert raw not in rest
    # Escaped in the HTML text...
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in page
    # ...and intact as data: the JSON read back holds the exact strings.
    assert page_data(page)["nodes"] == data.nodes
    assert parse(page).title == title
    # Template syntax in data is text, not template.
    assert "{{ 7*7 }}" in page
    # The only scripts are the data block, vis-network and ours.
    assert len(parse(page).scripts) == 3
    if not workshop:
        assert {n["label"] for n in page_data(page)["nodes"]} == set(labels)


def test_a_title_with_href_does_not_reach_markup():
    net, _ = _hostile_network()
    data = style_network(net, compute_layout(net), colour_by="organisation", min_group_size=1)
    # In workshop mode tooltips name the organisation, which here contains an href.
    assert any("href" in n["title"] for n in data.nodes)
    page = without_library(render_map(data))
    assert '<a href="javascript' not in page
    assert "innerHTML" not in page


# Checks on arguments ---------------------------------------------------------------------


@pytest.mark.parametrize("height", ["720", "100px; background:url(x)", "1e3px", "calc(100%)"])
def test_height_must_be_a_plain_css_length(plain_map, height):
    data, _ = plain_map
    with pytest.raises(InputFormatError, match="not a CSS length"):
        render_map(data, height=height)


def test_bad_legend_colour_and_nan_are_refused(plain_map):
    data, _ = plain_map
    bad = MapData(data.nodes, data.edges,
                  [{"section": "x", "kind": "colour", "label": "y", "colour": "url(x)"}], [])
    with pytest.raises(InputFormatError, match="legend colour"):
        render_map(bad)
    nan = MapData([{**data.nodes[0], "x": float("nan")}], [], data.legend, [])
    with pytest.raises(ValueError, match="not JSON compliant"):
        render_map(nan)


def test_level_band_annotations_reach_the_page():
    net = random_network(30, seed=1)
    data = style_network(net, compute_layout(net), annotations=level_band_labels(net))
    assert [a["text"] for a in page_data(render_map(data))["annotations"]] == [
        "Tops", "Middles", "Bottoms"]


# Static images ---------------------------------------------------------------------------


def test_static_png_and_svg(tmp_path, plain_map):
    data, _ = plain_map
    png = render_static(data, tmp_path / "map.png", "png", title="A map")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    net, labels = _hostile_network()
    hostile = style_network(net, compute_layout(net), colour_by="organisation",
                            workshop=False, labels=labels, min_group_size=1)
    svg = render_static(hostile, tmp_path / "map.svg", "svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<script" not in svg
    assert "<img" not in svg and "<svg onload" not in svg
    with pytest.raises(InputFormatError, match="'png' or 'svg'"):
        render_static(data, tmp_path / "map.pdf", "pdf")
