"""The whole name review in real headless Chromium, through the real pages (issue 14).

Wave 1 of a Microsoft Forms export is read through the Import page: every clear match is
accepted in one step, then one name is accepted, one chosen from the roster, one recorded
as someone not on the roster and one ignored; the wave is saved and the wizard starts
afresh. The Names page then changes a decision and re-reads the wave. Wave 2 reuses the
saved roster, recipe and decisions, nobody asked twice. Last, the Project page's Delete
asks for confirmation. Screenshots of Import, Names and Project at 1366x768 and 1440x900
go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from onatool.project import Project
from onatool.store import Workspace
from tests.support import survey_builders as sb
from tests.support.processes import running_app

PROJECT = "Names"
SIZES = ((1366, 768), (1440, 900))
ANSWERS = [sb.Response("ann.lee@acute.example", ["Bo Chan", "Jo", "M Okonkwo", "Bo", "Margaret Okonkow"]),
           sb.Response("bo.chan@council.example", ["Ann Lee", "Zoe", "Margaret Okonkow"])]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Path, Path]]:
    """``onatool ui`` over a workspace holding one empty project (stopped with its process group)."""
    folder = tmp_path_factory.mktemp("names")
    workspace = folder / "workspace.sqlite"
    Project.create(Workspace(workspace), PROJECT)
    sb.write_roster(folder / "roster.csv")
    sb.forms(folder / "forms.xlsx", ANSWERS)
    env = {**os.environ, "ONATOOL_WORKSPACE": str(workspace), "ONATOOL_HOME": str(folder / "home")}
    with running_app(env=env) as app:
        yield app.url, workspace, folder


def _idle(page) -> None:
    """Wait until the app has finished its run (no "Running..." status)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _open(page, url: str, path: str, heading: str) -> None:
    page.goto(f"{url}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
    _idle(page)


def _pick(page, label: str, option: str | re.Pattern) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` (reopened if a rerun closed it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _idle(page)
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    choice = page.get_by_role("option", name=option, exact=isinstance(option, str)).first
    for _ in range(3):
        box.click()
        try:
            choice.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            _idle(page)
            continue
        choice.click()
        break
    else:
        raise AssertionError(f"option {option!r} never appeared under {label!r}")
    _idle(page)


def _metric(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True)).first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def _shoot(page, artifacts: Path, name: str, at: str | None = None) -> None:
    """Screenshots at each size the issue names (scrolled to the text ``at``), then back to the first."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1_500)  # tables and buttons drawn
        if at is not None:
            page.get_by_text(at).first.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
        page.screenshot(path=str(artifacts / f"app_{name}_{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    _idle(page)


def _read_first_wave(page, url: str, folder: Path) -> None:
    _open(page, url, "import_data", "Import a wave")
    uploads = page.locator("input[type=file]")
    uploads.nth(0).set_input_files(str(folder / "roster.csv"))
    uploads.nth(1).set_input_files(str(folder / "forms.xlsx"))
    page.get_by_label("Wave name").fill("w1")
    page.get_by_role("button", name="Read the files").click()
    page.get_by_role("button", name="Import with these choices").click(timeout=90_000)
    page.get_by_text("Import report: wave 'w1'").wait_for(timeout=90_000)
    _idle(page)


def test_the_whole_name_review_through_import_names_and_project(served, recorded_page, artifacts):
    url, workspace, folder = served
    page = recorded_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    project = Project(Workspace(workspace), PROJECT)

    # Wave 1: one count of names awaiting a decision, with who wrote each and what tells candidates apart.
    _read_first_wave(page, url, folder)
    assert _metric(page, "Names to decide") == "5"
    assert page.get_by_text("need a person's decision").count() == 0  # one count, one home
    page.get_by_text("Written by 2 respondents").first.wait_for()  # "Margaret Okonkow", counts only
    _shoot(page, artifacts, "import_review", at="Who is each name?")

    # Accept every clear match (only "Margaret Okonkow": one candidate, close spelling).
    page.get_by_role("button", name="Accept every clear match (1)").click()
    page.wait_for_function("() => document.body.innerText.includes('Accept every clear match') === false",
                           timeout=90_000)
    _idle(page)
    assert _metric(page, "Names to decide") == "4"
    assert project.name_decisions()["margaret okonkow"].person == "E5"

    # One at a time: accept, choose, new, ignore.
    _pick(page, "'Jo'", re.compile(r"^It is Jo Smith · Acute trust"))
    _pick(page, "'M Okonkwo'", "Another person on the roster...")
    _pick(page, "Who 'M Okonkwo' is", "Margaret Okonkwo")
    _pick(page, "'Bo'", "Someone not on the roster")
    _pick(page, "'Zoe'", "Not a person in scope (ignore)")
    page.get_by_role("button", name="Apply these decisions and re-read").click()
    page.wait_for_function("() => !document.body.innerText.includes('Who is each name?')", timeout=90_000)
    _idle(page)
    assert _metric(page, "Names to decide") == "0"
    assert page.get_by_test_id("stException").count() == 0
    page.get_by_role("button", name="Save as wave").click()
    page.get_by_text("Saved wave 'w1'").wait_for(timeout=60_000)
    _idle(page)
    assert page.get_by_label("Wave name").input_value() == ""  # the wizard starts afresh
    decided = {t: (a.decision, a.person) for t, a in project.name_decisions().items()}
    assert decided == {"margaret okonkow": ("chosen", "E5"), "jo": ("chosen", "C3"),
                       "m okonkwo": ("chosen", "E5"), "bo": ("new person", None), "zoe": ("ignored", None)}

    # The Names page: revisit wave 1, change "Jo" to Jo Smyth, and the wave is read again.
    _open(page, url, "names", "Names")
    page.get_by_text("'Jo' (now: It is Jo Smith)").first.wait_for(timeout=30_000)
    _shoot(page, artifacts, "names")
    _pick(page, "'Jo' (now: It is Jo Smith)", re.compile(r"^It is Jo Smyth · Primary care"))
    page.get_by_role("button", name="Save the changes and re-read the wave").click()
    page.get_by_text("1 decision(s) saved; wave 'w1' read again").wait_for(timeout=90_000)
    _idle(page)
    page.get_by_text("'Jo' (now: It is Jo Smyth)").first.wait_for(timeout=30_000)
    assert project.name_decisions()["jo"].person == "D4"
    names = {n["raw"]: n for n in Workspace(workspace).load_report(PROJECT, "w1")["names"]}
    identities = Workspace(workspace).load_roster(PROJECT)[1]
    assert identities.loc[names["Jo"]["person_id"], "name"] == "Jo Smyth"

    # Wave 2: the saved roster and recipe (reuse ticked by default), nobody asked again.
    _open(page, url, "import_data", "Import a wave")
    assert page.get_by_role("checkbox", name="Use the project's saved recipe").is_checked()
    page.locator("input[type=file]").nth(1).set_input_files(str(folder / "forms.xlsx"))
    page.get_by_label("Wave name").fill("w2")
    page.get_by_role("button", name="Read the files").click()
    page.get_by_text("Import report: wave 'w2'").wait_for(timeout=90_000)
    _idle(page)
    assert _metric(page, "Names to decide") == "0"
    page.get_by_role("button", name="Save as wave").click()
    page.get_by_text("Saved wave 'w2'").wait_for(timeout=60_000)
    assert project.wave_names() == ["w1", "w2"]
    names = {n["raw"]: n for n in Workspace(workspace).load_report(PROJECT, "w2")["names"]}
    assert identities.loc[names["Jo"]["person_id"], "name"] == "Jo Smyth"
    assert names["Bo"]["method"] == "new" and names["Zoe"]["method"] == "ignored"

    # The Project page: Delete is secondary and asks first; "Keep it" keeps it.
    _open(page, url, "", "Project")
    _shoot(page, artifacts, "project")
    page.get_by_text("Colours: one per group, in every map, chart and report").click()
    page.get_by_text("Back to the default colours").wait_for(timeout=30_000)
    _shoot(page, artifacts, "project_colours", at="Save colours")
    delete = page.get_by_role("button", name="Delete this project...")
    assert delete.get_attribute("data-testid") == "stBaseButton-secondary"
    delete.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Delete this project?").wait_for(timeout=30_000)
    assert dialog.get_by_role("button", name="Delete for good").is_disabled()
    dialog.get_by_role("button", name="Keep it").click()
    dialog.wait_for(state="detached", timeout=30_000)
    _idle(page)
    assert [p.name for p in Workspace(workspace).projects()] == [PROJECT]
    page.get_by_role("button", name="Delete this project...").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Type the project's name to confirm").fill(PROJECT)
    dialog.get_by_label("Type the project's name to confirm").press("Enter")
    _idle(page)
    dialog.get_by_role("button", name="Delete for good").click()
    page.get_by_text(f"Project '{PROJECT}' was deleted.").first.wait_for(timeout=60_000)
    assert [p.name for p in Workspace(workspace).projects()] == []
    assert recorded_page.non_local_requests() == [] and recorded_page.page_errors == []
