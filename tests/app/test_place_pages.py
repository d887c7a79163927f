"""The Places, Boards and forums and Responses pages, through Streamlit's AppTest on the two sample places."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = "onatool/app/pages"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return str(tmp_path_factory.mktemp("ws") / "workspace.sqlite")


@pytest.fixture
def app(workspace, monkeypatch, tmp_path):
    monkeypatch.setenv("ONATOOL_WORKSPACE", workspace)
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))

    def _open(page: str, **state) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return _open


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(map(str, parts))


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
