"""The WebGL map (sigma.js + graphology): its payload, its standalone page, its bundle.

The renderer is one bundled script, ``assets/webmap/webmap.js``, built from
``frontend/map`` (``make webmap``) and committed, so running the app needs no Node. It
is used two ways:

* in the app, as a Streamlit component served from ``assets/webmap`` (see
  :mod:`onatool.app.webmap`, which sends :func:`webmap_payload`), keeping one renderer
  alive: the graph (positions and ties) is sent once per graph key, styles (colours,
  sizes, shapes, labels, tooltips) and filters as small updates;
* as one self-contained offline HTML page (:func:`render_webmap`), the bundle inlined and
  allowed by its SHA-256 hash in a Content-Security-Policy that forbids every fetch.

Everything here takes :class:`~onatool.viz.style.MapData`, which the disclosure rules
have already shaped (workshop mode: no labels, no person ids, group tooltips, small
groups merged). Survey text reaches the browser only as JSON data; the script writes it
with ``textContent`` or onto a canvas, never as markup.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

import onatool
from onatool.errors import UnsafeFileError
from onatool.viz.style import MapData

__all__ = [
    "COMPONENT_DIR", "bundle", "graph_part", "hidden_nodes", "render_webmap", "style_part",
    "webmap_payload",
]

#: The folder Streamlit serves the component from: index.html, webmap.js, its source hash.
COMPONENT_DIR = Path(str(resources.files("onatool.viz") / "assets" / "webmap"))

_CSP = ("default-src 'none'; script-src {hash}; style-src 'none'; img-src data: blob:; connect-src 'none'; "
        "font-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=1)
def bundle() -> str:
    """The bundled renderer, checked for anything that would end an inline script early."""
    text = (COMPONENT_DIR / "webmap.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise UnsafeFileError("onatool/viz/assets/webmap/webmap.js contains a closing tag and cannot be "
                              "inlined; rebuild it with `make webmap`")
    return text


def _script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


# Payload --------------------------------------------------------------------------------


def graph_part(data: MapData) -> dict:
    """Positions and ties: what stays the same while styles and filters change.

    Nodes are addressed by their position in ``data.nodes`` (0, 1, ...), not by person id.
    """
    index = {node["id"]: i for i, node in enumerate(data.nodes)}
    edges = data.edges
    return {
        "nodes": {"x": [n["x"] for n in data.nodes], "y": [n["y"] for n in data.nodes]},
        "edges": {
            "source": [index[e["from"]] for e in edges],
            "target": [index[e["to"]] for e in edges],
            "width": [e.get("width", 1.0) for e in edges],
            "color": [e.get("color", "#8C8C8C") for e in edges],
            "arrow": [bool(e.get("arrows")) for e in edges],
        },
    }


def style_part(data: MapData) -> dict:
    """Per-node colour, size, shape, border, label, tooltip and colour group, as columns."""
    nodes = data.nodes
    labels = [n.get("label") for n in nodes]
    return {
        "color": [n["color"]["background"] for n in nodes],
        "size": [n["size"] for n in nodes],
        "shape": [n.get("shape", "dot") for n in nodes],
        "border": [n.get("borderWidth", 1) for n in nodes],
        "label": labels if any(label is not None for label in labels) else None,
        "tip": [n.get("title", "") for n in nodes],
        "category": [n.get("category") for n in nodes],
    }


def hidden_nodes(data: MapData, keep: set[str] | None) -> list[int]:
    """Positions of the nodes a filter hides, by ``person_id`` (outside workshop mode) or
    colour group (``category``, in workshop mode, where nodes carry no person id)."""
    if keep is None:
        return []
    return [i for i, n in enumerate(data.nodes) if n.get("person_id", n.get("category")) not in keep]


def webmap_payload(data: MapData, *, graph_key: str, with_graph: bool = True, hidden: list[int] | None = None,
                   label_size: int | None = None, workshop: bool = True, height: int = 620) -> dict:
    """Everything the renderer takes in one update (the graph only when ``with_graph``)."""
    payload = {
        "graphKey": graph_key,
        "style": style_part(data),
        "legend": data.legend,
        "notes": data.notes,
        "annotations": data.annotations,
        "hidden": hidden or [],
        "workshop": workshop,
        "height": height,
    }
    if label_size:
        payload["labelSize"] = int(label_size)
    if with_graph:
        payload["graph"] = graph_part(data)
    return payload


# The standalone page -----------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="onatool {{ version }}">
<title>{{ title }}</title>
</head>
<body>
{% if heading %}<h1 id="onatool-title">{{ heading }}</h1>{% endif %}
<div id="onatool-root"></div>
<script type="application/json" id="onatool-data">{{ payload|tojson }}</script>
<script>{{ script }}</script>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "allow_nan": False}
    return env.from_string(_PAGE)


def render_webmap(data: MapData, *, title: str | None = None, height: int = 680) -> str:
    """One self-contained HTML page drawing ``data`` with the WebGL renderer.

    The page loads nothing: the bundle is inlined and allowed by hash, the data is a JSON
    block, and the policy forbids every fetch, frame, font and form.

    Examples
    --------
    >>> from onatool.viz.style import MapData
    >>> page = render_webmap(MapData([], [], [], ["A note"]), title="Map <1>")
    >>> "<title>Map &lt;1&gt;</title>" in page, "connect-src 'none'" in page
    (True, True)
    """
    script = bundle()
    payload = webmap_payload(data, graph_key="standalone", height=height)
    return _template().render(
        csp=Markup(_CSP.format(hash=_script_hash(script))), version=onatool.__version__,
        title=title or "Network map", heading=title, payload=payload, script=Markup(script),
    )


def sources_record() -> dict:
    """What the committed bundle was built from (``webmap.sources.json``)."""
    return json.loads((COMPONENT_DIR / "webmap.sources.json").read_text(encoding="utf-8"))
