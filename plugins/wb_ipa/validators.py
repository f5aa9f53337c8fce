"""Non-blocking IPA checks (METHODS.md 10.1 item 4), run by `workbench check` and the TUI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wb_ipa import board, cases, gets, notes, recurrence, statements
from wb_ipa import settings as settings_mod
from workbench import Finding

if TYPE_CHECKING:
    from workbench import Project


def statements_without_notes(project: Project) -> Iterator[Finding]:
    """IPA-4a: a statement should grow out of exploratory notes; one with none is worth a second look."""
    for statement in statements.all_statements(project):
        if not statement.notes:
            yield Finding(
                "warning",
                f"experiential statement {statement.text!r} ({statement.case}) "
                "is linked to no exploratory note",
                f"record:{statement.id}",
            )


def gets_below_rule(project: Project) -> Iterator[Finding]:
    """IPA-8c/9a: a GET illustrated (quoted) by fewer participants than the recurrence rule asks."""
    people = len(recurrence.sample(project))
    needed = settings_mod.threshold(settings_mod.load(project).recurrence, people)
    numbers = gets.numbering(project)
    for row in recurrence.rows(project):
        quoted = {p for p, _e in gets.cell_extracts(project, row.theme)}
        if len(quoted) < needed:
            yield Finding(
                "warning",
                f"GET {numbers[row.theme.id]} {row.theme.name!r} is illustrated by "
                f"{len(quoted)} participant(s); "
                f"the rule asks for {needed}",
                f"record:{row.theme.id}",
            )


def notes_on_old_versions(project: Project) -> Iterator[Finding]:
    """A note anchored to a transcript version that has since been corrected is not shown in exports."""
    for note in notes.all_notes(project):
        if project.source(note.anchor.source)["version_id"] != note.anchor.version:
            yield Finding(
                "warning",
                f"note {note.id} is on an earlier version of {note.anchor.source}",
                f"record:{note.id}",
            )


def pets_without_extracts(project: Project) -> Iterator[Finding]:
    """IPA-6: each PET of a completed case should have an illustrative extract or statements to cite."""
    for case in cases.all_cases(project):
        if case.status != cases.COMPLETE:
            continue
        for pet in board.themes(project, case=case.participant, levels=("pet",)):
            if not board.members(project, pet):
                yield Finding(
                    "info", f"PET {pet.name!r} of {case.participant} holds no statements", f"record:{pet.id}"
                )
