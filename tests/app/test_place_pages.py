"""The Places, Boards and forums and Responses pages, through Streamlit's AppTest on the two sample places."""

import pytest

from tests.app.conftest import text_of


@pytest.fixture(autouse=True)
def home(monkeypatch, tmp_path):
    """The private folder the reminder list goes to, apart from the user's own."""
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))


def test_places_compares_the_two_sample_places(app):
    at = app("places")
    assert at.multiselect(key="places_chosen").value == ["Northmoor place partnership (sample)",
                                                         "Second place: Fellside (sample)"]
    measures = at.dataframe[0].value
    assert list(measures.columns) == ["Northmoor place partnership (sample)", "Second place: Fellside (sample)"]
    assert measures.loc["People"].tolist() == ["250", "118"]
    assert measures.loc["Response rate"].tolist() == ["66%", "74%"]
    assert "Outside the others' range" in text_of(at) and "rank" not in text_of(at).lower().replace("ranked", "")


def test_forums_show_groups_only_in_workshop_mode(app):
    at = app("forums")
    assert [m.value for m in at.metric][:2] == ["10", "82"]
    assert "Workshop mode: counts only" in text_of(at)
    bridges = at.dataframe[-1].value
    assert "label" not in bridges.columns and bridges.index.name == "Forums sat on"


def test_responses_by_group_against_the_target(app):
    at = app("responses")
    assert "165 of 250" in [m.value for m in at.metric][0]
    by_organisation = at.dataframe[0].value
    assert "Under target" in by_organisation.columns and by_organisation["Under target"].any()
    at.button(key="responses_reminders").click().run()
    assert not at.exception
    assert any("Written to" in s.value for s in at.success)
