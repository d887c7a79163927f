"""The ``onatool`` command: the same functions the app calls, for scripts.

Every command is pseudonymised by default; ``--identifiable`` adds roster ids and
names to the people table where it is offered.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.markup import escape

from onatool.errors import InputFormatError, OnaError, Place

if TYPE_CHECKING:  # the analysis stack is imported by the commands that use it, so --help stays fast
    from onatool.io import ImportResult
    from onatool.project import Project

app = typer.Typer(
    name="onatool",
    help="Organisational network analysis for health and care partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)

ProjectOption = Annotated[
    str | None,
    typer.Option(help="Project name: the project of that name in the workspace ($ONATOOL_HOME, shared with "
                      "the app; created if missing) gives its pseudonym key and name decisions, so ids stay "
                      "stable across runs. Without it, a throwaway workspace: ids are new each run."),
]
DecisionsOption = Annotated[
    Path | None,
    typer.Option(help="Name decisions file (JSON; identifying: keep it in a private folder, never in --out). "
                      "Its decisions are used; a .json file is then rewritten with the project's decisions and "
                      "the names awaiting one (fill in 'decision' and 'person', then run again). An older YAML "
                      "alias file is read, never written."),
]


@contextmanager
def open_project(name: str | None) -> Iterator[Project]:
    """The project a command works in: the named one in the home workspace, or a throwaway one.

    Its key fingerprint is printed, and a changed key between its waves is a loud warning.
    """
    from onatool.project import Project, home_workspace

    if name is None:
        with Project.throwaway() as project:
            console.print(f"No --project: a throwaway workspace (pseudonym key {project.fingerprint}); "
                          "ids will differ next run.", highlight=False)
            yield project
        return
    project = Project.open(home_workspace(), name, create=True)
    console.print(f"Project {escape(project.name)!r}: pseudonym key {project.fingerprint}.", highlight=False)
    for warning in project.key_warnings():
        console.print(f"[bold red]WARNING: {escape(warning)}[/bold red]", highlight=False)
    yield project


def _decisions_file(path: Path | None, out: Path | None) -> Path | None:
    """Refuse a decisions file inside the output folder: it names people."""
    if path is None:
        return None
    if out is not None and path.resolve().is_relative_to(out.resolve()):
        raise InputFormatError(
            f"--decisions {path} is inside --out {out}: the decisions file names people",
            expected="a decisions file in a private folder, outside the folder of shareable outputs",
        )
    return path


# Output writing: every file through the disclosure gate -----------------------------------

AnalystOption = Annotated[bool, typer.Option(
    help="Also write the unsuppressed, analyst-only versions (and, for import, the name-matching "
         "decisions and the full import report) to a private folder under ONATOOL_HOME; recorded in "
         "the audit log.")]
UserOption = Annotated[str | None, typer.Option(help="Who is asking for analyst-only files or names "
                                                     "(default: your login); recorded in the audit log.")]
KOption = Annotated[int, typer.Option("--k", help="Hide groups of fewer than k people in the shareable files.")]
NhsOption = Annotated[bool, typer.Option(help="NHS rule: 1-7 shown as *, other counts rounded to 5.")]


def _audit(project: Project | None):
    """Where a reveal or an analyst-only write is recorded: the project's workspace log, or the
    per-user audit file when the command runs on a throwaway workspace."""
    from onatool.outputs.pipeline import audit_file

    if project is None or project.is_throwaway:
        return audit_file()
    return project.workspace.audit


def _gates(project: Project | None, command: str, *, k: int, nhs: bool, analyst: bool, identifiable: bool,
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
    name = project.name if project is not None else "scratch"
    audit = _audit(project)
    private = private_folder(name, command)
    detail = f"onatool {command}: analyst-only files in {private}"
    gate = Gate.for_analyst(disclosure, user=who, project=name, audit=audit, detail=detail)
    if identifiable:
        audit(name, who, "names revealed", f"onatool {command} --identifiable: names in {private}")
    console.print(f"[bold yellow]Analyst-only files[/bold yellow] (unsuppressed{', with names' if identifiable else ''}) "
                  f"written to {escape(str(private))}/, recorded in the audit log as {escape(who)}. "
                  "Do not share them.")
    return shared, gate, private


def write_import(result: ImportResult, out: Path, *, identifiable: bool = False, k: int = 5, nhs: bool = False,
                 analyst: bool = False, user: str | None = None, project: Project | None = None) -> list[Path]:
    """Write a wave's shareable tables into ``out`` through the gate; analyst-only files (names,
    name-matching decisions, the full import report) only to a private folder, audited."""
    from onatool.outputs.writers import write_import as write_gated

    shared, analyst_gate, private = _gates(project, "import", k=k, nhs=nhs, analyst=analyst,
                                           identifiable=identifiable, user=user)
    fingerprint = project.fingerprint if project is not None else None
    written = write_gated(result, out, shared, key_fingerprint=fingerprint)
    if analyst_gate is not None:
        identities = result.roster.identities if identifiable else None
        written += write_gated(result, private, analyst_gate, identities=identities, key_fingerprint=fingerprint)
    return written


@app.command("import")
def import_command(
    out: Annotated[Path, typer.Option(help="Folder to write people.csv, ties.csv and the import report.")],
    roster: Annotated[Path | None, typer.Option(
        help="Roster CSV/XLSX: one row per person (optional with a whole-network --ties file, whose "
             "nodes then are the people).")] = None,
    ties: Annotated[Path | None, typer.Option(
        help="Edge list CSV/XLSX (source,target[,relation,weight,wave]), adjacency matrix, or a whole "
             "network: GraphML, GEXF, Pajek .net, UCINET DL, Kumu or Polinode workbook.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet to read (default: found by content).")] = None,
    matrix: Annotated[Path | None, typer.Option(help="Adjacency matrix CSV/XLSX, one sheet per relation.")] = None,
    responses: Annotated[Path | None, typer.Option(
        help="A survey export (Microsoft Forms, Qualtrics, SurveyMonkey, Google Forms, wide grid, "
             "multi-select sheet, Network Canvas folder or GraphML).")] = None,
    recipe: Annotated[Path | None, typer.Option(
        help="Recipe (YAML/JSON) saying how --responses is read; not needed when the export gives "
             "its layout away.")] = None,
    decisions: DecisionsOption = None,
    layout: Annotated[str | None, typer.Option(help="Force the layout of --responses when detecting.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label (and the rows kept when the file has a wave column).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation name for files without a relation column.")] = None,
    project: ProjectOption = None,
    identifiable: Annotated[bool, typer.Option(
        help="Add roster id and name columns to the analyst-only people.csv and match_decisions.csv, in a "
             "private folder; recorded in the audit log.")] = False,
    save: Annotated[bool, typer.Option(
        help="Also save the wave in the --project (replacing a wave of the same name), as the app's import "
             "does: the app then shows it, and a later wave read with another key is flagged.")] = False,
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
    if responses is None and (recipe or decisions or layout):
        raise InputFormatError("--recipe, --decisions and --layout go with --responses",
                               expected="--responses FILE")
    decisions = _decisions_file(decisions, out)
    if save and project is None:
        raise InputFormatError("--save needs a project to save into", expected="--project NAME")
    with open_project(project) as chosen:
        if decisions is not None:
            chosen.read_decisions_file(decisions)
        with console.status("Reading the roster and answers..."):
            if responses is not None and roster is None:
                raise InputFormatError("--responses needs --roster", expected="--roster FILE")
            result = read_one(chosen, roster, ties=ties, matrix=matrix, responses=responses, recipe=recipe,
                              wave=wave, relation=relation, layout=layout, sheet=sheet)
        with console.status(f"Writing to {out}..."):
            written = write_import(result, out, identifiable=identifiable, k=k, nhs=nhs_rounding,
                                   analyst=analyst, user=user, project=chosen)
        if decisions is not None and decisions.suffix.lower() == ".json":
            chosen.write_decisions_file(decisions, result)
        if save:
            info = chosen.save_wave(result, replace=True)
            console.print(f"Saved as wave {escape(info.name)!r} of project {escape(chosen.name)!r}.", highlight=False)
            if recipe is not None and _recipe_rates(recipe):
                kept = chosen.import_ratings(responses, recipe=recipe, user=user)  # PARTNER's grids, audited
                console.print(f"Trust and value ratings kept: {kept.report.notes[-1]}.", highlight=False)
                _print_unkept(kept.report)
    _summarise(result)
    review = result.report.review()
    if review:
        where = f"fill them in in {decisions}" if decisions is not None and decisions.suffix.lower() == ".json" \
            else "give --decisions FILE.json (in a private folder) to list them, fill them in"
        console.print(f"{len(review)} name(s) await a decision: {where}, then import again.")
    console.print(f"Written to {out}/ ({', '.join(p.name for p in written)})")


def _recipe_rates(recipe: Path) -> bool:
    """Whether a recipe reads PARTNER trust and value grids as well (a survey pack's recipe)."""
    from onatool.io.recipe import load_recipe

    return bool(load_recipe(recipe).ratings)


def read_one(
    project: Project, roster: Path | None, *, ties: Path | None = None, matrix: Path | None = None,
    responses: Path | None = None, recipe: Path | None = None, wave: str | None = None,
    relation: str | None = None, layout: str | None = None, sheet: str | None = None,
) -> ImportResult:
    """One wave from loose files, read through the project (its key and name decisions).

    Without a roster (and none saved in the project), ``ties`` must be a whole-network file.
    """
    from onatool.io import load_recipe

    if responses is not None:
        return project.read_wave(responses, layout="survey export", wave=wave, roster_file=roster,
                                 recipe=load_recipe(recipe) if recipe is not None else None,
                                 detect_layout=layout, sheet=sheet)
    if (ties is None) == (matrix is None):
        raise InputFormatError("give either a ties file or a matrix file, not both or neither")
    if matrix is not None:
        return project.read_wave(matrix, layout="matrix", wave=wave, roster_file=roster, relation=relation)
    return project.read_wave(ties, layout="edge list", wave=wave, roster_file=roster, relation=relation,
                             sheet=sheet)


def read_answers(
    roster: Path, *, project: Project, ties: Path | None = None, responses: Path | None = None,
    recipe: Path | None = None, wave: str | None = None, relation: str | None = None,
) -> ImportResult:
    """One wave from a canonical ties file or a survey export (shared by analyse, compare, report)."""
    if (ties is None) == (responses is None):
        raise InputFormatError("give one of --ties or --responses", expected="one file of answers")
    return read_one(project, roster, ties=ties, responses=responses, recipe=recipe, wave=wave, relation=relation)


@app.command()
def analyse(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder for people.csv, groups_*.csv, network.json, levels.json ...")],
    ties: Annotated[Path | None, typer.Option(help="Canonical ties file: source,target[,relation,weight].")] = None,
    responses: Annotated[Path | None, typer.Option(help="A survey export, read through the import pipeline.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for --responses.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label (or the rows kept from a file with a wave column).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to analyse (default: advice if the answers hold it, else the first by name; 'all' merges them).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight from which an answer counts as a tie (default: above 0).")] = None,
    symmetric: Annotated[bool | None, typer.Option("--symmetric/--directed", help="Override whether the relation is mutual.")] = None,
    attributes: Annotated[str | None, typer.Option(help="Boundary attributes, comma-separated (default: organisation, sector, profession, level, place).")] = None,
    seed: Annotated[int, typer.Option(help="Seed for permutation tests, communities and the resampled intervals.")] = 0,
    resamples: Annotated[int | None, typer.Option(help="Resamples of respondents behind each 95% interval "
                                                       "(default: onatool's, 200; 0: none).")] = None,
    project: ProjectOption = None,
    identifiable: Annotated[bool, typer.Option(help="Add roster id and name columns to an analyst-only "
                                                    "people.csv in a private folder; recorded in the audit log.")] = False,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Measure one wave: centrality, boundary spanning, brokerage, groups, levels and health."""
    from onatool import paths

    answers = ties or responses
    large = answers is not None and answers.is_file() and answers.stat().st_size >= paths.STANDBY_BYTES
    with paths.standby(large):  # the shortest paths' second process loads while this one reads
        _analyse(roster, out, ties, responses, recipe, wave, relation, min_weight, symmetric, attributes, seed,
                 resamples, project, identifiable, analyst, user, k, nhs_rounding)


def _analyse(roster, out, ties, responses, recipe, wave, relation, min_weight, symmetric, attributes, seed,
             resamples, project, identifiable, analyst, user, k, nhs_rounding) -> None:
    from onatool.metrics import analyse as analyse_network
    from onatool.outputs.writers import write_analysis
    from onatool.project import choose_relation, relation_statement

    with open_project(project) as opened:
        with console.status("Reading the roster and answers..."):
            result = read_answers(roster, project=opened, ties=ties, responses=responses, recipe=recipe,
                                  wave=wave, relation=None if ties is None else "tie")
        shared, analyst_gate, private = _gates(opened, "analyse", k=k, nhs=nhs_rounding, analyst=analyst,
                                               identifiable=identifiable, user=user)
        fingerprint = opened.fingerprint
    _summarise(result)
    chosen = [a.strip() for a in attributes.split(",") if a.strip()] if attributes else None
    analysed = choose_relation([result.network], relation)
    console.print(relation_statement(analysed, relation), highlight=False)
    with console.status("Measuring the network..."):
        analysis = analyse_network(result.network, relation=analysed, min_weight=min_weight, symmetric=symmetric,
                                   attributes=chosen, seed=seed)
    from onatool.engine import RESAMPLES

    resamples = RESAMPLES if resamples is None else resamples
    if resamples > 0:
        from onatool.inference.resampling import attach_intervals

        with console.status(f"Resampling respondents ({resamples} resamples)..."):
            analysis = attach_intervals(analysis, result.network, resamples=resamples, seed=seed)
    written = write_analysis(analysis, result.network, out, shared, key_fingerprint=fingerprint)
    if analyst_gate is not None:
        identities = result.roster.identities if identifiable else None
        write_analysis(analysis, result.network, private, analyst_gate, identities=identities,
                       key_fingerprint=fingerprint)
    facts = analysis.network
    console.print(
        f"Density {facts['density']:.3f}, reciprocity {facts['reciprocity']:.2f}, "
        f"E-I by organisation {facts.get('ei_organisation', float('nan')):+.2f}."
    )
    _print_intervals(facts)
    if "note" in analysis.params["betweenness"]:
        console.print(analysis.params["betweenness"]["note"], highlight=False)
    console.print(f"Written to {out}/ ({len(written)} files)")


def _print_intervals(facts: dict) -> None:
    """The headline figures' 95% intervals, with the resamples and seed behind them."""
    intervals = facts.get("intervals")
    if not intervals:
        return
    shown = [f"{name} {intervals['measures'][name]['low']:.3f} to {intervals['measures'][name]['high']:.3f}"
             for name in ("density", "reciprocity") if name in intervals["measures"]
             and intervals["measures"][name]["low"] == intervals["measures"][name]["low"]]
    console.print(f"95% intervals: {'; '.join(shown) or 'none defined'} ({intervals['resamples']} resamples of "
                  f"respondents, seed {intervals['seed']}). Ratios are over the pairs the answers cover.")


@app.command()
def forums(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    membership: Annotated[Path, typer.Option(
        help="Who sits on which board or forum: one column per forum (x / yes / 1), or a 'forum' column "
             "(several forums separated by ';').")],
    out: Annotated[Path, typer.Option(help="Folder for forums.csv, forum_overlap.csv, forum_people.csv ...")],
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet of --membership to read.")] = None,
    attribute: Annotated[str, typer.Option(help="Attribute whose mix each forum is measured on.")] = "organisation",
    project: ProjectOption = None,
    identifiable: Annotated[bool, typer.Option(help="Add roster id and name columns to an analyst-only "
                                                    "forum_people.csv in a private folder; recorded in the audit log.")] = False,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Boards, forums and programmes: size and mix, shared members, who bridges them, and whether the
    same small group is in every room."""
    from onatool.io.membership import read_membership
    from onatool.metrics.forums import analyse_forums
    from onatool.outputs.writers import write_forums

    with open_project(project) as opened:
        people = opened.roster(roster)
        read = read_membership(membership, people, sheet=sheet)
        shared, analyst_gate, private = _gates(opened, "forums", k=k, nhs=nhs_rounding, analyst=analyst,
                                               identifiable=identifiable, user=user)
        fingerprint = opened.fingerprint
    counts = read.report.counts()
    console.print(f"{read.report.notes[-1]}. Rows: {counts['kept']} kept, {counts['dropped']} dropped.",
                  highlight=False)
    _print_unkept(read.report)
    analysis = analyse_forums(read.seats, people.people, attribute=attribute, forums=read.forums)
    params = {"membership": membership.name, "attribute": attribute, "forums": len(read.forums)}
    written = write_forums(analysis, out, shared, params=params, key_fingerprint=fingerprint)
    if analyst_gate is not None:
        write_forums(analysis, private, analyst_gate, identities=people.identities if identifiable else None,
                     params=params, key_fingerprint=fingerprint)
    summary = analysis.summary
    console.print(
        f"{summary['members']} people hold {summary['seats']} seats on {summary['forums']} forums; the busiest "
        f"{summary['busiest_members']} hold {summary['busiest_seat_share']:.0%} of the seats, and "
        f"{summary['in_half_or_more']} sit on at least half of the forums.", highlight=False)
    console.print(f"Written to {out}/ ({len(written)} files)")


@app.command()
def partners(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person, with their organisation.")],
    ratings: Annotated[Path, typer.Option(
        help="Trust and value ratings: one row per respondent and partner organisation, one column per "
             "question (1-4 or 'Not at all' ... 'A great deal').")],
    out: Annotated[Path, typer.Option(help="Folder for partner_pairs.csv and partner_organisations.csv.")],
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet of --ratings to read.")] = None,
    recipe: Annotated[Path | None, typer.Option(
        help="--ratings is a survey platform's export: read its trust and value grids with the recipe "
             "`onatool survey` wrote for that platform.")] = None,
    project: ProjectOption = None,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Trust and value between partner organisations, as PARTNER scores them, with the raters behind each score."""
    from onatool.io.ratings import ratings_from_export, read_ratings
    from onatool.io.recipe import load_recipe
    from onatool.metrics.partner import partner_scores
    from onatool.outputs.writers import write_partners

    with open_project(project) as opened:
        people = opened.roster(roster)
        read = (ratings_from_export(ratings, load_recipe(recipe), people) if recipe is not None
                else read_ratings(ratings, people, sheet=sheet))
        shared, analyst_gate, private = _gates(opened, "partners", k=k, nhs=nhs_rounding, analyst=analyst,
                                               identifiable=False, user=user)
        fingerprint = opened.fingerprint
    counts = read.report.counts()
    console.print(f"{read.report.notes[-1]}. Rows: {counts['kept']} kept, {counts['changed']} changed, "
                  f"{counts['dropped']} dropped.", highlight=False)
    _print_unkept(read.report)
    pairs, organisations = partner_scores(read.answers, people.people)
    params = {"ratings": ratings.name, "respondents": int(read.answers["person_id"].nunique())}
    written = write_partners(pairs, organisations, out, shared, params=params, key_fingerprint=fingerprint)
    if analyst_gate is not None:
        write_partners(pairs, organisations, private, analyst_gate, params=params, key_fingerprint=fingerprint)
    shown = shared.release("ratings", organisations).dropna(subset=["trust"]).sort_values("trust")
    for name, row in shown.iterrows():
        console.print(f"  {escape(str(name))}: trust {row['trust']:.1f}, value {row['value']:.1f} of 4 "
                      f"({row['raters']} raters from {row['organisations']} organisations)", highlight=False)
    console.print(f"Written to {out}/ ({len(written)} files)")


@app.command()
def places(
    project: Annotated[list[str], typer.Option("--project", help="A place's project (give two or more).")],
    out: Annotated[Path, typer.Option(help="Folder for places.csv, places_range.csv and places.xlsx.")],
    wave: Annotated[list[str] | None, typer.Option(
        help="The wave of each place, in the order of --project (default: each place's latest).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to compare (default: advice, else the first).")] = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Several places side by side: the same measures for each, each place set against the others' range."""
    from onatool.outputs.writers import write_places
    from onatool.project import Project, home_workspace
    from onatool.share.tables import place_comparison

    if len(project) < 2:
        raise InputFormatError("places compares two or more places", expected="--project A --project B ...")
    if wave and len(wave) != len(project):
        raise InputFormatError(f"{len(wave)} --wave for {len(project)} --project",
                               expected="one --wave per --project, in the same order, or none")
    workspace = home_workspace()
    networks, analyses, chosen = {}, {}, {}
    for position, name in enumerate(project):
        opened = Project.open(workspace, name)
        waves = opened.wave_names()
        if not waves:
            raise InputFormatError(f"project {name!r} has no saved wave", expected="import a wave with --project first")
        chosen[opened.name] = wave[position] if wave else waves[-1]
        with console.status(f"Measuring {opened.name}..."):
            networks[opened.name] = opened.load_wave(chosen[opened.name])
            analyses[opened.name] = opened.analyse(chosen[opened.name], relation=relation)
    shared, _, _ = _gates(None, "places", k=k, nhs=nhs_rounding, analyst=False, identifiable=False, user=None)
    table, ranges = place_comparison(analyses, networks, shared.disclosure)
    from onatool.engine import RESAMPLE_SEED, RESAMPLES

    written = write_places(table, ranges, out, shared, params={"waves": chosen, "relation": relation,
                                                               "resamples": RESAMPLES, "seed": RESAMPLE_SEED})
    response = table.loc["network.response_rate"]
    console.print("Response: " + ", ".join(f"{escape(p)} {response[p]:.0%}" for p in analyses), highlight=False)
    from onatool.compare.places import ABOVE, BELOW

    outside = ranges[ranges["position"].isin([BELOW, ABOVE])]  # whole 95% interval clear of the others'
    if outside.empty:
        console.print("No place is clearly above or below the others on any measure (95% intervals overlap).",
                      highlight=False)
    for row in outside.itertuples():
        console.print(f"  {escape(row.place)}: {row.meaning.lower()} {row.value:.2f}, {row.position} "
                      f"({row.others_low:.2f} to {row.others_high:.2f})", highlight=False)
    console.print(f"Written to {out}/ ({len(written)} files)")


@app.command()
def responses(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: everyone the survey was sent to.")],
    responses: Annotated[Path | None, typer.Option(help="The survey export so far (partial is fine).")] = None,
    ties: Annotated[Path | None, typer.Option(help="Or a canonical ties file of the answers so far.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for --responses.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label.")] = None,
    target: Annotated[float, typer.Option(help="Response rate aimed for in every group.")] = 0.70,
    by: Annotated[str, typer.Option(help="Attributes to break the response down by, comma-separated.")] =
        "organisation,level",
    out: Annotated[Path | None, typer.Option(help="Also write responses_<attribute>.csv here (shareable).")] = None,
    reminders: Annotated[bool, typer.Option(
        help="Write who has not answered (id, name, email) to a private folder for reminders; recorded in "
             "the audit log.")] = False,
    project: ProjectOption = None,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """While a survey is open: the response rate by group against a target, which groups are under it,
    and the history of earlier checks (with --project)."""
    from onatool import schema
    from onatool.outputs.files import write_csv
    from onatool.share.tables import response_progress

    attributes = [a.strip() for a in by.split(",") if a.strip()]
    with open_project(project) as opened:
        with console.status("Reading the roster and answers..."):
            result = read_answers(roster, project=opened, ties=ties, responses=responses, recipe=recipe,
                                  wave=wave, relation=None if ties is None else "tie")
        shared, analyst_gate, private = _gates(opened, "responses", k=k, nhs=nhs_rounding, analyst=reminders,
                                               identifiable=reminders, user=user)
        history = None
        if not opened.is_throwaway:
            source = (responses or ties).name
            opened.record_responses(result.network, source=source, attributes=attributes)
            history = opened.response_history(result.network.wave)
    net = result.network
    answered = int(net.people[schema.RESPONDED].sum())
    console.print(f"Wave {net.wave!r}: {answered} of {net.n_people} people have answered "
                  f"({answered / max(net.n_people, 1):.0%}); the target is {target:.0%} in every group.",
                  highlight=False)
    written = []
    for attribute in attributes:
        table = response_progress(net, attribute, shared.disclosure, target=target)
        if table.empty:
            console.print(f"No {attribute!r} column in the roster.", highlight=False)
            continue
        under = table[table["under_target"]]
        console.print(f"By {attribute}: {len(under)} of {len(table)} group(s) under {target:.0%}.", highlight=False)
        for group, row in under.sort_values("response_rate").iterrows():
            console.print(f"  {escape(str(group))}: {row['respondents']} of {row['size']} "
                          f"({row['response_rate']:.0%}), {row['still_needed']} more needed", highlight=False)
        if out is not None:
            written.append(write_csv(table, Path(out) / f"responses_{attribute}.csv"))
    if history is not None and len(history) > 1:
        console.print("Earlier checks of this wave:", highlight=False)
        for row in history.itertuples():
            console.print(f"  {row.at}: {row.respondents} of {row.people} ({row.response_rate:.0%}) from "
                          f"{escape(row.source)}", highlight=False)
    if analyst_gate is not None:
        from onatool.project import reminder_list

        table = reminder_list(net, result.roster.identities)
        path = write_csv(table, private / "not_answered.csv", index=False)
        console.print(f"{len(table)} people who have not answered: {escape(str(path))}", highlight=False)
    if written:
        console.print(f"Written to {out}/ ({len(written)} files)")


@app.command("map")
def map_command(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="The HTML file to write (one self-contained page, works offline).")],
    ties: Annotated[Path | None, typer.Option(help="Canonical ties file: source,target[,relation,weight].")] = None,
    responses: Annotated[Path | None, typer.Option(help="A survey export, read through the import pipeline.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for --responses.")] = None,
    wave: Annotated[str | None, typer.Option(help="Wave label (or the rows kept from a file with a wave column).")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to draw (default as for analyse).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight from which an answer counts as a tie.")] = None,
    colour_by: Annotated[str, typer.Option(help="Person attribute to colour by.")] = "organisation",
    project: ProjectOption = None,
    identifiable: Annotated[bool, typer.Option(help="Also write a map with names to a private folder; "
                                                    "recorded in the audit log.")] = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Write the network map as one self-contained offline HTML page (WebGL), through the disclosure gate."""
    import getpass

    from onatool.outputs.static_maps import map_data
    from onatool.project import choose_relation, relation_statement
    from onatool.viz.layout import compute_layout
    from onatool.viz.webmap import render_webmap

    if out.suffix.lower() not in (".html", ".htm"):
        raise InputFormatError(f"--out {out} is not an HTML file", expected="a path ending in .html")
    with open_project(project) as opened:
        with console.status("Reading the roster and answers..."):
            result = read_answers(roster, project=opened, ties=ties, responses=responses, recipe=recipe,
                                  wave=wave, relation=None if ties is None else "tie")
        shared, analyst_gate, private = _gates(opened, "map", k=k, nhs=nhs_rounding, analyst=False,
                                               identifiable=identifiable, user=user)
        project_name = opened.name
    _summarise(result)
    drawn = choose_relation([result.network], relation)
    console.print(relation_statement(drawn, relation), highlight=False)
    network = result.network.layer(drawn, min_weight) if drawn else result.network
    positions = compute_layout(network, seed=0)

    def page(disclosure, identities=None) -> str:
        data = map_data(network, positions, disclosure, identities=identities, colour_by=colour_by, size_by=None)
        facts = (f"Wave {network.wave}; relation {drawn or 'all'}; ties from weight {min_weight or 'above 0'}; "
                 f"{disclosure.rule()}; onatool {onatool_version()}.")
        data = type(data)(data.nodes, data.edges, data.legend, [*data.notes, facts], data.annotations)
        return render_webmap(data, title=f"Network map: wave {network.wave}")

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(shared.disclosure), encoding="utf-8")
    console.print(f"Written to {out} (names hidden; {shared.disclosure.rule()})")
    if analyst_gate is not None and private is not None:
        named = analyst_gate.disclosure.reveal_names(
            user=user or getpass.getuser(), project=project_name, audit=lambda *_: None,
            detail="recorded above as onatool map --identifiable")
        target = private / out.name
        target.write_text(page(named, result.roster.identities), encoding="utf-8")
        console.print(f"Map with names written to {escape(str(target))} (analyst only; do not share).")


def onatool_version() -> str:
    from onatool import __version__

    return __version__


@app.command()
def survey(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: the people the survey asks about.")],
    out: Annotated[Path, typer.Option(help="Folder for the Excel grid, the Forms text and the Forms recipe.")],
    instrument: Annotated[str, typer.Option(
        help="Instrument name (bundled in surveys/) or a YAML file.")] = "ics_relationships",
    project: ProjectOption = None,
) -> None:
    """Write a ready-to-send survey: Excel roster grid, Microsoft Forms text and recipe."""
    from onatool.surveys import load_instrument, write_survey_pack

    chosen = load_instrument(instrument)
    with open_project(project) as opened:
        written = write_survey_pack(chosen, opened.roster(roster), out)
    console.print(f"{chosen.title}: {len(chosen.questions)} questions. Written to {out}/ "
                  f"({', '.join(p.name for p in written)})")


def _print_unkept(report) -> None:
    """Every row a sheet's reader changed or dropped, and every column it did not read, one line each."""
    for row in report.rows:
        if row.outcome != "kept":
            console.print(f"  {escape(row.file)} row {row.row}: {escape(row.reason)}", highlight=False)
    for item in report.items:
        if item.outcome != "kept":
            console.print(f"  {escape(item.file)} row {item.row}: {escape(item.reason)}", highlight=False)
    for column in report.columns_dropped:
        console.print(f"  column {escape(column['column'])!r} not read: {escape(column['reason'])}", highlight=False)


def _summarise(result: ImportResult) -> None:
    net, counts = result.network, result.report.counts()
    console.print(
        f"Wave {net.wave!r}: {net.n_people} people, {len(net.respondents)} answered "
        f"({net.response_rate:.0%}), {net.n_ties} ties in {', '.join(net.relation_names) or 'no relation'}."
    )
    console.print(
        f"Rows: {counts['kept']} kept, {counts['changed']} changed, {counts['dropped']} dropped, "
        f"{counts['doubted']} in doubt. Names awaiting a decision: {len(result.report.review())}."
    )


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Also write each wave's tables and analysis here.")] = None,
) -> None:
    """Import and analyse the bundled sample ICS place, and print what it shows."""
    from onatool.metrics import analyse as analyse_network
    from onatool.outputs.writers import write_analysis
    from onatool.sample import describe_sample, load_sample
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
    with console.status("Comparing the waves..."):
        story = describe_sample([result.network for result in waves])
    console.print("\nWhat the sample shows (synthetic data, planted on purpose; see sample_data/README.md):")
    for paragraph in story:
        console.print(f"  {paragraph}", highlight=False, soft_wrap=True)
    console.print("Open the app with `make app` to explore the maps.")


#: Addresses that only this computer can reach.
LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: Addresses that mean "every address of this computer".
ANY_ADDRESS = ("0.0.0.0", "::", "")


def ui_command(app_file: Path, *, port: int, host: str = "127.0.0.1", max_upload_mb: int = 50,
               allow_remote: bool = False, secrets: dict | None = None,
               allowed_hosts: Sequence[str] = ()) -> list[str]:
    """The command line of the server ``onatool ui`` runs (checked, not run).

    ``onatool ui`` runs it in its own process (:func:`onatool.app.server.main` with
    these arguments), so stopping ``onatool ui`` stops the server.

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
    allowed_hosts
        Host names people type to reach a hosted server (``ona.example.nhs.uk``); the
        server answers those and this computer's names only (DNS-rebinding defence). A
        ``host`` that is one address (not 0.0.0.0 or ::) is allowed by itself.

    Raises
    ------
    InputFormatError
        A remote address without sign-in or ``--allow-remote``; a remote address with
        no name to answer to; a non-positive upload limit.

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
    names = [name.strip() for name in allowed_hosts if name.strip()]
    if host not in LOOPBACK and host not in ANY_ADDRESS:
        names.append(f"[{host}]" if ":" in host else host)
    if host not in LOOPBACK:  # hosted: the address sign-in sends people back to is the public name
        secrets = read_secret_files(secret_files(app_file.parent)) if secrets is None else secrets
        redirect = urlsplit(str(((secrets.get("auth") or {}).get("redirect_uri")) or ""))
        if redirect.hostname:
            names.append(redirect.netloc.rpartition("@")[2])
    if host in ANY_ADDRESS and not names:
        raise InputFormatError(
            f"--host {host} listens on every address, but the server answers only the host names "
            "it is told (so that no other web site can reach it through a browser)",
            expected="--allowed-host NAME for each name people type to reach it, e.g. "
                     "--allowed-host ona.example.nhs.uk",
        )
    return [
        sys.executable, "-m", "onatool.app.server", str(app_file),
        *[part for name in names for part in ("--allowed-host", name)],
        "--server.address", host, "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "type",
        "--client.disableDataExport", "true",
        "--server.maxUploadSize", str(max_upload_mb), "--server.fileWatcherType", "none",
        "--server.enableXsrfProtection", "true",
    ]


@app.command()
def ui(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    workspace: Annotated[Path | None, typer.Option(help="Workspace file (default: workspace.sqlite in ONATOOL_HOME, ~/.onatool).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but 127.0.0.1 needs sign-in "
                                           "configured (docs/hosting.md) or --allow-remote.")] = "127.0.0.1",
    allow_remote: Annotated[bool, typer.Option(help="Listen on --host even though nobody has to sign in.")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="A host name people type to reach a hosted server (repeat for each); the server "
             "answers only these and this computer's names.")] = None,
    max_upload_mb: Annotated[int, typer.Option(help="Largest upload the server accepts, in MB (default "
                                                    "$ONATOOL_MAX_UPLOAD_MB or 50).")] = 0,
) -> None:
    """Start the app on this computer (127.0.0.1 only), opened on the sample partnership.

    The server runs in this process: Ctrl+C or SIGTERM stops it."""
    import os

    from onatool.app import server

    app_file = Path(__file__).resolve().parents[1] / "app.py"
    if not app_file.exists():
        raise InputFormatError(f"the app entry file is missing at {app_file}", expected="a checkout of onatool")
    limit = max_upload_mb or int(os.environ.get("ONATOOL_MAX_UPLOAD_MB", "50"))
    command = ui_command(app_file, port=port, host=host, max_upload_mb=limit, allow_remote=allow_remote,
                         allowed_hosts=allowed_host or ())
    os.environ["ONATOOL_MAX_UPLOAD_MB"] = str(limit)  # the app's own file checks use the same limit
    if workspace is not None:
        os.environ["ONATOOL_WORKSPACE"] = str(workspace.expanduser().absolute())  # the server moves to the app's folder
    if host not in LOOPBACK and allow_remote:
        console.print(f"[bold yellow]onatool listens on {escape(host)} with --allow-remote[/bold yellow]: "
                      "anyone who can reach this address can open every project.")
    shown = f"[{host}]" if ":" in host else host
    console.print(f"onatool is running at http://{escape(shown)}:{port} (Ctrl+C to stop)")
    raise SystemExit(server.main(command[3:]))


@app.command()
def report(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person.")],
    out: Annotated[Path, typer.Option(help="Folder for the report, its PDF, every export and the DPIA summary.")],
    ties: Annotated[list[Path] | None, typer.Option(help="Edge list per wave, oldest first (repeat --ties).")] = None,
    responses: Annotated[list[Path] | None, typer.Option(
        help="Survey export per wave, oldest first (repeat --responses), instead of --ties.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for every --responses file.")] = None,
    project: ProjectOption = None,
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
    ratings: Annotated[Path | None, typer.Option(
        help="PARTNER trust and value ratings (a ratings sheet) for the section 'Trust and value between "
             "partner organisations' (default: the ratings kept in --project, if any).")] = None,
) -> None:
    """Write the stakeholder report (HTML and PDF) and every export into one folder."""
    import getpass

    from onatool.outputs.pipeline import produce_outputs, summarise
    from onatool.project import choose_relation, relation_statement
    from onatool.share.disclosure import Disclosure

    if bool(ties) == bool(responses):
        raise typer.BadParameter("give the waves as --ties files or as --responses files (one per wave)",
                                 param_hint="--ties / --responses")
    disclosure = Disclosure(k=k, preset="nhs" if nhs_rounding else "k")
    export_disclosure = disclosure
    private = None
    with open_project(project) as opened:
        if reveal_names:
            from onatool.share.gate import private_folder

            who = user or getpass.getuser()
            private = private_folder(opened.name, "report")
            export_disclosure = disclosure.reveal_names(user=who, project=opened.name, audit=_audit(opened),
                                                        detail=f"onatool report: analyst exports in {private}")
            console.print(f"[bold yellow]Names revealed in the analyst exports[/bold yellow], written only to "
                          f"{escape(str(private))}/ (recorded in the audit log as {escape(who)}); the report and "
                          "the files beside it name no one.")
        with console.status("Reading the roster and answers..."):
            results = [read_answers(roster, project=opened, ties=path) for path in ties or []]
            results += [read_answers(roster, project=opened, responses=path, recipe=recipe)
                        for path in responses or []]
        fingerprint = opened.fingerprint
        colours = opened.palette("organisation") if not opened.is_throwaway else None
        themes = opened.themes()
        partner = _report_ratings(opened, ratings, results[-1].roster) if results else None
    for result in results:
        _summarise(result)
    console.print(relation_statement(choose_relation([r.network for r in results], relation), relation),
                  highlight=False)
    with console.status("Analysing, drawing and writing..."):
        outputs = produce_outputs(results, out, project=project or "", relation=relation, min_weight=min_weight,
                                  disclosure=disclosure, export_disclosure=export_disclosure, pdf=pdf,
                                  title=title, seed=seed, cohort=cohort, key_fingerprint=fingerprint,
                                  analyst_folder=private, colours=colours, themes=themes,
                                  ratings=None if partner is None else partner.answers)
    for line in summarise(outputs, out):
        console.print(escape(line), highlight=False)
    console.print(f"Written to {escape(str(out))}/")


def _report_ratings(opened: Project, path: Path | None, roster):
    """The PARTNER ratings a report shows: the file given, else the project's kept ones (or None)."""
    if path is not None:
        from onatool.io.ratings import read_ratings

        read = read_ratings(path, roster)
        counts = read.report.counts()
        console.print(f"Ratings: {read.report.notes[-1]}. Rows: {counts['kept']} kept, {counts['changed']} "
                      f"changed, {counts['dropped']} dropped.", highlight=False)
        _print_unkept(read.report)
        return read
    kept = None if opened.is_throwaway else opened.ratings()
    if kept is not None:
        console.print(f"Ratings: the project's, from {escape(kept.source or 'a ratings sheet')} "
                      f"({len(kept.answers)} answers).", highlight=False)
    return kept


def read_waves(
    roster: Path,
    *,
    project: Project,
    ties: list[Path] | None = None,
    responses: list[Path] | None = None,
    recipe: Path | None = None,
    wave_names: list[str] | None = None,
    relation: str | None = None,
) -> list[ImportResult]:
    """Read each wave's answers against one roster, in the order given.

    Canonical ties files (``ties``): one wave each, labelled by ``wave_names`` if
    given (which must then match the file's wave column, if it has one, and the
    roster's ``waves`` column), else by the file's wave column or its name; or one
    file with a ``wave`` column and the waves named in ``wave_names``, in that order.

    Survey exports (``responses``): one per wave, each read through the import
    pipeline with the same ``recipe`` and the project's name decisions (detected when no recipe is
    given), labelled by ``wave_names`` or the file's name.
    """
    from onatool.io import load_recipe, read_ties

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
            project.read_wave(path, layout="survey export", roster_file=roster,
                              recipe=load_recipe(recipe) if recipe is not None else None,
                              wave=wave_names[i] if wave_names else None)
            for i, path in enumerate(files)
        ]
    people = project.roster(roster)
    default_relation = relation or "tie"
    if len(files) == 1:
        files, labels = files * len(wave_names or []), list(wave_names or [])
    else:
        labels = list(wave_names or [None] * len(files))
    results = []
    for path, label in zip(files, labels, strict=True):
        result = read_ties(path, people, wave=label, relation=default_relation)  # one roster read for all
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
    decisions: DecisionsOption = None,
    wave_names: Annotated[str | None, typer.Option(help="Comma-separated wave labels in the order of the files; with one ties file holding a wave column, the waves to take from it.")] = None,
    relation: Annotated[str | None, typer.Option(help="Relation to compare (default: advice if the answers hold it, else the first by name; 'all' merges them).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight from which an answer counts as a tie (default: above 0).")] = None,
    symmetric: Annotated[bool | None, typer.Option("--symmetric/--directed", help="Compare unordered pairs (default: as the relation is declared).", show_default=False)] = None,
    cohort: Annotated[str | None, typer.Option(help='A cohort value, e.g. "Leadership programme", to compare with everyone else.')] = None,
    present: Annotated[str, typer.Option(help="Who is compared: 'respondents' (answered both waves) or 'all' (on both waves' rosters).")] = "respondents",
    seed: Annotated[int, typer.Option(help="Seed for the permutation tests.")] = 0,
    permutations: Annotated[int, typer.Option(help="Permutations for QAP and cohort p-values.")] = 1000,
    resamples: Annotated[int | None, typer.Option(help="Resamples of respondents behind each interval of change on the "
                                                       "balanced panel (default: onatool's, 200; 0: none).")] = None,
    project: ProjectOption = None,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Compare two or more waves: tie churn, Jaccard, QAP, boundary change, deltas, cohort."""
    from onatool.compare import compare_waves
    from onatool.engine import RESAMPLES
    from onatool.outputs.writers import write_comparison
    from onatool.project import choose_relation, relation_statement

    if responses is None and decisions is not None:
        raise InputFormatError("--decisions goes with --responses", expected="--responses FILE per wave")
    decisions = _decisions_file(decisions, out)
    names = [w.strip() for w in wave_names.split(",") if w.strip()] if wave_names else None
    with open_project(project) as opened:
        if decisions is not None:
            opened.read_decisions_file(decisions)
        with console.status("Reading the roster and waves..."):
            waves = read_waves(roster, project=opened, ties=ties, responses=responses, recipe=recipe,
                               wave_names=names, relation=relation if ties else None)
        if decisions is not None and decisions.suffix.lower() == ".json":
            opened.write_decisions_file(decisions, waves[-1])
        shared, analyst_gate, private = _gates(opened, "compare", k=k, nhs=nhs_rounding, analyst=analyst,
                                               identifiable=False, user=user)
        fingerprint = opened.fingerprint
    for result in waves:
        _summarise(result)
    analysed = choose_relation([r.network for r in waves], relation)
    console.print(relation_statement(analysed, relation), highlight=False)
    with console.status("Comparing the waves..."):
        comparison = compare_waves(
            [r.network for r in waves], relation=analysed, min_weight=min_weight,
            symmetric=symmetric, cohort=cohort, present=present, seed=seed,
            permutations=permutations, resamples=RESAMPLES if resamples is None else resamples,
        )
        latest = waves[-1].network.people
        write_comparison(comparison, out, shared, people=latest, key_fingerprint=fingerprint)
        if analyst_gate is not None:
            write_comparison(comparison, private, analyst_gate, people=latest, key_fingerprint=fingerprint)
    s = comparison.summary
    console.print(
        f"{s['people_compared']} people compared ({s['joiners']} joined, {s['leavers']} left, "
        f"{s['not_compared']} did not answer in both waves). Ties: {s['stable']} stable, "
        f"{s['lost']} lost, {s['new']} new; Jaccard {s['jaccard']:.2f}; "
        f"QAP r = {s['qap_correlation']:.2f} (p = {s['qap_p']:.3g})."
    )
    console.print(escape(s["jaccard_reading"]), highlight=False)
    panel = s.get("panel") or {}
    if panel.get("people"):
        verdicts = ", ".join(f"{n} {v}" for v, n in sorted(panel["assessments"].items()))
        console.print(f"Health, {' to '.join(panel['waves'])}, among the {panel['people']} people who answered both: "
                      f"{verdicts or 'nothing to assess'} ({panel['resamples']} resamples, seed {panel['seed']}; "
                      "better or worse only when the 95% interval of the change excludes zero).", highlight=False)
    console.print(f"Written to {out}/")


@app.command()
def regress(
    roster: Annotated[Path, typer.Option(help="Roster CSV/XLSX: one row per person, for every wave.")],
    out: Annotated[Path, typer.Option(help="Folder for regression.json, regression.csv and parameters.json.")],
    outcome: Annotated[str, typer.Option(help="A relation (advice, advice@baseline) or 'new': ties in the last wave that were not in the one before.")],
    predictor: Annotated[list[str] | None, typer.Option("--predictor", "-p", help="A term (repeat): a relation (trust, trust@baseline), 'earlier' (the outcome's relation a wave before), same:ATTR, sender:ATTR, receiver:ATTR, sender:ATTR=VALUE, receiver:ATTR=VALUE. The intercept is always in.")] = None,
    ties: Annotated[list[Path] | None, typer.Option(help="A wave's edge list; repeat in time order (the last is the outcome's wave).")] = None,
    responses: Annotated[list[Path] | None, typer.Option(help="A wave's survey export; repeat in time order.")] = None,
    recipe: Annotated[Path | None, typer.Option(help="Recipe for every --responses file.")] = None,
    wave_names: Annotated[str | None, typer.Option(help="Comma-separated wave labels in the order of the files (used in RELATION@WAVE terms).")] = None,
    relation: Annotated[str | None, typer.Option(help="For --outcome new: the relation whose new ties are the outcome (default: the only one, or advice).")] = None,
    min_weight: Annotated[float | None, typer.Option(help="Weight from which an answer counts as a tie (default: above 0).")] = None,
    model: Annotated[str, typer.Option(help="linear (OLS, = sna netlm) or logistic (= sna netlogit).")] = "linear",
    permutations: Annotated[int, typer.Option(help="QAP permutations per term (double semi-partialling).")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed for the permutations: the same seed gives the same p-values.")] = 0,
    project: ProjectOption = None,
    analyst: AnalystOption = False,
    user: UserOption = None,
    k: KOption = 5,
    nhs_rounding: NhsOption = False,
) -> None:
    """Network regression (MRQAP): does being on a programme predict new ties, allowing for organisation, level and earlier ties?"""
    from onatool.inference import regress as fit_regression
    from onatool.inference.regression import p_text
    from onatool.outputs.writers import write_regression

    names = [w.strip() for w in wave_names.split(",") if w.strip()] if wave_names else None
    files = list(ties or responses or [])
    with open_project(project) as opened:
        with console.status("Reading the roster and waves..."):
            if len(files) == 1 and not (names and len(names) > 1):
                waves = [read_answers(roster, project=opened, ties=ties[0] if ties else None,
                                      responses=responses[0] if responses else None, recipe=recipe,
                                      wave=names[0] if names else None, relation=None if responses else "tie")]
            else:
                waves = read_waves(roster, project=opened, ties=ties, responses=responses, recipe=recipe,
                                   wave_names=names, relation=None if responses else "tie")
        shared, analyst_gate, private = _gates(opened, "regress", k=k, nhs=nhs_rounding, analyst=analyst,
                                               identifiable=False, user=user)
        fingerprint = opened.fingerprint
    for result in waves:
        _summarise(result)
    networks = [r.network for r in waves]
    chosen = relation
    if outcome == "new" and chosen is None:
        relations = networks[-1].relation_names
        chosen = "advice" if "advice" in relations else (relations[0] if len(relations) == 1 else None)
    with console.status(f"Fitting and permuting ({permutations} per term)..."):
        fit = fit_regression(networks, outcome, predictor or [], model=model, relation=chosen,
                             min_weight=min_weight, permutations=permutations, seed=seed)
    parameters = {"waves": [n.wave for n in networks], "predictors": list(predictor or []),
                  "relation": chosen, "min_weight": min_weight}
    write_regression(fit, out, shared, parameters=parameters, key_fingerprint=fingerprint)
    if analyst_gate is not None:
        write_regression(fit, private, analyst_gate, parameters=parameters, key_fingerprint=fingerprint)
    console.print(f"{fit.model.capitalize()} MRQAP of {escape(fit.outcome)} over {fit.cells} pairs, "
                  f"{fit.permutations} permutations per term (seed {fit.seed}):", highlight=False)
    for term in fit.terms:
        p = term["p_value"]
        shown_p = "not tested" if p is None else f"p {p_text(p)}" if p < 0.001 else f"p = {p_text(p)}"
        odds = f", odds ratio {term['odds_ratio']:.2f}" if "odds_ratio" in term else ""
        console.print(f"  {escape(term['term'])}: {term['coefficient']:+.4f}{odds} ({shown_p})", highlight=False)
    console.print(f"Written to {escape(str(out))}/")


def main() -> None:
    """Entry point: run the command line (:func:`run`) and end the process with its exit code.

    The process ends without Python's teardown (:func:`_leave`).
    """
    _leave(run())


def run() -> int | str | None:
    """Run the command line on ``sys.argv``; its exit code (as ``sys.exit`` reads it).

    An OnaError becomes one clear line and exit code 2. Every file and folder a command
    creates is owner-only (0600 / 0700), whoever writes it.
    """
    from onatool.files_safety import owner_only_umask

    owner_only_umask()
    if sys.argv[1:2] != ["ui"] and "pandas" not in sys.modules:
        _hide_arrow()
    try:
        app()
    except OnaError as error:
        console.print(f"[red]onatool: {type(error).__name__}:[/red] {escape(str(error))}", highlight=False,
                      soft_wrap=True)  # one line, however long
        return 2
    except SystemExit as finished:  # how Typer ends every command
        return finished.code
    return 0


def _hide_arrow() -> None:
    """Let pandas load without pyarrow, in a command that never needs it (0.08 s of its start).

    pandas imports pyarrow, when it is installed, to keep text columns in Arrow arrays;
    without it they hold Python strings: the same values, the same files (the import
    pipeline's, the metrics', the outputs' and the report's tests pass either way). Only
    Streamlit needs pyarrow, and ``onatool ui`` never hides it.
    """
    sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  # "import pyarrow" fails


def _leave(code: int | str | None) -> None:
    """End the process with ``code`` (as ``sys.exit`` reads it), without Python's teardown.

    Freeing every module and object one by one takes a tenth of a second or more after an
    analysis (pandas, igraph and their data), and nothing needs it by now: every file,
    database connection, temporary folder and second process is closed by the command's
    own ``with`` blocks. Output is flushed first. A crash with a traceback never comes here.
    """
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()
    os._exit(code)
