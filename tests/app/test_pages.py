"""Every page, as a person would use it, through Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = "onatool/app/pages"


def test_opens_on_the_sample_project(app):
    at = app()
    assert at.sidebar.selectbox(key="project").value == "Northmoor place partnership (sample)"
    assert at.sidebar.selectbox(key="wave").value == "final"
    assert at.title[0].value == "Project"
    waves = at.dataframe[0].value
    assert list(waves["Wave"]) == ["baseline", "interim", "final"]
    assert waves["People"].tolist() == [250, 250, 250]


@pytest.mark.parametrize("page", ["map", "people", "boundaries", "levels", "health", "change", "export",
                                  "about", "import_data", "names", "project", "whatif", "present"])
def test_every_page_runs(app, page):
    at = app(page)
    assert at.title or (page == "present" and at.header), page  # a slide's heading is its finding


def test_map_draws_the_webgl_component(app):
    import json

    at = app("map")
    parts = at.get("component_instance")
    assert len(parts) == 1
    payload = json.loads(parts[0].proto.json_args)["payload"]
    assert len(payload["graph"]["nodes"]["x"]) == 250  # the sample's people, sent once
    assert payload["style"]["label"] is None  # workshop mode: no labels


def test_wave_switch_changes_people_table(app):
    at = app("people", workshop=False)
    follow_up = at.dataframe[0].value
    at.sidebar.selectbox(key="wave").select("baseline").run()
    baseline = at.dataframe[0].value
    assert not follow_up.equals(baseline)


def test_filter_changes_the_people_table(app):
    at = app("people", workshop=False)
    everyone = len(at.dataframe[0].value)
    at.multiselect(key="people_orgs").select("Heatherbank Hospice").run()
    hospice = at.dataframe[0].value
    assert 0 < len(hospice) < everyone
    # Filters offer only what the person-level gate shows: no filter narrows to fewer than k.
    assert len(hospice) >= 5


def test_workshop_mode_shows_groups_only_on_the_people_page(app):
    at = app("people")
    assert at.session_state["workshop"]
    groups = at.dataframe[0].value
    assert groups.index.name == "organisation"
    assert not any(str(g).startswith("P0") or str(g).startswith("P1") for g in groups.index)
    assert groups["people"].min() >= 5
    assert "person" not in groups.columns and groups.index.name != "person"
    # Revealing names does not bring people back while workshop mode is on.
    at.sidebar.toggle(key="reveal_names").set_value(True).run()
    assert at.dataframe[0].value.index.name == "organisation"
    at.selectbox(key="people_by").select("level").run()
    levels = at.dataframe[0].value
    assert levels["people"].min() >= 5 and len(levels) <= 4


def test_people_page_shows_one_column_group_at_a_time_in_plain_words(app):
    at = app("people", workshop=False)
    reach = at.dataframe[0].value
    assert "betweenness" not in reach.columns and "in_degree" in reach.columns
    assert len(reach.columns) < 15
    at.segmented_control(key="people_family").set_value("Brokerage roles").run()
    roles = at.dataframe[0].value
    assert {"liaison_organisation", "gatekeeper_organisation"} <= set(roles.columns)
    assert "liaison_sector" not in roles.columns
    at.selectbox(key="people_across").select("sector").run()
    assert "liaison_sector" in at.dataframe[0].value.columns


def test_workshop_mode_off_hides_names_and_reveal_shows_them(app):
    at = app("people", workshop=False)
    table = at.dataframe[0].value
    assert all(str(p).startswith("P") for p in table.index)
    at.sidebar.toggle(key="reveal_names").set_value(True).run()
    revealed = at.dataframe[0].value
    assert not all(str(p).startswith("P") for p in revealed.index)
    assert any("Names are revealed" in w.value for w in at.warning)


def test_bad_upload_shows_a_clear_error(app):
    at = app("import_data")
    at.file_uploader(key="import_answers").set_value(("ties.csv", b"source,friend\nNM0001,NM0002\n", "text/csv"))
    at.radio(key="import_layout").set_value("edge list")
    at.button[0].click().run()  # the form's submit button
    errors = [e.value for e in at.error]
    assert any("ties.csv" in e and "no column for the tie's target" in e for e in errors), errors
    assert "_import_result" not in at.session_state


def test_upload_shows_the_import_report_before_saving(app):
    at = app("import_data")
    ties = b"source,target,relation\nNM0001,NM0002,advice\nNM0001,NM0001,advice\nNM0001,Nobody Known,advice\n"
    at.file_uploader(key="import_answers").set_value(("ties.csv", ties, "text/csv"))
    at.radio(key="import_layout").set_value("edge list")
    at.text_input(key="import_wave").set_value("check")
    at.button[0].click().run()
    assert not at.exception
    assert any("Import report: wave 'check'" in h.value for h in at.subheader)
    reasons = at.dataframe[0].value
    assert set(reasons["what"]) >= {"dropped: self-tie", "dropped: named person not on the roster"}


def test_change_page_shows_the_planted_cohort_effect(app):
    at = app("change")  # interim to final, the sample's last two waves
    assert [m.label for m in at.metric][:3] == ["Stable ties", "New ties", "Lost ties"]
    # Cohort 2's programme ran between interim and final.
    at.selectbox(key="change_cohort").set_value("Leadership programme 2").run()
    assert not at.exception
    cohort = at.dataframe[1].value  # the cohort table follows the boundary table
    row = cohort.set_index("measure").loc["New external organisation"]
    assert row["cohort (mean)"] > 2 * row["others (mean)"] and row["p"] < 0.01


def test_export_makes_the_report_and_records_it(app, workspace):
    at = app("export")
    at.button(key="export_make").click().run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Download the report (HTML)" in labels and "Download everything (zip)" in labels
    from onatool.store import Workspace

    log = Workspace(workspace).audit_log("Northmoor place partnership (sample)")
    assert "export made" in set(log["action"])


# Name review (issue 11): accepted, chosen and new people are kept and reused --------------
def _review_export(folder: Path) -> tuple[bytes, bytes]:
    from tests.support import survey_builders as sb

    answers = [sb.Response("ann.lee@acute.example", ["Bo Chan", "Jo", "M Okonkwo", "Bo"]),
               sb.Response("bo.chan@council.example", ["Ann Lee"])]
    roster = sb.write_roster(folder / "roster.csv")
    forms = sb.forms(folder / "forms.xlsx", answers)
    return roster.read_bytes(), forms.read_bytes()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _wizard(widgets, name: str):
    """The import wizard's widget ``name`` in this round (its key gains ``_<round>`` after each save)."""
    return next(w for w in widgets if w.key == name or (w.key or "").startswith(f"{name}_"))


def _read_wave(at: AppTest, wave: str, roster: bytes | None, forms: bytes) -> AppTest:
    if roster is not None:
        _wizard(at.get("file_uploader"), "import_roster").set_value(("roster.csv", roster, "text/csv"))
    _wizard(at.get("file_uploader"), "import_answers").set_value(("forms.xlsx", forms, XLSX))
    _wizard(at.radio, "import_layout").set_value("survey export")
    _wizard(at.text_input, "import_wave").set_value(wave)
    at.button[0].click().run()
    if any(b.key == "import_confirm" for b in at.button):  # first wave: confirm what was detected
        at.button(key="import_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_name_review_saves_accepted_chosen_and_new_people_and_the_next_wave_reuses_them(
        tmp_path, monkeypatch):
    from onatool.project import Project
    from onatool.store import Workspace

    path = tmp_path / "workspace.sqlite"
    monkeypatch.setenv("ONATOOL_WORKSPACE", str(path))
    project = Project.create(Workspace(path), "Names")
    roster, forms = _review_export(tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["project"] = "Names"
    at.run()
    at.switch_page(f"{PAGES}/import_data.py").run()
    _read_wave(at, "w1", roster, forms)
    under_review = {s.label: s for s in at.selectbox if s.key and s.key.startswith("import_review_")}
    assert set(under_review) == {"'Jo'", "'M Okonkwo'", "'Bo'"}, list(under_review)
    jo = under_review["'Jo'"]
    jo.select(next(o for o in jo.options if o.startswith("It is Jo Smith · Acute trust"))).run()
    under_review = {s.label: s for s in at.selectbox if s.key and s.key.startswith("import_review_")}
    under_review["'M Okonkwo'"].select("Another person on the roster...").run()
    who = next(s for s in at.selectbox if s.key and s.key.startswith("import_other_"))
    margaret = next(o for o in who.options if "Okonkwo" in o)
    who.select(margaret).run()
    under_review = {s.label: s for s in at.selectbox if s.key and s.key.startswith("import_review_")}
    under_review["'Bo'"].select("Someone not on the roster").run()
    at.button(key="import_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("import_review_")]  # all decided
    at.button(key="import_save").click().run()
    assert not at.exception, [e.value for e in at.exception]

    decided = project.name_decisions()
    assert {t: (a.decision, a.person) for t, a in decided.items()} == {
        "jo": ("chosen", "C3"), "m okonkwo": ("chosen", "E5"), "bo": ("new person", None)}
    assert project.waves()[0].key_fingerprint == project.fingerprint

    # The next wave: nobody is asked again, and each name resolves as decided.
    at.switch_page(f"{PAGES}/import_data.py").run()
    _read_wave(at, "w2", None, forms)
    assert not [s for s in at.selectbox if s.key and s.key.startswith("import_review_")]
    at.button(key="import_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    names = {n["raw"]: n for n in Workspace(path).load_report("Names", "w2")["names"]}
    identities = Workspace(path).load_roster("Names")[1]
    assert identities.loc[names["Jo"]["person_id"], "name"] == "Jo Smith"
    assert identities.loc[names["M Okonkwo"]["person_id"], "name"] == "Margaret Okonkwo"
    assert names["Bo"]["method"] == "new" and identities.loc[names["Bo"]["person_id"], "name"] == "Bo"
