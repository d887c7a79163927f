"""An A3 poster of the map, with its legend, for the wall of a workshop room; and the map as an image.

Both are workshop maps whatever the viewer may see: no labels, colour groups under ``k``
merged into "Other" (:func:`onatool.outputs.static_maps.map_data` under a disclosure
with names hidden, so through the gate), on the project's fixed layout.
"""

from __future__ import annotations

import tempfile
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from onatool import __version__, schema
from onatool.network import Network
from onatool.outputs.provenance import Provenance
from onatool.share.disclosure import Disclosure

__all__ = ["A3_LANDSCAPE", "map_image", "write_poster"]

#: A3 landscape, in inches (420 x 297 mm).
A3_LANDSCAPE = (420 / 25.4, 297 / 25.4)


def map_image(network: Network, positions: pd.DataFrame, disclosure: Disclosure, *, analysis: Any = None,
              colour_by: str = schema.ORGANISATION, title: str | None = None, dpi: int = 110) -> bytes:
    """The workshop map as PNG bytes (legend and notes drawn on it).

    Names are never drawn, even under a disclosure that reveals them.
    """
    from onatool.outputs.static_maps import map_data
    from onatool.viz.maps import render_static

    data = map_data(network, positions, disclosure.hiding_names(), analysis=analysis, colour_by=colour_by)
    with tempfile.TemporaryDirectory(prefix="onatool-map-") as folder:
        return render_static(data, Path(folder) / "map.png", "png", title=title, dpi=dpi).read_bytes()


def write_poster(path: str | Path, network: Network, positions: pd.DataFrame, provenance: Provenance, *,
                 analysis: Any = None, colour_by: str = schema.ORGANISATION, title: str | None = None) -> Path:
    """Write an A3 landscape PDF: a heading, the map with its legend, and the parameters.

    Parameters
    ----------
    path
        Where to write the PDF.
    network
        The wave drawn, reduced to the relation and threshold analysed.
    positions
        The project's fixed layout.
    provenance
        Wave, relation, threshold and the disclosure (its ``k`` merges small groups);
        printed at the foot and kept in the PDF's metadata.
    analysis
        Sizes people by their contacts when given.
    colour_by
        The attribute coloured.
    title
        The heading (default: the project and wave).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import matplotlib as mpl
    import matplotlib.image as mpimg
    from matplotlib.figure import Figure

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    provenance = replace(provenance, disclosure=provenance.disclosure.hiding_names())  # a poster names no one
    image = map_image(network, positions, provenance.disclosure, analysis=analysis, colour_by=colour_by, dpi=220)
    with tempfile.TemporaryDirectory(prefix="onatool-poster-") as folder:
        png = Path(folder) / "map.png"
        png.write_bytes(image)
        pixels = mpimg.imread(png)
    heading = title or " · ".join(p for p in (provenance.project, f"wave {provenance.wave}") if p)
    with mpl.rc_context({"text.parse_math": False, "pdf.fonttype": 42}):
        fig = Figure(figsize=A3_LANDSCAPE)
        fig.text(0.03, 0.965, heading, fontsize=26, fontweight="bold", va="top", ha="left")
        fig.text(0.03, 0.925, f"Who works with whom, coloured by {colour_by}. Each dot is a person, each line "
                 "a relationship one of them named. No one is labelled; small groups are shown as Other.",
                 fontsize=13, va="top", ha="left", color="#333333")
        ax = fig.add_axes((0.02, 0.06, 0.96, 0.84))
        ax.imshow(pixels, interpolation="antialiased")
        ax.axis("off")
        fig.text(0.03, 0.012, textwrap.fill(provenance.one_line(), 230), fontsize=8, color="#555555",
                 va="bottom", ha="left", linespacing=1.3)
        fig.savefig(path, format="pdf", metadata={
            "Title": heading, "Subject": provenance.one_line(), "Creator": f"onatool {__version__}"})
    return path
