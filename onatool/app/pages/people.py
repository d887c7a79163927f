"""People: each person's measures (groups only, in workshop mode), a few columns at a time, with help."""

import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import (
    MEASURE_GROUPS,
    attribute_columns,
    gate,
    group_means,
    measure_columns,
    metric_column_config,
    metric_label,
    names_banner,
    require_wave,
)
from onatool.app.widgets import table as widgets_table

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("People")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
raw = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight).people
people = cached.network(path, project, wave, stamp).people
attributes = [a for a in schema.BOUNDARY_ATTRIBUTES if a in raw.columns and raw[a].notna().any()]

c1, c2 = st.columns([3, 1.4])
family = c1.segmented_control("Measures", list(MEASURE_GROUPS), default="Reach", key="people_family",
                              help="; ".join(f"{name}: {words}" for name, (words, _, _) in MEASURE_GROUPS.items())
                              ) or "Reach"
per_attribute = MEASURE_GROUPS[family][2]
across = c2.selectbox("Across which line", attributes, key="people_across", format_func=str.capitalize,
                      disabled=not per_attribute or not attributes,
                      help="Boundary measures are counted across one line: organisation, sector, ...")
columns = measure_columns(raw, family, across)
st.caption(MEASURE_GROUPS[family][0] + " Hover over a column heading to read what it means.")

if sel.workshop:
    # Workshop mode keeps its promise: no person rows at all, only groups of at least k people.
    if not attributes:
        st.info("Workshop mode shows groups only, and this wave's roster has no group attribute.")
        st.stop()
    by = st.columns([1, 2])[0].selectbox("Groups by", attributes, key="people_by", format_func=str.capitalize)
    groups = group_means(raw, by, columns, gate(sel))
    config = metric_column_config(groups.columns, means=True) | {"_index": st.column_config.Column(by.capitalize()),
        "people": st.column_config.NumberColumn("People", format="%d", help="People in the group.")}
    widgets_table(groups, key=f"people_groups_{by}", column_config=config)
    st.caption(f"Workshop mode: the mean for each {by}, never a person. Groups of fewer than "
               f"{sel.k} people are merged into Other, with the next smallest where needed. "
               "Turn workshop mode off in the sidebar to see people, by pseudonym.")
    st.stop()

# The person-level gate: every combination of attributes shown holds at least k people
# (unless names are revealed, which the audit log records). Filters act on what is shown.
table = gate(sel).release("people", raw[[*attribute_columns(raw), *columns]])
f1, f2, f3 = st.columns([3, 2, 1.5])
organisations = f1.multiselect("Organisations", sorted(table[schema.ORGANISATION].dropna().astype(str).unique())
                               if schema.ORGANISATION in table.columns else [], key="people_orgs")
levels = f2.multiselect("Levels", [lv for lv in (*schema.LEVELS, "Other")
                                   if schema.LEVEL in table.columns and lv in set(table[schema.LEVEL].astype(str))],
                        key="people_levels")
sort_by = f3.selectbox("Sort by", columns, key="people_sort", format_func=metric_label)

shown = table
if organisations:
    shown = shown[shown[schema.ORGANISATION].astype(str).isin(organisations)]
if levels:
    shown = shown[shown[schema.LEVEL].astype(str).isin(levels)]
if sort_by in shown.columns:
    shown = shown.sort_values(sort_by, ascending=False)
who = people[schema.LABEL].reindex(shown.index)
if sel.reveal_names:
    who = cached.identities(path, project)["name"].reindex(shown.index)
shown = shown.assign(**{"person": who}).set_index("person")
widgets_table(shown, key="people", height=460, column_config=metric_column_config(shown.columns)
              | {"_index": st.column_config.Column("Person", help="Pseudonym, or name while names are revealed.")})
for note in table.attrs.get("notes", []):
    st.caption(note)
st.caption(f"{len(shown)} of {len(table)} people shown, by pseudonym "
           f"({'names revealed' if sel.reveal_names else 'names hidden'}). Out-degree is blank for people "
           "who did not answer: their own ties are unknown.")
