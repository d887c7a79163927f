"""Responses: while a survey is open, who has answered, by group, against a target."""

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.state import Keys, selection
from onatool.app.widgets import access, gate, names_banner, plain, require_wave, table
from onatool.project import Project
from onatool.share.tables import RESPONSE_TARGET, response_progress

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Responses")
st.caption("Import the export so far as a wave (partial is fine) on the Import page, then check it here: the "
           "response rate by group against the target, and which groups to remind.")

path, wave = sel.workspace, sel.wave
net = cached.network(path, sel.project, wave, cached.wave_stamp(path, sel.project, wave))
project = Project(cached.workspace(path), sel.project)
target = st.slider("Target response rate in every group (%)", 50, 95, round(RESPONSE_TARGET * 100), 5,
                   format="%d%%", key="responses_target") / 100
answered = int(net.people["responded"].sum())
cols = st.columns(3)
cols[0].metric("Answered", f"{answered} of {net.n_people}")
cols[1].metric("Response rate", f"{net.response_rate:.0%}")
shown = gate(sel)
by = [a for a in ("organisation", "level") if a in net.people.columns]
tables = {a: response_progress(net, a, shown.disclosure, target=target) for a in by}
under = sum(int(t["under_target"].sum()) for t in tables.values())
cols[2].metric("Groups under the target", under)
for attribute, progress in tables.items():
    st.subheader(f"By {attribute}")
    words = progress.rename(columns={"size": "People", "respondents": "Answered", "response_rate": "Response rate",
                                     "still_needed": "Still needed", "under_target": "Under target"})
    table(words.drop(columns="target"), key=f"responses_{attribute}", column_config={
        "Response rate": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
        "Under target": st.column_config.CheckboxColumn(width="small")})
st.caption(f"Groups of fewer than {shown.disclosure.threshold} people are merged into Other.")

history = project.response_history(wave)
if len(history) > 1:
    st.subheader("Over the open period")
    chart = history.assign(at=pd.to_datetime(history["at"])).set_index("at")[["response_rate"]]
    st.line_chart(chart.rename(columns={"response_rate": "Response rate"}))

if access().may_import:  # analysts only, never a viewer
    st.subheader("Reminders")
    st.caption("A list of who has not answered (id, name, email), for reminders: written to your private folder on "
               "this computer, never shown here, and recorded in the audit log.")
    if st.button("Write the reminder list", key="responses_reminders"):
        written = project.write_reminders(wave, user=st.session_state.get(Keys.USER) or "local user")
        st.success(f"{written.rows} people. Written to {plain(written.path)}")
