"""The real TUI in a real terminal: tmux at 80x24, keys typed, the result checked with the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.model import ImportedTranscript
from workbench.core.project import Project

WORKBENCH = str(Path(sys.executable).parent / "workbench")
TEXT = (
    "Interviewer: How did you first meet your peer support worker?\n\n"
    "Participant: It was on the ward. She said she'd been there herself.\n\n"
    "Interviewer: And then?\n\n"
    "Participant: I stopped performing being okay.\n"
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(
            ["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True
        )
        time.sleep(0.15)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study"
    with Project.create(path, "Tmux study", "gt") as p:
        p.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
    return path


@pytest.fixture
def terminal(study: Path) -> Iterator[Terminal]:
    name = f"wb-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "TERM": "xterm-256color", "WORKBENCH_KEYMAP": str(study / "no-keymap.toml")}
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", f"{WORKBENCH} open {study}"],
        check=True,
        env=env,
    )
    terminal = Terminal(name)
    try:
        yield terminal
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_coding_a_line_with_a_new_label_in_a_real_terminal(terminal: Terminal, study: Path) -> None:
    terminal.wait_for("Tmux study")
    terminal.keys("Enter")  # open the first transcript from the home view
    terminal.wait_for("She said she'd been there")
    terminal.keys("j", "j")  # line 3: the participant's first turn
    terminal.keys("c")
    terminal.keys("Being believed", literal=True)
    terminal.keys("Enter")
    time.sleep(0.5)
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), "q did not quit the app"
    result = subprocess.run(
        [WORKBENCH, "segments", str(study), "Being believed", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    (segment,) = json.loads(result.stdout)
    assert segment["text"] == "It was on the ward. She said she'd been there herself."
