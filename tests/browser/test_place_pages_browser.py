"""Places, Boards and forums, and Responses in real headless Chromium, at the two laptop sizes."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.browser import record
from tests.support.processes import running_app

SIZES = {"1366x768": (1366, 768), "1440x900": (1440, 900)}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    env = {**os.environ, "ONATOOL_WORKSPACE": str(tmp_path_factory.mktemp("ws") / "workspace.sqlite"),
           "ONATOOL_HOME": str(tmp_path_factory.mktemp("home"))}
    with running_app(env=env) as app:
        yield app.url


def open_page(chromium, url: str, title: str, size: tuple[int, int]):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    recorded = record(context)
    page = recorded.page
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    return context, recorded, page


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("path", "title", "expected"), [
    ("places", "Places side by side", "Outside the others' range"),
    ("forums", "Boards and forums", "People who bridge forums"),
    ("responses", "Responses", "By organisation"),
])
def test_page_in_chromium(chromium, app_url, artifacts, path, title, expected, size):
    context, recorded, page = open_page(chromium, f"{app_url}/{path}", title, SIZES[size])
    try:
        assert page.get_by_test_id("stException").count() == 0
        page.get_by_text(expected).first.wait_for(timeout=120_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                               timeout=120_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"app_{path}_{size}.png"), full_page=False)
        assert recorded.non_local_requests() == [] and recorded.page_errors == []
        # Nothing wider than the window: the controls fit.
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()


def test_workshop_forums_page_names_no_one(chromium, app_url):
    context, _, page = open_page(chromium, f"{app_url}/forums", "Boards and forums", SIZES["1440x900"])
    try:
        page.get_by_text("Workshop mode: counts only").first.wait_for(timeout=60_000)
        body = page.inner_text("body")
        assert "P0" not in body and "NM0" not in body  # no pseudonym label, no roster id
    finally:
        context.close()
