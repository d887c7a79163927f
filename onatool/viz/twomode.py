"""The two-mode map: people and the boards and forums they sit on, as two kinds of node.

Forums are squares sized by their members and always named (a forum is not a person);
people are small circles coloured by organisation, linked to each forum they sit on. In
workshop mode people carry no label, their tooltip names only their (merged) group, and
service users and carers are left out of the map altogether, as on every shared map.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.share.disclosure import Disclosure
from onatool.share.gate import release
from onatool.viz.style import BORDER_COLOUR, EDGE_COLOUR, MapData, _assign_colours

__all__ = ["FORUM_COLOUR", "style_two_mode"]

FORUM_COLOUR = "#4D4D4D"


def _positions(people: list[str], forums: list[str], seats: pd.DataFrame, seed: int) -> np.ndarray:
    """A force-directed layout of the bipartite graph (forums first), seeded, in canvas units."""
    ids = {name: i for i, name in enumerate([*forums, *people])}
    edges = [(ids[f], ids[p]) for p, f in seats[["person_id", "forum"]].itertuples(index=False)]
    graph = engine.ig.Graph(n=len(ids), edges=edges)
    with engine.seeded(seed):
        layout = graph.layout_fruchterman_reingold(niter=500)
    xy = np.asarray(layout.coords, dtype=float)
    span = np.ptp(xy, axis=0)
    span[span == 0] = 1.0
    return (xy - xy.min(axis=0)) / span * 1600.0


def style_two_mode(seats: pd.DataFrame, people: pd.DataFrame, disclosure: Disclosure, *,
                   forums: tuple[str, ...] = (), colour_by: str = schema.ORGANISATION, workshop: bool = True,
                   seed: int = 0) -> MapData:
    """Node, edge and legend dicts for a map of people and the forums they sit on.

    Parameters
    ----------
    seats
        One row per seat (``person_id``, ``forum``).
    people
        Person attributes indexed by ``person_id`` (``label`` and ``colour_by``).
    disclosure
        Colour groups under ``k`` are shown as "Other" (the gate's ``map_groups`` rule).
    forums
        Every forum, in order (forums without members are still drawn).
    workshop
        No person labels, group-only tooltips.
    """
    aggregated = people.index[people.get(schema.ACTOR_TYPE, pd.Series(index=people.index, dtype=object))
                              .isin(schema.AGGREGATED_ACTOR_TYPES).fillna(False).astype(bool)]
    left_out = seats["person_id"].isin(aggregated)
    seats = seats[~left_out]
    forum_names = list(dict.fromkeys([*forums, *seats["forum"]]))
    person_ids = sorted(seats["person_id"].unique())
    groups = people[colour_by].reindex(person_ids) if colour_by in people.columns else \
        pd.Series(index=person_ids, dtype=object)
    groups = release("map_groups", engine.group_labels(groups).fillna("Not recorded").astype(str), disclosure)
    colours, _ = _assign_colours(groups)
    xy = _positions(person_ids, forum_names, seats, seed)
    members = seats.groupby("forum")["person_id"].nunique()
    largest = max(int(members.max()), 1) if len(members) else 1
    nodes = [{"id": i, "x": round(float(xy[i, 0]), 2), "y": round(float(xy[i, 1]), 2), "shape": "square",
              "size": round(14 + 26 * math.sqrt(int(members.get(f, 0)) / largest), 2),
              "color": {"background": FORUM_COLOUR, "border": BORDER_COLOUR}, "borderWidth": 1,
              "category": "Board or forum", "label": f, "font": {"size": 36},
              "title": f"{f}: {int(members.get(f, 0))} members"} for i, f in enumerate(forum_names)]
    seats_of = seats.groupby("person_id")["forum"].nunique()
    for k, pid in enumerate(person_ids):
        i = len(forum_names) + k
        group = groups[pid]
        node = {"id": i, "x": round(float(xy[i, 0]), 2), "y": round(float(xy[i, 1]), 2), "shape": "dot", "size": 7,
                "color": {"background": colours.get(group, "#BBBBBB"), "border": BORDER_COLOUR}, "borderWidth": 1,
                "category": group, "title": group if workshop else
                f"{people.at[pid, schema.LABEL]} ({group}): {int(seats_of[pid])} forum(s)"}
        if not workshop:
            node["label"], node["person_id"] = str(people.at[pid, schema.LABEL]), pid
        nodes.append(node)
    index = {name: i for i, name in enumerate([*forum_names, *person_ids])}
    edges = [{"id": j, "from": index[p], "to": index[f], "width": 1, "color": EDGE_COLOUR, "dashes": False,
              "arrows": ""} for j, (p, f) in enumerate(seats[["person_id", "forum"]].itertuples(index=False))]
    word = colour_by.replace("_", " ")
    legend = [
        {"section": "Shape", "kind": "shape", "shape": "square", "label": "A board or forum (larger: more members)"},
        {"section": "Shape", "kind": "shape", "shape": "dot", "label": "A person with a seat"},
        *({"section": f"Colour: {word}", "kind": "colour", "label": g, "colour": c} for g, c in colours.items()),
        {"section": "Lines", "kind": "line", "colour": EDGE_COLOUR, "width": 1.0, "dashes": False,
         "label": "Sits on the forum"},
    ]
    notes = [f"{len(person_ids)} people hold {len(seats)} seats on {len(forum_names)} boards and forums."]
    if left_out.any():
        notes.append("Service users and carers are not drawn one by one.")
    return MapData(nodes, edges, legend, notes)
