"""Text from people and other tools is untrusted: one policy for what is stored and what is shown.

Projects travel (imported from other tools, unpacked from archives, opened by a second researcher over
SSH), so any free-text field may hold bytes a terminal obeys instead of showing: `ESC ] 0 ;` sets the
window title, `ESC ] 52 ;` writes the clipboard (around the project's own audited clipboard-off
setting), `ESC [ 2J` clears the screen, U+009B is the same CSI in one character, and a right-to-left
override (U+202E) makes `evil.csv` display as something else. Two rules, both here so every shell and
importer applies the same ones:

- **In:** `check_text` refuses such characters in a field with one line naming the field (tab is
  allowed, a newline only where the field has lines); `cleaned` strips them where text is taken from a
  file rather than typed (an importer reports what it stripped). Undecodable command-line bytes, which
  Python hands over as lone surrogates, are refused the same way rather than failing deep in the audit
  layer.
- **Out:** `shown` writes every such character as a visible escape (`\\u001b`, `\\u202e`), so text
  written by an older version, or by hand, can never reach a terminal raw. The escape is JSON's own,
  so a JSON document passed through it still parses to exactly the same value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from workbench.core.errors import BadInputError

_C0 = "\x00-\x08\x0b-\x1f"
_C1 = "\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"

UNSAFE = re.compile(f"[{_C0}{_C1}{_BIDI}{_SURROGATES}]")
"""What no stored text may hold: C0 and C1 controls except tab and newline, bidi overrides and
isolates, lone surrogates (undecodable bytes)."""
UNSAFE_LINE = re.compile(f"[\n{_C0}{_C1}{_BIDI}{_SURROGATES}]")
"""The same for a one-line field, which holds no newline either."""

SURROGATE = re.compile(f"[{_SURROGATES}]")
"""Undecodable bytes as Python passes them on (surrogateescape)."""

# Whole escape sequences, so cleaning `ESC ] 0 ; title BEL` leaves nothing of it behind, not "]0;title".
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS/SOS/PM/APC
    r"|\x1b[ -/]*[0-~]"  # two-character escapes (ESC c, ESC 7, ...)
)

_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BS",
    "\x0d": "CR",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\x9b": "CSI",
    "\x9d": "OSC",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}


def describe(char: str) -> str:
    """A person's name for one unsafe character: `control character U+001B (ESC)`."""
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:
        if 0xDC80 <= point <= 0xDCFF:  # how Python passes an undecodable byte (surrogateescape)
            return f"a byte that is not UTF-8 text (0x{point - 0xDC00:02X})"
        return f"an invalid character (lone surrogate U+{point:04X})"
    if char == "\n":
        return "a line break"
    kind = "bidirectional control" if 0x202A <= point <= 0x2069 else "control character"
    name = _NAMES.get(char)
    return f"{kind} U+{point:04X}" + (f" ({name})" if name else "")


def problem(value: str, *, lines: bool = False) -> str | None:
    """What is wrong with `value` as stored text, in words, or None when it is safe."""
    found = (UNSAFE if lines else UNSAFE_LINE).search(value)
    if found is None:
        return None
    return f"contains {describe(found.group())} at character {found.start() + 1}"


def check_text(value: str, where: str, *, lines: bool = False) -> str:
    """Return `value` if it is safe to store, else refuse it with one line naming the field `where`."""
    message = problem(value, lines=lines)
    if message is not None:
        raise BadInputError(f"{message}; remove it and try again", where)
    return value


def is_safe(value: str, *, lines: bool = True) -> bool:
    return (UNSAFE if lines else UNSAFE_LINE).search(value) is None


def cleaned(value: str, *, lines: bool = True) -> str:
    """`value` with every unsafe character (and whole escape sequences) removed.

    For text taken from a file rather than typed: stripping them changes nothing a reader sees, and
    the importer names what it stripped. Lone surrogates become U+FFFD, the usual mark of bytes that
    could not be read. In a one-line field a line break becomes a space.
    """
    value = _SEQUENCE.sub("", value)
    if not lines:
        value = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return UNSAFE.sub(lambda m: "\ufffd" if 0xD800 <= ord(m.group()) <= 0xDFFF else "", value)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def shown(text: str, *, lines: bool = True) -> str:
    """`text` as it may be written to a terminal: every unsafe character as a visible `\\u001b` escape.

    The escape is JSON's own, so the same helper serves a JSON document (where it keeps the parsed
    value exact: `json.dumps` leaves C1 controls, bidi overrides and lone surrogates raw) and plain
    output. With `lines=False` a newline is escaped too, for the places that promise one line (an
    error, a table cell). Safe text comes back unchanged (and fast: one regex search).
    """
    pattern = UNSAFE if lines else UNSAFE_LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def unsafe_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every string in a JSON value (keys included) that holds an unsafe character.

    Paths read `attributes.group` or `links[2]`, so a refusal or a `check` warning can name the field.
    """
    if isinstance(value, str):
        if UNSAFE.search(value):
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and UNSAFE.search(key):
                yield f"{path}#key", key
            yield from unsafe_strings(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unsafe_strings(item, f"{path}[{index}]")


# Where an unsafe character can be in orjson's output: C0 escaped as \\u00XX (or \\r \\b \\f), the rest raw.
_ENCODED_UNSAFE = re.compile(
    rb"\\u00[01][0-9a-f]|\\[rbf]|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]"
)


def may_hold_unsafe(values: list[Any]) -> bool:
    """A fast, conservative first look at many documents at once (one encode, one search).

    False means none of them holds an unsafe string; True means look closer with `unsafe_strings`
    (a literal backslash before `r` in the text also says True).
    """
    import orjson  # here, not at the top: printing `--help` goes through this module (issue 25)

    try:
        encoded = orjson.dumps(values)
    except TypeError:  # lone surrogates (or a value orjson cannot encode): look closer
        return True
    return _ENCODED_UNSAFE.search(encoded) is not None


def clean_value(value: Any) -> Any:
    """A copy of a JSON value with `cleaned` applied to every string in it (keys included)."""
    if isinstance(value, str):
        return cleaned(value) if UNSAFE.search(value) else value
    if isinstance(value, dict):
        return {(cleaned(k) if isinstance(k, str) else k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    return value


_INDEX = re.compile(r"\[\d+\]")


class Scrubber:
    """Cleans text taken from another tool's file, field by field, and remembers what it removed.

    The import paths (REFI-QDA projects and codebooks, archives, coders' copies, transcript files'
    notes) use it instead of refusing: the researcher cannot fix a field inside another tool's export,
    and a stray escape in one memo should not block a whole study. Each field's report names it the
    way `check` does; the same removal in many places (a user name on every coding) is one line.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], int] = {}

    def text(self, value: str, where: str, *, lines: bool = True) -> str:
        """`value` cleaned (see `cleaned`), noting the first unsafe character under `where`.

        Windows line ends become newlines first (and any line break a space in a one-line field):
        that is layout, not something to report.
        """
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if not lines and "\n" in value:
            value = value.replace("\n", " ")
        found = UNSAFE.search(value)
        if found is None:
            return value
        key = (_INDEX.sub("", where), describe(found.group()))
        self._found[key] = self._found.get(key, 0) + 1
        return cleaned(value, lines=lines)

    def value(self, value: Any, where: str) -> Any:
        """A JSON value, a tuple or a (frozen) dataclass of them with every string cleaned.

        Returns `value` itself when nothing in it needed cleaning, so callers can test `is`.
        """
        if not isinstance(value, str) and not may_hold_unsafe([value]):
            return value  # the usual case (a turn per line of a transcript), without a walk naming each place
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, Mapping):
            out, changed = {}, False
            for key, item in value.items():
                new_key = self.text(key, f"{where} key") if isinstance(key, str) else key
                new_item = self.value(item, f"{where}.{key}")
                changed = changed or new_key is not key or new_item is not item
                out[new_key] = new_item
            return out if changed else value
        if isinstance(value, list | tuple):
            items = [self.value(item, f"{where}[{i}]") for i, item in enumerate(value)]
            if all(a is b for a, b in zip(items, value, strict=True)):
                return value
            return type(value)(items) if isinstance(value, tuple) else items
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for item in dataclasses.fields(value):
                old = getattr(value, item.name)
                new = self.value(old, f"{where} {item.name}")
                if new is not old:
                    changes[item.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        return value

    def document(self, doc: Mapping[str, Any], name: Callable[[str], str]) -> dict[str, Any]:
        """A stored document cleaned, each top-level field named by `name(key)` (`code C3 label`)."""
        return {self.text(k, name(f"{k}#key")): self.value(v, name(k)) for k, v in doc.items()}

    def report(self) -> list[str]:
        """One line per field and kind of character removed: `code 'Joy' label: removed ... (3 places)`."""
        lines = []
        for (where, what), count in self._found.items():
            places = f" ({count:,} places)" if count > 1 else ""
            lines.append(f"{shown(where, lines=False)}: removed {what}{places}")
        return lines


def replaced(text: str) -> tuple[str, int]:
    """A transcript's text with each unsafe character replaced by U+FFFD, one for one, and how many.

    For a transcript inside another tool's project, where removing a character would move every anchor
    after it: a replacement keeps every offset, and shows the reader where something was.
    """
    count = 0

    def mark(_match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return "\ufffd"

    return UNSAFE.sub(mark, text), count
