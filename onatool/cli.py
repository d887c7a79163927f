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
from onatool.errors import OnaError
from onatool.io import ImportResult, import_wave
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


@app.command()
def report(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder for the report, its PDF, every export and the DPIA summary.")],
    ties: Annotated[list[Path] | None, typer.Option(help="Edge list per wave, oldest first (repeat --ties).")] = None,
    project: ProjectOption = "default",
    relation: Annotated[str | None, typer.Option(help="Relation to analyse (default advice, else the first; 'all' merges them).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Smallest weight that counts as a tie (default: any above 0).")] = None,
    k: Annotated[int, typer.Option("--k", help="Hide groups of fewer than k people.")] = 5,
    nhs_rounding: Annotated[bool, typer.Option(help="NHS rule: 1-7 shown as *, other counts rounded to 5.")] = False,
    reveal_names: Annotated[bool, typer.Option(help="Put names in the analyst exports (never in the report); recorded in the audit log.")] = False,
    user: Annotated[str | None, typer.Option(help="Who is revealing names (default: your login).")] = None,
    cohort: Annotated[str | None, typer.Option(help="Cohort to compare with everyone else (default: the roster's only cohort).")] = None,
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
    pdf: Annotated[bool, typer.Option(help="Also print the report to PDF with headless Chromium.")] = True,
    seed: Annotated[int, typer.Option(help="Seed for layouts and permutation tests.")] = 0,
) -> None:
    """Write the stakeholder report (HTML and PDF) and every export into one folder."""
    import getpass

    from onatool.io import read_roster, read_ties
    from onatool.privacy import Disclosure
    from onatool.report.pipeline import audit_file, produce_outputs, summarise

    if not ties:
        # Survey responses (--responses F --recipe Y) will be read here too, into the
        # same list of ImportResults, once survey import lands.
        raise typer.BadParameter("give at least one --ties file", param_hint="--ties")
    disclosure = Disclosure(k=k, preset="nhs" if nhs_rounding else "k")
    export_disclosure = disclosure
    if reveal_names:
        who = user or getpass.getuser()
        export_disclosure = disclosure.reveal_names(user=who, project=project, audit=audit_file(),
                                                    detail="onatool report: analyst exports")
        console.print(f"[bold yellow]Names revealed in the analyst exports[/bold yellow] (recorded in "
                      f"the audit log as {escape(who)}); the report itself names no one.")
    with console.status("Reading the roster and answers..."):
        people = read_roster(roster, key=_key(project))
        results = [read_ties(path, people) for path in ties]
    for result in results:
        _summarise(result)
    with console.status("Analysing, drawing and writing..."):
        outputs = produce_outputs(results, out, project=project, relation=relation, min_weight=min_weight,
                                  disclosure=disclosure, export_disclosure=export_disclosure, pdf=pdf,
                                  title=title, seed=seed, cohort=cohort)
    for line in summarise(outputs, out):
        console.print(escape(line), highlight=False)
    console.print(f"Written to {escape(str(out))}/")


def main() -> None:
    """Entry point: run the app, turning an OnaError into one clear line."""
    try:
        app()
    except OnaError as error:
        console.print(f"[red]onatool: {type(error).__name__}:[/red] {escape(str(error))}", highlight=False)
        raise SystemExit(2) from None
