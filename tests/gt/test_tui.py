"""The GT screen and margin, driven headlessly (80x24) and judged by the project they leave behind."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import DataTable, OptionList
from wb_gt.margin import codes_by_line
from wb_gt.screens import ComparisonScreen

from tests.gt.conftest import answer_line, run_cli
from workbench import Project, open_project
from workbench.plugins import PluginHost
from workbench.tui.app import WorkbenchApp


def _coded(study: Path) -> Path:
    d = str(study)
    for source in ("S1", "S2", "S3"):
        run_cli("gt", "code", d, source, "--lines", answer_line(1), "Sharing lived experience")
    run_cli("gt", "code", d, "S1", "--lines", answer_line(2), "Testing trust")
    run_cli("gt", "code", d, "S2", "--lines", answer_line(2), "Waiting for judgement")
    return study


class Host(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(ComparisonScreen(self.project))


def _option_index(screen: ComparisonScreen, label: str) -> int:
    options = screen.query_one("#gt-codes", OptionList)
    for index in range(options.option_count):
        if label in str(options.get_option_at_index(index).prompt):
            return index
    raise AssertionError(f"{label!r} is not listed")


async def test_enter_lists_a_codes_segments_across_participants_with_citations(study: Path) -> None:
    with open_project(str(_coded(study)), write=True) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, ComparisonScreen)
            screen.query_one("#gt-codes", OptionList).highlighted = _option_index(screen, "Sharing lived")
            await pilot.press("enter")
            await pilot.pause()
            grid = screen.query_one("#gt-a", DataTable)
            cites = [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)]
            assert cites == ["Alex, 1:3", "Jas, 1:3", "Clive, 1:3"]


async def test_b_then_m_writes_a_comparison_memo_linked_to_both_codes_and_the_segment(study: Path) -> None:
    with open_project(str(_coded(study)), write=True) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, ComparisonScreen)
            options = screen.query_one("#gt-codes", OptionList)
            options.highlighted = _option_index(screen, "Testing trust")
            await pilot.press("enter")
            options.highlighted = _option_index(screen, "Waiting for judgement")
            await pilot.press("b")
            await pilot.pause()
            grid_b = screen.query_one("#gt-b", DataTable)
            assert [str(grid_b.get_row_at(i)[0]) for i in range(grid_b.row_count)] == ["Jas, 1:7"]
            await pilot.press("m", *"both wait for safety", "enter")
            await pilot.pause()
        memos = [m for m in project.rows("memos") if m["type"] == "comparison"]
        testing = project.find_code("Testing trust")
        waiting = project.find_code("Waiting for judgement")
        assert testing is not None and waiting is not None
        assert len(memos) == 1 and memos[0]["body"] == "both wait for safety"
        assert memos[0]["links"][:2] == [f"code:{testing['id']}", f"code:{waiting['id']}"]
        assert memos[0]["links"][2].startswith("segment:G")


async def test_escape_cancels_the_memo_line_and_then_closes_the_screen(study: Path) -> None:
    with open_project(str(_coded(study)), write=True) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await pilot.press("enter", "m", *"draft", "escape")
            await pilot.pause()
            assert app.screen is screen and not screen.has_class("-memo")
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ComparisonScreen)
        assert not [m for m in project.rows("memos") if m["type"] == "comparison"]


async def test_f6_opens_the_comparison_screen_from_the_workbench(study: Path, wb_host: PluginHost) -> None:
    from tests.tui.conftest import wait_until_open

    app = WorkbenchApp([study], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ComparisonScreen)


def test_margin_lists_the_codes_on_each_line_with_their_level_glyph(study: Path) -> None:
    _coded(study)
    run_cli("gt", "promote", str(study), "Testing trust")
    with open_project(str(study), write=False) as project:
        margin = codes_by_line(project, "S1")
    assert margin == {3: "○ Sharing lived experience", 7: "◇ Testing trust"}


def test_the_plugin_registers_the_screen_on_f6_and_the_margin(wb_host: PluginHost) -> None:
    views = {(v.name, v.kind, v.key) for v in wb_host.views() if v.plugin == "gt"}
    assert views == {("gt.compare", "screen", "f6"), ("gt.codes", "margin", None)}
