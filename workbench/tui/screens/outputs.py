"""Outputs (app mode "outputs", key 7): every registered table and exporter, from the keyboard.

A thesis is written from tables — the codebook, the lineage table, a case's PETs, the recurrence
table — so the researcher can read any of them here, give the options a table takes (``case=P01``),
and write it to a file (CSV, Markdown, Word, ... chosen by the extension) without leaving the
workbench. Exporters (REFI-QDA, archives, plugins' own) run the same way; one that reports what the file
kept and left out (REFI-QDA's fidelity report, an `ExportResult` summary) has it shown in a scrolling
dialog once the file is written.

Writing a file can take a while on a large study, so it runs in a worker thread with a progress line;
meanwhile the app refuses analytic changes (`WorkbenchApp.busy`), so what is written is one
consistent state of the project.

Keys (ids for user keymaps):

=====  ====================  =============================================================
key    id                    action
=====  ====================  =============================================================
enter  outputs.show          show the highlighted table
o      outputs.options       set the table's options (``KEY=VALUE ...``) and show it again
e      outputs.export_table  write the shown table to a file (format from the extension)
x      outputs.exporter      run an exporter (REFI-QDA, archive, a plugin's) to a path
=====  ====================  =============================================================
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option

from workbench.core.errors import BadInputError, WorkbenchError
from workbench.tables import one_line
from workbench.tui.base import WorkbenchScreen
from workbench.tui.widgets.footer import KeyFooter
from workbench.tui.widgets.lists import PagingOptionList
from workbench.tui.widgets.prompt import ChoiceModal, PromptModal, ReportModal

if TYPE_CHECKING:
    from workbench.registry import ExportResult, TableData, TableSpec

__all__ = ["OutputsScreen", "parse_options"]

MAX_CELL = 60  # characters of a cell shown in the grid; the file keeps every character


def parse_options(text: str) -> dict[str, str]:
    """``case=P01 rule="at least 2"`` -> {"case": "P01", "rule": "at least 2"}; refuses anything else."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise BadInputError(f"cannot read the options: {exc}", "options") from None
    options: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise BadInputError(f"expected KEY=VALUE, got {word!r}", "options")
        options[key] = value
    return options


class OutputsScreen(WorkbenchScreen):
    HELP_NAME = "Outputs"
    HELP_INTRO = """Thesis tables and exports: choose a table with the arrow keys and Enter shows it, o sets
its options, e writes it to a file (csv, md, docx, xlsx ...), x runs an exporter (REFI-QDA, archive,
annotated transcript). Files are written readable by you only."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "show", "Show", id="outputs.show", show=False),
        Binding("o", "options", "Options", id="outputs.options"),
        Binding("e", "export_table", "Write table", id="outputs.export_table"),
        Binding("x", "exporter", "Export…", id="outputs.exporter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, dict[str, str]] = {}  # table name -> options last used
        self.shown: tuple[TableSpec, TableData] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="outputs-status")
        yield PagingOptionList(id="outputs-list")
        yield DataTable(id="outputs-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    # -- reading ----------------------------------------------------------------------------------------
    def _specs(self) -> list[TableSpec]:
        return self.wb.host.all_tables() if self.wb.host else []

    def refresh_from_project(self) -> None:
        listing = self.query_one("#outputs-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        specs = self._specs()
        listing.add_options(
            Option(Text(f"{spec.title}  ·  {spec.name}  [{spec.plugin}]"), id=spec.name) for spec in specs
        )
        if specs:
            listing.highlighted = min(highlighted or 0, len(specs) - 1)
        if self.shown is not None:
            self._show(self.shown[0])
        else:
            self._status(
                f"{len(specs)} tables · Enter shows one · o options · e write to a file · x exporters"
                if specs
                else "no tables registered (method plugins add them)"
            )
        listing.focus()

    def _status(self, message: str) -> None:
        self.query_one("#outputs-status", Static).update(Text(message))

    def _highlighted(self) -> TableSpec | None:
        listing = self.query_one("#outputs-list", OptionList)
        if listing.highlighted is None:
            return None
        ident = listing.get_option_at_index(listing.highlighted).id
        return next((s for s in self._specs() if s.name == ident), None)

    def _show(self, spec: TableSpec) -> None:
        assert self.wb.host is not None
        options = self.options.get(spec.name, {})
        try:
            table = self.wb.host.build_table(spec, self.project, options)
        except WorkbenchError as exc:
            self.shown = None
            self.query_one("#outputs-table", DataTable).clear(columns=True)
            self._status(f"{spec.name}: {exc}  (o sets options)")
            return
        self.shown = (spec, table)
        grid = self.query_one("#outputs-table", DataTable)
        grid.clear(columns=True)
        grid.add_columns(*table.columns)
        grid.add_rows([Text(_short(cell)) for cell in row] for row in table.rows)
        shown_options = " ".join(f"{k}={v}" for k, v in options.items())
        self._status(f"{table.title or spec.title}: {len(table.rows)} rows  {shown_options}".rstrip())

    @on(OptionList.OptionSelected, "#outputs-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_show()

    def action_show(self) -> None:
        spec = self._highlighted()
        if spec is not None:
            self._show(spec)
            self.query_one("#outputs-table", DataTable).focus()

    @work
    async def action_options(self) -> None:
        spec = self._highlighted() if self.shown is None else self.shown[0]
        if spec is None:
            return
        current = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.options.get(spec.name, {}).items())
        text = await self.app.push_screen_wait(
            PromptModal(f"Options for {spec.name} (KEY=VALUE ...):", value=current, placeholder="case=P01")
        )
        if text is None:
            return
        try:
            self.options[spec.name] = parse_options(text)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self._show(spec)

    # -- writing ----------------------------------------------------------------------------------------
    @work
    async def action_export_table(self) -> None:
        if self.shown is None:
            self.notify("show a table first (Enter)", severity="warning")
            return
        spec, table = self.shown
        answer = await self.app.push_screen_wait(
            PromptModal(
                f"Write «{spec.title}» to (.csv .md .docx .json .txt ...):",
                value=str(Path.cwd() / f"{spec.name}.docx"),
            )
        )
        if answer:
            from workbench.tables import format_for, write_table

            path = Path(answer).expanduser()
            try:
                fmt = format_for(path, None)
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error")
                return
            cells = [c for row in table.rows for c in row]
            self.wb.run_background(
                f"writing {path.name}",
                lambda: [write_table(table, path, fmt)],
                done=lambda: self._record(spec.name, fmt, [path], cells, self.options.get(spec.name, {})),
            )

    @work
    async def action_exporter(self) -> None:
        exporters = self.wb.host.all_exporters() if self.wb.host else []
        if not exporters:
            self.notify("no exporters registered", severity="warning")
            return
        choice = await self.app.push_screen_wait(
            ChoiceModal(
                "Run which exporter?",
                [(e.name, f"{e.name} ({e.extension})  {e.description}") for e in exporters],
            )
        )
        exporter = next((e for e in exporters if e.name == choice), None)
        if exporter is None:
            return
        answer = await self.app.push_screen_wait(
            PromptModal(f"Export {exporter.name} to:", value=str(Path.cwd() / f"export{exporter.extension}"))
        )
        if not answer:
            return
        extra = await self.app.push_screen_wait(
            PromptModal(
                f"Options for {exporter.name} (KEY=VALUE ...; Enter for none):",
                placeholder="source=S1 columns=3",
            )
        )
        try:
            options = parse_options(extra or "")
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        host, project, path = self.wb.host, self.project, Path(answer).expanduser()
        assert host is not None
        label = f"exporting {exporter.name}"
        results: list[ExportResult] = []

        def export() -> ExportResult:
            results.append(host.run_exporter(exporter, project, path, options))
            return results[-1]

        def done() -> None:
            if results:
                self._record(exporter.name, exporter.extension.lstrip("."), list(results[-1]), None, options)
            # an exporter that says what the file kept and left out (REFI-QDA's fidelity report)
            if results and results[-1].summary:
                written = ", ".join(str(p) for p in results[-1])
                self.app.push_screen(ReportModal(f"{label}: wrote {written}", results[-1].summary))

        self.wb.run_background(label, export, done=done)


    def _record(
        self, what: str, fmt: str, paths: list[Path], cells: list[str] | None, options: dict[str, str]
    ) -> None:
        """The export manifest entry (GOV-2b), as `workbench export` makes it: `cells` are a table's
        (checked for participants' words), None for an exporter's files."""
        from workbench.core.governance import manifest

        project = self.project
        raw = (
            manifest.exporter_holds_words(what)
            if cells is None
            else manifest.holds_words(project, what, cells)
        )
        scan = self.wb.run_op(manifest.record_export, project, what, fmt, paths, raw, options)
        if scan is None:
            self.notify("the export was written but its manifest entry was not recorded", severity="warning")
        elif not scan["clean"]:
            self.notify(
                f"possible identifiers in the export: {manifest.scan_line(scan)} (see the export manifest)",
                severity="warning",
                timeout=10,
            )


def _short(cell: str) -> str:
    flat = one_line(cell)
    return flat if len(flat) <= MAX_CELL else flat[: MAX_CELL - 1] + "…"
