"""``workbench rta ...`` through the real console script, as a researcher's shell or script runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rta_study import add_interview, code_line
from workbench import Project

WORKBENCH = str(Path(sys.executable).parent / "workbench")


def wb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([WORKBENCH, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A closed ``rta`` project with one coded interview, for the CLI to open."""
    with Project.create(tmp_path / "study", "Peer support", "rta") as project:
        code_line(project, add_interview(project), 3, "Expecting judgement")
    return tmp_path / "study"


def test_a_theme_is_created_and_its_map_written_as_mermaid(study_dir: Path, tmp_path: Path) -> None:
    created = wb(
        "rta",
        "theme",
        str(study_dir),
        "Judgement",
        "--concept",
        "others' gaze",
        "--code",
        "Expecting judgement",
        cwd=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    written = wb("rta", "map", str(study_dir), "--format", "mermaid", "--output", "map.mmd", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "map.mmd").read_text(encoding="utf-8") == 'flowchart TD\n  R1["? Judgement"]\n'


def test_a_theme_without_a_concept_is_one_error_line_and_changes_nothing(
    study_dir: Path, tmp_path: Path
) -> None:
    refused = wb("rta", "theme", str(study_dir), "Judgement", "--code", "Expecting judgement", cwd=tmp_path)
    assert refused.returncode == 3
    (line,) = refused.stderr.splitlines()
    assert line.startswith("workbench: error: THEME: no theme 'Judgement'; create it with --concept")
    with Project.open(study_dir, readonly=True) as project:
        assert project.records("rta.theme") == []
