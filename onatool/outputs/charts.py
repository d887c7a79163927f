"""Small static charts for the report, as inline SVG text (matplotlib, no external reference).

Each function returns an ``<svg>`` element as a string, ready to drop into HTML:
the XML prologue, DOCTYPE, metadata and namespace declarations that matplotlib
writes (all of them URLs) are removed, since inline SVG in HTML needs none of them.
Text stays text (``svg.fonttype = "none"``), drawn in the reader's own sans-serif font.
Labels come from the data (group names), so they are drawn literally: ``$`` never
starts matplotlib mathtext, and characters XML forbids are stripped (:func:`label`).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from onatool.outputs.files import xml_text

__all__ = ["bar_chart", "heatmap", "label", "svg_text"]

PALETTE = ("#005EB8", "#41B6E6", "#768692", "#AE2573", "#ED8B00", "#009639", "#330072", "#FFB81C")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.fonttype": "none",
        "svg.hashsalt": "onatool",
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "text.parse_math": False,  # "$5 and $10" is text, not mathtext
    })
    return plt


def label(value: object) -> str:
    r"""Data text as a chart label: drawn literally, safe inside SVG.

    Characters XML forbids are removed; ``$`` is left as it is, since every chart here
    draws with ``text.parse_math`` off.

    Examples
    --------
    >>> label("Costs $5\x00 and $10")
    'Costs $5 and $10'
    """
    return xml_text(value)


def svg_text(figure) -> str:
    """A matplotlib figure as a bare inline ``<svg>`` string (no URL anywhere)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    text = re.sub(r'\s+version="1\.1"', "", text)
    text = text.replace('<svg ', '<svg role="img" ', 1)
    return text.strip()


def bar_chart(values: pd.Series, *, title: str, xlabel: str = "", percent: bool = False,
              reference: float | None = None, reference_label: str = "") -> str:
    """Horizontal bars, one per group, largest first; optional reference line."""
    plt = _pyplot()
    values = values.dropna().sort_values()
    height = 0.35 * max(len(values), 2) + 0.8
    fig, ax = plt.subplots(figsize=(6.2, height))
    ax.barh([label(i) for i in values.index], values.to_numpy(dtype=float), color=PALETTE[0])
    if reference is not None and np.isfinite(reference):
        ax.axvline(reference, color=PALETTE[4], linestyle="--", linewidth=1.2, label=label(reference_label))
        if reference_label:
            ax.legend(frameon=False, loc="lower right")
    span = float(np.nanmax(np.abs(values.to_numpy(dtype=float)))) or 1.0
    for i, v in enumerate(values.to_numpy(dtype=float)):
        # Labels sit just right of the bar's outer end (or of zero, for negative bars).
        ax.text(max(v, 0) + 0.02 * span, i, f"{v:.0%}" if percent else f"{v:.2f}", va="center", fontsize=8)
    if percent:
        ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_title(label(title), loc="left", fontsize=10, fontweight="bold")
    ax.set_xlabel(label(xlabel))
    text = svg_text(fig)
    plt.close(fig)
    return text


def heatmap(matrix: pd.DataFrame, *, title: str, percent: bool = True) -> str:
    """A square matrix (rows senders) shaded by value, each cell labelled."""
    plt = _pyplot()
    values = matrix.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    fig, ax = plt.subplots(figsize=(1.0 + 0.62 * n_cols + 2.2, 0.9 + 0.42 * n_rows))
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    ax.imshow(np.nan_to_num(values, nan=0.0), cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for i in range(n_rows):
        for j in range(n_cols):
            v = values[i, j]
            shown = "" if not np.isfinite(v) else (f"{v:.0%}" if percent else f"{v:g}")
            ax.text(j, i, shown, ha="center", va="center", fontsize=7,
                    color="white" if np.isfinite(v) and v > 0.6 * top else "#231f20")
    ax.set_xticks(range(n_cols), [_short(c) for c in matrix.columns], rotation=45, ha="right")
    ax.set_yticks(range(n_rows), [_short(r) for r in matrix.index])
    ax.set_xlabel("named (receiver)")
    ax.set_ylabel("naming (sender)")
    ax.spines[:].set_visible(False)
    ax.set_title(label(title), loc="left", fontsize=10, fontweight="bold")
    text = svg_text(fig)
    plt.close(fig)
    return text


def _short(value: object, width: int = 28) -> str:
    text = label(value)
    return text if len(text) <= width else text[: width - 1] + "…"
