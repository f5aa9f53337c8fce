"""Unitisation rules for an ICR round (ICR-5): how a transcript is cut into the units coders are compared on.

Campbell et al. (2013) recommend standardising units before measuring agreement on in-depth interviews,
so the pre-segmented rules are the default; the rule is frozen with the round, together with the spans
it produced, so a report can always say exactly what was compared.

* ``turn`` — each speaker turn's words (label left out); turns mapped as *interviewer* are not units,
  because questions are rarely coded and would inflate agreement on "neither coded".
* ``line`` — each non-blank tool line (TR-9), without a speaker label.
* ``sentence`` / ``paragraph`` — as the selection keys cut them (CORE-3).
* ``document`` — the whole source: code presence per document (ICR-5c).
* ``free`` — no units: coders select their own spans; agreement is NVivo-style character agreement
  and MAXQDA-style segment overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.core.model import Turn
from workbench.core.selection import line_span, paragraph_span, sentence_span, turn_span
from workbench.core.text import LineMap

UNIT_RULES = ("turn", "line", "sentence", "paragraph", "document", "free")
Span = tuple[int, int]


def _walk(text: str, cut: Callable[[int], Span]) -> list[Span]:
    """Spans a cursor-based unit function yields when moved from the start to the end of the text."""
    spans: list[Span] = []
    offset = 0
    while offset < len(text):
        start, end = cut(offset)
        if end <= offset:  # nothing ahead of the cursor: skip to the next non-blank
            offset += 1
            continue
        if end > start and (not spans or spans[-1] != (start, end)):
            spans.append((start, end))
        offset = end
    return spans


def units_of(rule: str, text: str, turns: Sequence[Turn], linemap: LineMap) -> list[Span]:
    """The units of one transcript version under `rule` (an empty list for ``free``)."""
    if rule == "free":
        return []
    if rule == "document":
        stripped = text.strip()
        start = text.find(stripped[:1]) if stripped else 0
        return [(start, start + len(stripped))] if stripped else []
    if rule == "turn":
        spoken = [t for t in turns if t.role != "interviewer"] if turns else []
        if not spoken:
            return _walk(text, lambda offset: paragraph_span(text, offset, turns))
        spans = [turn_span(turns, t.start, text) for t in spoken]
        return [s for s in spans if s[1] > s[0]]
    if rule == "line":
        spans = [line_span(linemap, line.start, text, turns) for line in linemap.lines]
        return sorted({s for s in spans if s[1] > s[0]})
    if rule == "paragraph":
        return _walk(text, lambda offset: paragraph_span(text, offset, turns))
    if rule == "sentence":
        return _walk(text, lambda offset: sentence_span(text, offset, turns))
    raise ValueError(rule)
