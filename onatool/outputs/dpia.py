"""A summary to attach to the organisation's own Data Protection Impact Assessment.

:func:`dpia_summary` lists what an analysis holds and shows: the fields (column names
and how many values, never the values), the relationship questions, who can see
names and how that is recorded, the suppression settings, pseudonymisation,
retention, and where the data goes (nowhere: onatool runs locally). It is written
as ``dpia_summary.md`` and ``dpia_summary.json`` beside the report. It supports a
DPIA; it is not one: the controller's own assessment decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from onatool import __version__, schema
from onatool.network import Network
from onatool.outputs.files import write_json
from onatool.share.disclosure import Disclosure

__all__ = ["DEFAULT_RETENTION", "dpia_markdown", "dpia_summary", "write_dpia"]

DEFAULT_RETENTION = (
    "Suggested: delete the raw survey exports once imported and checked; keep the onatool "
    "workspace (pseudonymised answers, roster and key) until 12 months after the last wave "
    "of the programme, then delete it; keep stakeholder reports as programme records. "
    "Replace this with your organisation's retention schedule."
)

_LAWFUL_BASIS = (
    "UK GDPR Article 6(1)(e), public task: an NHS body or local authority analyses how its "
    "staff and partners work together to plan and improve services it has a duty to provide. "
    "Consent (Article 6(1)(a)) is usually not appropriate between employer and staff: the "
    "imbalance of power means it cannot be freely given, and a relationship survey also holds "
    "data about colleagues who are named but did not answer. Taking part in the survey stays "
    "voluntary; that is a matter of fairness, not the lawful basis."
)

_SPECIAL_CATEGORY_HINTS = ("ethnic", "religio", "disab", "health", "sexual", "gender", "sex",
                           "trade union", "union", "belief", "race", "pregnan")


def dpia_summary(
    networks: Sequence[Network],
    *,
    identities: pd.DataFrame | None = None,
    disclosure: Disclosure | None = None,
    exports: Mapping[str, Disclosure] | None = None,
    project: str = "",
    retention: str = DEFAULT_RETENTION,
    controller: str = "",
    questions: Mapping[str, str] | None = None,
    created: str | None = None,
    ratings: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """What the analysis holds and shows, as plain data.

    Parameters
    ----------
    networks
        The waves analysed, in time order.
    identities
        The roster's identity table (only which columns are filled is read).
    disclosure
        The default policy of the outputs.
    exports
        Output name -> the disclosure it was made under (names revealed or not).
    project
        The project's name.
    retention
        The retention rule to state.
    controller
        The data controller (the organisation), if known.
    questions
        Relation name -> question asked.
    created
        ISO date (default today).
    ratings
        PARTNER trust and value answers (one row per rater, organisation rated and
        dimension), when the report holds them.

    Returns
    -------
    dict
        ``project, controller, created, tool_version, processing, lawful_basis,
        fields, relations, waves, names, suppression, pseudonymisation, retention,
        exports, review`` (fields needing a closer look, such as columns that might
        hold special category data).
    """
    from datetime import date

    disclosure = disclosure or Disclosure()
    latest = networks[-1] if networks else None
    fields = []
    if identities is not None:
        for column in schema.IDENTITY_COLUMNS:
            if column in identities.columns:
                filled = int(identities[column].astype(str).str.strip().ne("").sum())
                if filled:
                    fields.append({"field": column, "kind": "identifying", "people_with_value": filled,
                                   "where": "roster file and onatool workspace only; never in the "
                                            "report; in exports only when names are revealed"})
    review = []
    if latest is not None:
        for column in latest.people.columns:
            if column in (schema.LABEL, schema.RESPONDED):
                continue
            values = latest.people[column].dropna()
            kind = "attribute (from the roster)"
            fields.append({"field": column, "kind": kind, "people_with_value": int(len(values)),
                           "distinct_values": int(values.nunique()),
                           "where": "group tables, maps and person-level exports; groups under the "
                                    "threshold merged into Other"})
            if any(h in column.casefold() for h in _SPECIAL_CATEGORY_HINTS):
                review.append(f"column {column!r} may hold special category data (UK GDPR "
                              "Article 9): remove it unless the DPIA covers an Article 9 condition")
        fields.append({"field": schema.RESPONDED, "kind": "survey participation",
                       "people_with_value": int(latest.n_people), "where": "response rates by group"})
        fields.append({"field": schema.LABEL, "kind": "pseudonym (P001 ...)",
                       "people_with_value": int(latest.n_people),
                       "where": "person-level exports for analysts"})
    if ratings is not None and len(ratings):
        fields.append({"field": "partner ratings", "kind": "each respondent's trust in and value of "
                                                           "partner organisations (PARTNER, 1-4)",
                       "people_with_value": int(ratings["person_id"].nunique()),
                       "where": "organisation and pair scores with the raters behind each; a score from "
                                "fewer raters than the threshold withheld, and further pairs withheld "
                                "where they would give a withheld one away; no one's own answers shown"})
    relations = []
    for network in networks[-1:]:
        for name in network.relation_names:
            info = network.relations.get(name)
            relations.append({"relation": name, "label": info.label if info else name,
                              "question": (questions or {}).get(name) or (info.question if info else ""),
                              "ties": int((network.ties[schema.RELATION] == name).sum())})
    waves = [{"wave": n.wave, "people": n.n_people, "respondents": int(len(n.respondents))}
             for n in networks]
    export_rows = [{"output": name, "names_revealed": d.names_revealed,
                    "revealed_by": d.revealed_by or None, "threshold": d.threshold, "preset": d.preset}
                   for name, d in (exports or {}).items()]
    return {
        "project": project,
        "controller": controller or "(the organisation running the survey)",
        "created": created or date.today().isoformat(),
        "tool_version": __version__,
        "processing": (
            "onatool runs on the analyst's own computer (or the organisation's own server). It sends "
            "nothing anywhere: no telemetry, no fonts, scripts or maps fetched from the internet. "
            "Reports and exports are files the analyst chooses to share."
        ),
        "lawful_basis": _LAWFUL_BASIS,
        "fields": fields,
        "relations": relations,
        "waves": waves,
        "names": {
            "default": "hidden everywhere: people appear as pseudonyms (P001 ...) or not at all",
            "who_can_see": (
                "Only an analyst who holds the roster and explicitly reveals names. Each reveal is "
                "recorded in the audit log (who, when, for which output; never the names). The "
                "stakeholder report never names anyone, whatever the setting."
            ),
            "revealed_in_this_run": any(row["names_revealed"] for row in export_rows),
        },
        "suppression": disclosure.describe(),
        "pseudonymisation": (
            "person_id is a keyed HMAC-SHA256 of the roster identifier; the key is per project, "
            "kept in the workspace or ~/.onatool/keys/<project>.key with owner-only permissions, "
            "and never written to any output. Labels P001 ... are assigned in an order drawn from "
            "the key, not alphabetically or by organisation."
        ),
        "retention": retention,
        "exports": export_rows,
        "review": review,
    }


def dpia_markdown(summary: Mapping[str, Any]) -> str:
    """The summary as Markdown, ready to paste into a DPIA template."""
    lines = [
        f"# Data protection summary: {summary['project'] or 'onatool analysis'}",
        "",
        f"Prepared {summary['created']} by onatool {summary['tool_version']} to support the "
        f"DPIA of {summary['controller']}. It describes what this analysis holds and shows; the "
        "controller's own assessment decides.",
        "",
        "## Processing",
        "",
        summary["processing"],
        "",
        "## Lawful basis (suggested)",
        "",
        summary["lawful_basis"],
        "",
        "## Fields held",
        "",
        "| field | kind | people with a value | distinct values | where it appears |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for f in summary["fields"]:
        lines.append(f"| {_md(f['field'])} | {f['kind']} | {f['people_with_value']} | "
                     f"{f.get('distinct_values', '')} | {f['where']} |")
    lines += ["", "## Relationship questions", "", "| relation | question | ties |", "| --- | --- | ---: |"]
    for r in summary["relations"]:
        lines.append(f"| {_md(r['label'])} | {_md(r['question'] or '(not recorded)')} | {r['ties']} |")
    lines += ["", "## Waves", "", "| wave | people | respondents |", "| --- | ---: | ---: |"]
    for w in summary["waves"]:
        lines.append(f"| {_md(w['wave'])} | {w['people']} | {w['respondents']} |")
    names = summary["names"]
    lines += ["", "## Who can see names", "", f"- Default: {names['default']}.",
              f"- {names['who_can_see']}",
              f"- Names revealed in any output of this run: {'yes' if names['revealed_in_this_run'] else 'no'}."]
    if summary["exports"]:
        lines += ["", "| output | names revealed | by | suppression threshold | preset |",
                  "| --- | --- | --- | ---: | --- |"]
        for e in summary["exports"]:
            lines.append(f"| {e['output']} | {'yes' if e['names_revealed'] else 'no'} | "
                         f"{_md(e['revealed_by'] or '')} | {e['threshold']} | {e['preset']} |")
    s = summary["suppression"]
    lines += ["", "## Small-group suppression", "", f"- Threshold: {s['threshold']} (k = {s['k']}, preset "
              f"{s['preset']}).", f"- Rule: {s['rule']}",
              "- Maps: groups under the threshold are merged into \"Other\"; workshop maps carry no "
              "labels and group-level tooltips only; the layout is fixed per project.",
              "", "## Pseudonymisation", "", summary["pseudonymisation"],
              "", "## Retention", "", summary["retention"]]
    if summary["review"]:
        lines += ["", "## For review", ""] + [f"- {item}" for item in summary["review"]]
    return "\n".join(lines) + "\n"


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def write_dpia(folder: str | Path, summary: Mapping[str, Any]) -> list[Path]:
    """Write ``dpia_summary.md`` and ``dpia_summary.json`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    markdown = folder / "dpia_summary.md"
    markdown.write_text(dpia_markdown(summary), encoding="utf-8")
    return [markdown, write_json(dict(summary), folder / "dpia_summary.json")]
