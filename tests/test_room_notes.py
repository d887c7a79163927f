"""Room notes: kept against a finding, with the project, gone with it."""

import sqlite3

import pytest

from onatool.errors import InputFormatError, NotFoundError
from onatool.share.insights import Insight
from onatool.store import SCHEMA_VERSION, Workspace
from onatool.store.notes import add_note, delete_note, finding_key, notes_by_finding, room_notes

FINDING = Insight("Most ties stay inside organisations.", {"share": 0.8}, ("boundary_crossing_organisation",),
                  0.9, (("organisation", "Acute"),), "silos")


@pytest.fixture
def ws(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    ws.create_project("p")
    return ws


def test_a_note_is_kept_against_its_finding_whatever_its_wording(ws):
    add_note(ws, "p", "final", FINDING, "  The room says the hospice is new to the partnership. ", "enabler")
    reworded = Insight("Nearly every tie stays inside an organisation.", {"share": 0.8},
                       FINDING.metrics, 0.9, FINDING.groups, "silos")
    notes = room_notes(ws, "p", "final")
    assert [n.text for n in notes] == ["The room says the hospice is new to the partnership."]
    assert notes[0].finding == finding_key(reworded) and notes[0].finding_text == FINDING.text
    assert notes[0].user == "enabler"
    assert notes_by_finding(notes) == {finding_key(FINDING): [notes[0].text]}
    assert room_notes(ws, "p", "baseline") == []


def test_notes_keep_their_order_and_can_be_deleted(ws):
    first = add_note(ws, "p", "final", FINDING, "one", "a")
    add_note(ws, "p", "final", FINDING, "two", "b")
    assert [n.text for n in room_notes(ws, "p")] == ["one", "two"]
    delete_note(ws, "p", first.id)
    assert [n.text for n in room_notes(ws, "p")] == ["two"]
    with pytest.raises(NotFoundError):
        delete_note(ws, "p", first.id)


@pytest.mark.parametrize("text, user", [("", "a"), ("   ", "a"), ("x" * 2001, "a"), ("fine", " ")])
def test_bad_notes_are_refused(ws, text, user):
    with pytest.raises(InputFormatError):
        add_note(ws, "p", "final", FINDING, text, user)


def test_notes_go_with_their_project(ws, tmp_path):
    add_note(ws, "p", "final", FINDING, "a note", "a")
    ws.delete_project("p")
    with sqlite3.connect(tmp_path / "w.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM room_note").fetchone() == (0,)


def test_the_notes_table_comes_with_the_latest_schema(tmp_path):
    Workspace(tmp_path / "w.sqlite").projects()
    with sqlite3.connect(tmp_path / "w.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'room_note'").fetchone()


def test_the_report_carries_the_rooms_notes_under_their_finding_escaped():
    from onatool.network import Network
    from onatool.outputs.html import build_report
    from onatool.outputs.provenance import Provenance

    net = Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")])
    general = Insight("Ties are mostly two-way.", {"share": 0.9}, ("reciprocity",), 0.5, (), "reciprocity")
    other = Insight("Nobody is left out.", {"isolates": 0}, ("isolates",), 0.4, (), "inclusion")
    notes = {finding_key(general): ["The room agreed.", "<script>alert(1)</script>"]}
    html = build_report(net, Provenance(net.wave), found=[general, other], room_notes=notes, charts=False)
    section = html[html.index('id="findings"'):]
    assert "What the room said" in section and "The room agreed." in section
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    # Only under its own finding.
    assert section.count("What the room said") == 1
