"""Plain-language findings an enabler can put on a slide, each traceable to its numbers.

:func:`insights` reads a Network and its ``Analysis`` (and a ``Comparison`` when there
is an earlier wave) and returns :class:`Insight` objects ranked by how striking they
are. Each carries the sentence, the values behind it, the names of the measures those
values come from, and the groups it is about.

Rules every finding keeps:

- never about a group of fewer than the suppression threshold (``k``) people: a
  finding whose groups are not all large enough is dropped, never reworded;
- neutral wording for an NHS audience: describes patterns, blames nobody, names
  nobody, and explains the few terms of art it uses (tops, middles, bottoms);
- every number in the sentence is in ``values``;
- a quantifier ("most", "few", ...) is chosen from the number it describes, by
  :func:`quantifier` alone: "most" only above one half.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.metrics.health import boundary_crossing, expected_boundary_crossing
from onatool.network import Network
from onatool.share.disclosure import Disclosure

__all__ = ["QUANTIFIERS", "Insight", "insights", "quantifier", "top_insights"]

LEVEL_WORDS = {
    "top": "senior leaders (tops)",
    "middle": "managers in the middle (middles)",
    "bottom": "frontline staff (bottoms)",
}


@dataclass(frozen=True)
class Insight:
    """One finding.

    Attributes
    ----------
    text
        The sentence, ready for a slide.
    values
        The numbers behind it, by name (every number in ``text`` is here).
    metrics
        Names of the measures the values come from (``REGISTRY`` names, or keys of
        ``Analysis.network``/``levels``/``health``, or ``Comparison`` keys).
    strength
        How striking, in [0, 1]; findings are ranked by it.
    groups
        ``(attribute, group)`` pairs the finding is about.
    kind
        A short tag: ``silos``, ``bridges``, ``dependence``, ``tops``, ``middles``,
        ``bottoms``, ``reciprocity``, ``spanners``, ``change``, ``cohort``.
    note
        An optional second sentence: what the measure means, or a caution.
    """

    text: str
    values: Mapping[str, float]
    metrics: tuple[str, ...]
    strength: float
    groups: tuple[tuple[str, str], ...] = ()
    kind: str = ""
    note: str = ""
    sizes: Mapping[str, int] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON."""
        return {
            "text": self.text,
            "note": self.note,
            "values": {k: _plain(v) for k, v in self.values.items()},
            "metrics": list(self.metrics),
            "strength": round(float(self.strength), 4),
            "groups": [list(g) for g in self.groups],
            "kind": self.kind,
        }


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def insights(
    network: Network,
    analysis: Any = None,
    comparison: Any = None,
    *,
    disclosure: Disclosure | None = None,
    attribute: str = schema.ORGANISATION,
    limit: int | None = None,
) -> list[Insight]:
    """The findings worth a slide, most striking first.

    Parameters
    ----------
    network
        The wave, already reduced to the relation and weight threshold analysed
        (every remaining tie with weight > 0 counts).
    analysis
        Its ``Analysis`` (:func:`onatool.metrics.analyse`); findings that need a
        measure it lacks are skipped.
    comparison
        ``Comparison`` with the previous wave, for findings about change.
    disclosure
        Supplies the threshold ``k``: no finding concerns a smaller group.
    attribute
        The main boundary (``organisation``).
    limit
        Keep at most this many.

    Returns
    -------
    list of Insight
        Ranked by ``strength``, highest first.

    Examples
    --------
    >>> people = {f"a{i}": {"organisation": "Acute"} for i in range(6)}
    >>> people.update({f"c{i}": {"organisation": "Council"} for i in range(6)})
    >>> ties = [(f"a{i}", f"a{(i + 1) % 6}") for i in range(6)]
    >>> ties += [(f"c{i}", f"c{(i + 1) % 6}") for i in range(6)] + [("a0", "c0")]
    >>> found = insights(Network.from_edges(ties, people=people))
    >>> for finding in found:
    ...     print(finding.text)
    Almost all of the relationships named stay inside the same organisation: 92%, where a random mix would give about 45%.
    Acute and Council are connected through 2 people (1 tie between them).
    >>> found[1].values, found[1].groups
    ({'people_connecting': 2, 'ties_between': 1}, (('organisation', 'Acute'), ('organisation', 'Council')))
    """
    disclosure = disclosure or Disclosure()
    ties = _ties(network)
    context = _Context(network, ties, analysis, comparison, disclosure, attribute)
    found: list[Insight] = []
    for finder in (_silos, _bridges, _dependence, _spanning_groups, _tops, _middles,
                   _bottoms, _reciprocity, _change, _cohort):
        try:
            found += finder(context)
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            continue  # a measure this finding needs is missing: skip it, not fail
    found = [f for f in found if _safe(f, context)]
    found.sort(key=lambda f: (-f.strength, f.kind, f.text))
    return found[:limit] if limit else found


# Context -----------------------------------------------------------------------------------


@dataclass
class _Context:
    network: Network
    ties: pd.DataFrame
    analysis: Any
    comparison: Any
    disclosure: Disclosure
    attribute: str

    @property
    def k(self) -> int:
        return self.disclosure.threshold

    def sizes(self, attribute: str) -> pd.Series:
        if attribute not in self.network.people.columns:
            return pd.Series(dtype=int)
        return self.group_of(attribute).dropna().astype(str).value_counts()

    def group_of(self, attribute: str) -> pd.Series:
        """Each person's group (None when unknown: missing or blank, as in every measure)."""
        labels = engine.group_labels(self.network.people[attribute])
        return labels.where(labels.notna(), None)

    def measure(self, where: str, name: str) -> float:
        """A value from ``analysis.<where>[name]`` (a number or ``{"value": ...}``)."""
        table = getattr(self.analysis, where, None) or {}
        value = table[name]
        if isinstance(value, Mapping):
            value = value["value"]
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(name)
        return value


def _ties(network: Network) -> pd.DataFrame:
    ties = network.ties
    ties = ties[ties[schema.WEIGHT] > 0]
    return ties.drop_duplicates([schema.SOURCE, schema.TARGET])[[schema.SOURCE, schema.TARGET]]


def _safe(finding: Insight, context: _Context) -> bool:
    """Keep a finding only if every group it concerns has at least ``k`` people."""
    for attribute, group in finding.groups:
        sizes = context.sizes(attribute)
        if group not in sizes.index or int(sizes[group]) < context.k:
            return False
    return True


def _pct(x: float) -> str:
    return f"{x:.0%}"


#: Quantifiers by the whole percentage shown beside them: ``(lowest, highest, words)``.
#: "Most" only above one half; "half" only at 50% as shown.
QUANTIFIERS: tuple[tuple[int, int, str], ...] = (
    (0, 0, "none of"),
    (1, 9, "few of"),
    (10, 49, "fewer than half of"),
    (50, 50, "half of"),
    (51, 89, "most of"),
    (90, 99, "almost all of"),
    (100, 100, "all of"),
)


def quantifier(share: float) -> str:
    """The words that quantify a share, chosen from the share as the reader sees it.

    The one place a sentence's quantifier is decided. The share is first rounded to the
    whole percentage printed beside it (:func:`_pct`), so the words never disagree with
    the number: "most of" only above 50%, "half of" at 50%.

    Parameters
    ----------
    share
        A proportion in [0, 1].

    Returns
    -------
    str
        Lower case, e.g. ``"fewer than half of"``; capitalise at the start of a sentence.

    Raises
    ------
    ValueError
        If ``share`` is not a finite number in [0, 1].

    Examples
    --------
    >>> quantifier(0.24), quantifier(0.5), quantifier(0.504), quantifier(0.51), quantifier(0.92)
    ('fewer than half of', 'half of', 'half of', 'most of', 'almost all of')
    """
    if not (isinstance(share, int | float | np.number) and math.isfinite(share) and 0 <= share <= 1):
        raise ValueError(f"a share must be a number from 0 to 1, not {share!r}")
    shown = int(_pct(float(share)).rstrip("%"))
    if shown == 0 and share > 0:
        shown = 1  # "0%" of something that exists still reads as "few"
    if shown == 100 and share < 1:
        shown = 99
    return next(words for low, high, words in QUANTIFIERS if low <= shown <= high)


def _sentence_start(words: str) -> str:
    return words[:1].upper() + words[1:]


def _times(ratio: float) -> str:
    if ratio >= 1.95 and abs(ratio - round(ratio)) < 0.1:
        return {2: "twice", 3: "three times", 4: "four times", 5: "five times"}.get(
            round(ratio), f"{ratio:.0f} times")
    return f"{ratio:.1f} times"


def _level_word(level: str) -> str:
    return LEVEL_WORDS.get(level, level)


# Finders -----------------------------------------------------------------------------------


def _silos(c: _Context) -> list[Insight]:
    """Share of ties inside the same group, against what a random mix would give."""
    a = c.attribute
    # The shares are the boundary-crossing measures' complements, computed once in metrics.
    lay = engine.layer(c.network)
    within = 1.0 - boundary_crossing(lay, a)
    if not math.isfinite(within):
        return []
    expected = 1.0 - expected_boundary_crossing(lay, a)
    values = {"share_within": within, "expected_share_within": expected}
    metrics = [f"ei_{a}", f"ei_expected_{a}"]
    if c.analysis is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            values["ei"] = c.measure("network", f"ei_{a}")
    if not math.isfinite(expected) or within <= expected:
        text = (f"Relationships stay inside the same {a} no more often than a random mix would "
                f"give: {_pct(within)} of ties are within the same {a} (a random mix: "
                f"{_pct(expected)}).")
        return [Insight(text, values, tuple(metrics), 0.3, (), "silos")]
    text = (f"{_sentence_start(quantifier(within))} the relationships named stay inside the same "
            f"{a}: {_pct(within)}, where a random mix would give about {_pct(expected)}.")
    note = ("Some of this is expected (people work with their own team), but it shows how much "
            "the partnership depends on the ties that do cross.")
    strength = min(1.0, (within - expected) / max(1e-9, 1 - expected))
    return [Insight(text, values, tuple(metrics), 0.5 + 0.45 * strength, (), "silos", note)]


def _bridges(c: _Context) -> list[Insight]:
    """Pairs of large groups joined through few people, or not at all."""
    a = c.attribute
    group = c.group_of(a)
    sizes = c.sizes(a)
    large = [g for g in sizes.index if sizes[g] >= c.k]
    if len(large) < 2:
        return []
    ties = c.ties.assign(gs=group.reindex(c.ties[schema.SOURCE]).to_numpy(),
                         gt=group.reindex(c.ties[schema.TARGET]).to_numpy())
    ties = ties[ties["gs"].isin(large) & ties["gt"].isin(large) & (ties["gs"] != ties["gt"])]
    pair = ties.apply(lambda r: tuple(sorted((r["gs"], r["gt"]))), axis=1) if len(ties) else pd.Series(dtype=object)
    found = []
    counted = {}
    for key, chunk in ties.groupby(pair) if len(ties) else []:
        people = set(chunk[schema.SOURCE]) | set(chunk[schema.TARGET])
        counted[key] = (len(people), len(chunk))
    candidates = []
    for i, g in enumerate(large):
        for h in large[i + 1:]:
            key = tuple(sorted((g, h)))
            n_people, n_ties = counted.get(key, (0, 0))
            smaller = float(min(sizes[g], sizes[h]))
            candidates.append((key, n_people, n_ties, smaller))
    zero = [x for x in candidates if x[1] == 0]
    thin = [x for x in candidates if 0 < x[1] <= max(3, 0.2 * x[3])]
    # The largest unconnected pair, and the thinly joined pairs of largest groups.
    zero.sort(key=lambda x: -(sizes[x[0][0]] + sizes[x[0][1]]))
    thin.sort(key=lambda x: (x[1] / x[3], -(sizes[x[0][0]] + sizes[x[0][1]])))
    total = float(sizes[large].sum())
    for key, _, _, _ in zero[:1]:
        g, h = key
        text = f"No relationship was reported between {g} and {h}."
        weight = (sizes[g] + sizes[h]) / total
        found.append(Insight(text, {"people_connecting": 0, "ties_between": 0}, (f"mixing_{a}",),
                             0.55 + 0.4 * weight, ((a, g), (a, h)), "bridges",
                             "This may be expected if their work does not overlap; if it should "
                             "overlap, it is a gap worth exploring."))
    for key, n_people, n_ties, smaller in thin[:2]:
        g, h = key
        plural = "tie" if n_ties == 1 else "ties"
        text = (f"{g} and {h} are connected through {n_people} people "
                f"({n_ties} {plural} between them).")
        strength = 0.5 + 0.4 * (1 - n_people / max(smaller, 1)) * min(1.0, smaller / 10)
        found.append(Insight(text, {"people_connecting": n_people, "ties_between": n_ties},
                             (f"mixing_{a}",), strength, ((a, g), (a, h)), "bridges",
                             "If those people moved on, the link between the two could go with them."))
    return found


def _dependence(c: _Context) -> list[Insight]:
    """How few people hold the ties between groups."""
    a = c.attribute
    group = c.group_of(a)
    gs = group.reindex(c.ties[schema.SOURCE]).to_numpy()
    gt = group.reindex(c.ties[schema.TARGET]).to_numpy()
    cross = c.ties[pd.notna(gs) & pd.notna(gt) & (gs != gt)]
    if len(cross) < 2 * c.k:
        return []
    per_person = pd.concat([cross[schema.SOURCE], cross[schema.TARGET]]).value_counts()
    n = max(c.k, math.ceil(0.05 * c.network.n_people))
    top = set(per_person.index[:n])
    share = float((cross[schema.SOURCE].isin(top) | cross[schema.TARGET].isin(top)).mean())
    metric = "top5_cross_organisation_share" if a == schema.ORGANISATION else f"external_{a}"
    people_share = n / c.network.n_people
    text = (f"{n} people ({_pct(people_share)} of everyone) are part of {_pct(share)} of the ties "
            f"between {_plural(a)}.")
    note = ("Boundary spanners like these are an asset; if they move on or are stretched, "
            "the links they hold can go with them.")
    strength = 0.4 + 0.55 * max(0.0, min(1.0, (share - people_share) / (1 - people_share)))
    return [Insight(text, {"people": n, "share_of_people": people_share, "share_of_ties": share},
                    (metric,), strength, (), "dependence", note)]


def _plural(attribute: str) -> str:
    return {"organisation": "organisations", "sector": "sectors", "profession": "professions",
            "level": "levels", "place": "places"}.get(attribute, f"{attribute} groups")


def _spanning_groups(c: _Context) -> list[Insight]:
    """A group whose people have many more contacts across the boundary than others."""
    a = c.attribute
    group = c.group_of(a)
    src, dst = c.ties[schema.SOURCE], c.ties[schema.TARGET]
    both = pd.concat([pd.DataFrame({"p": src.to_numpy(), "q": dst.to_numpy()}),
                      pd.DataFrame({"p": dst.to_numpy(), "q": src.to_numpy()})]).drop_duplicates()
    gp, gq = group.reindex(both["p"]).to_numpy(), group.reindex(both["q"]).to_numpy()
    crossing = both[pd.notna(gp) & pd.notna(gq) & (gp != gq)]
    external = crossing.groupby("p").size().reindex(c.network.people.index, fill_value=0)
    found = []
    for by in (schema.SECTOR, a):
        if by not in c.network.people.columns:
            continue
        sizes = c.sizes(by)
        groups = c.group_of(by)
        for g in sizes.index[sizes >= c.k]:
            inside = groups == g
            others = groups.notna() & ~inside
            if others.sum() < c.k:
                continue
            mean_in, mean_out = float(external[inside].mean()), float(external[others].mean())
            if mean_out <= 0 or mean_in / mean_out < 1.5:
                continue
            ratio = mean_in / mean_out
            text = (f"People in {g} have {_times(ratio)} as many contacts in other "
                    f"{_plural(a)} as everyone else ({mean_in:.1f} against {mean_out:.1f} per person).")
            found.append(Insight(
                text, {"mean_external": mean_in, "others_mean_external": mean_out, "ratio": ratio},
                (f"external_{a}",), min(0.9, 0.45 + 0.1 * ratio), ((by, g),), "spanners",
                "They help hold the partnership together across its boundaries."))
    found.sort(key=lambda f: -f.strength)
    return found[:2]


def _level_density(c: _Context, level: str) -> tuple[float, float]:
    """Density among people of ``level``: within the same organisation, and across."""
    people = c.network.people
    if schema.LEVEL not in people.columns or c.attribute not in people.columns:
        raise KeyError(schema.LEVEL)
    members = people[(people[schema.LEVEL] == level) & c.group_of(c.attribute).notna()]
    org = c.group_of(c.attribute)[members.index].astype(str)
    sizes = org.value_counts().to_numpy(dtype=float)
    n = float(len(members))
    pairs_within = float((sizes * (sizes - 1)).sum())
    pairs_across = n * (n - 1) - pairs_within
    ties = c.ties[c.ties[schema.SOURCE].isin(members.index) & c.ties[schema.TARGET].isin(members.index)]
    same = org.reindex(ties[schema.SOURCE]).to_numpy() == org.reindex(ties[schema.TARGET]).to_numpy()
    within = engine.pair_density(same.sum(), pairs_within)
    across = engine.pair_density((~same).sum(), pairs_across)
    return float(within), float(across)


def _level_count(c: _Context, level: str) -> int:
    if schema.LEVEL not in c.network.people.columns:
        return 0
    return int((c.network.people[schema.LEVEL] == level).sum())


def _tops(c: _Context) -> list[Insight]:
    if _level_count(c, "top") < c.k:
        return []
    within, across = _level_density(c, "top")
    if not math.isfinite(across):
        return []
    with contextlib.suppress(KeyError, TypeError, ValueError):
        across = c.measure("levels", "top_peer_density_cross_org")
    values = {"density_across": across, "density_within": within}
    if math.isfinite(within) and within > 2 * across:
        text = (f"{_sentence_start(quantifier(across))} the possible links between senior leaders "
                f"(tops) in different organisations exist: {_pct(across)}, against {_pct(within)} "
                "between tops in the same organisation.")
        strength = 0.5 + 0.45 * (1 - across / within)
    else:
        text = (f"Senior leaders (tops) are connected across organisations: {_pct(across)} of the "
                f"possible links between tops of different organisations exist.")
        strength = 0.35
    note = ("Oshry: tops who work as peers across the system can set shared direction; "
            "tops who stay within their own organisation tend to pull the system apart.")
    return [Insight(text, values, ("top_peer_density_cross_org",), strength, ((schema.LEVEL, "top"),),
                    "tops", note)]


def _middles(c: _Context) -> list[Insight]:
    if _level_count(c, "middle") < c.k:
        return []
    within, across = _level_density(c, "middle")
    with contextlib.suppress(KeyError, TypeError, ValueError):
        across = c.measure("levels", "middle_integration_cross_org")
    if not (math.isfinite(within) and math.isfinite(across)) or within <= 2 * across:
        return []
    text = (f"Managers in the middle (middles) are much less connected across organisations "
            f"({_pct(across)} of possible links) than within their own ({_pct(within)}).")
    note = ("Oshry: middles who connect with each other gain a shared picture of the system "
            "and the power to integrate it; middles who stay apart are pulled between tops and bottoms.")
    return [Insight(text, {"density_across": across, "density_within": within},
                    ("middle_integration_cross_org", "middle_integration"),
                    0.4 + 0.4 * (1 - across / within), ((schema.LEVEL, "middle"),), "middles", note)]


def _bottoms(c: _Context) -> list[Insight]:
    if _level_count(c, "bottom") < c.k or _level_count(c, "top") < c.k:
        return []
    reach = c.measure("levels", "bottom_reach_to_top")
    text = f"{_pct(reach)} of frontline staff (bottoms) can reach a senior leader (top) in one or two steps."
    strength = 0.3 + 0.6 * (1 - reach)
    return [Insight(text, {"bottom_reach_to_top": reach}, ("bottom_reach_to_top",), strength,
                    ((schema.LEVEL, "bottom"), (schema.LEVEL, "top")), "bottoms",
                    "Short paths upward let frontline knowledge reach the people who set direction.")]


def _reciprocity(c: _Context) -> list[Insight]:
    value = c.measure("network", "reciprocity")
    text = f"{_pct(value)} of the relationships named are named back by the other person."
    note = "Relationships seen from one side only are common; a low share can mean one-way reliance."
    return [Insight(text, {"reciprocity": value}, ("reciprocity",), 0.25 + 0.3 * abs(value - 0.5),
                    (), "reciprocity", note)]


def _change(c: _Context) -> list[Insight]:
    summary = getattr(c.comparison, "summary", None)
    if not summary:
        return []
    jaccard = float(summary["jaccard"])
    stable, lost, new = (int(summary[k]) for k in ("stable", "lost", "new"))
    text = (f"Since the last survey, {stable} relationships continued, {new} are new and "
            f"{lost} were not named again ({_pct(jaccard)} of all relationships seen are in both waves).")
    note = ("Some turnover is normal; below about 20-30% in both waves the two surveys are "
            "better read as separate pictures than as one network changing.")
    found = [Insight(text, {"stable": stable, "new": new, "lost": lost, "jaccard": jaccard},
                     ("stable", "new", "lost", "jaccard"), 0.45, (), "change", note)]
    a = c.attribute
    new_cross, lost_cross = summary.get(f"new_cross_{a}"), summary.get(f"lost_cross_{a}")
    if new_cross is not None and lost_cross is not None:
        new_cross, lost_cross = int(new_cross), int(lost_cross)
        if new_cross != lost_cross:
            direction = "more" if new_cross > lost_cross else "fewer"
            text = (f"There are {direction} ties between {_plural(a)} than at the last survey: "
                    f"{new_cross} new ones and {lost_cross} no longer named.")
            found.append(Insight(text, {"new_cross": new_cross, "lost_cross": lost_cross},
                                 (f"new_cross_{a}", f"lost_cross_{a}"),
                                 0.5 + 0.3 * min(1.0, abs(new_cross - lost_cross) / max(1, lost_cross)),
                                 (), "change"))
    return found


def _cohort(c: _Context) -> list[Insight]:
    cohort = getattr(c.comparison, "cohort", None)
    if not cohort:
        return []
    members, others = int(cohort["members"]), int(cohort["others"])
    if members < c.k or others < c.k:
        return []
    a = c.attribute
    measures = cohort["measures"]
    name = f"new_external_{a}" if f"new_external_{a}" in measures else f"external_{a}_change"
    m = measures[name]
    inside, outside, p = float(m["cohort_mean"]), float(m["others_mean"]), float(m.get("p", float("nan")))
    label = str(cohort.get("cohort", "programme"))
    roster_values = c.sizes(schema.COHORT).index
    label = next((v for v in roster_values if v.strip().casefold() == label.strip().casefold()), label)
    from onatool.compare.cohort import cohort_sentence  # the cohort's own wording, with its split

    worded = cohort_sentence(cohort, a, label)
    if worded is not None:
        text, note, values = worded
        ratio = inside / outside if outside > 0 else float("inf")
        strength = 0.6 + 0.35 * min(1.0, (ratio - 1) / 3) if ratio > 1 else 0.4
        return [Insight(text, values, (name, f"{name}_with_cohort"), strength,
                        ((schema.COHORT, str(label)),), "cohort", note)]
    if name.startswith("new_external"):
        text = (f"Since the last survey, people on the {label} gained on average {inside:.1f} new "
                f"contacts in other {_plural(a)}, against {outside:.1f} for everyone else.")
    else:
        text = (f"Since the last survey, people on the {label} changed their contacts in other "
                f"{_plural(a)} by {inside:+.1f} on average, against {outside:+.1f} for everyone else.")
    note = ("A difference this size is unlikely to be chance" if math.isfinite(p) and p < 0.05
            else "The difference could be chance")
    shown_p = "p < 0.001" if math.isfinite(p) and p < 0.001 else f"p = {p:.3f}"
    note += (f" ({shown_p}); it does not by itself show the programme caused it: people chosen "
             "for a programme may differ from others before it starts.") if math.isfinite(p) else "."
    ratio = inside / outside if outside > 0 else float("inf")
    strength = 0.6 + 0.35 * min(1.0, (ratio - 1) / 3) if ratio > 1 else 0.4
    values = {"cohort_mean": inside, "others_mean": outside, "p": p, "members": members, "others": others}
    return [Insight(text, values, (name,), strength, ((schema.COHORT, str(label)),), "cohort", note)]


def top_insights(found: Sequence[Insight], n: int = 6) -> list[Insight]:
    """The ``n`` most striking, at most two of any kind (variety on a slide)."""
    out, per_kind = [], {}
    for f in found:
        if per_kind.get(f.kind, 0) < 2:
            out.append(f)
            per_kind[f.kind] = per_kind.get(f.kind, 0) + 1
        if len(out) == n:
            break
    return out
