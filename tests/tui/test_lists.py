"""PagingOptionList: page keys typed ahead right after the options change move the highlight, never crash."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets.option_list import Option

from workbench import PagingOptionList


class _Lists(App[None]):
    def compose(self) -> ComposeResult:
        yield PagingOptionList(*(Option(f"item {n}") for n in range(50)))


async def test_page_down_before_the_new_options_are_drawn_moves_the_highlight() -> None:
    """A hidden list (a view's other pane) never lays its lines out: Textual's page move raised KeyError."""
    app = _Lists()
    async with app.run_test(size=(40, 12)) as pilot:
        options = app.query_one(PagingOptionList)
        options.display = False
        await pilot.pause()
        options.clear_options()
        options.add_options([Option(f"new {n}") for n in range(50)])
        options.highlighted = 0
        options.action_page_down()  # Textual's own page move reads lines not laid out yet
        assert options.highlighted is not None and options.highlighted > 0
        options.action_page_up()
        assert options.highlighted == 0
        await pilot.pause()
        assert app.is_running


async def test_page_keys_in_the_palette_before_its_list_shows_do_nothing_and_do_not_crash(
    tmp_path: object,
) -> None:
    from pathlib import Path

    from workbench.core.project import Project
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.commands import WorkbenchPalette

    assert isinstance(tmp_path, Path)
    with Project.create(tmp_path / "p", "P", actor="ann"):
        pass
    app = WorkbenchApp([tmp_path / "p"], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if type(app.screen).__name__ == "HomeScreen":
                break
            await pilot.pause(0.02)
        await pilot.press("ctrl+p", "pagedown", "pageup", "pagedown")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, WorkbenchPalette)



async def test_page_keys_in_the_palette_go_to_its_guarded_page_move(
    tmp_path: object, monkeypatch: object
) -> None:
    """CI's fuzz run crashed in Textual's own palette page binding (KeyError in the unlaid list): the
    palette's guarded page move must answer PageUp/PageDown, even with the list open."""
    from pathlib import Path

    import pytest

    from workbench.core.project import Project
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.commands import WorkbenchPalette

    assert isinstance(tmp_path, Path) and isinstance(monkeypatch, pytest.MonkeyPatch)
    calls: list[int] = []
    original = WorkbenchPalette.action_page_commands

    def spy(self: WorkbenchPalette, direction: int) -> None:
        calls.append(direction)
        original(self, direction)

    monkeypatch.setattr(WorkbenchPalette, "action_page_commands", spy)
    with Project.create(tmp_path / "p", "P", actor="ann"):
        pass
    app = WorkbenchApp([tmp_path / "p"], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if type(app.screen).__name__ == "HomeScreen":
                break
            await pilot.pause(0.02)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("e", "pageup", "pagedown")
        await pilot.pause()
        assert calls == [-1, 1]
        assert app.is_running and isinstance(app.screen, WorkbenchPalette)
