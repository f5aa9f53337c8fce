"""Suggestions (ranked, never applied) and the participant-overlap guard (CMP-14)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import tree_digest
from tests.compare.conftest import Cli
from workbench import ImportedTranscript, Project, detect_turns

TEXT = "Interviewer: How was it?\n\nParticipant: She had been there too, and that made it safe to talk.\n"


def test_suggestions_are_ranked_by_similarity_and_change_nothing(workspace: Path, cli: Cli) -> None:
    before = tree_digest(workspace)
    found = json.loads(cli("compare", "suggest", str(workspace), "--json", "--limit", "5")[1])
    assert tree_digest(workspace) == before
    scores = [s["score"] for s in found]
    assert scores == sorted(scores, reverse=True) and len(found) == 5
    assert (found[0]["a_label"], found[0]["b_label"]) == (
        "Sharing lived experience",
        "Safety through shared experience",
    )
    assert {"label", "definition", "quotes"} <= set(found[0])


def test_mapped_pairs_are_no_longer_suggested(workspace: Path, cli: Cli) -> None:
    cli("compare", "map", str(workspace), "C1", "R49", "--relation", "overlap", "--rationale", "r")
    found = json.loads(cli("compare", "suggest", str(workspace), "--json")[1])
    assert ("A:code:C1", "B:record:R49") not in {(s["a"], s["b"]) for s in found}


def test_suggestions_for_one_concept_name_only_its_counterparts(workspace: Path, cli: Cli) -> None:
    found = json.loads(cli("compare", "suggest", str(workspace), "--json", "--concept", "B:record:R51")[1])
    assert found and all(s["b"] == "B:record:R51" for s in found)
    assert found[0]["a_label"] == "Embodying recovery"


def _study(path: Path, pid: str, pseudonym: str, text: str) -> Path:
    with Project.create(path, f"study {path.name}", "gt") as project:
        transcript = ImportedTranscript(text=text, encoding="utf-8", warnings=(), turns=detect_turns(text))
        project.add_source(transcript, "t.txt", participant_id=pid, pseudonym=pseudonym)
    return path


def test_the_same_pseudonym_in_both_studies_is_never_taken_for_the_same_person(
    tmp_path: Path, cli: Cli
) -> None:
    a = _study(tmp_path / "a", "P01", "Sam", TEXT)
    b = _study(tmp_path / "b", "X07", "Sam", TEXT.replace("safe", "easy"))
    cli("compare", str(a), str(b), "--workspace", str(tmp_path / "w"))
    flag = json.loads(cli("compare", "overlap", str(tmp_path / "w"), "--json")[1])
    assert flag["flagged"] is False and flag["shared_ids"] == [] and flag["shared_transcripts"] == []


def test_an_identical_transcript_in_both_studies_raises_the_overlap_flag(tmp_path: Path, cli: Cli) -> None:
    a = _study(tmp_path / "a", "P01", "Sam", TEXT)
    b = _study(tmp_path / "b", "X07", "Robin", TEXT)
    cli("compare", str(a), str(b), "--workspace", str(tmp_path / "w"))
    flag = json.loads(cli("compare", "overlap", str(tmp_path / "w"), "--json")[1])
    assert flag["flagged"] is True and flag["shared_transcripts"] == [["S1", "S1"]]
    assert "do not count as independent confirmation" in flag["message"]


def test_shared_study_ids_flag_overlap_until_the_researcher_dismisses_it_with_a_reason(
    workspace: Path, cli: Cli
) -> None:
    summary = cli("table", str(workspace), "cmp-summary", "--format", "csv")[1]
    assert "⚠ participant overlap" in summary and "P01, P02, P03" in summary
    code, _o, err = cli("compare", "overlap", str(workspace), "--dismiss")
    assert code == 2 and "reason" in err
    cli("compare", "overlap", str(workspace), "--dismiss", "--reason", "IDs are assigned per study")
    flag = json.loads(cli("compare", "overlap", str(workspace), "--json")[1])
    assert flag["flagged"] is False and flag["reason"] == "IDs are assigned per study"
    assert "⚠ participant overlap" not in cli("table", str(workspace), "cmp-summary", "--format", "csv")[1]


def test_the_researcher_can_declare_an_overlap_the_data_cannot_show(tmp_path: Path, cli: Cli) -> None:
    a = _study(tmp_path / "a", "P01", "Sam", TEXT)
    b = _study(tmp_path / "b", "X07", "Robin", TEXT.replace("safe", "easy"))
    cli("compare", str(a), str(b), "--workspace", str(tmp_path / "w"))
    cli("compare", "overlap", str(tmp_path / "w"), "--declare", "--reason", "same CMHT, same year")
    out = cli("compare", "overlap", str(tmp_path / "w"))[1]
    assert out.startswith("⚠ possible participant overlap") and "same CMHT, same year" in out
