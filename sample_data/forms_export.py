"""Render the sample's two survey waves as Microsoft Forms exports, as users bring them.

Run ``python sample_data/forms_export.py`` (after ``generate.py``) to write, next to
this script:

- ``forms_baseline.xlsx`` and ``forms_followup.xlsx``: one row per response, as the
  Forms "Open in Excel" download lays it out (``ID, Start time, Completion time, Email,
  Name, Last modified time``, then one column per question). Advice, trust and concern
  are multi-select questions whose cells list names separated by ``;`` with a trailing
  ``;``; collaboration is a Likert question with one column per person of the wave,
  headed ``Question.Name``, each cell a frequency word;
- ``forms_recipe.yaml``: the import recipe a practitioner would confirm once;
- ``forms_aliases.yaml``: the decisions a person made about the partial names ("Emily",
  "E Kavanagh") that matching rightly refused to decide alone.

What makes it realistic, all drawn from a seeded generator: names written "Surname,
First", without their accents, or with a letter missing or doubled (clear enough for
onatool to accept); a few partial names; a respondent who submitted twice (the earlier
submission answered less); one who named themselves, one who named someone twice, one
who named someone not on the roster; respondents who named nobody (a submitted form
with every answer blank); non-respondents, who are simply absent.

Importing each file with the recipe and the alias file reproduces the sample's
canonical ties exactly (``tests/test_sample_forms.py``); every difference from the
canonical files (the duplicate submission, the self-mention, the repeat, the unknown
name, the names matched by spelling or by decision) is explained in the import report.
Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(HERE.parent))

from onatool.io.layouts.survey import GRID, NAMES, RelationQuestion  # noqa: E402
from onatool.io.matching import Alias, RosterIndex, normalise_name, save_aliases  # noqa: E402
from onatool.io.recipe import Recipe, save_recipe  # noqa: E402

__all__ = ["QUESTIONS", "SEED", "FormsExport", "build", "main", "write"]

SEED = 2027
#: wave label -> (canonical ties file, Forms export file, first day of the survey)
WAVES = {
    "baseline": ("ties_baseline.csv", "forms_baseline.xlsx", dt.datetime(2025, 11, 3, 8, 0)),
    "follow-up": ("ties_followup.csv", "forms_followup.xlsx", dt.datetime(2026, 11, 2, 8, 0)),
}
QUESTIONS = {
    "advice": "Who do you go to for information or advice about your work?",
    "collaboration": "How often do you work together with each of these people?",
    "trust": "Whom do you trust to act in the partnership's interest?",
    "concern": "Who would you go to with a concern or a new idea?",
}
FREQUENCY = {"Never": 0, "Yearly": 1, "Quarterly": 2, "Monthly": 3, "Weekly": 4, "Daily": 5}
META = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
RECIPE_FILE, ALIAS_FILE = "forms_recipe.yaml", "forms_aliases.yaml"
P_REORDER, P_PLAIN, P_MISSPELL, P_PARTIAL = 0.06, 0.5, 0.03, 0.012
UNKNOWN_NAME = "Someone from the IT helpdesk"


@dataclass
class FormsExport:
    """The rendered waves (label -> table of rows, header first) and the decisions made."""

    tables: dict[str, list[list[object]]] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


def recipe() -> Recipe:
    """The recipe a practitioner confirms for these exports."""
    return Recipe(
        layout="microsoft_forms", identity="Email",
        questions=tuple(
            RelationQuestion(text, relation, GRID, None, "frequency") if relation == "collaboration"
            else RelationQuestion(text, relation, NAMES, ";", None)
            for relation, text in QUESTIONS.items()
        ),
        scales={"frequency": dict(FREQUENCY)}, submitted="Completion time",
        relations={"collaboration": {"label": "Collaboration", "symmetric": True}},
    )


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class _Writer:
    """Writes each name as a respondent might, checking every variant against the matcher."""

    def __init__(self, roster: pd.DataFrame, rng: np.random.Generator):
        self.rng = rng
        self.name = dict(zip(roster["id"], roster["name"], strict=True))
        identities = roster.set_index("id")[["name", "email"]].assign(id=roster["id"].to_numpy())
        self.index = RosterIndex(identities)
        self.aliases: dict[str, Alias] = {}
        self.claimed: dict[str, str] = {}  # normalised partial text -> roster id

    def write(self, target: str) -> tuple[str, str]:
        """(text, how) for one mention of ``target``."""
        name = self.name[target]
        draw = self.rng.random()
        if draw < P_PARTIAL:
            text = self._partial(target, name)
            if text:
                return text, "partial"
        elif draw < P_PARTIAL + P_MISSPELL:
            text = self._misspelt(target, name)
            if text:
                return text, "misspelt"
        elif draw < P_PARTIAL + P_MISSPELL + P_REORDER:
            words = name.split()
            return f"{words[-1]}, {' '.join(words[:-1])}", "reordered"
        if _plain(name) != name and self.rng.random() < P_PLAIN:
            return _plain(name), "without accents"
        return name, "exact"

    def _misspelt(self, target: str, name: str) -> str | None:
        words = name.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        spots = list(range(1, len(word) - 1))
        self.rng.shuffle(spots)
        for spot in spots:
            for variant in (word[:spot] + word[spot + 1 :], word[:spot] + word[spot] + word[spot:]):
                text = " ".join([*words[:longest], variant, *words[longest + 1 :]])
                m = self.index.resolve(text)
                if m.method == "fuzzy" and m.person_id == target:
                    return text
        return None

    def _partial(self, target: str, name: str) -> str | None:
        words = name.split()
        options = [words[0], f"{words[0][0]} {words[-1]}", f"{words[0][0]}. {words[-1]}"]
        for text in options:
            key = normalise_name(text)
            if self.claimed.get(key, target) != target:
                continue  # the same words already stand for someone else
            m = self.index.resolve(text)
            if m.method == "review" and target in m.candidates:
                self.claimed[key] = target
                self.aliases[key] = Alias(key, "chosen", target, text, name)
                return text
        return None


def _wave_rows(
    roster: pd.DataFrame, ties: pd.DataFrame, wave: str, start: dt.datetime, writer: _Writer,
    rng: np.random.Generator, notes: list[str],
) -> list[list[object]]:
    members = roster[roster["waves"].fillna("").map(lambda w: not w or wave in w.split(";"))]
    people = members.sort_values(["organisation", "name"])
    grid_header = [f"{QUESTIONS['collaboration']}.{name}" for name in people["name"]]
    header = [*META, QUESTIONS["advice"], *grid_header, QUESTIONS["trust"], QUESTIONS["concern"]]
    column = {pid: i for i, pid in enumerate(people["id"])}
    email = dict(zip(roster["id"], roster["email"], strict=True))
    display = dict(zip(roster["id"], roster["name"], strict=True))

    respondents = list(dict.fromkeys(ties["source"]))
    by_source = {s: t for s, t in ties[ties["target"].notna()].groupby("source")}
    ordinary = [r for r in respondents if r in by_source and len(by_source[r]) > 3]
    picks = rng.choice(ordinary, 4, replace=False)
    twice, selfie, repeat, stranger = (str(p) for p in picks)
    notes += [f"{twice} submitted twice", f"{selfie} named themselves (advice)",
              f"{repeat} named someone twice (trust)", f"{stranger} named {UNKNOWN_NAME!r} (concern)"]

    def answers(source: str, keep: float = 1.0) -> list[object]:
        mine = by_source.get(source, ties.iloc[0:0])
        cells: dict[str, list[str]] = {"advice": [], "trust": [], "concern": []}
        grid = [""] * len(people)
        for row in mine.itertuples(index=False):
            if keep < 1 and rng.random() > keep:
                continue
            if row.relation == "collaboration":
                grid[column[row.target]] = row.raw_value
            else:
                cells[row.relation].append(writer.write(row.target)[0])
        if keep == 1:
            if source == selfie:
                cells["advice"].append(display[source])
            if source == repeat and cells["trust"]:
                cells["trust"].append(cells["trust"][0])
            if source == stranger:
                cells["concern"].append(UNKNOWN_NAME)
        for names in cells.values():
            rng.shuffle(names)
        joined = {k: "".join(f"{n};" for n in v) for k, v in cells.items()}
        return [joined["advice"], *grid, joined["trust"], joined["concern"]]

    submissions = []
    for source in respondents:
        done = start + dt.timedelta(minutes=int(rng.integers(60, 60 * 24 * 18)))
        submissions.append((done, source, answers(source)))
        if source == twice:
            earlier = done - dt.timedelta(days=1, minutes=int(rng.integers(0, 600)))
            submissions.append((earlier, source, answers(source, keep=0.6)))
    submissions.sort(key=lambda s: s[0])
    rows: list[list[object]] = [header]
    for number, (done, source, cells) in enumerate(submissions, start=1):
        began = done - dt.timedelta(minutes=int(rng.integers(4, 25)), seconds=int(rng.integers(0, 60)))
        address = email[source]
        if rng.random() < 0.05:
            address = address[0].upper() + address[1:]  # as typed into an address book
        rows.append([number, began, done, address, display[source], "", *cells])
    return rows


def build(folder: Path = HERE, seed: int = SEED) -> FormsExport:
    """Render both waves from the canonical sample in ``folder``, writing nothing."""
    rng = np.random.default_rng(seed)
    roster = pd.read_csv(folder / "roster.csv", dtype=str, keep_default_na=False)
    writer = _Writer(roster, rng)
    export = FormsExport()
    for wave, (ties_file, _, start) in WAVES.items():
        ties = pd.read_csv(folder / ties_file, dtype=str, keep_default_na=False)
        ties = ties.assign(target=ties["target"].replace("", None))
        notes: list[str] = []
        export.tables[wave] = _wave_rows(roster, ties, wave, start, writer, rng, notes)
        export.notes[wave] = notes
    export.aliases = dict(sorted(writer.aliases.items()))
    return export


def write(export: FormsExport, out: Path = HERE) -> list[Path]:
    """Write the two workbooks, the recipe and the alias file; return their paths."""
    import xlsxwriter

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for wave, rows in export.tables.items():
        path = out / WAVES[wave][1]
        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
        book.set_properties({"created": dt.datetime(2026, 1, 1), "author": "onatool sample"})
        when = book.add_format({"num_format": "m/d/yy h:mm:ss"})
        sheet = book.add_worksheet("Sheet1")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, when)
                elif isinstance(value, int | np.integer):
                    sheet.write_number(r, c, int(value))
                elif value != "":
                    sheet.write_string(r, c, str(value))
        book.close()
        paths.append(path)
    paths.append(save_recipe(recipe(), out / RECIPE_FILE))
    paths.append(save_aliases(export.aliases, out / ALIAS_FILE))
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_data/forms_export.py [--seed N] [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    export = build(HERE, args.seed)
    for path in write(export, args.out):
        print(path)
    for wave, notes in export.notes.items():
        print(f"{wave}: " + "; ".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
