"""Fixtures for the RTA plugin's tests: the host's own plugin-author fixtures, and a small synthetic study.

Everything here goes through the public API of the ``workbench`` package root and ``workbench.testing``,
exactly as an outside plugin author would, so the tests run the same from this folder and from the
workbench checkout's ``make test``. The interview is invented (no real participant).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rta_study import add_interview, code_line
from workbench import Project

pytest_plugins = ["workbench.testing"]


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Project]:
    """A writable ``rta`` project with one interview (S1) and two codes on the participant's answers."""
    with Project.create(tmp_path / "study", "Peer support", "rta") as project:
        source = add_interview(project)
        code_line(project, source, 3, "Expecting judgement")
        code_line(project, source, 7, "Being recognised")
        yield project
