"""ImportReport: every input row kept, changed, dropped or doubted, with the reason.

An import never loses anything silently. Each row of each file read gets exactly one
outcome; a row that yields several ties (a multi-select cell, a wide grid row) gets
the outcome of its items taken together (all kept -> kept, all dropped -> dropped,
otherwise changed), and each item's fate is listed too. So
``rows_in == kept + changed + dropped + doubted`` always holds, and the report is
shown, and saved with the wave, before any metric is computed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

import pandas as pd

__all__ = ["ImportReport", "ItemOutcome", "Outcome", "RowOutcome", "markdown_text"]

Outcome = Literal["kept", "changed", "dropped", "doubted"]
OUTCOMES: tuple[Outcome, ...] = ("kept", "changed", "dropped", "doubted")


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one input row."""

    file: str
    sheet: str | None
    row: int
    outcome: Outcome
    reason: str = ""


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one item (a named person, a tie) inside a row."""

    file: str
    sheet: str | None
    row: int
    outcome: Outcome
    reason: str
    detail: str = ""


@dataclass
class ImportReport:
    """The account of one import: rows, items, names, dropped columns, response.

    Examples
    --------
    >>> report = ImportReport()
    >>> report.read("ties.csv", None, 2)
    >>> report.add_row("ties.csv", None, 2, "kept")
    >>> report.add_row("ties.csv", None, 3, "dropped", "self-tie")
    >>> report.counts()
    {'kept': 1, 'changed': 0, 'dropped': 1, 'doubted': 0}
    >>> report.balanced()
    True
    """

    rows: list[RowOutcome] = field(default_factory=list)
    items: list[ItemOutcome] = field(default_factory=list)
    names: list[dict] = field(default_factory=list)
    columns_dropped: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    response: dict = field(default_factory=dict)
    rows_read: Counter = field(default_factory=Counter)
    items_read: int = 0
    item_counts: Counter = field(default_factory=Counter)
    attribute_values_read: int = 0
    attribute_values: Counter = field(default_factory=Counter)  # (attribute, outcome, reason) -> values

    # Recording ---------------------------------------------------------------------
    def read(self, file: str, sheet: str | None, n_rows: int) -> None:
        """Note that ``n_rows`` data rows were read from a file (or sheet)."""
        self.rows_read[_where(file, sheet)] += n_rows

    def add_row(
        self, file: str, sheet: str | None, row: int, outcome: Outcome, reason: str = ""
    ) -> None:
        """Record the outcome of one input row."""
        self.rows.append(RowOutcome(file, sheet, int(row), outcome, reason))

    def add_item(
        self,
        file: str,
        sheet: str | None,
        row: int,
        outcome: Outcome,
        reason: str,
        detail: str = "",
    ) -> None:
        """Record the outcome of one item inside a row (a tie, a name)."""
        self.items.append(ItemOutcome(file, sheet, int(row), outcome, reason, detail))

    def count_items(self, n_items: int, outcomes: Counter) -> None:
        """Note that ``n_items`` items were assessed, with these outcomes (kept included)."""
        self.items_read += n_items
        self.item_counts.update(outcomes)

    def read_attribute_values(self, n_values: int) -> None:
        """Note that ``n_values`` person-attribute values were read (blank answers included)."""
        self.attribute_values_read += n_values

    def add_attribute_value(self, attribute: str, outcome: str, reason: str = "", n: int = 1) -> None:
        """Record the fate of ``n`` values of a person attribute: ``kept``, ``dropped`` (why) or ``blank``."""
        if n:
            self.attribute_values[(attribute, outcome, reason)] += n

    def attribute_table(self) -> list[dict]:
        """Per attribute and outcome, how many values (see :mod:`onatool.io.attributes`)."""
        return [{"attribute": a, "outcome": o, "reason": r, "values": n}
                for (a, o, r), n in sorted(self.attribute_values.items())]

    def add_name(self, raw: str, resolved: str | None, method: str, **extra: object) -> None:
        """Record how a free-text name or identifier was resolved (or not)."""
        self.names.append({"raw": raw, "person_id": resolved, "method": method, **extra})

    def drop_column(self, file: str, column: str, reason: str) -> None:
        """Record a column that was not read (identifying metadata, unused)."""
        self.columns_dropped.append({"file": file, "column": column, "reason": reason})

    def note(self, text: str) -> None:
        """Add a plain-language note."""
        self.notes.append(text)

    def merge(self, other: ImportReport) -> ImportReport:
        """This report followed by another (for a roster plus a ties file)."""
        merged = ImportReport(
            rows=[*self.rows, *other.rows],
            items=[*self.items, *other.items],
            names=[*self.names, *other.names],
            columns_dropped=[*self.columns_dropped, *other.columns_dropped],
            notes=[*self.notes, *other.notes],
            response={**self.response, **other.response},
            rows_read=self.rows_read + other.rows_read,
            items_read=self.items_read + other.items_read,
            item_counts=self.item_counts + other.item_counts,
            attribute_values_read=self.attribute_values_read + other.attribute_values_read,
            attribute_values=self.attribute_values + other.attribute_values,
        )
        return merged

    # Reading -------------------------------------------------------------------------
    def counts(self, file: str | None = None) -> dict[str, int]:
        """Rows per outcome, for one file or all."""
        tally = Counter(r.outcome for r in self.rows if file is None or r.file == file)
        return {o: tally.get(o, 0) for o in OUTCOMES}

    def balanced(self) -> bool:
        """Whether every row read got exactly one outcome, and every item and attribute value one too."""
        seen = Counter(_where(r.file, r.sheet) for r in self.rows)
        unique = len({(r.file, r.sheet, r.row) for r in self.rows}) == len(self.rows)
        items = sum(self.item_counts.values()) == self.items_read
        values = sum(self.attribute_values.values()) == self.attribute_values_read
        return unique and +seen == +self.rows_read and items and values

    def review(self) -> list[dict]:
        """Names awaiting a person's decision (ambiguous or resembling someone)."""
        return [n for n in self.names if n.get("method") in ("ambiguous", "review")]

    def unmatched(self) -> list[dict]:
        """Names that resolved to nobody: awaiting review, unknown or ignored."""
        return [n for n in self.names if not n.get("person_id")]

    def reasons(self) -> dict[str, int]:
        """How many rows and items were dropped, changed or doubted, by reason.

        An item's reason is counted once, not again for the row holding it.
        """
        tally: Counter = Counter()
        for entry in self._entries_to_show():
            tally[f"{entry.outcome}: {entry.reason}"] += 1
        return dict(sorted(tally.items()))

    def _entries_to_show(self) -> list[RowOutcome | ItemOutcome]:
        """Non-kept items, plus non-kept rows that hold no such item."""
        items = [i for i in self.items if i.outcome != "kept"]
        with_items = {(i.file, i.sheet, i.row) for i in items}
        rows = [r for r in self.rows if r.outcome != "kept" and (r.file, r.sheet, r.row) not in with_items]
        return sorted([*rows, *items], key=lambda e: (e.file, e.sheet or "", e.row))

    def rows_frame(self) -> pd.DataFrame:
        """Every row outcome as a table (file, sheet, row, outcome, reason)."""
        return pd.DataFrame([asdict(r) for r in self.rows], columns=list(RowOutcome.__annotations__))

    def items_frame(self) -> pd.DataFrame:
        """Every item outcome as a table."""
        return pd.DataFrame(
            [asdict(i) for i in self.items], columns=list(ItemOutcome.__annotations__)
        )

    def to_dict(self) -> dict:
        """Everything in plain JSON-ready types."""
        return {
            "counts": self.counts(),
            "rows_read": dict(sorted(self.rows_read.items())),
            "items_read": self.items_read,
            "item_counts": {o: self.item_counts.get(o, 0) for o in OUTCOMES},
            "balanced": self.balanced(),
            "reasons": self.reasons(),
            "attribute_values_read": self.attribute_values_read,
            "attribute_values": self.attribute_table(),
            "response": self.response,
            "columns_dropped": self.columns_dropped,
            "notes": self.notes,
            "names": self.names,
            "rows": [asdict(r) for r in self.rows if r.outcome != "kept"],
            "items": [asdict(i) for i in self.items if i.outcome != "kept"],
        }

    def to_json(self) -> str:
        """The report as JSON (sorted keys, so changes diff cleanly)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, default=str)

    def to_markdown(self) -> str:
        """A readable account for a person checking the import."""
        counts = self.counts()
        lines = ["# Import report", ""]
        lines.append(
            f"{sum(self.rows_read.values())} rows read: {counts['kept']} kept, "
            f"{counts['changed']} changed, {counts['dropped']} dropped, "
            f"{counts['doubted']} in doubt. {len(self.review())} name(s) awaiting a decision."
        )
        lines.append("")
        if self.response:
            r = self.response
            lines += ["## Who answered", ""]
            lines.append(
                f"{r.get('respondents', 0)} of {r.get('people', 0)} people answered "
                f"(response rate {r.get('response_rate', float('nan')):.0%})."
            )
            for attribute, groups in r.get("by_group", {}).items():
                lines += ["", f"By {attribute}:", ""]
                lines += ["| group | people | answered | rate |", "| --- | --- | --- | --- |"]
                for g in groups:
                    lines.append(
                        f"| {_md(g['group'])} | {g['people']} | {g['respondents']} | "
                        f"{g['response_rate']:.0%} |"
                    )
            lines.append("")
        reasons = self.reasons()
        if reasons:
            lines += ["## Changed, dropped or in doubt", "", "| what | count |", "| --- | --- |"]
            lines += [f"| {_md(k)} | {v} |" for k, v in reasons.items()]
            lines.append("")
            lines += ["| file | row | outcome | reason |", "| --- | --- | --- | --- |"]
            for e in self._entries_to_show():
                detail = f": {_md(e.detail)}" if isinstance(e, ItemOutcome) and e.detail else ""
                lines.append(f"| {_md(_where(e.file, e.sheet))} | {e.row} | {e.outcome} | {_md(e.reason)}{detail} |")
            lines.append("")
        review = self.unmatched()
        if review:
            lines += ["## Names not matched", "", "| name as written | decision | candidates |",
                      "| --- | --- | --- |"]
            for n in review:
                candidates = ", ".join(n.get("candidate_labels") or n.get("candidates") or []) or "-"
                lines.append(f"| {_md(n['raw'])} | {_md(n.get('decision', n['method']))} | {_md(candidates)} |")
            lines.append("")
        if self.attribute_values:
            lines += ["## Person attributes", "",
                      f"{self.attribute_values_read} values read about people besides their ties.", "",
                      "| attribute | outcome | why | values |", "| --- | --- | --- | --- |"]
            lines += [f"| {_md(a['attribute'])} | {a['outcome']} | {_md(a['reason'])} | {a['values']} |"
                      for a in self.attribute_table()]
            lines.append("")
        if self.columns_dropped:
            lines += ["## Columns not read", ""]
            lines += [f"- {_md(c['file'])}: `{_md(c['column'])}`: {_md(c['reason'])}" for c in self.columns_dropped]
            lines.append("")
        if self.notes:
            lines += ["## Notes", ""] + [f"- {_md(n)}" for n in self.notes] + [""]
        return "\n".join(lines)


def _where(file: str, sheet: str | None) -> str:
    return f"{file} [{sheet}]" if sheet else file


def markdown_text(text: object) -> str:
    r"""User text made literal in Markdown: no link, image, emphasis, HTML or table break.

    Names, organisations and file names come from other people's files; shown through
    Markdown (a report, a Streamlit label) ``![x](http://...)`` would fetch an image
    from outside and ``[x](...)`` would make a link. Each character with a meaning is
    escaped with a backslash, and line breaks become spaces.

    Examples
    --------
    >>> print(markdown_text("![x](http://evil.example/p.png) *Ann* | Lee"))
    \!\[x\](http\://evil.example/p.png) \*Ann\* \| Lee
    """
    return _MARKDOWN.sub(r"\\\g<0>", " ".join(str(text).splitlines()))


_MARKDOWN = re.compile(r"[\\`*_\[\]<>!~|$:#{}]")
_md = markdown_text
