"""Where the study stands on each step of its profile, and the profile's checklist (GT-1, 10.1 item 2).

The workbench shows entry and exit conditions but never enforces them; this module only *reads* the
project to say what evidence each step has so far ("12 initial codes, 3 in vivo") and which checklist
items are met. Skipped steps show their memo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench import Project

from .categories import LOCATION_KIND, PROPERTY_KIND
from .coding import has_gerund
from .collection import GUIDE_KIND
from .facts import COLLECTION_KIND, coding_facts
from .focused import focused_without_initials
from .memos import memo_stages
from .profiles import active_profile, skipped_steps
from .relations import gt_links
from .sampling import SAMPLING_KIND
from .vocab import CATEGORY_LEVELS, PARADIGM_SLOTS


def _codes(project: Project, *levels: str) -> list[dict[str, object]]:
    return [c for c in project.codes() if c["status"] == "active" and c["level"] in levels]


def _memos(project: Project, memo_type: str) -> int:
    return sum(1 for m in project.rows("memos") if m.get("type") == memo_type)


def _initial(project: Project) -> str:
    codes = _codes(project, "initial")
    vivo = sum(1 for c in codes if c["kind"] == "in-vivo")
    coded = sum(1 for s in project.sources() if s.get("status") == "coded")
    return f"{len(codes)} initial codes ({vivo} in vivo); {coded}/{len(project.sources())} transcripts coded"


_PROGRESS: dict[str, Callable[[Project], str]] = {
    "setup": lambda p: (
        f"{_memos(p, 'reflexive')} reflexive, {_memos(p, 'sensitising-concepts')} sensitising memos"
    ),
    "collection": lambda p: (
        f"{len(p.records(COLLECTION_KIND))}/{len(p.sources())} interviews logged; "
        f"{len(p.records(GUIDE_KIND))} guide versions"
    ),
    "initial-coding": _initial,
    "comparison": lambda p: f"{_memos(p, 'comparison')} comparison memos",
    "memos": lambda p: f"{len(p.rows('memos'))} memos",
    "focused-coding": lambda p: f"{len(_codes(p, 'focused'))} focused codes",
    "categories": lambda p: (
        f"{len(_codes(p, *CATEGORY_LEVELS))} categories, {len(p.records(PROPERTY_KIND))} properties, "
        f"{len(p.records(LOCATION_KIND))} located incidents"
    ),
    "axial": lambda p: (
        f"{sum(1 for link in gt_links(p) if link['relation'] in PARADIGM_SLOTS)} paradigm links"
    ),
    "theoretical-coding": lambda p: f"{len(gt_links(p))} relations",
    "sampling": lambda p: f"{len(p.records(SAMPLING_KIND))} sampling decisions",
    "saturation": lambda p: f"{_memos(p, 'saturation')} saturation memos",
    "diagrams": lambda p: f"{_memos(p, 'diagram')} diagram memos",
    "integration": lambda p: (
        f"{len(_codes(p, 'core'))} core categories, {_memos(p, 'storyline')} storyline memos"
    ),
    "audit": lambda p: f"{len(p.rows('snapshots'))} codebook snapshots",
}


@dataclass(frozen=True)
class StepStatus:
    id: str
    title: str
    description: str
    status: str


def steps(project: Project) -> list[StepStatus]:
    skipped = skipped_steps(project)
    out = []
    for step in active_profile(project).steps:
        done = _PROGRESS[step.id]
        status = f"skipped (memo {skipped[step.id]})" if step.id in skipped else done(project)
        out.append(StepStatus(step.id, step.title, step.description, status))
    return out


def _checks(project: Project) -> dict[str, Callable[[], bool]]:
    initial = _codes(project, "initial")
    categories = _codes(project, *CATEGORY_LEVELS)
    with_props = {r["data"]["category"] for r in project.records(PROPERTY_KIND)}
    links = gt_links(project)
    return {
        "reflexive-memo": lambda: _memos(project, "reflexive") > 0,
        "gerunds": lambda: (
            bool(initial) and 2 * sum(has_gerund(str(c["label"])) for c in initial) >= len(initial)
        ),
        "in-vivo": lambda: any(c["kind"] == "in-vivo" for c in project.codes()),
        "focused-lineage": lambda: bool(_codes(project, "focused")) and not focused_without_initials(project),
        "memo-stages": lambda: {"initial", "focused", "theoretical"} <= set(memo_stages(project).values()),
        "properties": lambda: bool(categories) and all(c["id"] in with_props for c in categories),
        "locations": lambda: bool(project.records(LOCATION_KIND)),
        "paradigm": lambda: any(link["relation"] in PARADIGM_SLOTS for link in links),
        "evidence": lambda: bool(links) and all(link.get("evidence") for link in links),
        "sampling": lambda: bool(project.records(SAMPLING_KIND)),
        "saturation-memo": lambda: _memos(project, "saturation") > 0,
        "literature-delayed": lambda: _memos(project, "sensitising-concepts") == 0,
        "incidents": lambda: (
            bool(coding_facts(project))
            and all(
                (project.get("codings", f.coding_id) or {}).get("unit") == "incident"
                for f in coding_facts(project)
            )
        ),
        "core": lambda: bool(_codes(project, "core")),
    }


def checklist(project: Project) -> list[tuple[bool, str]]:
    checks = _checks(project)
    return [(checks[ident](), text) for ident, text in active_profile(project).checklist]
