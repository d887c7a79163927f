"""Name review through the project service: context for each name, accepting every clear match,
revisiting a saved wave's decisions and re-deriving the wave, and the project's palette."""

from __future__ import annotations

import pytest

from onatool.errors import InputFormatError, NotDefinedError
from onatool.network import Network
from onatool.project import Project
from onatool.store import Workspace
from onatool.viz.palette import COLOURS
from tests.support import survey_builders as sb

ANSWERS = [sb.Response("ann.lee@acute.example", ["Bo Chan", "Jo", "Margaret Okonkow", "Bo"]),
           sb.Response("bo.chan@council.example", ["Ann Lee", "Margaret Okonkow"]),
           sb.Response("jo.smith@acute.example", ["Margaret Okonkow", "Jo"])]


@pytest.fixture
def project(tmp_path):
    return Project.create(Workspace(tmp_path / "ws.sqlite"), "Names")


@pytest.fixture
def files(tmp_path):
    return sb.write_roster(tmp_path / "roster.csv"), sb.forms(tmp_path / "forms.xlsx", ANSWERS)


def _read(project, files, wave="w1"):
    roster, answers = files
    return project.read_wave(answers, layout="survey export", wave=wave,
                             roster_file=roster if not project.has_roster() else None)


def test_each_name_shows_its_writers_and_candidates_with_organisation_level_and_score(project, files):
    review = {n.raw: n for n in project.names_to_decide(_read(project, files), k=1)}
    assert set(review) == {"Jo", "Margaret Okonkow", "Bo"}
    jo = review["Jo"]
    assert jo.writers == 2 and jo.organisations == {"Acute trust": 2}  # Ann and Jo Smith wrote it
    assert sorted((c.name, c.organisation, c.level) for c in jo.candidates) == [
        ("Jo Smith", "Acute trust", "bottom"), ("Jo Smyth", "Primary care", "bottom")]
    assert not jo.clear  # a bare first name is never a clear match
    margaret = review["Margaret Okonkow"]
    assert margaret.writers == 3 and margaret.clear
    assert [c.name for c in margaret.candidates] == ["Margaret Okonkwo"]
    assert 88 <= margaret.candidates[0].score < 95


def test_writers_organisations_under_k_are_merged(project, files):
    review = {n.raw: n for n in project.names_to_decide(_read(project, files), k=5)}
    assert review["Margaret Okonkow"].organisations == {"Other": 3}  # Acute 2 + Council 1, under 5
    assert sum(review["Jo"].organisations.values()) == review["Jo"].writers


def test_accepting_every_clear_match_decides_only_the_clear_ones(project, files):
    result = _read(project, files)
    assert project.accept_clear_matches(result) == ["Margaret Okonkow"]
    decided = project.name_decisions()
    assert {t: (a.decision, a.person) for t, a in decided.items()} == {"margaret okonkow": ("chosen", "E5")}
    again = _read(project, files)
    assert {n["raw"] for n in again.report.review()} == {"Jo", "Bo"}


def test_a_saved_waves_decisions_can_be_revisited_and_the_wave_rederived(project, files):
    result = _read(project, files)
    jo_smith = next(c.person_id for n in project.names_to_decide(result) if n.raw == "Jo"
                    for c in n.candidates if c.name == "Jo Smith")
    project.decide(result, "Jo", "accept", person=jo_smith)
    project.save_wave(_read(project, files))
    before = project.load_wave("w1")
    revisit = {n.raw: n for n in project.wave_names_decided("w1")}
    assert revisit["Jo"].decision == "It is Jo Smith" and revisit["Bo"].decision == ""
    jo_smyth = next(c.person_id for c in revisit["Jo"].candidates if c.name == "Jo Smyth")
    project.decide_in_wave("w1", "Jo", "accept", person=jo_smyth)
    project.decide_in_wave("w1", "Bo", "new", name="Bo Newman")
    project.rederive_wave("w1")
    after = project.load_wave("w1")
    assert project.wave_names() == ["w1"]
    assert after.n_people == before.n_people + 1  # Bo Newman joined, as a non-respondent
    ids = project.roster().identities
    named = lambda net, who: set(net.ties.loc[net.ties.target.map(ids["name"]) == who, "source"])  # noqa: E731
    assert named(before, "Jo Smith") and not named(after, "Jo Smith") - named(before, "Jo Smith") - {None}
    assert len(named(after, "Jo Smyth")) == 2 and named(after, "Bo Newman")
    revisit = {n.raw: n for n in project.wave_names_decided("w1")}
    assert revisit["Jo"].decision == "It is Jo Smyth"
    assert project.forget_decision("Jo") and not project.forget_decision("Jo")
    assert "jo" not in project.name_decisions()


def test_a_wave_saved_without_its_answers_cannot_be_rederived(project):
    project.workspace.save_wave(project.name, Network.from_edges([("a", "b")], wave="old"))
    with pytest.raises(NotDefinedError, match="import its answers file again"):
        project.rederive_wave("old")


def test_the_palette_is_kept_per_project_extended_by_name_and_editable(project, files):
    project.save_wave(_read(project, files))
    colours = project.palette("organisation")
    assert colours == {"Acute trust": COLOURS[0], "Council": COLOURS[1], "Primary care": COLOURS[2],
                       "Voluntary sector": COLOURS[3]}
    project.set_colour("organisation", "Council", "#cc3311")
    # Council's old colour is free again: the next new group takes it.
    assert project.palette("organisation", ["Hospice"]) == {**colours, "Council": "#CC3311",
                                                            "Hospice": COLOURS[1]}
    assert Project(project.workspace, "Names").palette("organisation")["Council"] == "#CC3311"
    with pytest.raises(InputFormatError, match="#RRGGBB"):
        project.set_colour("organisation", "Council", "red")
    assert project.reset_palette("organisation")["Council"] == COLOURS[1]
    assert project.palette("community", ["2", "1"]) == {"1": COLOURS[0], "2": COLOURS[1]}
