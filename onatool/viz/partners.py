"""The organisation map of PARTNER trust: organisations as circles, ties as wide as the trust between them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from onatool.viz.style import BORDER_COLOUR, EDGE_COLOUR, MapData, _assign_colours

__all__ = ["style_partner_map"]


def style_partner_map(pairs: pd.DataFrame, organisations: pd.DataFrame) -> MapData:
    """A map of organisations with a line from raters to rated, as wide as the trust score.

    Parameters
    ----------
    pairs
        :func:`onatool.metrics.partner.pair_scores` after the gate (a withheld score is
        missing and not drawn), indexed by (rater's organisation, organisation rated).
    organisations
        :func:`onatool.metrics.partner.organisation_scores` after the gate.

    Returns
    -------
    MapData
        Organisations on a circle, each labelled, its tooltip giving how the others see it;
        one curved line per pair with a score, width from trust (1 to 4), tooltip with
        trust, value and the raters behind them.
    """
    names = sorted({*organisations.index, *pairs.index.get_level_values(0), *pairs.index.get_level_values(1)})
    angle = np.linspace(0, 2 * math.pi, num=len(names), endpoint=False)
    colours, _ = _assign_colours(pd.Series(names))
    nodes = []
    for i, name in enumerate(names):
        row = organisations.loc[name] if name in organisations.index else None
        seen = ("no score from enough raters" if row is None or pd.isna(row["trust"]) else
                f"trust {row['trust']:.1f}, value {row['value']:.1f} of 4 from {int(row['raters'])} raters")
        # A wide circle and labels wrapped to a few lines: the map is fitted to the circles,
        # so a long name at the far left or right would otherwise run off the drawing.
        nodes.append({"id": i, "x": round(1000 * math.cos(angle[i]), 2), "y": round(1000 * math.sin(angle[i]), 2),
                      "shape": "dot", "size": 50, "color": {"background": colours.get(name, "#BBBBBB"),
                                                            "border": BORDER_COLOUR},
                      "borderWidth": 1, "category": name, "label": name, "font": {"size": 46},
                      "widthConstraint": {"maximum": 340},
                      "title": f"{name}, as the other organisations see it: {seen}"})
    index = {name: i for i, name in enumerate(names)}
    drawn = pairs.dropna(subset=["trust"])
    drawn = drawn[[a != b for a, b in drawn.index]]
    edges = [{"id": j, "from": index[a], "to": index[b], "width": round(1 + 5 * (row.trust - 1), 2),
              "color": EDGE_COLOUR, "dashes": False, "arrows": "to",
              "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
              "title": f"{a} about {b}: trust {row.trust:.1f}, value {row.value:.1f} of 4 ({int(row.raters)} raters)"}
             for j, ((a, b), row) in enumerate(drawn.iterrows())]
    legend = [
        *({"section": "Organisations", "kind": "colour", "label": n, "colour": c} for n, c in colours.items()),
        {"section": "Trust", "kind": "line", "colour": EDGE_COLOUR, "width": 6.0, "dashes": False,
         "label": "Wider line: more trust (1 not at all to 4 a great deal)"},
        {"section": "Trust", "kind": "arrow", "colour": EDGE_COLOUR, "width": 2.0, "dashes": False,
         "label": "Arrow: from the raters' organisation to the one rated"},
    ]
    notes = [f"{len(edges)} pairs of organisations with a trust score from enough raters."]
    return MapData(nodes, edges, legend, notes)
