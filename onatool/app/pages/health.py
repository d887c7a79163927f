"""Health: the collaborative knowledge network dashboard, with change since the last wave."""

import math

import pandas as pd
import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import (
    format_number,
    gate,
    metric_card,
    names_banner,
    number_format,
    plain,
    points,
    require_wave,
    table,
)
from onatool.metrics.registry import heading

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Network health")
st.caption("A short dashboard to read out in a workshop. Each figure says what it means; arrows show the "
           "change since the previous wave, coloured only when it is clear: when its 95% interval, among the "
           "people who answered both waves, leaves out no change.")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
previous = cached.previous_wave(path, project, wave)
analysis = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight, previous,
                           cached.wave_stamp(path, project, previous) if previous else "")
dashboard = analysis.health
if previous:
    # Change judged on the balanced panel (people who answered both waves), with its interval.
    panel = cached.comparison(path, project, (previous, wave), (cached.wave_stamp(path, project, previous), stamp),
                              sel.relation, sel.min_weight, None)
    dashboard = panel.health or dashboard
    facts = panel.panel.attrs if panel.panel is not None else {}
    st.write(f"Compared with **{plain(previous)}**" + (
        f", among the {facts['people']} people who answered both ({facts['resamples']} resamples, seed "
        f"{facts['seed']})." if facts else "."))
shown_gate = gate(sel)
health = shown_gate.release("health", dashboard, people=cached.network(path, project, wave, stamp).people)


INCLUSION_COLUMNS = {
    "people": st.column_config.NumberColumn("People", format="%d"),
    "isolates": st.column_config.NumberColumn("No tie at all", format="%d",
                                              help="People with no relationship in this network."),
    "peripheral": st.column_config.NumberColumn("At the edge (one thread)", format="%d",
                                                help="Connected, but only by a single thread (core 1)."),
}


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


columns = st.columns(3)
shown = 0
for name, entry in health.items():
    if isinstance(entry, dict) and entry.get("withheld"):
        with columns[shown % 3], st.container(border=True):
            metric_card(heading(name, "health"), "not shown", help=entry.get("meaning"))
            st.caption(entry.get("sentence", ""))
        shown += 1
        continue
    if not isinstance(entry, dict) or not _number(entry.get("value")):
        continue
    value, before = entry["value"], entry.get("previous")
    how = number_format(name, "health") or "%.2f"
    delta = None
    if _number(before):
        change = value - before
        delta = points(change) if how == "percent" else format_number(change, "%+.2f")
    # Green or red only for a clear change ("better"/"worse"); grey for no clear change.
    verdict = entry.get("assessment")
    up = _number(before) and value > before
    colour = ("normal" if (verdict == "better") == up else "inverse") if verdict in ("better", "worse") else "off"
    with columns[shown % 3], st.container(border=True):
        metric_card(heading(name, "health"), format_number(value, how), delta=delta, delta_color=colour,
                    help=entry.get("meaning"))
        if verdict:
            st.caption(f"Change: {verdict}.")
        expected = entry.get("expected")
        if _number(expected):
            st.caption(f"Expected if ties ignored the boundary: {format_number(expected, how)}.")
        st.caption(entry.get("meaning", ""))
    shown += 1

st.page_link("onatool/app/pages/whatif.py", label="What if the most central people left? Try it",
             icon=":material/person_remove:")

st.subheader("Inclusion by group")
st.caption(f"People with no tie at all, and people at the edge (connected by a single thread). Groups of fewer "
           f"than {shown_gate.disclosure.threshold} people are merged into Other, with the next smallest where "
           "needed so that no hidden group can be worked out from the rest.")
tables = {name.removeprefix("inclusion_"): entry["value"] for name, entry in health.items()
          if name.startswith("inclusion_") and isinstance(entry.get("value"), dict)}
for tab, (attribute, groups) in zip(st.tabs([a.capitalize() for a in tables]), tables.items(), strict=True):
    with tab:
        table(pd.DataFrame(groups).T, key=f"inclusion_{attribute}", column_config=INCLUSION_COLUMNS)
