"""Every measure onatool computes, its registry, and :func:`analyse`, which computes them all.

Each measure is a pure function in a topic module (``centrality``, ``boundary``,
``brokerage``, ``groups``, ``cohesion``, ``levels``, ``health``): a Network in, a
Series / DataFrame / number / dict out, indexed by ``person_id`` where it is per person.
:data:`REGISTRY` describes each one (level, range, a plain-language sentence, a
reference); its keys are ``"<level>.<name>"`` (``"person.betweenness"``,
``"network.ei"``), since a name such as ``ei`` exists at several levels. A measure
``per_attribute`` is named ``<name>_<attribute>`` in results (``ei_organisation``).
The definitions and conventions are in ``docs/metrics.md``.
"""

from onatool.metrics.analysis import Analysis, analyse
from onatool.metrics.registry import REGISTRY, MetricSpec, person_columns, spec_for

__all__ = [
    "REGISTRY",
    "Analysis",
    "MetricSpec",
    "analyse",
    "person_columns",
    "spec_for",
]
