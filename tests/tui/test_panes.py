"""The Line-API panes: SidePane (the transcript's side pane) and TextPane (the retrieval preview)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot

from workbench.tui.textual_compat import layout_pending
from workbench.tui.widgets.side_pane import SidePane, TextPane

WORDS = " ".join(f"word{n}" for n in range(200))


class Panes(App[None]):
    CSS = "SidePane { height: 5; width: 30; } TextPane { height: 5; width: 30; }"

    def compose(self) -> ComposeResult:
        yield SidePane(("codes", "legend"), id="side")
        yield TextPane(id="text")


@asynccontextmanager
async def side_pane(rows: int) -> AsyncIterator[tuple[Pilot[None], SidePane]]:
    """A 5-row side pane showing `rows` legend rows."""
    app = Panes()
    async with app.run_test(size=(40, 12)) as pilot:
        side = app.query_one("#side", SidePane)
        side.set_rows("legend", [Content(f"row {n}") for n in range(rows)])
        await pilot.pause()
        yield pilot, side


@asynccontextmanager
async def text_pane(text: str = WORDS) -> AsyncIterator[tuple[Pilot[None], TextPane]]:
    """A 5-row, 30-column text pane showing `text`."""
    app = Panes()
    async with app.run_test(size=(40, 12)) as pilot:
        pane = app.query_one("#text", TextPane)
        pane.update(text)
        await pilot.pause()
        yield pilot, pane


async def test_a_new_number_of_rows_changes_the_scroll_range_without_a_layout_pass() -> None:
    async with side_pane(40) as (_pilot, side):
        side.set_rows("legend", [Content(f"row {n}") for n in range(60)])
        assert not layout_pending(side)
        assert side.virtual_size.height == 60
        assert side.max_scroll_y == 60 - side.scrollable_content_region.height


async def test_fewer_rows_bring_the_scroll_position_back_within_them() -> None:
    async with side_pane(60) as (pilot, side):
        side.scroll_to(y=50, animate=False)
        await pilot.pause()
        side.set_rows("legend", [Content(f"row {n}") for n in range(8)])
        assert side.scroll_y <= side.max_scroll_y == 8 - side.scrollable_content_region.height


async def test_text_is_wrapped_to_the_pane_leaving_room_for_a_scroll_bar() -> None:
    async with text_pane() as (_pilot, pane):
        width = pane.size.width - pane.styles.scrollbar_size_vertical
        assert pane.text == WORDS
        assert pane.virtual_size.height == len(Content(WORDS).wrap(width)) > 5
        assert not layout_pending(pane)


async def test_new_text_is_shown_from_its_first_line() -> None:
    async with text_pane() as (pilot, pane):
        pane.scroll_to(y=4, animate=False)
        await pilot.pause()
        pane.update("short")
        await pilot.pause()
        assert pane.scroll_y == 0 and pane.virtual_size.height == 1


async def test_text_is_wrapped_again_when_the_pane_is_resized() -> None:
    async with text_pane() as (pilot, pane):
        at_30 = pane.virtual_size.height
        pane.styles.width = 20
        await pilot.pause()
        assert pane.virtual_size.height > at_30


async def test_the_panes_never_scroll_sideways() -> None:
    async with text_pane() as (_pilot, pane):
        assert pane.show_vertical_scrollbar and not pane.show_horizontal_scrollbar


async def test_the_same_text_again_keeps_the_scroll_position() -> None:
    async with text_pane() as (pilot, pane):
        pane.scroll_to(y=3, animate=False)
        await pilot.pause()
        pane.update(WORDS)
        await pilot.pause()
        assert pane.scroll_y == 3


async def test_a_pane_too_narrow_for_a_word_still_shows_the_new_text() -> None:
    async with text_pane("old") as (pilot, pane):
        pane.styles.width = 2
        await pilot.pause()
        pane.update("new words")
        await pilot.pause()
        assert "".join(row.plain for row in pane._sections["text"]).replace(" ", "") == "newwords"
