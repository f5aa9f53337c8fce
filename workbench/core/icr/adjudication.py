"""Closing a round and adjudicating its disagreements into the consensus layer (ICR-7).

Closing ends blind coding: the round's codings are fixed and every agreement is written to the
``consensus`` layer (the coders agreed, so nobody has to adjudicate it). Each disagreement is then
decided once — ``A``, ``B``, ``both``, ``neither`` or ``edit`` (another code and/or span) — as one
operation that writes the consensus codings, an ``icr.decision`` record (who, when, which choice, which
codings it produced) and, optionally, a resolution memo linked to both. When an ``edit`` introduces a
code that is not yet in the codebook, the code is created in the same operation and the decision links
to it: the codebook change log can then say which disagreement prompted which change (5.4 item 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.icr.compare import Disagreement, compare
from workbench.core.icr.rounds import CONSENSUS, add_coding, get_round, require_closed

if TYPE_CHECKING:
    from workbench.core.project import Project

DECISION_KIND = "icr.decision"
CHOICES = ("A", "B", "both", "neither", "edit")


@dataclass(frozen=True)
class Decision:
    id: str
    round: str
    key: str
    choice: str
    memo: str
    codings: tuple[str, ...]
    created_code: str
    decided_by: str
    time: str


def decisions(project: Project, round_id: str | None = None) -> list[Decision]:
    out = []
    for doc in project.records(DECISION_KIND):
        data = doc["data"]
        if round_id is not None and data["round"] != round_id:
            continue
        out.append(
            Decision(
                doc["id"],
                data["round"],
                data["key"],
                data["choice"],
                data.get("memo", ""),
                tuple(data.get("codings", [])),
                data.get("created_code", ""),
                doc["author"],
                doc["created_at"],
            )
        )
    return out


def close_round(project: Project, ref: str) -> int:
    """Close the round: codings fixed, agreements copied to the consensus layer; returns how many."""
    r = get_round(project, ref)
    if r.status != "open":
        raise BadInputError(f"round {r.name!r} is already closed", "ROUND")
    doc = project.record(r.id)
    opened = {**doc["data"], "status": "closed"}
    from workbench.core.project import _now

    opened["closed_at"] = _now()
    closed_round = type(r).from_record({**doc, "data": opened})
    comparison = compare(project, closed_round)
    added = 0
    with project._operation("icr.round.close", f"record:{r.id}", f"close ICR round {r.name!r}") as tx:
        tx.put("records", r.id, {**doc, "data": opened, "modified_at": _now()})
        for _source, vid, start, end, code_id in comparison.agreements:
            coding = add_coding(
                project,
                tx,
                vid,
                start,
                end,
                code_id,
                coder=project.actor,
                layer=CONSENSUS,
                unit=r.rule,
                any_coder=True,
            )
            added += coding is not None
    return added


def find_disagreement(project: Project, ref: str, key: str) -> Disagreement:
    r = get_round(project, ref)
    require_closed(r)
    items = compare(project, r).disagreements
    for index, item in enumerate(items, start=1):
        if key in (item.key, f"D{index}", str(index)):
            return item
    raise NotFoundError(
        f"no disagreement {key!r} in round {r.name!r} (see `workbench icr disagreements`)", "KEY"
    )


def decide(
    project: Project,
    ref: str,
    key: str,
    choice: str,
    *,
    memo: str = "",
    label: str | None = None,
    span: tuple[int, int] | None = None,
) -> str:
    """Resolve one disagreement into the consensus layer; returns the decision record id."""
    if choice not in CHOICES:
        raise BadInputError(f"unknown choice {choice!r}; use one of {', '.join(CHOICES)}", "CHOICE")
    r = get_round(project, ref)
    item = find_disagreement(project, ref, key)
    done = [d for d in decisions(project, r.id) if d.key == item.key]
    if done:
        raise BadInputError(f"{item.key} was already decided ({done[0].id}: {done[0].choice})", "KEY")
    if choice != "edit" and (label is not None or span is not None):
        raise BadInputError("--label and --chars go with the choice 'edit'", "CHOICE")
    text = project.text_record(item.version).text
    created_code = ""
    with project._operation(
        "icr.decide", f"record:{r.id}", f"adjudicate {item.key} in round {r.name}: {choice}"
    ) as tx:
        proposals: list[tuple[int, int, str]]
        if choice == "A":
            proposals = list(item.a_view)
        elif choice == "B":
            proposals = list(item.b_view)
        elif choice == "both":
            proposals = list(dict.fromkeys([*item.a_view, *item.b_view]))
        elif choice == "neither":
            proposals = []
        else:
            if label is None and span is None:
                raise BadInputError("an edit needs --label and/or --chars", "CHOICE")
            start, end = span or (item.start, item.end)
            if not 0 <= start < end <= len(text):
                raise BadInputError(f"span {start}:{end} is outside the text (0:{len(text)})", "--chars")
            code_id = item.code_id
            if label is not None:
                existing = project.find_code(label.strip(), ids=False)
                if existing is None:
                    created = project._create_code(tx, label.strip())
                    code_id = created_code = created["id"]
                else:
                    code_id = existing["id"]
            proposals = [(start, end, code_id)]
        codings = [
            coding
            for start, end, code_id in proposals
            if (
                coding := add_coding(
                    project,
                    tx,
                    item.version,
                    start,
                    end,
                    code_id,
                    coder=project.actor,
                    layer=CONSENSUS,
                    unit=r.rule if span is None else "character",
                    any_coder=True,
                )
            )
        ]
        links = [f"record:{r.id}", f"code:{item.code_id}", *(f"coding:{c}" for c in codings)]
        if created_code:
            links.append(f"code:{created_code}")
        memo_id = ""
        if memo.strip():
            memo_id = project._put_memo(
                tx,
                title=f"ICR {r.name}: {item.label} @ {item.source} {item.start}:{item.end}",
                body=memo,
                links=[f"record:{r.id}", f"code:{item.code_id}", *(f"coding:{c}" for c in codings)],
                memo_type="icr-resolution",
            )
            links.append(f"memo:{memo_id}")
        data: dict[str, Any] = {
            "round": r.id,
            "key": item.key,
            "choice": choice,
            "type": item.type,
            "code": item.code_id,
            "a": item.a,
            "b": item.b,
            "codings": codings,
            "memo": memo_id,
            "created_code": created_code,
        }
        from workbench.core.project import _now

        decision = project._new_id(tx, "R")
        tx.put(
            "records",
            decision,
            {
                "id": decision,
                "kind": DECISION_KIND,
                "data": data,
                "links": links,
                "author": project.actor,
                "created_at": _now(),
                "modified_at": _now(),
            },
        )
        tx.entity = f"record:{decision}"
    return decision
