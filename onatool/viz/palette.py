"""One palette per project: which colour each group (an organisation, a level, a community) gets.

A group keeps its colour in every map view, chart and report of a project, because the
colour is looked up by the group's name in one assignment (:func:`assign`), never by
the group's rank in the view at hand. The project keeps its assignment (and any colour
a person changed) in its workspace settings (:meth:`onatool.project.Project.palette`).

The colours (:data:`COLOURS`) combine Okabe and Ito's set with Paul Tol's bright, muted,
light and dark schemes, chosen so that every pair stays apart by at least
:data:`MIN_DISTANCE` (CIEDE2000) in ordinary vision and under simulated deuteranopia and
protanopia (Machado, Oliveira and Fernandes 2009, severity 1), and apart from the greys
kept for "Other" and the map's lines.

References
----------
Okabe M, Ito K (2002). Color Universal Design: how to make figures and presentations
friendly to colorblind people. https://jfly.uni-koeln.de/color/
Tol P (2021). Colour schemes. SRON/EPS/TN/09-002. https://personal.sron.nl/~pault/
Sharma G, Wu W, Dalal EN (2005). The CIEDE2000 color-difference formula. Color Res Appl
30(1):21-30. doi:10.1002/col.20070
Machado GM, Oliveira MM, Fernandes LAF (2009). A physiologically-based model for
simulation of color vision deficiency. IEEE TVCG 15(6):1291-1298. doi:10.1109/TVCG.2009.113
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import numpy as np

from onatool.errors import InputFormatError

__all__ = [
    "COLOURS", "MIN_DISTANCE", "NOT_GIVEN_COLOUR", "OTHER_COLOUR", "assign", "check_colour", "distance",
    "closest", "delta_e2000", "simulate",
]

#: 20 colours, in the order groups get them: Okabe-Ito first, then Tol's schemes.
COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#222255", "#225522", "#AA3377", "#99DDFF", "#225555", "#DDCC77", "#44BB99",
    "#332288", "#666633", "#AA4499", "#EE6677", "#CC3311", "#EE7733",
)
#: The grey shared by merged small groups and groups beyond the palette (Tol's "bad data").
OTHER_COLOUR = "#BBBBBB"
#: People whose value is not recorded.
NOT_GIVEN_COLOUR = "#FFFFFF"
#: The smallest CIEDE2000 distance between two palette colours, in every vision simulated.
MIN_DISTANCE = 6.0

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def check_colour(colour: object) -> str:
    """A colour as ``#RRGGBB`` in capitals, or an error saying what is expected.

    Examples
    --------
    >>> check_colour("#0072b2")
    '#0072B2'
    """
    if not isinstance(colour, str) or not _HEX.match(colour.strip()):
        raise InputFormatError(f"{colour!r} is not a colour", expected="#RRGGBB, e.g. #0072B2")
    return colour.strip().upper()


def assign(values: Iterable[object], saved: Mapping[str, str] | None = None) -> dict[str, str]:
    """A colour for each value: the saved one if any, else the next unused palette colour.

    Parameters
    ----------
    values
        Group names (repeats and missing values ignored). New ones are given colours
        in name order, so the same names always get the same colours.
    saved
        Colours already given (a project's palette); kept as they are.

    Returns
    -------
    dict
        ``saved`` plus the new values. Once every palette colour is taken, further
        values get :data:`OTHER_COLOUR`.

    Examples
    --------
    >>> assign(["Council", "Acute", "Council"])
    {'Acute': '#0072B2', 'Council': '#E69F00'}
    >>> assign(["Hospice", "Acute"], saved={"Acute": "#E69F00"})
    {'Acute': '#E69F00', 'Hospice': '#0072B2'}
    """
    colours = dict(saved or {})
    used = set(colours.values())
    free = iter(c for c in COLOURS if c not in used)
    fresh = sorted({str(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))}
                   - set(colours))
    for value in fresh:
        colours[value] = next(free, OTHER_COLOUR)
    return colours


# Colour science: for checking the palette and a person's edits ------------------------
def _rgb(colour: str) -> np.ndarray:
    colour = check_colour(colour)
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def _linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _gamma(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                 [0.0193339, 0.1191920, 0.9503041]])
_WHITE = np.array([0.95047, 1.0, 1.08883])  # D65
#: Machado et al. (2009), severity 1.0, applied to linear RGB.
_DEFICIENCY = {
    "normal": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def simulate(colour: str, vision: str = "deuteranopia") -> str:
    """How a colour looks with a colour-vision deficiency (``deuteranopia``, ``protanopia``).

    Examples
    --------
    >>> simulate("#D55E00"), simulate("#009E73")   # Okabe-Ito's vermillion and green
    ('#9E8C00', '#8A8676')
    """
    rgb = _gamma(_DEFICIENCY[vision] @ _linear(_rgb(colour)))
    return "#" + "".join(f"{round(float(v) * 255):02X}" for v in rgb)


def _lab(colour: str) -> np.ndarray:
    xyz = _XYZ @ _linear(_rgb(colour)) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e2000(first: str, second: str) -> float:
    """The CIEDE2000 colour difference between two colours (about 2 is just noticeable).

    Examples
    --------
    >>> round(delta_e2000("#0072B2", "#0072B2"), 6), round(delta_e2000("#000000", "#FFFFFF"), 1)
    (0.0, 100.0)
    """
    (l1, a1, b1), (l2, a2, b2) = _lab(first), _lab(second)
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def distance(first: str, second: str) -> float:
    """The smallest CIEDE2000 difference of two colours in ordinary, deuteranopic and protanopic vision."""
    return min(delta_e2000(simulate(first, v), simulate(second, v)) if v != "normal"
               else delta_e2000(first, second) for v in _DEFICIENCY)


def closest(colour: str, others: Mapping[str, str]) -> tuple[str, float] | None:
    """The group whose colour is hardest to tell from ``colour`` (any vision), and how far.

    For warning a person who picks a colour too close to another group's.

    Examples
    --------
    >>> closest("#0072B3", {"Acute": "#0072B2", "Council": "#E69F00"})[0]
    'Acute'
    """
    scored = [(name, distance(colour, other)) for name, other in others.items()]
    return min(scored, key=lambda item: item[1]) if scored else None
