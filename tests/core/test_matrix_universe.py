"""The coded segments every matrix starts from are kept for the open project and follow its changes:
a matrix built after any change counts exactly what one built from scratch counts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core import heap, matrix
from workbench.core.matrix import code_by_case, cooccurrence
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project

TEXT = "Interviewer: Why?\n\nParticipant: aaaa bbbb cccc dddd eeee ffff gggg.\n\nInterviewer: And?\n"


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    p = Project.create(tmp_path / "p", "Universe", actor="ann")
    for pid in ("P01", "P02"):
        p.add_source(ImportedTranscript(TEXT), f"{pid}.txt", participant_id=pid, pseudonym=f"N{pid}")
    p.code("S1", *span("aaaa bbbb"), "A")
    p.code("S1", *span("bbbb cccc"), "B")
    p.code("S2", *span("aaaa bbbb"), "A")
    yield p
    p.close()


def values(project: Project, **options: object) -> tuple[tuple[str, ...], list[list[int]]]:
    m = cooccurrence(project, **options)  # type: ignore[arg-type]
    return m.rows, m.values()


def from_scratch(project: Project, **options: object) -> tuple[tuple[str, ...], list[list[int]]]:
    matrix._UNIVERSES.pop(project, None)
    return values(project, **options)


def test_a_coding_made_after_a_matrix_is_counted_in_the_next(project: Project) -> None:
    before = values(project)
    project.code("S2", *span("bbbb cccc"), "B")
    after = values(project)
    assert before != after
    assert after == from_scratch(project)
    assert after[1][after[0].index("A")][after[0].index("B")] == 2


def test_uncoding_and_undo_are_followed(project: Project) -> None:
    values(project)
    project.uncode("S1", *span("bbbb cccc"), "B")
    assert values(project) == from_scratch(project)
    project.undo()
    assert values(project) == from_scratch(project)
    assert values(project)[0] == ("A", "B")


def test_a_second_coder_on_a_segment_and_its_removal_are_followed(project: Project) -> None:
    values(project)
    project.code("S1", *span("aaaa bbbb"), "B", coder="bob")
    assert values(project) == from_scratch(project)
    project.uncode("S1", *span("aaaa bbbb"), "B", coder="bob")
    assert values(project) == from_scratch(project)


def test_a_merge_of_codes_is_followed(project: Project) -> None:
    values(project)
    project.merge_codes(["B"], "A")
    assert values(project) == from_scratch(project)
    assert values(project)[0] == ("A",)


def test_a_transcript_added_rebuilds_the_segments(project: Project) -> None:
    values(project)
    project.add_source(ImportedTranscript(TEXT), "P03.txt", participant_id="P03", pseudonym="NP03")
    project.code("S3", *span("bbbb cccc"), "B")
    assert values(project) == from_scratch(project)
    assert code_by_case(project).columns == ("P01", "P02", "P03")


def test_a_hidden_participant_is_left_out_and_comes_back(project: Project) -> None:
    shown = values(project)
    hidden = values(project, hidden={"P02": "bracketed"})
    assert hidden[1][0][0] == 1 and shown[1][0][0] == 2
    assert values(project) == shown


def test_a_blind_round_opened_after_a_matrix_hides_its_layer(project: Project) -> None:
    values(project)
    project.code("S2", *span("cccc"), "B", layer="blind-1")
    project.add_record("icr.round", {"layer": "blind-1", "status": "open"})
    rows, counts = values(project)
    assert counts[rows.index("B")][rows.index("B")] == 1  # S1's B only
    assert (rows, counts) == from_scratch(project)


def test_building_keeps_a_hosts_frozen_objects_frozen(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = [object() for _ in range(10)]  # noqa: F841 - the host's long-lived data
    monkeypatch.setattr(heap, "_host_freezes", False)
    heap.freeze_long_lived()
    try:
        frozen = gc.get_freeze_count()
        cooccurrence(project)
        assert gc.get_freeze_count() >= frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_building_without_a_host_freeze_leaves_nothing_frozen(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heap, "_host_freezes", False)
    gc.unfreeze()  # what an earlier test's app in this process may have frozen
    cooccurrence(project)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
