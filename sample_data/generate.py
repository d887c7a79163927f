"""Generate the bundled synthetic ICS place partnership (entirely invented people).

Run ``python sample_data/generate.py [--seed N] [--out DIR]`` to write ``roster.csv``,
``ties_baseline.csv``, ``ties_followup.csv`` and ``ground_truth.json`` (by default next
to this script). Tests import it from its path and call :func:`generate`, which returns
the tables and the ground truth without writing anything, and :func:`write`.

How the partnership is made
---------------------------
1. People: ten fictional organisations (:data:`ORGANISATIONS`), each with a leadership
   team of tops and working teams of middles and bottoms; professions and places follow
   the team; names are drawn from pools of first names and surnames of many origins.
2. A latent, undirected "working relationship" graph: a pair works together with a
   probability set by shared team, shared organisation, the two levels, shared place,
   primary care, and each person's activity; each middle is line-managed by one top of
   their organisation; boundary spanners work with many people in other organisations;
   within organisations, pairs with two or more colleagues in common are closed into
   triangles.
3. Survey answers: each respondent names some of the people they work with in each
   relation (advice, collaboration with a frequency, trust, concern), with chances set
   by the two levels: tops ask their middles for information, bottoms seldom name tops,
   concerns go upward.
4. Follow-up a year later: most working relationships persist, some end, new ones form at
   the rate that keeps the density steady; the leadership-programme cohort forms new
   relationships across organisations, above all with each other; a few people leave and
   a few join; each person's "would name" answers mostly persist.

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
    "GENERATOR_VERSION",
    "ORGANISATIONS",
    "Params",
    "SampleData",
    "generate",
    "main",
    "summarise",
    "write",
]

GENERATOR_VERSION = "1.0.0"
DEFAULT_SEED = 2026

#: (label, date, file) of the two survey waves.
WAVES = (
    ("baseline", "2025-11", "ties_baseline.csv"),
    ("follow-up", "2026-11", "ties_followup.csv"),
)
ROSTER_FILE = "roster.csv"
TRUTH_FILE = "ground_truth.json"
ROSTER_COLUMNS = (
    "id", "name", "email", "organisation", "sector", "profession", "level", "place", "cohort",
    "team", "waves",
)
TIE_COLUMNS = ("source", "target", "relation", "weight", "raw_value", "wave")
RELATIONS = ("advice", "collaboration", "trust", "concern")
#: Collaboration answers; the weight is the position (Never 0 ... Daily 5).
FREQUENCY = ("Never", "Yearly", "Quarterly", "Monthly", "Weekly", "Daily")
LEVELS = ("top", "middle", "bottom")
PLACES = ("North", "Central", "South")
COHORT_VALUE = "Leadership programme"
PRIMARY_CARE = "Primary care"

TOP, MIDDLE, BOTTOM = 0, 1, 2
CENTRAL = 1

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

ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "acute", "Northmoor Hospitals NHS Foundation Trust", "NHS trust",
        "northmoor-hospitals.nhs.example", "Central", 4, 12, 26, "Executive team",
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
        "ashbeck-mh.nhs.example", "Central", 2, 7, 13, "Executive team",
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
        "pcn_north", "North Northmoor Primary Care Network", PRIMARY_CARE,
        "northnorthmoor-pcn.nhs.example", "North", 2, 5, 9, "Clinical directors",
        (MEDICAL, MANAGEMENT),
        (
            Team("GP practices", "North", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("Clinical pharmacy", "North", {PHARMACY: 1.0}),
            Team("Care coordination and social prescribing", "North",
                 {COMMUNITY: 0.6, MANAGEMENT: 0.4}),
        ),
        spanner_team="Care coordination and social prescribing",
    ),
    Organisation(
        "pcn_riverside", "Riverside Primary Care Network", PRIMARY_CARE,
        "riverside-pcn.nhs.example", "South", 2, 5, 9, "Clinical directors",
        (MEDICAL, NURSING),
        (
            Team("GP practices Central", "Central", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("GP practices South", "South", {MEDICAL: 0.6, NURSING: 0.4}),
            Team("Care coordination and social prescribing", "South",
                 {COMMUNITY: 0.5, PHARMACY: 0.2, MANAGEMENT: 0.3}),
        ),
        spanner_team="Care coordination and social prescribing",
    ),
    Organisation(
        "adult_social_care", "Northmoor Council Adult Social Care", "Local authority",
        "northmoor.gov.example", "Central", 2, 7, 13, "Senior leadership team",
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
        "vcse", "Northmoor Together VCSE Alliance", "Voluntary and community",
        "northmoortogether.org.example", "Central", 1, 5, 12, "Senior leadership team",
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

    Level matrices are indexed [level of i][level of j] in the order top, middle, bottom.
    """

    response_rate: float = 0.8  # of the people present in each wave, exactly (rounded)
    #: Relative chance of answering: cohort and spanners, tops, and (at follow-up) people
    #: who answered at baseline, against everyone else's 1.
    response_weight_engaged: float = 1.5
    response_weight_top: float = 0.8
    response_weight_repeat: float = 4.0
    activity_sigma: float = 0.35  # log-normal spread of each person's activity
    # Working relationships (undirected), before activity and closure.
    p_same_team: float = 0.75
    #: Same organisation, other team: this over the square root of the organisation's size,
    #: so people in small organisations know a larger share of their colleagues.
    same_org_scale: float = 1.6
    p_cross_org: float = 0.0055
    p_line_manager: float = 0.6  # a middle and the top they report to (same organisation)
    level_same_org: tuple[tuple[float, ...], ...] = (
        (1.0, 0.25, 0.05), (0.25, 1.2, 0.8), (0.05, 0.8, 0.8))
    level_cross_org: tuple[tuple[float, ...], ...] = (
        (1.0, 0.5, 0.05), (0.5, 2.0, 0.8), (0.05, 0.8, 0.6))
    same_place_cross_org: float = 2.0
    primary_care_cross_org: float = 4.0
    p_spanner_cross_org: float = 0.12
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
    # Follow-up.
    p_keep_relationship: tuple[float, float, float] = (0.9, 0.78, 0.7)  # team, org, cross
    p_keep_answer: float = 0.9  # a latent "would name" answer carried over
    joiner_relationship_factor: float = 0.7
    p_cohort_pair_new: float = 0.18  # new relationship between cohort members, other orgs
    p_cohort_other_new: float = 0.01  # cohort member and someone else in another org
    p_cohort_name_each_other: float = 0.85  # advice and trust, cohort pairs without tops
    n_leavers: int = 3
    n_joiners: int = 3
    cohort_levels: tuple[int, int, int] = (3, 18, 4)  # tops, middles, bottoms


@dataclass
class SampleData:
    """What :func:`generate` returns: the tables as written, and the ground truth."""

    seed: int
    roster: pd.DataFrame
    ties: dict[str, pd.DataFrame]  # wave label -> tie table
    truth: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------


def _make_people(rng: np.random.Generator, params: Params) -> pd.DataFrame:
    """One row per person with org, team, level, profession, place and planted roles."""
    rows = []
    for org_index, org in enumerate(ORGANISATIONS):
        for k in range(org.tops):
            rows.append((org_index, TOP, org.leadership_team, org.top_professions[k], org.place))
        n_teams = len(org.teams)
        slots = [(MIDDLE, i % n_teams) for i in range(org.middles)]
        start = org.middles % n_teams  # bottoms continue the round so teams stay even
        slots += [(BOTTOM, (start + i) % n_teams) for i in range(org.bottoms)]
        for level, team_index in slots:
            team = org.teams[team_index]
            professions = list(team.professions)
            p = np.array(list(team.professions.values()))
            profession = professions[rng.choice(len(professions), p=p / p.sum())]
            place = team.place or PLACES[rng.choice(3, p=[0.35, 0.3, 0.35])]
            rows.append((org_index, level, team.name, profession, place))
    people = pd.DataFrame(rows, columns=["org", "level", "team", "profession", "place"])
    n = len(people)
    # Each middle reports to one of their organisation's tops, in turn.
    people["reports_to"] = -1
    for org_index in range(len(ORGANISATIONS)):
        in_org = people["org"] == org_index
        tops = people.index[in_org & (people["level"] == TOP)]
        middles = people.index[in_org & (people["level"] == MIDDLE)]
        people.loc[middles, "reports_to"] = [tops[k % len(tops)] for k in range(len(middles))]
    people["team_key"] = people["org"].astype(str) + ":" + people["team"]
    people["activity"] = rng.lognormal(-params.activity_sigma**2 / 2, params.activity_sigma, n)

    # Planted roles: spanners, then cohort, then leavers and joiners (all disjoint).
    role = np.array([""] * n, dtype=object)
    for org_index, org in enumerate(ORGANISATIONS):
        if org.spanner_team is None:
            continue
        in_team = (people["org"] == org_index) & (people["team"] == org.spanner_team)
        middles = people.index[in_team & (people["level"] == MIDDLE)]
        candidates = middles if len(middles) else people.index[in_team]
        role[rng.choice(candidates)] = "spanner"
    def free(level: int) -> pd.Index:
        return people.index[(role == "") & (people["level"] == level).to_numpy()]

    n_tops, n_middles, n_bottoms = params.cohort_levels
    tops = free(TOP)
    top_orgs = people.loc[tops, "org"].to_numpy()
    chosen_orgs = rng.choice(np.unique(top_orgs), n_tops, replace=False)
    for org_index in chosen_orgs:
        role[rng.choice(tops[top_orgs == org_index])] = "cohort"
    middles = free(MIDDLE)
    middle_orgs = people.loc[middles, "org"].to_numpy()
    for org_index in rng.choice(len(ORGANISATIONS), len(ORGANISATIONS) - 1, replace=False):
        role[rng.choice(middles[middle_orgs == org_index])] = "cohort"
    still_free = free(MIDDLE)
    role[rng.choice(still_free, n_middles - (len(ORGANISATIONS) - 1), replace=False)] = "cohort"
    role[rng.choice(free(BOTTOM), n_bottoms, replace=False)] = "cohort"
    movers = np.concatenate([free(MIDDLE), free(BOTTOM)])
    picked = rng.choice(movers, params.n_leavers + params.n_joiners, replace=False)
    role[picked[: params.n_leavers]] = "leaver"
    role[picked[params.n_leavers:]] = "joiner"
    people["role"] = role

    # Roster ids: joiners were added to the roster last, so they take the last ids.
    order = np.concatenate([rng.permutation(people.index[role != "joiner"]),
                            people.index[role == "joiner"]])
    ids = np.empty(n, dtype=object)
    ids[order] = [f"NM{k:04d}" for k in range(1, n + 1)]
    people["id"] = ids
    names = _draw_names(rng, n)
    people["name"] = names
    people["email"] = [
        _email(name, ORGANISATIONS[org].domain) for name, org in zip(names, people["org"], strict=True)
    ]
    return people


def _roster(people: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame({
        "id": people["id"],
        "name": people["name"],
        "email": people["email"],
        "organisation": [ORGANISATIONS[o].name for o in people["org"]],
        "sector": [ORGANISATIONS[o].sector for o in people["org"]],
        "profession": people["profession"],
        "level": [LEVELS[v] for v in people["level"]],
        "place": people["place"],
        "cohort": np.where(people["role"] == "cohort", COHORT_VALUE, ""),
        "team": people["team"],
        # In which waves the person belongs to the bounded network (blank: every wave).
        "waves": np.select([people["role"] == "leaver", people["role"] == "joiner"],
                           ["baseline", "follow-up"], ""),
    })
    return table.sort_values("id").reset_index(drop=True)[list(ROSTER_COLUMNS)]


# --------------------------------------------------------------------------------------
# Working relationships and answers
# --------------------------------------------------------------------------------------


def _symmetric_draw(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """An undirected 0/1 graph with P(i~j) = p[i, j] (upper triangle drawn, mirrored)."""
    upper = np.triu(rng.random(p.shape) < p, k=1)
    return upper | upper.T


def _pair_kinds(people: pd.DataFrame) -> dict[str, np.ndarray]:
    org = people["org"].to_numpy()
    team = pd.factorize(people["team_key"])[0]
    same_org = org[:, None] == org[None, :]
    same_team = team[:, None] == team[None, :]
    kind = np.where(same_team, 0, np.where(same_org, 1, 2))  # team, organisation, cross
    np.fill_diagonal(kind, -1)
    return {"kind": kind, "same_org": same_org}


def _relationship_probability(people: pd.DataFrame, params: Params) -> np.ndarray:
    """P(i and j work together), symmetric, zero diagonal."""
    level = people["level"].to_numpy()
    kind = _pair_kinds(people)["kind"]
    place = people["place"].to_numpy()
    primary = np.array([ORGANISATIONS[o].sector == PRIMARY_CARE for o in people["org"]])
    spanner = (people["role"] == "spanner").to_numpy()
    size = np.array([ORGANISATIONS[o].size for o in people["org"]])
    within = np.array(params.level_same_org)[level[:, None], level[None, :]]
    within = within * (params.same_org_scale / np.sqrt(size))[:, None]
    across = np.array(params.level_cross_org)[level[:, None], level[None, :]]
    across = (
        params.p_cross_org * across
        * np.where(place[:, None] == place[None, :], params.same_place_cross_org, 1.0)
        * np.where(primary[:, None] | primary[None, :], params.primary_care_cross_org, 1.0)
    )
    p = np.select(
        [kind == 0, kind == 1, kind == 2],
        [np.full(kind.shape, params.p_same_team), within, across],
        0.0,
    )
    reports_to = people["reports_to"].to_numpy()
    line = np.zeros(kind.shape, dtype=bool)
    middles = np.flatnonzero(reports_to >= 0)
    line[middles, reports_to[middles]] = True
    p = np.where(line | line.T, params.p_line_manager, p)
    activity = people["activity"].to_numpy()
    p = p * activity[:, None] * activity[None, :]
    reach = params.p_spanner_cross_org * np.array(params.spanner_reach_by_level)[level]
    spanning = np.maximum(np.where(spanner[:, None], reach[None, :], 0.0),
                          np.where(spanner[None, :], reach[:, None], 0.0))
    p = np.where(kind == 2, np.maximum(p, spanning), p)
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


def _draw_answers(rng: np.random.Generator, people: pd.DataFrame, params: Params) -> _Answers:
    level = people["level"].to_numpy()
    kinds = _pair_kinds(people)
    kind = kinds["kind"]
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
    """Follow-up answers: each latent answer kept with chance ``keep``, else fresh."""
    def mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.where(rng.random(a.shape) < keep, a, b)

    return _Answers(
        advice=mix(old.advice, fresh.advice),
        collaboration=mix(old.collaboration, fresh.collaboration),
        frequency=mix(old.frequency, fresh.frequency),
        trust=mix(old.trust, fresh.trust),
        concern=mix(old.concern, fresh.concern),
    )


def _never_answers(
    rng: np.random.Generator, works: np.ndarray, same_org: np.ndarray, respondents: np.ndarray,
    present: np.ndarray, params: Params,
) -> np.ndarray:
    """Explicit "Never": a respondent rates one or two same-org colleagues they don't work with."""
    never = np.zeros(works.shape, dtype=bool)
    for i in np.flatnonzero(respondents):
        if rng.random() >= params.p_never_answer:
            continue
        options = np.flatnonzero(same_org[i] & ~works[i] & present)
        options = options[options != i]
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
    people: pd.DataFrame, wave: str, works: np.ndarray, answers: _Answers,
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
    ids = people["id"].to_numpy()
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


def generate(seed: int = DEFAULT_SEED, params: Params | None = None) -> SampleData:
    """Generate the roster, both waves of ties and the ground truth, writing nothing.

    Parameters
    ----------
    seed
        Seed for ``numpy.random.default_rng``; the same seed gives identical tables.
    params
        Planted probabilities; the defaults make the bundled sample.

    Returns
    -------
    SampleData
        ``roster`` (canonical roster columns plus ``team``), ``ties`` keyed by wave label
        (``baseline``, ``follow-up``), and ``truth`` (the ground-truth dict).
    """
    params = params or Params()
    rng = np.random.default_rng(seed)
    people = _make_people(rng, params)
    n = len(people)
    kinds = _pair_kinds(people)
    same_org, kind = kinds["same_org"], kinds["kind"]
    role = people["role"].to_numpy()
    cohort, spanner = role == "cohort", role == "spanner"
    tops = (people["level"] == TOP).to_numpy()
    joiner, leaver = role == "joiner", role == "leaver"
    present = {"baseline": ~joiner, "follow-up": ~leaver}

    # Baseline working relationships; joiners are not there yet.
    p = _relationship_probability(people, params)
    works1 = _close_triangles(rng, _symmetric_draw(rng, p), same_org, params.p_close_triangle_same_org)
    works1 &= present["baseline"][:, None] & present["baseline"][None, :]

    # Follow-up: relationships persist by kind, new ones replace the expected losses.
    keep = np.array(params.p_keep_relationship)[np.clip(kind, 0, 2)]
    kept = works1 & _symmetric_draw(rng, np.where(works1, keep, 0.0))
    expected_lost = np.triu(np.where(works1, 1 - keep, 0.0), 1).sum()
    open_p = np.triu(np.where(works1, 0.0, p), 1).sum()
    works2 = kept | _symmetric_draw(rng, np.where(works1, 0.0, p * expected_lost / open_p))
    newcomer = joiner[:, None] | joiner[None, :]
    works2 |= _symmetric_draw(rng, np.where(newcomer, p * params.joiner_relationship_factor, 0.0))
    cohort_pair = cohort[:, None] & cohort[None, :] & (kind == 2)
    cohort_other = (cohort[:, None] ^ cohort[None, :]) & (kind == 2)
    works2 |= _symmetric_draw(rng, np.select(
        [cohort_pair, cohort_other], [params.p_cohort_pair_new, params.p_cohort_other_new], 0.0))
    works2 &= present["follow-up"][:, None] & present["follow-up"][None, :]

    # Answers: latent "would name" per ordered pair, mostly carried over to follow-up.
    answers1 = _draw_answers(rng, people, params)
    answers2 = _carry_over(rng, answers1, _draw_answers(rng, people, params), params.p_keep_answer)
    met = cohort_pair & (rng.random((n, n)) < params.p_cohort_name_each_other)
    met &= ~tops[:, None] & ~tops[None, :]
    answers2.advice |= met
    answers2.trust |= met

    # Who answered: ~80% of those present, favouring the engaged and last time's respondents.
    engaged = (np.where(cohort | spanner, params.response_weight_engaged, 1.0)
               * np.where(tops, params.response_weight_top, 1.0))
    resp1 = _choose_respondents(rng, present["baseline"], engaged, params.response_rate)
    resp2 = _choose_respondents(
        rng, present["follow-up"], engaged * np.where(resp1, params.response_weight_repeat, 1.0),
        params.response_rate,
    )
    ordinary_bottoms = (people["level"] == BOTTOM).to_numpy() & (role == "")
    silent = {}
    for wave, resp in (("baseline", resp1), ("follow-up", resp2)):
        mask = np.zeros(n, dtype=bool)
        mask[rng.choice(np.flatnonzero(resp & ordinary_bottoms), params.named_nobody_per_wave,
                        replace=False)] = True
        silent[wave] = mask
    never1 = _never_answers(rng, works1, same_org, resp1, present["baseline"], params)
    never2 = _never_answers(rng, works2, same_org, resp2, present["follow-up"], params)

    ties = {
        "baseline": _tie_table(people, "baseline", works1, answers1, resp1, never1, silent["baseline"]),
        "follow-up": _tie_table(people, "follow-up", works2, answers2, resp2, never2, silent["follow-up"]),
    }
    roster = _roster(people)
    ids = people["id"].to_numpy()
    planted = {
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "waves": [{"label": label, "date": date, "file": file} for label, date, file in WAVES],
        "boundary_spanners": sorted(ids[spanner]),
        "cohort": sorted(ids[cohort]),
        "leavers": sorted(ids[leaver]),
        "joiners": sorted(ids[joiner]),
        "respondents": {"baseline": sorted(ids[resp1]), "follow-up": sorted(ids[resp2])},
        "planted_named_nobody": {w: sorted(ids[m]) for w, m in silent.items()},
        "parameters": asdict(params),
        "organisations": [
            {"name": o.name, "sector": o.sector, "email_domain": o.domain, "size": o.size,
             "tops": o.tops, "middles": o.middles, "bottoms": o.bottoms}
            for o in ORGANISATIONS
        ],
    }
    truth = {**planted, "summary": summarise(roster, ties, planted)}
    return SampleData(seed=seed, roster=roster, ties=ties, truth=truth)


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


def _wave_summary(
    roster: pd.DataFrame, ties: pd.DataFrame, present: pd.Series, respondents: set[str],
    spanners: set[str],
) -> dict:
    people = roster[present.to_numpy()].set_index("id")
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


def _change_summary(
    roster: pd.DataFrame, ties: dict[str, pd.DataFrame], truth: dict
) -> dict:
    """Advice change between the waves: Jaccard, and new cross-org contacts by cohort."""
    gone = set(truth["leavers"]) | set(truth["joiners"])
    both_present = roster[~roster["id"].isin(list(gone))].set_index("id")
    answered = set(truth["respondents"]["baseline"]) & set(truth["respondents"]["follow-up"])
    index = both_present.index
    org = both_present["organisation"].to_numpy()
    cross_pair = org[:, None] != org[None, :]
    a1 = _adjacency(ties["baseline"], "advice", index)
    a2 = _adjacency(ties["follow-up"], "advice", index)
    both = index.isin(list(answered))
    inner = both[:, None] & both[None, :]
    stable, lost, new = (a1 & a2 & inner).sum(), (a1 & ~a2 & inner).sum(), (~a1 & a2 & inner).sum()
    c1, c2 = (a1 | a1.T) & cross_pair, (a2 | a2.T) & cross_pair
    gained = (c2 & ~c1).sum(axis=1)
    cohort = (both_present["cohort"] == COHORT_VALUE).to_numpy()

    def compare(population: np.ndarray) -> dict:
        mine, theirs = gained[population & cohort].mean(), gained[population & ~cohort].mean()
        return {"people": int(population.sum()), "cohort": int((population & cohort).sum()),
                "cohort_mean": _round(mine), "others_mean": _round(theirs),
                "ratio": _round(mine / theirs)}

    return {
        "people_in_both_waves": int(len(index)),
        "respondents_in_both_waves": int(both.sum()),
        "advice_stable": int(stable), "advice_lost": int(lost), "advice_new": int(new),
        "advice_jaccard_respondents_in_both_waves": _round(stable / (stable + lost + new)),
        "new_cross_org_contacts": {
            "present_in_both_waves": compare(np.ones(len(index), dtype=bool)),
            "responded_in_both_waves": compare(both),
        },
    }


#: How every summary figure is computed, written into the ground truth beside them.
CONVENTIONS = {
    "population": "each wave's figures cover the people present in that wave: the roster "
                  "minus the joiners at baseline and minus the leavers at follow-up",
    "ties": "advice ties with weight > 0, directed: source names target",
    "mean_out_degree_of_respondents": "ties with weight > 0 over respondents",
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
    "advice_jaccard": "stable / (stable + lost + new) over ordered pairs among the people "
                      "who answered both waves",
    "new_cross_org_contacts": "per person present in both waves, cross-organisation advice "
                              "contacts (either direction, with people present in both "
                              "waves) at follow-up but not at baseline; mean for the cohort "
                              "and for everyone else",
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
        The planted facts: ``boundary_spanners``, ``leavers``, ``joiners``, ``respondents``.

    Returns
    -------
    dict
        Per wave: people present (the roster minus joiners at baseline, minus leavers at
        follow-up), respondents and response rate, per relation tie counts (weight > 0),
        "Never" answers and mean out-degree of respondents, and advice figures (see
        sample_data/README.md for every definition); plus the change between waves.
    """
    spanners = set(truth["boundary_spanners"])
    waves = {}
    for label, _date, _file in WAVES:
        absent = set(truth["joiners"] if label == "baseline" else truth["leavers"])
        present = ~roster["id"].isin(list(absent))
        waves[label] = _wave_summary(
            roster, ties[label], present, set(truth["respondents"][label]), spanners
        )
    return {"conventions": CONVENTIONS, "waves": waves,
            "change": _change_summary(roster, ties, truth)}


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def write(sample: SampleData, out_dir: str | Path) -> list[Path]:
    """Write the four files of ``sample`` into ``out_dir``; return their paths.

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
    paths.append(out / TRUTH_FILE)
    text = json.dumps(sample.truth, indent=2, sort_keys=True, ensure_ascii=False)
    paths[-1].write_text(text + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_data/generate.py [--seed N] [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2026)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder to write to (default: this script's folder)")
    args = parser.parse_args(argv)
    for path in write(generate(args.seed), args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
