"""One test per privacy defect of issue 11, each written against what a person sees or gets.

The partnership: organisations of 14, 1, 3, 9 and 5 people and a single top (see
tests/share/surfaces.py); k = 5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from onatool.cli import app as cli
from onatool.cli import read_answers
from onatool.metrics import analyse
from onatool.outputs.exports import write_exports
from onatool.outputs.html import report_context
from onatool.outputs.provenance import Provenance
from onatool.project import Project
from tests.share.surfaces import PROJECT, save_workspace

ROOT = Path(__file__).resolve().parents[2]
K = 5



@pytest.fixture(scope="module")
def wave(partnership, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ONATOOL_HOME", str(tmp_path_factory.mktemp("home")))
        with Project.throwaway(PROJECT) as project:
            result = read_answers(partnership.roster, project=project, ties=partnership.waves[-1],
                                  wave="follow-up")
    network = result.network.layer("advice")
    return result, network, analyse(network)


def _cli(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def test_report_levels_table_agrees_with_its_response_table_and_never_shows_the_lone_top(wave):
    _, network, analysis = wave
    context = report_context(network, Provenance("follow-up", relation="advice"), analysis=analysis, charts=False)
    responses = next(r for r in context["responses"] if r["attribute"] == "level")
    response_groups = {row[0] for row in responses["table"]["rows"]}
    assert "top" not in response_groups and "Other" in response_groups  # the response table merges it
    levels = context["levels"]
    table = levels["table"]
    shown = set(table["columns"][1:]) | {row[0] for row in table["rows"]}
    assert "top" not in shown
    assert shown <= response_groups  # one rule: the same groups in both tables
    tops = next(r for r in levels["rows"] if r["name"] == "Tops connected across organisations")
    assert tops["value"] == "–" and "Not shown" in tops["sentence"]


def test_health_and_levels_csv_name_no_one_person_group(wave, tmp_path, partnership):
    result, network, analysis = wave
    files = write_exports(tmp_path, network, Provenance("follow-up", relation="advice"), analysis=analysis,
                          include=["csv"])
    text = {p.name: p.read_text(encoding="utf-8-sig") for p in files["csv"]}
    lone = next(iter(g for g, n in partnership.sizes("organisation").items() if n == 1))
    assert lone not in text["health.csv"] and '"top"' not in text["health.csv"]
    assert '"top"' not in text["levels.csv"]
    # The inclusion table for organisation still shows the large groups, and "Other".
    assert "Other" in text["health.csv"]


def test_boundaries_page_lets_no_hidden_group_be_worked_out_by_subtraction(partnership, tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(save_workspace(partnership, tmp_path)))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["project"] = PROJECT
    at.run()
    at.switch_page("onatool/app/pages/boundaries.py").run()
    assert not at.exception
    groups = next(d.value for d in at.dataframe if d.value.index.name == "organisation")
    total = len(partnership.people)
    assert int(groups["size"].sum()) == total  # nothing left to subtract
    assert (groups["size"] >= K).all() and "Other" in groups.index
    assert not partnership.small("organisation") & set(groups.index)


def test_analyse_compare_import_are_suppressed_by_default_and_analyst_is_private_and_audited(partnership, tmp_path):
    small = partnership.small("organisation")
    out = tmp_path / "analysis"
    _cli("analyse", "--roster", partnership.roster, "--ties", partnership.waves[-1], "--out", out,
         "--relation", "advice")
    groups = pd.read_csv(out / "groups_organisation.csv", index_col=0, comment="#")
    assert not small & set(groups.index) and "Other" in groups.index
    assert json.loads((out / "levels.json").read_text())["top_peer_density_cross_org"]["value"] is None
    assert not (tmp_path / "home" / "private").exists()

    _cli("analyse", "--roster", partnership.roster, "--ties", partnership.waves[-1], "--out", tmp_path / "again",
         "--relation", "advice", "--analyst", "--user", "ana")
    private = next((tmp_path / "home" / "private").rglob("groups_organisation.csv"))
    assert small <= set(pd.read_csv(private, index_col=0, comment="#").index)
    assert not private.is_relative_to(tmp_path / "again")
    assert oct(private.parent.stat().st_mode & 0o777) == "0o700"
    log = (tmp_path / "home" / "audit.log").read_text()
    assert '"analyst outputs written"' in log and '"ana"' in log


def test_person_level_exports_single_nobody_out_by_their_attributes(wave, tmp_path):
    _, network, analysis = wave
    files = write_exports(tmp_path, network, Provenance("follow-up", relation="advice"), analysis=analysis,
                          include=["csv", "excel"])
    people = pd.read_csv(tmp_path / "csv" / "people.csv", comment="#")
    attributes = [a for a in ("organisation", "sector", "profession", "level", "place") if a in people.columns]
    assert attributes, "the export should still carry some attributes"
    assert people[attributes].astype(str).value_counts().min() >= K
    # The file says what was merged or left out.
    params = json.loads((tmp_path / "csv" / "parameters.json").read_text())
    assert params["person-level notes"]
    sheet = pd.read_excel(files["excel"][0], sheet_name="people")
    assert sheet[attributes].astype(str).value_counts().min() >= K


def test_app_switches_streamlits_table_download_off_and_offers_an_audited_one(partnership, tmp_path,
                                                                             monkeypatch):
    from streamlit import config

    ws_path = save_workspace(partnership, tmp_path)
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(ws_path))
    config.set_option("client.disableDataExport", False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["project"] = PROJECT
    at.run()
    at.switch_page("onatool/app/pages/health.py").run()
    assert not at.exception
    assert config.get_option("client.disableDataExport") is True, "Streamlit's table download is still on"
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download this table (CSV)"]
    assert buttons
    # Our pages show tables only through widgets.table (the gated, audited download).
    for page in ("boundaries", "levels", "health", "people", "map", "export"):
        source = (ROOT / "onatool" / "app" / "pages" / f"{page}.py").read_text()
        assert "st.dataframe(" not in source, page


def test_app_export_with_names_keeps_them_out_of_the_shareable_bundle(partnership, tmp_path, monkeypatch):
    import io
    import zipfile

    from onatool.store import Workspace

    ws_path = save_workspace(partnership, tmp_path)
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(ws_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["project"] = PROJECT
    at.run()
    at.sidebar.toggle(key="reveal_names").set_value(True).run()
    at.switch_page("onatool/app/pages/export.py").run()
    at.toggle(key="export_names").set_value(True).run()
    at.button(key="export_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    bundle = at.session_state["_export_bundle"]
    names = set(partnership.people["name"])

    def texts(data: bytes) -> str:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                             if not n.endswith((".png", ".pdf")))

    assert not [n for n in names if n in texts(bundle["zip"])]
    assert [n for n in names if n in texts(bundle["named"])]
    actions = list(Workspace(ws_path).audit_log(PROJECT)["action"])
    assert actions.count("names revealed") >= 2  # the switch, and the export with names
