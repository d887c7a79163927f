"""People: every person's measures, sortable and filterable, with plain-language help."""

import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import metric_column_config, metric_label, names_banner, require_wave

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("People")
st.caption("One row per person. Hover over a column heading to read what it means. "
           "Out-degree is blank for people who did not answer: their own ties are unknown.")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
table = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight).people
people = cached.network(path, project, wave, stamp).people

f1, f2, f3 = st.columns([3, 2, 2])
organisations = f1.multiselect("Organisations", sorted(people[schema.ORGANISATION].dropna().unique())
                               if schema.ORGANISATION in people.columns else [], key="people_orgs")
levels = f2.multiselect("Levels", list(schema.LEVELS) if schema.LEVEL in people.columns else [],
                        key="people_levels")
sort_by = f3.selectbox("Sort by", [c for c in table.columns if table[c].dtype.kind in "fiu"],
                       key="people_sort", format_func=metric_label)

shown = table
if organisations:
    shown = shown[shown[schema.ORGANISATION].isin(organisations)]
if levels:
    shown = shown[shown[schema.LEVEL].isin(levels)]
shown = shown.sort_values(sort_by, ascending=False)
who = people[schema.LABEL].reindex(shown.index)
if sel.reveal_names:
    who = cached.identities(path, project)["name"].reindex(shown.index)
shown = shown.assign(**{"person": who}).set_index("person")
st.dataframe(shown, column_config=metric_column_config(shown.columns), height=560)
st.caption(f"{len(shown)} of {len(table)} people shown. People are listed by pseudonym "
           f"({'names revealed' if sel.reveal_names else 'names hidden'}).")
