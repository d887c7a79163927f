"""One roster for every wave: ``changed_in`` and ``earlier_*`` read as at the wave imported."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool.cli import app
from onatool.errors import InputFormatError
from onatool.io import read_roster, read_ties
from onatool.io.roster import roster_for_wave, wave_order

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
KEY = b"w" * 32
ROSTER = (
    "id,name,organisation,level,team,waves,changed_in,earlier_organisation,earlier_level,earlier_team\n"
    "A1,Ann Lee,Council,top,Leads,baseline;interim;final,final,Acute,Middle manager,Ward 3\n"
    "A2,Bo Chan,Acute,middle,Ward 3,baseline;interim,,,,\n"
    "A3,Cy Dee,VCSE,bottom,Hub,interim;final,interim,Council,bottom,Desk\n"
    "A4,Dee O'Neil,VCSE,bottom,Hub,,final,,,Desk\n"  # only her team changed
)


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_the_waves_column_orders_the_waves(roster: Path) -> None:
    assert wave_order(read_roster(roster, key=KEY)) == ("baseline", "interim", "final")


@pytest.mark.parametrize(("wave", "ann", "cy"), [
    ("baseline", ("Acute", "middle", "Ward 3"), None),  # "Middle manager" reads as middle
    ("interim", ("Acute", "middle", "Ward 3"), ("VCSE", "bottom", "Hub")),
    ("final", ("Council", "top", "Leads"), ("VCSE", "bottom", "Hub")),
])
def test_each_wave_reads_the_roster_as_at_that_wave(tmp_path: Path, roster: Path, wave: str, ann, cy) -> None:
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target\nA1,A2\n" if wave != "final" else "source,target\nA1,A3\n", encoding="utf-8")
    result = read_ties(ties, read_roster(roster, key=KEY), wave=wave)
    people = result.network.people.join(result.roster.identities["id"]).set_index("id")
    assert tuple(people.loc["A1", ["organisation", "level", "team"]]) == ann
    if cy is not None:
        assert tuple(people.loc["A3", ["organisation", "level", "team"]]) == cy
    dee = ("VCSE", "bottom", "Hub" if wave == "final" else "Desk")
    assert tuple(people.loc["A4", ["organisation", "level", "team"]]) == dee
    assert not {"changed_in", "earlier_organisation", "earlier_level"} & set(people.columns)


def test_a_changed_in_wave_of_unknown_place_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("id,name,organisation,changed_in,earlier_organisation\nA1,Ann,Council,2026-06,Acute\n",
                    encoding="utf-8")
    roster = read_roster(path, key=KEY)
    with pytest.raises(InputFormatError, match="'2026-06'.*place in time is not known"):
        roster_for_wave(roster, "2026-01")
    # A project's saved waves give the order: 2026-01 came before 2026-06.
    ordered = roster_for_wave(roster, "2026-01", ("2026-01", "2026-06"))
    assert ordered.people["organisation"].tolist() == ["Acute"]
    # A new wave, not yet saved, comes after every known one.
    assert roster_for_wave(roster, "2026-12", ("2026-01", "2026-06")).people["organisation"].tolist() == ["Council"]


def test_contradictory_waves_cells_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("id,name,waves\nA1,Ann,baseline;final\nA2,Bo,final;baseline\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="contradictory"):
        wave_order(read_roster(path, key=KEY))


def test_cli_import_of_the_sample_baseline_gives_baseline_attributes(tmp_path: Path, monkeypatch) -> None:
    """``onatool import --roster sample_data/roster.csv --wave baseline``: people who moved later keep their old place."""
    home = tmp_path / "home"
    monkeypatch.setenv("ONATOOL_HOME", str(home))
    out = tmp_path / "out"
    args = ["import", "--roster", str(SAMPLE / "roster.csv"), "--ties", str(SAMPLE / "ties_baseline.csv"),
            "--wave", "baseline", "--out", str(out), "--identifiable"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    people = pd.read_csv(next((home / "private").rglob("people.csv")), dtype=str, keep_default_na=False)
    people = people.set_index("id")
    file = pd.read_csv(SAMPLE / "roster.csv", dtype=str, keep_default_na=False).set_index("id")
    moved = file.index[file["changed_in"] != ""]
    assert len(moved) == 10
    for person in moved:
        assert people.loc[person, "organisation"] == file.loc[person, "earlier_organisation"], person
        assert people.loc[person, "team"] == file.loc[person, "earlier_team"], person
    stayed = file.index[(file["changed_in"] == "") & file.index.isin(people.index)]
    assert (people.loc[stayed, "organisation"] == file.loc[stayed, "organisation"]).all()
    assert not {"changed_in", "earlier_organisation"} & set(people.columns)
