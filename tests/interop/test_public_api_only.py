"""Rule 2: the bundled interop plugin reaches the host only as a third-party plugin can, through the
`workbench` package root (and hookspecs), never through `workbench.core`, `workbench.cli` or the TUI."""

from __future__ import annotations

import ast
from pathlib import Path

import wb_interop

PLUGIN = Path(wb_interop.__file__).resolve().parent
_MODULE_STRING = "workbench."


def host_imports(path: Path) -> set[str]:
    """Every `workbench...` module a file imports, however it does so: at the top, inside a function,
    under TYPE_CHECKING, or by naming a dotted module path in a string (``import_module("workbench.x")``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if text.startswith(_MODULE_STRING) and text.replace(".", "").replace("_", "").isalnum():
                names.add(text)
    return {name for name in names if name == "workbench" or name.startswith(_MODULE_STRING)}


def test_no_interop_module_imports_anything_of_workbench_but_the_package_root() -> None:
    modules = sorted(PLUGIN.rglob("*.py"))
    offenders = {
        f"{path.relative_to(PLUGIN)}: {name}"
        for path in modules
        for name in host_imports(path)
        if name != "workbench"
    }
    assert len(modules) > 10 and offenders == set()


def test_the_scan_sees_an_internal_import_hidden_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text(
        "import importlib\n"
        "from workbench import Project\n"
        "def f():\n"
        "    from workbench.core.text import LineMap\n"
        "    return importlib.import_module('workbench.core.store.fsutil')\n",
        encoding="utf-8",
    )
    assert host_imports(module) == {"workbench", "workbench.core.text", "workbench.core.store.fsutil"}
