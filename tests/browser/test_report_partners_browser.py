"""The sample report's "Trust and value between partner organisations", in a real browser.

The organisation map is a second embedded map: the report's Content-Security-Policy must
let its scripts run (and nothing else), it must draw one circle per organisation, and
nothing may be fetched. A screenshot goes to ``test-artifacts/report-sample-partners.png``.
"""

from __future__ import annotations

import pytest

from onatool.io.ratings import read_ratings
from onatool.outputs.pipeline import produce_outputs
from onatool.sample import load_sample, sample_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_partner_section_draws_its_map(recorded_page, local_server, artifacts, tmp_path):
    results = load_sample()
    ratings = read_ratings(sample_dir() / "partner_ratings.csv", results[-1].roster)
    outputs = produce_outputs(results[-1:], tmp_path, project="Northmoor", pdf=False, ratings=ratings.answers)
    [html_path] = outputs.files["report"]
    page = recorded_page.page
    page.goto(local_server.serve("sample-report-partners.html", html_path.read_text(encoding="utf-8")))
    section = page.locator("section#partners")
    section.scroll_into_view_if_needed()
    assert section.locator("h2").inner_text() == "Trust and value between partner organisations"
    frame_element = section.locator("iframe.map-frame")
    frame_element.scroll_into_view_if_needed()
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_function("() => window.onatoolMap && window.onatoolMap.drawn === true", polling=50)
    assert frame.evaluate("() => onatoolMap.nodeCount") == 13
    rows = section.locator("table").first.locator("tr")
    assert rows.count() == 1 + 13
    section.screenshot(path=artifacts / "report-sample-partners.png")
    assert recorded_page.requests == [page.url]
    recorded_page.assert_clean()
