"""The fixtures `workbench.testing` gives plugin authors behave as documented."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.plugins.helpers import write_toml
from workbench import hookimpl
from workbench.core.project import OperationEvent, Project
from workbench.plugins import PluginHost, PluginStatus
from workbench.testing import make_host, register_plugin

Register = Callable[[object, str], PluginStatus]


def test_wb_host_sees_only_bundled_plugins_and_ignores_the_machines_settings(
    wb_host: PluginHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_toml(tmp_path / "plugins.toml", disabled=["plaintext"])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_PLUGINS_TOML", str(tmp_path / "plugins.toml"))
    monkeypatch.setenv("WORKBENCH_DISABLE_PLUGINS", "plaintext")

    assert {s.source for s in wb_host.statuses()} == {"bundled"}
    assert {s.name: s.status for s in wb_host.statuses()}["plaintext"] == "active"
    assert wb_host.config is None
    assert wb_host.errors == []


def test_make_host_returns_a_fresh_host_each_time() -> None:
    assert make_host() is not make_host()


def test_register_plugin_returns_the_status_workbench_plugins_would_show() -> None:
    class Plugin:
        __version__ = "3.1"

        @hookimpl
        def register_tables(self, register: Callable[..., None]) -> None:
            register("t", "T", lambda project, options: None)

    host = make_host()
    assert register_plugin(host, Plugin(), "mine") == PluginStatus("mine", "3.1", "local", "active", "")
    assert [t.plugin for t in host.tables()][-1:] == ["mine"]


class Recorder:
    def __init__(self) -> None:
        self.actions: list[str] = []

    @hookimpl
    def on_operation(self, event: OperationEvent) -> None:
        self.actions.append(event.action)


# One recorder shared by the next two tests: wb_register must unregister it between them.
SHARED = Recorder()


@pytest.mark.parametrize("run", [1, 2])
def test_wb_register_adds_a_plugin_for_one_test_only(
    wb_host: PluginHost, wb_register: Register, wb_project: Project, run: int
) -> None:
    assert wb_register(SHARED, "recorder").status == "active"
    wb_project.create_code(f"code {run}")
    assert SHARED.actions[-1] == "code.create"


def test_wb_project_is_a_new_project_in_the_tests_temporary_directory(
    wb_project: Project, tmp_path: Path
) -> None:
    assert wb_project.path.is_relative_to(tmp_path)
    assert (wb_project.title, wb_project.method) == ("Test project", "none")
    assert wb_project.codes() == []
