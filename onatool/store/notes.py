"""Notes the room makes against each finding in a workshop, kept with the project.

A finding is keyed by what it is about (:func:`finding_key`: its kind, groups and
measures), so a note stays with its finding when the sentence is reworded or the wave
re-imported. Notes are the room's own words: shown in the app and carried verbatim (escaped)
into the report's findings section.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onatool.errors import InputFormatError, NotFoundError
from onatool.store.codec import _now, _parse_time
from onatool.store.records import ProjectRef, RoomNote

__all__ = ["MAX_NOTE", "add_note", "delete_note", "finding_key", "notes_by_finding", "room_notes"]

#: The longest note kept, in characters.
MAX_NOTE = 2000


def finding_key(finding: Any) -> str:
    """A finding's stable key: ``kind|attribute=group;...|measure,...``.

    Examples
    --------
    >>> from onatool.share.insights import Insight
    >>> finding_key(Insight("t", {}, ("ei_organisation",), 0.5, (("organisation", "Acute"),), "silos"))
    'silos|organisation=Acute|ei_organisation'
    """
    groups = ";".join(f"{a}={g}" for a, g in sorted(getattr(finding, "groups", ()) or ()))
    metrics = ",".join(getattr(finding, "metrics", ()) or ())
    return f"{getattr(finding, 'kind', '')}|{groups}|{metrics}"


def add_note(ws, project: ProjectRef, wave: str, finding: Any, text: str, user: str) -> RoomNote:
    """Keep what the room said about ``finding`` (an Insight, or its key) in ``wave``.

    Raises
    ------
    InputFormatError
        An empty note, one longer than :data:`MAX_NOTE`, or no user.
    NotFoundError
        No such project.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputFormatError("a note needs some text", expected="what the room said")
    if len(text) > MAX_NOTE:
        raise InputFormatError(f"a note of {len(text)} characters is too long", expected=f"at most {MAX_NOTE}")
    if not isinstance(user, str) or not user.strip():
        raise InputFormatError("a note needs the name of who typed it", expected="a user name")
    key = finding if isinstance(finding, str) else finding_key(finding)
    sentence = "" if isinstance(finding, str) else str(getattr(finding, "text", ""))
    at = _now()
    with ws._session(write=True) as conn:
        project_id = ws._project_id(conn, project)
        cursor = conn.execute(
            "INSERT INTO room_note (project_id, wave, finding, finding_text, body, user_name, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (project_id, str(wave), key, sentence, text.strip(), user.strip(), at))
        note_id = int(cursor.lastrowid or 0)
    return RoomNote(note_id, str(wave), key, sentence, text.strip(), user.strip(), _parse_time(at))


def room_notes(ws, project: ProjectRef, wave: str | None = None) -> list[RoomNote]:
    """Every note of ``project`` (of one wave when given), oldest first."""
    query = ("SELECT id, wave, finding, finding_text, body, user_name, at FROM room_note "
             "WHERE project_id = ?" + (" AND wave = ?" if wave is not None else "") + " ORDER BY id")
    with ws._session(write=False) as conn:
        project_id = ws._project_id(conn, project)
        rows = conn.execute(query, (project_id, *([str(wave)] if wave is not None else []))).fetchall()
    return [RoomNote(int(r[0]), r[1], r[2], r[3], r[4], r[5], _parse_time(r[6])) for r in rows]


def delete_note(ws, project: ProjectRef, note_id: int) -> None:
    """Remove one note.

    Raises
    ------
    NotFoundError
        No such note in this project.
    """
    with ws._session(write=True) as conn:
        project_id = ws._project_id(conn, project)
        gone = conn.execute("DELETE FROM room_note WHERE project_id = ? AND id = ?", (project_id, int(note_id)))
        if gone.rowcount == 0:
            raise NotFoundError(f"no note {note_id} in this project")


def notes_by_finding(notes: Iterable[RoomNote]) -> dict[str, list[str]]:
    """Note texts per finding key, oldest first (what the report shows under each finding)."""
    out: dict[str, list[str]] = {}
    for note in notes:
        out.setdefault(note.finding, []).append(note.text)
    return out
