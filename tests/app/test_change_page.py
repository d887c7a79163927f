"""The Change page's cohort decomposition and network regression, through Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return str(tmp_path_factory.mktemp("ws") / "workspace.sqlite")


@pytest.fixture
def change_page(workspace, monkeypatch):
    monkeypatch.setenv("ONATOOL_WORKSPACE", workspace)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.run()
    at.switch_page("onatool/app/pages/change.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption])


def test_each_cohort_shows_its_within_and_spillover_split(change_page):
    at = change_page
    at.selectbox(key="change_from").set_value("baseline").run()
    at.selectbox(key="change_to").set_value("interim").run()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    for cohort in ("Leadership programme 1", "Leadership programme 2"):
        assert cohort in text
    assert "of them with other participants" in text
    assert "95% interval" in text
    # Baseline to interim with final after it: what was still named at final.
    tables = [d.value for d in at.dataframe]
    persistence = [t for t in tables if "Still named at final" in t.columns]
    assert persistence, [list(t.columns) for t in tables]
    within = persistence[0].set_index("New ties across organisations").loc["Between two participants"]
    assert within["Still named at final"].startswith("11 of 35")


def test_the_regression_runs_from_the_form_and_reads_in_words(change_page):
    at = change_page
    # Inside the form, values are sent with the button: one run.
    at.selectbox(key="regression_outcome").set_value("new")
    at.radio(key="regression_model").set_value("linear")
    at.number_input(key="regression_permutations").set_value(100)
    at.multiselect(key="regression_predictors").set_value(["same:organisation", "sender:cohort=Leadership programme 2"])
    submit = at.get("form_submit_button")
    assert [b.label for b in submit] == ["Run the regression"]
    submit[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "Term" in d.value.columns)
    assert list(table["Term"]) == ["Baseline (every other term 0)", "Both in the same organisation",
                                   "The person naming is cohort Leadership programme 2"]
    assert "100 permutations per term, seed 0" in _text(at)
