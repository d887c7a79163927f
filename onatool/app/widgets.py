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

__all__ = ["MATRIX_AS_TABLE", "metric_card", "points", "MEASURE_GROUPS", "attribute_columns", "group_means", "measure_columns", "access", "choose", "format_number", "gate", "matrix", "metric_column_config",
           "metric_label", "names_banner", "number_format", "plain", "project_policy", "require_wave",
           "show_error", "sidebar", "table"]


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
    sel = selection()

    # Written on every rerun (a few ms for a page's tables): a deferred download (a callable)
    # left the button disabled in headless Chromium now and then, so a user could not download.
    data = safe_frame(frame).to_csv(index=not isinstance(frame.index, pd.RangeIndex)).encode("utf-8-sig")

    def record() -> None:
        if sel.project:
            cached.workspace(sel.workspace).audit(sel.project, st.session_state.get(Keys.USER) or "local user",
                                                  "table downloaded", key)

    st.download_button("Download this table (CSV)", data, file_name=f"{key}.csv",
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


def metric_label(column: str, level: str = "person") -> str:
    """A result name as the registry's plain heading: ``ei_organisation`` -> ``Reaches across organisation (E-I)``.

    A name no measure produces (a roster attribute) gets its own words, capitalised.
    """
    from onatool.metrics.registry import heading

    return heading(str(column), level)  # type: ignore[arg-type]


def number_format(column: str, level: str = "person") -> str | None:
    """How a measure's values read: ``"percent"`` (shares), ``"%d"`` (counts), ``"%+.2f"``
    (indices that run below zero) or ``"%.2f"``; None for a name no measure produces.

    The kind comes from the registry: a measure whose sentence speaks of "the share" is a
    share; one that counts (range from 0 with no upper bound, whole numbers) is a count.
    """
    from onatool.metrics import spec_for

    try:
        spec = spec_for(str(column), level)  # type: ignore[arg-type]
    except KeyError:
        return None
    low, high = spec.range or (0.0, 1.0)
    if ("the share" in spec.sentence.lower() or spec.name.endswith(("_share", "_rate")) or "{pct}" in spec.statement
            or (spec.level in ("health", "levels") and high == 1 and low in (0, float("-inf")))):
        return "percent"
    if low >= 0 and high == float("inf") and spec.name not in _FRACTIONAL:
        return "%d"
    return "%+.2f" if low < 0 else "%.2f"


#: Unbounded measures whose values are not whole numbers.
_FRACTIONAL = frozenset({"effective_size"})


def format_number(value: object, how: str | None = "%.2f") -> str:
    """One value as text in the way :func:`number_format` says (never "-0.00", never "197.000").

    Examples
    --------
    >>> format_number(0.4567, "percent"), format_number(197.0, "%d"), format_number(-0.0001, "%+.2f")
    ('46%', '197', '0.00')
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return "–"
    number = float(value)
    if how == "percent":
        return f"{number:.0%}"
    if how == "%d":
        return f"{round(number):,d}"
    text = (how or "%.2f") % number
    return text.lstrip("+-") if float(text) == 0 else text


def metric_column_config(columns, level: str = "person", *, means: bool = False) -> dict:
    """Column headings in the registry's words, each measure's sentence as help, numbers formatted
    (``means``: the columns are group means, so a count's mean keeps one decimal)."""
    from onatool.metrics import spec_for

    config = {}
    for column in columns:
        try:
            spec = spec_for(str(column), level)  # type: ignore[arg-type]
        except KeyError:
            config[column] = st.column_config.Column(metric_label(column, level))
            continue
        attribute = str(column).removeprefix(spec.name + "_") if spec.per_attribute else None
        how = number_format(column, level)
        if means and how == "%d":
            how = "%.1f"
        config[column] = st.column_config.NumberColumn(
            metric_label(column, level) + (" (mean)" if means else ""), help=spec.describe(attribute), format=how)
    return config


#: The People page's column groups: (what they tell, the measures, whether counted across one line).
MEASURE_GROUPS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "Reach": ("Who names them, whom they name, and how easily they reach others and are reached.",
              ("in_degree", "out_degree", "degree", "closeness_in", "closeness_out"), False),
    "Standing": ("How well connected their contacts are, and how deep in the core of the network they sit.",
                 ("eigenvector", "pagerank", "core", "community"), False),
    "Brokerage": ("Whether they bridge circles that would otherwise not meet.",
                  ("betweenness", "constraint", "effective_size", "efficiency"), False),
    "Boundary spanning": ("How far their relationships reach across one line (organisation, sector ...).",
                          ("ei", "external", "participation"), True),
    "Brokerage roles": ("Which go-between roles they play across one line (Gould and Fernandez).",
                        ("coordinator", "itinerant", "representative", "gatekeeper", "liaison"), True),
}
#: Measures that name a category, not an amount: never averaged over a group.
_CATEGORIES = frozenset({"community"})


def measure_columns(frame: pd.DataFrame, family: str, attribute: str | None) -> list[str]:
    """The columns of ``frame`` in one of :data:`MEASURE_GROUPS` (per-attribute ones across ``attribute``)."""
    _, names, per_attribute = MEASURE_GROUPS[family]
    wanted = [f"{name}_{attribute}" for name in names] if per_attribute else list(names)
    return [c for c in wanted if c in frame.columns]


def attribute_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a person table that describe who a person is, not a measure."""
    from onatool.metrics import spec_for

    out = []
    for column in frame.columns:
        try:
            spec_for(str(column))
        except KeyError:
            out.append(column)
    return out


def group_means(people: pd.DataFrame, by: str, columns, shown: Gate) -> pd.DataFrame:
    """Each group's size and mean measures, through the gate: small groups merged into
    "Other" (the ``labels`` rule, so "Other" is a real group's mean), then any group the
    rule still hides left out (``by_group``). No row describes a person."""
    labels = shown.release("labels", people[by]).astype(object)
    known = labels.notna()
    labels = labels[known].astype(str)
    amounts = [c for c in columns if c not in _CATEGORIES and c in people.columns]
    sizes = labels.value_counts()
    means = people.loc[known, amounts].apply(pd.to_numeric, errors="coerce").groupby(labels).mean()
    means.insert(0, "people", sizes.reindex(means.index))
    means.index.name = by
    released = shown.release("by_group", means, sizes=sizes)
    return released.sort_values("people", ascending=False)


def metric_card(label: str, value: str, *, delta: str | None = None, delta_color: str = "normal",
                help: str | None = None) -> None:
    """A figure with its heading on a line of its own, so a long heading wraps instead of being cut."""
    st.markdown(f"**{plain(label)}**", help=help)
    st.metric(label, value, delta=delta, delta_color=delta_color, label_visibility="collapsed")


def points(change: float) -> str:
    """A change in a share, in percentage points: ``+9 points``, ``-1 point``.

    Examples
    --------
    >>> points(0.09), points(-0.012), points(0.001)
    ('+9 points', '-1 point', '0 points')
    """
    rounded = round(change * 100)
    if rounded == 0:
        return "0 points"
    return f"{rounded:+d} point" + ("" if abs(rounded) == 1 else "s")


#: Above this many groups a group-by-group matrix is a sortable table, not a heatmap.
MATRIX_AS_TABLE = 8


def matrix(frame: pd.DataFrame, title: str, *, key: str, percent: bool = False) -> None:
    """A group-by-group matrix that has passed the gate: a heatmap for a few groups, a
    sortable table (rows name columns) above :data:`MATRIX_AS_TABLE` groups."""
    from onatool.viz.charts import heatmap

    if len(frame) > MATRIX_AS_TABLE or len(frame.columns) > MATRIX_AS_TABLE:
        st.markdown(f"**{plain(title)}**")
        how = "percent" if percent else "%d"
        table(frame.astype(float), key=key, column_config={
            c: st.column_config.NumberColumn(str(c), format=how) for c in frame.columns})
        return
    st.plotly_chart(heatmap(frame.astype(float) * (100 if percent else 1), title,
                            value_format=".0f"), key=key)


def plain(text: object) -> str:
    """Text from a file or a person, safe in any Streamlit Markdown (labels, captions, titles).

    Survey text shown through Markdown could link out or fetch an image from outside
    (``![x](http://...)``); every character with a meaning is escaped.
    """
    return markdown_text(text)


def show_error(error: Exception) -> None:
    """An OnaError as a user can act on it: its kind and its message (which quotes file text)."""
    st.error(f"**{type(error).__name__}**: {plain(error)}")

