"""Where the analysis is among the six phases, and what the project shows of each.

Reflexive TA is recursive, not linear: a researcher returns to coding while reviewing themes, and the
method asks that this be visible. So moving to a phase (forwards or back) is recorded as an ``rta.phase``
record with an optional note, the current phase is the latest one entered, and nothing is enforced.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench import BadInputError, Project, WorkflowStep

from .themes import themes
from .vocab import PHASE_IDS, PHASES

KIND = "rta.phase"


@dataclass(frozen=True)
class PhaseProgress:
    """One phase with its status ("current", "visited" or "not yet") and what the project shows of it."""

    step: WorkflowStep
    status: str
    evidence: str


def step_of(phase_id: str) -> WorkflowStep:
    for step in PHASES:
        if step.id == phase_id:
            return step
    raise BadInputError(f"unknown phase {phase_id!r}; use one of {', '.join(PHASE_IDS)}", "PHASE")


def current_phase(project: Project) -> WorkflowStep:
    """The phase entered last (familiarisation before any is entered)."""
    moves = project.records(KIND)
    return step_of(str(moves[-1]["data"]["phase"])) if moves else PHASES[0]


def enter_phase(project: Project, phase_id: str, note: str = "") -> str:
    """Record moving to `phase_id` (forwards or back); returns the record id."""
    step = step_of(phase_id.strip())
    current = current_phase(project)
    if project.records(KIND) and step.id == current.id:
        raise BadInputError(f"the analysis is already in phase {step.title!r}", "PHASE")
    return project.add_record(
        KIND,
        {"phase": step.id, "from": current.id, "note": note.strip()},
        summary=f"RTA phase: {step.title}",
    )


def _evidence(project: Project, phase_id: str) -> str:
    sources = project.sources()
    if phase_id == "familiarisation":
        noted = {
            ref.partition(":")[2]
            for memo in project.rows("memos")
            if memo["type"] == "familiarisation"
            for ref in memo["links"]
            if ref.startswith("source:")
        }
        done = sum(1 for s in sources if s["id"] in noted)
        return f"{done} of {len(sources)} transcripts have a familiarisation note"
    if phase_id == "coding":
        coded = sum(1 for s in sources if s.get("status") == "coded")
        active = sum(1 for c in project.codes() if c["status"] == "active")
        return f"{active} codes; {coded} of {len(sources)} transcripts marked coded"
    kept = themes(project, include_discarded=False)
    if phase_id == "generating":
        return f"{len(kept)} themes ({sum(1 for t in kept if t.status == 'candidate')} candidate)"
    if phase_id == "reviewing":
        reviewed = sum(1 for t in kept if t.status in ("reviewed", "defined"))
        discarded = len(themes(project)) - len(kept)
        return f"{reviewed} of {len(kept)} kept themes reviewed; {discarded} discarded"
    if phase_id == "defining":
        return f"{sum(1 for t in kept if t.status == 'defined')} of {len(kept)} kept themes defined"
    entries = sum(1 for memo in project.rows("memos") if memo["type"] == "reflexive")
    return f"{entries} reflexivity journal entries; export the rta-themes table for the report"


def progress(project: Project) -> list[PhaseProgress]:
    """Every phase, in order, with its status and evidence."""
    visited = {str(r["data"][key]) for r in project.records(KIND) for key in ("phase", "from")}
    current = current_phase(project).id
    rows: list[PhaseProgress] = []
    for step in PHASES:
        status = "current" if step.id == current else "visited" if step.id in visited else "not yet"
        rows.append(PhaseProgress(step, status, _evidence(project, step.id)))
    return rows
