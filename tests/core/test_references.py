"""Removing a coding never leaves a memo, link or set pointing at nothing: what referred to it refers
to its passage instead, which is kept; undo brings the coding and the references back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.integrity import check_project
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project

TEXT = "Participant: I kept going because someone had been there before me.\n"


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    p = Project.create(tmp_path / "p", "References", actor="ann")
    p.add_source(ImportedTranscript(TEXT), "P01.txt", participant_id="P01", pseudonym="Ash")
    yield p
    p.close()


def memo_links(project: Project) -> list[list[str]]:
    return [list(m["links"]) for m in project.store.all("memos").values()]


def test_uncoding_keeps_the_memo_written_with_the_coding_on_its_passage(project: Project) -> None:
    coding = project.code("S1", *span("someone had been there"), "Lived experience", memo="why it matters")
    segment = project.store.get("codings", coding)["segment_id"]  # type: ignore[index]
    project.uncode("S1", *span("someone had been there"), "Lived experience")
    assert memo_links(project) == [[f"segment:{segment}"]]
    assert project.store.get("segments", segment) is not None
    assert check_project(project) == []


def test_undo_of_the_uncoding_brings_the_memo_back_to_its_coding(project: Project) -> None:
    coding = project.code("S1", *span("kept going"), "Persistence", memo="note")
    project.uncode("S1", *span("kept going"), "Persistence")
    project.undo()
    assert memo_links(project) == [[f"coding:{coding}"]]
    assert check_project(project) == []


def test_link_evidence_on_a_removed_coding_moves_to_its_passage(project: Project) -> None:
    first = project.code("S1", *span("kept going"), "Persistence")
    project.code("S1", *span("someone had been there"), "Lived experience")
    project.create_link("Persistence", "Lived experience", "leads to", evidence=[f"coding:{first}"])
    segment = project.store.get("codings", first)["segment_id"]  # type: ignore[index]
    project.uncode("S1", *span("kept going"), "Persistence")
    (link,) = project.store.all("links").values()
    assert link["evidence"] == [f"segment:{segment}"]
    assert check_project(project) == []


def test_a_merge_folding_a_duplicate_away_keeps_its_memo(project: Project) -> None:
    project.code("S1", *span("kept going"), "Persistence")
    duplicate = project.code("S1", *span("kept going"), "Resilience", memo="same idea")
    segment = project.store.get("codings", duplicate)["segment_id"]  # type: ignore[index]
    project.merge_codes(["Resilience"], "Persistence")
    assert memo_links(project) == [[f"segment:{segment}"]]
    assert check_project(project) == []


def test_an_unreferenced_passage_is_removed_with_its_last_coding(project: Project) -> None:
    coding = project.code("S1", *span("kept going"), "Persistence")
    segment = project.store.get("codings", coding)["segment_id"]  # type: ignore[index]
    project.uncode("S1", *span("kept going"), "Persistence")
    assert project.store.get("segments", segment) is None
