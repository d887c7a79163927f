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



def test_a_raised_threshold_withholds_the_scores_with_fewer_raters(app):
    at = app("forums")
    at.number_input(key="k").set_value(50).run()
    assert not at.exception
    (seen,) = [d.value for d in at.dataframe if "Trust (1-4)" in d.value.columns]
    few = seen["Raters"] < 50
    assert few.any() and (~few).any()  # the sample has organisations on both sides of 50 raters
    assert seen.loc[few, "Trust (1-4)"].isna().all() and seen.loc[few, "Value (1-4)"].isna().all()
    assert seen.loc[~few, "Trust (1-4)"].notna().all()
