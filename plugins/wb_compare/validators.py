"""Non-blocking checks of a comparison workspace (METHODS.md 10.1 item 4), run by ``workbench check``.

They say nothing about ordinary projects (method other than "compare").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workbench import Finding, WorkbenchError

from . import mappings, overlap
from .workspace import METHOD, Comparison

if TYPE_CHECKING:
    from workbench import Project


def mapping_without_rationale(project: Project) -> Iterator[Finding]:
    if project.method != METHOD:
        return
    for m in mappings.all_mappings(project):
        if not m.rationale.strip():
            yield Finding(
                "warning", f"mapping {m.id} ({m.a_label} {m.symbol} {m.b_label}) has no rationale", m.id
            )


def refutation_without_explanation(project: Project) -> Iterator[Finding]:
    if project.method != METHOD:
        return
    for m in mappings.all_mappings(project):
        if m.relation == "refutes" and not str(m.refutation.get("explanation", "")).strip():
            yield Finding(
                "warning",
                f"refutation {m.id} ({m.a_label} ✕ {m.b_label}) has no possible explanation (CMP-8)",
                m.id,
            )


def studies_reachable(project: Project) -> Iterator[Finding]:
    """The linked studies open, are the projects linked, and whether they changed; plus the overlap flag."""
    if project.method != METHOD:
        return
    try:
        with Comparison(project) as comparison:
            for side in comparison.changed():
                yield Finding(
                    "info", f"study {side} has changed since the workspace linked it", f"study {side}"
                )
            flag = overlap.detect(comparison)
            if flag.flagged:
                yield Finding("warning", flag.describe(), "participant overlap")
    except WorkbenchError as exc:
        yield Finding("warning", f"the linked studies cannot be read: {exc}", "cmp.link")
