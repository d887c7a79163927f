"""Present: step through the findings with a room, one per slide, each with its map, its sentence, a
discussion prompt and the room's notes. Always workshop-safe: no names, no labels, small groups merged."""

import streamlit as st

from onatool.app import cached
from onatool.app.slides import colour_for, prompt_for
from onatool.app.state import Keys, selection
from onatool.app.widgets import plain, require_wave, show_error
from onatool.errors import OnaError
from onatool.share.disclosure import Disclosure

SLIDE = "present_slide"

st.set_page_config(initial_sidebar_state="collapsed")
sel = selection()
require_wave(sel)


@st.cache_resource(max_entries=16, show_spinner="Finding what stands out...")
def _findings(path: str, project: str, wave: str, stamp: str, relation: str | None, min_weight: float | None,
              k: int) -> list:
    from onatool.share.gate import release
    from onatool.share.insights import insights

    net = cached.layer(path, project, wave, stamp, relation, min_weight)
    analysis = cached.analysis(path, project, wave, stamp, relation, min_weight)
    disclosure = Disclosure(k=k)
    return release("insights", insights(net, analysis, disclosure=disclosure), disclosure, people=net.people)


@st.cache_data(max_entries=32, show_spinner="Drawing the map...")
def _map(path: str, project: str, wave: str, stamp: str, relation: str | None, min_weight: float | None,
         colour_by: str, k: int, stamps: tuple[str, ...]) -> bytes:
    from onatool.outputs.poster import map_image

    net = cached.layer(path, project, wave, stamp, relation, min_weight)
    return map_image(net, cached.positions(path, project, stamps), Disclosure(k=k),
                     analysis=cached.analysis(path, project, wave, stamp, relation, min_weight), colour_by=colour_by)


path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
found = _findings(path, project, wave, stamp, sel.relation, sel.min_weight, sel.k)
if not found:
    st.title("Present")
    st.info("No finding stands out clearly enough in this wave to present.")
    st.stop()

count = len(found)
index = min(max(int(st.session_state.get(SLIDE, 0)), 0), count - 1)
st.session_state[SLIDE] = index


def _go(step: int) -> None:
    st.session_state[SLIDE] = min(max(st.session_state.get(SLIDE, 0) + step, 0), count - 1)


finding = found[index]
top = st.columns([1.1, 1.1, 5, 1.6])
top[0].button("Previous", key="present_previous", on_click=_go, args=(-1,),
              disabled=index == 0, shortcut="Left", help="Or press the left arrow key.")
top[1].button("Next", key="present_next", on_click=_go, args=(1,), type="primary",
              disabled=index == count - 1, shortcut="Right", help="Or press the right arrow key.")
top[2].caption(f"Finding {index + 1} of {count} · {plain(project)}, wave {plain(wave)}. "
               "Hide the sidebar and press F11 for full screen.")
top[3].progress((index + 1) / count)

st.header(plain(finding.text), anchor=False)
if getattr(finding, "note", ""):
    st.caption(plain(finding.note))
left, right = st.columns([3, 2])  # the map fits beside the prompt at 1366x768
people_columns = cached.network(path, project, wave, stamp).people.columns
colour_by = colour_for(finding, people_columns)
try:
    image = _map(path, project, wave, stamp, sel.relation, sel.min_weight, colour_by, sel.k,
                 cached.stamps(path, project))
except OnaError as error:
    show_error(error)
else:
    left.image(image, width=600,
               caption=f"Coloured by {colour_by}. No one is labelled; groups under {sel.k} are shown as Other.")

with right:
    st.info(f"**For the room:** {plain(prompt_for(finding))}", icon=":material/forum:")
    from onatool.store.notes import add_note, finding_key, room_notes

    ws = cached.workspace(path)
    key = finding_key(finding)
    said = [n for n in room_notes(ws, project, wave) if n.finding == key]
    st.markdown("**What the room said**")
    for note in said:
        st.markdown(f"- {plain(note.text)}")
    if not said:
        st.caption("Nothing noted yet. Notes are kept with the project and appear in the report under this finding.")
    # One form for every slide: the note goes to the finding on screen when it is kept.
    with st.form("present_note_form", clear_on_submit=True, border=False):
        text = st.text_area("Add a note", key="present_note", height=90,
                            placeholder="What did people say about this?")
        if st.form_submit_button("Keep this note", icon=":material/note_add:"):
            try:
                add_note(ws, project, wave, finding, text, st.session_state.get(Keys.USER) or "local user")
            except OnaError as error:
                show_error(error)
            else:
                st.rerun()
