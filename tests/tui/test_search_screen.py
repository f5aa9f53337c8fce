"""The corpus search view (8): KWIC hits of a query over the GT demo study, marked and auto-coded as one
undoable step, opened in the Text view, and the word-frequency list.

"hope" is spoken six times in the demo: three times by Jas (S2), three by Carys (S4).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.tui.conftest import reopen, wait_until_open
from workbench.core.search import autocode as core_autocode
from workbench.core.search.autocode import plan
from workbench.plugins import PluginHost
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens import search as search_module
from workbench.tui.screens.code_picker import CodePicker
from workbench.tui.screens.search import SearchScreen, parse_options
from workbench.tui.screens.transcript import TranscriptScreen
from workbench.tui.widgets.prompt import ChoiceModal, ConfirmModal, ProgressModal


def _said(app: WorkbenchApp) -> str:
    assert app.last_announcement is not None
    return app.last_announcement.message


async def _settle(pilot: Pilot[None], screen: SearchScreen) -> None:
    """Until the worker's search, count or auto-code has been shown."""
    for _ in range(300):
        await pilot.pause()
        if screen.job is None and not screen.app.workers:
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("the search view's job did not finish")


async def _search_view(pilot: Pilot[None], app: WorkbenchApp) -> SearchScreen:
    await wait_until_open(pilot, app)
    await pilot.press("8")
    await pilot.pause()
    assert isinstance(app.screen, SearchScreen)
    return app.screen


async def _search(pilot: Pilot[None], screen: SearchScreen, query: str, options: str = "") -> None:
    if options:
        screen.options_input.value = options
    await pilot.press(*query, "enter")
    await _settle(pilot, screen)


def _codings(path: Path, label: str) -> int:
    with reopen(path) as project:
        code = project.find_code(label, active_only=False)
        return 0 if code is None else len(project.index.codings_by_code.get(code["id"], ()))


async def test_a_query_shows_its_hits_in_context_and_the_count(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        assert screen.focused is screen.query_input
        await _search(pilot, screen, "hope")
        hits = screen.hit_list.hits
        assert [h.citation for h in hits][:3] == ["Jas, 4:150", "Jas, 4:157", "Jas, 5:162"]
        assert len(hits) == 6 and {h.text.lower() for h in hits} == {"hope"}
        assert _said(app) == "6 hits for 'hope' in 2 sources"
        status = str(screen.query_one("#search-status").render())
        assert "6 hits for 'hope' in 2 sources" in status
        assert screen.focused is screen.query_input  # the next query can be typed at once


async def test_a_kwic_row_aligns_the_hits_in_one_column(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        listing = screen.hit_list
        rows = [listing.render_line(y).text for y in range(len(listing.hits))]
        columns = {row.lower().index(" hope", len("▶*Carys, 4:140")) for row in rows}
        assert len(columns) == 1  # every hit starts in the same column
        assert rows[0].startswith("▶ Jas, 4:150") and "she held the hope for me" in rows[0]


async def test_enter_on_a_hit_opens_the_text_view_with_the_cursor_on_the_hit(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        await pilot.press("down", "down", "down", "down", "enter")  # to the list, then Carys's first
        await pilot.pause()
        hit = screen.hit_list.hits[3]
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        assert transcript.source_id == hit.source == "S4"
        assert transcript.view.cursor == hit.start
        assert len(transcript.view.find_hits) == 3  # the search's hits are shown there too
        assert _said(app).startswith("hit 1 of 3 for 'hope'")


async def test_marking_two_hits_and_coding_them_adds_two_codings_undone_in_one_step(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        await pilot.press("down", "space", "space")  # the first two hits
        assert screen.hit_list.marked == {0, 1}
        assert screen.hit_list.render_line(0).text.startswith(" *Jas")
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Hope found", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("enter")  # the first scope: the hit only
        await _settle(pilot, screen)
        assert app.screen is screen
        assert _codings(gt_demo, "Hope found") == 2
        assert _said(app).startswith("coded 2 passages as 'Hope found'")
        assert screen.hit_list.marked == set()
        await pilot.press("ctrl+z")
        await _settle(pilot, screen)
        assert _codings(gt_demo, "Hope found") == 0
        assert _said(app).startswith("undone: auto-code 2 passages")


async def test_c_with_nothing_marked_asks_before_coding_every_hit(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        await pilot.press("escape", "c")
        assert isinstance(app.screen, ConfirmModal) and "all 6 hits" in app.screen.question
        await pilot.press("y", *"Hope everywhere", "ctrl+n")
        await pilot.pause()
        await pilot.press("down", "enter")  # the sentence around each hit
        await _settle(pilot, screen)
        with reopen(gt_demo) as project:  # two of Carys's hits share a sentence: coded once
            sentences = {(p.source, p.start) for p in plan(project, "x", query="hope", scope="sentence")[0]}
        assert _codings(gt_demo, "Hope everywhere") == len(sentences) == 5


async def test_a_cancelled_auto_code_writes_nothing(gt_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> object:  # until Esc is pressed, then the real one
        cancelled = kwargs["cancelled"]
        assert callable(cancelled)
        deadline = time.monotonic() + 5
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return core_autocode.autocode(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "autocode", slow)
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        await pilot.press("down", "space", "c", *"Never", "ctrl+n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProgressModal)
        await pilot.press("escape")
        await _settle(pilot, screen)
        assert app.screen is screen
        assert "cancelled" in _said(app) and app.announcements[-1].severity == "error"
        with reopen(gt_demo) as project:
            assert project.find_code("Never") is None


async def test_a_cancelled_search_shows_nothing_new(gt_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real = search_module.search

    def held(*args: object, **kwargs: object) -> object:  # the search answers once released
        release.wait(5)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        monkeypatch.setattr(search_module, "search", held)
        await pilot.press("ctrl+a", "ctrl+k", *"support", "enter")
        await pilot.pause()
        status = str(screen.query_one("#search-status").render())
        assert screen.job == "search" and "searching 'support'" in status
        await pilot.press("escape")
        assert _said(app).startswith("search cancelled")
        release.set()
        await _settle(pilot, screen)
        assert {h.text.lower() for h in screen.hit_list.hits} == {"hope"} and screen.query_text == "hope"
        assert _said(app).startswith("search cancelled")


async def test_the_word_view_lists_words_and_enter_searches_for_one(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        screen.options_input.value = "top=10"
        await pilot.press("escape", "w")
        await _settle(pilot, screen)
        table = screen.query_one("#search-words", DataTable)
        assert screen.focused is table and table.row_count == 10
        assert [screen.rows[0].word, screen.rows[0].count, screen.rows[0].sources] == ["bit", 41, 4]
        await pilot.press("down", "enter")  # the second word
        await _settle(pilot, screen)
        word = screen.rows[1].word
        assert not screen.words_mode and screen.query_input.value == word
        assert len(screen.hit_list.hits) == screen.rows[1].count
        assert screen.focused is screen.hit_list


async def test_a_bad_query_shows_one_message_and_leaves_the_hits(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        said = len(app.announcements)
        await pilot.press("ctrl+a", "ctrl+k")
        await _search(pilot, screen, "hope OR")
        assert app.is_running
        assert len(app.announcements) == said + 1 and app.announcements[-1].severity == "error"
        assert "OR needs a word" in _said(app)
        assert len(screen.hit_list.hits) == 6
        assert str(screen.query_one("#search-status").render()).startswith("✕ ")


async def test_a_bad_option_is_said_and_nothing_is_searched(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope", options="sideways")
        assert "unknown option 'sideways'" in _said(app) and screen.result is None


async def test_the_options_line_filters_and_changes_matching(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope", options="participant=P04")
        assert {h.source for h in screen.hit_list.hits} == {"S4"}
        assert _said(app).endswith("· participant=P04")


def test_the_options_line_reads_flags_numbers_and_quoted_labels() -> None:
    settings = parse_options('stem accents near=5 source=S1,S2 code="Holding hope" top=20 by=participant')
    assert (settings.stem, settings.ignore_accents, settings.near, settings.top) == (True, True, 5, 20)
    assert settings.sources == ("S1", "S2") and settings.codes == ("Holding hope",)
    assert settings.by == "participant" and not settings.regex


async def test_a_search_typed_ahead_in_the_query_line_never_runs_commands(gt_demo: Path) -> None:
    from tests.tui.conftest import type_ahead

    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        state = app.project.store.seq
        type_ahead(app, *"hope", "enter", *"cwq2", "space")  # c codes, w words, q quits, 2 views
        for _ in range(5):  # the keys read
            await pilot.pause()
        await _settle(pilot, screen)
        assert app.is_running and app.screen is screen and app.project.store.seq == state
        assert screen.query_input.value == "hopecwq2 " and len(screen.hit_list.hits) == 6


async def test_the_search_view_fits_80_by_24(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "support")
        await pilot.press("escape")
        widths = {widget.id or type(widget).__name__: widget.outer_size.width for widget in screen.query("*")}
        assert max(widths.values()) <= 80, widths
        assert screen.hit_list.outer_size.height >= 12  # most of the screen is hits
        assert all(len(screen.hit_list.render_line(y).text) <= 80 for y in range(len(screen.hit_list.hits)))
        await pilot.press("w")
        await _settle(pilot, screen)
        table = screen.query_one("#search-words", DataTable)
        assert table.virtual_size.width <= 80


async def test_hidden_participants_are_left_out_of_the_search(
    gt_demo: Path, wb_host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.registry import CaseAccess

    monkeypatch.setattr(
        PluginHost, "case_access", lambda self, project: CaseAccess(hidden={"P02": "P02 is bracketed"})
    )
    app = WorkbenchApp([gt_demo], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        assert {h.source for h in screen.hit_list.hits} == {"S4"}
        assert any("not searched" in a.message for a in app.announcements[-3:])


async def test_the_search_view_is_in_the_palette_and_help(gt_demo: Path) -> None:
    from workbench.tui.commands import WorkbenchCommands
    from workbench.tui.screens.help import HelpScreen

    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        home = [str(hit.text) async for hit in WorkbenchCommands(app.screen).search("search")]
        assert any(text.startswith("Search  [8]") for text in home)
        screen = await _search_view(pilot, app)
        await _search(pilot, screen, "hope")
        await pilot.press("escape")
        commands = [text for text, _cb, _help in WorkbenchCommands(screen)._entries()]
        for entry in ("Code hits  [c]", "Mark  [space]", "Words  [w]", "Go to text  ["):
            assert any(text.startswith(entry) for text in commands), entry
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Search every transcript" in app.screen.body().plain
