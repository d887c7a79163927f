"""Map: the interactive network (WebGL), with views, colours, sizes, filters, search and profiles."""

import hashlib

import pandas as pd
import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.webmap import change_map_data, map_data, map_people, webmap
from onatool.app.widgets import metric_label, names_banner, require_wave, show_error
from onatool.errors import OnaError
from onatool.project import Project
from onatool.viz.views import (
    EGO_IN_WORKSHOP,
    HIGHLIGHTS,
    LARGE_NETWORK,
    VIEWS,
    MapRequest,
    filter_choices,
    filter_keep,
)

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Map")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
net = cached.layer(path, project, wave, stamp, sel.relation, sel.min_weight)
metrics = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight).people
people = net.people
waves = [w.name for w in cached.workspace(path).waves(project)]

attributes = [a for a in (*schema.BOUNDARY_ATTRIBUTES, schema.PLACE, schema.COHORT) if a in people.columns]
colour_options = [*attributes, *(["community"] if "community" in metrics.columns else [])]
size_options = [c for c in metrics.columns if metrics[c].dtype.kind in "fiu" and c != "community"]
default_view = "organisations" if net.n_people > LARGE_NETWORK else "people"
views = [v for v in VIEWS if v != "change" or len(waves) > 1]

# The view switcher has a row of its own, so every view fits at 1366 px.
view = st.segmented_control("View", views, format_func=VIEWS.get, default=default_view,
                            key="map_view") or default_view
top = st.columns(3)
colour_by = top[0].selectbox("Colour by", colour_options, key="map_colour",
                             format_func=lambda c: c.replace("_", " ").capitalize(),
                             disabled=view == "organisations")
size_by = top[1].selectbox("Size by", [None, *size_options], key="map_size",
                           format_func=lambda c: "Same size" if c is None else metric_label(c),
                           disabled=view in ("organisations", "change"))
highlight = top[2].selectbox("Thick border", list(HIGHLIGHTS), format_func=lambda h: HIGHLIGHTS[h].split(" (")[0],
                             key="map_highlight", help="; ".join(HIGHLIGHTS[h] for h in ("spanners", "brokers")),
                             disabled=view in ("organisations", "change"))

with st.expander("Filter people", expanded=False):
    f1, f2, f3 = st.columns([1.2, 2.5, 1.3])
    filter_by = f1.selectbox("Filter by", [None, *attributes], key="map_filter_by",
                             format_func=lambda a: "Nothing" if a is None else a.replace("_", " ").capitalize())
    chosen_values = ()
    if filter_by:
        choices = filter_choices(net, filter_by, workshop=sel.workshop, k=sel.k)
        chosen_values = tuple(f2.multiselect("Show only", choices, key=f"map_filter_{filter_by}"))
    metric, low, high = None, None, None
    if sel.workshop:
        f3.caption("Filtering by a score is for the analyst's seat: in workshop mode the few people "
                   "above a threshold could be picked out.")
    else:
        metric = f3.selectbox("Score", [None, *size_options], key="map_filter_metric",
                              format_func=lambda c: "No score filter" if c is None else metric_label(c))
        if metric:
            values = metrics[metric].dropna().astype(float)
            lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
            if hi > lo:
                low, high = st.slider(f"{metric_label(metric)} between", lo, hi, (lo, hi),
                                      key=f"map_range_{metric}")

ego, steps, previous = None, 1, None
if view == "ego" and not sel.workshop:
    e1, e2 = st.columns([3, 1])
    names = cached.identities(path, project)["name"] if sel.reveal_names else None
    options = list(people.sort_values(schema.LABEL).index)
    ego = e1.selectbox("Person", options, key="map_ego",
                       format_func=lambda pid: names[pid] if names is not None else people.at[pid, schema.LABEL])
    steps = e2.radio("Steps", [1, 2], horizontal=True, key="map_steps",
                     help="1: the people they name or who name them; 2: and those people's contacts.")
if view == "ego" and sel.workshop:
    st.info(EGO_IN_WORKSHOP[0].upper() + EGO_IN_WORKSHOP[1:] + ".")
    st.stop()
if view == "change":
    earlier = [w for w in waves if w != wave]
    previous = st.selectbox("Compared with", earlier, index=len(earlier) - 1, key="map_previous",
                            help="Ties that are new in this wave (blue) or gone since that one (grey).")

# The project's palette: each group keeps its colour in every view (edited on the Project page).
coloured = schema.ORGANISATION if view == "organisations" else colour_by
extra = (metrics["community"].dropna().astype(int).astype(str).unique() if coloured == "community" else ())
colours = tuple(sorted(Project(cached.workspace(path), project).palette(coloured, extra).items())) if coloured else ()
request = MapRequest(view=view, colour_by=colour_by, size_by=size_by, ego=ego, steps=steps,
                     highlight=highlight, workshop=sel.workshop, k=sel.k, colours=colours)
if net.n_people > LARGE_NETWORK and view == "people":
    st.info(f"{net.n_people:,} people are many to read on one map: search, filter or try the Organisations view.")

try:
    if view == "change":
        data = change_map_data(path, project, (previous, wave), sel.relation, sel.min_weight, request,
                                      sel.reveal_names)
    else:
        data = map_data(path, project, wave, stamp, sel.relation, sel.min_weight, request,
                               sel.reveal_names, cached.stamps(path, project))
    hidden: list[int] = []
    if view != "organisations" and (chosen_values or metric):
        keep = filter_keep(net, attribute=filter_by, values=chosen_values, colour_by=colour_by, metrics=metrics,
                           metric=metric, low=low, high=high, workshop=sel.workshop, k=sel.k)
        if keep.attrs.get("always_shown"):
            st.caption(f"Workshop mode: {keep.attrs['always_shown']} people stay on the map whatever the filter: "
                       f"their colour group has a combination of level and {filter_by.replace('_', ' ')} "
                       f"held by fewer than {sel.k}, so the whole group is shown rather than single anyone out.")
        order = map_people(path, project, wave, stamp, sel.relation, sel.min_weight, request,
                                  cached.stamps(path, project)) if view != "change" else None
        if order is not None:
            kept = keep.reindex(order, fill_value=False).to_numpy()
            hidden = [i for i, k in enumerate(kept) if not k]
except OnaError as error:
    show_error(error)
    st.stop()

# The graph is sent again only when what is drawn changes; colours and filters are updates.
# (In workshop mode the levels view places people by their colour group, so colour is part of it.)
placed_by_colour = colour_by if view == "levels" and sel.workshop else None
graph_key = hashlib.sha256(repr((project, wave, stamp, sel.relation, sel.min_weight, view, ego, steps, previous,
                                 sel.workshop, sel.k, sel.reveal_names, placed_by_colour)).encode()).hexdigest()[:16]
chosen = webmap(data, graph_key=graph_key, hidden=hidden, workshop=sel.workshop, key="webmap")

mode = (f"Workshop mode: no names, group-level tooltips and search, groups under {sel.k} merged."
        if sel.workshop else
        "Names revealed." if sel.reveal_names else "Pseudonym labels (P001 ...) shown; names hidden.")
st.caption(f"{mode} Click a shape for its profile. The layout is fixed for the project, so maps of "
           "different waves line up.")

if chosen is not None:
    node = data.nodes[chosen]
    st.subheader("Profile")
    if sel.workshop or "person_id" not in node:
        group = node.get("category")
        size = sum(1 for n in data.nodes if n.get("category") == group)
        st.write(f"**{group}**: {size:,} {'group' if view == 'organisations' else 'people'} in this colour on the map. "
                 "Workshop mode describes groups, never one person.")
    else:
        pid = node["person_id"]
        row = people.loc[pid]
        label = node.get("label") or row.get(schema.LABEL, pid)
        facts = [f"**{label}**"]
        for attribute in attributes:
            value = row.get(attribute)
            if pd.notna(value):
                facts.append(f"{attribute.replace('_', ' ').capitalize()}: {value}")
        facts.append("Answered the survey." if bool(row.get(schema.RESPONDED, False))
                     else "Did not answer the survey (their own ties are unknown).")
        st.markdown("  \n".join(facts))
        if pid in metrics.index:
            shown = metrics.loc[pid, [c for c in size_options if c in metrics.columns]]
            words = {metric_label(c): (f"{int(v):,}" if float(v).is_integer() else f"{v:.3g}")
                     for c, v in shown.items() if pd.notna(v)}
            st.table(pd.Series(words, name="Value").rename_axis("Measure"))  # no download: one person, on screen
