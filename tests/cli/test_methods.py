"""`workbench new --method`: the bundled methods and any method an installed plugin adds."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run

PLUGIN = """
from workbench import WorkflowStep, hookimpl

@hookimpl
def register_workflows(register):
    register("q-sort", [WorkflowStep("familiarise", "Familiarisation")])
"""


def test_a_method_no_plugin_supports_is_refused_naming_the_installed_ones(run: Run, tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "p"), "--title", "T", "--method", "phenomenography", ok=False)
    assert result.returncode == 2
    assert "unknown method 'phenomenography'" in result.stderr
    assert "gt" in result.stderr and "ipa" in result.stderr
    assert not (tmp_path / "p").exists()


def test_a_method_a_plugin_registers_can_be_chosen(run: Run, tmp_path: Path) -> None:
    (tmp_path / "qsort.py").write_text(PLUGIN)
    (tmp_path / "plugins.toml").write_text('[plugins]\nlocal = ["qsort.py"]\n')
    env = {"WORKBENCH_PLUGINS_TOML": str(tmp_path / "plugins.toml")}
    out = run("new", str(tmp_path / "p"), "--title", "T", "--method", "q-sort", env=env).stdout
    assert "created q-sort project" in out
