"""Project: open, create, rename, delete; the waves with their response rates; the project's colours."""

import pandas as pd
import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import Keys, selection
from onatool.app.widgets import access, choose, names_banner, plain
from onatool.errors import OnaError
from onatool.project import Project
from onatool.viz.palette import MIN_DISTANCE, closest

#: A confirmation to show on the next run (a save, a create, a rename, a delete reruns the app).
DONE = "_project_done"
#: Attributes whose groups can be given colours.
COLOURED = (schema.ORGANISATION, "sector", "profession", schema.LEVEL, "place", "team", "cohort")

sel = selection()
ws = cached.workspace(sel.workspace)
names_banner(sel)
st.title("Project")
if st.session_state.get(DONE):
    done = st.session_state.pop(DONE)
    st.success(plain(done), icon=":material/check_circle:")
    st.toast(plain(done), icon=":material/check_circle:")


def _done(message: str, project: str | None, wave: str | None = None) -> None:
    st.session_state[DONE] = message
    choose(project, wave)


@st.dialog("Delete this project?")
def _confirm_delete(name: str) -> None:
    st.markdown(f"Deleting **{plain(name)}** removes its waves, roster, name decisions, colours and key from this "
                "computer for good. The audit log keeps a line saying it was deleted, and by whom.")
    typed = st.text_input("Type the project's name to confirm", key="delete_confirm_name")
    left, right = st.columns(2)
    if right.button("Delete for good", type="primary", key="delete_confirmed", disabled=typed.strip() != name):
        ws.delete_project(name, user=st.session_state.get(Keys.USER))
        _done(f"Project '{name}' was deleted.", None)
    if left.button("Keep it", key="delete_cancelled"):
        st.rerun()


def _colours(project: Project) -> None:
    """The project's palette: one colour per group, the same in every map, chart and report."""
    try:
        people = project.roster().people
    except OnaError:
        st.caption("Colours can be chosen once the project has a roster.")
        return
    attributes = [a for a in COLOURED if a in people.columns]
    if not attributes:
        return
    attribute = st.selectbox("Colour groups of", attributes, key="palette_attribute",
                             format_func=lambda a: a.replace("_", " ").capitalize())
    colours = project.palette(attribute)
    with st.form(f"palette_{attribute}"):
        picked = {}
        columns = st.columns(4)
        for index, (group, colour) in enumerate(sorted(colours.items())):
            picked[group] = columns[index % 4].color_picker(plain(group), colour, key=f"palette_{attribute}_{group}")
        saved = st.form_submit_button("Save colours", type="primary")
    if st.button("Back to the default colours", key=f"palette_reset_{attribute}", type="secondary"):
        project.reset_palette(attribute)
        for group in colours:
            st.session_state.pop(f"palette_{attribute}_{group}", None)
        _done(f"The colours of each {attribute} are back to the defaults.", sel.project, sel.wave)
    if saved:
        changed = {g: c for g, c in picked.items() if c.upper() != colours[g].upper()}
        try:
            for group, colour in changed.items():
                project.set_colour(attribute, group, colour)
        except OnaError as error:
            st.error(plain(error))
            return
        close = []
        for group in changed:
            others = {g: c for g, c in project.palette(attribute).items() if g != group}
            nearest = closest(picked[group], others)
            if nearest is not None and nearest[1] < MIN_DISTANCE:
                close.append(f"{group} looks like {nearest[0]} to some readers")
        message = f"Saved {len(changed)} colour(s)." if changed else "No colour was changed."
        _done(message + (" Check: " + "; ".join(close) + "." if close else ""), sel.project, sel.wave)


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
        with st.expander("Colours: one per group, in every map, chart and report"):
            _colours(project)
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
    if st.form_submit_button("Create", type="primary" if not sel.project else "secondary"):
        if not name.strip():
            st.error("Give the new project a name.")
        else:
            try:
                Project.create(ws, name, description=description.strip())
            except OnaError as error:
                st.error(plain(error))
            else:
                _done(f"Project '{name.strip()}' was created: import its first wave next.", name.strip())
if sel.project:
    with middle, st.form("rename_project"):
        st.markdown("**Rename this project**")
        new_name = st.text_input("New name", value=sel.project)
        if st.form_submit_button("Rename") and new_name.strip() and new_name.strip() != sel.project:
            try:
                Project(ws, sel.project).rename(new_name)
            except OnaError as error:
                st.error(plain(error))
            else:
                _done(f"Renamed to '{new_name.strip()}'.", new_name.strip(), sel.wave)
    with right:
        st.markdown("**Delete this project**")
        st.caption("Removes its waves, roster and decisions from this computer. You are asked to confirm.")
        if st.button("Delete this project...", type="secondary", key="delete_project", icon=":material/delete:"):
            _confirm_delete(sel.project)
