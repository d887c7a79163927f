"""Whole-network files, each imported with ``--ties`` alone (no roster): people, ties, attributes.

Every format is written here as its tool writes it; the same small network (four people,
their organisation, five ties) must come back from each.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import networkx as nx
import pytest

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import import_responses, import_wave, networks

KEY = b"w" * 32
PEOPLE = {"Ann": "Acute", "Bo": "Council", "Cy": "Acute", "Dee": "VCSE"}
TIES = {("Ann", "Bo"), ("Ann", "Cy"), ("Bo", "Ann"), ("Cy", "Dee"), ("Dee", "Ann")}


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, organisation in PEOPLE.items():
        graph.add_node(name, label=name, organisation=organisation)
    for s, t in TIES:
        graph.add_edge(s, t, relation="advice", weight=1.0)
    return graph


def _imported(path: Path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = import_wave(None, key=KEY, ties=path, **options)
    ids = result.roster.identities[schema.ID]
    ties = {(ids[s], ids[t], r) for s, t, r in
            zip(result.network.ties[schema.SOURCE], result.network.ties[schema.TARGET],
                result.network.ties[schema.RELATION], strict=True)}
    assert result.report.balanced()
    return result, ties


def _check(path: Path, relation: str = "advice", attributes: bool = True, **options) -> None:
    result, ties = _imported(path, **options)
    assert ties == {(s, t, relation) for s, t in TIES}
    assert set(result.roster.identities[schema.ID]) == set(PEOPLE)
    if attributes:
        people = result.roster.people.join(result.roster.identities[[schema.ID]])
        assert dict(zip(people[schema.ID], people[schema.ORGANISATION], strict=True)) == PEOPLE


def test_graphml_written_by_networkx(tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    nx.write_graphml(_graph(), path)
    assert networks.sniff_network(path) == "graphml"
    _check(path)


def test_gexf_written_by_networkx(tmp_path: Path) -> None:
    path = tmp_path / "net.gexf"
    nx.write_gexf(_graph(), path)
    assert networks.sniff_network(path) == "gexf"
    _check(path)


def test_pajek_net(tmp_path: Path) -> None:
    order = list(PEOPLE)
    arcs = "\n".join(f"{order.index(s) + 1} {order.index(t) + 1} 1" for s, t in sorted(TIES))
    path = tmp_path / "advice.net"
    path.write_text("*Vertices 4\n" + "\n".join(f'{i} "{n}" 0.1 0.2 0.5' for i, n in enumerate(order, 1))
                    + f"\n*Arcs\n{arcs}\n", encoding="utf-8")
    _check(path, attributes=False)


@pytest.mark.parametrize("form", ["fullmatrix", "fullmatrix embedded", "edgelist1", "nodelist1"])
def test_ucinet_dl(tmp_path: Path, form: str) -> None:
    order = list(PEOPLE)
    head = f"DL N=4\nFORMAT = {form.split()[0].upper()}\nLABELS:\n{','.join(order)}\n"
    if form == "fullmatrix embedded":
        head = "dl n=4 format=fullmatrix\nlabels embedded\n"
        data = "   " + " ".join(order) + "\n" + "\n".join(
            s + " " + " ".join("1" if (s, t) in TIES else "0" for t in order) for s in order)
    elif form == "fullmatrix":
        data = "\n".join(" ".join("1" if (s, t) in TIES else "0" for t in order) for s in order)
    elif form == "edgelist1":
        head += "LABELS EMBEDDED\n"
        data = "\n".join(f"{s} {t} 1" for s, t in sorted(TIES))
    else:
        data = "\n".join(f"{order.index(s) + 1} " + " ".join(str(order.index(t) + 1) for x, t in sorted(TIES)
                                                            if x == s) for s in order)
    path = tmp_path / "advice.dl"
    path.write_text(f"{head}DATA:\n{data}\n", encoding="utf-8")
    assert networks.sniff_network(path) == "dl"
    _check(path, attributes=False)


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_kumu_workbook(tmp_path: Path) -> None:
    """Elements first (Label, Type, organisation), then Connections (From, To, Type)."""
    path = _workbook(tmp_path / "kumu.xlsx", {
        "Elements": [["Label", "Type", "Organisation"], *([n, "Person", o] for n, o in PEOPLE.items())],
        "Connections": [["From", "To", "Label", "Type"], *([s, t, None, "advice"] for s, t in sorted(TIES))],
    })
    _check(path)


def test_polinode_workbook(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "polinode.xlsx", {
        "Nodes": [["Name", "Organisation"], *([n, o] for n, o in PEOPLE.items())],
        "Edges": [["Source", "Target", "Relation"], *([s, t, "advice"] for s, t in sorted(TIES))],
    })
    _check(path)


def test_sheet_option_picks_the_edges(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "two.xlsx", {
        "Nodes": [["Name", "Organisation"], *([n, o] for n, o in PEOPLE.items())],
        "Old": [["Source", "Target"], ["Ann", "Dee"]],
        "Edges": [["Source", "Target", "Relation"], *([s, t, "advice"] for s, t in sorted(TIES))],
    })
    _check(path, sheet="Edges")


def test_gephi_matrix_csv(tmp_path: Path, write) -> None:
    """A blank corner, weights padded with spaces, a self-loop on the diagonal, no final newline."""
    roster = write("roster.csv", "id,name\n" + "".join(f"{n},{n}\n" for n in PEOPLE))
    order = list(PEOPLE)
    rows = [" ," + ",".join(order)]
    for s in order:
        rows.append(s + "," + ",".join(" 2.5 " if (s, t) in TIES else ("1" if s == t == "Cy" else " 0")
                                       for t in order))
    path = write("matrix.csv", "\n".join(rows))
    result = import_wave(roster, key=KEY, ties=path)
    ids = result.roster.identities[schema.ID]
    ties = result.network.ties
    assert {(ids[s], ids[t]) for s, t in zip(ties[schema.SOURCE], ties[schema.TARGET], strict=True)} == TIES
    assert set(ties[schema.WEIGHT]) == {2.5}
    assert result.report.balanced()


def test_gephi_edge_table_type_is_direction(write, roster_csv) -> None:
    """Gephi's edges table: Source, Target, Type (Directed), Id, Label, Weight; Type is not a relation."""
    path = write("edges.csv", "Source,Target,Type,Id,Label,Weight\nA1,A2,Directed,0,,1.0\nA2,A3,Directed,1,,2.0\n")
    result = import_wave(roster_csv, key=KEY, ties=path)
    assert result.network.relation_names == ("tie",)
    assert result.network.n_ties == 2


def test_messages_name_what_was_found(tmp_path: Path, roster_csv) -> None:
    path = tmp_path / "net.graphml"
    nx.write_graphml(_graph(), path)
    with pytest.raises(InputFormatError) as raised:
        import_responses(roster_csv, path, key=KEY, layout="qualtrics")
    text = str(raised.value)
    assert "\n" not in text
    assert "net.graphml" in text and "a whole-network GraphML with 4 nodes and 5 edges" in text
    assert "--ties" in text
    with pytest.raises(InputFormatError, match="a whole-network GraphML with 4 nodes and 5 edges"):
        import_wave(roster_csv, key=KEY, matrix=path)


def test_dl_with_too_few_numbers_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "short.dl"
    path.write_text("DL N=3\nFORMAT = FULLMATRIX\nLABELS:\nA,B,C\nDATA:\n0 1 0\n1 0\n", encoding="utf-8")
    with pytest.raises(InputFormatError) as raised:
        import_wave(None, key=KEY, ties=path)
    text = str(raised.value)
    assert "short.dl" in text and "row 6" in text and "9" in text and "\n" not in text


def test_no_roster_needs_a_whole_network(write) -> None:
    path = write("ties.csv", "source,target\nA1,A2\n")
    with pytest.raises(InputFormatError, match="no roster given"):
        import_wave(None, key=KEY, ties=path)


def test_wave_not_in_roster_waves_lists_them(write) -> None:
    roster = write("roster.csv", "id,name,waves\nA1,Ann,baseline;follow-up\nA2,Bo,baseline\n")
    ties = write("wave_export.csv", "source,target\nA1,A2\n")
    with pytest.raises(InputFormatError) as raised:
        import_wave(roster, key=KEY, ties=ties)
    text = str(raised.value)
    assert "'wave_export'" in text and "'baseline'" in text and "'follow-up'" in text and "--wave" in text
    assert import_wave(roster, key=KEY, ties=ties, wave="baseline").network.n_ties == 1


def test_cli_imports_a_whole_network_with_ties_alone(tmp_path: Path, monkeypatch) -> None:
    """``onatool import --ties FILE --out DIR``: no roster, no recipe; the nodes are the people."""
    import pandas as pd
    from typer.testing import CliRunner

    from onatool.cli import app

    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    path = tmp_path / "advice.gexf"
    nx.write_gexf(_graph(), path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["import", "--ties", str(path), "--out", str(out), "--identifiable"])
    assert result.exit_code == 0, result.output
    # Names go only into the analyst-only copy, in the private folder.
    assert schema.NAME not in pd.read_csv(out / "people.csv", encoding="utf-8-sig").columns
    named = next((tmp_path / "home" / "private").rglob("people.csv"))
    people = pd.read_csv(named, encoding="utf-8-sig")
    assert dict(zip(people[schema.NAME], people[schema.ORGANISATION], strict=True)) == PEOPLE
    assert len(pd.read_csv(out / "ties.csv")) == len(TIES)
    assert "Unknown extension" not in result.output
