"""The Change page's network regression in real headless Chromium: choose predictors, run,
read the table in words; and each programme cohort's split is on the page."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.browser import record
from tests.support.processes import running_app


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    env = {**os.environ, "ONATOOL_WORKSPACE": str(tmp_path_factory.mktemp("ws") / "workspace.sqlite")}
    with running_app(env=env, timeout=120) as app:  # stopped, with anything it started
        yield app.url


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    recorded = record(context)
    yield recorded
    context.close()


def _settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=180_000)


def test_regression_flow_on_the_change_page(app_url, browser_page, artifacts):
    page = browser_page.page
    page.goto(f"{app_url}/change")
    page.get_by_role("heading", name="Change between waves").first.wait_for(timeout=180_000)
    _settled(page)
    page.get_by_role("heading", name="Programme cohorts, one by one").wait_for(timeout=180_000)
    page.get_by_text("of them with other participants").first.wait_for(timeout=180_000)

    form = page.get_by_test_id("stForm")
    form.get_by_label("Permutations").fill("100")
    form.get_by_label("Permutations").press("Enter")
    form.get_by_role("button", name="Run the regression").click()
    _settled(page)
    page.get_by_text("permutations per term, seed 0").wait_for(timeout=180_000)
    assert page.get_by_text("100 permutations per term, seed 0").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    page.screenshot(path=str(artifacts / "app_change_regression.png"), full_page=True)
    assert browser_page.non_local_requests() == [] and browser_page.blocked == []
    assert browser_page.dialogs == [] and browser_page.page_errors == []
