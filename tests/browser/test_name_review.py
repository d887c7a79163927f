"""The import wizard's name review in real headless Chromium (issue 11).

A person accepts one candidate ("It is Jo Smith"), chooses another roster person for a
second name and records a third as someone not on the roster; the decisions are saved
in the project, and the next wave is read with them, nobody asked twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from onatool.project import Project
from onatool.store import Workspace
from tests.support import survey_builders as sb
from tests.support.browser import free_port, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "Names"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Path, Path]]:
    """Streamlit on a free localhost port over a workspace holding one empty project.

    Started in its own process group, and the whole group is stopped afterwards, so no
    server is left running.
    """
    folder = tmp_path_factory.mktemp("names")
    workspace = folder / "workspace.sqlite"
    Project.create(Workspace(workspace), PROJECT)
    answers = [sb.Response("ann.lee@acute.example", ["Bo Chan", "Jo", "M Okonkwo", "Bo"]),
               sb.Response("bo.chan@council.example", ["Ann Lee"])]
    sb.write_roster(folder / "roster.csv")
    sb.forms(folder / "forms.xlsx", answers)
    port = free_port()
    env = {**os.environ, "ONATOOL_WORKSPACE": str(workspace), "ONATOOL_HOME": str(folder / "home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=60)
        yield f"http://127.0.0.1:{port}", workspace, folder
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _open_import(page, url: str) -> None:
    page.goto(url + "/import_data")
    page.get_by_role("heading", name="Import a wave").first.wait_for(timeout=90_000)


def _idle(page) -> None:
    """Wait until the app has finished its run (no "Running..." status)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` (reopened if a rerun closed it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _idle(page)
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    choice = page.get_by_role("option", name=option, exact=True)
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


def test_name_review_saves_accepted_chosen_and_new_people_through_the_page(served, recorded_page, artifacts):
    url, workspace, folder = served
    page = recorded_page.page
    project = Project(Workspace(workspace), PROJECT)

    # Wave 1: read a Forms export, confirm what was detected, decide three names, save.
    _open_import(page, url)
    uploads = page.locator("input[type=file]")
    uploads.nth(0).set_input_files(str(folder / "roster.csv"))
    uploads.nth(1).set_input_files(str(folder / "forms.xlsx"))
    page.get_by_label("Wave name").fill("w1")
    page.get_by_role("button", name="Read the files").click()
    page.get_by_role("button", name="Import with these choices").click(timeout=90_000)
    page.get_by_text("Import report: wave 'w1'").wait_for(timeout=90_000)
    page.get_by_text("3 name(s) need a person's decision.").wait_for(timeout=30_000)
    _idle(page)
    _pick(page, "'Jo'", "It is Jo Smith")
    _pick(page, "'M Okonkwo'", "Another person on the roster...")
    _pick(page, "Who 'M Okonkwo' is", "Margaret Okonkwo")
    _pick(page, "'Bo'", "Someone not on the roster")
    page.screenshot(path=str(artifacts / "app_name_review.png"), full_page=True)
    page.get_by_role("button", name="Apply these decisions and re-read").click()
    page.get_by_text("need a person's decision").wait_for(state="detached", timeout=90_000)
    assert page.get_by_test_id("stException").count() == 0
    page.get_by_role("button", name="Save as wave").click()
    page.wait_for_function("() => !document.body.innerText.includes(\"Import report: wave 'w1'\")",
                           timeout=60_000)

    decided = project.name_decisions()
    assert {t: (a.decision, a.person) for t, a in decided.items()} == {
        "jo": ("chosen", "C3"), "m okonkwo": ("chosen", "E5"), "bo": ("new person", None)}
    assert project.wave_names() == ["w1"]

    # Wave 2: the saved roster and recipe, and nobody is asked again.
    _open_import(page, url)
    page.locator("input[type=file]").nth(1).set_input_files(str(folder / "forms.xlsx"))
    page.get_by_label("Wave name").fill("w2")
    page.get_by_role("button", name="Read the files").click()
    page.get_by_text("Import report: wave 'w2'").wait_for(timeout=90_000)
    assert page.get_by_text("need a person's decision").count() == 0
    page.get_by_role("button", name="Save as wave").click()
    page.wait_for_function("() => !document.body.innerText.includes(\"Import report: wave 'w2'\")",
                           timeout=60_000)
    assert project.wave_names() == ["w1", "w2"]
    names = {n["raw"]: n for n in Workspace(workspace).load_report(PROJECT, "w2")["names"]}
    identities = Workspace(workspace).load_roster(PROJECT)[1]
    assert identities.loc[names["Jo"]["person_id"], "name"] == "Jo Smith"
    assert identities.loc[names["M Okonkwo"]["person_id"], "name"] == "Margaret Okonkwo"
    assert names["Bo"]["method"] == "new"
    assert recorded_page.non_local_requests() == [] and recorded_page.page_errors == []
