"""Run every benchmark, then print one table of the issue-15 targets: ``make bench``.

Benchmarks, not tests: run on demand. Usage::

    python benchmarks/run_all.py            # everything, about 10-15 minutes on 2 cores
    python benchmarks/run_all.py --quick    # smaller sizes, one run each, no browser: about 3 minutes
    python benchmarks/run_all.py --only analysis.py pages.py

Each script prints its own table and, for the targets it measures, writes
``benchmarks/results/<script>.json`` (see ``benchmarks/results.py``). After the scripts,
this prints every target measured in this run: its value, its goal, met or not, and the
load average when it was measured (the machine may be shared: a busy machine slows
everything, so a "not met" under load says little on its own).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import results  # noqa: E402

#: (script, arguments for the full run, arguments with --quick or None to skip it then).
SCRIPTS: list[tuple[str, list[str], list[str] | None]] = [
    ("startup.py", [], ["--runs", "3"]),
    ("import.py", [], ["--respondents", "500"]),
    ("matching.py", [], ["--skip-old", "--no-traced"]),
    ("analysis.py", [], ["--quick"]),
    ("metrics.py", ["--sizes", "500", "2000", "--networkx-limit", "500"], None),
    ("pages.py", [], ["--quick"]),
    ("compare.py", [], None),
    ("bench_store.py", [], None),
    ("regress.py", [], None),  # the cohort regression's benchmark, when present
    ("map_render.py", [], None),
    ("map_web.py", [], None),  # WebGL map in headless Chromium
    ("app_map.py", [], None),
    ("load.py", ["--sessions", "4", "--rounds", "2"], None),
]


def table(rows: list[dict]) -> str:
    """The targets as a plain-text table."""
    header = ("target", "value", "goal", "met", "load", "detail")
    lines = []
    for row in rows:
        value = row["value"]
        shown = "-" if value is None else f"{value:g} {row['unit']}".strip()
        met = "-" if row["met"] is None else "met" if row["met"] else "NOT met"
        lines.append((row["target"], shown, row["goal"], met, f"{row['load']:.1f}", row.get("detail", "")))
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(5)]
    out = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=False)) + "  detail",
           "  ".join("-" * w for w in widths) + "  ------"]
    for line in lines:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)) + "  " + line[5])
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller, single runs; skips browser benchmarks")
    parser.add_argument("--only", nargs="+", metavar="SCRIPT", help="run only these scripts")
    args = parser.parse_args(argv)
    started = time.time()
    load_before = results.load_average()
    failed = []
    for script, full, quick in SCRIPTS:
        if args.only and script not in args.only:
            continue
        if not (HERE / script).exists():
            continue
        extra = quick if args.quick else full
        if extra is None:
            print(f"\n=== {script}: skipped with --quick ===", flush=True)
            continue
        print(f"\n=== {script} {' '.join(extra)} ===", flush=True)
        began = time.perf_counter()
        if subprocess.call([sys.executable, str(HERE / script), *extra], cwd=HERE.parent) != 0:
            failed.append(script)
        print(f"({script}: {time.perf_counter() - began:.0f} s)", flush=True)

    measured = [r for r in results.read_all() if os.path.getmtime(results.FOLDER / f"{r['script']}.json") >= started]
    rows = [t for r in measured for t in r["targets"]]
    print(f"\n=== Issue-15 targets ({os.cpu_count()} cores; load average {load_before:.1f} at the start, "
          f"{results.load_average():.1f} at the end; whole run {(time.time() - started) / 60:.1f} min) ===")
    print(table(rows) if rows else "No target was measured.")
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
