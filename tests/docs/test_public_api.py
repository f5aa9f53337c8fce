"""The example plugin imports nothing from `workbench` but the package root (checked with ast)."""

from __future__ import annotations

import ast

from tests.docs.guide import EXAMPLE

PACKAGE = EXAMPLE / "workbench_rta"


def private_imports(source: str) -> list[str]:
    """Every import of a `workbench` submodule in `source`: `import workbench.x`, `from workbench.x import`,
    and `importlib.import_module("workbench.x")` / `__import__("workbench.x")`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        found.extend(name for name in names if name.startswith("workbench."))
    return found


def test_every_module_of_the_example_imports_only_the_workbench_package_root() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 10
    offenders = {
        str(path.relative_to(EXAMPLE)): imports
        for path in modules
        if (imports := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_catches_every_way_of_reaching_into_the_host() -> None:
    source = (
        "import workbench.core.project\n"
        "from workbench.tui.app import WorkbenchApp\n"
        "import importlib\n"
        "importlib.import_module('workbench.plugins')\n"
        "from workbench import Project, hookimpl\n"
        "from .themes import themes\n"
    )
    assert private_imports(source) == ["workbench.core.project", "workbench.tui.app", "workbench.plugins"]
