"""The vectorised ``assemble`` gives what the per-item one gave, on random items.

Random small rosters (shared names, emails, waves, a responded column) and random items
(ids, names, emails with slips, partial and unknown names, blanks, None and NaN, rows
holding several items, rows met again later, weights, answer words, N/A, infinities,
self-ties and repeats) go through both ``assemble`` and the per-item reference kept in
``reference_assemble.py``; the Network, every report line and any error must be the same.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onatool.io.assemble import ITEM_COLUMNS, assemble
from onatool.io.report import ImportReport
from onatool.io.roster import roster_from_sheet
from onatool.io.tables import Sheet
from tests.io.reference_assemble import reference_assemble

KEY = b"reference-assemble-key-01234567"
NAMES = ["Margaret Okonkwo", "Bo Chandler", "Ann Lee", "Ann Lee", "Cy Dee", "Di Ek", "Ed Fox"]


@st.composite
def rosters(draw):
    n = draw(st.integers(2, 7))
    rows = []
    for i in range(n):
        rows.append({
            "id": f"A{i}", "name": NAMES[i], "email": f"p{i}@trust.example",
            "waves": draw(st.sampled_from(["", "", "w1", "w1;w2", "w2"])),
            "responded": draw(st.sampled_from(["", "yes", "no"])),
        })
    return roster_from_sheet(Sheet(pd.DataFrame(rows, dtype=object), "roster.csv"), key=KEY)


TEXTS = st.one_of(
    # names matched by close spelling ("changed") come up often, so rows mix kept and changed items
    st.sampled_from(["A0", "A1", "A1", "a2 ", " A3", "A6", "Margret Okonkwo", "Margret Okonkwo", "Bo Chandlr",
                     "Bo Chandlr", "bo chandler", "Lee, Ann", "Ann Lee", "Ann", "Zed Unknown", "p1@trust.example",
                     "P4@TRUST.EXAMPLE", "p0@trust.exampel", "", " "]),
    st.none(),
    st.just(float("nan")),
)
ANSWERS = st.one_of(st.sampled_from(["", "Weekly", "often", "3", "0", "-99", "N/A", "7", "yes", "Never"]),
                    st.none(), st.just(float("nan")))
WEIGHTS = st.sampled_from([float("nan"), float("nan"), 1.0, 2.0, 0.0, math.inf])


@st.composite
def item_tables(draw):
    n = draw(st.integers(0, 25))
    records = []
    for _ in range(n):
        records.append((
            draw(st.sampled_from(["a.csv", "b.xlsx"])),
            draw(st.sampled_from([None, "S1", float("nan")])),
            draw(st.integers(2, 4)),  # few rows: rows hold several items, met again later
            draw(TEXTS), draw(TEXTS),
            draw(st.sampled_from(["advice", "advice", "trust"])),
            draw(ANSWERS), draw(WEIGHTS), draw(st.booleans()),
        ))
    return pd.DataFrame(records, columns=list(ITEM_COLUMNS))


def _outcome(run, roster, items, scales):
    report = ImportReport()
    try:
        network = run(roster, items.copy(), report=report, wave="w1", scales=scales)
    except Exception as exc:  # the same refusal is part of the same behaviour
        return f"{type(exc).__name__}: {exc}"
    return {
        "people": network.people.astype(object).where(network.people.notna(), None).to_dict("split"),
        "people_dtypes": [str(d) for d in network.people.dtypes],
        "ties": network.ties.to_dict("split"),
        "ties_dtypes": [str(d) for d in network.ties.dtypes],
        "rows": [asdict(r) for r in report.rows],
        "items": [asdict(i) for i in report.items],
        "names": report.names,
        "items_read": report.items_read,
        "item_counts": dict(report.item_counts),
        "notes": report.notes,
        "response": report.response,
        "balanced": report.balanced(),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(), item_tables(), st.sampled_from([None, {"advice": {"often": 3, "n/a": None, "never": 0}}]))
def test_assemble_matches_the_per_item_reference(roster, items, scales):
    expected = _outcome(reference_assemble, roster, items, scales)
    assert _outcome(assemble, roster, items, scales) == expected


def _roster(n: int = 3):
    rows = [{"id": f"A{i}", "name": NAMES[i], "email": f"p{i}@trust.example"} for i in range(n)]
    return roster_from_sheet(Sheet(pd.DataFrame(rows, dtype=object), "roster.csv"), key=KEY)


def test_a_repeat_in_a_row_drops_the_rows_last_kept_item():
    """A row (a survey answer) names A0 by id, then by a misspelt name (the same tie twice),
    and, further down the file, A2. The repeat drops the row's last item still kept or
    changed (A2's), as the per-item import did; the row reports both reasons."""
    items = pd.DataFrame([
        ("answers.csv", None, 2, "A1", "A0", "advice", "", float("nan"), True),
        ("answers.csv", None, 2, "A1", "Margret Okonkwo", "advice", "", float("nan"), True),
        ("answers.csv", None, 3, "A2", "A1", "advice", "", float("nan"), True),
        ("answers.csv", None, 2, "A1", "A2", "advice", "", float("nan"), True),  # the row met again
    ], columns=list(ITEM_COLUMNS))
    expected = _outcome(reference_assemble, _roster(), items, None)
    assert _outcome(assemble, _roster(), items, None) == expected
    rows = {r["row"]: (r["outcome"], r["reason"]) for r in expected["rows"]}
    assert rows[2] == ("changed", "name matched by fuzzy; repeated tie (highest weight kept)")
    assert expected["item_counts"] == {"kept": 2, "changed": 1, "dropped": 1}
