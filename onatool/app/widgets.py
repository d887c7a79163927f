"""UI pieces shared by pages: the sidebar pickers, page guards, banners."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.auth import Access
from onatool.app.state import ALL_RELATIONS, Keys, Selection, selection, workspace_path
from onatool.errors import OnaError
from onatool.io.report import markdown_text
from onatool.project import choose_relation
from onatool.share.disclosure import POLICY_SETTING, Disclosure, Policy
from onatool.share.gate import Gate

__all__ = ["access", "choose", "gate", "metric_column_config", "metric_label",
           "names_banner", "plain", "project_policy", "require_wave", "show_error", "sidebar", "table"]


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
    if state.get(Keys.PROJECT) not in projects:
        state[Keys.PROJECT] = projects[0] if projects else None
    # The policy is the project's, held in the workspace: a session may only make it stricter.
    policy = project_policy(state.get(Keys.PROJECT))
    state[Keys.K], state[Keys.WORKSHOP] = policy.session(
        allowed.role, k=int(state.get(Keys.K) or policy.k), workshop=bool(state.get(Keys.WORKSHOP, True)))
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
                    # The answer words (Yearly ... Daily) the weights stand for, the commonest per weight.
                    words = (chosen[chosen["weight"] > 0].groupby("weight")["raw_value"]
                             .agg(lambda v: v.dropna().astype(str).mode().iloc[0] if v.notna().any() else None))
                    st.select_slider(
                        "Counts as a tie from", weights, key=Keys.MIN_WEIGHT,
                        format_func=lambda w: str(words.get(w) or f"weight {w:g}"),
                        help="Answers below this one are not ties (e.g. only 'Monthly' or more often).",
                    )
                else:
                    state[Keys.MIN_WEIGHT] = None
        else:
            st.caption("This project has no waves yet: import one.")
        st.divider()
        leave = Policy.may_leave_workshop(allowed.role)
        st.toggle("Workshop mode", key=Keys.WORKSHOP, disabled=not leave,
                  help="No labels, group-level tooltips, small groups merged: safe to show a room."
                  + ("" if leave else f" Your role ({allowed.role}) always sees workshop mode."))
        reveal = st.toggle("Reveal names", key=Keys.REVEAL, disabled=not allowed.may_reveal_names,
                           help=allowed.why_no_names or "Shows real names. Recorded in the project's audit log.")
        if not allowed.may_reveal_names:
            st.caption(allowed.why_no_names)
        if reveal and not state.get("_reveal_logged"):
            ws.audit(state[Keys.PROJECT], state[Keys.USER], "names revealed")
            state["_reveal_logged"] = True
        if not reveal:
            state["_reveal_logged"] = False
        st.number_input("Hide groups smaller than", min_value=policy.k, max_value=max(50, policy.k), step=1,
                        key=Keys.K, help=f"Small-group suppression threshold (k). The project's policy is "
                                         f"{policy.k}: you can raise it here, never lower it.")
        if allowed.may_manage:
            _policy_editor(ws, state[Keys.PROJECT], policy)
    return selection()


def project_policy(project: str | None) -> Policy:
    """The project's disclosure policy, from the workspace (the default when none is stored)."""
    if not project:
        return Policy()
    try:
        return Policy.from_setting(cached.workspace(workspace_path()).get_setting(project, POLICY_SETTING))
    except OnaError:
        return Policy()


def _policy_editor(ws, project: str, policy: Policy) -> None:
    """Admins only: the project's own threshold, which every session starts from (audited)."""
    with st.expander("Project privacy policy"):
        chosen = st.number_input("Project threshold (k)", min_value=1, max_value=50, step=1, value=policy.k,
                                 key="_policy_k", help="No session, of any role, can go below it.")
        if int(chosen) != policy.k and st.button("Save the project's threshold", key="_policy_save"):
            ws.set_setting(project, POLICY_SETTING, Policy(k=int(chosen), preset=policy.preset).as_setting())
            ws.audit(project, st.session_state[Keys.USER], "disclosure policy changed", f"k {policy.k} -> {int(chosen)}")
            st.session_state[Keys.K] = int(chosen)
            st.rerun()


def gate(sel: Selection) -> Gate:
    """The disclosure gate for what this page shows: the session's policy; names only when revealed
    (and so audited). Pages release every table, chart and sentence through it."""
    disclosure = Disclosure(k=sel.k)
    if sel.reveal_names:
        disclosure = disclosure.reveal_names(user=st.session_state.get(Keys.USER) or "local user",
                                             project=sel.project or "", audit=lambda *_: None,
                                             detail="already recorded when names were revealed")
    return Gate(disclosure)


def table(frame, *, key: str, **options) -> None:
    """Show a table that has passed the gate, with the app's own download (formula-safe, audited).

    Streamlit's own table download is switched off (``client.disableDataExport``, set in
    ``app.py``): it bypassed the audit log and formula protection. This is the only one.
    """
    from onatool.outputs.files import safe_frame

    st.dataframe(frame, **options)
    data = safe_frame(frame).to_csv(index=not isinstance(frame.index, pd.RangeIndex))
    sel = selection()

    def record() -> None:
        if sel.project:
            cached.workspace(sel.workspace).audit(sel.project, st.session_state.get(Keys.USER) or "local user",
                                                  "table downloaded", key)

    st.download_button("Download this table (CSV)", data.encode("utf-8-sig"), file_name=f"{key}.csv",
                       mime="text/csv", key=f"download_{key}", on_click=record)


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
