"""From imported waves to a folder of shareable outputs: the report and every export.

:func:`produce_outputs` is what ``onatool report`` runs, and what the app can call:
waves in, files out, each under a :class:`~onatool.share.disclosure.Disclosure`.

The steps: choose the relation and threshold; analyse every wave (the latest with the
previous one's results, so health indicators show their movement); compare the waves
when there are two or more; lay the map out once over all waves (positions fixed per
project); write the report (HTML, then PDF), the exports and the DPIA summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from onatool import schema
from onatool.errors import NotDefinedError, SuppressedError
from onatool.io import ImportResult
from onatool.network import Network
from onatool.outputs.dpia import dpia_summary, write_dpia
from onatool.outputs.exports import EXPORTS, write_exports
from onatool.outputs.html import PdfError, render_pdf, report_map, write_report
from onatool.outputs.provenance import Provenance
from onatool.pseudonyms import onatool_home
from onatool.share.disclosure import Disclosure

__all__ = ["Outputs", "audit_file", "choose_relation", "produce_outputs", "summarise"]

#: ``--relation all`` merges every relation into one network.
ALL_RELATIONS = "all"


@dataclass
class Outputs:
    """What :func:`produce_outputs` wrote, and anything the user should know."""

    files: dict[str, list[Path]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def audit_file(path: str | Path | None = None) -> Callable[[str, str, str, str], None]:
    """An audit callable appending JSON lines to a file (default ``~/.onatool/audit.log``).

    For scripts and the CLI, which have no workspace: ``Workspace.audit`` does the same
    inside the workspace. Each line records when, who, the project and the action,
    never the names revealed.
    """
    target = Path(path) if path is not None else onatool_home() / "audit.log"

    def audit(project: str, user: str, action: str, detail: str = "") -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "project": project,
                 "user": user, "action": action, "detail": detail}
        with target.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")

    return audit


def choose_relation(networks: Sequence[Network], relation: str | None) -> str | None:
    """The relation to analyse: the one asked for, ``advice`` if present, else the first.

    Returns None for ``"all"`` (every relation merged).

    Raises
    ------
    NotDefinedError
        If the relation named is in none of the waves.
    """
    present = sorted({r for n in networks for r in n.relation_names})
    if relation == ALL_RELATIONS:
        return None
    if relation is not None:
        if relation not in present:
            raise NotDefinedError(
                f"relation {relation!r} is not in the answers; they hold {', '.join(present) or 'none'} "
                f"(or use {ALL_RELATIONS!r} to merge them)")
        return relation
    if not present:
        return None
    return "advice" if "advice" in present else present[0]


def _layer(network: Network, relation: str | None, min_weight: float | None) -> Network:
    if relation is not None and relation not in network.relation_names:
        # A wave where nobody answered this relation: same people, no ties.
        return Network(network.people, network.ties.iloc[0:0], network.wave, network.relations)
    return network.layer(relation, min_weight)


def produce_outputs(
    results: Sequence[ImportResult],
    out: str | Path,
    *,
    project: str = "",
    relation: str | None = None,
    min_weight: float | None = None,
    disclosure: Disclosure | None = None,
    export_disclosure: Disclosure | None = None,
    pdf: bool = True,
    title: str | None = None,
    seed: int = 0,
    cohort: str | None = None,
    include: Sequence[str] = EXPORTS,
    positions: pd.DataFrame | None = None,
    key_fingerprint: str | None = None,
    analyst_folder: str | Path | None = None,
    colours: Mapping[str, str] | None = None,
    room_notes: Mapping[str, Sequence[str]] | None = None,
    themes: Any = None,
    ratings: pd.DataFrame | None = None,
) -> Outputs:
    """Analyse the waves and write the report, the exports and the DPIA summary.

    Parameters
    ----------
    results
        Imported waves in time order (the latest is reported).
    out
        The folder to write into.
    project
        The project's name (recorded; never its key).
    key_fingerprint
        The fingerprint of the key the waves were read with (recorded; never the key).
    relation
        The relation analysed (see :func:`choose_relation`).
    min_weight
        Weight threshold (None: any weight above 0).
    disclosure
        For the report (names never shown there) and every export not overridden.
    export_disclosure
        For the analyst exports (Excel, CSV, GraphML, GEXF, Kumu), for example with
        names revealed; default ``disclosure``.
    pdf
        Also print the report to PDF (needs Chromium; a note says if it could not).
    title
        The report's title.
    seed
        For layouts, communities and permutation tests.
    cohort
        A cohort to compare (default: the only cohort on the roster, if one).
    include
        Which exports to write.
    positions
        The project's fixed layout (``person_id`` -> ``x``, ``y``), so report maps line up
        with the app's; default: computed over the waves given.
    analyst_folder
        Where exports carrying names go (``export_disclosure`` with names revealed): a
        private folder, never ``out``. ``out`` then holds the pseudonymised exports.
    colours
        The project's colour per organisation (``Project.palette``), so the report's map
        colours each organisation as the app does.
    room_notes
        What the room said, by finding key, shown under each finding in the report.
    themes
        The project's theme set (``Project.themes()``), which groups the report's findings.
    ratings
        PARTNER trust and value answers (:class:`onatool.io.ratings.Ratings`' ``answers``):
        the report gains "Trust and value between partner organisations" and ``partners/``
        gets ``partner_pairs.csv``, ``partner_organisations.csv`` and the organisation map,
        all through the gate's ``ratings`` rule, raters placed by the latest roster.

    Raises
    ------
    SuppressedError
        Names revealed for the exports but no ``analyst_folder`` (or it is inside ``out``).
    """
    from dataclasses import replace

    from onatool.inference.resampling import attach_intervals
    from onatool.metrics import REGISTRY, analyse
    from onatool.viz.layout import compute_layout

    if not results:
        raise NotDefinedError("no wave to report: give at least one ties file")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    disclosure = (disclosure or Disclosure()).hiding_names()
    export_disclosure = export_disclosure or disclosure
    if export_disclosure.names_revealed:
        if analyst_folder is None or Path(analyst_folder).resolve().is_relative_to(out.resolve()):
            raise SuppressedError("exports carrying names go only to a private folder, never beside the "
                                  "report and shareable files")
        Path(analyst_folder).mkdir(parents=True, exist_ok=True)
    outputs = Outputs()
    waves = [r.network for r in results]
    relation = choose_relation(waves, relation)
    layers = [_layer(w, relation, min_weight) for w in waves]
    latest = layers[-1]

    analyses = []
    for layer in layers:
        analyses.append(analyse(layer, seed=seed, previous=analyses[-1] if analyses else None))
    analyses[-1] = attach_intervals(analyses[-1], latest, seed=seed)  # engine.RESAMPLES resamples
    analysis = analyses[-1]
    comparison = None
    if len(layers) > 1:
        comparison = _compare(layers, analyses, seed=seed, cohort=cohort, notes=outputs.notes)
        if comparison.health is not None:  # better/worse decided on the balanced panel's intervals
            analysis = replace(analysis, health=comparison.health)

    if positions is None or not all(layer.people.index.isin(positions.index).all() for layer in layers):
        positions = compute_layout(layers, seed=seed)
    identities = results[-1].roster.identities
    provenance = Provenance(
        latest.wave, relation=relation, min_weight=min_weight, disclosure=disclosure, project=project,
        previous_wave=layers[-2].wave if len(layers) > 1 else None, extra={"seed": seed},
        key_fingerprint=key_fingerprint,
    )
    definitions = {str(name): str(getattr(spec, "sentence", "")) for name, spec in REGISTRY.items()}
    questions = {name: info.question for name, info in latest.relations.items() if info.question}

    partners = None
    if ratings is not None and len(ratings):
        from onatool.metrics.partner import partner_scores
        from onatool.outputs.writers import write_partners
        from onatool.share.gate import Gate

        partners = partner_scores(ratings, results[-1].roster.people)
        outputs.files["partners"] = write_partners(
            *partners, out / "partners", Gate(disclosure),
            params={"respondents": int(ratings["person_id"].nunique())}, key_fingerprint=key_fingerprint)
    map_parts = report_map(latest, positions, disclosure, analysis=analysis, colours=colours)
    html = write_report(out / "report.html", latest, provenance, analysis=analysis, comparison=comparison,
                        map_parts=map_parts, definitions=definitions, questions=questions, title=title,
                        room_notes=room_notes, themes=themes, partners=partners)
    outputs.files["report"] = [html]
    if pdf:
        try:
            outputs.files["report"].append(render_pdf(html, out / "report.pdf"))
        except PdfError as error:
            outputs.notes.append(f"No PDF: {error}")

    analyst_exports = ("excel", "csv", "graphml", "gexf", "kumu")
    overrides = {name: export_disclosure for name in analyst_exports}
    outputs.files.update(write_exports(
        out, latest, provenance, analysis=analysis, comparison=comparison, identities=None,
        positions=positions, definitions=definitions, include=include))
    if export_disclosure.names_revealed:
        named = write_exports(
            Path(analyst_folder), latest, provenance, analysis=analysis, comparison=comparison,
            identities=identities, positions=positions, definitions=definitions, disclosures=overrides,
            include=[name for name in include if name in analyst_exports])
        outputs.files.update({f"{name} (with names)": paths for name, paths in named.items()})

    summary = dpia_summary(waves, identities=identities, disclosure=disclosure, project=project,
                           questions=questions, ratings=ratings,
                           exports={"report": disclosure.hiding_names(), "maps": disclosure,
                                    **{k: v for k, v in overrides.items() if k in include}})
    outputs.files["dpia"] = write_dpia(out, summary)
    return outputs


def _compare(layers: Sequence[Network], analyses: Sequence[Any], *, seed: int, cohort: str | None,
             notes: list[str]) -> Any:
    """``compare_waves`` on the layered waves, with the cohort if there is one."""
    from onatool.compare import compare_waves

    if cohort is None:
        cohorts = sorted({str(v) for v in layers[-1].people.get(schema.COHORT, []) if isinstance(v, str) and v})
        cohort = cohorts[0] if len(cohorts) == 1 else None
        if len(cohorts) > 1:
            notes.append(f"Several cohorts on the roster ({', '.join(cohorts)}); none compared. "
                         "Name one with --cohort.")
    return compare_waves(list(layers), cohort=cohort, seed=seed, analyses=list(analyses))


def summarise(outputs: Outputs, out: Path) -> list[str]:
    """Lines for the console: what was written where."""
    lines = []
    for name, paths in outputs.files.items():
        names = [str(p.relative_to(out)) if p.is_relative_to(out) else str(p) for p in paths]
        folders = {str(p.parent.relative_to(out)) for p in paths if p.is_relative_to(out)}
        shown = (f"{len(names)} files in {folders.pop()}/" if len(names) > 4 and len(folders) == 1
                 else ", ".join(names))
        lines.append(f"{name}: {shown}")
    return lines + outputs.notes
