"""The metric registry is the one home of the plain-language words.

The metric modules, the report and the pages read each measure's sentence, heading and
value-in-words from :mod:`onatool.metrics.registry`; no copy of those words lives
anywhere else in the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from ona_networks import random_network

from onatool.metrics import analyse, health, levels
from onatool.metrics.registry import REGISTRY, describe, heading, label, statement
from onatool.outputs.html import report_context
from onatool.outputs.provenance import Provenance

PACKAGE = Path(__file__).resolve().parents[2] / "onatool"


@pytest.fixture(scope="module")
def net():
    return random_network(40, 120, seed=5)


def test_levels_and_health_speak_the_registrys_words(net):
    report = levels.levels(net)
    assert set(report) == set(levels.MEASURES)
    for name, entry in report.items():
        assert entry["meaning"] == describe(f"levels.{name}")
        assert entry["sentence"] == statement(f"levels.{name}", entry["value"])
    board = health.health(net)
    for name, entry in board.items():
        measure, _, attribute = name.partition("_")
        for key in (f"health.{name}", *(f"health.{name.removesuffix('_' + a)}" for a in net.attributes)):
            if key in REGISTRY:
                attribute = name.removeprefix(key.removeprefix("health.") + "_") if REGISTRY[key].per_attribute else None
                assert entry["meaning"] == describe(key, attribute), name
                assert "{" not in entry["meaning"]
                break
        else:
            pytest.fail(f"health indicator {name!r} has no registry entry")


def test_the_report_uses_the_registrys_headings_and_sentences(net):
    analysis = analyse(net, seed=0)
    context = report_context(net, Provenance(net.wave), analysis=analysis, charts=False)
    facts = {f["label"]: f["note"] for f in context["facts"]}
    assert facts[label("network.density")] == describe("network.density")
    assert facts[label("network.reciprocity")] == describe("network.reciprocity")
    if context["levels"]:
        names = {row["name"] for row in context["levels"]["rows"]}
        assert names <= {spec.label for key, spec in REGISTRY.items() if key.startswith("levels.")}
    health_names = {row["name"] for row in context["health"] or []}
    assert health_names <= {heading(name, "health") for name in analysis.health}


def test_headings_name_the_attribute():
    assert heading("boundary_crossing_profession", "health") == "Ties crossing profession boundaries"
    assert describe("health.inclusion", "place").startswith("For each place:")
    assert "{attribute}" not in REGISTRY["health.inclusion"].sentence


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(" ".join(node.value.split()))
        if isinstance(node, ast.JoinedStr):
            found.append(" ".join("".join(
                v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)).split()))
    return found


def test_no_copy_of_a_registry_sentence_lives_elsewhere():
    words = {spec.sentence for spec in REGISTRY.values()} | {spec.statement for spec in REGISTRY.values()}
    words = {w for w in words if len(w.split()) >= 6}
    copies = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "registry.py":
            continue
        text = " ".join(_literals(path))
        copies += [f"{path.relative_to(PACKAGE)}: {w!r}" for w in words if w in text]
    for template in PACKAGE.rglob("*.j2"):
        text = " ".join(template.read_text(encoding="utf-8").split())
        copies += [f"{template.relative_to(PACKAGE)}: {w!r}" for w in words if w in text]
    assert not copies, "\n".join(copies)
