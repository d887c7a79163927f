"""Export: downloads of every table, pseudonymised and suppressed by default."""

import streamlit as st

from onatool.app import cached
from onatool.app.state import selection
from onatool.app.widgets import names_banner, require_wave
from onatool.report.tables import safe_frame

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Export")
st.caption("Text cells that a spreadsheet could run as a formula are made safe. People are listed by "
           "pseudonym; groups smaller than the suppression threshold are left out.")

path, project, wave = sel.workspace, sel.project, sel.wave
stamp = cached.wave_stamp(path, project, wave)
analysis = cached.analysis(path, project, wave, stamp, sel.relation, sel.min_weight)
ws = cached.workspace(path)


def _download(label: str, frame, file_name: str, key: str) -> None:
    if st.download_button(label, safe_frame(frame).to_csv().encode("utf-8-sig"), file_name=file_name,
                          mime="text/csv", key=key):
        ws.audit(project, st.session_state.get("user", "local user"), "export made", file_name)


_download("People (CSV)", analysis.people, f"people_{wave}.csv", "dl_people")
for attribute, groups in analysis.groups.items():
    _download(f"Groups by {attribute} (CSV)", groups[groups["size"] >= sel.k], f"groups_{attribute}_{wave}.csv",
              f"dl_groups_{attribute}")
