"""Reading docs/plugin-guide.md the way its tests need it: the blocks marked to run, and the file excerpts.

A fenced ```sh block preceded by ``<!-- guide-test -->`` is run; a ```text block preceded by
``<!-- guide-output -->`` right after it lists lines its output must contain. A block preceded by
``<!-- file: PATH -->`` is an excerpt that must appear, verbatim, in that file of the checkout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugin-guide.md"
EXAMPLE = ROOT / "examples" / "workbench-rta"

_BLOCK = re.compile(
    r"<!-- (?P<marker>guide-test|guide-output|file: [^>]+?) -->\n```[a-z]*\n(?P<body>.*?)^```", re.M | re.S
)


@dataclass(frozen=True)
class Step:
    """A shell block to run and the lines its output must show."""

    script: str
    expected: tuple[str, ...]


def steps(text: str) -> list[Step]:
    found: list[Step] = []
    for match in _BLOCK.finditer(text):
        marker, body = match["marker"], match["body"]
        if marker == "guide-test":
            found.append(Step(body, ()))
        elif marker == "guide-output":
            if not found:
                raise ValueError("a guide-output block must follow a guide-test block")
            last = found.pop()
            found.append(Step(last.script, tuple(line for line in body.splitlines() if line.strip())))
    return found


def excerpts(text: str) -> list[tuple[str, str]]:
    """(path relative to the checkout, excerpt) for every ``<!-- file: PATH -->`` block."""
    return [
        (match["marker"].removeprefix("file: ").strip(), match["body"])
        for match in _BLOCK.finditer(text)
        if match["marker"].startswith("file: ")
    ]
