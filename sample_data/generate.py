"""Generate the bundled synthetic ICS place partnership (entirely invented people).

Run ``python sample_data/generate.py [--seed N] [--out DIR]`` to write ``roster.csv``,
``ties_baseline.csv``, ``ties_interim.csv``, ``ties_final.csv``, ``forums.csv`` and
``ground_truth.json`` (by default next to this script). Tests import it from its path and call
:func:`generate`, which returns the tables and the ground truth without writing
anything, and :func:`write`.

How the place is made
---------------------
1. People: thirteen fictional organisations (:data:`ORGANISATIONS`), each with a
   leadership team of tops and working teams of middles and bottoms; professions and
   places follow the team; names are drawn from pools of first names and surnames of
   many origins.
2. Turnover, decided up front: before each later wave some people leave and are replaced
   by joiners in the same team and level; a few people are promoted (bottom to middle)
   and a few move to another organisation.
3. A latent, undirected "working relationship" graph per wave: at baseline a pair works
   together with a probability set by shared team, shared organisation, the two levels,
   shared place, primary care and each person's activity, a line manager for each middle,
   boundary spanners who work across organisations, and closure within organisations.
   Each later wave keeps most relationships, replaces lost ones at the same rate, and
   gives joiners and people who moved relationships in their new place.
4. Two leadership-programme cohorts, nominated: the chance of being nominated grows with
   the number of working relationships a person has when nominated and with seniority.
   Cohort 1 runs between baseline and interim, cohort 2 between interim and final. Each
   programme forms relationships between participants in different organisations and,
   through them, with participants' colleagues (spillover); cohort 1's programme
   relationships fade faster than others once the programme has ended.
5. Survey answers: each respondent names some of the people they work with in each
   relation, with chances set by the two levels. Who answers depends on level (tops
   least), organisation (the ambulance service's response falls away at interim), whether
   the person answered last time, and drifts down over the waves.

Only numpy, pandas and the standard library are used, so the script runs without
onatool installed. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_SEED",
    "FELLSIDE",
    "GENERATOR_VERSION",
    "NORTHMOOR",
    "ORGANISATIONS",
    "SAMPLE_PLACES",
    "Params",
    "PlaceSpec",
    "SampleData",
    "generate",
    "main",
    "roster_at",
    "summarise",
    "write",
]

GENERATOR_VERSION = "2.0.0"
DEFAULT_SEED = 2026

#: (label, date, file) of the three survey waves, in time order.
WAVES = (
    ("baseline", "2025-11", "ties_baseline.csv"),
    ("interim", "2026-11", "ties_interim.csv"),
    ("final", "2027-11", "ties_final.csv"),
)
WAVE_LABELS = tuple(label for label, _, _ in WAVES)
ROSTER_FILE = "roster.csv"
FORUMS_FILE = "forums.csv"
RATINGS_FILE = "partner_ratings.csv"
TRUTH_FILE = "ground_truth.json"
#: Columns that give, for a person who changed organisation or level, the values that
#: applied before the wave named in ``changed_in`` (the row's own values apply from it).
EARLIER_COLUMNS = ("earlier_organisation", "earlier_sector", "earlier_level", "earlier_team")
ROSTER_COLUMNS = (
    "id", "name", "email", "organisation", "sector", "profession", "level", "place", "cohort",
    "team", "waves", "changed_in", *EARLIER_COLUMNS,
)
TIE_COLUMNS = ("source", "target", "relation", "weight", "raw_value", "wave")
RELATIONS = ("advice", "collaboration", "trust", "concern")
#: Collaboration answers; the weight is the position (Never 0 ... Daily 5).
FREQUENCY = ("Never", "Yearly", "Quarterly", "Monthly", "Weekly", "Daily")
LEVELS = ("top", "middle", "bottom")
PLACES = ("North", "Central", "South")
#: Roster ``cohort`` values; cohort k runs between wave k-1 and wave k.
COHORTS = ("Leadership programme 1", "Leadership programme 2")
PRIMARY_CARE = "Primary care"
AMBULANCE = "ambulance"

TOP, MIDDLE, BOTTOM = 0, 1, 2

# --------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A working team: its name, its place (None: each member's own) and professions."""

    name: str
    place: str | None
    professions: dict[str, float]


@dataclass(frozen=True)
class Organisation:
    """A partner organisation and how many tops, middles and bottoms it has."""

    key: str
    name: str
    sector: str
    domain: str
    place: str  # where its leadership sits
    tops: int
    middles: int
    bottoms: int
    leadership_team: str
    top_professions: tuple[str, ...]
    teams: tuple[Team, ...]
    spanner_team: str | None = None  # the team a boundary spanner comes from

    @property
    def size(self) -> int:
        return self.tops + self.middles + self.bottoms


NURSING, MEDICAL, ALLIED = "Nursing", "Medical", "Allied health"
PHARMACY, SOCIAL_WORK, SOCIAL_CARE = "Pharmacy", "Social work", "Social care"
PSYCHOLOGY, PUBLIC_HEALTH = "Psychology", "Public health"
COMMUNITY, HOUSING, MANAGEMENT = "Community development", "Housing", "Management and administration"
PARAMEDIC, COMMISSIONING, ELECTED = "Paramedic", "Commissioning", "Elected member"

ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "icb", "Northmoor and Fellside Integrated Care Board (Northmoor place)", "ICB and commissioning",
        "nficb.nhs.example", "Central", 2, 7, 11, "Place executive team",
        (COMMISSIONING, NURSING),
        (
            Team("Place commissioning", "Central", {COMMISSIONING: 0.8, MANAGEMENT: 0.2}),
            Team("Continuing healthcare", None, {NURSING: 0.6, COMMISSIONING: 0.4}),
            Team("Medicines optimisation", "Central", {PHARMACY: 1.0}),
            Team("Population health and transformation", "Central",
                 {COMMISSIONING: 0.5, PUBLIC_HEALTH: 0.3, MANAGEMENT: 0.2}),
        ),
        spanner_team="Population health and transformation",
    ),
    Organisation(
        "acute", "Northmoor Hospitals NHS Foundation Trust", "NHS trust",
        "northmoor-hospitals.nhs.example", "Central", 4, 12, 30, "Executive team",
        (MANAGEMENT, MEDICAL, NURSING, MANAGEMENT),
        (
            Team("Emergency department", "Central", {NURSING: 0.55, MEDICAL: 0.35, ALLIED: 0.1}),
            Team("Acute medicine", "Central", {NURSING: 0.5, MEDICAL: 0.4, PHARMACY: 0.1}),
            Team("Frailty unit", "Central", {NURSING: 0.4, MEDICAL: 0.25, ALLIED: 0.35}),
            Team("Integrated discharge team", "Central", {NURSING: 0.4, ALLIED: 0.3, MANAGEMENT: 0.3}),
            Team("Hospital pharmacy", "Central", {PHARMACY: 1.0}),
            Team("Therapies", None, {ALLIED: 1.0}),
            Team("Operations and patient flow", "Central", {MANAGEMENT: 1.0}),
        ),
        spanner_team="Integrated discharge team",
    ),
    Organisation(
        "community", "Northmoor Community Health NHS Trust", "NHS trust",
        "northmoor-community.nhs.example", "Central", 3, 8, 15, "Executive team",
        (MANAGEMENT, NURSING, ALLIED),
        (
            Team("District nursing North", "North", {NURSING: 0.9, MANAGEMENT: 0.1}),
            Team("District nursing South", "South", {NURSING: 0.9, MANAGEMENT: 0.1}),
            Team("Community therapies", None, {ALLIED: 0.9, NURSING: 0.1}),
            Team("Rapid response", "Central", {NURSING: 0.6, ALLIED: 0.4}),
            Team("Neighbourhood team Central", "Central", {NURSING: 0.6, ALLIED: 0.4}),
        ),
        spanner_team="Rapid response",
    ),
    Organisation(
        "mental_health", "Ashbeck Mental Health NHS Foundation Trust", "NHS trust",
        "ashbeck-mh.nhs.example", "Central", 2, 7, 15, "Executive team",
        (MANAGEMENT, MEDICAL),
        (
            Team("Community mental health team North", "North",
                 {NURSING: 0.4, SOCIAL_WORK: 0.25, PSYCHOLOGY: 0.15, MEDICAL: 0.2}),
            Team("Community mental health team South", "South",
                 {NURSING: 0.4, SOCIAL_WORK: 0.25, PSYCHOLOGY: 0.15, MEDICAL: 0.2}),
            Team("Crisis and home treatment", "Central", {NURSING: 0.7, MEDICAL: 0.3}),
            Team("Talking therapies", None, {PSYCHOLOGY: 1.0}),
        ),
    ),
    Organisation(
        AMBULANCE, "North Fells Ambulance Service NHS Trust (Northmoor sector)", "NHS trust",
        "nfas.nhs.example", "Central", 1, 4, 9, "Sector leadership team",
        (PARAMEDIC,),
        (
            Team("Paramedic practitioners", None, {PARAMEDIC: 1.0}),
            Team("Clinical hub (hear and treat)", "Central", {PARAMEDIC: 0.6, NURSING: 0.4}),
            Team("Falls and frailty response", None, {PARAMEDIC: 0.7, ALLIED: 0.3}),
        ),
    ),
    Organisation(
        "pcn", "Moorside Primary Care Network", PRIMARY_CARE,
        "moorside-pcn.nhs.example", "North", 2, 6, 12, "Clinical directors",
        (MEDICAL, MANAGEMENT),
        (
            Team("GP practices North", "North", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("GP practices South", "South", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("Clinical pharmacy", None, {PHARMACY: 1.0}),
            Team("Care coordination and social prescribing", None, {COMMUNITY: 0.6, MANAGEMENT: 0.4}),
        ),
        spanner_team="Care coordination and social prescribing",
    ),
    Organisation(
        "pharmacy", "Northmoor Community Pharmacy Partnership", PRIMARY_CARE,
        "northmoorpharmacy.org.example", "Central", 1, 3, 6, "Leadership team",
        (PHARMACY,),
        (
            Team("Community pharmacies North", "North", {PHARMACY: 1.0}),
            Team("Community pharmacies South", "South", {PHARMACY: 1.0}),
            Team("Pharmacy first and services", "Central", {PHARMACY: 0.8, MANAGEMENT: 0.2}),
        ),
    ),
    Organisation(
        "adult_social_care", "Northmoor Council Adult Social Care", "Local authority",
        "northmoor.gov.example", "Central", 2, 7, 15, "Senior leadership team",
        (SOCIAL_WORK, MANAGEMENT),
        (
            Team("Hospital social work team", "Central", {SOCIAL_WORK: 1.0}),
            Team("Reablement", None, {SOCIAL_CARE: 0.7, ALLIED: 0.3}),
            Team("Locality team North", "North", {SOCIAL_WORK: 0.7, SOCIAL_CARE: 0.3}),
            Team("Locality team South", "South", {SOCIAL_WORK: 0.7, SOCIAL_CARE: 0.3}),
            Team("Safeguarding adults", "Central", {SOCIAL_WORK: 1.0}),
        ),
        spanner_team="Hospital social work team",
    ),
    Organisation(
        "public_health", "Northmoor Council Public Health", "Local authority",
        "northmoor.gov.example", "Central", 2, 4, 6, "Senior leadership team",
        (PUBLIC_HEALTH, PUBLIC_HEALTH),
        (
            Team("Health improvement", None, {PUBLIC_HEALTH: 0.6, COMMUNITY: 0.4}),
            Team("Health intelligence", "Central", {PUBLIC_HEALTH: 0.7, MANAGEMENT: 0.3}),
            Team("Health protection", "Central", {PUBLIC_HEALTH: 0.8, NURSING: 0.2}),
        ),
    ),
    Organisation(
        "members", "Northmoor Council elected members", "Elected members",
        "northmoor.gov.example", "Central", 1, 3, 4, "Cabinet",
        (ELECTED,),
        (
            Team("Health and wellbeing board", "Central", {ELECTED: 1.0}),
            Team("Adult social care and health scrutiny", None, {ELECTED: 1.0}),
        ),
    ),
    Organisation(
        "vcse", "Northmoor Together VCSE Alliance", "Voluntary and community",
        "northmoortogether.org.example", "Central", 1, 5, 14, "Senior leadership team",
        (MANAGEMENT,),
        (
            Team("Carers support", None, {COMMUNITY: 0.7, SOCIAL_CARE: 0.3}),
            Team("Community connectors", None, {COMMUNITY: 1.0}),
            Team("Befriending and wellbeing", None, {COMMUNITY: 0.7, MANAGEMENT: 0.3}),
            Team("Advice and advocacy", "Central", {COMMUNITY: 0.5, HOUSING: 0.2, MANAGEMENT: 0.3}),
        ),
        spanner_team="Community connectors",
    ),
    Organisation(
        "housing", "Fellgate Homes", "Housing",
        "fellgatehomes.org.example", "Central", 1, 4, 9, "Senior leadership team",
        (HOUSING,),
        (
            Team("Tenancy sustainment", None, {HOUSING: 0.8, SOCIAL_CARE: 0.2}),
            Team("Supported housing", "Central", {HOUSING: 0.6, SOCIAL_CARE: 0.4}),
            Team("Neighbourhood services", None, {HOUSING: 0.7, MANAGEMENT: 0.3}),
        ),
        spanner_team="Tenancy sustainment",
    ),
    Organisation(
        "hospice", "Heatherbank Hospice", "Hospice",
        "heatherbankhospice.org.example", "Central", 1, 3, 8, "Senior leadership team",
        (NURSING,),
        (
            Team("Inpatient unit", "Central", {NURSING: 0.7, MEDICAL: 0.3}),
            Team("Hospice at home", None, {NURSING: 0.8, ALLIED: 0.2}),
            Team("Family support and bereavement", "Central",
                 {SOCIAL_WORK: 0.4, PSYCHOLOGY: 0.3, COMMUNITY: 0.3}),
        ),
    ),
)

# --------------------------------------------------------------------------------------
# Names: (weight, first names, surnames) per origin, roughly the mix of a northern English
# health and care workforce. Invented combinations; a few well-known people these pools
# could name are refused (_REFUSED_NAMES).
# --------------------------------------------------------------------------------------

_NAME_POOLS: tuple[tuple[float, tuple[str, ...], tuple[str, ...]], ...] = (
    (0.56, (  # English, Welsh, Scottish, Irish
        "Oliver", "Amelia", "Jack", "Sophie", "Thomas", "Emily", "Harry", "Charlotte", "George",
        "Hannah", "James", "Lucy", "William", "Megan", "Daniel", "Rebecca", "Matthew", "Laura",
        "Samuel", "Rachel", "Joseph", "Eleanor", "Benjamin", "Chloe", "Owen", "Rhiannon",
        "Gareth", "Siân", "Dylan", "Cerys", "Callum", "Eilidh", "Fraser", "Isla", "Ciarán",
        "Aoife", "Niamh", "Declan", "Siobhán", "Connor", "Anne-Marie", "Beth", "Kate", "Helen",
        "Claire", "Paul", "Mark", "Susan", "Karen", "Gemma", "Kirsty", "Liam", "Nathan", "Ruth",
        "Fiona", "Graham", "Alison", "Joanne", "Mary-Kate", "Jo", "Zoë", "Rhys", "Bethan",
    ), (
        "Ashworth", "Brennan", "Calloway", "Dawson", "Fairclough", "Gallagher", "Hartley",
        "Ingham", "Jenkins", "Kershaw", "Lambert", "Marsden", "Norcross", "O'Neill", "O'Connor",
        "Pickering", "Quigley", "Ramsbottom", "Sutcliffe", "Thornton", "Underwood", "Whitworth",
        "Yates", "Lloyd", "Pritchard", "Bevan", "Llewellyn", "MacLeod", "McAllister", "Duffy",
        "Nolan", "Kavanagh", "Holroyd", "Bancroft", "Crossley", "Greenwood", "Hargreaves",
        "Haworth", "Tattersall", "Pilkington", "Sowerby", "Birtwistle", "Entwistle", "Heywood",
        "Moorhouse", "Oldroyd", "O'Brien", "Fenwick-Hale", "Armitage", "Cartwright",
    )),
    (0.07, (  # Indian (Gujarati and others)
        "Priya", "Aarav", "Anjali", "Rohan", "Sunita", "Vikram", "Deepa", "Arjun", "Nisha",
        "Sanjay", "Hema", "Kiran",
    ), ("Patel", "Sharma", "Gupta", "Mistry", "Chauhan", "Desai", "Iyer", "Parmar", "Solanki")),
    (0.08, (  # Pakistani and Bangladeshi
        "Imran", "Ayesha", "Bilal", "Farah", "Hamza", "Zainab", "Tariq", "Saima", "Yusuf",
        "Nadia", "Rizwan", "Shabana", "Tahmina", "Rahim", "Nasreen", "Shahid",
    ), (
        "Khan", "Hussain", "Akhtar", "Rahman", "Chowdhury", "Qureshi", "Malik", "Bhatti",
        "Uddin", "Siddiqui",
    )),
    (0.03, (  # Punjabi Sikh
        "Amrit", "Harpreet", "Gurpreet", "Jaspal", "Manjit", "Sukhwinder",
    ), ("Sandhu", "Gill", "Dhillon", "Bains", "Grewal")),
    (0.04, (  # Nigerian
        "Chidi", "Ngozi", "Oluwaseun", "Folake", "Tunde", "Adaeze", "Femi", "Chioma", "Kehinde",
    ), ("Okafor", "Adeyemi", "Nwosu", "Eze", "Adebayo", "Okonkwo", "Ogunleye")),
    (0.025, (  # Ghanaian
        "Kwame", "Abena", "Kofi", "Efua", "Yaw", "Ama",
    ), ("Mensah", "Owusu", "Boateng", "Asante", "Darko")),
    (0.03, (  # Caribbean
        "Marcus", "Jermaine", "Tanisha", "Delroy", "Shantelle", "Leon", "Simone",
    ), ("Campbell", "Francis", "Grant", "Baptiste", "Lindo", "Clarke")),
    (0.02, (  # Chinese
        "Wei", "Mei", "Jun", "Hui", "Xin",
    ), ("Chen", "Wong", "Lin", "Zhang", "Cheung", "Ho")),
    (0.025, (  # Filipino
        "Joy", "Maricel", "Rowena", "Jerome", "Cristina",
    ), ("Santos", "Reyes", "Dela Cruz", "Bautista", "Mendoza")),
    (0.01, (  # Goan and Keralan
        "Jincy", "Anu", "Jomon", "Merlin",
    ), ("D'Souza", "Fernandes", "Kurian", "Varghese")),
    (0.04, (  # Polish
        "Agnieszka", "Katarzyna", "Piotr", "Tomasz", "Marta", "Magdalena", "Andrzej",
    ), ("Kowalczyk", "Nowak", "Wójcik", "Mazur", "Kaczmarek", "Krawczyk")),
    (0.025, (  # Romanian
        "Oana", "Bogdan", "Ioana", "Mihai", "Andreea",
    ), ("Popescu", "Ionescu", "Dumitrescu", "Stănescu")),
    (0.005, ("Zsófia", "Bence"), ("Horváth", "Szabó")),  # Hungarian
    (0.015, ("Giulia", "Marco", "Dario", "Chiara"), ("Esposito", "Romano", "Greco")),  # Italian
    (0.015, ("João", "Inês", "Tiago", "Beatriz"), ("Ferreira", "Gonçalves", "Silva")),  # Portuguese
    (0.015, ("Elena", "Miguel", "Lucía", "Javier"), ("Fernández", "García", "Navarro")),  # Spanish
    (0.01, ("Nikos", "Eleni", "Andreas"), ("Georgiou", "Constantinou")),  # Greek Cypriot
    (0.01, ("Mehmet", "Elif", "Emre"), ("Yılmaz", "Demir", "Aydın")),  # Turkish
    (0.01, ("Leila", "Omid", "Shirin"), ("Hosseini", "Karimi", "Rezaei")),  # Iranian
    (0.005, ("Chloé", "Renée", "Luc"), ("Moreau", "Lefèvre")),  # French
)
#: Share of people with a British first name and a surname of any origin.
_MIXED_NAMES = 0.12
#: Names that always appear (accents, apostrophes, hyphens an import must keep).
_FIXED_NAMES = ("Zoë O'Neill", "Anne-Marie Kowalczyk")
_REFUSED_NAMES = frozenset({
    "Imran Khan", "Sanjay Gupta", "Helen Grant", "Nadia Hussain", "Amrit Kaur", "Mark Francis",
    "Kate Francis", "Paul Gallagher", "Liam Gallagher", "Harry Lloyd", "Priya Patel",
    "Nisha Patel", "Joy Santos", "Marcus Campbell", "Daniel Campbell", "Kate Duffy",
    "Joanne Campbell", "James Campbell", "Sophie Campbell", "Megan Campbell",
})


def _fold(text: str) -> str:
    """Lower-case ASCII for email addresses: 'Zoë O'Neill' -> 'zoe oneill'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c in "- ")


def _email(name: str, domain: str) -> str:
    first, surname = name.split(" ", 1)
    return f"{_fold(first).replace(' ', '')}.{_fold(surname).replace(' ', '')}@{domain}"


def _draw_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct names: first name and surname of one origin, some mixed."""
    weights = np.array([w for w, _, _ in _NAME_POOLS])
    weights = weights / weights.sum()
    british_firsts = _NAME_POOLS[0][1]
    all_surnames = [s for _, _, surnames in _NAME_POOLS for s in surnames]
    names = list(_FIXED_NAMES)
    taken = {_fold(name) for name in names}
    while len(names) < n:
        if rng.random() < _MIXED_NAMES:
            first = british_firsts[rng.integers(len(british_firsts))]
            surname = all_surnames[rng.integers(len(all_surnames))]
        else:
            _, firsts, surnames = _NAME_POOLS[rng.choice(len(_NAME_POOLS), p=weights)]
            first = firsts[rng.integers(len(firsts))]
            surname = surnames[rng.integers(len(surnames))]
        name = f"{first} {surname}"
        if _fold(name) not in taken and name not in _REFUSED_NAMES:
            taken.add(_fold(name))
            names.append(name)
    order = rng.permutation(n)  # the fixed names land anywhere
    return [names[i] for i in order]


# --------------------------------------------------------------------------------------
# Planted parameters
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """Every planted probability, recorded in the ground truth.

    Level matrices are indexed [level of i][level of j] in the order top, middle, bottom;
    per-wave tuples are in the order baseline, interim, final.
    """

    # Response: exactly round(rate * people present) respondents per wave, drawn with
    # relative weights: level, organisation (per wave), engaged people (cohorts and
    # spanners), people who answered the previous wave, and joiners in their first wave.
    response_rate: tuple[float, float, float] = (0.78, 0.71, 0.66)
    response_weight_level: tuple[float, float, float] = (0.4, 1.0, 0.9)
    response_weight_organisation: dict[str, tuple[float, float, float]] = field(default_factory=lambda: {
        "icb": (1.3, 1.3, 1.2), AMBULANCE: (0.9, 0.2, 0.4), "members": (0.6, 0.5, 0.5),
        "pharmacy": (0.8, 0.8, 0.8),
    })
    response_weight_engaged: float = 1.5
    response_weight_repeat: float = 3.0
    response_weight_joiner: float = 0.8
    activity_sigma: float = 0.35  # log-normal spread of each person's activity
    # Working relationships (undirected), before activity and closure.
    p_same_team: float = 0.75
    #: Same organisation, other team: this over the square root of the organisation's size,
    #: so people in small organisations know a larger share of their colleagues.
    same_org_scale: float = 1.6
    p_cross_org: float = 0.0045
    p_line_manager: float = 0.6  # a middle and the top they report to (same organisation)
    level_same_org: tuple[tuple[float, ...], ...] = (
        (1.0, 0.25, 0.05), (0.25, 1.2, 0.8), (0.05, 0.8, 0.8))
    level_cross_org: tuple[tuple[float, ...], ...] = (
        (1.0, 0.5, 0.05), (0.5, 2.0, 0.8), (0.05, 0.8, 0.6))
    same_place_cross_org: float = 2.0
    primary_care_cross_org: float = 3.0
    #: The ICB's place team and commissioners work across the place more than others.
    commissioner_cross_org: float = 2.0
    p_spanner_cross_org: float = 0.1
    spanner_reach_by_level: tuple[float, float, float] = (0.1, 1.0, 0.8)  # the other's level
    p_close_triangle_same_org: float = 0.25  # for pairs with >= 2 colleagues in common
    # Naming, given a working relationship: [sender level][target level].
    p_name_advice: tuple[tuple[float, ...], ...] = (
        (0.8, 0.6, 0.3), (0.25, 0.65, 0.45), (0.25, 0.45, 0.8))
    p_name_collaboration: float = 0.85
    #: Pair's usual collaboration frequency (1 Yearly ... 5 Daily) by kind of pair:
    #: (values, probabilities) for same team, same organisation, other organisation.
    collaboration_frequency: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...] = (
        ((3, 4, 5), (0.2, 0.5, 0.3)),
        ((2, 3, 4), (0.3, 0.45, 0.25)),
        ((1, 2, 3, 4), (0.2, 0.4, 0.3, 0.1)),
    )
    p_frequency_step: float = 0.2  # each side reports one step lower (or higher) than usual
    p_name_trust: tuple[float, float, float] = (0.5, 0.35, 0.3)  # team, organisation, cross
    p_name_concern: tuple[tuple[float, ...], ...] = (
        (0.35, 0.05, 0.02), (0.6, 0.2, 0.05), (0.6, 0.6, 0.15))
    cross_org_naming_factor: float = 0.9  # advice, trust, concern across organisations
    p_never_answer: float = 0.3  # a respondent also answers "Never" for 1-2 colleagues
    named_nobody_per_wave: int = 2  # respondents planted as naming nobody at all
    # Change between waves.
    p_keep_relationship: tuple[float, float, float] = (0.9, 0.78, 0.7)  # team, org, cross
    p_keep_answer: float = 0.9  # a latent "would name" answer carried over
    #: Joiners, and people who moved organisation or level, form relationships in their
    #: new place at this share of the baseline chance.
    newcomer_relationship_factor: float = 0.7
    #: Per later wave: people who left (and were replaced in the same team and level),
    #: bottoms promoted to middle in their team, people who moved to another organisation.
    leavers_per_wave: int = 24
    promotions_per_wave: int = 3
    organisation_moves_per_wave: int = 2
    # Leadership programmes.
    cohort_size: int = 20
    cohort_max_per_organisation: int = 3
    #: Nomination weight: (working relationships when nominated) ** this, times the level's weight.
    nomination_degree_power: float = 4.0
    nomination_weight_level: tuple[float, float, float] = (3.0, 3.0, 0.3)
    p_programme_pair: float = 0.2  # new relationship, two participants in different orgs
    #: Spillover: a participant and a non-participant in another organisation, in the team
    #: (or, less, the organisation) of a participant they formed a programme relationship with.
    p_spillover_team: float = 0.15
    p_spillover_organisation: float = 0.02
    p_programme_name_each_other: float = 0.85  # advice and trust, programme pairs
    #: After the programme ends: chance a programme relationship (pair or spillover)
    #: survives to the next wave, against p_keep_relationship for everyone else.
    p_keep_programme_relationship: float = 0.3


@dataclass
class SampleData:
    """What :func:`generate` returns: the tables as written, and the ground truth."""

    seed: int
    roster: pd.DataFrame
    ties: dict[str, pd.DataFrame]  # wave label -> tie table
    truth: dict = field(default_factory=dict)
    forums: pd.DataFrame = field(default_factory=pd.DataFrame)  # id, then one column per forum
    ratings: pd.DataFrame = field(default_factory=pd.DataFrame)  # id, partner, one column per PARTNER question


# --------------------------------------------------------------------------------------
# People and turnover
# --------------------------------------------------------------------------------------


def _base_people(rng: np.random.Generator, spec: PlaceSpec) -> pd.DataFrame:
    """One row per person at baseline: org, team, level, profession, place."""
    rows = []
    for org_index, org in enumerate(spec.organisations):
        for k in range(org.tops):
            rows.append((org_index, TOP, org.leadership_team, org.top_professions[k % len(org.top_professions)],
                         org.place))
        n_teams = len(org.teams)
        slots = [(MIDDLE, i % n_teams) for i in range(org.middles)]
        start = org.middles % n_teams  # bottoms continue the round so teams stay even
        slots += [(BOTTOM, (start + i) % n_teams) for i in range(org.bottoms)]
        for level, team_index in slots:
            rows.append((org_index, level, *_team_member(rng, org.teams[team_index], spec)))
    return pd.DataFrame(rows, columns=["org", "level", "team", "profession", "place"])


def _team_member(rng: np.random.Generator, team: Team, spec: PlaceSpec) -> tuple[str, str, str]:
    professions = list(team.professions)
    p = np.array(list(team.professions.values()))
    profession = professions[rng.choice(len(professions), p=p / p.sum())]
    place = team.place or spec.localities[rng.choice(len(spec.localities), p=list(spec.locality_weights))]
    return team.name, profession, place


@dataclass
class _People:
    """Everyone who is ever in the place, with per-wave presence and attributes."""

    frame: pd.DataFrame  # fixed attributes: profession, place, activity, role, ...
    present: np.ndarray  # (waves, n) bool
    org: np.ndarray  # (waves, n) int
    level: np.ndarray  # (waves, n) int
    team: np.ndarray  # (waves, n) object
    spanner: np.ndarray
    leavers: dict[str, np.ndarray]  # wave -> indices of people gone by that wave
    joiners: dict[str, np.ndarray]  # wave -> indices of people new in that wave
    promoted: dict[str, np.ndarray]
    moved: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(self.frame)

    def view(self, w: int) -> pd.DataFrame:
        """The people as at wave ``w`` (absent people keep their nearest values)."""
        view = self.frame.copy()
        view["org"], view["level"], view["team"] = self.org[w], self.level[w], self.team[w]
        view["team_key"] = view["org"].astype(str) + ":" + view["team"]
        return view


def _make_people(rng: np.random.Generator, params: Params, spec: PlaceSpec) -> _People:
    """Baseline people, spanners, and the turnover of each later wave."""
    base = _base_people(rng, spec)
    nb = len(base)
    spanner = np.zeros(nb, dtype=bool)
    for org_index, org in enumerate(spec.organisations):
        if org.spanner_team is None:
            continue
        in_team = (base["org"] == org_index) & (base["team"] == org.spanner_team)
        middles = base.index[in_team & (base["level"] == MIDDLE)]
        spanner[rng.choice(middles if len(middles) else base.index[in_team])] = True

    # Who leaves, is promoted or moves: baseline people other than spanners, disjoint.
    free = np.flatnonzero(~spanner)
    rng.shuffle(free)
    taken: list[int] = []

    def pick(k: int, allowed: np.ndarray) -> np.ndarray:
        options = [i for i in free if allowed[i] and i not in taken]
        chosen = np.array(sorted(options[:k]), dtype=np.int64)
        taken.extend(chosen.tolist())
        return chosen

    everyone = np.ones(nb, dtype=bool)
    bottoms = (base["level"] == BOTTOM).to_numpy()
    not_top = (base["level"] != TOP).to_numpy()
    later = WAVE_LABELS[1:]
    leavers = {w: pick(params.leavers_per_wave, everyone) for w in later}
    promoted = {w: pick(params.promotions_per_wave, bottoms) for w in later}
    moved = {w: pick(params.organisation_moves_per_wave, not_top) for w in later}

    # Joiners replace leavers in the same organisation, team and level.
    rows = [base]
    joiners = {}
    n = nb
    for w in later:
        replaced = base.loc[leavers[w]]
        new = [(r.org, r.level, *(_team_member(rng, _team_of(spec, r.org, r.team), spec) if r.level != TOP
                                 else (r.team, r.profession, r.place)))
               for r in replaced.itertuples()]
        rows.append(pd.DataFrame(new, columns=base.columns))
        joiners[w] = np.arange(n, n + len(new))
        n += len(new)
    frame = pd.concat(rows, ignore_index=True)
    frame["activity"] = rng.lognormal(-params.activity_sigma**2 / 2, params.activity_sigma, n)
    spanner = np.concatenate([spanner, np.zeros(n - nb, dtype=bool)])

    n_waves = len(WAVE_LABELS)
    present = np.zeros((n_waves, n), dtype=bool)
    present[0, :nb] = True
    org = np.tile(frame["org"].to_numpy(), (n_waves, 1))
    level = np.tile(frame["level"].to_numpy(), (n_waves, 1))
    team = np.tile(frame["team"].to_numpy(dtype=object), (n_waves, 1))
    for w in range(1, n_waves):
        label = WAVE_LABELS[w]
        present[w] = present[w - 1]
        present[w, leavers[label]] = False
        present[w, joiners[label]] = True
        org[w], level[w], team[w] = org[w - 1], level[w - 1], team[w - 1]
        level[w, promoted[label]] = MIDDLE
        for i in moved[label]:
            others = [k for k in range(len(spec.organisations)) if k != org[w, i]]
            new_org = others[rng.integers(len(others))]
            teams = spec.organisations[new_org].teams
            org[w, i], team[w, i] = new_org, teams[rng.integers(len(teams))].name
    # A joiner's attributes before they joined are their first wave's (unused).
    return _People(frame, present, org, level, team, spanner, leavers, joiners, promoted, moved)


def _team_of(spec: PlaceSpec, org_index: int, name: str) -> Team:
    return next(t for t in spec.organisations[org_index].teams if t.name == name)


# --------------------------------------------------------------------------------------
# Working relationships and answers
# --------------------------------------------------------------------------------------


def _symmetric_draw(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """An undirected 0/1 graph with P(i~j) = p[i, j] (upper triangle drawn, mirrored)."""
    upper = np.triu(rng.random(p.shape) < p, k=1)
    return upper | upper.T


def _pair_kinds(view: pd.DataFrame) -> np.ndarray:
    """0 same team, 1 same organisation, 2 other organisation; -1 on the diagonal."""
    org = view["org"].to_numpy()
    team = pd.factorize(view["team_key"])[0]
    same_org = org[:, None] == org[None, :]
    same_team = team[:, None] == team[None, :]
    kind = np.where(same_team, 0, np.where(same_org, 1, 2))
    np.fill_diagonal(kind, -1)
    return kind


def _line_management(view: pd.DataFrame, present: np.ndarray, spec: PlaceSpec) -> np.ndarray:
    """Each present middle reports to one present top of their organisation, in turn."""
    line = np.zeros((len(view), len(view)), dtype=bool)
    org, level = view["org"].to_numpy(), view["level"].to_numpy()
    for org_index in range(len(spec.organisations)):
        tops = np.flatnonzero(present & (org == org_index) & (level == TOP))
        middles = np.flatnonzero(present & (org == org_index) & (level == MIDDLE))
        if len(tops):
            line[middles, tops[np.arange(len(middles)) % len(tops)]] = True
    return line | line.T


def _relationship_probability(
    view: pd.DataFrame, present: np.ndarray, spanner: np.ndarray, params: Params, spec: PlaceSpec
) -> np.ndarray:
    """P(i and j work together), symmetric, zero diagonal, zero for absent people."""
    level = view["level"].to_numpy()
    org = view["org"].to_numpy()
    kind = _pair_kinds(view)
    place = view["place"].to_numpy()
    primary = np.array([spec.organisations[o].sector == PRIMARY_CARE for o in org])
    icb = org == spec.org_index["icb"]
    size = np.bincount(org[present], minlength=len(spec.organisations))[org].clip(1)
    within = np.array(params.level_same_org)[level[:, None], level[None, :]]
    within = within * (params.same_org_scale / np.sqrt(size))[:, None]
    across = np.array(params.level_cross_org)[level[:, None], level[None, :]]
    across = (
        params.p_cross_org * across
        * np.where(place[:, None] == place[None, :], params.same_place_cross_org, 1.0)
        * np.where(primary[:, None] | primary[None, :], params.primary_care_cross_org, 1.0)
        * np.where(icb[:, None] | icb[None, :], params.commissioner_cross_org, 1.0)
    )
    p = np.select(
        [kind == 0, kind == 1, kind == 2],
        [np.full(kind.shape, params.p_same_team), within, across],
        0.0,
    )
    p = np.where(_line_management(view, present, spec), params.p_line_manager, p)
    activity = view["activity"].to_numpy()
    p = p * activity[:, None] * activity[None, :]
    reach = params.p_spanner_cross_org * np.array(params.spanner_reach_by_level)[level]
    spanning = np.maximum(np.where(spanner[:, None], reach[None, :], 0.0),
                          np.where(spanner[None, :], reach[:, None], 0.0))
    p = np.where(kind == 2, np.maximum(p, spanning), p)
    p = np.where(present[:, None] & present[None, :], p, 0.0)
    np.fill_diagonal(p, 0.0)
    return np.clip(p, 0.0, 0.95)


def _close_triangles(
    rng: np.random.Generator, w: np.ndarray, same_org: np.ndarray, p: float
) -> np.ndarray:
    """Join same-organisation pairs who share two or more colleagues, with chance p."""
    common = w.astype(np.int64) @ w.astype(np.int64)
    candidates = same_org & ~w & (common >= 2)
    np.fill_diagonal(candidates, False)
    return w | _symmetric_draw(rng, np.where(candidates, p, 0.0))


@dataclass
class _Answers:
    """Latent answers over all ordered pairs: would i name j, if they work together."""

    advice: np.ndarray
    collaboration: np.ndarray  # would report collaboration (bool)
    frequency: np.ndarray  # 1..5 if reported
    trust: np.ndarray
    concern: np.ndarray


def _draw_answers(rng: np.random.Generator, view: pd.DataFrame, params: Params) -> _Answers:
    level = view["level"].to_numpy()
    kind = _pair_kinds(view)
    cross = np.where(kind == 2, params.cross_org_naming_factor, 1.0)
    shape = kind.shape
    advice_p = np.array(params.p_name_advice)[level[:, None], level[None, :]] * cross
    concern_p = np.array(params.p_name_concern)[level[:, None], level[None, :]] * cross
    trust_p = np.array(params.p_name_trust)[np.clip(kind, 0, 2)]
    # Pair frequency by closeness of the pair, then each side's own report of it.
    team_f, org_f, cross_f = (rng.choice(v, shape, p=p) for v, p in params.collaboration_frequency)
    base = np.select([kind == 0, kind == 1], [team_f, org_f], cross_f).astype(np.int64)
    base = np.triu(base, 1) + np.triu(base, 1).T
    step = params.p_frequency_step
    noise = rng.choice([-1, 0, 1], shape, p=[step, 1 - 2 * step, step])
    return _Answers(
        advice=rng.random(shape) < advice_p,
        collaboration=rng.random(shape) < params.p_name_collaboration,
        frequency=np.clip(base + noise, 1, 5),
        trust=rng.random(shape) < trust_p,
        concern=rng.random(shape) < concern_p,
    )


def _carry_over(rng: np.random.Generator, old: _Answers, fresh: _Answers, keep: float) -> _Answers:
    """The next wave's answers: each latent answer kept with chance ``keep``, else fresh."""
    def mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.where(rng.random(a.shape) < keep, a, b)

    return _Answers(
        advice=mix(old.advice, fresh.advice),
        collaboration=mix(old.collaboration, fresh.collaboration),
        frequency=mix(old.frequency, fresh.frequency),
        trust=mix(old.trust, fresh.trust),
        concern=mix(old.concern, fresh.concern),
    )


def _nominate(
    rng: np.random.Generator, works: np.ndarray, view: pd.DataFrame, eligible: np.ndarray,
    params: Params, spec: PlaceSpec,
) -> np.ndarray:
    """A cohort nominated by organisations: more connected and more senior people first.

    Draws one person at a time with weight degree ** power times the level's weight,
    skipping organisations that already have ``cohort_max_per_organisation`` nominees.
    """
    degree = works.sum(axis=1).astype(float)
    weight = (degree ** params.nomination_degree_power
              * np.array(params.nomination_weight_level)[view["level"].to_numpy()])
    weight = np.where(eligible, weight, 0.0)
    org = view["org"].to_numpy()
    chosen = np.zeros(len(view), dtype=bool)
    while chosen.sum() < params.cohort_size:
        full = np.bincount(org[chosen], minlength=len(spec.organisations)) >= params.cohort_max_per_organisation
        w = np.where(chosen | full[org], 0.0, weight)
        chosen[rng.choice(len(w), p=w / w.sum())] = True
    return chosen


def _programme(
    rng: np.random.Generator, cohort: np.ndarray, works: np.ndarray, kind: np.ndarray,
    present: np.ndarray, params: Params,
) -> tuple[np.ndarray, np.ndarray]:
    """New relationships a programme forms: between participants, and spillover.

    Returns
    -------
    pair, spill : numpy.ndarray
        Symmetric boolean matrices of new relationships (not already working together):
        participant pairs in different organisations, and participant with a
        non-participant in another organisation who is in the team (or organisation) of
        a participant they formed a programme relationship with.
    """
    cross = kind == 2
    here = present[:, None] & present[None, :]
    pair = _symmetric_draw(rng, np.where(cohort[:, None] & cohort[None, :] & cross & here & ~works,
                                         params.p_programme_pair, 0.0))
    same_team = (kind == 0).astype(np.int64)
    same_org = (kind <= 1).astype(np.int64)
    np.fill_diagonal(same_team, 0)
    np.fill_diagonal(same_org, 0)
    via_team = (pair.astype(np.int64) @ same_team) > 0  # i met someone in j's team
    via_org = (pair.astype(np.int64) @ same_org) > 0
    candidate = cohort[:, None] & ~cohort[None, :] & cross & here & ~works & ~pair
    p = np.where(candidate & via_team, params.p_spillover_team,
                 np.where(candidate & via_org, params.p_spillover_organisation, 0.0))
    p = np.maximum(p, p.T)
    spill = _symmetric_draw(rng, p)
    return pair, spill


def _never_answers(
    rng: np.random.Generator, works: np.ndarray, kind: np.ndarray, respondents: np.ndarray,
    present: np.ndarray, params: Params,
) -> np.ndarray:
    """Explicit "Never": a respondent rates one or two same-org colleagues they don't work with."""
    never = np.zeros(works.shape, dtype=bool)
    for i in np.flatnonzero(respondents):
        if rng.random() >= params.p_never_answer:
            continue
        options = np.flatnonzero((kind[i] == 1) & ~works[i] & present)
        if len(options):
            never[i, rng.choice(options, min(len(options), 1 + rng.integers(2)), replace=False)] = True
    return never


def _choose_respondents(
    rng: np.random.Generator, eligible: np.ndarray, weight: np.ndarray, rate: float
) -> np.ndarray:
    """Exactly round(rate * eligible) respondents, drawn with the given weights."""
    candidates = np.flatnonzero(eligible)
    p = weight[candidates] / weight[candidates].sum()
    chosen = rng.choice(candidates, int(round(rate * len(candidates))), replace=False, p=p)
    out = np.zeros(len(eligible), dtype=bool)
    out[chosen] = True
    return out


def _tie_table(
    ids: np.ndarray, wave: str, works: np.ndarray, answers: _Answers,
    respondents: np.ndarray, never: np.ndarray, silent: np.ndarray,
) -> pd.DataFrame:
    """Long tie table of one wave, with the "responded, named nobody" marker rows."""
    speaks = (respondents & ~silent)[:, None] & works
    layers = {
        "advice": (speaks & answers.advice, None),
        "collaboration": (speaks & answers.collaboration, answers.frequency),
        "trust": (speaks & answers.trust, None),
        "concern": (speaks & answers.concern, None),
    }
    frames = []
    for relation, (mask, frequency) in layers.items():
        src, dst = np.nonzero(mask)
        if frequency is None:
            weight = np.ones(len(src), dtype=np.int64)
            raw = np.full(len(src), "Yes", dtype=object)
        else:
            weight = frequency[src, dst].astype(np.int64)
            raw = np.array(FREQUENCY, dtype=object)[weight]
        frames.append(pd.DataFrame({"s": src, "t": dst, "relation": relation,
                                    "weight": weight, "raw_value": raw}))
    src, dst = np.nonzero(never & (respondents & ~silent)[:, None])
    frames.append(pd.DataFrame({"s": src, "t": dst, "relation": "collaboration",
                                "weight": np.zeros(len(src), dtype=np.int64), "raw_value": "Never"}))
    ties = pd.concat(frames, ignore_index=True)
    ties["source"] = ids[ties["s"].to_numpy()]
    ties["target"] = ids[ties["t"].to_numpy()]
    ties = ties[["source", "target", "relation", "weight", "raw_value"]]
    ties["weight"] = ties["weight"].astype("Int64")
    named_nobody = sorted(set(ids[respondents]) - set(ties["source"]))
    marker = pd.DataFrame({"source": named_nobody, "target": "", "relation": "",
                           "weight": pd.array([pd.NA] * len(named_nobody), dtype="Int64"),
                           "raw_value": ""})
    ties = pd.concat([ties, marker], ignore_index=True)
    ties["wave"] = wave
    rank = ties["relation"].map({r: k for k, r in enumerate(("", *RELATIONS))})
    ties = ties.assign(_rank=rank).sort_values(["source", "_rank", "target"], kind="stable")
    return ties.drop(columns="_rank").reset_index(drop=True)[list(TIE_COLUMNS)]

# --------------------------------------------------------------------------------------
# The whole sample
# --------------------------------------------------------------------------------------


def generate(seed: int = DEFAULT_SEED, params: Params | None = None, spec: PlaceSpec | None = None) -> SampleData:
    """Generate the roster, the three waves of ties and the ground truth, writing nothing.

    Parameters
    ----------
    seed
        Seed for ``numpy.random.default_rng``; the same seed gives identical tables.
    params
        Planted probabilities (default: the place's own, ``spec.params``).
    spec
        The place (default :data:`NORTHMOOR`; :data:`FELLSIDE` is the second, smaller place).

    Returns
    -------
    SampleData
        ``roster`` (see :data:`ROSTER_COLUMNS`), ``ties`` keyed by wave label
        (``baseline``, ``interim``, ``final``), and ``truth`` (the ground-truth dict).
    """
    spec = spec or NORTHMOOR
    params = params or spec.params
    rng = np.random.default_rng(seed)
    people = _make_people(rng, params, spec)
    n, n_waves = people.n, len(WAVE_LABELS)
    present, spanner = people.present, people.spanner
    views = [people.view(w) for w in range(n_waves)]
    kinds = [_pair_kinds(v) for v in views]
    p = [_relationship_probability(views[w], present[w], spanner, params, spec) for w in range(n_waves)]
    changed = np.zeros(n, dtype=bool)
    for group in (people.promoted, people.moved):
        for idx in group.values():
            changed[idx] = True
    # Nominees stay throughout and keep their role, so the programme can be followed.
    stays = present.all(axis=0) & ~spanner & ~changed

    works = [_close_triangles(rng, _symmetric_draw(rng, p[0]), (kinds[0] == 0) | (kinds[0] == 1),
                              params.p_close_triangle_same_org)]
    cohorts = [_nominate(rng, works[0], views[0], stays, params, spec)]
    programme: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros((n, n), bool), np.zeros((n, n), bool))]
    for w in range(1, n_waves):
        label = WAVE_LABELS[w]
        prev, kind = works[w - 1], kinds[w]
        both = present[w - 1] & present[w]
        here = both[:, None] & both[None, :]
        keep = np.array(params.p_keep_relationship)[np.clip(kind, 0, 2)]
        formed = programme[w - 1][0] | programme[w - 1][1]
        keep = np.where(formed, params.p_keep_programme_relationship, keep)  # programme over
        kept = prev & _symmetric_draw(rng, np.where(prev & here, keep, 0.0))
        # New relationships replace the expected losses kind by kind (team, organisation,
        # across), so the mix of within and across stays steady apart from what is planted.
        scale = np.zeros(3)
        for k in range(3):
            lost = np.triu(np.where(prev & here & (kind == k), 1 - keep, 0.0), 1).sum()
            room = np.triu(np.where(~prev & here & (kind == k), p[w], 0.0), 1).sum()
            scale[k] = lost / room if room else 0.0
        fresh = np.where(prev | ~here, 0.0, p[w] * scale[np.clip(kind, 0, 2)])
        current = kept | _symmetric_draw(rng, np.clip(fresh, 0.0, 0.95))
        newcomer = np.zeros(n, dtype=bool)
        for idx in (people.joiners[label], people.promoted[label], people.moved[label]):
            newcomer[idx] = True
        current |= _symmetric_draw(rng, np.where(newcomer[:, None] | newcomer[None, :],
                                                 p[w] * params.newcomer_relationship_factor, 0.0))
        pair, spill = _programme(rng, cohorts[w - 1], current, kind, present[w], params)
        current |= pair | spill
        current &= present[w][:, None] & present[w][None, :]
        works.append(current)
        programme.append((pair, spill))
        if w < len(COHORTS):
            earlier = np.logical_or.reduce(cohorts)
            cohorts.append(_nominate(rng, current, views[w], stays & ~earlier, params, spec))

    # Answers: latent "would name" per ordered pair, mostly carried over wave to wave;
    # programme pairs name each other.
    answers = [_draw_answers(rng, views[0], params)]
    for w in range(1, n_waves):
        answers.append(_carry_over(rng, answers[-1], _draw_answers(rng, views[w], params),
                                   params.p_keep_answer))
        met = programme[w][0] & (rng.random((n, n)) < params.p_programme_name_each_other)
        answers[w].advice |= met
        answers[w].trust |= met

    # Who answered: exact rates per wave; weights by level, organisation, engagement,
    # last wave's answer and being new.
    engaged = spanner | np.logical_or.reduce(cohorts)
    level_weight = np.array(params.response_weight_level)
    org_weight = np.ones((n_waves, len(spec.organisations)))
    for key, weights in params.response_weight_organisation.items():
        org_weight[:, spec.org_index[key]] = weights
    ids = _ids(rng, people, spec)
    respondents, silent, never, ties = [], {}, [], {}
    for w, label in enumerate(WAVE_LABELS):
        weight = (level_weight[people.level[w]] * org_weight[w][people.org[w]]
                  * np.where(engaged, params.response_weight_engaged, 1.0))
        if w:
            weight = weight * np.where(respondents[-1], params.response_weight_repeat, 1.0)
            joined = np.zeros(n, dtype=bool)
            joined[people.joiners[label]] = True
            weight = weight * np.where(joined, params.response_weight_joiner, 1.0)
        resp = _choose_respondents(rng, present[w], weight, params.response_rate[w])
        respondents.append(resp)
        ordinary = resp & (people.level[w] == BOTTOM) & ~engaged & ~changed
        mask = np.zeros(n, dtype=bool)
        mask[rng.choice(np.flatnonzero(ordinary), params.named_nobody_per_wave, replace=False)] = True
        silent[label] = mask
        never = _never_answers(rng, works[w], kinds[w], resp, present[w], params)
        ties[label] = _tie_table(ids, label, works[w], answers[w], resp, never, mask)

    roster = _roster(rng, people, ids, cohorts, spec)
    cohort_ids = {name: sorted(ids[c]) for name, c in zip(COHORTS, cohorts, strict=True)}

    def pairs(matrix: np.ndarray) -> list[list[str]]:
        i, j = np.nonzero(np.triu(matrix, 1))
        return sorted(sorted([ids[a], ids[b]]) for a, b in zip(i, j, strict=True))

    planted = {
        "place": spec.name,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "waves": [{"label": label, "date": date, "file": file} for label, date, file in WAVES],
        "boundary_spanners": sorted(ids[spanner]),
        "cohorts": cohort_ids,
        "cohort_runs": {name: {"nominated_in": WAVE_LABELS[k], "programme_before": WAVE_LABELS[k + 1]}
                        for k, name in enumerate(COHORTS)},
        "leavers": {w: sorted(ids[people.leavers[w]]) for w in WAVE_LABELS[1:]},
        "joiners": {w: sorted(ids[people.joiners[w]]) for w in WAVE_LABELS[1:]},
        "promoted": {w: sorted(ids[people.promoted[w]]) for w in WAVE_LABELS[1:]},
        "moved_organisation": {w: sorted(ids[people.moved[w]]) for w in WAVE_LABELS[1:]},
        "programme_relationships": {
            name: {
                "formed_by": WAVE_LABELS[k + 1],
                "between_participants": pairs(programme[k + 1][0]),
                "spillover": pairs(programme[k + 1][1]),
                **({"still_working_together_at_next_wave":
                    pairs((programme[k + 1][0] | programme[k + 1][1]) & works[k + 2])}
                   if k + 2 < n_waves else {}),
            }
            for k, name in enumerate(COHORTS)
        },
        "respondents": {label: sorted(ids[r]) for label, r in zip(WAVE_LABELS, respondents, strict=True)},
        "planted_named_nobody": {w: sorted(ids[m]) for w, m in silent.items()},
        "parameters": asdict(params),
        "organisations": [
            {"name": o.name, "sector": o.sector, "email_domain": o.domain, "size_at_baseline": o.size,
             "tops": o.tops, "middles": o.middles, "bottoms": o.bottoms}
            for o in spec.organisations
        ],
    }
    forums, forum_truth = _forums(seed, people, ids, spec)
    truth = {**planted, "summary": summarise(roster, ties, planted), "forums": forum_truth}
    ratings = pd.DataFrame()
    if spec.partner is not None:
        ratings, truth["partner"] = _partner_ratings(seed, people, ids, spec, works[-1], respondents[-1])
    return SampleData(seed=seed, roster=roster, ties=ties, truth=truth, forums=forums, ratings=ratings)


# --------------------------------------------------------------------------------------
# Boards, forums and programmes
# --------------------------------------------------------------------------------------

#: Forum -> (strategic?, organisation keys it draws its members from; empty: every organisation).
FORUMS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "Place partnership board": (True, ()),
    "Health and wellbeing board": (True, ("members", "public_health", "icb", "adult_social_care", "vcse",
                                          "housing")),
    "Integrated care committee": (True, ("icb", "acute", "community", "mental_health", "pcn")),
    "Frailty and ageing well forum": (False, ("community", "adult_social_care", "pcn", "hospice", "acute",
                                              AMBULANCE, "vcse")),
    "Mental health alliance": (False, ("mental_health", "vcse", "pcn", "housing", "adult_social_care")),
    "Hospital discharge group": (False, ("acute", "community", "adult_social_care", "housing", AMBULANCE)),
    "Health inequalities group": (False, ("public_health", "vcse", "pcn", "housing", "members")),
    "VCSE assembly": (False, ("vcse", "hospice", "housing", "public_health")),
    "Workforce and OD group": (False, ()),
    "Medicines and pharmacy group": (False, ("pharmacy", "pcn", "acute", "community")),
}
#: Organisations whose chief officers form the planted "same small group in every room".
CORE_ORGANISATIONS = ("icb", "acute", "community", "mental_health", "adult_social_care", "public_health",
                      "pcn", "vcse")
#: Chance of a seat: the core on strategic and on operational forums; other tops on a strategic
#: forum of their organisation; middles and bottoms on an operational forum of theirs.
P_SEAT = {"core_strategic": 0.9, "core_operational": 0.35, "top_strategic": 0.3,
          "middle_operational": 0.2, "bottom_operational": 0.05}


# --------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerPlan:
    """What a place's PARTNER trust and value ratings plant (:func:`_partner_ratings`).

    Attributes
    ----------
    valued
        The organisation (key) the others value highly: power and influence, and the
        resources it brings.
    low_trust
        ``(raters, rated)``: the raters' organisation that trusts the rated one little.
    always_rated
        ``(raters, rated)`` pairs where every respondent rates the second organisation
        (they work with it daily: social care and the hospital over discharges).
    """

    valued: str
    low_trust: tuple[str, str]
    always_rated: tuple[tuple[str, str], ...] = ()


#: Mean answer (1-4) before the planted patterns, each rater's leniency (sd) and each answer's noise (sd).
PARTNER_MEANS = {"value": 2.5, "trust": 2.9, "valued": 3.6, "low_trust": 1.5}
PARTNER_NOISE = {"rater": 0.3, "answer": 0.55, "blank": 0.03}
PARTNER_HEADERS = {  # the dimension -> the ratings sheet's header (as a PARTNER export words them)
    "power_and_influence": "Power and influence", "level_of_involvement": "Level of involvement",
    "resources_contributed": "Resources contributed", "reliability": "Reliability",
    "support_of_mission": "Support of mission", "open_to_discussion": "Open to discussion"}
PARTNER_WORDS = {1: "Not at all", 2: "A small amount", 3: "A fair amount", 4: "A great deal"}


@dataclass(frozen=True)
class PlaceSpec:
    """A place to generate: its organisations, localities, roster ids, forums and planted figures.

    Attributes
    ----------
    name
        The place's name, as the project is called.
    organisations
        Its partner organisations (one of them keyed ``icb``: the place's commissioners).
    localities
        Where teams without a fixed locality draw each member's ``place``, with weights.
    id_prefix
        Roster ids are this and a four-digit number.
    forums, core_organisations
        Its boards and forums (:data:`FORUMS`' shape) and the organisations whose chief
        officers form the planted core.
    folder
        Where its files are written, under ``sample_data/`` ("" for the folder itself).
    params
        Its planted probabilities.
    """

    name: str
    organisations: tuple[Organisation, ...]
    localities: tuple[str, ...]
    locality_weights: tuple[float, ...]
    id_prefix: str
    forums: dict[str, tuple[bool, tuple[str, ...]]]
    core_organisations: tuple[str, ...]
    folder: str = ""
    params: Params = field(default_factory=Params)
    partner: PartnerPlan | None = None

    @property
    def org_index(self) -> dict[str, int]:
        return {o.key: k for k, o in enumerate(self.organisations)}


NORTHMOOR = PlaceSpec("Northmoor", ORGANISATIONS, PLACES, (0.35, 0.3, 0.35), "NM", FORUMS, CORE_ORGANISATIONS,
                      partner=PartnerPlan("icb", ("adult_social_care", "acute"),
                                          always_rated=(("adult_social_care", "acute"),)))

#: Fellside: a smaller, rural place (118 people, 8 organisations) that starts less siloed than
#: Northmoor, with tops who already know each other across organisations and a higher response.
FELLSIDE_LOCALITIES = ("Dales", "Market towns", "Coast")
FELLSIDE_ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "icb", "Northmoor and Fellside Integrated Care Board (Fellside place)", "ICB and commissioning",
        "nficb.nhs.example", "Market towns", 1, 4, 7, "Place executive team", (COMMISSIONING,),
        (
            Team("Place commissioning", "Market towns", {COMMISSIONING: 0.8, MANAGEMENT: 0.2}),
            Team("Continuing healthcare", None, {NURSING: 0.6, COMMISSIONING: 0.4}),
            Team("Population health", "Market towns", {COMMISSIONING: 0.5, PUBLIC_HEALTH: 0.5}),
        ),
        spanner_team="Population health",
    ),
    Organisation(
        "community", "Fellside Community and Mental Health NHS Trust", "NHS trust",
        "fellside-cmh.nhs.example", "Market towns", 2, 6, 16, "Executive team", (MANAGEMENT, NURSING),
        (
            Team("Community nursing Dales", "Dales", {NURSING: 0.9, MANAGEMENT: 0.1}),
            Team("Community nursing Coast", "Coast", {NURSING: 0.9, MANAGEMENT: 0.1}),
            Team("Community mental health team", None, {NURSING: 0.4, SOCIAL_WORK: 0.3, PSYCHOLOGY: 0.3}),
            Team("Rapid response", "Market towns", {NURSING: 0.6, ALLIED: 0.4}),
        ),
        spanner_team="Rapid response",
    ),
    Organisation(
        "pcn", "Fellside Rural Primary Care Network", PRIMARY_CARE,
        "fellside-pcn.nhs.example", "Dales", 2, 4, 14, "Clinical directors", (MEDICAL, MANAGEMENT),
        (
            Team("GP practices Dales", "Dales", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("GP practices Coast", "Coast", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("Care coordination and social prescribing", None, {COMMUNITY: 0.6, PHARMACY: 0.4}),
        ),
        spanner_team="Care coordination and social prescribing",
    ),
    Organisation(
        "adult_social_care", "Fellside District Council Adult Social Care", "Local authority",
        "fellside.gov.example", "Market towns", 2, 5, 13, "Senior leadership team", (SOCIAL_WORK, MANAGEMENT),
        (
            Team("Locality team Dales", "Dales", {SOCIAL_WORK: 0.7, SOCIAL_CARE: 0.3}),
            Team("Locality team Coast", "Coast", {SOCIAL_WORK: 0.7, SOCIAL_CARE: 0.3}),
            Team("Reablement", None, {SOCIAL_CARE: 0.7, ALLIED: 0.3}),
            Team("Hospital social work team", "Market towns", {SOCIAL_WORK: 1.0}),
        ),
        spanner_team="Hospital social work team",
    ),
    Organisation(
        "public_health", "Fellside District Council Public Health", "Local authority",
        "fellside.gov.example", "Market towns", 1, 3, 5, "Senior leadership team", (PUBLIC_HEALTH,),
        (
            Team("Health improvement", None, {PUBLIC_HEALTH: 0.6, COMMUNITY: 0.4}),
            Team("Health intelligence", "Market towns", {PUBLIC_HEALTH: 0.7, MANAGEMENT: 0.3}),
        ),
    ),
    Organisation(
        "members", "Fellside District Council elected members", "Elected members",
        "fellside.gov.example", "Market towns", 1, 3, 2, "Cabinet", (ELECTED,),
        (
            Team("Health and wellbeing board", "Market towns", {ELECTED: 1.0}),
            Team("Health scrutiny", None, {ELECTED: 1.0}),
        ),
    ),
    Organisation(
        "vcse", "Fellside Community Action", "Voluntary and community",
        "fellsideaction.org.example", "Coast", 1, 4, 10, "Senior leadership team", (MANAGEMENT,),
        (
            Team("Carers support", None, {COMMUNITY: 0.7, SOCIAL_CARE: 0.3}),
            Team("Community connectors", None, {COMMUNITY: 1.0}),
            Team("Advice and advocacy", "Coast", {COMMUNITY: 0.5, HOUSING: 0.2, MANAGEMENT: 0.3}),
        ),
        spanner_team="Community connectors",
    ),
    Organisation(
        "housing", "Dalesend Housing", "Housing",
        "dalesendhousing.org.example", "Dales", 1, 3, 8, "Senior leadership team", (HOUSING,),
        (
            Team("Tenancy sustainment", None, {HOUSING: 0.8, SOCIAL_CARE: 0.2}),
            Team("Supported housing", "Dales", {HOUSING: 0.6, SOCIAL_CARE: 0.4}),
        ),
        spanner_team="Tenancy sustainment",
    ),
)
FELLSIDE_FORUMS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "Fellside place board": (True, ()),
    "Health and wellbeing partnership": (True, ("members", "public_health", "icb", "adult_social_care", "vcse")),
    "Rural frailty network": (False, ("community", "pcn", "adult_social_care", "vcse")),
    "Housing and health group": (False, ("housing", "adult_social_care", "community", "public_health")),
    "Community mental health forum": (False, ("community", "vcse", "pcn", "housing")),
    "VCSE network": (False, ("vcse", "public_health", "housing")),
}
FELLSIDE = PlaceSpec(
    "Fellside", FELLSIDE_ORGANISATIONS, FELLSIDE_LOCALITIES, (0.4, 0.35, 0.25), "FS", FELLSIDE_FORUMS,
    ("icb", "community", "pcn", "adult_social_care", "vcse"), folder="fellside",
    params=Params(
        response_rate=(0.84, 0.79, 0.74),
        response_weight_organisation={"icb": (1.2, 1.2, 1.2), "members": (0.6, 0.5, 0.5)},
        p_cross_org=0.011,
        level_cross_org=((2.5, 0.6, 0.05), (0.6, 2.0, 0.8), (0.05, 0.8, 0.6)),
        leavers_per_wave=12, promotions_per_wave=2, organisation_moves_per_wave=1,
        cohort_size=10, cohort_max_per_organisation=2, named_nobody_per_wave=1,
    ),
)
#: Every place of the bundled sample.
SAMPLE_PLACES = (NORTHMOOR, FELLSIDE)


def _forums(seed: int, people: _People, ids: np.ndarray, spec: PlaceSpec) -> tuple[pd.DataFrame, dict]:
    """Membership of the place's boards and forums at the final wave, and its planted truth.

    Drawn from a stream of its own (``[seed, 7]``) so that the people and ties are the
    same with or without it. One top from each of :data:`CORE_ORGANISATIONS` sits on
    nearly every strategic board and on a third of the operational forums: the "same
    small group in every room" that the forum measures should find.
    """
    rng = np.random.default_rng([seed, 7])
    w = len(WAVE_LABELS) - 1
    here = np.flatnonzero(people.present[w])
    org, level = people.org[w], people.level[w]
    core = np.array(sorted(rng.choice(here[(org[here] == spec.org_index[key]) & (level[here] == TOP)])
                           for key in spec.core_organisations))
    is_core = np.zeros(people.n, dtype=bool)
    is_core[core] = True
    columns = {}
    for name, (strategic, keys) in spec.forums.items():
        inside = np.ones(people.n, dtype=bool) if not keys else np.isin(org, [spec.org_index[k] for k in keys])
        if strategic:
            p = np.where(is_core, P_SEAT["core_strategic"],
                         np.where(inside & (level == TOP), P_SEAT["top_strategic"], 0.0))
        else:
            p = np.where(is_core, P_SEAT["core_operational"],
                         np.where(inside & (level == MIDDLE), P_SEAT["middle_operational"],
                                  np.where(inside & (level == BOTTOM), P_SEAT["bottom_operational"], 0.0)))
        seat = (rng.random(people.n) < p) & people.present[w]
        columns[name] = np.where(seat, "x", "")
    table = pd.DataFrame({"id": ids, **columns}).iloc[here]
    table = table[(table.drop(columns="id") != "").any(axis=1)].sort_values("id", ignore_index=True)
    truth = {
        "core": sorted(ids[core]),
        "strategic": [name for name, (strategic, _) in spec.forums.items() if strategic],
        "seat_probabilities": P_SEAT,
        "wave": WAVE_LABELS[w],
        "file": FORUMS_FILE,
    }
    return table, truth


def _partner_ratings(seed: int, people: _People, ids: np.ndarray, spec: PlaceSpec, works: np.ndarray,
                     responded: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """PARTNER trust and value ratings at the final wave, and their planted truth.

    Drawn from a stream of its own (``[seed, 11]``) so that nothing else in the sample
    changes with or without it. Each final-wave respondent rates three to five other
    organisations, more likely those they work with (every one where the plan says they
    always do), on PARTNER's six questions: answers are a mean (value 2.5, trust 2.9),
    plus the rater's leniency and noise, rounded to 1-4; 3% are left blank. Planted: the
    organisation ``spec.partner.valued`` is valued highly (value 3.6) by everyone, and the
    raters of ``low_trust[0]`` trust ``low_trust[1]`` little (trust 1.5).
    """
    plan = spec.partner
    rng = np.random.default_rng([seed, 11])
    w = len(WAVE_LABELS) - 1
    org = people.org[w]
    index = spec.org_index
    valued, (low_from, low_to) = index[plan.valued], (index[plan.low_trust[0]], index[plan.low_trust[1]])
    always = {(index[a], index[b]) for a, b in plan.always_rated}
    n_orgs = len(spec.organisations)
    value_dims, trust_dims = list(PARTNER_HEADERS)[:3], list(PARTNER_HEADERS)[3:]
    rows = []
    for i in np.flatnonzero(responded & people.present[w]):
        partners_of = np.bincount(org[np.flatnonzero(works[i] & people.present[w])], minlength=n_orgs).astype(float)
        weight = 1.0 + 3.0 * np.minimum(partners_of, 3)
        weight[org[i]] = 0.0
        count = int(rng.integers(3, 6))
        chosen = set(rng.choice(n_orgs, size=count, replace=False, p=weight / weight.sum()).tolist())
        chosen |= {b for a, b in always if a == org[i]}
        leniency = rng.normal(0.0, PARTNER_NOISE["rater"])
        for rated in sorted(chosen):
            answers = {}
            for dimension in value_dims + trust_dims:
                kind = "value" if dimension in value_dims else "trust"
                mean = PARTNER_MEANS[kind]
                if kind == "value" and rated == valued and dimension != "level_of_involvement":
                    mean = PARTNER_MEANS["valued"]
                if kind == "trust" and (org[i], rated) == (low_from, low_to):
                    mean = PARTNER_MEANS["low_trust"]
                score = int(np.clip(np.rint(mean + leniency + rng.normal(0.0, PARTNER_NOISE["answer"])), 1, 4))
                blank = rng.random() < PARTNER_NOISE["blank"]
                answers[PARTNER_HEADERS[dimension]] = "" if blank else PARTNER_WORDS[score]
            rows.append({"id": ids[i], "partner": spec.organisations[rated].name, **answers})
    table = pd.DataFrame(rows).sort_values(["id", "partner"], ignore_index=True)
    truth = {
        "file": RATINGS_FILE,
        "wave": WAVE_LABELS[w],
        "valued_highly": spec.organisations[valued].name,
        "valued_dimensions": ["power_and_influence", "resources_contributed"],
        "low_trust_pair": [spec.organisations[low_from].name, spec.organisations[low_to].name],
        "means": PARTNER_MEANS,
        "noise": PARTNER_NOISE,
        "raters": int(table["id"].nunique()),
    }
    return table, truth


def _ids(rng: np.random.Generator, people: _People, spec: PlaceSpec) -> np.ndarray:
    """Roster ids: baseline people in random order, then each wave's joiners."""
    joined = np.concatenate([people.joiners[w] for w in WAVE_LABELS[1:]])
    baseline = np.setdiff1d(np.arange(people.n), joined)
    order = np.concatenate([rng.permutation(baseline), joined])
    ids = np.empty(people.n, dtype=object)
    ids[order] = [f"{spec.id_prefix}{k:04d}" for k in range(1, people.n + 1)]
    return ids


def _roster(rng: np.random.Generator, people: _People, ids: np.ndarray, cohorts: list[np.ndarray],
            spec: PlaceSpec) -> pd.DataFrame:
    """One row per person: values as at their last wave, earlier values for those who changed."""
    n_waves = len(WAVE_LABELS)
    last = np.array([max(w for w in range(n_waves) if people.present[w, i]) for i in range(people.n)])
    first = np.array([min(w for w in range(n_waves) if people.present[w, i]) for i in range(people.n)])
    k = np.arange(people.n)
    org, level, team = people.org[last, k], people.level[last, k], people.team[last, k]
    names = _draw_names(rng, people.n)
    changed_in = np.full(people.n, "", dtype=object)
    earlier = {c: np.full(people.n, "", dtype=object) for c in EARLIER_COLUMNS}
    for w in range(1, n_waves):
        moved = np.flatnonzero((people.org[w] != people.org[w - 1]) | (people.level[w] != people.level[w - 1])
                               | (people.team[w] != people.team[w - 1]))
        moved = moved[people.present[w - 1, moved] & people.present[w, moved]]
        changed_in[moved] = WAVE_LABELS[w]
        earlier["earlier_organisation"][moved] = [spec.organisations[o].name for o in people.org[w - 1, moved]]
        earlier["earlier_sector"][moved] = [spec.organisations[o].sector for o in people.org[w - 1, moved]]
        earlier["earlier_level"][moved] = [LEVELS[v] for v in people.level[w - 1, moved]]
        earlier["earlier_team"][moved] = people.team[w - 1, moved]
    cohort = np.full(people.n, "", dtype=object)
    for name, members in zip(COHORTS, cohorts, strict=True):
        cohort[members] = name
    waves = [";".join(WAVE_LABELS[w] for w in range(first[i], last[i] + 1)) if first[i] or last[i] < n_waves - 1
             else "" for i in range(people.n)]
    table = pd.DataFrame({
        "id": ids,
        "name": names,
        "email": [_email(name, spec.organisations[o].domain) for name, o in zip(names, org, strict=True)],
        "organisation": [spec.organisations[o].name for o in org],
        "sector": [spec.organisations[o].sector for o in org],
        "profession": people.frame["profession"].to_numpy(),
        "level": [LEVELS[v] for v in level],
        "place": people.frame["place"].to_numpy(),
        "cohort": cohort,
        "team": team,
        "waves": waves,
        "changed_in": changed_in,
        **earlier,
    })
    return table.sort_values("id").reset_index(drop=True)[list(ROSTER_COLUMNS)]


def roster_at(roster: pd.DataFrame, wave: str) -> pd.DataFrame:
    """The people in ``wave`` with their organisation, sector, level and team as at that wave.

    A row whose ``changed_in`` names a later wave than ``wave`` takes its ``earlier_*``
    values; the ``changed_in`` and ``earlier_*`` columns are dropped. (onatool applies the
    same rule in :func:`onatool.sample.roster_for_wave`.)
    """
    order = {label: k for k, label in enumerate(WAVE_LABELS)}
    listed = roster["waves"].fillna("").map(lambda v: {w.strip() for w in v.split(";") if w.strip()})
    inside = listed.map(lambda labels: not labels or wave in labels).to_numpy(dtype=bool)
    people = roster[inside].copy()
    before = people["changed_in"].fillna("").map(lambda v: bool(v) and order[wave] < order[v])
    for column in EARLIER_COLUMNS:
        target = column.removeprefix("earlier_")
        people.loc[before, target] = people.loc[before, column]
    return people.drop(columns=["changed_in", *EARLIER_COLUMNS]).reset_index(drop=True)

# --------------------------------------------------------------------------------------
# Summary figures, computed from the tables alone
# --------------------------------------------------------------------------------------


def _round(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4)


def _adjacency(ties: pd.DataFrame, relation: str, index: pd.Index) -> np.ndarray:
    """Binary adjacency (weight > 0) of one relation among the people in ``index``."""
    layer = ties[(ties["relation"] == relation) & (ties["weight"].fillna(0) > 0)]
    layer = layer[layer["source"].isin(index) & layer["target"].isin(index)]
    a = np.zeros((len(index), len(index)), dtype=bool)
    a[index.get_indexer(layer["source"]), index.get_indexer(layer["target"])] = True
    return a


def _density(a: np.ndarray, rows: np.ndarray, cols: np.ndarray, pairs: np.ndarray) -> float:
    """Ties over possible ordered pairs, for pairs (i in rows, j in cols) allowed by ``pairs``."""
    allowed = rows[:, None] & cols[None, :] & pairs
    np.fill_diagonal(allowed, False)
    return a[allowed].sum() / allowed.sum() if allowed.sum() else float("nan")


def _response(people: pd.DataFrame, responded: np.ndarray, column: str) -> dict:
    out = {}
    for value, rows in people.groupby(column).indices.items():
        out[str(value)] = {"people": int(len(rows)), "respondents": int(responded[rows].sum()),
                           "response_rate": _round(responded[rows].mean())}
    return out


def _wave_summary(people: pd.DataFrame, ties: pd.DataFrame, respondents: set[str], spanners: set[str]) -> dict:
    people = people.set_index("id")
    index = people.index
    n = len(index)
    responded = index.isin(list(respondents))
    org = people["organisation"].to_numpy()
    level = people["level"].to_numpy()
    primary = (people["sector"] == PRIMARY_CARE).to_numpy()
    same_org = org[:, None] == org[None, :]
    out: dict = {
        "people": int(n),
        "respondents": int(responded.sum()),
        "response_rate": _round(responded.mean()),
        "response_by_level": _response(people, responded, "level"),
        "response_by_organisation": _response(people, responded, "organisation"),
        "named_nobody": sorted(ties.loc[ties["target"].fillna("") == "", "source"]),
        "relations": {},
    }
    for relation in RELATIONS:
        rows = ties[ties["relation"] == relation]
        positive = int((rows["weight"] > 0).sum())
        out["relations"][relation] = {
            "ties": positive,
            "never_answers": int((rows["weight"] == 0).sum()),
            "mean_out_degree_of_respondents": _round(positive / responded.sum()),
        }

    a = _adjacency(ties, "advice", index)
    internal, external = int(a[same_org].sum()), int(a[~same_org].sum())
    cross = a & ~same_org
    cross_count = cross.sum(axis=1) + cross.sum(axis=0)  # cross-org ties each person is on
    order = sorted(range(n), key=lambda k: (-cross_count[k], index[k]))
    top5 = np.zeros(n, dtype=bool)
    top5[order[: int(np.ceil(0.05 * n))]] = True
    spans = index.isin(list(spanners))

    def share_touching(group: np.ndarray) -> float:
        return (cross & (group[:, None] | group[None, :])).sum() / cross.sum()

    contacts = cross | cross.T  # distinct cross-org contacts, either direction
    n_contacts = contacts.sum(axis=1)
    is_top, is_middle, is_bottom = level == "top", level == "middle", level == "bottom"
    reach = a | ((a.astype(np.int64) @ a.astype(np.int64)) > 0)
    reaches_top = reach[:, is_top].any(axis=1)
    mutual = (a & a.T).sum()
    two_paths = a.astype(np.int64) @ a.astype(np.int64)
    np.fill_diagonal(two_paths, 0)
    out["advice"] = {
        "ei_organisation": _round((external - internal) / (external + internal)),
        "cross_org_ties": external,
        "cross_org_share_boundary_spanners": _round(share_touching(spans)),
        "cross_org_share_top_5pct": _round(share_touching(top5)),
        "top_5pct_people": sorted(index[top5]),
        "mean_cross_org_contacts_primary_care": _round(n_contacts[primary].mean()),
        "mean_cross_org_contacts_others": _round(n_contacts[~primary].mean()),
        "top_top_density_cross_org": _round(_density(a, is_top, is_top, ~same_org)),
        "top_top_density_same_org": _round(_density(a, is_top, is_top, same_org)),
        "middle_middle_density_cross_org": _round(_density(a, is_middle, is_middle, ~same_org)),
        "bottom_to_top_density_cross_org": _round(_density(a, is_bottom, is_top, ~same_org)),
        "bottom_to_top_density_same_org": _round(_density(a, is_bottom, is_top, same_org)),
        "bottom_reach_to_top": _round(reaches_top[is_bottom].mean()),
        "bottom_reach_to_top_respondents": _round(reaches_top[is_bottom & responded].mean()),
        "reciprocity": _round(mutual / a.sum()),
        "transitivity": _round((two_paths * a).sum() / two_paths.sum()),
    }
    return out


def _new_tie_rates(
    a1: np.ndarray, a2: np.ndarray, cross: np.ndarray, member: np.ndarray
) -> dict:
    """New cross-organisation ties over ordered cross-organisation pairs, by pair category."""
    new = a2 & ~a1 & cross
    categories = {
        "within_cohort": member[:, None] & member[None, :],
        "cohort_and_others": member[:, None] ^ member[None, :],
        "others": ~member[:, None] & ~member[None, :],
    }
    out = {}
    for name, mask in categories.items():
        pairs = mask & cross & ~a1
        out[name] = {"new_ties": int((new & mask).sum()), "open_pairs": int(pairs.sum()),
                     "rate": _round((new & mask).sum() / pairs.sum())}
    return out


def _change_summary(
    before: pd.DataFrame, after: pd.DataFrame, ties_before: pd.DataFrame, ties_after: pd.DataFrame,
    answered: set[str], cohort: set[str] | None,
) -> dict:
    """Advice change between two waves, among the people who answered both."""
    b, a = before.set_index("id"), after.set_index("id")
    both = b.index.intersection(a.index)
    org_changed = both[(b.loc[both, "organisation"] != a.loc[both, "organisation"]).to_numpy()]
    level_changed = both[(b.loc[both, "level"] != a.loc[both, "level"]).to_numpy()]
    index = both[both.isin(list(answered))].sort_values()
    a1 = _adjacency(ties_before, "advice", index)
    a2 = _adjacency(ties_after, "advice", index)
    stable, lost, new = (a1 & a2).sum(), (a1 & ~a2).sum(), (~a1 & a2).sum()
    org = a.loc[index, "organisation"].to_numpy()
    out = {
        "people_in_both_waves": int(len(both)),
        "joiners": sorted(a.index.difference(b.index)),
        "leavers": sorted(b.index.difference(a.index)),
        "changed_organisation": sorted(org_changed),
        "changed_level": sorted(level_changed),
        "respondents_in_both_waves": int(len(index)),
        "advice_stable": int(stable), "advice_lost": int(lost), "advice_new": int(new),
        "advice_jaccard_respondents_in_both_waves": _round(stable / (stable + lost + new)),
    }
    if cohort is not None:
        member = index.isin(list(cohort))
        out["cohort_members_compared"] = int(member.sum())
        out["new_cross_org_ties"] = _new_tie_rates(a1, a2, org[:, None] != org[None, :], member)
    return out


def _selection(people: pd.DataFrame, ties: pd.DataFrame, cohort: set[str]) -> dict:
    """Advice in-degree and seniority of a cohort against everyone else, when nominated."""
    people = people.set_index("id")
    a = _adjacency(ties, "advice", people.index)
    in_degree = a.sum(axis=0)
    member = people.index.isin(list(cohort))
    senior = people["level"].isin(["top", "middle"]).to_numpy()
    return {
        "cohort_mean_in_degree": _round(in_degree[member].mean()),
        "others_mean_in_degree": _round(in_degree[~member].mean()),
        "cohort_share_top_or_middle": _round(senior[member].mean()),
        "others_share_top_or_middle": _round(senior[~member].mean()),
    }


def _decay(
    people: list[pd.DataFrame], ties: list[pd.DataFrame], respondents: list[set[str]], cohort: set[str],
) -> dict:
    """Whether cross-organisation advice ties new in the programme wave are still there a wave later.

    Over the people who answered all three waves: ties new in the middle wave (absent in
    the first) and crossing organisations there, by pair category, and how many are still
    ties in the last wave.
    """
    answered = set.intersection(*respondents)
    index = pd.Index(sorted(answered))
    adj = [_adjacency(t, "advice", index) for t in ties]
    org = people[1].set_index("id").loc[index, "organisation"].to_numpy()
    cross = org[:, None] != org[None, :]
    member = index.isin(list(cohort))
    new = adj[1] & ~adj[0] & cross
    categories = {
        "within_cohort": member[:, None] & member[None, :],
        "cohort_and_others": member[:, None] ^ member[None, :],
        "others": ~member[:, None] & ~member[None, :],
    }
    out = {"people": int(len(index))}
    for name, mask in categories.items():
        formed, kept = (new & mask).sum(), (new & mask & adj[2]).sum()
        out[name] = {"new_ties": int(formed), "still_ties": int(kept), "share_kept": _round(kept / formed)}
    return out


#: How every summary figure is computed, written into the ground truth beside them.
CONVENTIONS = {
    "population": "each wave's figures cover the people in that wave (roster 'waves' column), "
                  "with their organisation, sector, level and team as at that wave (the "
                  "'earlier_*' columns apply before the wave named in 'changed_in')",
    "ties": "advice ties with weight > 0, directed: source names target",
    "mean_out_degree_of_respondents": "ties with weight > 0 over respondents",
    "response_by_level": "people, respondents and response rate per level as at the wave",
    "ei_organisation": "(E - I) / (E + I) over advice ties; E between organisations, "
                       "I within one",
    "cross_org_share": "share of cross-organisation advice ties with at least one end in the "
                       "group; top 5% = the ceil(0.05 n) people on most cross-organisation "
                       "ties (sent + received), ties broken by id",
    "cross_org_contacts": "distinct people in other organisations tied to the person by "
                          "advice in either direction",
    "density": "ties over ordered pairs of distinct people; same_org / cross_org: only pairs "
               "in the same / different organisations; bottom_to_top: bottoms naming tops",
    "bottom_reach_to_top": "share of bottoms with a directed advice path of length 1 or 2 to "
                           "some top (through anyone); _respondents: bottoms who answered",
    "reciprocity": "share of advice ties whose reverse is also a tie",
    "transitivity": "share of two-paths i->j->k (i != k) closed by a tie i->k",
    "change": "per pair of consecutive waves: joiners and leavers (in one wave's network and "
              "not the other), people whose organisation or level differs; advice ties "
              "stable / lost / new and Jaccard stable / (stable + lost + new) over ordered "
              "pairs among the people who answered both waves",
    "new_cross_org_ties": "for the cohort whose programme ran between the two waves, among "
                          "the people who answered both: advice ties absent in the first wave "
                          "and present in the second between people in different organisations "
                          "(as at the second), over such ordered pairs without a tie in the "
                          "first; within_cohort both ends in the cohort, cohort_and_others one "
                          "end, others neither",
    "selection": "per cohort, in the wave it was nominated in: mean advice in-degree (named "
                 "by respondents) and share of tops and middles, cohort against everyone else "
                 "present",
    "decay": "among the people who answered all three waves: cross-organisation advice ties "
             "new at interim, by pair category for cohort 1, and how many are still ties at "
             "final",
}


def summarise(roster: pd.DataFrame, ties: dict[str, pd.DataFrame], truth: dict) -> dict:
    """Summary figures computed from the written tables (the planted truth to test against).

    Parameters
    ----------
    roster
        The roster as written.
    ties
        Tie tables keyed by wave label.
    truth
        The planted facts: ``boundary_spanners``, ``cohorts``, ``cohort_runs``,
        ``respondents``.

    Returns
    -------
    dict
        ``waves`` (per wave: people, respondents and response rates overall, by level and by
        organisation, tie counts per relation, advice figures), ``change`` (per pair of
        consecutive waves), ``selection`` (per cohort) and ``decay`` (cohort 1's programme
        ties a wave after it ended). ``conventions`` defines every figure.
    """
    spanners = set(truth["boundary_spanners"])
    people = {label: roster_at(roster, label) for label in WAVE_LABELS}
    respondents = {label: set(truth["respondents"][label]) for label in WAVE_LABELS}
    waves = {label: _wave_summary(people[label], ties[label], respondents[label], spanners)
             for label in WAVE_LABELS}
    running = {run["programme_before"]: name for name, run in truth["cohort_runs"].items()}
    change = {}
    for first, second in zip(WAVE_LABELS, WAVE_LABELS[1:], strict=False):
        cohort = set(truth["cohorts"][running[second]]) if second in running else None
        change[f"{first} to {second}"] = _change_summary(
            people[first], people[second], ties[first], ties[second],
            respondents[first] & respondents[second], cohort)
    selection = {
        name: {"wave": run["nominated_in"],
               **_selection(people[run["nominated_in"]], ties[run["nominated_in"]], set(truth["cohorts"][name]))}
        for name, run in truth["cohort_runs"].items()
    }
    decay = {COHORTS[0]: _decay([people[w] for w in WAVE_LABELS], [ties[w] for w in WAVE_LABELS],
                                [respondents[w] for w in WAVE_LABELS], set(truth["cohorts"][COHORTS[0]]))}
    return {"conventions": CONVENTIONS, "waves": waves, "change": change, "selection": selection,
            "decay": decay}


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def write(sample: SampleData, out_dir: str | Path) -> list[Path]:
    """Write the five files of ``sample`` into ``out_dir``; return their paths.

    CSV files are UTF-8 with ``\\n`` line endings; the JSON has sorted keys and two-space
    indents, so that a regenerated sample shows as a readable diff.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / ROSTER_FILE]
    sample.roster.to_csv(paths[0], index=False, lineterminator="\n", encoding="utf-8")
    for label, _date, file in WAVES:
        paths.append(out / file)
        sample.ties[label].to_csv(paths[-1], index=False, lineterminator="\n", encoding="utf-8")
    if not sample.forums.empty:
        paths.append(out / FORUMS_FILE)
        sample.forums.to_csv(paths[-1], index=False, lineterminator="\n", encoding="utf-8")
    if not sample.ratings.empty:
        paths.append(out / RATINGS_FILE)
        sample.ratings.to_csv(paths[-1], index=False, lineterminator="\n", encoding="utf-8")
    paths.append(out / TRUTH_FILE)
    text = json.dumps(sample.truth, indent=2, sort_keys=True, ensure_ascii=False)
    paths[-1].write_text(text + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_data/generate.py [--seed N] [--out DIR]``: every place of the sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2026)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder to write to (default: this script's folder)")
    args = parser.parse_args(argv)
    for spec in SAMPLE_PLACES:  # Northmoor in the folder itself, each other place in its own subfolder
        for path in write(generate(args.seed, spec=spec), args.out / spec.folder):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
