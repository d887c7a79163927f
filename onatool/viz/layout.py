"""Where people sit on a map: positions computed once and reused across waves.

A map is only comparable with another if people stay put. :func:`compute_layout`
therefore lays out the union of several waves' people and ties once, so each wave's
map shows the same person in the same place and only the ties move. Positions are
plain tables (``person_id`` -> ``x``, ``y``) on a fixed canvas, so they can be stored
with a project and handed to :mod:`onatool.viz.style` and :mod:`onatool.viz.maps`.

The same module holds the other geometric views: tops/middles/bottoms as horizontal
bands (:func:`level_band_layout`), a person's neighbourhood (:func:`ego_subset`) and
the organisation-level network (:func:`organisation_network`, :func:`group_layout`).

Screen convention (vis-network's): ``x`` grows to the right, ``y`` grows downwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.engine import ig
from onatool.errors import EmptyNetworkError, NotDefinedError, UnknownPersonError
from onatool.network import Network

__all__ = [
    "CANVAS",
    "GroupTables",
    "compute_layout",
    "ego_subset",
    "group_layout",
    "level_band_labels",
    "level_band_layout",
    "organisation_network",
]

#: Half-width of the square canvas: coordinates lie in [-CANVAS, CANVAS].
CANVAS = 1000.0
#: The group a missing attribute value is shown as.
NOT_GIVEN = "Not given"
#: The group small groups merge into.
OTHER = "Other"

_LEVEL_BANDS = {"top": "Tops", "middle": "Middles", "bottom": "Bottoms"}


# Whole-network layout --------------------------------------------------------------------


def compute_layout(
    networks: Network | Sequence[Network],
    *,
    relation: str | None = None,
    seed: int = 0,
    canvas: float = CANVAS,
) -> pd.DataFrame:
    """Positions for everyone in one or several waves, computed once.

    Parameters
    ----------
    networks
        One Network, or several waves whose people and ties are laid out together so
        that every wave's map can reuse the same positions.
    relation
        Lay out on this relation's ties only; None uses every relation. Ties of weight
        0 (an answer of "Never") are ignored either way.
    seed
        Seed for the starting positions and igraph's random numbers: the same input and
        seed give the same positions.
    canvas
        Half-width of the square canvas.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` (sorted), columns ``x`` and ``y`` in
        ``[-canvas, canvas]``. People with no tie in any wave sit in tidy rows along the
        bottom of the canvas; everyone else fills the area above them.

    Raises
    ------
    EmptyNetworkError
        If there is nobody to place.
    NotDefinedError
        If ``relation`` is in none of the waves.

    Notes
    -----
    Fruchterman-Reingold (igraph, 500 iterations, undirected union of ties, starting
    from seeded random positions; igraph's grid variant from 1,000 people on), then
    scaled uniformly so the picture keeps its shape. Measured on 2 shared cores: 0.04 s
    for 200 people, 0.2 s for 2,000 and 0.9 s for 10,000. DrL took 2 s and 14 s for the
    same graphs and exact Fruchterman-Reingold 3.4 s and 137 s at 2,000 and 10,000,
    so neither is used. The vertex
    order is the sorted ``person_id``, so the order the waves are given in does not
    change the result. In plain words: people who are connected are drawn close
    together, and everyone keeps their place from one wave to the next.

    References
    ----------
    Fruchterman, T. M. J. and Reingold, E. M. (1991). Graph drawing by force-directed
    placement. Software: Practice and Experience 21(11), 1129-1164.
    https://doi.org/10.1002/spe.4380211102

    Examples
    --------
    >>> w1 = Network.from_edges([("a", "b"), ("b", "c")], people={"d": {}})
    >>> w2 = Network.from_edges([("a", "c")], people={"b": {}, "d": {}}, wave="wave 2")
    >>> pos = compute_layout([w1, w2], seed=1)
    >>> list(pos.index), list(pos.columns)
    (['a', 'b', 'c', 'd'], ['x', 'y'])
    >>> bool(pos.abs().to_numpy().max() <= 1000)
    True
    >>> pos.equals(compute_layout([w2, w1], seed=1))
    True
    """
    waves = [networks] if isinstance(networks, Network) else list(networks)
    ids = pd.Index(sorted(set().union(*(w.people.index for w in waves))), name=schema.PERSON_ID)
    if not len(ids):
        raise EmptyNetworkError("cannot lay out a map with nobody in it; the waves have no people")
    if relation is not None and not any(relation in w.relation_names for w in waves):
        raise NotDefinedError(
            f"relation {relation!r} is in none of the waves; they have "
            f"{', '.join(sorted(set().union(*(w.relation_names for w in waves)))) or 'no relations'}"
        )
    pairs = _undirected_pairs(waves, ids, relation)
    connected = np.zeros(len(ids), dtype=bool)
    connected[pairs.ravel()] = True
    xy = np.zeros((len(ids), 2))
    n_isolated = int((~connected).sum())
    if n_isolated == len(ids):
        xy[:] = _grid(len(ids), canvas)
    else:
        spacing = 2 * canvas / math.sqrt(len(ids))
        rows, band = _isolate_rows(n_isolated, canvas, spacing)
        xy[~connected] = rows
        keep = np.flatnonzero(connected)
        recode = np.full(len(ids), -1)
        recode[keep] = np.arange(keep.size)
        raw = _force_directed(keep.size, recode[pairs], seed)
        bottom = canvas - band - (spacing if n_isolated else 0.0)
        xy[keep] = _fit(raw, (-canvas, canvas), (-canvas, bottom))
    return pd.DataFrame(xy, index=ids, columns=["x", "y"])


def _undirected_pairs(waves: list[Network], ids: pd.Index, relation: str | None) -> np.ndarray:
    """Integer-coded ``(i, j)`` pairs, i < j, of every tie in any wave (deduplicated)."""
    frames = []
    for wave in waves:
        ties = wave.ties
        keep = ties[schema.WEIGHT] > 0
        if relation is not None:
            keep &= ties[schema.RELATION] == relation
        frames.append(ties.loc[keep, [schema.SOURCE, schema.TARGET]])
    ties = pd.concat(frames, ignore_index=True)
    if ties.empty:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.column_stack(
        [ids.get_indexer(ties[schema.SOURCE]), ids.get_indexer(ties[schema.TARGET])]
    )
    codes.sort(axis=1)
    return np.unique(codes, axis=0)


def _force_directed(n: int, pairs: np.ndarray, seed: int) -> np.ndarray:
    """Fruchterman-Reingold positions (n x 2) for ``n`` vertices joined by ``pairs``."""
    graph = ig.Graph(n=n, edges=pairs.tolist(), directed=False)
    # igraph's own starting spread: a square of side sqrt(n). A wider start slows the
    # grid variant several times over.
    start = np.random.default_rng(seed).uniform(-0.5, 0.5, size=(n, 2)) * math.sqrt(n)
    with engine.seeded(seed):
        layout = graph.layout_fruchterman_reingold(seed=start.tolist(), niter=500, grid="auto")
    return np.asarray(layout.coords, dtype=float).reshape(n, 2)


def _fit(xy: np.ndarray, xrange: tuple[float, float], yrange: tuple[float, float]) -> np.ndarray:
    """Scale ``xy`` uniformly (keeping its shape) and centre it in the given box."""
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = high - low
    box = np.array([xrange[1] - xrange[0], yrange[1] - yrange[0]])
    centre = np.array([sum(xrange) / 2, sum(yrange) / 2])
    with np.errstate(divide="ignore"):
        scale = np.min(np.where(span > 0, box / np.where(span > 0, span, 1), np.inf))
    if not np.isfinite(scale):  # a single point
        return np.tile(centre, (len(xy), 1))
    return (xy - (low + high) / 2) * scale + centre


def _grid(n: int, canvas: float) -> np.ndarray:
    """``n`` points on a square grid filling the canvas, row by row from the top."""
    per_row = math.ceil(math.sqrt(n))
    index = np.arange(n)
    cells = np.column_stack([index % per_row, index // per_row]).astype(float)
    return _fit(cells, (-canvas, canvas), (-canvas, canvas)) if n > 1 else np.zeros((n, 2))


def _isolate_rows(n: int, canvas: float, spacing: float) -> tuple[np.ndarray, float]:
    """Rows of ``n`` points along the bottom of the canvas, and the band's height.

    Rows are wide (about twelve times as wide as tall), centred, and no sparser than
    the typical spacing of the whole map, so a handful of isolates sit close together.
    """
    if n == 0:
        return np.zeros((0, 2)), 0.0
    per_row = max(1, math.ceil(math.sqrt(12 * n)))
    step = min(2 * canvas / per_row, spacing)
    per_row = min(per_row, int(2 * canvas // step) + 1)
    n_rows = math.ceil(n / per_row)
    index = np.arange(n)
    row, col = index // per_row, index % per_row
    in_row = np.minimum(per_row, n - row * per_row)
    x = (col - (in_row - 1) / 2) * step
    y = canvas - (n_rows - 1 - row) * step
    return np.column_stack([x, y]), (n_rows - 1) * step


# Tops, middles and bottoms -----------------------------------------------------------


def level_band_labels(network: Network, *, canvas: float = CANVAS) -> list[dict]:
    """The bands of :func:`level_band_layout`: their names and where their centres are.

    Parameters
    ----------
    network
        Decides whether a fourth band for people without a level is needed.
    canvas
        Half-width of the canvas, as given to :func:`level_band_layout`.

    Returns
    -------
    list of dict
        ``{"text": "Tops", "x": ..., "y": ..., "size": ...}`` per band, top first: the
        text's top-left corner at the band's top-left corner, its height in canvas
        units. Ready for ``style_network(..., annotations=...)``.

    Raises
    ------
    NotDefinedError
        If the network has no ``level`` attribute.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b")], people={"a": {"level": "top"}, "b": {"level": "bottom"}})
    >>> [(band["text"], band["y"]) for band in level_band_labels(net)]
    [('Tops', -1000.0), ('Middles', -333.3), ('Bottoms', 333.3)]
    """
    names = _band_names(network)
    height = 2 * canvas / len(names)
    return [
        {"text": name, "x": -canvas, "y": round(-canvas + i * height, 1),
         "size": round(0.05 * canvas, 1)}
        for i, name in enumerate(names)
    ]


def _band_names(network: Network) -> list[str]:
    if schema.LEVEL not in network.people.columns:
        raise NotDefinedError(
            f"wave {network.wave!r} has no 'level' attribute, so tops, middles and bottoms "
            "cannot be drawn; add a level column (top/middle/bottom) to the roster"
        )
    names = list(_LEVEL_BANDS.values())
    if network.people[schema.LEVEL].isna().any():
        names.append("Level not given")
    return names


def level_band_layout(
    network: Network, positions: pd.DataFrame, *, canvas: float = CANVAS
) -> pd.DataFrame:
    """Tops, middles and bottoms as horizontal bands, each person keeping their ``x``.

    Parameters
    ----------
    network
        Needs a ``level`` attribute (``top``/``middle``/``bottom``, or missing).
    positions
        From :func:`compute_layout`; must cover every person in ``network``.
    canvas
        Half-width of the canvas ``positions`` was computed on.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``network.people``, columns ``x`` (unchanged) and ``y``: tops in
        the upper third, middles in the middle, bottoms in the lower third (and, if
        anyone's level is missing, a fourth band below for them). Within a band people
        keep their relative height, squeezed to 80% of the band.

    Raises
    ------
    NotDefinedError
        If the network has no ``level`` attribute.
    UnknownPersonError
        If ``positions`` lacks someone in the network.

    Notes
    -----
    ``y = band_centre + 0.4 * band_height * y_original / canvas``. In plain words: the
    map is cut into layers by seniority, so ties that cross a layer are easy to see.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b")], people={"a": {"level": "top"}, "b": {"level": "bottom"}})
    >>> pos = pd.DataFrame({"x": [-500.0, 500.0], "y": [0.0, 0.0]}, index=["a", "b"])
    >>> level_band_layout(net, pos).round(1).to_numpy().tolist()
    [[-500.0, -666.7], [500.0, 666.7]]
    """
    names = _band_names(network)
    placed = _positions_for(network, positions)
    height = 2 * canvas / len(names)
    band = network.people[schema.LEVEL].map(dict(zip(_LEVEL_BANDS, range(3), strict=True)))
    band = band.fillna(3).to_numpy(dtype=float)
    centre = -canvas + (band + 0.5) * height
    y = centre + 0.4 * height * np.clip(placed["y"].to_numpy() / canvas, -1, 1)
    return pd.DataFrame({"x": placed["x"].to_numpy(), "y": y}, index=network.people.index)


def _positions_for(network: Network, positions: pd.DataFrame) -> pd.DataFrame:
    """``positions`` reindexed on ``network.people``; raises if anyone is missing."""
    missing = network.people.index.difference(positions.index)
    if len(missing):
        raise UnknownPersonError(
            f"positions lack {len(missing)} person(s) of wave {network.wave!r}, "
            f"e.g. {missing[0]!r}; compute the layout over every wave you will draw"
        )
    return positions.loc[network.people.index, ["x", "y"]]


# A person's neighbourhood ---------------------------------------------------------


def ego_subset(network: Network, person_id: str, steps: int = 1) -> pd.Index:
    """The people within ``steps`` ties of a person, in either direction.

    Parameters
    ----------
    network
        Every tie of weight above 0 counts, whichever relation; pass a layer to narrow.
    person_id
        The person at the centre.
    steps
        1 for the people they name or who name them, 2 to add those people's contacts.

    Returns
    -------
    pandas.Index
        ``person_id`` values in the network's order, the person included.

    Raises
    ------
    UnknownPersonError
        If the person is not in the network.
    NotDefinedError
        If ``steps`` is below 1.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_subset(net, "a")), sorted(ego_subset(net, "a", steps=2))
    (['a', 'b'], ['a', 'b', 'c'])
    """
    if person_id not in network.people.index:
        raise UnknownPersonError(f"{person_id!r} is not in wave {network.wave!r}")
    if not isinstance(steps, int) or steps < 1:
        raise NotDefinedError(f"steps must be a whole number of at least 1 (got {steps!r})")
    ties = network.ties[network.ties[schema.WEIGHT] > 0]
    source, target = ties[schema.SOURCE].to_numpy(), ties[schema.TARGET].to_numpy()
    reached = {person_id}
    frontier = np.array([person_id], dtype=object)
    for _ in range(steps):
        found = set(target[np.isin(source, frontier)]) | set(source[np.isin(target, frontier)])
        frontier = np.array(sorted(found - reached), dtype=object)
        reached |= found
        if not frontier.size:
            break
    return network.people.index[network.people.index.isin(list(reached))]


# Organisation-level map -------------------------------------------------------------


class GroupTables(NamedTuple):
    """A network of groups as two plain tables.

    Attributes
    ----------
    nodes
        Columns ``group``, ``size`` (people) and ``internal_ties`` (ties inside it).
    edges
        Columns ``source``, ``target`` (groups) and ``ties`` (how many person-to-person
        ties of weight above 0 run from the first group to the second).
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame


def organisation_network(
    network: Network, attribute: str = schema.ORGANISATION, *, min_group_size: int | None = None
) -> GroupTables:
    """Collapse people into groups (organisations by default) and count ties between them.

    Parameters
    ----------
    network
        Every tie of weight above 0 counts; pass a layer to choose a relation.
    attribute
        The person attribute that defines the groups. Missing values form a group
        called ``Not given``.
    min_group_size
        If given, groups with fewer people merge into one group called ``Other``.

    Returns
    -------
    GroupTables
        ``nodes`` (``group``, ``size``, ``internal_ties``), largest first, and
        ``edges`` (``source``, ``target``, ``ties``) between different groups, most
        ties first. Directed as the ties are: "source names target".

    Raises
    ------
    NotDefinedError
        If ``attribute`` is not a column of ``network.people``.

    Examples
    --------
    >>> people = {"a": {"organisation": "GP"}, "b": {"organisation": "GP"},
    ...           "c": {"organisation": "Council"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("b", "c")], people=people)
    >>> nodes, edges = organisation_network(net)
    >>> nodes.to_numpy().tolist()
    [['GP', 2, 1], ['Council', 1, 0]]
    >>> edges.to_numpy().tolist()
    [['GP', 'Council', 2]]
    """
    groups = _group_of(network, attribute, min_group_size)
    size = groups.value_counts(sort=False)
    ties = network.ties[network.ties[schema.WEIGHT] > 0]
    pairs = pd.DataFrame(
        {
            "source": groups.reindex(ties[schema.SOURCE]).to_numpy(),
            "target": groups.reindex(ties[schema.TARGET]).to_numpy(),
        }
    )
    counts = pairs.value_counts(sort=False).rename("ties").reset_index()
    inside = counts[counts["source"] == counts["target"]].set_index("source")["ties"]
    nodes = pd.DataFrame(
        {
            "group": size.index.astype(object),
            "size": size.to_numpy(dtype=np.int64),
            "internal_ties": inside.reindex(size.index, fill_value=0).to_numpy(dtype=np.int64),
        }
    ).sort_values(["size", "group"], ascending=[False, True], ignore_index=True)
    edges = (
        counts[counts["source"] != counts["target"]]
        .astype({"source": object, "target": object, "ties": np.int64})
        .sort_values(["ties", "source", "target"], ascending=[False, True, True], ignore_index=True)
    )
    return GroupTables(nodes, edges)


def _group_of(network: Network, attribute: str, min_group_size: int | None) -> pd.Series:
    """Each person's group as an object Series, missing values and small groups named."""
    if attribute not in network.people.columns:
        raise NotDefinedError(
            f"wave {network.wave!r} has no {attribute!r} attribute; it has "
            f"{', '.join(network.attributes) or 'no attributes'}"
        )
    values = network.people[attribute]
    groups = pd.Series(
        np.where(values.isna(), NOT_GIVEN, values.astype(str)), index=values.index, dtype=object
    )
    if min_group_size:
        size = groups.map(groups.value_counts())
        groups = groups.where(size >= min_group_size, OTHER)
    return groups


def group_layout(
    tables: GroupTables, *, seed: int = 0, canvas: float = CANVAS
) -> pd.DataFrame:
    """Positions for the groups of :func:`organisation_network`.

    Parameters
    ----------
    tables
        From :func:`organisation_network`.
    seed
        Seed for the layout, as in :func:`compute_layout`.
    canvas
        Half-width of the canvas.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``group``, columns ``x`` and ``y`` in ``[-canvas, canvas]``.
        Groups with more ties between them sit closer.

    Notes
    -----
    Fruchterman-Reingold on the undirected group graph, edge weight the number of ties
    in both directions. Groups with no tie to another group sit in a row below.

    Examples
    --------
    >>> nodes = pd.DataFrame({"group": ["A", "B", "C"], "size": [5, 5, 5], "internal_ties": [0, 0, 0]})
    >>> edges = pd.DataFrame({"source": ["A"], "target": ["B"], "ties": [3]})
    >>> pos = group_layout(GroupTables(nodes, edges))
    >>> list(pos.index), bool(pos.abs().to_numpy().max() <= 1000)
    (['A', 'B', 'C'], True)
    """
    groups = pd.Index(tables.nodes["group"], name="group")
    if not len(groups):
        raise EmptyNetworkError("there are no groups to lay out")
    edges = tables.edges
    codes = np.column_stack(
        [groups.get_indexer(edges["source"]), groups.get_indexer(edges["target"])]
    )
    codes.sort(axis=1)
    weight = (
        pd.DataFrame(codes, columns=["i", "j"]).assign(w=edges["ties"].to_numpy(dtype=float))
        .groupby(["i", "j"])["w"].sum()
    )
    connected = np.zeros(len(groups), dtype=bool)
    connected[np.asarray(list(weight.index), dtype=np.int64).ravel()] = True
    xy = np.zeros((len(groups), 2))
    if not connected.any():
        xy[:] = _grid(len(groups), canvas)
    else:
        spacing = 2 * canvas / math.sqrt(len(groups))
        rows, band = _isolate_rows(int((~connected).sum()), canvas, spacing)
        xy[~connected] = rows
        keep = np.flatnonzero(connected)
        recode = np.full(len(groups), -1)
        recode[keep] = np.arange(keep.size)
        pairs = recode[np.asarray(list(weight.index), dtype=np.int64).reshape(-1, 2)]
        graph = ig.Graph(n=keep.size, edges=pairs.tolist(), directed=False)
        start = np.random.default_rng(seed).uniform(-1, 1, size=(keep.size, 2))
        with engine.seeded(seed):
            raw = graph.layout_fruchterman_reingold(
                weights=np.log1p(weight.to_numpy()).tolist(), seed=start.tolist(), grid=False
            )
        bottom = canvas - band - (spacing if (~connected).any() else 0.0)
        xy[keep] = _fit(np.asarray(raw.coords, dtype=float), (-canvas, canvas), (-canvas, bottom))
    return pd.DataFrame(xy, index=groups, columns=["x", "y"])
