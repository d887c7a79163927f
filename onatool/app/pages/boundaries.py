"""Boundaries: who crosses organisational, sectoral, professional and hierarchical lines."""

import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import (
    MATRIX_AS_TABLE,
    format_number,
    gate,
    matrix,
    metric_column_config,
    names_banner,
    require_wave,
    table,
)
from onatool.metrics.registry import describe, label

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
ROLE_WORDS = {
    "coordinator": "links two people of their own group",
    "itinerant": "links two people of another group, from outside it",
    "representative": "passes from their own group out to another",
    "gatekeeper": "lets another group in to their own",
    "liaison": "links two groups, neither their own",
}

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Boundaries")
st.caption(f"E-I index: {describe('group.ei')} Groups smaller than the suppression threshold are merged "
           "into \"Other\", together with the next smallest where needed, so no hidden group's size can be "
           "worked out from the rest.")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
analysis = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight)
attributes = list(analysis.groups)
if not attributes:
    st.info("No boundary attributes (organisation, sector, profession, level) in this wave's roster.")
    st.stop()
shown = gate(sel)
symmetric = bool(analysis.params.get("symmetric"))

for tab, attribute in zip(st.tabs([a.capitalize() for a in attributes]), attributes, strict=True):
    with tab:
        groups = analysis.groups[attribute]
        sizes = groups["size"]
        mixing = analysis.mixing.get(attribute)
        safe = shown.release("groups", groups, mixing=mixing, symmetric=symmetric)
        merged = len([g for g in groups.index if g not in safe.index])
        net = analysis.network
        ei, expected = net.get(f"ei_{attribute}"), net.get(f"ei_expected_{attribute}")
        p = net.get(f"ei_p_{attribute}")
        if ei is not None:
            c1, c2, c3 = st.columns(3)
            c1.metric(label("network.ei", attribute), format_number(ei, "%+.2f"), help=describe("network.ei"))
            if expected is not None:
                c2.metric(label("network.ei_expected", attribute), format_number(expected, "%+.2f"),
                          help=describe("network.ei_expected"))
            if p is not None:
                c3.metric(label("network.ei_p", attribute), "below 0.001" if p < 0.001 else format_number(p, "%.3f"),
                          help=describe("network.ei_p") + " Group labels shuffled among people.")
        # Long group names squeeze two charts side by side: one under the other when there are many.
        left, right = (st.container(), st.container()) if len(safe) > MATRIX_AS_TABLE else st.columns(2)
        left.plotly_chart(cached.chart("diverging_bar_chart", safe["ei"], f"Inside or across, by {attribute}"),
                          key=f"ei_{attribute}")
        external = shown.release("by_group", analysis.people.groupby(attribute)[f"external_{attribute}"].mean(),
                                 sizes=sizes)
        right.plotly_chart(cached.chart("bar_chart", external, f"Mean contacts in another {attribute}, by {attribute}",
                                        value_format=".1f"), key=f"ext_{attribute}")
        table(safe, key=f"groups_{attribute}", column_config=metric_column_config(safe.columns, "group"))
        if merged:
            st.caption(f"{merged} group(s) merged into Other: fewer than {shown.disclosure.threshold} people, "
                       "or needed to keep a small group's size from being worked out.")
        st.subheader("Brokerage roles")
        st.caption("Gould and Fernandez: a broker sits on a path a → broker → b where a and b are not tied. "
                   + "; ".join(f"**{r}** {w}" for r, w in ROLE_WORDS.items()) + ". Each row shows how a "
                   "group's brokering divides between the roles.")
        roles = analysis.people.groupby(attribute)[[f"{r}_{attribute}" for r in ROLES]].sum()
        roles.columns = [r.capitalize() for r in ROLES]
        roles = shown.release("by_group", roles, sizes=sizes)
        total = roles.sum(axis=1)
        shares = roles.div(total.where(total > 0), axis=0)
        shares.insert(0, "Brokering paths", total)
        table(shares, key=f"roles_{attribute}",
              column_config={"Brokering paths": st.column_config.NumberColumn(
                  format="%d", help="Paths a → broker → b through the group's people, every role together."),
                  **{c: st.column_config.NumberColumn(c, format="percent", help=ROLE_WORDS[c.lower()].capitalize())
                     for c in roles.columns}})
        if mixing is not None:
            counts = shown.release("matrix", mixing, sizes=sizes, symmetric=symmetric)
            density = shown.release("matrix", mixing, sizes=sizes, symmetric=symmetric, density=True)
            many = len(counts) > MATRIX_AS_TABLE
            m1, m2 = (st.container(), st.container()) if many else st.columns(2)
            with m1:
                matrix(counts, f"Ties between {attribute} groups (rows name columns)", key=f"mix_{attribute}")
            with m2:
                matrix(density, f"Block density by {attribute}: share of possible ties that exist (%)",
                       key=f"bd_{attribute}", percent=True)
