"""Pseudonyms and project keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onatool import InputFormatError
from onatool.pseudonyms import key_fingerprint, pseudonym, pseudonym_labels, read_key_file


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


def test_key_file_is_read_and_fingerprinted_never_shown(tmp_path):
    path = tmp_path / "keys" / "p.key"
    path.parent.mkdir()
    path.write_text(("ab" * 32) + "\n")
    key = read_key_file(path)
    assert key == bytes.fromhex("ab" * 32)
    assert key.hex() not in key_fingerprint(key) and key_fingerprint(key) != key_fingerprint(b"x" * 32)


def test_damaged_key_file(tmp_path):
    path = tmp_path / "p.key"
    path.write_text("not hex")
    with pytest.raises(InputFormatError, match="damaged"):
        read_key_file(path)
