"""Map: the interactive network, with views, colours, sizes, filters and highlights."""

import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import metric_label, names_banner, require_wave, show_error
from onatool.errors import OnaError
from onatool.project import Project
from onatool.viz.views import HIGHLIGHTS, LARGE_NETWORK, VIEWS, MapRequest

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Map")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
net = cached.layer(path, project, wave, stamp, sel.relation, sel.min_weight)
metrics = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight).people
people = net.people

attributes = [a for a in (*schema.BOUNDARY_ATTRIBUTES, schema.PLACE, schema.COHORT) if a in people.columns]
colour_options = [*attributes, *(["community"] if "community" in metrics.columns else [])]
size_options = [c for c in metrics.columns if metrics[c].dtype.kind in "fiu" and c != "community"]
default_view = "organisations" if net.n_people > LARGE_NETWORK else "people"

top = st.columns([2, 1.3, 1.3, 1.2])
view = top[0].segmented_control("View", list(VIEWS), format_func=VIEWS.get, default=default_view,
                                key="map_view") or default_view
colour_by = top[1].selectbox("Colour by", colour_options, key="map_colour",
                             format_func=lambda c: c.capitalize(), disabled=view == "organisations")
size_by = top[2].selectbox("Size by", [None, *size_options], key="map_size",
                           format_func=lambda c: "Same size" if c is None else metric_label(c),
                           disabled=view == "organisations")
highlight = top[3].selectbox("Thick border", list(HIGHLIGHTS), format_func=lambda h: HIGHLIGHTS[h].split(" (")[0],
                             key="map_highlight", help="; ".join(HIGHLIGHTS[h] for h in ("spanners", "brokers")))

with st.expander("Filter people", expanded=False):
    f1, f2, f3 = st.columns([3, 2, 1])
    organisations = f1.multiselect("Organisations", sorted(people[schema.ORGANISATION].dropna().unique())
                                   if schema.ORGANISATION in people.columns else [], key="map_orgs")
    levels = f2.multiselect("Levels", list(schema.LEVELS) if schema.LEVEL in people.columns else [],
                            key="map_levels")
    cohort_only = f3.toggle("Cohort only", key="map_cohort", disabled=schema.COHORT not in people.columns)

ego, steps = None, 1
if view == "ego":
    e1, e2 = st.columns([3, 1])
    names = cached.identities(path, project)["name"] if sel.reveal_names else None
    options = list(people.sort_values(schema.LABEL).index)
    ego = e1.selectbox("Person", options, key="map_ego",
                       format_func=lambda pid: names[pid] if names is not None else people.at[pid, schema.LABEL])
    steps = e2.radio("Steps", [1, 2], horizontal=True, key="map_steps",
                     help="1: the people they name or who name them; 2: and those people's contacts.")

# The project's palette: each group keeps its colour in every view (edited on the Project page).
coloured = schema.ORGANISATION if view == "organisations" else colour_by
extra = (metrics["community"].dropna().astype(int).astype(str).unique() if coloured == "community" else ())
colours = tuple(sorted(Project(cached.workspace(path), project).palette(coloured, extra).items())) if coloured else ()
request = MapRequest(
    view=view, colour_by=colour_by, size_by=size_by, organisations=tuple(organisations),
    levels=tuple(levels), cohort_only=cohort_only, ego=ego, steps=steps,
    highlight=highlight, workshop=sel.workshop, k=sel.k, colours=colours,
)
if net.n_people > LARGE_NETWORK and view == "people":
    st.info(f"{net.n_people:,} people are too many to read on one map: try the Organisations view or a filter.")
try:
    html = cached.map_html(path, project, wave, stamp, sel.relation, sel.min_weight, request,
                           sel.reveal_names, cached.stamps(path, project))
except OnaError as error:
    show_error(error)
else:
    st.iframe(html, height=820)
    mode = "Workshop mode: no names, group-level tooltips, groups under " f"{sel.k} merged." if sel.workshop else (
        "Names revealed." if sel.reveal_names else "Pseudonym labels (P001 ...) shown; names hidden.")
    st.caption(f"{mode} The layout is fixed for the project, so maps of different waves line up.")
