"""One small reader per layout: each turns a file into raw items for :func:`assemble`.

Canonical layouts (:mod:`.canonical`): the long edge list and the adjacency matrix.
Survey exports: Microsoft Forms (:mod:`.forms`), Qualtrics (:mod:`.qualtrics`),
SurveyMonkey (:mod:`.surveymonkey`), Google Forms (:mod:`.google`), a wide roster grid
(:mod:`.grid`), a multi-select sheet (:mod:`.multiselect`), each parsed into a
:class:`~.survey.SurveyTable` and turned into items by :func:`~.survey.survey_items`;
and Network Canvas (:mod:`.netcanvas`), egocentric, read on its own.
"""

from __future__ import annotations

from onatool.io.layouts.canonical import edge_list_items, matrix_items
from onatool.io.layouts.registry import (
    CANONICAL,
    LAYOUTS,
    SURVEY_LAYOUTS,
    parse_sheet,
    read_survey,
    sniff_sheet,
)
from onatool.io.layouts.survey import (
    Column,
    Plan,
    RelationQuestion,
    SurveyTable,
    split_names,
    survey_items,
)

__all__ = [
    "CANONICAL",
    "LAYOUTS",
    "SURVEY_LAYOUTS",
    "Column",
    "Plan",
    "RelationQuestion",
    "SurveyTable",
    "edge_list_items",
    "matrix_items",
    "parse_sheet",
    "read_survey",
    "sniff_sheet",
    "split_names",
    "survey_items",
]
