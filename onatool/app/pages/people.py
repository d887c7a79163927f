"""People: every person's measures, sortable and filterable, with plain-language help."""

import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import gate, metric_column_config, metric_label, names_banner, require_wave
from onatool.app.widgets import table as widgets_table

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("People")
st.caption("One row per person. Hover over a column heading to read what it means. "
           "Out-degree is blank for people who did not answer: their own ties are unknown.")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
raw = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight).people
people = cached.network(path, project, wave, stamp).people
# The person-level gate: every combination of attributes shown holds at least k people
# (unless names are revealed, which the audit log records). Filters act on what is shown.
table = gate(sel).release("people", raw)

f1, f2, f3 = st.columns([3, 2, 1.5])
organisations = f1.multiselect("Organisations", sorted(table[schema.ORGANISATION].dropna().astype(str).unique())
                               if schema.ORGANISATION in table.columns else [], key="people_orgs")
levels = f2.multiselect("Levels", [lv for lv in (*schema.LEVELS, "Other")
                                   if schema.LEVEL in table.columns and lv in set(table[schema.LEVEL].astype(str))],
                        key="people_levels")
sort_by = f3.selectbox("Sort by", [c for c in table.columns if table[c].dtype.kind in "fiu"],
                       key="people_sort", format_func=metric_label)

shown = table
if organisations:
    shown = shown[shown[schema.ORGANISATION].astype(str).isin(organisations)]
if levels:
    shown = shown[shown[schema.LEVEL].astype(str).isin(levels)]
shown = shown.sort_values(sort_by, ascending=False)
who = people[schema.LABEL].reindex(shown.index)
if sel.reveal_names:
    who = cached.identities(path, project)["name"].reindex(shown.index)
shown = shown.assign(**{"person": who}).set_index("person")
widgets_table(shown, key="people", column_config=metric_column_config(shown.columns), height=560)
for note in table.attrs.get("notes", []):
    st.caption(note)
st.caption(f"{len(shown)} of {len(table)} people shown. People are listed by pseudonym "
           f"({'names revealed' if sel.reveal_names else 'names hidden'}).")
