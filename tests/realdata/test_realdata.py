"""Real exports published by other people, imported as a practitioner would.

Each case folder in ``../shared/realdata`` (outside the repository; see its README) holds
a file as exported, the roster built from it and ``expected.csv``: the ties a careful
reader gets. The file is imported with the case's roster and no recipe, through the
same entry points ``onatool import`` uses (``--responses`` for a survey export,
``--ties`` for a network file), and the test checks:

- every expected tie comes back (a ``soft=1`` tie may be missing only when the import
  report says why: the respondent's row dropped or their identity sent to review);
- no tie the file does not hold;
- every row read has exactly one outcome in the import report.

Cases skip cleanly when the folder is absent.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from onatool import schema
from onatool.io import import_responses, import_wave
from onatool.io.recipe import relation_name

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
KEY = b"r" * 32

#: case -> (the CLI option a practitioner would use, the file or folder given to it)
CASES = {
    "qualtrics_2017": ("responses", "responses.csv"),
    "qualtrics_insights_2016": ("responses", "responses.csv"),
    "qualtrics_legacy_2017": ("responses", "responses.csv"),
    "surveymonkey_2017": ("responses", "responses.csv"),
    "google_forms_2023": ("responses", "responses.csv"),
    "ms_forms_quiz_2020": ("responses", "responses.xlsx"),
    "network_canvas_csv_2024": ("responses", "networkCanvasExport"),
    "network_canvas_graphml_2023": ("responses", "case_1_86e8cd5e-f908-49bc-9313-465a72e334fa.graphml"),
    "kumu_paypal_mafia": ("ties", "paypal-mafia.xlsx"),
    "socnetv_krackhardt_graphml": ("ties", "Krackhardt_High-tech_managers-advice.graphml"),
    "gephi_matrix_csv": ("ties", "matrix.csv"),
    "ucinet_dl_thurman": ("ties", "Thurman_Office_Networks_Coalitions.dl"),
}


def _import(case: str):
    folder = REALDATA / case
    option, name = CASES[case]
    roster = folder / "roster.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no third-party warning may reach the user
        if option == "responses":
            return import_responses(roster, folder / name, key=KEY)
        return import_wave(roster, key=KEY, ties=folder / name)


def _ties(result) -> set[tuple[str, str, str]]:
    """The ties imported (weight above 0, or no weight), by roster id."""
    ids = result.roster.identities[schema.ID]
    ties = result.network.ties
    ties = ties[ties[schema.WEIGHT].isna() | (ties[schema.WEIGHT] > 0)]
    return {(str(ids[s]), str(ids[t]), relation_name(r))
            for s, t, r in zip(ties[schema.SOURCE], ties[schema.TARGET], ties[schema.RELATION], strict=True)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_real_export_imports_as_expected(case: str) -> None:
    folder = REALDATA / case
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (real files are kept outside the repository)")
    expected = pd.read_csv(folder / "expected.csv", dtype=str, keep_default_na=False)
    if "soft" not in expected:
        expected["soft"] = ""
    wanted = {(s, t, relation_name(r)) for s, t, r in expected[["source", "target", "relation"]].itertuples(index=False)}
    soft = {(s, t, relation_name(r)) for s, t, r, f in
            expected[["source", "target", "relation", "soft"]].itertuples(index=False) if f == "1"}

    result = _import(case)
    got = _ties(result)

    assert not got - wanted, f"ties the file does not hold: {sorted(got - wanted)[:10]}"
    missing = wanted - got
    assert not missing - soft, f"expected ties not recovered: {sorted(missing - soft)[:10]}"
    if missing:
        _assert_explained(result, {s for s, _, _ in missing})
    report = result.report
    assert report.balanced(), "a row read has no outcome, or two"
    assert sum(report.rows_read.values()) > 0


def _assert_explained(result, sources: set[str]) -> None:
    """Each respondent whose soft ties are missing is named in the report: in review or dropped."""
    identities = result.roster.identities
    report = result.report
    flagged = " ".join(str(n["raw"]).casefold() for n in report.names if not n.get("person_id"))
    for source in sources:
        row = identities[identities[schema.ID] == source]
        email = str(row[schema.EMAIL].iloc[0]) if schema.EMAIL in row and len(row) else ""
        local = email.split("@")[0].casefold()
        assert local and local in flagged, f"{source}'s ties are missing and the report does not say why"


def test_network_canvas_variables_become_attributes() -> None:
    """The real Network Canvas exports: choices folded back into one attribute, flags and layout not attributes."""
    cases = ("network_canvas_graphml_2023", "network_canvas_csv_2024")
    if not all((REALDATA / c).is_dir() for c in cases):
        pytest.skip(f"{REALDATA} is absent (real files are kept outside the repository)")
    tables = {}
    for case in cases:
        result = _import(case)
        people = result.network.people.join(result.roster.identities[[schema.ID, schema.NAME]]).set_index(schema.ID)
        tables[case] = people
        assert not {"Close", "Drugs", "Sex", "Gender_Female", "Race_White", "Cords_x", "Cords_X", "name"} \
            & set(result.network.people.columns), case
        assert {"Gender", "Race", "PlaceMet", "Age", "ContactFreq", "MarijuanaUsed"} <= set(people.columns), case
        named = people[people[schema.RESPONDED].eq(False)]
        assert named["Gender"].notna().sum() >= len(named) - 1, case  # all but one named in no generator (GraphML)
        assert result.report.balanced() and result.report.attribute_values_read > 0, case
    graphml = tables["network_canvas_graphml_2023"]
    reginald = graphml.loc["G1"]
    assert (reginald["Gender"], reginald["Race"], reginald["Age"], reginald["ContactFreq"]) == (
        "Gender_non-conforming", "Black_African_American", "28", "Weekly")
    assert graphml.loc["case_1", "DrugsUsed"] == "3" and graphml.loc["case_1", "MarijuanaUsed"] == "true"
    assert pd.isna(graphml.loc["G4", "Age"])  # Cathy Cartwright: named in no generator, her row dropped
