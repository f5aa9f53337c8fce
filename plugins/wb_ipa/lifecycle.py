"""A case's way through the analysis (IPA-1a): one step on, or back to an earlier step (a revisit, IPA-7).

The steps and the case records are `cases`; completing a case (``PETs complete``) also needs the case's
clustering board (`board`): at least one PET, and a snapshot of the board when the case locks. The
board's themes are made from the statements of a case, so `board` builds on `cases`; the step that
needs both lives here, above them, so neither imports the other back (docs/architecture-imports.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wb_ipa import board, cases
from wb_ipa import settings as settings_mod
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

__all__ = ["set_status"]


def set_status(project: Project, case: str, status: str) -> cases.Case:
    """Move a case one step on, or back to any earlier step (a revisit, logged: IPA-7).

    Completing (``PETs complete``) needs at least one PET, locks the case, snapshots its clustering
    board and closes it; changes afterwards are post-lock revisions.
    """
    if status not in cases.STATUSES:
        raise BadInputError(f"unknown status {status!r}; use one of: {', '.join(cases.STATUSES)}", "STATUS")
    found = cases.get(project, case)
    old, new = cases.STATUSES.index(found.status), cases.STATUSES.index(status)
    if new == old:
        raise BadInputError(f"{case} is already {status!r}", "STATUS")
    if found.status == cases.NOT_STARTED:
        raise BadInputError(f"start {case} first: `workbench ipa start DIR {case}`", "STATUS")
    if new > old + 1:
        step = cases.STATUSES[old + 1]
        raise BadInputError(
            f"{case} is {found.status!r}; the next step is {step!r} (one step at a time)", "STATUS"
        )
    if new == 0:
        raise BadInputError("a started case cannot go back to 'not started'", "STATUS")
    data = cases.data_of(found)
    event = "revisit" if new < old else "status"
    data["status"] = status
    if status == cases.COMPLETE:
        if not board.themes(project, case=case, levels=("pet",)):
            raise BadInputError(f"{case} has no PET yet; cluster its statements first", "STATUS")
        data["locked_at"] = data["locked_at"] or cases.now()
        event = "locked"
    data["history"] = [*data["history"], {"at": cases.now(), "event": event, "status": status}]
    cases.save(project, found, data, f"IPA case {case}: {status}")
    if status == cases.COMPLETE:
        board.snapshot(project, case, label=f"{case} PETs complete (locked)")
        if settings_mod.load(project).current_case == case:
            settings_mod.change(project, current_case=None)
    elif settings_mod.load(project).current_case != case and status in cases.OPEN_STATUSES:
        settings_mod.change(project, current_case=case)
    return cases.get(project, case)
