"""Places: several places side by side, each set against the others' range, never ranked."""

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import access, gate, names_banner, plain, table
from onatool.compare.places import ABOVE, BELOW
from onatool.share.tables import place_comparison

sel = selection()
names_banner(sel)
st.title("Places side by side")
st.caption("The same measures for each place (each at its chosen wave, on the same relation), with its response "
           "rate. A place is set against the range of the others, never ranked on one number: places differ in "
           "size, make-up and who answered.")

ws = cached.workspace(sel.workspace)
open_to_me = access().visible([p.name for p in ws.projects()])
with_waves = [name for name in open_to_me if ws.waves(name)]
if len(with_waves) < 2:
    st.info("Places compares two or more projects with a saved wave: create a project per place and import a "
            "wave into each.")
    st.stop()
chosen = st.multiselect("Places", with_waves, default=with_waves[:4], key="places_chosen")
if len(chosen) < 2:
    st.info("Choose two or more places.")
    st.stop()
waves = {}
columns = st.columns(len(chosen))
for column, name in zip(columns, chosen, strict=True):
    names = [w.name for w in ws.waves(name)]
    waves[name] = column.selectbox(f"Wave of {name}", names, index=len(names) - 1, key=f"places_wave_{name}")

networks, analyses = {}, {}
for name, wave in waves.items():
    stamp = cached.wave_stamp(sel.workspace, name, wave)
    networks[name] = cached.network(sel.workspace, name, wave, stamp)
    analyses[name] = cached.analysis(sel.workspace, name, wave, stamp, sel.relation, sel.min_weight)
shown = gate(sel)
measures, ranges = place_comparison(analyses, networks, shown.disclosure)

st.subheader("Each place")
display = measures.set_index("meaning")
table(display, key="places", column_config={name: st.column_config.NumberColumn(format="%.3f") for name in chosen})
st.caption("Response rate, density and the other shares run from 0 to 1; E-I runs from -1 (all ties within "
           "organisations) to +1 (all across). Measures that rest on a group of fewer than "
           f"{shown.disclosure.threshold} people are not shown.")

st.subheader("Against the others' range")
charts = [m for m in measures.index if m != "network.people" and measures.loc[m, chosen].notna().any()]
grid = st.columns(3)
for position, measure in enumerate(charts):
    with grid[position % 3]:
        st.caption(f"**{plain(measures.loc[measure, 'meaning'])}**")
        st.bar_chart(pd.DataFrame({"value": measures.loc[measure, chosen].astype(float)}), height=160,
                     horizontal=True)
outside = ranges[ranges["position"].isin([BELOW, ABOVE])]
if len(outside):
    st.markdown("**Outside the others' range**")
    for row in outside.itertuples():
        st.markdown(f"- {plain(row.place)}: {plain(row.meaning).lower()} {row.value:.2f}, {row.position} "
                    f"({row.others_low:.2f} to {row.others_high:.2f}).")
st.caption("With two places, 'the others' range' is the other place's value: a difference is not a verdict, "
           "and small ones may be noise. Read it with the response rates.")
