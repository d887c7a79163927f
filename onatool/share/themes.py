"""Themes: findings grouped the way the partnership works.

A partnership reads its findings against its own framework. Each finding has a ``kind``
(:class:`~onatool.share.insights.Insight`); a *theme set* says which themes each kind
speaks to, and a report groups its findings by theme. Two sets come with onatool, and a
project may set its own (:meth:`onatool.project.Project.set_themes`):

- ``od_areas``: the OD collaborative's five areas (leadership, culture, improvement,
  equality, diversity and inclusion, talent);
- ``lssp``: Leadership, Strategy, Structure and People.

Tags are the partnership's reading, not a measurement: they say where a finding belongs
in the conversation, and each finding may sit under more than one theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OTHER_THEME", "THEME_SETS", "ThemeSet", "by_theme", "theme_set"]

#: Where a finding goes when its kind has no theme in the set.
OTHER_THEME = "Other findings"


@dataclass(frozen=True)
class ThemeSet:
    """Themes in their order, and the themes each kind of finding speaks to."""

    name: str
    title: str
    themes: tuple[str, ...]
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def themes_of(self, kind: str) -> tuple[str, ...]:
        """The themes a kind of finding is tagged with (none: :data:`OTHER_THEME`)."""
        return tuple(t for t in self.tags.get(kind, ()) if t in self.themes) or (OTHER_THEME,)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "themes": list(self.themes),
                "tags": {k: list(v) for k, v in self.tags.items()}}


EDI = "Equality, diversity and inclusion"
THEME_SETS: dict[str, ThemeSet] = {
    "od_areas": ThemeSet(
        "od_areas", "the OD collaborative's five areas",
        ("Leadership", "Culture", "Improvement", EDI, "Talent"),
        {"tops": ("Leadership",), "middles": ("Leadership",), "bottoms": ("Culture", EDI),
         "silos": ("Culture",), "bridges": ("Culture", "Improvement"), "reciprocity": ("Culture",),
         "dependence": ("Talent", "Leadership"), "spanners": ("Talent",), "inclusion": (EDI,),
         "change": ("Improvement",), "cohort": ("Leadership", "Talent"), "forums": ("Leadership",),
         "partners": ("Culture",)},
    ),
    "lssp": ThemeSet(
        "lssp", "Leadership, Strategy, Structure and People",
        ("Leadership", "Strategy", "Structure", "People"),
        {"tops": ("Leadership",), "middles": ("Leadership", "Structure"), "bottoms": ("People",),
         "silos": ("Structure",), "bridges": ("Structure", "People"), "reciprocity": ("People",),
         "dependence": ("People",), "spanners": ("People",), "inclusion": ("People",),
         "change": ("Strategy",), "cohort": ("Leadership",), "forums": ("Structure",), "partners": ("Strategy",)},
    ),
}


def theme_set(saved: Mapping[str, Any] | str | None = None) -> ThemeSet:
    """The theme set a project uses: a bundled one by name, or the project's own.

    Parameters
    ----------
    saved
        None (the default, ``od_areas``), a bundled set's name, or a saved mapping with
        ``title``, ``themes`` and ``tags`` (kind -> themes).

    Raises
    ------
    ValueError
        An unknown set name, or tags naming a theme the set does not have.
    """
    if saved is None:
        return THEME_SETS["od_areas"]
    if isinstance(saved, str):
        if saved not in THEME_SETS:
            raise ValueError(f"no theme set {saved!r}; the bundled ones are {', '.join(THEME_SETS)}")
        return THEME_SETS[saved]
    themes = tuple(str(t).strip() for t in saved.get("themes", ()) if str(t).strip())
    tags = {str(k): tuple(str(t) for t in v) for k, v in dict(saved.get("tags", {})).items()}
    unknown = sorted({t for v in tags.values() for t in v} - set(themes))
    if not themes or unknown:
        raise ValueError(f"a theme set needs its themes, and tags only from them (unknown: {', '.join(unknown)})"
                         if unknown else "a theme set needs at least one theme")
    return ThemeSet(str(saved.get("name", "own")), str(saved.get("title", "the partnership's own themes")),
                    themes, tags)


def by_theme(findings: Iterable[Any], themes: ThemeSet) -> dict[str, list[Any]]:
    """Findings grouped by theme, in the set's order (each finding under every theme it is tagged with).

    Themes without findings are left out; findings of an untagged kind come last, under
    :data:`OTHER_THEME`. Order within a theme is the order given.
    """
    grouped: dict[str, list[Any]] = {t: [] for t in (*themes.themes, OTHER_THEME)}
    for finding in findings:
        for theme in themes.themes_of(getattr(finding, "kind", "")):
            grouped[theme].append(finding)
    return {t: found for t, found in grouped.items() if found}

