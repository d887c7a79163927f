"""Maps in a real browser: they draw, stay local, and survey text stays inert."""

from __future__ import annotations

import pandas as pd
import pytest

from onatool import Network
from onatool.viz.layout import (
    compute_layout,
    group_layout,
    level_band_labels,
    level_band_layout,
    organisation_network,
)
from onatool.viz.maps import render_map
from onatool.viz.style import style_group_network, style_network
from tests.support.random_networks import random_network

pytestmark = pytest.mark.browser

DRAWN = "() => window.onatoolMap !== undefined && window.onatoolMap.drawn === true"


def _open(recorded_page, local_server, name: str, html: str):
    page = recorded_page.page
    page.goto(local_server.serve(name, html))
    page.wait_for_function(DRAWN, polling=50)
    return page


@pytest.mark.parametrize("n_people", [200, 2000])
def test_map_draws_every_node_and_stays_local(recorded_page, local_server, artifacts, n_people):
    net = random_network(n_people, seed=5, isolates=n_people // 40)
    pos = compute_layout(net, seed=1)
    data = style_network(net, pos, colour_by="organisation", size_by="x", metrics=pos,
                         highlight=set(net.people.index[:5]), highlight_label="Boundary spanner")
    title = f"Random network of {n_people} people"
    page = _open(recorded_page, local_server, f"map{n_people}.html", render_map(data, title=title))

    assert page.locator("#onatool-map canvas").count() == 1
    counts = page.evaluate(
        "() => [onatoolMap.nodeCount, onatoolMap.edgeCount,"
        " onatoolMap.network.body.data.nodes.length, onatoolMap.network.body.data.edges.length]"
    )
    assert counts == [len(data.nodes), len(data.edges), len(data.nodes), len(data.edges)]
    assert counts[0] == n_people
    # Positions are the precomputed ones (physics off); getPositions drops the fraction.
    for node in data.nodes[:: max(1, n_people // 10)]:
        drawn_at = page.evaluate(f"() => onatoolMap.network.getPositions([{node['id']}])")
        got = drawn_at[str(node["id"])]
        assert abs(got["x"] - node["x"]) < 1 and abs(got["y"] - node["y"]) < 1, (got, node)
    assert page.title() == title
    # The only request is the page itself, from 127.0.0.1; no CSP violation was logged.
    assert recorded_page.requests == [page.url]
    recorded_page.assert_clean()
    page.screenshot(path=artifacts / f"map-{n_people}.png")


def test_level_band_map_draws(recorded_page, local_server, artifacts):
    net = random_network(150, seed=8, isolates=4)
    bands = level_band_layout(net, compute_layout(net))
    data = style_network(net, bands, colour_by="organisation", annotations=level_band_labels(net))
    _open(recorded_page, local_server, "bands.html", render_map(data, title="Tops, middles, bottoms"))
    recorded_page.assert_clean()
    recorded_page.page.screenshot(path=artifacts / "map-level-bands.png")


PAYLOADS = [
    "</script><img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "javascript:alert(3)",
    '<a href="javascript:alert(4)">x</a><img src=y onerror=alert(5)>',
]


def test_injection_payloads_raise_no_dialog_and_stay_text(recorded_page, local_server, artifacts):
    people = {f"p{i}": {"organisation": PAYLOADS[i % 4], "level": ("top", "middle", "bottom")[i % 3]}
              for i in range(24)}
    edges = [(f"p{i}", f"p{(i + 1) % 24}") for i in range(24)] + [("p0", "p12"), ("p5", "p17")]
    net = Network.from_edges(edges, people=people)
    labels = pd.Series({pid: f"{PAYLOADS[i % 4]} #{i}" for i, pid in enumerate(net.people.index)})
    data = style_network(net, compute_layout(net), colour_by="organisation", workshop=False,
                         labels=labels, min_group_size=1,
                         annotations=[{"text": PAYLOADS[0], "x": -900, "y": -900}])
    title = "Map " + PAYLOADS[1]
    page = _open(recorded_page, local_server, "hostile.html", render_map(data, title=title))

    # Hover a node so its tooltip (text naming a payload) is shown.
    node = data.nodes[0]
    box = page.locator("#onatool-map canvas").bounding_box()
    dom = page.evaluate(
        f"() => onatoolMap.network.canvasToDOM(onatoolMap.network.getPositions([{node['id']}])"
        f"[{node['id']}])"
    )
    page.mouse.move(box["x"] + dom["x"], box["y"] + dom["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert node["title"].split("\n")[0] in tooltip.inner_text()
    assert tooltip.locator("img, svg, a, script").count() == 0
    page.wait_for_timeout(300)  # give any injected handler time to fire

    assert page.title() == title
    assert page.evaluate("() => document.querySelectorAll('img, a, [onload], [onerror]').length") == 0
    assert page.evaluate("() => document.querySelectorAll('script').length") == 3
    assert recorded_page.dialogs == []
    # An injected <img src=x> would have requested /x; nothing but the page was fetched.
    assert recorded_page.requests == [page.url]
    recorded_page.assert_clean()
    page.screenshot(path=artifacts / "map-injection.png")


def test_change_map_draws_new_lost_and_kept_ties(recorded_page, local_server, artifacts):
    before = random_network(120, seed=21, wave="wave 1")
    after = random_network(120, seed=22, wave="wave 2")
    key = ["source", "target"]
    union = (
        before.ties.merge(after.ties[key], on=key, how="outer", indicator=True)
        .assign(relation="advice", weight=1.0, raw_value="1")
    )
    status = union.pop("_merge").map({"left_only": "lost", "right_only": "new", "both": "stable"})
    change = Network(before.people, union[list(before.ties.columns)], "change", before.relations)
    data = style_network(change, compute_layout([before, after]), colour_by="organisation",
                         edge_status=status.astype(object))
    page = _open(recorded_page, local_server, "change.html", render_map(data, title="Change"))
    dashed = page.evaluate(
        "() => onatoolMap.network.body.data.edges.get().filter(e => Array.isArray(e.dashes)).length"
    )
    assert dashed == int((status == "lost").sum()) > 0
    recorded_page.assert_clean()
    page.screenshot(path=artifacts / "map-change.png")


def test_organisation_map_draws(recorded_page, local_server, artifacts):
    net = random_network(300, seed=4, n_organisations=8)
    tables = organisation_network(net, min_group_size=5)
    data = style_group_network(tables, group_layout(tables))
    page = _open(recorded_page, local_server, "orgs.html", render_map(data, title="Organisations"))
    assert page.evaluate("() => onatoolMap.nodeCount") == len(tables.nodes)
    recorded_page.assert_clean()
    page.screenshot(path=artifacts / "map-organisations.png")
