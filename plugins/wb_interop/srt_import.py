"""SubRip .srt transcripts (TR-5), read with the `srt` library.

Speakers are known only when the text says so: a ``Name:`` prefix, or ``- `` dialogue dashes, which
mark a change of (unnamed) speaker within one cue. Consecutive cues of one named speaker are merged into
one turn keeping the first start time, as for WebVTT.
"""

from __future__ import annotations

from pathlib import Path

from wb_interop.transcript import compose, merge_cues
from wb_interop.vtt_import import speaker_blocks
from workbench import BadInputError, ImportedTranscript, decode_transcript


def load_srt(path: Path, data: bytes) -> ImportedTranscript:
    """Read an .srt file's bytes; raises `BadInputError` for a file that is not SubRip."""
    import srt  # type: ignore[import-untyped]

    where = str(path)
    decoded = decode_transcript(data, where=where)
    try:
        subtitles = list(srt.parse(decoded.text))
    except (srt.SRTParseError, ValueError) as exc:
        raise BadInputError(f"not a SubRip file ({exc})", where) from None
    cues: list[tuple[str, str, float | None, float | None]] = []
    for subtitle in subtitles:
        start, end = subtitle.start.total_seconds(), subtitle.end.total_seconds()
        lines = subtitle.content.split("\n")
        if sum(1 for line in lines if line.startswith("- ")) >= 2:
            cues.extend(("", line[2:].strip(), start, end) for line in lines if line.strip())
        else:
            cues.append(("", subtitle.content, start, end))
    return compose(
        merge_cues(speaker_blocks(cues)), where, encoding=decoded.encoding, warnings=decoded.warnings
    )
