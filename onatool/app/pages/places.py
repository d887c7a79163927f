"""Places: several places side by side, each set against the others' range, never ranked."""

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import access, gate, names_banner, plain, table
from onatool.compare.places import ABOVE, BELOW, shown_value
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
display = pd.DataFrame({name: [shown_value(m, measures.at[m, name]) for m in measures.index] for name in chosen},
                       index=pd.Index(measures["meaning"], name="Measure"))
table(display, key="places")
st.caption("Shares are per cent; E-I runs from -1 (all ties within organisations) to +1 (all across). Measures "
           f"that rest on a group of fewer than {shown.disclosure.threshold} people are not shown.")

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
        low, high = shown_value(row.measure, row.others_low), shown_value(row.measure, row.others_high)
        span = low if low == high else f"{low} to {high}"
        st.markdown(f"- {plain(row.place)}: {plain(row.meaning).lower()} {shown_value(row.measure, row.value)}, "
                    f"{row.position} ({span}).")
else:
    st.markdown("**No place is clearly above or below the others** on any measure: their 95% intervals overlap.")
st.caption("A place is called above or below the others only when its whole 95% interval (from resampling its "
           "respondents) clears every other place's interval; otherwise the difference may be who answered. "
           "Read it with the response rates.")
