"""Machine-readable benchmark results: each script writes ``benchmarks/results/<script>.json``.

``benchmarks/run_all.py`` collects them into one table of every issue-15 target. A result
file holds the load average when it was written and a list of targets, each::

    {"target": "analysis, 2,000 people: networkx subset / onatool", "value": 12.3,
     "unit": "x", "goal": ">= 10", "met": true, "detail": "onatool 1.4 s (peak 250 MB) ..."}

The folder is git-ignored: figures belong to one machine and one moment.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "results"


def load_average() -> float:
    """The one-minute load average (NaN where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return float("nan")


def target(name: str, value: float | None, unit: str, goal: str, met: bool | None, detail: str = "") -> dict:
    """One target's row: its measured value, its goal and whether the value meets it."""
    return {"target": name, "value": value, "unit": unit, "goal": goal, "met": met,
            "detail": detail, "load": round(load_average(), 2)}


def write(script: str, targets: list[dict], **extra) -> Path:
    """Write ``results/<script>.json`` (the targets, the load average, the time)."""
    FOLDER.mkdir(exist_ok=True)
    path = FOLDER / f"{script}.json"
    payload = {"script": script, "written": time.strftime("%Y-%m-%d %H:%M:%S"),
               "load": round(load_average(), 2), "targets": targets, **extra}
    path.write_text(json.dumps(payload, indent=1, default=float) + "\n")
    return path


def read_all() -> list[dict]:
    """Every result file, by script name."""
    if not FOLDER.is_dir():
        return []
    return [json.loads(p.read_text()) for p in sorted(FOLDER.glob("*.json"))]
