"""The `workbench` package root is the plugin author's whole API, and it must stay cheap to import."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pluggy
import pytest

import workbench

ROOT = Path(workbench.__file__).parent


def test_every_public_name_resolves() -> None:
    for name in workbench.__all__:
        assert getattr(workbench, name) is not None


def test_all_lists_exactly_the_lazy_names_plus_hookimpl_and_version() -> None:
    assert set(workbench.__all__) == {*workbench._LAZY, "hookimpl", "__version__"}


def test_lazy_names_are_the_real_objects() -> None:
    from workbench.core.errors import BadInputError
    from workbench.core.text import decode_transcript
    from workbench.registry import Importer

    assert workbench.BadInputError is BadInputError
    assert workbench.decode_transcript is decode_transcript
    assert workbench.Importer is Importer


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = workbench.no_such_name


def test_hookimpl_is_a_workbench_marker() -> None:
    assert isinstance(workbench.hookimpl, pluggy.HookimplMarker)
    assert workbench.hookimpl.project_name == "workbench"


def test_version_is_a_plain_literal_that_hatch_can_read() -> None:
    with (ROOT.parent / "pyproject.toml").open("rb") as config:
        assert tomllib.load(config)["tool"]["hatch"]["version"]["path"] == "workbench/_version.py"
    tree = ast.parse((ROOT / "_version.py").read_text(encoding="utf-8"))
    literals = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["__version__"]
        and isinstance(node.value, ast.Constant)
    ]
    assert literals == [workbench.__version__] == ["0.1.0"]


@pytest.mark.parametrize("module", ["workbench", "workbench.plugins", "workbench.hookspecs"])
def test_importing_the_plugin_api_loads_neither_textual_nor_the_store(module: str) -> None:
    probe = (
        f"import sys, {module}; "
        "heavy = [m for m in ('textual', 'tinydb', 'workbench.core.project', 'workbench.core.text') "
        "if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
