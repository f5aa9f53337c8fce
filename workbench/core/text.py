"""Transcript text: decoding, canonical form, speaker turns, line numbers, citations, extracts.

Every anchor in the workbench is a Unicode code-point offset (a Python ``str``
index: 0-based, end-exclusive) into a transcript's *canonical* text: LF
newlines, NFC, no byte-order mark (METHODS.md 1.1, CORE-1). That is the
REFI-QDA text-selection convention, so offsets survive export unchanged.
Everything here exists to get text into that form safely (TR-1), to find the
speaker turns in it (TR-6, TR-7), to give it deterministic page:line numbers
that never depend on Word's layout (TR-9, TR-10), and to turn anchors back
into citations and verbatim quotes (TR-11, TR-12).

This module is headless and stdlib-only: the TUI, the CLI, importers and
exporters all call it, and none of them may pull Textual into it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import operator
import re
import string
import unicodedata
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple, TypeGuard

from workbench.core.errors import BadInputError
from workbench.core.model import ImportedTranscript, Role, Turn
from workbench.core.untrusted import UNSAFE, Scrubber, describe

__all__ = [
    "CITATION_STYLES",
    "DEFAULT_CITATION",
    "DEFAULT_LINE_SETTINGS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_SPEAKER_PATTERNS",
    "MAX_LABEL_CHARS",
    "Decoded",
    "Line",
    "LineMap",
    "LineSettings",
    "canonicalise",
    "decode_transcript",
    "detect_turns",
    "extract",
    "format_citation",
    "guess_role",
    "label_key",
    "sha256_text",
    "turn_label_span",
]

# ---------------------------------------------------------------------------
# Decoding and canonical form (TR-1)
# ---------------------------------------------------------------------------

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
"""Largest transcript accepted: a two-hour interview is well under 1 MiB, so 8 MiB means a wrong file."""

_MIB = 1024 * 1024
_CP1252_WARNING = "decoded as Windows-1252 (not valid UTF-8); check accented characters"
_EOF_MARKER_WARNING = "removed a DOS end-of-file marker (Ctrl-Z) from the end of the file"
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_BINARY_CONTROL_RATIO = 0.05
_BINARY_SAMPLE_CHARS = 64 * 1024

# Every way a line can end becomes LF. Each replacement is one code point for
# one code point, so offsets counted by other tools on the original text still
# agree with ours (apart from CRLF, which is handled first and documented).
_LINE_BREAKS = "\r\f\v\x85\u2028\u2029"
"""Every line break that becomes LF (after CRLF), each by `str.replace` and only when present: a
`str.translate` table maps a non-ASCII text code point by code point, the slowest step of decoding."""
# C0 and C1 controls other than TAB and LF (those converted above are listed
# too, so the check is right even for text that skipped canonicalise).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decoded:
    """The result of reading a transcript file: canonical text plus what the user should know.

    `encoding` records how the bytes were read so an audit can explain any odd
    character; `warnings` are shown to the user (TR-1: the Windows-1252
    fallback must be visible, never silent).
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def canonicalise(text: str) -> str:
    """Return the canonical form every anchor is counted in: no leading BOM, LF newlines, NFC.

    CRLF and lone CR become LF; form feed, vertical tab, NEL and the Unicode
    line/paragraph separators also become LF, because the LineMap and turn
    detection know exactly one line break and a transcriber's page break is
    still a line break. NFC makes "é" one code point whether the file spelt it
    precomposed or as "e" plus a combining accent, so the same words always
    have the same offsets and the same hash.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    for mark in _LINE_BREAKS:
        if mark in text:
            text = text.replace(mark, "\n")
    return unicodedata.normalize("NFC", text)


def decode_transcript(data: bytes, where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode a plain-text transcript file into canonical text, or refuse it with a reason.

    Accepts UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, and falls
    back to Windows-1252 (with a warning) for bytes that are not UTF-8, which
    is what older Word "Save as text" produces. Refuses, with a one-line
    message naming `where`, anything that would give wrong or meaningless
    anchors: oversized files, empty text, binary data, stray control
    characters, and zip/docx/odt/pdf/rtf files that need their own importer.
    Apart from canonicalisation (line breaks to LF, NFC) nothing is changed
    silently: a trailing Ctrl-Z is removed with a warning, the rest refused.
    """
    if len(data) > max_bytes:
        raise BadInputError(size_message(len(data), max_bytes), where)
    if not data:
        raise BadInputError("file is empty", where)
    _refuse_other_formats(data, where)

    warnings: list[str] = []
    encoding, raw = _decode_bytes(data, where, warnings)
    text = canonicalise(raw)
    if text.endswith("\x1a"):
        text = text.rstrip("\x1a")
        warnings.append(_EOF_MARKER_WARNING)
    refuse_unsafe_characters(text, where)
    if not text.strip():
        raise BadInputError("file has no text (only whitespace)", where)
    return Decoded(text=text, encoding=encoding, warnings=tuple(warnings))


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of `text`: the identity of a TranscriptVersion's content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def size_message(size: int, limit: int) -> str:
    """Say how big the file is against the limit, in units a person reads at a glance."""
    if limit >= _MIB:
        shown = round(size / _MIB, 1)
        limit_shown = f"{limit / _MIB:.1f}".removesuffix(".0")
        if shown > limit / _MIB:
            return f"file is {shown:.1f} MiB; the limit is {limit_shown} MiB"
    return f"file is {size:,} bytes; the limit is {limit:,} bytes"


def _refuse_other_formats(data: bytes, where: str) -> None:
    """Refuse containers and documents that look like text to nobody, naming the importer to use.

    A .docx renamed to .txt would otherwise decode as Windows-1252 garbage;
    telling the user which importer reads it is the helpful answer.
    """
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(data)
        if kind == "docx":
            message = "this is a Word .docx file, not plain text; import it with the .docx importer"
        elif kind == "odt":
            message = "this is an OpenDocument .odt file, not plain text; import it with the .odt importer"
        else:
            message = "this is a zip archive, not plain text; unpack it and import the transcript inside"
        raise BadInputError(message, where)
    if data.startswith(b"%PDF"):
        raise BadInputError(
            "this is a PDF file, not plain text; import it with the PDF importer or save it as .txt", where
        )
    if data.startswith(b"{\\rtf"):
        raise BadInputError(
            "this is an RTF file, not plain text; import it with the RTF importer or save it as .txt", where
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise BadInputError("this is an old Word .doc file; save it as .docx or .txt and import that", where)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise BadInputError("UTF-32 text is not supported; save the file as UTF-8", where)


def _zip_kind(data: bytes) -> str:
    """Tell a .docx or .odt from any other zip, so the refusal can name the right importer."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument"
            ):
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        pass
    return "zip"


def _decode_bytes(data: bytes, where: str, warnings: list[str]) -> tuple[str, str]:
    """Pick the encoding from the BOM, else UTF-8, else Windows-1252; return (encoding, text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return "utf-8-sig", data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInputError(
                f"starts with a UTF-8 byte-order mark but is not valid UTF-8 (bad byte at {exc.start + 3})",
                where,
            ) from None
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return "utf-16", data[2:].decode(codec)
            except UnicodeDecodeError:
                raise BadInputError(
                    "starts with a UTF-16 byte-order mark but is damaged (odd length or broken characters)",
                    where,
                ) from None
    if b"\x00" in data:
        raise BadInputError(
            "contains NUL bytes: it is a binary file, or UTF-16 without a byte-order mark; "
            "save it as UTF-8 text",
            where,
        )
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not _CP1252_UNDEFINED.isdisjoint(data):
        raise BadInputError(
            "is neither UTF-8 nor Windows-1252 text (it may be binary or another encoding); "
            "save it as UTF-8 and import again",
            where,
        )
    warnings.append(_CP1252_WARNING)
    return "cp1252", data.decode("cp1252")


def refuse_unsafe_characters(text: str, where: str) -> None:
    """Refuse binary data, stray control characters and bidi overrides: no transcript legitimately has them.

    A high proportion of controls means the file is not text at all; a few mean a damaged or oddly
    exported file (or one made to attack a terminal, see untrusted.py), and the message says where
    the first one is so the user can fix it rather than have it silently dropped (which would shift
    every later anchor).
    """
    first = UNSAFE.search(text)
    if first is None:
        return
    if _CONTROL_RE.search(text):
        sample = text[:_BINARY_SAMPLE_CHARS]
        if len(_CONTROL_RE.findall(sample)) > _BINARY_CONTROL_RATIO * len(sample):
            raise BadInputError("looks like a binary file, not a text transcript", where)
    pos = first.start()
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    raise BadInputError(
        f"contains {describe(first.group())} at line {line}, column {column}; remove it and import again",
        where,
    )


def admitted(imported: ImportedTranscript, where: str) -> ImportedTranscript:
    """What an importer read, under the input policy (untrusted.py), before any project is touched.

    The words themselves are refused with their line and column if unsafe (removing a character
    would move every anchor after it, and the file can be fixed); what the file says about itself
    (transcriber notes, their authors, metadata, the importer's own warnings) is cleaned, with a
    warning naming what was removed, as it is a record of the file rather than its words.
    """
    refuse_unsafe_characters(imported.text, where)
    scrub = Scrubber()
    notes = scrub.value(imported.notes, "transcriber note")
    metadata = scrub.value(imported.metadata, "metadata")
    turns = scrub.value(imported.turns, "speaker turn")
    warnings = scrub.value(imported.warnings, "importer warning")
    removed = scrub.report()
    if not removed:
        return imported
    return dataclasses.replace(
        imported, warnings=(*warnings, *removed), turns=turns, metadata=metadata, notes=notes
    )


# ---------------------------------------------------------------------------
# Speaker turns (TR-6, TR-7)
# ---------------------------------------------------------------------------

MAX_LABEL_CHARS = 40
"""Longest speaker label accepted: a longer "Something:" at a line start is prose, not a speaker."""


def _uppercase_class() -> str:
    """A regex character class of upper- and title-case letters in Latin, Greek, Cyrillic and Armenian.

    Python's `re` has no \\p{Lu}, and the generic `Name:` pattern must accept
    "Élodie:" or "Ørjan:" but not "and so:", so the class is built from the
    Unicode database once at import.
    """
    blocks = (range(0x41, 0x590), range(0x1E00, 0x2000), range(0x2C60, 0x2C80), range(0xA640, 0xA800))
    chars = [chr(cp) for block in blocks for cp in block if chr(cp).isupper() or chr(cp).istitle()]
    parts: list[str] = []
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        parts.append(re.escape(chars[i]) if i == j else f"{re.escape(chars[i])}-{re.escape(chars[j])}")
        i = j + 1
    return "[" + "".join(parts) + "]"


_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TS_TOKEN = rf"\[{_TS}\]|\({_TS}\)|\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?"
_LEAD = rf"^[ \t]*(?:(?P<lead>{_TS_TOKEN})[ \t]+)?"
_TAIL = rf"(?:[ \t]*(?P<ts>\[{_TS}\]|\({_TS}\)))?[ \t]*:(?![/:])"
_UPPER = _uppercase_class()
_NAME_WORD = rf"{_UPPER}(?:[^\W\d_]|['’.\-])*"

DEFAULT_SPEAKER_PATTERNS: tuple[str, ...] = (
    # Role words, optionally numbered: Interviewer:, Int:, I:, IV:, Researcher:, R:, P:, P1:, P01:,
    # Participant 3:, Respondent:, Interviewee:, Moderator:, Facilitator:.
    _LEAD
    + r"(?P<label>(?:interviewer|interviewee|researcher|participant|respondent|moderator|facilitator"
    + r"|int|iv|i|p|r)(?:[ \t]?\d{1,3})?)"
    + _TAIL,
    # ASR and transcription-service labels: Speaker 1:, Speaker A:.
    _LEAD + r"(?P<label>speaker[ \t]*(?:\d{1,3}|[a-z]))" + _TAIL,
    # A name of one to three capitalised words: Alex:, Dr. Okafor:, Mary-Jane O'Neill (00:12:34):.
    _LEAD + rf"(?P<label>(?-i:{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}))" + _TAIL,
)
"""Speaker-label regexes (TR-6): matched case-insensitively at each line start, each with a `label` group.

Optional groups `lead` (a timestamp before the label) and `ts` (one between
the label and its colon) give the turn's start time. The generic name pattern
switches case-insensitivity off for itself, because capitalisation is the
only thing that tells "Alex:" from ordinary prose.
"""

_AFTER_LABEL_TS = re.compile(rf"[ \t]*({_TS_TOKEN})")
_TS_PARTS = re.compile(r"(?:(\d+):)?(\d+):(\d{2})(?:[.,](\d+))?")

_INTERVIEWER_RE = re.compile(r"(?:interviewer|int|iv|i|researcher|moderator|facilitator)(?: ?\d{1,3})?")
_PARTICIPANT_RE = re.compile(r"(?:participant|p|respondent|interviewee)(?: ?\d{1,3})?")
_AMBIGUOUS_RE = re.compile(r"(?:r|speaker ?(?:\d{1,3}|[a-z]))(?: ?\d{1,3})?")
_ROLES: frozenset[str] = frozenset({"interviewer", "participant", "other", "unknown"})


def guess_role(label: str) -> Role:
    """Guess a speaker's role from the label as written, for the mapping dialog to confirm (TR-7).

    "R" is "unknown" because transcribers use it for Researcher *and* for
    Respondent; so is "Speaker 1", which says nothing about who spoke.
    Names and anything else are "other" until the user maps them.
    """
    key = label_key(label)
    if not key:
        return "unknown"
    if _INTERVIEWER_RE.fullmatch(key):
        return "interviewer"
    if _PARTICIPANT_RE.fullmatch(key):
        return "participant"
    if _AMBIGUOUS_RE.fullmatch(key):
        return "unknown"
    return "other"


def detect_turns(
    text: str,
    patterns: Sequence[str] | None = None,
    roles: Mapping[str, Role] | None = None,
) -> tuple[Turn, ...]:
    """Split canonical text into speaker turns at lines that start with a speaker label (TR-6).

    A turn runs from the start of its label line to just before the next
    label line, with trailing whitespace left out, so blank lines between
    turns belong to no turn. Non-blank text before the first label becomes a
    turn with label "" and role "unknown". With no labels at all, each
    blank-line-separated paragraph is a turn, so turn-based selection and
    extracts still work. `roles` maps labels (case-insensitive) to roles and
    wins over `guess_role`.
    """
    compiled = _compile_patterns(tuple(DEFAULT_SPEAKER_PATTERNS if patterns is None else patterns))
    role_map = _normalise_roles(roles)

    starts: list[tuple[int, str, float | None]] = []
    offset = 0
    for line in text.split("\n"):
        found = _match_label(compiled, line)
        if found is not None:
            match, label = found
            starts.append((offset, label, _turn_time(match, line)))
        offset += len(line) + 1

    if not starts:
        return _paragraph_turns(text)

    spans: list[tuple[int, int, str, float | None]] = []
    first_start = starts[0][0]
    if text[:first_start].strip():
        lead = len(text[:first_start]) - len(text[:first_start].lstrip())
        spans.append((text.rfind("\n", 0, lead) + 1, first_start, "", None))
    for i, (start, label, t_start) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        spans.append((start, stop, label, t_start))

    turns: list[Turn] = []
    for index, (start, stop, label, t_start) in enumerate(spans):
        end = start + len(text[start:stop].rstrip())
        role: Role = "unknown" if not label else role_map.get(label_key(label), guess_role(label))
        turns.append(Turn(index=index, label=label, role=role, start=start, end=end, t_start=t_start))
    return tuple(turns)


def turn_label_span(text: str, turn: Turn, patterns: Sequence[str] | None = None) -> tuple[int, int]:
    """Span of the turn's speaker label including its colon (and any timestamp before it), for styling.

    Returns an empty span at the turn start when the turn has no label, or
    when its label is not written in the text (an importer may know speakers
    from VTT voice tags rather than from "Name:" prefixes).
    """
    if not turn.label:
        return (turn.start, turn.start)
    line_end = text.find("\n", turn.start)
    line = text[turn.start : len(text) if line_end == -1 else line_end]
    compiled = _compile_patterns(tuple(DEFAULT_SPEAKER_PATTERNS if patterns is None else patterns))
    found = _match_label(compiled, line)
    if found is not None and label_key(found[1]) == label_key(turn.label):
        end = found[0].end()
    else:
        # Turns found with other patterns: accept the label written literally, then a colon.
        literal = re.match(rf"[ \t]*{re.escape(turn.label.strip())}[ \t]*:", line, re.IGNORECASE)
        if literal is None:
            return (turn.start, turn.start)
        end = literal.end()
    indent = len(line) - len(line.lstrip(" \t"))
    return (turn.start + indent, turn.start + end)


@lru_cache(maxsize=32)
def _compile_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Compile speaker patterns once, refusing ones that cannot work (a bad regex, no `label` group)."""
    compiled: list[re.Pattern[str]] = []
    for pattern in patterns:
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise BadInputError(
                f"speaker pattern {pattern!r} is not a valid regular expression: {exc}", "speaker patterns"
            ) from None
        if "label" not in regex.groupindex:
            raise BadInputError(
                f"speaker pattern {pattern!r} has no (?P<label>...) group", "speaker patterns"
            )
        compiled.append(regex)
    return tuple(compiled)


def _match_label(compiled: Sequence[re.Pattern[str]], line: str) -> tuple[re.Match[str], str] | None:
    """First pattern that matches at the line start with a plausible label, and that label."""
    for regex in compiled:
        match = regex.match(line)
        if match is None:
            continue
        label = (match.group("label") or "").strip()
        if label and len(label) <= MAX_LABEL_CHARS:
            return match, label
    return None


def _turn_time(match: re.Match[str], line: str) -> float | None:
    """Seconds from a timestamp before the label, inside `Name (00:12:34):`, or just after the colon."""
    for group in ("lead", "ts"):
        if group in match.re.groupindex and match.group(group):
            return _parse_timestamp(match.group(group))
    after = _AFTER_LABEL_TS.match(line, match.end())
    return _parse_timestamp(after.group(1)) if after else None


def _parse_timestamp(token: str) -> float | None:
    """Seconds for "[00:12:34]", "(12:34)" or "00:12:34.5"; None if the numbers are not a time."""
    parts = _TS_PARTS.search(token)
    if parts is None:
        return None
    hours_s, minutes_s, seconds_s, fraction_s = parts.groups()
    hours = int(hours_s) if hours_s else 0
    minutes, seconds = int(minutes_s), int(seconds_s)
    if seconds >= 60 or (hours_s and minutes >= 60):
        return None
    total = float(hours * 3600 + minutes * 60 + seconds)
    if fraction_s:
        total += int(fraction_s) / 10 ** len(fraction_s)
    return total


def label_key(label: str) -> str:
    """Compare labels the way a person would: case, surrounding space, colon and spacing ignored."""
    return " ".join(label.strip().removesuffix(":").split()).casefold()


def _normalise_roles(roles: Mapping[str, Role] | None) -> dict[str, Role]:
    """Key the user's label→role mapping by `label_key`, refusing roles the model does not have."""
    if not roles:
        return {}
    result: dict[str, Role] = {}
    for label, role in roles.items():
        if role not in _ROLES:
            raise BadInputError(
                f"role {role!r} for speaker {label!r} is not one of {', '.join(sorted(_ROLES))}",
                "speaker roles",
            )
        result[label_key(label)] = role
    return result


def _paragraph_turns(text: str) -> tuple[Turn, ...]:
    """One unlabelled turn per blank-line-separated paragraph, for transcripts without labels."""
    turns: list[Turn] = []
    start: int | None = None
    end = 0
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            if start is None:
                start = offset
            end = offset + len(line.rstrip())
        elif start is not None:
            turns.append(Turn(index=len(turns), label="", role="unknown", start=start, end=end))
            start = None
        offset += len(line) + 1
    if start is not None:
        turns.append(Turn(index=len(turns), label="", role="unknown", start=start, end=end))
    return tuple(turns)


# ---------------------------------------------------------------------------
# Line and page numbering (TR-9, TR-10)
# ---------------------------------------------------------------------------

# Characters after which a line may wrap. No-break spaces (U+00A0, U+2007,
# U+202F) are deliberately absent; zero-width space is a break opportunity.
_BREAK_CHARS = " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u200b\u205f\u3000"
_LAST_BREAK = re.compile(f"(?s).*[{_BREAK_CHARS}]")
"""Matched from a position with an end position: its end is one past the last break before that end."""
_ZWJ = "\u200d"


def _is_int(value: object) -> TypeGuard[int]:
    """True for real integers only: JSON `true` must not pass as line 1."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class LineSettings:
    """How a transcript is cut into numbered lines and pages (TR-9); frozen with the LineMap (TR-10).

    `width` counts code points, not terminal cells, so the numbering is the
    same on every screen and in every export.
    """

    width: int = 72
    page_lines: int = 40
    mode: Literal["continuous", "restart"] = "continuous"

    def __post_init__(self) -> None:
        """Refuse settings that would give no usable numbering, whoever constructed them."""
        if not _is_int(self.width) or self.width < 20:
            raise BadInputError(
                f"line width must be a whole number of at least 20, not {self.width!r}", "line settings"
            )
        if not _is_int(self.page_lines) or self.page_lines < 1:
            raise BadInputError(
                f"lines per page must be a whole number of at least 1, not {self.page_lines!r}",
                "line settings",
            )
        if self.mode not in ("continuous", "restart"):
            raise BadInputError(
                f"line numbering must be 'continuous' or 'restart', not {self.mode!r}", "line settings"
            )

    def to_json(self) -> dict[str, object]:
        """Plain dict for the store and for project settings files."""
        return {"width": self.width, "page_lines": self.page_lines, "mode": self.mode}

    @classmethod
    def from_json(cls, d: object) -> LineSettings:
        """Settings from a dict: missing keys take defaults; unknown keys are refused, so typos fail."""
        if not isinstance(d, Mapping):
            raise BadInputError("line settings must be an object", "line settings")
        unknown = sorted(str(key) for key in d if key not in ("width", "page_lines", "mode"))
        if unknown:
            raise BadInputError(f"unknown line setting {unknown[0]!r}", "line settings")
        width = d.get("width", 72)
        page_lines = d.get("page_lines", 40)
        mode = d.get("mode", "continuous")
        if not _is_int(width) or not _is_int(page_lines):
            raise BadInputError("line width and lines per page must be whole numbers", "line settings")
        if mode == "continuous":
            return cls(width=width, page_lines=page_lines, mode="continuous")
        if mode == "restart":
            return cls(width=width, page_lines=page_lines, mode="restart")
        raise BadInputError(
            f"line numbering must be 'continuous' or 'restart', not {mode!r}", "line settings"
        )


DEFAULT_LINE_SETTINGS = LineSettings()


class Line(NamedTuple):
    """One numbered line: where it sits in the transcript and the span of text it shows.

    A named tuple rather than a frozen dataclass: a large study holds ~80,000 of them and a frozen
    dataclass's __init__ costs five `object.__setattr__` calls each, a tenth of a second per open.

    `ordinal` always counts from 1 through the whole transcript; `number` is
    what is printed and cited, and restarts each page in "restart" mode.
    `end` excludes the newline but includes spaces left at a wrap point, so
    the lines of a paragraph tile it without gaps.
    """

    ordinal: int
    page: int
    number: int
    start: int
    end: int


class LineMap:
    """The deterministic page:line layout of one transcript version, basis of every citation (TR-9, TR-10).

    Build it with `LineMap.build`; store it with `to_json` and read it back
    with `from_json`, which refuses anything inconsistent rather than cite
    wrong lines. `text_length` ties the map to its text so offsets past the
    end are caught.

    Held as two lists of line starts and ends: a study's first retrieval reads the map of every
    transcript it cites (60 maps of 1,300 lines in a large study), and a citation needs two lines of
    each, so `Line` tuples are made when asked for; `lines` builds them all once, for views that draw
    every line. Page and number follow from the position and the settings, so they cannot disagree.
    """

    __slots__ = ("_ends", "_lines", "_starts", "settings", "text_length")

    settings: LineSettings
    text_length: int
    _starts: list[int]
    _ends: list[int]
    _lines: tuple[Line, ...] | None

    def __init__(self, settings: LineSettings, starts: list[int], ends: list[int], text_length: int) -> None:
        object.__setattr__(self, "settings", settings)
        object.__setattr__(self, "text_length", text_length)
        object.__setattr__(self, "_starts", starts)
        object.__setattr__(self, "_ends", ends)
        object.__setattr__(self, "_lines", None)
        self._check()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a LineMap is frozen: its version's citations depend on it")

    def _check(self) -> None:
        """Check the invariants every lookup relies on, so a corrupt map fails loudly here.

        Every transcript's map is checked each time a project reads it, so the common case (a sound
        map) is checked with whole-list comparisons; only a failing map is walked line by line, to
        name the first bad line.
        """
        starts, ends, length = self._starts, self._ends, self.text_length
        if not starts:
            raise BadInputError("line map has no lines", "line map")
        if not _is_int(length) or length < 0:
            raise BadInputError("line map text length must be a non-negative whole number", "line map")
        widths = list(map(operator.sub, ends, starts))
        if (
            starts[0] >= 0
            and ends[-1] <= length
            and min(widths) >= 0
            and max(widths) <= self.settings.width
            and all(map(operator.lt, starts, starts[1:]))
            and all(map(operator.le, ends, starts[1:]))
        ):
            return
        previous_end = 0
        previous_start = -1
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if not (0 <= start <= end <= length):
                raise BadInputError(f"line {i + 1} has an invalid span", "line map")
            if start <= previous_start or start < previous_end:
                raise BadInputError(f"line {i + 1} overlaps or precedes the line before it", "line map")
            if end - start > self.settings.width:
                raise BadInputError(f"line {i + 1} is longer than the wrap width", "line map")
            previous_start, previous_end = start, end

    def _line(self, index: int) -> Line:
        page_lines = self.settings.page_lines
        number = index % page_lines + 1 if self.settings.mode == "restart" else index + 1
        return Line(index + 1, index // page_lines + 1, number, self._starts[index], self._ends[index])

    @property
    def lines(self) -> tuple[Line, ...]:
        """Every line, in order (built on first use)."""
        lines: tuple[Line, ...] | None = self._lines
        if lines is None:
            page_lines = self.settings.page_lines
            restart = self.settings.mode == "restart"
            make = tuple.__new__  # Line's fields in order, without the keyword-argument __new__
            lines = tuple(
                [
                    make(Line, (i + 1, i // page_lines + 1, i % page_lines + 1 if restart else i + 1, s, e))
                    for i, (s, e) in enumerate(zip(self._starts, self._ends, strict=True))
                ]
            )
            object.__setattr__(self, "_lines", lines)
        return lines

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineMap):
            return NotImplemented
        return (self.settings, self.text_length, self._starts, self._ends) == (
            other.settings,
            other.text_length,
            other._starts,
            other._ends,
        )

    def __hash__(self) -> int:
        return hash((self.settings, self.text_length, len(self._starts)))

    def __repr__(self) -> str:
        return f"LineMap({self.settings!r}, {len(self._starts)} lines, text_length={self.text_length})"

    @classmethod
    def build(
        cls,
        text: str,
        settings: LineSettings = DEFAULT_LINE_SETTINGS,
        turns: Sequence[Turn] = (),
    ) -> LineMap:
        """Cut canonical text into numbered lines: hard breaks at LF and turn starts, greedy wrap at width.

        Deterministic by design (the same text and settings always give the
        same numbers), so printed appendices and quote citations agree.
        Blank lines are lines, as in Word. A final LF does not start a new
        line. A word longer than the width is split at the width, never
        inside a combining sequence.
        """
        length = len(text)
        turn_breaks = sorted({t.start for t in turns})
        if turn_breaks and (turn_breaks[0] < 0 or turn_breaks[-1] > length):
            raise BadInputError("a turn starts outside the text", "turns")
        width = settings.width
        spans: list[tuple[int, int]] = []
        line_start = 0
        while True:
            newline = text.find("\n", line_start)
            line_end = length if newline == -1 else newline
            first = bisect_right(turn_breaks, line_start)
            last = bisect_left(turn_breaks, line_end, first)
            piece_start = line_start
            for cut in turn_breaks[first:last]:
                _wrap(text, piece_start, cut, width, spans)
                piece_start = cut
            _wrap(text, piece_start, line_end, width, spans)
            if newline == -1 or newline + 1 >= length:
                break
            line_start = newline + 1
        return cls.from_spans(settings, spans, length)

    @classmethod
    def from_spans(cls, settings: LineSettings, spans: Iterable[Sequence[int]], text_length: int) -> LineMap:
        """Lines from a sequence of (start, end) spans, numbered under `settings`."""
        pairs = list(spans)
        return cls(
            settings,
            list(map(operator.itemgetter(0), pairs)),
            list(map(operator.itemgetter(1), pairs)),
            text_length,
        )

    def to_json(self) -> dict[str, object]:
        """Compact form for the store: settings, text length and [start, end] per line."""
        return {
            "settings": self.settings.to_json(),
            "text_length": self.text_length,
            "lines": [[start, end] for start, end in zip(self._starts, self._ends, strict=True)],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> LineMap:
        """Rebuild a stored map, refusing malformed or inconsistent data instead of citing wrong lines."""
        if not isinstance(data, Mapping):
            raise BadInputError("line map must be an object", "line map")
        if set(data) != {"settings", "text_length", "lines"}:
            raise BadInputError("line map needs exactly settings, text_length and lines", "line map")
        settings = LineSettings.from_json(data["settings"])
        text_length = data["text_length"]
        raw_lines = data["lines"]
        if not _is_int(text_length):
            raise BadInputError("line map text length must be a whole number", "line map")
        if not isinstance(raw_lines, list | tuple):
            raise BadInputError("line map lines must be a list", "line map")
        # Whole-list checks (each pair a list of two ints; `type(...) is int` refuses bools too).
        if not set(map(type, raw_lines)) <= {list, tuple} or set(map(len, raw_lines)) - {2}:
            raise BadInputError("each line must be a [start, end] pair of whole numbers", "line map")
        starts = list(map(operator.itemgetter(0), raw_lines))
        ends = list(map(operator.itemgetter(1), raw_lines))
        if not set(map(type, starts)) | set(map(type, ends)) <= {int}:
            raise BadInputError("each line must be a [start, end] pair of whole numbers", "line map")
        return cls(settings, starts, ends, text_length)

    def line_at(self, offset: int) -> Line:
        """The line holding the character at `offset`; a newline belongs to the line it ends.

        `offset == text_length` (the end of the text) belongs to the last line.
        """
        if not _is_int(offset) or not 0 <= offset <= self.text_length:
            raise BadInputError(f"offset {offset} is outside the text (0–{self.text_length})", "line map")
        return self._line(self._index_at(offset))

    def _index_at(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)

    def span_of_lines(self, first: int, last: int) -> tuple[int, int]:
        """Text span from the start of line `first` to the end of line `last` (ordinals, inclusive)."""
        count = len(self._starts)
        if not (_is_int(first) and _is_int(last) and 1 <= first <= last <= count):
            raise BadInputError(f"lines {first}–{last} are not a range within 1–{count}", "line map")
        return (self._starts[first - 1], self._ends[last - 1])

    def lines_of_span(self, start: int, end: int) -> tuple[Line, Line]:
        """First and last line touched by the span [start, end); an empty span touches one line."""
        # Checked and looked up inline (`type(...) is int` refuses bools, as `_is_int` does), not
        # through `line_at` twice: a retrieval cites thousands of segments.
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= self.text_length):
            raise BadInputError(
                f"span {start}–{end} is not within the text (0–{self.text_length})", "line map"
            )
        first = max(bisect_right(self._starts, start) - 1, 0)
        last = max(bisect_right(self._starts, end - 1) - 1, 0) if end > start else first
        return (self._line(first), self._line(last))

    def __len__(self) -> int:
        """Number of lines."""
        return len(self._starts)


def _wrap(text: str, start: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    """Greedily wrap the hard line [start, end) into spans of at most `width` code points.

    Break after the last whitespace that keeps the line within `width`, so
    the whitespace ends the earlier line and spans stay contiguous; with no
    such whitespace (one long word, or only leading indentation before it),
    cut at `width`, moved back so a combining mark or emoji modifier stays
    with its base character. An empty hard line is one empty line.
    """
    pos = start
    if pos == end:
        out.append((pos, pos))
        return
    while end - pos > width:
        limit = pos + width
        cut = -1
        # The last break in (pos, limit): one regex match over at most `width` code points, rather
        # than a list of every break in the text built first (a match object per word).
        found = _LAST_BREAK.match(text, pos + 1, limit)
        if found is not None:
            j = found.end() - 1
            if text[pos:j].strip(_BREAK_CHARS):
                cut = j + 1
        if cut == -1:
            cut = limit
            while cut > pos + 1 and _continues_cluster(text, cut):
                cut -= 1
        out.append((pos, cut))
        pos = cut
    out.append((pos, end))


def _continues_cluster(text: str, index: int) -> bool:
    """True if a line must not start at `index` because the character there belongs to the one before."""
    char = text[index]
    if text[index - 1] == _ZWJ or char == _ZWJ:
        return True
    if unicodedata.category(char) in ("Mn", "Mc", "Me"):
        return True
    return "\ufe00" <= char <= "\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff"


# ---------------------------------------------------------------------------
# Citations (TR-11)
# ---------------------------------------------------------------------------

DEFAULT_CITATION = "{pseudonym}, {page}:{line_start}–{line_end}"
CITATION_STYLES: dict[str, str] = {
    "page-line": DEFAULT_CITATION,
    "p-l": "{pseudonym}, p.{page}, l.{line_start}-{line_end}",
    "lines": "{pseudonym}, {line_start}–{line_end}",
    "id-page-line": "({id}, {page}.{line_start})",
}
_CITATION_FIELDS = frozenset({"pseudonym", "id", "page", "page_end", "line", "line_start", "line_end"})
_LINE_RANGE_RE = re.compile(r"\{line_start\}(\s*[–—-]\s*)\{line_end\}")
_PAGE_LINE_RANGE_RE = re.compile(r"\{page\}([:.])\{line_start\}(\s*[–—-]\s*)\{line_end\}")


def format_citation(
    linemap: LineMap,
    start: int,
    end: int,
    pseudonym: str,
    participant_id: str = "",
    template: str = DEFAULT_CITATION,
    lines: tuple[Line, Line] | None = None,
) -> str:
    """Cite the span [start, end) as page:line from the frozen LineMap, e.g. "Alex, 3:12–15".

    `lines` may pass the span's first and last line when the caller already looked them up
    (retrieval of thousands of segments does).

    Uses printed line numbers, so citations match the numbered appendix. A
    one-line quote drops the range ("Alex, 3:12"); a quote across a page
    break names both pages ("Alex, 4:118–5:3") in `{page}:{line_start}–
    {line_end}`-style templates, and shows "4–5" for `{page}` in others.
    Placeholders: {pseudonym} {id} {page} {page_end} {line} (= line_start)
    {line_start} {line_end}; anything else is refused, as is a template
    without {page} when numbers restart on each page (it would be ambiguous).
    """
    first, last = lines or linemap.lines_of_span(start, end)
    if linemap.settings.mode == "restart" and "{page" not in template:
        raise BadInputError(
            "this citation style has no {page}, but line numbers restart on each page", "citation template"
        )
    page: str | int = first.page
    one_line, across_pages, same_page, names_both_pages = _citation_formatters(template)
    if first.ordinal == last.ordinal:
        form = one_line
    elif first.page != last.page:
        form = across_pages
        if not names_both_pages:
            page = f"{first.page}–{last.page}"
    else:
        form = same_page
    try:
        return form(pseudonym, participant_id, page, last.page, first.number, first.number, last.number)
    except (ValueError, TypeError) as exc:
        raise BadInputError(
            f"citation template {template!r} cannot be used: {exc}", "citation template"
        ) from None


_CITATION_ORDER = ("pseudonym", "id", "page", "page_end", "line", "line_start", "line_end")
"""The arguments of a compiled citation form, in order (see `_citation_formatters`)."""


@functools.lru_cache(maxsize=64)
def _citation_formatters(
    template: str,
) -> tuple[Callable[..., str], Callable[..., str], Callable[..., str], bool]:
    """The forms of `template` for a one-line quote, for a quote across a page break and for the
    rest, and whether the page-break form names both pages: worked out once per template, as
    `str.format` methods taking the fields by position (`_CITATION_ORDER`), half the cost of naming
    them, for the thousands of citations a retrieval makes. A bad template is refused here (and,
    not being cached, again at each use)."""
    _check_citation_template(template)
    one_line = _LINE_RANGE_RE.sub("{line_start}", template)
    across, replaced = _PAGE_LINE_RANGE_RE.subn(r"{page}\1{line_start}\2{page_end}\1{line_end}", template)
    return (
        _positional(one_line).format,
        _positional(across).format,
        _positional(template).format,
        bool(replaced),
    )


def _positional(template: str) -> str:
    """A checked citation template with its named fields replaced by their positions."""
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            converted = f"!{conversion}" if conversion else ""
            out.append(f"{{{_CITATION_ORDER.index(name)}{converted}{':' + spec if spec else ''}}}")
    return "".join(out)


def _check_citation_template(template: str) -> None:
    """Refuse unknown placeholders, attribute or index access and nested fields in a user template."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise BadInputError(
            f"citation template {template!r} is malformed: {exc}", "citation template"
        ) from None
    for _literal, name, spec, _conversion in parsed:
        if name is None:
            continue
        if name not in _CITATION_FIELDS:
            known = " ".join(f"{{{f}}}" for f in sorted(_CITATION_FIELDS))
            raise BadInputError(
                f"unknown placeholder {{{name}}} in citation template; use {known}", "citation template"
            )
        if spec and "{" in spec:
            raise BadInputError("citation template placeholders cannot be nested", "citation template")


# ---------------------------------------------------------------------------
# Extracts (TR-12)
# ---------------------------------------------------------------------------


def extract(
    text: str,
    turns: Sequence[Turn],
    start: int,
    end: int,
    context_lines: int = 0,
    linemap: LineMap | None = None,
) -> str:
    """Verbatim text of [start, end) for a quote, with speaker labels removed (TR-12).

    The words are never altered: the result is slices of the canonical text.
    Labels are structure, not speech, so they are left out; when the span
    crosses turns, each part goes on its own line and interviewer parts are
    prefixed "I: " so a reader sees who said what. With `context_lines` and a
    `linemap`, that many whole lines before and after are included.
    """
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(text)):
        raise BadInputError(f"span {start}–{end} is not within the text (0–{len(text)})", "extract")
    if not _is_int(context_lines) or context_lines < 0:
        raise BadInputError("context lines must be a non-negative whole number", "extract")
    if context_lines:
        if linemap is None:
            raise BadInputError("context lines need the transcript's line map", "extract")
        first, last = linemap.lines_of_span(start, end)
        before = max(first.ordinal - context_lines, 1)
        after = min(last.ordinal + context_lines, len(linemap))
        start, end = linemap.span_of_lines(before, after)
    if start == end:
        return ""
    touched = sorted((t for t in turns if t.start < end and t.end > start), key=lambda t: t.start)
    if not touched:
        return text[start:end]
    pieces: list[tuple[Turn, str]] = []
    for turn in touched:
        piece_start = max(start, turn.start, _label_end(text, turn))
        piece_end = min(end, turn.end)
        if piece_start < piece_end:
            pieces.append((turn, text[piece_start:piece_end]))
    if len(pieces) == 1:
        return pieces[0][1]
    return "\n".join(f"I: {piece}" if turn.role == "interviewer" else piece for turn, piece in pieces)


def _label_end(text: str, turn: Turn) -> int:
    """Offset where the turn's speech begins: after the label, its colon and the whitespace after it."""
    _, label_end = turn_label_span(text, turn)
    if label_end == turn.start:
        return turn.start
    while label_end < turn.end and text[label_end] in " \t\n":
        label_end += 1
    return label_end
