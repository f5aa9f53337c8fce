"""Project home: who and what is in the study, how far each transcript is, recent memos."""

from __future__ import annotations

import glob
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from workbench.core.errors import BadInputError, WorkbenchError
from workbench.tui.base import WorkbenchScreen
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.prompt import PromptModal

if TYPE_CHECKING:
    from workbench.core.model import ImportedTranscript

STATUS_GLYPH = {"not started": "○", "in progress": "◐", "coded": "●"}


class HomeScreen(WorkbenchScreen):
    HELP_NAME = "Home"
    HELP_INTRO = """
The study's transcripts: Enter (or o) opens one to code, s moves it through not started, in
progress and coded, a adds transcript files. The number keys 1 to 9 switch views from anywhere."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_source", "Open", tooltip="Open the transcript (Enter works too)", id="home.open"),
        Binding("s", "cycle_status", "Status", id="home.status"),
        Binding(
            "a", "add_sources", "Add files", tooltip="Import transcripts (paths or globs)", id="home.add"
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="home-summary")
        yield DataTable(id="home-sources", cursor_type="row", zebra_stripes=True)
        yield Static("Recent memos", id="home-memos-title")
        yield DataTable(id="home-memos", cursor_type="row", show_header=False)
        yield KeyFooter()

    _built: tuple[int, int] | None = None

    def refresh_from_project(self) -> None:
        """Rebuild the summary and tables, unless nothing was committed since they were built.

        (Mounting and resuming both ask; counting codings per source walks every segment.)
        """
        if self._built == self.project_state:
            self.query_one("#home-sources", DataTable).focus()
            return
        self._built = self.project_state
        project = self.project
        codings = len(project.rows("codings"))
        self.query_one("#home-summary", Static).update(
            Text(  # Text: a title may hold `[` (and `[gt]` is no markup tag either)
                f"{project.title}  [{project.method}]  ·  {len(project.participants())} participants · "
                f"{len(project.sources())} sources · {len(project.code_tree())} codes · {codings} codings"
            )
        )
        table = self.query_one("#home-sources", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_columns("Src", "Part.", "Pseudonym", "Status", "Codings", "File")
        for source in project.sources():
            participant = project.participant_of(source) or {}
            status = source.get("status", "not started")
            count = project.coding_count(source["id"])
            cells = (
                source["id"],
                source.get("participant_id") or "",
                participant.get("pseudonym", ""),
                f"{STATUS_GLYPH.get(status, '?')} {status}",
                str(count),
                source["filename"],
            )
            table.add_row(*(Text(cell) for cell in cells), key=source["id"])  # Text: no markup in names
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        memos = self.query_one("#home-memos", DataTable)
        memos.clear(columns=True)
        memos.add_columns("Id", "Type", "Title")
        for memo in sorted(project.rows("memos"), key=lambda m: m["modified_at"], reverse=True)[:5]:
            memos.add_row(Text(memo["id"]), Text(memo["type"]), Text(memo["title"]))
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one("#home-sources", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "home-sources":
            self.action_open_source()

    def action_open_source(self) -> None:
        source_id = self._selected()
        if source_id:
            self.wb.open_transcript(source_id)

    def action_cycle_status(self) -> None:
        source_id = self._selected()
        if not source_id:
            return
        order = list(STATUS_GLYPH)
        status = self.project.source(source_id).get("status", "not started")
        new = order[(order.index(status) + 1) % len(order)] if status in order else order[0]
        snapshot = self.wb.run_op(self.project.set_source_status, source_id, new)
        if snapshot:
            self.notify(f"{source_id} coded: codebook snapshot {snapshot}")

    @work
    async def action_add_sources(self) -> None:
        """Import transcripts: files are read and parsed in a worker (progress in the header), then
        added to the project in one go on the UI thread, so a bad file adds nothing."""
        answer = await self.app.push_screen_wait(
            PromptModal("Add transcripts — paths or globs:", placeholder="~/transcripts/*.docx")
        )
        if not answer:
            return
        try:
            paths = expand_paths(answer)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        host, app = self.wb.host, self.wb
        if host is None:
            self.notify("no importers are loaded", severity="error")
            return
        parsed: list[tuple[Path, str, ImportedTranscript]] = []

        def parse() -> list[Path]:
            for number, path in enumerate(paths, start=1):
                app.call_from_thread(app.set_progress, f"reading {path.name} ({number}/{len(paths)})")
                importer = host.importer_for(path)
                parsed.append((path, importer.name, host.run_importer(importer, path, path.read_bytes())))
            return []  # nothing written: the sources are added by `add` on the UI thread

        def add() -> None:
            if len(parsed) != len(paths):
                return  # parsing failed; the error is already shown and nothing was added
            added = [
                self.wb.run_op(self.project.add_source, imported, path.name, importer=name)
                for path, name, imported in parsed
            ]
            warnings = [f"{path.name}: {w}" for path, _n, imported in parsed for w in imported.warnings]
            for warning in warnings:
                self.notify(warning, severity="warning")
            self.notify(f"added {', '.join(a for a in added if a)}")

        app.run_background(f"importing {len(paths)} file(s)", parse, done=add)


def expand_paths(text: str) -> list[Path]:
    """Shell-like words with ~ and globs expanded; every path must be an existing file."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise BadInputError(f"cannot read the paths: {exc}", "add") from None
    paths: list[Path] = []
    for word in words:
        expanded = str(Path(word).expanduser())
        matches = sorted(glob.glob(expanded)) if glob.has_magic(expanded) else [expanded]
        if not matches:
            raise BadInputError("no file matches", word)
        for match in matches:
            path = Path(match)
            if not path.is_file():
                raise BadInputError("not a file", match)
            paths.append(path)
    return paths
