"""The metric registry: every measure's level, range, plain-language sentence and reference.

:data:`REGISTRY` describes each measure; its keys are ``"<level>.<name>"``
(``"person.betweenness"``, ``"network.ei"``), since a name such as ``ei`` exists at several
levels. A measure ``per_attribute`` is named ``<name>_<attribute>`` in results
(``ei_organisation``). This is the only home of the plain-language text the app, the report
and the insights show: each measure's sentence (what it means), its short ``label`` (a
table heading), and for tops/middles/bottoms the ``statement`` that puts a value into
words and the ``undefined`` reason shown when it has none. The metric modules, the
pages and the report read them from here (:func:`describe`, :func:`label`,
:func:`statement`).

It is also the home of how a value is put into words for every surface: a share as a
percentage, or as a count when it rests on few cases (:func:`share_text`); which way is
better for a measure on a given relation (:func:`better`: none for reciprocity of a
relation that runs one way by nature); which relation a measure is read on
(:func:`relation_for`: upward voice on "who would you go to with a concern"); and the
response rate under which a finding is flagged (:data:`LOW_RESPONSE`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

from onatool import engine, schema
from onatool.metrics import boundary, brokerage, centrality, cohesion, groups, health, levels

Level = Literal["person", "group", "network", "levels", "health"]
INF = math.inf

#: Findings about a group where fewer than this share of people answered are flagged as
#: resting on low response (docs/metrics.md, "When some people did not answer"): the one
#: threshold every measure's response flag uses, kept in :mod:`onatool.engine`.
LOW_RESPONSE = engine.LOW_RESPONSE
#: A share whose count is below SMALL_COUNT, or whose base is below SMALL_BASE, is shown
#: as a count ("4 of 640"), never as a percentage that hides it ("0%", "50%" of 2).
SMALL_COUNT = 10
SMALL_BASE = 20


@dataclass(frozen=True)
class MetricSpec:
    """What one measure is.

    Attributes
    ----------
    name
        Its name in results (``<name>_<attribute>`` when per attribute).
    level
        ``person``, ``group``, ``network``, ``levels`` or ``health``.
    function
        The function computing it (for group columns, the table holding it).
    range
        ``(lo, hi)`` its values keep to (NaN aside), or None (tables, dicts).
    sentence
        One plain-language sentence an enabler could read out in a workshop.
    reference
        Where the definition comes from.
    per_attribute
        Whether it is computed for each boundary attribute.
    missing
        When it is NaN, if ever.
    label
        A short heading for a table or a metric card ("Density").
    statement
        The value in words, ``{pct}`` standing for it as a percentage.
    undefined
        Why it has no value, in words, when it has none.
    relation
        The relation the measure is read on when it has one of its own (upward voice:
        ``"concern"``); ``""``: the relation analysed. See :func:`relation_for`.
    two_way
        It measures whether ties are returned, so it has no better direction on a
        relation that runs one way by nature (:func:`better`).

    Notes
    -----
    A sentence may name the attribute as ``{attribute}``; :attr:`sentence` reads it as
    "group", :meth:`describe` as the attribute given.
    """

    name: str
    level: Level
    function: Callable
    range: tuple[float, float] | None
    sentence: str
    reference: str
    per_attribute: bool = False
    missing: str = ""
    label: str = ""
    statement: str = ""
    undefined: str = ""
    relation: str = ""
    two_way: bool = False
    template: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", self.sentence)
        object.__setattr__(self, "sentence", self.describe())

    @property
    def key(self) -> str:
        """Its key in :data:`REGISTRY`."""
        return f"{self.level}.{self.name}"

    def describe(self, attribute: str | None = None) -> str:
        """The sentence, naming ``attribute`` where it speaks of the attribute ("group" if None)."""
        return self.template.replace("{attribute}", attribute or "group")

    def state(self, value: float | None) -> str:
        """The value in words (its :attr:`statement`), or why it is not defined."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "Not defined here: " + (self.undefined or "there are no ties to measure.")
        if not self.statement:
            return self.sentence
        return self.statement.replace("{pct}", share_text(value))


_NON_RESPONDENT = "for non-respondents in a directed relation"
_OSHRY = "Oshry (2007) Seeing Systems; onatool's definition (docs/metrics.md)"

#: Tops, middles and bottoms: (name, label, sentence, statement of a value, why undefined).
_LEVELS = (
    ("block_density", "Density between levels",
     "For each pair of levels, the share of possible ties from the row's level to the column's "
     "level that exist.", "", ""),
    ("lateral_share", "Ties within a level",
     "The share of ties between people at the same level.",
     "{pct} of ties are between people at the same level.", ""),
    ("vertical_share", "Ties between adjacent levels",
     "The share of ties between adjacent levels: tops with middles, middles with bottoms.",
     "{pct} of ties link adjacent levels (tops with middles, middles with bottoms).", ""),
    ("skip_level_share", "Ties between tops and bottoms directly",
     "The share of ties that link tops and bottoms directly.",
     "{pct} of ties link tops and bottoms directly.", ""),
    ("upward_reciprocity", "Upward ties returned",
     "When someone names a person at a higher level, how often that person names them back.",
     "When someone names a person at a higher level, that person names them back {pct} of the "
     "time.",
     "there are no ties sent upward, or the relation is mutual by nature so every tie is "
     "two-way."),
    ("middle_integration", "Middles connected with middles",
     "How closely middles are connected with each other.",
     "Middles are connected with {pct} of the other middles they could be connected with.",
     "it needs at least two middles."),
    ("middle_integration_cross_org", "Middles connected across organisations",
     "How closely middles are connected with middles in other organisations.",
     "Middles are connected with {pct} of the middles in other organisations they could be "
     "connected with.",
     "it needs middles in at least two organisations (and an organisation column)."),
    ("top_peer_density_cross_org", "Tops connected across organisations",
     "How closely tops are connected with tops in other organisations, as peers across the "
     "system.",
     "Tops are connected with {pct} of the tops in other organisations they could be "
     "connected with.",
     "it needs tops in at least two organisations (and an organisation column)."),
    ("bottom_reach_to_top", "Bottoms within two steps of a top",
     "The share of bottoms who can reach a top in one or two steps, through the people they "
     "name.",
     "{pct} of bottoms can reach a top in one or two steps.", "no one is at the bottom level."),
    ("middle_liaison_share", "Links between levels made through middles",
     "Of the links between two different levels made through a person at a third level, the "
     "share made through middles.",
     "Middles make {pct} of the links between two other levels.",
     "no one links two different levels through a third."),
)
_FREEMAN_79 = "Freeman (1979) Social Networks 1, 215-239; = sna centralization"
_GF = "Gould & Fernandez (1989) Sociological Methodology 19, 89-126; = sna brokerage raw.nli"

_SPECS = [
    # Person ----------------------------------------------------------------------
    MetricSpec("in_degree", "person", centrality.in_degree, (0, INF),
               "How many colleagues named this person.", "Wasserman & Faust (1994)"),
    MetricSpec("out_degree", "person", centrality.out_degree, (0, INF),
               "How many colleagues this person named.", "Wasserman & Faust (1994)",
               missing="for non-respondents"),
    MetricSpec("degree", "person", centrality.degree, (0, INF),
               "How many colleagues this person is connected with, whoever named whom.",
               "Wasserman & Faust (1994)"),
    MetricSpec("betweenness", "person", centrality.betweenness, (0, 1),
               "How often this person sits on the shortest route between two others.",
               "Freeman (1977) Sociometry 40, 35-41; = networkx normalized",
               missing=_NON_RESPONDENT),
    MetricSpec("closeness_in", "person", centrality.closeness_in, (0, 1),
               "How easily what others know reaches this person.",
               "Harmonic closeness: Marchiori & Latora (2000); Rochat (2009)"),
    MetricSpec("closeness_out", "person", centrality.closeness_out, (0, 1),
               "How easily this person can reach everyone else through the people they name.",
               "Harmonic closeness; = sna closeness(cmode='suminvdir')",
               missing=_NON_RESPONDENT),
    MetricSpec("eigenvector", "person", centrality.eigenvector, (0, 1),
               "How well connected this person is to people who are themselves well connected.",
               "Bonacich (1972) J. Math. Sociology 2, 113-120"),
    MetricSpec("pagerank", "person", centrality.pagerank, (0, 1),
               "How much attention flows to this person, counting who names them.",
               "Brin & Page (1998); = igraph pagerank"),
    MetricSpec("constraint", "person", centrality.constraint, (0, 2),
               "Low when this person's contacts do not know each other, so they bridge "
               "separate circles.", "Burt (1992) Structural Holes; = igraph constraint",
               missing="for people with no ties"),
    MetricSpec("effective_size", "person", centrality.effective_size, (1, INF),
               "How many separate circles this person's contacts amount to.",
               "Burt (1992); Borgatti (1997) Connections 20, 35-38",
               missing="for people with no ties"),
    MetricSpec("efficiency", "person", centrality.efficiency, (0, 1),
               "The share of this person's contacts that open a door the others do not.",
               "Burt (1992)", missing="for people with no ties"),
    MetricSpec("core", "person", centrality.core, (0, INF),
               "How deep inside the tightly knit core of the network this person sits.",
               "Seidman (1983) Social Networks 5, 269-287"),
    MetricSpec("community", "person", groups.communities, (0, INF),
               "Which cluster of closely tied people this person belongs to, found from "
               "the ties alone.", "Traag, Waltman & van Eck (2019) Sci. Rep. 9, 5233"),
    MetricSpec("ei", "person", boundary.ei, (-1, 1),
               "Whether this person's relationships stay inside their own group (towards -1) "
               "or reach across to others (towards +1).",
               "Krackhardt & Stern (1988) Soc. Psych. Quarterly 51, 123-140",
               per_attribute=True, missing="when the person's group is unknown or they have "
               "no contact of known group"),
    MetricSpec("external", "person", boundary.external, (0, INF),
               "How many people in other groups this person is connected with.",
               "Krackhardt & Stern (1988)", per_attribute=True,
               missing="when the person's group is unknown"),
    MetricSpec("participation", "person", boundary.participation, (0, 1),
               "How evenly this person's relationships are spread across groups.",
               "Guimerà & Amaral (2005) Nature 433, 895-900", per_attribute=True,
               missing="when the person has contacts but none whose group is known"),
    MetricSpec("coordinator", "person", brokerage.coordinator, (0, INF),
               "How often this person links two colleagues of their own group who are not "
               "directly linked.", _GF, per_attribute=True,
               missing="when the person's group is unknown, and " + _NON_RESPONDENT),
    MetricSpec("itinerant", "person", brokerage.itinerant, (0, INF),
               "How often this person links two colleagues of another group who are not "
               "directly linked, as an outside go-between.", _GF, per_attribute=True,
               missing="when the person's group is unknown, and " + _NON_RESPONDENT),
    MetricSpec("representative", "person", brokerage.representative, (0, INF),
               "How often this person carries something from their own group out to another.",
               _GF, per_attribute=True,
               missing="when the person's group is unknown, and " + _NON_RESPONDENT),
    MetricSpec("gatekeeper", "person", brokerage.gatekeeper, (0, INF),
               "How often this person brings something from another group into their own.",
               _GF, per_attribute=True,
               missing="when the person's group is unknown, and " + _NON_RESPONDENT),
    MetricSpec("liaison", "person", brokerage.liaison, (0, INF),
               "How often this person links two other groups, belonging to neither.",
               _GF, per_attribute=True,
               missing="when the person's group is unknown, and " + _NON_RESPONDENT),
    # Groups ------------------------------------------------------------------------
    *(
        MetricSpec(name, "group", groups.group_table, rng, sentence, ref, per_attribute=True,
                   missing=missing)
        for name, rng, sentence, ref, missing in (
            ("size", (0, INF), "How many people are in the group.", "", ""),
            ("respondents", (0, INF), "How many of them answered the survey.", "", ""),
            ("ties_within", (0, INF), "How many ties stay inside the group.", "", ""),
            ("ties_out", (0, INF), "How many ties the group's members send to other groups.",
             "", ""),
            ("ties_in", (0, INF), "How many ties the group's members receive from other "
             "groups.", "", ""),
            ("ei", (-1, 1), "Whether the group's ties stay inside it (towards -1, every tie "
             "inside) or reach out (towards +1, every tie across).", "Krackhardt & Stern (1988)",
             "when the group sends no ties"),
            ("density_within", (0, 1), "Of all the ties that could exist inside the group, "
             "the share that do.", "Wasserman & Faust (1994)", "for a group of one"),
        )
    ),
    MetricSpec("mixing", "group", groups.mixing_matrix, (0, INF),
               "How many ties run from each group (row) to each group (column).",
               "Wasserman & Faust (1994)", per_attribute=True),
    MetricSpec("block_density", "group", groups.block_density, (0, 1),
               "Of all the ties that could exist from one group to another, the share that do.",
               "White, Boorman & Breiger (1976) AJS 81, 730-780", per_attribute=True,
               missing="on the diagonal for a group of one"),
    # Network -------------------------------------------------------------------------
    MetricSpec("people", "network", lambda net, **kw: cohesion.counts(net, **kw)["people"],
               (0, INF), "How many people are in the network.", ""),
    MetricSpec("respondents", "network",
               lambda net, **kw: cohesion.counts(net, **kw)["respondents"], (0, INF),
               "How many of them answered the survey.", ""),
    MetricSpec("response_rate", "network",
               lambda net, **kw: cohesion.counts(net, **kw)["response_rate"], (0, 1),
               "The share of people who answered: read every other figure with it.", ""),
    MetricSpec("ties", "network", lambda net, **kw: cohesion.counts(net, **kw)["ties"],
               (0, INF), "How many ties were reported.", ""),
    MetricSpec("density", "network", cohesion.density, (0, 1),
               "Of all the relationships that could exist, the share that do.",
               "Wasserman & Faust (1994)", label="Density"),
    MetricSpec("reciprocity", "network", cohesion.reciprocity, (0, 1),
               "When someone names a colleague, how often that colleague names them back.",
               "Wasserman & Faust (1994); = igraph reciprocity",
               missing="for a symmetric relation or without ties", label="Two-way ties",
               two_way=True),
    MetricSpec("transitivity", "network", cohesion.transitivity, (0, 1),
               "When I go to someone who goes to a third person, how often I also go to that "
               "third person directly.", "= sna gtrans(measure='weak')", label="Closure"),
    MetricSpec("transitivity_undirected", "network", cohesion.transitivity_undirected, (0, 1),
               "How often two of a person's contacts are also connected with each other.",
               "= igraph transitivity_undirected"),
    MetricSpec("centralization_in_degree", "network", cohesion.centralization_in_degree,
               (0, 1), "Whether being sought out is spread around or concentrated on a few.",
               _FREEMAN_79),
    MetricSpec("centralization_out_degree", "network", cohesion.centralization_out_degree,
               (0, 1), "Whether reaching out is spread around or done by a few.", _FREEMAN_79),
    MetricSpec("centralization_betweenness", "network", cohesion.centralization_betweenness,
               (0, 1), "Whether the routes between people all run through one person.",
               _FREEMAN_79),
    MetricSpec("components", "network", cohesion.components, (0, INF),
               "How many separate pieces the network falls into.", "", label="Separate parts"),
    MetricSpec("largest_component_share", "network", cohesion.largest_component_share, (0, 1),
               "The share of people joined up, directly or indirectly, in the main network.", ""),
    MetricSpec("isolates", "network", cohesion.isolates, (0, INF),
               "How many people have no relationship in this network at all.", "",
               label="People with no ties"),
    MetricSpec("ei", "network",
               lambda net, a, **kw: boundary.ei_network(net, a, permutations=0, **kw)[f"ei_{a}"],
               (-1, 1), "Whether ties stay inside groups (towards -1) or cross between them "
               "(towards +1).", "Krackhardt & Stern (1988)", per_attribute=True,
               label="Whole-network E-I"),
    MetricSpec("ei_expected", "network",
               lambda net, a, **kw: boundary.ei_network(net, a, permutations=0, **kw)[
                   f"ei_expected_{a}"],
               (-1, 1), "What the E-I index would be if people tied to anyone regardless of "
               "group.", "Krackhardt & Stern (1988)", per_attribute=True),
    MetricSpec("ei_p", "network",
               lambda net, a, **kw: boundary.ei_network(net, a, **kw)[f"ei_p_{a}"], (0, 1),
               "How likely an E-I index this far from the expected value is by chance alone.",
               "Permutation test (labels shuffled, seeded)", per_attribute=True),
    MetricSpec("assortativity", "network", groups.assortativity, (-1, 1),
               "How strongly people tie to others in their own group rather than across.",
               "Newman (2003) Phys. Rev. E 67, 026126; = igraph assortativity_nominal",
               per_attribute=True),
    MetricSpec("modularity", "network", groups.modularity, (-0.5, 1),
               "How much the network splits into separate groups along this line.",
               "Newman & Girvan (2004) Phys. Rev. E 69, 026113", per_attribute=True),
    MetricSpec("modularity_community", "network", groups.modularity_communities, (-0.5, 1),
               "How strongly the network falls apart into clusters, whatever the formal groups.",
               "Traag, Waltman & van Eck (2019)"),
    # Tops, middles and bottoms ---------------------------------------------------------
    *(
        MetricSpec(name, "levels", getattr(levels, name), None if name == "block_density" else (0, 1),
                   sentence, _OSHRY, label=heading, statement=statement, undefined=undefined,
                   two_way=name == "upward_reciprocity")
        for name, heading, sentence, statement, undefined in _LEVELS
    ),
    # Health ------------------------------------------------------------------------------
    MetricSpec("boundary_crossing", "health", health.boundary_crossing, (0, 1),
               "The share of ties that cross from one {attribute} to another, against the share "
               "expected if people tied to anyone regardless of {attribute}.", "",
               per_attribute=True, label="Ties crossing {attribute} boundaries"),
    MetricSpec("reciprocity", "health", cohesion.reciprocity, (0, 1),
               "When someone names a colleague, how often that colleague names them back: "
               "two-way relationships.", "Wasserman & Faust (1994)",
               label="Two-way relationships", two_way=True),
    MetricSpec("two_step_reach", "health", health.two_step_reach, (0, 1),
               "On average, the share of everyone a person can reach through their contacts and "
               "their contacts' contacts.", "", label="Reach in two steps"),
    MetricSpec("top5_cross_organisation_share", "health", health.top5_cross_organisation_share,
               (0, 1), "The share of ties between organisations held by the 5% of people with "
               "the largest number of such ties: high means the partnership depends on a few boundary "
               "spanners.",
               "", label="Cross-organisation ties held by the top 5%"),
    MetricSpec("reach_drop_without_top3", "health", health.reach_drop_without_top3, (-INF, 1),
               "How much two-step reach would fall if the 3 people who most often sit between "
               "others were to leave: high means knowledge flow depends on a few.", "",
               label="Reach lost without the 3 most central people"),
    # Vertical connection. Upward voice is read on "who would you go to with a concern or
    # a new idea" (what flows from the person who names), not on advice (which flows
    # from the person named, so a path from a bottom to a top carries the top's advice down).
    MetricSpec("bottom_reach_to_top", "health", levels.bottom_reach_to_top, (0, 1),
               "Upward voice: the share of bottoms who could take a concern or a new idea to a "
               "top in one or two steps, through the people they would raise it with.",
               "onatool (docs/metrics.md)", label="Frontline voice reaching a top",
               relation="concern"),
    *(
        MetricSpec(name, "health", getattr(levels, name), (0, 1), sentence,
                   "onatool (docs/metrics.md)", label=heading, two_way=True)
        for name, heading, sentence, _, _ in _LEVELS
        if name == "upward_reciprocity"
    ),
    MetricSpec("isolates_share", "health", health.isolates_share, (0, 1),
               "The share of people with no tie at all in this network.", "",
               label="People with no ties"),
    MetricSpec("peripheral_share", "health", health.peripheral_share, (0, 1),
               "The share of people hanging on by a single thread (core 1): connected, but only "
               "at the edge.", "Seidman (1983)", label="People on the edge (one thread)"),
    MetricSpec("inclusion", "health", health.inclusion, (0, INF),
               "For each {attribute}: its people, how many have no tie, and how many are at the "
               "edge (core 1).", "", per_attribute=True, label="Inclusion by {attribute}"),
]

#: Short headings for measures registered without one (tables and the app's pickers).
#: ``{attribute}`` names the boundary a per-attribute measure is about.
_HEADINGS: dict[str, str] = {
    "person.in_degree": "Named by",
    "person.out_degree": "Names",
    "person.degree": "Contacts",
    "person.betweenness": "On routes between others",
    "person.closeness_in": "Easily reached",
    "person.closeness_out": "Reaches others easily",
    "person.eigenvector": "Tied to the well connected",
    "person.pagerank": "Attention received",
    "person.constraint": "Constraint (low: bridges circles)",
    "person.effective_size": "Separate circles",
    "person.efficiency": "Contacts opening new doors",
    "person.core": "Depth in the core",
    "person.community": "Cluster",
    "person.ei": "Reaches across {attribute} (E-I)",
    "person.external": "Contacts in another {attribute}",
    "person.participation": "Spread across {attribute} groups",
    "person.coordinator": "Coordinator within own {attribute}",
    "person.itinerant": "Go-between for another {attribute}",
    "person.representative": "Represents own {attribute} outward",
    "person.gatekeeper": "Gatekeeper into own {attribute}",
    "person.liaison": "Liaison between other {attribute} groups",
    "group.size": "People",
    "group.respondents": "Answered",
    "group.ties_within": "Ties inside",
    "group.ties_out": "Ties out to other groups",
    "group.ties_in": "Ties in from other groups",
    "group.ei": "Inside (-1) or across (+1)",
    "group.density_within": "Density inside",
    "network.people": "People",
    "network.respondents": "Answered",
    "network.response_rate": "Response rate",
    "network.ties": "Ties",
    "network.transitivity_undirected": "Contacts who know each other",
    "network.centralization_in_degree": "Being sought out concentrated on a few",
    "network.centralization_out_degree": "Reaching out done by a few",
    "network.centralization_betweenness": "Routes running through one person",
    "network.largest_component_share": "Joined up in the main network",
    "network.ei_expected": "E-I expected at random",
    "network.ei_p": "Chance of a gap this large at random",
    "network.assortativity": "Ties to own {attribute}",
    "network.modularity": "Split along {attribute} lines",
    "network.modularity_community": "Split into clusters",
}
_SPECS = [replace(s, label=_HEADINGS[s.key]) if not s.label and s.key in _HEADINGS else s for s in _SPECS]

#: Every measure, keyed ``"<level>.<name>"``.
REGISTRY: MappingProxyType[str, MetricSpec] = MappingProxyType({s.key: s for s in _SPECS})


def spec_for(column: str, level: Level = "person") -> MetricSpec:
    """The spec behind a result name, e.g. ``spec_for("ei_organisation")``.

    Raises
    ------
    KeyError
        If no registered measure of that level produces that name.

    Examples
    --------
    >>> spec_for("liaison_sector").name, spec_for("ei_p_place", "network").name
    ('liaison', 'ei_p')
    """
    exact = REGISTRY.get(f"{level}.{column}")
    if exact is not None:
        return exact
    candidates = [
        s for s in REGISTRY.values()
        if s.level == level and s.per_attribute and column.startswith(s.name + "_")
    ]
    if not candidates:
        raise KeyError(f"no {level} measure named {column!r}")
    return max(candidates, key=lambda s: len(s.name))  # ei_p before ei


def person_columns(attributes: Sequence[str]) -> list[str]:
    """The metric columns of ``Analysis.people`` for these boundary attributes, in order."""
    columns = [s.name for s in _SPECS if s.level == "person" and not s.per_attribute]
    for attribute in attributes:
        columns += [
            f"{s.name}_{attribute}" for s in _SPECS if s.level == "person" and s.per_attribute
        ]
    return columns


def describe(key: str, attribute: str | None = None) -> str:
    """The plain-language sentence of ``REGISTRY[key]``, naming ``attribute`` if it speaks of one.

    Examples
    --------
    >>> describe("health.boundary_crossing", "sector").split(",")[0]
    'The share of ties that cross from one sector to another'
    """
    return REGISTRY[key].describe(attribute)


def label(key: str, attribute: str | None = None) -> str:
    """The short heading of ``REGISTRY[key]`` (its name in words when it has none).

    Examples
    --------
    >>> label("network.density"), label("health.boundary_crossing", "organisation")
    ('Density', 'Ties crossing organisation boundaries')
    """
    spec = REGISTRY[key]
    text = spec.label or spec.name.replace("_", " ").capitalize()
    return text.replace("{attribute}", attribute or "group")


def statement(key: str, value: float | None) -> str:
    """A value of ``REGISTRY[key]`` in words, or why it is not defined.

    Examples
    --------
    >>> statement("levels.bottom_reach_to_top", 0.5)
    '50% of bottoms can reach a top in one or two steps.'
    >>> statement("levels.middle_integration", float("nan"))
    'Not defined here: it needs at least two middles.'
    """
    return REGISTRY[key].state(value)


def heading(column: str, level: Level = "person") -> str:
    """The short heading of a result name, e.g. ``heading("boundary_crossing_sector", "health")``.

    Per-attribute results are named ``<measure>_<attribute>``; the heading names the
    attribute. A name no measure produces gets its own words back, capitalised.

    Examples
    --------
    >>> heading("boundary_crossing_sector", "health"), heading("lateral_share", "levels")
    ('Ties crossing sector boundaries', 'Ties within a level')
    """
    try:
        spec = spec_for(column, level)
    except KeyError:
        return column.replace("_", " ").capitalize()
    attribute = column.removeprefix(spec.name + "_") if spec.per_attribute else None
    return label(spec.key, attribute)


# Values in words ------------------------------------------------------------------------------


def share_text(share: float | None = None, count: int | None = None, base: int | None = None,
               of: str = "") -> str:
    """A share as every surface shows it: a percentage, or a count when it rests on few cases.

    The one formatting rule for shares. With the ``count`` and ``base`` behind a share,
    a count under :data:`SMALL_COUNT` or a base under :data:`SMALL_BASE` is shown as
    ``"4 of 640"``. A percentage never reads "0%" for a share above zero ("under 1%")
    nor "100%" for one below one ("over 99%").

    Parameters
    ----------
    share
        A proportion in [0, 1]; worked out from ``count/base`` when both are given.
    count, base
        The numerator and denominator behind the share, when known.
    of
        What the base counts, to make a phrase that reads either way: ``"4 of the 640
        possible links"`` or ``"12% of the possible links"``.

    Returns
    -------
    str
        ``"–"`` when there is no share to show.

    Examples
    --------
    >>> share_text(0.5), share_text(0.004), share_text(0.9996), share_text(0.0)
    ('50%', 'under 1%', 'over 99%', '0%')
    >>> share_text(count=4, base=640), share_text(count=3, base=6), share_text(count=90, base=300)
    ('4 of 640', '3 of 6', '30%')
    >>> share_text(count=4, base=640, of="possible links"), share_text(0.3, of="possible links")
    ('4 of the 640 possible links', '30% of the possible links')
    """
    if count is not None and base is not None:
        count, base = int(count), int(base)
        if base <= 0:
            return "–"
        if count < SMALL_COUNT or base < SMALL_BASE:
            return f"{count:,} of the {base:,} {of}" if of else f"{count:,} of {base:,}"
        share = count / base
    if share is None or not math.isfinite(float(share)):
        return "–"
    share = float(share)
    text = f"{share:.0%}"
    if text == "0%" and share > 0:
        text = "under 1%"
    elif text == "100%" and share < 1:
        text = "over 99%"
    return f"{text} of the {of}" if of else text


def relation_info(relation: str | None) -> schema.Relation | None:
    """The definition of a relation by its name (``schema.RELATIONS``), or None when unknown."""
    return schema.RELATIONS.get(relation) if relation else None


def flow(relation: str | None) -> str:
    """Which way what a relation carries travels (:attr:`onatool.schema.Relation.flow`).

    Examples
    --------
    >>> flow("advice"), flow("concern"), flow("collaboration"), flow("trust"), flow("gossip")
    ('to_namer', 'to_named', 'both', '', '')
    """
    info = relation_info(relation)
    return info.flow if info else ""


def _names(relations: str | Sequence[str] | None) -> tuple[str, ...]:
    if relations is None:
        return ()
    if isinstance(relations, str):
        return tuple(relations.split("+"))  # a merged layer is named "a+b"
    return tuple(relations)


def runs_one_way(relations: str | Sequence[str] | None) -> bool:
    """Whether every named relation runs one way by nature (advice, concern).

    Examples
    --------
    >>> runs_one_way("advice"), runs_one_way("advice+concern"), runs_one_way(["advice", "trust"])
    (True, True, False)
    """
    names = _names(relations)
    return bool(names) and all((info := relation_info(n)) is not None and info.one_way for n in names)


def better(key: str, relations: str | Sequence[str] | None = None) -> str | None:
    """Which way is better for ``REGISTRY[key]`` read on ``relations``: "higher", "lower" or None.

    A health indicator's direction (``health.DIRECTIONS``) holds for every relation,
    except that a measure of returned ties (``two_way``) has none on a relation that
    runs one way by nature: advice is sought from those who know more and concerns are
    raised with those who can act, so an unreturned tie there is no shortfall.

    Examples
    --------
    >>> better("health.reciprocity", "trust"), better("health.reciprocity", "advice")
    ('higher', None)
    >>> better("health.upward_reciprocity", "concern"), better("health.isolates_share", "advice")
    (None, 'lower')
    """
    spec = REGISTRY[key]
    if spec.two_way and runs_one_way(relations):
        return None
    return health.DIRECTIONS.get(spec.name) if spec.level == "health" else None


def relation_for(key: str, available: Sequence[str], analysed: str | None) -> tuple[str | None, str]:
    """The relation ``REGISTRY[key]`` is read on, and a note when it is not the one asked for.

    Parameters
    ----------
    key
        The measure.
    available
        The relations the wave has.
    analysed
        The relation analysed (the default for every measure).

    Returns
    -------
    tuple of (str or None, str)
        The relation to use and a note for the reader: empty when the measure uses the
        relation analysed; saying which relation it uses otherwise; and, when the wave
        lacks the measure's own relation, that it falls back to the one analysed.

    Examples
    --------
    >>> relation_for("health.bottom_reach_to_top", ["advice", "concern"], "advice")[0]
    'concern'
    >>> relation_for("health.bottom_reach_to_top", ["advice"], "advice")
    ('advice', 'This wave has no "Raise a concern or idea" question, so this is read on advice ties instead: what it carries flows from the person named to the person who names them.')
    """
    spec = REGISTRY[key]
    own = spec.relation
    if not own or own == analysed:
        return analysed, ""
    info = relation_info(own)
    name = info.label if info else own
    if own in available:
        asked = f" ({info.question})" if info and info.question else ""
        return own, f'Read on the "{name}" question{asked}, whatever relation is analysed.'
    fallback = f'This wave has no "{name}" question, so this is read on {analysed or "all"} ties instead'
    carried = FLOW_WORDS.get(flow(analysed))
    return analysed, f"{fallback}: {carried}." if carried else f"{fallback}."


#: A relation's flow in words, for notes that say which way a tie carries.
FLOW_WORDS = {
    "to_namer": "what it carries flows from the person named to the person who names them",
    "to_named": "what it carries flows from the person who names to the person named",
    "both": "it runs both ways",
}
