"""One palette per project, in real headless Chromium: an organisation keeps its colour between
the whole map and the organisations view, and a colour chosen for the project shows on the map."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from onatool.project import Project
from onatool.sample import SAMPLE_PROJECT
from onatool.store import Workspace
from tests.support.processes import running_app

# The WebGL map's legend: one row per colour, a chip (a span 22 px wide) then the group's name.
LEGEND = """() => {
  const out = {};
  const hex = (rgb) => '#' + rgb.match(/\\d+/g).slice(0, 3).map((v) => Number(v).toString(16).padStart(2, '0'))
    .join('').toUpperCase();
  for (const chip of document.querySelectorAll('span')) {
    if (chip.style.width !== '22px' || chip.style.height !== '10px' || !chip.style.background) continue;
    const label = chip.nextElementSibling;
    if (label) out[label.textContent.trim()] = hex(getComputedStyle(chip).backgroundColor);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``onatool ui`` on a fresh workspace (it creates the sample project on first start)."""
    folder = tmp_path_factory.mktemp("palette")
    workspace = folder / "workspace.sqlite"
    env = {**os.environ, "ONATOOL_WORKSPACE": str(workspace), "ONATOOL_HOME": str(folder / "home")}
    with running_app(env=env) as app:
        yield app.url, workspace


def _idle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)


def _legend(page) -> dict[str, str]:
    """The colour of each group in the map's legend (``label -> #RRGGBB``), once drawn."""
    for _ in range(60):
        for frame in page.frames:
            try:
                found = frame.evaluate(LEGEND)
            except Exception:  # a frame being replaced by the rerun
                continue
            if found:
                return found
        page.wait_for_timeout(500)
    raise AssertionError("no map legend was drawn")


def test_an_organisation_keeps_its_colour_in_every_view_and_takes_the_projects_choice(
        served, recorded_page, artifacts):
    url, workspace = served
    page = recorded_page.page
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url)
    page.get_by_role("heading", name="Project").first.wait_for(timeout=120_000)
    _idle(page)
    project = Project(Workspace(workspace), SAMPLE_PROJECT)
    people = project.roster().people
    largest = people["organisation"].value_counts().index[0]
    project.set_colour("organisation", largest, "#CC3311")

    page.goto(f"{url}/map")
    page.get_by_role("heading", name="Map").first.wait_for(timeout=90_000)
    _idle(page)
    everyone = _legend(page)
    assert everyone[largest] == "#CC3311"  # the project's choice, on the map
    # The organisations view draws fewer groups (small ones merged): a colouring by rank would shift.
    page.get_by_text("Organisations", exact=True).first.click()
    _idle(page)
    page.wait_for_timeout(1_000)
    organisations = _legend(page)
    page.screenshot(path=str(artifacts / "app_palette_organisations_1440x900.png"), full_page=True)
    shared = {g for g in organisations if g in everyone and g != "Other"}
    assert shared and organisations != everyone
    assert {g: organisations[g] for g in shared} == {g: everyone[g] for g in shared}
    assert recorded_page.non_local_requests() == [] and recorded_page.page_errors == []
