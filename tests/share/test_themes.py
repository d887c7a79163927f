"""Findings grouped by the partnership's themes."""

from dataclasses import dataclass

import pytest

from onatool.share.themes import OTHER_THEME, THEME_SETS, by_theme, theme_set


@dataclass
class Found:
    text: str
    kind: str


FOUND = [Found("Tops barely know each other", "tops"), Found("Silos by organisation", "silos"),
         Found("A few hold the bridges", "dependence"), Found("Something new", "unheard_of")]


def test_the_od_areas_group_findings_in_their_order_with_untagged_kinds_last():
    grouped = by_theme(FOUND, theme_set())
    assert list(grouped) == ["Leadership", "Culture", "Talent", OTHER_THEME]
    assert [f.text for f in grouped["Leadership"]] == ["Tops barely know each other", "A few hold the bridges"]
    assert [f.text for f in grouped[OTHER_THEME]] == ["Something new"]


def test_leadership_strategy_structure_people():
    grouped = by_theme(FOUND, theme_set("lssp"))
    assert list(grouped) == ["Leadership", "Structure", "People", OTHER_THEME]


def test_a_partnerships_own_themes_and_their_checks():
    own = theme_set({"title": "Our priorities", "themes": ["Flow", "Prevention"], "tags": {"silos": ["Flow"]}})
    assert list(by_theme(FOUND, own)) == ["Flow", OTHER_THEME]
    with pytest.raises(ValueError, match="unknown: Nope"):
        theme_set({"themes": ["Flow"], "tags": {"silos": ["Nope"]}})
    with pytest.raises(ValueError, match="no theme set 'x'"):
        theme_set("x")


def test_every_bundled_tag_names_a_theme_of_its_set():
    for themes in THEME_SETS.values():
        assert {t for tags in themes.tags.values() for t in tags} <= set(themes.themes)


def test_a_project_keeps_its_theme_set(tmp_path):
    from onatool.project import Project
    from onatool.store import Workspace

    project = Project.create(Workspace(tmp_path / "w.sqlite"), "Northmoor")
    assert project.themes().name == "od_areas"
    project.set_themes("lssp")
    assert project.themes().themes == ("Leadership", "Strategy", "Structure", "People")
    project.set_themes({"title": "Ours", "themes": ["Flow"], "tags": {"silos": ["Flow"]}})
    assert project.themes().themes_of("silos") == ("Flow",)
    with pytest.raises(ValueError):
        project.set_themes({"themes": ["Flow"], "tags": {"silos": ["Nope"]}})
    assert project.themes().title == "Ours"


def test_the_bundled_questions_are_tagged_with_the_od_areas():
    from onatool.surveys import load_instrument

    instrument = load_instrument("ics_relationships")
    tagged = {q.relation: q.themes for q in instrument.questions}
    assert tagged["concern"] == ("Leadership", "Improvement")
    assert all(set(t) <= set(THEME_SETS["od_areas"].themes) and t for t in tagged.values())
