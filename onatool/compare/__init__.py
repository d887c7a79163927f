"""Change between waves: tie churn, Jaccard, QAP, boundary change, deltas and cohorts.

Two or more :class:`~onatool.network.Network` waves of one project (one pseudonym key,
so a ``person_id`` means the same person in every wave) are compared in time order.

Who is compared
---------------
Tie churn, QAP and the cohort comparison are computed over the people *present* in
both waves, by the rule ``present``:

``"respondents"`` (default)
    on both waves' people tables and a respondent in both. A non-respondent's missing
    out-ties are unknown, not absent: counting them as lost (or new) would read a
    change in who answered as a change in relationships.
``"all"``
    everyone on both waves' people tables; a non-respondent's unreported ties count
    as absent. Use it only when response was (near) complete in both waves.

People on the later wave's table only are *joiners*, on the earlier only *leavers*;
people on both tables whom the rule leaves out are *not compared*. All three are
listed apart and never counted in lost or new ties.

Directed relations compare ordered pairs (``a`` names ``b``); symmetric ones compare
unordered pairs, a pair being tied when either person reported it (the higher weight
kept). Person, group and network measures come from :func:`onatool.metrics.analyse`
run on each whole wave, side by side.
"""

from __future__ import annotations

from onatool.compare.churn import jaccard_reading, tie_churn
from onatool.compare.cohort import cohort_change
from onatool.compare.comparison import Comparison, change_network, compare_waves
from onatool.compare.correlation import qap, qap_test
from onatool.compare.deltas import group_change, network_change, people_change
from onatool.compare.pairs import (
    CHANGE_ATTRIBUTES,
    DEFAULT_PERMUTATIONS,
    PRESENT_RULES,
    SMALL_COHORT,
)

__all__ = ["CHANGE_ATTRIBUTES", "Comparison", "DEFAULT_PERMUTATIONS", "PRESENT_RULES", "SMALL_COHORT", "change_network", "cohort_change", "compare_waves", "group_change", "jaccard_reading", "network_change", "people_change", "qap", "qap_test", "tie_churn"]
