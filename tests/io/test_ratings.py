"""Reading PARTNER trust and value ratings: headers in words, answers in words or numbers, every row reported."""

import pandas as pd
import pytest

from onatool.errors import InputFormatError
from onatool.io.ratings import ratings_from_sheet
from onatool.io.roster import roster_from_sheet
from onatool.io.tables import Sheet

KEY = b"k" * 32


@pytest.fixture
def roster():
    data = pd.DataFrame({"id": ["A1", "B1"], "name": ["Ann Lee", "Bo Chan"],
                         "email": ["ann@trust.example", "bo@council.example"], "organisation": ["Trust", "Council"]})
    return roster_from_sheet(Sheet(data, "roster.csv"), key=KEY)


def test_ratings_in_words_and_numbers(roster):
    data = pd.DataFrame({
        "Email": ["ann@trust.example", "bo@council.example", "zed@x.example"],
        "Partner": ["Council", "Trust", "Trust"],
        "Power and influence": ["A great deal", "2", "4"],
        "Level of involvement": ["3", "", "4"],
        "Resources contributed": ["Not at all", "very", "4"],
        "Reliability": ["4", "4", "4"],
        "In support of mission": ["A fair amount", "3", "4"],
        "Open to discussion": ["2", "1", "4"],
        "Comments": ["", "", ""],
    })
    result = ratings_from_sheet(Sheet(data, "partner.csv"), roster)
    ann = roster.identities.index[roster.identities["id"] == "A1"][0]
    mine = result.answers[result.answers["person_id"] == ann].set_index("dimension")["score"].to_dict()
    assert mine == {"power_and_influence": 4, "level_of_involvement": 3, "resources_contributed": 1,
                    "reliability": 4, "support_of_mission": 3, "open_to_discussion": 2}
    rows = {r.row: (r.outcome, r.reason) for r in result.report.rows}
    assert rows[3] == ("changed", "an answer off the scale left out")
    assert rows[4][0] == "dropped" and "zed@x.example" in rows[4][1]
    assert [i.reason for i in result.report.items] == ["'very' in column 'Resources contributed' is not on the 1-4 scale"]
    assert [c["column"] for c in result.report.columns_dropped] == ["Comments"]
    assert len(result.answers) == 6 + 4  # Bo: blank and off-scale answers left out
    assert result.report.balanced()


def test_a_sheet_without_rating_columns_names_what_is_missing(roster):
    with pytest.raises(InputFormatError, match="trust and value questions"):
        ratings_from_sheet(Sheet(pd.DataFrame({"id": ["A1"], "Partner": ["Trust"]}), "partner.csv"), roster)
