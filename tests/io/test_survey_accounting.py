"""The import report accounts for every row and every name, whatever the answers (per layout)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onatool.io import import_responses
from tests.support import survey_builders as sb
from tests.support.survey_builders import Response

KEY = b"a" * 32
STRANGERS = ["x.y@elsewhere.example", "pat@nowhere.example"]
JUNK = ["Mystery Person", "Someone From Finance", "Q"]
WORDS = ["Never", "Yearly", "Monthly", "Weekly", "Daily", "Not applicable", "Sometimes-ish"]

responses = st.lists(
    st.builds(
        lambda who, advice, collab: (who, advice, collab),
        st.sampled_from([r[2] for r in sb.ROSTER] + STRANGERS),
        st.lists(st.sampled_from(sb.NAMES + JUNK), max_size=6),
        st.dictionaries(st.sampled_from(sb.NAMES), st.sampled_from(WORDS), max_size=4),
    ),
    min_size=1, max_size=8,
)


def build(spec) -> list[Response]:
    start = dt.datetime(2025, 11, 3, 9, 0)
    return [Response(who, advice, collab, start + dt.timedelta(hours=n)) for n, (who, advice, collab) in enumerate(spec)]


WRITERS = {
    "microsoft_forms": lambda d, r: sb.forms(d / "f.csv", r),
    "google_forms": lambda d, r: sb.google(d / "g.csv", r),
    "qualtrics": lambda d, r: sb.qualtrics(d / "q.csv", r),
    "surveymonkey": lambda d, r: sb.surveymonkey(d / "m.csv", r),
    "multi_select": lambda d, r: sb.multi_select(d / "s.csv", r),
    "wide_grid": lambda d, r: sb.wide_grid(d / "w.xlsx", r),
    "network_canvas": lambda d, r: sb.netcanvas(d / "nc", r),
    "graphml": lambda d, r: sb.graphml(d / "nc.graphml", r),
}
#: Layouts that can carry every mention as written (free text, repeats and all).
VERBATIM = {"microsoft_forms", "google_forms", "qualtrics", "multi_select"}


def expected_mentions(layout: str, kept: list[Response]) -> int:
    advice = sum(len(r.advice) for r in kept)
    grid = sum(len(r.collab) for r in kept) if layout != "multi_select" else 0
    return advice + grid


@pytest.mark.parametrize("layout", list(WRITERS))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=responses)
def test_property_every_row_and_name_is_accounted_for(layout, spec):
    with tempfile.TemporaryDirectory() as folder:
        d = Path(folder)
        roster = sb.write_roster(d / "roster.csv")
        answers = build(spec)
        path = WRITERS[layout](d, answers)
        detected_layout = "network_canvas" if layout == "graphml" else layout
        result = import_responses(roster, path, key=KEY, layout=detected_layout)
        report = result.report
        assert report.balanced()
        # every data row of the responses file(s) was read and got exactly one outcome
        survey_rows = sum(n for where, n in report.rows_read.items() if not where.startswith("roster"))
        outcomes = [r for r in report.rows if r.file != "roster.csv"]
        assert len(outcomes) == survey_rows
        if layout in VERBATIM:
            assert survey_rows == len(answers)
            latest = {r.who: r for r in answers}  # one per respondent: the latest
            named = report.items_read - _markers(latest.values(), layout)
            assert named == expected_mentions(layout, list(latest.values()))
        # nothing is kept that was not a tie: kept ties <= items kept or changed
        assert result.network.n_ties <= report.item_counts["kept"] + report.item_counts["changed"]


def _markers(kept, layout: str) -> int:
    """Rows that named nobody hand over one marker item each."""
    return sum(1 for r in kept if not r.advice and (layout == "multi_select" or not r.collab))
