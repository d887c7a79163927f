"""UI pieces shared by pages: the sidebar pickers, page guards, banners."""

from __future__ import annotations

import streamlit as st

from onatool.app import cached
from onatool.app.auth import Access
from onatool.app.state import ALL_RELATIONS, Keys, Selection, selection, workspace_path
from onatool.errors import OnaError
from onatool.io.report import markdown_text
from onatool.project import choose_relation

__all__ = ["access", "choose", "metric_column_config", "metric_label", "names_banner", "plain", "require_wave",
           "show_error", "sidebar"]

_PENDING = "_pending_choice"


def choose(project: str | None, wave: str | None = None) -> None:
    """Switch project (and wave) from a page, then rerun.

    The sidebar's widgets own those keys once drawn, so the change is parked and
    applied before they are drawn on the next run.
    """
    st.session_state[_PENDING] = (project, wave)
    st.rerun()


def access() -> Access:
    """What this session's user may do (local use: everything)."""
    return st.session_state.get(Keys.ACCESS) or Access(st.session_state.get(Keys.USER, "local user"), "admin")


def sidebar(allowed: Access | None = None) -> Selection:
    """Draw the project, wave, relation and privacy pickers; return the selection.

    Only the projects ``allowed`` may open are listed, and the reveal-names switch is
    off and disabled, with the reason, for a user who may not reveal names.
    """
    allowed = allowed or access()
    path = workspace_path()
    ws = cached.workspace(path)
    projects = allowed.visible([p.name for p in ws.projects()])
    state = st.session_state
    if _PENDING in state:
        state[Keys.PROJECT], state[Keys.WAVE] = state.pop(_PENDING)
    if not allowed.may_reveal_names:
        state[Keys.REVEAL] = False
    with st.sidebar:
        st.markdown("### onatool")
        if not projects:
            state[Keys.PROJECT] = state[Keys.WAVE] = None
            st.info("No project yet: create one on the Project page." if allowed.may_manage
                    else "No project has been shared with you yet.")
            return selection()
        if state.get(Keys.PROJECT) not in projects:
            state[Keys.PROJECT] = projects[0]
        st.selectbox("Project", projects, key=Keys.PROJECT)
        waves = [w.name for w in ws.waves(state[Keys.PROJECT])]
        if waves:
            if state.get(Keys.WAVE) not in waves:
                state[Keys.WAVE] = waves[-1]
            st.selectbox("Wave", waves, key=Keys.WAVE, help="Survey round: baseline, interim, final ...")
            try:
                net = cached.network(path, state[Keys.PROJECT], state[Keys.WAVE],
                                     cached.wave_stamp(path, state[Keys.PROJECT], state[Keys.WAVE]))
            except OnaError as error:  # a damaged wave: say so, keep the pickers usable
                show_error(error)
                return selection()
            relations = list(net.relation_names)
            options = relations + ([ALL_RELATIONS] if len(relations) > 1 else [])
            labels = {r: net.relations[r].label for r in relations} | {ALL_RELATIONS: ALL_RELATIONS}
            if options and state.get(Keys.RELATION) not in options:
                state[Keys.RELATION] = choose_relation([net]) or options[0]  # the one default rule
            if options:
                st.selectbox("Relationship", options, key=Keys.RELATION,
                             format_func=lambda r: labels.get(r, r))
                chosen = net.ties if state[Keys.RELATION] == ALL_RELATIONS else \
                    net.ties[net.ties["relation"] == state[Keys.RELATION]]
                weights = sorted(float(w) for w in chosen["weight"].unique() if w > 0)
                if len(weights) > 1:
                    if state.get(Keys.MIN_WEIGHT) not in weights:
                        state[Keys.MIN_WEIGHT] = weights[0]
                    st.select_slider(
                        "Counts as a tie from weight", weights, key=Keys.MIN_WEIGHT,
                        help="Answers below this weight are not ties (e.g. only 'Monthly' or more often).",
                    )
                else:
                    state[Keys.MIN_WEIGHT] = None
        else:
            st.caption("This project has no waves yet: import one.")
        st.divider()
        st.toggle("Workshop mode", key=Keys.WORKSHOP,
                  help="No labels, group-level tooltips, small groups merged: safe to show a room.")
        reveal = st.toggle("Reveal names", key=Keys.REVEAL, disabled=not allowed.may_reveal_names,
                           help=allowed.why_no_names or "Shows real names. Recorded in the project's audit log.")
        if not allowed.may_reveal_names:
            st.caption(allowed.why_no_names)
        if reveal and not state.get("_reveal_logged"):
            ws.audit(state[Keys.PROJECT], state[Keys.USER], "names revealed")
            state["_reveal_logged"] = True
        if not reveal:
            state["_reveal_logged"] = False
        st.number_input("Hide groups smaller than", min_value=1, max_value=50, step=1, key=Keys.K,
                        help="Small-group suppression threshold (k) for everything shown to stakeholders.")
    return selection()


def names_banner(sel: Selection) -> None:
    """A banner on every page while names are revealed."""
    if sel.reveal_names:
        st.warning("Names are revealed. Turn this off before sharing your screen.", icon=":material/warning:")


def require_wave(sel: Selection) -> None:
    """Stop a page that needs a wave when none is chosen, pointing to the fix."""
    if sel.project is None or sel.wave is None:
        st.info("Choose a project with at least one wave, or import one.")
        if access().may_import:
            st.page_link("onatool/app/pages/import_data.py", label="Import a wave", icon=":material/upload_file:")
        st.stop()


def metric_label(column: str) -> str:
    """A column name as words: ``external_organisation`` -> ``External organisation``."""
    return column.replace("_", " ").capitalize()


def plain(text: object) -> str:
    """Text from a file or a person, safe in any Streamlit Markdown (labels, captions, titles).

    Survey text shown through Markdown could link out or fetch an image from outside
    (``![x](http://...)``); every character with a meaning is escaped.
    """
    return markdown_text(text)


def show_error(error: Exception) -> None:
    """An OnaError as a user can act on it: its kind and its message (which quotes file text)."""
    st.error(f"**{type(error).__name__}**: {plain(error)}")


def metric_column_config(columns) -> dict:
    """Column headings with each measure's plain-language sentence as help."""
    from onatool.metrics import spec_for

    config = {}
    for column in columns:
        try:
            spec = spec_for(column)
        except KeyError:
            continue
        number = st.column_config.NumberColumn(metric_label(column), help=spec.sentence, format="%.3g")
        config[column] = number
    return config
