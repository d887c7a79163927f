"""onatool regress: the command, regression.json/.csv as docs/metrics.md names them, the
disclosure gate's regression rule, and the terms added for the command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool import schema
from onatool.cli import app
from onatool.inference import design, regress
from onatool.network import Network
from onatool.outputs.writers import write_regression
from onatool.sample import sample_dir
from onatool.share.disclosure import Disclosure
from onatool.share.gate import Gate, release

runner = CliRunner()


def _network(n: int, seed: int, *, cohort_size: int, wave: str = "w1") -> Network:
    rng = np.random.default_rng(seed)
    ids = [f"p{i:02d}" for i in range(n)]
    people = pd.DataFrame({"organisation": rng.choice(["A", "B", "C"], n),
                           "cohort": [("LP" if i < cohort_size else None) for i in range(n)],
                           schema.RESPONDED: True}, index=pd.Index(ids, name=schema.PERSON_ID))
    edges = [(ids[i], ids[j]) for i in range(n) for j in range(n) if i != j and rng.random() < 0.2]
    return Network.from_edges(edges, relation="advice", people=people, wave=wave)


def test_files_have_the_documented_fields(tmp_path):
    fit = regress(_network(20, 1, cohort_size=8), "advice", ["same:organisation", "sender:cohort=LP"],
                  model="logistic", permutations=20, seed=4)
    written = write_regression(fit, tmp_path, Gate(), parameters={"waves": ["w1"]})
    assert [p.name for p in written] == ["regression.json", "regression.csv", "parameters.json"]
    doc = json.loads((tmp_path / "regression.json").read_text())
    assert set(doc) == {"model", "outcome", "cells", "permutations", "seed", "terms"}
    assert doc == json.loads(json.dumps(fit.to_dict()))
    table = pd.read_csv(tmp_path / "regression.csv", encoding="utf-8-sig")
    assert list(table.columns) == ["term", "coefficient", "p_value", "odds_ratio"]
    assert table["coefficient"].tolist() == pytest.approx([t["coefficient"] for t in fit.terms])
    params = json.loads((tmp_path / "parameters.json").read_text())
    assert params["seed"] == 4 and params["statistic"] == "coefficient" and params["withheld"] == []


def test_a_term_resting_on_a_small_group_is_withheld_and_said_so(tmp_path):
    fit = regress(_network(20, 2, cohort_size=3), "advice", ["same:organisation", "sender:cohort=LP"],
                  permutations=0)
    assert fit.groups == {"sender:cohort=LP": (3, 17)}
    shared = release("regression", fit, Disclosure(k=5))
    terms = {t["term"]: t for t in shared.terms}
    assert terms["sender:cohort=LP"]["coefficient"] is None and terms["sender:cohort=LP"]["p_value"] is None
    assert terms["same:organisation"]["coefficient"] == fit.terms[1]["coefficient"]
    assert "sender:cohort=LP" in shared.notes[0]
    write_regression(fit, tmp_path, Gate(Disclosure(k=5)))
    assert "fewer than 5" in json.loads((tmp_path / "parameters.json").read_text())["withheld"][0]
    # k=3 lets it through; so does k=1 (no suppression).
    assert release("regression", fit, Disclosure(k=3)).terms[2]["coefficient"] is not None
    assert release("regression", fit, Disclosure(k=1)) is fit


def test_a_regression_over_fewer_than_k_people_is_withheld_whole():
    people = {p: {"organisation": o} for p, o in [("a", "X"), ("b", "X"), ("c", "Y"), ("d", "Y")]}
    net = Network.from_edges([("a", "b"), ("b", "a"), ("c", "d"), ("a", "c")], relation="advice", people=people)
    fit = regress(net, "advice", ["same:organisation"], permutations=0)
    shared = release("regression", fit, Disclosure(k=5))
    assert all(t["coefficient"] is None for t in shared.terms)


def test_earlier_is_the_outcome_relation_one_wave_before():
    first, second = _network(15, 3, cohort_size=5, wave="w1"), _network(15, 4, cohort_size=5, wave="w2")
    a = design([first, second], "advice", ["earlier"])
    b = design([first, second], "advice", ["advice@w1"])
    np.testing.assert_array_equal(a.terms["earlier"], b.terms["advice@w1"])
    with pytest.raises(Exception, match="wave before"):
        design(second, "advice", ["earlier"])


def test_no_cohort_value_means_not_on_the_programme():
    d = design(_network(10, 5, cohort_size=4), "advice", ["sender:cohort=LP"])
    values = d.terms["sender:cohort=LP"][:, 0]
    assert values.tolist() == [1.0] * 4 + [0.0] * 6
    assert d.cells().sum() == 90


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))


def test_the_command_on_the_sample(tmp_path, home):
    folder = sample_dir()
    out = tmp_path / "out"
    args = ["regress", "--roster", str(folder / "roster.csv"), "--ties", str(folder / "ties_baseline.csv"),
            "--ties", str(folder / "ties_interim.csv"), "--wave-names", "baseline,interim",
            "--outcome", "new", "--relation", "advice", "-p", "same:organisation",
            "-p", "sender:cohort=Leadership programme 1", "--permutations", "30", "--seed", "3",
            "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "regression.json").read_text())
    assert doc["outcome"] == "new" and doc["permutations"] == 30 and doc["seed"] == 3
    terms = {t["term"]: t for t in doc["terms"]}
    assert list(terms) == ["intercept", "same:organisation", "sender:cohort=Leadership programme 1"]
    # The planted programme: participants more often name someone new.
    assert terms["sender:cohort=Leadership programme 1"]["coefficient"] > 0
    params = json.loads((out / "parameters.json").read_text())
    assert params["waves"] == ["baseline", "interim"] and params["relation"] == "advice"
    again = runner.invoke(app, args[:-2] + ["--out", str(tmp_path / "again")])
    assert again.exit_code == 0
    assert json.loads((tmp_path / "again" / "regression.json").read_text()) == doc
    bad = runner.invoke(app, [*args[:-2], "-p", "sender:organisation", "--out", str(tmp_path / "bad")])
    assert bad.exit_code != 0
