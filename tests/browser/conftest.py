"""Fixtures for end-to-end tests in headless Chromium (Debian's /usr/bin/chromium).

Every test in this folder is marked ``browser``; deselect them with ``-m "not browser"``.
They are skipped only when /usr/bin/chromium is absent.

Fixtures
--------
chromium
    One Playwright ``Browser`` for the session, launched with the hardened arguments in
    :data:`tests.support.browser.CHROMIUM_ARGS`.
recorded_page
    A fresh context and page per test that records requests (aborting any that leave
    the machine), dialogs, script errors and console errors: see
    :class:`tests.support.browser.RecordedPage` (``assert_clean()`` checks all four).
local_server
    A static server on 127.0.0.1: ``local_server.serve("map.html", html) -> url``.
artifacts
    The gitignored ``test-artifacts/`` folder, for screenshots.

For app tests: start ``streamlit run app.py --server.port <free_port()>
--server.headless true --browser.gatherUsageStats false`` in a subprocess, then
``wait_for_http(f"http://127.0.0.1:{port}/_stcore/health")`` and ``recorded_page.page.goto``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LocalServer,
    RecordedPage,
    record,
)

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed; browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def recorded_page(chromium) -> Iterator[RecordedPage]:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 860}, service_workers="block", accept_downloads=False
    )
    context.set_default_timeout(20_000)
    try:
        yield record(context)
    finally:
        context.close()


@pytest.fixture(scope="session")
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
