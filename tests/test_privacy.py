"""Pseudonyms and project keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onatool import InputFormatError
from onatool.pseudonyms import pseudonym, pseudonym_labels, read_or_create_key


@given(st.text(min_size=1, max_size=30))
def test_pseudonym_ignores_case_and_spaces_around(identifier):
    key = b"k" * 32
    assert pseudonym(key, identifier) == pseudonym(key, f"  {identifier.upper()} ".casefold())


def test_labels_are_a_permutation_stable_per_key():
    ids = [f"p{i}" for i in range(1200)]
    labels = pseudonym_labels(b"a" * 32, ids)
    assert sorted(labels.values()) == [f"P{i:04d}" for i in range(1, 1201)]
    assert labels == pseudonym_labels(b"a" * 32, reversed(ids))
    assert labels != pseudonym_labels(b"b" * 32, ids)


def test_key_file_created_private_and_reused(tmp_path):
    path = tmp_path / "keys" / "p.key"
    key = read_or_create_key(path)
    assert len(key) == 32 and read_or_create_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600


def test_damaged_key_file(tmp_path):
    path = tmp_path / "p.key"
    path.write_text("not hex")
    with pytest.raises(InputFormatError, match="damaged"):
        read_or_create_key(path)
