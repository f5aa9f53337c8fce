"""The scripting CLI contract, run through the real `workbench` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import TRANSCRIPT, Run, tree_digest


def test_new_creates_a_project_directory(run: Run, tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "p"), "--title", "T", "--method", "ipa")
    assert "created ipa project" in result.stdout
    assert (tmp_path / "p" / "project.json").is_file()


def test_add_json_prints_ids(run: Run, tmp_path: Path, transcript: Path) -> None:
    run("new", str(tmp_path / "p"), "--title", "T")
    out = json.loads(run("add", str(tmp_path / "p"), str(transcript), "--json").stdout)
    assert out[0]["id"] == "S1"


def test_sources_json_lists_participant_and_counts(run: Run, study: Path) -> None:
    (row,) = json.loads(run("sources", str(study), "--json").stdout)
    assert (row["id"], row["participant"], row["pseudonym"]) == ("S1", "P01", "Alex")
    assert row["words"] == len(TRANSCRIPT.split())


def test_code_by_chars_then_segments_json(run: Run, study: Path) -> None:
    phrase = "she knows what the nights are like"
    start = TRANSCRIPT.index(phrase)
    run("code", str(study), "S1", "--chars", f"{start}:{start + len(phrase)}", "Feeling understood")
    (seg,) = json.loads(run("segments", str(study), "Feeling understood", "--json").stdout)
    assert seg["text"] == phrase
    assert (seg["source"], seg["participant"], seg["start"], seg["end"]) == (
        "S1",
        "P01",
        start,
        start + len(phrase),
    )
    assert seg["citation"].startswith("Alex, 1:")


def test_code_by_lines_then_codes_json(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "3-4", "Reluctance", "--coder", "bea", "--memo", "first doubt")
    (code,) = json.loads(run("codes", str(study), "--json").stdout)
    assert (code["label"], code["segments"], code["participants"]) == ("Reluctance", 1, 1)


def test_uncode_removes_a_coding(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    run("uncode", str(study), "S1", "--lines", "4-4", "Reluctance")
    assert json.loads(run("segments", str(study), "Reluctance", "--json").stdout) == []


def test_undo_and_redo_through_the_cli(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    assert "undone" in run("undo", str(study)).stdout
    assert json.loads(run("codes", str(study), "--json").stdout) == []
    run("redo", str(study))
    assert len(json.loads(run("segments", str(study), "Reluctance", "--json").stdout)) == 1


def test_memo_with_link(run: Run, study: Path) -> None:
    assert (
        "memo M1 saved" in run("memo", str(study), "--title", "Trust", "--body", "why", "--link", "S1").stdout
    )


def test_check_and_audit_verify_pass_on_a_sound_project(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    assert run("check", str(study)).returncode == 0
    assert "chain intact" in run("audit", "verify", str(study)).stdout


def test_audit_verify_names_the_first_broken_event(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Reluctance")
    from workbench.core.project import Project

    with Project.open(study) as p:
        p.store.checkpoint()  # move the events from the journal into audit.jsonl
    lines = (study / "audit.jsonl").read_text().splitlines()
    event = json.loads(lines[1])
    event["doc"]["actor"] = "mallory"
    lines[1] = json.dumps(event)
    (study / "audit.jsonl").write_text("\n".join(lines) + "\n")
    result = run("audit", "verify", str(study), ok=False)
    assert result.returncode == 1
    assert "event 2" in result.stderr


def test_plugins_json_lists_the_bundled_importer(run: Run) -> None:
    rows = json.loads(run("plugins", "--json").stdout)
    assert {"name", "version", "source", "status", "error"} <= set(rows[0])
    assert any(r["source"] == "bundled" and r["status"] == "active" for r in rows)


BAD_INPUTS = [
    ("code", "{d}", "S9", "--lines", "1-1", "X"),
    ("code", "{d}", "S1", "--lines", "999-1000", "X"),
    ("code", "{d}", "S1", "--chars", "5:2", "X"),
    ("code", "{d}", "S1", "--chars", "a:b", "X"),
    ("code", "{d}", "S1", "--lines", "1-1"),
    ("uncode", "{d}", "S1", "--lines", "4-4", "Never applied"),
    ("segments", "{d}", "No such code"),
    ("memo", "{d}", "--title", "T", "--body", "B", "--link", "code:C404"),
    ("add", "{d}", "{missing}"),
    ("add", "{d}", "{binary}"),
    ("add", "{d}", "{unknown_ext}"),
    ("redo", "{d}"),
    ("new", "{d}", "--title", "Again"),
    ("frobnicate", "{d}"),
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda a: " ".join(a[:2] + a[3:4]))
def test_bad_input_gives_one_line_nonzero_exit_and_leaves_the_project_untouched(
    run: Run, study: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "notes.xyz").write_text("hello")
    names = {
        "d": str(study),
        "missing": str(tmp_path / "nope.txt"),
        "binary": str(tmp_path / "binary.txt"),
        "unknown_ext": str(tmp_path / "notes.xyz"),
    }
    before = tree_digest(study)
    result = run(*(a.format(**names) for a in args), ok=False)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(study) == before


def test_a_corrupt_project_is_refused_with_one_line(run: Run, study: Path) -> None:
    (study / "project.json").write_text("{not json")
    result = run("codes", str(study), ok=False)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "damaged" in result.stderr


def test_open_summary_prints_the_project_overview(run: Run, study: Path) -> None:
    out = run("open", str(study), "--summary").stdout
    assert "Peer support [gt]" in out and "1 participants, 1 sources" in out


def test_open_refuses_a_missing_project_before_taking_the_screen(run: Run, tmp_path: Path) -> None:
    result = run("open", str(tmp_path / "nowhere"), ok=False)
    assert result.returncode == 3 and len(result.stderr.splitlines()) == 1
