"""The app shell: opening, home view, help, palette, undo/redo, views by number keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.tui.conftest import reopen
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.home import HomeScreen


async def test_the_app_opens_on_the_home_view_listing_sources(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#home-sources", DataTable)
        assert table.row_count == 2


async def test_help_lists_the_keys_of_the_current_view(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {table.get_row_at(i)[1] for i in range(table.row_count)}
        assert {"Undo", "Quit", "Open"} <= actions
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_undo_and_redo_keys_change_the_project(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        with reopen(project_dir) as p:
            assert p.rows("codings") == []
        await pilot.press("ctrl+r")
        with reopen(project_dir) as p:
            assert len(p.rows("codings")) == 1


async def test_s_cycles_a_source_status_and_coded_takes_a_snapshot(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")  # in progress -> coded
        with reopen(project_dir) as p:
            assert p.source("S1")["status"] == "coded"
            assert len(p.rows("snapshots")) == 1


async def test_a_locked_project_exits_with_the_reason(project_dir: Path) -> None:
    from workbench.core.project import Project

    with Project.open(project_dir):
        app = WorkbenchApp([project_dir])
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
        assert app.return_code == 1
