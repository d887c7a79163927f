"""Every export opened in the software that consumes it, names and formulas checked."""

from __future__ import annotations

import json
import zipfile

import igraph as ig
import jsonschema
import networkx as nx
import openpyxl
import pandas as pd
import pytest

from onatool.outputs.exports import write_exports
from onatool.outputs.kumu import KUMU_SCHEMA, kumu_blueprint
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.share.tables import export_tables, people_by
from onatool.viz.layout import compute_layout

AUDIT: list[tuple] = []
HOSTILE = '=HYPERLINK("http://x","y")'  # as in conftest.py
SCRIPT = "</script><img src=x onerror=alert(1)>"


def _revealed() -> Disclosure:
    return Disclosure().reveal_names(user="tester", project="t", audit=lambda *e: AUDIT.append(e))


@pytest.fixture(scope="module")
def exported(partnership, tmp_path_factory):
    """Every export of the follow-up wave, pseudonymised (the default)."""
    result = partnership["results"][1]
    out = tmp_path_factory.mktemp("exports")
    provenance = Provenance("follow-up", relation="advice", project="t", created="2026-06-30")
    positions = compute_layout([r.network for r in partnership["results"]], seed=0)
    files = write_exports(out, result.network, provenance, identities=partnership["roster"].identities,
                          positions=positions)
    return out, files, result


def _file_text(path) -> str:
    """A file's bytes as text, an xlsx unzipped, XML entities for & and quotes undone."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    else:
        text = path.read_bytes().decode("utf-8", "replace")
    return text.replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", '"')


def _all_text(out) -> str:
    """Every file under ``out``, as text (see :func:`_file_text`)."""
    return "\n".join(_file_text(p) for p in sorted(out.rglob("*")) if p.is_file())


def test_every_export_written(exported):
    _, files, _ = exported
    assert set(files) == {"excel", "csv", "graphml", "gexf", "kumu", "maps"}
    assert all(p.exists() and p.stat().st_size > 0 for paths in files.values() for p in paths)


def test_graphml_read_back_by_networkx_and_igraph(exported):
    _, files, result = exported
    path = files["graphml"][0]
    g = nx.read_graphml(path)
    people = result.network.people
    assert g.number_of_nodes() == result.network.n_people
    assert g.number_of_edges() == result.network.n_ties
    pid = people.index[0]
    assert g.nodes[pid]["label"] == people.loc[pid, "label"]
    assert g.nodes[pid].get("level") in (people.loc[pid, "level"], "Other", None)  # the person-level gate
    assert g.graph["wave"] == "follow-up" and g.graph["relation"] == "advice"
    assert json.loads(g.graph["suppression"])["threshold"] == 5
    edge = next(iter(g.edges(data=True)))[2]
    assert edge["relation"] == "advice" and isinstance(edge["weight"], float)

    h = ig.Graph.Read_GraphML(str(path))
    assert h.vcount() == result.network.n_people and h.ecount() == result.network.n_ties
    assert {"label", "organisation", "responded"} <= set(h.vs.attributes())  # level may be left out by the gate
    assert {"relation", "weight"} <= set(h.es.attributes())
    assert h["wave"] == "follow-up"
    assert sorted(h.vs["label"]) == sorted(people["label"])


def test_gexf_read_back_by_networkx(exported):
    _, files, result = exported
    g = nx.read_gexf(files["gexf"][0])
    people = result.network.people
    assert g.number_of_nodes() == result.network.n_people
    assert g.number_of_edges() == result.network.n_ties
    pid = people.index[3]
    assert g.nodes[pid]["label"] == people.loc[pid, "label"]
    assert g.nodes[pid]["sector"] == people.loc[pid, "sector"] or g.nodes[pid]["sector"] == "Other"
    text = files["gexf"][0].read_text()
    assert "<creator>onatool" in text and '"wave": "follow-up"' in text.replace("&quot;", '"')


def test_excel_has_no_formula_even_from_hostile_text(exported):
    _, files, _ = exported
    book = openpyxl.load_workbook(files["excel"][0])
    assert book.sheetnames[0] == "README"
    seen_hostile = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value == HOSTILE:
                    seen_hostile = True
    assert seen_hostile  # the organisation (7 people) is shown, as text
    readme = {r[0]: r[1] for r in book["README"].iter_rows(values_only=True) if r[0]}
    assert readme["Wave"] == "follow-up" and readme["Suppression threshold (k)"] == "5"
    people = book["people"]
    assert people.freeze_panes == "B2"


def test_csv_neutralises_formulas_and_records_parameters(exported):
    out, _, _ = exported
    path = out / "csv" / "responses_organisation.csv"
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.split(",")[0] == "organisation"  # a plain table: the header on row 1
    table = pd.read_csv(path, encoding="utf-8-sig", index_col=0)
    assert "'" + HOSTILE in table.index
    params = json.loads((out / "csv" / "parameters.json").read_text())
    assert params["suppression"]["k"] == 5 and params["names_revealed"] is False
    assert params["wave"] == "follow-up" and path.name in params["files"]


def test_kumu_json_validates_and_keeps_ids_across_waves(exported, partnership):
    _, files, result = exported
    blueprint = json.loads(files["kumu"][0].read_text())
    jsonschema.validate(blueprint, KUMU_SCHEMA)
    ids = [e["id"] for e in blueprint["elements"]] + [c["id"] for c in blueprint["connections"]]
    assert len(ids) == len(set(ids))  # Kumu: ids unique across elements and connections
    element_ids = {e["id"] for e in blueprint["elements"]}
    assert all(c["from"] in element_ids and c["to"] in element_ids for c in blueprint["connections"])
    baseline = kumu_blueprint(partnership["results"][0].network, Disclosure(),
                              Provenance("baseline"))
    assert {e["id"] for e in baseline["elements"]} == element_ids
    same = {e["id"]: e["label"] for e in baseline["elements"]}
    assert all(same[e["id"]] == e["label"] for e in blueprint["elements"])

    book = openpyxl.load_workbook(files["kumu"][1])
    assert book.sheetnames == ["Elements", "Connections", "About (ignore)"]
    assert [c.value for c in book["Elements"][1][:3]] == ["ID", "Label", "Type"]
    assert [c.value for c in book["Connections"][1][:3]] == ["ID", "From", "To"]


def test_kumu_schema_rejects_a_broken_blueprint():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"elements": [{"id": "a"}], "connections": []}, KUMU_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"elements": [], "connections": [{"from": "a", "to": "b",
                                                              "direction": "sideways"}]}, KUMU_SCHEMA)


def test_no_name_in_any_default_export(exported, partnership):
    out, _, _ = exported
    text = _all_text(out)
    names = partnership["names"]
    leaked = [n for n in names if n in text]
    assert not leaked
    for identifier in ("X001", "x001@nhs.example"):
        assert identifier not in text


def test_names_only_in_the_export_they_were_revealed_for(partnership, tmp_path):
    result = partnership["results"][1]
    AUDIT.clear()
    named = _revealed()
    assert AUDIT == [("t", "tester", "names revealed", "")]
    files = write_exports(tmp_path, result.network, Provenance("follow-up"),
                          identities=partnership["roster"].identities,
                          disclosures={"excel": named})
    names = [n for n in partnership["names"] if n != SCRIPT]
    excel = _file_text(files["excel"][0])
    assert all(n in excel for n in names)
    files["excel"][0].unlink()
    assert not [n for n in partnership["names"] if n in _all_text(tmp_path)]


def test_named_export_records_it(partnership, tmp_path):
    result = partnership["results"][1]
    files = write_exports(tmp_path, result.network, Provenance("follow-up", disclosure=_revealed()),
                          identities=partnership["roster"].identities, include=["excel", "graphml"])
    readme = {r[0]: r[1] for r in openpyxl.load_workbook(files["excel"][0])["README"]
              .iter_rows(values_only=True) if r[0]}
    assert readme["Names"].startswith("revealed")
    g = nx.read_graphml(files["graphml"][0])
    assert g.graph["names_revealed"] is True
    assert "Zebediah Quuxworth" in {d["label"] for _, d in g.nodes(data=True)}


def test_people_by_organisation_and_level_is_suppressed(partnership):
    table = people_by(partnership["results"][1].network, "organisation", "level", Disclosure())
    body = table.drop(index="Total", columns="Total")
    shown = [v for v in body.to_numpy().ravel() if v != "*"]
    assert all(v == 0 or v >= 5 for v in shown)
    assert "Other" in table.index  # the 3- and 2-person organisations merged
    assert table.loc["Total", "Total"] == partnership["results"][1].network.n_people


def test_people_table_merges_small_organisations(partnership):
    tables = export_tables(partnership["results"][1].network, Disclosure())
    orgs = tables["people"]["organisation"].value_counts()
    assert "Riverside PCN" not in orgs and "St Ann's Hospice" not in orgs
    assert orgs.min() >= 5


def test_static_maps_record_their_parameters(exported):
    from PIL import Image

    _, files, result = exported
    png, svg = files["maps"]
    with Image.open(png) as image:
        assert image.size[0] > 500
        assert "Wave: follow-up" in image.info["Description"]
        assert image.info["Software"].startswith("onatool")
    text = svg.read_text()
    assert "<desc>" in text and "Suppression threshold (k): 5" in text


def test_graph_files_carry_the_fixed_layout(exported):
    _, files, result = exported
    g = nx.read_graphml(files["graphml"][0])
    assert all("x" in d and "y" in d for _, d in g.nodes(data=True))
    assert files["gexf"][0].read_text().count("<viz:position") == result.network.n_people


# With the metrics --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed(partnership, tmp_path_factory):
    from onatool.metrics import analyse

    net = partnership["results"][1].network.layer("advice")
    analysis = analyse(net)
    out = tmp_path_factory.mktemp("analysed")
    files = write_exports(out, net, Provenance("follow-up", relation="advice"), analysis=analysis,
                          include=["excel", "graphml", "gexf", "csv"])
    return net, analysis, files


def test_metrics_survive_the_round_trip_through_graph_files(analysed):
    net, analysis, files = analysed
    h = ig.Graph.Read_GraphML(str(files["graphml"][0]))
    by_id = dict(zip(h.vs["id"], range(h.vcount()), strict=True))
    for pid in net.people.index[:10]:
        v = h.vs[by_id[pid]]
        assert v["degree"] == analysis.people.loc[pid, "degree"]
        assert v["betweenness"] == pytest.approx(analysis.people.loc[pid, "betweenness"], nan_ok=True)
    g = nx.read_gexf(files["gexf"][0])
    pid = net.people.index[0]
    assert g.nodes[pid]["pagerank"] == pytest.approx(analysis.people.loc[pid, "pagerank"])


def test_group_sheet_merges_small_organisations_with_exact_figures(analysed):
    net, analysis, files = analysed
    book = openpyxl.load_workbook(files["excel"][0])
    assert {"groups_organisation", "mixing_organisation", "density_organisation", "levels", "health",
            "network"} <= set(book.sheetnames)
    rows = list(book["groups_organisation"].iter_rows(values_only=True))
    table = pd.DataFrame(rows[1:], columns=rows[0]).set_index("organisation")
    assert (table["size"] >= 5).all()
    # Other = the PCN (3) and the hospice (2): ties among those 5 people, counted by hand.
    other = net.people.index[net.people["organisation"].isin(["Riverside PCN", "St Ann's Hospice"])]
    inside = net.ties["source"].isin(other) & net.ties["target"].isin(other)
    out_ = net.ties["source"].isin(other) & ~net.ties["target"].isin(other)
    assert table.loc["Other", "size"] == 5
    assert table.loc["Other", "ties_within"] == inside.sum()
    assert table.loc["Other", "ties_out"] == out_.sum()
    mixing = pd.read_csv(files["csv"][0].parent / "mixing_organisation.csv", index_col=0)
    assert mixing.loc["Other", "Other"] == inside.sum()
