"""Render the sample's survey waves as exports of the by-organisation form, as users bring them.

Run ``python sample_data/forms_export.py`` (after ``generate.py``) to write, next to
this script, for every wave of the sample (``onatool.sample.SAMPLE_WAVES``):

- ``forms_<wave>.xlsx`` (the ties file's name with ``forms`` for ``ties``): one row
  per response, as the Microsoft Forms "Open in Excel" download lays out the form
  ``onatool survey`` describes (open to anyone with the link, so ``Email`` says
  ``anonymous`` and the respondent types their name and email; a Yes/No question
  per organisation; per list of at most 25 names, multi-select questions whose cells
  list names separated by ``;`` with a trailing ``;``, and a Likert question with one
  column per person, ``Question (list).Name``);
- ``forms_recipe.yaml``: the import recipe (one per wave, ``forms_recipe_<wave>.yaml``,
  if the waves' forms differ);
- ``forms_aliases.yaml``: the decisions a person made about partial names typed into
  an "Other" box ("Emily", "E Kavanagh") that matching rightly refused to decide alone.

``--platforms all --out DIR`` also writes the same answers as Qualtrics and Google Forms
exports (``qualtrics_<wave>.csv``, ``google_<wave>.csv``) with their recipes (the
Qualtrics form has no "Other" boxes, so its exports hold only the ticks).

What makes the Forms files realistic, drawn from a seeded generator: a few people
named are typed into a question's "Other" box rather than ticked (written "Surname,
First", without accents, with a letter missing or doubled, or only partly); a
respondent who submitted twice (the earlier submission answered less); one who ticked
themselves, one who ticked someone and typed them again, one who typed someone not on
the roster; emails typed with capitals; respondents who named nobody (every
organisation answered No); non-respondents, who are simply absent.

Importing each file with the recipe and the alias file reproduces the sample's
canonical ties exactly (``tests/test_sample_forms.py``); every difference from the
canonical files is explained in the import report. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(HERE.parent))

from onatool.io.matching import Alias, RosterIndex, normalise_name, save_aliases  # noqa: E402
from onatool.io.recipe import save_recipe  # noqa: E402
from onatool.io.roster import read_roster  # noqa: E402
from onatool.survey_design import (  # noqa: E402
    FORMS,
    GOOGLE,
    PLATFORMS,
    QUALTRICS,
    FormDesign,
    design_form,
    platform_recipe,
)
from onatool.survey_render import Answers, answers_from_ties, render, write_export  # noqa: E402
from onatool.surveys import load_instrument  # noqa: E402

__all__ = ["SEED", "FormsExport", "as_at_wave", "build", "main", "waves", "write"]

SEED = 2027
KEY = bytes.fromhex("5a" * 32)  # the sample's key (onatool.sample.SAMPLE_KEY); ids here are roster ids anyway
INSTRUMENT = "ics_relationships"
RECIPE_FILE, ALIAS_FILE = "forms_recipe.yaml", "forms_aliases.yaml"
EXTENSION = {FORMS: "xlsx", QUALTRICS: "csv", GOOGLE: "csv"}
STEM = {FORMS: "forms", QUALTRICS: "qualtrics", GOOGLE: "google"}
#: Of the people ticked, the share typed into "Other" instead; of those typed, how.
P_OTHER = 0.04
P_PARTIAL, P_MISSPELL, P_REORDER, P_PLAIN = 0.12, 0.25, 0.2, 0.5
P_CAPITALS = 0.05
UNKNOWN_NAME = "Someone from the IT helpdesk"


@dataclass
class FormsExport:
    """The rendered waves (label -> rows, header first), each wave's form, and the decisions made."""

    tables: dict[str, list[list[object]]] = field(default_factory=dict)
    designs: dict[str, FormDesign] = field(default_factory=dict)
    answers: dict[str, list[Answers]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # label -> export file stem suffix
    aliases: dict[str, Alias] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


def as_at_wave(roster, wave: str, labels: tuple[str, ...]):
    """The roster as at ``wave`` (people who later changed organisation or level in their
    earlier place), when the sample records such changes (``onatool.sample.roster_for_wave``)."""
    try:
        from onatool.sample import roster_for_wave
    except ImportError:
        return roster
    return roster_for_wave(roster, wave, labels)


def waves(folder: Path = HERE) -> dict[str, tuple[str, dt.datetime]]:
    """Wave label -> (ties file, the survey's first day), in time order.

    Read from ``ground_truth.json`` (``waves``: label, file, date ``YYYY-MM``) when it
    lists them, else from the ``ties_*.csv`` files present, a year apart.
    """
    truth = folder / "ground_truth.json"
    listed = json.loads(truth.read_text(encoding="utf-8")).get("waves", []) if truth.exists() else []
    if listed:
        out = {}
        for wave in listed:
            year, month = (int(x) for x in str(wave.get("date", "2025-11"))[:7].split("-"))
            out[wave["label"]] = (wave["file"], dt.datetime(year, month, 3, 8, 0))
        return out
    files = sorted(folder.glob("ties_*.csv"))
    return {f.stem.removeprefix("ties_"): (f.name, dt.datetime(2025 + i, 11, 3, 8, 0)) for i, f in enumerate(files)}


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class _Writer:
    """Writes a name as a respondent types it, checking every variant against the matcher."""

    def __init__(self, roster: pd.DataFrame, rng: np.random.Generator):
        self.rng = rng
        self.name = dict(zip(roster["id"], roster["name"], strict=True))
        identities = roster.set_index("id")[["name", "email"]].assign(id=roster["id"].to_numpy())
        self.index = RosterIndex(identities)
        self.aliases: dict[str, Alias] = {}
        self.claimed: dict[str, str] = {}  # normalised partial text -> roster id

    def write(self, target: str) -> str:
        """One typed mention of ``target``."""
        name = self.name[target]
        draw = self.rng.random()
        if draw < P_PARTIAL:
            text = self._partial(target, name)
            if text:
                return text
        elif draw < P_PARTIAL + P_MISSPELL:
            text = self._misspelt(target, name)
            if text:
                return text
        elif draw < P_PARTIAL + P_MISSPELL + P_REORDER:
            words = name.split()
            return f"{words[-1]}, {' '.join(words[:-1])}"
        if _plain(name) != name and self.rng.random() < P_PLAIN:
            return _plain(name)
        return name

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
        for text in (words[0], f"{words[0][0]} {words[-1]}", f"{words[0][0]}. {words[-1]}"):
            key = normalise_name(text)
            if self.claimed.get(key, target) != target:
                continue  # the same words already stand for someone else
            m = self.index.resolve(text)
            if m.method == "review" and target in m.candidates:
                self.claimed[key] = target
                self.aliases[key] = Alias(key, "chosen", target, text, name)
                return text
        return None


def _plant_submissions(design: FormDesign, submissions: list[Answers], ties: pd.DataFrame, roster: pd.DataFrame,
                       rng: np.random.Generator, notes: list[str]) -> list[Answers]:
    """A duplicate submission, a self-tick and emails typed with capitals; the submissions in time order."""
    place = design.place_of()
    respondents = list(dict.fromkeys(ties["source"]))
    email = dict(zip(roster["id"], roster["email"], strict=True))
    by_email = {a.email: a for a in submissions}
    busy = [r for r in respondents if len(by_email[email[r]].ticks) >= 3]
    twice, selfie = (str(p) for p in rng.choice(busy, 2, replace=False))
    first_tick = design.tick_questions()[0].relation
    notes += [f"{twice} submitted twice", f"{selfie} ticked themselves ({first_tick})"]
    mine = by_email[email[selfie]]
    section, name_list, label = place[selfie]
    mine.sections.add(section.number)
    mine.ticks.setdefault((name_list.key, first_tick), []).append(label)
    first = by_email[email[twice]]
    earlier = Answers(first.email, first.name, first.started - dt.timedelta(days=1, minutes=int(rng.integers(0, 600))),
                      first.completed - dt.timedelta(days=1, minutes=int(rng.integers(0, 600))),
                      sections=set(first.sections))
    for key, labels in sorted(first.ticks.items()):
        kept = [label for label in labels if rng.random() < 0.6]
        if kept:
            earlier.ticks[key] = kept
    out = [*submissions, earlier]
    for answers in out:  # emails as typed
        if rng.random() < P_CAPITALS:
            answers.email = answers.email[0].upper() + answers.email[1:]
    return sorted(out, key=lambda a: a.completed)


def _plant_others(design: FormDesign, submissions: list[Answers], writer: _Writer, rng: np.random.Generator,
                  notes: list[str]) -> list[Answers]:
    """Names typed into a multi-select's "Other" box (Forms and Google): some of the people ticked, one
    typed again after being ticked, one not on the roster. Returns copies; ``submissions`` is unchanged."""
    out = copy.deepcopy(submissions)
    label_to_id = {label: rid for n in design.lists() for rid, label in zip(n.roster_ids, n.labels, strict=True)}
    for answers in out:
        for key, labels in list(answers.ticks.items()):
            for label in list(labels):
                if rng.random() < P_OTHER:
                    labels.remove(label)
                    answers.others.setdefault(key, []).append(writer.write(label_to_id[label]))
            if not labels:
                del answers.ticks[key]
    busy = [a for a in out if len(a.ticks) >= 3]
    repeat, stranger = (busy[i] for i in rng.choice(len(busy), 2, replace=False))
    key = sorted(repeat.ticks)[0]
    repeat.others.setdefault(key, []).append(repeat.ticks[key][0])
    key = sorted(stranger.ticks)[0]
    stranger.others.setdefault((key[0], design.tick_questions()[-1].relation), []).append(UNKNOWN_NAME)
    notes += [f"{repeat.email.casefold()} ticked someone and typed them again",
              f"{stranger.email.casefold()} typed {UNKNOWN_NAME!r}"]
    return out


def build(folder: Path = HERE, seed: int = SEED, platforms: tuple[str, ...] = (FORMS,)) -> FormsExport:
    """Render every wave from the canonical sample in ``folder``, writing nothing.

    ``tables`` holds the Microsoft Forms rows per wave; with more ``platforms``, also
    ``"<platform>:<wave>"`` rows of the same submissions.
    """
    rng = np.random.default_rng(seed)
    people = pd.read_csv(folder / "roster.csv", dtype=str, keep_default_na=False)
    roster = read_roster(folder / "roster.csv", key=KEY)
    instrument = load_instrument(INSTRUMENT)
    writer = _Writer(people, rng)
    export = FormsExport()
    labels = waves(folder)
    as_at = {wave: as_at_wave(roster, wave, tuple(labels)) for wave in labels}
    for wave, (ties_file, start) in labels.items():
        ties = pd.read_csv(folder / ties_file, dtype=str, keep_default_na=False)
        # The committed exports predate PARTNER's trust and value grids: the sample's ratings
        # come as a sheet of their own (partner_ratings.csv), so these files stay as they were.
        design = design_form(instrument, as_at[wave], wave=wave, lists_from=list(as_at.values()), ratings=False)
        submissions = answers_from_ties(design, ties, people, start=start, seed=int(rng.integers(1 << 30)))
        notes: list[str] = []
        planted = _plant_submissions(design, submissions, ties, people, rng, notes)
        typed = _plant_others(design, planted, writer, rng, notes)
        export.designs[wave], export.answers[wave], export.notes[wave] = design, typed, notes
        export.files[wave] = Path(ties_file).stem.removeprefix("ties_")
        for platform in platforms:  # Qualtrics' lists have no "Other" box (see survey_design)
            rows = render(design, planted if platform == QUALTRICS else typed, platform, seed=seed)
            export.tables[wave if platform == FORMS else f"{platform}:{wave}"] = rows
        export.aliases.update(design.aliases)
    export.aliases.update(writer.aliases)
    export.aliases = dict(sorted(export.aliases.items()))
    return export


def recipes(export: FormsExport, platform: str = FORMS) -> dict[str, object]:
    """File name -> recipe: one shared recipe when every wave's form reads the same, else one per wave."""
    per_wave = {wave: platform_recipe(design, platform) for wave, design in export.designs.items()}
    stem = RECIPE_FILE.replace("forms", STEM[platform])
    if len({json.dumps(r.to_dict(), sort_keys=True) for r in per_wave.values()}) == 1:
        return {stem: next(iter(per_wave.values()))}
    return {stem.replace(".yaml", f"_{export.files[w]}.yaml"): r for w, r in per_wave.items()}


def write(export: FormsExport, out: Path = HERE) -> list[Path]:
    """Write the exports, the recipe(s) and the alias file; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    platforms = {FORMS} | {key.split(":")[0] for key in export.tables if ":" in key}
    for key, rows in export.tables.items():
        platform, wave = key.split(":") if ":" in key else (FORMS, key)
        name = f"{STEM[platform]}_{export.files[wave]}.{EXTENSION[platform]}"
        paths.append(write_export(rows, out / name, platform))
    for platform in sorted(platforms, key=PLATFORMS.index):
        paths += [save_recipe(recipe, out / name) for name, recipe in recipes(export, platform).items()]
    paths.append(save_aliases(export.aliases, out / ALIAS_FILE))
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python sample_data/forms_export.py [--seed N] [--out DIR] [--platforms all]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--platforms", default=FORMS, help="'microsoft_forms' (default) or 'all'")
    args = parser.parse_args(argv)
    platforms = PLATFORMS if args.platforms == "all" else (args.platforms,)
    export = build(HERE, args.seed, platforms)
    for path in write(export, args.out):
        print(path)
    for wave, notes in export.notes.items():
        print(f"{wave}: " + "; ".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
