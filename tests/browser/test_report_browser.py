"""The stakeholder report in a real browser: the map draws, nothing is fetched, text stays inert."""

from __future__ import annotations

import pytest

from onatool import Network
from onatool.outputs.html import build_report, report_map
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.viz.layout import compute_layout

pytestmark = pytest.mark.browser

PAYLOADS = [
    "</script><img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    '<a href="javascript:alert(4)">x</a>',
    "Northmoor Acute",
]


def _hostile_network() -> Network:
    # Four organisations of 6 named after payloads, so none is merged away.
    people = {f"p{i}": {"organisation": PAYLOADS[i % 4], "level": ("top", "middle", "bottom")[i % 3]}
              for i in range(24)}
    edges = [(f"p{i}", f"p{(i + 1) % 24}") for i in range(24)] + [("p0", "p12"), ("p5", "p17"), ("p3", "p7")]
    return Network.from_edges(edges, people=people, relation="advice", wave="wave <1>")


def test_report_renders_with_map_drawn_and_nothing_fetched(recorded_page, local_server, artifacts):
    net = _hostile_network()
    disclosure = Disclosure(k=5)
    parts = report_map(net, compute_layout(net, seed=0), disclosure)
    html = build_report(net, Provenance(net.wave, relation="advice", disclosure=disclosure,
                                        project=PAYLOADS[1]), map_parts=parts, title=PAYLOADS[0])
    page = recorded_page.page
    page.goto(local_server.serve("report.html", html))
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    frame.wait_for_function("() => window.onatoolMap && window.onatoolMap.drawn === true", polling=50)
    assert frame.evaluate("() => onatoolMap.nodeCount") == net.n_people
    page.wait_for_timeout(300)  # time for any injected handler to fire

    assert page.title().startswith(PAYLOADS[0])
    assert recorded_page.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('script, a[href^=javascript], [onerror], [onload]')"
                         ".length") == 0
    # Only the page itself was requested: no injected <img src=x>, no font, no script.
    assert recorded_page.requests == [page.url]
    recorded_page.assert_clean()
    page.screenshot(path=artifacts / "report-hostile.png", full_page=True)
