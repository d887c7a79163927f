"""Names: revisit a saved wave's name decisions, change them, and re-derive the wave."""

import streamlit as st

from onatool.app import cached, naming
from onatool.app.state import selection
from onatool.app.widgets import access, names_banner, plain, show_error
from onatool.errors import OnaError
from onatool.project import Project

#: The most names shown at once (filter to find others).
PAGE = 40
DONE = "_names_done"

sel = selection()
names_banner(sel)
st.title("Names")
if sel.project is None or not access().may_import:
    st.info("Open a project first." if sel.project is None else "Name decisions are made by an analyst.")
    st.page_link("onatool/app/pages/project.py", label="Project", icon=":material/folder_open:")
    st.stop()
project = Project(cached.workspace(sel.workspace), sel.project)
waves = project.wave_names()
if not waves:
    st.info("No waves yet: names are decided while importing.")
    st.page_link("onatool/app/pages/import_data.py", label="Import", icon=":material/upload_file:")
    st.stop()
st.caption("Every typed name that was not an exact match, with what was decided. A change is kept in the project "
           "(for every later wave too) and the wave is read again from the answers it was saved with. Names are "
           "shown to you only: this page is never shared.")
if st.session_state.get(DONE):
    st.success(plain(st.session_state.pop(DONE)), icon=":material/check_circle:")

top = st.columns([1.2, 2, 1.4])
wave = top[0].selectbox("Wave", waves, index=waves.index(sel.wave) if sel.wave in waves else len(waves) - 1,
                        key="names_wave")
search = top[1].text_input("Find a name", key="names_search", placeholder="part of a name as typed")
show = top[2].segmented_control("Show", ["All", "Decided", "Not decided"], default="All", key="names_show")
items = project.wave_names_decided(wave, k=sel.k)
shown = [i for i in items
         if (not search.strip() or search.strip().casefold() in i.raw.casefold())
         and (show in (None, "All") or (show == "Decided") == bool(i.decision))]
decided = sum(bool(i.decision) for i in items)
st.markdown(f"**{len(items)}** typed names in wave '{plain(wave)}' needed more than an exact match; "
            f"**{decided}** have a decision.")
if not shown:
    st.info("No names to show." if items else "Every name in this wave matched the roster exactly.")
    st.stop()

identities = project.roster().identities
names = identities["name"] if "name" in identities.columns else {}
everyone = sorted(identities.index, key=lambda pid: str(names.get(pid, pid)))
choices = {}
columns = st.columns(2)
for index, item in enumerate(shown[:PAGE]):
    with columns[index % 2].container(border=True):
        st.caption(f"At import: {naming.HOW.get(item.method, item.method)}")
        choices[item.raw] = naming.choice(item, f"names_{wave}_{item.raw}", everyone, names, revisiting=True,
                                             other_key=f"names_other_{wave}_{item.raw}")
if len(shown) > PAGE:
    st.caption(f"{len(shown) - PAGE} more: find them by name.")

if st.button("Save the changes and re-read the wave", type="primary", key="names_apply"):
    try:
        changed = [raw for raw, (action, person) in choices.items()
                   if naming.apply(project, lambda r, a, person: project.decide_in_wave(wave, r, a, person=person),
                                   raw, action, person)]
        if changed:
            result = project.rederive_wave(wave)
    except OnaError as error:
        show_error(error)
    else:
        if changed:
            net = result.network
            st.session_state[DONE] = (f"{len(changed)} decision(s) saved; wave '{wave}' read again: "
                                      f"{net.n_people} people, {net.n_ties} ties.")
            for raw in changed:  # the choices start again from the saved decisions
                st.session_state.pop(f"names_{wave}_{raw}", None)
            st.rerun()
        else:
            st.info("Nothing was changed.")
