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
  :func:`quantifier` alone: "most" only above one half;
- a share is written by :func:`onatool.metrics.registry.share_text`, the one rule for
  every surface: a count when it rests on few cases ("4 of the 640 possible links"),
  never "0%" of something that exists;
- no causal verbs: findings describe association ("led to", "caused", "drove" ... are
  never used; :data:`CAUSAL` lists them for the tests);
- what a tie carries flows the way its relation says (:attr:`onatool.schema.Relation.flow`):
  advice from the person named to the person who names, a concern from the person who
  names to the person named; upward voice is read on the concern relation;
- strengths as well as gaps (``tone``), each with a question for a workshop (``prompt``);
- each carries the response behind it (the people of the groups it is about, or
  everyone) and is flagged when a group's response is under
  :data:`~onatool.metrics.registry.LOW_RESPONSE`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.metrics.health import boundary_crossing, expected_boundary_crossing
from onatool.metrics.registry import LOW_RESPONSE, flow, relation_info, runs_one_way, share_text
from onatool.network import Network
from onatool.share.disclosure import Disclosure

__all__ = ["CAUSAL", "QUANTIFIERS", "TONES", "Insight", "insights", "quantifier", "top_insights"]

#: Wording that claims a cause; no generated sentence uses it (findings are associations).
CAUSAL = (
    "led to", "leads to", "lead to", "caused", "causes", "because of the programme",
    "because of the program", "due to the programme", "improved by", "drove", "drives",
    "driven by", "resulted in", "results in", "as a result of", "thanks to", "owing to",
    "impact of the programme", "effect of the programme", "produced by", "brought about",
)
#: What a finding shows: a strength to keep, a gap to explore, or neither.
TONES = ("strength", "gap", "neutral")

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
    tone
        ``strength``, ``gap`` or ``neutral`` (:data:`TONES`).
    prompt
        A question to open the finding up in a workshop.
    response
        The response behind it: ``{"respondents", "people", "threshold"}`` over the
        people of the groups it is about (everyone when it is about no group), with the
        response rate under which it is flagged.
    low_response
        Whether a group it is about (or everyone, when none) answered under the
        threshold (default :data:`~onatool.metrics.registry.LOW_RESPONSE`).
    relation
        The relation its figures are read on, when known.
    """

    text: str
    values: Mapping[str, float]
    metrics: tuple[str, ...]
    strength: float
    groups: tuple[tuple[str, str], ...] = ()
    kind: str = ""
    note: str = ""
    sizes: Mapping[str, int] = field(default_factory=dict, repr=False)
    tone: str = "neutral"
    prompt: str = ""
    response: Mapping[str, int] = field(default_factory=dict)
    low_response: bool = False
    relation: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON."""
        return {
            "text": self.text,
            "note": self.note,
            "tone": self.tone,
            "prompt": self.prompt,
            "values": {k: _plain(v) for k, v in self.values.items()},
            "metrics": list(self.metrics),
            "strength": round(float(self.strength), 4),
            "groups": [list(g) for g in self.groups],
            "kind": self.kind,
            "relation": self.relation,
            "response": {k: _plain(v) for k, v in self.response.items()},
            "low_response": self.low_response,
        }

    @property
    def response_text(self) -> str:
        """The response behind the finding in words, with the low-response caution."""
        if not self.response:
            return ""
        r, n = int(self.response["respondents"]), int(self.response["people"])
        shown = share_text(count=r, base=n)
        rate = "" if " of " in shown else f" ({shown})"  # a small count is already the figure
        text = f"Rests on the answers of {r:,} of the {n:,} people it is about{rate}."
        if self.low_response:
            text += (" Low response: fewer than "
                     f"{share_text(float(self.response.get('threshold', LOW_RESPONSE)))} of a group it "
                     "is about answered, so read it with care.")
        return text


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
    low_response: float = LOW_RESPONSE,
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
    low_response
        Flag findings about a group whose response is under this share.

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
    Almost all of the relationships named stay inside the same organisation: 12 of the 13 ties named, where a random mix would give about 45%.
    Acute and Council are connected through 2 people (1 tie between them).
    >>> found[1].values, found[1].groups
    ({'people_connecting': 2, 'ties_between': 1}, (('organisation', 'Acute'), ('organisation', 'Council')))
    >>> found[1].tone, found[1].prompt
    ('gap', 'Who else in Acute and Council could share these links, so that they do not rest on a few people?')
    >>> found[1].response_text
    'Rests on the answers of 12 of the 12 people it is about.'
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
    found = [_with_response(f, context, low_response) for f in found if _safe(f, context)]
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


    @property
    def relation(self) -> str:
        """The relation analysed: from the analysis, else the network's own ("a+b" merged)."""
        params = getattr(self.analysis, "params", None) or {}
        if params.get("relation"):
            return str(params["relation"])
        return "+".join(self.network.relation_names)


def _with_response(finding: Insight, c: _Context, threshold: float) -> Insight:
    """The finding with the response behind it, flagged when a group it is about is low."""
    people = c.network.people
    answered = people[schema.RESPONDED].astype(bool) if schema.RESPONDED in people.columns else (
        pd.Series(True, index=people.index))
    about = pd.Series(not finding.groups, index=people.index)
    rates = []
    for attribute, group in finding.groups:
        members = (c.group_of(attribute) == group).fillna(False).astype(bool)
        about |= members
        if members.any():
            rates.append(float(answered[members].mean()))
    if not finding.groups and len(people):
        rates.append(float(answered.mean()))
    response = {"respondents": int(answered[about].sum()), "people": int(about.sum()),
                "threshold": threshold}
    low = any(rate < threshold for rate in rates)
    return replace(finding, response=response, low_response=low,
                   relation=finding.relation or c.relation)


def _share(value: float, count: float, base: float, of: str = "") -> str:
    """``share_text`` with the counts behind ``value`` when they are what it was worked out from."""
    if base and math.isfinite(value) and abs(count / base - value) < 1e-9:
        return share_text(count=int(count), base=int(base), of=of)
    return share_text(value, of=of)


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
    known, inside = _within_counts(c, a)
    shown = _share(within, inside, known, of="ties named")
    if not math.isfinite(expected) or within <= expected:
        text = (f"Relationships cross between {_plural(a)} at least as often as a random mix would "
                f"give: {shown} are within the same {a} (a random mix: {share_text(expected)}).")
        return [Insight(text, values, tuple(metrics), 0.45, (), "silos",
                        "Ties that cross boundaries are how a partnership shares what it knows.",
                        tone="strength",
                        prompt=f"What makes working across {_plural(a)} easy here, and how can it be kept?")]
    text = (f"{_sentence_start(quantifier(within))} the relationships named stay inside the same "
            f"{a}: {shown}, where a random mix would give about {share_text(expected)}.")
    note = ("Some of this is expected (people work with their own team), but it shows how much "
            "the partnership depends on the ties that do cross.")
    strength = min(1.0, (within - expected) / max(1e-9, 1 - expected))
    return [Insight(text, values, tuple(metrics), 0.5 + 0.45 * strength, (), "silos", note, tone="gap",
                    prompt=f"Where would a contact in another {a} have helped recently, and what "
                           "stood in the way of making it?")]


def _within_counts(c: _Context, attribute: str) -> tuple[int, int]:
    """Ties with both ends of known group, and those inside one group (the silo share's counts)."""
    group = c.group_of(attribute)
    gs = group.reindex(c.ties[schema.SOURCE]).to_numpy()
    gt = group.reindex(c.ties[schema.TARGET]).to_numpy()
    known = pd.notna(gs) & pd.notna(gt)
    return int(known.sum()), int((gs[known] == gt[known]).sum())


def _bridges(c: _Context) -> list[Insight]:
    """Pairs of large groups joined through few people, or not at all; or all joined."""
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
                             "overlap, it is a gap worth exploring.", tone="gap",
                             prompt=f"Should {g} and {h} be working together? If so, who in each "
                                    "could make the first contact?"))
    for key, n_people, n_ties, smaller in thin[:2]:
        g, h = key
        plural = "tie" if n_ties == 1 else "ties"
        text = (f"{g} and {h} are connected through {n_people} people "
                f"({n_ties} {plural} between them).")
        strength = 0.5 + 0.4 * (1 - n_people / max(smaller, 1)) * min(1.0, smaller / 10)
        found.append(Insight(text, {"people_connecting": n_people, "ties_between": n_ties},
                             (f"mixing_{a}",), strength, ((a, g), (a, h)), "bridges",
                             "If those people moved on, the link between the two could go with them.",
                             tone="gap",
                             prompt=f"Who else in {g} and {h} could share these links, so that they "
                                    "do not rest on a few people?"))
    if not zero and not thin:
        pairs, fewest = len(candidates), min(x[1] for x in candidates)
        text = (f"Every pair of the {len(large)} {_plural(a)} shown is connected, each pair through "
                f"at least {fewest} people ({pairs} pairs in all).")
        found.append(Insight(text, {"groups": len(large), "pairs": pairs, "fewest_people": fewest},
                             (f"mixing_{a}",), 0.4,
                             (), "bridges", "No part of the partnership is cut off from another.",
                             tone="strength",
                             prompt="Which of these links matter for the work ahead, and are they "
                                    "strong enough?"))
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
    held = int((cross[schema.SOURCE].isin(top) | cross[schema.TARGET].isin(top)).sum())
    share = held / len(cross)
    metric = "top5_cross_organisation_share" if a == schema.ORGANISATION else f"external_{a}"
    everyone = c.network.n_people
    people_share = n / everyone
    text = (f"{n} of the {everyone:,} people ({share_text(people_share)}) are part of "
            f"{share_text(count=held, base=len(cross), of=f'ties between {_plural(a)}')}.")
    note = ("Boundary spanners like these are an asset; if they move on or are stretched, "
            "the links they hold can go with them.")
    strength = 0.4 + 0.55 * max(0.0, min(1.0, (share - people_share) / (1 - people_share)))
    return [Insight(text, {"people": n, "share_of_people": people_share, "share_of_ties": share,
                           "ties_held": held, "ties_between": len(cross)},
                    (metric,), strength, (), "dependence", note, tone="gap",
                    prompt="How could the boundary-spanning work these people do be shared, "
                           "recognised or supported?")]


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
                "They help hold the partnership together across its boundaries.", tone="strength",
                prompt=f"What do people in {g} do that connects them across the partnership, "
                       "and what could others take from it?"))
    found.sort(key=lambda f: -f.strength)
    return found[:2]


def _level_density(c: _Context, level: str) -> dict[str, float]:
    """Ties and possible ties among people of ``level``: within the same organisation, and across.

    Available case (docs/metrics.md): pairs are counted over the rows of people who
    answered (a non-respondent's own ties are unknown); with full response these are the
    plain densities.
    """
    people = c.network.people
    if schema.LEVEL not in people.columns or c.attribute not in people.columns:
        raise KeyError(schema.LEVEL)
    members = people[(people[schema.LEVEL] == level) & c.group_of(c.attribute).notna()]
    org = c.group_of(c.attribute)[members.index].astype(str)
    answered = (members[schema.RESPONDED].astype(bool) if schema.RESPONDED in members.columns
                else pd.Series(True, index=members.index))
    same_org = org.map(org.value_counts()).to_numpy(dtype=float)  # including the person
    rows = answered.to_numpy()
    pairs_within = float((same_org[rows] - 1).sum())
    pairs_across = float((len(members) - same_org[rows]).sum())
    senders = members.index[rows]
    ties = c.ties[c.ties[schema.SOURCE].isin(senders) & c.ties[schema.TARGET].isin(members.index)]
    same = org.reindex(ties[schema.SOURCE]).to_numpy() == org.reindex(ties[schema.TARGET]).to_numpy()
    return {"within": float(engine.pair_density(same.sum(), pairs_within)),
            "across": float(engine.pair_density((~same).sum(), pairs_across)),
            "ties_within": int(same.sum()), "pairs_within": pairs_within,
            "ties_across": int((~same).sum()), "pairs_across": pairs_across}


def _level_count(c: _Context, level: str) -> int:
    if schema.LEVEL not in c.network.people.columns:
        return 0
    return int((c.network.people[schema.LEVEL] == level).sum())


def _tops(c: _Context) -> list[Insight]:
    if _level_count(c, "top") < c.k:
        return []
    d = _level_density(c, "top")
    within, across = d["within"], d["across"]
    if not math.isfinite(across):
        return []
    with contextlib.suppress(KeyError, TypeError, ValueError):
        across = c.measure("levels", "top_peer_density_cross_org")
    values = {"density_across": across, "density_within": within}
    shown_across = _share(across, d["ties_across"], d["pairs_across"])
    shown_within = _share(within, d["ties_within"], d["pairs_within"],
                          of="possible links between tops in the same organisation")
    note = ("Oshry: tops who work as peers across the system can set shared direction; "
            "tops who stay within their own organisation tend to pull the system apart.")
    if math.isfinite(within) and within > 2 * across:
        text = (f"{_sentence_start(quantifier(across))} the possible links between senior leaders "
                f"(tops) in different organisations exist ({shown_across}), against {shown_within}.")
        return [Insight(text, values, ("top_peer_density_cross_org",), 0.5 + 0.45 * (1 - across / within),
                        ((schema.LEVEL, "top"),), "tops", note, tone="gap",
                        prompt="Where do senior leaders of different organisations meet as peers, "
                               "and what would make that a habit?")]
    text = (f"Senior leaders (tops) are connected across organisations: "
            f"{_share(across, d['ties_across'], d['pairs_across'], of='possible links')} between tops "
            f"of different organisations exist, against {shown_within}.")
    return [Insight(text, values, ("top_peer_density_cross_org",), 0.35, ((schema.LEVEL, "top"),),
                    "tops", note, tone="strength",
                    prompt="What helps senior leaders here work as peers across organisations, "
                           "and how can it last through changes of post?")]


def _middles(c: _Context) -> list[Insight]:
    if _level_count(c, "middle") < c.k:
        return []
    d = _level_density(c, "middle")
    within, across = d["within"], d["across"]
    with contextlib.suppress(KeyError, TypeError, ValueError):
        across = c.measure("levels", "middle_integration_cross_org")
    if not (math.isfinite(within) and math.isfinite(across)) or within <= 0:
        return []
    values = {"density_across": across, "density_within": within}
    shown_across = _share(across, d["ties_across"], d["pairs_across"], of="possible links across organisations")
    shown_within = _share(within, d["ties_within"], d["pairs_within"], of="possible links within their own")
    note = ("Oshry: middles who connect with each other gain a shared picture of the system "
            "and the power to integrate it; middles who stay apart are pulled between tops and bottoms.")
    metrics = ("middle_integration_cross_org", "middle_integration")
    if within > 2 * across:
        text = (f"Managers in the middle (middles) are much less connected across organisations than "
                f"within their own: {shown_across} exist, against {shown_within}.")
        return [Insight(text, values, metrics, 0.4 + 0.4 * (1 - across / within),
                        ((schema.LEVEL, "middle"),), "middles", note, tone="gap",
                        prompt="Where could managers in the middle meet their counterparts in other "
                               "organisations, to compare what they see?")]
    text = (f"Managers in the middle (middles) are connected across organisations as well as within "
            f"their own: {shown_across} exist, against {shown_within}.")
    return [Insight(text, values, metrics, 0.35, ((schema.LEVEL, "middle"),), "middles", note,
                    tone="strength",
                    prompt="What brings managers in the middle together across organisations, "
                           "and what do they do with what they learn there?")]


#: The upward-reach finding, by which way the relation it is read on carries:
#: (sentence with {share}, note, prompt).
_REACH_WORDS = {
    "to_named": (
        "{share} of frontline staff (bottoms) could take a concern or an idea to a senior leader "
        "(top) directly or through one colleague they would raise it with.",
        "Short paths upward let what the frontline sees reach the people who set direction.",
        "When frontline staff raise a concern or an idea, how far does it travel, and what "
        "happens to it on the way?"),
    "to_namer": (
        "Advice from senior leaders (tops) can reach {share} of frontline staff (bottoms), "
        "directly or through one colleague.",
        "Advice flows from the person named to the person who asks, so this is how far senior "
        "leaders' knowledge can travel down, not whether frontline voice travels up.",
        "How does what senior leaders know reach the frontline, and could frontline staff ask "
        "them more directly?"),
    "both": (
        "{share} of frontline staff (bottoms) are linked to a senior leader (top) directly or "
        "through one colleague.",
        "Short paths between the frontline and senior leaders let each hear the other.",
        "What do these links between the frontline and senior leaders carry, and in which direction?"),
    "": (
        "{share} of frontline staff (bottoms) name a senior leader (top), or name someone who does.",
        "Short paths upward let frontline knowledge and senior leaders meet.",
        "What do these links between the frontline and senior leaders carry, and in which direction?"),
}


def _bottoms(c: _Context) -> list[Insight]:
    if _level_count(c, "bottom") < c.k or _level_count(c, "top") < c.k:
        return []
    relation, note = c.relation, ""
    health = getattr(c.analysis, "health", None) or {}
    entry = health.get("bottom_reach_to_top")
    if isinstance(entry, Mapping) and math.isfinite(float(entry.get("value", float("nan")))):
        # Upward voice, read on the relation the registry names (concern) when the wave has it.
        reach = float(entry["value"])
        relation, note = entry.get("relation") or relation, entry.get("relation_note", "")
        metric = "health.bottom_reach_to_top"
    else:
        reach = c.measure("levels", "bottom_reach_to_top")
        metric = "bottom_reach_to_top"
    how = flow(relation) if relation_info(relation) else ""
    text, meaning, prompt = _REACH_WORDS[how]
    text = _sentence_start(text.format(share=share_text(reach)))
    note = f"{meaning} {note}".strip()
    return [Insight(text, {"bottom_reach_to_top": reach}, (metric,), 0.3 + 0.6 * (1 - reach),
                    ((schema.LEVEL, "bottom"), (schema.LEVEL, "top")), "bottoms", note,
                    tone="strength" if reach >= 0.5 else "gap", prompt=prompt, relation=relation or "")]


def _reciprocity(c: _Context) -> list[Insight]:
    value = c.measure("network", "reciprocity")
    relation = c.relation
    text = f"{_sentence_start(share_text(value))} of the relationships named are named back by the other person."
    if runs_one_way(relation):
        info = relation_info(relation.split("+")[0])
        what = info.label.lower() if info and "+" not in relation else "these relationships"
        note = (f"{_sentence_start(what)} runs one way by nature (advice is sought from those who "
                "know more, concerns are raised with those who can act), so a tie not named back "
                "is no shortfall here; ties named back show give and take between peers.")
        return [Insight(text, {"reciprocity": value}, ("reciprocity",), 0.25, (), "reciprocity", note,
                        tone="neutral",
                        prompt="Where does this relationship run both ways, and where would it help if it did?")]
    note = "Relationships seen from one side only are common; a low share can mean one-way reliance."
    return [Insight(text, {"reciprocity": value}, ("reciprocity",), 0.25 + 0.3 * abs(value - 0.5),
                    (), "reciprocity", note, tone="strength" if value >= 0.5 else "gap",
                    prompt="Which relationships would be worth making two-way, and which are one-way "
                           "by design?")]


def _change(c: _Context) -> list[Insight]:
    summary = getattr(c.comparison, "summary", None)
    if not summary:
        return []
    jaccard = float(summary["jaccard"])
    stable, lost, new = (int(summary[k]) for k in ("stable", "lost", "new"))
    seen = _share(jaccard, stable, stable + lost + new, of="relationships seen")
    text = (f"Since the last survey, {stable} relationships continued, {new} are new and "
            f"{lost} were not named again ({seen} are in both waves).")
    note = ("Some turnover is normal; below about 20-30% in both waves the two surveys are "
            "better read as separate pictures than as one network changing.")
    found = [Insight(text, {"stable": stable, "new": new, "lost": lost, "jaccard": jaccard},
                     ("stable", "new", "lost", "jaccard"), 0.45, (), "change", note,
                     prompt="Which of the new relationships were intended, and which of those no "
                            "longer named matter?")]
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
                                 (), "change", tone="strength" if new_cross > lost_cross else "gap",
                                 prompt=f"What else changed between these surveys that could go with "
                                        f"{direction} ties between {_plural(a)}?"))
    return found


#: Fewer answering members than this: a cohort finding describes, and says nothing of chance.
COHORT_DESCRIPTIVE_BELOW = 10


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
    caution = ("it is an association, not a measure of the programme's part in it: people chosen "
               "for a programme may differ from others before it starts.")
    if members < COHORT_DESCRIPTIVE_BELOW or not math.isfinite(p):
        note = (f"With {members} members this is a description only; " if members < COHORT_DESCRIPTIVE_BELOW
                else "This is a description; ") + caution
    else:
        shown_p = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        note = ("A difference this size is unlikely to be chance" if p < 0.05
                else "The difference could be chance") + f" ({shown_p}); " + caution
    ratio = inside / outside if outside > 0 else float("inf")
    strength = 0.6 + 0.35 * min(1.0, (ratio - 1) / 3) if ratio > 1 else 0.4
    values = {"cohort_mean": inside, "others_mean": outside, "p": p, "members": members, "others": others}
    return [Insight(text, values, (name,), strength, ((schema.COHORT, str(label)),), "cohort", note,
                    prompt="Besides the programme, what else was different for participants over "
                           "this time, and which of their new contacts are with each other?")]


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
