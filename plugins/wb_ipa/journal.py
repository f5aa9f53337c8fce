"""Reading log (IPA-2) and reflexive journal (IPA-1c, IPA-10a), both kept as core memos.

A reading pass is a memo of type ``reading-log`` linked to the source and its participant; the pass
counter is the number of such memos on the source, so it cannot drift from the log. Reflexive entries
are memos of type ``reflexive``, dated by the memo itself and linkable to cases, themes or anything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wb_ipa.anchors import case_of_source
from wb_ipa.terminology import READING_LOG, REFLEXIVE
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project


def reading_passes(project: Project, source_id: str) -> int:
    """How many reading passes are logged for the source."""
    ref = f"source:{source_id}"
    return sum(1 for m in project.rows("memos") if m.get("type") == READING_LOG and ref in m.get("links", ()))


def log_reading(project: Project, source_id: str, impressions: str) -> tuple[str, int]:
    """Log one more reading pass with its impressions; returns the memo id and the pass number."""
    case = case_of_source(project, source_id)
    number = reading_passes(project, source_id) + 1
    memo = project.write_memo(
        f"Reading pass {number}: {case} ({source_id})",
        impressions,
        links=[f"source:{source_id}", f"participant:{case}"],
        memo_type=READING_LOG,
    )
    return memo, number


def reflect(
    project: Project, body: str, *, case: str | None = None, title: str = "", links: Sequence[str] = ()
) -> str:
    """Write a reflexive journal entry (linked to the case and anything else named)."""
    if not body.strip():
        raise BadInputError("a reflexive entry needs some text", "--body")
    refs = [*([f"participant:{case}"] if case else []), *links]
    heading = title or f"Reflexive note{f' ({case})' if case else ''}"
    return project.write_memo(heading, body, links=refs, memo_type=REFLEXIVE)


def entries(project: Project) -> list[dict[str, Any]]:
    """Reflexive memos, oldest first."""
    memos = [m for m in project.rows("memos") if m.get("type") == REFLEXIVE]
    return sorted(memos, key=lambda m: (m.get("created_at", ""), int(str(m["id"])[1:])))
