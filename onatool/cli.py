"""The ``onatool`` command: the same functions the app calls, for scripts.

Every command is pseudonymised by default; ``--identifiable`` adds roster ids and
names to the people table where it is offered.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from onatool.errors import InputFormatError, OnaError, Place
from onatool.io import ImportResult, import_responses, import_wave, read_roster, read_ties
from onatool.pseudonyms import project_key_file, read_or_create_key

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
    typer.Option(help="Project name: its pseudonym key keeps ids stable across waves (the app workspace's "
                      "project of that name if there is one, else ~/.onatool/keys/<name>.key)."),
]


def _key(project: str) -> bytes:
    """The project's pseudonym key: the app workspace's if it holds the project, else a key file.

    So a script and the app give the same people the same pseudonyms in the same project.
    """
    from onatool.errors import NotFoundError
    from onatool.store import Workspace, default_path

    if default_path().exists():
        try:
            return Workspace(default_path()).project_key(project)
        except NotFoundError:
            pass
    return read_or_create_key(project_key_file(project))


# Output writing: every file through the disclosure gate -----------------------------------

AnalystOption = Annotated[bool, typer.Option(
    help="Also write the unsuppressed, analyst-only versions (and, for import, the name-matching "
         "decisions and the full import report) to a private folder under ONATOOL_HOME; recorded in "
         "the audit log.")]
UserOption = Annotated[str | None, typer.Option(help="Who is asking for analyst-only files or names "
                                                     "(default: your login); recorded in the audit log.")]
KOption = Annotated[int, typer.Option("--k", help="Hide groups of fewer than k people in the shareable files.")]
NhsOption = Annotated[bool, typer.Option(help="NHS rule: 1-7 shown as *, other counts rounded to 5.")]


def _audit(project: str):
    """Where a reveal or an analyst-only write is recorded: the workspace's log when it holds
    the project, else the per-user audit file."""
    from onatool.errors import NotFoundError
    from onatool.outputs.pipeline import audit_file
    from onatool.store import Workspace, default_path

    if default_path().exists():
        ws = Workspace(default_path())
        try:
            ws.project(project)
        except NotFoundError:
            pass
        else:
            return ws.audit
    return audit_file()


def _gates(project: str, command: str, *, k: int, nhs: bool, analyst: bool, identifiable: bool,
           user: str | None):
    """The shareable gate, and (when asked) an audited analyst gate with its private folder."""
    import getpass

    from onatool.share.disclosure import Disclosure
    from onatool.share.gate import Gate, private_folder

    disclosure = Disclosure(k=k, preset="nhs" if nhs else "k")
    shared = Gate(disclosure)
    if not (analyst or identifiable):
        return shared, None, None
    who = user or getpass.getuser()
    audit = _audit(project)
    private = private_folder(project, command)
    detail = f"onatool {command}: analyst-only files in {private}"
    gate = Gate.for_analyst(disclosure, user=who, project=project, audit=audit, detail=detail)
    if identifiable:
        audit(project, who, "names revealed", f"onatool {command} --identifiable: names in {private}")
    console.print(f"[bold yellow]Analyst-only files[/bold yellow] (unsuppressed{', with names' if identifiable else ''}) "
                  f"written to {escape(str(private))}/, recorded in the audit log as {escape(who)}. "
                  "Do not share them.")
    return shared, gate, private


def write_import(result: ImportResult, out: Path, *, identifiable: bool = False, k: int = 5, nhs: bool = False,
                 analyst: bool = False, user: str | None = None, project: str = "default") -> list[Path]:
    """Write a wave's shareable tables into ``out`` through the gate; analyst-only files (names,
    name-matching decisions, the full import report) only to a private folder, audited."""
    from onatool.outputs.writers import write_import as write_gated

    shared, analyst_gate, private = _gates(project, "import", k=k, nhs=nhs, analyst=analyst,
                                           identifiable=identifiable, user=user)
    written = write_gated(result, out, shared)
    if analyst_gate is not None:
        identities = result.roster.identities if identifiable else None
        written += write_gated(result, private, analyst_gate, identities=identities)
    return written


@app.command("import")
def import_command(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder to write people.csv, ties.csv and the import report.")],
    ties: Annotated[Path | None, typer.Option(help="Edge list CSV/XLSX: source,target[,relation,weight,wave].")] = None,
    matrix: Annotated[Path | None, typer.Option(help="Adjacency matrix CSV/XLSX, one sheet per relation.")] = None,
    responses: Annotated[Path | None, typer.Option(
        help="A survey export (Microsoft Forms, Qualtrics, SurveyMonkey, Google Forms, wide grid, "
             "multi-select sheet, Network Canvas folder or GraphML).")] = None,
    recipe: Annotated[Path | None, typer.Option(
        help="Recipe (YAML/JSON) saying how --responses is read; not needed when the export gives "
             "its layout away.")] = None,
    aliases: Annotated[Path | None, typer.Option(
        help="Alias file of earlier name decisions (YAML/JSON), reused so nobody decides twice.")] = None,
    layout: Annotated[str | None, typer.Option(help="Force the layout of --responses when detecting.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label (and the rows kept when the file has a wave column).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation name for files without a relation column.")] = None,
    project: ProjectOption = "default",
    identifiable: Annotated[bool, typer.Option(
        help="Add roster id and name columns to the analyst-only people.csv and match_decisions.csv, in a "
             "private folder; recorded in the audit log.")] = False,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Import a roster and one wave of ties into canonical, pseudonymised tables."""
    given = [x for x in (ties, matrix, responses) if x is not None]
    if len(given) != 1:
        raise InputFormatError("give exactly one of --ties, --matrix or --responses",
                               expected="one file of answers per import")
    if responses is None and (recipe or aliases or layout):
        raise InputFormatError("--recipe, --aliases and --layout go with --responses",
                               expected="--responses FILE")
    with console.status("Reading the roster and answers..."):
        if responses is not None:
            result = import_responses(roster, responses, key=_key(project), recipe=recipe, aliases=aliases,
                                      wave=wave, layout=layout)
        else:
            result = import_wave(roster, key=_key(project), ties=ties, matrix=matrix, wave=wave, relation=relation)
    with console.status(f"Writing to {out}..."):
        written = write_import(result, out, identifiable=identifiable, k=k, nhs=nhs_rounding,
                               analyst=analyst, user=user, project=project)
    _summarise(result)
    review = result.report.review()
    if review:
        where = ("see match_decisions.csv in the private folder" if analyst or identifiable
                 else "run again with --analyst to write match_decisions.csv to a private folder")
        console.print(f"{len(review)} name(s) await a decision: {where}, then record "
                      "them in an alias file (--aliases) and import again.")
    console.print(f"Written to {out}/ ({', '.join(p.name for p in written)})")


def read_answers(
    roster: Path, *, project: str, ties: Path | None = None, responses: Path | None = None,
    recipe: Path | None = None, wave: str | None = None, relation: str | None = None,
) -> ImportResult:
    """One wave from a canonical ties file or a survey export (shared by analyse, compare, report)."""
    if (ties is None) == (responses is None):
        raise InputFormatError("give one of --ties or --responses", expected="one file of answers")
    if responses is not None:
        return import_responses(roster, responses, key=_key(project), recipe=recipe, wave=wave)
    return import_wave(roster, key=_key(project), ties=ties, wave=wave, relation=relation)


@app.command()
def analyse(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder for people.csv, groups_*.csv, network.json, levels.json ...")],
    ties: Annotated[Path | None, typer.Option(help="Canonical ties file: source,target[,relation,weight].")] = None,
    responses: Annotated[Path | None, typer.Option(help="A survey export, read through the import pipeline.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for --responses.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label (or the rows kept from a file with a wave column).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to analyse (default: all relations merged).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight from which an answer counts as a tie (default: above 0).")] = None,
    symmetric: Annotated[bool | None, typer.Option("--symmetric/--directed", help="Override whether the relation is mutual.")] = None,
    attributes: Annotated[str | None, typer.Option(help="Boundary attributes, comma-separated (default: organisation, sector, profession, level, place).")] = None,
    seed: Annotated[int, typer.Option(help="Seed for permutation tests and communities.")] = 0,
    project: ProjectOption = "default",
    identifiable: Annotated[bool, typer.Option(help="Add roster id and name columns to an analyst-only "
                                                    "people.csv in a private folder; recorded in the audit log.")] = False,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Measure one wave: centrality, boundary spanning, brokerage, groups, levels and health."""
    from onatool.metrics import analyse as analyse_network
    from onatool.outputs.writers import write_analysis

    with console.status("Reading the roster and answers..."):
        result = read_answers(roster, project=project, ties=ties, responses=responses, recipe=recipe,
                              wave=wave, relation=None if ties is None else "tie")
    _summarise(result)
    chosen = [a.strip() for a in attributes.split(",") if a.strip()] if attributes else None
    with console.status("Measuring the network..."):
        analysis = analyse_network(result.network, relation=relation, min_weight=min_weight, symmetric=symmetric,
                                   attributes=chosen, seed=seed)
    shared, analyst_gate, private = _gates(project, "analyse", k=k, nhs=nhs_rounding, analyst=analyst,
                                           identifiable=identifiable, user=user)
    written = write_analysis(analysis, result.network, out, shared)
    if analyst_gate is not None:
        identities = result.roster.identities if identifiable else None
        write_analysis(analysis, result.network, private, analyst_gate, identities=identities)
    facts = analysis.network
    console.print(
        f"Density {facts['density']:.3f}, reciprocity {facts['reciprocity']:.2f}, "
        f"E-I by organisation {facts.get('ei_organisation', float('nan')):+.2f}."
    )
    console.print(f"Written to {out}/ ({len(written)} files)")


@app.command()
def survey(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: the people the survey asks about.")],
    out: Annotated[Path, typer.Option(help="Folder for the Excel grid, the Forms text and the Forms recipe.")],
    instrument: Annotated[str, typer.Option(
        help="Instrument name (bundled in surveys/) or a YAML file.")] = "ics_relationships",
    project: ProjectOption = "default",
) -> None:
    """Write a ready-to-send survey: Excel roster grid, Microsoft Forms text and recipe."""
    from onatool.io import read_roster
    from onatool.surveys import load_instrument, write_survey_pack

    chosen = load_instrument(instrument)
    written = write_survey_pack(chosen, read_roster(roster, key=_key(project)), out)
    console.print(f"{chosen.title}: {len(chosen.questions)} questions. Written to {out}/ "
                  f"({', '.join(p.name for p in written)})")


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
    out: Annotated[Path | None, typer.Option(help="Also write each wave's tables and analysis here.")] = None,
) -> None:
    """Import and analyse the bundled sample ICS partnership, and print a summary."""
    from onatool.metrics import analyse as analyse_network
    from onatool.outputs.writers import write_analysis
    from onatool.sample import load_sample
    from onatool.share.gate import Gate

    with console.status("Importing the sample partnership..."):
        waves = load_sample()
    previous = None
    for result in waves:
        _summarise(result)
        with console.status(f"Measuring wave {result.network.wave!r}..."):
            analysis = analyse_network(result.network, relation="advice", previous=previous)
        facts, levels = analysis.network, analysis.levels or {}
        console.print(
            f"  Information and advice: density {facts['density']:.3f}, E-I by organisation "
            f"{facts['ei_organisation']:+.2f} (expected {facts['ei_expected_organisation']:+.2f} if ties "
            f"ignored organisations), reciprocity {facts['reciprocity']:.2f}."
        )
        for name in ("top_peer_density_cross_org", "bottom_reach_to_top"):
            if name in levels:
                console.print(f"  {levels[name]['sentence']}")
        if out is not None:
            folder = out / result.network.wave
            write_import(result, folder)
            write_analysis(analysis, result.network, folder / "analysis", Gate())
        previous = analysis
    console.print("Open the app with `make app` to explore the maps.")


#: Addresses that only this computer can reach.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def ui_command(app_file: Path, *, port: int, host: str = "127.0.0.1", max_upload_mb: int = 50,
               allow_remote: bool = False, secrets: dict | None = None) -> list[str]:
    """The ``streamlit run`` command line ``onatool ui`` starts (checked, not run).

    Parameters
    ----------
    host
        The address to listen on. Anything but this computer (127.0.0.1, localhost,
        ::1) is refused unless sign-in is configured (``[auth]`` and ``[onatool.users]``
        in ``secrets.toml``, see :mod:`onatool.app.auth`) or ``allow_remote`` is given.
    max_upload_mb
        The largest upload the server accepts (``server.maxUploadSize``), in MB.
    secrets
        The parsed secrets (None: read from where Streamlit reads them).

    Raises
    ------
    InputFormatError
        A remote address without sign-in or ``--allow-remote``; a non-positive upload limit.

    Examples
    --------
    >>> cmd = ui_command(Path("app.py"), port=8501, max_upload_mb=5, secrets={})
    >>> cmd[cmd.index("--server.address") + 1], cmd[cmd.index("--server.maxUploadSize") + 1]
    ('127.0.0.1', '5')
    >>> ui_command(Path("app.py"), port=8501, host="0.0.0.0", secrets={})
    Traceback (most recent call last):
    ...
    onatool.errors.InputFormatError: --host 0.0.0.0 would let other computers open the app, and nobody has to sign in...
    """
    from onatool.app.auth import hosted, read_secret_files, secret_files

    if max_upload_mb < 1:
        raise InputFormatError(f"--max-upload-mb {max_upload_mb} is not a size", expected="1 or more (MB)")
    if host not in LOOPBACK and not allow_remote:
        secrets = read_secret_files(secret_files(app_file.parent)) if secrets is None else secrets
        if not (hosted(secrets) and (secrets.get("onatool") or {}).get("users")):
            raise InputFormatError(
                f"--host {host} would let other computers open the app, and nobody has to sign in",
                expected="sign-in configured in .streamlit/secrets.toml ([auth] and [onatool.users], see "
                         "docs/hosting.md), or --allow-remote if another layer guards the address",
            )
    return [
        sys.executable, "-m", "streamlit", "run", str(app_file),
        "--server.address", host, "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "type",
        "--server.maxUploadSize", str(max_upload_mb), "--server.fileWatcherType", "none",
        "--server.enableXsrfProtection", "true",
    ]


@app.command()
def ui(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    workspace: Annotated[Path | None, typer.Option(help="Workspace file (default ~/.onatool/workspace.sqlite).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but 127.0.0.1 needs sign-in "
                                           "configured (docs/hosting.md) or --allow-remote.")] = "127.0.0.1",
    allow_remote: Annotated[bool, typer.Option(help="Listen on --host even though nobody has to sign in.")] = False,
    max_upload_mb: Annotated[int, typer.Option(help="Largest upload the server accepts, in MB (default "
                                                    "$ONATOOL_MAX_UPLOAD_MB or 50).")] = 0,
) -> None:
    """Start the app on this computer (127.0.0.1 only), opened on the sample partnership."""
    import os
    import subprocess

    app_file = Path(__file__).resolve().parents[1] / "app.py"
    if not app_file.exists():
        raise InputFormatError(f"the app entry file is missing at {app_file}", expected="a checkout of onatool")
    limit = max_upload_mb or int(os.environ.get("ONATOOL_MAX_UPLOAD_MB", "50"))
    command = ui_command(app_file, port=port, host=host, max_upload_mb=limit, allow_remote=allow_remote)
    env = {**os.environ, "ONATOOL_MAX_UPLOAD_MB": str(limit)}  # the app's own file checks use the same limit
    if workspace is not None:
        env["ONATOOL_WORKSPACE"] = str(workspace)
    if host not in LOOPBACK and allow_remote:
        console.print(f"[bold yellow]onatool listens on {escape(host)} with --allow-remote[/bold yellow]: "
                      "anyone who can reach this address can open every project.")
    console.print(f"onatool is running at http://{escape(host)}:{port} (Ctrl+C to stop)")
    raise SystemExit(subprocess.call(command, env=env, cwd=app_file.parent))


@app.command()
def report(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder for the report, its PDF, every export and the DPIA summary.")],
    ties: Annotated[list[Path] | None, typer.Option(help="Edge list per wave, oldest first (repeat --ties).")] = None,
    responses: Annotated[list[Path] | None, typer.Option(
        help="Survey export per wave, oldest first (repeat --responses), instead of --ties.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for every --responses file.")] = None,
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

    from onatool.outputs.pipeline import produce_outputs, summarise
    from onatool.share.disclosure import Disclosure

    if bool(ties) == bool(responses):
        raise typer.BadParameter("give the waves as --ties files or as --responses files (one per wave)",
                                 param_hint="--ties / --responses")
    disclosure = Disclosure(k=k, preset="nhs" if nhs_rounding else "k")
    export_disclosure, private = disclosure, None
    if reveal_names:
        from onatool.share.gate import private_folder

        who = user or getpass.getuser()
        private = private_folder(project, "report")
        export_disclosure = disclosure.reveal_names(user=who, project=project, audit=_audit(project),
                                                    detail=f"onatool report: analyst exports in {private}")
        console.print(f"[bold yellow]Names revealed in the analyst exports[/bold yellow], written only to "
                      f"{escape(str(private))}/ (recorded in the audit log as {escape(who)}); the report and "
                      "the files beside it name no one.")
    with console.status("Reading the roster and answers..."):
        results = [read_answers(roster, project=project, ties=path) for path in ties or []]
        results += [read_answers(roster, project=project, responses=path, recipe=recipe)
                    for path in responses or []]
    for result in results:
        _summarise(result)
    with console.status("Analysing, drawing and writing..."):
        outputs = produce_outputs(results, out, project=project, relation=relation, min_weight=min_weight,
                                  disclosure=disclosure, export_disclosure=export_disclosure, pdf=pdf,
                                  title=title, seed=seed, cohort=cohort, analyst_folder=private)
    for line in summarise(outputs, out):
        console.print(escape(line), highlight=False)
    console.print(f"Written to {escape(str(out))}/")


def read_waves(
    roster: Path,
    *,
    key: bytes,
    ties: list[Path] | None = None,
    responses: list[Path] | None = None,
    recipe: Path | None = None,
    aliases: Path | None = None,
    wave_names: list[str] | None = None,
    relation: str | None = None,
) -> list[ImportResult]:
    """Read each wave's answers against one roster, in the order given.

    Canonical ties files (``ties``): one wave each, labelled by ``wave_names`` if
    given (which must then match the file's wave column, if it has one, and the
    roster's ``waves`` column), else by the file's wave column or its name; or one
    file with a ``wave`` column and the waves named in ``wave_names``, in that order.

    Survey exports (``responses``): one per wave, each read through the import
    pipeline with the same ``recipe`` and ``aliases`` (detected when no recipe is
    given), labelled by ``wave_names`` or the file's name.
    """
    if bool(ties) == bool(responses):
        raise InputFormatError("give the waves as --ties files or as --responses files",
                               expected="one kind of answers file, once per wave")
    files = list(ties or responses or [])
    if len(files) == 1 and not (ties and wave_names and len(wave_names) > 1):
        raise InputFormatError(
            "comparing needs two or more waves",
            expected="--ties (or --responses) once per wave, or one ties file with a wave column "
                     "and --wave-names a,b",
        )
    if wave_names and len(files) > 1 and len(wave_names) != len(files):
        raise InputFormatError(
            f"{len(wave_names)} wave name(s) for {len(files)} files",
            expected="one name per file, in the same order",
        )
    if responses:
        return [
            import_responses(roster, path, key=key, recipe=recipe, aliases=aliases,
                             wave=wave_names[i] if wave_names else None)
            for i, path in enumerate(files)
        ]
    people = read_roster(roster, key=key)
    default_relation = relation or "tie"
    if len(files) == 1:
        files, labels = files * len(wave_names or []), list(wave_names or [])
    else:
        labels = list(wave_names or [None] * len(files))
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
    out: Annotated[Path, typer.Option(help="Folder for change.json, people_change.csv, ties_change.csv ...")],
    ties: Annotated[list[Path] | None, typer.Option(help="A wave's edge list (source,target as roster ids); repeat in time order.")] = None,
    responses: Annotated[list[Path] | None, typer.Option(help="A wave's survey export, read as 'onatool import --responses' does; repeat in time order.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for every --responses file (the one the first import wrote).")] = None,
    aliases: Annotated[Path | None, typer.Option(help="Alias file of name decisions, for --responses.")] = None,
    wave_names: Annotated[str | None, typer.Option(help="Comma-separated wave labels in the order of the files; with one ties file holding a wave column, the waves to take from it.")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to compare (default: the only one, or all merged).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight from which an answer counts as a tie (default: above 0).")] = None,
    symmetric: Annotated[bool | None, typer.Option("--symmetric/--directed", help="Compare unordered pairs (default: as the relation is declared).", show_default=False)] = None,
    cohort: Annotated[str | None, typer.Option(help='A cohort value, e.g. "Leadership programme", to compare with everyone else.')] = None,
    present: Annotated[str, typer.Option(help="Who is compared: 'respondents' (answered both waves) or 'all' (on both waves' rosters).")] = "respondents",
    seed: Annotated[int, typer.Option(help="Seed for the permutation tests.")] = 0,
    permutations: Annotated[int, typer.Option(help="Permutations for QAP and cohort p-values.")] = 1000,
    project: ProjectOption = "default",
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Compare two or more waves: tie churn, Jaccard, QAP, boundary change, deltas, cohort."""
    from onatool.compare import compare_waves
    from onatool.outputs.writers import write_comparison

    names = [w.strip() for w in wave_names.split(",") if w.strip()] if wave_names else None
    with console.status("Reading the roster and waves..."):
        waves = read_waves(roster, key=_key(project), ties=ties, responses=responses, recipe=recipe,
                           aliases=aliases, wave_names=names, relation=relation)
    for result in waves:
        _summarise(result)
    with console.status("Comparing the waves..."):
        comparison = compare_waves(
            [r.network for r in waves], relation=relation, min_weight=min_weight,
            symmetric=symmetric, cohort=cohort, present=present, seed=seed,
            permutations=permutations,
        )
        shared, analyst_gate, private = _gates(project, "compare", k=k, nhs=nhs_rounding, analyst=analyst,
                                               identifiable=False, user=user)
        latest = waves[-1].network.people
        write_comparison(comparison, out, shared, people=latest)
        if analyst_gate is not None:
            write_comparison(comparison, private, analyst_gate, people=latest)
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
