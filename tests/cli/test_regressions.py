"""Defects found by adversarial review of the CLI contract, each pinned by a test."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import WORKBENCH, Run, tree_digest
from workbench.core.project import Project


def _one_line_failure(result: subprocess.CompletedProcess[str], code: int | None = None) -> None:
    assert result.returncode != 0 and (code is None or result.returncode == code), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_project_creation_cannot_be_undone(run: Run, tmp_path: Path) -> None:
    run("new", str(tmp_path / "p"), "--title", "T")
    _one_line_failure(run("undo", str(tmp_path / "p"), ok=False))
    assert run("check", str(tmp_path / "p")).returncode == 0


def test_a_label_that_looks_like_a_code_id_is_a_label(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "C2")
    run("code", str(study), "S1", "--lines", "5-5", "C1")
    labels = {c["label"]: c["segments"] for c in json.loads(run("codes", str(study), "--json").stdout)}
    assert labels == {"C1": 1, "C2": 1}


def test_coding_with_another_case_reports_the_existing_label(run: Run, study: Path) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "Trust")
    assert "as 'Trust'" in run("code", str(study), "S1", "--lines", "5-5", "trust").stdout


@pytest.mark.parametrize(
    "span", ["--lines=", "--lines=3-", "--lines=٣-٤", "--lines=+1-2", "--chars=1_0:20", "--chars=:5"]
)
def test_loose_ranges_are_refused_and_change_nothing(run: Run, study: Path, span: str) -> None:
    before = tree_digest(study)
    _one_line_failure(run("code", str(study), "S1", span, "X", ok=False), 2)
    assert tree_digest(study) == before


def test_a_label_with_a_line_break_is_refused(run: Run, study: Path) -> None:
    _one_line_failure(run("code", str(study), "S1", "--lines", "4-4", "a\nb", ok=False), 2)


def test_a_range_ending_at_the_next_speakers_label_leaves_the_label_out(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text("Interviewer:\nHow are you finding things?\n\nParticipant:\n\nBetter, thanks.\n")
    run("new", str(tmp_path / "p"), "--title", "T")
    run("add", str(tmp_path / "p"), str(source))
    run("code", str(tmp_path / "p"), "S1", "--lines", "2-4", "Asking")
    (segment,) = json.loads(run("segments", str(tmp_path / "p"), "Asking", "--json").stdout)
    assert segment["text"] == "How are you finding things?"


def _checkpointed(study: Path, run: Run) -> None:
    run("code", str(study), "S1", "--lines", "4-4", "A")
    run("code", str(study), "S1", "--lines", "5-5", "B")
    with Project.open(study) as project:
        project.store.checkpoint()


def test_audit_verify_notices_removed_last_events(run: Run, study: Path) -> None:
    _checkpointed(study, run)
    lines = (study / "audit.jsonl").read_text().splitlines(keepends=True)
    (study / "audit.jsonl").write_text("".join(lines[:-1]))
    result = run("audit", "verify", str(study), ok=False)
    assert result.returncode == 1 and "removed or altered" in result.stderr


def test_audit_verify_notices_reordered_events(run: Run, study: Path) -> None:
    _checkpointed(study, run)
    lines = (study / "audit.jsonl").read_text().splitlines(keepends=True)
    lines[-1], lines[-2] = lines[-2], lines[-1]
    (study / "audit.jsonl").write_text("".join(lines))
    result = run("audit", "verify", str(study), ok=False)
    assert result.returncode == 1 and "out of order" in result.stderr


def test_audit_verify_reports_a_damaged_line_as_a_broken_chain(run: Run, study: Path) -> None:
    _checkpointed(study, run)
    with open(study / "audit.jsonl", "a") as fh:
        fh.write("not json\n")
    assert run("audit", "verify", str(study), ok=False).returncode == 1


def _edit_checkpoint(study: Path, edit: object) -> None:
    data = json.loads((study / "project.json").read_text())
    edit(data)  # type: ignore[operator]
    (study / "project.json").write_text(json.dumps(data))


def test_check_notices_an_anchor_moved_by_hand(run: Run, study: Path) -> None:
    _checkpointed(study, run)
    _edit_checkpoint(study, lambda d: d["segments"]["G1"].update(start=d["segments"]["G1"]["start"] + 1))
    result = run("check", str(study), ok=False)
    assert result.returncode == 1 and "segments G1 differs from its last audit event" in result.stderr


def test_check_notices_a_text_rewritten_with_a_matching_digest(run: Run, study: Path) -> None:
    import hashlib

    _checkpointed(study, run)

    def rewrite(data: dict[str, dict[str, dict[str, object]]]) -> None:
        text = str(data["texts"]["V1"]["text"]).replace("Honestly", "Truly!!!")
        data["texts"]["V1"]["text"] = text
        data["versions"]["V1"]["sha256"] = hashlib.sha256(text.encode()).hexdigest()

    _edit_checkpoint(study, rewrite)
    assert "texts V1 differs" in run("check", str(study), ok=False).stderr


def test_check_notices_a_parent_cycle(run: Run, study: Path) -> None:
    _checkpointed(study, run)
    _edit_checkpoint(study, lambda d: d["codes"]["C1"].update(parent_id="C1"))
    assert "cycle" in run("check", str(study), ok=False).stderr


def test_a_writer_removes_temp_files_left_by_a_killed_checkpoint(run: Run, study: Path) -> None:
    stale = study / ".project.json.999999.tmp"
    stale.write_text("transcript words")
    run("code", str(study), "S1", "--lines", "4-4", "A")
    assert not stale.exists()


def test_new_on_a_file_is_one_clear_line(run: Run, transcript: Path) -> None:
    _one_line_failure(run("new", str(transcript), "--title", "T", ok=False), 2)


def test_a_project_file_replaced_by_a_directory_is_corrupt(run: Run, study: Path) -> None:
    (study / "journal.log").unlink()
    (study / "journal.log").mkdir()
    _one_line_failure(run("sources", str(study), ok=False), 5)


def test_open_without_a_terminal_prints_the_summary(study: Path) -> None:
    result = subprocess.run(
        [WORKBENCH, "open", str(study)], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0 and "Peer support [gt]" in result.stdout


def test_parent_directories_are_owner_only_even_with_a_permissive_umask(tmp_path: Path) -> None:
    target = tmp_path / "nest" / "a" / "proj"
    subprocess.run(
        ["sh", "-c", f"umask 000 && {WORKBENCH} new {target} --title T"], check=True, capture_output=True
    )
    for directory in (tmp_path / "nest", tmp_path / "nest" / "a", target):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


def test_a_failed_demo_leaves_nothing_behind(run: Run, tmp_path: Path) -> None:
    result = run("demo", str(tmp_path / "d"), ok=False, env={"WORKBENCH_DISABLE_PLUGINS": "plaintext"})
    _one_line_failure(result)
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_a_crashing_importer_plugin_gives_one_line(run: Run, study: Path, tmp_path: Path) -> None:
    plugin = tmp_path / "boom.py"
    plugin.write_text(
        "from workbench import hookimpl\n\n"
        "def load(path, data):\n    raise RuntimeError('kaboom')\n\n"
        "@hookimpl\ndef register_importers(register):\n"
        "    register('boom', extensions=['.boom'], load=load)\n"
    )
    (tmp_path / "plugins.toml").write_text('[plugins]\nlocal = ["boom.py"]\n')
    (tmp_path / "x.boom").write_text("hello")
    before = tree_digest(study)
    result = run(
        "add",
        str(study),
        str(tmp_path / "x.boom"),
        ok=False,
        env={"WORKBENCH_PLUGINS_TOML": str(tmp_path / "plugins.toml")},
    )
    _one_line_failure(result)
    assert "kaboom" in result.stderr
    assert tree_digest(study) == before
