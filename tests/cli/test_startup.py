"""Start-up stays light (issue 25): `--help`, `--version` and core commands import no plugin and none of the
heavy libraries, thanks to the plugin-command cache (`workbench.cli.plugin_commands`), which any change
to the plugins invalidates.

Each run is a child process with its own cache folder (``WORKBENCH_CACHE_DIR`` in ``tmp_path``); the
first run of a set-up loads the plugins and writes the cache, the next one reads it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from workbench import plugins
from workbench.cli import lexical, plugin_commands
from workbench.core.search import autocode, frequency

HEAVY = ("textual", "docx", "openpyxl", "lxml", "odf")
#: Run ``main(ARGS)`` and write what it returned, printed and imported to the file named first.
PROBE = """
import contextlib, io, json, sys
from workbench.cli.main import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(sys.argv[2:])
    except SystemExit as exc:
        code = exc.code
with open(sys.argv[1], "w", encoding="utf-8") as report:
    result = {"code": code, "out": out.getvalue(), "err": err.getvalue(), "modules": sorted(sys.modules)}
    json.dump(result, report)
"""
PLUGIN = """
from workbench import hookimpl

@hookimpl
def register_commands(register):
    register("hello", {help!r}, lambda parser: None, lambda args: print("hello") or 0)
"""


def _plugin_modules() -> set[str]:
    return {e.value.split(":")[0].split(".")[0] for e in metadata.entry_points(group="workbench.plugins")}


class Workbench:
    """Runs the CLI in children that share one working folder, environment and plugin-command cache."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.cwd = tmp_path
        self.cache = tmp_path / "cache"
        base = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
        self.env = {**base, "WORKBENCH_CACHE_DIR": str(self.cache), **env}

    def __call__(self, *args: str) -> dict[str, Any]:
        report = self.cwd / "probe.json"
        subprocess.run(
            [sys.executable, "-c", PROBE, str(report), *args],
            cwd=self.cwd,
            env=self.env,
            check=True,
            timeout=120,
        )
        result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        tops = {name.split(".")[0] for name in result["modules"]}
        result["plugins"] = sorted(
            (tops & _plugin_modules()) | {m for m in tops if m.startswith("workbench_local_plugin_")}
        )
        result["heavy"] = sorted(tops & set(HEAVY))
        return result


@pytest.fixture
def wb(tmp_path: Path) -> Workbench:
    return Workbench(tmp_path)


def test_a_warm_help_imports_no_plugin_and_no_heavy_library_and_lists_every_command(wb: Workbench) -> None:
    cold = wb("--help")  # no cache yet: the plugins are loaded (and the probe sees that)
    assert cold["code"] == 0 and cold["plugins"]
    warm = wb("--help")
    assert (warm["code"], warm["plugins"], warm["heavy"]) == (0, [], [])
    assert "workbench.plugins" not in warm["modules"] and "workbench.registry" not in warm["modules"]
    assert not any(m.startswith("workbench.core.search") for m in warm["modules"])
    assert warm["out"] == cold["out"]  # the same help, plugin commands included, in the same order
    for command in ("gt", "ipa", "compare", "import", "icr", "rta"):
        assert f"\n    {command} " in warm["out"]


def test_version_and_core_commands_import_no_plugin_when_warm(wb: Workbench) -> None:
    wb("new", "study", "--title", "Start-up", "--method", "gt")
    version = wb("--version")
    assert (version["code"], version["out"].split()) == (0, ["qual-workbench", "0.1.0"])
    assert (version["plugins"], version["heavy"]) == ([], [])
    sources = wb("sources", "study")
    assert (sources["code"], sources["plugins"], sources["heavy"]) == (0, [], [])
    assert sources["out"].startswith("no sources yet")


def test_a_plugin_command_still_loads_the_plugins(wb: Workbench) -> None:
    wb("--help")
    result = wb("gt", "--help")
    assert result["code"] == 0 and "wb_gt" in result["plugins"]


def _local_plugin(tmp_path: Path, source: str) -> None:
    (tmp_path / "hello.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (tmp_path / "plugins.toml").write_text('[plugins]\nlocal = ["hello.py"]\n', encoding="utf-8")


def _bump(path: Path) -> None:
    """A new modification time even on a file system with coarse timestamps."""
    found = path.stat()
    os.utime(path, ns=(found.st_atime_ns, found.st_mtime_ns + 2_000_000_000))


def test_editing_a_local_plugin_invalidates_the_cache(wb: Workbench, tmp_path: Path) -> None:
    _local_plugin(tmp_path, PLUGIN.format(help="say hello"))
    wb("--help")
    assert "say hello" in wb("--help")["out"]
    _local_plugin(tmp_path, PLUGIN.format(help="say hello again"))
    _bump(tmp_path / "hello.py")
    edited = wb("--help")
    assert "say hello again" in edited["out"] and edited["plugins"]  # reloaded, not read from the cache
    assert "say hello again" in wb("--help")["out"]
    (tmp_path / "plugins.toml").write_text("[plugins]\nlocal = []\n", encoding="utf-8")
    assert "hello" not in wb("--help")["out"]


def test_installing_changing_or_removing_a_distribution_invalidates_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    info = site / "wb_fake-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wb-fake\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[workbench.plugins]\nfake = wb_fake\n", encoding="utf-8")
    package = site / "wb_fake"
    package.mkdir()
    (package / "__init__.py").write_text("from wb_fake.commands import register_commands\n", encoding="utf-8")
    (package / "commands.py").write_text(PLUGIN.format(help="fake one"), encoding="utf-8")
    wb = Workbench(tmp_path, PYTHONPATH=str(site))
    wb("--help")
    warm = wb("--help")
    assert "fake one" in warm["out"] and warm["plugins"] == []
    (package / "commands.py").write_text(PLUGIN.format(help="fake two"), encoding="utf-8")
    _bump(package / "commands.py")  # a module the package imports, not the one the entry point names
    assert "fake two" in wb("--help")["out"]
    (info / "entry_points.txt").write_text("[workbench.plugins]\n", encoding="utf-8")
    _bump(info / "entry_points.txt")
    assert "fake two" not in wb("--help")["out"]
    (info / "entry_points.txt").write_text("[workbench.plugins]\nfake = wb_fake\n", encoding="utf-8")
    info.rename(site / "wb_fake-2.0.dist-info")  # an upgrade: a new version's metadata folder
    assert "fake two" in wb("--help")["out"]


def test_disabling_a_plugin_is_a_different_set_up(tmp_path: Path) -> None:
    Workbench(tmp_path)("--help")
    assert "\n    gt " in Workbench(tmp_path)("--help")["out"]
    disabled = Workbench(tmp_path, WORKBENCH_DISABLE_PLUGINS="gt")("--help")
    assert "\n    gt " not in disabled["out"] and "\n    ipa " in disabled["out"]


def test_a_broken_plugin_gets_the_same_one_line_warning_from_the_cache(wb: Workbench, tmp_path: Path) -> None:
    _local_plugin(tmp_path, "raise RuntimeError('boom at import')\n")
    line = "workbench: warning: plugin 'hello' disabled: import failed: RuntimeError: boom at import\n"
    first = wb("new", "study", "--title", "Broken", "--method", "gt")  # no cache yet: loads the plugins
    assert (first["code"], first["err"]) == (0, line) and first["plugins"]
    cached = wb("sources", "study")
    assert (cached["code"], cached["err"], cached["plugins"]) == (0, line, [])
    assert wb("--help")["err"] == ""
    written = wb("memo", "study", "--title", "t", "--body", "b")  # loads the plugins: still said once
    assert (written["code"], written["err"]) == (0, line)


def test_the_cache_is_owner_only_and_a_file_others_may_write_is_ignored(wb: Workbench) -> None:
    wb("--help")
    record = wb.cache / plugin_commands.CACHE_FILENAME
    assert stat.S_IMODE(wb.cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert wb("--help")["plugins"] == []
    record.chmod(0o666)
    assert wb("--help")["plugins"]  # not trusted: the plugins were loaded, and the record rewritten
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    record.write_text("{not json", encoding="utf-8")
    assert wb("--help")["code"] == 0


def test_an_unwritable_cache_only_means_loading_the_plugins(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    wb = Workbench(tmp_path, WORKBENCH_CACHE_DIR=str(blocker / "cache"))
    for _ in range(2):
        result = wb("--help")
        assert (result["code"], result["err"]) == (0, "") and result["plugins"]


def test_the_cache_folder(tmp_path: Path) -> None:
    home = Path.home()
    assert plugin_commands.cache_dir({"WORKBENCH_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert plugin_commands.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "qual-workbench"
    assert plugin_commands.cache_dir({"XDG_CACHE_HOME": "relative"}) == home / ".cache" / "qual-workbench"
    assert plugin_commands.cache_dir({}) == home / ".cache" / "qual-workbench"


def test_restated_constants_are_in_step() -> None:
    assert plugin_commands.ENTRY_POINT_GROUP == plugins.ENTRY_POINT_GROUP
    assert plugin_commands.CONFIG_ENV == plugins.CONFIG_ENV
    assert plugin_commands.DISABLE_ENV == plugins.DISABLE_ENV
    assert plugin_commands.CONFIG_FILENAME == plugins.CONFIG_FILENAME
    assert lexical.SCOPES == autocode.SCOPES
    assert lexical.BY == frequency.BY


@pytest.mark.parametrize("setting", ["none", "cwd", "env"])
def test_the_cache_keys_on_the_plugins_toml_the_host_reads(setting: str, tmp_path: Path) -> None:
    environ = {}
    if setting != "none":
        (tmp_path / "plugins.toml").write_text("[plugins]\n", encoding="utf-8")
    if setting == "env":
        environ[plugins.CONFIG_ENV] = str(tmp_path / "elsewhere.toml")
    host = plugins.PluginHost(environ=environ, cwd=tmp_path)
    assert plugin_commands.config_file(environ, tmp_path) == host.config_file()


def test_in_one_process_a_plugin_command_after_a_cached_run_keeps_the_cached_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli_inprocess import invoke
    from workbench.cli import main, session
    from workbench.core.project import Project

    _local_plugin(tmp_path, "raise RuntimeError('boom at import')\n")
    with Project.create(tmp_path / "study", "Broken", "gt"):
        pass
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    for name in (plugins.CONFIG_ENV, plugins.DISABLE_ENV):
        monkeypatch.delenv(name, raising=False)
    line = "plugin 'hello' disabled: import failed: RuntimeError: boom at import"

    def fresh_process() -> None:
        monkeypatch.setattr(session, "_HOST", None)
        monkeypatch.setattr(main, "_PARSER", None)
        monkeypatch.setattr(session, "_REPLAYED", set())

    fresh_process()
    invoke("--help")  # loads the plugins and writes the cache
    written = plugin_commands.load()
    assert written is not None and written.warnings == (line,)
    fresh_process()
    assert invoke("sources", "study").err == f"workbench: warning: {line}\n"  # from the cache
    assert session.loaded_host() is None
    invoke("gt", "--help")  # now the plugins load in this process; the warning was already given
    assert session.loaded_host() is not None
    record = plugin_commands.load()
    assert record is not None and record.warnings == (line,)
