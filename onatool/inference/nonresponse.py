"""Sensitivity to non-response: measures as answered, and with non-respondents' ties reconstructed.

A non-respondent's own ties are unknown. The available-case conventions
(docs/metrics.md, "When some people did not answer") compute every ratio over the pairs
the answers cover; this module bounds how far that reading could move if the
non-respondents had answered. The reconstruction (Stork and Richards 1992; Huisman 2009,
"reconstruction") assumes each non-respondent would have named back everyone who named
them: the tie ``j → i`` reported by ``j`` is copied as ``i → j`` with the same weight and
answer. Ties between two non-respondents stay unknown (absent). Huisman found this
simple reconstruction among the least biased treatments of missing actors for
reciprocity, density and degree-based measures when response is at least about 60%.

The two readings bracket the plausible values: "as answered" leaves non-respondents'
rows out; "reconstructed" fills them as fully reciprocated.

References
----------
Stork, D. and Richards, W. D. (1992). Nonrespondents in communication network studies:
problems and possibilities. Group & Organization Management 17(2), 193-209.
Huisman, M. (2009). Imputation of missing network data: some simple procedures. Journal
of Social Structure 10(1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.inference.resampling import measures as _measures
from onatool.network import Network

__all__ = ["RECONSTRUCTED", "reconstruct", "sensitivity"]

#: The ``raw_value`` of a reconstructed tie, so it can never pass for an answer.
RECONSTRUCTED = "reconstructed"


def reconstruct(network: Network) -> Network:
    """Non-respondents' ties reconstructed from the ties they received.

    Parameters
    ----------
    network
        A wave, any number of relations.

    Returns
    -------
    Network
        The same people, everyone marked as having responded, and for each directed
        relation each tie ``j → i`` to a non-respondent ``i`` copied as ``i → j`` (same
        weight; ``raw_value`` "reconstructed") unless ``i → j`` is already there.
        Symmetric relations are unchanged (a tie named by either side is already the
        pair's). Ties between two non-respondents are not invented.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("c", "b"), ("a", "c")],
    ...                          people={"b": {"responded": False}})
    >>> full = reconstruct(net)
    >>> sorted(map(tuple, full.ties[["source", "target", "raw_value"]].to_numpy().tolist()))
    [('a', 'b', '1'), ('a', 'c', '1'), ('b', 'a', 'reconstructed'), ('b', 'c', 'reconstructed'), ('c', 'b', '1')]
    >>> bool(full.people["responded"].all())
    True
    """
    silent = network.people.index[~network.people[schema.RESPONDED].to_numpy(dtype=bool)]
    ties = network.ties
    directed = ties[schema.RELATION].map(lambda r: not network.is_symmetric(r)).astype(bool)
    received = ties[directed & ties[schema.TARGET].isin(silent) & ~ties[schema.SOURCE].isin(silent)]
    mirrored = received.rename(columns={schema.SOURCE: schema.TARGET, schema.TARGET: schema.SOURCE})
    mirrored = mirrored[list(schema.TIE_COLUMNS)].assign(**{schema.RAW_VALUE: RECONSTRUCTED})
    key = [schema.SOURCE, schema.TARGET, schema.RELATION]
    present = pd.MultiIndex.from_frame(ties[key])
    new = mirrored[~pd.MultiIndex.from_frame(mirrored[key]).isin(present)]
    people = network.people.assign(**{schema.RESPONDED: True})
    return Network(people, pd.concat([ties, new], ignore_index=True), network.wave, network.relations)


def sensitivity(
    network: Network,
    measures: Sequence[str] | None = None,
    *,
    relation=None,
    min_weight=None,
    symmetric=None,
    attributes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Headline, health and level measures as answered and with non-respondents reconstructed.

    Parameters
    ----------
    network
        The wave.
    measures
        Names as :func:`onatool.inference.resampling.measures` gives them (``density``,
        ``reciprocity``, ``health.two_step_reach``, ``levels.bottom_reach_to_top`` ...);
        None: every one.
    relation, min_weight, symmetric
        Which ties count; see :func:`onatool.engine.layer`.
    attributes
        Boundary attributes for E-I and boundary crossing.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``measure``: ``as_answered`` (available case), ``reconstructed``
        (:func:`reconstruct`), ``low`` and ``high`` (the two, ordered: the sensitivity
        bounds) and ``difference`` (reconstructed minus as answered). ``attrs`` holds the
        response rate and the number of ties reconstructed.

    Raises
    ------
    KeyError
        When a measure asked for is not one of them.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("a", "c"), ("b", "c")],
    ...                          people={"c": {"responded": False}})
    >>> table = sensitivity(net, ["reciprocity", "density"])
    >>> table[["as_answered", "reconstructed"]].round(4).to_numpy().tolist()
    [[0.0, 0.8], [0.75, 0.8333]]
    """
    full = reconstruct(network)
    before = _measures(engine.layer(network, relation, min_weight, symmetric), attributes)
    after = _measures(engine.layer(full, relation, min_weight, symmetric), attributes)
    names = list(before) if measures is None else list(measures)
    unknown = [m for m in names if m not in before]
    if unknown:
        raise KeyError(f"no measure {unknown[0]!r}; measures are {', '.join(before)}")
    table = pd.DataFrame(
        {"as_answered": [before[m] for m in names], "reconstructed": [after.get(m, np.nan) for m in names]},
        index=pd.Index(names, name="measure"),
    )
    table["low"] = table[["as_answered", "reconstructed"]].min(axis=1)
    table["high"] = table[["as_answered", "reconstructed"]].max(axis=1)
    table["difference"] = table["reconstructed"] - table["as_answered"]
    table.attrs.update(response_rate=network.response_rate,
                       reconstructed_ties=int((full.ties[schema.RAW_VALUE] == RECONSTRUCTED).sum()),
                       method="Stork and Richards (1992) reconstruction: non-respondents name back "
                              "everyone who named them")
    return table
