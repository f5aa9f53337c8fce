"""Experiential statements (IPA-4): case-scoped, anchored to a segment, linked to their notes.

A statement is an ``ipa.statement`` record ``{case, source, version, start, end, text, key_words, notes,
cluster, excluded, reason, post_lock}`` linked to its source and the notes it was built from. It is *not*
a core code: core code labels are unique project-wide, so two participants' identical wordings would be
one code, which is exactly the automatic merging across cases that IPA-4b forbids. As records, identical
wordings in two cases stay two statements, each with its own anchor, and nothing is ever merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wb_ipa import cases, notes
from wb_ipa.anchors import Anchor, case_of_source, gist, line_range, locate, page_line, words
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

KIND = "ipa.statement"


@dataclass(frozen=True)
class Statement:
    id: str
    case: str
    anchor: Anchor
    text: str
    key_words: str
    notes: tuple[str, ...]
    cluster: str | None
    excluded: bool
    reason: str
    post_lock: tuple[dict[str, Any], ...]


def _statement(doc: dict[str, Any]) -> Statement:
    d = doc["data"]
    return Statement(
        doc["id"],
        d["case"],
        Anchor.from_json(d),
        d["text"],
        d.get("key_words", ""),
        tuple(d.get("notes", [])),
        d.get("cluster"),
        bool(d.get("excluded")),
        d.get("reason", ""),
        tuple(d.get("post_lock", [])),
    )


def add(
    project: Project,
    source_id: str,
    lines: str | None,
    text: str,
    *,
    note_ids: Sequence[str] = (),
    key_words: str = "",
    quote: str | None = None,
    link_overlapping: bool = False,
) -> str:
    """A new statement on tool lines `lines` (or an exact `quote`), linked to the notes it came from.

    Notes are named by id, or with `link_overlapping` every note of the case on the same span is taken.
    Notes of another case are refused: statements are case-scoped.
    """
    if not text.strip():
        raise BadInputError("a statement needs its wording", "TEXT")
    case_id = case_of_source(project, source_id)
    case = cases.check_writable(project, case_id)
    anchor = locate(project, source_id, lines, quote)
    linked = [notes.get(project, n) for n in note_ids]
    if link_overlapping:
        linked += [
            n
            for n in notes.all_notes(project, source=source_id)
            if n.anchor.version == anchor.version
            and n.anchor.start < anchor.end
            and anchor.start < n.anchor.end
            and n not in linked
        ]
    foreign = [n.id for n in linked if n.case != case_id]
    if foreign:
        raise BadInputError(
            f"notes {', '.join(foreign)} belong to another case; statements are case-scoped", "--note"
        )
    data = {
        "case": case_id,
        **anchor.to_json(),
        "text": text.strip(),
        "key_words": key_words.strip() or f'"{gist(words(project, anchor))}"',
        "notes": [n.id for n in linked],
        "cluster": None,
        "excluded": False,
        "reason": "",
        "post_lock": cases.post_lock_mark(case, "statement added"),
    }
    return project.add_record(
        KIND,
        data,
        links=[f"source:{source_id}", *(f"record:{n.id}" for n in linked)],
        summary=f"experiential statement on {source_id}",
    )


def get(project: Project, statement_id: str) -> Statement:
    doc = project.record(statement_id)
    if doc["kind"] != KIND:
        raise BadInputError(f"{statement_id} is not an experiential statement", statement_id)
    return _statement(doc)


def all_statements(
    project: Project, *, case: str | None = None, cases_: Sequence[str] | None = None
) -> list[Statement]:
    """Statements in chronological (transcript) order: source, then position (IPA-4c)."""
    found = [_statement(d) for d in project.records(KIND)]
    found = [s for s in found if (case is None or s.case == case) and (cases_ is None or s.case in cases_)]
    return sorted(found, key=lambda s: (s.case, s.anchor.source, s.anchor.start, s.anchor.end, int(s.id[1:])))


def update(project: Project, statement: Statement, what: str, **changes: Any) -> None:
    """Change a statement (one operation), marking it as a post-lock revision when its case is locked."""
    case = cases.check_writable(project, statement.case)
    doc = project.record(statement.id)
    data = {**doc["data"], **changes}
    data["post_lock"] = [*data.get("post_lock", []), *cases.post_lock_mark(case, what)]
    project.update_record(statement.id, data, summary=f"{what}: {statement.id}")


def discard(project: Project, statement_id: str, reason: str) -> None:
    """Exclude a statement from clustering with a reason (IPA-5e); it is kept, never deleted."""
    if not reason.strip():
        raise BadInputError("say why the statement is discarded", "--reason")
    found = get(project, statement_id)
    update(project, found, "discarded", excluded=True, reason=reason.strip(), cluster=None)


def restore(project: Project, statement_id: str) -> None:
    found = get(project, statement_id)
    if not found.excluded:
        raise BadInputError(f"{statement_id} is not discarded", statement_id)
    update(project, found, "restored", excluded=False, reason="")


def first_line(project: Project, statement: Statement) -> int:
    return int(line_range(project, statement.anchor)[0].ordinal)


def card(project: Project, statement: Statement) -> str:
    """One line for boards and pickers: wording, page:line and key words."""
    mark = " ✗ discarded" if statement.excluded else ""
    return f"{statement.text}  [{page_line(project, statement.anchor)}] {statement.key_words}{mark}"
