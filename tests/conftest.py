"""Shared fixtures: small files written the way users write them."""

from __future__ import annotations

from pathlib import Path

import pytest

KEY = b"k" * 32


@pytest.fixture
def key() -> bytes:
    return KEY


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file (UTF-8 unless told) and return its path."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write


@pytest.fixture
def roster_csv(write) -> Path:
    return write(
        "roster.csv",
        "ID,Full name,Email,Org,Sector,Seniority,Cohort\n"
        "A1,Ann Lee,ann.lee@acute.example,Acute,NHS trust,Senior leader,Leadership programme\n"
        "A2,Bo Chan,bo.chan@council.example,Council,Local authority,Frontline,\n"
        "A3,Cy Dee,cy.dee@acute.example,Acute,NHS trust,Middle manager,\n"
        "A4,Dee Ode,dee.ode@vcse.example,VCSE Alliance,Voluntary and community,bottom,\n",
    )
