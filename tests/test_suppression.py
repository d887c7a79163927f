"""Small-group suppression and the disclosure policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import InputFormatError, Network, SuppressedError
from onatool.share.disclosure import SUPPRESSED, Disclosure
from onatool.share.labels import person_labels, safe_attributes, workshop_labels
from onatool.share.suppress import (
    groups_to_merge,
    merge_small_groups,
    merge_small_matrix,
    suppress_counts,
    suppress_groups,
)
from onatool.share.tables import export_tables, people_by

counts_tables = st.integers(1, 5).flatmap(
    lambda r: st.integers(1, 5).flatmap(
        lambda c: st.lists(st.lists(st.integers(0, 30), min_size=c, max_size=c), min_size=r, max_size=r)
    )
)


@settings(max_examples=150, deadline=None)
@given(rows=counts_tables, k=st.integers(2, 10), margins=st.booleans())
def test_no_shown_count_under_k_and_no_line_with_a_lone_hidden_cell(rows, k, margins):
    table = pd.DataFrame(rows)
    out = suppress_counts(table, k, margins=margins)
    values = out.to_numpy()
    shown = [v for v in values.ravel() if v != SUPPRESSED]
    assert all(v == 0 or v >= k for v in shown)
    hidden = values == SUPPRESSED
    for line in [*hidden, *hidden.T]:
        if len(line) > 1:
            assert line.sum() != 1
    # Nothing is hidden that did not need to be when nothing is small.
    if ((table.to_numpy() == 0) | (table.to_numpy() >= k)).all() and not margins:
        assert not hidden.any()


@settings(max_examples=100, deadline=None)
@given(rows=counts_tables)
def test_nhs_preset_stars_1_to_7_and_rounds_the_rest(rows):
    table = pd.DataFrame(rows)
    out = suppress_counts(table, preset="nhs")
    for raw, shown in zip(table.to_numpy().ravel(), out.to_numpy().ravel(), strict=True):
        if 1 <= raw <= 7:
            assert shown == SUPPRESSED
        else:
            assert shown % 5 == 0 and abs(shown - raw) <= 2.5


def test_suppress_counts_known_answer():
    # Acute has 2 tops (primary); its row and the top column each need a second cell:
    # Council's top (6) mends both the column and, with Council's middle, its row.
    counts = pd.DataFrame({"top": [2, 6, 7], "middle": [10, 12, 9], "bottom": [30, 25, 40]},
                          index=["Acute", "Council", "VCSE"])
    out = suppress_counts(counts, 5)
    assert out.loc["Acute"].tolist() == ["*", "*", 30]
    assert out.loc["Council"].tolist() == ["*", "*", 25]
    assert out.loc["VCSE"].tolist() == [7, 9, 40]


def test_suppress_counts_refuses_negative_counts():
    with pytest.raises(InputFormatError, match="negative"):
        suppress_counts(pd.DataFrame({"a": [-1, 3]}), 5)


@settings(max_examples=150, deadline=None)
@given(sizes=st.lists(st.integers(1, 40), min_size=1, max_size=12), k=st.integers(2, 10),
       how=st.sampled_from(["merge", "hide"]))
def test_group_tables_never_show_a_group_under_k(sizes, k, how):
    groups = pd.DataFrame({"size": sizes, "respondents": [s // 2 for s in sizes],
                           "ei": np.linspace(-1, 1, len(sizes))},
                          index=pd.Index([f"g{i}" for i in range(len(sizes))], name="organisation"))
    out = suppress_groups(groups, k, how=how)
    assert (out["size"] >= k).all()
    merged = set(groups.index) - set(out.index)
    # What is hidden adds up to at least k, so no hidden size is given away by the total.
    assert not merged or groups.loc[list(merged), "size"].sum() >= k or len(merged) == len(groups)
    if how == "merge" and merged and groups.loc[list(merged), "size"].sum() >= k:
        assert out.loc["Other", "size"] == groups.loc[list(merged), "size"].sum()


def test_groups_to_merge_takes_the_next_smallest_when_one_is_small():
    # The hospice (3) alone would be "Other" = the hospice: the council (12) joins it.
    assert groups_to_merge(pd.Series({"Acute": 40, "Hospice": 3, "Council": 12}), 5) == ["Hospice", "Council"]
    assert groups_to_merge(pd.Series({"Acute": 40, "Council": 12}), 5) == []


def test_merge_small_groups_keeps_missing_and_names_other_uniquely():
    values = pd.Series(["Other"] * 6 + ["A"] * 2 + ["B"] * 3 + [None])
    merged = merge_small_groups(values, 5)
    assert merged.isna().sum() == 1
    assert set(merged.dropna()) == {"Other", "Other (small groups)"}


def test_merge_small_matrix_counts_ties_once_when_symmetric():
    # B and C (2 and 2 people) merge; one undirected tie B-C sits in both off-diagonal
    # cells and must count once on the merged diagonal.
    m = pd.DataFrame([[4, 1, 0], [1, 0, 1], [0, 1, 0]], index=list("ABC"), columns=list("ABC"))
    merged, sizes = merge_small_matrix(m, pd.Series({"A": 9, "B": 2, "C": 3}), 5, symmetric=True)
    assert merged.loc["Other", "Other"] == 1 and merged.loc["A", "Other"] == 1
    assert sizes.to_dict() == {"A": 9, "Other": 5}


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 15), min_size=2, max_size=7), k=st.integers(2, 8),
       seed=st.integers(0, 1000))
def test_no_exported_group_figure_rests_on_fewer_than_k_people(sizes, k, seed):
    rng = np.random.default_rng(seed)
    orgs = [f"org{i}" for i, n in enumerate(sizes) for _ in range(n)]
    ids = [f"p{i}" for i in range(len(orgs))]
    people = pd.DataFrame({"organisation": orgs,
                           "level": rng.choice(["top", "middle", "bottom"], len(ids)),
                           "responded": rng.random(len(ids)) < 0.8},
                          index=pd.Index(ids, name="person_id"))
    ties = [(a, b) for a in ids for b in ids if a != b and rng.random() < 0.15]
    net = Network.from_edges(ties, people=people)
    disclosure = Disclosure(k=k)
    tables = export_tables(net, disclosure)
    for name, table in tables.items():
        if name.startswith("responses_"):
            assert (table["size"] >= k).all(), name
    shared = [a for a in ("organisation", "level") if a in tables["people"].columns]
    if len(people) < k:
        assert not shared  # fewer than k people in all: no attribute travels with them
    else:  # every combination of the attributes shown holds at least k people
        assert tables["people"][shared].astype(str).value_counts().min() >= k
    crossed = people_by(net, "organisation", "level", disclosure)
    shown = [v for v in crossed.to_numpy().ravel() if v != SUPPRESSED and v is not None]
    assert all(v == 0 or v >= k for v in shown)


def test_disclosure_reveal_is_audited_and_cannot_be_forged():
    with pytest.raises(SuppressedError, match="reveal_names"):
        Disclosure(names_revealed=True)
    log = []
    named = Disclosure(k=7).reveal_names(user=" ana ", project="p", audit=lambda *e: log.append(e),
                                          detail="Excel")
    assert named.names_revealed and named.revealed_by == "ana" and named.k == 7
    assert log == [("p", "ana", "names revealed", "Excel")]
    assert not named.hiding_names().names_revealed

    def refuse(*_):
        raise PermissionError("audit log is read-only")

    with pytest.raises(PermissionError):
        Disclosure().reveal_names(user="ana", project="p", audit=refuse)
    with pytest.raises(InputFormatError):
        Disclosure().reveal_names(user="  ", project="p", audit=lambda *e: None)


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "5"])
def test_disclosure_refuses_a_bad_threshold(k):
    with pytest.raises(InputFormatError):
        Disclosure(k=k)


def test_disclosure_rules_read_plainly():
    assert Disclosure(preset="nhs").threshold == 8 and Disclosure(k=10, preset="nhs").threshold == 10
    assert "rounded to the nearest 5" in Disclosure(preset="nhs").rule()
    assert Disclosure(k=1).rule().startswith("No suppression")
    assert Disclosure().describe()["names_revealed"] is False


def test_labels_names_only_when_revealed():
    people = pd.DataFrame({"label": ["P002", "P001"], "organisation": ["A", "B"]},
                          index=pd.Index(["pa", "pb"], name="person_id"))
    identities = pd.DataFrame({"name": ["Zebediah Quuxworth", ""]}, index=people.index)
    assert person_labels(people, Disclosure()).tolist() == ["P002", "P001"]
    named = Disclosure().reveal_names(user="u", project="p", audit=lambda *e: None)
    assert person_labels(people, named, identities).tolist() == ["Zebediah Quuxworth", "P001"]
    with pytest.raises(SuppressedError):
        person_labels(people, named)
    assert safe_attributes(people, Disclosure(k=2))["organisation"].tolist() == ["Other", "Other"]
    assert safe_attributes(people, named)["organisation"].tolist() == ["A", "B"]
    assert workshop_labels(people, 2).tolist() == ["Other", "Other"]
