"""Map views: filters, ego networks, level bands, organisations and highlights."""

import pandas as pd
import pytest

from onatool import NotDefinedError
from onatool.metrics import analyse
from onatool.sample import load_sample
from onatool.viz.layout import compute_layout
from onatool.viz.views import MapRequest, boundary_spanners, build_map


@pytest.fixture(scope="module")
def wave():
    results = load_sample()
    layer = results[-1].network.layer("advice")
    positions = compute_layout([r.network for r in results], seed=0)
    return layer, positions, analyse(layer).people


def test_filters_keep_only_the_chosen_people(wave):
    net, positions, metrics = wave
    tops = build_map(net, positions, MapRequest(levels=("top",)), metrics=metrics)
    assert len(tops.nodes) == int((net.people["level"] == "top").sum())
    acute = net.people["organisation"].value_counts().index[0]
    one = build_map(net, positions, MapRequest(organisations=(acute,), workshop=False), metrics=metrics)
    assert len(one.nodes) == int((net.people["organisation"] == acute).sum())


def test_positions_do_not_move_when_a_filter_changes(wave):
    net, positions, metrics = wave
    everyone = build_map(net, positions, MapRequest(workshop=False), metrics=metrics)
    cohort = build_map(net, positions, MapRequest(cohort_only=True, workshop=False), metrics=metrics)
    where = {n["person_id"]: (n["x"], n["y"]) for n in everyone.nodes}
    assert all(where[n["person_id"]] == (n["x"], n["y"]) for n in cohort.nodes)


def test_ego_view_needs_a_person_and_marks_them(wave):
    net, positions, metrics = wave
    with pytest.raises(NotDefinedError, match="choose a person"):
        build_map(net, positions, MapRequest(view="ego"))
    person = metrics["degree"].idxmax()
    one_step = build_map(net, positions, MapRequest(view="ego", ego=person, workshop=False))
    two_steps = build_map(net, positions, MapRequest(view="ego", ego=person, steps=2, workshop=False))
    assert len(one_step.nodes) == metrics.loc[person, "degree"] + 1
    assert len(two_steps.nodes) > len(one_step.nodes)
    centre = [n for n in one_step.nodes if n["person_id"] == person][0]
    assert centre["borderWidth"] > min(n["borderWidth"] for n in one_step.nodes)


def test_levels_view_puts_tops_above_bottoms(wave):
    net, positions, metrics = wave
    data = build_map(net, positions, MapRequest(view="levels", workshop=False))
    level = net.people["level"]
    y = {n["person_id"]: n["y"] for n in data.nodes}
    assert max(y[p] for p in level.index[level == "top"]) < min(y[p] for p in level.index[level == "bottom"])
    assert [a["text"] for a in data.annotations][:3] == ["Tops", "Middles", "Bottoms"]


def test_organisation_view_has_one_node_per_organisation(wave):
    net, positions, _ = wave
    data = build_map(net, positions, MapRequest(view="organisations", workshop=False))
    assert len(data.nodes) == net.people["organisation"].nunique()


def test_highlights_mark_spanners_and_brokers(wave):
    net, positions, metrics = wave
    for kind, measure in (("spanners", "external"), ("brokers", "liaison")):
        data = build_map(net, positions, MapRequest(highlight=kind, workshop=False), metrics=metrics)
        marked = {n["person_id"] for n in data.nodes if n["borderWidth"] == max(m["borderWidth"] for m in data.nodes)}
        assert marked == set(boundary_spanners(metrics, measure=measure))
        assert any("top 5%" in e["label"] for e in data.legend)


def test_boundary_spanners_never_includes_a_zero_score():
    metrics = pd.DataFrame({"external_organisation": [0, 0, 0, 1]}, index=list("abcd"))
    assert list(boundary_spanners(metrics, share=0.75)) == ["d"]
