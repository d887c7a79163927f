"""Exports for the software people already use: Excel, CSV, Gephi, igraph, Kumu.

Every writer takes a :class:`~onatool.share.disclosure.Disclosure` and a :class:`Provenance`:

- pseudonymised and suppressed by default: person labels ``P001 …``, small groups of
  every attribute merged into "Other", group tables and matrices without groups
  under ``k``; names only when the disclosure has them revealed (audited);
- formula-safe: Excel cells are written as typed values (text is always text), CSV
  text cells that a spreadsheet would run are prefixed with ``'``;
- each file records its parameters inside itself (wave, relation, threshold,
  suppression, tool version, date): a README sheet, a ``#`` line, graph attributes,
  GEXF meta, a JSON key.

The inputs are a :class:`~onatool.network.Network` (one wave), optionally the
``Analysis`` of :func:`onatool.metrics.analyse` and the ``Comparison`` of
:func:`onatool.compare.compare_waves`; anything absent is left out of the files.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import SubElement

import networkx as nx
import numpy as np
import pandas as pd

from onatool import __version__, schema
from onatool.network import Network
from onatool.report.tables import write_csv
from onatool.share.disclosure import Disclosure
from onatool.share.labels import person_labels, safe_attributes
from onatool.share.suppress import merge_small_matrix, suppress_counts, suppress_groups

__all__ = [
    "KUMU_SCHEMA",
    "Provenance",
    "export_tables",
    "graph_for_export",
    "group_tables",
    "kumu_blueprint",
    "map_data",
    "matrix_tables",
    "people_by",
    "people_table",
    "response_table",
    "ties_table",
    "EXPORTS",
    "write_csvs",
    "write_exports",
    "write_excel",
    "write_gexf",
    "write_graphml",
    "write_kumu_excel",
    "write_kumu_json",
    "write_static_maps",
]


# Provenance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """The parameters an output was made with, recorded inside every export.

    Parameters
    ----------
    wave
        The wave reported.
    relation
        The relation analysed (None: every relation merged).
    min_weight
        The weight threshold (None: any weight above 0).
    disclosure
        Names and suppression.
    project
        The project's name (never its key).
    previous_wave
        The wave compared with, if any.
    created
        ISO date the output was made (default today).
    extra
        Anything else worth recording (seed, attributes analysed ...).

    Examples
    --------
    >>> p = Provenance("baseline", relation="advice", created="2026-01-31")
    >>> p.as_dict()["suppression"]["threshold"], p.as_dict()["tool_version"] == __version__
    (5, True)
    """

    wave: str
    relation: str | None = None
    min_weight: float | None = None
    disclosure: Disclosure = field(default_factory=Disclosure)
    project: str = ""
    previous_wave: str | None = None
    created: str = field(default_factory=lambda: date.today().isoformat())
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON and graph attributes."""
        return {
            "tool": "onatool",
            "tool_version": __version__,
            "created": self.created,
            "project": self.project,
            "wave": self.wave,
            "previous_wave": self.previous_wave,
            "relation": self.relation or "all relations",
            "min_weight": self.min_weight,
            "tie_rule": _tie_rule(self.min_weight),
            "names_revealed": self.disclosure.names_revealed,
            "suppression": self.disclosure.describe(),
            **{str(k): v for k, v in self.extra.items()},
        }

    def rows(self) -> list[tuple[str, str]]:
        """``(parameter, value)`` lines for a README sheet or a methods table."""
        d = self.disclosure
        lines = [
            ("Made with", f"onatool {__version__}"),
            ("Date", self.created),
            ("Project", self.project or "(not named)"),
            ("Wave", self.wave),
            ("Compared with", self.previous_wave or "(no earlier wave)"),
            ("Relation", self.relation or "all relations"),
            ("What counts as a tie", _tie_rule(self.min_weight)),
            ("Names", "revealed (recorded in the audit log)" if d.names_revealed
             else "hidden: people are shown by pseudonym (P001 ...)"),
            ("Suppression threshold (k)", str(d.threshold)),
            ("Suppression preset", d.preset),
            ("Suppression rule", d.rule()),
        ]
        lines += [(str(k), _text(v)) for k, v in self.extra.items()]
        return lines

    def one_line(self) -> str:
        """The parameters on one line, for CSV headers and file comments."""
        return "; ".join(f"{k}: {v}" for k, v in self.rows())


def _tie_rule(min_weight: float | None) -> str:
    return "any answer above 0 (never = no tie)" if min_weight is None else f"weight at least {min_weight:g}"


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


# The tables every export draws on ----------------------------------------------------


def people_table(
    network: Network,
    disclosure: Disclosure,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person: pseudonym, protected attributes, response, metrics.

    Parameters
    ----------
    network
        The wave.
    disclosure
        Names appear (a ``name`` column) only when revealed; otherwise every text
        attribute has its small groups merged into "Other"
        (:func:`onatool.share.labels.safe_attributes`).
    analysis
        ``Analysis`` whose ``people`` metrics are joined on.
    identities
        The roster's identity table, needed to reveal names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``: ``label``, [``name``], attributes, ``responded``,
        then every metric column.

    Examples
    --------
    >>> people = {f"p{i}": {"organisation": "Acute" if i < 5 else "Hospice"} for i in range(7)}
    >>> net = Network.from_edges([("p0", "p1")], people=people)
    >>> people_table(net, Disclosure())["organisation"].value_counts().to_dict()
    {'Other': 7}
    >>> people_table(net, Disclosure(k=2))["organisation"].value_counts().to_dict()
    {'Acute': 5, 'Hospice': 2}
    """
    people = network.people
    out = pd.DataFrame(index=people.index)
    out[schema.LABEL] = person_labels(people, disclosure.hiding_names())
    if disclosure.names_revealed:
        out[schema.NAME] = person_labels(people, disclosure, identities)
    attributes = safe_attributes(people.drop(columns=[schema.LABEL], errors="ignore"), disclosure)
    out = out.join(attributes)
    metrics = getattr(analysis, "people", None)
    if isinstance(metrics, pd.DataFrame):
        out = out.join(metrics.drop(columns=[c for c in metrics.columns if c in out.columns]))
    return out


def ties_table(
    network: Network,
    disclosure: Disclosure,
    *,
    identities: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per tie with both ends' labels (and names, when revealed).

    Parameters
    ----------
    network
        The ties to write (already layered and thresholded, or raw).
    disclosure
        Names or not.
    identities
        Needed to reveal names.
    status
        Optional ``Comparison.ties`` (``source, target, status``) to add a
        ``status`` column (new / lost / stable).
    """
    labels = person_labels(network.people, disclosure, identities)
    pseud = person_labels(network.people, disclosure.hiding_names())
    ties = network.ties.copy()
    out = pd.DataFrame({
        "source": ties[schema.SOURCE],
        "source_label": ties[schema.SOURCE].map(pseud),
        "target": ties[schema.TARGET],
        "target_label": ties[schema.TARGET].map(pseud),
        "relation": ties[schema.RELATION],
        "weight": ties[schema.WEIGHT],
        "raw_value": ties[schema.RAW_VALUE],
    })
    if disclosure.names_revealed:
        out.insert(2, "source_name", ties[schema.SOURCE].map(labels))
        out.insert(5, "target_name", ties[schema.TARGET].map(labels))
    if status is not None and {"source", "target", "status"} <= set(status.columns):
        keys = status.drop_duplicates(["source", "target"]).set_index(["source", "target"])["status"]
        out["status"] = pd.MultiIndex.from_arrays([out["source"], out["target"]]).map(keys)
    return out


def response_table(network: Network, attribute: str, disclosure: Disclosure) -> pd.DataFrame:
    """People, respondents and response rate per group, small groups merged.

    Examples
    --------
    >>> people = pd.DataFrame({"organisation": ["A"] * 6 + ["B"] * 2 + ["C"] * 4,
    ...     "responded": [True] * 5 + [False] * 7},
    ...     index=pd.Index([f"p{i}" for i in range(12)], name="person_id"))
    >>> net = Network(people, pd.DataFrame(columns=list(schema.TIE_COLUMNS)))
    >>> response_table(net, "organisation", Disclosure()).to_dict("index")
    {'A': {'size': 6, 'respondents': 5, 'response_rate': 0.8333333333333334}, 'Other': {'size': 6, 'respondents': 0, 'response_rate': 0.0}}
    """
    people = network.people
    if attribute not in people.columns:
        return pd.DataFrame(columns=["size", "respondents", "response_rate"])
    known = people[people[attribute].notna()]
    table = known.groupby(attribute, sort=True)[schema.RESPONDED].agg(["size", "sum"])
    table = table.rename(columns={"sum": "respondents"}).astype(int)
    table.index = table.index.astype(object)
    table = suppress_groups(table, disclosure)
    table["response_rate"] = table["respondents"] / table["size"]
    return table


def people_by(
    network: Network,
    rows: str,
    columns: str,
    disclosure: Disclosure,
    *,
    respondents_only: bool = False,
) -> pd.DataFrame:
    """People (or respondents) counted by two attributes, with totals, suppressed.

    Small groups of each attribute are merged into "Other" first, then every count
    under the threshold is hidden, with secondary suppression so no hidden count can
    be worked out from the totals (:func:`onatool.share.suppress.suppress_counts`).

    Returns
    -------
    pandas.DataFrame
        Object dtype: whole numbers, ``"*"`` where suppressed; a ``Total`` row and
        column. Empty when either attribute is missing.
    """
    people = network.people
    if rows not in people.columns or columns not in people.columns:
        return pd.DataFrame()
    table = safe_attributes(people[[rows, columns, schema.RESPONDED]], disclosure, [rows, columns])
    if respondents_only:
        table = table[table[schema.RESPONDED]]
    table = table.dropna(subset=[rows, columns])
    counts = pd.crosstab(table[rows].astype(str), table[columns].astype(str))
    if columns == schema.LEVEL:
        counts = counts.reindex(columns=[lv for lv in schema.LEVELS if lv in counts.columns])
    return suppress_counts(counts, disclosure, margins=True)


def group_tables(analysis: Any, disclosure: Disclosure, *, symmetric: bool = False) -> dict[str, pd.DataFrame]:
    """``Analysis.groups`` with small groups merged into "Other".

    The "Other" row's tie counts, E-I and density are recomputed from the merged
    mixing matrix when the analysis has one, so they are exact.
    """
    out: dict[str, pd.DataFrame] = {}
    mixing = getattr(analysis, "mixing", None) or {}
    for attribute, table in (getattr(analysis, "groups", None) or {}).items():
        merged = suppress_groups(table, disclosure)
        other = [g for g in merged.index if g not in table.index]
        if attribute in mixing and other:
            counts, sizes = merge_small_matrix(mixing[attribute], table["size"], disclosure, symmetric=symmetric)
            for name in other:
                if name in counts.index:
                    within = float(counts.loc[name, name])
                    out_ = float(counts.loc[name].sum() - within)
                    in_ = float(counts[name].sum() - within)
                    n = float(sizes[name])
                    pairs = n * (n - 1) / (2 if symmetric else 1)
                    merged.loc[name, "ties_within"] = within
                    merged.loc[name, "ties_out"] = out_
                    merged.loc[name, "ties_in"] = in_
                    merged.loc[name, "ei"] = (out_ - within) / (out_ + within) if out_ + within else np.nan
                    merged.loc[name, "density_within"] = within / pairs if pairs else np.nan
        out[str(attribute)] = merged
    return out


def matrix_tables(analysis: Any, disclosure: Disclosure, *, symmetric: bool = False) -> dict[str, pd.DataFrame]:
    """Mixing and block-density matrices per attribute, small groups merged.

    Returns
    -------
    dict
        ``{"mixing_X": counts, "block_density_X": densities}``; densities are
        recomputed from the merged counts and sizes (metrics.md's definition).
    """
    out: dict[str, pd.DataFrame] = {}
    groups = getattr(analysis, "groups", None) or {}
    for attribute, mixing in (getattr(analysis, "mixing", None) or {}).items():
        if attribute not in groups:
            continue
        counts, sizes = merge_small_matrix(mixing, groups[attribute]["size"], disclosure, symmetric=symmetric)
        large = sizes.index[sizes >= disclosure.threshold]
        counts, sizes = counts.loc[large, large], sizes[large]
        n = sizes.reindex(counts.index).to_numpy(dtype=float)
        pairs = np.outer(n, n)
        pairs[np.diag_indices(len(n))] = n * (n - 1) / (2 if symmetric else 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            density = np.where(pairs > 0, counts.to_numpy(dtype=float) / pairs, np.nan)
        out[f"mixing_{attribute}"] = counts
        out[f"block_density_{attribute}"] = pd.DataFrame(density, index=counts.index, columns=counts.columns)
    return out


def _flat(data: Mapping[str, Any] | None, *, key: str = "measure") -> pd.DataFrame:
    """A dict of values (or of dicts) as a two-or-more-column table."""
    rows = []
    for name, value in (data or {}).items():
        if isinstance(value, Mapping):
            rows.append({key: name, **{k: _cell(v) for k, v in value.items()}})
        else:
            rows.append({key: name, "value": _cell(value)})
    return pd.DataFrame(rows)


def _cell(value: object) -> object:
    if isinstance(value, Mapping):
        return json.dumps(value, default=str, sort_keys=True)
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, np.generic):
        return value.item()
    return value


def export_tables(
    network: Network,
    disclosure: Disclosure,
    *,
    analysis: Any = None,
    comparison: Any = None,
    identities: pd.DataFrame | None = None,
    attributes: Iterable[str] = schema.BOUNDARY_ATTRIBUTES,
) -> dict[str, pd.DataFrame]:
    """Every table an export writes, protected, by name (file stem / sheet name).

    Returns
    -------
    dict
        ``people``, ``ties``, ``responses_X``, ``network``, ``groups_X``,
        ``mixing_X``, ``block_density_X``, ``levels``, ``health``, ``change``,
        ``people_change``, ``groups_change_X`` (those available).
    """
    symmetric = _symmetric(network, analysis)
    tables: dict[str, pd.DataFrame] = {
        "people": people_table(network, disclosure, analysis=analysis, identities=identities),
        "ties": ties_table(network, disclosure, identities=identities,
                           status=getattr(comparison, "ties", None)),
    }
    for attribute in attributes:
        if attribute in network.people.columns and network.people[attribute].notna().any():
            tables[f"responses_{attribute}"] = response_table(network, attribute, disclosure)
    if analysis is not None:
        tables["network"] = _flat(getattr(analysis, "network", None))
        for attribute, table in group_tables(analysis, disclosure, symmetric=symmetric).items():
            tables[f"groups_{attribute}"] = table
        tables.update(matrix_tables(analysis, disclosure, symmetric=symmetric))
        if getattr(analysis, "levels", None):
            tables["levels"] = _flat(analysis.levels)
        if getattr(analysis, "health", None):
            tables["health"] = _flat(analysis.health, key="indicator")
    if comparison is not None:
        tables.update(_change_tables(comparison, network, disclosure, identities))
    return {name: t for name, t in tables.items() if t is not None}


def _change_tables(
    comparison: Any, network: Network, disclosure: Disclosure, identities: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    summary = getattr(comparison, "summary", None)
    if summary:
        out["change"] = _flat(summary)
    people = getattr(comparison, "people", None)
    if isinstance(people, pd.DataFrame):
        labels = person_labels(network.people, disclosure.hiding_names()).reindex(people.index)
        table = people.copy()
        table.insert(0, schema.LABEL, labels)
        if disclosure.names_revealed:
            table.insert(1, schema.NAME, person_labels(network.people, disclosure, identities).reindex(people.index))
        out["people_change"] = table
    groups = getattr(comparison, "groups", None)
    if isinstance(groups, Mapping):
        for attribute, table in groups.items():
            if isinstance(table, pd.DataFrame):
                safe = _suppress_change_groups(table, disclosure)
                if safe is not None:
                    out[f"groups_change_{attribute}"] = safe
    cohort = getattr(comparison, "cohort", None)
    if cohort:
        out["cohort_change"] = _flat(cohort)
    return out


def _suppress_change_groups(table: pd.DataFrame, disclosure: Disclosure) -> pd.DataFrame | None:
    """A groups-change table (``size_<wave>`` columns) without groups under ``k`` in any wave.

    A group must be large enough in every wave to be shown; hidden groups are dropped
    (not merged: a change of "Other" would mix different groups in each wave).
    """
    sizes = [c for c in table.columns if str(c).startswith("size_") and c != "size_change"]
    if "size" in table.columns:
        sizes = ["size"]
    if not sizes:
        return None
    smallest = table[sizes].min(axis=1).fillna(0)
    hidden = suppress_groups(table.assign(_size=smallest), disclosure, size="_size", how="hide",
                             additive=())
    return hidden.drop(columns="_size")


def _symmetric(network: Network, analysis: Any) -> bool:
    params = getattr(analysis, "params", None) or {}
    if params.get("symmetric") is not None:
        return bool(params["symmetric"])
    relation = params.get("relation")
    names = [relation] if relation else list(network.relation_names)
    return bool(names) and all(network.is_symmetric(r) for r in names if r in network.relations)


# CSV ---------------------------------------------------------------------------------------


def write_csvs(folder: str | Path, tables: Mapping[str, pd.DataFrame], provenance: Provenance) -> list[Path]:
    """One formula-safe CSV per table, plus ``parameters.json`` beside them.

    Each CSV's first line is a ``#`` comment holding the parameters (pandas reads it
    back with ``comment="#"``; spreadsheet programs show it as a first row).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{_file_stem(name)}.csv"
        index = not isinstance(table.index, pd.RangeIndex)
        write_csv(table, path, index=index)
        body = path.read_text(encoding="utf-8-sig")
        comment = "# " + provenance.one_line().replace("\n", " ")
        path.write_text(comment + "\n" + body, encoding="utf-8-sig")
        written.append(path)
    params = folder / "parameters.json"
    params.write_text(json.dumps(provenance.as_dict(), indent=2, sort_keys=True, default=str) + "\n")
    return [*written, params]


def _edge_status(network: Network, status: pd.DataFrame | None) -> pd.Series | None:
    """``Comparison.ties`` status aligned on ``network.ties`` (None when any tie lacks one)."""
    if status is None or not {"source", "target", "status"} <= set(status.columns):
        return None
    keys = status.drop_duplicates(["source", "target"]).set_index(["source", "target"])["status"]
    aligned = pd.MultiIndex.from_arrays([network.ties[schema.SOURCE], network.ties[schema.TARGET]]).map(keys)
    series = pd.Series(aligned, index=network.ties.index)
    return None if series.isna().any() else series


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "table"


# Excel ---------------------------------------------------------------------------------------

_SHEET_NOTES = {
    "people": "One row per person, by pseudonym; small groups of each attribute shown as Other.",
    "ties": "One row per tie: source names target.",
    "network": "Whole-network measures.",
    "levels": "Tops, middles and bottoms (Oshry): how the levels connect.",
    "health": "Collaborative network health indicators.",
    "change": "Change since the previous wave.",
    "people_change": "Per-person change since the previous wave.",
    "cohort_change": "Programme cohort compared with everyone else.",
}


def write_excel(
    path: str | Path,
    tables: Mapping[str, pd.DataFrame],
    provenance: Provenance,
    *,
    definitions: Mapping[str, str] | None = None,
) -> Path:
    """Write the tables as one formula-safe workbook with a README sheet first.

    Parameters
    ----------
    path
        The ``.xlsx`` to write.
    tables
        As :func:`export_tables` returns.
    provenance
        Recorded on the README sheet.
    definitions
        Metric name -> plain-language sentence, listed on the README sheet.

    Notes
    -----
    Written with XlsxWriter (``strings_to_formulas=False``, ``strings_to_urls=False``)
    and every text written with ``write_string``, so ``=HYPERLINK(...)`` typed into a
    roster stays text. Headers are frozen, widths fitted, numbers formatted.
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    workbook.set_properties({
        "title": f"onatool analysis, wave {provenance.wave}",
        "comments": provenance.one_line(),
        "company": "",
        "author": "onatool",
    })
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True,
                                "valign": "top"})
    title = workbook.add_format({"bold": True, "font_size": 14})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        "int": workbook.add_format({"num_format": "0"}),
        "float": workbook.add_format({"num_format": "0.000"}),
        "rate": workbook.add_format({"num_format": "0%"}),
        "text": None,
    }

    readme = workbook.add_worksheet("README")
    readme.write_string(0, 0, "onatool analysis", title)
    readme.write_string(1, 0, "Read this sheet first: it says how every figure in this workbook was made.", wrap)
    row = 3
    readme.write_string(row, 0, "Parameter", bold)
    readme.write_string(row, 1, "Value", bold)
    for key, value in provenance.rows():
        row += 1
        readme.write_string(row, 0, key, wrap)
        readme.write_string(row, 1, value, wrap)
    row += 2
    readme.write_string(row, 0, "Sheet", bold)
    readme.write_string(row, 1, "What it holds", bold)
    names = _sheet_names(tables)
    for name, sheet in names.items():
        row += 1
        readme.write_string(row, 0, sheet, wrap)
        readme.write_string(row, 1, _sheet_note(name), wrap)
    if definitions:
        row += 2
        readme.write_string(row, 0, "Measure", bold)
        readme.write_string(row, 1, "What it means", bold)
        for key, sentence in definitions.items():
            row += 1
            readme.write_string(row, 0, str(key), wrap)
            readme.write_string(row, 1, str(sentence), wrap)
    readme.set_column(0, 0, 28)
    readme.set_column(1, 1, 100)
    readme.freeze_panes(4, 0)

    for name, table in tables.items():
        sheet = workbook.add_worksheet(names[name])
        _write_sheet(sheet, table, bold, formats)
    workbook.close()
    return path


def _sheet_note(name: str) -> str:
    if name in _SHEET_NOTES:
        return _SHEET_NOTES[name]
    for prefix, note in (
        ("responses_", "People and respondents per group of {}; groups under the threshold merged into Other."),
        ("groups_change_", "Change per group of {}; groups under the threshold merged into Other."),
        ("groups_", "One row per group of {}; groups under the threshold merged into Other."),
        ("mixing_", "Ties from each group (row) to each group (column) of {}."),
        ("block_density_", "Share of possible ties present, from each group (row) to each (column) of {}."),
    ):
        if name.startswith(prefix):
            return note.format(name[len(prefix):])
    return ""


def _sheet_names(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Excel-safe, unique sheet names (31 characters, no []:*?/\\)."""
    out: dict[str, str] = {}
    used: set[str] = {"readme"}
    for name in tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", name.replace("block_density_", "density_"))[:31] or "sheet"
        candidate, i = base, 2
        while candidate.lower() in used:
            candidate = f"{base[:28]}_{i}"
            i += 1
        used.add(candidate.lower())
        out[name] = candidate
    return out


def _write_sheet(sheet: Any, table: pd.DataFrame, header: Any, formats: Mapping[str, Any]) -> None:
    with_index = not isinstance(table.index, pd.RangeIndex)
    frame = table.reset_index() if with_index else table
    if with_index and frame.columns[0] == "index":
        frame = frame.rename(columns={"index": ""})
    widths = []
    for j, column in enumerate(frame.columns):
        sheet.write_string(0, j, str(column), header)
        values = frame[column]
        kind = _kind(str(column), values)
        width = len(str(column))
        for i, value in enumerate(values, start=1):
            width = max(width, _write_cell(sheet, i, j, value, formats[kind]))
        widths.append(min(max(width + 2, 8), 45))
    for j, width in enumerate(widths):
        sheet.set_column(j, j, width)
    sheet.freeze_panes(1, 1 if with_index else 0)
    if len(frame):
        sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))


def _kind(column: str, values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "text"
    if column.endswith("rate") or column.endswith("_share") or column == "response_rate":
        return "rate"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    finite = values.dropna()
    if len(finite) and np.allclose(finite, np.round(finite)) and finite.abs().max() > 1:
        return "int"
    return "float"


def _write_cell(sheet: Any, row: int, col: int, value: object, fmt: Any) -> int:
    """Write one typed cell; return its displayed width. Text is never a formula."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and not math.isfinite(value)):
        sheet.write_blank(row, col, None)
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
        return len(f"{value:.3f}") if isinstance(value, float) else len(str(value))
    text = _text(value)
    sheet.write_string(row, col, text)
    return len(text)


# Graph files (Gephi, igraph, networkx) ---------------------------------------------------------


def _clean(value: object) -> object | None:
    """A value GraphML/GEXF readers accept, or None to leave the attribute out."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple | set):
        return "|".join(map(str, value))
    return str(value)


def graph_for_export(
    network: Network,
    disclosure: Disclosure,
    provenance: Provenance,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
    positions: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> nx.Graph:
    """A networkx graph with clean attributes, ready for GraphML and GEXF.

    Nodes are ``person_id``; ``label`` is the pseudonym (or the name when revealed);
    every attribute and metric is a node attribute with missing values left out
    (so no None and no NaN reach the file); ties carry ``relation``, ``weight`` and
    (with a comparison) ``status``. The graph is undirected when every relation is
    symmetric. Graph attributes hold the parameters.
    """
    table = people_table(network, disclosure, analysis=analysis, identities=identities)
    symmetric = _symmetric(network, analysis)
    graph: nx.Graph = nx.Graph() if symmetric else nx.DiGraph()
    for key, value in provenance.as_dict().items():
        cleaned = _clean(value if not isinstance(value, Mapping) else json.dumps(value, sort_keys=True))
        if cleaned is not None:
            graph.graph[key] = cleaned
    display = table[schema.NAME] if disclosure.names_revealed else table[schema.LABEL]
    for pid, row in table.iterrows():
        attrs = {str(k): _clean(v) for k, v in row.items() if k != schema.NAME}
        attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["label"] = str(display[pid])
        if positions is not None and pid in positions.index:
            attrs["x"] = float(positions.loc[pid, "x"])
            attrs["y"] = float(positions.loc[pid, "y"])
        graph.add_node(str(pid), **attrs)
    edges = ties_table(network, disclosure.hiding_names(), status=status)
    for row in edges.itertuples(index=False):
        attrs = {
            "relation": str(row.relation),
            "weight": float(row.weight),
            "raw_value": str(row.raw_value),
        }
        if "status" in edges.columns and isinstance(getattr(row, "status", None), str):
            attrs["status"] = row.status
        graph.add_edge(str(row.source), str(row.target), **attrs)
    return graph


def write_graphml(path: str | Path, graph: nx.Graph) -> Path:
    """Write GraphML (read by Gephi, igraph, networkx, Cytoscape)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path, named_key_ids=True)
    return path


def write_gexf(path: str | Path, graph: nx.Graph) -> Path:
    """Write GEXF 1.2 for Gephi, the parameters in ``<meta><description>``.

    Positions (node attributes ``x``, ``y``) also go into ``viz:position`` so Gephi
    opens the map in the same fixed layout.
    """
    from networkx.readwrite.gexf import GEXFWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    graph = graph.copy()
    for _, data in graph.nodes(data=True):
        if "x" in data and "y" in data:
            data["viz"] = {"position": {"x": data["x"], "y": data["y"], "z": 0.0}}
    recorded = dict(graph.graph)
    graph.graph = {"name": f"onatool, wave {recorded.get('wave', '')}"}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph)
    meta = writer.xml.find("meta")
    if meta is not None:
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"onatool {__version__}"
        SubElement(meta, "description").text = json.dumps(recorded, sort_keys=True, default=str)
    writer.write(path)
    return path


# Kumu ------------------------------------------------------------------------------------------

#: The documented shape of a Kumu blueprint (docs.kumu.io, "JSON / Blueprints"):
#: elements with a label (and optional id, type, description, tags, custom fields),
#: connections with from/to (ids or labels), optional type and direction.
KUMU_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["elements", "connections"],
    "properties": {
        "elements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["label"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "label": {"type": "string", "minLength": 1},
                    "type": {"type": "string"},
                    "description": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": {"type": ["string", "number", "boolean", "array"]},
            },
        },
        "connections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "from": {"type": "string", "minLength": 1},
                    "to": {"type": "string", "minLength": 1},
                    "type": {"type": "string"},
                    "direction": {"enum": ["directed", "undirected", "mutual"]},
                },
                "additionalProperties": {"type": ["string", "number", "boolean", "array"]},
            },
        },
    },
}


def kumu_blueprint(
    network: Network,
    disclosure: Disclosure,
    provenance: Provenance,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """A Kumu blueprint: ``{"elements": [...], "connections": [...]}``.

    Element ids are the project's pseudonymous ``person_id``, stable across waves,
    so importing a later wave into the same Kumu project updates the same elements;
    connection ids are ``source>target:relation`` for the same reason. Labels are
    pseudonyms (names only when revealed). A symmetric relation gives undirected
    connections, one per pair. The parameters sit under the ``onatool`` key, which
    Kumu does not read.

    Examples
    --------
    >>> net = Network.from_edges([("pa", "pb")], relation="advice")
    >>> blueprint = kumu_blueprint(net, Disclosure(k=1), Provenance("baseline"))
    >>> [e["id"] for e in blueprint["elements"]], blueprint["connections"][0]["id"]
    (['pa', 'pb'], 'pa>pb:advice')
    """
    graph = graph_for_export(network, disclosure, provenance, analysis=analysis,
                             identities=identities, status=status)
    elements = []
    for pid, data in graph.nodes(data=True):
        element: dict[str, Any] = {"id": pid, "label": data["label"], "type": "Person"}
        for key, value in data.items():
            if key in ("label", "x", "y"):
                continue
            element[_kumu_field(key)] = value
        elements.append(element)
    connections = []
    direction = "directed" if graph.is_directed() else "undirected"
    for source, target, data in graph.edges(data=True):
        relation = data.get("relation", "tie")
        label = network.relations[relation].label if relation in network.relations else relation
        connection = {
            "id": f"{source}>{target}:{relation}",
            "from": source,
            "to": target,
            "type": str(label),
            "direction": direction,
            "strength": data.get("weight", 1.0),
        }
        if "status" in data:
            connection["status"] = data["status"]
        connections.append(connection)
    return {"elements": elements, "connections": connections, "onatool": provenance.as_dict()}


def _kumu_field(key: str) -> str:
    """Kumu field names read best as words: ``in_degree`` -> ``In degree``."""
    return key.replace("_", " ").capitalize()


def write_kumu_json(path: str | Path, blueprint: Mapping[str, Any]) -> Path:
    """Write a blueprint as UTF-8 JSON (NaN never appears: attributes are cleaned)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(blueprint, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                    encoding="utf-8")
    return path


def write_kumu_excel(path: str | Path, blueprint: Mapping[str, Any], provenance: Provenance) -> Path:
    """The same blueprint as Kumu's spreadsheet layout: ``Elements`` and ``Connections``.

    Both sheets start with an ``ID`` column so that re-importing a later wave updates
    the same elements and connections; ``From``/``To`` hold element ids. A third
    sheet, ``About (ignore)``, holds the parameters (Kumu skips sheets whose name
    contains "(ignore)").
    """
    elements = pd.DataFrame(blueprint["elements"])
    elements = elements.rename(columns={"id": "ID", "label": "Label", "type": "Type"})
    connections = pd.DataFrame(blueprint["connections"]).rename(columns={
        "id": "ID", "from": "From", "to": "To", "type": "Type", "direction": "Direction",
        "strength": "Strength", "status": "Status"})
    front = ["ID", "Label", "Type"]
    elements = elements[front + [c for c in elements.columns if c not in front]]
    front = ["ID", "From", "To", "Type", "Direction"]
    connections = connections.reindex(columns=front + [c for c in connections.columns if c not in front])
    about = pd.DataFrame(provenance.rows(), columns=["Parameter", "Value"])
    tables = {"Elements": elements, "Connections": connections, "About (ignore)": about}
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
    header = workbook.add_format({"bold": True})
    formats = {"int": None, "float": None, "rate": None, "text": None}
    for name, table in tables.items():
        _write_sheet(workbook.add_worksheet(name), table.reset_index(drop=True), header, formats)
    workbook.close()
    return path


# Maps -------------------------------------------------------------------------------------------


def map_data(
    network: Network,
    positions: pd.DataFrame,
    disclosure: Disclosure,
    *,
    analysis: Any = None,
    identities: pd.DataFrame | None = None,
    colour_by: str = schema.ORGANISATION,
    size_by: str | None = "degree",
    edge_status: pd.Series | None = None,
) -> Any:
    """The map's styled data under a disclosure (``onatool.viz.style.MapData``).

    Without names it is a workshop map: no labels, and the people table handed to the
    styler keeps only the colouring attribute, with its small groups merged into
    "Other" (:func:`onatool.share.suppress.merge_small_groups`). Level shapes and level
    tooltips are left out on purpose: organisation x level cells are usually smaller
    than ``k`` (one hospice has one top), and a shape or tooltip would single out that
    person. With names revealed, nodes carry names and full tooltips.
    """
    from onatool.viz.style import style_network

    metrics = getattr(analysis, "people", None)
    if size_by is not None and not (isinstance(metrics, pd.DataFrame) and size_by in metrics.columns):
        size_by = None
    if disclosure.names_revealed:
        labels = person_labels(network.people, disclosure, identities)
        return style_network(network, positions, colour_by=colour_by, size_by=size_by, metrics=metrics,
                             workshop=False, labels=labels, min_group_size=1, edge_status=edge_status)
    people = network.people[[schema.RESPONDED]].copy()
    if colour_by in network.people.columns:
        people[colour_by] = safe_attributes(network.people[[colour_by]], disclosure)[colour_by]
    safe = Network(people, network.ties, network.wave, network.relations)
    return style_network(safe, positions, colour_by=colour_by if colour_by in people.columns else None,
                         size_by=size_by, metrics=metrics, shape_by_level=False, workshop=True,
                         min_group_size=disclosure.threshold, edge_status=edge_status)


def write_static_maps(folder: str | Path, data: Any, provenance: Provenance, *, stem: str = "map") -> list[Path]:
    """The map as PNG and SVG (same fixed layout as the interactive one).

    The parameters go into the title line drawn on the image and into the files'
    metadata (PNG text chunk ``Description``; SVG ``<desc>``).
    """
    from onatool.viz.maps import render_static

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    title = f"Wave {provenance.wave}: {provenance.relation or 'all relations'}; {provenance.disclosure.rule()}"
    written = []
    for fmt in ("png", "svg"):
        path = render_static(data, folder / f"{stem}.{fmt}", fmt, title=title)
        written.append(path)
    _stamp_images(written, provenance)
    return written


def _stamp_images(paths: Iterable[Path], provenance: Provenance) -> None:
    """Record the parameters inside each image file."""
    description = provenance.one_line()
    for path in paths:
        if path.suffix == ".png":
            try:
                from PIL import Image, PngImagePlugin
            except ImportError:
                continue
            with Image.open(path) as image:
                info = PngImagePlugin.PngInfo()
                info.add_text("Description", description)
                info.add_text("Software", f"onatool {__version__}")
                image.load()
                copy = image.copy()
            copy.save(path, pnginfo=info)
        elif path.suffix == ".svg":
            from xml.sax.saxutils import escape

            text = path.read_text(encoding="utf-8")
            at = text.find(">", text.find("<svg")) + 1
            path.write_text(text[:at] + f"<desc>{escape(description)}</desc>" + text[at:], encoding="utf-8")


# Everything at once ----------------------------------------------------------------------------

#: The exports :func:`write_exports` can write, by name.
EXPORTS = ("excel", "csv", "graphml", "gexf", "kumu", "maps")


def write_exports(
    out: str | Path,
    network: Network,
    provenance: Provenance,
    *,
    analysis: Any = None,
    comparison: Any = None,
    identities: pd.DataFrame | None = None,
    positions: pd.DataFrame | None = None,
    definitions: Mapping[str, str] | None = None,
    disclosures: Mapping[str, Disclosure] | None = None,
    include: Iterable[str] = EXPORTS,
) -> dict[str, list[Path]]:
    """Write every export into ``out``, each under its own disclosure.

    Parameters
    ----------
    out
        The folder.
    network
        The wave (already layered to the relation and threshold analysed).
    provenance
        Parameters; its disclosure applies to every export not in ``disclosures``.
    analysis, comparison
        Results to include, when available.
    identities
        The roster's identity table; read only by exports whose disclosure reveals names.
    positions
        The project's fixed layout (``x``, ``y`` by ``person_id``), put into GEXF and
        GraphML so Gephi opens the same map.
    definitions
        Metric name -> plain sentence, for the Excel README.
    disclosures
        Per-export overrides, by name in :data:`EXPORTS` (for example names revealed
        for ``"excel"`` only). Each export records the disclosure it was made under.
    include
        Which exports to write.

    Returns
    -------
    dict
        Export name -> files written.
    """
    from dataclasses import replace

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    include = set(include)
    written: dict[str, list[Path]] = {}
    status = getattr(comparison, "ties", None)
    stem = _file_stem(f"onatool_{provenance.wave}")

    def settings(name: str) -> tuple[Disclosure, Provenance]:
        disclosure = (disclosures or {}).get(name, provenance.disclosure)
        return disclosure, replace(provenance, disclosure=disclosure)

    for name in ("excel", "csv"):
        if name not in include:
            continue
        disclosure, prov = settings(name)
        tables = export_tables(network, disclosure, analysis=analysis, comparison=comparison,
                               identities=identities)
        if name == "excel":
            written[name] = [write_excel(out / f"{stem}.xlsx", tables, prov, definitions=definitions)]
        else:
            written[name] = write_csvs(out / "csv", tables, prov)
    for name in ("graphml", "gexf"):
        if name not in include:
            continue
        disclosure, prov = settings(name)
        graph = graph_for_export(network, disclosure, prov, analysis=analysis, identities=identities,
                                 positions=positions, status=status)
        writer = write_graphml if name == "graphml" else write_gexf
        written[name] = [writer(out / f"{stem}.{name}", graph)]
    if "maps" in include and positions is not None:
        disclosure, prov = settings("maps")
        status_series = _edge_status(network, status)
        data = map_data(network, positions, disclosure, analysis=analysis, identities=identities,
                        edge_status=status_series)
        written["maps"] = write_static_maps(out / "maps", data, prov, stem=f"{stem}_map")
    if "kumu" in include:
        disclosure, prov = settings("kumu")
        blueprint = kumu_blueprint(network, disclosure, prov, analysis=analysis, identities=identities,
                                   status=status)
        written["kumu"] = [
            write_kumu_json(out / f"{stem}_kumu.json", blueprint),
            write_kumu_excel(out / f"{stem}_kumu.xlsx", blueprint, prov),
        ]
    return written
