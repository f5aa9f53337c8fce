"""A plugin that claims something another plugin owns loses that one thing, with a message naming both;
its other contributions, and the owner's, keep working. The owner here is the example RTA plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import workbench_rta

from workbench import Project, TableData, Term, hookimpl
from workbench.plugins import PluginHost, PluginStatus

Register = Callable[[object, str], PluginStatus]


def _table(project: Project, options: object) -> TableData:
    return TableData(("Copy",), (("copied",),), "Copy")


def _noop(*args: Any) -> Any:
    return 0


class Copycat:
    """Registers one thing named like the RTA plugin's (`clash`) and one of its own (`own`) per hook."""

    def __init__(self, hook: str) -> None:
        self.hook = hook

    @hookimpl
    def register_tables(self, register: Callable[..., None]) -> None:
        if self.hook == "tables":
            register("rta-themes", "Stolen themes", _table)
        register("copy-table", "Copy", _table)

    @hookimpl
    def register_commands(self, register: Callable[..., None]) -> None:
        if self.hook == "commands":
            register("rta", "not reflexive TA", _noop, _noop)
        register("copy", "a command of its own", _noop, _noop)

    @hookimpl
    def register_exporters(self, register: Callable[..., None]) -> None:
        register("copy-export", ".txt", _noop)
        if self.hook == "exporters":
            register("copy-export", ".md", _noop)

    @hookimpl
    def register_vocabularies(self, register: Callable[..., None]) -> None:
        if self.hook == "vocabularies":
            register("code-levels", "rta", [Term("theme", "Theme")])
        register("code-levels", "copy", [Term("code", "Code")])

    @hookimpl
    def register_views(self, register: Callable[..., None]) -> None:
        if self.hook == "views":
            register("copy.screen", "screen", "Copy screen", _noop, key="f10")
        register("copy.margin", "margin", "Copy margin", _noop)


@pytest.fixture
def host(wb_host: PluginHost, wb_register: Register) -> Callable[[str], PluginHost]:
    def make(hook: str) -> PluginHost:
        wb_register(workbench_rta, "rta")
        wb_register(Copycat(hook), "copycat")
        return wb_host

    return make


def _error(host: PluginHost) -> str:
    (line,) = [e for e in host.errors if e.startswith("plugin 'copycat'")]
    return line


def test_a_table_name_another_plugin_owns_is_refused_naming_both(host: Callable[[str], PluginHost]) -> None:
    wb = host("tables")
    assert _error(wb) == (
        "plugin 'copycat': register_tables: table 'rta-themes' refused: already registered by plugin 'rta'"
    )
    owners = {t.name: t.plugin for t in wb.tables()}
    assert (owners["rta-themes"], owners["copy-table"]) == ("rta", "copycat")


def test_a_command_name_another_plugin_owns_is_refused_naming_both(host: Callable[[str], PluginHost]) -> None:
    wb = host("commands")
    assert _error(wb) == (
        "plugin 'copycat': register_commands: command 'rta' refused: already registered by plugin 'rta'"
    )
    owners = {c.name: c.plugin for c in wb.commands()}
    assert (owners["rta"], owners["copy"]) == ("rta", "copycat")


def test_a_plugin_registering_an_exporter_twice_keeps_the_first(host: Callable[[str], PluginHost]) -> None:
    wb = host("exporters")
    assert _error(wb).endswith("exporter 'copy-export' refused: this plugin registered it twice")
    assert [e.extension for e in wb.exporters() if e.name == "copy-export"] == [".txt"]


def test_code_levels_of_a_method_another_plugin_owns_are_refused_naming_both(
    host: Callable[[str], PluginHost],
) -> None:
    wb = host("vocabularies")
    assert _error(wb) == (
        "plugin 'copycat': register_vocabularies: vocabulary 'code-levels' for method 'rta' refused: "
        "already registered by plugin 'rta'"
    )
    (levels,) = wb.vocabularies("code-levels", "rta")
    assert levels.plugin == "rta" and [t.id for t in levels.terms] == ["code", "latent"]
    assert "copy" in wb.methods()


def test_a_view_key_another_plugin_binds_is_refused_naming_both_and_the_view_stays(
    host: Callable[[str], PluginHost],
) -> None:
    wb = host("views")
    assert _error(wb) == (
        "plugin 'copycat': register_views: key 'f10' for view 'copy.screen' refused: plugin 'rta' already "
        "binds it to view 'rta.themes'; open 'Copy screen' from the command palette"
    )
    keys = {v.name: v.key for v in wb.views()}
    assert (keys["rta.themes"], keys["copy.screen"], keys["copy.margin"]) == ("f10", None, None)


def test_the_cli_warns_about_a_clash_naming_both_and_both_plugins_keep_working(tmp_path: Path) -> None:
    (tmp_path / "copycat.py").write_text(
        "from workbench import TableData, hookimpl\n"
        "def build(project, options):\n"
        "    return TableData(('Copy',), (('copied',),), 'Copy')\n"
        "@hookimpl\n"
        "def register_tables(register):\n"
        "    register('rta-phases', 'Stolen', build)\n"
        "    register('copy-table', 'Copy', build)\n",
        encoding="utf-8",
    )
    (tmp_path / "plugins.toml").write_text('[plugins]\nlocal = ["copycat.py"]\n', encoding="utf-8")
    with Project.create(tmp_path / "study", "Clash", "rta"):
        pass
    workbench = str(Path(sys.executable).parent / "workbench")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [workbench, *args], capture_output=True, text=True, cwd=tmp_path, env=environment, timeout=60
        )

    owner = run("table", "study", "rta-phases", "--format", "csv")
    assert owner.returncode == 0 and owner.stdout.startswith("Phase,Status,Evidence")
    assert owner.stderr.splitlines() == [
        "workbench: warning: plugin 'copycat': register_tables: table 'rta-phases' refused: "
        "already registered by plugin 'rta'"
    ]
    own = run("table", "study", "copy-table", "--format", "csv")
    assert (own.returncode, own.stdout.splitlines()) == (0, ["Copy", "copied"])
