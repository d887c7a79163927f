"""Start-up, as a user feels it: whole processes, median of several runs (a benchmark, not a test).

- ``onatool --help`` against a minimal Typer app's ``--help`` (target: within 1.5x);
- a 200-person canonical import (roster and ties files) as a whole process (target: under 1 s),
  against the same process doing nothing but start Python.

Run: ``.venv/bin/python benchmarks/startup.py [--runs 7]``. The load average is printed beside
the figures, since a busy 2-core machine moves them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results

MINIMAL_TYPER = '''
import typer
app = typer.Typer()

@app.command()
def hello(name: str = "x"):
    """Say hello."""

@app.command()
def bye(name: str = "x"):
    """Say bye."""

app()
'''


#: Median CPU seconds (user + system) of each command timed, in the order timed.
CPU: dict[str, float] = {}


def _median_seconds(command: list[str], runs: int, cwd: Path) -> float:
    """Median wall seconds of ``runs`` runs (after one warm-up); the median CPU goes to :data:`CPU`."""
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    CPU[" ".join(command)] = statistics.median(cpus)
    return statistics.median(times)


def _write_place(folder: Path, people: int = 200, seed: int = 0) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    orgs = [f"Organisation {k}" for k in range(10)]
    roster = ["id,name,organisation,level"]
    for i in range(people):
        level = rng.choice(["top", "middle", "bottom"], p=[0.1, 0.3, 0.6])
        roster.append(f"P{i:04d},Person {i},{orgs[i % 10]},{level}")
    ties = ["source,target,relation,weight"]
    for i in range(people):
        for j in rng.choice(people, 8, replace=False):
            if j != i:
                ties.append(f"P{i:04d},P{j:04d},advice,1")
    (folder / "roster.csv").write_text("\n".join(roster) + "\n")
    (folder / "ties.csv").write_text("\n".join(ties) + "\n")
    return folder / "roster.csv", folder / "ties.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    python = sys.executable
    onatool = [python, "-m", "onatool"]
    # A user's Python keeps compiled bytecode; a session that sets PYTHONDONTWRITEBYTECODE would
    # time compiling onatool's own modules on every start instead. The first run of each
    # command below writes the caches.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "mini.py").write_text(MINIMAL_TYPER)
        roster, ties = _write_place(folder)
        env_home = folder / "home"
        os.environ["ONATOOL_HOME"] = str(env_home)
        rows = [
            ("python -c pass", _median_seconds([python, "-c", "pass"], args.runs, folder), None),
            ("minimal Typer app --help", _median_seconds([python, str(folder / "mini.py"), "--help"], args.runs,
                                                         folder), None),
            ("onatool --help", _median_seconds([*onatool, "--help"], args.runs, folder), None),
            ("onatool import, 200 people", _median_seconds(
                [*onatool, "import", "--roster", str(roster), "--ties", str(ties), "--out", str(folder / "out")],
                max(3, args.runs // 2), folder), 1.0),
        ]
    load = os.getloadavg()[0]
    typer_help = rows[1][1]
    print(f"Start-up, median of {args.runs} runs (load average {load:.1f}):")
    print(f"{'what':<32} {'seconds':>8} {'ratio':>8}  target")
    for what, seconds, target in rows:
        ratio = seconds / typer_help if "help" in what else None
        target_text = ("within 1.5x the Typer app" if what == "onatool --help" else
                       f"under {target:g} s" if target else "")
        verdict = ""
        if what == "onatool --help":
            verdict = "met" if seconds <= 1.5 * typer_help else "missed"
        elif target:
            verdict = "met" if seconds < target else "missed"
        print(f"{what:<32} {seconds:>8.3f} {ratio and f'{ratio:.2f}x' or '':>8}  {target_text} {verdict}")
    help_seconds, import_seconds = rows[2][1], rows[3][1]
    cpu = list(CPU.values())  # in the order run: pass, Typer, --help, import
    print(f"CPU seconds (user + system, median): python -c pass {cpu[0]:.3f}, Typer app --help {cpu[1]:.3f}, "
          f"onatool --help {cpu[2]:.3f}, import {cpu[3]:.3f}")
    results.write("startup", [
        results.target("start-up: onatool --help / minimal Typer app --help", round(help_seconds / typer_help, 2),
                       "x", "<= 1.5", help_seconds <= 1.5 * typer_help,
                       f"onatool {help_seconds:.3f} s, Typer app {typer_help:.3f} s; CPU {cpu[2]:.3f} / {cpu[1]:.3f} s"),
        results.target("start-up: 200-person canonical import, whole process", round(import_seconds, 2), "s",
                       "< 1", import_seconds < 1.0, f"CPU {cpu[3]:.2f} s; python -c pass {rows[0][1]:.3f} s"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
