"""Map data to output: a self-contained HTML page, or a PNG/SVG image.

The HTML page carries everything it needs: the vis-network 9.1.2 library bundled with
pyvis is inlined, the data sits in a JSON block, and nothing is fetched. Survey text
(organisation names, labels, tooltips) reaches the page by two routes only, both
inert:

* through jinja2 with autoescape on, for the title, legend and notes;
* as JSON inside ``<script type="application/json">`` (``|tojson`` escapes ``<``,
  ``>``, ``&`` and ``'``), read with ``JSON.parse``; tooltips then become DOM text
  nodes (``textContent``), never markup.

pyvis's own template is not used: its ``heading`` and ``select_menu`` options and its
switch to ``innerHTML`` for titles containing ``href`` are known injection paths. A
Content-Security-Policy allows exactly the two inline scripts (by SHA-256 hash) and
forbids every fetch, so even a mistake elsewhere could neither run injected script
nor send data anywhere.

The page sets ``window.onatoolMap = {network, nodeCount, edgeCount, drawn, drawnAt}``;
``drawn`` turns true after vis-network's first ``afterDrawing`` event.
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

import onatool
from onatool.errors import InputFormatError, UnsafeFileError
from onatool.viz.style import DASH_PATTERN, MapData

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["render_map", "render_static"]

VIS_VERSION = "9.1.2"
_HEIGHT = re.compile(r"^\d{1,5}(\.\d{1,3})?(px|vh|em|rem|%)$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


# Assets --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vis_library() -> tuple[Markup, Markup]:
    """vis-network's script and stylesheet, read once from the pyvis package.

    Both are checked for a sequence that would end their element early, because they
    are inlined verbatim.
    """
    folder = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", script, re.IGNORECASE) or re.search(r"</style", style, re.IGNORECASE):
        raise UnsafeFileError(
            f"pyvis's vis-network {VIS_VERSION} contains a closing tag and cannot be inlined "
            "safely; reinstall pyvis 0.3.2"
        )
    return Markup(script), Markup(style)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("onatool.viz", "assets"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )
    # NaN or Infinity would make the JSON unreadable to the browser: refuse them here.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "allow_nan": False}
    return env


@lru_cache(maxsize=1)
def _map_script() -> Markup:
    text = (resources.files("onatool.viz") / "assets" / "map.js").read_text(encoding="utf-8")
    return Markup(text)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@lru_cache(maxsize=1)
def _script_hashes() -> str:
    return " ".join(_csp_hash(str(s)) for s in (_vis_library()[0], _map_script()))


# HTML -----------------------------------------------------------------------------------


def render_map(map_data: MapData, *, height: str = "720px", title: str | None = None) -> str:
    """A self-contained HTML page drawing the map with vis-network.

    Parameters
    ----------
    map_data
        From :func:`onatool.viz.style.style_network` (or ``style_group_network``).
    height
        CSS height of the drawing area: a number with ``px``, ``vh``, ``em``, ``rem``
        or ``%``.
    title
        Page title and heading (plain text; escaped). None gives a generic page title
        and no heading.

    Returns
    -------
    str
        The HTML page. It loads nothing from anywhere: no ``src``, ``href`` or
        ``url(`` points outside the page (the only ``http`` text in it is inside
        vis-network's own licence comment and code strings).

    Raises
    ------
    InputFormatError
        If ``height`` is not a CSS length of the accepted form, or a legend colour is
        not a ``#rrggbb`` colour.
    ValueError
        If the data holds NaN or infinite numbers (a bug upstream).

    Notes
    -----
    Physics is off and positions are precomputed, which is what makes large maps draw
    quickly (2,000 people in about a second in headless Chromium). In plain words:
    the file can be emailed or opened offline, and it shows the map exactly as laid out.

    Examples
    --------
    >>> from onatool.viz.style import MapData
    >>> page = render_map(MapData([], [], [], ["A note"]), title="Map <1>")
    >>> "<title>Map &lt;1&gt;</title>" in page, 'src="http' in page
    (True, False)
    """
    if not _HEIGHT.match(height):
        raise InputFormatError(
            f"map height {height!r} is not a CSS length we accept",
            expected="a number followed by px, vh, em, rem or %, such as '720px'",
        )
    vis_js, vis_css = _vis_library()
    data = {"nodes": map_data.nodes, "edges": map_data.edges, "annotations": map_data.annotations}
    template = _environment().get_template("map.html.j2")
    return template.render(
        title=title or "Network map",
        heading=title,
        height=height,
        version=onatool.__version__,
        script_hashes=Markup(_script_hashes()),
        vis_js=vis_js,
        vis_css=vis_css,
        map_js=_map_script(),
        data=data,
        legend=_legend_sections(map_data.legend),
        notes=map_data.notes,
        node_count=len(map_data.nodes),
        edge_count=len(map_data.edges),
    )


def _legend_sections(entries: Iterable[dict]) -> list[tuple[str, list[dict]]]:
    """Legend entries grouped by section, in first-seen order, each with its SVG swatch."""
    sections: dict[str, list[dict]] = {}
    for entry in entries:
        sections.setdefault(str(entry.get("section", "")), []).append(
            {"label": str(entry.get("label", "")), "swatch": _swatch(entry)}
        )
    return list(sections.items())


def _colour(value: object, default: str = "#9A9A9A") -> str:
    if value is None:
        return default
    if not isinstance(value, str) or not _COLOUR.match(value):
        raise InputFormatError(
            f"legend colour {value!r} is not a colour we draw", expected="'#rrggbb'"
        )
    return value


_SHAPE_SVG = {
    "triangle": '<polygon points="9,2 16.5,15.5 1.5,15.5" fill="{fill}" stroke="#333333"/>',
    "square": '<rect x="2.5" y="2.5" width="13" height="13" fill="{fill}" stroke="#333333"/>',
    "dot": '<circle cx="9" cy="9" r="7" fill="{fill}" stroke="#333333"/>',
    "diamond": '<polygon points="9,1.5 16.5,9 9,16.5 1.5,9" fill="{fill}" stroke="#333333"/>',
    "hexagon": '<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" fill="{fill}" stroke="#333333"/>',
}


def _swatch(entry: dict) -> Markup:
    """An inline SVG picture of one legend entry, built only from checked values."""
    kind = entry.get("kind")
    colour = _colour(entry.get("colour"))
    width = float(entry.get("width", 2.0))
    dash = ' stroke-dasharray="{} {}"'.format(*DASH_PATTERN) if entry.get("dashes") else ""
    if kind == "colour":
        # A wide chip, so a colour is not mistaken for the square of a level.
        body = f'<rect x="1" y="4" width="26" height="10" rx="5" fill="{colour}" stroke="#333333"/>'
        size = (28, 18)
    elif kind == "shape":
        body = _SHAPE_SVG.get(str(entry.get("shape")), _SHAPE_SVG["dot"]).format(fill="#9A9A9A")
        size = (18, 18)
    elif kind == "line":
        body = f'<line x1="1" y1="9" x2="35" y2="9" stroke="{colour}" stroke-width="{width:.1f}"{dash}/>'
        size = (36, 18)
    elif kind == "arrow":
        body = (f'<line x1="1" y1="9" x2="27" y2="9" stroke="{colour}" stroke-width="{width:.1f}"/>'
                f'<polygon points="35,9 26,4.5 26,13.5" fill="{colour}"/>')
        size = (36, 18)
    elif kind == "border":
        dotted = ' stroke-dasharray="3 2"' if entry.get("dashes") else ""
        body = (f'<circle cx="9" cy="9" r="6" fill="#FFFFFF" stroke="#000000" '
                f'stroke-width="{min(width, 4.0):.1f}"{dotted}/>')
        size = (18, 18)
    elif kind == "size":
        body = ('<circle cx="5" cy="11" r="3" fill="#9A9A9A" stroke="#333333"/>'
                '<circle cx="20" cy="9" r="7.5" fill="#9A9A9A" stroke="#333333"/>')
        size = (30, 18)
    else:
        body, size = "", (18, 18)
    return Markup(
        f'<svg width="{size[0]}" height="{size[1]}" viewBox="0 0 {size[0]} {size[1]}" '
        f'aria-hidden="true" focusable="false">{body}</svg>'
    )


# Static images --------------------------------------------------------------------------

_MARKERS = {"triangle": "^", "square": "s", "dot": "o", "diamond": "D", "hexagon": "h"}


def render_static(
    map_data: MapData,
    path: str | Path,
    fmt: str = "png",
    *,
    title: str | None = None,
    dpi: int = 150,
) -> Path:
    """Draw the map as a PNG or SVG image with matplotlib, legend and notes included.

    Same positions, colours, shapes and line styles as the HTML page (y grows
    downwards, as on screen). Labels are drawn for maps of up to 300 nodes.

    Parameters
    ----------
    map_data
        From :func:`onatool.viz.style.style_network`.
    path
        Where to write the image.
    fmt
        ``png`` or ``svg``.
    title
        A heading drawn above the map (plain text).
    dpi
        Resolution of a PNG.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputFormatError
        If ``fmt`` is not ``png`` or ``svg``.

    Notes
    -----
    Needs matplotlib (part of onatool's ``app`` extra). Text is drawn as text, never
    parsed as mathematics, so ``$`` in a name stays a dollar sign.
    """
    if fmt not in ("png", "svg"):
        raise InputFormatError(f"cannot draw a map as {fmt!r}", expected="'png' or 'svg'")
    import matplotlib as mpl
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    path = Path(path)
    nodes, edges = map_data.nodes, map_data.edges
    with mpl.rc_context({"text.parse_math": False, "svg.fonttype": "path", "svg.hashsalt": "onatool"}):
        fig = Figure(figsize=(12, 9), layout="constrained")
        ax = fig.add_subplot()
        ax.set_aspect("equal")
        ax.invert_yaxis()
        ax.axis("off")
        if title:
            ax.set_title(title, loc="left", fontsize=13)
        xy = {n["id"]: (n["x"], n["y"]) for n in nodes}
        if nodes:
            xs = [n["x"] for n in nodes]
            ys = [n["y"] for n in nodes]
            pad = 0.04 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
            ax.set_xlim(min(xs) - pad, max(xs) + pad)
            ax.set_ylim(max(ys) + pad, min(ys) - pad)
        for note in map_data.annotations:
            ax.text(note["x"], note["y"], note["text"], fontsize=12, color="#6b6b6b",
                    fontweight="semibold", va="top", ha="left", zorder=0)
        if edges:
            segments = [(xy[e["from"]], xy[e["to"]]) for e in edges]
            ax.add_collection(LineCollection(
                segments,
                colors=[e.get("color", "#8C8C8C") for e in edges],
                linewidths=[0.5 * float(e.get("width", 1.0)) for e in edges],
                linestyles=[(0, (3, 3)) if e.get("dashes") else "solid" for e in edges],
                alpha=0.6, zorder=1,
            ))
        markers = []
        for shape, marker in _MARKERS.items():
            group = [n for n in nodes if n.get("shape") == shape]
            if group:
                points = ax.scatter(
                    [n["x"] for n in group], [n["y"] for n in group],
                    c=[n["color"]["background"] for n in group],
                    edgecolors=[n["color"]["border"] for n in group],
                    linewidths=[0.5 * n.get("borderWidth", 1) for n in group],
                    marker=marker, zorder=2,
                )
                markers.append((points, [n["size"] for n in group]))
        if len(nodes) <= 300:
            for n in nodes:
                if n.get("label"):
                    ax.annotate(n["label"], (n["x"], n["y"]), xytext=(0, -9),
                                textcoords="offset points", ha="center", va="top", fontsize=7)
        _static_legend(fig, map_data.legend)
        if map_data.notes:
            wrapped = "\n".join(textwrap.fill(n, 150) for n in map_data.notes)
            fig.supxlabel(wrapped, x=0.01, ha="left", fontsize=7.5, color="#444444")

        # Markers take their size in canvas units, as on screen: measure the final axes.
        fig.draw_without_rendering()
        span = max(abs(ax.get_xlim()[1] - ax.get_xlim()[0]), 1.0)
        points_per_unit = ax.get_window_extent().width * 72 / fig.dpi / span
        for points, sizes in markers:
            points.set_sizes([(2 * size * points_per_unit) ** 2 for size in sizes])
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return path


def _static_legend(fig: Figure, entries: list[dict]) -> None:
    """The legend, one heading per section, to the right of the map."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list = []
    headings: list[int] = []
    section = None
    for entry in entries:
        if entry.get("section") != section:
            section = entry.get("section")
            handles.append(Line2D([], [], ls="", label=str(section)))
            headings.append(len(handles) - 1)
        kind, colour = entry.get("kind"), entry.get("colour", "#9A9A9A")
        if kind == "colour":
            handle = Patch(facecolor=colour, edgecolor="#333333")
        elif kind == "shape":
            handle = Line2D([], [], ls="", marker=_MARKERS.get(entry.get("shape"), "o"),
                            ms=9, mfc="#9A9A9A", mec="#333333")
        elif kind in ("line", "arrow"):
            handle = Line2D([], [], color=colour, lw=0.8 * float(entry.get("width", 2)),
                            ls=(0, (3, 3)) if entry.get("dashes") else "-",
                            marker=">" if kind == "arrow" else None)
        elif kind == "border":
            handle = Line2D([], [], ls="", marker="o", ms=9, mfc="#FFFFFF", mec="#000000",
                            mew=min(float(entry.get("width", 2)), 3.0))
        else:
            handle = Line2D([], [], ls="", marker="o", ms=11, mfc="#9A9A9A", mec="#333333")
        handle.set_label(str(entry.get("label", "")))
        handles.append(handle)
    if handles:
        legend = fig.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False)
        for i in headings:
            legend.get_texts()[i].set_fontweight("bold")


def _metadata(fmt: str) -> dict:
    """Image metadata naming onatool, without dates so the same map gives the same file."""
    if fmt == "svg":
        return {"Creator": f"onatool {onatool.__version__}", "Date": None}
    return {"Software": f"onatool {onatool.__version__}"}
