"""The Boards and forums page's PARTNER block: the sample's kept ratings, through the gate."""

from tests.app.conftest import text_of


def test_the_sample_shows_how_the_others_see_each_organisation(app):
    at = app("forums")
    tables = [d.value for d in at.dataframe if "Trust (1-4)" in d.value.columns]
    assert len(tables) == 1
    seen = tables[0]
    assert seen["Value (1-4)"].idxmax().startswith("Northmoor and Fellside Integrated Care Board")
    assert (seen["Raters"] >= 5).all() and seen["Trust (1-4)"].notna().all()
    assert "each organisation as raters from the other organisations see it" in text_of(at)

