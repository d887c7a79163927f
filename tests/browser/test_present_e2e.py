"""Presentation mode in real Chromium: arrow keys and buttons step through the findings, each
slide has its map, sentence and question, and a note typed in the room is kept."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from onatool.sample import SAMPLE_PROJECT
from onatool.store import Workspace
from onatool.store.notes import room_notes
from tests.support.browser import record
from tests.support.processes import running_app


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, str]]:
    workspace = str(tmp_path_factory.mktemp("ws") / "workspace.sqlite")
    with running_app(env={**os.environ, "ONATOOL_WORKSPACE": workspace}) as app:
        yield app.url, workspace


def slide(page) -> int:
    caption = page.get_by_text(re.compile(r"Finding \d+ of \d+")).first
    caption.wait_for(timeout=120_000)
    page.get_by_test_id("stImage").first.wait_for(timeout=120_000)
    return int(re.search(r"Finding (\d+) of", caption.inner_text()).group(1))


def wait_for_slide(page, number: int) -> None:
    page.get_by_text(re.compile(rf"Finding {number} of \d+")).first.wait_for(timeout=60_000)
    page.get_by_test_id("stImage").first.wait_for(timeout=120_000)


def test_present_steps_with_keys_and_buttons_and_keeps_a_note(served, chromium, artifacts):
    url, workspace = served
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    recorded = record(context)
    page = recorded.page
    try:
        page.goto(url + "/present")
        assert slide(page) == 1
        first = page.get_by_role("heading", level=2).first.inner_text()
        page.wait_for_timeout(800)
        page.get_by_role("heading", level=2).first.click()  # focus the page, not a field
        page.keyboard.press("ArrowRight")
        wait_for_slide(page, 2)
        assert page.get_by_role("heading", level=2).first.inner_text() != first
        page.keyboard.press("ArrowLeft")
        wait_for_slide(page, 1)
        page.get_by_role("button", name="Next").click()
        wait_for_slide(page, 2)
        assert page.get_by_text("For the room:").count() == 1
        assert not re.search(r"\bP\d{3}\b", page.get_by_test_id("stMain").inner_text())
        (artifacts / "screens").mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "screens" / "present_slide2_1366x768.png"))
        note = page.get_by_label("Add a note")
        note.click()
        note.fill("The room said this matches the winter pressures.")
        page.wait_for_timeout(300)
        page.get_by_role("button", name="Keep this note").click()
        page.get_by_text("The room said this matches the winter pressures.").first.wait_for(timeout=60_000)
        notes = room_notes(Workspace(workspace), SAMPLE_PROJECT, "final")
        assert [n.text for n in notes] == ["The room said this matches the winter pressures."]
        assert recorded.non_local_requests() == [] and recorded.page_errors == []
    finally:
        context.close()
