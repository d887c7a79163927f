"""Tables to rows and back, and the encoded form of every write.

Everything a write needs is checked and encoded before its transaction starts, so the
transaction itself only inserts."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from onatool import schema
from onatool.errors import (
    InputFormatError,
)
from onatool.network import Network
from onatool.store.records import ProjectInfo, WaveInfo, WaveRef

# Encoded writes -----------------------------------------------------------------------
# Everything a write needs is checked and encoded before its transaction starts, so the
# transaction itself only inserts.


@dataclass(frozen=True)
class _Roster:
    people_layout: dict[str, Any]
    people_rows: list[tuple[str, int, str]]
    identity_layout: dict[str, Any]
    identity_rows: list[tuple[str, int, str]]


@dataclass(frozen=True)
class _Wave:
    name: str
    network: Network
    people_layout: dict[str, Any]
    people_rows: list[tuple[str, int, str]]
    relations: str
    report: str | None
    n_respondents: int


def _encode_roster(people: pd.DataFrame, identities: pd.DataFrame) -> _Roster:
    people_layout, people_rows = _encode_frame(people, "roster people")
    identity_layout, identity_rows = _encode_frame(identities, "roster identities")
    identifying = [c for c in schema.IDENTITY_COLUMNS if c in people.columns]
    if identifying:
        raise InputFormatError(
            f"roster people has identifying column(s) {identifying}",
            expected="names, emails and roster ids only in the identities table",
        )
    strangers = identities.index.difference(people.index)
    if len(strangers):
        raise InputFormatError(
            f"roster identities has {len(strangers)} person_id(s) not in people, "
            f"e.g. {strangers[0]!r}",
            expected="an identity only for someone in people",
        )
    return _Roster(people_layout, people_rows, identity_layout, identity_rows)


def _encode_wave(network: object, report: Mapping[str, Any] | None, position: object) -> _Wave:
    if not isinstance(network, Network):
        raise InputFormatError(
            f"save_wave needs an onatool Network, got {type(network).__name__}"
        )
    if position is not None and (not _is_int(position) or position < 0):  # type: ignore[operator]
        raise InputFormatError(
            f"wave position {position!r} is not valid", expected="0 (first), 1, 2 ..."
        )
    name = _clean_name(network.wave, "wave")
    people_layout, people_rows = _encode_frame(network.people, f"wave {name!r} people")
    report_text = None if report is None else _dumps(dict(report), what=f"report of {name!r}")
    relations_text = _dumps(
        {
            key: {"label": r.label, "symmetric": r.symmetric, "question": r.question}
            for key, r in network.relations.items()
        }
    )
    return _Wave(name, network, people_layout, people_rows, relations_text, report_text,
                 len(network.respondents))


# Tables <-> rows ----------------------------------------------------------------------
# A table is kept as a layout (index and column names with their dtypes, as JSON) and
# one row per person: (person_id, position, JSON list of the row's values). Values are
# JSON scalars; the dtype in the layout turns them back into exactly the saved column.


def _encode_frame(frame: object, what: str) -> tuple[dict[str, Any], list[tuple[str, int, str]]]:
    """A table's layout and its rows ``(person_id, position, values_json)``."""
    if not isinstance(frame, pd.DataFrame):
        raise InputFormatError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    if frame.index.name != schema.PERSON_ID:
        raise InputFormatError(
            f"{what} is indexed by {frame.index.name!r}", expected=f"an index named {schema.PERSON_ID!r}"
        )
    ids = _check_ids(frame.index, what)
    names = list(frame.columns)
    if not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise InputFormatError(f"{what} has repeated or non-text column names {names}")
    index_spec, _ = _encode_column(pd.Series(frame.index, dtype=frame.index.dtype), what, "index")
    names_spec, _ = _encode_column(pd.Series(frame.columns, dtype=frame.columns.dtype), what, "")
    specs, columns = [], []
    for name in names:
        spec, values = _encode_column(frame[name], what, name)
        specs.append({"name": name, **spec})
        columns.append(values)
    layout = {
        "index": {"name": frame.index.name, **index_spec},
        "column_names": names_spec,
        "columns": specs,
    }
    row_values = zip(*columns, strict=True) if columns else [()] * len(ids)
    rows = [
        (pid, position, _dumps(list(values)))
        for position, (pid, values) in enumerate(zip(ids, row_values, strict=True))
    ]
    return layout, rows


def _decode_frame(layout: Mapping[str, Any], rows: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The table stored as ``layout`` and rows ``(person_id, values_json)``."""
    specs = layout["columns"]
    index_spec = layout["index"]
    index = _decode_index(index_spec, [pid for pid, _ in rows], name=index_spec["name"])
    values = [json.loads(text) for _, text in rows]
    columns = list(zip(*values, strict=True)) if values else [() for _ in specs]
    data = {
        spec["name"]: _decode_column(spec, list(column))
        for spec, column in zip(specs, columns, strict=True)
    }
    names = [spec["name"] for spec in specs]
    # Without columns, pandas' own default (an empty RangeIndex) is what was saved.
    names_spec = layout.get("column_names")
    column_index = _decode_index(names_spec, names) if names and names_spec else names or None
    return pd.DataFrame(data, index=index, columns=column_index)


def _decode_index(spec: Mapping[str, Any], values: list[Any], name: str | None = None) -> pd.Index:
    array = _decode_column(spec, values)
    return pd.Index(array, dtype=array.dtype, name=name)


def _encode_column(series: pd.Series, what: str, name: str) -> tuple[dict[str, Any], list[Any]]:
    """A column's dtype spec and its values as JSON scalars."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories_spec, categories = _encode_column(
            pd.Series(dtype.categories, dtype=dtype.categories.dtype), what, name
        )
        spec = {
            "kind": "category",
            "ordered": bool(dtype.ordered),
            "categories": categories,
            "categories_dtype": categories_spec,
        }
        return spec, series.cat.codes.tolist()
    if isinstance(dtype, pd.StringDtype):
        na = "nan" if dtype.na_value is np.nan else "NA"
        spec = {"kind": "string", "storage": dtype.storage, "na": na}
        return spec, [None if pd.isna(v) else v for v in series.tolist()]
    if isinstance(dtype, pd.DatetimeTZDtype) or (
        isinstance(dtype, np.dtype) and dtype.kind == "M"
    ):
        spec = {"kind": "datetime", "dtype": str(dtype)}
        return spec, series.array.asi8.tolist()  # UTC ticks in the dtype's unit; NaT is min int
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        values = series.tolist()
        for value in values:
            if value is not None and not isinstance(value, str | bool | int | float):
                raise InputFormatError(
                    f"{what} column {name!r} holds a {type(value).__name__}, which cannot be "
                    "kept exactly",
                    expected="text, numbers, booleans or missing values",
                )
        return {"kind": "plain", "dtype": "object"}, values
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf" or str(dtype) in _MASKED:
        values = [None if v is pd.NA else v for v in series.tolist()]
        return {"kind": "plain", "dtype": str(dtype)}, values
    raise InputFormatError(
        f"{what} column {name!r} has dtype {dtype}, which the workspace cannot keep exactly",
        expected="text, numbers, booleans, categories or dates",
    )


_MASKED = {
    "boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
    "Float32", "Float64",
}


def _decode_column(spec: Mapping[str, Any], values: list[Any]) -> Any:
    """The array a column spec and its JSON values stand for."""
    kind = spec["kind"]
    if kind == "category":
        categories = _decode_index(spec["categories_dtype"], spec["categories"])
        return pd.Categorical.from_codes(
            np.asarray(values, dtype=int), categories=categories, ordered=spec["ordered"]
        )
    if kind == "string":
        na_value = np.nan if spec["na"] == "nan" else pd.NA
        dtype = pd.StringDtype(spec["storage"], na_value=na_value)
        return pd.array(values, dtype=dtype)
    if kind == "datetime":
        target = pd.api.types.pandas_dtype(spec["dtype"])
        unit = target.unit if isinstance(target, pd.DatetimeTZDtype) else np.datetime_data(target)[0]
        naive = pd.Series(np.asarray(values, dtype="int64").view(f"M8[{unit}]"))
        if isinstance(target, pd.DatetimeTZDtype):
            naive = naive.dt.tz_localize("UTC").dt.tz_convert(target.tz)
        return naive.astype(target).array
    return pd.Series(values, dtype=object).astype(spec["dtype"]).array


def _tie_rows(ties: pd.DataFrame) -> Iterable[tuple[int, str, str, str, float, str]]:
    """Tie rows in saved order: ``(position, source, target, relation, weight, raw_value)``."""
    columns = [ties[c].tolist() for c in schema.TIE_COLUMNS]
    return zip(range(len(ties)), *columns, strict=True)


# Small helpers ----------------------------------------------------------------------------
def _check_ids(index: pd.Index, what: str) -> list[str]:
    ids = index.tolist()
    if not all(isinstance(pid, str) and pid for pid in ids):
        raise InputFormatError(f"{what} has missing or non-text person_id values",
                               expected="a non-empty text person_id for every row")
    if index.has_duplicates:
        repeated = index[index.duplicated()][0]
        raise InputFormatError(f"{what} repeats person_id {repeated!r}", expected="unique ids")
    return ids


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"a {type(value).__name__} is not a JSON value")


def _dumps(value: object, what: str = "value") -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InputFormatError(
            f"the {what} cannot be saved: {exc}",
            expected="JSON values (text, numbers, booleans, None, lists, dicts with text keys)",
        ) from exc


def _clean_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InputFormatError(
            f"a {what} name must be non-empty text, got {name!r}", expected="a name such as 'baseline'"
        )
    return name.strip()


def _wave_name(wave: WaveRef) -> str:
    if isinstance(wave, WaveInfo):
        return wave.name
    if isinstance(wave, str):
        return wave
    raise InputFormatError(f"{wave!r} does not name a wave", expected="a wave name or WaveInfo")


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _rate(respondents: int, people: int) -> float:
    return respondents / people if people else math.nan


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _project_info(row: tuple[int, str, str, str]) -> ProjectInfo:
    project_id, name, description, created = row
    return ProjectInfo(project_id, name, description, _parse_time(created))


def _listing(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(repr(n) for n in names) if names else "none"
