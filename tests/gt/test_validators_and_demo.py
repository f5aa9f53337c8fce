"""GT validators (non-blocking findings) and the bundled GT demo study's artefacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gt.conftest import answer_line, run_cli, table
from tests.gt.test_e2e import TABLES
from workbench.demo import _build, _plan, plugin_commands
from workbench.plugins import PluginHost


def test_a_focused_code_created_from_nothing_and_a_bare_category_are_reported(study: Path) -> None:
    d = str(study)
    run_cli("codebook", d, "create", "Surviving services", "--level", "focused")
    run_cli("gt", "category", d, "Trust")
    out = run_cli("check", d)
    assert "warning: focused code 'Surviving services' was not promoted from any initial code" in out
    assert "warning: category 'Trust' has no properties yet" in out


def test_validators_are_quiet_on_a_project_that_is_not_grounded_theory(tmp_path: Path) -> None:
    d = str(tmp_path / "ipa")
    run_cli("new", d, "--title", "IPA", "--method", "ipa")
    run_cli("codebook", d, "create", "Theme", "--level", "category")
    assert "warning" not in run_cli("check", d)


def test_promoted_codes_and_categories_with_properties_pass(study: Path) -> None:
    d = str(study)
    run_cli("gt", "code", d, "S1", "--lines", answer_line(2), "Testing trust")
    run_cli("gt", "promote", d, "Testing trust")
    run_cli("gt", "category", d, "Trust", "--member", "Testing trust")
    run_cli("gt", "property", d, "Trust", "pace", "--low", "guarded", "--high", "open")
    assert "warning" not in run_cli("check", d)


@pytest.mark.slow
def test_the_gt_demo_fills_in_every_gt_artefact(tmp_path: Path, wb_host: PluginHost) -> None:
    target = tmp_path / "gt-demo"
    _build(target, _plan("gt-plan.json"), wb_host)
    for name in TABLES:
        assert table(run_cli, target, name), f"{name} is empty in the demo"
    assert len(table(run_cli, target, "gt-saturation")) == 4
    stages = {r["Stage"] for r in table(run_cli, target, "gt-memo-trail")}
    assert {"set-up", "initial", "focused", "theoretical"} <= stages
    paradigm = table(run_cli, target, "gt-paradigm")
    assert paradigm[0]["Phenomenon"] == "The product of disclosure"
    assert "digraph gt_model" in run_cli("gt", "diagram", str(target), "--format", "dot")
    assert "ok:" in run_cli("check", str(target))


def test_without_the_cli_the_demo_runs_the_plugins_commands_and_reports_failures_in_one_line(
    study: Path, wb_host: PluginHost, capsys: pytest.CaptureFixture[str]
) -> None:
    """`build_demo` and `_build` without a `run`: what `workbench demo` gets from the CLI's `main`."""
    run = plugin_commands(wb_host)
    assert run(["gt", "category", str(study), "Trust"]) == 0
    assert "warning: category 'Trust' has no properties yet" in run_cli("check", str(study))
    capsys.readouterr()
    assert run(["gt", "category", str(study), "Trust", "--no-such-option"]) == 2
    assert run(["no-such-command", str(study)]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2 and all(line.startswith("workbench: error: ") for line in errors)

