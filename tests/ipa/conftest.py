"""IPA test helpers: three synthetic interviews and a runner for the real CLI.

`wb` runs ``workbench ARGS`` in this process (`tests.cli_inprocess.invoke`); `tests.cli.conftest.run`
is used where the separate process itself matters.
Every word of the transcripts was written for these tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli_inprocess import Result
from tests.cli_inprocess import invoke as run_wb

TRANSCRIPTS = {
    "P01": (
        "Ann",
        "Interviewer: How did you first meet your peer worker?\n\n"
        "Participant: I didn't want to go at first. I thought (.) another professional with another "
        "form to fill in. But she said she had been on the same ward, years back, and something in me "
        "just unclenched.\n\n"
        "Interviewer: What was that like?\n\n"
        "Participant: Like breathing out. [laughs] I didn't have to explain the basics to her. We could "
        "start from the middle, and that felt like being let off the hook.\n\n"
        "Interviewer: Has anything changed since?\n\n"
        "Participant: I can see a future now. If she came through it then maybe I can too, one day at "
        "a time.\n",
    ),
    "P02": (
        "Ben",
        "Interviewer: Tell me about your peer worker.\n\n"
        "Participant: He spoke up for me in the ward round when I couldn't find the words. The doctors "
        "listened to him differently, like he had a foot in both camps.\n\n"
        "Interviewer: How did that feel?\n\n"
        "Participant: Safe, honestly. He'd been there too, so I didn't have to pretend I was fine. "
        "I could just say it was bad and he'd nod.\n",
    ),
    "P03": (
        "Cara",
        "Interviewer: What stands out about working with your peer worker?\n\n"
        "Participant: That she'd been where I am. I didn't have to explain myself, she just got it, "
        "and I stopped bracing for the next question.\n\n"
        "Interviewer: Anything else?\n\n"
        "Participant: Mostly that I felt like a person again (.) not a file, not a risk.\n",
    ),
}


Wb = Callable[..., Result]


@pytest.fixture
def wb() -> Wb:
    return run_wb


def make_study(directory: Path) -> Path:
    """A new ipa project with the three synthetic interviews as S1 (P01 Ann), S2 (P02 Ben), S3 (P03 Cara)."""
    os.environ.setdefault("WORKBENCH_DISABLE_PLUGINS", "")
    run_wb("new", str(directory), "--title", "Peer support (synthetic)", "--method", "ipa")
    for participant, (pseudonym, text) in TRANSCRIPTS.items():
        path = directory.parent / f"{participant.lower()}.txt"
        path.write_text(text, encoding="utf-8")
        run_wb("add", str(directory), str(path), "--participant", participant, "--pseudonym", pseudonym)
    return directory


def line_of(directory: Path, source: str, phrase: str) -> int:
    """The tool line (ordinal) on which `phrase` starts in the source's current version."""
    from workbench.core.project import Project

    with Project.open(directory, readonly=True) as project:
        _version, record = project.current_text(source)
        at = record.text.index(phrase)
        return int(record.linemap.line_at(at).ordinal)


def lines(directory: Path, source: str, first: str, last: str | None = None) -> str:
    """``A-B`` from the line of `first` to the line of `last` (or just `first`'s line)."""
    a = line_of(directory, source, first)
    b = line_of(directory, source, last) if last else a
    return f"{a}-{b}"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path / "study")
