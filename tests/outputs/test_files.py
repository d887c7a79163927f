"""Files as their consumers read them: plain CSV, formula-neutral cells and headers,
XML that parses whatever the roster held, and chart text drawn literally."""

from __future__ import annotations

import csv
import json
import string
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onatool import Network
from onatool.outputs.charts import bar_chart, heatmap
from onatool.outputs.files import FORMULA_PREFIXES, safe_frame, write_csv, write_csvs, xml_text
from onatool.outputs.graphs import graph_for_export, write_gexf, write_graphml
from onatool.outputs.provenance import Provenance, key_fingerprint
from onatool.share.disclosure import Disclosure

FORBIDDEN = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)]) + "\ufffe\uffff"
HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n\0,;\"' $abcé") + list(FORBIDDEN[:4])), min_size=1, max_size=12
)


def _cells(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


# CSV -----------------------------------------------------------------------------------------
def test_csvs_are_plain_tables_with_parameters_beside_them(tmp_path):
    tables = {
        "groups_organisation": pd.DataFrame(
            {"size": [7, 9], "ei": [-0.5, 0.25]}, index=pd.Index(["Acute", "Council"], name="organisation")),
        "ties": pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [1.0]}),
    }
    provenance = Provenance("baseline", relation="advice", disclosure=Disclosure(k=5),
                            key_fingerprint=key_fingerprint(bytes(range(32))))
    written = write_csvs(tmp_path, tables, provenance)
    groups = tmp_path / "groups_organisation.csv"
    rows = _cells(groups)
    assert rows[0] == ["organisation", "size", "ei"]  # header on row 1, nothing before it
    assert not any(line.startswith("#") for line in groups.read_text(encoding="utf-8-sig").splitlines())
    read = pd.read_csv(groups, index_col=0)  # a consumer's default reading
    assert read.loc["Council", "ei"] == 0.25 and read.index.name == "organisation"
    assert _cells(tmp_path / "ties.csv")[0] == ["source", "target", "weight"]
    params = json.loads((tmp_path / "parameters.json").read_text())
    assert params["wave"] == "baseline" and params["relation"] == "advice"
    assert params["key_fingerprint"] == key_fingerprint(bytes(range(32)))
    assert params["files"] == ["groups_organisation.csv", "ties.csv"]
    assert {p.name for p in written} == {"groups_organisation.csv", "ties.csv", "parameters.json"}


def test_the_key_fingerprint_identifies_a_key_without_revealing_it():
    one, two = bytes(32), bytes([1] * 32)
    assert key_fingerprint(one) != key_fingerprint(two)
    assert one.hex()[:16] not in key_fingerprint(one)


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(HOSTILE_TEXT, min_size=2, max_size=2),
    header=HOSTILE_TEXT,
    index=st.lists(HOSTILE_TEXT, min_size=2, max_size=2, unique=True),
    index_name=HOSTILE_TEXT,
)
def test_no_cell_header_or_index_name_reads_as_a_formula(tmp_path_factory, cells, header, index, index_name):
    frame = pd.DataFrame({header: cells, "number": [-0.5, 2.0]}, index=pd.Index(index, name=index_name))
    path = write_csv(frame, tmp_path_factory.mktemp("csv") / "t.csv")
    rows = _cells(path)
    assert rows[0][-1] == "number"
    for row in rows:
        for cell in row[:-1]:  # every text cell, header and index label (numbers aside)
            assert not _formula_like(cell), rows
    assert not _formula_like(rows[0][-1])
    # Numbers stay numbers.
    assert pd.read_csv(path)["number"].tolist() == [-0.5, 2.0]


def test_multiindex_names_and_levels_are_neutralised():
    frame = pd.DataFrame(
        {"=x": [1, 2]}, index=pd.MultiIndex.from_tuples([("@a", "-b"), ("c", "+d")], names=["=g", "-h"]))
    safe = safe_frame(frame)
    assert list(safe.index.names) == ["'=g", "'-h"]
    assert list(safe.index) == [("'@a", "'-b"), ("c", "'+d")]
    assert list(safe.columns) == ["'=x"]


# XML -----------------------------------------------------------------------------------------
def _hostile_network() -> Network:
    bad = "Acute\x00\x01 Trust\x0b\x1f\ufffe"
    people = {f"p{i}": {"organisation": bad if i < 3 else "Council", "te\x02am": "x\x03y"} for i in range(6)}
    return Network.from_edges([("p0", "p1"), ("p1", "p3"), ("p4", "p2")], people=people,
                              wave="base\x07line", relation="adv\x08ice")


def _has_forbidden(text: str) -> bool:
    return any(c in text for c in FORBIDDEN)


@pytest.mark.parametrize("writer", [write_graphml, write_gexf])
def test_graph_files_strip_characters_xml_forbids(tmp_path, writer):
    net = _hostile_network()
    provenance = Provenance(net.wave, relation="adv\x08ice", project="Pro\x0cject", disclosure=Disclosure(k=1))
    graph = graph_for_export(net, Disclosure(k=1), provenance)
    path = writer(tmp_path / f"map.{writer.__name__.split('_')[1]}", graph)
    text = path.read_text(encoding="utf-8")
    assert not _has_forbidden(text)
    ET.parse(path)  # a strict XML parser accepts it
    read = nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)
    organisations = {d.get("organisation") for _, d in read.nodes(data=True)}
    assert "Acute Trust" in organisations


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=20))
def test_xml_text_always_yields_parseable_xml(value):
    cleaned = xml_text(value)
    from xml.sax.saxutils import escape

    ET.fromstring(f"<a>{escape(cleaned)}</a>")
    assert all(c in value for c in cleaned)


# Charts --------------------------------------------------------------------------------------
def _parse_svg(svg: str) -> ET.Element:
    """Parse inline SVG (written for HTML, so without namespace declarations) strictly."""
    declared = svg.replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)
    return ET.fromstring(declared)


@pytest.mark.parametrize("name", ["Costs $5 and $10", "One $ sign", r"$\alpha$ team", "A\x01B\x1f"])
def test_chart_text_is_drawn_literally_and_parses_as_xml(name):
    values = pd.Series([0.5, -0.25], index=[name, "Council"])
    for svg in (bar_chart(values, title=f"E-I by {name}"),
                heatmap(pd.DataFrame([[0.1, 0.2], [0.3, np.nan]], index=[name, "b"], columns=[name, "b"]),
                        title=name)):
        _parse_svg(svg)
        assert not _has_forbidden(svg)
        shown = xml_text(name)
        if "$" in name:
            from xml.sax.saxutils import escape

            assert escape(shown) in svg  # the dollar text itself, not mathtext glyphs


def test_printable_labels_survive_unchanged():
    label = string.ascii_letters + " -&<>'\"$"
    svg = bar_chart(pd.Series([1.0], index=[label]), title="t")
    from xml.sax.saxutils import escape

    _parse_svg(svg)
    assert escape(label) in svg
