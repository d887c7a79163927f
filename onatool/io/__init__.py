"""Everything that turns a user's file into a Network, and nothing else."""

from __future__ import annotations

from onatool.io.assemble import assemble, response_summary, scale_weight
from onatool.io.detect import Detection, detect, recipe_from_detection
from onatool.io.matching import (
    Alias,
    RosterIndex,
    decide,
    load_aliases,
    normalise_name,
    save_aliases,
)
from onatool.io.reading import (
    import_responses,
    import_wave,
    read_matrix,
    read_network_file,
    read_ties,
)
from onatool.io.recipe import Recipe, load_recipe, save_recipe
from onatool.io.recipe import apply as apply_recipe
from onatool.io.report import ImportReport
from onatool.io.result import ImportResult
from onatool.io.roster import Roster, read_roster
from onatool.io.tables import read_sheets, read_table

__all__ = [
    "Alias",
    "Detection",
    "ImportReport",
    "ImportResult",
    "Recipe",
    "Roster",
    "RosterIndex",
    "apply_recipe",
    "assemble",
    "decide",
    "detect",
    "import_responses",
    "import_wave",
    "load_aliases",
    "load_recipe",
    "normalise_name",
    "read_matrix",
    "read_network_file",
    "read_roster",
    "read_sheets",
    "read_table",
    "read_ties",
    "recipe_from_detection",
    "response_summary",
    "save_aliases",
    "save_recipe",
    "scale_weight",
]
