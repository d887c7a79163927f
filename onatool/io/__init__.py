"""Everything that turns a user's file into a Network, and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from onatool import schema
from onatool.errors import InputFormatError
from onatool.io.assemble import assemble, response_summary, scale_weight
from onatool.io.layouts import edge_list_items, matrix_items
from onatool.io.matching import RosterIndex, normalise_name
from onatool.io.report import ImportReport
from onatool.io.roster import Roster, read_roster
from onatool.io.tables import read_sheets, read_table
from onatool.network import Network

__all__ = [
    "ImportReport",
    "ImportResult",
    "Roster",
    "RosterIndex",
    "assemble",
    "import_wave",
    "normalise_name",
    "read_matrix",
    "read_roster",
    "read_sheets",
    "read_table",
    "read_ties",
    "response_summary",
    "scale_weight",
]


@dataclass(frozen=True, eq=False)
class ImportResult:
    """A wave read from files: the network, the roster it used, and the full account."""

    network: Network
    roster: Roster
    report: ImportReport


def read_ties(
    path: str | Path,
    roster: Roster,
    *,
    wave: str | None = None,
    relation: str = "tie",
    sheet: str | None = None,
    relations: Mapping[str, schema.Relation] | None = None,
    scales: Mapping[str, Mapping[str, float]] | None = None,
) -> ImportResult:
    """Read a long edge list whose ends are roster ids, emails or exact names.

    Parameters
    ----------
    path
        CSV or XLSX: ``source, target[, relation, weight, raw_value, wave]`` (``From``
        and ``To`` are understood). A row with a source and a blank target records a
        respondent who named nobody.
    roster
        The project's people.
    wave
        Wave label; with a ``wave`` column, only that wave's rows are kept.
    relation
        Relation for rows without one.
    sheet
        XLSX sheet.
    relations, scales
        Relation metadata and answer scales (see :func:`onatool.io.assemble.assemble`).

    Returns
    -------
    ImportResult
        The report covers the roster's rows and the ties file's rows.
    """
    report = ImportReport()
    items, file_wave = edge_list_items(path, report=report, sheet=sheet, relation=relation, wave=wave)
    label = wave or file_wave or Path(path).stem
    network = assemble(roster, items, report=report, wave=label, relations=relations, scales=scales)
    return ImportResult(network, roster, roster.report.merge(report))


def read_matrix(
    path: str | Path,
    roster: Roster,
    *,
    wave: str | None = None,
    relation: str | None = None,
    relations: Mapping[str, schema.Relation] | None = None,
    scales: Mapping[str, Mapping[str, float]] | None = None,
) -> ImportResult:
    """Read adjacency matrices (one square sheet per relation) against a roster.

    A row left wholly blank is a non-respondent's row: their ties are unknown, not
    absent. See :func:`onatool.io.layouts.matrix_items`.
    """
    report = ImportReport()
    items = matrix_items(path, report=report, relation=relation)
    label = wave or Path(path).stem
    network = assemble(roster, items, report=report, wave=label, relations=relations, scales=scales)
    return ImportResult(network, roster, roster.report.merge(report))


def import_wave(
    roster: str | Path,
    *,
    key: bytes,
    ties: str | Path | None = None,
    matrix: str | Path | None = None,
    wave: str | None = None,
    relation: str | None = None,
) -> ImportResult:
    """Read a roster and one wave's ties (edge list or matrix) in one call.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "roster.csv").write_text("id,name,organisation\\nA,Ann,Acute\\nB,Bo,Council\\n")
    >>> _ = (d / "ties.csv").write_text("From,To\\nA,B\\nA,A\\n")
    >>> result = import_wave(d / "roster.csv", ties=d / "ties.csv", key=b"k" * 32)
    >>> result.network.n_ties, result.report.counts()["dropped"]
    (1, 1)
    """
    if (ties is None) == (matrix is None):
        raise InputFormatError("give either a ties file or a matrix file, not both or neither")
    people = read_roster(roster, key=key)
    if ties is not None:
        return read_ties(ties, people, wave=wave, relation=relation or "tie")
    return read_matrix(matrix, people, wave=wave, relation=relation)  # type: ignore[arg-type]
