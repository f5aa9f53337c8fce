"""From what an importer found (paragraphs, table rows, cues) to the canonical text and turns the host stores.

Every transcript importer (docx, odt, vtt, srt) ends here, so all formats give the same shape: one
paragraph per block, blocks separated by a blank line, a known speaker written as ``Label: words`` at
the start of its turn. That shape is what the line map, the turn selection unit and the speaker-mapping
step (TR-7, ``workbench speakers``) already understand for plain text, so nothing downstream needs to
know which format a transcript came from. Transcription notation is copied as written (TR-8).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from workbench import BadInputError, ImportedTranscript, TranscriberNote, Turn, detect_turns

_SPACES = re.compile(r"[ \t]+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")


@dataclass(frozen=True)
class Block:
    """One paragraph of a transcript: its words, its speaker if known, and its times if timed."""

    text: str
    speaker: str = ""
    start: float | None = None
    end: float | None = None


def clean(text: str) -> str:
    """Canonical form of imported words: NFC, LF line breaks, no trailing spaces on a line."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text.replace("\ufeff", "")))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def speaker_label(text: str) -> tuple[str, str] | None:
    """The speaker label a paragraph opens with (``Interviewer:``, ``P01:``, ``Alex:``) and the words after.

    Uses the host's own speaker patterns (TR-6) on the paragraph alone, so a label is recognised in a
    Word file exactly as in a plain-text one.
    """
    turns = detect_turns(text)
    if not turns or not turns[0].label or turns[0].start != 0:
        return None
    label = turns[0].label
    match = re.match(rf"[ \t]*{re.escape(label)}[ \t]*(?:\([^)]*\)|\[[^\]]*\])?[ \t]*:[ \t]*", text, re.I)
    if match is None:
        return None
    return label, text[match.end() :]


def compose(
    blocks: Sequence[Block],
    where: str,
    *,
    encoding: str = "utf-8",
    warnings: Sequence[str] = (),
    notes: Sequence[TranscriberNote] = (),
    metadata: dict[str, str] | None = None,
) -> ImportedTranscript:
    """Join blocks into canonical text and speaker turns (with times where the format had them).

    Raises `BadInputError` naming `where` when no block holds any text.
    """
    pieces: list[str] = []
    starts: list[int] = []
    offset = 0
    kept: list[Block] = []
    for block in blocks:
        words = clean(block.text)
        if not words:
            continue
        speaker = " ".join(block.speaker.split()).rstrip(":")
        piece = f"{speaker}: {words}" if speaker else words
        if pieces:
            offset += 2
        starts.append(offset)
        pieces.append(piece)
        offset += len(piece)
        kept.append(replace(block, speaker=speaker))
    text = "\n\n".join(pieces) + "\n" if pieces else ""
    if not text.strip():
        raise BadInputError("the file holds no transcript text", where)
    speakers = sorted({b.speaker for b in kept if b.speaker}, key=len, reverse=True)
    if speakers:
        alternatives = "|".join(re.escape(s) for s in speakers)
        turns = detect_turns(text, patterns=[rf"^(?P<label>{alternatives})[ \t]*:"])
    else:
        turns = detect_turns(text)
    turns = _with_times(turns, kept, starts)
    return ImportedTranscript(
        text=text,
        encoding=encoding,
        warnings=tuple(warnings),
        turns=turns,
        metadata=dict(metadata or {}),
        notes=tuple(notes),
    )


def _with_times(turns: Sequence[Turn], blocks: Sequence[Block], starts: Sequence[int]) -> tuple[Turn, ...]:
    """Give each turn the start time of its first block and the end time of its last (TR-4, TR-6)."""
    if not any(b.start is not None for b in blocks):
        return tuple(turns)
    out: list[Turn] = []
    for turn in turns:
        inside = [b for b, s in zip(blocks, starts, strict=True) if turn.start <= s <= turn.end]
        if not inside:
            out.append(turn)
            continue
        first = next((b.start for b in inside if b.start is not None), turn.t_start)
        last = next((b.end for b in reversed(inside) if b.end is not None), turn.t_end)
        out.append(replace(turn, t_start=first, t_end=last))
    return tuple(out)


def merge_cues(blocks: Sequence[Block]) -> list[Block]:
    """Consecutive cues of one speaker become one turn keeping the first start time (TR-4).

    The line breaks a speech recogniser puts inside a cue, and between cues of one turn, become spaces.
    """
    merged: list[Block] = []
    for block in blocks:
        words = _SPACES.sub(" ", " ".join(block.text.split("\n"))).strip()
        if not words:
            continue
        if merged and block.speaker and merged[-1].speaker == block.speaker:
            last = merged[-1]
            merged[-1] = Block(f"{last.text} {words}", last.speaker, last.start, block.end)
        else:
            merged.append(Block(words, block.speaker, block.start, block.end))
    return merged
