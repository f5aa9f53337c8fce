"""Exploratory notes (IPA-3a/3b): descriptive, linguistic, conceptual or free comments on lines.

Each note is an ``ipa.note`` record ``{case, source, version, start, end, type, text}`` linked to its
source; ``type`` is the letter D/L/C/F. Several notes may sit on one line. Notes are shown with their
letter prefix (``D: ...``) everywhere, and additionally with Smith et al.'s typographic style (normal,
italic, underlined) where the display can style text, so the type never depends on colour or style alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wb_ipa import cases
from wb_ipa.anchors import Anchor, case_of_source, line_range, locate
from wb_ipa.terminology import note_letter
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

KIND = "ipa.note"


@dataclass(frozen=True)
class Note:
    id: str
    case: str
    anchor: Anchor
    type: str
    text: str
    post_lock: tuple[dict[str, Any], ...] = ()

    @property
    def prefixed(self) -> str:
        return f"{self.type}: {self.text}"


def _note(doc: dict[str, Any]) -> Note:
    data = doc["data"]
    return Note(
        doc["id"],
        data["case"],
        Anchor.from_json(data),
        data["type"],
        data["text"],
        tuple(data.get("post_lock", [])),
    )


def add(
    project: Project,
    source_id: str,
    lines: str | None,
    note_type: str,
    text: str,
    *,
    quote: str | None = None,
) -> str:
    """Add one note on tool lines `lines` (or on an exact `quote`) of the source's current version."""
    if not text.strip():
        raise BadInputError("a note needs some text", "--text")
    letter = note_letter(note_type)
    case_id = case_of_source(project, source_id)
    case = cases.check_writable(project, case_id)
    anchor = locate(project, source_id, lines, quote)
    data = {
        "case": case_id,
        **anchor.to_json(),
        "type": letter,
        "text": text.strip(),
        "post_lock": cases.post_lock_mark(case, "note added"),
    }
    return project.add_record(
        KIND, data, links=[f"source:{source_id}"], summary=f"{letter} note on {source_id}"
    )


def all_notes(project: Project, *, case: str | None = None, source: str | None = None) -> list[Note]:
    """Notes in transcript order (source, then position)."""
    found = [_note(d) for d in project.records(KIND)]
    found = [
        n for n in found if (case is None or n.case == case) and (source is None or n.anchor.source == source)
    ]
    return sorted(found, key=lambda n: (n.anchor.source, n.anchor.start, n.anchor.end, int(n.id[1:])))


def get(project: Project, note_id: str) -> Note:
    doc = project.record(note_id)
    if doc["kind"] != KIND:
        raise BadInputError(f"{note_id} is not an exploratory note", note_id)
    return _note(doc)


def by_line(project: Project, source_id: str) -> dict[int, list[Note]]:
    """Current-version notes of a source keyed by the ordinal of their first line."""
    version, _record = project.current_text(source_id)
    out: dict[int, list[Note]] = {}
    for note in all_notes(project, source=source_id):
        if note.anchor.version != version:
            continue
        first, _last = line_range(project, note.anchor)
        out.setdefault(first.ordinal, []).append(note)
    return out
