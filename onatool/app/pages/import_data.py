"""Import: upload, read, check the import report, then save as a wave."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import choose, names_banner, show_error
from onatool.errors import OnaError
from onatool.projects import read_wave, save_wave

RESULT = "_import_result"

sel = selection()
names_banner(sel)
st.title("Import a wave")
if sel.project is None:
    st.info("Create a project first.")
    st.page_link("onatool/app/pages/project.py", label="Project", icon=":material/folder_open:")
    st.stop()
ws = cached.workspace(sel.workspace)
has_roster = bool(ws.waves(sel.project))
st.caption(f"Project: **{sel.project}**. Files are read on this computer and nothing is saved until you "
           "have read the import report.")


def _stash(upload) -> Path:
    """Keep an upload as a file under its own name, so messages can name it."""
    folder = Path(tempfile.mkdtemp(prefix="onatool-upload-"))
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


with st.form("import_form"):
    st.markdown("**1. Roster** (everyone in the network, whether or not they answered)")
    roster_upload = st.file_uploader("Roster (CSV or XLSX)", type=["csv", "xlsx"], key="import_roster",
                                     help="Leave empty to use the project's saved roster." if has_roster else None)
    st.markdown("**2. Answers**")
    answers_upload = st.file_uploader("Answers (CSV or XLSX)", type=["csv", "xlsx"], key="import_answers")
    c1, c2 = st.columns(2)
    layout = c1.radio("Layout", ["edge list", "matrix"], horizontal=True, key="import_layout",
                      help="Edge list: one row per 'source names target'. Matrix: a square sheet per relation.")
    wave = c2.text_input("Wave name", placeholder="e.g. baseline, 2026-06", key="import_wave")
    submitted = st.form_submit_button("Read the files", type="primary")

if submitted:
    if answers_upload is None or (roster_upload is None and not has_roster):
        st.error("Upload the answers file" + ("" if has_roster else " and a roster") + ".")
    else:
        progress = st.progress(0.0, text="Checking and reading the files...")
        try:
            roster_path = _stash(roster_upload) if roster_upload is not None else None
            progress.progress(0.3, text="Reading the answers and matching names...")
            result = read_wave(ws, sel.project, _stash(answers_upload), layout=layout,
                               wave=wave.strip() or None, roster_file=roster_path)
        except OnaError as error:
            progress.empty()
            st.session_state.pop(RESULT, None)
            show_error(error)
        else:
            progress.progress(1.0, text="Read. Check the report below before saving.")
            st.session_state[RESULT] = result

result = st.session_state.get(RESULT)
if result is not None:
    report, net = result.report, result.network
    st.subheader(f"Import report: wave '{net.wave}'")
    counts = report.counts()
    m = st.columns(5)
    m[0].metric("People", net.n_people)
    m[1].metric("Answered", f"{len(net.respondents)} ({net.response_rate:.0%})")
    m[2].metric("Rows kept", counts["kept"])
    m[3].metric("Rows changed or dropped", counts["changed"] + counts["dropped"])
    m[4].metric("Awaiting a decision", counts["doubted"])
    reasons = report.reasons()
    if reasons:
        st.dataframe(pd.DataFrame({"what": list(reasons), "count": list(reasons.values())}), hide_index=True)
    unmatched = [n for n in report.names if n["person_id"] is None]
    if unmatched:
        st.markdown("**Names not matched to the roster**")
        st.dataframe(pd.DataFrame(unmatched)[["raw", "method", "candidates"]], hide_index=True)
    with st.expander("Every row that was not kept as it was"):
        st.markdown(report.to_markdown())
    existing = [w.name for w in ws.waves(sel.project)]
    replace = net.wave in existing
    if replace:
        st.warning(f"A wave named '{net.wave}' exists: saving replaces it.")
    if st.button("Save as wave", type="primary", key="import_save"):
        try:
            save_wave(ws, sel.project, result, replace=replace)
        except OnaError as error:
            show_error(error)
        else:
            st.session_state.pop(RESULT, None)
            st.success(f"Saved wave '{net.wave}'.")
            choose(sel.project, net.wave)
