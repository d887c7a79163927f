"""The WebGL map in real headless Chromium: the offline page, and every map tool through the
app's real Map page, in workshop mode and in the analyst's seat.

Screenshots go to test-artifacts/ (map_webgl_*.png) at 1366x768 and 1440x900.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from onatool import Network
from onatool.viz.layout import compute_layout
from onatool.viz.style import style_network
from onatool.viz.webmap import render_webmap
from tests.support.browser import record
from tests.support.processes import running_app
from tests.support.random_networks import random_network

pytestmark = pytest.mark.browser

DRAWN = "() => window.onatoolMap !== undefined && window.onatoolMap.drawn === true"
PAYLOADS = ["</script><img src=x onerror=alert(1)>", '"><svg onload=alert(2)>', "<a href='x'>href</a>"]


# The offline page (onatool map) ------------------------------------------------------------


def _open(recorded_page, local_server, name: str, html: str):
    page = recorded_page.page
    page.goto(local_server.serve(name, html))
    page.wait_for_function(DRAWN, polling=50)
    return page


def _node_point(page_or_frame, node: int, stage_box: dict) -> tuple[float, float]:
    p = page_or_frame.evaluate(
        f"() => {{ const r = onatoolMap.renderer; return r.framedGraphToViewport(r.getNodeDisplayData('{node}')); }}")
    return stage_box["x"] + p["x"], stage_box["y"] + p["y"]


def test_offline_page_draws_with_webgl_and_every_tool_works(recorded_page, local_server, artifacts):
    net = random_network(300, seed=4, isolates=5)
    pos = compute_layout(net, seed=1)
    data = style_network(net, pos, colour_by="organisation", workshop=False,
                         labels=pd.Series([f"P{i:03d}" for i in range(net.n_people)], index=net.people.index))
    page = _open(recorded_page, local_server, "webgl.html", render_webmap(data, title="Offline map"))
    probe = "() => [onatoolMap.nodeCount, onatoolMap.edgeCount, onatoolMap.webgl]"
    assert page.evaluate(probe) == [len(data.nodes), len(data.edges), True]

    # Search and highlight: a group, then one person by label.
    page.get_by_label("Search a person or group").fill("Org A")
    org_a = sum(1 for n in data.nodes if n["category"] == "Org A")
    assert page.evaluate("() => onatoolMap.found") == org_a
    page.get_by_text(f"{org_a} found").wait_for()
    page.get_by_label("Search a person or group").fill("P007")
    assert page.evaluate("() => onatoolMap.found") == 1
    page.get_by_label("Search a person or group").fill("")
    assert page.evaluate("() => onatoolMap.found") is None

    # Zoom in, zoom out, fit.
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function("() => onatoolMap.renderer.getCamera().ratio < 0.9", timeout=10_000)
    page.get_by_role("button", name="Zoom out").click()
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Zoom out").click()
    page.wait_for_function("() => onatoolMap.renderer.getCamera().ratio > 1.1", timeout=10_000)
    page.get_by_role("button", name="Fit the whole map").click()
    page.wait_for_function("() => Math.abs(onatoolMap.renderer.getCamera().ratio - 1) < 0.01", timeout=10_000)

    # Label size.
    page.get_by_label("Label size").fill("20")
    assert page.evaluate("() => onatoolMap.renderer.getSetting('labelSize')") == 20

    # Click a person: their profile (the tooltip's plain words) in the side panel.
    box = page.locator("#onatool-webmap").bounding_box()
    x, y = _node_point(page, 0, box)
    page.mouse.click(x, y)
    page.wait_for_function("() => onatoolMap.selected !== null && onatoolMap.selected !== undefined")
    chosen = page.evaluate("() => onatoolMap.selected")
    assert page.locator("#onatool-profile").inner_text().endswith(data.nodes[chosen]["title"])

    # PNG and SVG of the current view.
    png = page.evaluate("() => onatoolMap.exportPNG()")
    assert png["head"] == "data:image/png;base64," and png["size"] > 5_000
    svg = page.evaluate("() => onatoolMap.exportSVG()")
    assert svg["head"].startswith("<svg") and svg["text"].count("<circle") + svg["text"].count("<rect") > 100
    assert "P000" in svg["text"] or "P00" in svg["text"]
    page.screenshot(path=artifacts / "map_webgl_offline.png")
    assert recorded_page.requests == [page.url]  # nothing fetched but the page itself
    recorded_page.assert_clean()


def test_offline_page_keeps_hostile_text_inert(recorded_page, local_server, artifacts):
    net = random_network(60, seed=2)
    people = net.people.copy()
    people["organisation"] = [PAYLOADS[i % 3] for i in range(len(people))]
    hostile = Network(people, net.ties, net.wave, net.relations)
    data = style_network(hostile, compute_layout(hostile, seed=0), colour_by="organisation", workshop=False,
                         min_group_size=1, labels=pd.Series(PAYLOADS[0], index=people.index))
    page = _open(recorded_page, local_server, "hostile.html", render_webmap(data, title=PAYLOADS[1]))
    page.get_by_label("Search a person or group").fill("<svg")
    box = page.locator("#onatool-webmap").bounding_box()
    page.mouse.move(*_node_point(page, 3, box))
    page.mouse.click(*_node_point(page, 3, box))
    page.wait_for_timeout(300)
    assert page.locator("img, svg[onload], a[href]").count() == 0
    assert PAYLOADS[1] in page.locator("body").inner_text()
    page.evaluate("() => onatoolMap.exportSVG()")
    recorded_page.assert_clean()  # no dialog, no script error, no CSP violation, nothing fetched
    page.screenshot(path=artifacts / "map_webgl_hostile.png")


# The app's Map page ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    env = {**os.environ, "ONATOOL_WORKSPACE": str(tmp_path_factory.mktemp("ws") / "workspace.sqlite"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with running_app(env=env) as app:
        yield app.url


def _settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(400)


def _map_page(chromium, url: str, size: tuple[int, int]):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    recorded = record(context)
    page = recorded.page
    page.goto(url + "/map")
    page.get_by_role("heading", name="Map").first.wait_for(timeout=90_000)
    _settle(page)
    return context, recorded, page


def _frame(page):
    page.locator("iframe").first.wait_for(timeout=90_000)
    frame = page.locator("iframe").first.element_handle().content_frame()
    frame.wait_for_function(DRAWN, timeout=60_000)
    return frame


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a select box; a rerun that redraws the open list is tried again (3 times)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    for _ in range(3):
        box.scroll_into_view_if_needed()
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:  # the list was redrawn under the pointer by a rerun
            page.keyboard.press("Escape")
            _settle(page)
    else:
        raise AssertionError(f"could not choose {option!r} in {label!r}")
    _settle(page)


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900)])
def test_map_page_tools_in_workshop_mode(chromium, app_url, artifacts, size):
    context, recorded, page = _map_page(chromium, app_url, size)
    try:
        frame = _frame(page)
        # Every view is reachable: the switcher fits the width.
        ego = page.get_by_text("One person's network", exact=True)
        box = ego.bounding_box()
        assert box is not None and box["x"] + box["width"] <= size[0]
        page.screenshot(path=str(artifacts / f"map_webgl_app_{size[0]}x{size[1]}.png"))
        assert frame.evaluate("() => [onatoolMap.nodeCount, onatoolMap.webgl]") == [250, True]
        frame.evaluate("() => { window.__kept = onatoolMap.renderer; }")
        key = frame.evaluate("() => onatoolMap.graphKey")

        # Restyle: a new colouring reaches the same renderer, without a reload or a new graph.
        _choose(page, "Colour by", "Level")
        frame.wait_for_function("() => onatoolMap.state.style.category.includes('top')", timeout=30_000)
        assert frame.evaluate("() => window.__kept === onatoolMap.renderer") is True
        assert frame.evaluate("() => onatoolMap.graphKey") == key
        _choose(page, "Colour by", "Organisation")

        # Search: no labels in workshop mode, so a person's pseudonym finds no one; a group does.
        search = frame.get_by_label("Search a person or group")
        search.fill("P001")
        assert frame.evaluate("() => onatoolMap.found") == 0
        search.fill("Hospice")
        found = frame.evaluate("() => onatoolMap.found")
        assert found == 0 or found >= 5
        search.fill("")

        # Zoom, fit, label size, PNG, SVG inside the component.
        frame.get_by_role("button", name="Zoom in").click()
        frame.wait_for_function("() => onatoolMap.renderer.getCamera().ratio < 0.9", timeout=10_000)
        frame.get_by_role("button", name="Fit the whole map").click()
        frame.wait_for_function("() => Math.abs(onatoolMap.renderer.getCamera().ratio - 1) < 0.01", timeout=10_000)
        frame.get_by_label("Label size").fill("16")
        assert frame.evaluate("() => onatoolMap.renderer.getSetting('labelSize')") == 16
        assert frame.evaluate("() => onatoolMap.exportPNG().head") == "data:image/png;base64,"
        assert frame.evaluate("() => onatoolMap.exportSVG().head").startswith("<svg")

        # Click: the profile describes the group, never the person.
        page.locator("iframe").first.scroll_into_view_if_needed()
        stage = frame.locator("#onatool-webmap").bounding_box()
        page.mouse.click(*_node_point(frame, 10, stage))
        page.get_by_role("heading", name="Profile").wait_for(timeout=30_000)
        profile = page.get_by_text("Workshop mode describes groups, never one person.")
        profile.wait_for()
        assert page.get_by_text("Answered the survey").count() == 0

        # Filter by an attribute: a mask, same graph.
        page.get_by_text("Filter people").click()
        _choose(page, "Filter by", "Organisation")
        page.get_by_test_id("stMultiSelect").filter(has_text="Show only").first.click()
        page.keyboard.type("Northmoor Hospitals")
        page.keyboard.press("Enter")
        _settle(page)
        frame.wait_for_function("() => onatoolMap.hiddenCount > 100", timeout=30_000)
        assert frame.evaluate("() => onatoolMap.graphKey") == key
        assert page.get_by_text("Filtering by a score is for the analyst's seat").count() == 1
        page.screenshot(path=str(artifacts / f"map_webgl_app_filtered_{size[0]}x{size[1]}.png"))
        assert recorded.non_local_requests() == [] and recorded.page_errors == []
    finally:
        context.close()


def test_map_page_workshop_views_single_no_one_out(chromium, app_url, artifacts):
    context, recorded, page = _map_page(chromium, app_url, (1366, 768))
    try:
        frame = _frame(page)
        page.get_by_text("Tops, middles and bottoms", exact=True).first.click()
        _settle(page)
        frame.wait_for_function("() => onatoolMap.state.annotations.length >= 3", timeout=60_000)
        bands = frame.evaluate("() => onatoolMap.state.annotations")
        withheld = [b for b in bands if b["text"] == "Level not given or not shown"]
        assert withheld, bands
        # Every colour group in the Tops band has at least k people there: the hospice's only top
        # is never its one dot among the tops.
        tops_bottom = next(b for b in bands if b["text"] == "Middles")["y"]
        groups = frame.evaluate(
            "() => { const s = onatoolMap.state.style, g = onatoolMap.state.graph, out = {};"
            " g.forEachNode((n, a) => { if (-a.y < " + str(tops_bottom) + ") {"
            " out[s.category[a.i]] = (out[s.category[a.i]] || 0) + 1; } }); return out; }")
        assert all(count >= 5 for count in groups.values()), groups  # no sample organisation has 5 tops
        page.screenshot(path=str(artifacts / "map_webgl_app_levels_workshop.png"))

        page.get_by_text("One person's network", exact=True).click()
        _settle(page)
        page.get_by_text("workshop mode does not draw it").first.wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts / "map_webgl_app_ego_workshop.png"))

        # Away and back: the new component has no graph yet, asks for it, and draws.
        page.get_by_text("Everyone", exact=True).click()
        _settle(page)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_role("link", name="People", exact=True).click()
        page.get_by_role("heading", name="People").first.wait_for(timeout=90_000)
        _settle(page)
        sidebar.get_by_role("link", name="Map", exact=True).click()
        page.get_by_role("heading", name="Map").first.wait_for(timeout=90_000)
        frame = _frame(page)
        assert frame.evaluate("() => onatoolMap.nodeCount") == 250
        assert recorded.page_errors == []
    finally:
        context.close()


def test_map_page_analyst_seat_profile_ego_and_change(chromium, app_url, artifacts):
    context, recorded, page = _map_page(chromium, app_url, (1440, 900))
    try:
        page.get_by_test_id("stSidebar").get_by_text("Workshop mode").click()
        _settle(page)
        frame = _frame(page)
        frame.wait_for_function("() => onatoolMap.state.style.label !== null", timeout=60_000)
        label = frame.evaluate("() => onatoolMap.state.style.label.find(Boolean)")
        frame.get_by_label("Search a person or group").fill(label)
        assert frame.evaluate("() => onatoolMap.found") >= 1
        frame.get_by_label("Search a person or group").fill("")
        page.locator("iframe").first.scroll_into_view_if_needed()
        stage = frame.locator("#onatool-webmap").bounding_box()
        page.mouse.click(*_node_point(frame, 20, stage))
        page.get_by_role("heading", name="Profile").wait_for(timeout=30_000)
        assert page.get_by_text("the survey").count() >= 1
        page.screenshot(path=str(artifacts / "map_webgl_app_profile.png"), full_page=True)

        # Filter by a measure's range (the analyst's seat only): the low end moves up.
        page.get_by_text("Filter people").click()
        _choose(page, "Score", "On routes between others")  # betweenness, in the registry's words
        thumb = page.get_by_test_id("stSlider").filter(has_text="On routes between others between").get_by_role("slider").first
        thumb.focus()
        for _ in range(15):
            thumb.press("ArrowRight")
        _settle(page)
        frame.wait_for_function("() => onatoolMap.hiddenCount > 0", timeout=30_000)
        page.screenshot(path=str(artifacts / "map_webgl_app_score_filter.png"))

        page.get_by_text("One person's network", exact=True).click()
        _settle(page)
        frame.wait_for_function("() => onatoolMap.nodeCount < 250", timeout=60_000)

        page.get_by_text("New or lost ties", exact=True).click()
        _settle(page)
        frame.wait_for_function("() => onatoolMap.state.style && onatoolMap.nodeCount === 250", timeout=120_000)
        statuses = frame.evaluate("() => onatoolMap.edgeCount")
        assert statuses > 0
        frame.get_by_text("kept tie(s) are left out").first.wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts / "map_webgl_app_change.png"))
        assert recorded.page_errors == []
    finally:
        context.close()
