"""The retrieval view: boolean queries, hits grouped by participant, preview with context, jump to text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from tests.tui.conftest import TEXT, reopen, type_ahead
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.tui import textual_compat
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.retrieval import RetrievalScreen
from workbench.tui.widgets.side_pane import TextPane

HOPE = "Hope came later, slowly"


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


class StubTranscript(Screen[None]):
    """Stands in for the transcript view (built elsewhere): these tests only check where it is sent."""

    def compose(self) -> ComposeResult:
        yield Static("transcript")


@pytest.fixture
def study(project_dir: Path) -> Path:
    """Hope in both transcripts; trust overlapping hope only in Jas's (S2)."""
    with Project.open(project_dir, actor="ann") as p:
        p.code("S1", *_span(HOPE), "Holding hope")
        p.code("S2", *_span(HOPE), "Holding hope")
        p.code("S2", *_span("Hope came later"), "Testing trust")
    return project_dir


@pytest.fixture
def app(study: Path, monkeypatch: pytest.MonkeyPatch) -> WorkbenchApp:
    monkeypatch.setitem(WorkbenchApp.MODES, "transcript", StubTranscript)
    return WorkbenchApp([study], actor="ann")


async def _retrieval(app: WorkbenchApp, pilot: Pilot[None], query: str | None = None) -> RetrievalScreen:
    await pilot.pause()
    app.retrieval_query = query
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(app.screen, RetrievalScreen)
    return app.screen


def _focused(screen: Screen[None]) -> Widget | None:
    """What has focus now (a call, so the type checker does not carry an earlier answer over)."""
    return screen.focused


def _screen(app: WorkbenchApp) -> Screen[object]:
    return app.screen


def _lines(screen: RetrievalScreen) -> list[str]:
    hits = screen.hit_list
    return [hits._render_row(row, 80).text.rstrip("─ ") for row in range(len(hits.rows))]


async def test_a_boolean_query_typed_in_the_box_shows_the_matching_segments(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot)
        assert _focused(screen) is screen.query_input  # nothing to show yet: ready to type
        await pilot.press(*'"Holding hope" and not "Testing trust"', "enter")
        await pilot.pause()
        assert [(h.source, h.code, h.pseudonym) for h in screen.hit_list.hits] == [
            ("S1", "Holding hope", "Alex")
        ]
        assert _focused(screen) is screen.query_input  # what is typed next is the next query
        await pilot.press("down")
        assert _focused(screen) is screen.hit_list
        status = str(screen.query_one("#retrieval-status", Static).render())
        assert status.startswith("1 segment · 1 participant")


async def test_the_next_query_typed_after_enter_goes_into_the_box_and_runs_no_command(
    app: WorkbenchApp,
) -> None:
    """Type-ahead: `trust` then Enter right after the first query; `u`, `s`, `t` are letters, not keys."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot)
        before = app.project.can_undo()
        await pilot.press(*'"Holding hope"', "enter", "ctrl+u", *'"Testing trust"', "enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen) and app.project.can_undo() == before
        assert screen.query_input.value == '"Testing trust"'
        assert {h.code for h in screen.hit_list.hits} == {"Testing trust"}


async def test_hits_are_grouped_by_participant_with_citation_code_coder_and_text(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope" OR "Testing trust"')
        lines = _lines(screen)
        assert lines[0] == "── Alex (P01) · 1 segment"
        assert lines[1].startswith("▶ Alex, 1:")  # the cursor row, marked by a glyph
        assert "Holding hope" in lines[1] and HOPE in lines[1]
        assert lines[2] == "── Jas (P02) · 2 segments"
        assert [line[:2] for line in lines[3:]] == ["  ", "  "]
        assert all(len(line) <= 80 for line in lines)
        header = str(screen.query_one("#retrieval-columns", Static).render())
        # One coder for every hit: said once in the status line, and the words get the column.
        assert header.split() == ["Citation", "Code", "Text"]
        assert "coded by ann" in str(screen.query_one("#retrieval-status", Static).render())


async def test_the_quote_gets_at_least_40_of_80_columns(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope" OR "Testing trust"')
        assert screen.hit_list.columns().text >= 40


async def test_the_cursor_skips_participant_headers(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        assert screen.hit_list.cursor == 1
        await pilot.press("down")
        assert screen.hit_list.cursor == 3 and screen.hit_list.current.pseudonym == "Jas"  # type: ignore[union-attr]
        await pilot.press("down")  # already the last
        assert screen.hit_list.cursor == 3
        await pilot.press("up")
        assert screen.hit_list.cursor == 1


async def test_enter_on_a_hit_opens_the_transcript_at_the_segment(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.current_mode == "transcript"
        assert (app.source_id, app.focus_offset) == ("S2", _span(HOPE)[0])
        assert isinstance(app.screen, StubTranscript)
        await pilot.press("4")
        await pilot.pause()
        assert _screen(app) is screen
        current = screen.hit_list.current
        assert current is not None and current.source == "S2"


async def test_slash_focuses_the_query_box_and_escape_returns_to_the_list(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        assert _focused(screen) is screen.hit_list
        await pilot.press("slash")
        assert _focused(screen) is screen.query_input
        await pilot.press("escape")
        assert _focused(screen) is screen.hit_list


async def test_keys_typed_into_the_query_box_are_text_not_commands(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot)
        await pilot.press(*"quc/2", "enter")
        await pilot.pause()
        assert screen.query_one(Input).value == "quc/2"
        assert app.is_running and app.current_mode == "retrieval"
        with reopen(study) as p:
            assert len(p.rows("codings")) == 4  # `u` did not undo anything
        assert "no code 'quc/2'" in str(screen.query_one("#retrieval-status", Static).render())


async def test_c_toggles_context_lines_in_the_preview(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        preview = screen.query_one("#retrieval-preview", TextPane)
        assert preview.text.splitlines()[1] == HOPE
        await pilot.press("c")
        with_context = preview.text
        assert "I: Changed it how?" in with_context and HOPE in with_context
        assert "±3 lines" in str(screen.query_one("#retrieval-status", Static).render())
        await pilot.press("c")
        assert "Changed it how?" not in preview.text


async def test_a_bad_query_says_what_and_where(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope" AND (')
        status = str(screen.query_one("#retrieval-status", Static).render())
        assert status.startswith("✕ expected a code") and "(column 21)" in status
        assert screen.hit_list.hits == []
        assert screen.query_input.cursor_position == 20  # the box's cursor waits where the problem is


async def test_segments_flagged_by_a_correction_carry_a_glyph(app: WorkbenchApp, study: Path) -> None:
    with Project.open(study, actor="ann") as p:
        p.correct_source("S1", ImportedTranscript(TEXT.replace("Hope came later", "Hope came much later")))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        lines = _lines(screen)
        assert lines[1].startswith("▶!Alex")  # flagged: needs review
        assert lines[3].startswith("  Jas")
        assert "to review" in str(screen.query_one("#retrieval-status", Static).render())
        assert "! text changed" in screen.query_one("#retrieval-preview", TextPane).text


async def test_undo_refreshes_the_list_and_keeps_the_cursor_on_its_segment(
    app: WorkbenchApp, study: Path
) -> None:
    with Project.open(study, actor="ann") as p:
        p.code("S1", *_span("No translating"), "Testing trust")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope" OR "Testing trust"')
        assert len(screen.hit_list.hits) == 4
        await pilot.press("down", "down", "down")  # past Alex's two and Jas's trust to her hope
        kept = screen.hit_list.current
        assert kept is not None and (kept.pseudonym, kept.code) == ("Jas", "Holding hope")
        await pilot.press("ctrl+z", "y")  # undoes the last coding (made before): Alex's trust
        await pilot.pause()
        with reopen(study) as p:
            assert [s.pseudonym for s in p.coded_segments("Testing trust")] == ["Jas"]
        assert len(screen.hit_list.hits) == 3
        assert screen.hit_list.current == kept


async def test_the_view_fits_80x24_and_goes_side_by_side_when_wide(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        hits, preview = screen.hit_list, screen.query_one("#retrieval-preview")
        assert hits.region.height >= 10 and preview.region.bottom <= 23
        assert screen.region.contains_region(hits.region) and screen.region.contains_region(preview.region)
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert screen.has_class("-wide") and preview.region.x > hits.region.x
        assert all(len(line) <= 140 for line in _lines(screen))


async def test_every_key_has_an_id_and_tooltip_and_is_in_help(app: WorkbenchApp) -> None:
    bindings = [b for b in RetrievalScreen.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) == len(RetrievalScreen.BINDINGS)
    assert all(b.id and b.id.startswith("retrieval.") and b.tooltip and b.description for b in bindings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _retrieval(app, pilot, '"Holding hope"')
        await pilot.press("down", "f1")
        await pilot.pause()
        ids = {entry.id for entry in app.screen.entries}
        # Esc only applies while typing a query; everything else is listed from the results.
        assert {b.id for b in bindings} - {"retrieval.results"} <= ids


async def test_a_code_with_2000_segments_shows_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big"
    words = " ".join(f"w{i}" for i in range(5000))
    with Project.create(path, "Many segments", "gt", actor="ann") as p:
        for k in range(10):
            p.add_source(
                ImportedTranscript(f"Participant: {words}\n"), f"t{k}.txt", participant_id=f"P{k + 1}"
            )
        for i in range(2000):
            start = 13 + (i // 10) * 20
            p.code(f"S{i % 10 + 1}", start, start + 30, "Common")
    monkeypatch.setitem(WorkbenchApp.MODES, "transcript", StubTranscript)
    app = WorkbenchApp([path], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot)
        started = time.perf_counter()
        screen.run_query("Common")
        await pilot.pause()
        elapsed = time.perf_counter() - started
        assert len(screen.hit_list.hits) == 2000 and len(screen.hit_list.rows) == 2010
        assert elapsed < 1.0  # a sanity bound for slow CI machines; bench/ measures the 100 ms budget
        screen.hit_list.focus()
        await pilot.press("end")
        assert screen.hit_list.current is screen.hit_list.hits[-1]
        assert screen.hit_list.scroll_offset.y > 0


def test_column_widths_count_cells_not_characters() -> None:
    from workbench.tui.screens.retrieval import _widest

    assert _widest({"Chloé, 3:12–14", "Ørjan, 1:2"}, 8, 24) == 14  # one cell each: measured by length
    assert _widest({"日本語, 1:2"}, 8, 24) == 11  # wide characters take two cells
    assert _widest({"Zoe\u0301, 1:2"}, 8, 24) == 8  # a combining accent takes none
    assert _widest(set(), 8, 24) == 8
    assert _widest({"x" * 40}, 8, 24) == 24


async def test_enter_on_another_code_paints_only_its_segments_with_their_preview(app: WorkbenchApp) -> None:
    frames: list[tuple[set[str], str]] = []

    def recorded(screen: Screen[object], _update: object) -> None:
        if isinstance(screen, RetrievalScreen):
            preview = screen.query_one("#retrieval-preview", TextPane).text
            frames.append(({hit.code for hit in screen.hit_list.hits}, preview))

    textual_compat.add_frame_listener(app, recorded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _retrieval(app, pilot, '"Holding hope"')
        await pilot.press("3")
        await pilot.pause()
        trust = app.project.find_code("Testing trust")
        assert trust is not None
        app.screen.select_code(trust["id"])  # type: ignore[attr-defined]
        await pilot.pause()
        frames.clear()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        assert frames, "the retrieval view was painted"
        assert all(codes == {"Testing trust"} for codes, _preview in frames)  # never the previous code's
        citation = app.screen.hit_list.hits[0].citation
        assert citation in frames[0][1]  # the preview in the same frame as the list


async def test_the_cursor_row_is_restyled_when_the_list_gains_or_loses_focus(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        hits = screen.hit_list

        def cursor_row_style() -> object:
            row = next(y for y in range(hits.size.height) if hits.render_line(y).text.startswith("▶"))
            return next(iter(hits.render_line(row))).style

        assert app.focused is hits
        focused = cursor_row_style()
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is not hits and cursor_row_style() != focused
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is hits and cursor_row_style() == focused


async def test_a_view_built_ahead_starts_in_the_query_box_when_no_code_was_asked_for(
    app: WorkbenchApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if app.warmed_up.is_set():
                break
            await pilot.pause(0.05)
        assert app.warmed_up.is_set()
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        assert app.focused is app.screen.query_input


async def test_enter_typed_ahead_of_the_cursor_keys_jumps_to_where_the_cursor_went(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot, '"Holding hope"')
        first, second = screen.hit_list.hits
        assert screen.hit_list.current == first
        type_ahead(app, "down", "enter")
        await pilot.pause()
        assert (app.source_id, app.focus_offset) == (second.source, second.start)


async def test_an_undo_leaves_focus_on_the_list_the_researcher_moved_to(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _retrieval(app, pilot)  # nothing asked yet: the query box has focus
        assert app.focused is screen.query_input
        await pilot.press("escape")
        assert app.focused is screen.hit_list
        await pilot.press("ctrl+z", "y")  # undoes the study's last coding: the view refreshes
        await pilot.pause()
        assert app.focused is screen.hit_list
