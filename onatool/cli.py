"""The ``onatool`` command: the same functions the app calls, for scripts.

Every command is pseudonymised by default; ``--identifiable`` adds roster ids and
names to the people table where it is offered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from onatool import schema
from onatool.errors import InputFormatError, OnaError, Place
from onatool.io import ImportResult, import_wave, read_roster, read_ties
from onatool.privacy import project_key_file, read_or_create_key
from onatool.report.tables import write_csv, write_json

app = typer.Typer(
    name="onatool",
    help="Organisational network analysis for health and care partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)

ProjectOption = Annotated[
    str,
    typer.Option(help="Project name: its pseudonym key (kept in ~/.onatool/keys) keeps ids stable across waves."),
]


def _key(project: str) -> bytes:
    return read_or_create_key(project_key_file(project))


def write_import(result: ImportResult, out: Path, *, identifiable: bool = False) -> list[Path]:
    """Write a wave's canonical tables and its import report into ``out``."""
    network = result.network
    people = network.people.copy()
    if identifiable:
        ids = result.roster.identities[[schema.ID, schema.NAME]]
        people = ids.join(people)
    written = [
        write_csv(people, out / "people.csv"),
        write_csv(network.ties, out / "ties.csv", index=False),
        write_json(result.report.to_dict(), out / "import_report.json"),
    ]
    markdown = out / "import_report.md"
    markdown.write_text(result.report.to_markdown())
    return [*written, markdown]


@app.command("import")
def import_command(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder to write people.csv, ties.csv and the import report.")],
    ties: Annotated[Path | None, typer.Option(help="Edge list CSV/XLSX: source,target[,relation,weight,wave].")] = None,
    matrix: Annotated[Path | None, typer.Option(help="Adjacency matrix CSV/XLSX, one sheet per relation.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label (and the rows kept when the file has a wave column).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation name for files without a relation column.")] = None,
    project: ProjectOption = "default",
    identifiable: Annotated[bool, typer.Option(help="Add roster id and name columns to people.csv.")] = False,
) -> None:
    """Import a roster and one wave of ties into canonical, pseudonymised tables."""
    with console.status("Reading the roster and ties..."):
        result = import_wave(roster, key=_key(project), ties=ties, matrix=matrix, wave=wave, relation=relation)
    with console.status(f"Writing to {out}..."):
        write_import(result, out, identifiable=identifiable)
    _summarise(result)
    console.print(f"Written to {out}/ (people.csv, ties.csv, import_report.json, import_report.md)")


def _summarise(result: ImportResult) -> None:
    net, counts = result.network, result.report.counts()
    console.print(
        f"Wave {net.wave!r}: {net.n_people} people, {len(net.respondents)} answered "
        f"({net.response_rate:.0%}), {net.n_ties} ties in {', '.join(net.relation_names) or 'no relation'}."
    )
    console.print(
        f"Rows: {counts['kept']} kept, {counts['changed']} changed, {counts['dropped']} dropped, "
        f"{counts['doubted']} awaiting a decision."
    )


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Also write the sample's tables here.")] = None,
) -> None:
    """Import the bundled sample ICS partnership and print a summary."""
    from onatool.sample import load_sample

    with console.status("Importing the sample partnership..."):
        waves = load_sample()
    for result in waves:
        _summarise(result)
        if out is not None:
            write_import(result, out / result.network.wave)


def read_waves(
    roster: Path,
    ties: list[Path],
    *,
    key: bytes,
    wave_names: list[str] | None = None,
    relation: str | None = None,
) -> list[ImportResult]:
    """Read a roster once and each wave's ties against it, in the order given.

    Several files: one wave each, labelled by ``wave_names`` if given (which must then
    match the file's wave column, if it has one, and the roster's ``waves`` column),
    else by the file's wave column or its name. One file with a ``wave`` column: the
    waves named in ``wave_names``, in that order.
    """
    if len(ties) == 1 and not (wave_names and len(wave_names) > 1):
        raise InputFormatError(
            "comparing needs two or more waves",
            expected="--ties once per wave, or one file with a wave column and --wave-names a,b",
        )
    if wave_names and len(ties) > 1 and len(wave_names) != len(ties):
        raise InputFormatError(
            f"{len(wave_names)} wave name(s) for {len(ties)} ties files",
            expected="one name per --ties file, in the same order",
        )
    people = read_roster(roster, key=key)
    default_relation = relation or "tie"
    # Survey exports: a --recipe option would read each file through the saved recipe
    # here (onatool.io.recipe) instead of read_ties; the rest of compare is unchanged.
    if len(ties) == 1:
        files, labels = ties * len(wave_names or []), list(wave_names or [])
    else:
        files, labels = ties, list(wave_names or [None] * len(ties))
    results = []
    for path, label in zip(files, labels, strict=True):
        result = read_ties(path, people, wave=label, relation=default_relation)
        if label is not None and not result.network.n_ties:
            raise InputFormatError(
                f"no ties for wave {label!r}",
                expected="wave names that match the file's wave column, if it has one",
                place=Place(file=path.name),
            )
        results.append(result)
    return results


@app.command()
def compare(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person, for every wave.")],
    ties: Annotated[list[Path], typer.Option(help="A wave's edge list (source,target as roster ids); repeat in time order.")],
    out: Annotated[Path, typer.Option(help="Folder for change.json, people_change.csv, ties_change.csv ...")],
    wave_names: Annotated[str | None, typer.Option(help="Comma-separated wave labels in the order of --ties; with one file holding a wave column, the waves to take from it.")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to compare (default: all, merged).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight threshold for a tie (default: above 0).")] = None,
    symmetric: Annotated[bool | None, typer.Option("--symmetric/--directed", help="Compare unordered pairs (default: as the relation is declared).", show_default=False)] = None,
    cohort: Annotated[str | None, typer.Option(help='A cohort value, e.g. "Leadership programme", to compare with everyone else.')] = None,
    present: Annotated[str, typer.Option(help="Who is compared: 'respondents' (answered in both waves) or 'all' (on both rosters).")] = "respondents",
    seed: Annotated[int, typer.Option(help="Seed for the permutation tests.")] = 0,
    permutations: Annotated[int, typer.Option(help="Permutations for QAP and cohort p-values.")] = 1000,
    project: ProjectOption = "default",
) -> None:
    """Compare two or more waves: tie churn, Jaccard, QAP, boundary change, deltas, cohort."""
    from onatool.compare import compare_waves, write_comparison

    names = [w.strip() for w in wave_names.split(",") if w.strip()] if wave_names else None
    with console.status("Reading the roster and waves..."):
        waves = read_waves(roster, ties, key=_key(project), wave_names=names, relation=relation)
    for result in waves:
        _summarise(result)
    with console.status("Comparing the waves..."):
        comparison = compare_waves(
            [r.network for r in waves], relation=relation, min_weight=min_weight,
            symmetric=symmetric, cohort=cohort, present=present, seed=seed,
            permutations=permutations,
        )
        write_comparison(comparison, out)
    s = comparison.summary
    console.print(
        f"{s['people_compared']} people compared ({s['joiners']} joined, {s['leavers']} left, "
        f"{s['not_compared']} did not answer in both waves). Ties: {s['stable']} stable, "
        f"{s['lost']} lost, {s['new']} new; Jaccard {s['jaccard']:.2f}; "
        f"QAP r = {s['qap_correlation']:.2f} (p = {s['qap_p']:.3g})."
    )
    console.print(escape(s["jaccard_reading"]), highlight=False)
    console.print(f"Written to {out}/")


def main() -> None:
    """Entry point: run the app, turning an OnaError into one clear line."""
    try:
        app()
    except OnaError as error:
        console.print(f"[red]onatool: {type(error).__name__}:[/red] {escape(str(error))}", highlight=False)
        raise SystemExit(2) from None
