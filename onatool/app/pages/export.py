"""Export: the stakeholder report and every export, pseudonymised and suppressed by default."""

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from onatool import schema
from onatool.app import cached
from onatool.app.state import Keys, selection
from onatool.app.widgets import names_banner, plain, require_wave, show_error
from onatool.errors import OnaError
from onatool.io import ImportReport, ImportResult, Roster
from onatool.outputs.pipeline import produce_outputs
from onatool.project import Project
from onatool.share.disclosure import Disclosure

BUNDLE = "_export_bundle"
POSTER = "_export_poster"

sel = selection()
require_wave(sel)
names_banner(sel)
st.title("Export")
st.caption("One self-contained report for a programme board or a workshop (it works offline and can be emailed "
           "internally), plus the analyst's files: Excel, CSV, GraphML and GEXF for Gephi, Kumu, and static maps. "
           "People appear by pseudonym, groups smaller than the suppression threshold are merged or hidden, and "
           "spreadsheet cells can never run as formulas.")

path, project = sel.workspace, sel.project
ws = cached.workspace(path)
waves = [w.name for w in ws.waves(project)]
upto = waves[: waves.index(sel.wave) + 1]

c1, c2, c3 = st.columns(3)
nhs = c1.toggle("NHS rounding", key="export_nhs",
                help="The NHS rule: counts of 1 to 7 shown as *, every other count rounded to the nearest 5.")
pdf = c2.toggle("Also a PDF of the report (slower)", key="export_pdf")
with_names = c3.toggle("Names in the analyst files", key="export_names", disabled=not sel.reveal_names,
                       help="Only while names are revealed; the report and maps never carry names.")
if with_names:
    st.warning("The Excel, CSV, GraphML, GEXF and Kumu files will carry names. Keep them inside your organisation.")
st.write(f"Report on **{plain(sel.wave)}**" + (f", with the change since **{plain(upto[-2])}**" if len(upto) > 1 else "") +
         f"; suppression threshold k = {sel.k}.")

if st.button("Make the report and exports", type="primary", key="export_make"):
    disclosure = Disclosure(k=sel.k, preset="nhs" if nhs else "k")
    analyst = disclosure
    if with_names:
        analyst = disclosure.reveal_names(user=st.session_state[Keys.USER], project=project, audit=ws.audit,
                                          detail="names in exported files")
    people, identities = ws.load_roster(project)
    roster = Roster(people, identities)
    results = [ImportResult(cached.network(path, project, w, cached.wave_stamp(path, project, w)), roster,
                            ImportReport()) for w in upto]
    with st.status("Writing the report and exports...", expanded=False) as status, \
            tempfile.TemporaryDirectory(prefix="onatool-export-") as folder, \
            tempfile.TemporaryDirectory(prefix="onatool-named-") as named:
        try:
            from onatool.store.notes import notes_by_finding, room_notes

            outputs = produce_outputs(results, folder, project=project, relation=sel.relation,
                                      min_weight=sel.min_weight, disclosure=disclosure,
                                      export_disclosure=analyst, pdf=pdf,
                                      positions=cached.positions(path, project, cached.stamps(path, project)),
                                      analyst_folder=named if with_names else None,
                                      colours=Project(ws, project).palette(schema.ORGANISATION),
                                      room_notes=notes_by_finding(room_notes(ws, project, sel.wave)),
                                      themes=Project(ws, project).themes(),
                                      ratings=getattr(Project(ws, project).ratings(), "answers", None))
        except OnaError as error:
            status.update(label="The export could not be made", state="error")
            show_error(error)
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(Path(folder).rglob("*")):
                    if file.is_file():
                        archive.write(file, file.relative_to(folder))
            report = (Path(folder) / "report.html").read_bytes()
            named_zip = None
            if with_names:  # names never travel in the shareable bundle: a download of their own
                named_buffer = io.BytesIO()
                with zipfile.ZipFile(named_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for file in sorted(Path(named).rglob("*")):
                        if file.is_file():
                            archive.write(file, file.relative_to(named))
                named_zip = named_buffer.getvalue()
            st.session_state[BUNDLE] = {"zip": buffer.getvalue(), "report": report, "notes": outputs.notes,
                                        "named": named_zip,
                                        "wave": sel.wave, "files": sum(len(v) for v in outputs.files.values())}
            ws.audit(project, st.session_state[Keys.USER], "export made",
                     "with names" if with_names else "pseudonymised")
            status.update(label="Ready to download.", state="complete")

bundle = st.session_state.get(BUNDLE)
if bundle:
    st.success(f"{bundle['files']} files for wave '{plain(bundle['wave'])}'.")
    d1, d2 = st.columns(2)
    d1.download_button("Download the report (HTML)", bundle["report"], file_name=f"onatool_report_{bundle['wave']}.html",
                       mime="text/html", key="export_report")
    d2.download_button("Download everything (zip)", bundle["zip"], file_name=f"onatool_{bundle['wave']}.zip",
                       mime="application/zip", key="export_zip")
    if bundle.get("named"):
        st.warning("The analyst files with names are a download of their own: keep them apart from what you share.")
        st.download_button("Download the analyst files with names (zip)", bundle["named"],
                           file_name=f"onatool_{bundle['wave']}_with_names.zip", mime="application/zip",
                           key="export_named")
    for note in bundle["notes"]:
        st.caption(note)

st.divider()
st.subheader("A3 poster of the map")
st.caption("A PDF for the wall of a workshop room: the map of this wave on the project's fixed layout, with its "
           "legend. No one is labelled and groups smaller than the threshold are shown as Other, whatever "
           "this session may see.")
attributes = [a for a in (*schema.BOUNDARY_ATTRIBUTES, schema.PLACE)
              if a in cached.network(path, project, sel.wave, cached.wave_stamp(path, project, sel.wave)).people.columns]
p1, p2 = st.columns([1, 2], vertical_alignment="bottom")
colour_by = p1.selectbox("Colour by", attributes, key="poster_colour", format_func=str.capitalize)
if p2.button("Make the poster (PDF)", key="poster_make"):
    from onatool.outputs.poster import write_poster
    from onatool.outputs.provenance import Provenance

    stamp = cached.wave_stamp(path, project, sel.wave)
    with st.spinner("Drawing the poster..."), tempfile.TemporaryDirectory(prefix="onatool-poster-") as folder:
        poster = write_poster(
            Path(folder) / "poster.pdf", cached.layer(path, project, sel.wave, stamp, sel.relation, sel.min_weight),
            cached.positions(path, project, cached.stamps(path, project)),
            Provenance(sel.wave, relation=sel.relation, min_weight=sel.min_weight, disclosure=Disclosure(k=sel.k),
                       project=project),
            analysis=cached.analysis(path, project, sel.wave, stamp, sel.relation, sel.min_weight),
            colour_by=colour_by)
        st.session_state[POSTER] = {"pdf": poster.read_bytes(), "wave": sel.wave, "colour_by": colour_by}
    ws.audit(project, st.session_state[Keys.USER], "poster made", f"coloured by {colour_by}")
made = st.session_state.get(POSTER)
if made:
    st.download_button(f"Download the poster (A3 PDF, wave '{made['wave']}', by {made['colour_by']})", made["pdf"],
                       file_name=f"onatool_poster_{made['wave']}.pdf", mime="application/pdf", key="poster_download")
