"""How long a map takes: layout, style, HTML, and drawing in headless Chromium.

Run from the repository root::

    /work/main/.venv/bin/python benchmarks/map_render.py            # 200, 2,000, 10,000
    /work/main/.venv/bin/python benchmarks/map_render.py --sizes 500 3000 --repeat 5

Each figure is the median of ``--repeat`` runs. "Draw" is measured inside the page: from
navigation start (``performance.timeOrigin``) to vis-network's first ``afterDrawing``
event, so it includes reading and parsing the HTML, the inlined library and the data.
Target: 2,000 people drawn in under 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onatool.viz.layout import compute_layout  # noqa: E402
from onatool.viz.maps import render_map  # noqa: E402
from onatool.viz.style import style_network  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LocalServer  # noqa: E402
from tests.support.random_networks import random_network  # noqa: E402


def _median_seconds(work, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = []
    pages = {}
    for n in args.sizes:
        net = random_network(n, seed=1, isolates=n // 50)
        layout_s, pos = _median_seconds(lambda net=net: compute_layout(net, seed=0), args.repeat)
        style_s, data = _median_seconds(
            lambda net=net, pos=pos: style_network(net, pos, colour_by="organisation"), args.repeat
        )
        html_s, html = _median_seconds(lambda data=data: render_map(data), args.repeat)
        pages[n] = html
        rows.append({"people": n, "ties": net.n_ties, "layout": layout_s, "style": style_s,
                     "html": html_s, "mb": len(html.encode()) / 1e6})

    if CHROMIUM.exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw, LocalServer() as server:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for row in rows:
                url = server.serve(f"map{row['people']}.html", pages[row["people"]])
                draws = []
                for _ in range(args.repeat):
                    page = browser.new_page(viewport={"width": 1280, "height": 860})
                    page.goto(url)
                    page.wait_for_function("() => window.onatoolMap && onatoolMap.drawn",
                                           polling=20, timeout=120_000)
                    draws.append(page.evaluate("() => onatoolMap.drawnAt") / 1000)
                    page.close()
                row["draw"] = statistics.median(draws)
            browser.close()
    else:
        print(f"{CHROMIUM} not found: drawing times skipped", file=sys.stderr)

    print(f"{'people':>7} {'ties':>7} {'layout s':>9} {'style s':>8} {'html s':>7} "
          f"{'page MB':>8} {'draw s':>7}")
    for r in rows:
        draw = f"{r['draw']:7.2f}" if "draw" in r else "    n/a"
        print(f"{r['people']:>7} {r['ties']:>7} {r['layout']:9.2f} {r['style']:8.2f} "
              f"{r['html']:7.2f} {r['mb']:8.1f} {draw}")


if __name__ == "__main__":
    main()
