"""The files ``onatool analyse``, ``compare`` and ``import`` write, each through the gate.

Every table goes through :func:`onatool.share.gate.release` under the
:class:`~onatool.share.gate.Gate` given: a shareable gate suppresses, an analyst gate
(made only by :meth:`Gate.for_analyst`, which records itself in the audit log) passes
tables unchanged and is only ever pointed at a private folder
(:func:`onatool.share.gate.private_folder`). Names and the working files that link
typed names to pseudonyms (name-matching decisions, the full import report) are
written only by an analyst gate.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from onatool import schema
from onatool.errors import SuppressedError
from onatool.network import Network
from onatool.outputs.files import write_csv, write_json
from onatool.share.gate import Gate
from onatool.share.tables import _symmetric, response_table

__all__ = ["import_summary", "write_analysis", "write_comparison", "write_forums", "write_import", "write_partners",
           "write_places", "write_regression"]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in str(text))


def _policy(gate: Gate) -> dict[str, Any]:
    return {**gate.disclosure.describe(), "analyst_only": gate.analyst}


def _identities_allowed(gate: Gate, identities: pd.DataFrame | None) -> None:
    if identities is not None and not gate.analyst:
        raise SuppressedError("names and roster ids go only into analyst outputs in a private folder "
                              "(--identifiable is recorded in the audit log)")


def write_analysis(analysis: Any, network: Network, out: str | Path, gate: Gate, *,
                   identities: pd.DataFrame | None = None, key_fingerprint: str | None = None) -> list[Path]:
    """Write an ``Analysis`` as CSV and JSON files, through ``gate``.

    Parameters
    ----------
    analysis
        What :func:`onatool.metrics.analyse` returned for ``network``.
    network
        The wave analysed (its people's group sizes drive the suppression).
    out
        The folder (created if needed).
    gate
        The disclosure gate; an analyst gate writes the tables unsuppressed.
    identities
        ``id`` and ``name`` by ``person_id``, put first in ``people.csv``: only through
        an analyst gate.
    key_fingerprint
        The fingerprint of the pseudonym key (never the key), recorded in ``parameters.json``.

    Returns
    -------
    list of Path
        ``people.csv``, ``groups_<attr>.csv``, ``mixing_<attr>.csv``,
        ``block_density_<attr>.csv``, ``network.json``, ``levels.json`` (when levels are
        defined), ``health.json``, ``type_mix.csv`` (when the roster has actor types: who
        has ties to which kind of person, kinds under k left out), ``parameters.json`` (with the suppression policy, what the
        person-level gate changed and the key fingerprint).

    Raises
    ------
    SuppressedError
        Identities given to a shareable gate.
    """
    _identities_allowed(gate, identities)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    symmetric = bool(analysis.params.get("symmetric")) if analysis.params.get("symmetric") is not None \
        else _symmetric(network, analysis)
    people = gate.release("people", analysis.people)
    notes = list(people.attrs.get("notes", []))
    if identities is not None:
        people = pd.concat([identities.reindex(people.index)[[schema.ID, schema.NAME]], people], axis=1)
    written = [write_csv(people.rename_axis(schema.PERSON_ID), out / "people.csv")]
    for attribute, table in analysis.groups.items():
        slug = _slug(attribute)
        mixing = analysis.mixing.get(attribute)
        written.append(write_csv(gate.release("groups", table, mixing=mixing, symmetric=symmetric),
                                 out / f"groups_{slug}.csv"))
        if mixing is not None:
            for name, density in (("mixing", False), ("block_density", True)):
                matrix = gate.release("matrix", mixing, sizes=table["size"], symmetric=symmetric, density=density,
                                      respondents=table.get("respondents"))
                written.append(write_csv(matrix, out / f"{name}_{slug}.csv"))
    params = {**analysis.params, "suppression": _policy(gate), "person-level notes": notes,
              "key_fingerprint": key_fingerprint}
    written.append(write_json({**analysis.network, "params": params}, out / "network.json"))
    levels = gate.release("levels", analysis.levels, people=network.people)
    if levels is not None:
        written.append(write_json({**levels, "params": params}, out / "levels.json"))
    health = gate.release("health", analysis.health, people=network.people)
    written.append(write_json({**(health or {}), "params": params}, out / "health.json"))
    mix = _type_mix(network, analysis, gate)
    if mix is not None:
        written.append(write_csv(mix, out / "type_mix.csv"))
    written.append(write_json(params, out / "parameters.json"))
    return written


def _type_mix(network: Network, analysis: Any, gate: Gate) -> pd.DataFrame | None:
    """Who has ties to which kind of person (``actor_type``), kinds under k left out; None without types."""
    if schema.ACTOR_TYPE not in network.people.columns:
        return None
    from onatool.metrics.actors import type_mix

    relation = analysis.params.get("relation")
    mix = type_mix(network, relation=relation if isinstance(relation, str) else None,
                   min_weight=analysis.params.get("min_weight"))
    sizes = mix.drop_duplicates("actor_type").set_index("actor_type")["people"]
    shown = gate.release("by_group", sizes, sizes=sizes).index
    return mix[mix["actor_type"].isin(shown) & mix["tied_to"].isin(shown)].set_index(["actor_type", "tied_to"])


def write_comparison(comparison: Any, out: str | Path, gate: Gate, *, people: pd.DataFrame | None = None,
                     key_fingerprint: str | None = None) -> list[Path]:
    """Write a comparison's tables into a folder, pseudonymised, through ``gate``.

    ``people`` (the latest wave's) gives the level sizes the level rows are gated on;
    without it, every level row is withheld.

    Returns
    -------
    list of Path
        ``change.json``, ``people_change.csv``, ``people_status.csv``,
        ``network_change.csv``, ``ties_change.csv``, ``groups_change_<attribute>.csv``
        per attribute (groups under ``k`` in any wave left out), and ``cohort.json``
        (only when the cohort and everyone else each number ``k``) and ``timeline.csv``.
    """
    from onatool.compare.comparison import _people_status

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {**comparison.summary, "suppression": _policy(gate)}
    parameters = {**comparison.summary.get("params", {}), "suppression": _policy(gate),
                  "key_fingerprint": key_fingerprint}
    written = [
        write_json(summary, out / "change.json"),
        write_json(parameters, out / "parameters.json"),
        write_csv(gate.release("people", comparison.people), out / "people_change.csv"),
        write_csv(_people_status(comparison), out / "people_status.csv"),
        write_csv(gate.release("network_change", comparison.network, people=people), out / "network_change.csv"),
        write_csv(comparison.ties, out / "ties_change.csv", index=False),
    ]
    for attribute, table in comparison.groups.items():
        safe = gate.release("change_groups", table)
        if safe is not None:
            written.append(write_csv(safe, out / f"groups_change_{_slug(attribute)}.csv"))
    cohort = gate.release("cohort", comparison.cohort)
    if cohort is not None:
        written.append(write_json(dict(cohort), out / "cohort.json"))
    if comparison.timeline is not None:
        written.append(write_csv(comparison.timeline, out / "timeline.csv", index=False))
    return written


def write_regression(fit: Any, out: str | Path, gate: Gate, *, parameters: dict[str, Any] | None = None,
                     key_fingerprint: str | None = None) -> list[Path]:
    """Write a network regression through ``gate``: ``regression.json``, ``regression.csv``
    and ``parameters.json``.

    ``regression.json`` is ``{"model", "outcome", "cells", "permutations", "seed",
    "terms": [{"term", "coefficient", "p_value", "odds_ratio"?}]}`` (docs/metrics.md,
    "Network regression"); ``regression.csv`` one row per term with the same fields.
    ``parameters.json``: ``parameters`` as given (waves, predictors, relation ...), the
    statistic the permutation test compares, the suppression policy, what the gate
    withheld and the key fingerprint.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    released = gate.release("regression", fit)
    document = released.to_dict()
    table = pd.DataFrame(document["terms"], columns=["term", "coefficient", "p_value"]
                         + (["odds_ratio"] if document["model"] == "logistic" else []))
    params = {**(parameters or {}), "model": document["model"], "outcome": document["outcome"],
              "permutations": document["permutations"], "seed": document["seed"],
              "statistic": released.statistic,
              "p_value": "share of permutations (Dekker, Krackhardt & Snijders double semi-partialling, "
                         "rows and columns permuted together) whose statistic is at least as far from "
                         "zero as the observed one",
              "suppression": _policy(gate), "withheld": list(released.notes),
              "key_fingerprint": key_fingerprint}
    return [write_json(document, out / "regression.json"),
            write_csv(table, out / "regression.csv", index=False),
            write_json(params, out / "parameters.json")]


_QUOTED = re.compile(r"(['\"]).*?\1")


def import_summary(result: Any, gate: Gate) -> dict[str, Any]:
    """What an import did, with nothing typed by a person and no group under ``k``.

    Counts of rows and items by outcome, the reasons (with any quoted value taken
    out), how many names were decided each way, and response by group through the gate.
    """
    report = result.report
    reasons = Counter()
    for reason, n in report.reasons().items():
        reasons[_QUOTED.sub("…", reason)] += n
    decisions = Counter(str(n.get("decision", n.get("method", ""))) for n in report.names)
    network = result.network
    responses = {}
    for attribute in schema.BOUNDARY_ATTRIBUTES:
        if attribute in network.people.columns and network.people[attribute].notna().any():
            table = response_table(network, attribute, gate.disclosure)
            responses[attribute] = {str(g): {c: row[c] for c in table.columns} for g, row in table.iterrows()}
    return {
        "wave": network.wave,
        "counts": report.counts(),
        "rows_read": sum(report.rows_read.values()),
        "items_read": report.items_read,
        "balanced": report.balanced(),
        "reasons": dict(sorted(reasons.items())),
        "names": dict(sorted(decisions.items())),
        "names_awaiting_decision": len(report.review()),
        "columns_not_read": len(report.columns_dropped),
        "people": network.n_people,
        "respondents": len(network.respondents),
        "responses_by_group": responses,
        "suppression": _policy(gate),
    }


def _summary_markdown(summary: dict[str, Any]) -> str:
    c = summary["counts"]
    lines = ["# Import summary", "",
             f"Wave {summary['wave']}: {summary['rows_read']} rows read: {c['kept']} kept, {c['changed']} changed, "
             f"{c['dropped']} dropped, {c['doubted']} awaiting a decision.",
             f"{summary['respondents']} of {summary['people']} people answered.", ""]
    if summary["reasons"]:
        lines += ["## Changed, dropped or in doubt", "", "| what | count |", "| --- | --- |"]
        lines += [f"| {k.replace('|', '/')} | {v} |" for k, v in summary["reasons"].items()] + [""]
    if summary["names"]:
        lines += ["## Names", "", "| decision | count |", "| --- | --- |"]
        lines += [f"| {k} | {v} |" for k, v in summary["names"].items()] + [""]
    lines += ["Names as typed and the decisions about them are analyst-only: they are written, when asked "
              "(--analyst), to a private folder.", "", f"Suppression: {summary['suppression']['rule']}", ""]
    return "\n".join(lines)


def write_import(result: Any, out: str | Path, gate: Gate, *,
                 identities: pd.DataFrame | None = None, key_fingerprint: str | None = None) -> list[Path]:
    """Write a wave's tables: shareable through a shareable gate, working files through an analyst one.

    Through a shareable gate: ``people.csv`` (person-level gate), ``ties.csv``
    (pseudonyms), ``import_summary.json``/``.md`` (:func:`import_summary`) and the
    ``recipe.yaml`` used. Through an analyst gate (a private folder): ``people.csv``
    unsuppressed (with ``id`` and ``name`` when ``identities`` are given), ``ties.csv``,
    the full ``import_report.json``/``.md`` (which quotes what people typed) and
    ``match_decisions.csv`` (typed names beside pseudonyms). Either way ``parameters.json``:
    the wave, the suppression policy and the pseudonym key's fingerprint.
    """
    _identities_allowed(gate, identities)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    network = result.network
    people = gate.release("people", network.people)
    if identities is not None:
        people = identities[[schema.ID, schema.NAME]].join(people, how="right")
    written = [write_csv(people, out / "people.csv"), write_csv(network.ties, out / "ties.csv", index=False)]
    if gate.analyst:
        written.append(write_json(result.report.to_dict(), out / "import_report.json"))
        markdown = out / "import_report.md"
        markdown.write_text(result.report.to_markdown(), encoding="utf-8")
        written.append(markdown)
        if result.recipe is not None:
            written.append(write_csv(result.decisions(identifiable=identities is not None),
                                     out / "match_decisions.csv", index=False))
    else:
        summary = import_summary(result, gate)
        written.append(write_json(summary, out / "import_summary.json"))
        markdown = out / "import_summary.md"
        markdown.write_text(_summary_markdown(summary), encoding="utf-8")
        written.append(markdown)
    if result.recipe is not None:
        from onatool.io import save_recipe

        written.append(save_recipe(result.recipe, out / "recipe.yaml"))
    written.append(write_json({"wave": network.wave, "suppression": _policy(gate),
                               "key_fingerprint": key_fingerprint}, out / "parameters.json"))
    return written


def write_forums(analysis: Any, out: str | Path, gate: Gate, *, identities: pd.DataFrame | None = None,
                 params: dict[str, Any] | None = None, key_fingerprint: str | None = None) -> list[Path]:
    """Write boards-and-forums measures (:class:`~onatool.metrics.forums.ForumAnalysis`) through ``gate``.

    Returns
    -------
    list of Path
        ``forums.csv`` (size and organisational mix), ``forum_overlap.csv`` (shared
        members), ``forum_jaccard.csv``, ``forum_people.csv`` (forums sat on and sole
        bridges per person, k-anonymous like every person table), ``forums.json`` (the
        concentration summary) and ``parameters.json``.
    """
    _identities_allowed(gate, identities)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    people = gate.release("people", analysis.people)
    notes = list(people.attrs.get("notes", []))
    if identities is not None:
        people = pd.concat([identities.reindex(people.index)[[schema.ID, schema.NAME]], people], axis=1)
    written = [
        write_csv(gate.release("forums", analysis.forums), out / "forums.csv"),
        write_csv(gate.release("overlap", analysis.shared), out / "forum_overlap.csv"),
        write_csv(gate.release("overlap", analysis.jaccard, shared=analysis.shared), out / "forum_jaccard.csv"),
        write_csv(people.rename_axis(schema.PERSON_ID), out / "forum_people.csv"),
    ]
    parameters = {**(params or {}), "suppression": _policy(gate), "person-level notes": notes,
                  "key_fingerprint": key_fingerprint}
    written.append(write_json({**analysis.summary, "params": parameters}, out / "forums.json"))
    written.append(write_json(parameters, out / "parameters.json"))
    return written


def _write_page(html: str, path: Path) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


def write_partners(pairs: pd.DataFrame, organisations: pd.DataFrame, out: str | Path, gate: Gate, *,
                   params: dict[str, Any] | None = None, key_fingerprint: str | None = None) -> list[Path]:
    """Write PARTNER trust and value scores through ``gate`` (scores from fewer than k raters withheld).

    Returns
    -------
    list of Path
        ``partner_pairs.csv`` (raters' organisation -> organisation rated),
        ``partner_organisations.csv`` (each organisation as the others see it),
        ``partner_map.html`` (the organisation map, line width by trust) and ``parameters.json``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    parameters = {**(params or {}), "suppression": _policy(gate), "key_fingerprint": key_fingerprint,
                  "scale": "1 (not at all) to 4 (a great deal)"}
    from onatool.viz.maps import render_map
    from onatool.viz.partners import style_partner_map

    pairs, organisations = gate.release("ratings", pairs), gate.release("ratings", organisations)
    page = render_map(style_partner_map(pairs, organisations), title="Trust between partner organisations")
    return [write_csv(pairs, out / "partner_pairs.csv"),
            write_csv(organisations, out / "partner_organisations.csv"),
            _write_page(page, out / "partner_map.html"),
            write_json(parameters, out / "parameters.json")]


def write_places(table: pd.DataFrame, ranges: pd.DataFrame, out: str | Path, gate: Gate, *,
                 params: dict[str, Any] | None = None) -> list[Path]:
    """Write several places side by side (:func:`onatool.share.tables.place_comparison`, already gated).

    Returns
    -------
    list of Path
        ``places.csv`` (measures by place), ``places_range.csv`` (each place against the
        others' range), ``places.html`` (the comparison as a page to share),
        ``places.xlsx`` (both, with a README sheet) and ``parameters.json``.
    """
    from onatool.outputs.excel import write_excel
    from onatool.outputs.provenance import Provenance

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    parameters = {**(params or {}), "suppression": _policy(gate)}
    provenance = Provenance("each place's chosen wave", disclosure=gate.disclosure,
                            project=", ".join(str(c) for c in table.columns if c != "meaning"), extra=parameters)
    return [write_csv(table, out / "places.csv"),
            write_csv(ranges, out / "places_range.csv", index=False),
            _write_page(places_page(table, ranges, gate, parameters), out / "places.html"),
            write_excel(out / "places.xlsx", {"Places": table.reset_index(), "Against the others": ranges},
                        provenance),
            write_json(parameters, out / "parameters.json")]


def places_page(table: pd.DataFrame, ranges: pd.DataFrame, gate: Gate, params: dict[str, Any]) -> str:
    """The places comparison as one self-contained HTML page (already gated: it only formats)."""
    from onatool.compare.places import ABOVE, BELOW, shown_value
    from onatool.outputs.html import _environment

    places = [c for c in table.columns if c != "meaning"]
    intervals = ranges.set_index(["measure", "place"])[["low", "high"]]

    def cell(measure: str, place: str) -> str:
        text = shown_value(measure, table.at[measure, place])
        low, high = intervals.loc[(measure, place)] if (measure, place) in intervals.index else (None, None)
        if pd.notna(low) and pd.notna(high) and text != "not shown":
            text += f" ({shown_value(measure, low)} to {shown_value(measure, high)})"
        return text

    rows = [{"meaning": table.at[m, "meaning"], "cells": [cell(m, p) for p in places]} for m in table.index]
    outside = [f"{row.place}: {str(row.meaning).lower()} {shown_value(row.measure, row.value)}, {row.position}."
               for row in ranges[ranges["position"].isin([BELOW, ABOVE])].itertuples()]
    waves = params.get("waves", {})
    methods = (f"Relation: {params.get('relation') or 'the default (advice if asked, else the first)'}. Intervals: "
               f"{params.get('resamples', 'the default number of')} resamples of each place's respondents, seed "
               f"{params.get('seed', 0)}. Groups under {gate.disclosure.threshold} people are never shown.")
    return _environment().get_template("places.html.j2").render(
        title="Places side by side", places=[{"name": p, "wave": waves.get(p, "")} for p in places], rows=rows,
        outside=outside, k=gate.disclosure.threshold, methods=methods)
