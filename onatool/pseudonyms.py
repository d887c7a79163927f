"""Keyed pseudonyms: ``person_id`` from a keyed HMAC, display labels, and project key files.

``person_id`` is a keyed HMAC-SHA256 of the normalised roster identifier, so the
same person keeps the same id in every wave of a project, while two projects (two
keys) give unrelated ids. Display labels ``P001 …`` are assigned in an order drawn
from the key, not alphabetical or by organisation, so a label says nothing about
who it is. The key is per project, kept in the workspace (under :func:`onatool_home`) and never
written to any output; outputs record its :func:`key_fingerprint` instead.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from onatool.errors import InputFormatError, Place

__all__ = [
    "KEY_BYTES", "adoptable_key_file", "key_fingerprint", "keys_match", "legacy_key_file", "new_project_key",
    "normalise_identifier", "onatool_home", "pseudonym", "pseudonym_labels", "read_key_file",
]

KEY_BYTES = 32


def new_project_key() -> bytes:
    """A fresh random 32-byte project key."""
    return secrets.token_bytes(KEY_BYTES)


def normalise_identifier(identifier: object) -> str:
    """Fold a roster id or email so trivial differences do not split a person.

    Examples
    --------
    >>> normalise_identifier("  Jo.Bloggs@Example.NHS.uk ")
    'jo.bloggs@example.nhs.uk'
    """
    return str(identifier).strip().casefold()


def pseudonym(key: bytes, identifier: object) -> str:
    """The ``person_id`` for a roster identifier under a project key.

    Parameters
    ----------
    key
        The project's secret key.
    identifier
        The roster's stable id (or email when there is no id column).

    Returns
    -------
    str
        ``"p"`` followed by 16 hex digits (64 bits of HMAC-SHA256).

    Examples
    --------
    >>> a = pseudonym(b"k" * 32, "NM0001")
    >>> a == pseudonym(b"k" * 32, " nm0001 "), a == pseudonym(b"j" * 32, "NM0001")
    (True, False)
    >>> len(a)
    17
    """
    digest = hmac.new(key, normalise_identifier(identifier).encode(), hashlib.sha256)
    return "p" + digest.hexdigest()[:16]


def pseudonym_labels(key: bytes, person_ids: Iterable[str]) -> dict[str, str]:
    """Display labels ``P001, P002 …`` in an order drawn from the key.

    Parameters
    ----------
    key
        The project's secret key.
    person_ids
        The people to label.

    Returns
    -------
    dict
        ``person_id -> label``; zero-padded to at least three digits.

    Examples
    --------
    >>> labels = pseudonym_labels(b"k" * 32, ["pa", "pb", "pc"])
    >>> sorted(labels.values())
    ['P001', 'P002', 'P003']
    """
    ids = list(dict.fromkeys(person_ids))
    width = max(3, len(str(len(ids))))

    def rank_key(pid: str) -> bytes:
        return hmac.new(key, b"label:" + pid.encode(), hashlib.sha256).digest()

    ordered = sorted(ids, key=rank_key)
    return {pid: f"P{i:0{width}d}" for i, pid in enumerate(ordered, start=1)}


def key_fingerprint(key: bytes) -> str:
    """A short, one-way fingerprint of a project key: says which key, never the key.

    Recorded with every saved wave and in every output's provenance, so two outputs
    (or two waves) made with different keys can be told apart; the key itself can
    not be recovered from it.

    Parameters
    ----------
    key
        The project's secret key.

    Returns
    -------
    str
        ``"k-"`` and 12 hex digits (48 bits of a domain-separated SHA-256).

    Examples
    --------
    >>> fp = key_fingerprint(b"k" * 32)
    >>> fp.startswith("k-"), len(fp), fp == key_fingerprint(b"j" * 32)
    (True, 14, False)
    >>> (b"k" * 32).hex() in fp
    False
    """
    return "k-" + hashlib.sha256(b"onatool key fingerprint\x00" + bytes(key)).hexdigest()[:12]


def keys_match(key: bytes, people_ids: Iterable[str], identifiers: Iterable[object]) -> bool:
    """Whether ``person_id`` values were made with ``key`` from these identifiers.

    Examples
    --------
    >>> k = b"k" * 32
    >>> keys_match(k, [pseudonym(k, "A1")], ["A1"]), keys_match(b"j" * 32, [pseudonym(k, "A1")], ["A1"])
    (True, False)
    """
    return all(pid == pseudonym(key, ident) for pid, ident in zip(people_ids, identifiers, strict=True))


def onatool_home() -> Path:
    """Where onatool keeps per-user files: the workspace (and with it every key) and the audit log.

    ``$ONATOOL_HOME`` if set, else ``~/.onatool``.
    """
    configured = os.environ.get("ONATOOL_HOME")
    return Path(configured).expanduser() if configured else Path.home() / ".onatool"


def legacy_key_file(project: str) -> Path:
    """Where onatool before 0.x kept a CLI project's key: ``<home>/keys/<name>.key``.

    Names that differ only in punctuation shared one file there (``North place`` and
    ``North_place``), so keys now live in the workspace, one per project; this path
    is read only to adopt an old key, and only for a project whose name is exactly
    the file's name (see :func:`adoptable_key_file`).
    """
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in project) or "default"
    return onatool_home() / "keys" / f"{safe}.key"


def adoptable_key_file(project: str) -> Path | None:
    """The old key file of ``project`` if it exists and no other name could share it.

    Examples
    --------
    >>> adoptable_key_file("North place") is None   # would be North_place.key: not its own
    True
    """
    path = legacy_key_file(project)
    if path.stem != project or not path.exists():
        return None
    return path


def read_key_file(path: Path) -> bytes:
    """Read a key file (64 hex digits).

    Raises
    ------
    InputFormatError
        If the file cannot be read or does not hold a 64-hex-digit key.
    """
    path = Path(path)
    try:
        text = path.read_text().strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise InputFormatError(
            "the project key file is damaged or unreadable",
            expected=f"{KEY_BYTES * 2} hexadecimal digits",
            place=Place(file=str(path)),
        )
    return key
