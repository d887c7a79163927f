"""Which survey layout a sheet gives away, and the sheets of an export parsed as a layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from onatool.errors import InputFormatError, Place
from onatool.io.layouts import forms, google, grid, multiselect, netcanvas, qualtrics, surveymonkey
from onatool.io.layouts.survey import (
    SurveyTable,
)
from onatool.io.matching import Match
from onatool.io.tables import Sheet, read_sheets

__all__ = ["CANONICAL", "LAYOUTS", "SURVEY_LAYOUTS", "parse_sheet", "read_survey", "sniff_sheet"]

#: Survey layouts: name -> (sniff, parse). Order matters: the first that fits wins.
SURVEY_LAYOUTS = {
    qualtrics.LAYOUT: (qualtrics.sniff, qualtrics.parse),
    forms.LAYOUT: (forms.sniff, forms.parse),
    surveymonkey.LAYOUT: (surveymonkey.sniff, surveymonkey.parse),
    google.LAYOUT: (google.sniff, google.parse),
    multiselect.LAYOUT: (multiselect.sniff, multiselect.parse),
    grid.LAYOUT: (grid.sniff, grid.parse),
}
CANONICAL = ("edge_list", "matrix")
LAYOUTS = (*SURVEY_LAYOUTS, *CANONICAL, netcanvas.LAYOUT)


def sniff_sheet(sheet: Sheet, resolve: Callable[[str], Match] | None = None) -> str | None:
    """The survey layout a sheet (read without headers) gives away, or None."""
    for name, (sniff, _) in SURVEY_LAYOUTS.items():
        fits = sniff(sheet.data, resolve) if name == grid.LAYOUT else sniff(sheet.data)
        if fits:
            return name
    return None


def parse_sheet(sheet: Sheet, layout: str) -> SurveyTable:
    """A sheet (read without headers) parsed as ``layout``."""
    if layout not in SURVEY_LAYOUTS:
        raise InputFormatError(
            f"unknown survey layout {layout!r}", expected=f"one of {', '.join(SURVEY_LAYOUTS)}"
        )
    return SURVEY_LAYOUTS[layout][1](sheet)


def read_survey(path: str | Path, layout: str, *, sheet: str | None = None) -> list[SurveyTable]:
    """A survey export's sheets parsed as ``layout`` (one, or every sheet when None).

    Raises
    ------
    InputFormatError
        Unknown layout, unreadable file, missing sheet.
    """
    sheets = read_sheets(path, header_rows=0)
    if sheet is not None:
        sheets = [s for s in sheets if s.sheet == sheet]
        if not sheets:
            raise InputFormatError(f"no sheet named {sheet!r}", expected="a sheet of the workbook",
                                   place=Place(file=Path(path).name))
    return [parse_sheet(s, layout) for s in sheets]
