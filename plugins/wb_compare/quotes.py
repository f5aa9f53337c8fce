"""First-order material: participants' words as quotes with their citations, read from a source project.

The workspace never copies a participant's words: a mapping's evidence is stored as a *reference* into
its source project (``segment:G12`` for a coded segment, ``extract:V3:1832-1948!1915-1948`` for an IPA
extract with an omission) plus its citation, and the words are read from the source, read-only, whenever a
view or an export needs them. Speaker labels are dropped from quotes (they are structure, not speech).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, format_citation

if TYPE_CHECKING:
    from workbench import Project

ELLIPSIS = "[…]"
_EXTRACT = re.compile(r"^extract:([A-Za-z0-9]+):([0-9]+)-([0-9]+)((?:![0-9]+-[0-9]+)*)$")


@dataclass(frozen=True)
class Quote:
    ref: str  # where the words are, in the source project (see the module docstring)
    text: str
    citation: str  # "Alex, 2:41–42" in the source project's citation style
    participant: str  # the source project's study ID; never compared with the other study's IDs

    def cited(self) -> str:
        return f'"{self.text}" ({self.citation})'


def extract_ref(version: str, start: int, end: int, omit: list[list[int]] | None = None) -> str:
    cuts = "".join(f"!{int(a)}-{int(b)}" for a, b in omit or [])
    return f"extract:{version}:{int(start)}-{int(end)}{cuts}"


class QuoteReader:
    """Reads quotes from one (read-only) project; caches line maps and participant names per version."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.template = project.citation_template()
        self._who: dict[str, tuple[str, str]] = {}

    def _speaker(self, version_id: str) -> tuple[str, str]:
        """(participant study ID, pseudonym) of the source a transcript version belongs to."""
        cached = self._who.get(version_id)
        if cached is None:
            version = self.project.get("versions", version_id) or {}
            source = self.project.get("sources", str(version.get("source_id", ""))) or {}
            participant = self.project.participant_of(source) if source else None
            pid = str((participant or {}).get("id", ""))
            cached = (pid, str((participant or {}).get("pseudonym") or source.get("title") or pid or "?"))
            self._who[version_id] = cached
        return cached

    def span(self, version_id: str, start: int, end: int, omit: list[list[int]] | None = None) -> Quote:
        record = self.project.text_record(version_id)
        pid, pseudonym = self._speaker(version_id)
        text = _words(record.text, record.turns, start, end, omit or [])
        citation = format_citation(record.linemap, start, end, pseudonym, pid, self.template)
        return Quote(extract_ref(version_id, start, end, omit), text, citation, pid)

    def segment(self, segment_id: str) -> Quote:
        segment = self.project.get("segments", segment_id)
        if segment is None:
            raise BadInputError(f"no segment {segment_id!r} in {self.project.title!r}", "evidence")
        quote = self.span(segment["version_id"], int(segment["start"]), int(segment["end"]))
        return Quote(f"segment:{segment_id}", quote.text, quote.citation, quote.participant)

    def resolve(self, ref: str) -> Quote:
        """The quote a stored reference points at (a `BadInputError` if it no longer exists)."""
        if ref.startswith("segment:"):
            return self.segment(ref.removeprefix("segment:"))
        match = _EXTRACT.match(ref)
        if match is None:
            raise BadInputError(f"not a quote reference: {ref!r}", "evidence")
        omit = [[int(a), int(b)] for a, b in re.findall(r"!([0-9]+)-([0-9]+)", match[4])]
        try:
            return self.span(match[1], int(match[2]), int(match[3]), omit)
        except Exception as exc:  # a version or span that is gone: say which reference, not a traceback
            raise BadInputError(
                f"quote {ref!r} cannot be read from {self.project.title!r}: {exc}", "evidence"
            ) from None


def _words(text: str, turns: Any, start: int, end: int, omit: list[list[int]]) -> str:
    """The quoted words: speaker labels at turn starts dropped, omissions as […], whitespace tidied."""
    pieces: list[str] = []
    inside = [t for t in turns if t.start < end and t.end > start] or [None]
    for turn in inside:
        a = start if turn is None else max(start, turn.start)
        b = end if turn is None else min(end, turn.end)
        if turn is not None and turn.label and a == turn.start:
            label = re.match(rf"\s*{re.escape(turn.label.strip())}\s*:\s*", text[a:b])
            if label:
                a += label.end()
        out: list[str] = []
        pos = a
        for cut_a, cut_b in sorted(omit):
            if cut_b <= a or cut_a >= b:
                continue
            out.append(text[pos : max(cut_a, pos)])
            out.append(f" {ELLIPSIS} ")
            pos = max(pos, min(cut_b, b))
        out.append(text[pos:b])
        part = " ".join("".join(out).split())
        if part:
            pieces.append(part)
    return " / ".join(pieces)
