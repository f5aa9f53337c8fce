"""Synthetic GT interviews (written for these tests; no real person) and an in-process `workbench` runner.

Every participant answer is one tool line: answer k of a transcript is on line 4k - 1 (question, blank,
answer, blank ...), so line-by-line coding can name lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import run, transcript  # noqa: F401  (the console-script fixtures)
from tests.cli_inprocess import run_cli

QUESTIONS = (
    "How did you first meet your peer worker?",
    "How did trust develop?",
    "What stood out about them?",
    "Where are you now?",
)
ANSWERS = {
    "P01": (
        "She said she'd been on the same ward as me.",
        "I tested her at first, cancelled twice.",
        "She was in the same boat, you know.",
        "Seeing her well gave me hope.",
    ),
    "P02": (
        "She told me about her own section.",
        "I waited to see if she would judge me.",
        "She didn't flinch at anything I said.",
        "Hope came slowly, week by week.",
    ),
    "P03": (
        "He shared bits when it was relevant.",
        "I lend trust a bit at a time.",
        "He kept some things private, fair enough.",
        "Now I help run a group myself.",
    ),
    "P04": (
        "His story was psychosis, mine was food.",
        "I checked if he'd gossip to the team.",
        "He owned it when he got it wrong.",
        "I still use what he taught me.",
    ),
}
PSEUDONYMS = {"P01": "Alex", "P02": "Jas", "P03": "Clive", "P04": "Carys"}


def answer_line(k: int) -> str:
    """The tool line of answer k (1-based)."""
    return str(4 * k - 1)


def transcript_text(pid: str) -> str:
    parts = []
    for question, answer in zip(QUESTIONS, ANSWERS[pid], strict=True):
        parts.append(f"Interviewer: {question}\n\nParticipant: {answer}\n")
    return "\n".join(parts)


Cli = Callable[..., str]


@pytest.fixture
def cli() -> Cli:
    return run_cli


def table(cli: Cli, directory: Path, name: str, *options: str) -> list[dict[str, Any]]:
    """A registered table as JSON rows, through `workbench table`."""
    extra = [arg for option in options for arg in ("--option", option)]
    rows: list[dict[str, Any]] = json.loads(cli("table", str(directory), name, "--format", "json", *extra))
    return rows


def write_transcripts(folder: Path) -> list[Path]:
    """The four interviews as a transcriber or a meeting tool would hand them over (GT-E2E): a text file,
    a Word document, a Microsoft Teams WebVTT file and a Zoom WebVTT file, with the same words."""
    folder.mkdir(parents=True, exist_ok=True)
    writers = (_write_txt, _write_docx, _write_teams_vtt, _write_zoom_vtt)
    return [
        writer(folder / f"interview-{number}", pid)
        for number, (pid, writer) in enumerate(zip(ANSWERS, writers, strict=True), start=1)
    ]


def _turns(pid: str) -> list[tuple[str, str]]:
    return [
        turn
        for question, answer in zip(QUESTIONS, ANSWERS[pid], strict=True)
        for turn in (("Interviewer", question), ("Participant", answer))
    ]


def _write_txt(stem: Path, pid: str) -> Path:
    path = stem.with_suffix(".txt")
    path.write_text(transcript_text(pid), encoding="utf-8")
    return path


def _write_docx(stem: Path, pid: str) -> Path:
    from docx import Document

    document = Document()
    for speaker, words in _turns(pid):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{speaker}:").bold = True
        paragraph.add_run(f" {words}")
    path = stem.with_suffix(".docx")
    document.save(str(path))
    return path


def _cue_time(seconds: int) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"


def _write_teams_vtt(stem: Path, pid: str) -> Path:
    """Teams: GUID-like cue ids and <v Name> voice tags."""
    lines = ["WEBVTT", ""]
    for n, (speaker, words) in enumerate(_turns(pid)):
        lines += [
            f"1c2d3e4f-0000-4000-8000-{n:012d}/{n}-0",
            f"{_cue_time(n * 20)} --> {_cue_time(n * 20 + 19)}",
            f"<v {speaker}>{words}</v>",
            "",
        ]
    path = stem.with_suffix(".vtt")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _write_zoom_vtt(stem: Path, pid: str) -> Path:
    """Zoom: numbered cues with "Name: words"."""
    lines = ["WEBVTT", ""]
    for n, (speaker, words) in enumerate(_turns(pid), start=1):
        lines += [str(n), f"{_cue_time(n * 20)} --> {_cue_time(n * 20 + 19)}", f"{speaker}: {words}", ""]
    path = stem.with_suffix(".vtt")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def make_study(folder: Path) -> Path:
    """A GT project with the four interviews imported as S1..S4 (participants P01..P04), nothing coded.

    As in METHODS.md's GT-E2E: a .txt, a .docx, a Teams .vtt and a Zoom .vtt interview.
    """
    directory = folder / "study"
    run_cli("new", str(directory), "--title", "Peer support (synthetic)", "--method", "gt")
    for path, pid in zip(write_transcripts(folder / "transcripts"), ANSWERS, strict=True):
        run_cli("add", str(directory), str(path), "--participant", pid, "--pseudonym", PSEUDONYMS[pid])
    return directory


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path)
