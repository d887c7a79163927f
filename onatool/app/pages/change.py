"""Change: how relationships moved between waves."""

import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import names_banner, require_wave

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Change between waves")
waves = [w.name for w in cached.workspace(sel.workspace).waves(sel.project)]
if len(waves) < 2:
    st.info("This project has one wave so far: import another to compare.")
    st.stop()
