"""The `workbench gt` command through the installed console script: wiring and the error contract."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run, tree_digest


def test_gt_steps_runs_from_the_console_script(run: Run, tmp_path: Path, transcript: Path) -> None:
    study = tmp_path / "s"
    run("new", str(study), "--title", "T", "--method", "gt")
    out = run("gt", "steps", str(study)).stdout
    assert "Constructivist (Charmaz): steps" in out


def test_bad_input_is_one_line_exit_two_and_changes_nothing(
    run: Run, tmp_path: Path, transcript: Path
) -> None:
    study = tmp_path / "s"
    run("new", str(study), "--title", "T", "--method", "gt")
    run("add", str(study), str(transcript))
    before = tree_digest(study)
    result = run("gt", "log", str(study), "S1", "--date", "2014-13-40", ok=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("workbench: error:")
    assert tree_digest(study) == before


def test_an_unknown_code_is_not_found_exit_three(run: Run, tmp_path: Path) -> None:
    study = tmp_path / "s"
    run("new", str(study), "--title", "T", "--method", "gt")
    result = run("gt", "compare", str(study), "Nothing", ok=False)
    assert result.returncode == 3 and "no code 'Nothing'" in result.stderr
