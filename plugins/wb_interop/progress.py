"""Progress lines for long imports and exports ("importing sources 12/60"), on stderr and only for a person.

Scripts and ``--json`` output must stay clean, so nothing is printed unless stderr is a terminal; the
line is rewritten in place and ends with a newline when the step is done.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Report = Callable[[str, int, int], None]


def quiet(_step: str, _done: int, _total: int) -> None:
    """The reporter for tests and non-interactive runs: says nothing."""


class Progress:
    """Calls of ``progress(step, done, total)`` become one updating line per step, at most ten a second."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self._last = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if not finished and now - self._last < 0.1:
            return
        self._last = now
        self.stream.write(f"\r{step} {done:,}/{total:,}" + ("\n" if finished else ""))
        self.stream.flush()


def for_terminal() -> Report:
    """A `Progress` when stderr is a terminal, else `quiet`."""
    return Progress() if sys.stderr.isatty() else quiet
