"""Provenance: the parameters every output records inside itself (wave, relation, threshold,
suppression, key fingerprint, tool version, date)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from onatool import __version__
from onatool.share.disclosure import Disclosure

__all__ = ["Provenance", "key_fingerprint"]


def key_fingerprint(key: bytes) -> str:
    """A short public fingerprint of a project key: which key made the pseudonyms.

    Two outputs with the same fingerprint used the same key, so their ``person_id``
    values can be joined; the fingerprint reveals nothing about the key itself
    (a domain-separated SHA-256, first 16 hex digits).

    Examples
    --------
    >>> len(key_fingerprint(bytes(32))), key_fingerprint(bytes(32)) == key_fingerprint(bytes(32))
    (16, True)
    """
    return hashlib.sha256(b"onatool key fingerprint\0" + key).hexdigest()[:16]

# Provenance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """The parameters an output was made with, recorded inside every export.

    Parameters
    ----------
    wave
        The wave reported.
    relation
        The relation analysed (None: every relation merged).
    min_weight
        The weight threshold (None: any weight above 0).
    disclosure
        Names and suppression.
    project
        The project's name (never its key).
    previous_wave
        The wave compared with, if any.
    created
        ISO date the output was made (default today).
    extra
        Anything else worth recording (seed, attributes analysed ...).
    key_fingerprint
        The pseudonym key's fingerprint (:func:`onatool.pseudonyms.key_fingerprint`),
        never the key: outputs made with different keys can be told apart.

    Examples
    --------
    >>> p = Provenance("baseline", relation="advice", created="2026-01-31")
    >>> p.as_dict()["suppression"]["threshold"], p.as_dict()["tool_version"] == __version__
    (5, True)
    """

    wave: str
    relation: str | None = None
    min_weight: float | None = None
    disclosure: Disclosure = field(default_factory=Disclosure)
    project: str = ""
    previous_wave: str | None = None
    created: str = field(default_factory=lambda: date.today().isoformat())
    extra: Mapping[str, Any] = field(default_factory=dict)
    key_fingerprint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON and graph attributes."""
        return {
            "tool": "onatool",
            "tool_version": __version__,
            "created": self.created,
            "project": self.project,
            "wave": self.wave,
            "previous_wave": self.previous_wave,
            "relation": self.relation or "all relations",
            "min_weight": self.min_weight,
            "tie_rule": _tie_rule(self.min_weight),
            "names_revealed": self.disclosure.names_revealed,
            "suppression": self.disclosure.describe(),
            "key_fingerprint": self.key_fingerprint,
            **{str(k): v for k, v in self.extra.items()},
        }

    def rows(self) -> list[tuple[str, str]]:
        """``(parameter, value)`` lines for a README sheet or a methods table."""
        d = self.disclosure
        lines = [
            ("Made with", f"onatool {__version__}"),
            ("Date", self.created),
            ("Project", self.project or "(not named)"),
            ("Wave", self.wave),
            ("Compared with", self.previous_wave or "(no earlier wave)"),
            ("Relation", self.relation or "all relations"),
            ("What counts as a tie", _tie_rule(self.min_weight)),
            ("Names", "revealed (recorded in the audit log)" if d.names_revealed
             else "hidden: people are shown by pseudonym (P001 ...)"),
            ("Suppression threshold (k)", str(d.threshold)),
            ("Suppression preset", d.preset),
            ("Suppression rule", d.rule()),
            ("Pseudonym key (fingerprint)", self.key_fingerprint or "(not recorded)"),
        ]
        lines += [(str(k), _text(v)) for k, v in self.extra.items()]
        return lines

    def one_line(self) -> str:
        """The parameters on one line, for CSV headers and file comments."""
        return "; ".join(f"{k}: {v}" for k, v in self.rows())


def _tie_rule(min_weight: float | None) -> str:
    return "any answer above 0 (never = no tie)" if min_weight is None else f"weight at least {min_weight:g}"


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
