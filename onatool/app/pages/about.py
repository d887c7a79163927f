"""About this analysis: what is held, who sees names, suppression, retention (for a DPIA)."""

import streamlit as st

from onatool.app import cached
from onatool.app.state import selection

sel = selection()
st.title("About this analysis")
st.markdown(
    """
onatool runs on this computer. Nothing you import or view is sent anywhere: no telemetry, no
web fonts, no files fetched from the internet; maps and reports carry everything they need inside them.

**What is held.** For each project, in the workspace file on this computer: the roster (each person's
organisation, sector, profession, level, place, cohort and any other roster columns), each wave's answers
(who named whom, in which relationship, with what frequency or strength), the import reports, and a secret
key that turns roster ids into pseudonyms. Names and emails are held apart from everything else and are
read only when someone reveals names.

**Who sees names.** Nobody, by default. Outside workshop mode, pages show people by pseudonym (P001 …).
Workshop mode, for showing a room, singles no one out: no names and no pseudonyms anywhere; the People page
shows groups of at least the threshold only, never a person's row; maps draw unlabelled dots coloured by group,
with group-level tooltips; the what-if page takes out groups, never a named person; presentations and posters
are workshop maps whatever the session may see. Revealing names is an explicit switch, shown with a banner while
it is on, and recorded in the project's audit log (who and when).

**Small groups.** Everything shown or exported passes one disclosure gate. Group figures resting on fewer
people than the suppression threshold are merged into "Other" (with the next smallest group where a total would
otherwise give a hidden one away), measures about a level with too few people are not shown, and on maps such
groups are merged into "Other", so nobody can be singled out by being the only member of a group. Tables with one
row per person show each combination of organisation, level and other attributes only when at least that many
people share it; otherwise values are shown as "Other" or left out, and the table says so.

**The policy is the project's.** The threshold is set for the project and held in the workspace: anyone may
raise it for their own view, nobody can lower it from the sidebar, and a viewer always sees workshop mode and
cannot reveal names. Unsuppressed files and files that link typed names to pseudonyms are written only when an
analyst asks for them, to a private folder, and each such write is recorded in the audit log.

**The room's notes.** Notes typed on the Present page are kept with the project, against the finding they
are about, and printed (as typed) under that finding in the report. Write what the room said about patterns,
not about people.

**Non-respondents.** People who did not answer stay in the network, because others named them; their own
ties are unknown, not absent. Response rates are shown beside results.
"""
)
if sel.project:
    st.subheader("Audit log")
    log = cached.workspace(sel.workspace).audit_log(sel.project)
    if len(log):
        st.dataframe(log, hide_index=True)
    else:
        st.caption("Nothing recorded yet for this project.")
st.caption(f"Workspace file: {sel.workspace}")
