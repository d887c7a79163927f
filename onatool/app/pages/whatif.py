"""What if these people left: the reach the partnership would lose (onatool.metrics.resilience)."""

import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import format_number, gate, names_banner, plain, points, require_wave

SPANNERS, GROUP, PEOPLE = "The most central boundary spanners", "A group", "People I choose"

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("What if these people left?")
st.caption("Take people out of the network and see what the rest would lose: pairs of colleagues who could "
           "no longer reach each other by any chain of relationships, reach in two steps, and ties across "
           "organisations. A way to ask how much the partnership rests on a few.")


@st.cache_data(max_entries=64, show_spinner="Taking them out...")
def _lost(path: str, project: str, wave: str, stamp: str, relation: str | None, min_weight: float | None,
          removed: tuple[str, ...], attribute: str) -> dict:
    from onatool.metrics.resilience import reach_without

    return reach_without(cached.network(path, project, wave, stamp), removed, attribute=attribute,
                         relation=relation, min_weight=min_weight).as_dict()


@st.cache_data(max_entries=32, show_spinner="Finding the spanners...")
def _spanners(path: str, project: str, wave: str, stamp: str, relation: str | None, min_weight: float | None,
              n: int, attribute: str) -> list[str]:
    from onatool.metrics.resilience import most_central_spanners

    return most_central_spanners(cached.network(path, project, wave, stamp), n, attribute=attribute,
                                 relation=relation, min_weight=min_weight)


path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
people = cached.network(path, project, wave, stamp).people
attributes = [a for a in schema.BOUNDARY_ATTRIBUTES if a in people.columns and people[a].notna().any()]
if not attributes:
    st.info("This wave's roster has no organisation, sector, profession or level to look across.")
    st.stop()

ways = [SPANNERS, GROUP] + ([] if sel.workshop else [PEOPLE])
c1, c2, c3 = st.columns([2.2, 1.4, 2.4])
way = c1.radio("Who leaves", ways, key="whatif_way",
               help="In workshop mode only groups can be taken out, never a person by name.")
attribute = c2.selectbox("Across", attributes, key="whatif_attribute", format_func=str.capitalize,
                         help="The line whose crossing ties are counted, and spanners span.")
removed: list[str] = []
who = ""
if way == SPANNERS:
    n = c3.slider("How many", 1, 10, 3, key="whatif_n")
    removed = _spanners(path, project, wave, stamp, sel.relation, sel.min_weight, n, attribute)
    who = f"the {len(removed)} people with ties across {attribute} boundaries who most often sit between others"
elif way == GROUP:
    # Only groups the gate shows on their own (at least k people) can be chosen.
    shown = gate(sel).release("labels", people[attribute]).dropna().astype(str)
    sizes = shown.value_counts()
    options = sorted(g for g in sizes.index if g != "Other" and sizes[g] >= sel.k)
    chosen = c3.multiselect(f"Which {attribute} groups", options, key=f"whatif_groups_{attribute}",
                            help=f"Groups of fewer than {sel.k} people cannot be chosen on their own.")
    from onatool.metrics.resilience import group_members

    removed = [p for g in chosen for p in group_members(cached.network(path, project, wave, stamp), attribute, g)]
    who = "everyone in " + (", ".join(plain(g) for g in chosen) if chosen else "no group yet")
else:
    names = cached.identities(path, project)["name"] if sel.reveal_names else None
    options = list(people.sort_values(schema.LABEL).index)
    removed = c3.multiselect("People", options, key="whatif_people",
                             format_func=lambda p: str(names[p]) if names is not None else people.at[p, schema.LABEL])
    who = f"{len(removed)} people chosen"

if not removed:
    st.info("Choose who leaves.")
    st.stop()
lost = _lost(path, project, wave, stamp, sel.relation, sel.min_weight, tuple(sorted(removed)), attribute)
st.markdown(f"**If {who} left** ({lost['removed']} people; {lost['remaining']} stay):")
m1, m2, m3 = st.columns(3)
for column, name, how, help_ in (
    (m1, "connected_pairs", "percent", "Of every pair of the people who stay, the share joined by some chain of "
                                       "relationships (either way). Only connections that ran through the "
                                       "leavers are lost."),
    (m2, "two_step_reach", "percent", "On average, the share of the others a person can reach through their "
                                      "contacts and their contacts' contacts."),
    (m3, "cross_ties", "%d", f"Relationships between people of different {attribute} groups."),
):
    before, after = lost[f"{name}_before"], lost[f"{name}_after"]
    label = {"connected_pairs": "Pairs still connected", "two_step_reach": "Reach in two steps",
             "cross_ties": f"Ties across {attribute} groups"}[name]
    delta = None
    if before == before and after == after:  # not NaN
        delta = points(after - before) if how == "percent" else f"{after - before:+,d}"
    column.metric(label, format_number(after, how), delta=delta, help=help_)
    column.caption(f"Before: {format_number(before, how)}")
if way == SPANNERS and not sel.workshop:
    labels = (cached.identities(path, project)["name"] if sel.reveal_names else people[schema.LABEL])
    st.caption("Taken out: " + ", ".join(plain(labels.get(p, p)) for p in removed) + ".")
elif sel.workshop and way == SPANNERS:
    st.caption("Workshop mode: who they are is not shown, only what the network would lose.")
st.caption("Non-respondents' own ties are unknown, so reach through them is a lower bound, before and after alike.")
