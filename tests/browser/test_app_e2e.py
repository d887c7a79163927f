"""The app end to end in real headless Chromium: open the sample, draw the map, switch
waves, import a wave through the wizard, and check that nothing left the machine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import record
from tests.support.processes import running_app

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["project", "import_data", "map", "people", "boundaries", "levels", "health", "change", "export",
         "about"]


@pytest.fixture(scope="module")
def server_tmp(tmp_path_factory) -> Path:
    """The server's temporary folder (``TMPDIR``), to check that uploads are not left in it."""
    return tmp_path_factory.mktemp("server-tmp")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, server_tmp) -> Iterator[str]:
    """``onatool ui`` on a free localhost port, with a fresh workspace."""
    env = {**os.environ, "ONATOOL_WORKSPACE": str(tmp_path_factory.mktemp("ws") / "workspace.sqlite"),
           "TMPDIR": str(server_tmp)}
    with running_app(env=env) as app:  # stopped, with anything it started, however the tests end
        yield app.url


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    recorded = record(context)
    yield recorded
    context.close()


def assert_nothing_left(recorded) -> None:
    """No request left the machine, no dialog, no script error.

    Console errors are not checked: Streamlit probes ``<page>/_stcore/health`` and
    ``host-config`` under a page's path before falling back to the root, and the
    browser logs those 404s.
    """
    assert recorded.non_local_requests() == [] and recorded.blocked == []
    assert recorded.dialogs == [] and recorded.page_errors == []


def open_page(recorded, url: str, title: str):
    page = recorded.page
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=90_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=90_000)
    return page


def map_frame(page):
    page.locator("iframe").first.wait_for(timeout=90_000)
    frame = page.frame_locator("iframe").first
    frame.locator("canvas").first.wait_for(timeout=60_000)
    handle = page.locator("iframe").first.element_handle().content_frame()
    handle.wait_for_function("() => window.onatoolMap && window.onatoolMap.drawn === true", timeout=60_000)
    return handle


def test_sample_map_draws_and_waves_switch(app_url, browser_page, artifacts):
    page = open_page(browser_page, app_url + "/map", "Map")
    frame = map_frame(page)
    assert frame.evaluate("() => window.onatoolMap.nodeCount") == 250
    final_edges = frame.evaluate("() => window.onatoolMap.edgeCount")
    assert final_edges > 500
    page.screenshot(path=str(artifacts / "app_map.png"), full_page=True)

    wave_picker = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").nth(1)
    wave_picker.click()
    page.get_by_role("option", name="baseline").click()
    page.wait_for_timeout(500)
    frame = map_frame(page)
    # The map stays open and takes the other wave's graph: wait for it to arrive.
    frame.wait_for_function(f"() => window.onatoolMap.edgeCount !== {final_edges}", timeout=60_000)
    baseline_edges = frame.evaluate("() => window.onatoolMap.edgeCount")
    assert baseline_edges != final_edges
    assert_nothing_left(browser_page)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_error(app_url, browser_page, artifacts, name):
    titles = {"project": "Project", "import_data": "Import a wave", "map": "Map", "people": "People",
              "boundaries": "Boundaries", "levels": "Tops, middles and bottoms", "health": "Network health",
              "change": "Change between waves", "export": "Export", "about": "About this analysis"}
    page = open_page(browser_page, f"{app_url}/{name}", titles[name])
    assert page.get_by_test_id("stException").count() == 0
    page.screenshot(path=str(artifacts / f"app_{name}.png"), full_page=True)
    assert_nothing_left(browser_page)


def assert_no_upload_on_disk(server_tmp: Path) -> None:
    """Uploads live in the session's memory; files exist only while a reader reads them."""
    assert list(server_tmp.glob("onatool-upload-*")) == []


def test_import_the_sample_second_wave_through_the_wizard(app_url, browser_page, artifacts, server_tmp):
    page = open_page(browser_page, app_url + "/import_data", "Import a wave")
    uploads = page.locator("input[type=file]")
    uploads.nth(0).set_input_files(str(ROOT / "sample_data" / "roster.csv"))
    uploads.nth(1).set_input_files(str(ROOT / "sample_data" / "ties_final.csv"))
    page.get_by_label("Wave name").fill("final")
    page.get_by_text("edge list", exact=True).click()
    page.get_by_role("button", name="Read the files").click()
    page.get_by_text("Import report: wave 'final'").wait_for(timeout=90_000)
    page.screenshot(path=str(artifacts / "app_import_report.png"), full_page=True)
    assert_no_upload_on_disk(server_tmp)  # read, not yet saved: the files are already gone
    page.get_by_role("button", name="Save as wave").click()
    page.get_by_role("heading", name="Import a wave").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert_no_upload_on_disk(server_tmp)
    page.goto(app_url + "/project")
    page.get_by_role("heading", name="Project").first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0
    assert_nothing_left(browser_page)


def test_import_a_forms_export_through_detection(app_url, browser_page, artifacts, server_tmp):
    page = open_page(browser_page, app_url + "/import_data", "Import a wave")
    uploads = page.locator("input[type=file]")
    uploads.nth(1).set_input_files(str(ROOT / "sample_data" / "forms_baseline.xlsx"))
    page.get_by_label("Wave name").fill("forms check")
    page.get_by_role("button", name="Read the files").click()
    page.get_by_text("What the file gives away").wait_for(timeout=90_000)
    page.screenshot(path=str(artifacts / "app_import_detection.png"), full_page=True)
    page.get_by_role("button", name="Import with these choices").click()
    page.get_by_text("Import report: wave 'forms check'").wait_for(timeout=90_000)
    page.screenshot(path=str(artifacts / "app_import_forms_report.png"), full_page=True)
    assert_no_upload_on_disk(server_tmp)  # abandoned after the report: nothing left on disk
    assert page.get_by_test_id("stException").count() == 0
    assert_nothing_left(browser_page)
