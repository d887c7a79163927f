"""Tops, middles and bottoms: Oshry's system positions as measures."""

import pandas as pd
import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import (
    format_number,
    gate,
    matrix,
    metric_card,
    names_banner,
    number_format,
    require_wave,
)
from onatool.metrics.registry import heading

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Tops, middles and bottoms")
st.caption("Barry Oshry's system positions: tops carry responsibility for the whole, bottoms do the work "
           "with those served, middles sit between. These measures show how the positions are connected. "
           "A measure that rests on a level with fewer people than the suppression threshold is not shown.")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
analysis = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight)
network = cached.network(path, project, wave, stamp)
shown = gate(sel)
levels = shown.release("levels", analysis.levels, people=network.people)
if not levels:
    st.info("This wave has no level (top / middle / bottom) for its people. Add a level column to the roster.")
    st.stop()

scalars = {name: entry for name, entry in levels.items() if not isinstance(entry.get("value"), dict | list)}
columns = st.columns(3)
for index, (name, entry) in enumerate(scalars.items()):
    value = entry.get("value")
    with columns[index % 3], st.container(border=True):
        shown_value = ("not shown" if entry.get("withheld") else "not defined"
                       if value is None or (isinstance(value, float) and pd.isna(value))
                       else format_number(value, number_format(name, "levels")))
        metric_card(heading(name, "levels"), shown_value, help=entry.get("meaning"))
        st.write(entry.get("sentence", ""))

mixing = analysis.mixing.get(schema.LEVEL)
if mixing is not None and schema.LEVEL in analysis.groups:
    # The same merge as every other level table: a small level joins "Other".
    block = shown.release("matrix", mixing, sizes=analysis.groups[schema.LEVEL]["size"],
                           symmetric=bool(analysis.params.get("symmetric")), density=True)
else:
    block = levels.get("block_density", {}).get("value")
    block = pd.DataFrame(block).T if isinstance(block, dict) and block else None
if block is not None and len(block):
    matrix(block, "Density of ties between levels: share of possible ties that exist, rows naming columns (%)",
           key="levels_heatmap", percent=True)
