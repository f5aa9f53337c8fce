"""WebVTT transcripts (TR-4), read with webvtt-py: Microsoft Teams and Zoom downloads included.

Speakers come from voice tags (``<v Jane Okafor>...</v>``, as Teams writes them) or from a ``Name:``
prefix in the cue text (as Zoom writes them). Cue identifiers, whether Teams' GUID-like ones or Zoom's
numbers, are never part of the text; NOTE blocks are skipped. Consecutive cues of one speaker are merged
into a turn that keeps the first cue's start time, with the recogniser's line breaks collapsed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from wb_interop.transcript import Block, compose, merge_cues, speaker_label
from workbench import BadInputError, ImportedTranscript, decode_transcript

_TIMESTAMP = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")
_ZOOM_PREFIX = re.compile(r"^([^:\n]{1,40}?):[ \t]+(?=\S)")


def seconds(value: str) -> float | None:
    """``00:01:02.500`` (or ``01:02.500``, or SRT's comma) -> 62.5."""
    match = _TIMESTAMP.fullmatch(value.strip())
    if match is None:
        return None
    hours, minutes, secs, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis.ljust(3, "0")) / 1000


def load_vtt(path: Path, data: bytes) -> ImportedTranscript:
    """Read a .vtt file's bytes; raises `BadInputError` for a file that is not WebVTT."""
    import webvtt
    from webvtt.errors import MalformedFileError

    where = str(path)
    decoded = decode_transcript(data, where=where)
    try:
        captions = list(webvtt.from_buffer(io.StringIO(decoded.text)).captions)
    except (MalformedFileError, ValueError) as exc:
        raise BadInputError(f"not a WebVTT file ({exc})", where) from None
    cues = [(c.voice or "", c.text, seconds(c.start), seconds(c.end)) for c in captions]
    return compose(
        merge_cues(speaker_blocks(cues)), where, encoding=decoded.encoding, warnings=decoded.warnings
    )


def speaker_blocks(cues: list[tuple[str, str, float | None, float | None]]) -> list[Block]:
    """Blocks from (voice, text, start, end) cues, taking the speaker from the voice or a ``Name:`` prefix.

    A bare ``Name:`` prefix that the host's speaker patterns would not take (a lower-case Zoom display
    name) counts only when most cues carry one, as in a Zoom transcript; otherwise it is just words.
    """
    prefixed = sum(1 for voice, text, _s, _e in cues if not voice and _ZOOM_PREFIX.match(text))
    zoom_like = prefixed * 2 > len(cues)
    blocks = []
    for voice, text, start, end in cues:
        speaker, words = voice.strip(), text
        if not speaker:
            found = speaker_label(text)
            if found is not None:
                speaker, words = found
            elif zoom_like and (match := _ZOOM_PREFIX.match(text)):
                speaker, words = match.group(1).strip(), text[match.end() :]
        blocks.append(Block(words, speaker, start, end))
    return blocks
