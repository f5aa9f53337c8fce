"""The extract picker (IPA-9a): a GET's candidate extracts grouped by participant, and who is quoted.

One computation serves the ``ipa-extract-picker`` table and the cross-case screen's picker (f8), so both
count "quoted" the same way: a participant is quoted when at least one extract of theirs has been chosen
on the GET or on any of its sub-themes. The count supports the "at least N participants" convention of
IPA write-ups; it never hides a participant who is not quoted yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wb_ipa import board, gets, recurrence, statements
from wb_ipa.anchors import pseudonym

if TYPE_CHECKING:
    from workbench import Project


@dataclass(frozen=True)
class Group:
    """One participant's part of a GET: the statements that reach it and the extracts already chosen."""

    participant: str
    pseudonym: str
    statements: tuple[statements.Statement, ...]
    extracts: tuple[dict[str, Any], ...]

    @property
    def quoted(self) -> bool:
        return bool(self.extracts)


@dataclass(frozen=True)
class Picker:
    theme: board.Theme
    groups: tuple[Group, ...]
    sample: int

    @property
    def quoted(self) -> int:
        return sum(g.quoted for g in self.groups)

    @property
    def count(self) -> str:
        return f"{self.quoted} of {self.sample} participants quoted"

    @property
    def title(self) -> str:
        return f"Extracts for {self.theme.name}: {self.count}"


def build(project: Project, theme: board.Theme) -> Picker:
    """The picker for a GET or GET sub-theme, participants in study order."""
    reached = gets.contributions(project, theme)
    chosen: dict[str, list[dict[str, Any]]] = {}
    for participant, extract in gets.cell_extracts(project, theme):
        chosen.setdefault(participant, []).append(extract)
    groups = tuple(
        Group(
            p["id"],
            pseudonym(project, p["id"]),
            tuple(reached.get(p["id"], [])),
            tuple(chosen.get(p["id"], [])),
        )
        for p in project.participants()
        if p["id"] in reached or p["id"] in chosen
    )
    return Picker(theme, groups, len(recurrence.sample(project)))
