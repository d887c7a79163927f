"""Typed email addresses with a slip in the domain (``ann@virginia.edg``), offered for review.

Respondents who type their own address make slips a roster never has. An address
that matches no roster email, whose local part is a roster email's and whose domain
is one edit from that email's domain, is not dropped: it goes to review with that
person as the candidate, so a person decides (and records the alias once).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from onatool import schema
from onatool.io.matching import Match

__all__ = ["DomainTypos"]


class DomainTypos:
    """Roster emails by local part, to spot typed addresses one edit from one of them.

    Examples
    --------
    >>> ids = pd.DataFrame({"email": ["ab1cd@virginia.edu", "x@nhs.uk"]}, index=["p1", "p2"])
    >>> typos = DomainTypos(ids)
    >>> typos.review(Match("AB1CD@virginia.edg", None, "unknown"))
    Match(raw='AB1CD@virginia.edg', person_id=None, method='review', candidates=('p1',), score=None)
    >>> typos.review(Match("ab1cd@gmail.com", None, "unknown")).method
    'unknown'
    """

    def __init__(self, identities: pd.DataFrame) -> None:
        self._by_local: dict[str, list[tuple[str, str]]] = defaultdict(list)
        if schema.EMAIL in identities.columns:
            for pid, email in identities[schema.EMAIL].items():
                text = str(email).strip().casefold() if pd.notna(email) else ""
                if text.count("@") == 1:
                    local, domain = text.split("@")
                    self._by_local[local].append((domain, str(pid)))

    def review(self, match: Match) -> Match:
        """``match`` itself, or a review match when it is an unknown address with a domain slip."""
        text = match.raw.strip().casefold()
        if match.method != "unknown" or text.count("@") != 1:
            return match
        from rapidfuzz.distance import Levenshtein

        local, domain = text.split("@")
        candidates = tuple(pid for known, pid in self._by_local.get(local, [])
                           if known != domain and Levenshtein.distance(known, domain) <= 1)
        if not candidates:
            return match
        return Match(match.raw, None, "review", candidates)
