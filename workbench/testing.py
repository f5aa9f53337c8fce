"""Pytest fixtures for people writing workbench plugins (and for the workbench's own tests).

Enable them in your ``conftest.py``::

    pytest_plugins = ["workbench.testing"]

then, in a test::

    import my_plugin

    def test_my_importer_reads_cha_files(wb_host, wb_register, tmp_path):
        wb_register(my_plugin, "my-plugin")
        importer = wb_host.importer_for(tmp_path / "interview.cha")
        transcript = wb_host.run_importer(importer, tmp_path / "interview.cha", b"*INT: hello")
        assert transcript.turns

    def test_my_validator_is_quiet_on_an_empty_project(wb_host, wb_register, wb_project):
        wb_register(my_plugin, "my-plugin")
        assert wb_host.run_validators(wb_project) == []

The fixtures never read a ``plugins.toml`` or the ``WORKBENCH_*`` environment variables, and never load
other installed plugins, so a test sees the bundled plugins plus exactly what it registers. For the test
session, ``WORKBENCH_CACHE_DIR`` points into a temporary folder, so a test that runs the ``workbench``
command keeps its plugin-command cache there, never in the user's home.

This module imports pytest and is only meant to be imported by pytest.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from workbench.plugins import PluginHost, PluginSource, PluginStatus

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = [
    "PluginHost",
    "PluginStatus",
    "make_host",
    "register_plugin",
    "wb_host",
    "wb_project",
    "wb_register",
]

RegisterPlugin = Callable[[object, str], PluginStatus]
_SESSION_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """Give the session's ``workbench`` runs a plugin-command cache of their own (a temporary folder)."""
    folder = tempfile.mkdtemp(prefix="wb-test-cache-")
    _SESSION_CACHE.append(folder)
    os.environ["WORKBENCH_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    while _SESSION_CACHE:
        shutil.rmtree(_SESSION_CACHE.pop(), ignore_errors=True)


def make_host() -> PluginHost:
    """A host with only the bundled plugins: no installed ones, no plugins.toml, no environment.

    Every error is kept in ``host.errors``, so a test can assert that its plugin registered cleanly.
    """
    only_bundled: tuple[PluginSource, ...] = ("bundled",)
    return PluginHost(sources=only_bundled, environ={}, discover_config=False)


def register_plugin(host: PluginHost, obj: object, name: str) -> PluginStatus:
    """Register a plugin object (a module, class instance or namespace with ``@hookimpl`` functions) with
    ``host`` as if it had been discovered last, and return its status.

    A plugin that fails validation (an unknown hook name, a wrong argument name) is returned with status
    "failed" and the reason in ``error``, just as ``workbench plugins`` would show it; registration never
    raises for that. Its contributions are collected on the host's next facade call.
    """
    return host.register_plugin(obj, name)


@pytest.fixture
def wb_host() -> PluginHost:
    """A `PluginHost` with only the bundled plugins, isolated from the machine it runs on (`make_host`)."""
    return make_host()


@pytest.fixture
def wb_register(wb_host: PluginHost) -> Iterator[RegisterPlugin]:
    """A function ``register(obj, name) -> PluginStatus`` that adds a plugin to `wb_host` for this test.

    The plugin is unregistered when the test ends, so a module-level plugin object can be reused safely.
    """
    names: list[str] = []

    def register(obj: object, name: str) -> PluginStatus:
        names.append(name)
        return register_plugin(wb_host, obj, name)

    yield register
    for name in names:
        wb_host.unregister_plugin(name)


@pytest.fixture
def wb_project(tmp_path: Path, wb_host: PluginHost) -> Iterator[Project]:
    """A new, writable project (method "none") in a temporary directory, observed by `wb_host`, closed after
    the test.

    Plugins registered with `wb_register` in the test body receive ``on_operation`` and ``on_project_close``
    but not ``on_project_open`` (the project opened before they were registered). To test
    ``on_project_open``, register first and then call ``Project.create(path, title, observer=wb_host)``.
    """
    from workbench.core.project import Project  # the store is heavier than the host; load it on demand

    with Project.create(tmp_path / "project", title="Test project", observer=wb_host) as project:
        yield project
