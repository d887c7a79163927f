"""The entry points that read one wave: an edge list, a matrix, a whole-network file or a survey
export, with a roster, into an :class:`~onatool.io.result.ImportResult`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from onatool import schema
from onatool.errors import InputFormatError, Place
from onatool.io import networks
from onatool.io.assemble import assemble
from onatool.io.detect import _is_square, detect, recipe_from_detection
from onatool.io.layouts import edge_list_items, matrix_items
from onatool.io.matching import (
    Alias,
    load_aliases,
)
from onatool.io.recipe import Recipe, load_recipe
from onatool.io.recipe import apply as apply_recipe
from onatool.io.report import ImportReport
from onatool.io.result import ImportResult
from onatool.io.roster import Roster, read_roster
from onatool.io.tables import Sheet, read_sheets, with_header

__all__ = ["import_responses", "import_wave", "read_matrix", "read_network_file", "read_ties"]


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
    if networks.sniff_network(path, sheet=sheet):
        return read_network_file(path, roster, wave=wave, relation=None if relation == "tie" else relation,
                                 sheet=sheet, relations=relations, scales=scales)
    raw = _first_table(path) if sheet is None else None
    if raw is not None and _looks_square(raw.data):
        return read_matrix(path, roster, wave=wave, relation=relation, relations=relations, scales=scales)
    # A CSV's cells just read, with their header row, are the edge list: the file is not read twice.
    # (A workbook is read again: with a header row, every sheet's headers are checked, as before.)
    table = with_header(raw) if raw is not None and raw.sheet is None else None
    items, file_wave = edge_list_items(path, report=report, sheet=sheet, relation=relation, wave=wave, table=table)
    label = wave or file_wave or Path(path).stem
    network = assemble(roster, items, report=report, wave=label, relations=relations, scales=scales)
    return ImportResult(network, roster, roster.report.merge(report))


def read_network_file(
    path: str | Path,
    roster: Roster | None = None,
    *,
    key: bytes | None = None,
    wave: str | None = None,
    relation: str | None = None,
    sheet: str | None = None,
    relations: Mapping[str, schema.Relation] | None = None,
    scales: Mapping[str, Mapping[str, float]] | None = None,
) -> ImportResult:
    """Read a whole-network file (GraphML, GEXF, Pajek, UCINET DL, Kumu or Polinode workbook).

    Parameters
    ----------
    path
        The file, recognised by its content (:func:`onatool.io.networks.sniff_network`).
    roster
        The project's people; None: the file's nodes and their attributes are the roster
        (``key`` needed then).
    relation
        Relation for edges the file does not name (default: suggested by the file's name,
        else ``tie``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "advice.net"
    >>> _ = p.write_text('*Vertices 3\\n1 "Ann"\\n2 "Bo"\\n3 "Cy"\\n*Arcs\\n1 2\\n2 3\\n')
    >>> result = read_network_file(p, key=b"k" * 32)
    >>> result.network.n_people, result.network.n_ties, result.network.relation_names
    (3, 2, ('advice',))
    """
    network = networks.read_network(path, sheet=sheet, relation=relation)
    if roster is None:
        if key is None:
            raise InputFormatError("a roster or the project key is needed", expected="roster=... or key=...")
        roster = networks.roster_from_nodes(network, key=key)
    report = ImportReport()
    report.note(f"{network.file}: {network.describe()}.")
    items = networks.network_items(network, report=report)
    network_out = assemble(roster, items, report=report, wave=wave or Path(path).stem, relations=relations,
                           scales=scales)
    return ImportResult(network_out, roster, roster.report.merge(report))


def _first_table(path: str | Path) -> Sheet | None:
    """A table's raw cells (no header row taken), or None when it cannot be read as a table.

    The reader that reads it next raises the error, naming what is wrong.
    """
    try:
        return read_sheets(path, header_rows=0)[0]
    except InputFormatError:
        return None


def _looks_square(data) -> bool:
    """:func:`~onatool.io.detect._is_square`, answered at the first name down the side that
    is not along the top (an edge list's first source): no walk down a long first column."""
    if data.shape[0] < 3 or data.shape[1] < 3:
        return False
    top = [str(v).strip() for v in data.iloc[0, 1:]]
    names = set(top) - {""}
    room = len(top) - top.count("")
    for value in data.iloc[1:, 0]:
        name = str(value).strip()
        if name and (name not in names or room == 0):
            return False
        room -= bool(name)
    return _is_square(data)


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
    networks.refuse_whole_network(path, "--ties FILE (or read_ties)")
    report = ImportReport()
    items = matrix_items(path, report=report, relation=relation)
    label = wave or Path(path).stem
    network = assemble(roster, items, report=report, wave=label, relations=relations, scales=scales)
    return ImportResult(network, roster, roster.report.merge(report))


def import_wave(
    roster: str | Path | None,
    *,
    key: bytes,
    ties: str | Path | None = None,
    matrix: str | Path | None = None,
    wave: str | None = None,
    relation: str | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Read a roster and one wave's ties (edge list, matrix or whole network) in one call.

    Without a roster, ``ties`` must be a whole-network file: its nodes and their
    attributes are the roster (:func:`read_network_file`). ``sheet`` picks a workbook's
    sheet.

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
    if roster is None:
        if ties is None or not networks.sniff_network(ties):
            raise InputFormatError(
                "no roster given", expected="--roster FILE (only a whole-network file, whose nodes list the "
                "people, can be imported without one)", place=Place(file=Path(ties or matrix).name))
        return read_network_file(ties, key=key, wave=wave, relation=relation, sheet=sheet)
    people = read_roster(roster, key=key)
    if ties is not None:
        return read_ties(ties, people, wave=wave, relation=relation or "tie", sheet=sheet)
    return read_matrix(matrix, people, wave=wave, relation=relation)  # type: ignore[arg-type]


def import_responses(
    roster: str | Path | Roster,
    responses: str | Path,
    *,
    key: bytes,
    recipe: Recipe | str | Path | None = None,
    aliases: Mapping[str, Alias] | str | Path | None = None,
    wave: str | None = None,
    layout: str | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Read a roster and one wave's survey export, with or without a recipe.

    Parameters
    ----------
    roster
        Roster file (read with the recipe's roster maps), or a :class:`Roster`.
    responses
        The export: Microsoft Forms, Qualtrics, SurveyMonkey, Google Forms, a wide
        grid, a multi-select sheet, Network Canvas, an edge list or a matrix.
    key
        The project key.
    recipe
        A :class:`Recipe` or its file. Without one the layout, identity column and
        relation questions are detected (:func:`detect`), which works when the file
        gives itself away; the recipe used is returned with the result.
    aliases
        Earlier name decisions (a dict from :func:`load_aliases`, or the file).
    wave
        Wave label (default: the export's file stem).
    layout
        Force a layout when detecting.
    sheet
        The workbook sheet to read when detecting (default: the first with data).

    Returns
    -------
    ImportResult
        With ``recipe`` set to the recipe used; ``decisions()`` lists every match.

    Raises
    ------
    InputFormatError
        The layout cannot be detected, no relation question was found, or the export
        does not fit the recipe.
    """
    if recipe is None and layout is None and networks.sniff_network(responses, sheet=sheet):
        # A whole network given as "responses": read it as what it is.
        if not isinstance(roster, Roster):
            roster = read_roster(roster, key=key)
        return read_network_file(responses, roster, wave=wave, sheet=sheet)
    unnamed: list[str] = []
    if recipe is not None or layout is not None:
        networks.refuse_whole_network(responses, "--ties FILE, without --recipe or --layout")
    if recipe is not None and not isinstance(recipe, Recipe):
        recipe = load_recipe(recipe)
    if aliases is not None and not isinstance(aliases, Mapping):
        aliases = load_aliases(aliases)
    if not isinstance(roster, Roster):
        maps = dict(recipe.roster) if recipe is not None else {}
        roster = read_roster(roster, key=key, column_map=maps.get("column_map"), value_maps=maps.get("value_maps"))
    if recipe is None:
        found = detect(responses, roster=roster, layout=layout, sheet=sheet)
        # A question that names people but whose wording suggests no relation is left
        # out (and said so below), not a refusal a command-line user cannot act on.
        unnamed = [q.question for q in found.questions if q.relational and not q.relation]
        recipe = recipe_from_detection(found, relations=dict.fromkeys(unnamed))
        if not recipe.questions and recipe.layout not in ("edge_list", "matrix", "network_canvas"):
            raise InputFormatError(
                "no relation question was recognised",
                expected="a recipe naming the relation questions (onatool can write one to start from)",
                place=Place(file=Path(responses).name),
            )
        if not recipe.identity and recipe.layout not in ("edge_list", "matrix"):
            raise InputFormatError(
                "no column says who answered",
                expected="a column with each respondent's email, roster id or name (or a recipe naming it)",
                place=Place(file=Path(responses).name),
            )
    result = apply_recipe(recipe, responses, roster, key=key, aliases=aliases, wave=wave)
    for question in unnamed:
        result.report.note(
            f"{Path(responses).name}: the question {question!r} names people but its wording suggests no "
            "relation, so it was not read; to read it, save the recipe (onatool writes recipe.yaml), add it "
            "under questions with a relation name, and import with --recipe.")
    return result
