"""Fixtures for the comparison workspace: the two bundled demo studies, built once per test session.

The demo studies are only ever opened read-only by these tests (that is the point of CMP-1), so one copy
serves every test; each test makes its own workspace in its own tmp_path.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.cli.conftest import WORKBENCH, run, tree_digest
from workbench.cli.main import main

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="session")
def demos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(gt-demo, ipa-demo), written by the real `workbench demo`."""
    root = tmp_path_factory.mktemp("cmp-demos") / "demo"
    done = subprocess.run([WORKBENCH, "demo", str(root)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return root / "gt-demo", root / "ipa-demo"


@pytest.fixture
def cli() -> Cli:
    """Run the workbench CLI in this process: (exit code, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    return _run


@pytest.fixture
def workspace(tmp_path: Path, demos: tuple[Path, Path], cli: Cli) -> Path:
    """A new comparison workspace linking the GT demo (A) and the IPA demo (B)."""
    path = tmp_path / "ws"
    code, _out, err = cli("compare", str(demos[0]), str(demos[1]), "--workspace", str(path))
    assert code == 0, err
    return path


def digests(*directories: Path) -> list[dict[str, str]]:
    return [tree_digest(d) for d in directories]


__all__ = ["Cli", "cli", "demos", "digests", "run", "workspace"]  # `run`: the real console script
