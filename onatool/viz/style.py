"""From a Network and its positions to plain node and edge dicts, ready for vis-network.

Style decides what a map shows and what it hides; it never writes HTML. Every text
here (labels, tooltips, legend entries, notes) is plain text: escaping is the
renderer's job (:mod:`onatool.viz.maps`).

What a reader can tell apart never rests on colour alone: levels have shapes (top a
triangle, middle a square, bottom a dot), changed ties differ by line style and width,
highlighted people have a thick border, non-respondents a dashed one. Colours come
from the project's palette (:mod:`onatool.viz.palette`): a group's colour is looked up
by its name, so it is the same in every view.

Workshop ("mirror") mode, on by default, is for maps shown to the people who answered:
no labels, tooltips that name only groups, groups under ``min_group_size`` merged into
"Other", and nodes numbered by position so the page itself carries no person ids.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import InputFormatError, NotDefinedError, SuppressedError, UnknownPersonError
from onatool.network import Network
from onatool.share.disclosure import Disclosure
from onatool.share.gate import release, small_combinations
from onatool.viz.layout import NOT_GIVEN, OTHER, GroupTables
from onatool.viz.palette import COLOURS, NOT_GIVEN_COLOUR, OTHER_COLOUR, assign

__all__ = [
    "EDGE_STATUS",
    "LEVEL_SHAPES",
    "PALETTE",
    "MapData",
    "style_group_network",
    "style_network",
]

#: The colours groups get (see :mod:`onatool.viz.palette`).
PALETTE = COLOURS
SINGLE_COLOUR = "#77AADD"  # one colour for everyone when nothing is coloured by
BORDER_COLOUR = "#333333"
HIGHLIGHT_BORDER = "#000000"

#: vis-network shape per level; people without a level are diamonds.
#: In workshop mode, a level shared by fewer than k people of a colour group is not shown.
LEVEL_HIDDEN = "not shown"
LEVEL_SHAPES = {"top": "triangle", "middle": "square", "bottom": "dot", None: "diamond",
                LEVEL_HIDDEN: "hexagon"}
_SHAPE_WORDS = {"triangle": "triangle", "square": "square", "dot": "circle", "diamond": "diamond",
                "hexagon": "hexagon"}

EDGE_COLOUR = "#8C8C8C"
#: Line style per tie status on a change map: colour, width, dashes, legend words.
EDGE_STATUS = {
    "new": {"colour": "#0072B2", "width": 3.0, "dashes": False,
            "words": "New tie: solid blue line, thicker"},
    "lost": {"colour": "#999999", "width": 1.5, "dashes": True,
             "words": "Lost tie: dashed grey line"},
    "stable": {"colour": "#C8C8C8", "width": 1.0, "dashes": False,
               "words": "Kept tie: thin light grey line"},
}
DASH_PATTERN = [6, 5]


@dataclass(frozen=True)
class MapData:
    """Everything a map needs, as plain JSON-ready data.

    Attributes
    ----------
    nodes
        vis-network node dicts: ``id`` (int), ``x``, ``y``, ``shape``, ``size``,
        ``color`` (``background``/``border``), ``borderWidth``, ``title`` (tooltip
        text), and ``category`` (the colour group's name; not vis-network's
        ``group``, which would restyle nodes); ``label`` and ``person_id`` only outside workshop mode;
        ``shapeProperties`` with dashes for non-respondents.
    edges
        vis-network edge dicts: ``id``, ``from``, ``to``, ``width``, ``color``,
        ``dashes``, ``arrows``, optional ``title`` and ``status``.
    legend
        Entries ``{"section", "kind", "label", ...}`` describing every visual code in
        words; ``kind`` is ``colour``, ``shape``, ``line``, ``border`` or ``size``.
    notes
        Plain sentences to show under the map (response rate, merged groups ...).
    annotations
        Texts drawn on the canvas behind the people, ``{"text", "x", "y", "size"}``: top-left
        corner and height in canvas units (e.g. level band names).
    """

    nodes: list[dict]
    edges: list[dict]
    legend: list[dict]
    notes: list[str]
    annotations: list[dict] = field(default_factory=list)


def style_network(
    network: Network,
    positions: pd.DataFrame,
    *,
    colour_by: str | None = None,
    size_by: str | None = None,
    metrics: pd.DataFrame | None = None,
    shape_by_level: bool = True,
    workshop: bool = True,
    labels: pd.Series | None = None,
    min_group_size: int = 5,
    highlight: Collection[str] | None = None,
    highlight_label: str = "Highlighted",
    edge_status: pd.Series | None = None,
    annotations: Sequence[dict] | None = None,
    colours: Mapping[str, str] | None = None,
) -> MapData:
    """Node, edge and legend dicts for a person-level map.

    Parameters
    ----------
    network
        The people and ties to draw (usually one layer). Ties of weight 0 are not drawn.
    positions
        ``person_id`` -> ``x``, ``y`` (from :func:`onatool.viz.layout.compute_layout`),
        covering every person.
    colour_by
        A person attribute to colour by (e.g. ``organisation``), or a column of
        ``metrics`` (``community``); None for one colour.
    size_by
        A numeric column of ``metrics`` (or, failing that, of ``network.people``) to
        size people by; None for one size.
    metrics
        Person results indexed by ``person_id``.
    shape_by_level
        Draw tops as triangles, middles as squares, bottoms as dots (if the network has
        a ``level``).
    workshop
        Hide people: no labels, no person ids, tooltips with groups only, groups under
        ``min_group_size`` merged into "Other", no mark on who did not answer (the
        response rate is still in the notes).
    labels
        ``person_id`` -> display text (pseudonym labels such as ``P001``, or names when
        revealed). Used only outside workshop mode; None falls back to the people
        table's ``label`` column if it has one.
    min_group_size
        Smallest group shown under its own name in workshop mode.
    highlight
        Person ids drawn with a thick black border (ids not in the network are ignored).
    highlight_label
        What the thick border means, for the legend (e.g. "Boundary spanner").
    edge_status
        For a change map: ``new``, ``lost`` or ``stable`` per tie, indexed like
        ``network.ties``.
    annotations
        Texts to draw on the canvas, ``{"text", "x", "y"}`` and optionally ``size``
        (height in canvas units, default 40), e.g. from
        :func:`onatool.viz.layout.level_band_labels`.
    colours
        The project's colour per group (:meth:`onatool.project.Project.palette`), so a
        group has one colour in every view; groups it lacks get the next free palette
        colours by name (:func:`onatool.viz.palette.assign`).

    Returns
    -------
    MapData
        Plain dicts; text is unescaped plain text.

    Raises
    ------
    NotDefinedError
        If ``colour_by`` or ``size_by`` is not a column, or ``size_by`` is not numeric.
    UnknownPersonError
        If ``positions`` lacks someone.
    InputFormatError
        If ``edge_status`` misses a tie or holds another value.

    Notes
    -----
    Node size is ``base * (0.6 + 1.6 * s)`` with ``s`` the metric rescaled to [0, 1]
    (square root first when the metric is never negative, so area follows value) and
    ``base`` a quarter of the typical distance between people. Tie width is
    ``1 + 3 * (w - w_min) / (w_max - w_min)``. In plain words: bigger shapes mean a
    higher score and thicker lines mean stronger ties.

    Examples
    --------
    >>> people = {"a": {"organisation": "GP", "level": "top"}, "b": {"organisation": "GP",
    ...           "level": "bottom"}}
    >>> net = Network.from_edges([("a", "b")], people=people)
    >>> pos = pd.DataFrame({"x": [0.0, 100.0], "y": [0.0, 0.0]}, index=["a", "b"])
    >>> data = style_network(net, pos, colour_by="organisation", min_group_size=1)
    >>> [(n["shape"], n["title"]) for n in data.nodes]
    [('triangle', 'Organisation: GP\\nLevel: top'), ('dot', 'Organisation: GP\\nLevel: bottom')]
    >>> "label" in data.nodes[0], data.edges[0]["arrows"]
    (False, 'to')
    """
    people = network.people
    missing = people.index.difference(positions.index)
    if len(missing):
        raise UnknownPersonError(
            f"positions lack {len(missing)} person(s) of wave {network.wave!r}, e.g. "
            f"{missing[0]!r}; compute the layout over every wave you draw"
        )
    xy = positions.loc[people.index, ["x", "y"]].to_numpy(dtype=float)
    notes = [_response_note(network)]
    legend: list[dict] = []

    # Colour groups.
    if colour_by is None:
        groups = pd.Series("Person", index=people.index, dtype=object)
        colours = {"Person": SINGLE_COLOUR}
    else:
        groups = _groups(network, colour_by, metrics)
        if workshop:
            groups, merged = _merge_small(groups, min_group_size)
            if merged:
                notes.append(
                    f"{merged} {_plural(colour_by) if merged > 1 else _singular(colour_by)} "
                    f"with fewer than {min_group_size} people "
                    f"{'is' if merged == 1 else 'are'} shown together as {OTHER!r}."
                )
        colours, overflow = _assign_colours(groups, colours)
        if overflow:
            groups = groups.where(groups.isin(list(colours)), OTHER)
            notes.append(
                f"Only {len(PALETTE)} colours can be told apart; the {overflow} smallest "
                f"{_plural(colour_by)} share grey as {OTHER!r}."
            )
    heading = colour_by.replace("_", " ").capitalize() if colour_by else None
    for name, colour in colours.items():
        legend.append({"section": f"Colour: {heading.lower()}" if heading else "People",
                       "kind": "colour", "label": name, "colour": colour})

    # Shapes.
    has_level = shape_by_level and schema.LEVEL in people.columns
    level = people[schema.LEVEL].astype(object) if schema.LEVEL in people.columns else None
    if workshop and level is not None:
        level, hidden = _hide_small_levels(groups, level, min_group_size)
        if hidden:
            notes.append(f"Level is not shown for {hidden} {'person' if hidden == 1 else 'people'} whose "
                         f"group has fewer than {min_group_size} people at that level.")
    if has_level:
        shapes = level.map(LEVEL_SHAPES).fillna(LEVEL_SHAPES[None]).to_numpy(dtype=object)
        for value in [*schema.LEVELS, LEVEL_HIDDEN, None]:
            present = level.isna().any() if value is None else (level == value).any()
            if present:
                shape = LEVEL_SHAPES[value]
                words = ("Level not given" if value is None else
                         "Level not shown (small group)" if value == LEVEL_HIDDEN else value.capitalize())
                legend.append({"section": "Shape: level", "kind": "shape", "shape": shape,
                               "label": f"{words} ({_SHAPE_WORDS[shape]})"})
    else:
        shapes = np.full(len(people), "dot", dtype=object)

    # Sizes.
    sizes, size_note = _sizes(network, xy, size_by, metrics)
    if size_note:
        notes.append(size_note)
    if size_by is not None:
        legend.append({"section": "Size", "kind": "size",
                       "label": f"Larger shape: higher {size_by.replace('_', ' ')}"})

    # Borders: highlighted people and (outside workshop mode, where it would single
    # people out) non-respondents.
    chosen = people.index.isin(list(highlight or ()))
    responded = people[schema.RESPONDED].to_numpy(dtype=bool) | workshop
    if chosen.any():
        legend.append({"section": "Border", "kind": "border", "width": 4, "dashes": False,
                       "label": f"Thick black border: {highlight_label}"})
    if not responded.all():
        legend.append({"section": "Border", "kind": "border", "width": 2, "dashes": True,
                       "label": "Dashed border: did not answer (their own ties are unknown)"})

    # Labels and tooltips.
    shown_labels = None
    if workshop:
        if labels is not None:
            notes.append("Labels are hidden in workshop mode.")
    elif labels is not None:
        shown_labels = labels.reindex(people.index)
    elif schema.LABEL in people.columns:
        shown_labels = people[schema.LABEL]
    # Workshop tooltips name the merged group; otherwise the person's own value.
    tip_groups = groups if workshop or colour_by is None else _groups(network, colour_by, metrics)
    tips = _tooltips(network, tip_groups, heading, level, workshop, shown_labels, size_by, metrics)

    # Node order: by position in workshop mode, so the page carries no roster order.
    order = np.lexsort((xy[:, 1], xy[:, 0])) if workshop else np.arange(len(people))
    node_id = np.empty(len(people), dtype=np.int64)
    node_id[order] = np.arange(len(people))
    group_values = groups.to_numpy(dtype=object)
    nodes = []
    for i in order:
        colour = colours[group_values[i]]
        node = {
            "id": int(node_id[i]),
            "x": round(float(xy[i, 0]), 2),
            "y": round(float(xy[i, 1]), 2),
            "shape": shapes[i],
            "size": round(float(sizes[i]), 2),
            "color": {"background": colour, "border": HIGHLIGHT_BORDER if chosen[i] else BORDER_COLOUR},
            "borderWidth": 4 if chosen[i] else 1,
            "category": group_values[i],
            "title": tips[i],
        }
        if not responded[i]:
            node["shapeProperties"] = {"borderDashes": [3, 3]}
            node["borderWidth"] = max(node["borderWidth"], 2)
        if not workshop:
            node["person_id"] = str(people.index[i])
            if shown_labels is not None and pd.notna(shown_labels.iloc[i]):
                node["label"] = str(shown_labels.iloc[i])
        nodes.append(node)

    edges, edge_legend, edge_notes = _edges(network, node_id, edge_status, workshop, shown_labels)
    legend.extend(edge_legend)
    notes.extend(edge_notes)
    return MapData(nodes, edges, legend, notes, _annotations(annotations))


# Helpers: groups and colours ------------------------------------------------------


def _groups(network: Network, attribute: str, metrics: pd.DataFrame | None = None) -> pd.Series:
    """Each person's group: a people column, else a metrics column (``community``)."""
    if attribute in network.people.columns:
        values = network.people[attribute]
    elif metrics is not None and attribute in metrics.columns:
        values = metrics[attribute].reindex(network.people.index)
        if values.dtype.kind == "f" and values.dropna().eq(values.dropna().round()).all():
            values = values.astype("Int64")  # community 3, not 3.0
    else:
        raise NotDefinedError(
            f"cannot colour by {attribute!r}: wave {network.wave!r} has "
            f"{', '.join(network.attributes) or 'no attributes'}"
        )
    return pd.Series(
        np.where(values.isna(), NOT_GIVEN, values.astype(str)), index=values.index, dtype=object
    )


def _merge_small(groups: pd.Series, k: int) -> tuple[pd.Series, int]:
    """Groups with fewer than ``k`` people renamed ``Other`` (the gate's map rule); and how many."""
    merged = release("map_groups", groups, Disclosure(k=max(int(k), 1)))
    small = set(groups[merged != groups].unique())
    return merged, len(small)


def _hide_small_levels(groups: pd.Series, level: pd.Series, k: int) -> tuple[pd.Series, int]:
    """Hide the level of people who share their (colour group, level) with fewer than ``k``.

    A colour and a shape together must not single anyone out: the hospice's only top
    would otherwise be the one triangle in the hospice's colour (the gate's person-level
    rule on the two attributes a map shows).
    """
    known = level.notna()
    frame = pd.DataFrame({"group": groups.astype(str), "level": level.astype(object)})
    small = known & small_combinations(frame, max(int(k), 1), ["group", "level"])
    return level.where(~small, LEVEL_HIDDEN), int(small.sum())


def _assign_colours(groups: pd.Series, saved: Mapping[str, str] | None = None) -> tuple[dict[str, str], int]:
    """Each group's colour, looked up by name in the project's palette, grey past its end.

    Returns the colour per shown group in legend order (largest group first, ties by
    name; "Other" and "not given" last) and how many groups did not get a colour of
    their own (the palette ran out: they share grey as "Other").
    """
    counts = groups.value_counts()
    named = sorted((g for g in counts.index if g not in (OTHER, NOT_GIVEN)),
                   key=lambda g: (-counts[g], g))
    palette = assign(named, saved)
    kept = [g for g in named if palette[g] != OTHER_COLOUR]
    overflow = [g for g in named if palette[g] == OTHER_COLOUR]
    colours = {g: palette[g] for g in kept}
    if overflow or OTHER in counts.index:
        colours[OTHER] = OTHER_COLOUR
    if NOT_GIVEN in counts.index:
        colours[NOT_GIVEN] = NOT_GIVEN_COLOUR
    return colours, len(overflow)


def _singular(attribute: str) -> str:
    word = attribute.replace("_", " ")
    return "group" if word.endswith("s") else word


def _plural(attribute: str) -> str:
    word = _singular(attribute)
    return "groups" if word == "group" else f"{word}s"


def _response_note(network: Network) -> str:
    answered = len(network.respondents)
    if not network.n_people:
        return "Nobody to show."
    return (
        f"Response rate: {answered / network.n_people:.0%} ({answered} of "
        f"{network.n_people} people answered); ties of people who did not answer are unknown."
    )


# Helpers: sizes and tooltips --------------------------------------------------------


def _sizes(
    network: Network, xy: np.ndarray, size_by: str | None, metrics: pd.DataFrame | None
) -> tuple[np.ndarray, str | None]:
    """Node sizes, scaled to the typical distance between people, and a note if needed."""
    n = len(xy)
    if n > 1:
        span = np.ptp(xy, axis=0)
        area = max(span[0], 1.0) * max(span[1], 1.0)
        base = float(np.clip(0.25 * math.sqrt(area / n), 4.0, 25.0))
    else:
        base = 15.0
    if size_by is None:
        return np.full(n, base), None
    values = _metric(network, size_by, metrics)
    raw = values.to_numpy(dtype=float)
    known = np.isfinite(raw)
    scaled = np.zeros(n)
    if known.any():
        low = np.nanmin(raw[known])
        shown = np.sqrt(raw - low) if low >= 0 else raw - low
        top = np.nanmax(shown[known])
        scaled[known] = shown[known] / top if top > 0 else 0.5
    note = None
    if not known.all():
        note = (f"{int((~known).sum())} people have no {size_by.replace('_', ' ')} value "
                "and are drawn at the smallest size.")
    return base * (0.6 + 1.6 * scaled), note


def _metric(network: Network, column: str, metrics: pd.DataFrame | None) -> pd.Series:
    if metrics is not None and column in metrics.columns:
        values = metrics[column]
    elif column in network.people.columns:
        values = network.people[column]
    else:
        raise NotDefinedError(
            f"cannot size by {column!r}: it is neither a metric column "
            f"({', '.join(map(str, metrics.columns)) if metrics is not None else 'no metrics given'}) "
            f"nor a person attribute"
        )
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        raise NotDefinedError(f"cannot size by {column!r}: its values are not numbers")
    return values.reindex(network.people.index).astype(float)


def _tooltips(
    network: Network,
    groups: pd.Series,
    heading: str | None,
    level: pd.Series | None,
    workshop: bool,
    labels: pd.Series | None,
    size_by: str | None,
    metrics: pd.DataFrame | None,
) -> list[str]:
    """One plain-text tooltip per person: groups only in workshop mode."""
    n = len(groups)
    columns: list[list[str]] = []
    if not workshop and labels is not None:
        columns.append(["" if pd.isna(v) else str(v) for v in labels])
    if heading:
        columns.append([f"{heading}: {g}" for g in groups])
    if level is not None:
        columns.append([f"Level: {'not given' if pd.isna(v) else v}" for v in level])  # "not shown" too
    if not workshop:
        answered = network.people[schema.RESPONDED].to_numpy(dtype=bool)
        columns.append(["Answered the survey" if a else "Did not answer" for a in answered])
        if size_by is not None:
            values = _metric(network, size_by, metrics).to_numpy(dtype=float)
            word = size_by.replace("_", " ").capitalize()
            columns.append([f"{word}: {v:.3g}" if np.isfinite(v) else f"{word}: not available"
                            for v in values])
    if not columns:
        return ["Person"] * n
    return ["\n".join(part for part in parts if part) for parts in zip(*columns, strict=True)]


# Helpers: edges ------------------------------------------------------------------------


def _edges(
    network: Network,
    node_id: np.ndarray,
    edge_status: pd.Series | None,
    workshop: bool,
    labels: pd.Series | None,
) -> tuple[list[dict], list[dict], list[str]]:
    ties = network.ties
    notes: list[str] = []
    status = None
    if edge_status is not None:
        status = edge_status.reindex(ties.index)
        bad = status[~status.isin(list(EDGE_STATUS))]
        if len(bad):
            raise InputFormatError(
                f"edge_status has {len(bad)} tie(s) without a valid status, e.g. "
                f"{bad.iloc[0]!r} for tie {bad.index[0]!r}",
                expected="'new', 'lost' or 'stable' for every row of network.ties",
            )
    drawn = ties[schema.WEIGHT].to_numpy(dtype=float) > 0
    if not drawn.all():
        notes.append(f"{int((~drawn).sum())} answers of weight 0 (e.g. 'Never') are not drawn as ties.")
    ties = ties[drawn]
    position = pd.Series(node_id, index=network.people.index)
    src = position.reindex(ties[schema.SOURCE]).to_numpy()
    tgt = position.reindex(ties[schema.TARGET]).to_numpy()
    weight = ties[schema.WEIGHT].to_numpy(dtype=float)
    directed = ~ties[schema.RELATION].map(network.is_symmetric).to_numpy(dtype=bool)
    if status is not None:
        kinds = status[drawn].to_numpy(dtype=object)
        colour = np.array([EDGE_STATUS[k]["colour"] for k in kinds], dtype=object)
        width = np.array([EDGE_STATUS[k]["width"] for k in kinds])
        dashed = np.array([EDGE_STATUS[k]["dashes"] for k in kinds], dtype=bool)
    else:
        kinds = None
        colour = np.full(len(ties), EDGE_COLOUR, dtype=object)
        low, high = (weight.min(), weight.max()) if len(weight) else (1.0, 1.0)
        width = 1 + 3 * (weight - low) / (high - low) if high > low else np.ones(len(weight))
        dashed = np.zeros(len(ties), dtype=bool)

    titles = None
    if not workshop:
        name = (labels if labels is not None else pd.Series(dtype=object)).astype(object)
        raw = ties[schema.RAW_VALUE].to_numpy(dtype=object)
        a = name.reindex(ties[schema.SOURCE]).to_numpy(dtype=object)
        b = name.reindex(ties[schema.TARGET]).to_numpy(dtype=object)
        titles = [
            (f"{x} names {y}\n" if pd.notna(x) and pd.notna(y) else "") + f"Answer: {r} (weight {w:g})"
            for x, y, r, w in zip(a, b, raw, weight, strict=True)
        ]

    order = np.lexsort((tgt, src)) if workshop else np.arange(len(ties))
    edges = []
    for number, i in enumerate(order):
        edge = {
            "id": number,
            "from": int(src[i]),
            "to": int(tgt[i]),
            "width": round(float(width[i]), 2),
            "color": colour[i],
            "dashes": DASH_PATTERN if dashed[i] else False,
            "arrows": "to" if directed[i] else "",
        }
        if kinds is not None:
            edge["status"] = kinds[i]
        if titles is not None:
            edge["title"] = titles[i]
        edges.append(edge)

    legend = []
    if kinds is not None:
        for key, spec in EDGE_STATUS.items():
            if (kinds == key).any():
                legend.append({"section": "Ties", "kind": "line", "label": spec["words"],
                               "colour": spec["colour"], "width": spec["width"],
                               "dashes": spec["dashes"]})
    else:
        varied = len(weight) and weight.max() > weight.min()
        legend.append({"section": "Ties", "kind": "line", "colour": EDGE_COLOUR, "width": 2.0,
                       "dashes": False, "label": "Tie (thicker: stronger)" if varied else "Tie"})
    if directed.any():
        legend.append({"section": "Ties", "kind": "arrow", "colour": EDGE_COLOUR, "width": 2.0,
                       "dashes": False, "label": "Arrow: points to the person named"})
    return edges, legend, notes


def _annotations(annotations: Sequence[dict] | None) -> list[dict]:
    out = []
    for item in annotations or ():
        try:
            out.append({"text": str(item["text"]), "x": float(item["x"]), "y": float(item["y"]),
                        "size": float(item.get("size", 40.0))})
        except (KeyError, TypeError, ValueError) as err:
            raise InputFormatError(
                f"annotation {item!r} cannot be drawn", expected="a dict with text, x and y"
            ) from err
    return out


# The organisation-level map ----------------------------------------------------------


def style_group_network(
    tables: GroupTables,
    positions: pd.DataFrame,
    *,
    attribute: str = schema.ORGANISATION,
    workshop: bool = True,
    min_group_size: int = 5,
    colours: Mapping[str, str] | None = None,
) -> MapData:
    """Node, edge and legend dicts for a map of groups (organisations by default).

    Parameters
    ----------
    tables
        From :func:`onatool.viz.layout.organisation_network`.
    positions
        From :func:`onatool.viz.layout.group_layout`, indexed by group.
    attribute
        What the groups are, for the legend and tooltips.
    workshop
        Refuse to name a group smaller than ``min_group_size`` (build the tables with
        ``organisation_network(..., min_group_size=k)`` so small groups merge first).
    min_group_size
        Smallest group that may be named in workshop mode.
    colours
        The project's colour per group, as for :func:`style_network`.

    Returns
    -------
    MapData
        One dot per group (radius growing with the square root of its people,
        labelled with the group's name), one curved line per ordered pair of groups
        (width growing with the square root of the number of ties), arrows from the
        naming group.

    Raises
    ------
    SuppressedError
        In workshop mode, if a group other than "Other" has fewer than
        ``min_group_size`` people.
    UnknownPersonError
        If ``positions`` lacks a group.

    Examples
    --------
    >>> from onatool.viz.layout import GroupTables
    >>> nodes = pd.DataFrame({"group": ["GP", "Council"], "size": [9, 6], "internal_ties": [4, 2]})
    >>> edges = pd.DataFrame({"source": ["GP"], "target": ["Council"], "ties": [3]})
    >>> pos = pd.DataFrame({"x": [0.0, 500.0], "y": [0.0, 0.0]}, index=["GP", "Council"])
    >>> data = style_group_network(GroupTables(nodes, edges), pos)
    >>> [(n["label"], n["title"]) for n in data.nodes]
    [('GP', 'GP: 9 people, 4 ties inside'), ('Council', 'Council: 6 people, 2 ties inside')]
    >>> data.edges[0]["title"]
    'GP names Council: 3 ties'
    """
    nodes, edges = tables
    if workshop:
        small = nodes[(nodes["size"] < min_group_size) & (nodes["group"] != OTHER)]
        if len(small):
            raise SuppressedError(
                f"{len(small)} group(s) have fewer than {min_group_size} people and would be "
                "named on a workshop map; build the tables with "
                f"organisation_network(..., min_group_size={min_group_size})"
            )
    missing = pd.Index(nodes["group"]).difference(positions.index)
    if len(missing):
        raise UnknownPersonError(f"positions lack {len(missing)} group(s), e.g. {missing[0]!r}")
    groups = pd.Series(nodes["group"].to_numpy(dtype=object), dtype=object)
    colours, _ = _assign_colours(groups.repeat(nodes["size"].clip(lower=1).to_numpy()), colours)
    colours = {**colours, **{g: OTHER_COLOUR for g in groups if g not in colours}}
    xy = positions.loc[groups, ["x", "y"]].to_numpy(dtype=float)
    largest = max(int(nodes["size"].max()), 1) if len(nodes) else 1
    index = {g: i for i, g in enumerate(groups)}
    out_nodes = [
        {
            "id": i,
            "x": round(float(xy[i, 0]), 2),
            "y": round(float(xy[i, 1]), 2),
            "shape": "dot",
            "size": round(40 + 110 * math.sqrt(int(size) / largest), 2),
            "color": {"background": colours[g], "border": BORDER_COLOUR},
            "borderWidth": 1,
            "category": g,
            "label": g,
            "font": {"size": 40},
            "title": f"{g}: {int(size)} people, {int(inside)} ties inside",
        }
        for i, (g, size, inside) in enumerate(
            zip(groups, nodes["size"], nodes["internal_ties"], strict=True)
        )
    ]
    most = max(int(edges["ties"].max()), 1) if len(edges) else 1
    out_edges = [
        {
            "id": j,
            "from": index[s],
            "to": index[t],
            "width": round(2 + 18 * math.sqrt(int(count) / most), 2),
            "color": EDGE_COLOUR,
            "dashes": False,
            "arrows": "to",
            # Curved clockwise, so A -> B and B -> A are drawn side by side.
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
            "title": f"{s} names {t}: {int(count)} ties",
        }
        for j, (s, t, count) in enumerate(
            zip(edges["source"], edges["target"], edges["ties"], strict=True)
        )
    ]
    word = attribute.replace("_", " ")
    legend = [
        *({"section": f"Colour: {word}", "kind": "colour", "label": g, "colour": c}
          for g, c in colours.items()),
        {"section": "Size", "kind": "size", "label": "Larger circle: more people"},
        {"section": "Ties", "kind": "line", "colour": EDGE_COLOUR, "width": 3.0, "dashes": False,
         "label": "Thicker line: more ties between the groups"},
        {"section": "Ties", "kind": "arrow", "colour": EDGE_COLOUR, "width": 2.0, "dashes": False,
         "label": "Arrow: points to the group named"},
    ]
    notes = [f"Each circle is one {word}; {int(nodes['size'].sum())} people in all."]
    return MapData(out_nodes, out_edges, legend, notes)
