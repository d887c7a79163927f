"""Payloads typed into names, organisations, cohorts, wave and project names, free text and
recipes come out of every page, map, report and export as the text they are, and do nothing.

The browser half (no script runs, no request leaves) is ``tests/browser/test_hostile_app.py``.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from onatool.cli import app as cli
from onatool.io import (
    ImportReport,
    ImportResult,
    Roster,
    import_responses,
    load_recipe,
    read_roster,
    save_recipe,
)
from onatool.io.detect import detect, recipe_from_detection
from onatool.io.recipe import Recipe
from onatool.outputs.files import safe_frame
from onatool.outputs.pipeline import produce_outputs
from onatool.project import Project
from onatool.share.disclosure import Disclosure
from onatool.store import Workspace
from tests.hostile import hostile_data as hd
from tests.hostile.corpus import write_csv
from tests.hostile.inert import (
    check_csv_text,
    check_folder,
    check_html,
    check_markdown,
    intact,
    unescape_markdown,
)
from tests.hostile.payloads import DANGEROUS_MARKUP, PAYLOADS

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["project", "import_data", "map", "people", "boundaries", "levels", "health", "change", "export",
         "about"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Workspace:
    folder = tmp_path_factory.mktemp("hostile")
    return hd.build(folder / "files", folder / "workspace.sqlite")


@pytest.fixture(scope="module")
def results(hostile) -> list[ImportResult]:
    """The hostile project's waves, as the export page hands them to the pipeline."""
    roster = Roster(*hostile.load_roster(hd.PROJECT))
    return [ImportResult(hostile.load_wave(hd.PROJECT, w), roster, ImportReport()) for w in hd.WAVES]


# The app -----------------------------------------------------------------------------------


def test_no_page_can_render_raw_html_or_script():
    """Survey text reaches pages only through elements that show it as text."""
    sources = [ROOT / "app.py", *sorted((ROOT / "onatool" / "app").rglob("*.py"))]
    pattern = re.compile(r"unsafe_allow_html|unsafe_allow_javascript|st\.html\(|components\.(v1\.)?html|"
                         r"st\.components")
    found = [f"{p.name}:{n}" for p in sources for n, line in enumerate(p.read_text().splitlines(), 1)
             if pattern.search(line)]
    assert found == []


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def markdown_texts(at: AppTest) -> list[str]:
    """Every string a page renders as Markdown: bodies, labels and help of every element."""
    texts = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        for field in ("body", "label", "help", "caption"):
            value = getattr(proto, field, None) if proto is not None else None
            if isinstance(value, str) and value:
                texts.append(value)
    return texts


@pytest.fixture
def open_page(hostile, monkeypatch):
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(hostile.path))

    def _open(page: str, **state) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in {"project": hd.PROJECT, **state}.items():
            at.session_state[key] = value
        at.run()
        at.switch_page(f"onatool/app/pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return _open


@pytest.mark.parametrize("names", [False, True], ids=["workshop", "names revealed"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_payloads_as_text(open_page, page, names, tally):
    at = open_page(page, workshop=not names, reveal_names=names)
    texts = markdown_texts(at)
    for text in texts:
        check_markdown(text, page)
    shown = "\n".join(unescape_markdown(t) for t in texts)
    tally("payloads x app pages", len(hd.TEXTS))
    if page in ("project", "import_data"):
        assert hd.PROJECT in shown  # the project's name, shown as the text it is
    if page == "change":
        assert hd.COHORT in shown
    for frame in at.get("iframe"):
        check_html(frame.proto.srcdoc, f"{page} map")


def test_people_table_holds_names_and_organisations_exactly(open_page):
    at = open_page("people", workshop=False, reveal_names=True)
    table = at.dataframe[0].value
    assert set(table.index) == set(hd.SHOWN_NAMES)  # each name exactly, as text
    assert set(table["organisation"]) == set(hd.ORGANISATIONS)


def test_map_carries_names_as_data_not_markup(open_page):
    # The map is the WebGL component: names reach it as JSON data (its page, fixed and inert, is
    # checked in tests/viz/test_webmap.py; in a browser, in tests/browser/test_map_webgl.py).
    at = open_page("map", workshop=False, reveal_names=True)
    payload = json.loads(at.get("component_instance")[0].proto.json_args)["payload"]
    assert set(payload["style"]["label"]) == set(hd.SHOWN_NAMES)


def test_the_export_page_bundle_is_inert(open_page, tmp_path, tally):
    at = open_page("export", workshop=False, reveal_names=True)
    at.toggle(key="export_names").set_value(True).run()
    at.button(key="export_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    bundle = at.session_state["_export_bundle"]
    # Names travel in a download of their own (the analyst files), never in the shareable bundle.
    for name in ("zip", "named"):
        (tmp_path / f"{name}.zip").write_bytes(bundle[name])
        with zipfile.ZipFile(tmp_path / f"{name}.zip") as archive:
            archive.extractall(tmp_path / "bundle" / name)
    files, text = check_folder(tmp_path / "bundle")
    assert {p.suffix for p in files} >= {".html", ".csv", ".xlsx", ".graphml", ".gexf", ".json"}
    found = intact(hd.NAMES, text)
    assert set(hd.NAMES) <= set(found)  # names asked for, and each one written as text
    check_html(bundle["report"].decode(), "report download")
    tally("payloads x app export files", len(found) * len(files))


def test_the_app_csv_download_helper_neutralises_formulas():
    frame = pd.DataFrame({"name": list(PAYLOADS), "weight": [-0.5] * len(PAYLOADS)},
                         index=pd.Index(list(PAYLOADS), name="person"))
    cells = check_csv_text(safe_frame(frame).to_csv())
    assert "-0.5" in cells and "'=HYPERLINK" in "".join(cells)


# Report and exports ------------------------------------------------------------------------


def test_report_and_every_export_keep_payloads_inert(results, tmp_path, tally):
    named = Disclosure().reveal_names(user="tester", project="t", audit=lambda *a: None)
    produce_outputs(results, tmp_path / "out", project=hd.PROJECT, disclosure=Disclosure(k=5),
                    export_disclosure=named, pdf=False, title=hd.PROJECT, analyst_folder=tmp_path / "named")
    files, text = check_folder(tmp_path)
    kinds = {p.suffix for p in files}
    assert {".html", ".csv", ".xlsx", ".graphml", ".gexf", ".json"} <= kinds
    # The payloads are there, as text: names in the analyst files, organisations everywhere.
    assert set(hd.NAMES) <= set(intact(hd.NAMES, text))
    report = html.unescape((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    assert hd.PROJECT in report and all(o in report for o in hd.ORGANISATIONS)
    tally("payloads x report and exports", len(hd.TEXTS) * len(files))


# The command line --------------------------------------------------------------------------


@pytest.fixture
def hostile_files(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(tmp_path / "home" / "no-workspace.sqlite"))
    roster = write_csv(tmp_path / "roster.csv", hd.roster_rows())
    waves = [write_csv(tmp_path / f"wave{n}.csv", hd.tie_rows(n)) for n in range(2)]
    return roster, waves


@pytest.mark.parametrize("command", ["import", "analyse", "compare", "report", "survey"])
def test_every_cli_output_is_inert(command, hostile_files, tmp_path, tally):
    roster, (first, second) = hostile_files
    out = tmp_path / "out"
    args = {
        "import": ["import", "--roster", roster, "--ties", first, "--out", out, "--identifiable"],
        "analyse": ["analyse", "--roster", roster, "--ties", first, "--out", out, "--identifiable"],
        "compare": ["compare", "--roster", roster, "--ties", first, "--ties", second, "--out", out,
                    "--cohort", hd.COHORT],
        "report": ["report", "--roster", roster, "--ties", first, "--ties", second, "--out", out, "--no-pdf",
                   "--title", hd.PROJECT, "--reveal-names", "--user", "tester"],
        "survey": ["survey", "--roster", roster, "--out", out],
    }[command]
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    files, text = check_folder(out)
    assert files
    if command != "compare":  # compare's tables are about ties and groups, not names
        assert intact(hd.NAMES + hd.ORGANISATIONS, text)
    tally("payloads x CLI output files", len(hd.TEXTS) * len(files))


# Recipes and free text -----------------------------------------------------------------------


def test_recipe_fields_and_free_text_stay_text(tmp_path, tally):
    """A Forms export whose question, answers and relation label are payloads, saved with its recipe."""
    roster_file = write_csv(tmp_path / "roster.csv", hd.roster_rows())
    question = "Who do you go to for advice? " + PAYLOADS[0]
    comments = "Any comments? " + PAYLOADS[3]
    header = ["ID", "Start time", "Completion time", "Email", "Name", question, comments]
    rows = [header] + [[str(n), "1/2/25 09:00:00", "1/2/25 09:05:00", f"h{n:02d}@example.nhs.uk", name,
                        f"{hd.NAMES[(n + 1) % len(hd.NAMES)]};{hd.NAMES[(n + 2) % len(hd.NAMES)]};",
                        PAYLOADS[n % len(PAYLOADS)]]
                       for n, name in enumerate(hd.NAMES)]
    export = write_csv(tmp_path / "forms.csv", rows)
    ws = Workspace(tmp_path / "ws.sqlite")
    ws.create_project("R")
    roster = read_roster(roster_file, key=ws.project_key("R"))
    found = detect(export, roster=roster)
    recipe = recipe_from_detection(found, relations={question: "advice", comments: None},
                                   relation_metadata={"advice": {"label": PAYLOADS[1]}})
    result = import_responses(roster, export, key=ws.project_key("R"), recipe=recipe, wave=PAYLOADS[2])
    assert result.network.n_ties > 0 and result.report.balanced()
    Project(ws, "R").save_wave(result)
    saved = Recipe.from_dict(ws.load_recipe("R", "latest"))
    assert saved == recipe and saved.questions[0].question == question
    assert ws.load_wave("R", PAYLOADS[2]).relations["advice"].label == PAYLOADS[1]
    path = save_recipe(recipe, tmp_path / "recipe.yaml")
    assert load_recipe(path) == recipe and "!!python" not in path.read_text()
    assert yaml.safe_load(path.read_text())["questions"][0]["question"] == question
    markdown = result.report.to_markdown()
    check_markdown(markdown, "import report")
    for markup in DANGEROUS_MARKUP:
        assert markup not in markdown
    tally("payloads x recipe and free text", len(PAYLOADS))
