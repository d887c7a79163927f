"""The bundled sample imports to exactly what its generator planted."""

import json

import pytest

from onatool.pseudonyms import pseudonym
from onatool.sample import SAMPLE_KEY, load_sample, sample_dir

TRUTH = json.loads((sample_dir() / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def waves():
    return {r.network.wave: r for r in load_sample()}


@pytest.mark.parametrize("wave", ["baseline", "follow-up"])
def test_people_respondents_and_ties_match_ground_truth(waves, wave):
    truth = TRUTH["summary"]["waves"][wave]
    result = waves[wave]
    net = result.network
    assert net.n_people == truth["people"]
    assert len(net.respondents) == truth["respondents"]
    assert set(net.respondents) == {pseudonym(SAMPLE_KEY, i) for i in TRUTH["respondents"][wave]}
    for relation, facts in truth["relations"].items():
        layer = net.layer(relation)
        assert layer.n_ties == facts["ties"], relation
        never = net.ties[(net.ties["relation"] == relation) & (net.ties["weight"] == 0)]
        assert len(never) == facts["never_answers"], relation
    assert result.report.balanced()
    assert result.report.counts()["dropped"] == 0 and result.report.counts()["doubted"] == 0


def test_joiners_and_leavers_are_outside_the_waves_they_missed(waves):
    baseline, follow_up = waves["baseline"].network, waves["follow-up"].network
    joiners = {pseudonym(SAMPLE_KEY, i) for i in TRUTH["joiners"]}
    leavers = {pseudonym(SAMPLE_KEY, i) for i in TRUTH["leavers"]}
    assert not joiners & set(baseline.people.index) and joiners <= set(follow_up.people.index)
    assert not leavers & set(follow_up.people.index) and leavers <= set(baseline.people.index)


def test_people_who_named_nobody_still_responded(waves):
    for wave, ids in (("baseline", ["NM0039", "NM0138"]), ("follow-up", ["NM0063", "NM0196"])):
        net = waves[wave].network
        for roster_id in ids:
            pid = pseudonym(SAMPLE_KEY, roster_id)
            assert pid in net.respondents and not (net.ties["source"] == pid).any()


def test_no_names_in_the_network(waves):
    names = set(waves["baseline"].roster.identities["name"])
    people = waves["baseline"].network.people
    assert not names & set(people.astype(str).to_numpy().ravel())


def test_sample_project_only_on_first_start(tmp_path):
    from onatool.sample import SAMPLE_PROJECT, ensure_sample_project
    from onatool.store import Workspace

    ws = Workspace(tmp_path / "w.sqlite")
    assert ensure_sample_project(ws) == SAMPLE_PROJECT
    assert [w.name for w in ws.waves(SAMPLE_PROJECT)] == ["baseline", "follow-up"]
    assert ws.load_layout(SAMPLE_PROJECT) is not None
    ws.create_project("Our place")
    ws.delete_project(SAMPLE_PROJECT)
    assert ensure_sample_project(ws) is None and [p.name for p in ws.projects()] == ["Our place"]
