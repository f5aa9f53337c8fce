"""IPA-1: the case status machine, the open case, bracketing on writes, locking and post-lock revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from wb_ipa import cases, statements

from tests.cli.conftest import tree_digest
from tests.ipa.conftest import Wb, lines
from workbench.core.errors import BadInputError
from workbench.core.project import Project

STEPS = ("noting", "statements", "clustering")


def _complete(wb: Wb, study: Path, case: str, source: str, phrase: str) -> str:
    d = str(study)
    wb("ipa", "start", d, case, "--skip-reflexive")
    said = wb(
        "ipa", "statement", d, source, "--lines", lines(study, source, phrase), f"{case} statement"
    ).out.strip()
    for step in STEPS:
        wb("ipa", "status", d, case, step)
    pet = wb("ipa", "pet", d, case, f"{case} PET").out.strip()
    wb("ipa", "move", d, said, pet)
    wb("ipa", "status", d, case, "PETs complete")
    return pet


def test_a_case_moves_one_step_at_a_time(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    refused = wb("ipa", "status", str(study), "P01", "clustering", ok=False)
    assert refused.code == 2 and "the next step is 'noting'" in refused.err


def test_a_case_must_be_started_before_its_status_changes(study: Path, wb: Wb) -> None:
    refused = wb("ipa", "status", str(study), "P02", "reading", ok=False)
    assert refused.code == 2 and "start P02 first" in refused.err


def test_completing_needs_a_pet(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    for step in STEPS:
        wb("ipa", "status", d, "P01", step)
    refused = wb("ipa", "status", d, "P01", "PETs complete", ok=False)
    assert "has no PET yet" in refused.err


def test_going_back_is_a_logged_revisit(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    wb("ipa", "status", d, "P01", "noting")
    wb("ipa", "status", d, "P01", "reading")
    with Project.open(study, readonly=True) as project:
        history = cases.get(project, "P01").history
    assert [h["event"] for h in history] == ["started", "status", "revisit"]


def test_writing_to_another_case_while_one_is_open_is_refused_and_changes_nothing(
    study: Path, wb: Wb
) -> None:
    wb("ipa", "start", str(study), "P01")
    wb("ipa", "start", str(study), "P02", "--skip-reflexive")
    before = tree_digest(study)
    refused = wb("ipa", "note", str(study), "S1", "--lines", "1", "--type", "D", "--text", "x", ok=False)
    assert refused.code == 2 and "bracketing: P02 is the open case" in refused.err
    assert tree_digest(study) == before


def test_bracketing_off_lets_listings_show_every_case(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    wb("ipa", "statement", d, "S1", "--lines", lines(study, "S1", "I can see a future"), "Ann's hope")
    wb("ipa", "start", d, "P02", "--skip-reflexive")
    assert "Ann's hope" not in wb("ipa", "statements", d).out
    wb("ipa", "settings", d, "--bracketing", "off")
    assert "Ann's hope" in wb("ipa", "statements", d).out


def test_skipping_the_reflexive_prompt_is_logged(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    wb("ipa", "start", str(study), "P02", "--skip-reflexive")
    with Project.open(study, readonly=True) as project:
        events = [h["event"] for h in cases.get(project, "P02").history]
    assert events == ["started", "before-next-case skipped"]


def test_completing_locks_closes_the_case_and_snapshots_the_board(study: Path, wb: Wb) -> None:
    _complete(wb, study, "P01", "S1", "I can see a future")
    with Project.open(study, readonly=True) as project:
        assert cases.get(project, "P01").locked and cases.current(project) is None
        labels = [r["data"]["label"] for r in project.records("ipa.board-snapshot")]
    assert labels == ["P01 PETs complete (locked)"]


def test_changes_after_locking_are_marked_post_lock_revisions(study: Path, wb: Wb) -> None:
    pet = _complete(wb, study, "P01", "S1", "I can see a future")
    wb("ipa", "rename", str(study), pet, "Hope renamed")
    with Project.open(study, readonly=True) as project:
        assert project.record(pet)["data"]["post_lock"][0]["what"] == "renamed"
        said = statements.all_statements(project, case="P01")[0]
    assert said.post_lock == ()  # untouched since the lock


def test_cross_case_opens_only_after_two_complete_cases(study: Path, wb: Wb) -> None:
    _complete(wb, study, "P01", "S1", "I can see a future")
    refused = wb("ipa", "get", str(study), "Too early", ok=False)
    assert "2 cases are 'PETs complete' (1 so far: P01)" in refused.err
    _complete(wb, study, "P02", "S2", "Safe, honestly")
    assert wb("ipa", "get", str(study), "Now").out.strip().startswith("R")


def test_the_all_cases_setting_keeps_cross_case_closed_until_every_case_is_done(study: Path, wb: Wb) -> None:
    wb("ipa", "settings", str(study), "--unlock", "all")
    _complete(wb, study, "P01", "S1", "I can see a future")
    _complete(wb, study, "P02", "S2", "Safe, honestly")
    assert "3 cases" in wb("ipa", "get", str(study), "Early", ok=False).err


def test_statements_are_never_merged_across_cases(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    wb("ipa", "statement", d, "S1", "--lines", lines(study, "S1", "I can see a future"), "Feeling safe")
    wb("ipa", "start", d, "P02", "--skip-reflexive")
    wb("ipa", "statement", d, "S2", "--lines", lines(study, "S2", "Safe, honestly"), "Feeling safe")
    with Project.open(study, readonly=True) as project:
        found = statements.all_statements(project)
    assert [(s.case, s.text) for s in found] == [("P01", "Feeling safe"), ("P02", "Feeling safe")]
    assert found[0].id != found[1].id


def test_starting_a_complete_case_reopens_it_as_a_logged_revisit_at_clustering(study: Path, wb: Wb) -> None:
    _complete(wb, study, "P01", "S1", "I can see a future")
    out = wb("ipa", "start", str(study), "P01", "--skip-reflexive").out
    assert out.startswith("P01 (Ann) is open: clustering")
    with Project.open(study, readonly=True) as project:
        reopened = cases.get(project, "P01")
        assert cases.current(project) == reopened and reopened.locked
    assert reopened.history[-1]["event"] == "revisit"


def test_a_case_is_found_by_its_id_or_its_pseudonym_in_any_letter_case(study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        assert cases.find(project, "p02").participant == "P02"
        assert cases.find(project, " cara ").participant == "P03"


def test_a_pseudonym_two_participants_share_is_refused_naming_both_ids(tmp_path: Path, wb: Wb) -> None:
    study = tmp_path / "study"
    wb("new", str(study), "--title", "Twins", "--method", "ipa")
    for participant in ("P01", "P02"):
        path = tmp_path / f"{participant}.txt"
        path.write_text("Participant: Fine.\n", encoding="utf-8")
        wb("add", str(study), str(path), "--participant", participant, "--pseudonym", "Sam")
    with Project.open(study, readonly=True) as project, pytest.raises(BadInputError) as refused:
        cases.find(project, "Sam")
    assert refused.value.message == "2 cases are called 'Sam' (P01, P02); type the id"
