"""Project: open, create, rename, delete; the waves with their response rates."""

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.state import Keys, selection
from onatool.app.widgets import access, choose, names_banner, plain
from onatool.errors import OnaError
from onatool.project import Project

sel = selection()
ws = cached.workspace(sel.workspace)
names_banner(sel)
st.title("Project")

if sel.project:
    info = ws.project(sel.project)
    st.subheader(plain(info.name))
    if info.description:
        st.caption(plain(info.description))
    project = Project(ws, sel.project)
    for warning in project.key_warnings():
        st.error(plain(warning), icon=":material/key:")
    waves = project.waves()
    if waves:
        table = pd.DataFrame(
            {
                "Wave": [w.name for w in waves],
                "People": [w.people for w in waves],
                "Answered": [w.respondents for w in waves],
                "Response rate": [w.response_rate for w in waves],
                "Ties (all relations)": [w.ties for w in waves],
                "Saved": [pd.Timestamp(w.created).strftime("%d %b %Y %H:%M") for w in waves],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            column_config={"Response rate": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
        )
        st.caption("Non-respondents stay in the network (others named them); their own ties are unknown, not absent.")
    else:
        st.info("No waves yet.")
        if access().may_import:
            st.page_link("onatool/app/pages/import_data.py", label="Import the first wave",
                         icon=":material/upload_file:")

if not access().may_manage:  # hosted viewers and analysts: projects are managed by an admin
    st.stop()
st.divider()
left, middle, right = st.columns(3)
with left, st.form("create_project", clear_on_submit=True):
    st.markdown("**New project**")
    name = st.text_input("Name", key="new_project_name")
    description = st.text_input("Description (optional)")
    if st.form_submit_button("Create") and name.strip():
        try:
            Project.create(ws, name, description=description.strip())
        except OnaError as error:
            st.error(str(error))
        else:
            choose(name.strip())
if sel.project:
    with middle, st.form("rename_project"):
        st.markdown("**Rename this project**")
        new_name = st.text_input("New name", value=sel.project)
        if st.form_submit_button("Rename") and new_name.strip() and new_name.strip() != sel.project:
            try:
                Project(ws, sel.project).rename(new_name)
            except OnaError as error:
                st.error(str(error))
            else:
                choose(new_name.strip(), sel.wave)
    with right, st.form("delete_project"):
        st.markdown("**Delete this project**")
        confirm = st.text_input("Type the project's name to confirm")
        if st.form_submit_button("Delete", type="secondary"):
            if confirm == sel.project:
                ws.delete_project(sel.project, user=st.session_state.get(Keys.USER))
                choose(None)
            else:
                st.error("The name typed does not match; nothing was deleted.")
