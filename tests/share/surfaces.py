"""Every surface that lets data leave the tool, and one check of what each lets out.

A *partnership* is a roster and two waves of ties written as files, with distinctive
organisation names (``Orgq...``) and person names (``Zedq...``), so any output can be
searched for them. :data:`SURFACES` maps a surface's name to a function that produces
its outputs (:class:`Released`) from a partnership; :func:`assert_nothing_small` checks
them against what the disclosure rule promises, without using the gate's own code:

- no output names an organisation with fewer than ``k`` people, or anyone's name;
- no table, JSON key or report table shows a level with fewer than ``k`` people;
- where a table lists a group's size, the sizes not shown add up to 0 or at least ``k``
  (nothing can be worked out by subtraction);
- no person-level table has a combination of attributes held by fewer than ``k``.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

K = 5
LEVELS = ("top", "middle", "bottom")
ATTRIBUTES = ("organisation", "sector", "profession", "level", "place", "cohort", "team")
PROJECT = "gate-test"


@dataclass
class Partnership:
    """A roster and two waves of ties on disk, and what they hold."""

    folder: Path
    roster: Path
    waves: list[Path]
    people: pd.DataFrame  # id, name, organisation, sector, profession, level

    def sizes(self, attribute: str) -> pd.Series:
        return self.people[attribute].dropna().value_counts()

    def small(self, attribute: str) -> set[str]:
        sizes = self.sizes(attribute)
        return {str(g) for g, n in sizes.items() if 0 < n < K}


def write_partnership(folder: Path, org_sizes: list[int], *, seed: int = 0, lone_top: bool = True,
                      density: float = 0.12) -> Partnership:
    """A partnership with organisations of the sizes given (levels, professions random)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for o, size in enumerate(org_sizes):
        org = f"Orgq{chr(65 + o)}{chr(97 + o)}x"
        for _ in range(size):
            i = len(rows)
            rows.append({"id": f"R{i:03d}", "name": f"Zedq Quux{i:03d}", "organisation": org,
                         "sector": "NHS trust" if o % 2 == 0 else "Local authority",
                         "profession": ["Nursing", "Medical", "Social work"][int(rng.integers(3))],
                         "level": ["middle", "bottom", "bottom"][int(rng.integers(3))]})
    people = pd.DataFrame(rows)
    if lone_top and len(people):
        people.loc[int(rng.integers(len(people))), "level"] = "top"
    elif len(people) > 6:
        people.loc[rng.choice(len(people), 6, replace=False), "level"] = "top"
    roster = folder / "roster.csv"
    people.to_csv(roster, index=False)
    waves = []
    for w, name in enumerate(("baseline", "follow-up")):
        ties = ["source,target,relation,weight"]
        for i in range(len(people)):
            if rng.random() < 0.15:  # did not answer
                continue
            for j in range(len(people)):
                if i != j and rng.random() < density + 0.02 * w:
                    ties.append(f"{people.id[i]},{people.id[j]},advice,1")
        if len(ties) == 1:  # every wave holds the relation: a survey where nobody named anyone is not the point
            ties.append(f"{people.id[0]},{people.id[1]},advice,1")
        path = folder / f"ties_{name}.csv"
        path.write_text("\n".join(ties) + "\n")
        waves.append(path)
    return Partnership(folder, roster, waves, people)


# What a surface lets out ------------------------------------------------------------------


@dataclass
class Released:
    """A surface's outputs: all their text, the tables in them, the person-level tables."""

    text: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    people: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    html: list[tuple[str, str]] = field(default_factory=list)

    def add_folder(self, folder: Path) -> None:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            where = str(path.relative_to(folder))
            if path.suffix == ".csv":
                self.add_table(where, _read_csv(path))
            elif path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as z:
                    self.text.append((where, "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())))
                for sheet, frame in pd.read_excel(path, sheet_name=None).items():
                    if sheet != "README":
                        self.add_table(f"{where}:{sheet}", frame)
                continue
            elif path.suffix in (".graphml", ".gexf"):
                import networkx as nx

                graph = nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)
                self.people.append((where, pd.DataFrame.from_dict(dict(graph.nodes(data=True)), orient="index")))
            elif path.suffix == ".json":
                data = json.loads(path.read_text(encoding="utf-8"))
                self.tables.append((where, _keys_table(data)))
            if path.suffix == ".html":
                self.html.append((where, path.read_text(encoding="utf-8")))
            if path.suffix in (".csv", ".json", ".md", ".html", ".graphml", ".gexf", ".yaml", ".svg"):
                self.text.append((where, path.read_text(encoding="utf-8-sig", errors="replace")))

    def add_table(self, where: str, frame: pd.DataFrame) -> None:
        self.tables.append((where, frame))
        self.text.append((where, frame.to_csv()))
        if "label" in frame.columns or "person_id" in frame.columns or frame.columns[:1].str.contains(
                "person").any():
            self.people.append((where, frame))


def _read_csv(path: Path) -> pd.DataFrame:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    skip = 1 if lines and lines[0].startswith("#") else 0
    return pd.read_csv(path, skiprows=skip, encoding="utf-8-sig", keep_default_na=True)


def _keys_table(data: object) -> pd.DataFrame:
    """Every key of a JSON document, as a one-column table (for the level check)."""
    keys: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                keys.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return pd.DataFrame({"key": keys})


# The check --------------------------------------------------------------------------------


def _json_keys(cell: object) -> list[str]:
    if not isinstance(cell, str) or not cell.startswith("{"):
        return []
    try:
        return list(_keys_table(json.loads(cell))["key"])
    except ValueError:
        return []


def _labels_of(frame: pd.DataFrame) -> set[str]:
    """Headers, the first (index) column's values and keys inside JSON cells."""
    labels = {str(c) for c in frame.columns} | {str(i) for i in frame.index}
    if len(frame.columns):
        labels |= {str(v) for v in frame.iloc[:, 0].dropna()}
    for column in frame.columns:
        if frame[column].dtype == object:
            for cell in frame[column].dropna():
                labels |= set(_json_keys(cell))
    return labels


def assert_nothing_small(released: Released, partnership: Partnership, k: int = K) -> None:
    """Fail if any output names, or lets anyone work out, a group under ``k``."""
    small_orgs = partnership.small("organisation")
    names = set(partnership.people["name"])
    for where, text in released.text:
        for org in small_orgs:
            assert org not in text, f"{where} names {org}, a group of fewer than {k}"
        for name in names:
            assert name not in text, f"{where} names {name}"
    small_levels = partnership.small("level")
    for where, frame in released.tables:
        shown = _labels_of(frame)
        for level in small_levels:
            assert level not in shown, f"{where} shows level {level!r}, held by fewer than {k}"
        _assert_no_subtraction(where, frame, partnership, k)
    for where, html in released.html:
        for level in small_levels:
            assert f">{level}<" not in html, f"{where} shows level {level!r} in a table"
        if "top" in small_levels:
            assert "senior leaders (tops)" not in html, f"{where} has a finding about the tops"
    for where, frame in released.people:
        _assert_combinations(where, frame, k)


def _assert_no_subtraction(where: str, frame: pd.DataFrame, partnership: Partnership, k: int) -> None:
    """Where group sizes are listed, the people not accounted for are 0 or at least k."""
    found = re.search(r"(?:groups|responses|inclusion)_(organisation|level|sector|profession)", where)
    size = next((c for c in ("size", "people") if c in frame.columns), None)
    if not found or size is None:
        return
    attribute = found.group(1)
    total = int(partnership.sizes(attribute).sum())
    sizes = pd.to_numeric(frame[size], errors="coerce").dropna()
    if not len(sizes) or total < k:
        return
    missing = total - int(sizes.sum())
    assert missing == 0 or missing >= k, (
        f"{where}: the sizes shown leave {missing} people unaccounted for: a hidden group of {missing}")


def _assert_combinations(where: str, frame: pd.DataFrame, k: int) -> None:
    attributes = [a for a in ATTRIBUTES if a in frame.columns]
    if not attributes or len(frame) < k:
        # A table of fewer than k people can carry no attribute at all.
        assert not attributes, f"{where}: {len(frame)} people with attributes {attributes}"
        return
    counts = frame[attributes].astype(str).value_counts()
    assert counts.min() >= k, (
        f"{where}: attributes {attributes} single out {int((counts < k).sum())} combination(s), "
        f"e.g. {counts.idxmin()} held by {counts.min()}")


# The surfaces -----------------------------------------------------------------------------


def _cli(*args: object) -> None:
    from typer.testing import CliRunner

    from onatool.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)


def cli_analyse(p: Partnership, out: Path) -> Released:
    _cli("analyse", "--roster", p.roster, "--ties", p.waves[-1], "--relation", "advice", "--out", out,
         "--project", PROJECT)
    released = Released()
    released.add_folder(out)
    return released


def cli_compare(p: Partnership, out: Path) -> Released:
    _cli("compare", "--roster", p.roster, "--ties", p.waves[0], "--ties", p.waves[1], "--out", out,
         "--wave-names", "baseline,follow-up", "--permutations", "49", "--project", PROJECT)
    released = Released()
    released.add_folder(out)
    return released


def cli_import(p: Partnership, out: Path) -> Released:
    _cli("import", "--roster", p.roster, "--ties", p.waves[-1], "--out", out, "--project", PROJECT)
    released = Released()
    released.add_folder(out)
    return released


def report_pack(p: Partnership, out: Path) -> Released:
    _cli("report", "--roster", p.roster, "--ties", p.waves[0], "--ties", p.waves[1], "--out", out,
         "--no-pdf", "--project", PROJECT)
    released = Released()
    released.add_folder(out)
    return released


APP_PAGES = ("boundaries", "levels", "health", "people", "map", "change", "about")


def save_workspace(p: Partnership, out: Path) -> Path:
    """The partnership as a workspace project (both waves), for the app."""
    from onatool.cli import read_answers
    from onatool.project import Project
    from onatool.store import Workspace

    out.mkdir(parents=True, exist_ok=True)
    ws_path = out / "workspace.sqlite"
    project = Project.create(Workspace(ws_path), PROJECT)
    for path, name in zip(p.waves, ("baseline", "follow-up"), strict=True):
        project.save_wave(read_answers(p.roster, project=project, ties=path, wave=name))
    return ws_path


def app_pages(p: Partnership, out: Path) -> Released:
    """Every page that shows results, through Streamlit's AppTest, on the partnership saved."""
    import os

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[2]
    ws_path = save_workspace(p, out)
    released = Released()
    previous = os.environ.get("ONATOOL_WORKSPACE")
    os.environ["ONATOOL_WORKSPACE"] = str(ws_path)
    try:
        at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
        at.session_state["project"] = PROJECT
        at.session_state["k"] = K
        at.run()
        for page in APP_PAGES:
            at.switch_page(f"onatool/app/pages/{page}.py").run()
            assert not at.exception, (page, [e.value for e in at.exception])
            _collect_page(at, page, released)
    finally:
        if previous is None:
            os.environ.pop("ONATOOL_WORKSPACE", None)
        else:
            os.environ["ONATOOL_WORKSPACE"] = previous
    return released


def _collect_page(at, page: str, released: Released) -> None:
    parts = [str(e.value) for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "text")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for chart in at.get("plotly_chart"):
        parts.append(str(chart.proto))
    for frame in at.get("iframe"):
        parts.append(str(frame.proto))
    released.text.append((page, "\n".join(parts)))
    for i, frame in enumerate(at.dataframe):
        value = frame.value
        where = f"{page}:table{i}"
        released.tables.append((where, value.reset_index() if value.index.name else value))
        released.text.append((where, value.to_csv()))
        if page == "people":
            released.people.append((where, value))
    for i, frame in enumerate(at.dataframe):
        # group tables are indexed by their attribute: the subtraction check reads their sizes
        attribute = frame.value.index.name
        if attribute in ATTRIBUTES and ("size" in frame.value.columns or "people" in frame.value.columns):
            released.tables.append((f"groups_{attribute}:{page}{i}", frame.value))


#: Every surface, by name: a function from a partnership and an empty folder to what it lets out.
SURFACES: dict[str, Callable[[Partnership, Path], Released]] = {
    "cli analyse": cli_analyse,
    "cli compare": cli_compare,
    "cli import": cli_import,
    "report pack": report_pack,
    "app pages": app_pages,
}
