"""Rule 2 for every bundled plugin: they reach the host exactly as a third-party plugin can — through the
`workbench` package root, plus the documented `workbench.team` module for team coding and governance."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tests.interop.test_public_api_only import host_imports

PUBLIC = {"workbench", "workbench.team"}
BUNDLED = ("wb_plaintext", "wb_gt", "wb_ipa", "wb_interop", "wb_compare", "wb_team")


@pytest.mark.parametrize("package", BUNDLED)
def test_a_bundled_plugin_imports_only_the_public_api(package: str) -> None:
    folder = Path(importlib.import_module(package).__file__ or "").resolve().parent
    offenders = {
        f"{path.relative_to(folder)}: {name}"
        for path in sorted(folder.rglob("*.py"))
        for name in host_imports(path)
        if name not in PUBLIC
    }
    assert offenders == set()
