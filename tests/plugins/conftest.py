"""Fixtures for the plugin-host tests."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.plugins.helpers import InstallDistribution, new_host
from workbench.plugins import PluginHost


@pytest.fixture
def wb_host() -> PluginHost:
    """As `workbench.testing.wb_host`, without the bundled method plugins (see helpers.METHOD_PLUGINS)."""
    return new_host(sources=("bundled",))


@pytest.fixture
def install_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InstallDistribution]:
    """``install(dist, entry_points, modules)``: make a distribution visible to importlib.metadata, as
    ``pip install`` would, for one test.

    ``entry_points`` maps plugin name -> module; ``modules`` maps module name -> source. The directory leaves
    ``sys.path`` and the modules leave ``sys.modules`` after the test, so names can be reused.
    """
    site = tmp_path / "site-packages"
    site.mkdir()
    imported: list[str] = []

    def install(dist: str, entry_points: Mapping[str, str], modules: Mapping[str, str]) -> None:
        info = site / f"{dist}-1.2.3.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n")
        lines = "".join(f"{name} = {module}\n" for name, module in entry_points.items())
        (info / "entry_points.txt").write_text(f"[workbench.plugins]\n{lines}")
        for module, source in modules.items():
            (site / f"{module}.py").write_text(textwrap.dedent(source))
            imported.append(module)

    monkeypatch.syspath_prepend(str(site))
    yield install
    for module in imported:
        sys.modules.pop(module, None)
