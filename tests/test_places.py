"""Places side by side: each place against the others' range, never a ranking."""

import re

import numpy as np
import pandas as pd

from onatool.compare.places import (
    ABOVE,
    BELOW,
    OVERLAPS,
    PLACE_MEASURES,
    WITHIN,
    against_others,
    place_measures,
    places_table,
)


def test_place_measures_read_values_and_leave_withheld_ones_missing():
    values = place_measures({"density": 0.03, "people": 250, "response_rate": 0.8},
                            {"two_step_reach": {"value": 0.2}}, {"middle_integration": {"value": None}})
    assert values["network.density"] == 0.03 and values["health.two_step_reach"] == 0.2
    assert np.isnan(values["levels.middle_integration"]) and len(values) == len(PLACE_MEASURES)


def test_each_place_against_the_others_range_by_hand():
    table = places_table({"North": pd.Series({"network.density": 0.02, "network.reciprocity": 0.5}),
                          "South": pd.Series({"network.density": 0.05, "network.reciprocity": np.nan}),
                          "West": pd.Series({"network.density": 0.03, "network.reciprocity": 0.4})})
    rows = against_others(table).set_index(["measure", "place"])
    assert rows.loc[("network.density", "North"), ["others_low", "others_high", "position"]].tolist() == [0.03, 0.05, BELOW]
    assert rows.loc[("network.density", "South"), "position"] == ABOVE
    assert rows.loc[("network.density", "West"), "position"] == WITHIN
    assert rows.loc[("network.reciprocity", "North"), "others_high"] == 0.4  # South has no value
    assert pd.isna(rows.loc[("network.reciprocity", "South"), "position"])
    assert "rank" not in " ".join(against_others(table).columns)


def test_onatool_places_compares_two_saved_places_through_the_gate(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from onatool.cli import app
    from onatool.sample import sample_dir

    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    runner, folder = CliRunner(), sample_dir()
    for place, wave in (("North", "interim"), ("South", "final")):
        result = runner.invoke(app, ["import", "--project", place, "--roster", str(folder / "roster.csv"), "--ties",
                                     str(folder / f"ties_{wave}.csv"), "--wave", wave, "--out",
                                     str(tmp_path / place), "--save"])
        assert result.exit_code == 0, result.output
    out = tmp_path / "places"
    result = runner.invoke(app, ["places", "--project", "North", "--project", "South", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Response: North 71%, South 66%" in result.output
    table = pd.read_csv(out / "places.csv", index_col=0)
    assert list(table.columns) == ["meaning", "North", "South"]
    assert table.loc["network.response_rate", "North"] == 178 / 250
    ranges = pd.read_csv(out / "places_range.csv")
    assert set(ranges["position"].dropna()) <= {BELOW, WITHIN, ABOVE, OVERLAPS} and (out / "places.xlsx").stat().st_size
    page = (out / "places.html").read_text()
    assert "<h2>Against the others' range</h2>" in page and "<td class=\"num\">71%</td>" in page
    assert re.search(r"\d+% \(\d+% to \d+%\)", page)  # a share with its interval
    assert "src=" not in page and "href=" not in page  # self-contained, nothing fetched
    # With intervals, most differences between two places of this size are inside the noise.
    assert (ranges["position"] == OVERLAPS).sum() >= 2 and ranges["low"].notna().any()
    one = runner.invoke(app, ["places", "--project", "North", "--out", str(out)])
    assert one.exit_code != 0 and "two or more places" in str(one.exception)


def test_with_intervals_a_place_is_above_only_when_its_whole_interval_clears_the_others():
    from onatool.compare.places import OVERLAPS

    table = places_table({"North": pd.Series({"network.density": 0.05}), "South": pd.Series({"network.density": 0.03}),
                          "West": pd.Series({"network.density": 0.04})})
    iv = {"North": pd.DataFrame({"low": [0.046], "high": [0.054]}, index=["network.density"]),
          "South": pd.DataFrame({"low": [0.02], "high": [0.035]}, index=["network.density"]),
          "West": pd.DataFrame({"low": [0.032], "high": [0.048]}, index=["network.density"])}
    rows = against_others(table, iv).set_index(["measure", "place"]).loc["network.density"]
    assert rows.loc["North", "position"] == OVERLAPS  # 0.046 is inside West's interval up to 0.048
    assert rows.loc["South", "position"] == OVERLAPS
    iv["West"].loc["network.density", "high"] = 0.045
    rows = against_others(table, iv).set_index(["measure", "place"]).loc["network.density"]
    assert rows.loc["North", "position"] == ABOVE and rows.loc["North", ["low", "high"]].tolist() == [0.046, 0.054]
