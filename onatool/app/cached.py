"""Cached wrappers around onatool: explicit arguments in, shared results out.

Pages call these, never the library directly for anything costly. Each wave is keyed
by its ``saved`` stamp, so re-importing a wave invalidates what was computed from it.
Networks and analyses are immutable, so ``cache_resource`` can share them between
sessions without copying; nothing here mutates what it returns.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from onatool.network import Network
from onatool.store import Workspace

__all__ = [
    "analysis", "change_map_html", "chart", "comparison", "identities", "layer", "map_html", "network",
    "positions", "previous_wave", "stamps", "wave_stamp", "workspace",
]

#: The charts :func:`chart` draws, by name (``onatool.viz.charts``).
CHARTS = ("bar_chart", "diverging_bar_chart", "heatmap")


@st.cache_resource(show_spinner=False)
def workspace(path: str) -> Workspace:
    """The workspace at ``path``, with the sample project created on first start."""
    from onatool.sample import ensure_sample_project

    ws = Workspace(path)
    ensure_sample_project(ws)
    return ws


def wave_stamp(path: str, project: str, wave: str) -> str:
    """When a wave was last saved: part of every cache key built on it."""
    for info in workspace(path).waves(project):
        if info.name == wave:
            return str(info.created)
    return ""


@st.cache_resource(max_entries=16, show_spinner="Loading the wave...")
def network(path: str, project: str, wave: str, stamp: str) -> Network:
    """One saved wave."""
    return workspace(path).load_wave(project, wave)


def identities(path: str, project: str) -> pd.DataFrame:
    """The project's identity lookup (read only when names are revealed), as saved last."""
    return _identities(path, project, stamps(path, project))


@st.cache_resource(max_entries=8, show_spinner=False)
def _identities(path: str, project: str, stamps_: tuple[str, ...]) -> pd.DataFrame:
    return workspace(path).load_roster(project)[1]


@st.cache_resource(max_entries=32, show_spinner="Measuring the network...")
def analysis(path: str, project: str, wave: str, stamp: str, relation: str | None,
             min_weight: float | None, previous: str | None = None, previous_stamp: str = ""):
    """Every metric for one wave, relation and threshold (and the previous wave's, for change).

    ``relation`` is the sidebar's, already chosen by :func:`onatool.project.choose_relation`
    (None: every relation merged, as the person asked).
    """
    from onatool.metrics import analyse

    before = None
    if previous is not None:
        before = analysis(path, project, previous, previous_stamp, relation, min_weight)
    return analyse(network(path, project, wave, stamp), relation=relation, min_weight=min_weight,
                   seed=0, previous=before)


def previous_wave(path: str, project: str, wave: str) -> str | None:
    """The wave before ``wave`` in survey order, if any."""
    names = [w.name for w in workspace(path).waves(project)]
    position = names.index(wave) if wave in names else -1
    return names[position - 1] if position > 0 else None


@st.cache_resource(max_entries=32, show_spinner=False)
def layer(path: str, project: str, wave: str, stamp: str, relation: str | None,
          min_weight: float | None) -> Network:
    """One relation of one wave at a weight threshold."""
    return network(path, project, wave, stamp).layer(relation, min_weight)


@st.cache_resource(max_entries=8, show_spinner="Laying out the map...")
def positions(path: str, project: str, stamps: tuple[str, ...]) -> pd.DataFrame:
    """The project's fixed layout over every wave, computed once and saved with it."""
    from onatool.project import Project

    return Project(workspace(path), project).layout()


@st.cache_data(max_entries=64, show_spinner="Drawing the map...")
def map_html(path: str, project: str, wave: str, stamp: str, relation: str | None,
             min_weight: float | None, request, reveal_names: bool, stamps: tuple[str, ...]) -> str:
    """The self-contained map page for one request (see :class:`onatool.viz.views.MapRequest`)."""
    from onatool.viz.maps import render_map
    from onatool.viz.views import build_map

    net = layer(path, project, wave, stamp, relation, min_weight)
    metrics = analysis(path, project, wave, stamp, relation, min_weight).people
    labels = identities(path, project)["name"] if reveal_names and not request.workshop else None
    data = build_map(net, positions(path, project, stamps), request, metrics=metrics, labels=labels)
    return render_map(data, height="680px")


def stamps(path: str, project: str) -> tuple[str, ...]:
    """Every wave's saved stamp: a cache key for things built over all waves."""
    return tuple(str(w.created) for w in workspace(path).waves(project))


@st.cache_resource(max_entries=16, show_spinner="Comparing the waves (with 1,000 permutations)...")
def comparison(path: str, project: str, waves: tuple[str, ...], stamps_: tuple[str, ...],
               relation: str | None, min_weight: float | None, cohort: str | None):
    """The change between waves (in order), reusing each wave's cached analysis."""
    from onatool.compare import compare_waves

    networks = [network(path, project, w, s) for w, s in zip(waves, stamps_, strict=True)]
    analyses = [analysis(path, project, w, s, relation, min_weight) for w, s in zip(waves, stamps_, strict=True)]
    return compare_waves(networks, relation=relation, min_weight=min_weight, cohort=cohort, seed=0,
                         analyses=analyses)


@st.cache_data(max_entries=16, show_spinner="Drawing the change map...")
def change_map_html(path: str, project: str, waves: tuple[str, ...], stamps_: tuple[str, ...],
                    relation: str | None, min_weight: float | None, cohort: str | None,
                    colour_by: str | None, workshop: bool, k: int) -> str:
    """A map of the latest wave's people with every tie marked new, lost or stable."""
    from onatool.compare import change_network
    from onatool.viz.maps import render_map
    from onatool.viz.style import style_network

    result = comparison(path, project, waves, stamps_, relation, min_weight, cohort)
    latest = network(path, project, waves[-1], stamps_[-1])
    net, status = change_network(result, latest)
    data = style_network(net, positions(path, project, stamps(path, project)), colour_by=colour_by,
                         workshop=workshop, min_group_size=k, edge_status=status)
    return render_map(data, height="640px")


@st.cache_resource(max_entries=256, show_spinner=False)
def chart(kind: str, data: pd.DataFrame | pd.Series, title: str, **options):
    """A plotly figure from :mod:`onatool.viz.charts` (``kind`` one of :data:`CHARTS`), drawn once.

    Keyed by the values drawn (Streamlit hashes ``data`` by content), the title and the
    options, so a page that reruns with the same released table reuses its figure: plotly
    takes about 0.05 s to build and check each one, and the Boundaries page draws four per
    attribute. ``st.plotly_chart`` only reads the figure, so one object can be shared.
    """
    from onatool.viz import charts

    if kind not in CHARTS:
        raise ValueError(f"chart {kind!r} is not one of {', '.join(CHARTS)}")
    return getattr(charts, kind)(data, title, **options)
