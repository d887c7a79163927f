"""No third-party warning reaches the console on any real export's import.

Every case of ``../shared/realdata`` is imported by ``onatool import`` in one fresh
Python started with ``-W default`` (every warning shown, as a user's console would
show it); a marker line before each import says which case printed what. The
console must hold no warning at all: openpyxl's "Unknown extension", pandas'
FutureWarning or a DeprecationWarning are noise a user cannot act on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.realdata.test_realdata import CASES, REALDATA

ROOT = Path(__file__).resolve().parents[2]
_WARNING = re.compile(r"\b\w*Warning\b|warnings\.warn")

_SCRIPT = textwrap.dedent("""
    import sys
    from onatool.cli import app

    for case, option, path, roster, out in (line.split("\\t") for line in sys.stdin.read().splitlines()):
        print(f"=== {case}", file=sys.stderr, flush=True)
        try:
            app(["import", "--roster", roster, f"--{option}", path, "--out", out], standalone_mode=False)
        except SystemExit:
            pass
""")


def test_no_third_party_warning_on_any_real_import(tmp_path: Path) -> None:
    present = {case: spec for case, spec in CASES.items() if (REALDATA / case).is_dir()}
    if not present:
        pytest.skip(f"{REALDATA} is absent (real files are kept outside the repository)")
    lines = [f"{case}\t{option}\t{REALDATA / case / name}\t{REALDATA / case / 'roster.csv'}\t{tmp_path / case}"
             for case, (option, name) in sorted(present.items())]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONATOOL_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run([sys.executable, "-W", "default", "-c", _SCRIPT], input="\n".join(lines), env=env,
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    console = done.stdout + done.stderr
    assert done.returncode == 0, console[-3000:]
    case = "start-up"
    warned: dict[str, list[str]] = {}
    for line in console.splitlines():
        if line.startswith("=== "):
            case = line[4:]
        elif _WARNING.search(line):
            warned.setdefault(case, []).append(line.strip())
    assert not warned, f"warnings reached the console: {warned}"
    # Each case ran to its summary line (a refusal would be one line, and no summary).
    assert console.count("Written to") == len(present), console[-3000:]
