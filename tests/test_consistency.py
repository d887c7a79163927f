"""One figure, one value: the bundled sample through every surface.

Issue 11: the same measure was computed in several places and surfaces disagreed
(``compare`` merged every relation, Jaccard 0.60, where the report used advice, 0.58;
a person's E-I was NaN in metrics and +1 in the cohort table). This test reads four
figures, the network's density, the Jaccard index between the first and the latest
wave, one organisation's E-I index and the response rate, from what each surface
actually writes or shows:

- ``onatool analyse`` (``network.json``, ``groups_organisation.csv``);
- ``onatool compare`` (``change.json``, ``network_change.csv``, ``groups_change_organisation.csv``);
- ``onatool report``: the HTML report and the Excel workbook beside it;
- the app's pages, through Streamlit's AppTest (Project, Boundaries, Change).

Every surface is driven through its public entry point with the same relation and
threshold, given explicitly, so the test holds whatever the defaults become. Wave
names, the relation and the organisation compared are read from the sample data.
Files must agree exactly (to the workbook's 15 significant digits); a page or report
that rounds for display must show the exact value rounded as it rounds it.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from onatool import engine, schema
from onatool.cli import app as cli
from onatool.metrics.registry import describe
from onatool.sample import load_sample, sample_dir

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PAGES = "onatool/app/pages"
EXACT = 1e-12


# The sample, as its data describes it ------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    """Waves in time order, their files, the relation, the threshold and the organisation compared."""
    waves = [result.network for result in load_sample()]
    names = [net.wave for net in waves]
    files = [_wave_files()[name] for name in names]
    relations = list(dict.fromkeys(r for net in waves for r in net.relation_names))
    relation = "advice" if "advice" in relations else relations[0]
    weights = [w for net in waves for w in net.ties.loc[net.ties[schema.RELATION] == relation, schema.WEIGHT]
               if w > 0]
    threshold = float(min(weights))
    latest = waves[-1]
    organisations = engine.group_labels(latest.people[schema.ORGANISATION]).dropna().value_counts()
    return {
        "roster": sample_dir() / "roster.csv",
        "waves": names,
        "files": files,
        "relation": relation,
        "threshold": threshold,
        "organisation": str(organisations.index[0]),  # the largest: shown under any k
    }


def _wave_files() -> dict[str, Path]:
    """The sample's ties files by the wave their rows are labelled with."""
    files: dict[str, Path] = {}
    for path in sorted(sample_dir().glob("ties*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            labels = {row.get("wave") for row in csv.DictReader(handle)}
        if len(labels) == 1 and None not in labels:
            files[labels.pop()] = path
    return files


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A throwaway onatool home and workspace, so no key or workspace of the user is touched."""
    root = tmp_path_factory.mktemp("home")
    patch = pytest.MonkeyPatch()
    patch.setenv("ONATOOL_HOME", str(root))
    patch.setenv("ONATOOL_WORKSPACE", str(root / "workspace.sqlite"))
    yield root
    patch.undo()


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _common(sample) -> list[str]:
    return ["--roster", sample["roster"], "--relation", sample["relation"], "--min-weight", str(sample["threshold"])]


def _each_wave(sample) -> list[str]:
    return [arg for path in sample["files"] for arg in ("--ties", str(path))]


# What each surface shows -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def analysed(sample, home, tmp_path_factory):
    """``onatool analyse`` on the latest wave."""
    out = tmp_path_factory.mktemp("analyse")
    _run("analyse", *_common(sample), "--ties", sample["files"][-1], "--out", out)
    network = json.loads((out / "network.json").read_text())
    groups = _csv(out / "groups_organisation.csv")
    health = json.loads((out / "health.json").read_text())
    return {
        "density": network["density"],
        "response_rate": network["response_rate"],
        "ei": float(groups[sample["organisation"]]["ei"]),
        "density_within": float(groups[sample["organisation"]]["density_within"]),
        "reciprocity": network["reciprocity"],
        "reciprocity_interval": network["intervals"]["measures"]["reciprocity"],
        "health_reciprocity": health["reciprocity"],
        "block_density_level": _csv(out / "block_density_level.csv"),
    }


@pytest.fixture(scope="module")
def compared(sample, home, tmp_path_factory):
    """``onatool compare`` over every wave, first to latest."""
    out = tmp_path_factory.mktemp("compare")
    _run("compare", *_common(sample), *_each_wave(sample), "--out", out)
    change = json.loads((out / "change.json").read_text())
    network = _csv(out / "network_change.csv")
    groups = _csv(out / "groups_change_organisation.csv")
    latest = sample["waves"][-1]
    return {
        "jaccard": change["jaccard"],
        "reciprocity": float(network["reciprocity"][latest]),
        "panel": change["panel"],
        "density": float(network["density"][latest]),
        "response_rate": float(network["response_rate"][latest]),
        "ei": float(groups[sample["organisation"]][f"ei_{latest}"]),
    }


@pytest.fixture(scope="module")
def reported(sample, home, tmp_path_factory):
    """``onatool report`` over every wave: the HTML report and the Excel workbook."""
    out = tmp_path_factory.mktemp("report")
    _run("report", *_common(sample), *_each_wave(sample), "--out", out, "--no-pdf")
    page = _Report.read(out / "report.html")
    books = sorted(out.glob("*.xlsx"))
    book = openpyxl.load_workbook(next(b for b in books if "kumu" not in b.name), read_only=True)
    return {"html": page, "excel": book}


def _csv(path: Path) -> dict[str, dict[str, str]]:
    """A plain CSV (header on row 1) as ``{first cell: {column: cell}}``."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows[1:]}


def _sheet(book, name: str) -> dict[object, dict[str, object]]:
    rows = list(book[name].iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    return {row[0]: dict(zip(header[1:], row[1:], strict=False)) for row in rows[1:] if row and row[0] is not None}


class _Report(HTMLParser):
    """The report's sections: their fact boxes (label, value, note) and tables (rows of cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, dict[str, list]] = {}
        self._section = "top"
        self._stack: list[tuple[str, str]] = []
        self._text: list[str] = []
        self._row: list[str] | None = None
        self._fact: dict[str, str] | None = None

    @classmethod
    def read(cls, path: Path) -> _Report:
        parser = cls()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser

    def _here(self) -> dict[str, list]:
        return self.sections.setdefault(self._section, {"facts": [], "tables": []})

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "section" and attrs.get("id"):
            self._section = attrs["id"]
        if tag == "table":
            self._here()["tables"].append([])
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._text = []
        if tag == "div" and "fact" in classes:
            self._fact = {}
        if tag == "div" and self._fact is not None and classes and classes[0] in ("label", "value", "note"):
            self._text = []
        self._stack.append((tag, classes[0] if classes else ""))

    def handle_endtag(self, tag):
        while self._stack:
            opened, cls = self._stack.pop()
            if opened == tag:
                break
        text = " ".join("".join(self._text).split())
        if tag in ("td", "th") and self._row is not None:
            self._row.append(text)
        elif tag == "tr" and self._row is not None and self._here()["tables"]:
            self._here()["tables"][-1].append(self._row)
            self._row = None
        elif tag == "div" and self._fact is not None:
            if cls in ("label", "value", "note"):
                self._fact[cls] = text
            elif cls == "fact":
                self._here()["facts"].append(self._fact)
                self._fact = None

    def handle_data(self, data):
        self._text.append(data)

    def fact(self, section: str, label: str) -> dict[str, str]:
        facts = self.sections[section]["facts"]
        return next(f for f in facts if f.get("label", "").startswith(label))

    def row(self, section: str, first_cell: str, header_of: str) -> dict[str, str]:
        """The row starting with ``first_cell`` of the first table whose header has ``header_of``."""
        for table in self.sections[section]["tables"]:
            if table and header_of in table[0]:
                for row in table[1:]:
                    if row and row[0] == first_cell:
                        return dict(zip(table[0], row, strict=True))
        raise KeyError(f"no row {first_cell!r} under {header_of!r} in section {section!r}")


@pytest.fixture(scope="module")
def pages(sample, home):
    """The app's pages on the sample project, with the same relation, threshold and wave."""
    from streamlit.testing.v1 import AppTest

    def open_page(page: str, **state) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.session_state["relation"] = sample["relation"]
        at.session_state["min_weight"] = sample["threshold"]
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        at.session_state["wave"] = sample["waves"][-1]
        at.run()
        if page:
            at.switch_page(f"{PAGES}/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def _pct(value: float, places: int = 0) -> str:
    return f"{value:.{places}%}"


# The figures ----------------------------------------------------------------------------------
def test_density_is_one_value_everywhere(analysed, compared, reported):
    density = analysed["density"]
    assert compared["density"] == pytest.approx(density, rel=EXACT)
    network = _sheet(reported["excel"], "network")
    assert network["density"]["value"] == pytest.approx(density, rel=EXACT)
    assert reported["html"].fact("summary", "Density")["value"] == _pct(density, 1)


def test_response_rate_is_one_value_everywhere(sample, analysed, compared, reported, pages):
    rate = analysed["response_rate"]
    assert compared["response_rate"] == pytest.approx(rate, rel=EXACT)
    assert _sheet(reported["excel"], "network")["response_rate"]["value"] == pytest.approx(rate, rel=EXACT)
    answered = reported["html"].fact("summary", "Answered")
    assert answered["note"].startswith(f"{_pct(rate)} response rate")
    project = pages("project")
    waves = project.dataframe[0].value
    shown = waves.loc[waves["Wave"] == sample["waves"][-1], "Response rate"]
    assert float(shown.iloc[0]) == pytest.approx(rate, rel=EXACT)


def test_an_organisations_ei_is_one_value_everywhere(sample, analysed, compared, reported, pages):
    group, ei = sample["organisation"], analysed["ei"]
    assert compared["ei"] == pytest.approx(ei, rel=EXACT)
    groups = _sheet(reported["excel"], "groups_organisation")
    assert groups[group]["ei"] == pytest.approx(ei, rel=EXACT)
    assert groups[group]["density_within"] == pytest.approx(analysed["density_within"], rel=EXACT)
    row = reported["html"].row("boundaries", group, "E-I index")
    assert row["E-I index"] == f"{ei:.2f}"
    boundaries = pages("boundaries")
    # The page explains E-I in the registry's words, as the report's methods do.
    assert any(describe("group.ei") in c.value for c in boundaries.caption)
    table = boundaries.dataframe[0].value
    assert float(table.loc[group, "ei"]) == pytest.approx(ei, rel=EXACT)
    assert float(table.loc[group, "density_within"]) == pytest.approx(analysed["density_within"], rel=EXACT)


def test_jaccard_is_one_value_everywhere(sample, compared, reported, pages):
    jaccard = compared["jaccard"]
    change = _sheet(reported["excel"], "change")
    assert change["jaccard"]["value"] == pytest.approx(jaccard, rel=EXACT)
    shown = reported["html"].fact("change", "Share of ties in both waves")["value"]
    assert shown == _pct(jaccard)
    at = pages("change", change_from=sample["waves"][0], change_to=sample["waves"][-1])
    metric = next(m for m in at.metric if m.label == "Jaccard")
    assert metric.value == f"{jaccard:.2f}"
    # The reading the app shows is the one the CLI wrote.
    assert any(re.search(re.escape(_pct(jaccard)), i.value) for i in at.info)


def test_reciprocity_over_pairs_who_both_answered_and_its_interval_agree(sample, analysed, compared, reported):
    # Issue 12: reciprocity now counts only pairs whose two people answered; the CLI, the
    # comparison, the workbook and the report show the same value, and the report the same
    # 95% interval (200 resamples of respondents, seed 0) as health.json.
    value = analysed["reciprocity"]
    assert analysed["health_reciprocity"]["value"] == pytest.approx(value, rel=EXACT)
    assert compared["reciprocity"] == pytest.approx(value, rel=EXACT)
    assert _sheet(reported["excel"], "network")["reciprocity"]["value"] == pytest.approx(value, rel=EXACT)
    interval = analysed["health_reciprocity"]["interval"]
    assert (interval["resamples"], interval["seed"]) == (200, 0)
    assert interval["low"] == pytest.approx(analysed["reciprocity_interval"]["low"], rel=EXACT)
    assert interval["low"] < value < interval["high"]
    row = reported["html"].row("health", "Two-way relationships", "Indicator")
    now = row["Now"]
    assert now.startswith(_pct(value))
    assert f"95% interval {_pct(interval['low'])} to {_pct(interval['high'])}" in now
    response = analysed["health_reciprocity"]["response"]
    assert response["respondents"] / response["people"] == pytest.approx(analysed["response_rate"], rel=EXACT)


def test_health_verdicts_rest_on_the_balanced_panel(sample, compared, reported):
    # The comparison states the panel, resamples and seed; the report calls a change better or
    # worse only with the panel's words, never from a raw difference.
    panel = compared["panel"]
    assert panel["people"] > 0 and (panel["resamples"], panel["seed"]) == (200, 0)
    assert set(panel["assessments"]) <= {"better", "worse", "no clear change"}
    table = next(t for t in reported["html"].sections["health"]["tables"] if t and "Indicator" in t[0])
    previous = table[0][2]
    for row in table[1:]:
        cell = dict(zip(table[0], row, strict=True))[previous]
        if any(word in cell for word in ("better", "worse", "no clear change")):
            assert "people who answered both waves" in cell or "no interval" in cell


def test_block_density_by_level_is_one_value_in_the_cli_and_the_report(analysed, reported):
    # Densities over respondents' rows: the CLI file and the report's table agree.
    cli = analysed["block_density_level"]
    table = next(t for t in reported["html"].sections["levels"]["tables"] if t and "from \\ to" in t[0])
    header = table[0]
    for row in table[1:]:
        cells = dict(zip(header, row, strict=True))
        for level in ("top", "middle", "bottom"):
            if row[0] in cli and level in cells:
                assert cells[level] == _pct(float(cli[row[0]][level]), 1)
