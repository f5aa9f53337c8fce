"""Analysis matrices, cell by cell, against hand-built codings: overlapping, nested and adjacent spans,
several coders, turns and sources; small-cell and complementary suppression; drill-down segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.matrix import code_by_case, cooccurrence, crosstab, displayed
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project

# Turn 1 (Interviewer) and turn 2 (Participant); offsets below are into this text.
TEXT = "Interviewer: Why?\n\nParticipant: aaaa bbbb cccc dddd eeee ffff gggg.\n\nInterviewer: And?\n"


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p", "Matrix", actor="ann")
    for pid in ("P01", "P02", "P03", "P04"):
        p.add_source(ImportedTranscript(TEXT), f"{pid}.txt", participant_id=pid, pseudonym=f"N{pid}")
    group = {"P01": "a", "P02": "a", "P03": "a", "P04": "b"}
    for pid, value in group.items():
        p.update_participant(pid, attributes={"group": value})
    a = span("aaaa bbbb")
    b = span("bbbb cccc")  # overlaps A by "bbbb"
    c = span("cccc")  # adjacent to nothing of A: A ends at "bbbb", C starts after a space
    nested = span("aaaa")  # inside A
    adjacent = (a[1], a[1] + 1)  # starts exactly where A ends: shares no code point
    p.code("S1", *a, "A")
    p.code("S1", *a, "A", coder="bob")  # the same segment by a second coder: still one segment
    p.code("S1", *b, "B")
    p.code("S1", *c, "C")
    p.code("S1", *nested, "N")
    p.code("S1", *adjacent, "D")
    p.code("S1", *span("Why"), "Q")  # the interviewer's turn
    p.code("S2", *a, "A")
    p.code("S2", *span("gggg"), "B")  # same turn as A, no overlap
    p.code("S3", *a, "A")
    p.code("S4", *a, "A")
    p.code("S4", *span("And"), "B")  # same source, another turn
    return p


def grid(matrix: object) -> dict[tuple[str, str], int]:
    m = matrix  # type: ignore[assignment]
    return {(r, c): m.cells[i][j].value for i, r in enumerate(m.rows) for j, c in enumerate(m.columns)}  # type: ignore[attr-defined]


def test_cooccurrence_overlap_counts_segments_of_a_sharing_a_code_point_with_b(project: Project) -> None:
    g = grid(cooccurrence(project, codes=["A", "B", "C", "N", "D"]))
    assert g[("A", "A")] == 4  # S1..S4, the second coder's coding is the same segment
    assert g[("A", "B")] == 1  # only S1's A overlaps a B
    assert g[("B", "A")] == 1
    assert g[("A", "N")] == 1 and g[("N", "A")] == 1  # nested
    assert g[("A", "D")] == 0 and g[("D", "A")] == 0  # adjacent, no shared code point
    assert g[("A", "C")] == 0 and g[("B", "C")] == 1


def test_cooccurrence_turn_counts_codes_in_the_same_speaker_turn(project: Project) -> None:
    g = grid(cooccurrence(project, codes=["A", "B", "Q"], unit="turn"))
    assert g[("A", "B")] == 2  # S1 (overlap) and S2 (same turn); not S4 (another turn)
    assert g[("A", "Q")] == 0


def test_cooccurrence_source_counts_codes_in_the_same_transcript(project: Project) -> None:
    g = grid(cooccurrence(project, codes=["A", "B", "Q"], unit="source"))
    assert g[("A", "B")] == 3 and g[("A", "Q")] == 1 and g[("Q", "A")] == 1


def test_cooccurrence_participants_measure_counts_people(project: Project) -> None:
    g = grid(cooccurrence(project, codes=["A", "B"], unit="source", measure="participants"))
    assert g[("A", "B")] == 3 and g[("A", "A")] == 4


def test_cooccurrence_defaults_to_active_codes_with_segments(project: Project) -> None:
    project.create_code("Unused")
    assert "Unused" not in cooccurrence(project).rows


def test_a_cell_keeps_the_segments_behind_it_for_the_drill_down(project: Project) -> None:
    m = cooccurrence(project, codes=["A", "B"])
    cell = m.cells[0][1]
    segments = [s for s in project.coded_segments("A") if s.segment_id in cell.segments]
    assert len(cell.segments) == 1 and {(s.source, s.coder) for s in segments} == {
        ("S1", "ann"),
        ("S1", "bob"),
    }


def test_code_by_case_segments_words_participants_presence(project: Project) -> None:
    assert grid(code_by_case(project, codes=["A", "B"]))[("B", "P04")] == 1
    assert grid(code_by_case(project, codes=["A"], measure="words"))[("A", "P01")] == 2
    assert grid(code_by_case(project, codes=["A"], measure="participants"))[("A", "P02")] == 1
    shown = displayed(code_by_case(project, codes=["B"], measure="presence"), suppress=False)
    assert shown.rows[0][1:] == ("✓", "✓", "", "✓")


def test_words_in_overlapping_segments_of_one_code_count_once(project: Project) -> None:
    project.code("S1", *span("bbbb cccc dddd"), "A")  # overlaps A's first segment by "bbbb"
    assert grid(code_by_case(project, codes=["A"], measure="words"))[("A", "P01")] == 4  # aaaa bbbb cccc dddd


def test_code_by_case_labels_columns_by_pseudonym(project: Project) -> None:
    assert code_by_case(project, label="pseudonym").columns == ("NP01", "NP02", "NP03", "NP04")


def test_rollup_counts_a_codes_descendants_with_it(project: Project) -> None:
    project.move_code("N", "C")
    plain = grid(code_by_case(project, codes=["C"]))
    rolled = grid(code_by_case(project, codes=["C"], rollup=True))
    assert plain[("C", "P01")] == 1 and rolled[("C", "P01")] == 2


def test_crosstab_columns_are_the_attribute_values(project: Project) -> None:
    m = crosstab(project, attr="group", codes=["A", "B"])
    assert m.columns == ("a", "b")
    assert grid(m) == {("A", "a"): 3, ("A", "b"): 1, ("B", "a"): 2, ("B", "b"): 1}


def test_small_cells_show_as_less_than_k(project: Project) -> None:
    shown = displayed(crosstab(project, attr="group", codes=["A"], measure="participants"), small_cell=3)
    assert shown.rows[0][2] == "<3" and any("fewer than 3 participants" in n for n in shown.notes)


def test_without_percentages_only_the_small_cell_is_withheld(project: Project) -> None:
    shown = displayed(crosstab(project, attr="group", codes=["A"], measure="participants"), small_cell=3)
    assert shown.columns == ("Code", "a", "b") and shown.rows[0] == ("A", "3", "<3")
    assert shown.footnotes == ()


def test_row_percentages_withhold_a_complementary_cell(project: Project) -> None:
    """75% shown beside a <3 cell would say the small cell is 25%: the 75% is withheld too."""
    matrix = crosstab(project, attr="group", codes=["A"], measure="participants")
    shown = displayed(matrix, percent="row")
    assert shown.rows[0] == ("A", "x", "<3")
    assert shown.footnotes and "100%" in shown.footnotes[0]
    assert displayed(matrix, percent="row", suppress=False).rows[0] == ("A", "75%", "25%")


def test_column_percentages_withhold_a_complement_in_the_column(project: Project) -> None:
    matrix = crosstab(project, attr="group", codes=["A", "B"], measure="participants")
    assert displayed(matrix, suppress=False, percent="column").rows == (
        ("A", "60%", "50%"),
        ("B", "40%", "50%"),
    )
    # column a: one small cell (B), so A's 60% goes too; column b: two small cells, nothing more to hide
    assert displayed(matrix, percent="column").rows == (("A", "x", "<3"), ("B", "<3", "<3"))


def test_suppress_off_shows_every_count(project: Project) -> None:
    shown = displayed(crosstab(project, attr="group", codes=["A"], measure="participants"), suppress=False)
    assert shown.rows[0] == ("A", "3", "1") and shown.notes == ()


def test_code_by_case_suppresses_cells_of_one_participant(project: Project) -> None:
    shown = displayed(code_by_case(project, codes=["A"]), small_cell=2)
    assert shown.rows[0] == ("A", "<2", "<2", "<2", "<2")
    assert displayed(code_by_case(project, codes=["A"]), small_cell=1).rows[0] == ("A", "1", "1", "1", "1")


def test_blind_icr_layers_are_left_out(project: Project) -> None:
    before = grid(cooccurrence(project, codes=["A"]))
    project.code("S2", *span("cccc"), "A", layer="blind-1")
    project.add_record("icr.round", {"layer": "blind-1", "status": "open"})
    assert grid(cooccurrence(project, codes=["A"])) == before


def test_hidden_participants_are_left_out(project: Project) -> None:
    m = code_by_case(project, codes=["A"], hidden={"P02": "bracketing"})
    assert m.columns == ("P01", "P03", "P04")


def test_bad_options_are_refused(project: Project) -> None:
    with pytest.raises(NotFoundError, match="no participant attribute 'age'"):
        crosstab(project, attr="age")
    with pytest.raises(NotFoundError, match="no code 'Nope'"):
        cooccurrence(project, codes=["Nope"])
    with pytest.raises(BadInputError, match="unit='page'"):
        cooccurrence(project, unit="page")
    with pytest.raises(BadInputError, match="K must be 1 or more"):
        displayed(code_by_case(project), small_cell=0)


def test_a_project_with_no_codings_gives_empty_matrices(tmp_path: Path) -> None:
    with Project.create(tmp_path / "e", "Empty", actor="ann") as p:
        assert cooccurrence(p).rows == () and code_by_case(p).rows == ()
