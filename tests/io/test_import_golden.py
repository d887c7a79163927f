"""The vectorised import gives what the per-cell import gave: same Network, same report.

``tests/data/import_golden/golden.json`` was written by ``import_snapshot.make_golden`` with
the import pipeline as it was before issue 15's import work (main at fa89a64). Each case
is imported again here and compared field by field: people, ties, every row and item
outcome, the names and the report's text; and each refused input gives the same error.
"""

from __future__ import annotations

import json

import pytest

from tests.io.import_snapshot import (
    DATA,
    cases,
    error_cases,
    error_snapshot,
    snapshot,
    write_messy_files,
)

GOLDEN = json.loads((DATA / "golden.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("golden")
    write_messy_files(path)
    return path


@pytest.mark.parametrize("name", sorted(n for n in GOLDEN if n != "errors"))
def test_import_matches_the_golden_snapshot(name, folder):
    run, full = cases(folder)[name]
    got = snapshot(run(), full=full)
    expected = GOLDEN[name]
    assert sorted(got) == sorted(expected)
    for field in sorted(expected):
        assert got[field] == expected[field], f"{name}: {field} differs"


@pytest.mark.parametrize("name", sorted(GOLDEN["errors"]))
def test_refused_input_gives_the_golden_error(name, folder):
    assert error_snapshot(error_cases(folder)[name]) == GOLDEN["errors"][name]
