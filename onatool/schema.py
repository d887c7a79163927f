"""Canonical names: columns, level values, relations, header and value variants.

One source of truth. Readers map whatever a user brings onto these names; everything
downstream (metrics, maps, reports) uses only these names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "BOUNDARY_ATTRIBUTES",
    "COHORT",
    "EMAIL",
    "FREQUENCY_SCALE",
    "HEADER_ALIASES",
    "ID",
    "IDENTITY_COLUMNS",
    "LABEL",
    "LEVEL",
    "LEVELS",
    "LEVEL_ALIASES",
    "NAME",
    "ORGANISATION",
    "PERSON_ID",
    "PLACE",
    "PROFESSION",
    "RAW_VALUE",
    "RELATION",
    "RELATIONS",
    "RESPONDED",
    "ROSTER_COLUMNS",
    "SECTOR",
    "SOURCE",
    "TARGET",
    "TIE_COLUMNS",
    "WAVE",
    "WAVES",
    "WEIGHT",
    "Relation",
    "canonical_header",
    "canonical_level",
    "normalise_key",
]

# People ----------------------------------------------------------------------
PERSON_ID = "person_id"  # pseudonymous, stable within a project
LABEL = "label"  # display pseudonym: P001, P002 ... in random order
ID = "id"  # the roster's own identifier (identifying: never in Network.people)
NAME = "name"
EMAIL = "email"
ORGANISATION = "organisation"
SECTOR = "sector"
PROFESSION = "profession"
LEVEL = "level"
PLACE = "place"
COHORT = "cohort"
RESPONDED = "responded"
WAVES = "waves"  # roster: the waves a person belongs to (blank: every wave)
ACTOR_TYPE = "actor_type"  # staff, service user or carer, elected member, community organisation, other

IDENTITY_COLUMNS = (ID, NAME, EMAIL)
ATTRIBUTE_COLUMNS = (ORGANISATION, SECTOR, PROFESSION, LEVEL, PLACE, COHORT, ACTOR_TYPE)
ROSTER_COLUMNS = (*IDENTITY_COLUMNS, *ATTRIBUTE_COLUMNS)
#: Attributes across which boundary spanning is measured by default.
BOUNDARY_ATTRIBUTES = (ORGANISATION, SECTOR, PROFESSION, LEVEL)

# Oshry's system positions.
LEVELS = ("top", "middle", "bottom")

# Ties ------------------------------------------------------------------------
SOURCE = "source"  # the respondent: "source names target"
TARGET = "target"
RELATION = "relation"
WEIGHT = "weight"
RAW_VALUE = "raw_value"
WAVE = "wave"
TIE_COLUMNS = (SOURCE, TARGET, RELATION, WEIGHT, RAW_VALUE)

# Organisation-level ratings: PARTNER's value and trust dimensions (Varda et al. 2008).
PARTNER_VALUE = ("power_and_influence", "level_of_involvement", "resources_contributed")
PARTNER_TRUST = ("reliability", "support_of_mission", "open_to_discussion")
PARTNER_SCALE = {1: "Not at all", 2: "A small amount", 3: "A fair amount", 4: "A great deal"}


@dataclass(frozen=True)
class Relation:
    """A relationship question and how its answers are read.

    Parameters
    ----------
    name
        Short canonical name used in files (``advice``).
    label
        Plain-language label for screens and reports.
    symmetric
        True when the relation is mutual by nature (collaboration, "met"), so one
        report from either side makes an undirected tie.
    question
        The wording put to respondents.

    Notes
    -----
    :attr:`flow` (which way what the tie carries travels) belongs to the relation's
    name, in :data:`RELATION_FLOWS`, so a relation read back from a project or a
    recipe keeps it. A relation whose flow is one way (advice, concern) runs one way by
    nature: people seek advice from those who know more and raise concerns with those
    who can act, so an unreturned tie is no shortfall there.
    """

    name: str
    label: str
    symmetric: bool = False
    question: str = ""

    @property
    def flow(self) -> str:
        """Which way what the tie carries travels (:data:`RELATION_FLOWS`).

        ``"to_namer"``: the person named gives it to the person who names them (advice:
        "who do you go to for advice" means the advice flows from the named to the
        namer); ``"to_named"``: the person who names takes it to the person named (a
        concern or idea raised with someone: voice, often upward); ``"both"``: a mutual
        relation (any symmetric relation not listed); ``""``: nothing is said to flow
        (trust is a judgement of the named person by the namer).
        """
        return RELATION_FLOWS.get(self.name, "both" if self.symmetric else "")

    @property
    def one_way(self) -> bool:
        """Whether what the tie carries runs one way by nature (advice, concern)."""
        return self.flow in ("to_namer", "to_named")


#: Which way what each relation carries travels (see :attr:`Relation.flow`): advice from
#: the person named to the person who names them, a concern or idea from the person who
#: names to the person named, collaboration and "met" both ways; trust has no flow.
RELATION_FLOWS: dict[str, str] = {
    "advice": "to_namer",
    "concern": "to_named",
    "collaboration": "both",
    "met": "both",
    "trust": "",
}

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation(
            "advice",
            "Information and advice",
            question="Who do you go to for information or advice about your work?",
        ),
        Relation(
            "collaboration",
            "Collaboration",
            symmetric=True,
            question="How often do you work together with each of these people?",
        ),
        Relation("trust", "Trust", question="Whom do you trust to act in the partnership's interest?"),
        Relation(
            "concern",
            "Raise a concern or idea",
            question="Who would you go to with a concern or a new idea?",
        ),
        Relation("met", "Met through the programme", symmetric=True),
    )
}

#: A frequency scale, word -> weight. "Never" is zero, so it is not a tie.
FREQUENCY_SCALE: dict[str, float] = {
    "never": 0,
    "yearly": 1,
    "a few times a year": 1,
    "quarterly": 2,
    "monthly": 3,
    "weekly": 4,
    "daily": 5,
}

# Variants users bring --------------------------------------------------------


def normalise_key(text: object) -> str:
    """Fold a header or value for matching: accents, case, punctuation, spacing.

    Examples
    --------
    >>> normalise_key("  Organisation / Employer ")
    'organisation employer'
    >>> normalise_key("Médecin-Généraliste")
    'medecin generaliste'
    """
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()


_HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    ID: ("id", "person id", "staff id", "employee id", "respondent id", "identifier", "code"),
    NAME: ("name", "full name", "person", "display name", "respondent name", "label"),
    EMAIL: ("email", "e mail", "email address", "work email", "nhs mail", "nhsmail"),
    ORGANISATION: (
        "organisation", "organization", "org", "employer", "trust", "agency", "organisation name",
    ),
    SECTOR: ("sector", "organisation type", "org type", "type of organisation"),
    PROFESSION: ("profession", "role", "job family", "professional group", "discipline", "job role"),
    LEVEL: ("level", "position", "system position", "seniority", "grade", "tier", "hierarchy"),
    PLACE: ("place", "locality", "neighbourhood", "area", "borough", "place partnership"),
    COHORT: ("cohort", "programme", "program", "leadership programme", "participant"),
    ACTOR_TYPE: ("actor type", "type of person", "person type", "stakeholder type", "participant type"),
    RESPONDED: ("responded", "respondent", "answered"),
    WAVES: ("waves", "in waves", "present in", "member in waves"),
    SOURCE: ("source", "from", "ego", "respondent", "sender", "who"),
    TARGET: ("target", "to", "alter", "named", "receiver", "contact"),
    RELATION: ("relation", "relationship", "type", "question", "tie type", "network"),
    WEIGHT: ("weight", "value", "strength", "frequency", "score"),
    WAVE: ("wave", "phase", "round", "time"),
}
HEADER_ALIASES: dict[str, str] = {
    variant: canonical for canonical, variants in _HEADER_VARIANTS.items() for variant in variants
}

LEVEL_ALIASES: dict[str, str] = {
    **{v: "top" for v in (
        "top", "tops", "senior", "senior leader", "senior leadership", "executive", "exec",
        "director", "board", "chief executive", "ceo", "strategic", "leader",
    )},
    **{v: "middle" for v in (
        "middle", "middles", "middle manager", "manager", "service manager", "team leader",
        "team manager", "operational manager", "head of service", "lead",
    )},
    **{v: "bottom" for v in (
        "bottom", "bottoms", "frontline", "front line", "practitioner", "staff", "clinician",
        "worker", "delivery", "operational",
    )},
}


#: Roster columns about protected characteristics (Equality Act 2010): shown only as aggregate
#: breakdowns, suppressed below k, never beside a person (normalised header -> kept as is).
EDI_ATTRIBUTES = frozenset({
    "sex", "gender", "gender identity", "ethnicity", "ethnic group", "ethnic origin", "disability",
    "disabled", "age", "age band", "age group", "sexual orientation", "religion", "religion or belief",
    "faith", "pregnancy", "maternity", "marital status", "civil partnership",
})


def is_edi_attribute(column: object) -> bool:
    """Whether a column is about a protected characteristic (see :data:`EDI_ATTRIBUTES`).

    Examples
    --------
    >>> is_edi_attribute("Ethnic group"), is_edi_attribute("Age_band"), is_edi_attribute("Team")
    (True, True, False)
    """
    return normalise_key(column) in EDI_ATTRIBUTES


#: The kinds of people in a place's collaborative network, beyond the staff list.
STAFF, SERVICE_USER, ELECTED_MEMBER, COMMUNITY_ORGANISATION, OTHER_ACTOR = (
    "staff", "service user or carer", "elected member", "community organisation", "other")
ACTOR_TYPES = (STAFF, SERVICE_USER, ELECTED_MEMBER, COMMUNITY_ORGANISATION, OTHER_ACTOR)
#: Actor types never shown as individuals in anything shared: only in group totals.
AGGREGATED_ACTOR_TYPES = frozenset({SERVICE_USER})
ACTOR_TYPE_ALIASES: dict[str, str] = {
    **{v: STAFF for v in ("staff", "employee", "worker", "professional", "paid staff")},
    **{v: SERVICE_USER for v in ("service user or carer", "service user", "carer", "patient", "resident",
                                 "citizen", "person with lived experience", "lived experience", "expert by experience",
                                 "unpaid carer", "family carer")},
    **{v: ELECTED_MEMBER for v in ("elected member", "councillor", "member", "cllr", "elected")},
    **{v: COMMUNITY_ORGANISATION for v in ("community organisation", "community organization", "community group",
                                           "vcse", "voluntary organisation", "charity", "faith group")},
    **{v: OTHER_ACTOR for v in ("other",)},
}


def canonical_actor_type(value: object) -> str | None:
    """Map a roster's wording for the kind of person to one of :data:`ACTOR_TYPES` (None if unknown).

    Examples
    --------
    >>> canonical_actor_type("Carer"), canonical_actor_type("Cllr"), canonical_actor_type("Friend")
    ('service user or carer', 'elected member', None)
    """
    return ACTOR_TYPE_ALIASES.get(normalise_key(value))


def canonical_header(header: object, extra: dict[str, str] | None = None) -> str | None:
    """The canonical column a header stands for, or None if it is not a known one.

    Parameters
    ----------
    header
        The header as the user's file has it.
    extra
        Further variants from a recipe, ``{variant: canonical}``; they win.

    Examples
    --------
    >>> canonical_header("Employer")
    'organisation'
    >>> canonical_header("Favourite colour") is None
    True
    """
    key = normalise_key(header)
    if extra:
        folded = {normalise_key(k): v for k, v in extra.items()}
        if key in folded:
            return folded[key]
    return HEADER_ALIASES.get(key)


def canonical_level(value: object, extra: dict[str, str] | None = None) -> str | None:
    """Map a user's level wording to ``top``/``middle``/``bottom`` (None if unknown).

    Examples
    --------
    >>> canonical_level("Senior leader"), canonical_level("Front-line"), canonical_level("?")
    ('top', 'bottom', None)
    """
    key = normalise_key(value)
    if extra:
        folded = {normalise_key(k): v for k, v in extra.items()}
        if key in folded:
            return folded[key]
    return LEVEL_ALIASES.get(key)
