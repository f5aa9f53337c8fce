"""Where IPA objects sit in a transcript: code-point spans on one version, shown as the tool's lines.

Notes, statements and extracts store ``source``, ``version``, ``start`` and ``end`` (code-point offsets,
as every core anchor). Lines and page:line citations are always computed from the version's frozen
`LineMap` (TR-9/TR-10), never stored, so a re-pagination moves every printed number together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, NotFoundError, format_citation

if TYPE_CHECKING:
    from workbench import Project

_RANGE = re.compile(r"^\s*([0-9]+)\s*(?:[-–]\s*([0-9]+))?\s*$")


@dataclass(frozen=True)
class Anchor:
    source: str
    version: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "version": self.version, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Anchor:
        return cls(str(data["source"]), str(data["version"]), int(data["start"]), int(data["end"]))


def parse_lines(value: str, where: str = "--lines") -> tuple[int, int]:
    """``A-B`` or ``A`` (tool line numbers, inclusive)."""
    match = _RANGE.match(value)
    if match is None:
        raise BadInputError(f"expected line numbers A-B, got {value!r}", where)
    first = int(match[1])
    last = int(match[2] or first)
    if last < first:
        raise BadInputError(f"line range {value!r} runs backwards", where)
    return first, last


def from_lines(project: Project, source_id: str, lines: str) -> Anchor:
    """The span of the tool lines `lines` on the source's current version, speaker label excluded."""
    first, last = parse_lines(lines)
    version, _record = project.current_text(source_id)
    start, end = project.span_of_lines(source_id, first, last)
    return Anchor(source_id, version, start, end)


def from_quote(project: Project, source_id: str, quote: str) -> Anchor:
    """The span of an exact quote in the source's current version (it must occur exactly once)."""
    version, record = project.current_text(source_id)
    text: str = record.text
    at = text.find(quote)
    if not quote.strip() or at < 0:
        raise BadInputError(f"the quote is not in {source_id}: {quote[:40]!r}", "--quote")
    if text.find(quote, at + 1) >= 0:
        raise BadInputError(f"the quote occurs more than once in {source_id}; quote more words", "--quote")
    return Anchor(source_id, version, at, at + len(quote))


def locate(project: Project, source_id: str, lines: str | None, quote: str | None) -> Anchor:
    """Tool lines (``--lines``) or an exact quote (``--quote``): one of the two is needed."""
    if (lines is None) == (quote is None):
        raise BadInputError("give either --lines A-B or --quote TEXT", "--lines")
    return (
        from_lines(project, source_id, lines)
        if lines is not None
        else from_quote(project, source_id, quote or "")
    )


def case_of_source(project: Project, source_id: str) -> str:
    """The participant (case) a source belongs to; repeat interviews are further sources of one case."""
    source = project.source(source_id)
    participant = source.get("participant_id")
    if not participant:
        raise NotFoundError(f"source {source_id} has no participant", source_id)
    return str(participant)


def sources_of_case(project: Project, case: str) -> list[str]:
    return [s["id"] for s in project.sources() if s.get("participant_id") == case]


def pseudonym(project: Project, case: str) -> str:
    doc = next((p for p in project.participants() if p["id"] == case), None)
    return str(doc.get("pseudonym") or case) if doc else case


def line_range(project: Project, anchor: Anchor) -> tuple[Any, Any]:
    """First and last `Line` of the anchor on its own version's line map."""
    record = project.text_record(anchor.version)
    return record.linemap.lines_of_span(anchor.start, anchor.end)


def page_line(project: Project, anchor: Anchor) -> str:
    """ "4:112–114" (or "4:112"; across pages "4:118–5:3")."""
    first, last = line_range(project, anchor)
    if first.ordinal == last.ordinal:
        return f"{first.page}:{first.number}"
    if first.page != last.page:
        return f"{first.page}:{first.number}–{last.page}:{last.number}"
    return f"{first.page}:{first.number}–{last.number}"


def citation(project: Project, anchor: Anchor) -> str:
    """The project's citation style (TR-11), e.g. "Helen, 4:112–118"."""
    record = project.text_record(anchor.version)
    case = case_of_source(project, anchor.source)
    return format_citation(
        record.linemap, anchor.start, anchor.end, pseudonym(project, case), case, project.citation_template()
    )


def words(project: Project, anchor: Anchor) -> str:
    """The anchored text as one line (line breaks collapsed)."""
    text: str = project.text_record(anchor.version).text
    return " ".join(text[anchor.start : anchor.end].split())


def gist(text: str, limit: int = 8) -> str:
    """The first `limit` words, with an ellipsis when cut: a card's key words by default."""
    parts = text.split()
    return " ".join(parts[:limit]) + (" …" if len(parts) > limit else "")
