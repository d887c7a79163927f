"""Every sentence onatool generates is true to its numbers (issue 12, part 5).

Quantifiers agree with the shares they describe; small counts are shown as counts; no
sentence claims a cause; advice and concern are worded the way they flow; reciprocity
of a relation that runs one way is not "higher is better"; upward voice is read on the
concern relation; findings name strengths as well as gaps, each with a workshop prompt
and the response behind it.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onatool import Network, schema
from onatool.metrics import analyse
from onatool.metrics.registry import (
    LOW_RESPONSE,
    REGISTRY,
    SMALL_BASE,
    SMALL_COUNT,
    better,
    relation_for,
    share_text,
)
from onatool.share.disclosure import Disclosure
from onatool.share.insights import TONES, insights, quantifier
from tests.share.sentences import check_not_causal, check_quantifiers, check_zero_percent

RELATIONS = ("advice", "concern", "trust", "collaboration")


# The one share rule ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(base=st.integers(1, 5000), data=st.data())
def test_a_share_never_hides_its_count(base, data):
    count = data.draw(st.integers(0, base))
    text = share_text(count=count, base=base)
    if count < SMALL_COUNT or base < SMALL_BASE:
        assert text == f"{count:,} of {base:,}"
    if count > 0:
        assert text not in ("0%", "0 of 0")
    if count < base:
        assert text != "100%"
    # The quantifier of the same share agrees with what is shown.
    check_quantifiers(f"{quantifier(count / base).capitalize()} the ties ({text}).")


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1, allow_nan=False))
def test_a_percentage_and_its_quantifier_agree(share):
    text = share_text(share)
    assert (text == "0%") == (share == 0)
    assert (text == "100%") == (share == 1)
    assert check_quantifiers(f"{quantifier(share).capitalize()} the ties: {text}.") == 1


def test_four_ties_are_shown_as_four_not_zero_percent():
    # 20 tops in 5 organisations of 4: 400 - 80 = 320 possible cross-organisation links,
    # 4 of them present: 1.25%, which a percentage would show as "1%" (and 2 as "0%").
    people = {f"t{o}{i}": {"organisation": f"Org{o}", "level": "top"} for o in "ABCDE" for i in range(4)}
    people.update({f"m{o}{i}": {"organisation": f"Org{o}", "level": "middle"} for o in "ABCDE" for i in range(2)})
    within = [(f"t{o}{i}", f"t{o}{j}") for o in "ABCDE" for i in range(4) for j in range(4) if i != j]
    across = [("tA0", "tB0"), ("tB0", "tC0"), ("tC0", "tD0"), ("tD0", "tE0")]
    net = Network.from_edges(within + across, people=people)
    tops = next(f for f in insights(net) if f.kind == "tops")
    assert "(4 of 320)" in tops.text, tops.text
    assert tops.text.startswith("Few of the possible links")
    assert not re.search(r"(?<!\d)[01]%", tops.text)
    check_quantifiers(tops.text)


# Every generated sentence ---------------------------------------------------------------------


def _random_network(seed: int, density: float, within: float, relation: str, answered: float) -> Network:
    rng = np.random.default_rng(seed)
    sizes = {o: int(rng.integers(3, 12)) for o in ("Acute", "Council", "Hospice", "GP")}
    ids = [f"{o}{i}" for o, n in sizes.items() for i in range(n)]
    org = {p: p.rstrip("0123456789") for p in ids}
    people = pd.DataFrame({
        "organisation": [org[p] for p in ids],
        "sector": ["NHS" if org[p] in ("Acute", "GP") else "Other" for p in ids],
        "level": rng.choice(["top", "middle", "bottom"], size=len(ids), p=[0.3, 0.3, 0.4]),
        "responded": rng.random(len(ids)) < answered,
    }, index=pd.Index(ids, name="person_id"))
    ties = [(a, b, relation) for a in ids for b in ids if a != b
            and rng.random() < 2 * density * (within if org[a] == org[b] else 1 - within)]
    return _network(people, ties)


def _network(people: pd.DataFrame | dict, rows: list[tuple[str, str, str]]) -> Network:
    """A wave with ties of the named relations, each relation as onatool defines it."""
    if isinstance(people, dict):
        people = pd.DataFrame.from_dict(people, orient="index").rename_axis("person_id")
    people = people.copy()
    if "responded" not in people.columns:
        people["responded"] = True
    ties = pd.DataFrame(rows, columns=[schema.SOURCE, schema.TARGET, schema.RELATION])
    ties[schema.WEIGHT] = 1.0
    ties[schema.RAW_VALUE] = "1"
    names = sorted(set(ties[schema.RELATION])) or ["advice"]
    return Network(people, ties[list(schema.TIE_COLUMNS)], wave="wave 1",
                   relations={n: schema.RELATIONS[n] for n in names})


def _all_text(finding) -> list[str]:
    return [finding.text, finding.note, finding.prompt, finding.response_text]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    density=st.floats(0.02, 0.3),
    within=st.floats(0.0, 1.0),
    relation=st.sampled_from(RELATIONS),
    answered=st.floats(0.3, 1.0),
    k=st.integers(1, 5),
)
def test_every_finding_is_true_to_its_numbers(seed, density, within, relation, answered, k):
    net = _random_network(seed, density, within, relation, answered)
    rng = np.random.default_rng(seed)
    analysis = SimpleNamespace(network={"reciprocity": float(rng.random())},
                               levels={"bottom_reach_to_top": {"value": float(rng.random())}},
                               params={"relation": relation})
    comparison = SimpleNamespace(
        summary={"stable": int(rng.integers(0, 30)), "lost": int(rng.integers(1, 30)),
                 "new": int(rng.integers(0, 30)), "new_cross_organisation": int(rng.integers(0, 9)),
                 "lost_cross_organisation": int(rng.integers(0, 9))},
    )
    s = comparison.summary
    s["jaccard"] = s["stable"] / (s["stable"] + s["lost"] + s["new"])
    people = net.people
    for finding in insights(net, analysis, comparison, disclosure=Disclosure(k=k)):
        for text in _all_text(finding):
            check_quantifiers(text)
            check_not_causal(text)
            check_zero_percent(text, finding.values.values())
        assert finding.tone in TONES and finding.prompt.endswith("?")
        # The response is over the people of the groups it is about (everyone if none).
        about = pd.Series(not finding.groups, index=people.index)
        rates = []
        for attribute, group in finding.groups:
            members = people[attribute].astype(str) == group
            about |= members
            rates.append(people.loc[members, "responded"].mean())
        rates = rates or [people["responded"].mean()]
        assert finding.response["people"] == int(about.sum())
        assert finding.response["respondents"] == int(people.loc[about, "responded"].sum())
        assert finding.low_response == any(r < LOW_RESPONSE for r in rates)


def test_the_sample_findings_demo_story_and_registry_claim_no_cause():
    from onatool.compare import compare_waves
    from onatool.sample import describe_sample, load_sample

    waves = [r.network for r in load_sample()]
    texts = list(describe_sample(waves))
    first, second = (w.layer("advice") for w in waves[:2])
    comparison = compare_waves([first, second], permutations=0)
    for finding in insights(second, analyse(waves[1], relation="advice"), comparison):
        texts += _all_text(finding)
    for spec in REGISTRY.values():
        texts += [spec.sentence, spec.statement, spec.undefined, spec.missing]
    assert len(texts) > 100
    for text in texts:
        check_not_causal(text)
        check_quantifiers(text)


def test_the_report_shows_prompts_and_response_and_claims_no_cause():
    from onatool.outputs.html import build_report
    from onatool.outputs.provenance import Provenance
    from onatool.sample import load_sample

    wave = load_sample()[0].network
    latest = wave.layer("advice")
    analysis = analyse(wave, relation="advice")
    html = build_report(latest, Provenance(wave.wave, relation="advice", created="2026-06-30"),
                        analysis=analysis, charts=False)
    assert "To discuss:" in html and "Rests on the answers of" in html
    assert "A strength" in html and "A gap to explore" in html
    check_not_causal(html)
    # Reciprocity of advice carries no "higher is better".
    row = html[html.index("<tr><td>Two-way relationships"):]
    row = row[:row.index("</tr>")]
    assert "higher is better" not in row and "When someone names a colleague" in row
    reach = html[html.index("<tr><td>Reach in two steps"):]
    assert "higher is better" in reach[:reach.index("</tr>")]  # the check can fail


# Direction of flow and the relation of each measure -------------------------------------------


def _ladder(relation: str, ties: list[tuple[str, str]], extra=()) -> Network:
    """Six people at each level in two organisations, tied by ``relation`` (and ``extra``)."""
    people = {f"{lv[0]}{i}": {"organisation": "A" if i % 2 else "B", "level": lv}
              for lv in ("top", "middle", "bottom") for i in range(6)}
    return _network(people, [(a, b, relation) for a, b in ties] + list(extra))


UPWARD = [(f"b{i}", f"m{i}") for i in range(6)] + [(f"m{i}", f"t{i}") for i in range(6)]


def test_advice_flows_from_the_person_named_and_concern_to_the_person_named():
    # Bottoms name middles who name tops. For advice, the tops' advice can reach the
    # bottoms; for a concern, the bottoms' concerns can reach the tops.
    advice = _ladder("advice", UPWARD)
    finding = next(f for f in insights(advice, analyse(advice)) if f.kind == "bottoms")
    assert finding.text.startswith("Advice from senior leaders (tops) can reach 100% of frontline")
    assert "not whether frontline voice travels up" in finding.note
    concern = _ladder("concern", UPWARD)
    finding = next(f for f in insights(concern, analyse(concern)) if f.kind == "bottoms")
    assert finding.text.startswith("100% of frontline staff (bottoms) could take a concern or an idea")
    assert finding.relation == "concern"


def test_upward_voice_is_read_on_concern_whatever_is_analysed():
    # Advice runs up the ladder; concerns only run down it (tops name bottoms): no voice.
    down = [(b, a, "concern") for a, b in UPWARD]
    net = _ladder("advice", UPWARD, extra=down)
    result = analyse(net, relation="advice")
    assert result.levels["bottom_reach_to_top"]["value"] == 1.0  # Oshry's measure: as analysed
    voice = result.health["bottom_reach_to_top"]
    assert voice["value"] == 0.0 and voice["relation"] == "concern"
    assert "Raise a concern or idea" in voice["relation_note"]
    finding = next(f for f in insights(net.layer("advice"), result) if f.kind == "bottoms")
    assert finding.values["bottom_reach_to_top"] == 0.0 and finding.tone == "gap"
    assert "could take a concern" in finding.text
    # Without a concern question it falls back to the relation analysed, and says so.
    alone = analyse(_ladder("advice", UPWARD), relation="advice").health["bottom_reach_to_top"]
    assert alone["relation"] == "advice" and alone["value"] == 1.0
    assert alone["relation_note"].startswith('This wave has no "Raise a concern or idea" question')
    assert relation_for("health.bottom_reach_to_top", ["advice", "concern"], "advice")[0] == "concern"
    assert relation_for("levels.bottom_reach_to_top", ["advice", "concern"], "advice")[0] == "advice"


@pytest.mark.parametrize(("relation", "expected"), [
    ("advice", None), ("concern", None), ("trust", "higher"), ("advice+trust", "higher"),
])
def test_reciprocity_is_better_higher_only_for_relations_that_run_both_ways(relation, expected):
    assert better("health.reciprocity", relation) == expected
    assert better("health.upward_reciprocity", relation) == expected
    assert better("health.two_step_reach", relation) == "higher"  # not a measure of returned ties


def test_the_dashboard_reads_reciprocity_direction_from_the_relation():
    ties = [("b0", "m0"), ("m0", "b0"), ("b1", "t1"), ("m1", "t1")]
    for relation, expected in (("advice", None), ("concern", None), ("trust", "higher")):
        board = analyse(_ladder(relation, ties), relation=relation).health
        assert board["reciprocity"]["better"] == expected
        assert board["upward_reciprocity"]["better"] == expected
    finding = next(f for f in insights(_ladder("advice", ties), analyse(_ladder("advice", ties)))
                   if f.kind == "reciprocity")
    assert "runs one way by nature" in finding.note and finding.tone == "neutral"


# Strengths, prompts and response ---------------------------------------------------------------


def test_a_well_mixed_partnership_gets_strengths_not_only_gaps():
    rng = np.random.default_rng(1)
    ids = [f"{o}{i}" for o in ("Acute", "Council", "VCSE") for i in range(8)]
    people = {p: {"organisation": p.rstrip("0123456789")} for p in ids}
    ties = [(a, b) for a in ids for b in ids if a != b and rng.random() < 0.3]
    found = insights(Network.from_edges(ties, people=people))
    tones = {f.kind: f.tone for f in found}
    assert tones["silos"] == "strength" and tones["bridges"] == "strength"
    assert all(f.prompt for f in found)


def test_a_finding_about_tops_carries_their_low_response():
    # 20 tops of whom 9 answered (45%); everyone else answered.
    people = pd.DataFrame({
        "organisation": [f"Org{i % 4}" for i in range(40)],
        "level": ["top"] * 20 + ["middle"] * 20,
        "responded": [i % 20 < 9 for i in range(20)] + [True] * 20,
    }, index=pd.Index([f"p{i}" for i in range(40)], name="person_id"))
    ties = [(f"p{i}", f"p{j}") for i in range(20) for j in range(20)
            if i != j and i % 4 == j % 4 and i < 9]
    found = insights(Network.from_edges(ties, people=people))
    tops = next(f for f in found if f.kind == "tops")
    assert tops.response == {"respondents": 9, "people": 20, "threshold": LOW_RESPONSE}
    assert tops.low_response
    assert tops.response_text.startswith("Rests on the answers of 9 of the 20 people it is about.")
    assert "Low response" in tops.response_text
    # A lower threshold lifts the flag; the data are the same.
    assert not next(f for f in insights(Network.from_edges(ties, people=people), low_response=0.4)
                    if f.kind == "tops").low_response
    assert tops.as_dict()["low_response"] is True and tops.as_dict()["prompt"]


def test_every_relation_says_which_way_it_carries_and_every_measure_relation_exists():
    for relation in schema.RELATIONS.values():
        assert relation.flow in ("to_namer", "to_named", "both", "")
        assert (relation.flow == "both") == relation.symmetric, relation.name
    assert schema.RELATIONS["advice"].flow == "to_namer"  # the named person gives the advice
    assert schema.RELATIONS["concern"].flow == "to_named"  # the namer raises it with the named
    own = {spec.key: spec.relation for spec in REGISTRY.values() if spec.relation}
    assert own == {"health.bottom_reach_to_top": "concern"}
    assert all(relation in schema.RELATIONS for relation in own.values())
