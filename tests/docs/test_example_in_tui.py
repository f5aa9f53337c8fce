"""The installed example in the real TUI: its key opens its screen, and help and the palette list it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import workbench_rta
from workbench_rta.screen import ThemesScreen

from tests.tui.conftest import wait_until_open
from workbench import ImportedTranscript, Project
from workbench.plugins import PluginHost, PluginStatus
from workbench.tui.app import WorkbenchApp
from workbench.tui.commands import WorkbenchCommands

Register = Callable[[object, str], PluginStatus]


def _app(tmp_path: Path, wb_host: PluginHost, wb_register: Register) -> WorkbenchApp:
    with Project.create(tmp_path / "study", "Peer support", "rta") as project:
        project.add_source(
            ImportedTranscript("Participant: I kept coming back.\n"), "a.txt", participant_id="P01"
        )
    wb_register(workbench_rta, "rta")
    return WorkbenchApp([tmp_path / "study"], host=wb_host, actor="ann")


async def test_f10_opens_the_themes_screen_and_help_lists_its_key(
    tmp_path: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    app = _app(tmp_path, wb_host, wb_register)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f1")
        await pilot.pause()
        assert ["f10", "Reflexive TA themes", "plugin.rta.themes"] in _rows(app)
        await pilot.press("escape", "f10")
        await pilot.pause()
        assert isinstance(app.screen, ThemesScreen)
        await pilot.press("f1")
        await pilot.pause()
        ids = {row[2] for row in _rows(app)}
        assert {"rta.new", "rta.review", "rta.discard", "rta.define", "rta.journal", "rta.close"} <= ids


def _rows(app: WorkbenchApp) -> list[list[str]]:
    """The rows of the help screen (key, action, binding id)."""
    return [[entry.key, entry.description, entry.id] for entry in app.screen.entries]


async def test_the_command_palette_offers_the_themes_screen(
    tmp_path: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    app = _app(tmp_path, wb_host, wb_register)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        provider = WorkbenchCommands(app.screen)
        texts = [text for text, _callback, _help in provider._entries()]
        assert "Reflexive TA themes  [f10]" in texts
