"""Relations between categories (GT-8 paradigm model, GT-9 theoretical coding) and the paradigm table.

A relation is a core `Link` (origin → target, typed, with evidence segments and a memo), exactly what the
REFI-QDA exchange format calls a link. For the paradigm model the *target* is the phenomenon (a category)
and the relation type is the paradigm slot that the origin fills (``conditions``, ``actions-interactions``,
``consequences``; or the 1990/1998 ``causal-conditions``, ``context``, ``intervening-conditions``); Glaser's
coding families are relation types too. A link without evidence is "asserted, not grounded": the table
says so and a validator warns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench import BadInputError, Project, TableData, natural_key

from .facts import segment_refs
from .memos import write_memo
from .profiles import paradigm_mode
from .vocab import PARADIGM_1990, PARADIGM_2008, PARADIGM_SLOTS, RELATION_IDS, SLOT_TITLES

Doc = dict[str, Any]


def relate(
    project: Project,
    origin: str,
    relation: str,
    target: str,
    *,
    evidence: Sequence[str] = (),
    memo: str | None = None,
    memo_text: str | None = None,
) -> str:
    """A typed link between two codes/categories with evidence segments; returns the link id."""
    if relation not in RELATION_IDS:
        raise BadInputError(f"unknown GT relation {relation!r}; use {', '.join(RELATION_IDS)}", "RELATION")
    origin_ref, target_ref = project.resolve_entity(origin), project.resolve_entity(target)
    for ref in (origin_ref, target_ref):
        if not ref.startswith("code:"):
            raise BadInputError(f"relations join codes or categories, not {ref}", "CODE")
    refs = segment_refs(project, evidence)
    memo_id = memo
    if memo_text:
        memo_id = write_memo(
            project,
            f"{_label(project, origin_ref)} —{relation}→ {_label(project, target_ref)}",
            memo_text,
            memo_type="theoretical",
            links=[origin_ref, target_ref, *refs],
            stage="theoretical",
        )
    return project.create_link(origin_ref, target_ref, relation, evidence=refs, memo=memo_id)


def paradigm(
    project: Project,
    phenomenon: str,
    slot: str,
    member: str,
    *,
    evidence: Sequence[str] = (),
    memo_text: str | None = None,
) -> str:
    """Put a category into a paradigm slot of a phenomenon (GT-8a)."""
    if slot not in PARADIGM_SLOTS:
        raise BadInputError(f"unknown paradigm slot {slot!r}; use {', '.join(PARADIGM_SLOTS)}", "SLOT")
    return relate(project, member, slot, phenomenon, evidence=evidence, memo_text=memo_text)


def _label(project: Project, ref: str) -> str:
    kind, _, ident = ref.partition(":")
    if kind == "code":
        return str((project.get("codes", ident) or {}).get("label", ident))
    return ref


def gt_links(project: Project) -> list[Doc]:
    """Links whose relation is a GT relation type, oldest first."""
    return sorted(
        (link for link in project.rows("links") if link["relation"] in RELATION_IDS),
        key=lambda d: natural_key(d["id"]),
    )


def relations_table(project: Project) -> TableData:
    """METHODS.md 2.4 #6: from | relation | to | evidence (n, ids) | memo."""
    rows = []
    for link in gt_links(project):
        evidence = link.get("evidence", [])
        ids = ", ".join(e.partition(":")[2] for e in evidence)
        rows.append(
            (
                link["id"],
                _label(project, link["origin"]),
                link["relation"],
                _label(project, link["target"]),
                f"{len(evidence)} ({ids})" if evidence else "0 — asserted, not grounded",
                str(link.get("memo") or "—").removeprefix("memo:"),
            )
        )
    return TableData(("Link", "From", "Relation", "To", "Evidence", "Memo"), tuple(rows), "Relations")


def paradigm_table(project: Project, options: Mapping[str, str]) -> TableData:
    """METHODS.md 2.4 #5: one row per phenomenon, one column per slot, cells = categories (evidence n)."""
    mode = options.get("mode") or paradigm_mode(project)
    if mode not in ("1990", "2008"):
        raise BadInputError("option mode is 1990 or 2008", "--option")
    slots = PARADIGM_1990 if mode == "1990" else PARADIGM_2008
    links = [link for link in gt_links(project) if link["relation"] in PARADIGM_SLOTS]
    phenomena = list(dict.fromkeys(link["target"] for link in links))
    rows = []
    for phenomenon in phenomena:
        cells: dict[str, list[str]] = {slot: [] for slot in slots}
        for link in links:
            if link["target"] != phenomenon:
                continue
            slot = link["relation"]
            if slot not in cells:  # 1990 slots fold into 2008's "conditions"; "conditions" shows as causal
                slot = "conditions" if mode == "2008" else "causal-conditions"
            n = len(link.get("evidence", []))
            note = f"{n} evidence" if n else "no evidence — asserted, not grounded"
            cells[slot].append(f"{_label(project, link['origin'])} ({note})")
        rows.append((_label(project, phenomenon), *("\n".join(cells[s]) or "—" for s in slots)))
    columns = ("Phenomenon", *(SLOT_TITLES[s] for s in slots))
    return TableData(columns, tuple(rows), f"Paradigm model ({mode} terms)")
