"""The import contracts (`[tool.importlinter]` in pyproject.toml, checked by `lint-imports` in `make lint`)
cover what they should, and no module imports itself back round a circle (issue 21).

import-linter's ``acyclic_siblings`` contract compares the children of each package; a circle through a
package's own ``__init__`` (the `workbench` root re-exports from the CLI, say) is not among them, so the
graph is also checked here module by module, with the same exceptions as the contract.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import grimp

ROOT = Path(__file__).resolve().parents[1]
CONFIG: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
PLUGINS = sorted(path.parent.name for path in (ROOT / "plugins").glob("*/__init__.py"))


def test_the_contracts_cover_the_workbench_and_every_bundled_plugin() -> None:
    assert len(PLUGINS) >= 9
    assert CONFIG["root_packages"] == ["workbench", *PLUGINS]
    assert sorted(CONTRACTS["plugin-api"]["source_modules"]) == PLUGINS
    assert sorted(CONTRACTS["plugins-independent"]["modules"]) == PLUGINS
    assert set(PLUGINS) <= set(CONTRACTS["core"]["forbidden_modules"])
    assert CONTRACTS["acyclic"]["ancestors"] == CONFIG["root_packages"]


def test_make_test_runs_the_contracts() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint
    assert any(line.startswith("test:") and " lint " in f"{line} " for line in makefile.splitlines())


def cycles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The circles of `imports` (module -> the modules it imports): every strongly connected set of two or
    more modules, and any module that imports itself (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(imports):
        if start in index:
            continue
        work = [(start, iter(sorted(imports.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports.get(target, ())))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == module:
                        break
                if len(members) > 1 or module in imports.get(module, ()):
                    found.append(sorted(members))
    return sorted(found)


def test_cycles_finds_circles_of_any_length_and_nothing_else() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"d"}}
    assert cycles(graph) == [["a", "b", "c"], ["e"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back_round_a_circle() -> None:
    """Every import counts: at the top of a module, inside a function, and under TYPE_CHECKING."""
    graph = grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)
    ignored = set()
    for line in CONTRACTS["acyclic"].get("ignore_imports", []):
        importer, imported = (part.strip() for part in line.split("->"))
        ignored.add((importer, imported))
    imports = {
        module: {t for t in graph.find_modules_directly_imported_by(module) if (module, t) not in ignored}
        for module in graph.modules
    }
    assert cycles(imports) == []
