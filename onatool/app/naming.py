"""The name-review controls the Import and Names pages share: one name, its context, one choice.

A person sees, for each typed name, how many respondents wrote it and their
organisations (counts, small groups merged), and each candidate's organisation, team,
level and match score, then picks one of: a candidate, another roster person, someone
not on the roster, ignore, or (on the Names page) keep or forget the saved decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from onatool.app.widgets import plain
from onatool.project import Candidate, NameToDecide, Project
from onatool.share.disclosure import OTHER

__all__ = ["ANOTHER", "FORGET", "IGNORE", "KEEP", "LATER", "NEW", "apply", "choice", "writers_words"]

LATER = "Decide later"
KEEP = "Keep this decision"
ANOTHER = "Another person on the roster..."
NEW = "Someone not on the roster"
IGNORE = "Not a person in scope (ignore)"
FORGET = "Forget the decision (match afresh)"

#: How the import resolved a name, in words, for the Names page.
HOW = {
    "alias": "decided earlier", "chosen": "decided earlier", "new": "decided earlier: not on the roster",
    "ignored": "decided earlier: ignored", "fuzzy": "close spelling, accepted", "review": "awaited a decision",
    "ambiguous": "several people share it", "unknown": "not on the roster",
}


def candidate_words(candidate: Candidate) -> str:
    """``It is Jo Smith · Acute trust · bottom · match 100``: who, where, and how close."""
    where = " · ".join(x for x in (candidate.organisation, candidate.team, candidate.level) if x)
    return f"It is {candidate.name or candidate.person_id}" + (f" · {where}" if where else "") + \
        f" · match {candidate.score:.0f}"


def writers_words(item: NameToDecide) -> str:
    """Who wrote the name, in counts: ``Written by 3 respondents: Acute trust 2, Other 1``."""
    if not item.writers:
        return "Not written as a named person (e.g. a respondent's own identity)."
    people = "respondent" if item.writers == 1 else "respondents"
    said = f"Written by {item.writers} {people}"
    if set(item.organisations) <= {OTHER}:  # every organisation too small to name
        return said + " (their organisations are too few to show)."
    groups = ", ".join(f"{group} {count}" for group, count in
                       sorted(item.organisations.items(), key=lambda g: (g[0] == OTHER, -g[1], g[0])))
    return f"{said}: {groups}."


def choice(item: NameToDecide, key: str, everyone: Sequence[str], names: Mapping[str, str], *,
           other_key: str, revisiting: bool = False) -> tuple[str, str | None]:
    """Draw one name's choice (widget ``key``; ``other_key`` for "another person"); returns ``(action, person_id)``.

    ``action`` is ``later``/``keep``, ``accept``, ``choose``, ``new``, ``ignore`` or ``forget``.
    """
    offered = {candidate_words(c): c.person_id for c in item.candidates}
    first = [KEEP, FORGET] if revisiting and item.decision else [LATER]
    label = f"'{plain(item.raw)}'" + (f" (now: {plain(item.decision)})" if item.decision else "")
    picked = st.selectbox(label, [*first, *offered, ANOTHER, NEW, IGNORE], key=key,
                          help=writers_words(item))
    could = "; ".join(candidate_words(c).removeprefix("It is ") for c in item.candidates[:4])
    more = f" and {len(item.candidates) - 4} more" if len(item.candidates) > 4 else ""
    st.caption(plain(writers_words(item)) + (f" Could be: {plain(could)}{more}." if could else "")
               + (" **Clear match.**" if item.clear else ""))
    if picked in offered:
        return "accept", offered[picked]
    if picked == ANOTHER:
        other = st.selectbox(f"Who '{plain(item.raw)}' is", everyone, key=other_key,
                             format_func=lambda pid: str(names.get(pid, pid)))
        return "choose", other
    return {LATER: "later", KEEP: "keep", FORGET: "forget", NEW: "new", IGNORE: "ignore"}[picked], None


def apply(project: Project, decide, raw: str, action: str, person: str | None) -> bool:
    """Record one choice through ``decide(raw, action, person=...)``; False when nothing changes."""
    if action in ("later", "keep"):
        return False
    if action == "forget":
        return project.forget_decision(raw)
    decide(raw, action, person=person)
    return True
