"""Keyed pseudonyms: ``person_id`` from a keyed HMAC, display labels, and project key files.

``person_id`` is a keyed HMAC-SHA256 of the normalised roster identifier, so the
same person keeps the same id in every wave of a project, while two projects (two
keys) give unrelated ids. Display labels ``P001 …`` are assigned in an order drawn
from the key, not alphabetical or by organisation, so a label says nothing about
who it is. The key is per project and never written to any output.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from onatool.errors import InputFormatError, Place

__all__ = ["KEY_BYTES", "new_project_key", "normalise_identifier", "onatool_home", "project_key_file", "pseudonym", "pseudonym_labels", "read_or_create_key"]

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


def onatool_home() -> Path:
    """Where onatool keeps per-user files (``$ONATOOL_HOME``, else ``~/.onatool``)."""
    return Path(os.environ.get("ONATOOL_HOME", Path.home() / ".onatool"))


def project_key_file(project: str) -> Path:
    """The key file of a named project under :func:`onatool_home`."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in project) or "default"
    return onatool_home() / "keys" / f"{safe}.key"


def read_or_create_key(path: Path) -> bytes:
    """Read a project key file, creating it (mode 0600) with a new key if absent.

    Raises
    ------
    InputFormatError
        If the file exists but does not hold a 64-hex-digit key.
    """
    path = Path(path)
    if path.exists():
        text = path.read_text().strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise InputFormatError(
                "the project key file is damaged",
                expected=f"{KEY_BYTES * 2} hexadecimal digits",
                place=Place(file=str(path)),
            )
        return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = new_project_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
    return key
