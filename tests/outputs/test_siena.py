"""RSiena export: matrices with missing values coded, composition change, covariates, R script."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onatool import schema
from onatool.errors import InputFormatError
from onatool.network import Network
from onatool.outputs.siena import siena_matrices, write_siena


def _waves():
    first = Network.from_edges(
        [("a", "b"), ("b", "c"), ("c", "a")], relation="advice", wave="baseline",
        people={"a": {"organisation": "X", "level": "top", "cohort": "P1"},
                "b": {"organisation": "X", "level": "bottom", "cohort": ""},
                "c": {"organisation": "Y", "level": "middle", "cohort": ""},
                "d": {"organisation": "Y", "level": "bottom", "cohort": "", schema.RESPONDED: False}})
    second = Network.from_edges(
        [("a", "c"), ("e", "a")], relation="advice", wave="final",
        people={"a": {"organisation": "X", "level": "top", "cohort": "P1"},
                "c": {"organisation": "X", "level": "middle", "cohort": ""},
                "d": {"organisation": "Y", "level": "bottom", "cohort": ""},
                "e": {"organisation": "Y", "level": "bottom", "cohort": ""}})
    return [first, second]


def test_matrices_code_ties_unknown_rows_and_absent_actors():
    actors, (m1, m2) = siena_matrices(_waves(), "advice")
    assert list(actors) == ["a", "b", "c", "d", "e"]
    row = {a: k for k, a in enumerate(actors)}
    assert m1[row["a"], row["b"]] == 1 and m1[row["c"], row["a"]] == 1
    assert np.isnan(np.delete(m1[row["d"]], row["d"])).all()  # d did not answer the baseline
    assert not np.isnan(m1[row["e"]]).any() and m1[row["e"]].sum() == 0  # e not there yet
    assert m2[row["e"], row["a"]] == 1 and m2[row["b"]].sum() == 0  # b has left
    assert np.nansum(m1) == 3 and np.nansum(m2) == 2
    assert (np.diag(m1) == 0).all() and (np.diag(m2) == 0).all()


def test_files_hold_what_the_r_script_reads(tmp_path):
    paths = write_siena(tmp_path, _waves(), relation="advice")
    names = {p.name for p in paths}
    assert {"wave_1.dat", "wave_2.dat", "composition.dat", "organisation.dat", "level.dat",
            "cohort.dat", "actors.csv", "codebook.csv", "load_siena.R"} <= names
    wave_1 = pd.read_csv(tmp_path / "wave_1.dat", sep=" ", header=None, na_values="NA")
    assert wave_1.shape == (5, 5) and wave_1.iloc[3].drop(3).isna().all()
    # a and c: both waves; b: baseline only; d: both; e: final only.
    assert (tmp_path / "composition.dat").read_text().split("\n")[:5] == ["1 2", "1 1", "1 2", "1 2", "2 2"]
    # c moved from Y to X: organisation is a changing covariate, one column per period.
    organisation = (tmp_path / "organisation.dat").read_text().split("\n")
    assert organisation[:5] == ["1", "1", "2", "2", "NA"]
    level = (tmp_path / "level.dat").read_text().split("\n")
    assert level[:5] == ["3", "1", "2", "1", "1"]
    codebook = pd.read_csv(tmp_path / "codebook.csv")
    assert set(codebook[codebook.covariate == "organisation"].value) == {"X", "Y"}
    script = (tmp_path / "load_siena.R").read_text()
    for path in paths:
        if path.suffix == ".dat":
            assert f'"{path.name}"' in script
    assert "varCovar" in script and "sienaCompositionChangeFromFile" in script
    assert "dim = c(5, 5, 2)" in script


def test_a_single_wave_is_refused():
    with pytest.raises(InputFormatError, match="two or more waves"):
        siena_matrices(_waves()[:1])
