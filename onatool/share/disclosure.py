"""The disclosure policy: what an output may show (names or not, the threshold and preset).

Every output path (report, exports, maps, pages, the CLI) takes a :class:`Disclosure`.
Names are revealed only through :meth:`Disclosure.reveal_names`, which writes to the
audit log. The default hides names and suppresses groups under 5.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from onatool.errors import InputFormatError, SuppressedError

__all__ = ["POLICY_SETTING", "AuditLog", "Disclosure", "NHS_THRESHOLD", "OTHER", "PRESETS", "SUPPRESSED", "Policy"]

# Disclosure policy ------------------------------------------------------------------

#: The presets: ``"k"`` hides groups under ``k``; ``"nhs"`` shows 1–7 as ``*`` and
#: rounds other counts to the nearest 5.
PRESETS = ("k", "nhs")
#: Under the NHS preset, counts below this are shown as ``*``.
NHS_THRESHOLD = 8
#: What a suppressed cell shows.
SUPPRESSED = "*"
#: The group that small groups merge into.
OTHER = "Other"

#: ``audit(project, user, action, detail)``, as the workspace store's ``audit``.
AuditLog = Callable[[str, str, str, str], object]


@dataclass(frozen=True)
class Disclosure:
    """What an output may show: names or not, and how small groups are protected.

    Every output path (the report, each export, maps) takes one. The default hides
    names and hides groups of fewer than 5 people.

    Parameters
    ----------
    names_revealed
        Whether person-level outputs may carry names. Only
        :meth:`reveal_names` sets it, so that revealing is always audited.
    k
        Groups of fewer than ``k`` people are suppressed (``k=1`` suppresses nothing).
    preset
        ``"k"`` (groups under ``k`` hidden, with secondary suppression), or ``"nhs"``
        (counts 1–7 shown as ``*``, every other count rounded to the nearest 5; groups
        under ``max(k, 8)`` hidden).
    revealed_by
        Who revealed names (set by :meth:`reveal_names`).

    Raises
    ------
    InputFormatError
        ``k`` is not a whole number of at least 1, or ``preset`` is unknown.
    SuppressedError
        ``names_revealed`` set directly rather than through :meth:`reveal_names`.

    Examples
    --------
    >>> Disclosure().threshold, Disclosure(preset="nhs").threshold
    (5, 8)
    >>> log = []
    >>> named = Disclosure().reveal_names(user="ana", project="place-a",
    ...     audit=lambda *entry: log.append(entry), detail="Excel export")
    >>> named.names_revealed, log
    (True, [('place-a', 'ana', 'names revealed', 'Excel export')])
    """

    names_revealed: bool = False
    k: int = 5
    preset: str = "k"
    revealed_by: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int | np.integer) or self.k < 1:
            raise InputFormatError(
                f"suppression threshold k={self.k!r} is not valid",
                expected="a whole number of people, at least 1 (5 is the usual choice)",
            )
        if self.preset not in PRESETS:
            raise InputFormatError(
                f"suppression preset {self.preset!r} is unknown", expected=" or ".join(PRESETS)
            )
        if self.names_revealed and not self.revealed_by:
            raise SuppressedError(
                "names can only be revealed through Disclosure.reveal_names, "
                "which records who did it in the project's audit log"
            )

    def reveal_names(
        self, *, user: str, project: str, audit: AuditLog, detail: str = ""
    ) -> Disclosure:
        """This policy with names revealed, recorded first in the audit log.

        Parameters
        ----------
        user
            Who is revealing names; non-empty.
        project
            The project whose names are revealed.
        audit
            Called as ``audit(project, user, "names revealed", detail)`` before
            anything is revealed (``Workspace.audit`` fits). If it raises, nothing is.
        detail
            Context such as which export; never names or values.

        Raises
        ------
        InputFormatError
            If ``user`` is empty.
        """
        if not isinstance(user, str) or not user.strip():
            raise InputFormatError("revealing names needs the name of who is doing it",
                                   expected="a user name")
        audit(project, user.strip(), "names revealed", detail)
        return replace(self, names_revealed=True, revealed_by=user.strip())

    def hiding_names(self) -> Disclosure:
        """This policy with names hidden again."""
        return replace(self, names_revealed=False, revealed_by="")

    @property
    def threshold(self) -> int:
        """Smallest group size shown: ``k``, or at least 8 under the NHS preset."""
        return max(int(self.k), NHS_THRESHOLD) if self.preset == "nhs" else int(self.k)

    @property
    def suppresses(self) -> bool:
        """Whether any group is suppressed at all (threshold above 1)."""
        return self.threshold > 1

    @property
    def rounding(self) -> int | None:
        """Counts are rounded to a multiple of this (5 under the NHS preset), or None."""
        return 5 if self.preset == "nhs" else None

    def rule(self) -> str:
        """The suppression rule in one plain sentence, for methods notes and exports.

        Examples
        --------
        >>> print(Disclosure(k=5).rule())
        Figures about groups of fewer than 5 people are not shown; where a total would let a hidden figure be worked out, another figure is hidden too.
        """
        if not self.suppresses:
            return "No suppression: figures about groups of any size are shown."
        if self.preset == "nhs":
            return (
                f"NHS rule: counts of 1 to {self.threshold - 1} are shown as *, and every other "
                f"count is rounded to the nearest 5; groups of fewer than {self.threshold} "
                "people are not shown."
            )
        return (
            f"Figures about groups of fewer than {self.threshold} people are not shown; where a "
            "total would let a hidden figure be worked out, another figure is hidden too."
        )

    def describe(self) -> dict[str, object]:
        """The policy as plain data, recorded inside every export."""
        return {
            "names_revealed": self.names_revealed,
            "revealed_by": self.revealed_by or None,
            "k": int(self.k),
            "preset": self.preset,
            "threshold": self.threshold,
            "rounding": self.rounding,
            "rule": self.rule(),
        }


# The project's policy, per role ---------------------------------------------------------------

#: The workspace setting (per project, held on the server) that stores the :class:`Policy`.
POLICY_SETTING = "disclosure_policy"


@dataclass(frozen=True)
class Policy:
    """A project's disclosure policy, held in the workspace, and what each role may change.

    Widgets never own the policy: a session starts from it and may only make it
    stricter. A viewer sees workshop mode always, cannot lower ``k`` below the
    project's and cannot reveal names; an analyst or admin may raise ``k`` and switch
    workshop mode off at their own seat, never lower ``k`` either; only an admin
    changes the project's policy (audited).

    Examples
    --------
    >>> p = Policy.from_setting({"k": 7})
    >>> p.session("viewer", k=1, workshop=False), p.session("analyst", k=10, workshop=False)
    ((7, True), (10, False))
    """

    k: int = 5
    preset: str = "k"

    def __post_init__(self) -> None:
        Disclosure(k=self.k, preset=self.preset)  # the same checks

    @classmethod
    def from_setting(cls, value: object) -> Policy:
        """The policy stored in the workspace (a dict), or the default when none is stored."""
        if not isinstance(value, dict):
            return cls()
        return cls(k=int(value.get("k", 5)), preset=str(value.get("preset", "k")))

    def as_setting(self) -> dict[str, object]:
        """For :meth:`Workspace.set_setting`."""
        return {"k": int(self.k), "preset": self.preset}

    @staticmethod
    def may_leave_workshop(role: str) -> bool:
        """Whether ``role`` may switch workshop mode off (analysts and admins)."""
        return role in ("admin", "analyst")

    def session(self, role: str, *, k: int, workshop: bool) -> tuple[int, bool]:
        """The ``k`` and workshop mode a session of ``role`` may use, given what it asked for."""
        return max(int(k), int(self.k)), bool(workshop) or not self.may_leave_workshop(role)

    def disclosure(self, k: int | None = None) -> Disclosure:
        """The policy as a :class:`Disclosure` (``k`` raised, never lowered)."""
        return Disclosure(k=max(int(k or self.k), int(self.k)), preset=self.preset)
