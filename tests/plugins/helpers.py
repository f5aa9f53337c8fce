"""Builders for plugin tests: hosts that ignore the machine, local plugin files, plugins.toml files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from workbench.plugins import PluginHost, PluginSource

#: ``install(dist, entry_points, modules)``, the `install_distribution` fixture.
InstallDistribution = Callable[[str, Mapping[str, str], Mapping[str, str]], None]

NO_INSTALLED: tuple[PluginSource, ...] = ("bundled", "local")
#: The bundled method and format plugins; the host tests run as if only `plaintext` were bundled, so
#: they describe the host's mechanics and not what the method plugins happen to contribute.
METHOD_PLUGINS = ("gt", "ipa", "interop", "compare", "team")
QUIET = {"WORKBENCH_DISABLE_PLUGINS": ",".join(METHOD_PLUGINS)}


def new_host(
    config_path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    sources: Iterable[PluginSource] = NO_INSTALLED,
    discover_config: bool = False,
    cwd: Path | None = None,
    on_error: object = None,
) -> PluginHost:
    """A host that sees only what the test gives it (no developer env vars, no stray installed plugins,
    none of the bundled method plugins)."""
    env = dict(environ or {})
    disabled = (env.get("WORKBENCH_DISABLE_PLUGINS", ""), QUIET["WORKBENCH_DISABLE_PLUGINS"])
    env["WORKBENCH_DISABLE_PLUGINS"] = ",".join(name for name in disabled if name)
    return PluginHost(
        config_path=config_path,
        environ=env,
        sources=tuple(sources),
        discover_config=discover_config,
        cwd=cwd,
        on_error=on_error,  # type: ignore[arg-type]
    )


def write_plugin(directory: Path, name: str, source: str) -> Path:
    """Write a local plugin file ``directory/name.py`` (source is dedented) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def write_toml(path: Path, local: Iterable[str] = (), disabled: Iterable[str] = ()) -> Path:
    """Write a plugins.toml with the given ``local`` paths and ``disabled`` names."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def array(items: Iterable[str]) -> str:
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    path.write_text(f"[plugins]\nlocal = {array(local)}\ndisabled = {array(disabled)}\n", encoding="utf-8")
    return path


# A local plugin contributing one importer; used wherever a "good plugin that keeps working" is needed.
GOOD_PLUGIN = """
    from workbench import ImportedTranscript, hookimpl

    __version__ = "2.0"

    def load(path, data):
        return ImportedTranscript(text=data.decode("utf-8"))

    @hookimpl
    def register_importers(register):
        register("good", [".good"], load, "a good importer")
"""
