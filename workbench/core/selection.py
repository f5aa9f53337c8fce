"""Selection units over canonical transcript text (CORE-3): word, line, sentence, turn, paragraph.

A researcher coding over SSH selects with keys, not a mouse, so every unit must be computable from a
single cursor offset: "the word / sentence / turn under the cursor". The spans returned are
code-point spans ``(start, end)`` (0-based, end-exclusive) into the version's canonical text, the same
convention as every anchor (CORE-1), trimmed of surrounding whitespace so a coded segment never starts
or ends in a blank. Spans never include a speaker label ("Participant:"): the label is structure, not
speech, and coding it would put it into every quote and every agreement statistic.

The unit that produced a selection is recorded on the coding (`Project.code(..., unit=...)`), because
inter-coder reliability needs to know how coders unitised the text (METHODS.md 5). The names are
`UNITS`; a selection made by moving the cursor, or one mixing units, is a "character" range.

This module is headless and stdlib-only, like `workbench.core.text`: the TUI, tests and any future
CLI share it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Final

from workbench.core.model import Turn
from workbench.core.text import LineMap, turn_label_span

__all__ = [
    "UNITS",
    "Span",
    "extend",
    "in_vivo_label",
    "line_span",
    "next_word_start",
    "paragraph_span",
    "prev_word_start",
    "sentence_span",
    "trim",
    "turn_at",
    "turn_span",
    "word_span",
]

Span = tuple[int, int]

UNITS: Final[tuple[str, ...]] = ("character", "word", "line", "sentence", "turn", "paragraph")
"""Unit names recorded on codings (CORE-3)."""

# A word is letters/digits with inner apostrophes or hyphens ("she'd", "don’t", "peer-support"),
# so a word selection takes the participant's word whole, never a half of it.
_WORD_RE: Final = re.compile(r"\w+(?:['’\-]\w+)*")
_NON_SPACE_RE: Final = re.compile(r"\S")
# A sentence ends at . ! ? or … (possibly repeated), optionally closed by quotes or brackets, before
# whitespace or the end of the region.
_SENTENCE_END_RE: Final = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
# Transcription notation that contains full stops but never ends a sentence (TR-8): pauses "(.)",
# "(..)", "(2.5)".
_NOTATION_RE: Final = re.compile(r"\(\.+\)|\(\d+(?:\.\d+)?\)")
_ABBREVIATIONS: Final = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "eg", "ie", "approx"}
)
_LOOKBEHIND: Final = 400  # characters scanned back for the previous word before widening the search


def trim(text: str, span: Span) -> Span:
    """`span` without leading and trailing whitespace; an all-blank span collapses to ``(start, start)``."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else (span[0], span[0])


def extend(current: Span, unit_span: Span) -> Span:
    """The smallest span covering both: extending a selection by a unit never shrinks it.

    An empty `unit_span` (the cursor on a blank line, say) leaves the selection as it is.
    """
    if unit_span[0] >= unit_span[1]:
        return current
    if current[0] >= current[1]:
        return unit_span
    return (min(current[0], unit_span[0]), max(current[1], unit_span[1]))


def _clamp(text: str, offset: int) -> int:
    """A valid character index for a non-empty text (the end of the text maps to its last character)."""
    return max(0, min(offset, len(text) - 1))


# -- words -------------------------------------------------------------------------------------------


def _token_bounds(text: str, offset: int) -> Span:
    """The whitespace-delimited token around `offset` (where the word at `offset` must lie)."""
    lo = offset
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = offset
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return lo, hi


def _word_containing(text: str, offset: int) -> re.Match[str] | None:
    """The word whose span holds `offset`, if the cursor is on a word."""
    lo, hi = _token_bounds(text, offset)
    for match in _WORD_RE.finditer(text, lo, hi):
        if match.start() <= offset < match.end():
            return match
    return None


def word_span(text: str, offset: int) -> Span:
    """The word at `offset`.

    On whitespace, the next word (a researcher moving the cursor onto a gap means the word after
    it); on punctuation touching a word on its left ("it." with the cursor on the full stop), that
    word. With no word after, the previous one; with no word at all, an empty span.
    """
    if not text:
        return (0, 0)
    offset = _clamp(text, offset)
    here = _word_containing(text, offset)
    if here is not None:
        return here.span()
    if not text[offset].isspace():
        before = _previous_word(text, offset)
        if before is not None and before.end() == _run_start(text, offset):
            return before.span()
    following = _WORD_RE.search(text, offset)
    if following is not None:
        return following.span()
    before = _previous_word(text, offset)
    return before.span() if before is not None else (offset, offset)


def _run_start(text: str, offset: int) -> int:
    """Start of the run of non-word, non-space characters holding `offset` ("." in "it.")."""
    while offset > 0 and not text[offset - 1].isspace() and not _is_word_char(text[offset - 1]):
        offset -= 1
    return offset


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _previous_word(text: str, offset: int) -> re.Match[str] | None:
    """The last word ending at or before `offset`, searching back in widening windows."""
    window = _LOOKBEHIND
    while True:
        lo = max(0, offset - window)
        last = None
        for match in _WORD_RE.finditer(text, lo, offset):
            last = match
        if lo == 0 or (last is not None and last.start() > lo):
            return last
        window *= 4


def next_word_start(text: str, offset: int) -> int:
    """Where `w` moves: the start of the first word after the one at `offset`; `offset` if none."""
    if not text:
        return 0
    offset = _clamp(text, offset)
    here = _word_containing(text, offset)
    following = _WORD_RE.search(text, here.end() if here is not None else offset + 1)
    return following.start() if following is not None else offset


def prev_word_start(text: str, offset: int) -> int:
    """Where `b` moves: the start of the word at `offset` if the cursor is past it, else the word before."""
    if not text:
        return 0
    offset = _clamp(text, offset)
    here = _word_containing(text, offset)
    if here is not None and here.start() < offset:
        return here.start()
    before = _previous_word(text, here.start() if here is not None else offset)
    return before.start() if before is not None else offset


# -- lines -------------------------------------------------------------------------------------------


def line_span(linemap: LineMap, offset: int, text: str, turns: Sequence[Turn] = ()) -> Span:
    """The tool line (TR-9) holding `offset`, trimmed, without a speaker label that starts on it.

    The same span `Project.span_of_lines` codes for one line, so `L` and coding the cursor line agree.
    """
    offset = max(0, min(offset, linemap.text_length))
    line = linemap.line_at(offset)
    start, end = line.start, line.end
    turn = turn_at(turns, line.start)
    if turn is not None:
        label_start, label_end = turn_label_span(text, turn)
        if label_end > label_start and start <= label_start < end:
            start = max(start, label_end)
    return trim(text, (start, max(start, end)))


# -- turns -------------------------------------------------------------------------------------------


def turn_at(turns: Sequence[Turn], offset: int) -> Turn | None:
    """The turn holding `offset`; between turns (a blank line), the next one; after the last, the last.

    `turns` must be sorted by start, as the parser produces them.
    """
    if not turns:
        return None
    i = bisect_right([t.start for t in turns], offset) - 1
    if i >= 0 and offset < max(turns[i].end, turns[i].start + 1):
        return turns[i]
    if i + 1 < len(turns):
        return turns[i + 1]
    return turns[-1]


def _speech_start(text: str, turn: Turn) -> int:
    """Where the turn's words begin: after its label and the space after the label."""
    label_start, label_end = turn_label_span(text, turn)
    return label_end if label_end > label_start else turn.start


def turn_span(turns: Sequence[Turn], offset: int, text: str) -> Span:
    """The speaker turn at `offset`, excluding its speaker label, trimmed; empty if there are no turns."""
    turn = turn_at(turns, offset)
    if turn is None:
        return (offset, offset)
    return trim(text, (_speech_start(text, turn), max(_speech_start(text, turn), turn.end)))


# -- paragraphs --------------------------------------------------------------------------------------


def _line_bounds(text: str, offset: int) -> Span:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def paragraph_span(text: str, offset: int, turns: Sequence[Turn] = ()) -> Span:
    """The blank-line-delimited paragraph at `offset`, trimmed; a new speaker turn also starts one.

    On a blank line, the next paragraph (or the last one at the end of the text). With `turns`, the
    paragraph is cut at turn boundaries and a leading speaker label is left out, so transcripts
    without blank lines between speakers still give one speaker's words.
    """
    if not text or not text.strip():
        return (0, 0)
    offset = _clamp(text, offset)
    line_start, line_end = _line_bounds(text, offset)
    if not text[line_start:line_end].strip():
        following = _NON_SPACE_RE.search(text, offset)
        offset = following.start() if following is not None else len(text.rstrip()) - 1
        line_start, line_end = _line_bounds(text, offset)
    start, end = line_start, line_end
    while start > 0:
        previous_start, previous_end = _line_bounds(text, start - 1)
        if not text[previous_start:previous_end].strip():
            break
        start = previous_start
    while end < len(text):
        next_start, next_end = _line_bounds(text, end + 1)
        if not text[next_start:next_end].strip():
            break
        end = next_end
    turn = turn_at(turns, offset)
    if turn is not None and turn.start <= offset < turn.end:
        start = max(start, turn.start)
        speech = _speech_start(text, turn)
        if speech >= start:  # the turn begins in this paragraph: leave its label out
            start = speech
        end = max(start, min(end, turn.end))
    return trim(text, (start, end))


# -- sentences ---------------------------------------------------------------------------------------


def _masked(text: str, start: int, end: int) -> str:
    """The region with pause notation blanked out (same length), so "(.)" never ends a sentence."""
    region = text[start:end]
    return _NOTATION_RE.sub(lambda m: "x" * len(m.group()), region)


def _is_abbreviation(region: str, stop: int) -> bool:
    """True if the terminator at `stop` closes a known abbreviation ("Dr.", "e.g.")."""
    lo = stop
    while lo > 0 and (region[lo - 1].isalpha() or region[lo - 1] == "."):
        lo -= 1
    return region[lo:stop].casefold() in _ABBREVIATIONS


def _sentence_breaks(region: str) -> list[int]:
    """Offsets (in `region`) just after each sentence end."""
    breaks: list[int] = []
    for match in _SENTENCE_END_RE.finditer(region):
        if match.group()[0] == "." and _is_abbreviation(region, match.start()):
            continue
        after = _NON_SPACE_RE.search(region, match.end())
        # "I thought... you know" trails off mid-sentence: a lower-case word continues it.
        if after is not None and after.group().islower():
            continue
        breaks.append(match.end())
    return breaks


def sentence_span(text: str, offset: int, turns: Sequence[Turn] = ()) -> Span:
    """The sentence at `offset`, within its paragraph and speaker turn, trimmed and without the label.

    Sentences end at . ! ? … followed by whitespace, except after common abbreviations, inside pause
    notation such as "(.)" (TR-8), or where the next word starts in lower case (a trailing-off
    ellipsis). Spoken language is loosely punctuated, so a turn without any of these is one sentence.
    """
    if not text or not text.strip():
        return (0, 0)
    start, end = paragraph_span(text, offset, turns)
    if start >= end:
        return (start, end)
    offset = min(max(_clamp(text, offset), start), end - 1)
    region = _masked(text, start, end)
    lo = start
    for cut in _sentence_breaks(region):
        position = start + cut
        if position > offset:
            return trim(text, (lo, position))
        lo = position
    return trim(text, (lo, end))


# -- in vivo -----------------------------------------------------------------------------------------


def in_vivo_label(words: str, limit: int = 60) -> str:
    """A code label from the participant's own words: quoted, whitespace collapsed, at most `limit` chars.

    In vivo codes keep the words verbatim (GT-3), so nothing is rephrased; only spacing is collapsed,
    surrounding punctuation that would dangle (",", ";", ":") is dropped, and a long selection is cut
    at a word boundary with "…". Returns "" when there are no words.
    """
    cleaned = " ".join(words.split()).strip(" ,;:-–—")
    if not cleaned:
        return ""
    room = limit - 2  # the quotes
    if len(cleaned) > room:
        cut = cleaned[: room - 1]
        if " " in cut:
            cut = cut[: cut.rindex(" ")]
        cleaned = cut.rstrip(" ,;:") + "…"
    return f"“{cleaned}”"
