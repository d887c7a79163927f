"""The bundled sample ICS place (synthetic), ready to import.

The files live in the repository's ``sample_data/`` folder, written by the seeded
generator beside them; see ``sample_data/README.md``.

People change organisation or level between waves. The roster holds one row per person
with their values as at their last wave; for the few who changed, ``changed_in`` names
the wave from which those values apply and ``earlier_organisation``, ``earlier_sector``,
``earlier_level`` and ``earlier_team`` hold the values before it. Each wave is read
against the roster as at that wave (:func:`roster_for_wave`), so each wave's network
carries its own attributes, as a project does when a wave is read with an updated roster.
"""

from __future__ import annotations

import os
from pathlib import Path

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io import ImportResult, Roster, read_roster, read_ties
from onatool.io.roster import roster_for_wave as io_roster_for_wave
from onatool.pseudonyms import pseudonym

__all__ = [
    "SAMPLE_COHORTS",
    "SAMPLE_PLACES",
    "SAMPLE_PROJECT",
    "SAMPLE_PROJECT_2",
    "SAMPLE_WAVES",
    "describe_sample",
    "ensure_sample_project",
    "load_sample",
    "roster_for_wave",
    "sample_dir",
]

#: Wave label -> ties file, in time order.
SAMPLE_WAVES = {"baseline": "ties_baseline.csv", "interim": "ties_interim.csv", "final": "ties_final.csv"}
#: The two leadership-programme cohorts (roster ``cohort``): cohort 1's programme ran
#: between baseline and interim, cohort 2's between interim and final.
SAMPLE_COHORTS = ("Leadership programme 1", "Leadership programme 2")
#: The sample's own fixed key, so its pseudonyms are the same on every machine.
SAMPLE_KEY = bytes.fromhex("5a" * 32)


def sample_dir() -> Path:
    """The folder holding the sample files (``$ONATOOL_SAMPLE_DIR`` overrides)."""
    here = Path(os.environ.get("ONATOOL_SAMPLE_DIR", Path(__file__).resolve().parents[1] / "sample_data"))
    if not (here / "roster.csv").exists():
        raise InputFormatError(
            f"the sample partnership is not at {here}",
            expected="a checkout of onatool with its sample_data/ folder (or ONATOOL_SAMPLE_DIR set)",
        )
    return here


def roster_for_wave(roster: Roster, wave: str, waves: tuple[str, ...] = tuple(SAMPLE_WAVES)) -> Roster:
    """The roster as at ``wave``: earlier values for people who changed in a later wave.

    The rule lives in :func:`onatool.io.roster.roster_for_wave` (every import applies
    it); here the sample's waves give the order.

    Raises
    ------
    InputFormatError
        ``wave`` or a ``changed_in`` value is not one of ``waves``.
    """
    if wave not in waves:
        raise InputFormatError(f"wave {wave!r} is not in the sample", expected=f"one of {', '.join(waves)}")
    return io_roster_for_wave(roster, wave, waves)


def load_sample(key: bytes = SAMPLE_KEY, place: str = "") -> list[ImportResult]:
    """Import the three waves of a sample place, in time order.

    Each wave is read against the roster as at that wave (:func:`roster_for_wave`).

    Parameters
    ----------
    key
        Pseudonym key; the default is the sample's fixed key.
    place
        The place's folder under ``sample_data/``: "" for Northmoor, ``"fellside"`` for
        the second, smaller place (see :data:`SAMPLE_PLACES`).
    """
    folder = sample_dir() / place
    roster = read_roster(folder / "roster.csv", key=key)
    return [read_ties(folder / file, roster_for_wave(roster, wave), wave=wave)
            for wave, file in SAMPLE_WAVES.items()]


def sample_person_id(roster_id: str, key: bytes = SAMPLE_KEY) -> str:
    """The ``person_id`` a sample roster id gets under ``key`` (for tests and docs)."""
    return pseudonym(key, roster_id)


SAMPLE_PROJECT = "Northmoor place partnership (sample)"
#: The sample's second, smaller place, named so that it sorts after the first.
SAMPLE_PROJECT_2 = "Second place: Fellside (sample)"
#: Sample project -> its folder under ``sample_data/`` and its description.
SAMPLE_PLACES = {
    SAMPLE_PROJECT: ("", "A synthetic ICS place partnership surveyed three times a year apart, with turnover, "
                         "uneven response and two leadership-programme cohorts (bundled sample)."),
    SAMPLE_PROJECT_2: ("fellside", "A smaller, rural place of the same ICS (118 people, 8 organisations) that "
                                   "starts less siloed, surveyed at the same three waves (bundled sample)."),
}


def ensure_sample_project(workspace) -> str | None:
    """On first start (a workspace with no project), create the sample's two places.

    Each place's three waves are imported with the workspace's own key for its project,
    the roster as at the last wave is saved, the waves (each with its own people's
    attributes) with their import reports, and a layout fixed over all waves, so maps of
    the waves hold still; its forum membership and (Northmoor) its PARTNER trust and value
    ratings are kept. Safe when two sessions race to create them. A user who deletes
    the samples while keeping projects of their own does not get them back.

    Returns
    -------
    str or None
        The first sample project's name if the samples were created (or were being
        created), else None.
    """
    from onatool.errors import OnaError
    from onatool.io.membership import MEMBERSHIP_SETTING, read_membership
    from onatool.io.ratings import RATINGS_SETTING, read_ratings
    from onatool.viz.layout import compute_layout

    if workspace.projects():
        return None
    for project, (folder, description) in SAMPLE_PLACES.items():
        try:
            workspace.create_project(project, description=description)
        except OnaError:  # another session created it first
            return SAMPLE_PROJECT
        try:
            results = load_sample(workspace.project_key(project), folder)
            roster = results[-1].roster
            workspace.save_roster(project, roster.people, roster.identities)
            for result in results:
                workspace.save_wave(project, result.network, report=result.report.to_dict())
            workspace.save_layout(project, compute_layout([r.network for r in results], seed=0))
            forums = read_membership(sample_dir() / folder / "forums.csv", roster)
            workspace.set_setting(project, MEMBERSHIP_SETTING, forums.as_setting())
            ratings = sample_dir() / folder / "partner_ratings.csv"
            if ratings.exists():  # PARTNER trust and value (Northmoor's): the report's partner section
                workspace.set_setting(project, RATINGS_SETTING, read_ratings(ratings, roster).as_setting())
        except BaseException:
            workspace.delete_project(project)
            raise
    return SAMPLE_PROJECT


def _pct(x: float) -> str:
    return f"{x:.0%}"


def describe_sample(networks: list) -> list[str]:
    """What the sample shows, in an evaluator's words, computed from its three waves.

    Parameters
    ----------
    networks
        The sample's waves in time order (``[r.network for r in load_sample()]``).

    Returns
    -------
    list of str
        Paragraphs on who answered, who came and went, and the two programme cohorts:
        how they were chosen, where new ties appeared, and what was left a wave after
        cohort 1's programme ended. Associations, not causes.
    """
    import numpy as np

    from onatool.compare import compare_waves
    from onatool.io.assemble import response_summary

    labels = [net.wave for net in networks]
    summaries = [response_summary(net) for net in networks]
    rates = ", ".join(f"{_pct(s['response_rate'])} at {w}" for s, w in zip(summaries, labels, strict=True))

    def rate(summary: dict, attribute: str, group: str) -> float:
        return next(r["response_rate"] for r in summary["by_group"][attribute] if r["group"] == group)

    tops = ", ".join(_pct(rate(s, schema.LEVEL, "top")) for s in summaries)
    others = ", ".join(f"{_pct(min(rate(s, schema.LEVEL, 'middle'), rate(s, schema.LEVEL, 'bottom')))}"
                       for s in summaries)
    by_org = [{r["group"]: r["response_rate"] for r in s["by_group"][schema.ORGANISATION]} for s in summaries]
    fell = sorted(org for org in by_org[0] if by_org[0][org] - by_org[1].get(org, np.nan) >= 0.3)
    text = (f"Who answered: {rates}. Tops answered least in every wave ({tops}, against at least {others} "
            f"for middles and bottoms), so the ties tops would report are the least complete.")
    if fell:
        text += (f" Response fell by 30 points or more at {labels[1]} in "
                 + " and ".join(f"{org} ({_pct(by_org[0][org])} to {_pct(by_org[1][org])})" for org in fell)
                 + f": their ties at {labels[1]} are mostly as others reported them.")
    paragraphs = [text]

    pairs = [compare_waves([a.layer("advice"), b.layer("advice")], permutations=0)
             for a, b in zip(networks, networks[1:], strict=False)]
    moves = []
    for a, b, comparison in zip(networks, networks[1:], pairs, strict=False):
        both = a.people.index.intersection(b.people.index)
        changed = (a.people.loc[both, schema.ORGANISATION] != b.people.loc[both, schema.ORGANISATION]) | (
            a.people.loc[both, schema.LEVEL] != b.people.loc[both, schema.LEVEL])
        moves.append(f"{len(comparison.leavers)} left, {len(comparison.joiners)} joined and "
                     f"{int(changed.sum())} changed organisation or level between {a.wave} and {b.wave}")
    paragraphs.append(
        "Who came and went: " + "; ".join(moves) + f" (of about {networks[0].n_people}). Change figures "
        "compare only the people who answered both waves; joiners and leavers are counted apart, "
        "not as new or lost ties."
    )

    for k, cohort in enumerate(SAMPLE_COHORTS[: len(pairs)]):
        before, comparison = networks[k], pairs[k]
        people = before.people
        member = people[schema.COHORT].astype(object).eq(cohort).to_numpy()
        in_degree = before.layer("advice").ties.groupby(schema.TARGET).size().reindex(people.index, fill_value=0)
        senior = people[schema.LEVEL].isin(["top", "middle"]).to_numpy()
        ties = comparison.ties
        members = set(people.index[member])
        ends = ties[schema.SOURCE].isin(members).astype(int) + ties[schema.TARGET].isin(members)
        # Open pairs: ordered pairs of people compared, in different organisations at the
        # later wave, without a tie at the earlier one.
        compared = comparison.people.index[comparison.people["compared"].astype(bool)]
        org = networks[k + 1].people.loc[compared, schema.ORGANISATION].to_numpy(dtype=object)
        inside = compared.isin(list(members))
        had = np.zeros((len(compared), len(compared)), dtype=bool)
        earlier = ties[ties["status"] != "new"]
        had[compared.get_indexer(earlier[schema.SOURCE]), compared.get_indexer(earlier[schema.TARGET])] = True
        open_mask = (org[:, None] != org[None, :]) & ~had
        count = inside[:, None].astype(int) + inside[None, :]
        open_pairs = {e: int((open_mask & (count == e)).sum()) for e in (2, 1, 0)}
        new_cross = (ties["status"] == "new") & ties["crosses_organisation"].fillna(False).astype(bool)
        new = {e: int((new_cross & (ends == e)).sum()) for e in (2, 1, 0)}
        per_100 = {e: 100 * new[e] / open_pairs[e] if open_pairs[e] else float("nan") for e in new}
        text = (
            f"{cohort} ({int(member.sum())} people, nominated at {before.wave}, programme before "
            f"{networks[k + 1].wave}): at {before.wave}, before the programme, they were already named for advice more often than "
            f"others ({in_degree[member].mean():.1f} against {in_degree[~member].mean():.1f} people "
            f"on average) and more senior ({_pct(senior[member].mean())} tops or middles against "
            f"{_pct(senior[~member].mean())}). Between {before.wave} and {networks[k + 1].wave}, new "
            f"advice ties across organisations were reported for {per_100[2]:.1f} in 100 pairs of "
            f"participants, {per_100[1]:.1f} in 100 pairs of a participant and a non-participant, "
            f"and {per_100[0]:.1f} in 100 pairs of non-participants."
        )
        if k + 2 < len(networks):
            later = pairs[k + 1]
            stable = later.ties[later.ties["status"] == "stable"]
            still = set(zip(stable[schema.SOURCE], stable[schema.TARGET], strict=True))
            seen = set(later.people.index[later.people["compared"].astype(bool)])  # answered both
            kept = {}
            for e in (2, 0):
                rows = ties[new_cross & (ends == e)]
                pairs_seen = [p for p in zip(rows[schema.SOURCE], rows[schema.TARGET], strict=True)
                              if p[0] in seen and p[1] in seen]
                kept[e] = sum(p in still for p in pairs_seen) / len(pairs_seen) if pairs_seen else float("nan")
            text += (f" A wave after the programme ended, {_pct(kept[2])} of the new ties between participants "
                     f"were still reported, against {_pct(kept[0])} of other new ties.")
        paragraphs.append(text)
    paragraphs.append(
        "Read together, as an evaluator would: the participants were chosen from people who were "
        "already more connected and more senior, so part of any difference is selection; new ties "
        "across organisations appeared mostly between participants, with some spillover to "
        "non-participants; and fewer of the participants' new ties were still reported a wave after "
        "the programme ended. A comparison of participants with everyone else mixes who was chosen "
        "with what followed; these figures describe association, not cause."
    )
    return paragraphs
