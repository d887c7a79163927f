"""Every export at once, each under the project's disclosure policy and with its provenance.

Exports for the software people already use: Excel, CSV, Gephi, igraph, Kumu. Each writer is
pseudonymised and suppressed by default, formula-safe, and records its parameters inside itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from onatool import schema
from onatool.network import Network
from onatool.outputs.excel import write_excel
from onatool.outputs.files import file_stem, write_csvs
from onatool.outputs.graphs import graph_for_export, write_gexf, write_graphml
from onatool.outputs.kumu import kumu_blueprint, write_kumu_excel, write_kumu_json
from onatool.outputs.provenance import Provenance
from onatool.outputs.static_maps import map_data, write_static_maps
from onatool.share.disclosure import Disclosure
from onatool.share.tables import export_tables, people_table

__all__ = ["EXPORTS", "write_exports"]

# Everything at once ----------------------------------------------------------------------------


def _edge_status(network: Network, status: pd.DataFrame | None) -> pd.Series | None:
    """``Comparison.ties`` status aligned on ``network.ties`` (None when any tie lacks one)."""
    if status is None or not {"source", "target", "status"} <= set(status.columns):
        return None
    keys = status.drop_duplicates(["source", "target"]).set_index(["source", "target"])["status"]
    aligned = pd.MultiIndex.from_arrays([network.ties[schema.SOURCE], network.ties[schema.TARGET]]).map(keys)
    series = pd.Series(aligned, index=network.ties.index)
    return None if series.isna().any() else series


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
    stem = file_stem(f"onatool_{provenance.wave}")

    def settings(name: str) -> tuple[Disclosure, Provenance]:
        disclosure = (disclosures or {}).get(name, provenance.disclosure)
        prov = replace(provenance, disclosure=disclosure)
        # What the person-level gate changed is said in every file that carries people.
        notes = people_table(network, disclosure, analysis=analysis, identities=identities).attrs.get("notes")
        if notes:
            prov = replace(prov, extra={**prov.extra, "person-level notes": list(notes)})
        return disclosure, prov

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
