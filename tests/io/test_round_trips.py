"""What onatool writes comes back: GraphML, GEXF and the Kumu workbook read with ``--ties`` alone.

The exports are written by :mod:`onatool.outputs` (pseudonyms as labels, the
roster's attributes on the nodes, ``relation`` and ``weight`` on the ties) and read
back through :func:`onatool.io.import_wave` with no roster: the same people (by label),
the same ties, relations and weights, and the same organisations.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from onatool import schema
from onatool.io import import_wave
from onatool.outputs.graphs import graph_for_export, write_gexf, write_graphml
from onatool.outputs.kumu import kumu_blueprint, write_kumu_excel
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure

KEY = b"t" * 32


@pytest.fixture
def original(roster_csv, write):
    ties = write("ties.csv", "source,target,relation,weight\nA1,A2,advice,3\nA2,A1,advice,1\nA1,A3,trust,1\n"
                             "A3,A4,advice,2\nA4,A2,trust,1\n")
    return import_wave(roster_csv, key=KEY, ties=ties, wave="baseline").network


def _by_label(network) -> set[tuple[str, str, str, float]]:
    labels = network.people[schema.LABEL]
    t = network.ties
    return {(labels[s], labels[d], r, float(w)) for s, d, r, w in
            zip(t[schema.SOURCE], t[schema.TARGET], t[schema.RELATION], t[schema.WEIGHT], strict=True)}


def _read_back(path: Path):
    result = import_wave(None, key=KEY, ties=path, wave="baseline")
    assert result.report.balanced()
    ids = result.roster.identities[schema.ID]
    t = result.network.ties
    ties = {(ids[s], ids[d], r, float(w)) for s, d, r, w in
            zip(t[schema.SOURCE], t[schema.TARGET], t[schema.RELATION], t[schema.WEIGHT], strict=True)}
    people = result.network.people.join(result.roster.identities[[schema.ID]])
    return ties, dict(zip(people[schema.ID], people[schema.ORGANISATION], strict=True))


def _organisations(network) -> dict[str, str]:
    return dict(zip(network.people[schema.LABEL], network.people[schema.ORGANISATION], strict=True))


@pytest.mark.parametrize("writer", [write_graphml, write_gexf])
def test_graph_exports_round_trip(original, tmp_path: Path, writer) -> None:
    graph = graph_for_export(original, Disclosure(k=1), Provenance("baseline"))
    path = writer(tmp_path / f"net.{'graphml' if writer is write_graphml else 'gexf'}", graph)
    ties, organisations = _read_back(path)
    assert ties == _by_label(original)
    assert organisations == _organisations(original)


def test_graph_exports_read_by_networkx(original, tmp_path: Path) -> None:
    """The other way: networkx (as igraph and Gephi do) reads what onatool writes, ties intact."""
    graph = graph_for_export(original, Disclosure(k=1), Provenance("baseline"))
    for path, read in ((write_graphml(tmp_path / "n.graphml", graph), nx.read_graphml),
                       (write_gexf(tmp_path / "n.gexf", graph), nx.read_gexf)):
        back = read(path)
        labels = nx.get_node_attributes(back, "label")
        got = {(labels[s], labels[t], d["relation"], float(d["weight"])) for s, t, d in back.edges(data=True)}
        assert got == _by_label(original), path.name


def test_graphml_export_read_by_igraph(original, tmp_path: Path) -> None:
    """igraph's own GraphML reader (Gephi's importer reads the same standard) gets every tie."""
    from onatool.engine import ig

    graph = graph_for_export(original, Disclosure(k=1), Provenance("baseline"))
    back = ig.Graph.Read_GraphML(str(write_graphml(tmp_path / "n.graphml", graph)))
    labels = back.vs["label"]
    got = {(labels[e.source], labels[e.target], e["relation"], float(e["weight"])) for e in back.es}
    assert back.is_directed() and got == _by_label(original)
    assert back.vcount() == original.n_people


def test_kumu_workbook_round_trip(original, tmp_path: Path) -> None:
    blueprint = kumu_blueprint(original, Disclosure(k=1), Provenance("baseline"))
    path = write_kumu_excel(tmp_path / "kumu.xlsx", blueprint, Provenance("baseline"))
    result = import_wave(None, key=KEY, ties=path, wave="baseline")
    assert result.report.balanced()
    ids = result.roster.identities[schema.ID]
    t = result.network.ties
    got = {(ids[s], ids[d], r) for s, d, r in zip(t[schema.SOURCE], t[schema.TARGET], t[schema.RELATION],
                                                  strict=True)}
    label_of = original.people[schema.LABEL]
    want = {(str(s), str(d), r) for s, d, r in zip(original.ties[schema.SOURCE], original.ties[schema.TARGET],
                                                   original.ties[schema.RELATION], strict=True)}
    assert got == want  # Kumu's From/To are element ids: the pseudonymous person ids
    assert set(ids) == set(label_of.index)


def _by_id(network) -> set[tuple[str, str, str, float]]:
    t = network.ties
    return {(s, d, r, float(w)) for s, d, r, w in
            zip(t[schema.SOURCE], t[schema.TARGET], t[schema.RELATION], t[schema.WEIGHT], strict=True)}


def _read_back_people(result) -> dict[str, tuple[str, bool]]:
    people = result.network.people.join(result.roster.identities[[schema.ID]])
    return {i: (o, bool(r)) for i, o, r in
            zip(people[schema.ID], people[schema.ORGANISATION], people[schema.RESPONDED], strict=True)}


def _original_people(network) -> dict[str, tuple[str, bool]]:
    p = network.people
    return {i: (o, bool(r)) for i, o, r in zip(p.index, p[schema.ORGANISATION], p[schema.RESPONDED], strict=True)}


@pytest.fixture
def with_a_non_respondent(roster_csv, write):
    """The original network with a person who did not answer, so 'responded' has to come back too."""
    ties = write("ties2.csv", "source,target,relation,weight\nA1,A2,advice,3\nA2,A1,advice,1\nA1,A3,trust,1\n"
                              "A1,A4,advice,2\nA2,A4,trust,1\n")
    return import_wave(roster_csv, key=KEY, ties=ties, wave="baseline").network


def test_excel_workbook_round_trip(with_a_non_respondent, tmp_path: Path) -> None:
    """onatool's workbook (README first, then people and ties sheets) imports with ``--ties`` alone."""
    from onatool.outputs.exports import write_exports

    original = with_a_non_respondent
    written = write_exports(tmp_path, original, Provenance("baseline", disclosure=Disclosure(k=1)),
                            include=["excel"])
    result = import_wave(None, key=KEY, ties=written["excel"][0], wave="baseline")
    assert result.report.balanced()
    ids = result.roster.identities[schema.ID]
    back = {(ids[s], ids[d], r, w) for s, d, r, w in _by_id(result.network)}
    assert back == _by_id(original)  # people by their person_id, every tie, relation and weight
    assert _read_back_people(result) == _original_people(original)


def test_csv_tables_round_trip(with_a_non_respondent, tmp_path: Path) -> None:
    """onatool's CSVs come back as ``--roster people.csv --ties ties.csv``: people, ties, attributes, respondents."""
    from onatool.outputs.exports import write_exports

    original = with_a_non_respondent
    written = write_exports(tmp_path, original, Provenance("baseline", disclosure=Disclosure(k=1)),
                            include=["csv"])
    folder = written["csv"][0].parent
    result = import_wave(folder / "people.csv", key=KEY, ties=folder / "ties.csv", wave="baseline")
    assert result.report.balanced() and result.report.counts()["dropped"] == 0
    ids = result.roster.identities[schema.ID]
    back = {(ids[s], ids[d], r, w) for s, d, r, w in _by_id(result.network)}
    assert back == _by_id(original)
    assert _read_back_people(result) == _original_people(original)
    names = dict(zip(result.roster.identities[schema.ID], result.roster.identities[schema.NAME], strict=True))
    assert names == dict(zip(original.people.index, original.people[schema.LABEL], strict=True))
