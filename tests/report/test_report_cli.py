"""``onatool report`` on the sample partnership: every output, names only where revealed."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool.cli import app
from onatool.sample import sample_dir

pytest.importorskip("onatool.metrics", reason="onatool.metrics (the metrics helper's branch) not merged yet")
pytest.importorskip("onatool.compare", reason="onatool.compare (the change helper's branch) not merged yet")

runner = CliRunner()


def _text(path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    else:
        text = path.read_bytes().decode("utf-8", "replace")
    return text.replace("&amp;", "&").replace("&apos;", "'").replace("&#39;", "'").replace("&quot;", '"')


def _names() -> list[str]:
    roster = pd.read_csv(sample_dir() / "roster.csv", dtype=str)
    return list(roster["name"])


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("out")
    folder = sample_dir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ONATOOL_HOME", str(home))
        result = runner.invoke(app, [
            "report", "--roster", str(folder / "roster.csv"), "--ties", str(folder / "ties_baseline.csv"),
            "--ties", str(folder / "ties_final.csv"), "--out", str(out), "--project", "northmoor",
            "--relation", "advice", "--no-pdf", "--cohort", "Leadership programme 1"])
    assert result.exit_code == 0, result.output
    return out, home


def test_every_output_is_written(outputs):
    out, _ = outputs
    for name in ("report.html", "onatool_final.xlsx", "onatool_final.graphml",
                 "onatool_final.gexf", "onatool_final_kumu.json", "onatool_final_kumu.xlsx",
                 "dpia_summary.md", "dpia_summary.json", "csv/people.csv", "csv/change.csv",
                 "maps/onatool_final_map.png", "maps/onatool_final_map.svg"):
        assert (out / name).stat().st_size > 0, name
    dpia = json.loads((out / "dpia_summary.json").read_text())
    assert dpia["names"]["revealed_in_this_run"] is False and dpia["suppression"]["threshold"] == 5
    report = (out / "report.html").read_text()
    assert "Change since baseline" in report and "Leadership programme" in report


def test_no_name_anywhere_by_default(outputs):
    out, home = outputs
    names = _names()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = _text(path)
        leaked = [n for n in names if n in text]
        assert not leaked, (path.name, leaked[:3])
    assert not (home / "audit.log").exists()


def test_reveal_names_reaches_analyst_exports_only_and_is_audited(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    folder, out = sample_dir(), tmp_path / "out"
    result = runner.invoke(app, [
        "report", "--roster", str(folder / "roster.csv"), "--ties", str(folder / "ties_final.csv"),
        "--out", str(out), "--project", "northmoor", "--reveal-names", "--user", "analyst-1", "--no-pdf",
        "--k", "8"])
    assert result.exit_code == 0, result.output
    names = _names()
    # Named exports only in a private folder, never beside the report and the shareable files.
    private = next((tmp_path / "home" / "private").rglob("onatool_final.xlsx"))
    assert not private.is_relative_to(out)
    assert sum(n in _text(private) for n in names) > 150
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        assert not [n for n in names if n in _text(path)], path.name
    # The project lives in the workspace, so the reveal is in the workspace's audit log.
    from onatool.store import Workspace, default_path

    log = Workspace(default_path()).audit_log("northmoor")
    assert [(e["user"], e["action"]) for e in log.to_dict("records")] == [("analyst-1", "names revealed")]
    shown = log.to_json(date_format="iso")
    assert not any(n in shown for n in names)
    dpia = json.loads((out / "dpia_summary.json").read_text())
    assert dpia["names"]["revealed_in_this_run"] is True and dpia["suppression"]["threshold"] == 8


def test_report_needs_a_ties_file(tmp_path):
    result = runner.invoke(app, ["report", "--roster", str(sample_dir() / "roster.csv"), "--out", str(tmp_path)])
    assert result.exit_code != 0 and "--responses" in result.output
