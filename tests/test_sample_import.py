"""The bundled sample imports to exactly what its generator planted."""

import json

import pytest

from onatool.errors import InputFormatError
from onatool.io import read_roster
from onatool.pseudonyms import pseudonym
from onatool.sample import SAMPLE_KEY, SAMPLE_WAVES, load_sample, roster_for_wave, sample_dir

TRUTH = json.loads((sample_dir() / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def waves():
    return {r.network.wave: r for r in load_sample()}


def ids(roster_ids):
    return {pseudonym(SAMPLE_KEY, i) for i in roster_ids}


@pytest.mark.parametrize("wave", list(SAMPLE_WAVES))
def test_people_respondents_and_ties_match_ground_truth(waves, wave):
    truth = TRUTH["summary"]["waves"][wave]
    result = waves[wave]
    net = result.network
    assert net.n_people == truth["people"]
    assert len(net.respondents) == truth["respondents"]
    assert set(net.respondents) == ids(TRUTH["respondents"][wave])
    for relation, facts in truth["relations"].items():
        layer = net.layer(relation)
        assert layer.n_ties == facts["ties"], relation
        never = net.ties[(net.ties["relation"] == relation) & (net.ties["weight"] == 0)]
        assert len(never) == facts["never_answers"], relation
    assert result.report.balanced()
    assert result.report.counts()["dropped"] == 0 and result.report.counts()["doubted"] == 0


def test_joiners_and_leavers_are_outside_the_waves_they_missed(waves):
    baseline, interim, final = (waves[w].network for w in SAMPLE_WAVES)
    joined_interim, joined_final = ids(TRUTH["joiners"]["interim"]), ids(TRUTH["joiners"]["final"])
    left_interim, left_final = ids(TRUTH["leavers"]["interim"]), ids(TRUTH["leavers"]["final"])
    assert not joined_interim & set(baseline.people.index) and joined_interim <= set(final.people.index)
    assert not joined_final & set(interim.people.index) and joined_final <= set(final.people.index)
    assert left_interim <= set(baseline.people.index) and not left_interim & set(interim.people.index)
    assert left_final <= set(interim.people.index) and not left_final & set(final.people.index)


def test_people_who_changed_carry_each_waves_organisation_and_level(waves):
    for roster_id in TRUTH["moved_organisation"]["interim"] + TRUTH["promoted"]["final"]:
        pid = pseudonym(SAMPLE_KEY, roster_id)
        seen = [(waves[w].network.people.loc[pid, "organisation"], waves[w].network.people.loc[pid, "level"])
                for w in SAMPLE_WAVES]
        assert len(set(seen)) == 2, roster_id
    moved = pseudonym(SAMPLE_KEY, TRUTH["moved_organisation"]["interim"][0])
    people = {w: waves[w].network.people for w in SAMPLE_WAVES}
    assert people["baseline"].loc[moved, "organisation"] != people["interim"].loc[moved, "organisation"]
    assert people["interim"].loc[moved, "organisation"] == people["final"].loc[moved, "organisation"]
    assert not {"changed_in", "earlier_organisation"} & set(people["final"].columns)


def test_roster_for_wave_refuses_an_unknown_wave():
    roster = read_roster(sample_dir() / "roster.csv", key=SAMPLE_KEY)
    with pytest.raises(InputFormatError, match="follow-up"):
        roster_for_wave(roster, "follow-up")


def test_people_who_named_nobody_still_responded(waves):
    for wave, roster_ids in TRUTH["planted_named_nobody"].items():
        net = waves[wave].network
        assert len(roster_ids) == 2
        for roster_id in roster_ids:
            pid = pseudonym(SAMPLE_KEY, roster_id)
            assert pid in net.respondents and not (net.ties["source"] == pid).any()


def test_no_names_in_the_network(waves):
    names = set(waves["baseline"].roster.identities["name"])
    people = waves["baseline"].network.people
    assert not names & set(people.astype(str).to_numpy().ravel())


def test_sample_project_only_on_first_start(tmp_path):
    from onatool.sample import SAMPLE_PROJECT, SAMPLE_PROJECT_2, ensure_sample_project
    from onatool.store import Workspace

    ws = Workspace(tmp_path / "w.sqlite")
    assert ensure_sample_project(ws) == SAMPLE_PROJECT
    assert [p.name for p in ws.projects()] == [SAMPLE_PROJECT, SAMPLE_PROJECT_2]  # the first place first
    assert [w.name for w in ws.waves(SAMPLE_PROJECT)] == ["baseline", "interim", "final"]
    assert ws.load_wave(SAMPLE_PROJECT_2, "baseline").n_people == 118
    assert ws.load_layout(SAMPLE_PROJECT) is not None
    # Each saved wave keeps its own people: a person who moved is in a different organisation.
    moved = TRUTH["moved_organisation"]["interim"][0]
    pid = pseudonym(ws.project_key(SAMPLE_PROJECT), moved)
    orgs = [ws.load_wave(SAMPLE_PROJECT, w).people.loc[pid, "organisation"] for w in ("baseline", "final")]
    assert orgs[0] != orgs[1]
    ws.create_project("Our place")
    ws.delete_project(SAMPLE_PROJECT)
    ws.delete_project(SAMPLE_PROJECT_2)
    assert ensure_sample_project(ws) is None and [p.name for p in ws.projects()] == ["Our place"]


def test_describe_sample_words_the_planted_story_from_the_data(waves):
    from onatool.sample import describe_sample

    text = "\n".join(describe_sample([waves[w].network for w in SAMPLE_WAVES]))
    summary = TRUTH["summary"]
    tops = ", ".join(f"{summary['waves'][w]['response_by_level']['top']['response_rate']:.0%}" for w in SAMPLE_WAVES)
    assert f"Tops answered least in every wave ({tops}," in text
    assert "North Fells Ambulance Service" in text
    for first, second in (("baseline", "interim"), ("interim", "final")):
        change = summary["change"][f"{first} to {second}"]
        assert f"{len(change['leavers'])} left, {len(change['joiners'])} joined" in text
    selection = summary["selection"]["Leadership programme 1"]
    assert (f"({selection['cohort_mean_in_degree']:.1f} against {selection['others_mean_in_degree']:.1f} people"
            in text)
    decay = summary["decay"]["Leadership programme 1"]
    assert (f"{decay['within_cohort']['share_kept']:.0%} of the new ties between participants were still "
            f"reported, against {decay['others']['share_kept']:.0%}") in text
    new = summary["change"]["baseline to interim"]["new_cross_org_ties"]
    assert f"{100 * new['within_cohort']['rate']:.1f} in 100 pairs of participants" in text
    # Worded as association: selection and spillover named, no causal verbs.
    assert "selection" in text and "spillover" in text and "association, not cause" in text
    lowered = text.lower()
    assert not [verb for verb in ("caused", "led to", "resulted in", "improved", "boosted", "because of the")
                if verb in lowered]
