"""GT-3: initial coding by line or incident, gerund hints, in-vivo codes, code notes."""

from __future__ import annotations

import json
from pathlib import Path

from wb_gt.coding import gerund_hint, in_vivo_label

from tests.gt.conftest import run_cli, table
from workbench import open_project


def test_one_line_is_coded_as_a_line_and_a_longer_range_as_an_incident(study: Path) -> None:
    assert "(line) as 'Sharing'" in run_cli("gt", "code", str(study), "S1", "--lines", "3", "Sharing")
    assert "(incident) as 'Meeting'" in run_cli("gt", "code", str(study), "S1", "--lines", "1-3", "Meeting")
    with open_project(str(study), write=False) as project:
        assert sorted(c["unit"] for c in project.rows("codings")) == ["incident", "line"]


def test_a_constructivist_label_without_a_gerund_gets_a_hint_not_a_block(study: Path) -> None:
    assert gerund_hint("Trust") is not None
    assert gerund_hint("Testing trust") is None
    run_cli("gt", "code", str(study), "S1", "--lines", "3", "Trust")
    assert [r["Code/Category"] for r in table(run_cli, study, "gt-codebook")] == ["Trust"]


def test_in_vivo_finds_the_participants_words_and_marks_the_code(study: Path) -> None:
    out = run_cli("gt", "code", str(study), "S2", "--in-vivo", "didn't flinch")
    assert "as '\"didn\\'t flinch\"'" in out
    codes = json.loads(run_cli("codes", str(study), "--json"))
    assert [(c["label"], c["kind"], c["level"]) for c in codes] == [
        ('"didn\'t flinch"', "in-vivo", "initial")
    ]


def test_in_vivo_labels_keep_words_in_quotes_and_stop_at_a_word_boundary() -> None:
    assert in_vivo_label("  same   boat ") == '"same boat"'
    long = in_vivo_label("word " * 30)
    assert long.startswith('"word') and long.endswith('…"') and len(long) <= 84


def test_a_code_note_becomes_an_initial_stage_memo_on_the_coding(study: Path) -> None:
    out = run_cli(
        "gt", "code", str(study), "S1", "--lines", "7", "Testing trust", "--note", "test or protect?"
    )
    assert out.rstrip().endswith("note M1")
    trail = table(run_cli, study, "gt-memo-trail")
    assert [(r["Type"], r["Stage"], r["Linked entities"]) for r in trail] == [
        ("code-note", "initial", "coding:K1")
    ]


def test_a_quote_that_occurs_twice_is_refused_and_nothing_is_coded(study: Path) -> None:
    err = run_cli("gt", "code", str(study), "S1", "--quote", "Interviewer", "Asking", ok=False)
    assert "occurs 4 times" in err
    assert json.loads(run_cli("codes", str(study), "--json")) == []


def test_coding_needs_a_place_unless_in_vivo(study: Path) -> None:
    err = run_cli("gt", "code", str(study), "S1", "Trust", ok=False)
    assert "--lines A-B, --quote TEXT or --chars" in err
