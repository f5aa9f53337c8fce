"""GT-12 saturation arithmetic and GT-13 diagram syntax, on small inputs."""

from __future__ import annotations

import re
from pathlib import Path

from wb_gt.saturation import InterviewRow, guest, sparkline

from tests.gt.conftest import answer_line, run_cli


def _rows(news: list[int]) -> list[InterviewRow]:
    return [
        InterviewRow(i + 1, f"P{i + 1}", "", f"S{i + 1}", tuple("x" * n), 0, (), (), ())
        for i, n in enumerate(news)
    ]


def test_sparkline_scales_to_the_busiest_interview() -> None:
    assert sparkline([8, 4, 0, 1]) == "█▅▁▂"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""


def test_guest_reports_saturation_at_the_first_quiet_run_after_the_base() -> None:
    result = guest(_rows([10, 6, 4, 2, 0, 0]), base=3, run=2, threshold=5)
    assert result.percents == ("base", "base", "base", "10%", "0%", "0%")
    assert result.reached_at == 6  # interviews 4-5 add 10%, 5-6 add 0%
    assert "reached at base 3 + run 2 with ≤5% new information (interview 6)" in result.summary()


def test_guest_says_not_reached_while_new_codes_keep_coming() -> None:
    assert guest(_rows([5, 5, 5, 5, 5]), base=3, run=2).reached_at is None


def test_saturation_status_needs_a_justification(study: Path) -> None:
    d = str(study)
    run_cli("gt", "code", d, "S1", "--lines", answer_line(1), "Sharing")
    run_cli("gt", "category", d, "Disclosure", "--member", "Sharing")
    err = run_cli("gt", "saturation", d, "--category", "Disclosure", "--status", "saturated", ok=False)
    assert "justification" in err


def test_dot_and_mermaid_escape_quotes_in_in_vivo_labels(study: Path, tmp_path: Path) -> None:
    d = str(study)
    run_cli("gt", "code", d, "S1", "--in-vivo", "in the same boat")
    run_cli("gt", "category", d, 'Being "peers"', "--member", '"in the same boat"')
    dot = run_cli("gt", "diagram", d, "--format", "dot")
    assert 'label="Being \\"peers\\"\\n(category)"' in dot
    assert 'label="\\"in the same boat\\"\\n(initial)"' in dot
    statement = re.compile(r'^  ("C[0-9]+"( -> "C[0-9]+")? \[.*\];|//.*|rankdir=TB;|node \[.*\];)$')
    for line in dot.splitlines()[1:-1]:
        assert statement.match(line), line
    mermaid = run_cli("gt", "diagram", d, "--format", "mermaid", "--output", str(tmp_path / "m.mmd"))
    text = (tmp_path / "m.mmd").read_text()
    assert "written to" in mermaid
    assert 'C2["Being #quot;peers#quot;<br/>(category)"]' in text
    assert "C2 -.- C1" in text


def test_ascii_tree_shows_categories_codes_glyphs_and_relations(study: Path) -> None:
    d = str(study)
    run_cli("gt", "code", d, "S1", "--lines", answer_line(1), "Sharing")
    run_cli("gt", "code", d, "S1", "--lines", answer_line(4), "Finding hope")
    run_cli("gt", "category", d, "Disclosure", "--member", "Sharing")
    run_cli("gt", "category", d, "Hope", "--member", "Finding hope")
    run_cli("gt", "relate", d, "Disclosure", "consequences", "Hope", "--evidence", "S1:Seeing her")
    tree = run_cli("gt", "diagram", d, "--format", "ascii")
    assert "■ Disclosure\n└── ○ Sharing" in tree
    assert "Disclosure —consequences→ Hope  (1 evidence)" in tree


def test_a_diagram_saved_with_a_memo_becomes_a_diagram_memo(study: Path) -> None:
    d = str(study)
    run_cli("gt", "code", d, "S1", "--lines", answer_line(1), "Sharing")
    run_cli("gt", "category", d, "Disclosure", "--member", "Sharing")
    run_cli("gt", "diagram", d, "--format", "ascii", "--memo", "first model")
    from workbench import open_project

    with open_project(d, write=False) as project:
        memos = [m for m in project.rows("memos") if m["type"] == "diagram"]
    assert len(memos) == 1 and "digraph gt_model" in memos[0]["body"]
