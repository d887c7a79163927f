"""The WebGL map: its committed bundle, its payload, its standalone page, the workshop rules
of its views, and ``onatool map``."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from onatool import Network
from onatool.cli import app
from onatool.errors import SuppressedError
from onatool.viz.layout import compute_layout
from onatool.viz.style import style_network
from onatool.viz.views import (
    MapRequest,
    build_change_map,
    build_map,
    filter_choices,
    filter_keep,
    node_people,
    withheld_levels,
)
from onatool.viz.webmap import (
    COMPONENT_DIR,
    bundle,
    graph_part,
    hidden_nodes,
    render_webmap,
    sources_record,
)
from tests.support.random_networks import random_network

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend" / "map"
PAYLOADS = ["</script><img src=x onerror=alert(1)>", '"><svg onload=alert(2)>', "<a href='x'>href</a>"]


# The bundle ------------------------------------------------------------------------------


def _sources_hash(files: list[str]) -> str:
    """The same digest as frontend/map/build.mjs."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0")
        digest.update((FRONTEND / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def test_bundle_is_shipped_and_built_from_the_current_source():
    record = sources_record()
    assert (COMPONENT_DIR / "webmap.js").stat().st_size > 50_000
    assert hashlib.sha256((COMPONENT_DIR / "webmap.js").read_bytes()).hexdigest() == record["bundle_sha256"]
    if not FRONTEND.exists():
        pytest.skip("frontend/ is not part of an installed package")
    files = [f"src/{p.name}" for p in sorted((FRONTEND / "src").iterdir())] + [
        "package.json", "package-lock.json", "build.mjs"]
    assert record["files"] == files, "a frontend source file was added or removed: run `make webmap`"
    assert record["sources_sha256"] == _sources_hash(files), "frontend/map changed: run `make webmap`"


def test_frontend_versions_are_pinned_exactly():
    package = json.loads((FRONTEND / "package.json").read_text())
    pins = {**package["dependencies"], **package["devDependencies"]}
    assert pins == {"sigma": "3.0.3", "graphology": "0.26.0", "esbuild": "0.28.2"}
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/sigma"]["version"] == "3.0.3"


def test_bundle_fetches_nothing_and_never_evaluates_text():
    text = bundle()
    assert not re.search(r"</script|<!--", text, re.IGNORECASE)
    assert "eval(" not in text and "new Function" not in text
    assert not re.search(r"\bfetch\(|XMLHttpRequest|WebSocket\(|importScripts|\.innerHTML\s*=", text)


def test_component_page_allows_only_its_own_script():
    page = (COMPONENT_DIR / "index.html").read_text()
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'none'" in csp
    assert "unsafe" not in csp
    assert re.findall(r"<script[^>]*>", page) == ['<script src="webmap.js">']
    assert sorted(p.name for p in COMPONENT_DIR.iterdir()) == ["index.html", "webmap.js", "webmap.sources.json"]


# Payload and page -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wave():
    net = random_network(120, seed=3, isolates=3)
    return net, compute_layout(net, seed=1)


def test_graph_part_addresses_nodes_by_position(wave):
    net, pos = wave
    data = style_network(net, pos, colour_by="organisation", workshop=False)
    graph = graph_part(data)
    assert len(graph["nodes"]["x"]) == net.n_people
    assert len(graph["edges"]["source"]) == len(data.edges)
    ids = [n["id"] for n in data.nodes]
    first = data.edges[0]
    assert (ids[graph["edges"]["source"][0]], ids[graph["edges"]["target"][0]]) == (first["from"], first["to"])


def test_standalone_page_keeps_survey_text_inert(wave):
    net, pos = wave
    people = net.people.copy()
    people["organisation"] = [PAYLOADS[i % 3] for i in range(len(people))]
    hostile = Network(people, net.ties, net.wave, net.relations)
    data = style_network(hostile, pos, colour_by="organisation", workshop=False, min_group_size=1,
                         labels=pd.Series(PAYLOADS[0], index=people.index))
    page = render_webmap(data, title=PAYLOADS[1])
    # Exactly two script elements: the JSON block and the bundle; the data never closes one.
    assert len(re.findall(r"<script", page)) == 2
    assert "<img src=x" not in page and "<svg onload" not in page
    block = re.search(r'<script type="application/json" id="onatool-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(block)["style"]["label"][0] == PAYLOADS[0]
    digest = hashlib.sha256(bundle().encode()).digest()
    import base64

    assert f"'sha256-{base64.b64encode(digest).decode()}'" in page
    assert "connect-src 'none'" in page and 'src="' not in page and "http://" not in page.split("<script>")[0]


def test_hidden_nodes_name_positions(wave):
    net, pos = wave
    data = style_network(net, pos, colour_by="organisation", workshop=False)
    keep = set(net.people.index[:10])
    hidden = hidden_nodes(data, keep)
    assert len(hidden) == net.n_people - 10
    assert all(data.nodes[i]["person_id"] not in keep for i in hidden)


# Views: workshop rules ----------------------------------------------------------------------


def _hospice_network() -> Network:
    people = {f"g{i}": {"organisation": "GP", "level": "middle" if i % 2 else "bottom"} for i in range(12)}
    people["ceo"] = {"organisation": "Hospice", "level": "top"}
    people.update({f"h{i}": {"organisation": "Hospice", "level": "bottom"} for i in range(7)})
    ids = list(people)
    edges = [(ids[i], ids[(i + 1) % len(ids)]) for i in range(len(ids))]
    return Network.from_edges(edges, people=people)


def test_workshop_levels_view_never_puts_the_only_top_in_the_tops_band():
    net = _hospice_network()
    pos = compute_layout(net, seed=0)
    hide = withheld_levels(net, "organisation", 5)
    assert set(net.people.index[hide]) == {"ceo", *(f"h{i}" for i in range(7))}
    data = build_map(net, pos, MapRequest(view="levels", colour_by="organisation", workshop=True, k=5))
    bands = {a["text"]: a["y"] for a in data.annotations}
    assert "Level not given or not shown" in bands
    hospice = [n for n in data.nodes if n["category"] == "Hospice"]
    assert len(hospice) == 8
    assert all(n["y"] > bands["Level not given or not shown"] for n in hospice)
    assert all("top" not in n["title"] and "bottom" not in n["title"] for n in hospice)
    assert {n["shape"] for n in hospice} == {"diamond"}
    # Outside workshop mode the analyst sees the real bands.
    analyst = build_map(net, pos, MapRequest(view="levels", colour_by="organisation", workshop=False))
    ceo = next(n for n in analyst.nodes if n["person_id"] == "ceo")
    assert ceo["shape"] == "triangle" and ceo["y"] < -300


def test_workshop_refuses_one_persons_network_and_score_filters(wave):
    net, pos = wave
    with pytest.raises(SuppressedError, match="singles that person out"):
        build_map(net, pos, MapRequest(view="ego", ego=net.people.index[0], workshop=True))
    with pytest.raises(SuppressedError):
        filter_keep(net, metric="x", metrics=pos, low=0, workshop=True)
    analyst = filter_keep(net, metric="x", metrics=pos, low=0.0, workshop=False)
    assert analyst.sum() == (pos["x"].reindex(net.people.index) >= 0).sum()


def test_workshop_filter_choices_merge_small_groups():
    net = _hospice_network()
    people = net.people.copy()
    people.loc["g0", "organisation"] = "Tiny"
    small = Network(people, net.ties, net.wave, net.relations)
    assert filter_choices(small, "organisation", workshop=True, k=5) == ["GP", "Hospice", "Other"]
    assert "Tiny" in filter_choices(small, "organisation", workshop=False, k=5)
    keep = filter_keep(small, attribute="organisation", values=("Other",), colour_by="organisation",
                       workshop=True, k=5)
    # g0 is the "Other" group; filtering by the colour itself tells nothing new, so nobody stays.
    assert list(small.people.index[keep]) == ["g0"] and keep.attrs["always_shown"] == 0
    # Filtering by the colour itself tells nothing new: it filters normally.
    by_colour = filter_keep(small, attribute="organisation", values=("GP",), colour_by="organisation",
                            workshop=True, k=5)
    assert set(small.people.index[by_colour]) == {f"g{i}" for i in range(1, 12)}


@pytest.mark.parametrize("workshop", [True, False])
def test_node_people_matches_the_drawn_nodes(wave, workshop):
    net, pos = wave
    request = MapRequest(view="people", colour_by="organisation", workshop=workshop, k=1)
    data = build_map(net, pos, request)
    order = node_people(net, pos, request)
    xy = pos.loc[order]
    assert [(n["x"], n["y"]) for n in data.nodes] == [
        (round(x, 2), round(y, 2)) for x, y in xy[["x", "y"]].to_numpy()]
    org = net.people.loc[order, "organisation"].astype(str).tolist()
    assert [n["category"] for n in data.nodes] == org


def test_change_map_draws_only_new_and_lost_ties():
    net = random_network(60, seed=2)
    status = pd.Series(["new", "lost", "stable"] * (net.n_ties // 3) + ["stable"] * (net.n_ties % 3))
    data = build_change_map(net, status, compute_layout(net, seed=0), MapRequest(workshop=False))
    drawn = net.ties[(status != "stable").to_numpy()]
    assert len(data.edges) == int((drawn["weight"] > 0).sum())
    assert {e["status"] for e in data.edges} == {"new", "lost"}
    assert any("kept tie" in n for n in data.notes)


# onatool map -----------------------------------------------------------------------------------


def test_map_command_writes_one_offline_page_and_names_only_privately(tmp_path, monkeypatch):
    monkeypatch.setenv("ONATOOL_HOME", str(tmp_path / "home"))
    roster, ties = ROOT / "sample_data" / "roster.csv", ROOT / "sample_data" / "ties_final.csv"
    out = tmp_path / "share" / "map.html"
    result = CliRunner().invoke(app, ["map", "--roster", str(roster), "--ties", str(ties), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    payload = json.loads(re.search(r'id="onatool-data">(.*?)</script>', page, re.S).group(1))
    assert payload["style"]["label"] is None and len(payload["graph"]["nodes"]["x"]) > 100
    assert "person_id" not in page and "names hidden" in result.output
    names = pd.read_csv(roster).filter(like="name").iloc[:, 0].dropna().astype(str)
    assert not any(name in page for name in names.head(20))
    assert not list((tmp_path / "home").rglob("private/**/*.html"))

    named = CliRunner().invoke(app, ["map", "--roster", str(roster), "--ties", str(ties), "--out", str(out),
                                     "--identifiable", "--user", "tester"])
    assert named.exit_code == 0, named.output
    private = list((tmp_path / "home").rglob("private/**/map.html"))
    assert len(private) == 1 and not private[0].is_relative_to(out.parent)
    assert any(name in private[0].read_text() for name in names.head(20))
    assert out.read_text().count('id="onatool-data"') == 1 and not any(name in out.read_text() for name in names.head(20))


def test_map_command_refuses_a_non_html_out(tmp_path):
    roster, ties = ROOT / "sample_data" / "roster.csv", ROOT / "sample_data" / "ties_final.csv"
    result = CliRunner().invoke(app, ["map", "--roster", str(roster), "--ties", str(ties),
                                      "--out", str(tmp_path / "map.png")])
    assert result.exit_code != 0 and "HTML" in (result.output + str(result.exception))


def test_withheld_levels_adds_the_next_smallest_level_until_k_are_withheld():
    people = {"top": {"organisation": "Trust", "level": "top"}}
    people.update({f"m{i}": {"organisation": "Trust", "level": "middle"} for i in range(6)})
    people.update({f"b{i}": {"organisation": "Trust", "level": "bottom"} for i in range(10)})
    net = Network.from_edges([("top", "m0")], people=people)
    hide = withheld_levels(net, "organisation", 5)
    assert set(net.people.index[hide]) == {"top", *(f"m{i}" for i in range(6))}
    assert not withheld_levels(net, "organisation", 1).any()


def test_workshop_filter_never_singles_out_a_small_combination():
    # The hospice's only top: filtering by level "top" must not show them alone in the hospice colour.
    base = _hospice_network()
    people = base.people.drop(columns="responded").to_dict("index")
    people.update({f"t{i}": {"organisation": "GP", "level": "top"} for i in range(5)})
    net = Network.from_edges([("t0", "ceo")], people=people)
    assert "top" in filter_choices(net, "level", workshop=True, k=5)
    keep = filter_keep(net, attribute="level", values=("top",), colour_by="organisation", workshop=True, k=5)
    shown = net.people[keep]
    assert "ceo" in shown.index and keep.attrs["always_shown"] == 7
    assert (shown["organisation"] == "Hospice").sum() == 8  # the whole hospice, whatever their level
    assert set(shown.index[shown["organisation"] == "GP"]) == {f"t{i}" for i in range(5)}  # filtered normally
    analyst = filter_keep(net, attribute="level", values=("top",), colour_by="organisation", workshop=False)
    assert set(net.people.index[analyst]) == {"ceo", *(f"t{i}" for i in range(5))}
