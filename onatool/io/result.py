"""The result of importing one wave: the network, the roster it used, the full account."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from onatool import schema
from onatool.io.report import ImportReport
from onatool.io.roster import Roster
from onatool.network import Network

if TYPE_CHECKING:
    from onatool.io.recipe import Recipe

__all__ = ["ImportResult", "WaveSource"]


@dataclass(frozen=True, eq=False)
class WaveSource:
    """The answers file a wave was read from, and how: kept with the wave to read it again.

    ``options`` are plain JSON-able reading options (layout, relation, sheet, recipe).
    """

    file_name: str
    body: bytes
    options: dict = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class ImportResult:
    """A wave read from files: the network, the roster it used, and the full account.

    ``source`` is the answers file it was read from, when the reader was given one.
    """

    network: Network
    roster: Roster
    report: ImportReport
    recipe: Recipe | None = None
    source: WaveSource | None = None

    def decisions(self, *, identifiable: bool = False) -> pd.DataFrame:
        """Every name and identifier resolved, and how: the match decisions.

        Columns: ``raw`` (as written), ``decision`` (accepted, chosen by a person, new
        person, ignored, awaiting review, not on the roster), ``method``, ``score``,
        ``person_id``, ``label``, ``candidates`` (labels, ``;``-separated); with
        ``identifiable``, also the roster ``id`` and ``name`` of the match and of the
        candidates, so a person can decide.
        """
        labels = self.roster.people[schema.LABEL]
        ids = self.roster.identities
        rows = []
        for n in self.report.names:
            pid = n.get("person_id")
            row = {
                "raw": n["raw"], "decision": n.get("decision", n["method"]), "method": n["method"],
                "score": n.get("score"), "person_id": pid or "",
                "label": labels.get(pid, "") if pid else "",
                "candidates": "; ".join(str(labels.get(c, c)) for c in n.get("candidates", [])),
            }
            if identifiable:
                row["roster_id"] = _identity(ids, pid, schema.ID) if pid else ""
                row["roster_name"] = _identity(ids, pid, schema.NAME) if pid else ""
                row["candidate_names"] = "; ".join(
                    f"{_identity(ids, c, schema.NAME)} ({_identity(ids, c, schema.ID)})"
                    for c in n.get("candidates", [])
                )
            rows.append(row)
        columns = ["raw", "decision", "method", "score", "person_id", "label", "candidates"]
        if identifiable:
            columns += ["roster_id", "roster_name", "candidate_names"]
        return pd.DataFrame(rows, columns=columns)


def _identity(identities: pd.DataFrame, pid: str, column: str) -> str:
    if pid not in identities.index or column not in identities.columns:
        return ""
    value = identities.at[pid, column]
    return "" if pd.isna(value) else str(value)
