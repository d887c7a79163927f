"""The two-mode map of people and forums: shapes, colours through the gate, workshop mode."""

import pandas as pd

from onatool.share.disclosure import Disclosure
from onatool.viz.maps import render_map
from onatool.viz.twomode import style_two_mode

SEATS = pd.DataFrame([("p1", "Board"), ("p2", "Board"), ("p3", "Forum"), ("p1", "Forum"), ("u1", "Forum")],
                     columns=["person_id", "forum"])
PEOPLE = pd.DataFrame({"label": ["P001", "P002", "P003", "P004"],
                       "organisation": ["Trust", "Trust", "Hospice", "Trust"],
                       "actor_type": ["staff", "staff", "staff", "service user or carer"]},
                      index=["p1", "p2", "p3", "u1"])


def test_forums_are_named_squares_and_people_unlabelled_dots_in_workshop_mode():
    data = style_two_mode(SEATS, PEOPLE, Disclosure(k=2), forums=("Board", "Forum", "Empty"))
    forums = [n for n in data.nodes if n["shape"] == "square"]
    people = [n for n in data.nodes if n["shape"] == "dot"]
    assert [n["label"] for n in forums] == ["Board", "Forum", "Empty"]
    assert len(people) == 3 and all("label" not in n and "person_id" not in n for n in people)
    assert {n["title"] for n in people} == {"Trust", "Other"}  # the hospice's one person merged
    assert len(data.edges) == 4  # the service user's seat is not drawn
    assert "Service users and carers are not drawn one by one." in data.notes
    assert "P003" not in render_map(data) and "Hospice" not in render_map(data)


def test_outside_workshop_mode_people_carry_their_pseudonym():
    data = style_two_mode(SEATS, PEOPLE, Disclosure(k=1), workshop=False)
    labels = {n.get("label") for n in data.nodes if n["shape"] == "dot"}
    assert labels == {"P001", "P002", "P003"}
