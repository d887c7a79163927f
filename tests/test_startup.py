"""Start-up: ``onatool --help`` and argument errors import no analysis stack (issue: fast at
every step). Checked in a fresh process, since this test run has imported everything already."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("igraph", "pandas", "numpy", "matplotlib", "networkx", "statsmodels", "jinja2", "plotly",
         "streamlit", "openpyxl", "rapidfuzz")

# main() ends the process without Python's teardown (cli._leave): the probe runs the commands.
_PROBE = """
import sys
sys.argv = ["onatool", *{args!r}]
from onatool import cli
cli.run()
print("LOADED", [m for m in {heavy!r} if sys.modules.get(m) is not None])
"""


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["analyse", "--help"],
                                  ["compare", "--help"], ["analyse", "--no-such-option"]],
                         ids=lambda a: " ".join(a))
def test_help_and_argument_errors_import_no_analysis_stack(args):
    done = subprocess.run([sys.executable, "-c", _PROBE.format(args=args, heavy=HEAVY)],
                          capture_output=True, text=True, timeout=60)
    loaded = [line for line in done.stdout.splitlines() if line.startswith("LOADED")]
    assert loaded == ["LOADED []"], done.stdout + done.stderr


def test_the_package_root_loads_its_api_on_first_use():
    probe = ("import sys, onatool; before = 'pandas' in sys.modules; onatool.Network; "
             "print(before, 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "True"], done.stderr


def test_igraph_loads_without_its_drawing_backends_and_matplotlib_still_works():
    probe = ("import sys; import onatool.engine as e; print('matplotlib' in sys.modules); "
             "import matplotlib.pyplot; print(e.ig.Graph.Famous('Zachary').vcount())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "34"], done.stderr


def test_an_import_reads_and_writes_tables_without_loading_igraph_or_pyarrow(tmp_path):
    (tmp_path / "roster.csv").write_text("id,name,organisation\nA,Ann Lee,X\nB,Bo Chan,Y\n")
    (tmp_path / "ties.csv").write_text("source,target\nA,B\n")
    args = ["import", "--roster", str(tmp_path / "roster.csv"), "--ties", str(tmp_path / "ties.csv"),
            "--out", str(tmp_path / "out")]
    probe = _PROBE.format(args=args, heavy=("igraph", "networkx", "matplotlib", "statsmodels", "pyarrow"))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "ONATOOL_HOME": str(tmp_path / "home")})
    assert "LOADED []" in done.stdout, done.stdout + done.stderr
    assert (tmp_path / "out" / "people.csv").exists()


def test_a_command_ends_without_teardown_yet_keeps_its_output_and_exit_code(tmp_path):
    (tmp_path / "roster.csv").write_text("id,name,organisation\nA,Ann Lee,X\nB,Bo Chan,Y\n")
    (tmp_path / "ties.csv").write_text("source,target\nA,B\n")
    env = {**__import__("os").environ, "ONATOOL_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "onatool", "import", "--roster", str(tmp_path / "roster.csv"), "--out",
               str(tmp_path / "out")]
    done = subprocess.run([*command, "--ties", str(tmp_path / "ties.csv")], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "Written to" in done.stdout + done.stderr  # flushed, though the output is a pipe
    assert (tmp_path / "out" / "parameters.json").is_file()
    failed = subprocess.run([*command, "--ties", str(tmp_path / "missing.csv")], capture_output=True, text=True,
                            timeout=120, env=env)
    assert failed.returncode == 2 and "missing.csv: file not found" in failed.stdout + failed.stderr
    message = subprocess.run([sys.executable, "-c", "from onatool.cli import _leave; _leave('stopped')"],
                             capture_output=True, text=True, timeout=60)
    assert message.returncode == 1 and message.stderr.strip() == "stopped"


def test_a_command_without_pyarrow_writes_what_it_writes_with_it(tmp_path, monkeypatch):
    # The command line hides pyarrow from pandas (cli._hide_arrow); this process has it.
    import os
    from pathlib import Path

    from typer.testing import CliRunner

    from onatool.cli import app

    sample = Path(__file__).resolve().parents[1] / "sample_data"
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    args = ["analyse", "--roster", str(sample / "roster.csv"), "--ties", str(sample / "ties_baseline.csv"),
            "--project", "Fellside", "--resamples", "50"]
    assert CliRunner().invoke(app, [*args, "--out", str(tmp_path / "with")]).exit_code == 0
    done = subprocess.run([sys.executable, "-m", "onatool", *args, "--out", str(tmp_path / "without")],
                          capture_output=True, text=True, timeout=300, env={**os.environ})
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(tmp_path / "with") for p in (tmp_path / "with").rglob("*.csv"))
    assert len(written) > 10
    assert written == sorted(p.relative_to(tmp_path / "without") for p in (tmp_path / "without").rglob("*.csv"))
    for name in written:
        assert (tmp_path / "with" / name).read_bytes() == (tmp_path / "without" / name).read_bytes(), name
