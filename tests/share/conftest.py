"""Fixtures every gate test shares: a private home for each test, and one partnership with a
lone top and groups of one and three."""

from __future__ import annotations

import pytest

from tests.share.surfaces import write_partnership


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """ONATOOL_HOME in the test's own folder, and no workspace: nothing touches the user's."""
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(tmp_path / "no-workspace.sqlite"))


@pytest.fixture(scope="module")
def partnership(tmp_path_factory):
    """Organisations of 14, 1, 3, 9 and 5 people."""
    return write_partnership(tmp_path_factory.mktemp("partnership"), [14, 1, 3, 9, 5], seed=3)
