"""Boundary spanning: E-I index, external contacts and participation across an attribute.

Person measures count distinct contacts ``N(i)`` (tied either way), by whether they
are in the person's own group (``I``, internal) or another group (``E``, external).

Missing group values: contacts whose group is unknown are left out of E and I (and
of participation); a person whose own group is unknown has NaN for ``ei_X`` and
``external_X`` (inside or outside is undefined), while ``participation_X``, which
does not depend on the person's own group, is still computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onatool import engine
from onatool.engine import Layer
from onatool.network import Network

__all__ = [
    "PERMUTATIONS",
    "ei",
    "ei_network",
    "external",
    "participation",
]

Net = Network | Layer

#: Label permutations for the E-I significance test.
PERMUTATIONS = 1000


def _internal_external(lay: Layer, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """I and E contact counts per person (own group known; contacts with known group)."""
    ego, alter = lay.contacts
    g_ego, g_alter = codes[ego], codes[alter]
    known = (g_ego >= 0) & (g_alter >= 0)
    same = known & (g_ego == g_alter)
    internal = np.bincount(ego[same], minlength=lay.n)
    external = np.bincount(ego[known & ~same], minlength=lay.n)
    return internal, external


def ei(net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None) -> pd.Series:
    """Krackhardt and Stern's E-I index of each person across ``attribute``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute, e.g. ``organisation``.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``ei_X`` per person in [-1, 1]: -1 all contacts inside the person's own group,
        +1 all outside. NaN when the person has no contacts of known group, or their
        own group is unknown.

    Raises
    ------
    NotDefinedError
        If no person has the attribute.

    Notes
    -----
    ``(E − I)/(E + I)`` over distinct contacts either way.
    Plain language: whether this person's relationships stay inside their own
    group (towards -1) or reach across to others (towards +1).

    References
    ----------
    Krackhardt, D. and Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("c", "a")], people=people)
    >>> ei(net, "sector").tolist()
    [0.0, -1.0, 1.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, _ = engine.group_codes(lay, attribute)
    internal, external_ = _internal_external(lay, codes)
    return engine.series(lay, engine.ei_ratio(external_, internal), f"ei_{attribute}")


def external(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> pd.Series:
    """Distinct contacts across the boundary: E of the E-I index.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``external_X`` per person, a count from 0 to n-1; NaN when the person's own
        group is unknown.

    Notes
    -----
    Plain language: how many people in other groups this person is connected with.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c")], people=people)
    >>> external(net, "sector").tolist()
    [1.0, 0.0, 1.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, _ = engine.group_codes(lay, attribute)
    _, external_ = _internal_external(lay, codes)
    values = np.where(codes >= 0, external_, np.nan)
    return engine.series(lay, values, f"external_{attribute}")


def participation(
    net: Net, attribute: str, *, relation=None, min_weight=None, symmetric=None
) -> pd.Series:
    """Guimerà and Amaral's participation coefficient across the groups of ``attribute``.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.

    Returns
    -------
    pandas.Series
        ``participation_X`` per person in [0, 1): 0 when all contacts are in one group
        (or the person has none), close to 1 when contacts are spread evenly over many
        groups. NaN when the person has contacts but none of known group.

    Notes
    -----
    ``1 − Σ_s (k_is / k_i)²`` over distinct contacts either way, ``k_is`` the contacts in
    group s. Unlike E-I, it does not depend on the person's own group.
    Plain language: how evenly this person's relationships are spread across groups.

    References
    ----------
    Guimerà, R. and Amaral, L. A. N. (2005). Functional cartography of complex
    metabolic networks. Nature 433, 895-900. doi:10.1038/nature03288.

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"}, "c": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("a", "c")], people=people)
    >>> participation(net, "sector").tolist()
    [0.5, 0.0, 0.0]
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    codes, groups = engine.group_codes(lay, attribute)
    ego, alter = lay.contacts
    known = codes[alter] >= 0
    ego, g = ego[known], codes[alter[known]]
    k = np.bincount(ego, minlength=lay.n).astype(float)
    # Σ_s k_is² without an n × groups matrix: count (person, group) pairs.
    pairs, per_pair = np.unique(ego * max(len(groups), 1) + g, return_counts=True)
    squares = np.bincount(pairs // max(len(groups), 1), weights=per_pair.astype(float) ** 2,
                          minlength=lay.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = 1.0 - squares / k**2
    values[lay.degree == 0] = 0.0
    return engine.series(lay, values, f"participation_{attribute}")


def ei_network(
    net: Net,
    attribute: str,
    *,
    relation=None,
    min_weight=None,
    symmetric=None,
    permutations: int = PERMUTATIONS,
    seed: int = 0,
) -> dict[str, float]:
    """Whole-network E-I index, its expected value, and a permutation p-value.

    Parameters
    ----------
    net
        The network (or a prepared Layer).
    attribute
        The boundary attribute.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    permutations
        Label shuffles for the p-value (0 skips the test: p is NaN).
    seed
        Seed for the shuffles.

    Returns
    -------
    dict
        ``ei_X`` in [-1, 1] over all ties with both ends' group known (each arc once;
        each edge once when undirected), NaN without such ties; ``ei_expected_X``, its
        value if ties fell at random between people whatever their group; ``ei_p_X``,
        the two-sided permutation p-value in (0, 1]: how often shuffled labels give an
        E-I at least as far from the expected value as the one observed.

    Notes
    -----
    Expected: ``(P_E − P_I)/(P_E + P_I)`` with ``P_I = Σ_g n_g(n_g−1)`` and
    ``P_E = n(n−1) − P_I`` over people of known group. The p-value shuffles the group
    labels among people of known group and is ``(1 + #{|EI* − exp| ≥ |EI − exp|})
    / (1 + permutations)``.
    Plain language: whether ties cross this boundary more or less than chance would give.

    References
    ----------
    Krackhardt and Stern (1988).

    Examples
    --------
    >>> people = {"a": {"sector": "NHS"}, "b": {"sector": "NHS"},
    ...           "c": {"sector": "VCSE"}, "d": {"sector": "VCSE"}}
    >>> net = Network.from_edges([("a", "b"), ("c", "d")], people=people)
    >>> result = ei_network(net, "sector", permutations=0)
    >>> result["ei_sector"], round(result["ei_expected_sector"], 4)
    (-1.0, 0.3333)
    """
    lay = engine.prepare(net, relation, min_weight, symmetric)
    observed, expected, p_value = engine.ei_test(lay, attribute, permutations, seed)
    return {
        f"ei_{attribute}": observed,
        f"ei_expected_{attribute}": expected,
        f"ei_p_{attribute}": p_value,
    }
