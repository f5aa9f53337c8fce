"""Focused coding (GT-6): raising initial codes to focused codes, and the lineage table.

A focused code is a core code at level "focused". Promotion is either 1:1 (the initial code's level is
raised, `Project.set_code_level`) or n:1 (the initial codes are merged into the focused code,
`Project.merge_codes`, which snapshots the codebook first and leaves each initial code as a ``merged``
code with its history). Either way the core lineage records it and every coding remembers the code it was
made with (``merged_from``), so the lineage table can show, for each focused code, which initial codes it
came from *and their segments*. A ``gt.promotion`` record keeps the memo that explains the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench import BadInputError, Project, TableData, natural_key

from .facts import coding_facts, segment_view
from .memos import write_memo
from .vocab import CATEGORY_LEVELS

PROMOTION_KIND = "gt.promotion"


def promote(project: Project, initials: Sequence[str], target: str | None, *, memo: str | None = None) -> str:
    """Raise initial code(s) to a focused code; returns the focused code's id."""
    if not initials:
        raise BadInputError("name at least one initial code to promote", "CODES")
    docs = []
    for label in initials:
        doc = project.find_code(label)
        if doc is None:
            raise BadInputError(f"no active code {label!r} (see `workbench codes`)", "CODES")
        if doc["level"] != "initial":
            raise BadInputError(f"{doc['label']!r} is already at level {doc['level']}, not initial", "CODES")
        docs.append(doc)
    if len({d["id"] for d in docs}) != len(docs):
        raise BadInputError("name each initial code once", "CODES")
    target = target.strip() if target else None
    in_place = len(docs) == 1 and (target is None or target == docs[0]["label"])
    if not in_place and not target:
        raise BadInputError("promoting several codes merges them: name the focused code with --to", "--to")
    if not in_place:
        assert target is not None
        existing = project.find_code(target, ids=False)
        if existing is not None and existing["level"] not in ("initial", "focused"):
            raise BadInputError(f"{target!r} is a {existing['level']}, not a focused code", "--to")
        if (
            existing is not None
            and existing["level"] == "initial"
            and existing["id"] not in {d["id"] for d in docs}
        ):
            raise BadInputError(
                f"{target!r} is an initial code; promote it too, or choose a new label", "--to"
            )
    if in_place:
        project.set_code_level(docs[0]["label"], "focused")
        focused_id, operation = str(docs[0]["id"]), "promote"
    else:
        assert target is not None
        focused_id, operation = project.merge_codes([d["label"] for d in docs], target), "merge"
        if (project.get("codes", focused_id) or {}).get("level") != "focused":
            project.set_code_level(focused_id, "focused")
    links = [f"code:{focused_id}"]
    memo_id = None
    if memo:
        label = (project.get("codes", focused_id) or {}).get("label", focused_id)
        memo_id = write_memo(
            project,
            f"Focused code: {label}",
            memo,
            memo_type="focused",
            links=[f"code:{focused_id}", *(f"code:{d['id']}" for d in docs if d["id"] != focused_id)],
            stage="focused",
        )
        links.append(f"memo:{memo_id}")
    project.add_record(
        PROMOTION_KIND,
        {
            "focused": focused_id,
            "initial": [d["id"] for d in docs],
            "operation": operation,
            "memo": memo_id or "",
        },
        links=links,
        summary=f"promote {', '.join(d['label'] for d in docs)} to focused",
    )
    return focused_id


def category_of(project: Project, code: dict[str, Any]) -> str:
    """The nearest category (or core/subcategory) at or above the code, as a label; "" if none."""
    seen: set[str] = set()
    current: dict[str, Any] | None = code
    while current is not None and current["id"] not in seen:
        seen.add(current["id"])
        if current["level"] in CATEGORY_LEVELS:
            return str(current["label"])
        parent = current.get("parent_id")
        current = project.get("codes", parent) if parent else None
    return ""


def lineage_rows(project: Project) -> list[tuple[str, ...]]:
    """One row per (initial code → focused code) step, with the initial code's segments."""
    codes = {c["id"]: c for c in project.codes()}
    promotions = project.records(PROMOTION_KIND)
    facts = coding_facts(project)
    rows: list[tuple[str, ...]] = []

    def segments(focused_id: str, origin: str) -> str:
        cites = []
        for fact in facts:
            if fact.origin_code_id == origin and fact.code_id == focused_id:
                view = segment_view(project, fact.segment_id)
                cites.append(f"{fact.segment_id} ({view.citation})")
        return "; ".join(dict.fromkeys(cites)) or "—"

    def memo_for(focused_id: str, initial_id: str) -> str:
        for record in reversed(promotions):
            data = record["data"]
            if data["focused"] == focused_id and initial_id in data["initial"] and data.get("memo"):
                return str(data["memo"])
        return "—"

    for code in sorted(codes.values(), key=lambda c: natural_key(c["id"])):
        if code["status"] != "active":
            continue
        history = code.get("lineage", [])
        raised = code["level"] == "focused" or any(e.get("level") == "focused" for e in history)
        if not raised:
            continue
        category = category_of(project, code) or "—"
        found = False
        for event in history:
            date = str(event.get("time", ""))[:10]
            if event["event"] == "merge-in":
                for old_id in event.get("merged_from", []):
                    old = codes.get(old_id, {"label": old_id})
                    rows.append(
                        (
                            old["label"],
                            segments(code["id"], old_id),
                            code["label"],
                            category,
                            "merge",
                            date,
                            memo_for(code["id"], old_id),
                        )
                    )
                    found = True
            elif (
                event["event"] == "level"
                and event.get("level") == "focused"
                and event.get("previous_level") == "initial"
            ):
                if not any(e["event"] == "merge-in" for e in history):
                    rows.append(
                        (
                            code["label"],
                            segments(code["id"], code["id"]),
                            code["label"],
                            category,
                            "promote",
                            date,
                            memo_for(code["id"], code["id"]),
                        )
                    )
                    found = True
            elif event["event"] == "split-in":
                old = codes.get(event["split_from"], {"label": event["split_from"]})
                rows.append(
                    (
                        old["label"],
                        segments(code["id"], event["split_from"]),
                        code["label"],
                        category,
                        "split",
                        date,
                        "—",
                    )
                )
                found = True
        if not found:
            rows.append(
                (
                    "—",
                    segments(code["id"], code["id"]),
                    code["label"],
                    category,
                    "created as focused",
                    str(code.get("created_at", ""))[:10],
                    "—",
                )
            )
    return rows


def lineage_table(project: Project) -> TableData:
    columns = ("Initial code", "Segments", "→ Focused code", "→ Category", "Operation", "Date", "Memo")
    return TableData(columns, tuple(lineage_rows(project)), "Code lineage: initial → focused → category")


def focused_without_initials(project: Project) -> list[dict[str, Any]]:
    """Focused codes that no initial code was promoted or merged into (the validator's concern)."""
    out = []
    for code in project.codes():
        if code["status"] != "active" or code["level"] != "focused":
            continue
        history = code.get("lineage", [])
        if not any(
            e["event"] in ("merge-in", "split-in")
            or (e["event"] == "level" and e.get("previous_level") == "initial")
            for e in history
        ):
            out.append(code)
    return out
