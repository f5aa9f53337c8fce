"""Find a withdrawn participant's words inside other text and replace them with ``[withdrawn]``.

Quotes in memos, in-vivo code labels, snapshot labels and plugin records can all carry a participant's
words. A quote is recognised without relying on quotation marks: any run of `GRAM` or more words that
appears, in that order, in one of the withdrawn transcripts — and in none of the retained ones, so the
interviewer's questions shared by every interview are left alone — is replaced by ``[withdrawn]``.
Shorter stretches are caught when they stand in quotation marks. The pseudonym (and any other name
given) is replaced wherever it stands as a whole word.

Searching store files (`contains_json`) reads the JSON rather than its text: the quotation marks that
delimit every JSON string are not quotes, or each key that happens to be a word the participant said
("before", "text") would read as a quote of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
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
        self._firsts = {gram[0] for gram in self.grams}  # most words start no withdrawn n-gram: skip fast
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

    def _spans(self, value: str, *, quotes: bool = True) -> list[tuple[int, int]]:
        """Where `value` holds withdrawn words: runs of their n-grams and (`quotes`) quoted stretches."""
        tokens = list(WORD.finditer(value))
        words = [t.group().casefold() for t in tokens]
        marked = [False] * len(tokens)
        grams, firsts = self.grams, self._firsts
        for i in range(len(tokens) - GRAM + 1):
            if words[i] in firsts and tuple(words[i : i + GRAM]) in grams:
                for j in range(i, i + GRAM):
                    marked[j] = True
        spans: list[tuple[int, int]] = []
        i = 0 if any(marked) else len(tokens)
        while i < len(tokens):
            if marked[i]:
                j = i
                while j + 1 < len(tokens) and marked[j + 1]:
                    j += 1
                spans.append((tokens[i].start(), tokens[j].end()))
                i = j + 1
            else:
                i += 1
        if quotes:
            for match in QUOTED.finditer(value):
                if self._quoted_hit(match.group(1)):
                    spans.append((match.start(1), match.end(1)))
        return spans

    def text(self, value: str) -> str:
        """`value` with withdrawn words replaced (unchanged, and cheap, when none occur)."""
        if not value:
            return value
        out = value
        for start, end in sorted(_merge(self._spans(value)), reverse=True):
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

    def contains(self, value: str, *, quotes: bool = True) -> bool:
        """Whether `value` holds withdrawn words or names (without counting hits)."""
        return bool(self._spans(value, quotes=quotes)) or any(p.search(value) for p in self._names)

    def contains_json(self, value: Any) -> bool:
        """Whether a JSON value holds the words in any of its strings (keys included).

        The quotation marks *around* JSON strings are not quotes: a key such as ``"before"`` is not a
        quote of a participant who once said "before". So n-grams and names are looked for in all the
        strings at once (one pass, fast on a large project file), and quoted stretches only inside the
        strings that hold a quotation mark.
        """
        strings = list(_strings(value))
        if self.contains("\n".join(strings), quotes=False):
            return True
        return any(self.contains(s) for s in strings if _HAS_QUOTE.search(s))


_HAS_QUOTE = re.compile(r"[\"“”‘’']")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            yield from _strings(item)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
