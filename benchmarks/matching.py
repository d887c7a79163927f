"""How long name matching takes against a large roster, before and after indexing it.

Run from the repository root::

    python benchmarks/matching.py [--people 5000] [--answers 20000] [--old-commit 214a813]

A generated roster of ``people`` (5,000) with distinct two-word names and emails, and
``answers`` (20,000) free texts in three cases:

- ``one-word``: one word each, all different (the worst case, as in the issue's
  0.47 MB file): a first name or the start of one, a surname (one in ten with a letter
  dropped), or a word that names nobody. Every one goes to the partial-name stage.
- ``full-names``: two words each, naming roster people: nine in ten exactly, the rest
  with one letter changed, dropped or doubled (close-spelling stage), one in twenty
  with the words swapped.
- ``import``: the one-word answers as a whole ties-file import (``import_wave``: read
  the roster and the CSV, match, assemble the network).

Each case runs in a fresh Python process per matcher: ``old`` is
``onatool/io/matching.py`` as it was at ``--old-commit`` (read with ``git show``; the
brute-force matcher, every partial name checked against every person and every full
name scored with ``process.extract`` one by one); ``new`` is the working tree's
indexed matcher, called text by text through a cache as the importers call it;
``new batch`` calls :meth:`RosterIndex.resolve_many` once. Reported: the time (index
built and every distinct text resolved), the process's peak resident memory and its
rise during the run, Python's peak allocations (tracemalloc, in a second run of the new matcher), the
ratio old / new, and the load average beside them. The target: 20,000 one-word answers
against 5,000 people under 3 s. These are benchmarks, never timed unit tests.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import results  # noqa: E402

CASES = ("one-word", "full-names", "import")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _word(rng: np.random.Generator, low: int, high: int) -> str:
    return "".join(rng.choice(list(LETTERS), int(rng.integers(low, high + 1)))).capitalize()


def make_case(people: int, answers: int, case: str, seed: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """A roster's identities (indexed by person_id) and the answers for one case."""
    rng = np.random.default_rng(seed)
    firsts = sorted({_word(rng, 3, 8) for _ in range(max(50, people // 12))})
    lasts = sorted({_word(rng, 4, 10) for _ in range(max(200, people // 2))})
    names: dict[str, None] = {}
    while len(names) < people:
        names[f"{firsts[rng.integers(len(firsts))]} {lasts[rng.integers(len(lasts))]}"] = None
    roster = list(names)
    identities = pd.DataFrame(
        {"id": [f"R{i:05d}" for i in range(people)], "name": roster,
         "email": [f"{n.lower().replace(' ', '.')}@org{i % 12}.example" for i, n in enumerate(roster)]},
        index=[f"p{i:05d}" for i in range(people)],
    )
    if case == "full-names":
        texts = []
        for _ in range(answers):
            first, last = roster[rng.integers(people)].split()
            if rng.random() < 0.1:
                at, how = int(rng.integers(1, len(last))), rng.integers(3)
                last = last[:at] + ("" if how == 0 else LETTERS[rng.integers(26)] if how == 1 else last[at]) \
                    + last[at + (how != 2):]
            texts.append(f"{last} {first}" if rng.random() < 0.05 else f"{first} {last}")
        return identities, texts
    # One word each, all different (the worst case: repeats are answered from memory).
    words: dict[str, None] = {}
    while len(words) < answers:
        draw = rng.random()
        if draw < 0.2:
            first = firsts[rng.integers(len(firsts))]
            words[first[: int(rng.integers(2, len(first) + 1))]] = None
        elif draw < 0.4:
            last = lasts[rng.integers(len(lasts))]
            if rng.random() < 0.1:
                at = int(rng.integers(1, len(last)))
                last = last[:at] + last[at + 1:]
            words[last] = None
        else:
            words[_word(rng, 3, 12)] = None
    return identities, list(words)


def _matcher(which: str):
    """The matching module: the working tree's, or the one at a git commit."""
    if which == "new":
        from onatool.io import matching

        return matching
    commit = which.split(":", 1)[1]
    source = subprocess.run(["git", "show", f"{commit}:onatool/io/matching.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "old_matching.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_matching", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_matching"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _run(case: str, which: str, batch: bool, people: int, answers: int) -> dict:
    """One measurement (called in a fresh process): the time and what was found."""
    identities, texts = make_case(people, answers, case)
    matching = _matcher(which)
    if case == "import":
        return _run_import(identities, texts, matching)
    t0 = time.perf_counter()
    index = matching.RosterIndex(identities)
    if batch:
        found = index.resolve_many(texts)
    else:
        found = {}
        for text in texts:  # as onatool.io.recipe.resolve_with and assemble call it
            if text not in found:
                found[text] = index.resolve(text)
    seconds = time.perf_counter() - t0
    methods: dict[str, int] = {}
    for m in found.values():
        methods[m.method] = methods.get(m.method, 0) + 1
    digest = _digest((k, m.person_id, m.method, m.candidates, m.score) for k, m in sorted(found.items()))
    return {"seconds": seconds, "distinct": len(found), "methods": methods, "digest": digest}


def _run_import(identities: pd.DataFrame, texts: list[str], matching) -> dict:
    from onatool.io import import_wave, roster

    roster.RosterIndex = matching.RosterIndex  # the importers build their index through this name
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        identities.to_csv(folder / "roster.csv", index=False)
        sources = identities["id"].to_numpy()[np.arange(len(texts)) % len(identities)]
        pd.DataFrame({"From": sources, "To": texts}).to_csv(folder / "ties.csv", index=False)
        size = (folder / "ties.csv").stat().st_size
        t0 = time.perf_counter()
        result = import_wave(folder / "roster.csv", ties=folder / "ties.csv", key=b"b" * 32)
        seconds = time.perf_counter() - t0
    names = result.report.names
    methods: dict[str, int] = {}
    for n in names:
        methods[n["method"]] = methods.get(n["method"], 0) + 1
    digest = _digest(sorted((n["raw"], n["method"], str(n.get("person_id"))) for n in names))
    return {"seconds": seconds, "distinct": len(names), "methods": methods, "digest": digest,
            "file_mb": size / 1e6}


def _digest(rows) -> str:
    """A fingerprint of every text's outcome, to show old and new found the same."""
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _child(args: argparse.Namespace) -> int:
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = _run(args.case, args.which, args.batch, args.people, args.answers)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    out["added_mb"] = out["peak_mb"] - rss0
    if args.trace:
        tracemalloc.start()
        _run(args.case, args.which, args.batch, args.people, args.answers)
        out["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    print(json.dumps(out))
    return 0


def _measure(case: str, which: str, batch: bool, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", "--case", case, "--which", which,
               "--people", str(args.people), "--answers", str(args.answers)]
    if batch:
        command.append("--batch")
    if args.traced and which == "new":
        command.append("--trace")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{case} {which} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=20000)
    parser.add_argument("--old-commit", default="214a813", help="the commit with the brute-force matcher")
    parser.add_argument("--skip-old", action="store_true", help="measure only the indexed matcher")
    parser.add_argument("--no-traced", dest="traced", action="store_false",
                        help="skip the tracemalloc run")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--which", default="new", help=argparse.SUPPRESS)
    parser.add_argument("--batch", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args)

    print(f"roster {args.people:,} people, {args.answers:,} answers per case; "
          f"old = onatool/io/matching.py at {args.old_commit}; {os.cpu_count()} cores")
    print(f"{'case':<11} {'matcher':<10} {'distinct':>8} {'time':>8} {'load':>5} {'peak MB':>8} "
          f"{'added MB':>8} {'traced MB':>9} {'old/new':>8}  same")
    target_met = None
    targets = []
    for case in args.cases:
        rows = [("new", False)] + ([("new", True)] if case != "import" else [])
        old = None if args.skip_old else _measure(case, f"old:{args.old_commit}", False, args)
        if old is not None:
            _print(case, "old", old, None, None)
        for which, batch in rows:
            new = _measure(case, which, batch, args)
            _print(case, "new batch" if batch else "new", new, old, old["digest"] == new["digest"] if old else None)
            if case == "one-word" and not batch:
                target_met = new["seconds"] < 3
                detail = f"{new['distinct']:,} distinct texts, peak {new['peak_mb']:.0f} MB"
                if old is not None:
                    detail += (f"; old matcher {old['seconds']:.1f} s; same results: "
                               f"{'yes' if old['digest'] == new['digest'] else 'NO'}")
                targets.append(results.target(
                    f"matching, {args.answers:,} one-word answers x {args.people:,} people",
                    round(new["seconds"], 2), "s", "< 3", target_met, detail))
            if case == "import":
                targets.append(results.target(
                    f"matching, whole ties-file import of {args.answers:,} answers x {args.people:,} people",
                    round(new["seconds"], 2), "s", "(no target)", None, f"peak {new['peak_mb']:.0f} MB"))
    if target_met is not None:
        print(f"target: {args.answers:,} one-word answers against {args.people:,} people under 3 s",
              "(met)" if target_met else "(NOT met)")
    if targets:
        results.write("matching", targets)
    return 0


def _print(case: str, label: str, row: dict, old: dict | None, same: bool | None) -> None:
    ratio = f"{old['seconds'] / row['seconds']:.0f}x" if old else "-"
    traced = f"{row['traced_mb']:.0f}" if "traced_mb" in row else "-"
    print(f"{case:<11} {label:<10} {row['distinct']:>8,} {row['seconds']:>7.2f}s {os.getloadavg()[0]:>5.1f} "
          f"{row['peak_mb']:>8.0f} {row['added_mb']:>8.0f} {traced:>9} {ratio:>8}  "
          f"{'-' if same is None else 'yes' if same else 'NO'}"
          + (f"  ({row['file_mb']:.2f} MB ties file)" if "file_mb" in row else ""), flush=True)


if __name__ == "__main__":
    sys.exit(main())
