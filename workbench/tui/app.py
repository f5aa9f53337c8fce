"""WorkbenchApp: opens projects, owns the plugin host, runs operations, routes between views.

Each main view is an app *mode* (its own screen stack), so jumping from the codebook to a
transcript and back keeps each view where the researcher left it.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator

from workbench.core.errors import WorkbenchError
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.keymap import load_keymap
from workbench.tui.themes import DEFAULT_THEME, load_themes

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.plugins import PluginHost

T = TypeVar("T")

# mode name -> "module:Class" (imported when first shown, to keep start-up fast)
VIEWS: dict[str, str] = {
    "home": "workbench.tui.screens.home:HomeScreen",
    "transcript": "workbench.tui.screens.transcript:TranscriptScreen",
    "codebook": "workbench.tui.screens.codebook:CodebookScreen",
    "retrieval": "workbench.tui.screens.retrieval:RetrievalScreen",
    "memos": "workbench.tui.screens.memos:MemosScreen",
    "history": "workbench.tui.screens.history:HistoryScreen",
}


def _factory(view: str) -> Callable[[], Screen[Any]]:
    """Look the view up when it is first shown, so tests and plugins can replace `VIEWS` entries."""

    def make() -> Screen[Any]:
        module, _, name = VIEWS[view].partition(":")
        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        return screen

    return make


class LoadingScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator()
        yield Footer()


class WorkbenchApp(App[None]):
    """The terminal workbench over one or more open projects (the first is current)."""

    TITLE = "Qualitative Workbench"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = {*App.COMMANDS, WorkbenchCommands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {name: _factory(name) for name in VIEWS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("ctrl+r", "redo", "Redo", id="app.redo"),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False),
        Binding("1", "view('home')", "Home", id="app.home"),
        Binding("2", "view('transcript')", "Text", id="app.transcript"),
        Binding("3", "view('codebook')", "Codes", id="app.codebook"),
        Binding("4", "view('retrieval')", "Segments", id="app.retrieval"),
        Binding("5", "view('memos')", "Memos", id="app.memos"),
        Binding("6", "view('history')", "History", id="app.history"),
        Binding("p", "next_project", "Project", id="app.next_project", show=False),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        host: PluginHost | None = None,
        readonly: bool = False,
        keymap: dict[str, str] | None = None,
        actor: str | None = None,
    ) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.host = host
        self.readonly = readonly
        self.actor = actor
        self.projects: list[Project] = []
        self.current = 0
        self.source_id: str | None = None  # the transcript the transcript view shows
        self.focus_offset: int | None = None  # where it should put the cursor when shown
        self.last_code: str | None = None  # for "repeat last code"
        self.retrieval_query: str | None = None  # what the retrieval view shows next
        self._keymap = keymap if keymap is not None else {}
        themes, self.theme_errors = load_themes()
        for theme in themes:
            self.register_theme(theme)
        if any(t.name == DEFAULT_THEME for t in themes):
            self.theme = DEFAULT_THEME

    # -- life cycle -----------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        for error in self.theme_errors:
            self.notify(error, severity="warning")
        self.push_screen(LoadingScreen())
        self.run_worker(self._open_projects, thread=True, exclusive=True, name="open")

    def _open_projects(self) -> None:
        from workbench.core.project import Project

        try:
            projects = [
                Project.open(path, readonly=self.readonly, actor=self.actor, observer=self.host)
                for path in self.paths
            ]
        except WorkbenchError as exc:
            self.call_from_thread(self.exit, None, 1, str(exc))
            return
        self.call_from_thread(self._opened, projects)

    def _opened(self, projects: list[Project]) -> None:
        self.projects = projects
        # The loaded project is long-lived: move it out of the collector's way so full collections
        # (~40 ms with a large study) do not land in the middle of a keystroke.
        gc.freeze()
        for project in projects:
            for warning in project.warnings:
                self.notify(warning, severity="warning")
        self.sub_title = self.project.title
        self.switch_mode("home")

    def on_unmount(self) -> None:
        for project in self.projects:
            project.close()
        self.projects = []

    @property
    def project(self) -> Project:
        return self.projects[self.current]

    # -- operations ------------------------------------------------------------------------------------
    def run_op(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run one Project operation; a user error becomes a notification, and every view refreshes."""
        try:
            result = operation(*args, **kwargs)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return None
        self.refresh_views()
        return result

    def refresh_views(self) -> None:
        """Attributes down: the visible view rebuilds now, the others when they are next shown."""
        refresh = getattr(self.screen, "refresh_from_project", None)
        if refresh is not None:
            refresh()

    # -- actions ---------------------------------------------------------------------------------------
    def action_view(self, name: str) -> None:
        if name == "transcript" and self.source_id is None:
            sources = self.project.sources()
            if not sources:
                self.notify("no transcripts yet: add some with `workbench add`", severity="warning")
                return
            self.source_id = sources[0]["id"]
        if self.current_mode == name:
            self.refresh_views()
        else:
            self.switch_mode(name)

    def open_transcript(self, source_id: str, offset: int | None = None) -> None:
        """Show a transcript, with the cursor at `offset` when given (from retrieval, history...)."""
        self.source_id = source_id
        self.focus_offset = offset
        self.action_view("transcript")

    def action_undo(self) -> None:
        summary = self.run_op(self.project.undo)
        if summary:
            self.notify(f"undone: {summary}")

    def action_redo(self) -> None:
        summary = self.run_op(self.project.redo)
        if summary:
            self.notify(f"redone: {summary}")

    def action_help(self) -> None:
        from workbench.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_next_project(self) -> None:
        """Switch the current project; views hold no state of their own, so they simply refresh."""
        if len(self.projects) < 2:
            self.notify("only one project is open")
            return
        self.current = (self.current + 1) % len(self.projects)
        self.source_id = None
        self.retrieval_query = None
        self.sub_title = self.project.title
        if self.current_mode == "transcript":
            self.switch_mode("home")
        self.refresh_views()
        self.notify(f"now working in {self.project.title!r}")


def run(paths: Sequence[Path], *, host: PluginHost | None = None, readonly: bool = False) -> int:
    """Entry point for `workbench open`: returns the exit code."""
    app = WorkbenchApp(paths, host=host, readonly=readonly, keymap=load_keymap())
    app.run()
    return app.return_code or 0
