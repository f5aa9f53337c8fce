"""Auto-coding as one operation: all or nothing, one undo, locked cases refused, chosen hits only."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import BadInputError
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.core.search.autocode import Cancelled, autocode
from workbench.core.search.corpus import SearchOptions, search

TEXT = (
    "Interviewer: And hope?\n\n"
    "Participant: Hope came later. I had hope for her. Hope is a strange thing.\n\n"
    "Interviewer: Why?\n\n"
    "Participant: Because hope can hurt.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p", "Auto", actor="ann")
    p.add_source(ImportedTranscript(TEXT), "a.txt", participant_id="P01", pseudonym="Alex")
    p.add_source(ImportedTranscript("Participant: no hope here, she said.\n"), "b.txt", participant_id="P02")
    return p


def coded(project: Project, label: str) -> list[str]:
    return [s.text for s in project.coded_segments(label)] if project.find_code(label) else []


def test_a_cancelled_autocode_writes_nothing(project: Project) -> None:
    before = project.store.seq
    with pytest.raises(Cancelled):
        autocode(project, "Hope", query="hope", cancelled=lambda: True)
    assert project.store.seq == before and project.find_code("Hope") is None


def test_autocode_reports_progress_to_the_end(project: Project) -> None:
    seen: list[tuple[int, int]] = []
    result = autocode(project, "Hope", query="hope", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (result.coded, result.coded) == (6, 6)


def test_one_undo_removes_every_coding_of_an_autocode(project: Project) -> None:
    autocode(project, "Hope", query="hope", scope="sentence")
    assert len(coded(project, "Hope")) == 6
    project.undo()
    assert coded(project, "Hope") == []


def test_sentence_scope_codes_each_sentence_once_even_with_two_hits_in_it(project: Project) -> None:
    project.add_source(
        ImportedTranscript("Participant: Hope, hope and more hope.\n"), "c.txt", participant_id="P03"
    )
    result = autocode(project, "Hope", query="hope", scope="sentence", options=SearchOptions(sources=("S3",)))
    assert [p.text for p in result.passages] == ["Hope, hope and more hope."]


def test_a_locked_case_is_refused_and_nothing_is_coded(project: Project) -> None:
    before = project.store.seq
    with pytest.raises(BadInputError, match="case P02 is locked"):
        autocode(project, "Hope", query="hope", locked={"P02": "case P02 is locked (PETs complete)"})
    assert project.store.seq == before


def test_a_locked_case_outside_the_search_does_not_matter(project: Project) -> None:
    result = autocode(
        project, "Hope", query="hope", options=SearchOptions(participants=("P01",)), locked={"P02": "locked"}
    )
    assert result.coded == 5 and {p.participant for p in result.passages} == {"P01"}


def test_only_the_chosen_hits_are_coded(project: Project) -> None:
    chosen = search(project, "hope").hits[1:3]
    result = autocode(project, "Hope", query="hope", hits=chosen)
    assert [(p.start, p.end) for p in result.passages] == [(h.start, h.end) for h in chosen]


def test_hits_from_a_transcript_that_changed_since_are_refused(project: Project, tmp_path: Path) -> None:
    hit = search(project, "hope", SearchOptions(sources=("S2",))).hits[0]
    project.correct_source("S2", ImportedTranscript("Participant: all hope gone, she said.\n"), reason="typo")
    with pytest.raises(BadInputError, match="changed since the search"):
        autocode(project, "Hope", query="hope", hits=[hit])


def test_the_run_is_recorded_with_its_query(project: Project) -> None:
    result = autocode(project, "Hope", query="hope", scope="turn")
    record = project.record(result.record)
    assert record["data"]["query"] == "hope" and record["data"]["scope"] == "turn"
    assert record["data"]["codings"] == result.coded


def test_an_auditor_may_not_autocode_and_nothing_changes(project: Project) -> None:
    from workbench.core.governance.roles import PermissionDenied, set_role

    set_role(project, "ann", "lead")
    set_role(project, "audrey", "auditor")
    path = project.path
    project.close()
    with Project.open(path, actor="audrey") as p:
        before = p.store.seq
        with pytest.raises(PermissionDenied):
            autocode(p, "Hope", query="hope")
        assert p.store.seq == before and p.find_code("Hope") is None


def test_a_project_opened_read_only_refuses_to_autocode(project: Project) -> None:
    from workbench.core.errors import WorkbenchError

    path = project.path
    project.close()
    with Project.open(path, readonly=True) as p, pytest.raises(WorkbenchError):
        autocode(p, "Hope", query="hope")
