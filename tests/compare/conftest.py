"""Fixtures for the comparison workspace: the two bundled demo studies and one linking workspace,
each built once per test session.

The demo studies are only ever opened read-only by these tests (that is the point of CMP-1), so one copy
serves every test. Each test gets its own workspace: a copy of one made once by ``workbench compare``
(copying a folder takes milliseconds; linking two studies anew takes a few hundred). Commands run in
this process (`cli`) except where the console script itself is under test (`run`, test_e2e).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.cli.conftest import run, tree_digest
from workbench.cli.main import main

Cli = Callable[..., tuple[int, str, str]]


def _cli(*args: str) -> tuple[int, str, str]:
    """Run the workbench CLI in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def demos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(gt-demo, ipa-demo), written by `workbench demo`."""
    root = tmp_path_factory.mktemp("cmp-demos") / "demo"
    code, _out, err = _cli("demo", str(root))
    assert code == 0, err
    return root / "gt-demo", root / "ipa-demo"


@pytest.fixture
def cli() -> Cli:
    """Run the workbench CLI in this process: (exit code, stdout, stderr)."""
    return _cli


@pytest.fixture(scope="session")
def linked(tmp_path_factory: pytest.TempPathFactory, demos: tuple[Path, Path]) -> Path:
    """A comparison workspace linking the GT demo (A) and the IPA demo (B); never changed — copy it."""
    path = tmp_path_factory.mktemp("cmp-linked") / "ws"
    code, _out, err = _cli("compare", str(demos[0]), str(demos[1]), "--workspace", str(path))
    assert code == 0, err
    return path


@pytest.fixture
def workspace(tmp_path: Path, linked: Path) -> Path:
    """A new comparison workspace of this test's own linking the GT demo (A) and the IPA demo (B)."""
    return Path(shutil.copytree(linked, tmp_path / "ws"))


def digests(*directories: Path) -> list[dict[str, str]]:
    return [tree_digest(d) for d in directories]


__all__ = ["Cli", "cli", "demos", "digests", "linked", "run", "workspace"]  # `run`: the real console script
