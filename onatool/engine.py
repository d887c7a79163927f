"""The one adapter from a :class:`~onatool.network.Network` to igraph.

A :class:`Layer` is one relation of one wave, thresholded, as integer arcs in the
order of ``net.people.index``, with the igraph graphs built from them on demand.
Metric modules take a Layer (through :func:`prepare`), compute on integer codes,
and map results back to ``person_id`` with :func:`series`; igraph objects never
leave this module and ``onatool/metrics``.

Conventions fixed here, once:

- self-ties are dropped and each ordered pair counts once (binary adjacency);
- a symmetric relation makes each pair named by either side one undirected edge;
  its arcs are then stored in both directions, so ``a_ij = a_ji``;
- betweenness is computed exactly up to :data:`EXACT_LIMIT` people, and estimated
  beyond by sampling source people (Brandes and Pich 2007), with its standard error;
- a group is a non-blank value of an attribute: missing values and blank text are
  "unknown", never a group of their own (:func:`group_labels`, :func:`group_codes`);
- stochastic igraph calls run under :func:`seeded`, which gives igraph a generator of
  its own and restores the previous one afterwards (callers' ``random`` is untouched);
- the ratio formulas every surface shows are written once: :func:`ei_ratio` (the E-I
  index from external and internal counts) and :func:`pair_density` (ties over
  possible pairs).
"""

from __future__ import annotations

import contextlib
import random
import threading
import warnings
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from onatool import paths, schema, shuffles
from onatool.errors import NotDefinedError
from onatool.network import Network
from onatool.paths import (  # noqa: F401  (engine's names for them, as before)
    DEFAULT_SAMPLES,
    EXACT_LIMIT,
    SAMPLED_BETWEENNESS_NOTE,
    PathCentrality,
    Pending,
    betweenness_of,
    harmonic_of,
    ig,
    sample_size,
)
from onatool.paths import (
    graph_of as _igraph,
)
from onatool.shuffles import ei_ratio

__all__ = [
    "DEFAULT_SAMPLES",
    "EXACT_LIMIT",
    "LOW_RESPONSE",
    "RESAMPLES",
    "RESAMPLE_SEED",
    "Layer",
    "PathCentrality",
    "betweenness",
    "contains",
    "ei_ratio",
    "from_arcs",
    "group_codes",
    "group_labels",
    "harmonic_closeness",
    "layer",
    "pair_density",
    "paths_alongside",
    "people_codes",
    "possible_pairs",
    "prepare",
    "seeded",
    "series",
    "two_paths",
]

#: A group whose response (respondents / people) is under this is flagged as resting on
#: low response (metrics.md, "When some people did not answer"); configurable per call.
LOW_RESPONSE = 0.6
#: Resamples of respondents behind every 95% interval, and their seed, unless told otherwise.
RESAMPLES = 200
RESAMPLE_SEED = 0
#: Two-paths enumerated per chunk (bounds memory to a few hundred MB).
_CHUNK = 2_000_000


@dataclass(frozen=True, eq=False)
class Layer:
    """One thresholded relation of a Network as integer arcs.

    Build it with :func:`layer`. Person ``k`` is ``people.index[k]``.

    Attributes
    ----------
    people
        The Network's people table (read-only).
    wave
        The wave label.
    relation
        The relation analysed (``a+b`` when several were merged), or None when the
        network has no relation at all.
    relations
        The relation(s) behind it.
    min_weight
        The threshold used (None: weight above 0).
    directed
        False when the relation is treated as symmetric.
    src, dst
        Arcs ``src[k] -> dst[k]``, unique, no self-ties; both directions of every
        edge when undirected.
    """

    people: pd.DataFrame
    wave: str
    relation: str | None
    relations: tuple[str, ...]
    min_weight: float | None
    directed: bool
    src: np.ndarray
    dst: np.ndarray
    memo: dict = field(default_factory=dict, repr=False)

    # Facts ------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.people)

    @property
    def ids(self) -> pd.Index:
        """``person_id`` of each integer code."""
        return self.people.index

    @cached_property
    def responded(self) -> np.ndarray:
        """Whether each person answered the survey."""
        return self.people[schema.RESPONDED].to_numpy(dtype=bool)

    @property
    def n_ties(self) -> int:
        """Ties: arcs when directed, edges when undirected."""
        return len(self.src) if self.directed else len(self.src) // 2

    @cached_property
    def out_degree(self) -> np.ndarray:
        """Arcs sent by each person."""
        return np.bincount(self.src, minlength=self.n)

    @cached_property
    def in_degree(self) -> np.ndarray:
        """Arcs received by each person."""
        return np.bincount(self.dst, minlength=self.n)

    @cached_property
    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Unique unordered pairs ``(lo, hi)``, lo < hi, tied either way."""
        lo = np.minimum(self.src, self.dst)
        hi = np.maximum(self.src, self.dst)
        keys = np.unique(lo * self.n + hi)
        return keys // self.n, keys % self.n

    @cached_property
    def contacts(self) -> tuple[np.ndarray, np.ndarray]:
        """``(i, j)`` for every person i and each distinct contact j (either way)."""
        lo, hi = self.edges
        return np.concatenate([lo, hi]), np.concatenate([hi, lo])

    @cached_property
    def degree(self) -> np.ndarray:
        """Distinct contacts of each person, either direction: ``|N(i)|``."""
        return np.bincount(self.contacts[0], minlength=self.n)

    @cached_property
    def arc_keys(self) -> np.ndarray:
        """Sorted ``src * n + dst``: the adjacency as a searchable array."""
        return np.sort(self.src * self.n + self.dst)

    def has_arc(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether ``a[k] -> b[k]`` is an arc, for each k."""
        return contains(self.arc_keys, a * self.n + b)

    @cached_property
    def graph(self) -> ig.Graph:
        """igraph graph: directed, or undirected and simple for a symmetric relation."""
        if self.directed:
            return _igraph(self.n, self.src, self.dst, directed=True)
        return self.undirected

    @cached_property
    def undirected(self) -> ig.Graph:
        """The symmetrised network, ``A ∨ Aᵀ``, as a simple undirected igraph graph."""
        lo, hi = self.edges
        return _igraph(self.n, lo, hi, directed=False)


def contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in the sorted array ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    return sorted_keys[np.minimum(pos, len(sorted_keys) - 1)] == keys


# Building ----------------------------------------------------------------------
def layer(
    net: Network,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
) -> Layer:
    """The binary network of one relation at a threshold, as integer arcs.

    Parameters
    ----------
    net
        The network.
    relation
        A relation name, or None: the only relation, or all of them merged
        (``net.layer(None)``) when there are several.
    min_weight
        Ties need at least this weight; None keeps weights above 0.
    symmetric
        Treat the relation as mutual (each pair named by either side is one
        undirected edge). None: as declared, ``net.is_symmetric(relation)``.

    Returns
    -------
    Layer

    Raises
    ------
    NotDefinedError
        If the relation is not in the network.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b"), ("b", "a"), ("b", "c")])
    >>> lay = layer(net)
    >>> lay.n, lay.n_ties, lay.directed, lay.src.tolist(), lay.dst.tolist()
    (3, 3, True, [0, 1, 1], [1, 0, 2])
    >>> undirected = layer(net, symmetric=True)
    >>> undirected.n_ties, undirected.degree.tolist()
    (2, [1, 2, 1])
    >>> layer(net) is lay  # one Layer per network and choice: its memo is shared
    True
    """
    # The same layer asked for in other words ("advice" or None for a network of one
    # relation; symmetric=False or None for a directed one) is the same Layer.
    key = _meaning(net, relation, min_weight, symmetric)
    with _LAYERS_LOCK:
        known = _LAYERS.get(net, {}).get(key)
    if known is None:
        built = _build_layer(net, relation, min_weight, symmetric)
        with _LAYERS_LOCK:
            known = _LAYERS.setdefault(net, {}).setdefault(key, built)
    return known


def _meaning(net: Network, relation, min_weight, symmetric) -> tuple:
    """What a choice of relation, threshold and symmetry means for ``net``, as in
    :func:`_build_layer`: the relations behind the layer and whether it is mutual."""
    names = net.relation_names if relation is None else ((relation,) if isinstance(relation, str) else tuple(relation))
    if symmetric is None:
        symmetric = bool(names) and all(net.is_symmetric(name) for name in names)
    return names, min_weight, bool(symmetric)


#: Layers already built, per Network (held weakly: a Network's layers go with it). A Network
#: is immutable, so its Layer for one choice of relation, threshold and symmetry is always the
#: same: building it once lets every measure share its igraph graphs and memo (betweenness is
#: computed once per analysis, not again by health indicators and intervals).
_LAYERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LAYERS_LOCK = threading.Lock()


def _build_layer(net: Network, relation, min_weight, symmetric) -> Layer:
    sub = net.layer(relation, min_weight)
    names = tuple(sub.relations)
    name = names[0] if names else None
    if relation is None:
        behind = net.relation_names
    else:
        behind = (relation,) if isinstance(relation, str) else tuple(relation)
    if symmetric is None:
        symmetric = bool(name) and sub.is_symmetric(name)
    n = net.n_people
    src = net.people.index.get_indexer(sub.ties[schema.SOURCE]).astype(np.int64)
    dst = net.people.index.get_indexer(sub.ties[schema.TARGET]).astype(np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    if symmetric:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    keys = np.unique(src * n + dst)
    return Layer(
        people=net.people,
        wave=net.wave,
        relation=name,
        relations=behind,
        min_weight=min_weight,
        directed=not symmetric,
        src=keys // n if n else keys,
        dst=keys % n if n else keys,
    )


def from_arcs(
    people: pd.DataFrame,
    src: np.ndarray,
    dst: np.ndarray,
    *,
    directed: bool,
    wave: str = "",
    relation: str | None = None,
) -> Layer:
    """A Layer over ``people`` from integer arcs (codes into ``people.index``).

    For networks built outside :func:`layer`, e.g. the ties among the people compared
    between two waves, so they are measured by the same functions. Self-ties and
    repeats are dropped; when undirected each pair becomes one edge.

    Examples
    --------
    >>> people = pd.DataFrame({"responded": [True, True, False]}, index=["a", "b", "c"])
    >>> lay = from_arcs(people, np.array([0, 1, 1]), np.array([1, 0, 2]), directed=False)
    >>> lay.n_ties, lay.degree.tolist()
    (2, [1, 2, 1])
    """
    n = len(people)
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    if not directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    keys = np.unique(src * n + dst)
    if schema.RESPONDED not in people.columns:
        people = people.assign(**{schema.RESPONDED: True})
    return Layer(
        people=people,
        wave=wave,
        relation=relation,
        relations=(relation,) if relation else (),
        min_weight=None,
        directed=directed,
        src=keys // n if n else keys,
        dst=keys % n if n else keys,
    )


def prepare(
    net: Network | Layer,
    relation: str | None = None,
    min_weight: float | None = None,
    symmetric: bool | None = None,
) -> Layer:
    """A Layer from a Network, or the given Layer unchanged (options must then be None)."""
    if isinstance(net, Layer):
        if relation is not None or min_weight is not None or symmetric is not None:
            raise TypeError("relation, min_weight and symmetric apply to a Network, not a Layer")
        return net
    return layer(net, relation, min_weight, symmetric)


def series(lay: Layer, values: np.ndarray, name: str) -> pd.Series:
    """Results per integer code as a Series indexed by ``person_id``."""
    return pd.Series(values, index=lay.ids.copy(), name=name)


def group_labels(values: pd.Series) -> pd.Series:
    """An attribute's values as group labels: missing and blank text become NaN.

    The one rule for what counts as a group, used by every measure, comparison and
    finding: a value that is missing, or text that is empty once surrounding spaces
    are removed, is "unknown", never a group called ``""``. Other values are kept as
    they are (object dtype).

    Examples
    --------
    >>> group_labels(pd.Series(["NHS", " ", "", None, "VCSE"])).tolist()
    ['NHS', nan, nan, nan, 'VCSE']
    """
    values = values.astype(object)
    blank = values.isna() | (values.astype(str).str.strip() == "")
    return values.where(~blank, np.nan)


def people_codes(
    people: pd.DataFrame, attribute: str, ids: pd.Index | None = None
) -> np.ndarray:
    """Integer group codes (-1 unknown) of ``attribute`` for ``ids`` (default: every person).

    The same groups as :func:`group_codes` (blank text is unknown), for tables that
    are not a Layer, e.g. the people compared between two waves. Codes only say
    whether two people share a group; they are not comparable between tables.

    Examples
    --------
    >>> people = pd.DataFrame({"sector": ["NHS", "", "NHS"]}, index=["a", "b", "c"])
    >>> people_codes(people, "sector").tolist()
    [0, -1, 0]
    """
    values = group_labels(people[attribute])
    if ids is not None:
        values = values.reindex(ids)
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64)


def group_codes(lay: Layer, attribute: str) -> tuple[np.ndarray, pd.Index]:
    """Integer group codes of an attribute (-1 where missing) and the group names.

    Groups are sorted, except ``level`` which follows top, middle, bottom. Blank
    text counts as missing. Memoised on the Layer (the codes are read-only).

    Raises
    ------
    NotDefinedError
        If no person has the attribute.

    Examples
    --------
    >>> net = Network.from_edges([("a", "b")], people={
    ...     "a": {"level": "bottom"}, "b": {"level": "top"}, "c": {"level": None}})
    >>> codes, groups = group_codes(layer(net), "level")
    >>> codes.tolist(), list(groups)
    ([2, 0, -1], ['top', 'middle', 'bottom'])
    """
    key = ("codes", attribute)
    if key in lay.memo:
        return lay.memo[key]
    if attribute not in lay.people.columns:
        have = [c for c in lay.people.columns if c != schema.RESPONDED]
        raise NotDefinedError(
            f"attribute {attribute!r} is not in the people table of wave {lay.wave!r}; "
            f"it has {', '.join(map(repr, have)) or 'no attributes'}"
        )
    values = group_labels(lay.people[attribute])
    if attribute == schema.LEVEL:
        groups = pd.Index(schema.LEVELS, name=attribute)
        codes = groups.get_indexer(values)
    else:
        codes, uniques = pd.factorize(values, sort=True)
        groups = pd.Index(uniques, name=attribute)
    codes = codes.astype(np.int64)
    codes.flags.writeable = False
    lay.memo[key] = codes, groups
    return codes, groups


# Randomness ----------------------------------------------------------------------
#: igraph has one process-wide generator: one seeded block at a time.
_RNG_LOCK = threading.RLock()


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's stochastic algorithms (Leiden, layouts) reproducibly.

    The one place igraph is seeded: igraph gets a ``random.Random(seed)`` of its own
    for the block and Python's ``random`` module back afterwards, so callers' own
    randomness is untouched. A lock keeps two seeded blocks in one process (two app
    sessions) from sharing the generator.

    Examples
    --------
    >>> g = ig.Graph.Famous("Zachary")
    >>> with seeded(1):
    ...     first = g.community_leiden(objective_function="modularity").membership
    >>> with seeded(1):
    ...     again = g.community_leiden(objective_function="modularity").membership
    >>> first == again
    True
    """
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


# Ratios every surface shows --------------------------------------------------------------
# ei_ratio, the E-I formula, lives in onatool.shuffles (numpy only, for the second process).


def possible_pairs(senders, receivers=None, *, directed: bool = True):
    """Pairs a tie could join: within one group (``receivers`` None) or between two.

    Within a group of ``n``: ``n(n−1)``, halved when undirected. Between ``s``
    senders and ``r`` receivers of another group: ``s · r``. Arrays broadcast.

    Examples
    --------
    >>> possible_pairs(4), possible_pairs(4, directed=False), possible_pairs(2, 3)
    (12.0, 6.0, 6.0)
    """
    s = np.asarray(senders, dtype=float)
    if receivers is None:
        pairs = s * (s - 1)
        pairs = pairs if directed else pairs / 2
    else:
        pairs = s * np.asarray(receivers, dtype=float)
    return float(pairs) if pairs.ndim == 0 else pairs


def pair_density(ties, pairs):
    """Ties over possible pairs, NaN where no pair is possible: the one density formula.

    Examples
    --------
    >>> pair_density(2, possible_pairs(3))
    0.3333333333333333
    >>> pair_density(np.array([1, 0]), np.array([0, 2])).tolist()
    [nan, 0.0]
    """
    t = np.asarray(ties, dtype=float)
    p = np.asarray(pairs, dtype=float)
    value = np.where(p > 0, t / np.where(p > 0, p, 1), np.nan)
    return float(value) if value.ndim == 0 else value


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence igraph's warnings about disconnected or edgeless graphs (documented cases)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def betweenness(lay: Layer, samples: int | None = None, seed: int = 0) -> PathCentrality:
    """Freeman betweenness, raw (pairs counted as igraph does: ordered when directed).

    Exact (on a large network summed over 10 blocks of sources, :func:`onatool.paths.blocked`),
    or estimated from ``k`` sampled sources: each source's dependencies are summed and
    scaled by ``n / k`` (unbiased; Brandes and Pich 2007). The sources are drawn in 10
    batches; the spread of the batch estimates gives the standard error. Memoised on the
    Layer; when :func:`paths_alongside` is computing some batches in a second process, the
    others are computed here meanwhile and its results taken.
    """
    k = sample_size(lay.n, samples)
    memo_seed = seed if k else None
    key = ("betweenness", k, memo_seed)
    if key not in lay.memo:
        pending = lay.memo.get(_ALONGSIDE)
        batches = ("betweenness batches", k, memo_seed)
        if pending is not None and batches in pending.keys:
            # The second process is computing the first batches: compute the others here
            # meanwhile, then put them all together in batch order (what one process gets).
            own = paths.betweenness_batches(lay.graph, lay.n, lay.directed, k, seed,
                                            slice(pending.betweenness_share, None))
            lay.memo[key] = paths.from_batches(np.vstack([pending.get(batches), own]), k)
        else:
            lay.memo[key] = betweenness_of(lay.graph, lay.n, lay.directed, k, seed,
                                           blocks=paths.blocked(lay.n, lay.n_ties))
    return lay.memo[key]


def harmonic_closeness(
    lay: Layer, mode: str, samples: int | None = None, seed: int = 0
) -> PathCentrality:
    """Harmonic closeness ``Σ_j 1/d / (n-1)``, towards (``in``) or from (``out``) each person.

    Exact, or estimated as the mean of ``1/d`` over sampled sources other than the
    person (``d = ∞`` contributes 0). Memoised on the Layer; when
    :func:`paths_alongside` is computing it in a second process, its result is taken.
    """
    k = sample_size(lay.n, samples)
    key = ("harmonic", mode, k, seed if k else None)
    if key not in lay.memo:
        lay.memo[key] = _from_alongside(lay, key) or harmonic_of(lay.graph, lay.n, mode, k, seed)
    return lay.memo[key]


def ei_test(lay: Layer, attribute: str, permutations: int, seed: int) -> tuple[float, float, float]:
    """Whole-network E-I of ``attribute``, its expected value and permutation p-value
    (:func:`onatool.shuffles.ei_test`, with shuffles shared by attributes on the memo).

    Memoised on the Layer; when :func:`paths_alongside` is computing it in a second
    process, its result is taken.
    """
    key = ("ei test", attribute, permutations, seed)
    if key not in lay.memo:
        found = _from_alongside(lay, key)
        if found is None:
            codes, groups = group_codes(lay, attribute)
            src, dst = (lay.src, lay.dst) if lay.directed else lay.edges
            found = shuffles.ei_test(codes, len(groups), src, dst, permutations, seed, lay.memo)
        lay.memo[key] = found
    return lay.memo[key]


# Shortest paths in a second process ---------------------------------------------------
#: Shortest-path work (sources x arcs) above which :func:`paths_alongside` moves work to a
#: second process: there both closenesses take longer (about 0.25 s on this machine, 2,000
#: people naming 9 each) than starting the process (about 0.2 s: Python, numpy, igraph).
ALONGSIDE_WORK = 3e7


#: Where a Layer's memo holds the Pending of :func:`paths_alongside`.
_ALONGSIDE = ("paths pending",)


def _from_alongside(lay: Layer, key: tuple):
    """The second process's result for ``key``, if it is computing it (waiting for it), else None."""
    pending = lay.memo.get(_ALONGSIDE)
    return pending.get(key) if pending is not None and key in pending.keys else None


@contextlib.contextmanager
def paths_alongside(lay: Layer, samples: int | None = None, seed: int = 0, *,
                    ei_attributes: Sequence[str] = (), permutations: int = 0) -> Iterator[None]:
    """Compute shortest-path measures and E-I tests in a second process while the caller works on.

    The second process takes the E-I permutation tests of ``ei_attributes`` when paths
    are exact (first: the caller wants them first), both harmonic closenesses and some of
    betweenness's batches of sources (:func:`onatool.paths.betweenness_batches`): 2 of the
    10 blocks of an exact betweenness with the E-I tests, 3 without (closeness takes about
    as long as betweenness, the rest of the analysis a third of it), half the batches of a
    sampled one (beyond :data:`EXACT_LIMIT` people the rest takes about as long as
    betweenness), so the two cores carry about equal work. Inside the block,
    :func:`ei_test`, :func:`harmonic_closeness` and :func:`betweenness` take the second
    process's results (the values they would compute themselves). Below :data:`ALONGSIDE_WORK`, with one
    core, or when everything is known already, nothing happens. The process is stopped
    when the block ends, whether or not its results were used.
    """
    k = sample_size(lay.n, samples)
    memo_seed = seed if k else None
    wanted = [("harmonic", mode, k, memo_seed) for mode in ("in", "out")]
    if paths.cores() < 2 or (k or lay.n) * lay.n_ties < ALONGSIDE_WORK or all(key in lay.memo for key in wanted):
        yield
        return
    # The E-I tests beside exact paths; beside sampled ones (beyond EXACT_LIMIT people) they
    # stay here, about as long as the half of betweenness the second process takes.
    tests = []
    for attribute in ei_attributes if permutations > 0 and k is None else ():
        if ("ei test", attribute, permutations, seed) in lay.memo:
            continue
        try:
            codes, groups = group_codes(lay, attribute)
        except NotDefinedError:  # the caller's own call says so
            continue
        tests.append((attribute, codes, len(groups), permutations))
    # Betweenness in batches of sources: the second process takes the first few, sized so
    # both processes carry about equal work (closeness and E-I tests there; the rest here).
    share = 0
    if ("betweenness", k, memo_seed) not in lay.memo:
        if k is not None:
            share = paths.BATCHES // 2
        elif paths.blocked(lay.n, lay.n_ties):
            share = (2 if tests else 3) * paths.BATCHES // 10
    a, b = (lay.src, lay.dst) if lay.directed else lay.edges
    work = paths.Work(lay.n, a, b, lay.directed, k, seed, share, tuple(tests))
    pending = Pending(work, paths.take_standing())  # one started ahead (paths.standby), if any
    lay.memo[_ALONGSIDE] = pending
    try:
        yield
    finally:
        lay.memo.pop(_ALONGSIDE, None)
        pending.close()


# Two-paths ------------------------------------------------------------------------
def two_paths(
    src: np.ndarray, dst: np.ndarray, n: int, chunk: int = _CHUNK
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every two-path ``a -> i -> b`` with ``a != b``, in chunks of arrays ``(a, i, b)``.

    Vectorised: for each broker ``i`` the pairs (in-neighbour, out-neighbour) are
    generated with ``np.repeat`` arithmetic, a block of brokers at a time, so memory
    stays bounded whatever the size of the network.

    Examples
    --------
    >>> src, dst = np.array([0, 1, 1]), np.array([1, 0, 2])
    >>> [tuple(map(int, t)) for a, i, b in two_paths(src, dst, 3) for t in zip(a, i, b)]
    [(0, 1, 2)]
    """
    by_target = np.argsort(dst, kind="stable")
    in_nbr, in_ptr = src[by_target], _pointers(dst, n)
    by_source = np.argsort(src, kind="stable")
    out_nbr, out_ptr = dst[by_source], _pointers(src, n)
    din, dout = np.diff(in_ptr), np.diff(out_ptr)
    per_broker = din * dout
    brokers = np.flatnonzero(per_broker)
    ends = np.cumsum(per_broker[brokers])
    start = 0
    while start < len(brokers):
        before = ends[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, before + chunk, side="right")))
        block = brokers[start:stop]
        counts = per_broker[block]
        broker = np.repeat(block, counts)
        offset = np.arange(len(broker)) - np.repeat(np.cumsum(counts) - counts, counts)
        width = dout[broker]
        a = in_nbr[in_ptr[broker] + offset // width]
        b = out_nbr[out_ptr[broker] + offset % width]
        distinct = a != b
        yield a[distinct], broker[distinct], b[distinct]
        start = stop


def _pointers(keys: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=n))]).astype(np.int64)
