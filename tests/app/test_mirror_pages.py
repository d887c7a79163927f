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
