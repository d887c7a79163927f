"""Import: upload, check what was detected, review names, read the report, save as a wave."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from onatool.app import cached, naming
from onatool.app.state import selection
from onatool.app.widgets import choose, names_banner, plain, show_error
from onatool.errors import OnaError
from onatool.files_safety import write_owner_only
from onatool.io.detect import detect, recipe_from_detection
from onatool.io.recipe import SCALES, Recipe
from onatool.project import LAYOUTS, Project

RESULT, PENDING = "_import_result", "_import_pending"
#: Bumped after a save, so every widget of the wizard starts afresh (uploads included).
ROUND, SAVED = "_import_round", "_import_saved"
#: The most names reviewed on one screen.
PAGE = 40

sel = selection()
names_banner(sel)
st.title("Import a wave")
if sel.project is None:
    st.info("Create a project first.")
    st.page_link("onatool/app/pages/project.py", label="Project", icon=":material/folder_open:")
    st.stop()
ws = cached.workspace(sel.workspace)
project = Project(ws, sel.project)
has_roster = bool(project.waves())
saved_recipe = project.saved_recipe() is not None
st.caption(f"Project: **{plain(sel.project)}**. Files are read on this computer; nothing is saved until you have "
           "read the import report.")
for warning in project.key_warnings():
    st.error(plain(warning), icon=":material/key:")
if st.session_state.get(SAVED):
    st.success(f"Saved wave '{plain(st.session_state.pop(SAVED))}'. Import the next wave below, or explore it.",
               icon=":material/check_circle:")
turn = st.session_state.setdefault(ROUND, 0)


def _key(name: str) -> str:
    """A wizard widget's key in this round (a new round after each save starts it empty)."""
    return name if not turn else f"{name}_{turn}"


@dataclass(frozen=True)
class _Upload:
    """An uploaded file, kept in this session's memory only (never left on disk)."""

    name: str
    data: bytes


def _keep(upload) -> _Upload:
    name = Path(upload.name).name
    return _Upload(name if name not in ("", ".", "..") else "upload", upload.getvalue())


@contextmanager
def _on_disk(pending: dict) -> Iterator[dict[str, Path | None]]:
    """The pending uploads as files, for as long as a reader needs them.

    Each is written under its own name (so messages can name it) in an owner-only
    temporary folder that is deleted as soon as the ``with`` block ends, whether the
    import is then saved, read again or abandoned.
    """
    with tempfile.TemporaryDirectory(prefix="onatool-upload-") as folder:
        yield {key: None if pending.get(key) is None
               else write_owner_only(Path(folder, key, pending[key].name), pending[key].data)
               for key in ("answers", "roster")}


def _read(pending: dict, recipe: Recipe | None) -> None:
    with st.status("Importing...", expanded=False) as status:
        try:
            status.update(label="Reading the answers and matching names...")
            with _on_disk(pending) as files:
                result = project.read_wave(files["answers"], layout=pending["layout"], wave=pending["wave"],
                                           roster_file=files["roster"], recipe=recipe)
        except OnaError as error:
            status.update(label="The files could not be imported", state="error")
            st.session_state.pop(RESULT, None)
            show_error(error)
            return
        status.update(label="Read. Check the report below before saving.", state="complete")
    st.session_state[RESULT] = result
    pending["recipe"] = result.recipe


def _scale_order(answers, known: dict) -> list[str]:
    """Answers in the scale's order (Never ... Daily); unknown ones and 'not applicable' after."""
    position = {a: i for i, a in enumerate(answers)}
    return sorted(answers, key=lambda a: (known.get(a) is None, known.get(a) or 0, position[a]))


# 1. Files ------------------------------------------------------------------------------
with st.form("import_form"):
    st.markdown("**1. Roster** (everyone in the network, whether or not they answered)")
    roster_upload = st.file_uploader("Roster (CSV or XLSX)", type=["csv", "xlsx"], key=_key("import_roster"),
                                     help="Leave empty to use the project's saved roster." if has_roster else None)
    st.markdown("**2. Answers**")
    answers_upload = st.file_uploader("Answers (CSV, XLSX or GraphML)", type=["csv", "xlsx", "graphml"],
                                      key=_key("import_answers"))
    c1, c2, c3 = st.columns([2, 2, 2])
    layout = c1.radio("Layout", LAYOUTS, key=_key("import_layout"),
                      help="Survey export: Microsoft Forms, Qualtrics, SurveyMonkey, Google Forms, a roster grid, "
                           "a multi-select sheet or Network Canvas, detected from the file. Edge list: one row per "
                           "'source names target'. Matrix: a square sheet per relation.")
    wave = c2.text_input("Wave name", placeholder="e.g. baseline, 2026-06", key=_key("import_wave"))
    # Ticked whenever the project has a recipe: the key changes once one is saved, so a box
    # drawn (unticked, disabled) before the first recipe does not stay unticked.
    reuse = c3.checkbox("Use the project's saved recipe", value=saved_recipe, disabled=not saved_recipe,
                        key=_key(f"import_reuse_{saved_recipe}"),
                        help="How the last survey export was read: the next wave in one step.")
    submitted = st.form_submit_button("Read the files", type="primary")

if submitted:
    st.session_state.pop(RESULT, None)
    if answers_upload is None or (roster_upload is None and not has_roster):
        st.error("Upload the answers file" + ("" if has_roster else " and a roster") + ".")
    else:
        pending = {"answers": _keep(answers_upload), "layout": layout, "wave": wave.strip() or None,
                   "roster": _keep(roster_upload) if roster_upload is not None else None, "detection": None}
        st.session_state[PENDING] = pending
        if layout != "survey export" or (reuse and saved_recipe):
            recipe = project.saved_recipe() if layout == "survey export" else None
            _read(pending, recipe)
        else:
            try:
                with _on_disk(pending) as files:
                    roster = project.roster(files["roster"])
                    pending["detection"] = detect(files["answers"], roster=roster)
            except OnaError as error:
                show_error(error)

# 2. What was detected ------------------------------------------------------------------
pending = st.session_state.get(PENDING)
detection = pending.get("detection") if pending else None
if detection is not None and st.session_state.get(RESULT) is None:
    st.subheader("What the file gives away")
    st.write(f"Layout: **{detection.layout.replace('_', ' ')}** · respondents identified by "
             f"**{detection.identity or 'not found'}**")
    identities = [c[0] for c in detection.identity_candidates] or ([detection.identity] if detection.identity else [])
    identity = st.selectbox("Who answered is in column", identities, key="import_identity") if identities else None
    questions = pd.DataFrame({
        "include": [q.relational for q in detection.questions],
        "question": [q.question for q in detection.questions],
        "relation": [q.relation or "" for q in detection.questions],
        "example answer": [str(q.samples[0]) if q.samples else "" for q in detection.questions],
    })
    edited = st.data_editor(questions, hide_index=True, key="import_questions", disabled=["question", "example answer"],
                            column_config={"relation": st.column_config.TextColumn(
                                help="Short name: advice, collaboration, trust, concern, met ...")})
    if detection.dropped:
        st.caption("Columns not read: " + "; ".join(f"{plain(h)} ({why})" for h, why in detection.dropped))
    scales, guesses = {}, list(detection.questions)
    grids = [(i, q) for i, q in enumerate(guesses) if q.kind == "grid" and q.answers]
    if grids:
        st.markdown("**Answer scales**: the weight each answer gets. 0 is an answer but not a tie; leave a "
                    "weight empty for 'not applicable'. Whether a weight counts as a tie is chosen later.")
    for index, guess in grids:
        known = SCALES.get(guess.scale or "", {})
        table = pd.DataFrame({"answer": _scale_order(guess.answers, known),
                              "weight": [known.get(a) for a in _scale_order(guess.answers, known)]})
        edited_scale = st.data_editor(table, hide_index=True, disabled=["answer"], key=f"import_scale_{index}",
                                      column_config={"weight": st.column_config.NumberColumn(step=0.5)})
        st.caption(guess.question)
        name = guess.scale or f"scale_{index}"
        scales[name] = {**known, **{row.answer: (None if pd.isna(row.weight) else float(row.weight))
                                    for row in edited_scale.itertuples()}}
        guesses[index] = replace(guess, scale=name)
    if st.button("Import with these choices", type="primary", key="import_confirm"):
        chosen = {row.question: (row.relation.strip() or None) if row.include else None
                  for row in edited.itertuples()}
        try:
            recipe = recipe_from_detection(replace(detection, questions=tuple(guesses)), relations=chosen,
                                           identity=identity, scales=scales)
        except OnaError as error:
            show_error(error)
        else:
            _read(pending, recipe)
            if st.session_state.get(RESULT) is not None:
                st.rerun()  # the report replaces the detection step

# 3. The report, name review and save ---------------------------------------------------
result = st.session_state.get(RESULT)
if result is not None:
    report, net = result.report, result.network
    st.subheader(f"Import report: wave '{plain(net.wave)}'")
    counts = report.counts()
    review = report.review()
    m = st.columns(5)
    m[0].metric("People", net.n_people)
    m[1].metric("Answered", f"{len(net.respondents)} ({net.response_rate:.0%})")
    m[2].metric("Rows kept", counts["kept"])
    m[3].metric("Rows not kept as read", counts["changed"] + counts["dropped"] + counts["doubted"],
                help="Rows changed, dropped, or in doubt because they name someone awaiting a decision; "
                     "the reasons are below.")
    m[4].metric("Names to decide", len(review),
                help="Typed names that resemble people on the roster, awaiting a person's decision: below.")
    reasons = report.reasons()
    if reasons:
        st.dataframe(pd.DataFrame({"what": list(reasons), "count": list(reasons.values())}), hide_index=True)
    if review:
        items = project.names_to_decide(result, k=sel.k)
        clear = [item for item in items if item.clear]
        st.markdown("**Who is each name?** Names are shown here so that you can match them; decisions are kept "
                    "in the project for every later wave, and can be changed on the Names page.")
        if clear and st.button(f"Accept every clear match ({len(clear)})", key="import_accept_clear",
                               help="A clear match offers one person only, whose name is close to what was typed "
                                    "(not a bare first name or initials)."):
            try:
                project.accept_clear_matches(result, k=sel.k)
            except OnaError as error:
                show_error(error)
            else:
                _read(pending, pending.get("recipe"))
                st.rerun()
        names = result.roster.identities["name"]
        everyone = sorted(result.roster.identities.index, key=lambda pid: str(names.get(pid, pid)))
        decisions = {}
        columns = st.columns(2)
        for index, item in enumerate(items[:PAGE]):
            with columns[index % 2].container(border=True):
                decisions[item.raw] = naming.choice(item, f"import_review_{turn}_{item.raw}", everyone, names,
                                                    other_key=f"import_other_{turn}_{item.raw}")
        if len(items) > PAGE:
            st.caption(f"{len(items) - PAGE} more after these: decide these first, then re-read.")
        if st.button("Apply these decisions and re-read", key="import_apply"):
            try:
                for raw, (action, person) in decisions.items():
                    naming.apply(project, lambda r, a, person: project.decide(result, r, a, person=person),
                                 raw, action, person)
            except OnaError as error:
                show_error(error)
            else:
                _read(pending, pending.get("recipe"))
                st.rerun()
    with st.expander("Every row that was not kept as it was"):
        st.markdown(report.to_markdown())
    replacing = net.wave in project.wave_names()
    if replacing:
        st.warning(f"A wave named '{plain(net.wave)}' exists: saving replaces it.")
    if st.button("Save as wave", type="primary", key="import_save"):
        try:
            project.save_wave(result, replace=replacing)
        except OnaError as error:
            show_error(error)
        else:
            st.session_state.pop(RESULT, None)
            st.session_state.pop(PENDING, None)
            st.session_state[ROUND] = turn + 1
            st.session_state[SAVED] = net.wave
            choose(sel.project, net.wave)
