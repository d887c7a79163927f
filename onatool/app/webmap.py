"""The WebGL map as a Streamlit component: one renderer kept alive across reruns.

Served from the package (``onatool/viz/assets/webmap``: index.html, the bundled
webmap.js and nothing else) by Streamlit's own server, in Streamlit's sandboxed
component iframe. The graph (positions and ties) is sent once per graph key; after
that each rerun sends only styles, legend and the filter mask. The component sends
back a click (the node's position on the map, never a person id) and, if it was
remounted and lost its graph, a request for it.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from onatool.viz.style import MapData
from onatool.viz.webmap import COMPONENT_DIR, webmap_payload

__all__ = ["change_map_data", "map_data", "map_people", "webmap"]

_component = components.declare_component("onatool_webmap", path=str(COMPONENT_DIR))


def webmap(data: MapData, *, graph_key: str, hidden: list[int] | None = None, workshop: bool = True,
           key: str = "webmap", height: int = 620) -> int | None:
    """Draw ``data``; return the position of the node last clicked (None if none).

    Parameters
    ----------
    data
        Map data already shaped by the disclosure rules.
    graph_key
        Names the graph (wave, relation, threshold, view, person, privacy): a new key
        sends the positions and ties again; the same key sends styles only.
    hidden
        Positions of nodes a filter hides.
    """
    sent = f"_{key}_graph_sent"
    handled = f"_{key}_need_handled"
    with_graph = st.session_state.get(sent) != graph_key
    payload = webmap_payload(data, graph_key=graph_key, with_graph=with_graph, hidden=hidden,
                             workshop=workshop, height=height)
    value = _component(payload=payload, key=key, default=None, height=height + 60)
    st.session_state[sent] = graph_key
    if isinstance(value, dict):
        if value.get("need") == graph_key and value.get("seq") != st.session_state.get(handled):
            # The component was remounted (another page, a reload) and lost its graph.
            st.session_state[handled] = value.get("seq")
            st.session_state[sent] = None
            st.rerun()
        selected = value.get("selected")
        if value.get("selectedKey") == graph_key and isinstance(selected, int) and 0 <= selected < len(data.nodes):
            return selected
    return None


# Cached map data (beside cached.py's one-liners, on the same cached layers) ----------------


@st.cache_data(max_entries=64, show_spinner="Drawing the map...")
def map_data(path: str, project: str, wave: str, stamp: str, relation: str | None, min_weight: float | None,
             request, reveal_names: bool, stamps: tuple[str, ...]) -> MapData:
    """The gated map data for one request (see :class:`onatool.viz.views.MapRequest`)."""
    from onatool.app import cached
    from onatool.viz.views import build_map

    net = cached.layer(path, project, wave, stamp, relation, min_weight)
    metrics = cached.analysis(path, project, wave, stamp, relation, min_weight).people
    labels = cached.identities(path, project)["name"] if reveal_names and not request.workshop else None
    return build_map(net, cached.positions(path, project, stamps), request, metrics=metrics, labels=labels)


@st.cache_data(max_entries=16, show_spinner=False)
def map_people(path: str, project: str, wave: str, stamp: str, relation: str | None, min_weight: float | None,
               request, stamps: tuple[str, ...]):
    """Each node's person, in node order (kept on the server: filters name nodes by position)."""
    from onatool.app import cached
    from onatool.viz.views import node_people

    net = cached.layer(path, project, wave, stamp, relation, min_weight)
    return node_people(net, cached.positions(path, project, stamps), request)


@st.cache_data(max_entries=16, show_spinner="Comparing the waves...")
def change_map_data(path: str, project: str, waves: tuple[str, str], relation: str | None,
                    min_weight: float | None, request, reveal_names: bool) -> MapData:
    """Only the ties new or lost between two waves, on the later wave's people."""
    from onatool.app import cached
    from onatool.compare import change_network
    from onatool.viz.views import build_change_map

    stamps_ = tuple(cached.wave_stamp(path, project, w) for w in waves)
    result = cached.comparison(path, project, waves, stamps_, relation, min_weight, None)
    latest = cached.network(path, project, waves[-1], stamps_[-1])
    net, status = change_network(result, latest)
    labels = cached.identities(path, project)["name"] if reveal_names and not request.workshop else None
    return build_change_map(net, status, cached.positions(path, project, cached.stamps(path, project)), request,
                            labels=labels)
