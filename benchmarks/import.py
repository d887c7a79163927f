"""How long large exports and network files take to import, and how much memory they need.

Run from the repository root::

    python benchmarks/import.py [--respondents 2000] [--names 8]          # Microsoft Forms
    python benchmarks/import.py --kind qualtrics [--respondents 10000]     # Qualtrics CSV
    python benchmarks/import.py --kind graphml [--edges 50000]             # whole-network GraphML

``--kind qualtrics``: a Qualtrics CSV export (three header rows, JSON ImportIds, BOM)
of one row per respondent with two relation questions, one typed names (``, ``-separated)
and one multiple-answer question split into 40 choice columns ticked ``1``. Reported as
the import time and its ratio to ``pandas.read_csv`` of the same file.

``--kind graphml``: a whole-network GraphML (networkx writes it: ``edges / 10`` people
with an organisation, ``edges`` directed ties with a relation and weight) imported with
``--ties`` alone (no roster). Reported as the import time and its ratio to
``networkx.read_graphml`` of the same file.

The default (Microsoft Forms):

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


def make_qualtrics(folder: Path, respondents: int, names: int, seed: int = 2) -> tuple[Path, Path]:
    """A roster and a Qualtrics export: typed names, and a 40-choice multiple-answer question."""
    import csv

    rng = np.random.default_rng(seed)
    n_people = int(respondents * 1.1)
    # With a middle name there are enough distinct people for 10,000 respondents and more.
    middles = ["", "Ada", "Beth", "Cal", "Dara", "Emil", "Finn", "Gale", "Hugo", "Iris", "Joss", "Kit", "Lee"]
    pairs = [(f"{f} {m}".strip(), la) for m in middles for la in LAST for f in FIRST]
    rng.shuffle(pairs)
    if len(pairs) < n_people:
        raise SystemExit(f"at most {len(pairs)} distinct names; ask for fewer respondents")
    people = [f"{f} {la}" for f, la in pairs[:n_people]]
    emails = [f"{p.lower().replace(' ', '.')}@org{k % 12}.example" for k, p in enumerate(people)]
    roster_path = folder / "roster.csv"
    pd.DataFrame({"id": [f"R{i:05d}" for i in range(n_people)], "name": people, "email": emails,
                  "organisation": [f"Org {k % 12}" for k in range(n_people)]}).to_csv(roster_path, index=False)
    leaders = people[:40]  # the multiple-answer question lists 40 senior people
    meta = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId",
            "RecipientLastName", "RecipientFirstName", "RecipientEmail", "DistributionChannel"]
    typed = "Who do you go to for information or advice about your work? Please type their names."
    multi = "Whom do you trust to act in the partnership's interest? Select all that apply."
    path = folder / "qualtrics.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow([*meta, "Q1", *(f"Q2_{k}" for k in range(1, 41))])
        out.writerow([*meta, typed, *(f"{multi} - {p}" for p in leaders)])
        out.writerow([*(f'{{"ImportId":"{m[0].lower() + m[1:]}"}}' for m in meta), '{"ImportId":"QID1_TEXT"}',
                      *(f'{{"ImportId":"QID2","choiceId":"{k}"}}' for k in range(1, 41))])
        chosen = rng.choice(n_people, respondents, replace=False)
        for k, who in enumerate(chosen):
            first, last = people[who].rsplit(" ", 1)
            named = rng.choice(n_people, int(rng.poisson(names)), replace=False)
            ticks = ["1" if rng.random() < 0.1 else "" for _ in leaders]
            out.writerow(["2026-03-02 08:00:00", "2026-03-02 08:09:00", "0", "100", "1", "2026-03-02 08:09:01",
                          f"R_{k:06d}", last, first, emails[who], "email",
                          ", ".join(people[int(t)] for t in named if t != who), *ticks])
    return roster_path, path


def bench_qualtrics(respondents: int, names: int, key: bytes) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        roster_path, export = make_qualtrics(Path(tmp), respondents, names)
        roster = read_roster(roster_path, key=key)
        t0 = time.perf_counter()
        pd.read_csv(export, header=[0], skiprows=[1, 2], dtype=str, keep_default_na=False)
        baseline = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = import_responses(roster, export, key=key)
        took = time.perf_counter() - t0
        assert result.report.balanced()
        print(f"Qualtrics export: {respondents} respondents, {export.stat().st_size / 1e6:.1f} MB, "
              f"{len(result.recipe.questions)} relation questions; {result.network.n_ties} ties")
        print(f"pandas.read_csv: {baseline:.2f} s; onatool detect + import: {took:.2f} s "
              f"({took / baseline:.0f}x pandas)")
        print("target: under 10 s", "(met)" if took < 10 else "(NOT met)")
    return 0


def bench_graphml(edges: int, key: bytes, seed: int = 3) -> int:
    import networkx as nx

    from onatool.io import import_wave

    rng = np.random.default_rng(seed)
    n = max(10, edges // 10)
    graph = nx.DiGraph()
    for i in range(n):
        graph.add_node(f"n{i}", label=f"Person {i}", organisation=f"Org {i % 12}")
    while graph.number_of_edges() < edges:
        s, t = rng.integers(0, n, 2)
        if s != t:
            graph.add_edge(f"n{s}", f"n{t}", relation="advice", weight=float(rng.integers(1, 6)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "network.graphml"
        nx.write_graphml(graph, path)
        t0 = time.perf_counter()
        nx.read_graphml(path)
        baseline = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = import_wave(None, key=key, ties=path)
        took = time.perf_counter() - t0
        assert result.report.balanced() and result.network.n_ties == edges
        print(f"GraphML: {n} nodes, {edges} edges, {path.stat().st_size / 1e6:.1f} MB")
        print(f"networkx.read_graphml: {baseline:.2f} s; onatool import --ties (nodes as roster): {took:.2f} s "
              f"({took / baseline:.1f}x networkx)")
        print("target: under 10 s", "(met)" if took < 10 else "(NOT met)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("forms", "qualtrics", "graphml"), default="forms")
    parser.add_argument("--respondents", type=int, default=None, help="default 2000 (forms), 10000 (qualtrics)")
    parser.add_argument("--names", type=int, default=8, help="mean names per question")
    parser.add_argument("--edges", type=int, default=50_000, help="ties in the GraphML (--kind graphml)")
    args = parser.parse_args(argv)
    key = b"b" * 32
    if args.kind == "qualtrics":
        return bench_qualtrics(args.respondents or 10_000, args.names, key)
    if args.kind == "graphml":
        return bench_graphml(args.edges, key)
    args.respondents = args.respondents or 2000
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
