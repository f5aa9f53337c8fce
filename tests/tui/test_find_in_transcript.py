"""Find in the Text view: `/` + a query + Enter draws every hit, says where the cursor is among them,
and n/N go from hit to hit; on the GT demo study, whose first transcript (Alex, S1) says "support"
five times in speech."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Offset
from textual.pilot import Pilot

from tests.tui.conftest import type_ahead, wait_until_open
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.transcript import TranscriptScreen
from workbench.tui.widgets.transcript_view import TranscriptView


def _said(app: WorkbenchApp) -> str:
    assert app.last_announcement is not None
    return app.last_announcement.message


async def _transcript(pilot: Pilot[None], app: WorkbenchApp) -> TranscriptScreen:
    await wait_until_open(pilot, app)
    await pilot.press("2")
    await pilot.pause()
    assert isinstance(app.screen, TranscriptScreen)
    return app.screen


def _hit_texts(view: TranscriptView) -> list[str]:
    return [view.text[start:end] for start, end in view.find_hits]


async def test_slash_query_enter_draws_every_hit_and_says_which_one_the_cursor_is_on(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        await pilot.press("slash", *"support", "enter")
        await pilot.pause()
        view = screen.view
        assert [t.lower() for t in _hit_texts(view)] == ["support"] * 5
        assert _said(app).startswith("hit 1 of 5 for 'support' at ")
        assert view.cursor == view.find_hits[0][0]
        assert screen.focused is view and not screen.has_class("-finding")


async def test_a_hit_is_drawn_reversed_and_underlined_not_by_colour_alone(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        await pilot.press("slash", *"support", "enter", "n")  # the cursor off the first hit
        await pilot.pause()
        view = screen.view
        start, _end = view.find_hits[0]
        line = view.line_of(start)
        row = view.row_of_line(line.ordinal - 1) - int(view.scroll_offset.y)
        strip = view.render_line(row)
        column = view.prefix_width + (start - line.start)
        styles = []
        x = 0
        for segment in strip:
            if x <= column < x + segment.cell_length and segment.style is not None:
                styles.append(segment.style)
            x += segment.cell_length
        assert styles and styles[0].reverse and styles[0].underline


async def test_n_and_capital_n_go_to_the_next_and_previous_hit_and_say_when_they_wrap(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        await pilot.press("slash", *"support", "enter")
        view = screen.view
        await pilot.press("n")
        assert view.cursor == view.find_hits[1][0] and _said(app).startswith("hit 2 of 5")
        await pilot.press("N")
        assert view.cursor == view.find_hits[0][0] and _said(app).startswith("hit 1 of 5")
        await pilot.press("N")
        assert view.cursor == view.find_hits[4][0]
        assert _said(app).startswith("hit 5 of 5") and _said(app).endswith("(wrapped to the last)")
        await pilot.press("n")
        assert view.cursor == view.find_hits[0][0] and _said(app).endswith("(wrapped to the first)")


async def test_escape_closes_the_find_line_then_clears_the_hits(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        await pilot.press("slash", *"support", "enter", "slash", *"trust")
        assert screen.has_class("-finding") and screen.focused is screen.find_line
        await pilot.press("escape")  # closes the line; the hits of "support" stay
        assert not screen.has_class("-finding") and screen.focused is screen.view
        assert len(screen.view.find_hits) == 5
        await pilot.press("escape")
        assert screen.view.find_hits == () and _said(app) == "find cleared"
        await pilot.press("n")  # n is the segments' key again
        assert not _said(app).startswith("hit ")


async def test_a_bad_query_is_said_once_and_changes_nothing(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        cursor = screen.view.cursor
        before = len(app.announcements)
        await pilot.press("slash", *'"unclosed', "enter")
        await pilot.pause()
        assert app.is_running
        assert len(app.announcements) == before + 1
        assert app.announcements[-1].severity == "error" and "quote" in _said(app)
        assert screen.view.cursor == cursor and screen.view.find_hits == ()
        assert screen.focused is screen.find_line  # still open, to correct the query


async def test_a_query_typed_ahead_right_after_the_slash_lands_in_the_find_line_not_as_commands(
    gt_demo: Path,
) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        state, said = app.project.store.seq, len(app.announcements)
        type_ahead(app, "slash", *"xcp support", "enter")  # x uncodes, c codes, p switches project
        for _ in range(10):
            await pilot.pause()
        assert app.screen is screen and app.project.store.seq == state
        assert len(app.announcements) == said + 1 and "xcp" in _said(app)  # one message: no hits


async def test_n_typed_ahead_after_enter_goes_to_the_next_hit(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        type_ahead(app, "slash", *"support", "enter", "n", "n")
        for _ in range(10):
            await pilot.pause()
        view = screen.view
        assert view.cursor == view.find_hits[2][0] and _said(app).startswith("hit 3 of 5")
        assert screen.find_line.value == "support"


async def test_in_screen_reader_mode_the_terminal_cursor_lands_on_the_hit(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _transcript(pilot, app)
        await pilot.press("slash", *"support", "enter", "n", "n")
        await pilot.pause()
        await pilot.pause()
        view = screen.view
        assert view.cursor == view.find_hits[2][0]
        x, y = view.cursor_cell()
        assert app.cursor_position == Offset(view.content_region.x + x, view.content_region.y + y)
        line = view.line_of(view.cursor)
        assert view.text[line.start : line.end][view.cursor - line.start :].lower().startswith("support")
