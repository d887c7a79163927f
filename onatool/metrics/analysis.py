""":func:`analyse`: every measure of one wave, relation and threshold, from the registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.errors import EmptyNetworkError, NotDefinedError
from onatool.metrics import boundary, brokerage, centrality, cohesion, groups, health, levels
from onatool.metrics.registry import _SPECS
from onatool.network import Network

#: Person measures from all shortest paths: the slow part of a large network's analysis.
_PATH_MEASURES = ("betweenness", "closeness_in", "closeness_out")


# Analysis -----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Analysis:
    """Every measure of one wave, relation and threshold.

    Attributes
    ----------
    people
        Indexed by ``person_id``: the analysed attributes, ``responded``, then every
        person measure (:func:`person_columns`).
    groups, mixing, block_density
        Per boundary attribute: the group table, the mixing matrix, the block densities.
    network
        Network measures (``ei_X``, ``assortativity_X`` ... per attribute).
    levels
        Tops/middles/bottoms measures, or None when people have no level (the reason
        is in ``params["levels"]``).
    health
        The health dashboard (:func:`onatool.metrics.health.health`).
    params
        How it was computed: wave, relation(s), threshold, symmetric, attributes,
        seed, onatool version, and whether betweenness and closeness are exact or
        sampled (with their standard error).
    """

    people: pd.DataFrame
    groups: dict[str, pd.DataFrame]
    mixing: dict[str, pd.DataFrame]
    block_density: dict[str, pd.DataFrame]
    network: dict
    levels: dict | None
    health: dict
    params: dict = field(default_factory=dict)


def _attributes(lay: engine.Layer, attributes: Sequence[str] | None) -> list[str]:
    if attributes is None:
        defaults = (*schema.BOUNDARY_ATTRIBUTES, schema.PLACE)
        return [a for a in defaults if a in lay.people.columns]
    attributes = list(dict.fromkeys(attributes))
    missing = [a for a in attributes if a not in lay.people.columns]
    if missing:
        have = [c for c in lay.people.columns if c != schema.RESPONDED]
        raise NotDefinedError(
            f"attribute {missing[0]!r} is not in the people table of wave {lay.wave!r}; "
            f"it has {', '.join(map(repr, have)) or 'no attributes'}"
        )
    return attributes


def analyse(
    network: Network,
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    attributes: Sequence[str] | None = None,
    seed: int = 0,
    previous: Analysis | None = None,
    betweenness_samples: int | None = None,
) -> Analysis:
    """Compute every measure of one wave.

    Parameters
    ----------
    network
        The wave.
    relation
        The relation to analyse; None: the only one, or all of them merged (a pair is
        tied when any relation links it at the threshold).
    min_weight
        Ties need at least this weight; None keeps weights above 0.
    symmetric
        Treat the relation as mutual; None: as declared.
    attributes
        Boundary attributes; None: ``organisation, sector, profession, level, place``,
        those present. A list: exactly those.
    seed
        For Leiden communities, the E-I permutation test and sampled betweenness.
    previous
        The previous wave's Analysis: the health dashboard then shows change.
    betweenness_samples
        None: exact betweenness and closeness up to 10,000 people, else estimated from
        1,000 sampled sources. An integer: that many sources (exact if at least n).

    Returns
    -------
    Analysis

    Raises
    ------
    EmptyNetworkError
        If the network has no people.
    NotDefinedError
        If the relation, or a listed attribute, is not in the network.

    Examples
    --------
    >>> people = {"a": {"organisation": "GP"}, "b": {"organisation": "GP"},
    ...           "c": {"organisation": "Council"}}
    >>> result = analyse(Network.from_edges([("a", "b"), ("b", "c"), ("c", "a")], people=people))
    >>> row = result.people.loc["b"]
    >>> int(row["degree"]), float(row["ei_organisation"]), float(row["representative_organisation"])
    (2, 0.0, 1.0)
    >>> result.network["ei_organisation"], result.params["betweenness"]["method"]
    (0.3333333333333333, 'exact')
    """
    if network.n_people == 0:
        raise EmptyNetworkError(f"wave {network.wave!r} has no people to analyse")
    lay = engine.layer(network, relation, min_weight, symmetric)
    attrs = _attributes(lay, attributes)
    # On a large network shortest paths and the E-I tests run in a second process while the
    # rest runs here (the same values; engine.paths_alongside).
    with engine.paths_alongside(lay, betweenness_samples, seed, ei_attributes=attrs,
                                permutations=boundary.PERMUTATIONS):
        return _analyse_layer(network, lay, attrs, seed, previous, betweenness_samples)


def _analyse_layer(network: Network, lay: engine.Layer, attrs: list[str], seed: int,
                   previous: Analysis | None, betweenness_samples: int | None) -> Analysis:
    samples = {"samples": betweenness_samples, "seed": seed}
    brokerage.two_path_census(lay, attrs)  # one pass over two-paths for every attribute

    # People. Shortest-path measures are read last (below): on a large network they are
    # being computed in a second process meanwhile (engine.paths_alongside).
    person_specs = [spec for spec in _SPECS if spec.level == "person" and not spec.per_attribute]
    columns: dict[str, pd.Series | pd.DataFrame] = {}
    for spec in person_specs:
        if spec.name == "community":
            columns[spec.name] = spec.function(lay, seed=seed)
        elif spec.name not in _PATH_MEASURES:
            columns[spec.name] = spec.function(lay)
    for attribute in attrs:
        columns[attribute] = pd.concat([
            boundary.ei(lay, attribute),
            boundary.external(lay, attribute),
            boundary.participation(lay, attribute),
            brokerage.brokerage(lay, attribute),
        ], axis=1)

    # Groups.
    group_tables = {a: groups.group_table(lay, a) for a in attrs}
    mixing = {a: groups.mixing_matrix(lay, a) for a in attrs}
    density = {a: groups.block_density(lay, a) for a in attrs}

    # Network.
    net = {
        **cohesion.counts(lay),
        "density": cohesion.density(lay),
        "reciprocity": cohesion.reciprocity(lay),
        "transitivity": cohesion.transitivity(lay),
        "transitivity_undirected": cohesion.transitivity_undirected(lay),
        "centralization_in_degree": cohesion.centralization_in_degree(lay),
        "centralization_out_degree": cohesion.centralization_out_degree(lay),
        "centralization_betweenness": None,  # with the shortest paths, below
        "components": cohesion.components(lay),
        "largest_component_share": cohesion.largest_component_share(lay),
        "isolates": cohesion.isolates(lay),
        "modularity_community": groups.modularity_communities(lay, seed=seed),
    }

    # Tops, middles and bottoms.
    try:
        level_results, levels_note = levels.levels(lay), "computed"
    except NotDefinedError as error:
        level_results, levels_note = None, f"not defined: {error}"

    # E-I tests, late: on a large network the second process runs them first.
    for attribute in attrs:
        net.update(boundary.ei_network(lay, attribute, seed=seed))
        net[f"assortativity_{attribute}"] = groups.assortativity(lay, attribute)
        net[f"modularity_{attribute}"] = groups.modularity(lay, attribute)

    # Shortest paths, then what rests on them (health's reach without the top brokers).
    for spec in person_specs:
        if spec.name in _PATH_MEASURES:
            columns[spec.name] = spec.function(lay, **samples)
    people = pd.concat([lay.people[attrs], lay.people[[schema.RESPONDED]],
                        *(columns[spec.name] for spec in person_specs), *(columns[a] for a in attrs)], axis=1)
    net["centralization_betweenness"] = cohesion.centralization_betweenness(lay, **samples)
    dashboard = health.health(
        lay, attributes=attrs, previous=previous.health if previous is not None else None,
        **samples,
    )
    _on_own_relation(network, lay, dashboard, previous)

    return Analysis(
        people=people,
        groups=group_tables,
        mixing=mixing,
        block_density=density,
        network=net,
        levels=level_results,
        health=dashboard,
        params=_params(lay, attrs, seed, betweenness_samples, levels_note, previous),
    )


def _on_own_relation(network: Network, lay: engine.Layer, dashboard: dict, previous) -> None:
    """Read the health indicators that have a relation of their own on it (registry ``relation``).

    Upward voice is read on "who would you go to with a concern", whatever relation is
    analysed; each such entry gains ``relation`` and ``relation_note`` (why, or the
    fallback to the relation analysed when the wave lacks its own).
    """
    from onatool.metrics.registry import relation_for

    for spec in _SPECS:
        if spec.level != "health" or not spec.relation or spec.name not in dashboard:
            continue
        relation, note = relation_for(spec.key, network.relation_names, lay.relation)
        entry = dashboard[spec.name]
        entry.update(relation=relation, relation_note=note)
        if relation == lay.relation:
            continue
        try:
            entry["value"] = spec.function(engine.layer(network, relation, lay.min_weight))
        except NotDefinedError:
            entry["value"] = float("nan")
        if previous is not None:
            health._compare(entry, previous.health.get(spec.name))


def _params(lay, attrs, seed, samples, levels_note, previous) -> dict:
    from onatool import __version__

    merged = len(lay.relations) > 1
    params = {
        "wave": lay.wave,
        "relation": lay.relation,
        "relations": list(lay.relations),
        "merged": merged,
        "min_weight": lay.min_weight,
        "threshold": "weight above 0" if lay.min_weight is None else f"weight >= {lay.min_weight:g}",
        "symmetric": not lay.directed,
        "attributes": list(attrs),
        "seed": seed,
        "onatool_version": __version__,
        "ei_permutations": boundary.PERMUTATIONS,
        "levels": levels_note,
        "previous_wave": previous.params.get("wave") if previous is not None else None,
    }
    if merged:
        params["note"] = (
            f"relations {', '.join(lay.relations)} merged: a pair counts as tied when any "
            "of them links it"
        )
    for name, result in (
        ("betweenness", engine.betweenness(lay, samples, seed)),
        ("closeness_in", engine.harmonic_closeness(lay, "in", samples, seed)),
        ("closeness_out", engine.harmonic_closeness(lay, "out", samples, seed)),
    ):
        scale = centrality._pairs(lay) if name == "betweenness" else 1.0
        error = result.standard_error / scale
        params[name] = {
            "method": "exact" if result.exact else "sampled",
            "samples": result.samples,
            # Typical (root mean square) and largest standard error over people, on the
            # scale of the person column; estimates are rarely further than twice these.
            "standard_error_rms": float(np.sqrt(np.mean(error**2))) if len(error) else 0.0,
            "standard_error_max": float(error.max()) if len(error) else 0.0,
        }
    if params["betweenness"]["method"] == "sampled":
        params["betweenness"]["note"] = engine.SAMPLED_BETWEENNESS_NOTE
    return params
