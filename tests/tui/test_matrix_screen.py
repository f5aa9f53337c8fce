"""The matrix view (9): the co-occurrence, codes-by-case and by-attribute tables of the GT demo study as
a grid moved over with the arrow keys, small cells suppressed, and Enter listing exactly the segments
behind a cell in the Segments view, Esc coming back to the same cell.

The demo's codes never overlap one another, so its co-occurrence by overlap is the diagonal only (each
code's segment count); by source (unit=source) "Holding dual roles" meets "Sharing lived experience"
in 5 of its segments, from 3 participants. Each participant is a column of codes by case, so with the
default small-cell threshold (3) every non-empty cell there is `<3`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Offset
from textual.pilot import Pilot

from tests.tui.conftest import reopen, type_ahead, wait_until_open
from workbench.core.project import Project
from workbench.registry import CaseAccess
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens import matrix as matrix_module
from workbench.tui.screens.matrix import MatrixScreen, parse_options
from workbench.tui.screens.retrieval import RetrievalScreen
from workbench.tui.textual_compat import screen_lines
from workbench.tui.widgets.matrix_grid import MatrixGrid
from workbench.tui.widgets.prompt import ChoiceModal

DUAL, SHARING = "Holding dual roles", "Sharing lived experience"


def _said(app: WorkbenchApp) -> str:
    assert app.last_announcement is not None
    return app.last_announcement.message


def _status(screen: MatrixScreen) -> str:
    return str(screen.query_one("#matrix-status").render())


def _lines(app: WorkbenchApp) -> list[str]:
    """The screen as drawn, line by line."""
    return screen_lines(app.screen)


async def _settle(pilot: Pilot[None], screen: MatrixScreen) -> None:
    """Until the worker's build has been shown."""
    for _ in range(300):
        await pilot.pause()
        if screen.job is None and not screen.app.workers:
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("the matrix view's build did not finish")


async def _matrix_view(pilot: Pilot[None], app: WorkbenchApp) -> MatrixScreen:
    await wait_until_open(pilot, app)
    await pilot.press("9")
    await pilot.pause()
    assert isinstance(app.screen, MatrixScreen)
    await _settle(pilot, app.screen)
    return app.screen


async def _options(pilot: Pilot[None], screen: MatrixScreen, line: str) -> None:
    """Type `line` into the options line (replacing it), Enter, and back to the cells."""
    await pilot.press("o")
    screen.options_input.value = ""
    await pilot.press(*line, "enter")
    await _settle(pilot, screen)
    await pilot.press("escape")
    await pilot.pause()


async def _table(pilot: Pilot[None], app: WorkbenchApp, screen: MatrixScreen, name: str) -> None:
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, ChoiceModal)
    downs = list(matrix_module.TABLES).index(name)
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()
    await _settle(pilot, screen)


async def _go_to(pilot: Pilot[None], screen: MatrixScreen, row: int, column: int) -> None:
    await pilot.press("ctrl+home", "home", *["down"] * row, *["right"] * column)
    await pilot.pause()
    assert screen.grid.cursor == (row, column)


def _index(screen: MatrixScreen, row: str, column: str) -> tuple[int, int]:
    assert screen.built is not None
    matrix = screen.built.matrix
    return matrix.rows.index(row), matrix.columns.index(column)


def _with_groups(path: Path) -> Path:
    with Project.open(path, actor="ann") as project:
        for pid, group in (("P01", "peer"), ("P02", "peer"), ("P03", "clinical"), ("P04", "peer")):
            project.update_participant(pid, attributes={"group": group})
    return path


# -- opening ------------------------------------------------------------------------------------------------
async def test_the_view_opens_from_its_key_with_the_co_occurrence_of_every_code(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        assert screen.focused is screen.grid
        assert screen.built is not None and screen.built.matrix.kind == "cooccurrence"
        rows, columns = screen.grid.data.size
        assert rows == columns == 15
        title = str(screen.query_one("#matrix-title").render())
        assert title.startswith("Co-occurrence (t) · 15 codes × 15 codes · segments · unit overlap")
        first = screen.built.matrix.rows[0]
        assert screen.cell_words() == f"{first} × {first}: 1 segment, 1 participant · row 1/15, column 1/15"
        status = _status(screen)  # 80 columns: the long names shortened, the counts kept
        assert status.startswith(first[:20]) and status.endswith("…: 1 segment, 1 participant")


async def test_the_palette_opens_the_matrix_view(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Matrix")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MatrixScreen)
        await _settle(pilot, app.screen)
        assert app.screen.built is not None


# -- moving ------------------------------------------------------------------------------------------------
async def test_the_arrow_keys_move_the_cell_and_the_status_line_names_it(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _options(pilot, screen, "unit=source")
        row, column = _index(screen, DUAL, SHARING)
        await _go_to(pilot, screen, row, column)
        assert _status(screen).startswith(f"{DUAL} × {SHARING}: 5 segments, 3 participants")
        words = screen.cell_words()
        assert words == f"{DUAL} × {SHARING}: 5 segments, 3 participants · row 6/15, column 10/15"
        await pilot.press("left", "up")
        await pilot.pause()
        assert screen.grid.cursor == (row - 1, column - 1)
        await pilot.press("end")
        await pilot.pause()
        assert screen.grid.cursor == (row - 1, 14)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert screen.grid.cursor == (14, 14)
        await pilot.press("pageup")
        await pilot.pause()
        assert screen.grid.cursor is not None and screen.grid.cursor[0] < 14
        await pilot.press("G")
        await pilot.pause()
        assert screen.grid.cursor == (14, 14)
        await pilot.press("g", "h", "l", "l", "k", "j", "j")  # the first row; left, right (the last column)
        await pilot.pause()
        assert screen.grid.cursor == (2, 14)


async def test_the_headings_stay_put_while_the_cells_scroll_both_ways(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 18)) as pilot:  # fewer lines than the demo's 15 codes need
        screen = await _matrix_view(pilot, app)
        grid = screen.grid
        top = grid.region.y
        heading = _lines(app)[top]
        await pilot.press("ctrl+end", "end")
        await pilot.pause()
        assert grid.scroll_offset.x > 0 and grid.scroll_offset.y > 0  # scrolled both ways
        lines = _lines(app)
        assert lines[top].startswith("Code ") and lines[top] != heading  # the heading row, other columns
        assert screen.built is not None
        label = screen.built.matrix.rows[-1]
        cursor_line = next(line for line in lines[top:] if line.startswith("▶"))
        assert cursor_line.startswith("▶" + label[:10])  # the code column, the last row's label
        x, y = grid.cursor_cell()
        assert lines[top + y][grid.region.x + x :].lstrip().startswith("1")  # the cell on screen


# -- disclosure control --------------------------------------------------------------------------------------
async def test_a_suppressed_cell_shows_below_k_and_enter_refuses_without_revealing_it(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _table(pilot, app, screen, "code-by-case")
        assert screen.built is not None
        matrix, shown = screen.built.matrix, screen.built.shown
        row = matrix.rows.index(DUAL)
        column = matrix.columns.index("P01")
        assert matrix.cells[row][column].value > 0 and (row, column) in shown.suppressed
        await _go_to(pilot, screen, row, column)
        assert screen.grid.data.cells[row][column] == "<3"
        drawn = next(line for line in _lines(app) if line.startswith("▶"))
        assert "<3" in drawn
        status = _status(screen)
        assert "fewer than 3 participants" in status and "segment" not in status
        notes = str(screen.query_one("#matrix-notes").render())
        assert notes.startswith("<3: fewer than 3 participants, not shown")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        assert app.retrieval_selection is None
        assert _said(app) == "this cell is suppressed (fewer than 3 participants)"


async def test_the_project_small_cell_threshold_is_the_one_shown(gt_demo: Path) -> None:
    with Project.open(gt_demo, actor="ann") as project:
        project.update_settings(small_cell=5)
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _table(pilot, app, screen, "code-by-case")
        assert screen.built is not None and screen.built.small_cell == 5
        assert "<5" in {text for line in screen.grid.data.cells for text in line}


# -- the drill-down ------------------------------------------------------------------------------------------
async def test_enter_lists_exactly_the_cells_segments_and_esc_comes_back_to_the_cell(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _options(pilot, screen, "unit=source")
        row, column = _index(screen, DUAL, SHARING)
        await _go_to(pilot, screen, row, column)
        assert screen.built is not None
        cell = screen.built.matrix.cells[row][column]
        await pilot.press("enter")
        await pilot.pause()
        retrieval = app.screen
        assert isinstance(retrieval, RetrievalScreen)
        hits = retrieval.hit_list.hits
        assert len(hits) == cell.value == 5
        assert {h.segment_id for h in hits} == set(cell.segments)
        assert {h.code for h in hits} == {DUAL}
        with reopen(gt_demo) as project:  # the segments behind the cell, worked out by hand
            expected = {s.coding_id for s in project.coded_segments(DUAL) if s.segment_id in cell.segments}
        assert {h.coding_id for h in hits} == expected
        assert all(h.citation for h in hits)
        status = str(retrieval.query_one("#retrieval-status").render())
        assert status.startswith(f"{DUAL} ∩ {SHARING}: 5 segments · 3 participants")
        assert retrieval.focused is retrieval.hit_list
        await pilot.press("down")  # the list is the segments', moved as any
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.grid.cursor == (row, column)
        assert _status(screen).startswith(f"{DUAL} × {SHARING}: 5 segments")


async def test_a_query_typed_over_a_cells_segments_replaces_them(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        row = screen.built.matrix.rows.index(DUAL) if screen.built else 0
        await _go_to(pilot, screen, row, row)  # the diagonal: every segment of the code
        await pilot.press("enter")
        await pilot.pause()
        retrieval = app.screen
        assert isinstance(retrieval, RetrievalScreen) and len(retrieval.hit_list.hits) == 5
        await pilot.press("slash", *'"Feeling understood"', "enter")
        await pilot.pause()
        assert retrieval.selection is None
        assert {h.code for h in retrieval.hit_list.hits} == {"Feeling understood"}
        await pilot.press("escape", "escape")  # to the list, then nothing: no way back to a cell now
        await pilot.pause()
        assert app.screen is retrieval


async def test_enter_on_an_empty_cell_says_so_and_stays(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _go_to(pilot, screen, 0, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert _said(app).startswith("no segments behind this cell")


async def test_a_crosstab_cell_lists_its_groups_segments_and_withholds_a_complement(gt_demo: Path) -> None:
    """'Earning the right to challenge' is coded for all four: three in the peer group, one clinical."""
    earning = "Earning the right to challenge"
    app = WorkbenchApp([_with_groups(gt_demo)], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _table(pilot, app, screen, "crosstab")
        assert screen.options_input.value == "attr=group"  # the study's one attribute, filled in
        assert screen.built is not None
        assert screen.built.shown.columns == ("Code", "clinical", "peer")
        row, column = screen.built.matrix.rows.index(earning), 1
        await _go_to(pilot, screen, row, column)
        cell = screen.built.matrix.cells[row][column]
        assert _status(screen).startswith(f"{earning} × group=peer: {cell.value} segments, 3 participants")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        hits = app.screen.hit_list.hits
        assert len(hits) == cell.value and {h.participant for h in hits} == {"P01", "P02", "P04"}
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.grid.cursor == (row, column)
        await _options(pilot, screen, "attr=group percent=row")  # the row adds up to 100%: peer = 100 - <3
        assert screen.grid.data.cells[row] == ("<3", "x")
        assert screen.grid.cursor == (row, column)
        assert "withheld (x)" in _status(screen) and "segment" not in _status(screen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert _said(app).startswith("this cell is withheld (x)")
        notes = str(screen.query_one("#matrix-notes").render())
        assert "x: withheld too" in notes
        await _options(pilot, screen, "attr=group measure=participants")
        assert screen.built.matrix.measure == "participants"


# -- the table and its options -------------------------------------------------------------------------------
async def test_switching_the_table_and_the_options_draws_the_grid_again(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _options(pilot, screen, "measure=participants unit=turn")
        assert screen.built is not None
        assert (screen.built.settings.measure, screen.built.settings.unit) == ("participants", "turn")
        await _options(pilot, screen, f'code="{DUAL}" code="{SHARING}"')
        assert screen.built.matrix.rows == (DUAL, SHARING)
        assert screen.grid.data.size == (2, 2)
        await _table(pilot, app, screen, "code-by-case")
        assert screen.built.matrix.kind == "code-by-case"
        assert screen.built.shown.columns == ("Code", "P01", "P02", "P03", "P04")
        await _options(pilot, screen, "label=pseudonym")
        assert screen.built.shown.columns == ("Code", "Alex", "Jas", "Clive", "Carys")
        await _table(pilot, app, screen, "cooccurrence")
        assert screen.options_input.value == f'code="{DUAL}" code="{SHARING}"'  # each table keeps its line
        assert screen.built.matrix.kind == "cooccurrence" and screen.grid.data.size == (2, 2)


async def test_a_bad_option_says_one_message_and_keeps_the_grid(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        built = screen.built
        for line, words in (
            ("unit=sideways", "unit='sideways' is not one of overlap, turn, source"),
            ("colour=red", "unknown option 'colour=red'"),
            ("label=pseudonym", "label= is for Codes by case"),
            ("suppress=off", "the matrix view always hides small cells"),
            ('codes="Nope"', "no code 'Nope'"),
            ('unit="turn', "unbalanced quote"),
        ):
            before = len(app.announcements)
            await _options(pilot, screen, line)
            assert app.is_running
            assert len(app.announcements) == before + 1, line
            assert words in _said(app) and app.announcements[-1].severity == "error"
            assert words in _status(screen)
            if line != 'codes="Nope"':  # read by the line, before any build
                assert screen.built is built
        await _options(pilot, screen, "unit=turn")
        assert screen.built is not built and not screen.error


async def test_a_crosstab_without_attributes_says_which_there_are(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _table(pilot, app, screen, "crosstab")
        assert "needs attr=KEY" in _said(app)
        await _options(pilot, screen, "attr=age")
        assert "no participant attribute 'age'; attributes: none" in _said(app)
        assert app.is_running


def test_the_options_line_reads_flags_lists_and_quoted_labels() -> None:
    settings = parse_options("cooccurrence", 'rollup codes="A, b",C measure=participants')
    assert settings.rollup and settings.codes == ("A", "b", "C") and settings.measure == "participants"
    assert parse_options("cooccurrence", 'code="A, b" rollup=no').codes == ("A, b",)
    assert not parse_options("cooccurrence", "rollup=no").rollup


async def test_keys_typed_ahead_after_enter_in_the_options_line_are_typed_not_run(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await pilot.press("o")
        type_ahead(app, *"unit=turn", "enter", "t", "o")
        await _settle(pilot, screen)
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ChoiceModal)
        assert screen.built is not None and screen.built.settings.unit == "turn"
        assert screen.options_input.value == "unit=turnto"


# -- building ------------------------------------------------------------------------------------------------
async def test_a_slow_build_says_it_is_computing_and_esc_cancels_it(
    gt_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    build = matrix_module.build

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return build(*args, **kwargs)

    monkeypatch.setattr(matrix_module, "build", slow)
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("9")
        await pilot.pause(matrix_module.COMPUTING_NOTICE_S + 0.15)
        screen = app.screen
        assert isinstance(screen, MatrixScreen) and screen.running
        assert _status(screen).startswith("⧗ building the co-occurrence table")
        assert _said(app) == "computing the co-occurrence table… (Esc cancels)"
        await pilot.press("escape")
        await pilot.pause()
        assert _said(app).startswith("cancelled")
        release.set()
        await _settle(pilot, screen)
        assert screen.built is None and not screen.grid.data.rows  # the cancelled build is not shown
        assert app.busy is None
        await pilot.press("o", "enter")
        await _settle(pilot, screen)
        assert screen.built is not None


async def test_a_change_to_the_project_is_counted_when_the_view_is_shown_again(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        row, column = 3, 2
        await _go_to(pilot, screen, row, column)
        before = screen.built
        await pilot.press("1")
        await pilot.pause()
        app.project.create_code("A new code")  # no segments: the table is the same, counted again
        await pilot.press("9")
        await _settle(pilot, screen)
        assert screen.built is not before
        assert screen.grid.cursor == (row, column)


async def test_hidden_participants_are_left_out(gt_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = WorkbenchApp([gt_demo], actor="ann")
    monkeypatch.setattr(app, "case_access", lambda: CaseAccess(hidden={"P01": "bracketed"}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await _table(pilot, app, screen, "code-by-case")
        assert screen.built is not None and "P01" not in screen.built.shown.columns


# -- the terminal --------------------------------------------------------------------------------------------
async def test_every_table_fits_80x24(gt_demo: Path) -> None:
    app = WorkbenchApp([_with_groups(gt_demo)], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        for table in ("cooccurrence", "code-by-case", "crosstab"):
            if table != "cooccurrence":
                await _table(pilot, app, screen, table)
            lines = _lines(app)
            assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
            for name in ("#matrix-title", "#matrix-options", "#matrix-status"):
                region = screen.query_one(name).region
                assert region.height == 1 and region.y < 24
            grid = screen.query_one(MatrixGrid).region
            notes = screen.query_one("#matrix-notes").region
            assert grid.height >= 12 and grid.bottom <= 24 - 2 - notes.height  # above notes and footer
            assert lines[-1].lstrip().startswith("⏎ Segments")


async def test_in_screen_reader_mode_the_cursor_sits_on_the_cell_and_the_cell_is_said(gt_demo: Path) -> None:
    app = WorkbenchApp([gt_demo], actor="ann", screen_reader=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        await pilot.press("right", "down")
        await pilot.pause()
        await pilot.pause()
        grid = screen.grid
        x, y = grid.cursor_cell()
        assert app.cursor_position == Offset(grid.content_region.x + x, grid.content_region.y + y)
        assert _said(app) == screen.cell_words()
        assert "│" not in _lines(app)[grid.region.y + 1]  # no rule for a reader to spell


async def test_labels_holding_markup_are_drawn_as_written(project_dir: Path) -> None:
    with Project.open(project_dir, actor="ann") as project:
        text = project.current_text("S1")[1].text
        start = text.index("ward")
        project.code("S1", start, start + 4, "[bold]Not bold[/]")
        project.code("S1", start, start + 4, "[/]")
    app = WorkbenchApp([project_dir], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _matrix_view(pilot, app)
        drawn = "\n".join(_lines(app))
        assert "[bold]Not bold[/]" in drawn and "[/]" in drawn
        assert screen.built is not None
        row, column = _index(screen, "[/]", "[bold]Not bold[/]")
        await _go_to(pilot, screen, row, column)
        assert _status(screen).startswith("[/] × [bold]Not bold[/]: 1 segment, 1 participant")
