"""Actor types: the type mix of ties, by hand, and the roster's reading of the kind of person."""

import pandas as pd

from onatool.io.roster import roster_from_sheet
from onatool.io.tables import Sheet
from onatool.metrics.actors import type_mix
from onatool.network import Network

PEOPLE = {"s1": {"actor_type": "staff"}, "s2": {"actor_type": "staff"}, "s3": {"actor_type": "staff"},
          "u1": {"actor_type": "service user or carer"}, "c1": {"actor_type": "community organisation"},
          "x1": {"actor_type": None}}


def test_type_mix_by_hand():
    # s1 names c1 and u1; u1 names s2; s2 and s3 name each other; x1 (type unknown) names s3.
    net = Network.from_edges([("s1", "c1"), ("s1", "u1"), ("u1", "s2"), ("s2", "s3"), ("s3", "s2"),
                              ("x1", "s3")], people=PEOPLE)
    mix = type_mix(net).set_index(["actor_type", "tied_to"])
    assert mix.loc[("staff", "community organisation")].tolist()[:2] == [3, 1]   # s1
    assert mix.loc[("staff", "service user or carer")].tolist()[:2] == [3, 2]    # s1 names, s2 named by
    assert mix.loc[("staff", "staff")].tolist()[:2] == [3, 2]                    # s2 and s3, not s1
    assert mix.loc[("service user or carer", "staff"), "share"] == 1.0
    assert mix.loc[("community organisation", "service user or carer"), "with_tie"] == 0
    assert len(mix) == 9  # three known types, unknown left out


def test_no_actor_types_gives_an_empty_table():
    assert type_mix(Network.from_edges([("a", "b")])).empty


def test_roster_reads_the_kind_of_person_and_reports_unknown_wording():
    data = pd.DataFrame({"id": ["A1", "A2", "A3", "A4"], "Actor type": ["Carer", "Cllr", "", "Friend"]})
    roster = roster_from_sheet(Sheet(data, "roster.csv"), key=b"k" * 32)
    assert roster.people["actor_type"].fillna("-").tolist() == ["service user or carer", "elected member", "-", "other"]
    changed = [r for r in roster.report.rows if r.outcome == "changed"]
    assert len(changed) == 1 and changed[0].row == 5 and "'Friend' not recognised" in changed[0].reason


def test_a_blank_level_or_actor_type_is_not_recorded_and_not_reported():
    data = pd.DataFrame({"id": ["A1", "A2"], "level": ["top", ""], "actor type": ["Carer", ""]})
    roster = roster_from_sheet(Sheet(data, "roster.csv"), key=b"k" * 32)
    assert roster.people[["level", "actor_type"]].isna().sum().tolist() == [1, 1]
    assert [r.outcome for r in roster.report.rows] == ["kept", "kept"]


def test_service_users_and_carers_never_appear_one_by_one_in_a_shared_person_table():
    from onatool.share.disclosure import Disclosure
    from onatool.share.gate import Gate, release

    table = pd.DataFrame({"organisation": ["Trust"] * 6 + ["Council"] * 6,
                          "actor_type": ["staff"] * 10 + ["service user or carer"] * 2},
                         index=[f"p{i}" for i in range(12)])
    for k in (1, 5):  # whatever k is
        shared = release("people", table, Disclosure(k=k))
        assert "service user or carer" not in set(shared["actor_type"]) and len(shared) == 10
        assert any("2 service users and carers" in note for note in shared.attrs["notes"])
    assert len(Gate(Disclosure(), analyst=True).release("people", table)) == 12  # the analyst's own seat


def test_protected_characteristics_never_sit_beside_a_person_in_a_shared_table():
    from onatool.share.disclosure import Disclosure
    from onatool.share.gate import release

    table = pd.DataFrame({"organisation": ["Trust"] * 12, "Ethnic group": ["A"] * 6 + ["B"] * 6,
                          "Age band": ["30-39"] * 12}, index=[f"p{i}" for i in range(12)])
    shared = release("people", table, Disclosure(k=5))
    assert list(shared.columns) == ["organisation"]
    assert any("2 equality, diversity and inclusion column(s)" in n for n in shared.attrs["notes"])
    # ... while a breakdown by group is a group table, suppressed below k like any other.
    breakdown = pd.DataFrame({"people": [6, 6, 20]}, index=pd.Index(["A", "B", "C"], name="Ethnic group"))
    counts = release("counts", breakdown, Disclosure(k=7))
    assert counts["people"].to_dict() == {"Other": 12, "C": 20, "Total": 32}


def test_a_shared_map_never_draws_a_service_user_one_by_one():
    from onatool.outputs.static_maps import map_data
    from onatool.share.disclosure import Disclosure
    from onatool.viz.views import MapRequest, build_map

    people = {f"s{i}": {"actor_type": "staff", "organisation": "Trust"} for i in range(6)}
    people["u1"] = {"actor_type": "service user or carer", "organisation": "Trust"}
    net = Network.from_edges([("s0", "u1"), ("u1", "s1"), ("s2", "s3")], people=people)
    positions = pd.DataFrame({"x": range(7), "y": range(7)}, index=list(people), dtype=float)
    workshop = build_map(net, positions, MapRequest(workshop=True, k=2))
    analyst = build_map(net, positions, MapRequest(workshop=False, k=2))
    assert len(workshop.nodes) == 6 and len(analyst.nodes) == 7
    assert len(map_data(net, positions, Disclosure(k=2)).nodes) == 6  # onatool map, the report's map


def test_onatool_analyse_writes_the_type_mix_without_small_kinds(tmp_path):
    from onatool.metrics import analyse
    from onatool.outputs.writers import write_analysis
    from onatool.share.disclosure import Disclosure
    from onatool.share.gate import Gate

    people = {f"s{i}": {"actor_type": "staff"} for i in range(6)}
    people |= {f"c{i}": {"actor_type": "community organisation"} for i in range(5)}
    people["m1"] = {"actor_type": "elected member"}
    edges = [("s0", "c0"), ("s1", "c1"), ("c2", "s2"), ("s3", "m1"), ("s4", "s5")]
    net = Network.from_edges(edges, people=people)
    analysis = analyse(net)
    write_analysis(analysis, net, tmp_path / "shared", Gate(Disclosure(k=5)))
    shared = pd.read_csv(tmp_path / "shared" / "type_mix.csv", index_col=[0, 1])
    kinds = set(shared.index.get_level_values(0)) | set(shared.index.get_level_values(1))
    # The lone elected member is hidden, and so is the next smallest kind (as in every group table).
    assert kinds == {"staff"} and shared.loc[("staff", "staff"), "with_tie"] == 2
    write_analysis(analysis, net, tmp_path / "analyst", Gate(Disclosure(k=5), analyst=True))
    full = pd.read_csv(tmp_path / "analyst" / "type_mix.csv", index_col=[0, 1])
    assert full.loc[("staff", "community organisation"), "with_tie"] == 3  # s0, s1 name; s2 is named
    assert full.loc[("staff", "elected member"), "with_tie"] == 1
