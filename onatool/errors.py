"""The errors onatool raises on purpose.

Everything raised deliberately is an :class:`OnaError`, so that a caller (the app,
the CLI) can catch exactly the problems a user can fix and let everything else show
as the bug it is. Each subclass also derives from the matching built-in, so code
that already catches ``ValueError`` or ``KeyError`` keeps working.

Messages name the place (file, sheet, row, column) and what would be valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DuplicateNameError",
    "EmptyNetworkError",
    "InputFormatError",
    "NetworkValidationError",
    "NotDefinedError",
    "NotFoundError",
    "OnaError",
    "Place",
    "SuppressedError",
    "UnknownPersonError",
    "UnsafeFileError",
    "WorkspaceError",
]


@dataclass(frozen=True)
class Place:
    """Where in a user's file something was found.

    Rows are numbered as a spreadsheet shows them (the header is row 1), so a user
    can go straight to the cell.

    Examples
    --------
    >>> str(Place(file="ties.csv", row=7, column="target"))
    'ties.csv, row 7, column "target"'
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)


class OnaError(Exception):
    """Base class of every error onatool raises on purpose."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else self.__class__.__name__


class InputFormatError(OnaError, ValueError):
    """A file or table cannot be read as what it was meant to be.

    Parameters
    ----------
    problem
        What is wrong, in one sentence.
    expected
        What would be valid, so the user knows the fix.
    place
        Where the problem is.

    Examples
    --------
    >>> err = InputFormatError("no column for the tie's target", expected="a column named "
    ...     "'target' or 'To'", place=Place(file="ties.csv"))
    >>> print(err)
    ties.csv: no column for the tie's target. Expected a column named 'target' or 'To'.
    """

    def __init__(self, problem: str, *, expected: str | None = None, place: Place | None = None):
        self.problem = problem
        self.expected = expected
        self.place = place or Place()
        where = str(self.place)
        message = f"{where}: {problem}" if where else problem
        if expected:
            message += f". Expected {expected}."
        elif not message.endswith("."):
            message += "."
        super().__init__(message)


class NetworkValidationError(OnaError, ValueError):
    """A Network's tables break its rules; every problem found is listed at once."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"The network is not valid ({len(self.problems)} problem(s)):\n{lines}")


class UnknownPersonError(OnaError, KeyError):
    """A person id, email or name is not in the roster."""


class EmptyNetworkError(OnaError, ValueError):
    """A measure needs at least one person (or tie) and the network has none."""


class NotDefinedError(OnaError, ValueError):
    """A measure is not defined for this network (for example, no ``level`` attribute)."""


class SuppressedError(OnaError, PermissionError):
    """A figure would rest on fewer people than the suppression threshold allows."""


class UnsafeFileError(OnaError, ValueError):
    """A file was refused before parsing: too large, a zip bomb, or a refused type."""


class WorkspaceError(OnaError, RuntimeError):
    """The workspace file cannot be used: damaged, not a workspace, too new, or busy.

    The message names the file and what to do (for a damaged file: move it aside).
    """


class NotFoundError(OnaError, KeyError):
    """A project, wave, recipe or roster asked for is not in the workspace."""


class DuplicateNameError(OnaError, ValueError):
    """A name (of a project, wave ...) is already taken where names must be unique."""
