"""Trust and value between partner organisations, as the PARTNER tool scores them (Varda et al. 2008).

Each respondent rates each partner organisation they work with on six questions, each on a
scale of 1 ("not at all") to 4 ("a great deal"):

- **value**, three dimensions: power and influence, level of involvement, resources
  contributed;
- **trust**, three dimensions: reliability, support of the shared mission, openness to
  discussion.

A respondent's value (trust) score for an organisation is the mean of the value (trust)
dimensions they answered. Scores for a pair of organisations (the raters' organisation ->
the organisation rated) are the mean over the raters from the first organisation; an
organisation's scores are the mean over every rater from *another* organisation, so no one
rates their own. Each score carries its response base: the raters behind it.

Every function takes a *ratings* frame with one row per answer: ``person_id`` (the rater),
``rated`` (the organisation rated), ``dimension`` (one of :data:`DIMENSIONS`) and ``score``
(1-4; blank answers are left out), and is pure.
"""

from __future__ import annotations

import pandas as pd

from onatool import schema

__all__ = ["DIMENSIONS", "SCALE", "TRUST", "VALUE", "organisation_scores", "pair_scores", "partner_scores",
           "rater_scores"]

VALUE = schema.PARTNER_VALUE
TRUST = schema.PARTNER_TRUST
DIMENSIONS = (*VALUE, *TRUST)
#: The PARTNER answer scale.
SCALE = schema.PARTNER_SCALE


def rater_scores(ratings: pd.DataFrame) -> pd.DataFrame:
    """Each rater's value and trust score for each organisation they rated.

    Returns
    -------
    DataFrame
        One row per (``person_id``, ``rated``): ``value`` and ``trust`` (means of the
        dimensions answered; missing when none of a kind was answered) and the six
        dimensions themselves.

    Raises
    ------
    ValueError
        A dimension not in :data:`DIMENSIONS`, or a score outside 1-4.
    """
    frame = ratings.dropna(subset=["score"])
    unknown = sorted(set(frame["dimension"]) - set(DIMENSIONS))
    if unknown:
        raise ValueError(f"unknown PARTNER dimension(s) {unknown}; expected one of {', '.join(DIMENSIONS)}")
    scores = pd.to_numeric(frame["score"])
    if not scores.between(1, 4).all():
        raise ValueError("PARTNER scores run from 1 (not at all) to 4 (a great deal)")
    wide = frame.assign(score=scores).pivot_table(index=["person_id", "rated"], columns="dimension",
                                                  values="score", aggfunc="mean")
    wide = wide.reindex(columns=list(DIMENSIONS))
    wide.insert(0, "trust", wide[list(TRUST)].mean(axis=1))
    wide.insert(0, "value", wide[list(VALUE)].mean(axis=1))
    wide.columns.name = None
    return wide.reset_index()


def pair_scores(ratings: pd.DataFrame, organisation: pd.Series) -> pd.DataFrame:
    """Value and trust per pair of organisations: the raters' organisation -> the organisation rated.

    Parameters
    ----------
    ratings
        One row per answer (see the module's notes).
    organisation
        Each rater's organisation, indexed by ``person_id``.

    Returns
    -------
    DataFrame
        Indexed by (``rater_organisation``, ``rated``): ``value``, ``trust`` (means over
        raters) and ``raters`` (the response base). Raters whose organisation is unknown
        are left out.
    """
    per_rater = rater_scores(ratings)
    per_rater["rater_organisation"] = organisation.reindex(per_rater["person_id"]).to_numpy()
    per_rater = per_rater.dropna(subset=["rater_organisation"])
    grouped = per_rater.groupby(["rater_organisation", "rated"])
    table = grouped[["value", "trust"]].mean()
    table["raters"] = grouped["person_id"].nunique()
    return table


def organisation_scores(ratings: pd.DataFrame, organisation: pd.Series) -> pd.DataFrame:
    """Value and trust each organisation is given by the other organisations' raters.

    Returns
    -------
    DataFrame
        Indexed by ``rated``: ``value``, ``trust`` (means over raters from other
        organisations), ``raters`` and ``organisations`` (how many organisations they
        come from).
    """
    per_rater = rater_scores(ratings)
    per_rater["rater_organisation"] = organisation.reindex(per_rater["person_id"]).to_numpy()
    others = per_rater[per_rater["rater_organisation"].notna()
                       & (per_rater["rater_organisation"] != per_rater["rated"])]
    grouped = others.groupby("rated")
    table = grouped[["value", "trust"]].mean()
    table["raters"] = grouped["person_id"].nunique()
    table["organisations"] = grouped["rater_organisation"].nunique()
    return table


def partner_scores(ratings: pd.DataFrame, people: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair and organisation scores, each rater placed in their organisation on the roster.

    What ``onatool partners``, the report and the app all show (one rule, one home).

    Parameters
    ----------
    ratings
        One row per answer (see the module's notes).
    people
        The roster's people, indexed by ``person_id``, with an ``organisation`` column
        (blank: not known, and the rater is left out of the pair scores).

    Returns
    -------
    tuple of DataFrame
        :func:`pair_scores` and :func:`organisation_scores`, before the gate.

    Raises
    ------
    InputFormatError
        The roster has no organisation column.
    """
    from onatool.errors import InputFormatError

    if schema.ORGANISATION not in people.columns:
        raise InputFormatError("the roster has no organisation column", expected="each respondent's organisation")
    organisation = people[schema.ORGANISATION].replace("", None)
    return pair_scores(ratings, organisation), organisation_scores(ratings, organisation)
