"""What an import produced, reduced to a comparable snapshot (for ``test_import_golden.py``).

The snapshot holds the Network's people and ties and every line of the import report:
row and item outcomes, names, notes, counts and the Markdown text. ``make_golden()``
wrote ``tests/data/import_golden/golden.json`` once with the code before the import
pipeline was vectorised (this module run in ``git archive fa89a64``, main then); the test
compares today's result with it. The roster as read (people, identities, responded,
waves) is part of the snapshot too.
Small cases keep their lines in full (a failure shows what differs); the large
generated ones keep digests.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "import_golden"
SAMPLE = ROOT / "sample_data"
KEY = b"golden-import-key-0123456789abcd"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


#: Fields kept as digests even in full snapshots: they repeat the rows, items and names.
_DIGEST_ALWAYS = ("markdown", "report", "roster_people", "roster_identities")


def snapshot(result, *, full: bool) -> dict:
    """People, ties and report of an ImportResult as JSON-ready values."""
    network, report = result.network, result.report
    people = network.people.astype(object).where(network.people.notna(), None)
    people_rows = [[str(i), *[None if v is None else str(v) for v in row]]
                   for i, row in zip(people.index, people.itertuples(index=False), strict=True)]
    ties_rows = [[s, t, r, repr(float(w)), raw] for s, t, r, w, raw in network.ties.itertuples(index=False)]
    lines = {
        "people_columns": [str(c) for c in network.people.columns],
        "people_dtypes": [str(d) for d in network.people.dtypes],
        "people": people_rows,
        "ties_dtypes": [str(d) for d in network.ties.dtypes],
        "ties": ties_rows,
        "rows": [list(asdict(r).values()) for r in report.rows],
        "items": [list(asdict(i).values()) for i in report.items],
        "names": json.loads(json.dumps(report.names, default=str)),
        "markdown": report.to_markdown().splitlines(),
        "report": json.loads(report.to_json()),
    }
    roster = result.roster
    for name, table in (("roster_people", roster.people), ("roster_identities", roster.identities)):
        lines[name] = [[str(c) for c in table.columns], [str(d) for d in table.dtypes], str(table.index.dtype),
                       table.astype(object).where(table.notna(), None).reset_index().to_numpy().tolist()]
    lines["roster_responded"] = [str(roster.responded.dtype), sorted([k, v] for k, v in roster.responded.items())]
    lines["roster_waves"] = sorted([k, list(v)] for k, v in roster.waves.items())
    out = {"wave": network.wave, "n_people": network.n_people, "n_ties": network.n_ties,
           "counts": report.counts(), "balanced": report.balanced()}
    for name, value in lines.items():
        text = json.dumps(value, sort_keys=True, default=str)
        out[name] = value if full and name not in _DIGEST_ALWAYS else _digest(text)
    return out


def write_messy_files(folder: Path, seed: int = 15, people_n: int = 80, rows_n: int = 260, suffix: str = "") -> None:
    """A small roster and edge lists with every kind of row the import reports.

    Blank rows, rows without an id, level and actor-type wording, a responded column,
    waves, names and emails (one with a domain slip) instead of ids, answers as words,
    N/A and negative codes, self-ties, repeated ties, unknown people, blank targets,
    other waves' rows, stray spaces, and relation cells left blank.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    levels = ["top", "Senior leader", "middle", "bottom", "Band 5", "", "Director", "frontline"]
    kinds = ["staff", "Service user", "carer", "", "councillor", "volunteer group", "alien"]
    roster = ["id,name,email,organisation,level,actor_type,responded,waves,team"]
    people = []
    for i in range(people_n):
        pid = f"P{i:03d}"
        first, last = rng.choice(["Ann", "Bo", "Cy", "Di", "Ed", "Flo"]), f"Lee{i % 37}"
        name = f"{first} {last}"
        email = f"{first.lower()}.{last.lower()}{i}@trust.nhs.example"
        waves = rng.choice(["", "", "", "baseline", "baseline;final", "final"])
        responded = rng.choice(["", "yes", "no", "maybe", "Y"])
        org = rng.choice(["Acute", " Council ", "GP", ""])
        roster.append(f"{pid},{name},{email},{org},{rng.choice(levels)},{rng.choice(kinds)},{responded},{waves},"
                      f"T{i % 5}")
        people.append((pid, name, email))
        if i % 29 == 0:
            roster.append(",,,,,,,,")
        if i % 41 == 0:
            roster.append(f",Nobody {i},,Acute,top,,,,")
    (folder / f"roster{suffix}.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")

    answers = ["Weekly", "Monthly", "1", "3", "", "N/A", "-99", "Often", "Daily", "0", "yes", "7", "inf"]
    rows = ["From,To,relation,weight,raw_value,wave"]
    for i in range(rows_n):
        who = rng.choice(people)
        whom = rng.choice(people)
        source = rng.choice([who[0], who[0], f" {who[0]} ", who[1], who[2]])
        target = rng.choice([whom[0], whom[0], whom[1], whom[2].upper(), "", "Zed Unknown", whom[1].split()[0]])
        if i % 53 == 0:
            target = source
        if i % 61 == 0:
            target = who[2].replace("example", "exampel")
        relation = rng.choice(["advice", "advice", "collaboration", ""])
        raw = rng.choice(answers)
        weight = raw if rng.random() < 0.3 and raw not in ("",) else ""
        wave = rng.choice(["baseline", "baseline", "baseline", "", "final"])
        rows.append(f"{source},{target},{relation},{weight},{raw},{wave}")
        if i % 97 == 0:
            rows.append(",,,,,")
        if i % 71 == 0:
            rows.append(rows[-1].replace(f",{raw},", ",Daily,"))  # a repeat with another answer
    (folder / f"ties{suffix}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # The same without a wave column, with Source/Target headers, semicolons and Windows-1252.
    plain = ["Source;Target;Weight"] + [
        ";".join(r.split(",")[i] for i in (0, 1, 3)) for r in rows[1:] if r.split(",")[5] != "final"
    ] + ["Zoë Brontë;P001;2"]
    (folder / f"ties_plain{suffix}.csv").write_bytes(("\r\n".join(plain) + "\r\n").encode("cp1252"))


def cases(folder: Path) -> dict:
    """Each case: a name -> (callable giving an ImportResult, whether to keep the lines in full)."""
    from onatool.io.reading import import_responses, read_matrix, read_ties
    from onatool.io.roster import read_roster

    def sample_ties(wave: str):
        return lambda: read_ties(SAMPLE / f"ties_{wave}.csv", read_roster(SAMPLE / "roster.csv", key=KEY), wave=wave)

    def messy(name: str, **options):
        return lambda: read_ties(folder / name, read_roster(folder / "roster.csv", key=KEY), **options)

    def forms(wave: str):
        return lambda: import_responses(SAMPLE / "roster.csv", SAMPLE / f"forms_{wave}.xlsx", key=KEY,
                                        recipe=SAMPLE / "forms_recipe.yaml", aliases=SAMPLE / "forms_aliases.yaml",
                                        wave=wave)

    def matrix():
        ids = [f"P{i:03d}" for i in range(0, 120, 7)]
        lines = ["," + ",".join(ids)]
        rng = random.Random(3)
        for n, a in enumerate(ids):
            cells = ["" if n % 5 == 0 else rng.choice(["", "1", "0", "Weekly", "2"]) for _ in ids]
            lines.append(a + "," + ",".join(cells))
        (folder / "advice_matrix.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return read_matrix(folder / "advice_matrix.csv", read_roster(folder / "roster.csv", key=KEY), wave="baseline")

    def xlsx():
        table = pd.read_csv(folder / "ties.csv", dtype=str, keep_default_na=False)
        table.to_excel(folder / "ties.xlsx", index=False, sheet_name="answers")
        return read_ties(folder / "ties.xlsx", read_roster(folder / "roster.csv", key=KEY), wave="final")

    def large():
        write_messy_files(folder, seed=7, people_n=1500, rows_n=12000, suffix="_large")
        return read_ties(folder / "ties_large.csv", read_roster(folder / "roster_large.csv", key=KEY), wave="final")

    return {
        "sample_baseline": (sample_ties("baseline"), False),
        "sample_final": (sample_ties("final"), False),
        "forms_baseline": (forms("baseline"), False),
        "forms_final": (forms("final"), False),
        "messy_baseline": (messy("ties.csv", wave="baseline"), True),
        "messy_final_xlsx": (xlsx, True),
        "messy_plain": (messy("ties_plain.csv", relation="advice", wave="baseline"), True),
        "messy_matrix": (matrix, True),
        "messy_large": (large, False),
    }


def error_cases(folder: Path) -> dict:
    """Inputs the import refuses: a name -> callable that raises."""
    from onatool.io.reading import read_ties
    from onatool.io.roster import read_roster

    def ties_text(name: str, text: str, **options):
        def run():
            (folder / name).write_text(text, encoding="utf-8")
            return read_ties(folder / name, read_roster(folder / "roster.csv", key=KEY), **options)
        return run

    def roster_text(name: str, text: str):
        def run():
            (folder / name).write_text(text, encoding="utf-8")
            return read_roster(folder / name, key=KEY)
        return run

    def workbook_second_sheet_repeated_header():
        path = folder / "two_sheets.xlsx"
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame({"source": ["P001"], "target": ["P002"]}).to_excel(writer, sheet_name="ties", index=False)
            pd.DataFrame([["a", "b"]], columns=["x", "x "]).to_excel(writer, sheet_name="notes", index=False)
        return read_ties(path, read_roster(folder / "roster.csv", key=KEY), wave="baseline")

    return {
        "workbook_second_sheet_repeated_header": workbook_second_sheet_repeated_header,
        "no_wave_chosen": ties_text("w.csv", "source,target,wave\nP001,P002,a\nP002,P003,b\n"),
        "unknown_wave": ties_text("w2.csv", "source,target\nP001,P002\n", wave="later"),
        "no_target_column": ties_text("t.csv", "source,whom\nP001,P002\n"),
        "two_sources": ties_text("t2.csv", "source,From,target\nP001,P001,P002\n"),
        "repeated_header": ties_text("t3.csv", "source,target,target\nP001,P002,P003\n"),
        "values_without_header": ties_text("t4.csv", "source,target,\nP001,P002,\nP002,P003,x\n"),
        "empty_table": ties_text("t5.csv", ",,\n , \n"),
        "roster_repeated_id": roster_text("r1.csv", "id,name\nA,Ann\nB,Bo\na,Al\n"),
        "roster_no_identifier": roster_text("r2.csv", "name,organisation\nAnn,X\n"),
        "roster_two_ids": roster_text("r3.csv", "id,ID ,name\nA,A,Ann\n"),
    }


def error_snapshot(run) -> str:
    """The error's type and message, or a note that nothing was raised."""
    try:
        run()
    except Exception as exc:  # the type and text are what is compared
        return f"{type(exc).__name__}: {exc}"
    return "no error"


def make_golden(folder: Path) -> None:
    """Write the golden snapshots (run once, with the code the new path must agree with)."""
    write_messy_files(folder)
    golden = {name: snapshot(run(), full=full) for name, (run, full) in cases(folder).items()}
    golden["errors"] = {name: error_snapshot(run) for name, run in error_cases(folder).items()}
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "golden.json").write_text(json.dumps(golden, indent=0, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    make_golden(Path(tempfile.mkdtemp()))
