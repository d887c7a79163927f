"""onatool's Streamlit entry: page config, state, sidebar pickers, navigation. Nothing else."""

from pathlib import Path

import streamlit as st

from onatool.app.state import init_state
from onatool.app.widgets import sidebar

PAGES = Path(__file__).parent / "onatool" / "app" / "pages"

st.set_page_config(page_title="onatool", page_icon="🕸️", layout="wide")
init_state()
sidebar()
st.navigation(
    {
        "Project": [
            st.Page(PAGES / "project.py", title="Project", icon="🗂️", default=True),
            st.Page(PAGES / "import_data.py", title="Import", icon="📥"),
        ],
        "Explore": [
            st.Page(PAGES / "map.py", title="Map", icon="🕸️"),
            st.Page(PAGES / "people.py", title="People", icon="🧑‍🤝‍🧑"),
            st.Page(PAGES / "boundaries.py", title="Boundaries", icon="🧱"),
            st.Page(PAGES / "levels.py", title="Tops, middles, bottoms", icon="🏛️"),
            st.Page(PAGES / "health.py", title="Health", icon="💚"),
            st.Page(PAGES / "change.py", title="Change", icon="📈"),
        ],
        "Share": [
            st.Page(PAGES / "export.py", title="Export", icon="📤"),
            st.Page(PAGES / "about.py", title="About this analysis", icon="🔒"),
        ],
    }
).run()
