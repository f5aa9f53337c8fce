"""Accent folding that keeps offsets: `--ignore-accents` matches "cafe" in "café" and reports café's span.

Transcripts are stored in NFC, so an accented letter is usually one code point ("é") and folds to one
("e"): the folded text then has the same length and offsets carry over unchanged. Only text holding a
code point that folds to nothing (a combining mark with no precomposed form) or to several pays for
an offset map, built once per transcript version.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Folded", "fold", "fold_char"]


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """The character without its diacritics (NFD, combining marks dropped); ASCII is returned as is."""
    if char < "\x80":
        return char
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Folded:
    """Folded text and, where lengths changed, each folded offset's original offset (one extra at the end)."""

    text: str
    origin: array[int] | None = None

    def original(self, offset: int) -> int:
        return offset if self.origin is None else self.origin[offset]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded [start, end): from the first folded character's source to the end
        of the last one's (a ligature folded to two letters maps back to the whole ligature)."""
        if self.origin is None:
            return start, end
        last = self.origin[end - 1] if end > start else self.origin[start]
        return self.origin[start], last + 1 if end > start else last


def fold(text: str) -> Folded:
    table: dict[int, str] = {}
    uneven = False
    for char in set(text):
        if char >= "\x80":
            folded = fold_char(char)
            if folded != char:
                table[ord(char)] = folded
                uneven = uneven or len(folded) != 1
    if not uneven:
        return Folded(text.translate(table) if table else text)
    pieces: list[str] = []
    origin = array("q")
    for index, char in enumerate(text):
        folded = table.get(ord(char), char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(text))
    return Folded("".join(pieces), origin)
