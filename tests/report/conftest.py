"""A small partnership whose names are distinctive and whose text is hostile.

Names like "Zebediah Quuxworth" occur nowhere else, so a test can search every
export for them. One organisation is called ``=HYPERLINK("http://x","y")`` and one
person's name is a script tag, to check that text stays text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from onatool.io import read_roster, read_ties

KEY = b"s" * 32
HOSTILE_ORG = '=HYPERLINK("http://x","y")'
SCRIPT_NAME = "</script><img src=x onerror=alert(1)>"

# organisation -> (sector, size): two organisations are small (3 and 2 people).
ORGS = {
    "Northmoor Acute Hospitals": ("NHS trust", 12),
    "Northmoor Adult Social Care": ("Local authority", 9),
    HOSTILE_ORG: ("Voluntary and community", 7),
    "Riverside PCN": ("Primary care", 3),
    "St Ann's Hospice": ("Voluntary and community", 2),
}
LEVELS = ("top", "middle", "bottom")


def _names(n: int) -> list[str]:
    first = ["Zebediah", "Quintilla", "Barnabus", "Eudoxia", "Thaddeus", "Philomena", "Ignatius"]
    last = ["Quuxworth", "Fizzlebrook", "Wombleton", "Snodgrass", "Pumblechook", "Gubbinsby"]
    return [f"{first[i % len(first)]} {last[(i // len(first)) % len(last)]}{'' if i < 42 else i}"
            for i in range(n)]


def write_partnership(folder: Path) -> tuple[Path, Path, Path, list[str]]:
    """Roster, two waves of ties; returns their paths and the names used."""
    rng = np.random.default_rng(7)
    rows, orgs = [], []
    for org, (sector, size) in ORGS.items():
        orgs += [(org, sector)] * size
    names = _names(len(orgs))
    names[5] = SCRIPT_NAME
    lines = ["id,name,email,organisation,sector,level,cohort"]
    for i, ((org, sector), name) in enumerate(zip(orgs, names, strict=True)):
        level = LEVELS[i % 3]
        cohort = "Leadership programme" if i % 4 == 0 else ""
        org_cell = '"' + org.replace('"', '""') + '"'
        lines.append(f"X{i:03d},{name},x{i:03d}@nhs.example,{org_cell},{sector},{level},{cohort}")
        rows.append(i)
    roster = folder / "roster.csv"
    roster.write_text("\n".join(lines) + "\n")
    waves = []
    for wave, density in (("baseline", 0.08), ("follow-up", 0.11)):
        ties = ["source,target,relation,weight"]
        for i in rows:
            if i % 9 == 8:  # a non-respondent: no row at all
                continue
            named = [j for j in rows if j != i and rng.random() < density]
            if not named:
                ties.append(f"X{i:03d},,,")
            for j in named:
                ties.append(f"X{i:03d},X{j:03d},advice,{rng.integers(1, 5)}")
        path = folder / f"ties_{wave}.csv"
        path.write_text("\n".join(ties) + "\n")
        waves.append(path)
    return roster, waves[0], waves[1], names


@pytest.fixture(scope="session")
def partnership(tmp_path_factory):
    """(roster, [baseline, follow-up] ImportResults, names, folder)."""
    folder = tmp_path_factory.mktemp("partnership")
    roster_path, base, follow, names = write_partnership(folder)
    roster = read_roster(roster_path, key=KEY)
    results = [read_ties(base, roster, wave="baseline"), read_ties(follow, roster, wave="follow-up")]
    return {"roster": roster, "results": results, "names": names, "folder": folder,
            "paths": (roster_path, base, follow)}
