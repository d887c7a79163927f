"""The sample partnership's report, as a programme board would get it: rendered and photographed.

Screenshots of every section go to ``test-artifacts/report-sample-*.png`` for a person
to look at; the test checks what a machine can: every section there, the map drawn,
nothing fetched, a PDF with a page or more per section.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from onatool.outputs.pipeline import produce_outputs
from onatool.sample import load_sample

pytestmark = [pytest.mark.browser, pytest.mark.slow]
pytest.importorskip("onatool.compare", reason="onatool.compare (the change helper's branch) not merged yet")

SECTIONS = ["summary", "answered", "map", "findings", "boundaries", "levels", "health", "change", "methods"]


def test_sample_report_for_a_board(recorded_page, local_server, artifacts, tmp_path):
    outputs = produce_outputs(load_sample(), tmp_path, project="Northmoor",
                              title="Relationships across the Northmoor partnership")
    html_path, pdf_path = outputs.files["report"]
    page = recorded_page.page
    page.goto(local_server.serve("sample-report.html", html_path.read_text(encoding="utf-8")))
    assert page.evaluate("() => [...document.querySelectorAll('section')].map(s => s.id)") == SECTIONS
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    frame.wait_for_function("() => window.onatoolMap && window.onatoolMap.drawn === true", polling=50)
    assert frame.evaluate("() => onatoolMap.nodeCount") == 250
    for section in SECTIONS:
        page.locator(f"section#{section}").screenshot(path=artifacts / f"report-sample-{section}.png")
    assert recorded_page.requests == [page.url]
    recorded_page.assert_clean()

    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= len(SECTIONS)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf_path),
                        str(artifacts / "report-sample-pdf-page")], check=True)
