"""The app shell: opening, home view, help, palette, undo/redo, views by number keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable

from tests.tui.conftest import reopen, wait_until_open
from workbench.tui import textual_compat
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
        actions = {entry.description for entry in app.screen.entries}
        assert {"Undo", "Quit", "Open"} <= actions
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_undo_and_redo_keys_change_the_project(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z", "y")  # made before this session: confirmed
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


async def test_the_codebook_and_retrieval_views_are_built_ahead_while_the_researcher_reads(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.tui.screens.codebook import CodebookScreen

    built: list[object] = []
    init = CodebookScreen.__init__

    def counted(screen: CodebookScreen) -> None:
        built.append(screen)
        init(screen)

    monkeypatch.setattr(CodebookScreen, "__init__", counted)
    rendered: list[object] = []
    render_offscreen = textual_compat.render_offscreen  # what it does: tests/tui/test_textual_compat.py

    def recorded(screen: Screen[object], *args: Any) -> None:
        rendered.append(screen)
        render_offscreen(screen, *args)

    monkeypatch.setattr(textual_compat, "render_offscreen", recorded)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if app.warmed_up.is_set():
                break
            await pilot.pause(0.05)
        assert app.warmed_up.is_set() and len(built) == 1  # built before anyone asked for it
        assert built[0] in rendered  # and rendered once off screen, so its first frame costs no more
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is built[0]
        assert "Feeling understood" in {row.label for row in built[0].codes.values()}


async def test_a_failing_read_ahead_leaves_the_app_working(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.core.project import Project

    def broken(self: Project, version_id: str) -> None:
        raise OSError("disk went away")

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        monkeypatch.setattr(Project, "text_record", broken)
        for _ in range(100):
            if app.warmed_up.is_set():
                break
            await pilot.pause(0.05)
        assert app.warmed_up.is_set()
        monkeypatch.undo()
        await pilot.press("2")
        await pilot.pause()
        assert type(app.screen).__name__ == "TranscriptScreen"


def _record_frames(app: WorkbenchApp, seen: Callable[[Screen[object]], object]) -> list[object]:
    """What `seen` made of the screen at each frame actually painted (none while painting is held)."""
    frames: list[object] = []
    textual_compat.add_frame_listener(app, lambda screen, _update: frames.append(seen(screen)))
    return frames


async def test_a_new_view_is_painted_once_it_has_refreshed_not_after_a_fixed_pause(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[str] = []
    set_timer = WorkbenchApp.set_timer

    def never_ending_pause(self: WorkbenchApp, delay: float, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("name") == "delay_update":  # Textual's pause on a switch of view: as if it never ended
            held.append("held")
            delay = 3600
        return set_timer(self, delay, *args, **kwargs)

    monkeypatch.setattr(WorkbenchApp, "set_timer", never_ending_pause)
    frames = _record_frames(app, lambda screen: type(screen).__name__)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        frames.clear()
        await pilot.press("3")
        await pilot.pause()
        assert held, "the switch held painting"
        assert not textual_compat.painting_held(app)
        assert "CodebookScreen" in frames


async def test_nothing_is_rendered_while_painting_is_held(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        rendered: list[str] = []
        render_lines = Widget.render_lines

        def recorded(widget: Widget, crop: Region) -> list[Strip]:
            rendered.append(type(widget).__name__)
            return render_lines(widget, crop)

        monkeypatch.setattr(Widget, "render_lines", recorded)
        with app.batch_update():
            await pilot.resize_terminal(90, 24)  # the view is laid out again, and Textual renders it
            await pilot.pause()  # (only to drop the frame), unless the view holds off
            assert rendered == []
        await pilot.pause(0.1)
        assert rendered, "painted once released"


async def test_flushing_repaints_hands_the_screen_layout_requests_too(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        table = app.screen.query_one("#home-sources", DataTable)
        table.refresh(layout=True)
        app.flush_repaints(app.screen)
        assert not textual_compat.layout_pending(table)  # passed on now, not when the table's queue idles


async def test_switching_views_quickly_and_quitting_at_once_exits_cleanly(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("3", "6", "1", "q")  # views without a text box: every key is a command
    assert app.return_code == 0  # and no error from a view's paint being released while closing


async def test_undo_of_work_from_before_this_session_asks_first_and_names_it(project_dir: Path) -> None:
    """The project's coding was made before the app opened: ctrl+z says what and when, y confirms."""
    from workbench.tui.widgets.prompt import ConfirmModal

    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        summary = app.project.can_undo()
        assert summary
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert summary in app.screen.question and "before this session" in app.screen.question
        await pilot.press("n")
        assert app.project.can_undo() == summary
        await pilot.press("ctrl+z", "y")
        await pilot.pause()
        assert app.project.can_undo() != summary


async def test_u_typed_ahead_undoes_nothing(project_dir: Path) -> None:
    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        summary = app.project.can_undo()
        await pilot.press("u", "u")
        await pilot.pause()
        assert app.project.can_undo() == summary


async def test_a_message_is_shown_on_the_footers_message_line_with_a_glyph(project_dir: Path) -> None:
    from workbench.tui.widgets.footer import KeyFooter

    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        app.notify("nothing [/] here", severity="warning")
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        first, keys = footer.render().plain.split("\n")  # type: ignore[union-attr]
        assert first == " ⚠ nothing [/] here"  # not colour alone, never parsed as markup
        assert "Help" in keys
        assert footer.region.y == 22  # the two bottom rows: nothing floats over the views


async def test_f2_lists_the_sessions_messages_newest_last(project_dir: Path) -> None:
    from workbench.tui.widgets.prompt import MessagesModal

    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        app.notify("first")
        app.notify("second", severity="error")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, MessagesModal)
        assert app.screen.messages[-2:] == ["· first", "✕ second"]
        await pilot.press("escape")
        assert not isinstance(app.screen, MessagesModal)


async def test_the_footer_shows_whole_key_entries_only_at_80_columns(project_dir: Path) -> None:
    from workbench.tui.widgets.footer import KeyFooter

    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("2")
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        keys = footer.render().plain.split("\n")[1]  # type: ignore[union-attr]
        described = {a.binding.action: a.binding.description for a in app.screen.active_bindings.values()}
        *entries, palette = footer._spans
        assert len(keys) == 80 and keys.endswith(" ^p Commands ") and palette[2] == "command_palette"
        for start, end, action in entries:
            assert keys[start:end].endswith(described[action])  # never cut mid-word


async def test_the_palette_also_finds_an_action_by_the_words_of_its_tooltip(project_dir: Path) -> None:
    from workbench.tui.commands import WorkbenchCommands

    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("2")
        await pilot.pause()
        provider = WorkbenchCommands(app.screen)
        hits = [hit.text async for hit in provider.search("side pane")]  # the tooltip of `Pane`
        assert any(str(text).startswith("Pane  [z]") for text in hits)
