"""GT-E2E's four interviews arrive as .txt, .docx, Teams .vtt and Zoom .vtt, and read alike."""

from __future__ import annotations

from pathlib import Path

from tests.gt.conftest import make_study
from workbench.core.project import Project


def test_the_four_interviews_come_through_four_importers_with_the_same_turns(tmp_path: Path) -> None:
    study = make_study(tmp_path)
    with Project.open(study, readonly=True) as project:
        sources = project.sources()
        assert [s["importer"] for s in sources] == ["plaintext", "docx", "vtt", "vtt"]
        shapes = [[t.label for t in project.effective_turns(s["id"])] for s in sources]
        assert all(shape == shapes[0] for shape in shapes)
        assert shapes[0][:2] == ["Interviewer", "Participant"]
