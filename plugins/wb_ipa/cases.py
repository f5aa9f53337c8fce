"""Cases and their status machine (IPA-1a), the open case and bracketing (IPA-1b), case order (IPA-1d).

A case is a participant (P01, ...); all of a participant's sources belong to the case, so repeat
interviews (longitudinal IPA, IPA-0) are simply further sources. Each case that has been started has one
``ipa.case`` record: ``{participant, status, order, locked_at, history: [...]}``. Its ``history`` logs
every status change, the "before next case" prompt (answered or skipped, IPA-1c) and revisits of locked
cases (IPA-7), so the order and rhythm of analysis are part of the audit trail.

Bracketing: while a case is open (the recorded current case, status between *reading* and *clustering*),
the plugin's listings, pickers and screens show only that case's notes, statements and PETs. Writing to
another case is refused, except to a case already locked, where the change is a logged post-lock revision.

Moving a case from step to step is `lifecycle.set_status`: completing a case needs its clustering board,
which builds on this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from wb_ipa import settings as settings_mod
from workbench import BadInputError, NotFoundError

if TYPE_CHECKING:
    from workbench import Project

KIND = "ipa.case"
NOT_STARTED = "not started"
COMPLETE = "PETs complete"
STATUSES = (NOT_STARTED, "reading", "noting", "statements", "clustering", COMPLETE)
OPEN_STATUSES = STATUSES[1:-1]
REVISIT_STATUS = "clustering"  # where a completed case reopens: its board, notes and statements stay
BEFORE_NEXT_CASE = "What from the last case might I be carrying into this one?"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Case:
    participant: str
    pseudonym: str
    status: str = NOT_STARTED
    order: int | None = None
    locked_at: str | None = None
    record: str | None = None
    history: tuple[dict[str, Any], ...] = field(default=())

    @property
    def locked(self) -> bool:
        """Ever completed: changes from now on are post-lock revisions (IPA-6)."""
        return self.locked_at is not None


def all_cases(project: Project) -> list[Case]:
    """Every participant as a case, with its recorded status (not started when never opened)."""
    records = {r["data"]["participant"]: r for r in project.records(KIND)}
    out = []
    for participant in project.participants():
        pid = participant["id"]
        doc = records.get(pid)
        data = doc["data"] if doc else {}
        out.append(
            Case(
                pid,
                str(participant.get("pseudonym") or pid),
                data.get("status", NOT_STARTED),
                data.get("order"),
                data.get("locked_at"),
                doc["id"] if doc else None,
                tuple(data.get("history", [])),
            )
        )
    return out


def get(project: Project, case: str) -> Case:
    for found in all_cases(project):
        if found.participant == case:
            return found
    raise NotFoundError(f"no case {case!r} (cases are participants: see `workbench ipa cases`)", "CASE")


def find(project: Project, name: str) -> Case:
    """The case called `name`: its participant id (``P01``) or its pseudonym (``Helen``), any letter case.

    An id wins over a pseudonym; a pseudonym shared by two participants is refused with both ids, so the
    researcher can type the one they mean.
    """
    wanted = name.strip().casefold()
    every = all_cases(project)
    by_id = [c for c in every if c.participant.casefold() == wanted]
    if by_id:
        return by_id[0]
    by_name = [c for c in every if c.pseudonym.casefold() == wanted]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        both = ", ".join(f"{c.participant}" for c in by_name)
        raise BadInputError(f"{len(by_name)} cases are called {name.strip()!r} ({both}); type the id")
    known = ", ".join(f"{c.participant} {c.pseudonym}" for c in every) or "none yet"
    raise NotFoundError(f"no case is called {name.strip()!r}; the cases are: {known}")


def next_status(case: Case) -> str | None:
    """The step after the case's current one (None once its PETs are complete)."""
    at = STATUSES.index(case.status)
    return STATUSES[at + 1] if at + 1 < len(STATUSES) else None


def current(project: Project) -> Case | None:
    """The open case, if any (the recorded current case while its status is reading..clustering)."""
    chosen = settings_mod.load(project).current_case
    if chosen is None:
        return None
    found = next((c for c in all_cases(project) if c.participant == chosen), None)
    return found if found is not None and found.status in OPEN_STATUSES else None


def visible_cases(project: Project, *, show_all: bool = False) -> list[str] | None:
    """Cases whose objects listings may show: only the open case under bracketing, else None (= all)."""
    if show_all or not settings_mod.load(project).bracketing:
        return None
    open_case = current(project)
    return [open_case.participant] if open_case else None


def check_visible(project: Project, case: str, *, show_all: bool = False) -> None:
    """Refuse to list another case's work while a case is open and bracketing is on (IPA-1b)."""
    visible = visible_cases(project, show_all=show_all)
    if visible is not None and case not in visible:
        raise BadInputError(
            f"bracketing: {visible[0]} is open, so {case}'s work is hidden; add --all to look anyway",
            "--case",
        )


def check_writable(project: Project, case: str) -> Case:
    """A case may be changed when it is the open case, or locked (a post-lock revision), or unbracketed."""
    found = get(project, case)
    if found.status == NOT_STARTED:
        raise BadInputError(f"case {case} has not been started; run `workbench ipa start DIR {case}`", case)
    if found.locked:
        return found
    config = settings_mod.load(project)
    open_case = current(project)
    if config.bracketing and open_case is not None and open_case.participant != case:
        raise BadInputError(
            f"bracketing: {open_case.participant} is the open case; finish it or "
            f"`workbench ipa start DIR {case}` to switch",
            case,
        )
    return found


def post_lock_mark(case: Case, what: str) -> list[dict[str, Any]]:
    """The revision entry to store on an object changed after its case was locked (empty otherwise)."""
    return [{"at": now(), "what": what}] if case.locked else []


def save(project: Project, case: Case, data: dict[str, Any], summary: str) -> None:
    """Store the case's record `data` (made with `data_of`) as one operation, creating the record if new."""
    if case.record is None:
        project.add_record(KIND, data, links=[f"participant:{case.participant}"], summary=summary)
    else:
        project.update_record(case.record, data, summary=summary)


def data_of(case: Case) -> dict[str, Any]:
    """The case's record as stored, to change and `save`."""
    return {
        "participant": case.participant,
        "status": case.status,
        "order": case.order,
        "locked_at": case.locked_at,
        "history": list(case.history),
    }


def start(project: Project, case: str, *, reflexive: str | None = None, skip: bool = False) -> Case:
    """Open a case (status reading if new), record its place in the order, offer the reflexive prompt.

    A case whose PETs are complete reopens as a logged revisit (IPA-7) at status clustering, so it is
    really the open case afterwards; it stays locked, so changes to it are post-lock revisions.

    The "before next case" prompt (IPA-1c) is offered whenever another case has been worked on before:
    ``reflexive`` answers it with a reflexive memo linked to the case, ``skip`` declines it; either way,
    and also when it is left unanswered, the history records what happened.
    """
    from wb_ipa import journal

    found = get(project, case)
    cases = all_cases(project)
    previous = [c for c in cases if c.order is not None and c.participant != case]
    data = data_of(found)
    events: list[dict[str, Any]] = []
    if found.status == NOT_STARTED:
        data["status"] = "reading"
        events.append({"at": now(), "event": "started", "status": "reading"})
    elif found.status == COMPLETE:
        # A revisit after cross-case work (IPA-7): the case opens at its last working step, stays locked
        # (later changes are post-lock revisions) and counts as complete again once marked so.
        data["status"] = REVISIT_STATUS
        events.append({"at": now(), "event": "revisit", "status": REVISIT_STATUS})
    else:
        events.append({"at": now(), "event": "reopened", "status": found.status})
    if found.order is None:
        data["order"] = max((c.order or 0 for c in cases), default=0) + 1
    if previous or reflexive:
        if reflexive:
            memo = journal.reflect(
                project, reflexive, case=case, title=f"Before starting {case}: {BEFORE_NEXT_CASE}"
            )
            events.append({"at": now(), "event": "before-next-case answered", "memo": memo})
        else:
            events.append(
                {"at": now(), "event": "before-next-case skipped" if skip else "before-next-case offered"}
            )
    data["history"] = [*data["history"], *events]
    save(project, found, data, f"start IPA case {case}")
    settings_mod.change(project, current_case=case)
    return get(project, case)


def cross_case_ready(project: Project) -> tuple[bool, str]:
    """Whether cross-case work may start (IPA-1a: two complete cases, or all when so configured)."""
    cases = all_cases(project)
    done = [c for c in cases if c.status == COMPLETE]
    rule = settings_mod.load(project).cross_case_unlock
    needed = len(cases) if rule == "all" else 2
    if len(done) >= needed:
        return True, ""
    return False, (
        f"cross-case analysis opens when {needed} cases are {COMPLETE!r} ({len(done)} so far: "
        f"{', '.join(c.participant for c in done) or 'none'})"
    )
