"""Labels and person-level tables: what a person is called in an output, and which
of their attributes may travel with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from onatool import schema
from onatool.errors import SuppressedError
from onatool.share.disclosure import Disclosure
from onatool.share.suppress import merge_small_groups

__all__ = ["person_labels", "safe_attributes", "workshop_labels"]

# Labels and person tables --------------------------------------------------------------


def person_labels(
    people: pd.DataFrame,
    disclosure: Disclosure,
    identities: pd.DataFrame | None = None,
) -> pd.Series:
    """What each person is called in a person-level output.

    Parameters
    ----------
    people
        Indexed by ``person_id``, with a ``label`` column (``P001 …``) when the
        network came from a roster.
    disclosure
        Names are used only when it has them revealed.
    identities
        The roster's identity table (``name`` column), needed to reveal names.

    Returns
    -------
    pandas.Series
        Names when revealed (the label where a name is blank), else the label, else
        the ``person_id`` (already a pseudonym).

    Raises
    ------
    SuppressedError
        Names revealed but no identity table given.
    """
    if schema.LABEL in people.columns:
        labels = people[schema.LABEL].astype(object).where(people[schema.LABEL].notna(), None)
        labels = labels.fillna(pd.Series(people.index, index=people.index))
    else:
        labels = pd.Series(people.index, index=people.index, dtype=object)
    if not disclosure.names_revealed:
        return labels.astype(str)
    if identities is None or schema.NAME not in identities.columns:
        raise SuppressedError("names were revealed but no identity table (names) was given")
    names = identities[schema.NAME].reindex(people.index).astype(object)
    names = names.where(names.notna() & (names.astype(str).str.strip() != ""), labels)
    return names.astype(str)


def safe_attributes(
    people: pd.DataFrame, disclosure: Disclosure, attributes: Iterable[str] | None = None
) -> pd.DataFrame:
    """The people table with small groups of each attribute merged into "Other".

    A pseudonymised table still singles someone out when they are the only person of
    their organisation or level, so person-level exports merge small groups of every
    text attribute (unless names are revealed, or suppression is off).

    Parameters
    ----------
    people
        Indexed by ``person_id``.
    disclosure
        Supplies the threshold.
    attributes
        The columns to protect (default: every text column except ``label``).

    Returns
    -------
    pandas.DataFrame
        A copy; numeric and boolean columns untouched.
    """
    out = people.copy()
    if disclosure.names_revealed or not disclosure.suppresses:
        return out
    if attributes is None:
        attributes = [
            c for c in out.columns
            if c not in (schema.LABEL, schema.RESPONDED)
            and not pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
        ]
    for column in attributes:
        if column in out.columns:
            out[column] = merge_small_groups(out[column], disclosure)
    return out


def workshop_labels(
    people: pd.DataFrame,
    disclosure: Disclosure | int = 5,
    *,
    attributes: Sequence[str] = (schema.ORGANISATION, schema.LEVEL),
) -> pd.Series:
    """Group-level text for each person, for workshop ("mirror") tooltips.

    Parameters
    ----------
    people
        Indexed by ``person_id``.
    disclosure
        Supplies the threshold (or give ``k``).
    attributes
        The attributes shown, in order; those missing from ``people`` are skipped.

    Returns
    -------
    pandas.Series
        For example ``"Northmoor Acute Hospitals · middle"``, with every combination
        of the attributes held by at least ``k`` people (values shown as "Other", or an
        attribute left out, where needed). Never a label or a name.

    Examples
    --------
    >>> p = pd.DataFrame({"organisation": ["Acute"] * 5 + ["Hospice"] * 2 + ["PCN"] * 3,
    ...                   "level": ["top"] * 10})
    >>> workshop_labels(p, 5).tolist()[4:6]
    ['Acute · top', 'Other · top']
    """
    from onatool.share.gate import release

    disclosure = disclosure if isinstance(disclosure, Disclosure) else Disclosure(k=disclosure)
    present = [a for a in attributes if a in people.columns]
    # The tooltip carries the attributes together: the person-level gate checks them together.
    safe = release("people", people[present], disclosure.hiding_names(), attributes=present)
    parts = [safe[a].astype(object).fillna("not recorded").astype(str) for a in present if a in safe.columns]
    if not parts:
        return pd.Series("", index=people.index, dtype=object)
    text = parts[0]
    for part in parts[1:]:
        text = text + " · " + part
    return text
