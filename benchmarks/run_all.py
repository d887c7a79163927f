"""Run every benchmark in turn (on demand, never as a unit test): ``make bench``.

Each script prints its own table; sizes are each script's defaults. The whole run takes
several minutes on a 2-core machine (the 50,000-person metrics run and the 10,000-person
map in Chromium are the longest).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["startup.py", "import.py", "matching.py", "metrics.py", "compare.py", "bench_store.py", "map_render.py", "map_web.py", "app_map.py", "load.py"]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n=== {script} ===", flush=True)
        if subprocess.call([sys.executable, str(HERE / script)], cwd=HERE.parent) != 0:
            failed.append(script)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
