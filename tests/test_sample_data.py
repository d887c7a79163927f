"""The bundled synthetic partnership: reproducible, well formed, and with its patterns in place.

The planted figures are recomputed here from the committed CSV files with plain Python sets
and loops, independently of the numpy code in ``sample_data/generate.py``, and compared
with ``ground_truth.json``; then each planted pattern is checked against its threshold.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from itertools import product
from pathlib import Path

import pandas as pd
import pytest

from onatool import schema

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
FILES = ("roster.csv", "ties_baseline.csv", "ties_interim.csv", "ties_final.csv", "forums.csv", "ground_truth.json")
WAVES = {"baseline": "ties_baseline.csv", "interim": "ties_interim.csv", "final": "ties_final.csv"}
PAIRS = [("baseline", "interim"), ("interim", "final")]
COHORTS = ("Leadership programme 1", "Leadership programme 2")
EARLIER = ("earlier_organisation", "earlier_sector", "earlier_level", "earlier_team")
FREQUENCY = ("Never", "Yearly", "Quarterly", "Monthly", "Weekly", "Daily")


def _load_generator():
    # sample_data is not a package: load the script from its path. Registering it in
    # sys.modules first lets its dataclasses resolve their own module.
    spec = importlib.util.spec_from_file_location("onatool_sample_generate", SAMPLE_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def sample(gen):
    return gen.generate(2026)


@pytest.fixture(scope="module")
def roster() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DIR / "roster.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def ties() -> dict[str, pd.DataFrame]:
    return {
        wave: pd.read_csv(SAMPLE_DIR / file, dtype=str, keep_default_na=False)
        for wave, file in WAVES.items()
    }


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((SAMPLE_DIR / "ground_truth.json").read_text(encoding="utf-8"))


# Reproducibility -------------------------------------------------------------------------


def test_same_seed_gives_identical_sample(gen, sample):
    again = gen.generate(2026)
    pd.testing.assert_frame_equal(sample.roster, again.roster)
    for wave in WAVES:
        pd.testing.assert_frame_equal(sample.ties[wave], again.ties[wave])
    assert sample.truth == again.truth


def test_committed_files_are_exactly_what_the_generator_writes(gen, sample, tmp_path):
    gen.write(sample, tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), (
            f"sample_data/{name} has drifted from generate.py: "
            "run `python sample_data/generate.py` and commit the result"
        )


def test_command_line_writes_the_same_as_generate_and_write(gen, tmp_path):
    assert gen.main(["--seed", "7", "--out", str(tmp_path / "cli")]) == 0
    gen.write(gen.generate(7), tmp_path / "api")
    for name in FILES:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes()


def test_different_seeds_give_different_samples(gen, sample):
    other = gen.generate(7)
    assert set(other.roster["name"]) != set(sample.roster["name"])
    assert not other.ties["baseline"].equals(sample.ties["baseline"])
    assert other.truth["boundary_spanners"] != sample.truth["boundary_spanners"]


# Roster ----------------------------------------------------------------------------------


def members(roster: pd.DataFrame, wave: str) -> pd.DataFrame:
    """The people in ``wave``, with organisation, sector, level and team as at that wave."""
    order = list(WAVES)
    rows = []
    for row in roster.to_dict("records"):
        listed = [w for w in row["waves"].split(";") if w]
        if listed and wave not in listed:
            continue
        if row["changed_in"] and order.index(wave) < order.index(row["changed_in"]):
            for column in EARLIER:
                row[column.removeprefix("earlier_")] = row[column]
        rows.append(row)
    return pd.DataFrame(rows)


def test_roster_columns_are_canonical_plus_team_waves_and_changes(roster):
    canonical = [c for c in schema.ROSTER_COLUMNS if c != schema.ACTOR_TYPE]  # the sample's people are all staff
    assert tuple(roster.columns) == (*canonical, "team", "waves", "changed_in", *EARLIER)


def test_roster_people_are_distinct_and_plausible(roster):
    assert len(roster) == 250 + 48  # the baseline's 250 and the joiners of the two later waves
    assert roster["id"].is_unique and roster["id"].str.fullmatch(r"NM\d{4}").all()
    assert roster["name"].is_unique and roster["email"].is_unique
    assert roster["email"].str.fullmatch(r"[a-z-]+\.[a-z-]+@[a-z0-9.-]+\.example").all()
    # Names an import must keep intact: accents, apostrophes, hyphens.
    assert roster["name"].str.contains(r"[^\x00-\x7f]").any()
    assert roster["name"].str.contains("'").any()
    assert roster["name"].str.contains("-").any()
    assert {"Zoë O'Neill", "Anne-Marie Kowalczyk"} <= set(roster["name"])
    assert roster["team"].ne("").all()


def test_roster_email_follows_the_name(roster):
    zoe = roster.loc[roster["name"] == "Zoë O'Neill", "email"].item()
    assert zoe.startswith("zoe.oneill@")
    anne = roster.loc[roster["name"] == "Anne-Marie Kowalczyk", "email"].item()
    assert anne.startswith("anne-marie.kowalczyk@")


@pytest.mark.parametrize("wave", list(WAVES))
def test_organisations_sectors_levels_and_places(roster, wave):
    people = members(roster, wave)
    assert len(people) == 250
    sizes = people["organisation"].value_counts()
    assert len(sizes) == 13
    assert sizes.index[0] == "Northmoor Hospitals NHS Foundation Trust" and 40 <= sizes.iloc[0] <= 50
    names = " ".join(sizes.index)
    for partner in ("Integrated Care Board", "Ambulance", "Pharmacy", "elected members", "VCSE", "Hospice"):
        assert partner in names, partner
    assert set(people["sector"]) == {
        "ICB and commissioning", "NHS trust", "Primary care", "Local authority", "Elected members",
        "Voluntary and community", "Housing", "Hospice",
    }
    assert people.groupby("organisation")["sector"].nunique().eq(1).all()
    shares = people["level"].value_counts(normalize=True)
    assert shares["top"] == pytest.approx(0.09, abs=0.03)
    assert shares["middle"] == pytest.approx(0.30, abs=0.04)
    assert shares["bottom"] == pytest.approx(0.61, abs=0.04)
    # Every organisation has a top; several have exactly one (small groups for suppression).
    tops_per_org = people[people["level"] == "top"].groupby("organisation").size()
    assert set(tops_per_org.index) == set(sizes.index)
    assert (tops_per_org == 1).sum() >= 4
    assert set(people["place"]) == {"North", "Central", "South"}
    assert people["profession"].nunique() >= 10


def test_two_nominated_cohorts_more_senior_than_the_rest(roster, truth):
    cohort = roster[roster["cohort"] != ""]
    assert set(cohort["cohort"]) == set(COHORTS)
    for name in COHORTS:
        mine = cohort[cohort["cohort"] == name]
        assert len(mine) == 20 and sorted(mine["id"]) == truth["cohorts"][name]
        assert mine["organisation"].nunique() >= 7
        assert mine["organisation"].value_counts().max() <= 3
        senior = mine["level"].isin(["top", "middle"]).mean()
        assert senior > roster["level"].isin(["top", "middle"]).mean()
        # Participants are in all three waves, and none changed organisation or level.
        assert (mine["waves"] == "").all() and (mine["changed_in"] == "").all()


def test_planted_people_are_on_the_roster_and_do_not_overlap(roster, truth):
    later = ("interim", "final")
    groups = [set(truth["boundary_spanners"]), *(set(v) for v in truth["cohorts"].values())]
    for key in ("leavers", "joiners", "promoted", "moved_organisation"):
        groups += [set(truth[key][w]) for w in later]
    assert all(g <= set(roster["id"]) for g in groups)
    assert sum(map(len, groups)) == len(set().union(*groups))
    assert 6 <= len(truth["boundary_spanners"]) <= 8
    organisation = roster.set_index("id")["organisation"]
    assert organisation[truth["boundary_spanners"]].is_unique
    for wave in later:
        # About 10% a year: 24 leave and 24 join of 250; 3 promoted and 2 moved.
        assert len(truth["leavers"][wave]) == len(truth["joiners"][wave]) == 24
        assert len(truth["promoted"][wave]) == 3 and len(truth["moved_organisation"][wave]) == 2


def test_roster_records_when_people_changed(roster, truth):
    by_id = roster.set_index("id")
    for wave in ("interim", "final"):
        promoted = by_id.loc[truth["promoted"][wave]]
        assert (promoted["changed_in"] == wave).all()
        assert (promoted["level"] == "middle").all() and (promoted["earlier_level"] == "bottom").all()
        assert (promoted["organisation"] == promoted["earlier_organisation"]).all()
        moved = by_id.loc[truth["moved_organisation"][wave]]
        assert (moved["changed_in"] == wave).all()
        assert (moved["organisation"] != moved["earlier_organisation"]).all()
    changed = roster[roster["changed_in"] != ""]
    assert len(changed) == 10
    unchanged = roster[roster["changed_in"] == ""]
    assert (unchanged[list(EARLIER)] == "").all().all()
    assert set(roster["waves"]) == {"", "baseline", "baseline;interim", "interim;final", "final"}


# Ties ------------------------------------------------------------------------------------


def test_tie_files_are_canonical_long_format(ties):
    for wave, table in ties.items():
        assert tuple(table.columns) == (*schema.TIE_COLUMNS, schema.WAVE)
        assert set(table["wave"]) == {wave}


@pytest.mark.parametrize("wave", list(WAVES))
def test_ties_are_valid(ties, roster, wave):
    table = ties[wave]
    named = table[table["target"] != ""]
    present = set(members(roster, wave)["id"])
    assert set(table["source"]) <= present
    assert set(named["target"]) <= present
    assert (named["source"] != named["target"]).all()
    assert not named.duplicated(["source", "target", "relation"]).any()
    assert set(named["relation"]) == {"advice", "collaboration", "trust", "concern"}
    assert set(named["relation"]) <= set(schema.RELATIONS)


@pytest.mark.parametrize("wave", list(WAVES))
def test_answers_respect_their_scales(ties, wave):
    named = ties[wave][ties[wave]["target"] != ""]
    yes_no = named[named["relation"] != "collaboration"]
    assert (yes_no["weight"] == "1").all() and (yes_no["raw_value"] == "Yes").all()
    collab = named[named["relation"] == "collaboration"]
    assert collab["raw_value"].isin(FREQUENCY).all()
    assert (collab["weight"].astype(int) == collab["raw_value"].map(FREQUENCY.index)).all()
    # The scale agrees with onatool's canonical frequency scale.
    assert (collab["weight"].astype(float)
            == collab["raw_value"].str.lower().map(schema.FREQUENCY_SCALE)).all()
    never = collab[collab["raw_value"] == "Never"]
    assert 0 < len(never) < 0.1 * len(collab)
    assert (never["weight"] == "0").all()


@pytest.mark.parametrize("wave", list(WAVES))
def test_only_respondents_send_and_blank_marker_means_named_nobody(ties, truth, wave):
    table = ties[wave]
    respondents = set(truth["respondents"][wave])
    assert set(table["source"]) == respondents  # non-respondents send no rows
    marker = table[table["target"] == ""]
    assert (marker[["relation", "weight", "raw_value"]] == "").all().all()
    assert marker["source"].is_unique
    assert not set(marker["source"]) & set(table.loc[table["target"] != "", "source"])
    assert sorted(marker["source"]) == truth["summary"]["waves"][wave]["named_nobody"]
    assert set(truth["planted_named_nobody"][wave]) <= set(marker["source"])


def test_response_drifts_down_and_is_not_the_same_people(roster, truth):
    answered = {w: set(truth["respondents"][w]) for w in WAVES}
    rates = []
    for wave in WAVES:
        present = set(members(roster, wave)["id"])
        assert answered[wave] <= present
        rates.append(len(answered[wave]) / len(present))
    assert rates == pytest.approx([0.78, 0.712, 0.66], abs=0.005)
    for first, second in PAIRS:
        assert answered[first] - answered[second] and answered[second] - answered[first]


def test_response_by_level_and_organisation(roster, truth):
    for wave in WAVES:
        people = members(roster, wave)
        answered = people["id"].isin(truth["respondents"][wave])
        by_level = answered.groupby(people["level"]).mean()
        expected = truth["summary"]["waves"][wave]["response_by_level"]
        assert {k: round(v, 4) for k, v in by_level.items()} == {
            k: v["response_rate"] for k, v in expected.items()}
        assert by_level["top"] < by_level["middle"] and by_level["top"] < by_level["bottom"]
        by_org = answered.groupby(people["organisation"]).mean()
        expected = truth["summary"]["waves"][wave]["response_by_organisation"]
        assert {k: round(v, 4) for k, v in by_org.items()} == {k: v["response_rate"] for k, v in expected.items()}


def test_leavers_and_joiners_are_absent_from_the_wave_they_miss(ties, truth):
    def people_in(table):
        return set(table["source"]) | set(table["target"])

    for first, second in PAIRS:
        assert not set(truth["leavers"][second]) & people_in(ties[second])
        assert set(truth["leavers"][second]) & people_in(ties[first])
        assert not set(truth["joiners"][second]) & people_in(ties[first])
        assert set(truth["joiners"][second]) & people_in(ties[second])


def test_ground_truth_is_written_with_sorted_keys(truth):
    text = (SAMPLE_DIR / "ground_truth.json").read_text(encoding="utf-8")
    assert text == json.dumps(truth, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert truth["seed"] == 2026
    assert [(w["label"], w["date"]) for w in truth["waves"]] == [
        ("baseline", "2025-11"), ("interim", "2026-11"), ("final", "2027-11")]


# Planted patterns, recomputed independently ------------------------------------------------


class Wave:
    """One wave of the committed files, held as plain Python sets."""

    def __init__(self, roster: pd.DataFrame, table: pd.DataFrame, wave: str):
        people = members(roster, wave)
        self.ids = list(people["id"])
        self.org = dict(zip(people["id"], people["organisation"], strict=True))
        self.level = dict(zip(people["id"], people["level"], strict=True))
        self.sector = dict(zip(people["id"], people["sector"], strict=True))
        positive = table[(table["target"] != "") & (table["weight"] != "0")]
        self.rows = positive
        advice = positive[positive["relation"] == "advice"]
        self.arcs = set(zip(advice["source"], advice["target"], strict=True))
        self.out: dict[str, set[str]] = {i: set() for i in self.ids}
        for s, t in self.arcs:
            self.out[s].add(t)

    def cross(self, s: str, t: str) -> bool:
        return self.org[s] != self.org[t]

    def density(self, from_level: str, to_level: str, same_org: bool) -> float:
        pairs = [
            (s, t) for s, t in product(self.ids, self.ids)
            if s != t and self.level[s] == from_level and self.level[t] == to_level
            and (self.org[s] == self.org[t]) == same_org
        ]
        return sum((s, t) in self.arcs for s, t in pairs) / len(pairs)

    def cross_contacts(self, i: str) -> set[str]:
        return {t for s, t in self.arcs if s == i and self.cross(s, t)} | {
            s for s, t in self.arcs if t == i and self.cross(s, t)}


@pytest.fixture(scope="module")
def waves(roster, ties) -> dict[str, Wave]:
    return {wave: Wave(roster, ties[wave], wave) for wave in WAVES}


def _share_touching(w: Wave, group: set[str]) -> float:
    cross = [(s, t) for s, t in w.arcs if w.cross(s, t)]
    return sum(s in group or t in group for s, t in cross) / len(cross)


@pytest.mark.parametrize("wave", list(WAVES))
def test_recomputed_figures_match_ground_truth(waves, truth, wave):
    w, expected = waves[wave], truth["summary"]["waves"][wave]
    advice = expected["advice"]
    close = {"abs": 1e-4}  # the ground truth is rounded to 4 decimals

    answered = set(truth["respondents"][wave])
    assert expected["people"] == len(w.ids) and expected["respondents"] == len(answered)
    for relation, figures in expected["relations"].items():
        rows = w.rows[w.rows["relation"] == relation]
        assert figures["ties"] == len(rows)
        assert figures["mean_out_degree_of_respondents"] == pytest.approx(len(rows) / len(answered), **close)

    external = sum(w.cross(s, t) for s, t in w.arcs)
    internal = len(w.arcs) - external
    assert advice["ei_organisation"] == pytest.approx((external - internal) / len(w.arcs), **close)

    cross_ties = dict.fromkeys(w.ids, 0)
    for s, t in w.arcs:
        if w.cross(s, t):
            cross_ties[s] += 1
            cross_ties[t] += 1
    top_5pct = sorted(w.ids, key=lambda i: (-cross_ties[i], i))[: math.ceil(0.05 * len(w.ids))]
    assert advice["top_5pct_people"] == sorted(top_5pct)
    assert advice["cross_org_share_top_5pct"] == pytest.approx(_share_touching(w, set(top_5pct)), **close)
    spanners = set(truth["boundary_spanners"])
    assert advice["cross_org_share_boundary_spanners"] == pytest.approx(_share_touching(w, spanners), **close)

    contacts = {i: len(w.cross_contacts(i)) for i in w.ids}
    primary = [contacts[i] for i in w.ids if w.sector[i] == "Primary care"]
    others = [contacts[i] for i in w.ids if w.sector[i] != "Primary care"]
    assert advice["mean_cross_org_contacts_primary_care"] == pytest.approx(sum(primary) / len(primary), **close)
    assert advice["mean_cross_org_contacts_others"] == pytest.approx(sum(others) / len(others), **close)

    assert advice["top_top_density_cross_org"] == pytest.approx(w.density("top", "top", False), **close)
    assert advice["top_top_density_same_org"] == pytest.approx(w.density("top", "top", True), **close)
    assert advice["middle_middle_density_cross_org"] == pytest.approx(w.density("middle", "middle", False), **close)

    tops = {i for i in w.ids if w.level[i] == "top"}
    bottoms = [i for i in w.ids if w.level[i] == "bottom"]
    reaches = {b for b in bottoms if (w.out[b] | {k for j in w.out[b] for k in w.out[j]}) & tops}
    assert advice["bottom_reach_to_top"] == pytest.approx(len(reaches) / len(bottoms), **close)

    mutual = sum((t, s) in w.arcs for s, t in w.arcs)
    assert advice["reciprocity"] == pytest.approx(mutual / len(w.arcs), **close)


@pytest.mark.parametrize("first, second", PAIRS)
def test_recomputed_change_matches_ground_truth(waves, truth, first, second):
    change = truth["summary"]["change"][f"{first} to {second}"]
    b, f = waves[first], waves[second]
    assert change["joiners"] == sorted(set(f.ids) - set(b.ids)) == truth["joiners"][second]
    assert change["leavers"] == sorted(set(b.ids) - set(f.ids)) == truth["leavers"][second]
    both = set(truth["respondents"][first]) & set(truth["respondents"][second]) & set(b.ids) & set(f.ids)

    def among_both(arcs):
        return {(s, t) for s, t in arcs if s in both and t in both}

    a1, a2 = among_both(b.arcs), among_both(f.arcs)
    assert (change["advice_stable"], change["advice_lost"], change["advice_new"]) == (
        len(a1 & a2), len(a1 - a2), len(a2 - a1))
    assert change["advice_jaccard_respondents_in_both_waves"] == pytest.approx(
        len(a1 & a2) / len(a1 | a2), abs=1e-4)

    cohort = set(truth["cohorts"][COHORTS[PAIRS.index((first, second))]])
    counts = {"within_cohort": 0, "cohort_and_others": 0, "others": 0}
    for s, t in a2 - a1:
        if f.cross(s, t):
            ends = (s in cohort) + (t in cohort)
            counts[("others", "cohort_and_others", "within_cohort")[ends]] += 1
    assert {k: v["new_ties"] for k, v in change["new_cross_org_ties"].items()} == counts


def test_recomputed_selection_matches_ground_truth(waves, truth):
    for name, run in truth["cohort_runs"].items():
        w = waves[run["nominated_in"]]
        cohort = set(truth["cohorts"][name])
        in_degree = {i: sum(1 for s, t in w.arcs if t == i) for i in w.ids}
        mine = [in_degree[i] for i in w.ids if i in cohort]
        theirs = [in_degree[i] for i in w.ids if i not in cohort]
        figures = truth["summary"]["selection"][name]
        assert figures["cohort_mean_in_degree"] == pytest.approx(sum(mine) / len(mine), abs=1e-4)
        assert figures["others_mean_in_degree"] == pytest.approx(sum(theirs) / len(theirs), abs=1e-4)


def test_planted_patterns_hold_in_the_committed_sample(truth):
    summary = truth["summary"]
    for wave in summary["waves"].values():
        advice, relations = wave["advice"], wave["relations"]
        # Mean advice out-degree about 6-10; collaboration similar; trust and concern fewer.
        assert 6 <= relations["advice"]["mean_out_degree_of_respondents"] <= 10
        assert 6 <= relations["collaboration"]["mean_out_degree_of_respondents"] <= 12
        assert relations["trust"]["mean_out_degree_of_respondents"] < relations["advice"]["mean_out_degree_of_respondents"]
        assert relations["concern"]["mean_out_degree_of_respondents"] < relations["trust"]["mean_out_degree_of_respondents"]
        # A few hold a large share of the cross-organisation ties.
        assert advice["cross_org_share_top_5pct"] >= 0.35
        # Primary care is the grout between the tiles.
        assert advice["mean_cross_org_contacts_primary_care"] >= 1.5 * advice["mean_cross_org_contacts_others"]
        # Tops barely know each other across organisations.
        assert advice["top_top_density_cross_org"] < 0.2 * advice["top_top_density_same_org"]
        assert advice["top_top_density_cross_org"] < advice["middle_middle_density_cross_org"]
        # Bottoms rarely name tops, least of all other organisations' tops.
        assert advice["bottom_to_top_density_cross_org"] < advice["bottom_to_top_density_same_org"] < 0.03
        # Only a minority of bottoms reach a top within two steps, but some do.
        assert 0.1 < advice["bottom_reach_to_top"] < 0.5
        # Some returned ties and some closure.
        assert 0.3 <= advice["reciprocity"] <= 0.7
        assert advice["transitivity"] >= 0.1
        # Tops answer least.
        rates = {k: v["response_rate"] for k, v in wave["response_by_level"].items()}
        assert rates["top"] < min(rates["middle"], rates["bottom"]) - 0.15
    base, interim, final = (summary["waves"][w]["advice"] for w in WAVES)
    # Silos by organisation, loosened but not undone as the programmes run.
    assert -0.7 <= base["ei_organisation"] <= -0.5
    assert base["ei_organisation"] < interim["ei_organisation"] < final["ei_organisation"] < -0.15
    assert base["cross_org_share_boundary_spanners"] >= 0.3
    for change in summary["change"].values():
        assert 0.4 <= change["advice_jaccard_respondents_in_both_waves"] <= 0.65
        new = change["new_cross_org_ties"]
        assert new["within_cohort"]["rate"] >= 5 * new["cohort_and_others"]["rate"]
        assert new["cohort_and_others"]["rate"] >= 1.5 * new["others"]["rate"]
    selection = summary["selection"]["Leadership programme 1"]
    assert selection["cohort_mean_in_degree"] >= 1.15 * selection["others_mean_in_degree"]
    decay = summary["decay"]["Leadership programme 1"]
    assert decay["within_cohort"]["share_kept"] <= decay["others"]["share_kept"] - 0.15


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_patterns_are_robust_to_the_seed(gen, seed):
    # Looser bounds than for the committed sample: the patterns are planted, not lucky.
    summary = gen.generate(seed).truth["summary"]
    base = summary["waves"]["baseline"]["advice"]
    assert -0.7 <= base["ei_organisation"] <= -0.4
    assert base["cross_org_share_top_5pct"] >= 0.35
    assert base["mean_cross_org_contacts_primary_care"] >= 1.3 * base["mean_cross_org_contacts_others"]
    assert base["top_top_density_cross_org"] < 0.2 * base["top_top_density_same_org"]
    assert 0.05 < base["bottom_reach_to_top"] < 0.55
    for wave in summary["waves"].values():
        rates = {k: v["response_rate"] for k, v in wave["response_by_level"].items()}
        assert rates["top"] < min(rates["middle"], rates["bottom"])
    for change in summary["change"].values():
        assert 0.35 <= change["advice_jaccard_respondents_in_both_waves"] <= 0.7
        new = change["new_cross_org_ties"]
        assert new["within_cohort"]["rate"] >= 5 * new["cohort_and_others"]["rate"]
        assert new["cohort_and_others"]["rate"] >= new["others"]["rate"]
    for selection in summary["selection"].values():
        assert selection["cohort_share_top_or_middle"] > selection["others_share_top_or_middle"]
    selection = summary["selection"]["Leadership programme 1"]
    assert selection["cohort_mean_in_degree"] > selection["others_mean_in_degree"]
    decay = summary["decay"]["Leadership programme 1"]
    assert decay["within_cohort"]["share_kept"] < decay["others"]["share_kept"]


@pytest.mark.parametrize("wave", list(WAVES))
def test_each_wave_builds_a_valid_network(roster, ties, truth, wave):
    # The canonical tables fit the Network model once the "named nobody" markers are read
    # as respondents (here roster ids stand in for pseudonymous person ids).
    from onatool.network import Network

    present = members(roster, wave)
    people = present.drop(columns=[*schema.IDENTITY_COLUMNS, "waves", "changed_in", *EARLIER]).set_index(present["id"])
    people.index.name = schema.PERSON_ID
    people[schema.RESPONDED] = people.index.isin(truth["respondents"][wave])
    table = ties[wave]
    named = table[table["target"] != ""].astype({"weight": float})
    net = Network(people, named[list(schema.TIE_COLUMNS)], wave=wave)
    assert net.response_rate == pytest.approx(len(truth["respondents"][wave]) / 250)
    advice = net.layer("advice")
    assert advice.n_ties == truth["summary"]["waves"][wave]["relations"]["advice"]["ties"]
    assert net.layer("collaboration").n_ties < len(named[named["relation"] == "collaboration"])
