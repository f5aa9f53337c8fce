"""A synthetic four-interview study (no real person) and an in-process runner for the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_inprocess import run_cli as cli

INTERVIEWS = {
    "P01": (
        "Alex",
        ("She had been on the same ward as me.", "I tested her at first.", "Seeing her well gave me hope."),
    ),
    "P02": (
        "Quentin",
        ("My cat sleeps on the warm radiator.", "Trust came slowly, week by week.", "Hope grew."),
    ),
    "P03": (
        "Clive",
        ("He shared bits when relevant.", "I lend trust a bit at a time.", "I run a group now."),
    ),
    "P04": (
        "Carys",
        ("His story was different from mine.", "I checked if he would gossip.", "I use what he taught."),
    ),
}


def transcript(pid: str) -> str:
    questions = ("How did you meet?", "How did trust develop?", "Where are you now?")
    answers = INTERVIEWS[pid][1]
    return "".join(
        f"Interviewer: {q}\n\nParticipant: {a}\n\n" for q, a in zip(questions, answers, strict=True)
    )


def cli_json(*args: str) -> Any:
    """JSON output: `workbench table` takes ``--format json``, every other listing ``--json``."""
    extra = () if "--format" in args else ("--json",)
    return json.loads(cli(*args, *extra))


def make_study(folder: Path) -> Path:
    directory = folder / "study"
    cli("new", str(directory), "--title", "Peer support (synthetic)", "--method", "gt")
    for number, (pid, (pseudonym, _answers)) in enumerate(INTERVIEWS.items(), start=1):
        path = folder / f"interview-{number}.txt"
        path.write_text(transcript(pid), encoding="utf-8")
        cli("add", str(directory), str(path), "--participant", pid, "--pseudonym", pseudonym)
    for label in ("Shared experience", "Testing trust", "Hope"):
        cli("codebook", str(directory), "create", label)
    return directory


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path)
