"""Cohort comparison: did a programme's cohort build more cross-boundary contacts than everyone else?"""

from __future__ import annotations

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


def _person_measures(pair: _Pair, attributes: Sequence[str]) -> pd.DataFrame:
    """Per person compared: change in degree, external contacts and E-I; new contacts across.

    Computed on the network among the people compared only, so a change in who
    answered elsewhere does not move them. Contacts count either way; the measures are
    :mod:`onatool.metrics.boundary`'s, so a person's E-I here is the E-I metrics gives
    on the same ties (blank group text is unknown, as everywhere).
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
    return pd.DataFrame(measures, index=pair.ids)


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


def _cohort(
    pair: _Pair, cohort: str, attributes: Sequence[str], *, seed: int, permutations: int,
) -> tuple[dict[str, Any], np.ndarray]:
    member = _cohort_members(pair, cohort)
    measures = _person_measures(pair, attributes)
    results = _mean_differences(measures, member, seed=seed, permutations=permutations)
    k = int(member.sum())
    summary = {
        "cohort": str(cohort),
        "waves": [pair.before.wave, pair.after.wave],
        "people_compared": pair.n,
        "members": k,
        "others": pair.n - k,
        "small_numbers": k < SMALL_COHORT or pair.n - k < SMALL_COHORT,
        "permutations": permutations,
        "seed": seed,
        "p_convention": _P_CONVENTION.replace("statistic", "difference in means")
        + "; cohort labels shuffled among the people compared",
        "measures": results,
    }
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
    layers, sym, _ = _layers([before, after], relation, min_weight, symmetric)
    attrs = _boundary_attributes(layers, attributes)
    pair = _pair(layers[0], layers[1], symmetric=sym, present=present)
    return _cohort(pair, cohort, attrs, seed=seed, permutations=permutations)[0]
