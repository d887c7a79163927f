"""How long a network regression (MRQAP, double semi-partialling) takes on 2,000 people.

Run from the repository root::

    python benchmarks/regress.py [--people 2000] [--permutations 1000]

Two synthetic waves (2,000 people in 12 organisations, tops / middles / bottoms, 80%
answering each wave, not the same 80%; each respondent names about six colleagues, 70% in
their own organisation; the second wave keeps 70% of the first's ties and adds new ones,
and a 5% leadership cohort gets three extra contacts each). Models, each with the intercept and ``--permutations`` permutations per
term (target: 1,000 permutations within 30 s for the linear model):

- ``new ~ same:organisation + sender:cohort + receiver:level=top`` (linear): new ties
  between the waves, cells = ordered pairs whose sender answered both waves, less those
  tied at baseline;
- ``advice ~ earlier + same:organisation + sender:cohort + receiver:level=top`` (linear),
  ``earlier`` being baseline's advice (unknown where the sender did not answer then).

Reported: building the design, then the statsmodels fit with the permutations (the fast
structured statistic of ``onatool.inference.dyadic``), and the whole, one run each, as
wall-clock and as CPU seconds of this process (on a shared machine the CPU figure is the
one that compares between runs). statsmodels is imported before timing starts.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from onatool import Network
from onatool.inference import design, mrqap


def synthetic_waves(n: int = 2000, seed: int = 0) -> list[Network]:
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i:06d}" for i in range(n)], dtype=object)
    org = rng.integers(0, 12, n)
    level = rng.choice(["top", "middle", "bottom"], n, p=[0.1, 0.3, 0.6])
    cohort = np.where(rng.random(n) < 0.05, "Leadership programme", None)
    members = [np.flatnonzero(org == k) for k in range(12)]

    def naming(mean: float) -> np.ndarray:
        src = np.repeat(np.arange(n), rng.poisson(mean, n))
        tgt = rng.integers(0, n, len(src))
        same = rng.random(len(src)) < 0.7
        for k in range(12):
            rows = same & (org[src] == k)
            tgt[rows] = rng.choice(members[k], rows.sum())
        return np.stack([src, tgt], axis=1)

    first = naming(6.0)
    in_cohort = np.flatnonzero(cohort != None)  # noqa: E711 (element-wise)
    extra = np.stack([np.repeat(in_cohort, 3), rng.integers(0, n, 3 * len(in_cohort))], axis=1)
    second = np.concatenate([first[rng.random(len(first)) < 0.7], naming(1.8), extra])
    waves = []
    for label, pairs in (("baseline", first), ("follow-up", second)):
        responded = rng.random(n) < 0.8
        pairs = np.unique(pairs[(pairs[:, 0] != pairs[:, 1]) & responded[pairs[:, 0]]], axis=0)
        people = pd.DataFrame({"organisation": [f"Org {k}" for k in org], "level": level, "cohort": cohort,
                               "responded": responded}, index=pd.Index(ids, name="person_id"))
        ties = pd.DataFrame({"source": ids[pairs[:, 0]], "target": ids[pairs[:, 1]], "relation": "advice",
                             "weight": 1.0, "raw_value": "Yes"})
        waves.append(Network(people, ties, wave=label))
    return waves

MODELS = {
    "new ~ same:organisation + sender:cohort + receiver:level=top": (
        "new", ["same:organisation", "sender:cohort", "receiver:level=top"]),
    "advice ~ earlier + same:organisation + sender:cohort + receiver:level=top": (
        "advice", ["earlier", "same:organisation", "sender:cohort", "receiver:level=top"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--permutations", type=int, default=1000)
    args = parser.parse_args()
    waves = synthetic_waves(args.people)
    print(f"{args.people} people, {waves[0].n_ties} and {waves[1].n_ties} advice ties, "
          f"{args.permutations} permutations per term, linear model")
    import statsmodels.api  # noqa: F401 (imported once, before timing)

    print(f"{'model':<75} {'cells':>9} {'design s':>9} {'fit+perm s':>10} {'total s':>8} {'CPU s':>6}")
    for label, (outcome, terms) in MODELS.items():
        start, cpu = time.perf_counter(), time.process_time()
        d = design(waves, outcome, terms, relation="advice")
        built = time.perf_counter() - start
        fit = mrqap(d, model="linear", permutations=args.permutations, seed=0)
        total = time.perf_counter() - start
        print(f"{label:<75} {fit.cells:>9} {built:>9.1f} {total - built:>10.1f} {total:>8.1f} "
              f"{time.process_time() - cpu:>6.1f}")
        for term in fit.terms:
            print(f"    {term['term']:<30} {term['coefficient']:+.5f}  p = {term['p_value']:.3f}")


if __name__ == "__main__":
    main()
