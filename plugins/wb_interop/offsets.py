"""Which way another program counted a selection's characters, and where the selection lies in our text.

REFI-QDA says positions are Unicode code points from 0, end-exclusive, but real files differ: NVivo for
Windows counts UTF-16 code units (an emoji is 2), ATLAS.ti counts a CRLF line break as one character.
Where the text has neither characters outside the Basic Multilingual Plane nor CRLF, every convention
gives the same numbers and nothing needs deciding. Otherwise each convention is tried on every
selection of the source and scored: a selection whose name matches the text it would cover counts
heavily, one that starts and ends on word boundaries counts once. The best-scoring convention wins (the
writer's known habit breaks ties, then the standard). Each selection is then checked: one that falls
outside the text or splits a character is listed as unplaced, never moved.

Positions are finally mapped into the stored text, whose line breaks are LF only.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

CODEPOINTS = "code points"
CODEPOINTS_CRLF1 = "code points, CRLF as one"
UTF16 = "UTF-16 code units"
UTF16_CRLF1 = "UTF-16 code units, CRLF as one"
CONVENTIONS = (CODEPOINTS, UTF16, CODEPOINTS_CRLF1, UTF16_CRLF1)
_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    name: str = ""


class SourceText:
    """A source's text as the file had it, with maps from each counting convention to code points."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.crlf = [match.start() for match in _CRLF.finditer(raw)]
        self.astral = _ASTRAL.search(raw) is not None
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        self._utf16: dict[bool, list[int]] = {}

    @property
    def ambiguous(self) -> bool:
        return bool(self.crlf) or self.astral

    def _units(self, crlf_as_one: bool) -> list[int]:
        """cumulative UTF-16 length before each code point of the (optionally CRLF-collapsed) text."""
        if crlf_as_one not in self._utf16:
            text = self.raw.replace("\r\n", "\n") if crlf_as_one else self.raw
            starts = [0]
            total = 0
            for ch in text:
                total += 2 if ord(ch) > 0xFFFF else 1
                starts.append(total)
            self._utf16[crlf_as_one] = starts
        return self._utf16[crlf_as_one]

    def to_raw(self, position: int, convention: str) -> int | None:
        """A position under `convention` as a code-point index into `raw`, or None if it cannot be one."""
        if position < 0:
            return None
        crlf_as_one = convention in (CODEPOINTS_CRLF1, UTF16_CRLF1)
        if convention in (UTF16, UTF16_CRLF1):
            units = self._units(crlf_as_one)
            index = bisect.bisect_left(units, position)
            if index >= len(units) or units[index] != position:
                return None  # beyond the text, or half-way through a surrogate pair
            position = index
        if crlf_as_one:
            # position counts CRLF as one: add one for every CRLF that starts before it
            collapsed_len = len(self.raw) - len(self.crlf)
            if position > collapsed_len:
                return None
            before = 0
            lo, hi = 0, len(self.crlf)
            while lo < hi:  # number of CRLFs whose collapsed index is < position
                mid = (lo + hi) // 2
                if self.crlf[mid] - mid < position:
                    lo = mid + 1
                else:
                    hi = mid
            before = lo
            position += before
        return position if position <= len(self.raw) else None

    def to_text(self, raw_position: int) -> int:
        """A code-point index into `raw` as one into `text` (each CRLF there is one LF here)."""
        return raw_position - bisect.bisect_left(self.crlf, raw_position)

    def place(self, span: Span, convention: str) -> tuple[int, int] | None:
        """The span as [start, end) in `text`, or None when it cannot be placed exactly."""
        start = self.to_raw(span.start, convention)
        end = self.to_raw(span.end, convention)
        if start is None or end is None:
            return None
        a, b = self.to_text(start), self.to_text(end)
        if not 0 <= a < b <= len(self.text):
            return None
        return a, b

    def score(self, spans: Sequence[Span], convention: str) -> int:
        points = 0
        for span in spans:
            placed = self.place(span, convention)
            if placed is None:
                points -= 5
                continue
            a, b = placed
            covered = self.text[a:b]
            name = " ".join(span.name.split())
            if len(name) >= 4 and " ".join(covered.split()).startswith(name.rstrip(".… ")):
                points += 10
            if _boundary(self.text, a) and _boundary(self.text, b):
                points += 1
        return points

    def detect(self, spans: Sequence[Span], preferred: str = CODEPOINTS) -> str:
        """The convention the selections were most likely counted in."""
        if not self.ambiguous or not spans:
            return CODEPOINTS
        candidates = [CODEPOINTS, UTF16] if not self.crlf else list(CONVENTIONS)
        if not self.astral:
            candidates = [CODEPOINTS, CODEPOINTS_CRLF1]
        scores = {c: self.score(spans, c) for c in candidates}
        order = sorted(candidates, key=lambda c: (-scores[c], c != preferred, c != CODEPOINTS))
        return order[0]


def _boundary(text: str, index: int) -> bool:
    """True where a selection could sensibly start or end: at an edge, or between a word and a non-word."""
    if index <= 0 or index >= len(text):
        return True
    return text[index - 1].isalnum() != text[index].isalnum()


def preferred_for(origin: str) -> str:
    """The convention a writer is known to use, from the project's ``origin`` attribute."""
    lowered = origin.casefold()
    if "nvivo" in lowered:
        return UTF16
    if "atlas" in lowered:
        return CODEPOINTS_CRLF1
    return CODEPOINTS
