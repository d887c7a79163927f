"""Map page speed in headless Chromium: from opening the page to a drawn network, and a filter change.

For each size, a project with one generated wave is saved to a fresh workspace, the app is
started with ``onatool ui`` on a free localhost port, and Chromium (Debian's, headless) opens
the Map page. Times:

- ``cold``: navigation to ``window.onatoolMap.drawn`` on first opening (layout, metrics and
  map built, then drawn);
- ``warm``: the same page opened again (everything cached: the cost a user sees when they
  come back to the map);
- ``everyone``: above 3,000 people the page opens on the organisations view; this is the
  switch to the full person map;
- ``filter``: switching "Colour by" from organisation to level, until the new map is drawn.

Targets (issue 6): 2,000 people drawn in under 3 s, a filter change in under 1 s.

Run: ``.venv/bin/python benchmarks/app_map.py [--sizes 200 2000 10000]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onatool import schema  # noqa: E402
from onatool.store import Workspace  # noqa: E402
from onatool.viz.views import LARGE_NETWORK  # noqa: E402
from tests.support.browser import CHROMIUM_ARGS, free_port, wait_for_http  # noqa: E402
from tests.support.random_networks import random_network  # noqa: E402

DRAWN = "() => window.onatoolMap && window.onatoolMap.drawn === true"


def make_workspace(n: int, folder: Path) -> str:
    """A workspace holding one project with one generated wave of ``n`` people."""
    path = str(folder / f"ws{n}.sqlite")
    net = random_network(n, seed=n, n_organisations=15, mean_out_degree=10, within_share=0.75)
    people = net.people.copy()
    people[schema.LABEL] = [f"P{i:05d}" for i in range(1, n + 1)]
    net = type(net)(people, net.ties, wave="baseline", relations=net.relations)
    ws = Workspace(path)
    name = f"Generated {n}"
    ws.create_project(name)
    identities = people[[]].assign(id=people.index, name=people.index, email="")
    ws.save_roster(name, people.drop(columns=["responded"]), identities)
    ws.save_wave(name, net)
    return path


def drawn_frame(page, timeout: float = 300_000):
    page.locator("iframe").first.wait_for(timeout=timeout)
    frame = page.locator("iframe").first.element_handle().content_frame()
    frame.wait_for_function(DRAWN, timeout=timeout)
    return frame


def measure(n: int, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "ONATOOL_WORKSPACE": make_workspace(n, folder)}
    server = subprocess.Popen([sys.executable, "-m", "onatool", "ui", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=60)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            url = f"http://127.0.0.1:{port}/map"
            # The generated project was created first, so it is the one the app opens on.
            start = time.perf_counter()
            page.goto(url)
            drawn_frame(page)
            cold = time.perf_counter() - start
            page.reload()
            start = time.perf_counter()
            drawn_frame(page)
            warm = time.perf_counter() - start
            everyone = None
            if n > LARGE_NETWORK:  # the page opens on organisations: time the full person map too
                frame = page.locator("iframe").first.element_handle().content_frame()
                frame.evaluate("() => { window.onatoolMap.drawn = false }")
                start = time.perf_counter()
                page.get_by_text("Everyone", exact=True).click()  # the View control, as the browser tests click it
                _wait_redrawn(page)
                everyone = time.perf_counter() - start
            frame = page.locator("iframe").first.element_handle().content_frame()
            frame.evaluate("() => { window.onatoolMap.drawn = false }")
            start = time.perf_counter()
            page.get_by_label("Colour by").click()
            page.get_by_role("option", name="Level").click()
            _wait_redrawn(page)
            filtered = time.perf_counter() - start
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"people": n, "cold_s": cold, "warm_s": warm, "everyone_s": everyone, "filter_s": filtered}


def _wait_redrawn(page) -> None:
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe');"
        " return f && f.contentWindow.onatoolMap && f.contentWindow.onatoolMap.drawn === true }",
        timeout=300_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    args = parser.parse_args()
    print(f"{'people':>8} {'cold (s)':>9} {'warm (s)':>9} {'everyone (s)':>13} {'filter (s)':>11}")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            row = measure(n, Path(folder))
            everyone = "-" if row["everyone_s"] is None else f"{row['everyone_s']:.2f}"
            print(f"{row['people']:>8} {row['cold_s']:>9.2f} {row['warm_s']:>9.2f} {everyone:>13} "
                  f"{row['filter_s']:>11.2f}", flush=True)


if __name__ == "__main__":
    main()
