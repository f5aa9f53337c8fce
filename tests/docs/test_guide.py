"""The plugin guide is true: its shell commands run against the real CLI, and its code is the example's."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from tests.docs.guide import EXAMPLE, GUIDE, ROOT, excerpts, steps

BIN = str(Path(sys.executable).parent)


def test_the_guide_marks_commands_to_run_and_the_output_they_print() -> None:
    marked = steps(GUIDE.read_text(encoding="utf-8"))
    assert len(marked) >= 4
    assert all(step.expected for step in marked)


def test_every_code_excerpt_in_the_guide_is_verbatim_in_the_example() -> None:
    found = excerpts(GUIDE.read_text(encoding="utf-8"))
    assert {path for path, _ in found} >= {
        "examples/workbench-rta/pyproject.toml",
        "examples/workbench-rta/workbench_rta/__init__.py",
        "examples/workbench-rta/tests/conftest.py",
    }
    for path, excerpt in found:
        assert excerpt in (ROOT / path).read_text(encoding="utf-8"), f"the guide's excerpt of {path} is stale"


def test_the_example_installed_here_is_the_one_in_the_checkout() -> None:
    """`make setup` installs examples/workbench-rta; its entry point is the guide's."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "workbench-rta"
    assert project["dependencies"] == ["qual-workbench"]
    assert project["entry-points"]["workbench.plugins"] == {"rta": "workbench_rta"}
    (entry_point,) = [e for e in metadata.entry_points(group="workbench.plugins") if e.name == "rta"]
    assert entry_point.value == "workbench_rta"
    assert entry_point.dist is not None and entry_point.dist.name == "workbench-rta"


def test_the_guides_commands_run_in_order_and_print_what_it_shows(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WORKBENCH_PLUGINS_TOML", "WORKBENCH_DISABLE_PLUGINS")
    }
    environment["PATH"] = BIN + os.pathsep + environment.get("PATH", "")
    for number, step in enumerate(steps(GUIDE.read_text(encoding="utf-8")), start=1):
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step.script],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=environment,
            timeout=120,
        )
        context = f"guide step {number}:\n{step.script}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        assert done.returncode == 0, context
        printed = [line.rstrip() for line in done.stdout.splitlines()]
        missing = [line for line in step.expected if line.rstrip() not in printed]
        if missing:
            pytest.fail(f"{context}\nmissing lines: {missing}")
