"""Synthetic transcripts and projects for the interoperability tests (made-up people and words only)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import run, study, transcript  # noqa: F401 (CLI fixtures for these tests too)
from workbench import ImportedTranscript
from workbench.core.project import Project

#: Copies of shared/refi-qda's samples and offset test vectors (provenance in its README.md), kept in the
#: repository so a fresh clone tests them without the folder beside it.
REFI = Path(__file__).resolve().parent / "data" / "refi-qda"

TEXT = (
    "Interviewer: What was the first meeting like?\n\n"
    "Participant: Honestly (.) I didn't want to go. [laughs] But she'd been on the ward too, "
    "and something in me unclenched 😀 at the café.\n\n"
    "Interviewer: And after that?\n\n"
    "Participant: We started from the middle, not the beginning.\n"
)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def coded(tmp_path: Path) -> Iterator[Project]:
    """A GT project with codes, codings by two coders, memos, a link, a set, a cluster and a plugin record."""
    with Project.create(tmp_path / "study", "Peer support", "gt", actor="alice") as project:
        sid = project.add_source(ImportedTranscript(TEXT), "p01.txt", participant_id="P01", pseudonym="Alex")
        project.create_code("Relief", definition="Feeling let off the hook", level="focused")
        project.create_code("Unclenching", parent="Relief", kind="in-vivo")
        first = project.code(sid, *span(TEXT, "something in me unclenched 😀 at the café"), "Unclenching")
        project.code(sid, *span(TEXT, "something in me unclenched 😀 at the café"), "Relief", coder="bob")
        project.code(sid, *span(TEXT, "We started from the middle"), "Relief")
        project.write_memo("On relief", "Relief seems shared.", links=["Relief"], memo_type="theoretical")
        project.write_memo("Free memo", "Not linked to anything.", memo_type="reflexive")
        project.create_link(
            "Unclenching", "Relief", "is a kind of", direction="one-way", evidence=[f"coding:{first}"]
        )
        project.create_set("Double coded", ["Relief", sid])
        project.create_cluster("Safety", ["Relief"], techniques=["abstraction"])
        project.add_record("gt.category", {"name": "Disclosure", "properties": ["timing"]}, links=["Relief"])
        yield project


def docx_bytes(build: object) -> bytes:
    """Save a python-docx Document built by `build(document)`."""
    from docx import Document

    document = Document()
    build(document)  # type: ignore[operator]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
