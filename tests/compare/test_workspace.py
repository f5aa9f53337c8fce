"""CMP-1: the workspace links two studies read-only, has its own log, and can be opened again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.compare.conftest import Cli, digests
from workbench import Project
from workbench.cli.main import main


def test_creating_and_using_a_workspace_leaves_both_studies_byte_identical(
    tmp_path: Path, demos: tuple[Path, Path], cli: Cli
) -> None:
    before = digests(*demos)
    ws = tmp_path / "ws"
    assert cli("compare", str(demos[0]), str(demos[1]), "--workspace", str(ws))[0] == 0
    cli("compare", "map", str(ws), "C24", "R49", "--relation", "equivalent", "--rationale", "same")
    cli("compare", "unmap", str(ws), "C24", "R49", "--reason", "too quick")
    cli("table", str(ws), "cmp-concordance")
    cli("check", str(ws))
    assert digests(*demos) == before


def test_the_workspace_has_its_own_audit_log_of_the_comparison(workspace: Path, cli: Cli) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", "same")
    with Project.open(workspace, readonly=True) as project:
        actions = [e["action"] for e in project.audit_events()]
        assert project.method == "compare"
    assert actions[:2] == ["project.create", "cmp.link.create"]
    assert "cmp.mapping.create" in actions and "memo.create" in actions


def test_opening_the_same_two_studies_again_reopens_the_workspace_with_its_mappings(
    workspace: Path, demos: tuple[Path, Path], cli: Cli
) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", "same")
    code, out, _err = cli("compare", str(demos[0]), str(demos[1]), "--workspace", str(workspace), "--json")
    data = json.loads(out)
    assert code == 0 and data["created"] is False and data["mappings"] == 1


def test_without_workspace_the_default_is_a_sibling_folder_named_after_both_studies(
    tmp_path: Path, demos: tuple[Path, Path], cli: Cli
) -> None:
    gt, ipa = tmp_path / "gt-demo", tmp_path / "ipa-demo"
    shutil.copytree(demos[0], gt)
    shutil.copytree(demos[1], ipa)
    code, out, _err = cli("compare", str(gt), str(ipa))
    assert code == 0
    assert (tmp_path / "compare-gt-demo-ipa-demo" / "project.json").is_file()
    assert "created" in out


def test_a_workspace_refuses_to_be_reused_for_two_other_studies(
    tmp_path: Path, workspace: Path, demos: tuple[Path, Path], cli: Cli
) -> None:
    other = tmp_path / "other"
    shutil.copytree(demos[1], other)
    code, _out, err = cli("compare", str(demos[0]), str(other), "--workspace", str(workspace))
    assert code == 2 and "choose another --workspace" in err


def test_a_study_cannot_be_compared_with_itself(demos: tuple[Path, Path], tmp_path: Path, cli: Cli) -> None:
    code, _out, err = cli("compare", str(demos[0]), str(demos[0]), "--workspace", str(tmp_path / "w"))
    assert code == 2 and "same project" in err
    assert not (tmp_path / "w").exists()


def test_a_folder_that_is_not_a_project_is_one_error_line(
    tmp_path: Path, demos: tuple[Path, Path], cli: Cli
) -> None:
    code, _out, err = cli(
        "compare", str(tmp_path / "nowhere"), str(demos[1]), "--workspace", str(tmp_path / "w")
    )
    assert code == 3 and err.count("\n") == 1 and err.startswith("workbench: error:")


def test_a_workspace_notices_a_study_changed_since_linking(
    tmp_path: Path, demos: tuple[Path, Path], cli: Cli
) -> None:
    gt = tmp_path / "gt"
    shutil.copytree(demos[0], gt)
    ws = tmp_path / "ws"
    cli("compare", str(gt), str(demos[1]), "--workspace", str(ws))
    cli("memo", str(gt), "--title", "later", "--body", "a memo written after linking")
    data = json.loads(cli("compare", "summary", str(ws), "--json")[1])
    assert data["changed_since_linking"] == ["A"]


def test_the_workspace_tables_are_listed_by_workbench_tables(workspace: Path, cli: Cli) -> None:
    out = cli("tables", str(workspace), "--json")[1]
    names = {t["name"] for t in json.loads(out)}
    assert {"cmp-concordance", "cmp-matrix", "cmp-shared-unique", "cmp-refutations", "cmp-audit"} <= names


def test_compare_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    assert "map W A_CONCEPT B_CONCEPT --relation" in capsys.readouterr().out
