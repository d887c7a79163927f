"""The stakeholder report: one self-contained HTML file, and a PDF of it for board papers.

:func:`build_report` gathers what a programme board needs, already protected by the
:class:`~onatool.share.disclosure.Disclosure` (groups under ``k`` merged or hidden, no names
ever: the report is for stakeholders, names belong only in analyst exports), and
renders ``outputs/templates/report.html.j2`` with jinja2 (autoescape on). Survey text
reaches the page only through autoescaped expressions or as JSON inside the map's
own document; the charts are inline SVG whose text matplotlib escapes.

The file works offline and can be emailed: styles, charts, the interactive map (and
its vis-network library) are all inside it; nothing is fetched from anywhere.

:func:`render_pdf` prints it with headless Chromium (playwright, all network requests
refused), with the static map in place of the interactive one.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from onatool import __version__, schema
from onatool.errors import OnaError
from onatool.metrics.registry import LOW_RESPONSE, REGISTRY, describe, share_text
from onatool.metrics.registry import label as registry_label
from onatool.network import Network
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.share.gate import release
from onatool.share.insights import Insight, insights, top_insights
from onatool.share.tables import group_tables, matrix_tables, people_by, response_table
from onatool.share.themes import ThemeSet, by_theme, theme_set

__all__ = ["CHROMIUM", "MapParts", "PdfError", "build_report", "render_pdf", "report_context",
           "report_map", "write_report"]

CHROMIUM = "/usr/bin/chromium"

_GROUP_HEADINGS = {
    "size": "People",
    "respondents": "Answered",
    "response_rate": "Response rate",
    "ties_within": "Ties within",
    "ties_out": "Ties sent out",
    "ties_in": "Ties received from outside",
    "ei": "E-I index",
    "density_within": "Density within",
}

# Labels and sentences come from the metric registry, the one home of the words.
_NETWORK_FACTS = tuple(
    (key, registry_label(f"network.{key}"), describe(f"network.{key}"), kind)
    for key, kind in (("density", "pct1"), ("reciprocity", "pct"), ("transitivity", "pct"),
                      ("components", "int"), ("isolates", "int"))
)


@dataclass(frozen=True)
class MapParts:
    """The map in the report: interactive HTML (a whole document) and a static image.

    Attributes
    ----------
    html
        The self-contained map document (vis-network inlined), shown in an iframe.
    image
        A static rendering (SVG text or PNG bytes), printed in the PDF.
    image_type
        ``"svg"`` or ``"png"``.
    legend
        ``[(colour, group), ...]`` for the legend under the map.
    caption
        What the map shows, in a sentence.
    """

    html: str | None = None
    image: str | bytes | None = None
    image_type: str = "svg"
    legend: Sequence[tuple[str, str]] = field(default_factory=tuple)
    caption: str = ""

    def image_uri(self) -> str | None:
        """The static image as a ``data:`` URI."""
        if self.image is None:
            return None
        data = self.image.encode() if isinstance(self.image, str) else self.image
        mime = "image/svg+xml" if self.image_type == "svg" else "image/png"
        return f"data:{mime};base64," + base64.b64encode(data).decode()


def report_map(
    network: Network,
    positions: pd.DataFrame,
    disclosure: Disclosure,
    *,
    analysis: Any = None,
    colour_by: str = schema.ORGANISATION,
    colours: Mapping[str, str] | None = None,
) -> MapParts:
    """The report's map: workshop mode always (no labels, groups only, small groups merged).

    Parameters
    ----------
    network
        The wave drawn.
    positions
        The project's fixed layout (``onatool.viz.layout.compute_layout`` over every wave).
    disclosure
        Supplies the threshold; names are never shown in the report.
    analysis
        Sizes people by ``degree`` when it has it.
    colour_by
        The attribute coloured.
    colours
        The project's colour per group of ``colour_by`` (``Project.palette``).
    """
    import tempfile

    from onatool.outputs.static_maps import map_data
    from onatool.viz.maps import render_map, render_static

    data = map_data(network, positions, disclosure.hiding_names(), analysis=analysis,
                    colour_by=colour_by, colours=colours)
    html = render_map(data, height="560px")
    with tempfile.TemporaryDirectory() as folder:
        image = render_static(data, Path(folder) / "map.png", "png", dpi=110).read_bytes()
    legend = [(entry["colour"], entry["label"]) for entry in data.legend if entry.get("kind") == "colour"]
    sized = any(entry.get("kind") == "size" for entry in data.legend)
    caption = ("Each dot is a person, coloured by " + colour_by + ("; bigger dots have more contacts" if sized else "")
               + ". Each line is a tie one of them named, the arrow pointing to the person named. People "
               "who work together sit near each other. No one is labelled.")
    return MapParts(html=html, image=image, image_type="png", legend=legend, caption=caption)


def _csp_scripts(map_parts: MapParts | None) -> str:
    """The map's own script hashes, so the report allows exactly those scripts and no other."""
    if map_parts is None or not map_parts.html:
        return "'none'"
    found = re.search(r"script-src ([^;\"]+)", map_parts.html)
    return found.group(1).strip() if found else "'none'"


def _join_csp(*sources: str) -> str:
    """Script sources of several embedded maps as one ``script-src`` list."""
    found = [token for text in sources for token in text.split() if token != "'none'"]
    return " ".join(dict.fromkeys(found)) or "'none'"


def _partner_section(partners: tuple[pd.DataFrame, pd.DataFrame], disclosure: Disclosure, *,
                     draw: bool = True) -> dict[str, Any] | None:
    """Trust and value between partner organisations, after the gate (a score from fewer than k raters withheld).

    Pairs whose scores the gate withheld are left out of the table and the map, and
    counted in a note.
    """
    from onatool.viz.maps import render_map, render_static
    from onatool.viz.partners import style_partner_map

    pairs, organisations = (release("ratings", table, disclosure) for table in partners)
    if not len(pairs) and not len(organisations):
        return None
    scored = pairs[["value", "trust"]].notna().any(axis=1)
    seen = organisations[["value", "trust"]].notna().any(axis=1)
    shown_pairs = pairs[scored].sort_index()
    pair_table = shown_pairs.reset_index().rename(columns={
        "rater_organisation": "Raters' organisation", "rated": "Organisation rated", "value": "Value",
        "trust": "Trust", "raters": "Raters"}).set_index("Raters' organisation")
    kinds = {"Value": "score", "Trust": "score", "Raters": "int", "From organisations": "int"}
    org_table = organisations[seen].sort_index().rename(columns={
        "value": "Value", "trust": "Trust", "raters": "Raters", "organisations": "From organisations"})
    section: dict[str, Any] = {
        "organisations": _table(org_table, kinds=kinds, index_label="Organisation"),
        "pairs": _table(pair_table, kinds=kinds, index_label="Raters' organisation"),
        "hidden_pairs": int((~scored).sum()), "hidden_organisations": int((~seen).sum()),
        "html": None, "uri": None, "csp": "'none'", "caption": ""}
    if draw and scored.any():
        import tempfile

        data = style_partner_map(shown_pairs, organisations[seen])
        section["html"] = render_map(data, height="520px")
        with tempfile.TemporaryDirectory() as folder:
            image = render_static(data, Path(folder) / "partners.png", "png", dpi=110).read_bytes()
        section["uri"] = MapParts(image=image, image_type="png").image_uri()
        section["csp"] = _csp_scripts(MapParts(html=section["html"]))
        section["caption"] = " ".join(data.notes)
    return section


# Formatting ----------------------------------------------------------------------------------


def _fmt(value: object, kind: str = "auto") -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "pct":
        return share_text(float(value))  # the one rule: never "0%" of something that exists
    if kind == "pct1":
        return f"{float(value):.1%}"
    if kind == "p":
        return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"
    if kind == "score":  # a PARTNER score, 1 to 4
        return f"{float(value):.2f}"
    if kind == "int" or (isinstance(value, int)) or (isinstance(value, float) and float(value).is_integer() and kind == "auto" and abs(value) >= 1):
        return f"{int(round(float(value))):,}"
    if 0 < abs(float(value)) < 0.01:
        return f"{float(value):.2g}"
    return f"{float(value):.2f}"


def _table(frame: pd.DataFrame, *, headings: Mapping[str, str] | None = None,
           kinds: Mapping[str, str] | None = None, index_label: str = "") -> dict[str, Any]:
    """A DataFrame as ``{"columns": [...], "rows": [[...]]}`` of display strings."""
    headings = headings or {}
    kinds = kinds or {}
    columns = [index_label] + [headings.get(str(c), str(c)) for c in frame.columns]
    rows = []
    for idx, row in frame.iterrows():
        rows.append([_fmt(idx)] + [_fmt(v, kinds.get(str(c), "auto")) for c, v in row.items()])
    return {"columns": columns, "rows": rows}


# Building the content -----------------------------------------------------------------------


def report_context(
    network: Network,
    provenance: Provenance,
    *,
    analysis: Any = None,
    comparison: Any = None,
    map_parts: MapParts | None = None,
    questions: Mapping[str, str] | None = None,
    definitions: Mapping[str, str] | None = None,
    title: str | None = None,
    found: Sequence[Insight] | None = None,
    charts: bool = True,
    room_notes: Mapping[str, Sequence[str]] | None = None,
    themes: ThemeSet | None = None,
    partners: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> dict[str, Any]:
    """Everything the template shows, already protected and formatted.

    Parameters
    ----------
    network
        The wave reported, reduced to the relation and threshold analysed.
    provenance
        Its parameters; its disclosure's threshold and preset govern every table.
    analysis, comparison
        ``Analysis`` of the wave; ``Comparison`` with the previous wave.
    map_parts
        The map (see :class:`MapParts`).
    questions
        Relation name -> the question asked.
    definitions
        Measure name -> plain sentence, for the methods appendix.
    title
        The report's title.
    found
        Findings (default: :func:`onatool.share.insights.insights`).
    charts
        Draw the inline SVG charts (needs matplotlib).
    room_notes
        What the room said, by finding key (:func:`onatool.store.notes.notes_by_finding`),
        shown under each finding.
    themes
        The partnership's themes the findings are grouped by (default: the OD
        collaborative's five areas, :func:`onatool.share.themes.theme_set`).
    partners
        PARTNER trust and value scores before the gate: pair and organisation tables
        (:func:`onatool.metrics.partner.partner_scores`), shown in the section "Trust and
        value between partner organisations" through the gate's ``ratings`` rule.
    """
    disclosure = provenance.disclosure.hiding_names()  # the report never names anyone
    people = network.people
    if found is None:
        found = insights(network, analysis, comparison, disclosure=disclosure)
    found = release("insights", found, disclosure, people=people)
    n_people, n_resp = network.n_people, len(network.respondents)
    attributes = [a for a in schema.BOUNDARY_ATTRIBUTES if a in people.columns and people[a].notna().any()]

    relation_names = [provenance.relation] if provenance.relation else list(network.relation_names)
    relations = []
    for name in relation_names:
        info = network.relations.get(name) or schema.RELATIONS.get(name)
        question = (questions or {}).get(name) or (info.question if info else "") or ""
        relations.append({"name": name, "label": info.label if info else name, "question": question,
                          "symmetric": bool(info and info.symmetric)})

    net_measures = getattr(analysis, "network", None) or {}
    facts = [
        {"label": "People in the survey", "value": _fmt(n_people, "int"), "note": "everyone on the roster for this wave"},
        {"label": "Answered", "value": _fmt(n_resp, "int"), "note": f"{_fmt(n_resp / n_people if n_people else float('nan'), 'pct')} response rate"},
        {"label": "Ties named", "value": _fmt(int((network.ties[schema.WEIGHT] > 0).sum()), "int"),
         "note": "a tie is one person naming another"},
    ]
    for key, label, note, kind in _NETWORK_FACTS:
        if key in net_measures:
            facts.append({"label": label, "value": _fmt(_value(net_measures[key]), kind), "note": note})

    responses = []
    for attribute in (schema.ORGANISATION, schema.LEVEL, schema.SECTOR):
        if attribute in attributes:
            table = response_table(network, attribute, disclosure)
            if attribute == schema.LEVEL:
                table = table.reindex([lv for lv in schema.LEVELS if lv in table.index] +
                                      [g for g in table.index if g not in schema.LEVELS])
            responses.append({"attribute": attribute, "title": f"By {attribute}",
                              "table": _table(table, headings=_GROUP_HEADINGS,
                                              kinds={"response_rate": "pct"},
                                              index_label=attribute.capitalize())})
    cross = None
    if schema.ORGANISATION in attributes and schema.LEVEL in attributes:
        crossed = people_by(network, schema.ORGANISATION, schema.LEVEL, disclosure)
        body = crossed.iloc[:-1, :-1].to_numpy().ravel()
        # Shown only when most cells survive suppression; otherwise it is a grid of stars.
        if len(body) and np.mean([v == "*" for v in body]) <= 0.5:
            cross = _table(crossed, index_label="Organisation")
        else:
            cross = {"hidden": True}

    symmetric = any(r["symmetric"] for r in relations)
    boundaries = []
    groups = group_tables(analysis, disclosure, symmetric=symmetric) if analysis is not None else {}
    matrices = matrix_tables(analysis, disclosure, symmetric=symmetric) if analysis is not None else {}
    for attribute in (schema.ORGANISATION, schema.SECTOR, schema.PROFESSION):
        if attribute not in groups:
            continue
        section = {"attribute": attribute,
                   "table": _table(groups[attribute], headings=_GROUP_HEADINGS,
                                   kinds={"density_within": "pct"}, index_label=attribute.capitalize()),
                   "ei_network": _fmt(_value(net_measures.get(f"ei_{attribute}")), "auto"),
                   "ei_expected": _fmt(_value(net_measures.get(f"ei_expected_{attribute}")), "auto"),
                   "chart": None, "heatmap": None}
        if charts:
            ei = groups[attribute]["ei"]
            section["chart"] = _chart("bar", ei, title=f"E-I index by {attribute}",
                                      xlabel="−1: all ties inside the group · +1: all ties outside",
                                      reference=_value(net_measures.get(f"ei_expected_{attribute}")),
                                      reference_label="a random mix")
            density = matrices.get(f"block_density_{attribute}")
            if density is not None and len(density) <= 14:
                section["heatmap"] = _chart("heatmap", density,
                                            title=f"Density of ties between {attribute}s")
        boundaries.append(section)

    levels = _levels_section(analysis, network, disclosure, charts, symmetric=symmetric)
    health = _health_section(analysis, network, disclosure)
    change = _change_section(comparison, disclosure, provenance) if comparison is not None else None
    registry = definitions if definitions is not None else _registry_definitions()
    partner = _partner_section(partners, disclosure, draw=charts) if partners is not None else None

    return {
        "title": title or "Relationships across the partnership",
        "project": provenance.project,
        "wave": provenance.wave,
        "previous_wave": provenance.previous_wave,
        "created": provenance.created,
        "tool_version": __version__,
        "relations": relations,
        "tie_rule": provenance.as_dict()["tie_rule"],
        "facts": facts,
        "headline": [_insight_view(f, room_notes) for f in top_insights(found, 6)],
        "insights": [_insight_view(f, room_notes) for f in found],
        "themes_title": (themes or theme_set()).title,
        "by_theme": [(theme, [_insight_view(f, room_notes) for f in grouped])
                     for theme, grouped in by_theme(found, themes or theme_set()).items()],
        "responses": responses,
        "cross": cross,
        "map": map_parts,
        "map_uri": map_parts.image_uri() if map_parts else None,
        "csp_scripts": _join_csp(_csp_scripts(map_parts), partner["csp"] if partner else "'none'"),
        "partners": partner,
        "boundaries": boundaries,
        "levels": levels,
        "health": health,
        "change": change,
        "suppression_rule": disclosure.rule(),
        "threshold": disclosure.threshold,
        "parameters": provenance.rows(),
        # The report shows no person-level figure, so their definitions stay in the workbook.
        "definitions": sorted((k, v) for k, v in registry.items() if not k.startswith("person.")),
        "n_people": n_people,
        "low_response_pct": share_text(LOW_RESPONSE),
    }


def _value(entry: object) -> float:
    if isinstance(entry, Mapping):
        entry = entry.get("value")
    try:
        return float(entry)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _chart(kind: str, data: Any, **options: Any) -> str | None:
    try:
        from onatool.outputs import charts
    except ImportError:  # matplotlib is optional: the tables say the same
        return None
    if kind == "bar":
        return charts.bar_chart(data, **options) if data.notna().any() else None
    return charts.heatmap(data, **options)


#: How the report names a finding's tone.
_TONE_WORDS = {"strength": "A strength", "gap": "A gap to explore", "neutral": ""}


def _insight_view(found: Insight, room_notes: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    from onatool.store.notes import finding_key

    trace = ", ".join(f"{k} = {_fmt(v)}" for k, v in found.values.items())
    return {"text": found.text, "note": found.note, "kind": found.kind,
            "trace": f"{trace} ({', '.join(found.metrics)})", "strength": found.strength,
            "tone": found.tone, "tone_words": _TONE_WORDS.get(found.tone, ""),
            "prompt": found.prompt, "response": found.response_text,
            "low_response": found.low_response,
            "room": list((room_notes or {}).get(finding_key(found), ()))}


def _levels_section(analysis: Any, network: Network, disclosure: Disclosure, charts: bool, *,
                    symmetric: bool = False) -> dict[str, Any] | None:
    levels = release("levels", getattr(analysis, "levels", None), disclosure, people=network.people)
    if not levels:
        return None
    mixing = (getattr(analysis, "mixing", None) or {}).get(schema.LEVEL)
    groups = (getattr(analysis, "groups", None) or {}).get(schema.LEVEL)
    rows = []
    block = None
    for name, entry in levels.items():
        if name == "block_density":
            value = entry.get("value") if isinstance(entry, Mapping) else entry
            if isinstance(value, pd.DataFrame):
                block = value
            elif isinstance(value, Mapping):
                block = pd.DataFrame(value).T if value else None
            continue
        sentence = entry.get("sentence", "") if isinstance(entry, Mapping) else ""
        value = _value(entry)
        kind = "pct" if 0 <= value <= 1 else "auto"
        interval = (entry.get("interval") if isinstance(entry, Mapping) else None) or {}
        low, high = _value(interval.get("low")), _value(interval.get("high"))
        if math.isfinite(low) and math.isfinite(high):
            sentence = f"{sentence} (95% interval {_fmt(low, kind)} to {_fmt(high, kind)})".strip()
        response = (entry.get("response") if isinstance(entry, Mapping) else None) or {}
        if response.get("low_response"):
            sentence = (f"{sentence} Low response: {response['respondents']} of {response['people']} "
                        f"{' and '.join(f'{lv}s' for lv in response.get('levels', []))} answered.").strip()
        rows.append({"name": _LEVEL_NAMES.get(name, name.replace("_", " ").capitalize()),
                     "value": _fmt(value, kind), "sentence": sentence})
    view: dict[str, Any] = {"rows": rows, "table": None, "heatmap": None}
    if mixing is not None and groups is not None and "size" in groups.columns:
        # The same merge as the response table by level: a small level joins "Other".
        block = release("matrix", mixing, disclosure, sizes=groups["size"], symmetric=symmetric, density=True,
                        respondents=groups.get("respondents"))
    if block is not None and len(block):
        order = [lv for lv in schema.LEVELS if lv in block.index] + [g for g in block.index if g not in schema.LEVELS]
        block = block.reindex(index=order, columns=order)
        view["table"] = _table(block.map(lambda v: _fmt(v, "pct1")), index_label="from \\ to")
        if charts:
            view["heatmap"] = _chart("heatmap", block, title="Density of ties between levels")
    return view


def _health_section(analysis: Any, network: Network, disclosure: Disclosure) -> list[dict[str, Any]] | None:
    health = release("health", getattr(analysis, "health", None), disclosure, people=network.people)
    if not health:
        return None
    rows = []
    for name, entry in health.items():
        if not isinstance(entry, Mapping) or isinstance(entry.get("value"), Mapping | pd.DataFrame | list):
            continue
        value, previous = _value(entry), _value(entry.get("previous"))
        better = entry.get("better") or entry.get("direction") or ""
        arrow = ""
        kind = "pct" if 0 <= value <= 1 or not math.isfinite(value) else "auto"
        assessment = entry.get("assessment") or ""
        if math.isfinite(value) and math.isfinite(previous) and _fmt(value, kind) != _fmt(previous, kind):
            arrow = "▲" if value > previous else "▼"
        # Good or bad only when the change's interval on the balanced panel excludes zero.
        arrow_class = {"better": "good", "worse": "bad"}.get(assessment, "")
        interval = entry.get("interval") or {}
        low, high = _value(interval.get("low")), _value(interval.get("high"))
        change = entry.get("change_interval") or {}
        response = entry.get("response") or {}
        rows.append({"name": _health_name(name), "value": _fmt(value, kind),
                     "previous": _fmt(previous, kind) if math.isfinite(previous) else "",
                     "meaning": entry.get("sentence", "") if entry.get("withheld") else
                     " ".join(filter(None, (entry.get("meaning", ""), entry.get("relation_note", "")))),
                     "arrow": arrow, "arrow_class": arrow_class,
                     "better": {"higher": "higher is better", "lower": "lower is better"}.get(better, ""),
                     "interval": (f"95% interval {_fmt(low, kind)} to {_fmt(high, kind)}"
                                  if math.isfinite(low) and math.isfinite(high) else ""),
                     "assessment": (f"{assessment} (among the {change['people']} people who answered both "
                                    f"waves; {change['resamples']} resamples, seed {change['seed']})"
                                    if assessment and change.get("resamples") else
                                    f"{assessment} (no interval for this measure)" if assessment and change
                                    else assessment),
                     "low_response": (f"low response: {_fmt(response.get('response_rate'), 'pct')} answered"
                                      if response.get("low_response") else "")})
    return rows


def _change_section(comparison: Any, disclosure: Disclosure, provenance: Provenance) -> dict[str, Any] | None:
    summary = getattr(comparison, "summary", None) or {}
    if not summary:
        return None
    facts = []
    for key, label in (("stable", "Ties in both waves"), ("new", "New ties"), ("lost", "Ties not named again"),
                       ("jaccard", "Share of ties in both waves (Jaccard)"),
                       ("qap_correlation", "Similarity of the two networks (QAP correlation)")):
        if key in summary:
            facts.append({"label": label, "value": _fmt(summary[key], "pct" if key == "jaccard" else "auto")})
    cohort = release("cohort", getattr(comparison, "cohort", None), disclosure)
    cohort_rows = []
    if cohort:
        measures = cohort.get("measures") or {}
        for name, label in _cohort_measures(measures):
            m = measures[name]
            cohort_rows.append({"name": label, "cohort": _fmt(m.get("cohort_mean")),
                                "others": _fmt(m.get("others_mean")), "difference": _fmt(m.get("difference")),
                                "p": _fmt(m.get("p"), "p")})
    return {"facts": facts, "reading": summary.get("jaccard_reading") or summary.get("reading", ""),
            "cohort": cohort_rows, "cohort_name": (cohort or {}).get("cohort", ""),
            "cohort_members": (cohort or {}).get("members"), "cohort_others": (cohort or {}).get("others")}


_LEVEL_NAMES = {key.removeprefix("levels."): spec.label for key, spec in REGISTRY.items()
                if key.startswith("levels.")}


def _health_name(name: str) -> str:
    if name.startswith("boundary_crossing_"):
        return registry_label("health.boundary_crossing", name.removeprefix("boundary_crossing_"))
    if f"health.{name}" in REGISTRY:
        return registry_label(f"health.{name}")
    return name.replace("_", " ").capitalize()


def _cohort_measures(measures: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The cohort measures worth a board's time, in words, in a fixed order."""
    wanted = [("degree_change", "Change in number of contacts")]
    for attribute, plural in (("organisation", "organisations"), ("sector", "sectors"),
                              ("profession", "professions"), ("level", "levels")):
        wanted += [(f"new_external_{attribute}", f"New contacts in other {plural}"),
                   (f"external_{attribute}_change", f"Change in contacts in other {plural}")]
    return [(name, label) for name, label in wanted if name in measures]


def _registry_definitions() -> dict[str, str]:
    try:
        from onatool.metrics import REGISTRY
    except ImportError:
        return {}
    out = {}
    for name, spec in REGISTRY.items():
        sentence = getattr(spec, "sentence", "")
        if sentence:
            out[str(name)] = str(sentence)
    return out


# Rendering ---------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("onatool.outputs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def build_report(network: Network, provenance: Provenance, **options: Any) -> str:
    """The report as one HTML string (see :func:`report_context` for the options)."""
    context = report_context(network, provenance, **options)
    return _environment().get_template("report.html.j2").render(**context)


def write_report(path: str | Path, network: Network, provenance: Provenance, **options: Any) -> Path:
    """Write the report to ``path`` (UTF-8)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(network, provenance, **options), encoding="utf-8")
    return path


class PdfError(OnaError, RuntimeError):
    """The PDF could not be printed (no Chromium, or it failed)."""


def render_pdf(html_path: str | Path, pdf_path: str | Path, *, chromium: str = CHROMIUM,
               timeout_s: float = 60) -> Path:
    """Print the report to PDF (A4) with headless Chromium; no network access.

    Parameters
    ----------
    html_path
        The report written by :func:`write_report`.
    pdf_path
        Where to write the PDF.
    chromium
        The Chromium executable (Debian's).
    timeout_s
        Give up after this long.

    Raises
    ------
    PdfError
        If Chromium is missing or printing fails.

    Notes
    -----
    Uses playwright when installed, refusing every request that is not ``file:``,
    ``data:`` or ``about:``; otherwise Chromium's own ``--print-to-pdf``. Print styles
    put the static map in place of the interactive one and start each section on a
    new page.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    if not Path(chromium).exists():
        raise PdfError(f"Chromium is not at {chromium}; install Debian's chromium (make browser) "
                       "to print the PDF")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return _pdf_by_cli(html_path, pdf_path, chromium, timeout_s)
    # In a thread of its own: playwright's sync API refuses to run where an asyncio loop
    # is already running (a notebook, a test session that holds a browser, some servers).
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_pdf_by_playwright, sync_playwright, html_path, pdf_path, chromium,
                           timeout_s).result()


def _pdf_by_playwright(sync_playwright: Any, html_path: Path, pdf_path: Path, chromium: str,
                       timeout_s: float) -> Path:
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args, timeout=timeout_s * 1000)
            try:
                context = browser.new_context(offline=True)
                context.route("**/*", lambda route: route.continue_()
                              if route.request.url.startswith(("file:", "data:", "about:"))
                              else route.abort())
                page = context.new_page()
                page.goto(html_path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
                page.emulate_media(media="print")
                page.pdf(path=str(pdf_path), format="A4", print_background=True,
                         margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                         display_header_footer=True, header_template="<span></span>",
                         footer_template=('<div style="font-size:8px;width:100%;text-align:center;'
                                          'color:#555">Page <span class="pageNumber"></span> of '
                                          '<span class="totalPages"></span></div>'))
            finally:
                browser.close()
    except Exception as error:  # playwright's errors are not OnaErrors: say what failed
        raise PdfError(f"printing the report to PDF failed ({type(error).__name__})") from error
    return pdf_path


def _pdf_by_cli(html_path: Path, pdf_path: Path, chromium: str, timeout_s: float) -> Path:
    import subprocess

    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.as_uri()]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=timeout_s)
    except (subprocess.SubprocessError, OSError) as error:
        raise PdfError(f"printing the report to PDF failed ({type(error).__name__})") from error
    return pdf_path
