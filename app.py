"""onatool's Streamlit entry: page config, state, sidebar pickers, navigation. Nothing else."""

from pathlib import Path

import streamlit as st

from onatool.app.auth import gate
from onatool.app.state import Keys, init_state
from onatool.app.widgets import show_error, sidebar
from onatool.errors import OnaError

PAGES = Path(__file__).parent / "onatool" / "app" / "pages"

st.set_page_config(page_title="onatool", page_icon=str(PAGES.parent / "assets" / "icon.png"), layout="wide")
# Streamlit's own table download (CSV, clipboard) bypasses the audit log and formula protection:
# off; tables that may be downloaded carry the app's own button (onatool.app.widgets.table).
st.set_option("client.disableDataExport", True)
init_state()
access = gate(st.session_state[Keys.USER])  # hosted: signed in and allowed, or the page stops here
st.session_state[Keys.USER], st.session_state[Keys.ACCESS] = access.user, access
try:
    sidebar(access)
except OnaError as error:  # a workspace file that cannot be opened: say what to do, nothing else
    show_error(error)
    st.stop()
pages = st.navigation(
    {
        "Project": [
            st.Page(PAGES / "project.py", title="Project", icon=":material/folder_open:", default=True),
            *([st.Page(PAGES / "import_data.py", title="Import", icon=":material/upload_file:"),
               st.Page(PAGES / "names.py", title="Names", icon=":material/badge:")]
              if access.may_import else []),
            st.Page(PAGES / "responses.py", title="Responses", icon=":material/how_to_reg:"),
        ],
        "Explore": [
            st.Page(PAGES / "map.py", title="Map", icon=":material/hub:"),
            st.Page(PAGES / "people.py", title="People", icon=":material/groups:"),
            st.Page(PAGES / "boundaries.py", title="Boundaries", icon=":material/fence:"),
            st.Page(PAGES / "levels.py", title="Tops, middles, bottoms", icon=":material/account_tree:"),
            st.Page(PAGES / "health.py", title="Health", icon=":material/monitor_heart:"),
            st.Page(PAGES / "change.py", title="Change", icon=":material/trending_up:"),
            st.Page(PAGES / "whatif.py", title="What if they left", icon=":material/person_remove:"),
            st.Page(PAGES / "forums.py", title="Boards and forums", icon=":material/meeting_room:"),
            st.Page(PAGES / "places.py", title="Places", icon=":material/map:"),
        ],
        "Share": [
            st.Page(PAGES / "present.py", title="Present", icon=":material/slideshow:"),
            st.Page(PAGES / "export.py", title="Export", icon=":material/download:"),
            st.Page(PAGES / "about.py", title="About this analysis", icon=":material/lock:"),
        ],
    }
)
try:
    pages.run()
except OnaError as error:  # e.g. a damaged wave: say so; the sidebar still switches projects
    show_error(error)
