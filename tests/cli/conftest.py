"""Helpers that run the real `workbench` console script, as scripts and checks do."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

WORKBENCH = str(Path(sys.executable).parent / "workbench")

TRANSCRIPT = (
    "Interviewer: Can you tell me about the first time you met your peer worker?\n\n"
    "Participant: Honestly I didn't want to. I thought (.) another professional, another form. "
    "But she said she'd been on the same ward, years back, and something in me just unclenched. "
    "I remember thinking, she knows what the nights are like.\n\n"
    "Interviewer: What was that like for you?\n\n"
    "Participant: Like being let off the hook. [laughs] I didn't have to explain the basics. "
    "We could start from the middle.\n"
)

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run `workbench ARGS...`; returns the completed process (text mode)."""

    def _run(
        *args: str, ok: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [WORKBENCH, *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            env={**os.environ, "WORKBENCH_DISABLE_PLUGINS": "", **(env or {})},
        )
        if ok and result.returncode != 0:
            raise AssertionError(f"workbench {' '.join(args)} failed: {result.stderr}")
        return result

    return _run


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "p01.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def study(tmp_path: Path, run: Run, transcript: Path) -> Path:
    """A project with one imported transcript (S1, participant P01 'Alex')."""
    directory = tmp_path / "study"
    run("new", str(directory), "--title", "Peer support", "--method", "gt")
    run("add", str(directory), str(transcript), "--participant", "P01", "--pseudonym", "Alex")
    return directory


def tree_digest(directory: Path) -> dict[str, str]:
    """Every file's bytes, hashed: the 'project untouched' oracle."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }
