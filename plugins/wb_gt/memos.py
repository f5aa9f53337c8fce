"""Typed memos at every stage (GT-5) and the memo audit trail.

Memos are core memos (dated, authored, versioned, never deleted) with a GT memo type. The *stage* a memo
belongs to (set-up, initial, focused, theoretical) is what shows that memo-writing went on at every stage,
so `write_memo` records it in a ``gt.memo-stage`` record: the stage the researcher names, else the stage the
analysis is in when the memo is written (theoretical once a category exists, focused once a focused code
exists, initial otherwise). Memos written outside the plugin get the stage their type implies, else
"initial".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench import BadInputError, Project, TableData

from .vocab import CATEGORY_LEVELS, MEMO_TYPE_IDS, STAGES, TYPE_STAGE

STAGE_KIND = "gt.memo-stage"


def current_stage(project: Project) -> str:
    levels = {c["level"] for c in project.codes() if c["status"] == "active"}
    if levels & set(CATEGORY_LEVELS):
        return "theoretical"
    if "focused" in levels:
        return "focused"
    if project.rows("codings"):
        return "initial"
    return "set-up"


def write_memo(
    project: Project,
    title: str,
    body: str,
    *,
    memo_type: str,
    links: Sequence[str] = (),
    stage: str | None = None,
) -> str:
    """A GT memo of a known type, with its stage recorded; returns the memo id."""
    if memo_type not in MEMO_TYPE_IDS:
        raise BadInputError(f"unknown GT memo type {memo_type!r}; use {', '.join(MEMO_TYPE_IDS)}", "--type")
    if stage is not None and stage not in STAGES:
        raise BadInputError(f"unknown stage {stage!r}; use {', '.join(STAGES)}", "--stage")
    if not body.strip():
        raise BadInputError("the memo is empty", "--body")
    chosen = stage or current_stage(project)
    memo = project.write_memo(title, body, links=list(links), memo_type=memo_type)
    project.add_record(
        STAGE_KIND,
        {"memo": memo, "stage": chosen},
        links=[f"memo:{memo}"],
        summary=f"{memo} at {chosen} stage",
    )
    return memo


def memo_stages(project: Project) -> dict[str, str]:
    """Memo id -> stage, for every memo."""
    recorded = {str(r["data"]["memo"]): str(r["data"]["stage"]) for r in project.records(STAGE_KIND)}
    return {
        memo["id"]: recorded.get(memo["id"]) or TYPE_STAGE.get(str(memo.get("type")), "initial")
        for memo in project.rows("memos")
    }


def _memo_key(memo: dict[str, Any], stages: dict[str, str]) -> tuple[str, int, int]:
    return (str(memo["created_at"]), STAGES.index(stages[memo["id"]]), int(memo["id"][1:]))


def trail(project: Project) -> TableData:
    """Memo audit trail (METHODS.md 2.4 #8): date | memo id | type | title | links | stage | words."""
    stages = memo_stages(project)
    memos = sorted(project.rows("memos"), key=lambda m: _memo_key(m, stages))
    rows = tuple(
        (
            str(m["created_at"])[:10],
            m["id"],
            str(m.get("type", "")),
            m["title"],
            ", ".join(m.get("links", [])) or "—",
            stages[m["id"]],
            str(len(m["body"].split())),
        )
        for m in memos
    )
    return TableData(
        ("Date", "Memo", "Type", "Title", "Linked entities", "Stage", "Words"), rows, "Memo audit trail"
    )
