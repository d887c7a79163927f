"""Static maps (PNG and SVG) on the project's fixed layout, with small groups merged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from onatool import __version__, schema
from onatool.network import Network
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure
from onatool.share.gate import drawn_one_by_one, release
from onatool.share.labels import person_labels

__all__ = ["map_data", "write_static_maps"]

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
    colours: Mapping[str, str] | None = None,
) -> Any:
    """The map's styled data under a disclosure (``onatool.viz.style.MapData``).

    ``colours`` is the project's colour per group (``Project.palette``), so the map
    colours each group as every other view does.

    Without names it is a workshop map: no labels, and the people table handed to the
    styler keeps only the colouring attribute, with its small groups merged into
    "Other" (the gate's ``labels`` rule). Level shapes and level
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
                             workshop=False, labels=labels, min_group_size=1, edge_status=edge_status,
                             colours=colours)
    drawn = drawn_one_by_one(network.people)  # service users and carers: in totals, never one by one
    if not drawn.all():
        network = network.subset(drawn)
    people = network.people[[schema.RESPONDED]].copy()
    if colour_by in network.people.columns:
        people[colour_by] = release("labels", network.people[colour_by], disclosure)
    safe = Network(people, network.ties, network.wave, network.relations)
    return style_network(safe, positions, colour_by=colour_by if colour_by in people.columns else None,
                         size_by=size_by, metrics=metrics, shape_by_level=False, workshop=True,
                         min_group_size=disclosure.threshold, edge_status=edge_status, colours=colours)


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
            from onatool.outputs.files import xml_text

            path.write_text(text[:at] + f"<desc>{escape(xml_text(description))}</desc>" + text[at:], encoding="utf-8")
