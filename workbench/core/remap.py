"""Carry anchors from one transcript version to its correction (CORE-4).

A correction never moves an anchor silently: offsets are carried through the
unchanged stretches found by a diff, and any anchor whose own text was touched
is flagged for the researcher to review.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Opcode:
    tag: str  # "equal", "replace", "delete", "insert"
    i1: int
    i2: int
    j1: int
    j2: int


def diff(old: str, new: str) -> list[Opcode]:
    """Character opcodes, computed line by line first so long transcripts stay fast."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_starts = _starts(old_lines)
    new_starts = _starts(new_lines)
    out: list[Opcode] = []
    for tag, a1, a2, b1, b2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        i1, i2, j1, j2 = old_starts[a1], old_starts[a2], new_starts[b1], new_starts[b2]
        if tag != "replace":
            out.append(Opcode(tag, i1, i2, j1, j2))
            continue
        matcher = SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
        for sub, c1, c2, d1, d2 in matcher.get_opcodes():
            out.append(Opcode(sub, i1 + c1, i1 + c2, j1 + d1, j1 + d2))
    return out


def _starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


class Remapper:
    """Maps [start, end) in the old text to the new text and says whether its text changed."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        self.opcodes = opcodes
        self._keys = [op.i1 for op in opcodes]

    def _point(self, offset: int, *, is_end: bool) -> int:
        index = max(bisect_right(self._keys, offset) - 1, 0)
        # An end offset belongs to the stretch it closes, not the one it opens.
        if is_end:
            while index > 0 and self.opcodes[index].i1 == offset and self.opcodes[index - 1].i2 == offset:
                index -= 1
        op = self.opcodes[index]
        if op.tag == "equal":
            return op.j1 + min(offset - op.i1, op.j2 - op.j1)
        return op.j2 if is_end else op.j1

    def changed(self, start: int, end: int) -> bool:
        for op in self.opcodes:
            if op.tag == "equal":
                continue
            if op.tag == "insert" and start < op.i1 < end:
                return True
            if op.tag in ("replace", "delete") and op.i1 < end and op.i2 > start:
                return True
        return False

    def map(self, start: int, end: int) -> tuple[int, int, bool]:
        """New (start, end) and whether the anchored text itself was changed."""
        new_start = self._point(start, is_end=False)
        new_end = self._point(end, is_end=True)
        if new_end <= new_start:
            return new_start, new_start, True
        return new_start, new_end, self.changed(start, end)
