"""What a presentation slide says beside its finding: a question for the room, and the map's colouring.

Kept apart from the page so it can be tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onatool import schema

__all__ = ["GENERAL_PROMPT", "PROMPTS", "colour_for", "prompt_for"]

#: A question for the room when a finding carries none of its own, by kind of finding.
PROMPTS = {
    "silos": "Where would more contact across these lines make the biggest difference to the people we serve?",
    "bridges": "Who carries things between these groups today, and what happens when they are away?",
    "dependence": "What would it take so that this does not rest on a few people?",
    "spanners": "What helps people work across boundaries here, and what gets in the way?",
    "tops": "How do senior leaders meet as peers across the partnership, and what do they do together?",
    "middles": "What would help managers in the middle share what they know with each other?",
    "bottoms": "How do frontline concerns reach the people who can act on them?",
    "reciprocity": "When people go to someone, do they hear back? What makes a relationship two-way?",
    "change": "What was happening in the partnership between the two surveys that might show here?",
    "cohort": "What did the programme's participants do differently, and what else was going on?",
}
GENERAL_PROMPT = "Does this match your experience? What would you want to see here next time?"


def prompt_for(finding: Any) -> str:
    """The finding's own discussion prompt when it has one, else one for its kind."""
    for name in ("prompt", "discussion", "question"):
        text = getattr(finding, name, None)
        if isinstance(text, str) and text.strip():
            return text
    return PROMPTS.get(getattr(finding, "kind", ""), GENERAL_PROMPT)


def colour_for(finding: Any, columns: Iterable[str]) -> str:
    """Colour the map by the attribute the finding is about (organisation otherwise)."""
    columns = list(columns)
    for attribute, _ in getattr(finding, "groups", ()) or ():
        if attribute in columns:
            return attribute
    if getattr(finding, "kind", "") in ("tops", "middles", "bottoms") and schema.LEVEL in columns:
        return schema.LEVEL
    return schema.ORGANISATION if schema.ORGANISATION in columns else next(iter(columns), schema.ORGANISATION)
