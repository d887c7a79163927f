"""RSiena-ready files: for evaluators who take the waves on to a stochastic actor-oriented model.

One adjacency matrix per wave over one actor set (everyone on any wave, in a fixed order),
with what is not known coded as missing; a composition-change file for joiners and leavers;
covariates with a codebook; and a short R script that loads them into ``sienaDataCreate``.

Coding (RSiena's conventions)
-----------------------------
- ``1`` a tie at the threshold, ``0`` none.
- ``NA`` where the sender did not answer that wave (their out-ties are unknown, not absent);
  for a symmetric relation, only where neither person answered.
- Actors absent from a wave (joiners before they joined, leavers after they left) have ``0``
  in that wave's rows and columns; ``composition.dat`` tells RSiena when each actor is present,
  and RSiena's composition-change option decides how those cells are treated.

These are person-level, analyst-only files (every attribute of every person, by pseudonym):
they belong in the private folder, never beside shareable outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from onatool import engine, schema
from onatool.errors import InputFormatError
from onatool.network import Network

__all__ = ["SIENA_ATTRIBUTES", "siena_matrices", "write_siena"]

#: Attributes written as covariates when present (others can be named).
SIENA_ATTRIBUTES = (schema.ORGANISATION, schema.SECTOR, schema.PROFESSION, schema.LEVEL,
                    schema.PLACE, schema.COHORT)
#: Oshry's levels as numbers, so "higher" means "more senior".
_LEVEL_CODES = {"bottom": 1, "middle": 2, "top": 3}


def _actors(waves: Sequence[Network]) -> pd.Index:
    """Everyone on any wave, sorted by ``person_id`` (a keyed hash: an order that says nothing
    about who anyone is, and the same in every export of the project)."""
    ids = set().union(*(set(net.people.index) for net in waves))
    return pd.Index(sorted(ids), name=schema.PERSON_ID)


def siena_matrices(waves: Sequence[Network], relation: str | None = None,
                   min_weight: float | None = None) -> tuple[pd.Index, list[np.ndarray]]:
    """The actor set and one ``n x n`` matrix per wave, coded as the module notes say.

    Parameters
    ----------
    waves
        Two or more waves of one project, in time order.
    relation
        The relation (None: the only one, or all merged).
    min_weight
        Tie threshold (None: weight above 0).

    Examples
    --------
    >>> a = Network.from_edges([("x", "y")], relation="advice", wave="one",
    ...     people={"z": {schema.RESPONDED: False}})
    >>> b = Network.from_edges([("y", "x")], relation="advice", wave="two")
    >>> actors, (m1, m2) = siena_matrices([a, b], "advice")
    >>> list(actors), m1.tolist(), m2.tolist()
    (['x', 'y', 'z'], [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [nan, nan, 0.0]], [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    """
    if len(waves) < 2:
        raise InputFormatError("an RSiena export needs two or more waves",
                               expected="the waves in time order")
    actors = _actors(waves)
    n = len(actors)
    matrices = []
    for net in waves:
        lay = engine.layer(net, relation, min_weight)
        position = actors.get_indexer(lay.ids)
        matrix = np.zeros((n, n))
        matrix[position[lay.src], position[lay.dst]] = 1.0
        silent = position[~lay.responded]
        if lay.directed:
            matrix[silent, :] = np.nan
        else:
            matrix[np.ix_(silent, silent)] = np.nan
        np.fill_diagonal(matrix, 0.0)
        matrices.append(matrix)
    return actors, matrices


def _presence(actors: pd.Index, waves: Sequence[Network]) -> list[str]:
    """One line per actor: the intervals (wave numbers from 1) in which the actor is present."""
    present = np.array([[a in set(net.people.index) for net in waves] for a in actors])
    lines = []
    for row in present:
        intervals, start = [], None
        for k, here in enumerate(row, start=1):
            if here and start is None:
                start = k
            if not here and start is not None:
                intervals += [start, k - 1]
                start = None
        if start is not None:
            intervals += [start, len(row)]
        lines.append(" ".join(map(str, intervals)))
    return lines


def _covariate(actors: pd.Index, waves: Sequence[Network], attribute: str
               ) -> tuple[np.ndarray, dict[str, int]] | None:
    """Codes per actor and wave (NaN where missing or absent), and the codebook."""
    columns = [net.people[attribute].reindex(actors) if attribute in net.people.columns
               else pd.Series(np.nan, index=actors, dtype=object) for net in waves]
    values = pd.concat(columns, axis=1, keys=range(len(columns)))
    text = values.astype("string").apply(lambda c: c.str.strip())
    values = values.where(values.notna() & (text != ""))
    if attribute == schema.COHORT:
        labels = sorted({str(v) for v in values.stack().dropna()})
        book = {label: k for k, label in enumerate(labels, start=1)}
        return values.apply(lambda c: c.map(book)).fillna(0).to_numpy(float), {"(none)": 0, **book}
    if values.isna().all().all():
        return None
    if attribute == schema.LEVEL:
        return values.apply(lambda c: c.map(_LEVEL_CODES)).to_numpy(float), dict(_LEVEL_CODES)
    if all(pd.api.types.is_numeric_dtype(c) for c in columns):
        return values.to_numpy(float), {}
    labels = sorted({str(v) for v in values.stack().dropna()})
    book = {label: k for k, label in enumerate(labels, start=1)}
    return values.apply(lambda c: c.map(lambda v: book.get(str(v)) if pd.notna(v) else np.nan)
                        ).to_numpy(float), book


def _write_matrix(path: Path, matrix: np.ndarray) -> None:
    rows = (" ".join("NA" if np.isnan(v) else str(int(v)) for v in row) for row in matrix)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _number(value: float) -> str:
    return "NA" if np.isnan(value) else (str(int(value)) if float(value).is_integer() else repr(value))


def write_siena(
    folder: str | Path,
    waves: Sequence[Network],
    *,
    relation: str | None = None,
    min_weight: float | None = None,
    attributes: Sequence[str] | None = None,
    labels: pd.Series | None = None,
) -> list[Path]:
    """Write the RSiena files and the R script that loads them.

    Parameters
    ----------
    folder
        Where to write (created if absent); should be the project's private folder.
    waves
        Two or more waves in time order.
    relation, min_weight
        The relation and threshold, as for every other output.
    attributes
        Covariates to write (default: those of :data:`SIENA_ATTRIBUTES` present).
    labels
        Display pseudonyms by ``person_id`` for ``actors.csv`` (default: the ``person_id``).

    Returns
    -------
    list of Path
        ``wave_<k>.dat`` per wave, ``composition.dat``, one ``<attribute>.dat`` per covariate
        (one column per wave when the attribute changes between waves, else one), ``actors.csv``,
        ``codebook.csv`` and ``load_siena.R``.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    actors, matrices = siena_matrices(waves, relation, min_weight)
    written = []
    for k, matrix in enumerate(matrices, start=1):
        path = out / f"wave_{k}.dat"
        _write_matrix(path, matrix)
        written.append(path)
    composition = out / "composition.dat"
    composition.write_text("\n".join(_presence(actors, waves)) + "\n", encoding="utf-8")
    written.append(composition)
    chosen = attributes if attributes is not None else [
        a for a in SIENA_ATTRIBUTES if any(a in net.people.columns for net in waves)]
    codebook_rows, covariates = [], {}
    for attribute in chosen:
        result = _covariate(actors, waves, attribute)
        if result is None:
            continue
        codes, book = result
        # A person's value changes when two waves know two different values; absence is not
        # a change. RSiena reads a changing covariate with one column per period (waves - 1).
        changing = any(len(set(row[~np.isnan(row)])) > 1 for row in codes)
        if changing:
            table = codes[:, :-1]
        else:
            first = np.array([row[~np.isnan(row)][0] if (~np.isnan(row)).any() else np.nan
                              for row in codes])
            table = first[:, None]
        name = "".join(c if c.isalnum() else "_" for c in attribute)
        path = out / f"{name}.dat"
        path.write_text("\n".join(" ".join(_number(v) for v in row) for row in table) + "\n",
                        encoding="utf-8")
        written.append(path)
        covariates[name] = changing
        codebook_rows += [{"covariate": name, "code": code, "value": value}
                          for value, code in book.items()]
    people = pd.DataFrame({"row": range(1, len(actors) + 1),
                           "actor": labels.reindex(actors).fillna(pd.Series(actors, index=actors))
                           if labels is not None else actors}, index=actors)
    actors_path = out / "actors.csv"
    people.to_csv(actors_path, index=False)
    codebook_path = out / "codebook.csv"
    pd.DataFrame(codebook_rows, columns=["covariate", "code", "value"]).to_csv(codebook_path, index=False)
    script = out / "load_siena.R"
    script.write_text(_r_script(len(actors), len(matrices), covariates,
                                [net.wave for net in waves]), encoding="utf-8")
    return [*written, actors_path, codebook_path, script]


def _r_script(n: int, waves: int, covariates: dict[str, bool], names: list[str]) -> str:
    reads = "\n".join(
        f'w{k} <- as.matrix(read.table("wave_{k}.dat", na.strings = "NA"))  # {names[k - 1]}'
        for k in range(1, waves + 1))
    stack = ", ".join(f"w{k}" for k in range(1, waves + 1))
    covs = []
    for name, changing in covariates.items():
        if changing:
            covs.append(f'{name} <- varCovar(as.matrix(read.table("{name}.dat", na.strings = "NA")))')
        else:
            covs.append(f'{name} <- coCovar(read.table("{name}.dat", na.strings = "NA")[, 1])')
    objects = ", ".join(["network", "composition", *covariates])
    return f"""# Written by onatool: the waves as RSiena data. Run from this folder:
#   setwd("<this folder>"); source("load_siena.R")
# Codes: 1 tie, 0 none, NA unknown (the sender did not answer that wave).
# Actors ({n}) are in the order of actors.csv; codebook.csv gives each covariate's codes.
library(RSiena)

{reads}
network <- sienaDependent(array(c({stack}), dim = c({n}, {n}, {waves})))
composition <- sienaCompositionChangeFromFile("composition.dat")
{chr(10).join(covs)}

data <- sienaDataCreate({objects})
effects <- getEffects(data)
print01Report(data, modelname = "onatool_siena")
"""
