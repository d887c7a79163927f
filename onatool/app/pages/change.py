"""Change: how relationships moved between waves, for whom, and whether it is more than noise."""

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import gate, metric_label, names_banner, plain, require_wave, show_error
from onatool.errors import OnaError

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Change between waves")
path, project = sel.workspace, sel.project
waves = [w.name for w in cached.workspace(path).waves(project)]
if len(waves) < 2:
    st.info("This project has one wave so far: import another to compare.")
    st.stop()

c1, c2, c3 = st.columns(3)
before = c1.selectbox("From", waves[:-1], index=max(0, min(len(waves) - 2, waves.index(sel.wave) - 1)),
                      key="change_from")
after = c2.selectbox("To", [w for w in waves if waves.index(w) > waves.index(before)], key="change_to")
people = cached.network(path, project, after, cached.wave_stamp(path, project, after)).people
cohorts = sorted(people[schema.COHORT].dropna().unique()) if schema.COHORT in people.columns else []
cohort = c3.selectbox("Cohort to compare with everyone else", [None, *cohorts], key="change_cohort",
                      index=1 if cohorts else 0,
                      format_func=lambda c: "None" if c is None else c)

chosen = (before, after)
stamps = tuple(cached.wave_stamp(path, project, w) for w in chosen)
try:
    result = cached.comparison(path, project, chosen, stamps, sel.relation, sel.min_weight, cohort)
except OnaError as error:
    show_error(error)
    st.stop()
summary = result.summary

st.caption(f"Ties compared among the {summary['people_compared']} people who answered both waves; "
           f"{summary['joiners']} joined, {summary['leavers']} left and {summary['not_compared']} answered only "
           "once, so their ties are not counted as new or lost.")
m = st.columns(5)
m[0].metric("Stable ties", summary["stable"])
m[1].metric("New ties", summary["new"])
m[2].metric("Lost ties", summary["lost"])
m[3].metric("Jaccard", f"{summary['jaccard']:.2f}", help="Stable over all ties seen in either wave.")
m[4].metric("QAP correlation", f"{summary['qap_correlation']:.2f}",
            help=f"Correlation of the two networks; p = {summary['qap_p']:.3f} ({summary['qap_p_convention']}).")
st.info(summary["jaccard_reading"])

left, right = st.columns(2)
figure = go.Figure(go.Bar(x=["Stable", "New", "Lost"], y=[summary["stable"], summary["new"], summary["lost"]],
                          marker_color=["#BBBBBB", "#0072B2", "#D55E00"],
                          marker_pattern_shape=["", "", "/"],
                          text=[summary["stable"], summary["new"], summary["lost"]], textposition="outside"))
figure.update_layout(title="Ties between the two waves", height=340, margin=dict(t=50, l=10, r=10, b=10))
left.plotly_chart(figure, key="change_churn")
attributes = [a for a in schema.BOUNDARY_ATTRIBUTES + (schema.PLACE,) if f"new_cross_{a}" in summary]
crossing = pd.DataFrame({"new": [summary[f"new_cross_{a}"] for a in attributes],
                         "lost": [summary[f"lost_cross_{a}"] for a in attributes],
                         "stable": [summary.get(f"stable_cross_{a}") for a in attributes]},
                        index=pd.Index([a.capitalize() for a in attributes], name="ties across"))
right.markdown("**Ties across each boundary**")
right.dataframe(crossing)

shown = gate(sel)
cohort_result = shown.release("cohort", result.cohort)
if result.cohort and not cohort_result:
    st.caption(f"The cohort, or everyone else, is fewer than {shown.disclosure.threshold} people: not compared here.")
if cohort_result:
    st.subheader(f"{plain(result.cohort['cohort'])} compared with everyone else")
    rows = []
    for name, entry in result.cohort["measures"].items():
        rows.append({"measure": metric_label(name), "cohort (mean)": entry["cohort_mean"],
                     "others (mean)": entry["others_mean"], "difference": entry["difference"], "p": entry["p"]})
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in
                                ("cohort (mean)", "others (mean)", "difference")} |
                 {"p": st.column_config.NumberColumn(format="%.3f", help=result.cohort["p_convention"])})
    st.caption(f"{result.cohort['members']} cohort members and {result.cohort['others']} others answered both "
               "waves. p is the chance of a difference this large if cohort labels were shuffled."
               + (" Small numbers: read with care." if result.cohort.get("small_numbers") else ""))

st.subheader("Change map")
st.caption("New ties: solid blue, wider. Lost ties: dashed grey. Kept ties: thin light grey. "
           "The layout is the project's, so it matches the wave maps.")
st.iframe(cached.change_map_html(path, project, chosen, stamps, sel.relation, sel.min_weight, cohort,
                                 schema.ORGANISATION, sel.workshop, sel.k), height=780)

st.subheader("The whole network, before and after")
network_change = shown.release("network_change", result.network, people=people)
st.dataframe(network_change[network_change.apply(lambda r: all(
    isinstance(v, int | float) and not (isinstance(v, float) and math.isnan(v)) for v in r), axis=1)],
    column_config={c: st.column_config.NumberColumn(format="%.3f") for c in network_change.columns})

with st.expander("Change per person"):
    table = result.people
    labels = people[schema.LABEL].reindex(table.index)
    if sel.reveal_names:
        labels = cached.identities(path, project)["name"].reindex(table.index)
    st.dataframe(table.set_index(labels.fillna("(left)").rename("person")), height=420)
