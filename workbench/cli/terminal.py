"""Everything the CLI writes passes through the untrusted-text policy on its way to the terminal.

Over two hundred print calls (the CLI's and every plugin's commands) print stored text: pseudonyms,
memo titles, attribute values, file names. Escaping at each of them would miss the next one, so the
streams themselves are wrapped for the run of a command: any unsafe character (untrusted.py) is
written as a `\\u001b` escape, which keeps plain output readable and JSON output exact.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from workbench.core.untrusted import shown


class EscapingStream(io.TextIOBase):
    """A text stream that writes `shown(text)` to the stream it wraps."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(shown(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", None) or "utf-8"


@contextmanager
def escaped_output() -> Iterator[None]:
    """Wrap stdout and stderr for the duration of one command, then give back the originals."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(out), EscapingStream(err)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = out, err
