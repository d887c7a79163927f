"""The WebGL map (sigma.js) against the vis-network page, in headless Chromium.

Run from the repository root::

    /work/main/.venv/bin/python benchmarks/map_web.py                   # 200, 2,000, 10,000, 50,000
    /work/main/.venv/bin/python benchmarks/map_web.py --sizes 2000 --repeat 3

What is measured, inside the page (``performance.now()``), median of ``--repeat`` loads:

* first paint: from navigation start to the renderer's first frame (sigma's first
  ``afterRender``; vis-network's first ``afterDrawing``), so it includes reading the
  HTML, the inlined library and the data;
* restyle: ``onatoolMap.update`` with another colouring (new colours, sizes, tooltips,
  legend) until the next frame is drawn; filter: the same with a hidden-node mask
  (half the people);
* drag/zoom: the mean and 95th percentile interval between animation frames while the
  mouse drags the map in a circle and the wheel zooms in and out, and the time sigma took to
  draw each of those frames (``beforeRender`` to ``afterRender``; the interval adds the
  browser's compositing and whatever else the machine is doing);
* size of the page.

Targets (issue 14): restyle or filter within 0.3 s at 2,000 people; first paint within
2 s at 2,000 and 4 s at 10,000; drag/zoom at most 50 ms a frame at 10,000; usable at
50,000. Chromium runs headless without a GPU, so WebGL runs on SwiftShader (Chromium's
software fallback, ``--enable-unsafe-swiftshader``): the CPU rasterises and composites,
so a real GPU is faster. Layouts
up to 10,000 people come from :func:`compute_layout`; at 50,000, people are placed at
random within their organisation's disc (the layout is not what is measured).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onatool.viz.layout import compute_layout  # noqa: E402
from onatool.viz.maps import render_map  # noqa: E402
from onatool.viz.style import style_network  # noqa: E402
from onatool.viz.webmap import render_webmap, style_part  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LocalServer  # noqa: E402
from tests.support.random_networks import random_network  # noqa: E402

#: Chromium's own software WebGL fallback (SwiftShader behind its GPU process). Forcing ANGLE's
#: SwiftShader backend (``--use-angle=swiftshader``) made every frame 6-8 times slower here.
ARGS = [a for a in CHROMIUM_ARGS if a != "--disable-gpu"] + ["--enable-unsafe-swiftshader"]
DRAWN = "() => window.onatoolMap && window.onatoolMap.drawn === true"

RECORD_FRAMES = """() => {
  window.__gaps = []; window.__stop = false; onatoolMap.renderTimes.length = 0;
  let last = performance.now();
  const tick = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
}"""
FRAME_TIMES = """() => {
  window.__stop = true;
  const gaps = window.__gaps.slice(1).sort((a, b) => a - b);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const draws = onatoolMap.renderTimes.slice().sort((a, b) => a - b);
  const drawMean = draws.reduce((a, b) => a + b, 0) / Math.max(1, draws.length);
  return [mean, gaps[Math.floor(0.95 * (gaps.length - 1))], gaps.length, onatoolMap.webgl,
          drawMean, draws[Math.floor(0.95 * (draws.length - 1))] || 0, draws.length];
}"""


def drag_and_zoom(page) -> list:
    """Frame intervals while the mouse drags the map around and the wheel zooms in and out."""
    box = page.locator("#onatool-webmap").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(RECORD_FRAMES)
    page.mouse.move(cx, cy)
    page.mouse.down()
    for step in range(60):
        angle = step / 60 * 2 * np.pi
        page.mouse.move(cx + 150 * np.cos(angle), cy + 100 * np.sin(angle))
    page.mouse.up()
    for step in range(20):
        page.mouse.wheel(0, -120 if step < 10 else 120)
    page.wait_for_timeout(300)
    return page.evaluate(FRAME_TIMES)


UPDATE = """async ([payload]) => {
  const before = onatoolMap.renders;
  onatoolMap.update(payload);
  while (onatoolMap.renders === before) await new Promise((r) => requestAnimationFrame(r));
  return onatoolMap.lastPaintMs;
}"""


def network_and_positions(n: int):
    net = random_network(n, seed=5, isolates=n // 40)
    if n <= 10_000:
        return net, compute_layout(net, seed=1)
    rng = np.random.default_rng(0)
    orgs = net.people["organisation"].astype(str)
    centres = {o: (700 * np.cos(i), 700 * np.sin(i)) for i, o in enumerate(sorted(orgs.unique()))}
    angle, radius = rng.uniform(0, 2 * np.pi, n), 300 * np.sqrt(rng.uniform(0, 1, n))
    x = np.array([centres[o][0] for o in orgs]) + radius * np.cos(angle)
    y = np.array([centres[o][1] for o in orgs]) + radius * np.sin(angle)
    return net, pd.DataFrame({"x": x, "y": y}, index=net.people.index)


def measure(sizes: list[int], repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright, LocalServer() as server:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            for n in sizes:
                net, pos = network_and_positions(n)
                data = style_network(net, pos, colour_by="organisation", workshop=False)
                other = style_network(net, pos, colour_by="level", size_by="x", metrics=pos, workshop=False)
                page_text = render_webmap(data, title=f"{n} people")
                url = server.serve(f"web{n}.html", page_text)
                row = {"people": n, "ties": len(data.edges), "page_mb": len(page_text) / 1e6}
                paints, restyles, filters = [], [], []
                pan = None
                for attempt in range(repeat):
                    page = browser.new_page(viewport={"width": 1366, "height": 768})
                    page.goto(url, wait_until="commit", timeout=300_000)
                    page.wait_for_function(DRAWN, timeout=300_000, polling=20)
                    paints.append(page.evaluate("() => onatoolMap.drawnAt") / 1000)
                    if n <= 10_000 or attempt == 0:
                        restyle = {"graphKey": "standalone", "style": style_part(other), "legend": other.legend,
                                   "notes": other.notes}
                        restyles.append(page.evaluate(UPDATE, [restyle]) / 1000)
                        hide = {"graphKey": "standalone", "hidden": list(range(0, n, 2))}
                        filters.append(page.evaluate(UPDATE, [hide]) / 1000)
                        page.evaluate(UPDATE, [{"graphKey": "standalone", "hidden": []}])
                    if attempt == 0:
                        pan = drag_and_zoom(page)
                    page.close()
                row.update(first_paint_s=statistics.median(paints), restyle_s=statistics.median(restyles),
                           filter_s=statistics.median(filters), frame_ms=pan[0], frame_p95_ms=pan[1],
                           frames=pan[2], webgl=pan[3], draw_ms=pan[4], draw_p95_ms=pan[5], draws=pan[6])
                if n <= 2_000:  # the canvas renderer it replaces, for the same map
                    vis = server.serve(f"vis{n}.html", render_map(data))
                    times = []
                    for _ in range(repeat):
                        page = browser.new_page(viewport={"width": 1366, "height": 768})
                        page.goto(vis, wait_until="commit", timeout=300_000)
                        page.wait_for_function(DRAWN, timeout=300_000, polling=20)
                        times.append(page.evaluate("() => onatoolMap.drawnAt - 0") / 1000)
                        page.close()
                    row["vis_first_paint_s"] = statistics.median(times)
                rows.append(row)
                print(_line(row), flush=True)
        finally:
            browser.close()
    return rows


def _line(row: dict) -> str:
    vis = f"{row['vis_first_paint_s']:.2f} s" if "vis_first_paint_s" in row else "-"
    return (f"{row['people']:>7,} people {row['ties']:>8,} ties | page {row['page_mb']:5.1f} MB | "
            f"first paint {row['first_paint_s']:5.2f} s (vis-network {vis}) | restyle {row['restyle_s']:.3f} s | "
            f"filter {row['filter_s']:.3f} s | drag/zoom {row['frame_ms']:5.1f} ms/frame "
            f"(p95 {row['frame_p95_ms']:.1f}; drawing {row['draw_ms']:.1f} ms, p95 {row['draw_p95_ms']:.1f}, "
            f"{row['draws']} draws; WebGL {row['webgl']})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is not installed: skipped")
        return 0
    start = time.perf_counter()
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    measure(args.sizes, args.repeat)
    print(f"Total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
