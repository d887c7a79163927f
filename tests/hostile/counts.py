"""How many hostile cases this run tried, by kind (written out by ``conftest.py``), and
the hypothesis settings of the suite: modest by default, larger under ``-m slow``."""

from collections import Counter

from hypothesis import HealthCheck, settings

COUNTS: Counter[str] = Counter()

_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
#: The default run: the whole hostile suite stays well under a minute on 2 cores.
FAST = settings(max_examples=25, deadline=None, suppress_health_check=_QUIET)
#: The ``slow`` run: forty times the examples.
SLOW = settings(max_examples=1000, deadline=None, suppress_health_check=_QUIET)
