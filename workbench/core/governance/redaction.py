"""Redaction as a versioned transform (GOV-6, GOV-8, GOV-9).

A redaction never edits a transcript in place: the confirmed replacements produce a new
`TranscriptVersion` with reason ``redaction`` through `Project.correct_source`, so anchors are carried
across by diff and any anchor whose own words changed is flagged for review (CORE-4). Replacements are
visibly bracketed (``[NAME-2]``, ``[town]``, ``[Sarah]``); each one is logged — original, replacement,
location, reason, who, when — in the private anonymisation log, never in the store (`anonlog`).

The unredacted version is kept (so earlier citations trace) until `purge_unredacted`, run once the
redaction has been checked, removes its text and the undo entries that hold it, and rewrites the
project file without it (the same purge machinery as withdrawal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from workbench.core.errors import BadInputError, WorkbenchError
from workbench.core.governance import anonlog
from workbench.core.governance.identifiers import KINDS, Suggestion, scan_text
from workbench.core.model import ImportedTranscript

if TYPE_CHECKING:
    from workbench.core.project import Project


@dataclass(frozen=True)
class RedactionResult:
    version: str
    replaced: int
    flagged: int


def suggestions(project: Project, source_id: str, kinds: tuple[str, ...] = KINDS) -> list[Suggestion]:
    """Detection aids over the source's current text, numbered by position (1-based in listings)."""
    _vid, record = project.current_text(source_id)
    return scan_text(record.text, anonlog.names(project), kinds=kinds)


def _check_bracketed(replacement: str) -> None:
    if not (replacement.startswith("[") and replacement.endswith("]") and len(replacement) > 2):
        raise BadInputError(
            f"replacement {replacement!r} must be marked in brackets, e.g. [town] (GOV-8)", "--replacement"
        )


def redact(
    project: Project, source_id: str, replacements: Sequence[Suggestion], *, reason: str = "redaction"
) -> RedactionResult:
    """Apply confirmed replacements as one new version; log each in the anonymisation log."""
    if not replacements:
        raise BadInputError(
            "nothing to redact: confirm suggestions (--accept) or give --span/--find", source_id
        )
    old_vid, record = project.current_text(source_id)
    text = record.text
    ordered = sorted(replacements, key=lambda s: (s.start, s.end))
    for first, second in pairwise(ordered):
        if second.start < first.end:
            raise BadInputError(f"replacements overlap at {second.start}:{first.end}", source_id)
    for item in ordered:
        _check_bracketed(item.replacement)
        if not 0 <= item.start < item.end <= len(text):
            raise BadInputError(
                f"span {item.start}:{item.end} is outside the text (0:{len(text)})", source_id
            )
    pieces: list[str] = []
    cursor = 0
    for item in ordered:
        pieces += [text[cursor : item.start], item.replacement]
        cursor = item.end
    pieces.append(text[cursor:])
    new_text = "".join(pieces)
    vid, flagged = project.correct_source(source_id, ImportedTranscript(new_text), reason=reason)
    from workbench.core.project import _now

    when = _now()
    anonlog.append(
        project,
        [
            anonlog.LogEntry(
                source_id,
                old_vid,
                vid,
                s.start,
                s.end,
                text[s.start : s.end],
                s.replacement,
                s.kind,
                reason,
                project.actor,
                when,
            )
            for s in ordered
        ],
    )
    return RedactionResult(vid, len(ordered), flagged)


def find_all(project: Project, source_id: str, words: str, replacement: str) -> list[Suggestion]:
    """Every whole-word occurrence of `words` (case-insensitive) as manual replacements."""
    import re

    _check_bracketed(replacement)
    _vid, record = project.current_text(source_id)
    pattern = re.compile(r"(?<!\w)" + re.escape(words.strip()) + r"(?!\w)", re.IGNORECASE)
    found = [
        Suggestion(m.start(), m.end(), "manual", m.group(), replacement)
        for m in pattern.finditer(record.text)
    ]
    if not found:
        raise BadInputError(f"{words!r} does not occur in {source_id}", "--find")
    return found


def purge_unredacted(project: Project, source_id: str) -> int:
    """Remove the texts of the versions a redaction replaced (after checking); returns how many."""
    source = project.source(source_id)
    current = project.get("versions", source["version_id"]) or {}
    if current.get("reason") != "redaction":
        raise BadInputError(f"{source_id}'s current version is not a redaction", source_id)
    older = [
        v["id"] for v in project.rows("versions") if v["source_id"] == source_id and v["id"] != current["id"]
    ]
    anchored = {g["version_id"] for g in project.rows("segments")}
    linked = {
        ref.partition(":")[2]
        for table in ("memos", "records")
        for doc in project.rows(table)
        for ref in doc.get("links", [])
        if ref.startswith("version:")
    }
    stuck = sorted(set(older) & (anchored | linked))
    if stuck:
        raise BadInputError(f"segments or links still point at {', '.join(stuck)}", source_id)
    if not older:
        raise BadInputError(f"{source_id} has no unredacted version left to purge", source_id)
    with project.summary_operation(
        "gov.redact.purge", f"source:{source_id}", {"source": source_id, "versions": len(older)}
    ) as tx:
        for vid in older:
            tx.delete("texts", vid)
            tx.delete("versions", vid)
        project.clear_history(tx)
    project.forget_history()
    project.store.checkpoint()
    if (project.path / "journal.log").stat().st_size:
        raise WorkbenchError("project.json could not be rewritten; run the purge again", str(project.path))
    return len(older)
