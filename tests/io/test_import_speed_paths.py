"""The pieces the vectorised import relies on, checked against their plain definitions."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool.errors import InputFormatError
from onatool.io.detect import _is_square
from onatool.io.reading import _looks_square
from onatool.io.tables import Place, _frame, paused_gc, stripped, with_header


def test_paused_gc_restores_the_collector_as_it_was():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not switch it back on early
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left off by whoever switched it off
    finally:
        gc.enable()


def test_paused_gc_switches_back_on_after_an_error():
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


cell = st.one_of(st.text(alphabet=list("ab ,\t\u00a0\u2003x\u0085="), max_size=4), st.sampled_from(["", "007"]))
rows = st.lists(st.lists(cell, min_size=0, max_size=4), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_with_header_gives_what_reading_with_a_header_row_gives(table):
    place = Place(file="t.csv")

    def outcome(read):
        try:
            frame = read()
        except InputFormatError as exc:
            return str(exc)
        return list(frame.columns), frame.to_numpy().tolist(), [str(d) for d in frame.dtypes]

    def promoted():
        from onatool.io.tables import Sheet

        return with_header(Sheet(_frame(table, 0, place, text=True), "t.csv")).data

    assert outcome(promoted) == outcome(lambda: _frame(table, 1, place, text=True))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(cell, st.integers(-3, 3), st.none()), min_size=2, max_size=2), max_size=8))
def test_stripped_is_str_strip_of_every_cell(table):
    data = pd.DataFrame(table, columns=["a", "b"], dtype=object)
    assert stripped(data).to_numpy().tolist() == data.map(lambda v: str(v).strip()).to_numpy().tolist()
    assert list(stripped(data).dtypes) == [np.dtype(object)] * 2


names = st.sampled_from(["", " ", "A", "B", "C", "D", " A"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(names, min_size=1, max_size=5), min_size=1, max_size=6))
def test_looks_square_agrees_with_is_square(table):
    width = max(len(r) for r in table)
    data = pd.DataFrame([r + [""] * (width - len(r)) for r in table], dtype=object)
    assert _looks_square(data) == _is_square(data)
