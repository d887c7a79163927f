"""Session state: every key in one place, one idempotent initialiser."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

__all__ = ["ALL_RELATIONS", "Keys", "Selection", "init_state", "selection"]

ALL_RELATIONS = "All relations"


class Keys:
    """Session-state keys. Widgets use the same names, so tests can preset them."""

    PROJECT = "project"
    WAVE = "wave"
    RELATION = "relation"
    MIN_WEIGHT = "min_weight"
    WORKSHOP = "workshop"
    REVEAL = "reveal_names"
    K = "k"
    USER = "user"
    ACCESS = "_access"  # onatool.app.auth.Access: what this session's user may do


@dataclass(frozen=True)
class Selection:
    """What the sidebar has chosen: every page reads this, and passes it on explicitly."""

    workspace: str
    project: str | None
    wave: str | None
    relation: str | None
    min_weight: float | None
    workshop: bool
    reveal_names: bool
    k: int


def workspace_path() -> str:
    """The workspace file: ``$ONATOOL_WORKSPACE``, else in ``$ONATOOL_HOME`` (the CLI's too)."""
    from onatool.store import default_path

    return str(default_path())


def init_state() -> None:
    """Set defaults once per session; safe to call on every rerun."""
    defaults = {
        Keys.PROJECT: None,
        Keys.WAVE: None,
        Keys.RELATION: None,
        Keys.MIN_WEIGHT: None,
        Keys.WORKSHOP: True,  # names hidden, group tooltips, small groups merged
        Keys.REVEAL: False,
        Keys.K: 5,
        Keys.USER: os.environ.get("USER", "local user"),
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def selection() -> Selection:
    """The current choices, as plain values."""
    s = st.session_state
    return Selection(
        workspace=workspace_path(),
        project=s.get(Keys.PROJECT),
        wave=s.get(Keys.WAVE),
        relation=None if s.get(Keys.RELATION) in (None, ALL_RELATIONS) else s.get(Keys.RELATION),
        min_weight=s.get(Keys.MIN_WEIGHT),
        workshop=bool(s.get(Keys.WORKSHOP, True)),
        reveal_names=bool(s.get(Keys.REVEAL, False)),
        k=int(s.get(Keys.K, 5)),
    )
