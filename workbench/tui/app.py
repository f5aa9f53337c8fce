"""WorkbenchApp: opens projects, owns the plugin host, runs operations, routes between views.

Each main view is an app *mode* (its own screen stack), so jumping from the codebook to a
transcript and back keeps each view where the researcher left it.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from rich.text import Text
from textual import events, on
from textual.actions import ActionParseResult
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.filter import LineFilter
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Header, Static

from workbench.core import heap
from workbench.core.errors import WorkbenchError
from workbench.core.untrusted import shown
from workbench.tui import textual_compat as compat
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.keymap import load_keymap
from workbench.tui.themes import DEFAULT_THEME, load_themes
from workbench.tui.typeahead import after_keys
from workbench.tui.untrusted_lines import EscapeUnsafeText
from workbench.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from workbench.core.project import Project, UndoStep
    from workbench.plugins import PluginHost
    from workbench.registry import CaseAccess
    from workbench.tui.segment_selection import SegmentSelection
    from workbench.tui.widgets.find_line import FindQuery

T = TypeVar("T")
PREPARED_VIEWS = ("codebook", "retrieval", "matrix")
"""Views built ahead of their first visit (the ones a large study makes slow to build)."""
WARM_UP_AFTER_S = 0.3
"""Seconds after the project is first shown before the read-ahead starts (the first paints come first)."""

# mode name -> "module:Class" (imported when first shown, to keep start-up fast)
VIEWS: dict[str, str] = {
    "home": "workbench.tui.screens.home:HomeScreen",
    "transcript": "workbench.tui.screens.transcript:TranscriptScreen",
    "codebook": "workbench.tui.screens.codebook:CodebookScreen",
    "retrieval": "workbench.tui.screens.retrieval:RetrievalScreen",
    "memos": "workbench.tui.screens.memos:MemosScreen",
    "history": "workbench.tui.screens.history:HistoryScreen",
    "outputs": "workbench.tui.screens.outputs:OutputsScreen",
    "search": "workbench.tui.screens.search:SearchScreen",
    "matrix": "workbench.tui.screens.matrix:MatrixScreen",
}


def _factory(view: str) -> Callable[[], Screen[Any]]:
    """Look the view up when it is first shown, so tests and plugins can replace `VIEWS` entries."""

    def make() -> Screen[Any]:
        module, _, name = VIEWS[view].partition(":")
        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        # A new mode's screen starts "out of date" with the app's CSS, so Textual would re-parse every
        # stylesheet source from cold, twice, on its first visit (~100 ms on the workbench's sources);
        # a screen that has never been shown has nothing stale (see `mark_styles_current`).
        compat.mark_styles_current(screen)
        return screen

    return make


class ReadAheadDone(Message):
    """The read-ahead thread has finished: the app builds the views ahead (on its own thread)."""


class LoadingScreen(Screen[None]):
    """Shown while the project opens in a worker thread. A still line, not an animated indicator: the
    animation's frames compete with the opening thread for the interpreter and slowed opening."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"⧗ opening {', '.join(p.name for p in self.app.paths)} …"), id="loading")  # type: ignore[attr-defined]
        yield KeyFooter()


class WorkbenchApp(compat.CompatApp[None]):
    """The terminal workbench over one or more open projects (the first is current).

    A closed dialog's removal does not lay the view under it out again, and an unhandled error in a
    plugin's screen is contained (`contain_error`): see `textual_compat.CompatApp`.
    """

    TITLE = "Qualitative Workbench"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = {*App.COMMANDS, WorkbenchCommands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {name: _factory(name) for name in VIEWS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        # ctrl+z, not a letter: letters typed ahead into a place that is not a text box (a query, a
        # code's name) must never take work back.
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("ctrl+r", "redo", "Redo", id="app.redo"),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("f2", "messages", "Messages", id="app.messages", show=False),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False),
        Binding("1", "view('home')", "Home", id="app.home"),
        Binding("2", "view('transcript')", "Text", id="app.transcript"),
        Binding("3", "view('codebook')", "Codes", id="app.codebook"),
        Binding("4", "view('retrieval')", "Segments", id="app.retrieval"),
        Binding("5", "view('memos')", "Memos", id="app.memos"),
        Binding("6", "view('history')", "History", id="app.history"),
        Binding("7", "view('outputs')", "Outputs", id="app.outputs"),
        Binding(
            "8",
            "view('search')",
            "Search",
            id="app.search",
            tooltip="Search every transcript (keyword in context), auto-code the hits, count words",
        ),
        Binding(
            "9",
            "view('matrix')",
            "Matrix",
            id="app.matrix",
            tooltip="Code co-occurrence, codes by case or by attribute; Enter lists a cell's segments",
        ),
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
        screen_reader: bool = False,
    ) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.screen_reader = screen_reader  # see screen_reader.py
        self.host = host
        self.readonly = readonly
        self.actor = actor
        self.projects: list[Project] = []
        self.current = 0
        self.source_id: str | None = None  # the transcript the transcript view shows
        self.focus_offset: int | None = None  # where it should put the cursor when shown
        self.last_code: str | None = None  # for "repeat last code"
        self.retrieval_query: str | None = None  # what the retrieval view shows next
        self.retrieval_selection: SegmentSelection | None = None  # ... or these segments (a matrix cell's)
        self.find_request: FindQuery | None = None  # what the transcript view finds when shown next
        self.user_keymap = keymap if keymap is not None else {}  # applied on mount
        self._done_here: set[tuple[int, str]] = set()  # (project, history key) of this session's work
        self._coder_known: set[int] = set()  # projects whose coder this session is settled (see `as_coder`)
        self.announcements: list[Announcement] = []  # every message of the session (the last MAX), for F2
        self.last_announcement: Announcement | None = None  # what the message line shows
        self.busy: str | None = None  # what a background job (import, export) is doing, if any
        self.warmed_up = threading.Event()  # set once `_warm_up` has read ahead
        self._switching = False  # inside `switch_mode` (see `delay_update`)
        self._release_paint: Callable[[], None] | None = None
        self._plugin_screens: dict[int, str] = {}  # id(screen) -> plugin that built it
        self.unbound_views: list[tuple[str, str]] = []  # plugin screens reached from the palette only
        themes, self.startup_warnings = load_themes()
        if host is not None:
            self.startup_warnings.extend(host.errors)  # plugins refused or failed (clashes name both)
        self._bind_plugin_views()
        for theme in themes:
            self.register_theme(theme)
        if any(t.name == DEFAULT_THEME for t in themes):
            self.theme = DEFAULT_THEME

    # -- untrusted text (core/untrusted.py) ------------------------------------------------------------
    _escape_unsafe = EscapeUnsafeText()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then the one that draws unsafe characters as escapes (last: nothing follows)."""
        return [*super().get_line_filters(), self._escape_unsafe]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Say `message` on the message line of every view (see KeyFooter) and keep it for F2.

        It is shown as written: never parsed as markup (labels and titles hold `[`), unsafe characters
        escaped. Widgets' `notify` passes `markup=True` on by default; it is ignored here. There are no
        toasts: a floating toast covered the status line and dialogs (and cost a relayout).
        """
        glyph = {"error": "✕", "warning": "⚠"}.get(severity, "·")  # never colour alone
        text = " ".join(part for part in (shown(title, lines=False), shown(message, lines=False)) if part)
        announcement = Announcement(f"{glyph} {text}", text, severity, _clock())
        self.announcements.append(announcement)
        del self.announcements[:-MAX_ANNOUNCEMENTS]
        self.last_announcement = announcement
        for screen in self.screen_stack:
            for footer in screen.query(KeyFooter):
                footer.refresh()

    async def on_event(self, event: events.Event) -> None:
        """In screen-reader mode, after each key and focus change, the terminal cursor follows focus."""
        await super().on_event(event)
        if self.screen_reader and isinstance(event, events.Key | events.DescendantFocus):
            after_keys(self.screen.focused or self.screen, self.place_cursor)

    def place_cursor(self) -> None:
        """Put the terminal's cursor on the focused item (screen_reader.py); the Input does its own."""
        from workbench.tui.screen_reader import cursor_offset

        offset = cursor_offset(self.screen.focused)
        if offset is not None:
            self.cursor_position = offset
            self.screen.refresh()  # the cursor moves with the next frame

    def action_messages(self) -> None:
        """F2: the latest messages, newest last, to read again."""
        from workbench.tui.widgets.prompt import MessagesModal

        if not isinstance(self.screen, MessagesModal):
            self.push_screen(MessagesModal([a.text for a in self.announcements]))

    # -- life cycle -----------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.screen_reader:
            self.add_class("-screen-reader")
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        for error in self.startup_warnings:
            self.notify(error, severity="warning")
        self.push_screen(LoadingScreen())
        # The collector stays off while the study loads, and what it loaded is then frozen (`_opened`):
        # otherwise the first collections after loading rescan every one of its documents (~0.1-0.2 s
        # on a large study, landing in the middle of opening).
        gc.disable()
        self.run_worker(self._open_projects, thread=True, exclusive=True, name="open")

    def _open_projects(self) -> None:
        from workbench.core.project import Project

        try:
            projects = [
                Project.open(path, readonly=self.readonly, actor=self.actor, observer=self.host)
                for path in self.paths
            ]
        except WorkbenchError as exc:
            gc.enable()
            self.call_from_thread(self.exit, None, 1, str(exc))
            return
        self.call_from_thread(self._opened, projects)

    def _opened(self, projects: list[Project]) -> None:
        self.projects = projects
        # The loaded project is long-lived: move it out of the collector's way so full collections
        # (~40 ms with a large study) do not land in the middle of a keystroke.
        heap.freeze_long_lived()
        gc.enable()
        for project in projects:
            for warning in project.warnings:
                self.notify(warning, severity="warning")
        self.sub_title = self.project.title
        self.switch_mode("home")
        self.set_timer(WARM_UP_AFTER_S, self._start_warm_up)

    def _start_warm_up(self) -> None:
        self.run_worker(self._warm_up, thread=True, name="warm-up", group="warm-up", exit_on_error=False)

    def _warm_up(self) -> None:
        """Read ahead, in a thread, what the first visit of each view would otherwise wait for.

        The views' modules are imported and every transcript's text and line map read (the first
        retrieval cites segments in all of them: ~60 ms on a large study). Reading only: the project
        is not changed, and anything that fails here is simply done again when it is needed.
        """
        try:
            for target in VIEWS.values():
                importlib.import_module(target.partition(":")[0])
            for project in list(self.projects):
                for version_id in [s["version_id"] for s in project.sources()]:
                    project.text_record(version_id)
        except Exception:  # a read-ahead: whatever failed here is read again when needed
            pass
        self.post_message(ReadAheadDone())  # thread-safe, and never waits on a closing app

    @on(ReadAheadDone)
    async def _prepare_views(self) -> None:
        """Build the codebook and retrieval views while the researcher reads (UI thread, after the
        read-ahead): their first visit then costs what any later one does (~70 ms, not ~120-250)."""
        try:
            for mode in PREPARED_VIEWS:
                # Checked before each view (no await in between): the app may be closing meanwhile,
                # and a view added while Textual closes the others would break its shutdown.
                if not self.is_running or not self.projects:
                    return
                if self._screens(mode) is not None:  # visited already
                    continue
                await compat.init_mode(self, mode)
                # Laid out and rendered once, off screen: what a view's first frame pays for once
                # only (first renders of its widgets) is paid now, not at its first visit.
                screen = self.get_screen_stack(mode)[-1]
                with contextlib.suppress(Exception):  # a view that cannot draw says so when visited
                    compat.render_offscreen(screen, self.size)
        finally:
            heap.freeze_long_lived()  # what was read ahead and built is long-lived too (see `_opened`)
            if self.is_running and self.projects:
                self.run_worker(
                    self._read_ahead_segments,
                    thread=True,
                    name="read-ahead",
                    group="warm-up",
                    exit_on_error=False,
                )
            else:
                self.warmed_up.set()

    def _read_ahead_segments(self) -> None:
        """Last of the read-ahead, in a thread once the views are built (so a key pressed at once
        does not wait on it): the coded segments every matrix starts from and which overlap which
        (~0.3 s for 50,000 codings), kept current from here on as codings change, so the matrix
        view's co-occurrence is read out, not counted (~50 ms for 400 codes)."""
        try:
            from workbench.core import coded_spans

            coded_spans.read_ahead(self.project, dict(self.case_access().hidden))
            heap.freeze_long_lived()
        except Exception:  # a read-ahead: the first matrix counts for itself
            pass
        finally:
            self.warmed_up.set()

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
        if self.busy:
            self.notify(f"wait: {self.busy} is still running", severity="warning")
            return None
        project = self.project
        before = project.undo_details()
        try:
            result = operation(*args, **kwargs)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return None
        if operation not in (project.undo, project.redo):
            self.done_here(project, before)
        self.refresh_views()
        return result

    def done_here(self, project: Project, before: UndoStep | None) -> None:
        """Remember that the operation now on top of `project`'s undo history (if it is new since
        `before`) was done in this session, so ctrl+z takes it back without asking first.

        `run_op` does this; work run in a worker thread (an auto-code) calls it when it is done.
        """
        after = project.undo_details()
        if after is not None and after != before:
            self._done_here.add((id(project), after.key))  # undo asks first for anything else

    def case_access(self) -> CaseAccess:
        """Whose transcripts search must hide and auto-coding leave alone now (method plugins' rules,
        such as IPA bracketing); nothing is hidden or locked without a plugin host."""
        from workbench.registry import CaseAccess

        if self.host is None:
            return CaseAccess()
        return self.host.case_access(self.project)

    def as_coder(self, then: Callable[[], object]) -> None:
        """Run `then` (a coding) once it is settled who is coding, never silently by account name.

        A coder given at start (``--coder``, ``WORKBENCH_CODER``) is used as it is. Otherwise, in a
        project with named coders (`workbench coders`), the first coding of the session asks who is
        coding; in one without, it says once whose name the codings carry and how to change it.
        """
        project = self.project
        if self.actor is not None or id(project) in self._coder_known:
            then()
            return
        from workbench.core.icr.coders import CODER_KIND

        named = {
            str(doc["data"]["id"]): str(doc["data"].get("name") or doc["data"]["id"])
            for doc in project.records(CODER_KIND)
        }
        if not named:
            self._coder_known.add(id(project))
            self.notify(
                f"coding as {project.actor} (this account's name); "
                "to code as someone else, start with `workbench open DIR --coder NAME`"
            )
            then()
            return
        from workbench.tui.widgets.prompt import ChoiceModal

        choices = [(ident, f"{ident} — {name}" if name != ident else ident) for ident, name in named.items()]
        if project.actor not in named:
            choices.append((project.actor, f"{project.actor} (this account, not a named coder)"))

        def chosen(coder: str | None) -> None:
            if coder is None:
                self.notify("not coded: choose who is coding first", severity="warning")
                return
            project.actor = coder
            self._coder_known.add(id(project))
            self.notify(f"coding as {coder} for the rest of this session")
            then()

        self.push_screen(ChoiceModal("Who is coding? Each coding is credited to one coder.", choices), chosen)

    def refresh_views(self) -> None:
        """Attributes down: the visible view rebuilds now, the others when they are next shown.

        A view not yet mounted (just switched to, keys typed ahead) is left alone: it builds itself
        from the project when it mounts.
        """
        refresh = getattr(self.screen, "refresh_from_project", None)
        if refresh is not None and self.screen.is_mounted:
            refresh()

    def flush_repaints(self, screen: Screen[Any]) -> None:
        """Hand the screen every repaint its widgets have asked for, now, so one frame shows them all.

        A widget asks its screen to repaint it when the widget's own message queue falls idle, and the
        screen paints as soon as *its* queue does: so the pane, status line and scroll bars updated in
        answer to a keystroke used to land in a second frame, ~30 ms after the text. Called at the end
        of such an answer (for instance after the transcript's cursor moved).
        """
        for widget in screen.walk_children(with_self=False):
            if isinstance(widget, Widget):
                compat.flush_refresh(widget)

    def run_background(
        self,
        label: str,
        job: Callable[[], Sequence[Path] | None],
        done: Callable[[], None] | None = None,
    ) -> bool:
        """Run a long job (an export, an import's parsing) in a thread, with a progress line.

        While it runs the app refuses analytic changes (`run_op`), so a job reading the project sees
        one consistent state. Errors, the plugin's included, become notifications.
        """
        if self.busy:
            self.notify(f"wait: {self.busy} is still running", severity="warning")
            return False
        self.busy = label
        self.set_progress(label)

        def work() -> None:
            try:
                written = job()
            except Exception as exc:  # a plugin bug or a full disk: report it, keep the app running
                self.call_from_thread(self._background_done, label, None, exc, done)
                return
            self.call_from_thread(self._background_done, label, written, None, done)

        self.run_worker(work, thread=True, name=label, group="background")
        return True

    def set_progress(self, message: str) -> None:
        """Progress of the background job, shown in the header (a terminal has no spare corner)."""
        self.sub_title = f"{self.project.title} · ⧗ {message}…"

    def _background_done(
        self,
        label: str,
        written: Sequence[Path] | None,
        error: Exception | None,
        done: Callable[[], None] | None,
    ) -> None:
        self.busy = None
        self.sub_title = self.project.title
        if error is None and done is not None:
            done()
        if error is not None:
            self.notify(f"{label} failed: {error}", severity="error", timeout=10)
        else:
            paths = ", ".join(str(p) for p in written or [])
            self.notify(f"{label}: done{' — wrote ' + paths if paths else ''}", timeout=8)
        self.refresh_views()

    # -- plugin screens -------------------------------------------------------------------------------
    def _bind_plugin_views(self) -> None:
        """Give each plugin screen its key (unless a workbench key has it) and a palette entry."""
        if self.host is None:
            return
        taken = compat.bound_keys(self)
        for spec in self.host.views(kind="screen"):
            if not spec.key:
                self.unbound_views.append((spec.name, spec.title))
                continue
            if spec.key in taken:
                self.unbound_views.append((spec.name, spec.title))
                self.startup_warnings.append(
                    f"plugin {spec.plugin!r}: key {spec.key!r} for {spec.title!r} is taken; use ctrl+p"
                )
                continue
            binding = Binding(
                spec.key, f"plugin_view({spec.name!r})", spec.title, show=False, id=f"plugin.{spec.name}"
            )
            compat.add_binding(self, binding)  # with its id: a keymap can move it
            taken.add(spec.key)

    def action_plugin_view(self, name: str) -> None:
        """Open a plugin's screen: ``factory(project)`` builds it; views refresh when it closes."""
        assert self.host is not None
        spec = next((v for v in self.host.views(kind="screen") if v.name == name), None)
        if spec is None:
            self.notify(f"the plugin view {name!r} is no longer available", severity="warning")
            return
        try:
            with self.host.guard(spec.plugin, f"opening {spec.title!r}"):
                screen = spec.factory(self.project)
            if not isinstance(screen, Screen):
                raise WorkbenchError(f"plugin {spec.plugin!r}: {spec.title!r} did not build a screen")
        except WorkbenchError as exc:  # PluginFailure is one: the host has disabled the plugin
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._plugin_screens[id(screen)] = spec.plugin
        self.push_screen(screen, callback=lambda _result: self._plugin_screen_closed(screen))

    def _plugin_screen_closed(self, screen: Screen[Any]) -> None:
        self._plugin_screens.pop(id(screen), None)
        self.refresh_views()

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Key bindings and palette entries land here: a plugin screen's failing action is contained."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            if not self._contain_plugin_error(error):
                raise
            return True

    def contain_error(self, error: Exception) -> bool:
        """Errors in a plugin screen's own event handlers arrive here (that screen has stopped)."""
        return self._contain_plugin_error(error)

    def _contain_plugin_error(self, error: Exception) -> bool:
        """A bug in a plugin's screen closes that screen and disables the plugin; the app keeps running.

        Textual ends the app on any unhandled exception; for the workbench's own code that is right
        (a crash is a bug to fix), but a researcher's session must not end because a plugin failed.
        """
        plugin = self._plugin_screens.get(id(self.screen))
        if plugin is None or self.host is None or not _raised_in_plugin(error, type(self.screen)):
            return False
        failure = self.host.plugin_failed(plugin, f"running {type(self.screen).__name__}", error)
        self._plugin_screens.pop(id(self.screen), None)
        self.pop_screen()
        self.notify(str(failure), severity="error", timeout=10)
        self.refresh_views()
        return True

    def copy_to_clipboard(self, text: str) -> None:
        """GOV-2a: text leaves through the terminal (OSC 52) only when the project allows it, and each
        copy is recorded (where from, how long; never the words) before it leaves."""
        from workbench.core.governance.clipboard import record_copy

        if not self.projects:
            return
        try:
            record_copy(self.project, f"screen:{type(self.screen).__name__}", len(text))
        except WorkbenchError as exc:
            self.notify(str(exc), severity="warning")
            return
        super().copy_to_clipboard(text)

    # -- switching views -------------------------------------------------------------------------------
    def switch_mode(self, mode: str) -> AwaitMount:
        """The new view is painted as soon as it has answered its ScreenResume, not after a fixed pause.

        Textual holds painting for 50 ms on every mode switch (`delay_update`), so the half-updated
        view is never seen: every change of view then took at least 50 ms to show. The hold stays,
        but ends when the view has refreshed itself from the project (a callback queued behind the
        ScreenResume), which then paints at once, so the first frame is already the right one; the
        50 ms remain the upper bound, for a view that is still being built.
        """
        self._switching = True
        try:
            await_mount = super().switch_mode(mode)
        finally:
            self._switching = False
            release, self._release_paint = self._release_paint, None  # (the timer still ends a failed one)
        if release is not None and not self.screen.call_later(release, True):
            release()
        return await_mount

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching:
            super().delay_update(delay)
            return
        batch = self.batch_update()
        batch.__enter__()  # left by `release`, whichever comes first of the new view and the timer
        held = True

        def release(paint_now: bool = False) -> None:
            nonlocal held
            if not held:
                return
            held = False
            batch.__exit__(None, None, None)
            if compat.painting_held(self) or not self._screens():  # held on; or closing
                return
            screen = self.screen
            screen.refresh()
            if paint_now:  # the new view is ready: its frame now, not at the update timer's next tick,
                self.flush_repaints(screen)  # with the layout and repaints its widgets asked for,
                screen.call_later(compat.update_screen_now, screen)  # which reach the screen before this

        self._release_paint = release
        self.set_timer(delay, release, name="delay_update")

    def _screens(self, mode: str | None = None) -> list[Screen[Any]] | None:
        """`mode`'s screen stack (the current mode's by default); None if it was never built. The app
        empties every stack as it closes."""
        try:
            return self.get_screen_stack(mode)
        except KeyError:
            return None

    # -- actions ---------------------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        """The palette, one at a time and never over a dialog (ctrl+p typed ahead behind Enter)."""
        from textual.command import CommandPalette

        from workbench.tui.commands import WorkbenchPalette

        if self.use_command_palette and not CommandPalette.is_open(self) and not self.screen.is_modal:  # type: ignore[arg-type]
            self.push_screen(WorkbenchPalette(id="--command-palette"))

    def action_view(self, name: str) -> None:
        if self.screen.is_modal:  # a key queued behind a dialog or the palette: not a view change
            return
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
        """Undo at once what was done in this session; ask first for older work (another day, person)."""
        details = self.project.undo_details()
        if details is None:
            self.notify("nothing to undo", severity="warning")
            return
        if (id(self.project), details.key) in self._done_here:
            self._undo()
            return
        from workbench.tui.widgets.prompt import ConfirmModal

        who = "you" if details.actor == self.project.actor else details.actor
        question = f"Undo “{details.summary}”, done by {who} {_ago(details.time)}, before this session?"
        self.push_screen(ConfirmModal(question), lambda yes: self._undo() if yes else None)

    def _undo(self) -> None:
        summary = self.run_op(self.project.undo)
        if summary:
            self.notify(f"undone: {summary} (ctrl+r redoes it)", severity="warning")

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
        self.retrieval_selection = None
        self.find_request = None
        self.sub_title = self.project.title
        if self.current_mode == "transcript":
            self.switch_mode("home")
        self.refresh_views()
        self.notify(f"now working in {self.project.title!r}")


def _raised_in_plugin(error: BaseException, screen_class: type[Any]) -> bool:
    """Whether the traceback passes through the package that defines the plugin's screen."""
    package = screen_class.__module__.split(".")[0]
    if package in ("workbench", "textual"):
        return False
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__", "").split(".")[0] == package:
            return True
        tb = tb.tb_next
    return False


def run(
    paths: Sequence[Path],
    *,
    host: PluginHost | None = None,
    readonly: bool = False,
    coder: str | None = None,
    screen_reader: bool = False,
) -> int:
    """Entry point for `workbench open`: returns the exit code."""
    app = WorkbenchApp(
        paths, host=host, readonly=readonly, keymap=load_keymap(), actor=coder, screen_reader=screen_reader
    )
    app.run()
    return app.return_code or 0


MAX_ANNOUNCEMENTS = 200


class Announcement(NamedTuple):
    """One message of the session, as the message line shows it (glyph first: never colour alone)."""

    text: str  # "⚠ undone: ...", as shown
    message: str  # the words alone
    severity: str
    at: str  # local time, HH:MM:SS


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")


def _ago(when: str) -> str:
    """`when` (a history time) as a person says it: `3 minutes ago`, `yesterday`, `on 2026-11-02`."""
    try:
        then = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return "earlier"
    seconds = int((datetime.now(UTC) - then).total_seconds())
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    if seconds < 2 * 86400:
        return "yesterday"
    return f"on {then:%Y-%m-%d}"
