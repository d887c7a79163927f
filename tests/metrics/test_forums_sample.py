"""The sample place's boards and forums: the measures find the planted "same small group in every room"."""

import json

import numpy as np
import pytest

from onatool.io import read_roster
from onatool.io.membership import read_membership
from onatool.metrics import forums
from onatool.sample import SAMPLE_KEY, sample_dir


@pytest.fixture(scope="module")
def sample():
    folder = sample_dir()
    truth = json.loads((folder / "ground_truth.json").read_text())["forums"]
    roster = read_roster(folder / "roster.csv", key=SAMPLE_KEY)
    membership = read_membership(folder / truth["file"], roster)
    ids = roster.identities["id"]
    core = set(ids.index[ids.isin(truth["core"])])
    return membership, core, truth


def test_every_row_is_read(sample):
    membership, _, _ = sample
    assert membership.report.balanced()
    assert not [r for r in membership.report.rows if r.outcome == "dropped"]
    assert len(membership.forums) == 10


def test_people_in_half_the_rooms_are_the_planted_core(sample):
    membership, core, _ = sample
    per_person = forums.bridging(membership.seats)["forums"]
    in_half = set(per_person.index[per_person >= len(membership.forums) / 2])
    assert in_half and in_half <= core
    busiest = set(per_person.sort_values(ascending=False).index[:forums.concentration(membership.seats)
                                                                  ["busiest_members"]])
    assert len(busiest & core) >= 7  # of the 9 busiest, 8 core in all


def test_strategic_boards_share_more_members_than_operational_forums(sample):
    membership, _, truth = sample
    _, jaccard = forums.forum_overlap(membership.seats)
    strategic = truth["strategic"]
    operational = [f for f in jaccard.index if f not in strategic]

    def mean_overlap(names):
        block = jaccard.loc[names, names].to_numpy()
        return block[np.triu_indices(len(names), k=1)].mean()

    assert mean_overlap(strategic) > 2 * mean_overlap(operational)
