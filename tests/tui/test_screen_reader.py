"""Screen-reader mode: the terminal cursor follows what has focus, and each step is said in one line.

A console screen reader speaks the line the terminal cursor is on, so at every step of coding the
cursor must be on the transcript's cursor cell (or the highlighted row of a list), and the message line
must say what just happened.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Offset
from textual.pilot import Pilot

from tests.tui.conftest import TEXT, wait_until_open
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.plugins import PluginHost
from workbench.tui.app import WorkbenchApp
from workbench.tui.screen_reader import wanted
from workbench.tui.screens.transcript import TranscriptScreen


def _said(app: WorkbenchApp) -> str:
    assert app.last_announcement is not None
    return app.last_announcement.text


def _transcript_cursor(app: WorkbenchApp) -> Offset:
    assert isinstance(app.screen, TranscriptScreen)
    view = app.screen.view
    x, y = view.cursor_cell()
    return Offset(view.content_region.x + x, view.content_region.y + y)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause()


async def test_coding_a_sentence_step_by_step_keeps_the_cursor_on_the_text_and_says_each_step(
    project_dir: Path,
) -> None:
    app = WorkbenchApp([project_dir], actor="ann", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("enter")  # home: open the first transcript
        await _settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.has_class("-pane-hidden")  # one pane at a time
        await pilot.press("j", "j", "w")
        await _settle(pilot)
        assert app.cursor_position == _transcript_cursor(app)
        await pilot.press("S")
        await _settle(pilot)
        assert _said(app).startswith("· selected sentence 1:")
        assert app.cursor_position == _transcript_cursor(app)
        await pilot.press("c", *"Turning", "ctrl+n")
        await _settle(pilot)
        assert _said(app).startswith("· coded 'Turning' at Alex, 1:")
        assert app.cursor_position == _transcript_cursor(app)
        await pilot.press("ctrl+z")
        await _settle(pilot)
        assert _said(app).startswith("⚠ undone: code Alex, 1:") and "'Turning'" in _said(app)


async def test_the_cursor_sits_on_the_highlighted_row_of_a_list(project_dir: Path) -> None:
    from textual.widgets import DataTable

    app = WorkbenchApp([project_dir], actor="ann", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("down")
        await _settle(pilot)
        table = app.screen.query_one("#home-sources", DataTable)
        region = table.content_region
        header = table.header_height if table.show_header else 0
        assert app.cursor_position == Offset(region.x, region.y + header + table.cursor_coordinate.row)


async def test_an_ipa_case_is_opened_and_noted_with_the_cursor_on_the_focused_item(
    tmp_path: Path, wb_host: PluginHost
) -> None:
    path = tmp_path / "ipa"
    with Project.create(path, "IPA study", "ipa", actor="ann") as project:
        project.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
    app = WorkbenchApp([path], host=wb_host, actor="ann", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f7")
        await _settle(pilot)
        focused = app.screen.focused
        assert focused is not None and app.cursor_position.y >= focused.content_region.y
        await pilot.press("enter")  # the listed case
        await _settle(pilot)
        assert "P01" in _said(app) and "open" in _said(app)


def test_screen_reader_mode_comes_from_the_flag_the_environment_or_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    monkeypatch.delenv("WORKBENCH_SCREEN_READER", raising=False)
    assert wanted(True, settings) and not wanted(False, settings)
    settings.write_text("[tui]\nscreen_reader = true\n", encoding="utf-8")
    assert wanted(False, settings)
    monkeypatch.setenv("WORKBENCH_SCREEN_READER", "0")
    assert not wanted(False, settings)


async def test_the_transcript_draws_no_box_drawing_in_screen_reader_mode(project_dir: Path) -> None:
    app = WorkbenchApp([project_dir], actor="ann", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        rows = [app.screen.view.render_line(y).text for y in range(6)]
        assert not any(ch in "".join(rows) for ch in "│─╭╮╰╯")
        assert any(row.strip() == "page 1" for row in rows)
