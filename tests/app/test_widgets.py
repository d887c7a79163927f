"""The app's formatting and group helpers, without a running app."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool.app.widgets import format_number, group_means, measure_columns, number_format
from onatool.share.disclosure import Disclosure
from onatool.share.gate import Gate


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 12), min_size=1, max_size=8), k=st.integers(2, 10))
def test_group_means_never_show_a_group_under_k(sizes, k):
    groups = np.repeat([f"g{i}" for i in range(len(sizes))], sizes)
    people = pd.DataFrame({"organisation": groups, "degree": np.arange(len(groups), dtype=float)})
    shown = group_means(people, "organisation", ["degree"], Gate(Disclosure(k=k)))
    assert (shown["people"] >= k).all()
    if sum(sizes) >= k:
        assert shown["people"].sum() == sum(sizes)  # merged into Other, not lost
        merged = shown.drop(index=[g for g in shown.index if g != "Other"], errors="ignore")
        if len(merged):  # "Other" is the mean of the people merged into it
            members = people[~people["organisation"].isin(shown.index)]
            assert merged.at["Other", "degree"] == pytest.approx(members["degree"].mean())
    else:
        assert shown.empty


def test_numbers_read_as_their_kind():
    assert number_format("in_degree") == "%d" and number_format("efficiency") == "percent"
    assert number_format("ei_organisation") == "%+.2f" and number_format("organisation") is None
    assert format_number(-0.0004, "%+.2f") == "0.00" and format_number(197.0, "%d") == "197"
    assert format_number(float("nan"), "percent") == "–"


def test_column_groups_pick_the_line_chosen():
    frame = pd.DataFrame(columns=["degree", "in_degree", "ei_organisation", "ei_sector", "liaison_sector"])
    assert measure_columns(frame, "Reach", None) == ["in_degree", "degree"]
    assert measure_columns(frame, "Boundary spanning", "sector") == ["ei_sector"]
    assert measure_columns(frame, "Brokerage roles", "sector") == ["liaison_sector"]
