"""Every app page at 2,000 people, cold and warm (issue 15, item 4).

Run from the repository root::

    python benchmarks/pages.py                # 2,000 people, two waves, every page
    python benchmarks/pages.py --people 500 --pages people boundaries

A fresh workspace holds one project with two waves of the seeded partnership of
``benchmarks/metrics.py`` (the second keeps 70% of the first's ties and adds as many new
ones), imported and saved through :class:`onatool.project.Project` as the Import page does.
Each page is then rendered in this process by Streamlit's ``AppTest`` (the real ``app.py``:
sidebar, gate, page script; no browser, so no network transfer and no drawing in a web
page: those are ``benchmarks/load.py`` and ``benchmarks/app_map.py``):

- *cold*: every Streamlit cache cleared first, so the page pays for loading the wave,
  the analysis (and, on Change, the comparison), the layout and its charts;
- *warm*: the page opened again in the same session, so what is cached per wave and
  relation is reused, as when a person moves between pages.

Target: every page within 1 s warm at 2,000 people (the analysis itself, computed once per
wave and relation, is the cold figure). Times are best of ``--runs`` warm renders; the load
average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import results  # noqa: E402
from analysis import write_files  # noqa: E402

PAGES = ("project", "map", "people", "boundaries", "levels", "health", "change", "export", "about",
         "import_data")
PROJECT = "Benchmark partnership"


def make_workspace(folder: Path, people: int, seed: int = 0) -> str:
    """A workspace with one project and two saved waves of ``people`` people."""
    import pandas as pd

    from onatool.project import Project
    from onatool.store import Workspace

    roster, ties = write_files(people, folder, seed)
    first = pd.read_csv(ties)
    rng = np.random.default_rng(seed + 1)
    kept = first[rng.random(len(first)) < 0.7]
    fresh = pd.DataFrame({"source": rng.choice(first["source"].unique(), len(first) - len(kept)),
                          "target": rng.choice(first["target"].unique(), len(first) - len(kept)),
                          "relation": "advice", "weight": 1.0})
    second = pd.concat([kept, fresh[fresh["source"] != fresh["target"]]]).drop_duplicates(["source", "target"])
    second_path = folder / "ties_wave2.csv"
    second.to_csv(second_path, index=False)
    path = str(folder / "workspace.sqlite")
    workspace = Workspace(path)
    project = Project.create(workspace, PROJECT)
    for wave, answers in (("wave 1", ties), ("wave 2", second_path)):
        project.save_wave(project.read_wave(answers, wave=wave, roster_file=roster))
    return path


def render(page: str, *, wave: str) -> tuple[float, float]:
    """Wall and CPU seconds of opening ``page`` in a new session (raises on an error).

    The whole ``app.py`` run is timed (sidebar, gate, page), after the session's first run.
    The script runs in a thread of this process, so its CPU time is this process's.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["project"] = PROJECT
    at.session_state["wave"] = wave
    at.run()  # the session's first run draws the Project page; the page timed is switched to
    start, cpu = time.perf_counter(), time.process_time()
    at.switch_page(f"onatool/app/pages/{page}.py").run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    parser.add_argument("--runs", type=int, default=2, help="warm renders per page (best is kept)")
    parser.add_argument("--quick", action="store_true", help="one warm render per page")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    import logging

    import streamlit as st

    logging.disable(logging.WARNING)  # AppTest's "no runtime" notices, once per cached call

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["ONATOOL_HOME"] = str(folder / "home")
        start = time.perf_counter()
        os.environ["ONATOOL_WORKSPACE"] = make_workspace(folder, args.people)
        print(f"Workspace with two {args.people:,}-person waves made in {time.perf_counter() - start:.1f} s; "
              "pages rendered in this process by Streamlit's AppTest (no browser).", flush=True)
        render("project", wave="wave 2")  # imports and Streamlit's own start-up, not a page's cost
        rows, targets = [], []
        print(f"{'page':<12} {'cold s':>7} {'warm s':>7} {'warm CPU s':>10}  load", flush=True)
        for page in args.pages:
            st.cache_data.clear()
            st.cache_resource.clear()
            cold, _ = render(page, wave="wave 2")
            warm, warm_cpu = min(render(page, wave="wave 2") for _ in range(runs))
            load = results.load_average()
            rows.append({"page": page, "cold": cold, "warm": warm, "warm_cpu": warm_cpu, "load": load})
            print(f"{page:<12} {cold:>7.2f} {warm:>7.2f} {warm_cpu:>10.2f}  {load:.1f}", flush=True)
            targets.append(results.target(f"page {page}, {args.people:,} people, warm", round(warm, 2), "s",
                                          "< 1", warm < 1.0,
                                          f"CPU {warm_cpu:.2f} s; cold {cold:.2f} s (analysis included)"))
    path = results.write("pages", targets, rows=rows, people=args.people)
    print(f"Results in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
