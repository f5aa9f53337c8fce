"""docs/hooks.md is generated from the hookspec docstrings, and the committed page is up to date."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.docs.guide import ROOT
from workbench import hookspecs


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_hooks", ROOT / "docs" / "gen_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_hook_reference_matches_the_hookspecs() -> None:
    committed = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert committed == _generator().generate(), "docs/hooks.md is stale: run `python docs/gen_hooks.py`"


def test_every_hook_has_a_section_with_its_signature_arguments_and_return() -> None:
    page = _generator().generate()
    names = [name for name, _ in _generator().hooks()]
    assert names == [n for n in vars(hookspecs) if n.startswith(("register_", "on_"))]
    for name in names:
        section = page.split(f"### `{name}`\n", 1)[1].split("\n### ", 1)[0]
        assert f"def {name}(" in section
        assert "- **Argument `" in section and "- **Returns**:" in section


def test_the_readme_links_the_guide_and_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/plugin-guide.md)" in readme and "(docs/hooks.md)" in readme
