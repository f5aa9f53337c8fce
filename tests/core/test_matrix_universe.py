"""The coded segments every matrix starts from are kept for the open project and follow its changes:
a matrix built after any change counts exactly what one built from scratch counts."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core import coded_spans, heap
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
    coded_spans._UNIVERSES.pop(project, None)
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


Counted = tuple[tuple[str, ...], list[list[int]], list[list[tuple[str, ...]]]]


def counted_by_sweep(project: Project) -> Counted:
    """The co-occurrence counted afresh by the sweep (rollup over a flat codebook counts the same)."""
    m = cooccurrence(project, rollup=True)
    return m.rows, m.values(), [[c.segments for c in line] for line in m.cells]


def read_out(project: Project) -> Counted:
    m = cooccurrence(project)
    assert coded_spans._UNIVERSES[project].kept_overlaps is not None
    return m.rows, m.values(), [[c.segments for c in line] for line in m.cells]


def test_kept_pair_counts_agree_with_a_fresh_sweep_through_random_edits(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    p = Project.create(tmp_path / "r", "Random", actor="ann")
    text = "Participant: " + " ".join(f"w{i:02d}" for i in range(60)) + "\n"
    for pid in ("P01", "P02"):
        p.add_source(ImportedTranscript(text), f"{pid}.txt", participant_id=pid, pseudonym=f"N{pid}")
    base = text.index("w00")
    coded: list[tuple[str, int, int, str, str]] = []
    coded_spans.read_ahead(p)  # the pair counts are kept from here on and follow every edit
    for step in range(120):
        roll = rng.random()
        if coded and roll < 0.25:
            source, start, end, label, coder = coded.pop(rng.randrange(len(coded)))
            p.uncode(source, start, end, label, coder=coder)
        elif roll < 0.3 and p.undo_details() is not None:
            p.undo()
            coded = []  # which codings exist is read back from the project below
        else:
            first = rng.randrange(55)
            length = rng.randint(1, 5)
            start = base + 4 * first
            end = base + 4 * min(first + length, 60) - 1
            label, coder = rng.choice("ABCDE"), rng.choice(["ann", "bob"])
            source = rng.choice(["S1", "S2"])
            try:
                p.code(source, start, end, label, coder=coder)
            except Exception:  # already coded so by this coder
                continue
            coded.append((source, start, end, label, coder))
        if not coded:
            coded = [(s["source"], s["start"], s["end"], s["label"], s["coder"]) for s in _codings(p)]
        assert read_out(p) == counted_by_sweep(p), f"step {step}"
    p.close()


def _codings(project: Project) -> list[dict[str, object]]:
    segments = project.store.all("segments")
    versions = project.store.all("versions")
    codes = project.store.all("codes")
    out = []
    for coding in project.store.all("codings").values():
        segment = segments[coding["segment_id"]]
        out.append(
            {
                "source": versions[segment["version_id"]]["source_id"],
                "start": segment["start"],
                "end": segment["end"],
                "label": codes[coding["code_id"]]["label"],
                "coder": coding.get("coder") or "ann",
            }
        )
    return out


def test_a_project_read_ahead_counts_what_a_fresh_count_does(project: Project) -> None:
    fresh = read_out_without_kept(project)
    coded_spans.read_ahead(project)
    assert read_out(project) == fresh
    project.code("S2", *span("bbbb cccc"), "B")
    after = read_out(project)
    assert after != fresh and after == read_out_without_kept(project)


def read_out_without_kept(project: Project) -> Counted:
    coded_spans._UNIVERSES.pop(project, None)
    m = cooccurrence(project)
    return m.rows, m.values(), [[c.segments for c in line] for line in m.cells]
