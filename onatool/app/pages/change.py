"""Change: how relationships moved between waves, for whom, and whether it is more than noise."""

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import gate, metric_label, names_banner, plain, require_wave, show_error
from onatool.errors import OnaError


def words(name: str) -> str:
    """A change-table row name in words, from the metric registry (``levels.x``, ``health.x``, ``x``)."""
    from onatool.metrics.registry import heading

    level, _, rest = str(name).partition(".")
    if rest and level in ("levels", "health"):
        if "." in rest:  # e.g. levels.block_density.top.middle
            measure, _, cells = rest.partition(".")
            return f"{heading(measure, level)}: {cells.replace('.', ' to ')}"
        return heading(rest, level)
    return heading(str(name), "network")


def number(value: Any, digits: int = 2) -> str:
    """A figure as text: whole numbers plain, others to ``digits`` decimals, missing as a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, int | float) and float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.{digits}f}"


def share(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:.0%}"


@st.cache_data(max_entries=8, show_spinner="Comparing each programme cohort with everyone else...")
def cohort_results(path: str, project: str, chosen: tuple[str, ...], stamps_: tuple[str, ...],
                   relation: str | None, min_weight: float | None) -> dict[str, dict[str, Any]]:
    """Every cohort, between the first two waves chosen, with persistence into the third if given."""
    from onatool.compare.cohort import cohort_changes

    nets = [cached.network(path, project, w, s) for w, s in zip(chosen, stamps_, strict=True)]
    return cohort_changes(nets[0], nets[1], relation=relation, min_weight=min_weight, seed=0,
                          following=nets[2] if len(nets) > 2 else None)


@st.cache_data(max_entries=8, show_spinner="Fitting the network regression and permuting...")
def regression_result(path: str, project: str, chosen: tuple[str, ...], stamps_: tuple[str, ...],
                      outcome: str, predictors: tuple[str, ...], model: str, relation: str | None,
                      min_weight: float | None, permutations: int, seed: int):
    from onatool.inference import regress

    nets = [cached.network(path, project, w, s) for w, s in zip(chosen, stamps_, strict=True)]
    return regress(nets, outcome, list(predictors), model=model, relation=relation, min_weight=min_weight,
                   permutations=permutations, seed=seed)


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
crossing = pd.DataFrame({"New ties": [number(summary[f"new_cross_{a}"]) for a in attributes],
                         "Lost ties": [number(summary[f"lost_cross_{a}"]) for a in attributes],
                         "Kept ties": [number(summary.get(f"stable_cross_{a}")) for a in attributes]},
                        index=pd.Index([f"Between {a}s" for a in attributes], name="Ties across"))
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

st.subheader("Programme cohorts, one by one")
following = [w for w in waves if waves.index(w) > waves.index(after)][:1]
cohort_waves = (before, after, *following)
results = cohort_results(path, project, cohort_waves,
                         tuple(cached.wave_stamp(path, project, w) for w in cohort_waves),
                         sel.relation, sel.min_weight)
if not results:
    st.caption("No one on this project's roster has a cohort, so there is no programme to compare.")
from onatool.compare.cohort import cohort_sentence  # noqa: E402

for name, entry in results.items():
    released = shown.release("cohort", entry) if "error" not in entry else None
    st.markdown(f"**{plain(name)}**")
    if released is None:
        st.caption(plain(entry.get("error")) if "error" in entry else
                   f"Fewer than {shown.disclosure.threshold} members, or others, answered both waves: "
                   "not shown.")
        continue
    worded = cohort_sentence(released, schema.ORGANISATION, name)
    if worded is not None:
        st.markdown(plain(worded[0]))
        st.caption(plain(worded[1]))
    split = released["new_ties"].get(schema.ORGANISATION)
    if split and "members" in split:
        members, others = split["members"], split["others"]
        rows = [("New contacts in other organisations, per person", members["mean"], others["mean"]),
                ("… of them with participants", members["within_mean"], others["spillover_mean"]),
                ("… of them with non-participants", members["spillover_mean"], others["background_mean"])]
        st.dataframe(pd.DataFrame([{"": label, "Participants": number(a), "Everyone else": number(b)}
                                   for label, a, b in rows]), hide_index=True)
        kinds = {"within": "Between two participants", "spillover": "A participant and someone else",
                 "background": "Between two non-participants"}
        kept = released.get("persistence", {}).get(schema.ORGANISATION)
        table_rows = []
        for key, label in kinds.items():
            row = {"New ties across organisations": label, "New ties": number(split["ties"][key]),
                   "Per 100 pairs that could have formed one": number(split["per_100_pairs"][key], 1)}
            if kept:
                row[f"Still named at {released['persistence']['wave']}"] = (
                    f"{kept[key]['still_ties']} of {kept[key]['new_ties']} ({share(kept[key]['share_kept'])})")
            table_rows.append(row)
        st.dataframe(pd.DataFrame(table_rows), hide_index=True)
    effect = released["measures"].get(f"new_external_{schema.ORGANISATION}")
    if effect:
        low, high = effect["interval"]
        st.caption(f"{released['members']} participants and {released['others']} others answered both waves. "
                   f"Difference in new contacts across organisations per person: {number(effect['difference'])} "
                   f"(95% interval {number(low)} to {number(high)}; {released['interval_method']})")

st.subheader("Network regression")
st.caption("Does a pair's situation (being on a programme, sharing an organisation, an earlier tie) go with "
           "a tie, allowing for the others? Each pair of people is a case; p-values come from permuting people "
           "(MRQAP, Dekker, Krackhardt and Snijders' double semi-partialling), so pairs sharing a person are not "
           "treated as independent. An association, not a cause.")
after_net = cached.network(path, project, after, cached.wave_stamp(path, project, after))
relations = list(after_net.relation_names)
attributes_here = [a for a in (*schema.BOUNDARY_ATTRIBUTES, schema.PLACE) if a in after_net.people.columns]
options = ["earlier", *relations, *[f"same:{a}" for a in attributes_here]]
options += [f"{side}:{schema.COHORT}={c}" for c in cohorts for side in ("sender", "receiver")]
options += [f"{side}:{schema.LEVEL}={v}" for v in ("top", "middle", "bottom") for side in ("sender", "receiver")
            if schema.LEVEL in after_net.people.columns]
from onatool.inference.regression import describe_term, p_text  # noqa: E402

with st.form("regression_form"):
    r1, r2, r3 = st.columns(3)
    outcome = r1.selectbox("Outcome", ["new", *relations], key="regression_outcome",
                           format_func=lambda o: f"New ties between {before} and {after}" if o == "new"
                           else f"{o} ties at {after}")
    model = r2.radio("Model", ["linear", "logistic"], key="regression_model", horizontal=True,
                     help="Linear (= sna netlm): quick, the permutations use the matrices' structure. "
                          "Logistic (= sna netlogit): odds ratios, but every permutation is a new fit, so "
                          "use a few hundred permutations.")
    permutations = int(r3.number_input("Permutations", min_value=0, max_value=5000, value=1000, step=100,
                                       key="regression_permutations"))
    default = [o for o in (f"same:{schema.ORGANISATION}",
                           f"sender:{schema.COHORT}={cohort}" if cohort else None) if o in options]
    predictors = st.multiselect("Predictors", options, default=default, key="regression_predictors",
                                format_func=describe_term)
    run = st.form_submit_button("Run the regression")
if run:
    st.session_state["regression_request"] = (outcome, tuple(predictors), model, permutations)
request = st.session_state.get("regression_request")
if request:
    outcome_r, predictors_r, model_r, permutations_r = request
    relation_r = sel.relation or ("advice" if "advice" in relations else None)
    try:
        fit = regression_result(path, project, chosen, stamps, outcome_r, predictors_r, model_r,
                                relation_r if outcome_r == "new" else None, sel.min_weight, permutations_r, 0)
    except OnaError as error:
        show_error(error)
    else:
        fit = shown.release("regression", fit)
        rows = []
        for term in fit.terms:
            p = term["p_value"]
            row = {"Term": describe_term(term["term"]), "Coefficient": number(term["coefficient"], 4)}
            if model_r == "logistic":
                row["Odds ratio"] = number(term.get("odds_ratio"), 2)
            row["p (permutations)"] = "withheld" if term["coefficient"] is None else p_text(p)
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="regression_table")
        reading = ("An odds ratio above 1: pairs with this have higher odds of a tie, the other terms held equal."
                   if model_r == "logistic" else
                   "A coefficient is the change in the share of pairs tied, the other terms held equal.")
        st.caption(f"{reading} {fit.cells:,} pairs; {fit.permutations} permutations per term, seed {fit.seed}. "
                   + " ".join(plain(n) for n in fit.notes))

st.subheader("Change map")
st.caption("New ties: solid blue, wider. Lost ties: dashed grey. Kept ties: thin light grey. "
           "The layout is the project's, so it matches the wave maps.")
st.iframe(cached.change_map_html(path, project, chosen, stamps, sel.relation, sel.min_weight, cohort,
                                 schema.ORGANISATION, sel.workshop, sel.k), height=780)

st.subheader("The whole network, before and after")
network_change = shown.release("network_change", result.network, people=people)
numeric = network_change[network_change.apply(lambda r: all(
    isinstance(v, int | float) and not (isinstance(v, float) and math.isnan(v)) for v in r), axis=1)]
in_words = pd.DataFrame({column: [number(v, 3) for v in numeric[column]] for column in numeric.columns},
                        index=pd.Index([words(name) for name in numeric.index], name="Measure"))
in_words.columns = [str(c).capitalize() for c in in_words.columns]
st.dataframe(in_words)

with st.expander("Change per person"):
    table = result.people
    labels = people[schema.LABEL].reindex(table.index)
    if sel.reveal_names:
        labels = cached.identities(path, project)["name"].reindex(table.index)
    st.dataframe(table.set_index(labels.fillna("(left)").rename("person")), height=420)
