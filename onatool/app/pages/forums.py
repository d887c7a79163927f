"""Boards and forums: who sits where, and whether the same small group is in every room."""

import tempfile
from pathlib import Path

import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import access, gate, names_banner, plain, require_wave, show_error, table
from onatool.errors import OnaError
from onatool.files_safety import write_owner_only
from onatool.metrics.forums import analyse_forums
from onatool.project import Project
from onatool.viz.maps import render_map
from onatool.viz.twomode import style_two_mode

sel = selection()
require_wave(sel)  # a membership sheet is read against the roster saved with the first wave
names_banner(sel)
st.title("Boards and forums")
st.caption("Who sits on which board, forum and programme, read from a membership sheet: is the same small group "
           "in every room?")
project = Project(cached.workspace(sel.workspace), sel.project)


def _keep_upload(label: str, key: str, button: str, default_name: str, keep) -> None:
    """An uploaded sheet kept in the project by ``keep(path)`` (read from a private temporary
    folder), then what was kept and every row or answer that was not, each on a line."""
    upload = st.file_uploader(label, type=["csv", "xlsx"], key=f"{key}_upload")
    if upload is None or not st.button(button, key=f"{key}_save", type="primary"):
        return
    with tempfile.TemporaryDirectory(prefix="onatool-upload-") as folder:
        path = write_owner_only(Path(folder, Path(upload.name).name or default_name), upload.getvalue())
        try:
            read = keep(path)
        except OnaError as error:
            show_error(error)
            st.stop()
    counts = read.report.counts()
    st.success(f"Kept: {plain(read.report.notes[-1])}. Rows: {counts['kept']} kept, {counts['changed']} changed, "
               f"{counts['dropped']} dropped.")
    for unkept in [*read.report.rows, *read.report.items]:
        if unkept.outcome != "kept":
            st.warning(f"Row {unkept.row}: {plain(unkept.reason)}")


if access().may_import:
    with st.expander("Upload a membership sheet", expanded=project.membership() is None):
        st.caption("One row per person (their roster id, email or name) and one column per forum marked x / yes / 1, "
                   "or a 'forum' column listing forums separated by ';'. It is read against the project's roster; "
                   "every row that cannot be read is listed.")
        _keep_upload("Membership sheet (CSV or XLSX)", "forums", "Read and keep it", "forums.csv",
                     project.import_membership)

with st.expander("Trust and value between partner organisations (PARTNER ratings)",
                 expanded=project.ratings() is None and access().may_import):
    st.caption("PARTNER's six questions about each partner organisation (Varda et al. 2008), from a ratings sheet: "
               "one row per respondent (roster id, email or name) and organisation rated (a 'partner' column), one "
               "column per question, answers 1-4 or 'Not at all' ... 'A great deal'. The scores, with the raters "
               "behind each, are in the report; a score from fewer than k raters is not shown.")
    if access().may_import:
        _keep_upload("Ratings sheet (CSV or XLSX)", "ratings", "Read and keep the ratings", "ratings.csv",
                     lambda path: project.import_ratings(path, user=access().user))
    kept = project.ratings()
    if kept is not None and len(kept.answers):
        from onatool.metrics.partner import partner_scores

        people_now = cached.network(sel.workspace, sel.project, sel.wave,
                                    cached.wave_stamp(sel.workspace, sel.project, sel.wave)).people
        _, rated = partner_scores(kept.answers, people_now)
        table(gate(sel).release("ratings", rated).rename(columns={
            "value": "Value (1-4)", "trust": "Trust (1-4)", "raters": "Raters",
            "organisations": "From organisations"}), key="partner_organisations")
        st.caption(f"From {plain(kept.source or 'the ratings sheet')}: each organisation as raters from the other "
                   "organisations see it; an empty score rests on fewer than k raters.")

membership = project.membership()
if membership is None:
    st.info("No membership sheet yet for this project.")
    st.stop()

people = cached.network(sel.workspace, sel.project, sel.wave,
                        cached.wave_stamp(sel.workspace, sel.project, sel.wave)).people
found = analyse_forums(membership.seats, people, forums=membership.forums)
shown = gate(sel)
summary = found.summary
st.caption(f"From {plain(membership.source or 'the membership sheet')}; organisations as at wave "
           f"{plain(sel.wave or '(none)')}.")
cols = st.columns(4)
cols[0].metric("Forums", summary["forums"])
cols[1].metric("People with a seat", summary["members"])
cols[2].metric("Seats held by the busiest tenth", f"{summary['busiest_seat_share']:.0%}",
               help=f"The {summary['busiest_members']} people who sit on the most forums, and their share of all "
                    f"{summary['seats']} seats.")
cols[3].metric("People on at least half the forums", summary["in_half_or_more"])

st.subheader("Who sits where")
two_mode = style_two_mode(membership.seats, people, shown.disclosure, forums=membership.forums,
                          workshop=sel.workshop)
st.iframe(render_map(two_mode, height="560px"), height=600)
st.caption(" ".join(plain(n) for n in two_mode.notes) + " Squares are boards and forums; circles are people, "
           "coloured by organisation.")

st.subheader("Each forum")
forums_table = shown.release("forums", found.forums).rename(columns={
    "members": "Members", "groups": "Organisations", "largest_share": "Largest organisation's share",
    "mix": "Mix of organisations (0-1)", "unknown": "Organisation not known"})
table(forums_table, key="forums", column_config={
    "Largest organisation's share": st.column_config.NumberColumn(format="percent"),
    "Mix of organisations (0-1)": st.column_config.NumberColumn(format="%.2f")})
st.caption(f"The mix of a forum of fewer than {shown.disclosure.threshold} people is not shown.")

st.subheader("Members two forums share")
table(shown.release("overlap", found.shared), key="forum_overlap")
st.caption(f"The diagonal is each forum's size. Between 1 and {shown.disclosure.threshold - 1} shared members are "
           "not shown: they would say who sits on both.")

st.subheader("People who bridge forums")
bridges = found.people
if sel.workshop:
    counts = bridges["forums"].value_counts().sort_index().rename_axis("Forums sat on").rename("People")
    table(shown.release("counts", counts.to_frame(), margins=False), key="forum_bridges")
    st.caption("Workshop mode: counts only, no one singled out.")
else:
    released = shown.release("people", bridges.drop(columns=[c for c in ("responded",) if c in bridges.columns]))
    table(released.sort_values("forums", ascending=False), key="forum_people")
    for note in released.attrs.get("notes", []):
        st.caption(plain(note))
