"""The promise, as a property: over random partnerships with small groups, no output of
any surface names or lets anyone work out a group under k, and no person-level output
has a combination of attributes held by fewer than k.

Few examples by default (each runs every surface); many more under ``-m slow``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.share.surfaces import SURFACES, assert_nothing_small, write_partnership

#: Organisation sizes: always at least one under k=5, sometimes a group of one.
org_sizes = st.lists(st.integers(1, 14), min_size=2, max_size=5).filter(
    lambda sizes: min(sizes) < 5 and sum(sizes) >= 8)
partnerships = st.fixed_dictionaries({"orgs": org_sizes, "seed": st.integers(0, 2**16),
                                      "lone_top": st.booleans(), "density": st.sampled_from([0.05, 0.12, 0.25])})

FILES = [name for name in SURFACES if name != "app pages"]
QUICK = settings(max_examples=3, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=10, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _check(example: dict, surfaces: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        partnership = write_partnership(Path(folder) / "in", example["orgs"], seed=example["seed"],
                                        lone_top=example["lone_top"], density=example["density"])
        for surface in surfaces:
            released = SURFACES[surface](partnership, Path(folder) / surface.replace(" ", "_"))
            assert_nothing_small(released, partnership)


@QUICK
@given(example=partnerships)
def test_no_file_output_lets_out_a_small_group(example):
    _check(example, FILES)


@settings(QUICK, max_examples=1)
@given(example=partnerships)
def test_no_app_page_lets_out_a_small_group(example):
    _check(example, ["app pages"])


@pytest.mark.slow
@SLOW
@given(example=partnerships)
def test_no_output_of_any_surface_lets_out_a_small_group_many_examples(example):
    _check(example, list(SURFACES))
