"""The whole comparison of two or more waves: :func:`compare_waves` and :class:`Comparison`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from onatool import engine, schema
from onatool.compare.churn import _boundary_attributes, _boundary_counts, _churn, _ties_table
from onatool.compare.cohort import _cohort
from onatool.compare.correlation import _qap
from onatool.compare.deltas import group_change, network_change, people_change
from onatool.compare.pairs import DEFAULT_PERMUTATIONS, _check_present, _layers, _Pair, _pair
from onatool.errors import InputFormatError, NotDefinedError, UnknownPersonError
from onatool.network import Network


# ---------------------------------------------------------------------------------
# The whole comparison
# ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Comparison:
    """The change between waves, ready to show or write.

    Attributes
    ----------
    summary
        ``change.json``: first-to-latest tie churn, Jaccard and its reading, QAP,
        boundary change counts, who was compared, and ``params``.
    ties
        ``ties_change``: ``source, target, status`` (new / lost / stable),
        ``weight_before, weight_after, crosses_<attribute>`` (NA when an end's attribute
        is missing), among the people compared, first wave to latest.
    people
        ``people_change``: person measures side by side (see :func:`people_change`),
        plus ``responded_<wave>``, ``compared`` and, with a cohort, ``in_cohort``.
    groups
        ``attribute -> groups_change`` (see :func:`group_change`).
    network
        Network and level measures side by side (see :func:`network_change`).
    cohort
        ``cohort.json`` (see :func:`cohort_change`), or None.
    timeline
        With three or more waves: one row per consecutive pair and one for first to
        latest; None with two.
    joiners, leavers, not_compared
        On the latest wave's table only; on the first's only; on both but left out
        by the ``present`` rule.
    params
        The options used.
    panel
        First to latest on the balanced panel (people who answered both waves):
        :func:`onatool.inference.resampling.panel_change`, each measure's change with
        its 95% interval and verdict; None when not computed (``resamples=0``) or when
        fewer than two people answered both.
    health
        The latest wave's health dashboard compared with the previous wave: "better" or
        "worse" only when the interval of the change on the balanced panel (previous to
        latest) excludes zero, else "no clear change"; None without ``resamples``.
    """

    summary: dict[str, Any]
    ties: pd.DataFrame
    people: pd.DataFrame
    groups: dict[str, pd.DataFrame]
    network: pd.DataFrame
    cohort: dict[str, Any] | None
    timeline: pd.DataFrame | None
    joiners: pd.Index
    leavers: pd.Index
    not_compared: pd.Index = field(default_factory=lambda: pd.Index([], name=schema.PERSON_ID))
    params: dict[str, Any] = field(default_factory=dict)
    panel: pd.DataFrame | None = None
    health: dict[str, Any] | None = None

    @property
    def waves(self) -> list[str]:
        """The wave labels, in time order."""
        return list(self.params.get("waves", []))


def _pair_figures(pair: _Pair, attributes: Sequence[str], *, seed: int, permutations: int,
                  ) -> tuple[dict[str, Any], pd.DataFrame]:
    ties = _ties_table(pair, attributes)
    figures = {
        **_churn(pair),
        **_qap(pair, seed=seed, permutations=permutations),
        **_boundary_counts(ties, attributes),
        "joiners": len(pair.joiners),
        "leavers": len(pair.leavers),
        "not_compared": len(pair.not_compared),
    }
    return figures, ties


def _timeline(layers: Sequence[Network], attributes: Sequence[str], *, symmetric: bool,
              present: str, seed: int, permutations: int) -> pd.DataFrame:
    spans = [(i, i + 1, "consecutive") for i in range(len(layers) - 1)]
    spans.append((0, len(layers) - 1, "first to latest"))
    rows = []
    for i, j, span in spans:
        pair = _pair(layers[i], layers[j], symmetric=symmetric, present=present)
        figures, _ = _pair_figures(pair, attributes, seed=seed, permutations=permutations)
        figures.pop("jaccard_reading")
        figures.pop("qap_p_convention")
        rows.append({"from": layers[i].wave, "to": layers[j].wave, "span": span, **figures})
    return pd.DataFrame(rows)


def _analyse_waves(networks: Sequence[Network], **options: Any) -> list[Any]:
    from onatool.metrics import analyse  # the metrics layer; compare sits above it

    analyses: list[Any] = []
    for net in networks:
        analyses.append(analyse(net, previous=analyses[-1] if analyses else None, **options))
    return analyses


def compare_waves(
    networks: Sequence[Network],
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    attributes: Sequence[str] | None = None,
    cohort: str | None = None,
    present: str = "respondents",
    seed: int = 0,
    permutations: int = DEFAULT_PERMUTATIONS,
    analyses: Sequence[Any] | None = None,
    resamples: int = engine.RESAMPLES,
) -> Comparison:
    """Compare two or more waves of one project.

    Parameters
    ----------
    networks
        The waves in time order, each with a distinct ``wave`` label; ``person_id``
        must mean the same person in each (one project key).
    relation, min_weight
        The relation and weight threshold; None takes the only relation, or all of
        them merged, and weights above 0, as :meth:`Network.layer` and ``analyse`` do.
    symmetric
        Compare unordered pairs; None follows the relation's declaration.
    attributes
        Boundary attributes for crossings and cohort measures (default: organisation,
        sector, profession, level and place, where every wave has them).
    cohort
        A ``cohort`` value (e.g. ``"Leadership programme"``) to compare with everyone
        else compared; None for no cohort comparison.
    present
        Who is compared: ``"respondents"`` (default) or ``"all"``; see the module notes.
    seed, permutations
        For the QAP and cohort p-values (and passed to ``analyse``).
    analyses
        Per-wave :class:`onatool.metrics.Analysis` results already computed with the
        same options (the app passes its cached ones); None runs ``analyse``.
    resamples
        Resamples of respondents behind each interval of change on the balanced panel
        (seeded with ``seed``; default :data:`onatool.engine.RESAMPLES`); 0 skips the
        panel and leaves every health change "no clear change".

    Returns
    -------
    Comparison

    Raises
    ------
    NotDefinedError
        Fewer than two waves, an unknown relation, attribute, cohort or rule.
    InputFormatError
        Two waves with the same label.

    Notes
    -----
    Tie churn, QAP, boundary crossings and the cohort are computed first wave to
    latest over the people compared; with three or more waves ``timeline`` repeats
    them for each consecutive pair. Person, group and network measures are each
    wave's own analysis (everyone in the wave), so they match that wave's report;
    ``network`` adds, for each measure with a panel figure, the change on the balanced
    panel (``panel_before``, ``panel_after``, ``panel_change``, ``change_low``,
    ``change_high``, ``verdict``, ``assessment``), which is what "better", "worse" and
    "no clear change" are decided on.
    """
    networks = list(networks)
    if len(networks) < 2:
        raise NotDefinedError(f"comparing waves needs at least two; got {len(networks)}")
    waves = [net.wave for net in networks]
    repeated = sorted({w for w in waves if waves.count(w) > 1})
    if repeated:
        raise InputFormatError(
            f"two waves share the label {repeated[0]!r}",
            expected="a distinct label per wave (e.g. --wave-names baseline,follow-up)",
        )
    _check_present(present)
    if analyses is not None and len(analyses) != len(networks):
        raise NotDefinedError(f"got {len(analyses)} analyses for {len(networks)} waves")
    layers, sym, relation_label = _layers(networks, relation, min_weight, symmetric)
    attrs = _boundary_attributes(layers, attributes)
    pair = _pair(layers[0], layers[-1], symmetric=sym, present=present)
    figures, ties = _pair_figures(pair, attrs, seed=seed, permutations=permutations)

    params = {
        "waves": waves,
        "relation": relation_label,
        "min_weight": min_weight,
        "symmetric": sym,
        "attributes": attrs,
        "present": present,
        "cohort": cohort,
        "seed": seed,
        "permutations": permutations,
        "resamples": resamples,
    }
    if analyses is None:
        analyses = _analyse_waves(
            networks, relation=relation, min_weight=min_weight, symmetric=symmetric,
            attributes=attributes, seed=seed,
        )
    people = people_change(analyses, waves)
    for net in networks:
        people[f"responded_{net.wave}"] = net.people[schema.RESPONDED].reindex(people.index).astype(bool)
    people["compared"] = people.index.isin(pair.ids)

    cohort_summary = None
    if cohort is not None:
        cohort_summary, member = _cohort(pair, cohort, attrs, seed=seed, permutations=permutations)
        people["in_cohort"] = people.index.isin(pair.ids[member])

    timeline = None
    if len(networks) > 2:
        timeline = _timeline(layers, attrs, symmetric=sym, present=present, seed=seed,
                             permutations=permutations)

    panel, latest_health = _panel(networks, analyses, relation=relation, min_weight=min_weight,
                                  symmetric=symmetric, attributes=attributes, resamples=resamples, seed=seed)
    network = network_change(analyses, waves)
    if panel is not None:
        network = network.join(_panel_columns(panel), how="left")
    summary = {
        **figures,
        "waves": waves,
        "response_rate": {net.wave: net.response_rate for net in networks},
        "panel": _panel_summary(panel, networks),
        "params": params,
    }
    return Comparison(
        summary=summary,
        ties=ties,
        people=people,
        groups=group_change(analyses, waves),
        network=network,
        cohort=cohort_summary,
        timeline=timeline,
        joiners=pair.joiners,
        leavers=pair.leavers,
        not_compared=pair.not_compared,
        params=params,
        panel=panel,
        health=latest_health,
    )


def _panel(networks: Sequence[Network], analyses: Sequence[Any], *, resamples: int, seed: int,
           **options: Any) -> tuple[pd.DataFrame | None, dict | None]:
    """First-to-latest change on the balanced panel, and the latest health assessed on the last pair's."""
    from onatool.inference.resampling import change_intervals, panel_change
    from onatool.metrics.health import reassess

    if resamples <= 0:
        return None, None

    def change(before: Network, after: Network) -> pd.DataFrame | None:
        try:
            return panel_change(before, after, resamples=resamples, seed=seed, **options)
        except NotDefinedError:
            return None

    panel = change(networks[0], networks[-1])
    last = panel if len(networks) == 2 else change(networks[-2], networks[-1])
    latest, previous = getattr(analyses[-1], "health", None), getattr(analyses[-2], "health", None)
    if latest is None:
        return panel, None
    intervals = change_intervals(last) if last is not None else {}
    return panel, reassess(latest, previous, intervals)


def _panel_columns(panel: pd.DataFrame) -> pd.DataFrame:
    return panel.rename(columns={"before": "panel_before", "after": "panel_after", "change": "panel_change",
                                 "low": "change_low", "high": "change_high", "resamples": "panel_resamples"})


def _panel_summary(panel: pd.DataFrame | None, networks: Sequence[Network]) -> dict[str, Any]:
    """What ``change.json`` says about the balanced panel: who, how, and the verdicts counted."""
    from onatool.inference.resampling import METHOD

    if panel is None:
        return {"people": None, "note": "not computed (no resamples, or fewer than two people answered both waves)"}
    return {
        "people": int(panel.attrs["people"]),
        "waves": list(panel.attrs["waves"]),
        "resamples": int(panel.attrs["resamples"]),
        "seed": int(panel.attrs["seed"]),
        "method": "change among the people who answered both waves; " + METHOD,
        "verdicts": {str(k): int(v) for k, v in panel["verdict"].value_counts().items()},
        "assessments": {str(k): int(v) for k, v in panel["assessment"].dropna().value_counts().items()},
        "respondents": {net.wave: len(net.respondents) for net in networks},
    }


def _people_status(comparison: Comparison) -> pd.DataFrame:
    rows = [(pid, "joined") for pid in comparison.joiners]
    rows += [(pid, "left") for pid in comparison.leavers]
    rows += [(pid, "not compared (did not answer in both waves)") for pid in comparison.not_compared]
    table = pd.DataFrame(rows, columns=[schema.PERSON_ID, "status"]).set_index(schema.PERSON_ID)
    return table.sort_index()


def change_network(comparison: Comparison, network: Network) -> tuple[Network, pd.Series]:
    """The ties of a comparison as one network, with each tie's status, for a change map.

    Parameters
    ----------
    comparison
        From :func:`compare_waves`.
    network
        The wave whose people (and attributes) the map shows, usually the latest.
        Everyone compared must be on its people table.

    Returns
    -------
    network, status
        A Network over ``network``'s people whose ties are every tie of
        ``comparison.ties`` (weight: the latest wave's, else the first's), and a
        Series of ``new`` / ``lost`` / ``stable`` aligned on its ties: pass it as
        ``edge_status`` to :func:`onatool.viz.style.style_network`.

    Raises
    ------
    UnknownPersonError
        If a tie's end is not on ``network``'s people table.

    Examples
    --------
    >>> a = Network.from_edges([("x", "y"), ("y", "z")], wave="w1")
    >>> b = Network.from_edges([("x", "y"), ("z", "x")], wave="w2")
    >>> comparison = compare_waves([a, b], permutations=0)
    >>> net, status = change_network(comparison, b)
    >>> sorted(status)
    ['lost', 'new', 'stable']
    """
    ties = comparison.ties
    relation = str(comparison.params.get("relation") or "tie")
    symmetric = bool(comparison.params.get("symmetric"))
    ends = pd.Index(pd.concat([ties[schema.SOURCE], ties[schema.TARGET]]).unique())
    unknown = ends.difference(network.people.index)
    if len(unknown):
        raise UnknownPersonError(
            f"{len(unknown)} person(s) tied in the comparison are not in wave {network.wave!r}, "
            f"e.g. {unknown[0]!r}; draw the change map on the latest wave"
        )
    weight = ties["weight_after"].fillna(ties["weight_before"]).astype(float)
    table = pd.DataFrame({
        schema.SOURCE: ties[schema.SOURCE].astype(object),
        schema.TARGET: ties[schema.TARGET].astype(object),
        schema.RELATION: relation,
        schema.WEIGHT: weight,
        schema.RAW_VALUE: weight.map(lambda w: f"{w:g}"),
    })
    label = f"{comparison.waves[0]} to {comparison.waves[-1]}" if comparison.waves else "change"
    net = Network(
        network.people, table, wave=label,
        relations={relation: schema.Relation(relation, relation, symmetric=symmetric)},
    )
    return net, pd.Series(ties["status"].astype(object).to_numpy(), index=net.ties.index, name="status")
