"""The app on a project made of payloads, in real headless Chromium: no script from them
runs, no request leaves the machine, uploads over the limit are refused by the server,
and the server listens on this computer only.

One app server for the module, started as a user starts it (``onatool ui``), with a
1 MB upload limit and a workspace holding only the hostile project.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from onatool.io import ImportReport, ImportResult, Roster
from onatool.outputs.pipeline import produce_outputs
from onatool.share.disclosure import Disclosure
from onatool.store import Workspace
from tests.hostile import hostile_data as hd
from tests.hostile.corpus import write_csv
from tests.hostile.payloads import PAYLOADS
from tests.support.browser import ARTIFACTS, is_local, open_page_link, record
from tests.support.processes import running_app

ROOT = Path(__file__).resolve().parents[2]
TITLES = {"Project": "Project", "Import": "Import a wave", "Map": "Map", "People": "People",
          "Boundaries": "Boundaries", "Tops, middles, bottoms": "Tops, middles and bottoms",
          "Health": "Network health", "Change": "Change between waves", "Export": "Export",
          "About this analysis": "About this analysis"}
UPLOAD_LIMIT_MB = 1
#: Every request any page made in this module, for the summary written at the end.
OBSERVED: list[str] = []


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("hostile-app")
    ws = hd.build(folder / "files", folder / "workspace.sqlite")
    env = {**os.environ, "ONATOOL_WORKSPACE": str(ws.path)}
    try:
        with running_app(["--max-upload-mb", str(UPLOAD_LIMIT_MB)], env=env) as app:
            yield {"url": app.url, "port": app.port, "workspace": ws, "folder": folder}
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "requests_observed.json").write_text(json.dumps({
            "requests": len(OBSERVED), "left_the_machine": [u for u in OBSERVED if not is_local(u)],
            "hosts": sorted({u.split("/")[2] for u in OBSERVED if "://" in u})}, indent=2) + "\n")


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    recorded = record(context)
    yield recorded
    OBSERVED.extend(recorded.requests)
    context.close()


def assert_inert(recorded, title: str | None = None) -> None:
    """Nothing ran from a payload and nothing left the machine (and the title is ``title``).

    Streamlit's own probes of ``<page>/_stcore/health`` and ``host-config`` log 404s to
    the console; those are local, so console errors are not checked here.
    """
    page = recorded.page
    assert recorded.requests, "no request was recorded at all"
    assert recorded.non_local_requests() == [] and recorded.blocked == [], recorded.blocked
    assert recorded.dialogs == [], recorded.dialogs
    assert recorded.page_errors == [], recorded.page_errors
    if title is not None:
        assert page.title() == title
    assert page.evaluate("() => document.querySelectorAll("
                         "'[onerror], [onload], a[href^=\"javascript\"], img[src=\"x\"]').length") == 0


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(300)  # time for an injected handler to fire


def open_app(recorded, url: str):
    page = recorded.page
    page.goto(url)
    page.get_by_role("heading", name="Project").first.wait_for(timeout=90_000)
    settle(page)
    return page


def test_every_page_with_names_revealed_runs_no_payload(server, browser_page, artifacts):
    page = open_app(browser_page, server["url"])
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Workshop mode").click()  # off: labels and tooltips per person
    settle(page)
    sidebar.get_by_text("Reveal names").click()
    settle(page)
    page.get_by_text("Names are revealed").first.wait_for()
    for link, heading in TITLES.items():
        open_page_link(page, link)  # the page list folds after the first ten
        page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
        settle(page)
        assert page.get_by_test_id("stException").count() == 0, link
        if link in ("Map", "Change"):
            frame = page.locator("iframe").first.element_handle().content_frame()
            frame.wait_for_function("() => window.onatoolMap && window.onatoolMap.drawn === true",
                                    timeout=60_000)
            frame.locator("canvas").last.hover()  # a tooltip, if one shows, must be text
            page.wait_for_timeout(300)
        page.screenshot(path=str(artifacts / f"hostile_app_{link.split()[0].lower()}.png"), full_page=True)
        assert_inert(browser_page, title="onatool")  # the app's own title, whatever the data
    # The payloads were on the page, as text.
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("heading", name="People").first.wait_for()
    settle(page)
    assert_inert(browser_page)


def test_the_import_wizard_shows_hostile_names_and_file_text_as_text(server, browser_page, artifacts, tmp_path):
    roster = write_csv(tmp_path / "roster.csv", hd.roster_rows())
    strangers = [["source", "target", "relation"],
                 *[["H00", name, "advice"] for name in (*hd.MARKDOWN, *PAYLOADS[:6], "Nobody We Know")],
                 ["H01", "H02", "advice"]]
    answers = write_csv(tmp_path / "answers [x](http:evil.example) {{7*7}}.csv", strangers)
    page = open_app(browser_page, server["url"])
    page.get_by_test_id("stSidebar").get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("heading", name="Import a wave").first.wait_for()
    uploads = page.locator("input[type=file]")
    uploads.nth(0).set_input_files(str(roster))
    uploads.nth(1).set_input_files(str(answers))
    page.get_by_label("Wave name").fill(hd.MARKDOWN[0])
    page.get_by_text("edge list", exact=True).click()
    page.get_by_role("button", name="Read the files").click()
    page.get_by_text("Import report: wave").wait_for(timeout=90_000)
    page.get_by_text("Every row that was not kept as it was").click()
    settle(page)
    assert page.get_by_text("Nobody We Know").count() >= 1
    page.screenshot(path=str(artifacts / "hostile_import_report.png"), full_page=True)
    assert_inert(browser_page)


def test_the_report_opens_and_runs_nothing(server, browser_page, local_server, artifacts, tmp_path):
    ws: Workspace = server["workspace"]
    roster = Roster(*ws.load_roster(hd.PROJECT))
    results = [ImportResult(ws.load_wave(hd.PROJECT, w), roster, ImportReport()) for w in hd.WAVES]
    produce_outputs(results, tmp_path, project=hd.PROJECT, disclosure=Disclosure(k=5), pdf=False,
                    title=hd.PROJECT, include=())
    page = browser_page.page
    page.goto(local_server.serve("hostile_report.html", (tmp_path / "report.html").read_text(encoding="utf-8")))
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    frame.wait_for_function("() => window.onatoolMap && window.onatoolMap.drawn === true", polling=50)
    page.wait_for_timeout(300)
    assert page.title().startswith(hd.PROJECT)  # the payload is the title, as text
    assert browser_page.requests == [page.url]
    assert_inert(browser_page)
    page.screenshot(path=str(artifacts / "hostile_report.png"), full_page=True)


def test_an_upload_over_the_limit_is_refused_by_the_server(server, browser_page, tmp_path):
    page = open_app(browser_page, server["url"])
    page.get_by_test_id("stSidebar").get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("heading", name="Import a wave").first.wait_for()
    small = write_csv(tmp_path / "small.csv", hd.roster_rows())
    with page.expect_request(lambda r: r.method == "PUT" and "/_stcore/upload_file/" in r.url) as sent:
        page.locator("input[type=file]").nth(0).set_input_files(str(small))
    request = sent.value
    headers = {k: v for k, v in request.headers.items() if k.lower() == "x-xsrftoken"}
    big = b"id,name\n" + b"R1,Ann\n" * (UPLOAD_LIMIT_MB * 1024 * 1024 // 7 + 1000)
    # Replay the browser's own upload (its session, cookie and XSRF token), over the limit.
    refused = page.request.put(request.url, headers=headers,
                               multipart={"file": {"name": "big.csv", "mimeType": "text/csv", "buffer": big}})
    assert refused.status == 413, refused.status
    accepted = page.request.put(request.url, headers=headers,
                                multipart={"file": {"name": "ok.csv", "mimeType": "text/csv", "buffer": big[:5000]}})
    assert accepted.status == 204, accepted.status
    # The widget refuses it too, before sending, and says why.
    (tmp_path / "big.csv").write_bytes(big)
    page.locator("input[type=file]").nth(1).set_input_files(str(tmp_path / "big.csv"))
    page.get_by_text(f"{UPLOAD_LIMIT_MB}.0MB or smaller").first.wait_for(timeout=20_000)
    assert_inert(browser_page)


def _outward_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent for UDP connect
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_the_server_listens_on_this_computer_only(server):
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no network address other than loopback to try")
    with socket.socket() as client:
        client.settimeout(2)
        assert client.connect_ex((address, server["port"])) != 0, f"reachable on {address}"
    with socket.create_connection(("127.0.0.1", server["port"]), timeout=2):
        pass
