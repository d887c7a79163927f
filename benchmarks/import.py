"""How long a large Microsoft Forms export takes to import, and how much memory it needs.

Run from the repository root::

    python benchmarks/import.py [--respondents 2000] [--names 8]

A generated roster of ``respondents + 10%`` people in 12 organisations, and a Forms
export (.xlsx) of one row per respondent with five relation questions (advice,
collaboration, trust, concern, met), each a multi-select cell naming about ``names``
people ``;``-separated with a trailing ``;``. About 1% of names have a letter dropped
and 0.5% are bare first names, so close-spelling matching and the review list are
exercised; 1% of respondents submit twice. Reported: the time to detect the layout and
import (no recipe), the time to import with a recipe, and peak memory (Python
allocations during one import, by tracemalloc, and the process's maximum resident set).
The target is under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onatool.io import import_responses, read_roster

QUESTIONS = [
    "Who do you go to for information or advice about your work?",
    "Who do you work together with most often?",
    "Whom do you trust to act in the partnership's interest?",
    "Who would you go to with a concern or a new idea?",
    "Who have you met through the programme?",
]
FIRST = ["Ann", "Bo", "Cara", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jude", "Kemi", "Lars", "Mina",
         "Noor", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Vik", "Wren", "Xia", "Yara", "Zac"]
LAST = ["Abbott", "Baker", "Chowdhury", "Dlamini", "Evans", "Fischer", "Garcia", "Hughes", "Iqbal", "Jones",
        "Kowalski", "Lopez", "Murphy", "Nakamura", "Okafor", "Patel", "Quigley", "Rossi", "Singh", "Tanaka",
        "Umar", "Varga", "Walsh", "Xu", "Young", "Zielinski", "Ahmed", "Brown", "Costa", "Doyle", "Egan",
        "Flynn", "Grant", "Hale", "Ito", "Khan", "Lund", "Moss", "Nash", "Owen", "Price", "Reid", "Shaw",
        "Todd", "Vance", "Webb", "Yates", "Zhou", "Marsh", "Kerr", "Byrne", "Carr", "Dunn", "Ford", "Gray",
        "Hart", "Lowe", "Mann", "Nunn", "Page", "Rowe", "Sykes", "Tate", "Vale", "Ward", "Wood", "Pike",
        "Hope", "Lyle", "Ince", "Bell", "Cole", "Dale", "Eyre", "Fox", "Gill", "Hurd", "Jury", "Kay", "Lane",
        "Mole", "Neal", "Orme", "Peel", "Rudd"]


def make_files(folder: Path, respondents: int, names: int, seed: int = 1) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    n_people = int(respondents * 1.1)
    pairs = [(f, la) for la in LAST for f in FIRST]
    rng.shuffle(pairs)
    if len(pairs) < n_people:
        raise SystemExit(f"at most {len(pairs)} distinct names; ask for fewer respondents")
    people = [f"{f} {la}" for f, la in pairs[:n_people]]
    emails = [f"{p.lower().replace(' ', '.')}@org{k % 12}.example" for k, p in enumerate(people)]
    roster = pd.DataFrame({"id": [f"R{i:05d}" for i in range(n_people)], "name": people, "email": emails,
                           "organisation": [f"Org {k % 12}" for k in range(n_people)],
                           "level": rng.choice(["top", "middle", "bottom"], n_people, p=[0.1, 0.3, 0.6])})
    roster_path = folder / "roster.csv"
    roster.to_csv(roster_path, index=False)

    def written(name: str) -> str:
        draw = rng.random()
        if draw < 0.01:
            first, last = name.split()
            spot = int(rng.integers(1, len(last) - 1)) if len(last) > 3 else 1
            return f"{first} {last[:spot]}{last[spot + 1:]}" if len(last) > 3 else name
        if draw < 0.015:
            return name.split()[0]
        return name

    import xlsxwriter

    path = folder / "forms_export.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    sheet = book.add_worksheet("Sheet1")
    when = book.add_format({"num_format": "m/d/yy h:mm:ss"})
    header = ["ID", "Start time", "Completion time", "Email", "Name", *QUESTIONS]
    for c, text in enumerate(header):
        sheet.write_string(0, c, text)
    chosen = rng.choice(n_people, respondents, replace=False)
    twice = set(rng.choice(chosen, max(1, respondents // 100), replace=False).tolist())
    rows = [(int(i), k) for k, i in enumerate(chosen)] + [(int(i), -1) for i in sorted(twice)]
    start = dt.datetime(2026, 3, 2, 8, 0)
    for r, (who, order) in enumerate(rows, start=1):
        done = start + dt.timedelta(minutes=order if order >= 0 else -60)
        sheet.write_number(r, 0, r)
        sheet.write_datetime(r, 1, done - dt.timedelta(minutes=9), when)
        sheet.write_datetime(r, 2, done, when)
        sheet.write_string(r, 3, emails[who])
        sheet.write_string(r, 4, people[who])
        for q in range(len(QUESTIONS)):
            named = rng.choice(n_people, int(rng.poisson(names)), replace=False)
            sheet.write_string(r, 5 + q, "".join(f"{written(people[int(t)])};" for t in named if t != who))
    book.close()
    return roster_path, path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--names", type=int, default=8, help="mean names per question")
    args = parser.parse_args(argv)
    key = b"b" * 32
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        roster_path, export = make_files(folder, args.respondents, args.names)
        made = time.perf_counter() - t0
        roster = read_roster(roster_path, key=key)

        t0 = time.perf_counter()
        result = import_responses(roster, export, key=key)
        detected = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = import_responses(roster, export, key=key, recipe=result.recipe)
        with_recipe = time.perf_counter() - t0

        tracemalloc.start()
        import_responses(roster, export, key=key, recipe=result.recipe)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

        report = again.report
        print(f"Forms export: {args.respondents} respondents (+{len(report.rows) - args.respondents - len(roster.people)}"
              f" duplicate rows), {len(result.recipe.questions)} relation questions, "
              f"{export.stat().st_size / 1e6:.1f} MB; roster {len(roster.people)} people")
        print(f"items (names mentioned and markers): {report.items_read}; ties kept: {again.network.n_ties}; "
              f"names resolved: {len(report.names)} distinct "
              f"({sum(n['method'] == 'fuzzy' for n in report.names)} by close spelling, "
              f"{len(report.review())} to review)")
        print(f"files written in {made:.1f} s")
        print(f"detect + import (no recipe): {detected:.2f} s")
        print(f"import with the recipe:      {with_recipe:.2f} s")
        print(f"peak Python allocations during one import: {peak / 1e6:.0f} MB; max resident set: {rss:.0f} MB")
        print("target: under 10 s", "(met)" if max(detected, with_recipe) < 10 else "(NOT met)")
        assert report.balanced()
    return 0


if __name__ == "__main__":
    sys.exit(main())
