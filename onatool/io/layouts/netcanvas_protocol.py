"""A Network Canvas protocol: which variables the name generators set, and the codebook.

A protocol is written by Network Canvas Architect as a ``.netcanvas`` file (a zip
holding ``protocol.json`` and the interview's media) and is what an export was
collected with. Its ``protocol.json`` holds

- ``codebook``: per entity (``node`` types, ``edge`` types, ``ego``) the variables,
  keyed by UUID, each with a ``name``, a ``type`` (``boolean``, ``categorical``,
  ``layout`` ...) and, for choices, ``options`` (``{"label", "value"}``);
- ``stages``: name generators (``NameGenerator``, ``NameGeneratorQuickAdd``,
  ``NameGeneratorRoster`` ...) whose prompts set node variables on everyone named
  through them (``additionalAttributes: [{"variable": uuid, "value": true}]``).

A true/false node variable set to true by a name generator's prompt says which
question named a person: it is a relation. Every other variable (choices, form
answers, layout coordinates) describes a person. Edge types (codebook ``edge``) are
the ties between the people named, as the respondent sees them.

The protocol is looked for next to the export (``protocol.json`` or one
``*.netcanvas``), in the export's folder and the folder above it, where a tutorial or
a researcher's project keeps it.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from onatool.errors import InputFormatError, Place

__all__ = ["Protocol", "find_protocol", "read_protocol"]

_MAX_PROTOCOL_BYTES = 20 * 1024 * 1024  # protocol.json, inflated; the media are never read


@dataclass(frozen=True)
class Protocol:
    """What onatool reads from a protocol.

    Attributes
    ----------
    file
        The file it came from (``IJE_RADAR_Protocol.netcanvas``).
    name
        The protocol's name (its ``name`` key, else the file's stem).
    generator_flags
        Names of the true/false node variables that name-generator prompts set to
        true, in stage order: the relations.
    edge_types
        Names of the codebook's edge types (ties between named people).
    categorical
        ``"alter"`` and ``"ego"`` -> variable name -> option values, in codebook order.
    layout
        ``"alter"`` and ``"ego"`` -> names of layout (screen position) variables.
    """

    file: str
    name: str
    generator_flags: tuple[str, ...] = ()
    edge_types: tuple[str, ...] = ()
    categorical: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    layout: dict[str, frozenset[str]] = field(default_factory=dict)


def find_protocol(export: str | Path, protocol_name: str = "") -> tuple[Path | None, str]:
    """The protocol file kept with an export, and a sentence saying what was found.

    Parameters
    ----------
    export
        The export folder, one of its CSV files or a GraphML file.
    protocol_name
        The export's ``networkCanvasProtocolName``, used to choose between several.

    Returns
    -------
    path, note
        ``path`` is None when no single protocol was found; ``note`` says why.
    """
    export = Path(export)
    folder = export if export.is_dir() else export.parent
    for place in (folder, folder.parent):
        if not place.is_dir():
            continue
        candidates = sorted([*place.glob("protocol.json"), *place.glob("*.netcanvas")])
        if len(candidates) == 1:
            return candidates[0], f"protocol {candidates[0].name} read"
        if len(candidates) > 1:
            wanted = _plain(protocol_name)
            named = [c for c in candidates if wanted and _plain(c.stem) == wanted]
            if len(named) == 1:
                return named[0], f"protocol {named[0].name} read (named like the export's protocol)"
            return None, (f"{len(candidates)} protocols found in {place.name} "
                          f"({', '.join(c.name for c in candidates)}) and none named like the export's "
                          f"protocol {protocol_name!r}; none was read")
    return None, "no protocol (protocol.json or a .netcanvas file) was found next to the export"


def _plain(name: str) -> str:
    """``"IJE_RADAR_Protocol (1)"`` -> ``"ije_radar_protocol"``: copies get a counter."""
    return re.sub(r"\s*\(\d+\)$", "", str(name).strip()).casefold()


def read_protocol(path: str | Path) -> Protocol:
    """Read ``protocol.json``, on its own or inside a ``.netcanvas`` file.

    Raises
    ------
    InputFormatError
        Not JSON, not a protocol (no codebook), or a ``.netcanvas`` without one.
    """
    path = Path(path)
    place = Place(file=path.name)
    if path.suffix.lower() == ".netcanvas":
        try:
            with zipfile.ZipFile(path) as archive:
                entry = next((e for e in archive.infolist() if Path(e.filename).name == "protocol.json"), None)
                if entry is None:
                    raise InputFormatError("the .netcanvas file holds no protocol.json",
                                           expected="a protocol saved by Network Canvas Architect", place=place)
                if entry.file_size > _MAX_PROTOCOL_BYTES:
                    raise InputFormatError(
                        f"its protocol.json would expand to {entry.file_size / 1e6:.0f} MB",
                        expected=f"a protocol.json under {_MAX_PROTOCOL_BYTES // 2**20} MB", place=place)
                text = archive.read(entry).decode("utf-8-sig")
        except zipfile.BadZipFile:
            raise InputFormatError("the .netcanvas file is not a valid zip",
                                   expected="the protocol file as Architect saved it", place=place) from None
    else:
        if path.stat().st_size > _MAX_PROTOCOL_BYTES:
            raise InputFormatError("protocol.json is too large to be a protocol",
                                   expected=f"under {_MAX_PROTOCOL_BYTES // 2**20} MB", place=place)
        text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"protocol.json is not valid JSON ({exc.msg}, line {exc.lineno})",
                               expected="the protocol as Architect saved it", place=place) from None
    if not isinstance(data, dict) or not isinstance(data.get("codebook"), dict):
        raise InputFormatError("protocol.json has no codebook",
                               expected="a Network Canvas protocol (keys 'codebook' and 'stages')", place=place)
    return _parse(data, path)


def _parse(data: dict, path: Path) -> Protocol:
    codebook = data["codebook"]
    node_types = {uid: t for uid, t in (codebook.get("node") or {}).items() if isinstance(t, dict)}
    ego = codebook.get("ego") if isinstance(codebook.get("ego"), dict) else {}

    def variables(entity: dict) -> dict[str, dict]:
        found = entity.get("variables") or {}
        return {uid: v for uid, v in found.items() if isinstance(v, dict)}

    flags: list[str] = []
    for stage in data.get("stages") or []:
        if not isinstance(stage, dict) or not str(stage.get("type", "")).startswith("NameGenerator"):
            continue
        subject = stage.get("subject") or {}
        known = variables(node_types.get(str(subject.get("type")), {}))
        for prompt in stage.get("prompts") or []:
            for extra in (prompt or {}).get("additionalAttributes") or []:
                variable = known.get(str((extra or {}).get("variable")), {})
                if variable.get("type") == "boolean" and extra.get("value") is True and variable.get("name"):
                    flags.append(str(variable["name"]))

    def choices(entities: list[dict]) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for entity in entities:
            for v in variables(entity).values():
                if v.get("type") == "categorical" and v.get("name"):
                    out[str(v["name"])] = tuple(str(o.get("value") if isinstance(o, dict) else o)
                                                for o in v.get("options") or [])
        return out

    def layouts(entities: list[dict]) -> frozenset[str]:
        return frozenset(str(v["name"]) for e in entities for v in variables(e).values()
                         if v.get("type") == "layout" and v.get("name"))

    nodes = list(node_types.values())
    return Protocol(
        file=path.name,
        name=str(data.get("name") or path.stem),
        generator_flags=tuple(dict.fromkeys(flags)),
        edge_types=tuple(str(t.get("name")) for t in (codebook.get("edge") or {}).values()
                         if isinstance(t, dict) and t.get("name")),
        categorical={"alter": choices(nodes), "ego": choices([ego])},
        layout={"alter": layouts(nodes), "ego": layouts([ego])},
    )
