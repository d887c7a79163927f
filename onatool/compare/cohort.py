"""Cohort comparison: did a programme's cohort build more cross-boundary contacts than everyone else?"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.compare.churn import _boundary_attributes
from onatool.compare.correlation import _BATCH_CELLS
from onatool.compare.pairs import (
    _P_CONVENTION,
    DEFAULT_PERMUTATIONS,
    SMALL_COHORT,
    _layers,
    _Pair,
    _pair,
    _tie_codes,
)
from onatool.errors import NotDefinedError
from onatool.metrics import boundary
from onatool.network import Network


# ---------------------------------------------------------------------------------
# Cohort comparison
# ---------------------------------------------------------------------------------
def _contact_layer(wave: Network, pair: _Pair, codes: np.ndarray) -> engine.Layer:
    """The ties ``codes`` among the people compared, as contacts (either direction).

    Attributes come from ``wave``'s people table, so each wave's E-I is judged by that
    wave's groups.
    """
    rows, columns = np.divmod(codes, pair.n) if pair.n else (codes, codes)
    table = wave.people.reindex(pair.ids)
    return engine.from_arcs(table, rows, columns, directed=False, wave=wave.wave)


def _person_measures(pair: _Pair, attributes: Sequence[str],
                     member: np.ndarray | None = None) -> pd.DataFrame:
    """Per person compared: change in degree, external contacts and E-I; new contacts across.

    Computed on the network among the people compared only, so a change in who
    answered elsewhere does not move them. Contacts count either way; the measures are
    :mod:`onatool.metrics.boundary`'s, so a person's E-I here is the E-I metrics gives
    on the same ties (blank group text is unknown, as everywhere). With ``member``,
    ``new_external_X`` is also split by the other person's membership:
    ``new_external_X_with_cohort`` + ``new_external_X_with_others``.
    """
    before = _contact_layer(pair.before, pair, pair.codes_before)
    after = _contact_layer(pair.after, pair, pair.codes_after)
    gained_codes = np.setdiff1d(
        _unordered(pair.codes_after, pair.n), _unordered(pair.codes_before, pair.n),
        assume_unique=True,
    )
    gained = _contact_layer(pair.after, pair, gained_codes)
    measures = {"degree_change": (after.degree - before.degree).astype(float)}
    for attribute in attributes:
        external_before = boundary.external(before, attribute).to_numpy(dtype=float)
        external_after = boundary.external(after, attribute).to_numpy(dtype=float)
        measures[f"external_{attribute}_change"] = external_after - external_before
        measures[f"ei_{attribute}_change"] = (
            boundary.ei(after, attribute).to_numpy(dtype=float)
            - boundary.ei(before, attribute).to_numpy(dtype=float)
        )
        measures[f"new_external_{attribute}"] = boundary.external(gained, attribute).to_numpy(
            dtype=float
        )
        if member is not None:
            with_cohort, with_others = _split_by_partner(pair, gained_codes, attribute, member)
            measures[f"new_external_{attribute}_with_cohort"] = with_cohort
            measures[f"new_external_{attribute}_with_others"] = with_others
    return pd.DataFrame(measures, index=pair.ids)


def _split_by_partner(pair: _Pair, contacts: np.ndarray, attribute: str,
                      member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's new contacts across ``attribute`` with cohort members, and with others.

    ``contacts`` are unordered pair codes; groups are the later wave's (as for
    ``new_external_X``); NaN for a person whose own group is unknown.
    """
    group = engine.people_codes(pair.after.people, attribute, pair.ids)
    lo, hi = np.divmod(contacts, pair.n) if pair.n else (contacts, contacts)
    across = (group[lo] >= 0) & (group[hi] >= 0) & (group[lo] != group[hi])
    lo, hi = lo[across], hi[across]
    ends = np.r_[lo, hi]
    partners = np.r_[hi, lo]
    with_cohort = np.bincount(ends[member[partners]], minlength=pair.n).astype(float)
    with_others = np.bincount(ends[~member[partners]], minlength=pair.n).astype(float)
    unknown = group < 0
    with_cohort[unknown] = np.nan
    with_others[unknown] = np.nan
    return with_cohort, with_others


def _unordered(codes: np.ndarray, n: int) -> np.ndarray:
    """Unordered pair codes ``lo * n + hi``: who is tied to whom in either direction."""
    if not len(codes):
        return codes
    rows, columns = np.divmod(codes, n)
    return np.unique(np.minimum(rows, columns) * n + np.maximum(rows, columns))


def _cohort_members(pair: _Pair, cohort: str) -> np.ndarray:
    """Whether each person compared is in the named cohort in either wave."""
    wanted = str(cohort).strip().casefold()
    found: set[str] = set()
    member = np.zeros(pair.n, dtype=bool)
    for net in (pair.before, pair.after):
        if schema.COHORT not in net.people.columns:
            continue
        values = net.people[schema.COHORT].dropna().astype(str).str.strip()
        found.update(values)
        member |= values.str.casefold().eq(wanted).reindex(pair.ids, fill_value=False).to_numpy(dtype=bool)
    if not found:
        raise NotDefinedError(
            f"no wave has a {schema.COHORT!r} attribute, so cohort {cohort!r} cannot be found; "
            "add a cohort column to the roster"
        )
    if not member.any():
        raise NotDefinedError(
            f"nobody compared is in cohort {cohort!r}; cohorts on the roster: "
            f"{', '.join(sorted(found))}"
        )
    return member


def _mean_differences(
    measures: pd.DataFrame, member: np.ndarray, *, seed: int, permutations: int,
) -> dict[str, dict[str, Any]]:
    """Per measure: difference in means (members − others), label-permutation p-value.

    People with a missing value (E-I with no contacts) are left out of that measure.
    Measures missing for the same people share one set of shuffled labels, so the
    permuted sums of all of them come from one matrix product.
    """
    values = measures.to_numpy(dtype=float)
    valid = ~np.isnan(values)
    patterns: dict[bytes, list[int]] = {}
    for j in range(values.shape[1]):
        patterns.setdefault(np.packbits(valid[:, j]).tobytes(), []).append(j)
    results: dict[str, dict[str, Any]] = {}
    for columns in patterns.values():
        rows = valid[:, columns[0]]
        v, m = values[rows][:, columns], member[rows]
        k, n = int(m.sum()), len(v)
        if k == 0 or k == n:
            for j in columns:
                results[measures.columns[j]] = {
                    "n_cohort": k, "n_others": n - k, "cohort_mean": float("nan"),
                    "others_mean": float("nan"), "difference": float("nan"), "p": float("nan"),
                }
            continue
        total, inside = v.sum(axis=0), v[m].sum(axis=0)
        observed = inside / k - (total - inside) / (n - k)
        # Differences equal to the observed one but for rounding count as ties.
        threshold = np.abs(observed) - 1e-9 * np.maximum(1.0, np.abs(observed))
        extreme = np.zeros(len(columns), dtype=np.int64)
        rng = np.random.default_rng(seed)
        batch = max(1, min(permutations, _BATCH_CELLS // n))
        done = 0
        while done < permutations:
            size = min(batch, permutations - done)
            labels = rng.permuted(np.tile(m, (size, 1)), axis=1)
            sums = labels.astype(float) @ v
            differences = sums / k - (total - sums) / (n - k)
            extreme += (np.abs(differences) >= threshold).sum(axis=0)
            done += size
        for i, j in enumerate(columns):
            results[measures.columns[j]] = {
                "n_cohort": k,
                "n_others": n - k,
                "cohort_mean": float(inside[i] / k),
                "others_mean": float((total[i] - inside[i]) / (n - k)),
                "difference": float(observed[i]),
                "p": float((extreme[i] + 1) / (permutations + 1)) if permutations > 0 else float("nan"),
            }
    return {name: results[name] for name in measures.columns}


#: Who a new tie is between: both ends in the cohort, one end, neither.
TIE_CLASSES = ("within", "spillover", "background")
_CLASS_ENDS = {"within": 2, "spillover": 1, "background": 0}
#: Bootstrap resamples for the cohort's interval unless told otherwise.
DEFAULT_RESAMPLES = 2000


def _interval_method(resamples: int, seed: int) -> str:
    return (f"95% percentile bootstrap of the difference in means: members and others resampled "
            f"separately with replacement, {resamples} resamples, seed {seed}. People are "
            "resampled, so a tie between two members counts in both their figures.")


def _bootstrap_intervals(measures: pd.DataFrame, member: np.ndarray, *, seed: int,
                         resamples: int) -> dict[str, tuple[float, float]]:
    """95% percentile interval of ``mean(members) - mean(others)`` per measure.

    Members and others are resampled separately (a stratified bootstrap), each measure
    over the people for whom it is defined, from its own generator seeded with ``seed``
    so a measure's interval does not depend on which other measures are computed.
    """
    out: dict[str, tuple[float, float]] = {}
    for name in measures.columns:
        values = measures[name].to_numpy(dtype=float)
        valid = ~np.isnan(values)
        inside, outside = values[valid & member], values[valid & ~member]
        if resamples <= 0 or len(inside) == 0 or len(outside) == 0:
            out[name] = (float("nan"), float("nan"))
            continue
        rng = np.random.default_rng(seed)
        a = inside[rng.integers(0, len(inside), (resamples, len(inside)))].mean(axis=1)
        b = outside[rng.integers(0, len(outside), (resamples, len(outside)))].mean(axis=1)
        low, high = np.quantile(a - b, [0.025, 0.975])
        out[name] = (float(low), float(high))
    return out


def _new_tie_codes(pair: _Pair) -> np.ndarray:
    return np.setdiff1d(pair.codes_after, pair.codes_before, assume_unique=True)


def _classes(codes: np.ndarray, n: int, member: np.ndarray) -> np.ndarray:
    """0, 1 or 2: how many ends of each tie are cohort members."""
    rows, columns = np.divmod(codes, n) if n else (codes, codes)
    return member[rows].astype(int) + member[columns]


def _crossing(pair: _Pair, codes: np.ndarray, attribute: str | None) -> np.ndarray:
    """Whether each tie joins two known, different groups of ``attribute`` (later wave's);
    every tie when ``attribute`` is None."""
    if attribute is None:
        return np.ones(len(codes), dtype=bool)
    group = engine.people_codes(pair.after.people, attribute, pair.ids)
    rows, columns = np.divmod(codes, pair.n) if pair.n else (codes, codes)
    return (group[rows] >= 0) & (group[columns] >= 0) & (group[rows] != group[columns])


def _open_pairs(pair: _Pair, member: np.ndarray, attribute: str | None) -> dict[str, int]:
    """Pairs that could gain a tie, by class: untied in the earlier wave (ordered pairs; one
    per unordered pair when symmetric), across ``attribute`` when given."""
    n = pair.n
    candidate = ~np.eye(n, dtype=bool)
    if pair.symmetric:
        candidate &= np.tri(n, k=-1, dtype=bool).T
    if attribute is not None:
        group = engine.people_codes(pair.after.people, attribute, pair.ids)
        candidate &= (group[:, None] >= 0) & (group[None, :] >= 0) & (group[:, None] != group[None, :])
    tied = np.zeros(n * n, dtype=bool)
    tied[pair.codes_before] = True
    candidate &= ~tied.reshape(n, n)
    count = member[:, None].astype(int) + member[None, :]
    return {name: int((candidate & (count == ends)).sum()) for name, ends in _CLASS_ENDS.items()}


def _decomposition(pair: _Pair, member: np.ndarray, attributes: Sequence[str],
                   measures: pd.DataFrame) -> dict[str, Any]:
    """New ties by class (within, spillover, background), in all and across each attribute.

    Per scope (``all`` and each attribute): ``ties`` (new ties, ordered pairs for a
    directed relation), ``open_pairs`` and ``per_100_pairs`` per class; and, across an
    attribute, each side's mean new contacts split by the other person's membership.
    """
    codes = _new_tie_codes(pair)
    classes = _classes(codes, pair.n, member)
    out: dict[str, Any] = {}
    for scope in (None, *attributes):
        crossing = _crossing(pair, codes, scope)
        ties = {name: int((crossing & (classes == ends)).sum()) for name, ends in _CLASS_ENDS.items()}
        open_pairs = _open_pairs(pair, member, scope)
        entry: dict[str, Any] = {
            "ties": ties,
            "open_pairs": open_pairs,
            "per_100_pairs": {name: 100 * ties[name] / open_pairs[name] if open_pairs[name] else float("nan")
                              for name in TIE_CLASSES},
        }
        if scope is not None and f"new_external_{scope}_with_cohort" in measures.columns:
            total = measures[f"new_external_{scope}"]
            with_cohort = measures[f"new_external_{scope}_with_cohort"]
            with_others = measures[f"new_external_{scope}_with_others"]
            entry["members"] = {"mean": float(total[member].mean()),
                                "within_mean": float(with_cohort[member].mean()),
                                "spillover_mean": float(with_others[member].mean())}
            entry["others"] = {"mean": float(total[~member].mean()),
                               "spillover_mean": float(with_cohort[~member].mean()),
                               "background_mean": float(with_others[~member].mean())}
        out["all" if scope is None else scope] = entry
    return out


def _persistence(pair: _Pair, member: np.ndarray, following: Network, attributes: Sequence[str],
                 present: str) -> dict[str, Any]:
    """Of the ties new in ``pair.after``, how many ``following`` still has, by class.

    Among the people compared who are also in ``following``'s panel (answered it, under
    the ``respondents`` rule; on its table, under ``all``): a new tie counts when both
    its ends are in that panel, and is kept when ``following`` has it.
    """
    on_next = following.people.reindex(pair.ids)
    panel = on_next.index.isin(following.people.index)
    if present == "respondents":
        panel &= on_next[schema.RESPONDED].fillna(False).to_numpy(dtype=bool)
    kept_codes, _ = _tie_codes(following, pair.ids, pair.symmetric)
    codes = _new_tie_codes(pair)
    rows, columns = np.divmod(codes, pair.n) if pair.n else (codes, codes)
    seen = panel[rows] & panel[columns]
    kept = np.isin(codes, kept_codes)
    classes = _classes(codes, pair.n, member)
    out: dict[str, Any] = {"wave": following.wave, "people": int(panel.sum())}
    for scope in (None, *attributes):
        crossing = _crossing(pair, codes, scope)
        entry = {}
        for name, ends in _CLASS_ENDS.items():
            chosen = crossing & seen & (classes == ends)
            still = int((chosen & kept).sum())
            entry[name] = {"new_ties": int(chosen.sum()), "still_ties": still,
                           "share_kept": still / int(chosen.sum()) if chosen.any() else float("nan")}
        out["all" if scope is None else scope] = entry
    return out


def _cohort(
    pair: _Pair, cohort: str, attributes: Sequence[str], *, seed: int, permutations: int,
    resamples: int = DEFAULT_RESAMPLES, following: Network | None = None,
    present: str = "respondents",
) -> tuple[dict[str, Any], np.ndarray]:
    member = _cohort_members(pair, cohort)
    measures = _person_measures(pair, attributes, member)
    results = _mean_differences(measures, member, seed=seed, permutations=permutations)
    intervals = _bootstrap_intervals(measures, member, seed=seed, resamples=resamples)
    for name, (low, high) in intervals.items():
        results[name]["interval"] = [low, high]
    k = int(member.sum())
    summary = {
        "cohort": str(cohort),
        "waves": [pair.before.wave, pair.after.wave],
        "people_compared": pair.n,
        "members": k,
        "others": pair.n - k,
        "small_numbers": k < SMALL_COHORT or pair.n - k < SMALL_COHORT,
        "descriptive_only": k < SMALL_COHORT,
        "permutations": permutations,
        "seed": seed,
        "resamples": resamples,
        "p_convention": _P_CONVENTION.replace("statistic", "difference in means")
        + "; cohort labels shuffled among the people compared",
        "interval_method": _interval_method(resamples, seed),
        "measures": results,
        "new_ties": _decomposition(pair, member, attributes, measures),
    }
    if following is not None:
        summary["persistence"] = _persistence(pair, member, following, attributes, present)
    return summary, member


def cohort_change(
    before: Network,
    after: Network,
    cohort: str,
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
    attributes: Sequence[str] | None = None,
    present: str = "respondents",
    seed: int = 0,
    permutations: int = DEFAULT_PERMUTATIONS,
    resamples: int = DEFAULT_RESAMPLES,
    following: Network | None = None,
) -> dict[str, Any]:
    """How a cohort's connections changed, against everyone else compared.

    Parameters
    ----------
    before, after
        Two waves of one project, in time order.
    cohort
        A value of the ``cohort`` attribute (compared ignoring case and surrounding
        spaces); a person is a member if either wave lists them in it.
    relation, min_weight, symmetric, present
        As for :func:`tie_churn`.
    attributes
        Boundary attributes (default: organisation, sector, profession, level and
        place, where every wave has them).
    seed, permutations
        For the permutation p-values.
    resamples
        For the bootstrap interval of each difference (0: none).
    following
        The wave after ``after``: adds ``persistence``, how many of the ties new in
        ``after`` it still has.

    Returns
    -------
    dict
        ``cohort``, ``members``, ``others``, ``people_compared``, ``small_numbers``
        (fewer than 10 on either side), ``measures``: for each measure
        ``cohort_mean``, ``others_mean``, ``difference`` (cohort minus others),
        ``p``, ``n_cohort``, ``n_others``. Measures, per person, on the network among
        the people compared: ``degree_change`` (distinct contacts, either direction),
        ``external_X_change`` (contacts in another group of X), ``ei_X_change``
        (Krackhardt-Stern E-I; people with no contacts in a wave are left out), and
        ``new_external_X`` (contacts across X in the later wave not tied in the
        earlier). These are :mod:`onatool.metrics.boundary`'s measures: a person whose
        group is unknown (missing or blank) is left out of them, as in every analysis.

    Raises
    ------
    NotDefinedError
        No ``cohort`` attribute, or nobody compared in the cohort.

    Notes
    -----
    ``difference = mean(members) − mean(others)``; its p-value shuffles the cohort
    labels among the people compared (seeded) and is two-sided,
    ``(#{|d_perm| >= |d_obs|} + 1) / (permutations + 1)``. Plainly: could a group
    this size, picked at random, have changed this much more (or less) than the rest?
    It says nothing about why: people chosen for a programme may differ from the rest
    before it starts.

    Examples
    --------
    >>> people = {"a": {"cohort": "LP"}, "b": {"cohort": "LP"}, "c": {}, "d": {}}
    >>> before = Network.from_edges([("a", "b"), ("c", "d")], people=people)
    >>> after = Network.from_edges([("a", "b"), ("a", "c"), ("b", "d")], people=people)
    >>> result = cohort_change(before, after, "LP", permutations=0)
    >>> result["measures"]["degree_change"]["difference"]  # members +1 each, others 0
    1.0
    """
    waves = [before, after] if following is None else [before, after, following]
    layers, sym, _ = _layers(waves, relation, min_weight, symmetric)
    attrs = _boundary_attributes(layers, attributes)
    pair = _pair(layers[0], layers[1], symmetric=sym, present=present)
    return _cohort(pair, cohort, attrs, seed=seed, permutations=permutations, resamples=resamples,
                   following=layers[2] if following is not None else None, present=present)[0]


def cohort_values(*networks: Network) -> list[str]:
    """The cohorts on any of the waves' people tables, sorted (one spelling per cohort,
    compared ignoring case and surrounding spaces, the first seen kept)."""
    found: dict[str, str] = {}
    for net in networks:
        if schema.COHORT in net.people.columns:
            for value in net.people[schema.COHORT].dropna().astype(str).str.strip():
                if value:
                    found.setdefault(value.casefold(), value)
    return sorted(found.values(), key=str.casefold)


def cohort_changes(
    before: Network,
    after: Network,
    cohorts: Sequence[str] | None = None,
    **options: Any,
) -> dict[str, dict[str, Any]]:
    """:func:`cohort_change` for several cohorts: one result per cohort, by name.

    Each cohort is compared with everyone else compared (members of other cohorts
    included). ``cohorts`` None takes every cohort on either wave; a cohort with
    nobody compared is left out (its error text under ``"error"``).

    Examples
    --------
    >>> people = {"a": {"cohort": "LP1"}, "b": {"cohort": "LP2"}, "c": {}, "d": {}}
    >>> before = Network.from_edges([("a", "b"), ("c", "d")], people=people)
    >>> after = Network.from_edges([("a", "b"), ("a", "c")], people=people)
    >>> sorted(cohort_changes(before, after, permutations=0, resamples=0))
    ['LP1', 'LP2']
    """
    chosen = list(cohorts) if cohorts is not None else cohort_values(before, after)
    out: dict[str, dict[str, Any]] = {}
    for cohort in chosen:
        try:
            out[cohort] = cohort_change(before, after, cohort, **options)
        except NotDefinedError as error:
            out[cohort] = {"cohort": cohort, "error": str(error)}
    return out


# ---------------------------------------------------------------------------------
# The cohort headline
# ---------------------------------------------------------------------------------
_PLURALS = {"organisation": "organisations", "sector": "sectors", "profession": "professions",
            "level": "levels", "place": "places"}


def cohort_sentence(cohort: dict[str, Any], attribute: str, label: str | None = None,
                    ) -> tuple[str, str, dict[str, float]] | None:
    """The cohort headline, its note and every number in them, from a cohort result.

    The headline gives members' mean new contacts across ``attribute`` and how many of
    them are with other participants, against everyone else's; the note gives the
    difference with its 95% interval and, from 10 members compared, whether it is
    likely to be chance (below 10 it describes the group only), and what was kept a
    wave later when ``persistence`` is there. Association only: no causal wording.

    Returns
    -------
    (text, note, values) or None
        None when the result has no new contacts across ``attribute``.
    """
    name = f"new_external_{attribute}"
    measure = cohort.get("measures", {}).get(name)
    split = cohort.get("new_ties", {}).get(attribute, {})
    if measure is None or "members" not in split:
        return None
    label = label or str(cohort.get("cohort", "programme"))
    plural = _PLURALS.get(attribute, f"{attribute} groups")
    members, others = split["members"], split["others"]
    values = {"cohort_mean": members["mean"], "within_mean": members["within_mean"],
              "spillover_mean": members["spillover_mean"], "others_mean": others["mean"],
              "others_with_cohort_mean": others["spillover_mean"], "members": cohort["members"],
              "others": cohort["others"]}
    text = (f"Since the last survey, people on the {label} gained on average {members['mean']:.1f} new "
            f"contacts in other {plural}, {members['within_mean']:.1f} of them with other participants; "
            f"everyone else gained {others['mean']:.1f}, {others['spillover_mean']:.1f} of them with "
            "participants.")
    difference, (low, high) = measure["difference"], measure.get("interval", [math.nan, math.nan])
    p = measure.get("p", math.nan)
    values.update(difference=difference, interval_low=low, interval_high=high, p=p)
    if cohort.get("descriptive_only"):
        note = (f"Only {cohort['members']} participants answered both surveys: these figures describe "
                "this group and are too few to test against chance.")
    else:
        shown = f"{difference:.1f} contacts per person"
        if math.isfinite(low) and math.isfinite(high):
            shown += f" (95% interval {low:.1f} to {high:.1f})"
        if math.isfinite(p) and p < 0.05 and math.isfinite(low) and (low > 0 or high < 0):
            shown_p = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
            note = f"A difference of {shown} is unlikely to be chance ({shown_p})."
        else:
            note = f"A difference of {shown} could be chance."
    kept = cohort.get("persistence", {}).get(attribute)
    if kept and kept["within"]["new_ties"] and kept["background"]["new_ties"]:
        within, background = kept["within"]["share_kept"], kept["background"]["share_kept"]
        values.update(kept_within=within, kept_background=background)
        note += (f" At the next survey, {within:.0%} of the new ties between participants were still "
                 f"named, against {background:.0%} of new ties between other people.")
    note += (" People chosen for a programme may differ from others before it starts, so this is an "
             "association, not evidence of the programme's effect.")
    return text, note, values
