"""One contract over the disclosure gate: every output of every surface, on one partnership.

Like tests/metrics/test_registry.py over the registry: each surface in
:data:`tests.share.surfaces.SURFACES` is run on a partnership with a lone top, an
organisation of one, one of three and one that is just large enough, and everything it
lets out is checked (tests/share/surfaces.py says what the check promises). Then every
kind of output the gate knows has a rule that keeps a small group out, and no module
outside onatool/share applies a copy of the rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from onatool.inference.regression import Regression
from onatool.share.disclosure import Disclosure
from onatool.share.gate import KINDS, release
from tests.share.surfaces import SURFACES, _labels_of, assert_nothing_small

ROOT = Path(__file__).resolve().parents[2]



def test_the_partnership_has_what_the_contract_needs(partnership):
    assert partnership.small("organisation") and partnership.small("level") == {"top"}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_no_surface_lets_out_a_small_group(surface, partnership, tmp_path):
    released = SURFACES[surface](partnership, tmp_path / "out")
    assert released.text, f"{surface} let nothing out: the check would be empty"
    assert_nothing_small(released, partnership)


# Every kind of output has a rule ------------------------------------------------------------

SIZES = pd.Series({"Large": 20, "Lone": 1, "Mid": 6})
MIXING = pd.DataFrame([[30, 2, 4], [1, 0, 1], [3, 1, 8]], index=SIZES.index, columns=SIZES.index)
PEOPLE = pd.DataFrame({"organisation": ["Large"] * 20 + ["Lone"] + ["Mid"] * 6,
                       "level": ["bottom"] * 19 + ["top"] + ["middle"] * 7})


class Finding:
    groups = (("organisation", "Lone"),)


CASES = {
    "groups": lambda d: release("groups", pd.DataFrame({"size": SIZES, "ei": [0.1, 0.9, 0.2]}), d, mixing=MIXING),
    "counts": lambda d: release("counts", pd.DataFrame({"a": SIZES, "b": SIZES}), d),
    "matrix": lambda d: release("matrix", MIXING, d, sizes=SIZES),
    "by_group": lambda d: release("by_group", SIZES * 0.5, d, sizes=SIZES).to_frame(),
    "labels": lambda d: release("labels", PEOPLE["organisation"], d).to_frame(),
    "map_groups": lambda d: release("map_groups", PEOPLE["organisation"], d).to_frame(),
    "levels": lambda d: pd.DataFrame(release("levels", {"block_density": {"value": {
        "top": {"top": 0.0, "bottom": 0.5}, "bottom": {"top": 0.1, "bottom": 0.2}}},
        "top_peer_density_cross_org": {"value": 0.3}}, d, people=PEOPLE)["block_density"]["value"]),
    "health": lambda d: pd.DataFrame(release("health", {"inclusion_organisation": {"value": {
        g: {"people": int(n), "isolates": 1, "peripheral": 0} for g, n in SIZES.items()}}}, d, people=PEOPLE)),
    "people": lambda d: release("people", PEOPLE, d),
    "cohort": lambda d: pd.DataFrame([release("cohort", {"members": 1, "others": 26, "cohort": "Lone"}, d) or {}]),
    "change_groups": lambda d: release("change_groups", pd.DataFrame(
        {"size_a": SIZES, "size_b": SIZES + 1}), d),
    "network_change": lambda d: release("network_change", pd.DataFrame(
        {"a": [1.0, 0.5, 0.2, 0.3]}, index=["density", "health.inclusion_organisation.Lone.people",
                                             "levels.block_density.top.bottom", "levels.bottom_reach_to_top"]),
        d, people=PEOPLE).dropna(),
    "insights": lambda d: pd.DataFrame({"found": [str(f.groups) for f in release(
        "insights", [Finding()], d, people=PEOPLE)]}),
    # A regression term resting on one person: shown terms are those with a coefficient.
    "regression": lambda d: pd.DataFrame([t for t in release("regression", Regression(
        "linear", "advice", 702, 0, 0, [{"term": "intercept", "coefficient": 0.1, "p_value": None},
                                        {"term": "sender:organisation=Lone", "coefficient": 0.4, "p_value": None}],
        people=27, groups={"sender:organisation=Lone": (1, 26)}), d).terms if t["coefficient"] is not None]),
}


def test_every_kind_of_output_has_a_contract_case():
    assert set(CASES) == set(KINDS), "a new kind of output needs a case here"


def _shows_the_lone_one(frame: pd.DataFrame) -> bool:
    labels = _labels_of(frame) | {str(v) for c in frame.columns for v in frame[c].dropna() if isinstance(v, str)}
    return bool(labels & {"Lone", "top"}) or "Lone" in frame.to_csv() or "top." in frame.to_csv()


@pytest.mark.parametrize("kind", KINDS)
def test_every_rule_keeps_a_group_of_one_out(kind):
    assert not _shows_the_lone_one(CASES[kind](Disclosure(k=5)))
    # ... and with suppression off (k=1) the same output does show it: the case can fail.
    assert _shows_the_lone_one(CASES[kind](Disclosure(k=1))) or kind == "people"


def test_a_withheld_level_measure_carries_no_value():
    levels = {"top_peer_density_cross_org": {"value": 0.3, "sentence": "Tops are 30%"}}
    released = release("levels", levels, Disclosure(k=5), people=PEOPLE)
    assert released["top_peer_density_cross_org"]["value"] is None
    assert "30%" not in str(released["top_peer_density_cross_org"])
    enough = PEOPLE.assign(level=["top"] * 5 + ["middle"] * 7 + ["bottom"] * 15)
    assert release("levels", levels, Disclosure(k=5), people=enough) == levels


# No copy of the rule anywhere else ------------------------------------------------------------

RULE_FUNCTIONS = re.compile(r"\b(suppress_groups|suppress_counts|merge_small_groups|merge_small_matrix|"
                            r"groups_to_merge|safe_attributes)\b")
SIZE_COMPARISONS = re.compile(r"(\[\"size\"\]|\[\"people\"\]|\.size)\s*(>=|<)\s*(sel\.k|k\b|disclosure\.threshold)")


def test_no_module_outside_share_applies_its_own_copy_of_the_rule():
    offenders = []
    for path in sorted((ROOT / "onatool").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("onatool/share/"):
            continue
        text = path.read_text(encoding="utf-8")
        if RULE_FUNCTIONS.search(text) or SIZE_COMPARISONS.search(text):
            offenders.append(relative)
    for path in [ROOT / "app.py"]:
        if RULE_FUNCTIONS.search(path.read_text()) or SIZE_COMPARISONS.search(path.read_text()):
            offenders.append("app.py")
    assert not offenders, f"these apply a copy of the suppression rule instead of the gate: {offenders}"
