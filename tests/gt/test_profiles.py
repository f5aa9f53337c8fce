"""GT-1: profiles switch labels, steps and checklists; the position is a memo; any step can be skipped."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gt.conftest import run_cli, table


def test_the_default_profile_is_constructivist_with_initial_coding_line_by_line(study: Path) -> None:
    data = json.loads(run_cli("gt", "profile", str(study), "--json"))
    assert (data["profile"], data["default_unit"]) == ("constructivist", "line")
    steps = json.loads(run_cli("gt", "steps", str(study), "--json"))
    assert steps[2]["title"] == "Initial coding, line by line (GT-3)"


def test_switching_profile_changes_step_names_and_level_labels(study: Path) -> None:
    run_cli("gt", "setup", str(study), "--profile", "straussian")
    titles = [s["title"] for s in json.loads(run_cli("gt", "steps", str(study), "--json"))]
    assert "Open coding (GT-3)" in titles
    assert "Axial coding with the paradigm model (GT-8)" in titles
    run_cli("gt", "code", str(study), "S1", "--lines", "3", "Sharing")
    assert table(run_cli, study, "gt-codebook")[0]["Level"] == "open code (concept)"


def test_the_glaserian_profile_has_no_paradigm_step_and_its_own_checklist(study: Path) -> None:
    run_cli("gt", "setup", str(study), "--profile", "glaserian")
    ids = [s["id"] for s in json.loads(run_cli("gt", "steps", str(study), "--json"))]
    assert "axial" not in ids and "theoretical-coding" in ids
    items = [i["item"] for i in json.loads(run_cli("gt", "checklist", str(study), "--json"))]
    assert "A core variable is marked" in items


def test_checklist_items_are_ticked_from_the_project(study: Path) -> None:
    before = {i["item"]: i["done"] for i in json.loads(run_cli("gt", "checklist", str(study), "--json"))}
    run_cli("gt", "setup", str(study), "--position", "Clinical psychologist interviewing service users.")
    after = {i["item"]: i["done"] for i in json.loads(run_cli("gt", "checklist", str(study), "--json"))}
    item = "A pre-analysis reflexive memo records the researcher's position"
    assert (before[item], after[item]) == (False, True)


def test_setup_records_questions_and_the_sensitising_position_as_memos(study: Path) -> None:
    out = run_cli(
        "gt",
        "setup",
        str(study),
        "--question",
        "How is change experienced?",
        "--position",
        "I work in the NHS.",
        "--sensitising",
        "stigma; recovery",
    )
    assert "reflexive memo M1 saved" in out and "sensitising-concepts memo M2 saved" in out
    data = json.loads(run_cli("gt", "profile", str(study), "--json"))
    assert data["questions"] == ["How is change experienced?"]
    assert data["memos"] == ["memo:M1", "memo:M2"]
    trail = table(run_cli, study, "gt-memo-trail")
    assert [(r["Type"], r["Stage"]) for r in trail] == [
        ("reflexive", "set-up"),
        ("sensitising-concepts", "set-up"),
    ]


def test_a_skipped_step_shows_the_memo_saying_why(study: Path) -> None:
    out = run_cli("gt", "skip", str(study), "axial", "--reason", "Charmaz: axial coding is optional here.")
    assert out.startswith("skipped axial")
    steps = {s["id"]: s["status"] for s in json.loads(run_cli("gt", "steps", str(study), "--json"))}
    assert steps["axial"] == "skipped (memo M1)"
    memo = json.loads(run_cli("gt", "profile", str(study), "--json"))
    assert memo["profile"] == "constructivist"


def test_skipping_a_step_the_profile_lacks_is_refused(study: Path) -> None:
    run_cli("gt", "setup", str(study), "--profile", "glaserian")
    err = run_cli("gt", "skip", str(study), "axial", "--reason", "no", ok=False)
    assert "has no step 'axial'" in err


def test_skipping_without_a_reason_is_refused_and_changes_nothing(study: Path) -> None:
    err = run_cli("gt", "skip", str(study), "axial", "--reason", "  ", ok=False)
    assert "say why" in err
    assert table(run_cli, study, "gt-memo-trail") == []
