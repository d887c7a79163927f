"""Load: ten people using the app at once, on the sample project.

The app is started with ``onatool ui`` on a free localhost port with a fresh workspace (so
the sample partnership is created on first start), warmed with one visit, and then N
concurrent sessions (headless Chromium pages, each in its own browser context, so each is
its own Streamlit session) each open, in turn and several times over:

- ``map``: the Map page until the network is drawn (``window.onatoolMap.drawn``);
- ``people``: the People page until its table is shown;
- ``boundaries``: the Boundaries page until its first chart is shown.

Reported: median and 95th-percentile page times per page, failures (there must be none),
and the server's memory (resident set, the server and its children: psutil if installed,
else /proc) before, at its peak and after. Browser and server share the machine, so on 2
cores the times include waiting for a core.

Run: ``.venv/bin/python benchmarks/load.py [--sessions 10] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, free_port, is_local, wait_for_http  # noqa: E402

DRAWN = ("() => { const f = document.querySelector('iframe');"
         " return !!(f && f.contentWindow && f.contentWindow.onatoolMap && f.contentWindow.onatoolMap.drawn) }")
PAGES = {
    "map": ("/map", DRAWN),
    "people": ("/people", "() => !!document.querySelector('[data-testid=\"stDataFrame\"]')"),
    "boundaries": ("/boundaries", "() => !!document.querySelector('.js-plotly-plot, [data-testid=\"stPlotlyChart\"]')"),
}
TIMEOUT_MS = 300_000


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children, in bytes."""
    try:
        import psutil
    except ImportError:
        return _proc_rss(pid)
    try:
        process = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process and its children have used, if psutil is there."""
    try:
        import psutil
    except ImportError:
        return None
    process = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [process, *process.children(recursive=True)])


def _proc_rss(pid: int) -> int:
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid] + ([int(c) for c in children.read_text().split()] if children.exists() else [])
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class MemoryWatch:
    """Samples a process's memory every ``interval`` seconds in a background thread."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(self.interval)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def session(browser, base: str, rounds: int, times: dict, failures: list, outside: list, number: int):
    context = await browser.new_context(viewport={"width": 1280, "height": 860})

    async def route(r):
        if is_local(r.request.url):
            await r.continue_()
        else:
            outside.append(r.request.url)
            await r.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    try:
        for _ in range(rounds):
            for name, (path, ready) in PAGES.items():
                start = time.perf_counter()
                try:
                    await page.goto(base + path)
                    await page.wait_for_function(ready, timeout=TIMEOUT_MS, polling=100)
                    if await page.get_by_test_id("stException").count():
                        raise RuntimeError("the page shows an exception")
                except Exception as error:  # a benchmark reports failures, it does not stop at one
                    failures.append(f"session {number} {name}: {type(error).__name__}: {str(error)[:200]}")
                    continue
                times[name].append(time.perf_counter() - start)
    finally:
        await context.close()


async def drive(base: str, sessions: int, rounds: int, pid: int) -> tuple[dict, list, list, float, float | None]:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {name: [] for name in PAGES}
    failures: list[str] = []
    outside: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # Warm-up: one visit creates the sample project and fills the server's caches.
        await session(browser, base, 1, {name: [] for name in PAGES}, failures, outside, 0)
        start, cpu_start = time.perf_counter(), cpu_seconds(pid)
        await asyncio.gather(*(session(browser, base, rounds, times, failures, outside, n)
                               for n in range(1, sessions + 1)))
        wall = time.perf_counter() - start
        cpu = None if cpu_start is None else cpu_seconds(pid) - cpu_start
        await browser.close()
    return times, failures, outside, wall, cpu


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ONATOOL_WORKSPACE": str(Path(folder) / "workspace.sqlite")}
        server = subprocess.Popen([sys.executable, "-m", "onatool", "ui", "--port", str(port)], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=60)
            idle = rss_bytes(server.pid)
            with MemoryWatch(server.pid) as watch:
                times, failures, outside, wall, cpu = asyncio.run(
                    drive(f"http://127.0.0.1:{port}", args.sessions, args.rounds, server.pid))
            after = rss_bytes(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.sessions} concurrent sessions x {args.rounds} rounds of {', '.join(PAGES)} "
          f"on the sample project ({wall:.1f} s wall)")
    print(f"{'page':>11} {'visits':>7} {'median (s)':>11} {'p95 (s)':>9} {'max (s)':>9}")
    for name, values in times.items():
        if values:
            print(f"{name:>11} {len(values):>7} {statistics.median(values):>11.2f} "
                  f"{percentile(values, 0.95):>9.2f} {max(values):>9.2f}")
    mb = 1024 * 1024
    print(f"server memory: {idle / mb:.0f} MB idle, {watch.peak / mb:.0f} MB peak, {after / mb:.0f} MB after")
    if cpu is not None:
        print(f"server CPU: {cpu:.1f} s over {wall:.1f} s wall ({cpu / wall:.0%} of one core); "
              f"machine: {os.cpu_count()} cores, shared with the browser")
    print(f"failures: {len(failures)}; requests that tried to leave the machine: {len(outside)}")
    for failure in failures[:10]:
        print("  " + failure)
    return 1 if failures or outside else 0


if __name__ == "__main__":
    raise SystemExit(main())
