"""Outputs view (7) and plugin screens: tables, files and plugin views reached from the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tests.tui.conftest import reopen, wait_until_open
from workbench import TableData, hookimpl
from workbench.core.project import Project
from workbench.plugins import PluginHost
from workbench.testing import make_host
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.outputs import OutputsScreen, parse_options

Register = Callable[[object, str], object]


def _people(project: Project, options: Mapping[str, str]) -> TableData:
    prefix = options.get("prefix", "")
    rows = tuple((p["id"], p["pseudonym"]) for p in project.participants() if p["id"].startswith(prefix))
    return TableData(("ID", "Pseudonym"), rows, "People in the study")


class TablePlugin:
    @hookimpl
    def register_tables(self, register: Callable[..., None]) -> None:
        register("test-people", "People", _people)


class MemoScreen(Screen[None]):
    """A plugin screen that writes a memo on `w` and crashes on `b`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", "Write", id="test.write"),
        Binding("b", "boom", "Boom", id="test.boom"),
        Binding("escape", "app.pop_screen", "Close", id="test.close"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        yield Static("plugin screen")

    def action_write(self) -> None:
        self.project.write_memo("From the plugin screen", "body", memo_type="methodological")

    def action_boom(self) -> None:
        raise RuntimeError("plugin bug")


class ScreenPlugin:
    def __init__(self, key: str | None) -> None:
        self.key = key

    @hookimpl
    def register_views(self, register: Callable[..., None]) -> None:
        register("memo-screen", "screen", "Memo board", MemoScreen, key=self.key)


def _table_rows(app: WorkbenchApp) -> list[list[str]]:
    grid = app.screen.query_one("#outputs-table", DataTable)
    return [[str(cell) for cell in grid.get_row_at(i)] for i in range(grid.row_count)]


async def _show_people(pilot: Any, app: WorkbenchApp) -> None:
    await wait_until_open(pilot, app)
    await pilot.press("7")
    await pilot.pause()
    assert isinstance(app.screen, OutputsScreen)
    names = [spec.name for spec in app.host.tables()] if app.host else []
    for _ in range(names.index("test-people")):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def test_seven_lists_tables_and_enter_shows_one(
    project_dir: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(TablePlugin(), "people")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await _show_people(pilot, app)
        assert _table_rows(app) == [["P01", "Alex"], ["P02", "Jas"]]


async def test_o_sets_table_options(project_dir: Path, wb_host: PluginHost, wb_register: Register) -> None:
    wb_register(TablePlugin(), "people")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await _show_people(pilot, app)
        await pilot.press("o", *"prefix=P02", "enter")
        await pilot.pause()
        assert _table_rows(app) == [["P02", "Jas"]]


async def _write_people(pilot: Any, app: WorkbenchApp, target: Path) -> None:
    """The people table shown, then e and its file name; waits for the write to finish."""
    await _show_people(pilot, app)
    await pilot.press("e")
    await pilot.pause()
    app.screen.query_one("Input").value = str(target)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_e_writes_the_shown_table_to_a_file(
    project_dir: Path, tmp_path: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(TablePlugin(), "people")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    target = tmp_path / "people.md"
    async with app.run_test(size=(80, 24)) as pilot:
        await _write_people(pilot, app, target)
        assert app.busy is None
    assert "| P02 | Jas |" in target.read_text()


def _manifest(project_dir: Path) -> list[dict[str, Any]]:
    with reopen(project_dir) as project:
        return [r["data"] for r in project.records() if r["kind"] == "export.manifest"]


async def test_a_table_written_from_the_outputs_view_is_in_the_export_manifest(
    project_dir: Path, tmp_path: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(TablePlugin(), "people")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    target = tmp_path / "people.md"
    async with app.run_test(size=(80, 24)) as pilot:
        await _write_people(pilot, app, target)
    (entry,) = _manifest(project_dir)
    assert entry["what"] == "test-people" and entry["format"] == "md" and entry["who"] == "ann"
    assert entry["files"][0]["path"] == str(target.resolve()) and len(entry["files"][0]["sha256"]) == 64


async def test_an_exporter_run_from_the_outputs_view_is_in_the_export_manifest(
    project_dir: Path, tmp_path: Path
) -> None:
    host = make_host()
    app = WorkbenchApp([project_dir], host=host, actor="ann")
    target = tmp_path / "alex.html"
    async with app.run_test(size=(80, 24)) as pilot:
        await _run_exporter(pilot, app, "annotated-transcript", target, "source=S1")
    (entry,) = _manifest(project_dir)
    assert entry["what"] == "annotated-transcript" and entry["contains_raw_text"] is True
    assert entry["options"] == {"source": "S1"} and "identifier_scan" in entry


def test_options_are_key_value_words_with_quotes() -> None:
    assert parse_options('case=P01 rule="at least 2"') == {"case": "P01", "rule": "at least 2"}


async def test_a_plugin_screen_opens_on_its_key_and_its_changes_are_durable(
    project_dir: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(ScreenPlugin("f12"), "board")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, MemoScreen)
        await pilot.press("w", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, MemoScreen)
    with reopen(project_dir) as project:
        assert [m["title"] for m in project.rows("memos")] == ["From the plugin screen"]


async def test_a_plugin_screen_without_a_free_key_is_in_the_palette(
    project_dir: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(ScreenPlugin("q"), "board")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        assert ("memo-screen", "Memo board") in app.unbound_views
        assert any("'q'" in n.message for n in app.announcements)
        await pilot.press("ctrl+p", *"Memo board")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemoScreen)


async def test_a_crash_in_a_plugin_screen_closes_it_and_the_app_keeps_running(
    project_dir: Path, wb_host: PluginHost, wb_register: Register
) -> None:
    wb_register(ScreenPlugin("f12"), "board")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, MemoScreen)
        assert any("plugin bug" in n.message and "board" in n.message for n in app.announcements)
        assert app.is_running
        assert "board" not in [s.name for s in wb_host.statuses() if s.status == "active"]


async def test_a_on_home_imports_transcripts_in_the_background(project_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in ("cara.txt", "dev.txt"):
        (tmp_path / "in" / name).write_text("Interviewer: Hello?\n\nParticipant: Hello back.\n")
    app = WorkbenchApp([project_dir], host=make_host(), actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("Input").value = str(tmp_path / "in" / "*.txt")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    with reopen(project_dir) as project:
        assert sorted(s["filename"] for s in project.sources()) == [
            "alex.txt",
            "cara.txt",
            "dev.txt",
            "jas.txt",
        ]


async def test_a_bad_file_in_an_import_adds_nothing(project_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Participant: fine.\n")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary")
    app = WorkbenchApp([project_dir], host=make_host(), actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("Input").value = f"{tmp_path / 'ok.txt'} {tmp_path / 'bad.txt'}"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("failed" in n.message for n in app.announcements)
    with reopen(project_dir) as project:
        assert len(project.sources()) == 2


async def _run_exporter(pilot: Any, app: WorkbenchApp, name: str, target: Path, options: str) -> None:
    """7, x, the exporter `name`, its file and options, then wait for the export to finish."""
    await wait_until_open(pilot, app)
    await pilot.press("7", "x")
    await pilot.pause()
    names = [e.name for e in app.host.all_exporters()] if app.host else []
    for _ in range(names.index(name)):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    app.screen.query_one("Input").value = str(target)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await pilot.pause()
    app.screen.query_one("Input").value = options  # type: ignore[attr-defined]
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_x_runs_an_exporter_with_options_in_the_background(project_dir: Path, tmp_path: Path) -> None:
    host = make_host()
    app = WorkbenchApp([project_dir], host=host, actor="ann")
    target = tmp_path / "alex.html"
    async with app.run_test(size=(80, 24)) as pilot:
        await _run_exporter(pilot, app, "annotated-transcript", target, "source=S1 columns=2")
        assert app.busy is None
    assert "Alex" in target.read_text() or "you actually get it" in target.read_text()


async def test_x_qdpx_shows_the_fidelity_report_in_a_scrolling_dialog(
    project_dir: Path, tmp_path: Path
) -> None:
    from workbench.tui.widgets.prompt import ReportModal, TextLines

    host = make_host()
    app = WorkbenchApp([project_dir], host=host, actor="ann")
    target = tmp_path / "study.qdpx"
    async with app.run_test(size=(80, 24)) as pilot:
        await _run_exporter(pilot, app, "qdpx", target, "")  # no options
        assert isinstance(app.screen, ReportModal)
        lines = app.screen.query_one(TextLines)
        assert lines.has_focus
        assert lines.rows[0].startswith("fidelity report (what the .qdpx holds of the project):")
        assert ["codings", "1", "1", "0", "0"] in [row.split() for row in lines.rows]
        assert any("audit log (" in row for row in lines.rows)
        assert len(lines.rows) > lines.size.height  # wrapped to the dialog's width, so it scrolls
        shown = [lines.render_line(y).text for y in range(lines.size.height)]
        assert shown[0].startswith("fidelity report") and all(len(row) <= 78 for row in shown)
        await pilot.press("end")
        await pilot.pause()
        assert lines.scroll_offset.y == len(lines.rows) - lines.size.height
        await pilot.press("k", "home")
        await pilot.pause()
        assert lines.scroll_offset.y == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportModal)
        assert any("wrote" in n.message for n in app.announcements)
    assert target.stat().st_size > 0
