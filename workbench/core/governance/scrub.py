"""Find a withdrawn participant's words inside other text and replace them with ``[withdrawn]``.

Quotes in memos, in-vivo code labels, snapshot labels and plugin records can all carry a participant's
words. A quote is recognised without relying on quotation marks: any run of `GRAM` or more words that
appears, in that order, in one of the withdrawn transcripts — and in none of the retained ones, so the
interviewer's questions shared by every interview are left alone — is replaced by ``[withdrawn]``.
Shorter stretches are caught when they stand in quotation marks. The pseudonym (and any other name
given) is replaced wherever it stands as a whole word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

WITHDRAWN = "[withdrawn]"
GRAM = 5
WORD = re.compile(r"\w+(?:['’]\w+)*")
QUOTED = re.compile(r"[\"“‘']([^\"“”‘’']{3,}?)[\"”’']")


def _words(text: str) -> list[str]:
    return [m.group().casefold() for m in WORD.finditer(text)]


def _grams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class Scrubber:
    """Built once per withdrawal from the withdrawn texts, the retained texts and the names to hide."""

    def __init__(self, withdrawn: Iterable[str], retained: Iterable[str], names: Iterable[str] = ()) -> None:
        withdrawn = list(withdrawn)
        retained = list(retained)
        kept: set[tuple[str, ...]] = set()
        for text in retained:
            kept |= _grams(_words(text), GRAM)
        self.grams: set[tuple[str, ...]] = set()
        for text in withdrawn:
            self.grams |= _grams(_words(text), GRAM)
        self.grams -= kept
        self._withdrawn_flat = [" ".join(_words(t)) for t in withdrawn]
        self._retained_flat = [" ".join(_words(t)) for t in retained]
        unique = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
        self._names = [re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)", re.IGNORECASE) for n in unique]
        self.hits = 0

    def _quoted_hit(self, quote: str) -> bool:
        flat = " ".join(_words(quote))
        if not flat:
            return False
        padded = f" {flat} "
        return any(padded in f" {t} " for t in self._withdrawn_flat) and not any(
            padded in f" {t} " for t in self._retained_flat
        )

    def text(self, value: str) -> str:
        """`value` with withdrawn words replaced (unchanged, and cheap, when none occur)."""
        if not value:
            return value
        tokens = list(WORD.finditer(value))
        marked = [False] * len(tokens)
        words = [t.group().casefold() for t in tokens]
        for i in range(len(tokens) - GRAM + 1):
            if tuple(words[i : i + GRAM]) in self.grams:
                for j in range(i, i + GRAM):
                    marked[j] = True
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            if marked[i]:
                j = i
                while j + 1 < len(tokens) and marked[j + 1]:
                    j += 1
                spans.append((tokens[i].start(), tokens[j].end()))
                i = j + 1
            else:
                i += 1
        for match in QUOTED.finditer(value):
            if self._quoted_hit(match.group(1)):
                spans.append((match.start(1), match.end(1)))
        out = value
        for start, end in sorted(_merge(spans), reverse=True):
            out = out[:start] + WITHDRAWN + out[end:]
            self.hits += 1
        for pattern in self._names:
            out, count = pattern.subn(WITHDRAWN, out)
            self.hits += count
        return out

    def deep(self, value: Any) -> Any:
        """Scrub every string inside a JSON value (keys too: a speaker label can be a name)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k) if isinstance(k, str) else k: self.deep(v) for k, v in value.items()}
        return value

    def contains(self, value: str) -> bool:
        before = self.hits
        changed = self.text(value) != value
        self.hits = before
        return changed


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
