"""Holding up a mirror: the what-if and presentation pages, and workshop mode's promise."""

from onatool.metrics.resilience import group_members, reach_without
from onatool.sample import SAMPLE_PROJECT
from onatool.store import Workspace


def test_what_if_in_workshop_mode_offers_groups_never_people(app):
    at = app("whatif")
    assert "People I choose" not in at.radio(key="whatif_way").options
    at.radio(key="whatif_way").set_value("A group").run()
    options = at.multiselect(key="whatif_groups_organisation").options
    assert options and "Other" not in options
    at.multiselect(key="whatif_groups_organisation").select(options[0]).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert set(shown) == {"Pairs still connected", "Reach in two steps", "Ties across organisation groups"}


def test_what_if_shows_what_the_library_computes(app, workspace):
    at = app("whatif", workshop=False)
    assert "People I choose" in at.radio(key="whatif_way").options
    at.radio(key="whatif_way").set_value("A group").run()
    group = at.multiselect(key="whatif_groups_organisation").options[0]
    at.multiselect(key="whatif_groups_organisation").select(group).run()
    net = Workspace(workspace).load_wave(SAMPLE_PROJECT, "final")
    rel = at.session_state["relation"]
    lost = reach_without(net, group_members(net, "organisation", group), relation=rel,
                         min_weight=at.session_state["min_weight"])
    shown = {m.label: m.value for m in at.metric}
    assert shown["Ties across organisation groups"] == f"{lost.cross_ties_after:,d}"
    assert shown["Pairs still connected"] == f"{lost.connected_pairs_after:.0%}"


def test_small_groups_cannot_be_taken_out_on_their_own(app, workspace):
    at = app("whatif", k=10)
    at.radio(key="whatif_way").set_value("A group").run()
    net = Workspace(workspace).load_wave(SAMPLE_PROJECT, "final")
    sizes = net.people["organisation"].value_counts()
    options = at.multiselect(key="whatif_groups_organisation").options
    assert (sizes < 10).any()  # the sample has organisations under this k
    assert options and all(sizes[o] >= 10 for o in options)


def test_export_page_makes_the_a3_poster_and_records_it(app, workspace):
    at = app("export")
    at.button(key="poster_make").click().run()
    assert not at.exception
    pdf = at.session_state["_export_poster"]["pdf"]
    assert pdf.startswith(b"%PDF")
    log = Workspace(workspace).audit_log(SAMPLE_PROJECT)
    assert "poster made" in set(log["action"])


def _slide_title(at) -> str:
    return at.header[0].value


def test_present_steps_through_the_findings_and_keeps_the_rooms_notes(app, workspace):
    from onatool.store.notes import room_notes

    at = app("present", workshop=False)
    first = _slide_title(at)
    assert any("Finding 1 of" in c.value for c in at.caption)
    assert any("For the room" in i.value for i in at.info)
    at.button(key="present_next").click().run()
    assert _slide_title(at) != first and any("Finding 2 of" in c.value for c in at.caption)
    at.button(key="present_previous").click().run()
    assert _slide_title(at) == first
    at.text_area(key="present_note").input("The room did not recognise this pattern.")
    at.button(key="FormSubmitter:present_note_form-Keep this note").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    notes = room_notes(Workspace(workspace), SAMPLE_PROJECT, "final")
    assert [n.text for n in notes][-1] == "The room did not recognise this pattern."
    assert any("did not recognise" in m.value for m in at.markdown)


def test_a_slide_uses_the_findings_own_prompt_and_falls_back_by_kind():
    from dataclasses import dataclass

    from onatool.app.slides import GENERAL_PROMPT, PROMPTS, colour_for, prompt_for
    from onatool.share.insights import Insight

    silos = Insight("t", {}, (), 0.5, (("sector", "NHS"),), "silos")
    assert prompt_for(silos) == PROMPTS["silos"]
    assert prompt_for(Insight("t", {}, (), 0.5, (), "something new")) == GENERAL_PROMPT

    @dataclass(frozen=True)
    class WithPrompt:
        text: str
        kind: str
        prompt: str

    assert prompt_for(WithPrompt("t", "silos", "What do you see?")) == "What do you see?"
    assert prompt_for(WithPrompt("t", "silos", "  ")) == PROMPTS["silos"]
    assert colour_for(silos, ["organisation", "sector"]) == "sector"
    assert colour_for(Insight("t", {}, (), 0.5, (), "tops"), ["organisation", "level"]) == "level"
    assert colour_for(Insight("t", {}, (), 0.5, (), "reciprocity"), ["organisation"]) == "organisation"


def test_the_rooms_notes_reach_the_report_made_on_the_export_page(app, workspace):
    at = app("present")
    finding_text = at.header[0].value
    at.text_area(key="present_note").input("Noted in the room: winter pressures.")
    at.button(key="FormSubmitter:present_note_form-Keep this note").click().run()
    at.switch_page("onatool/app/pages/export.py").run()
    at.button(key="export_make").click().run(timeout=600)
    assert not at.exception
    report = at.session_state["_export_bundle"]["report"].decode("utf-8")
    findings = report[report.index('id="findings"'):]
    assert "Noted in the room: winter pressures." in findings
    assert findings.index("Noted in the room") > findings.index(finding_text.split(":")[0].replace("\\", ""))
