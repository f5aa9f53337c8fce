"""Every use of a private (underscore) Textual name in the project, and nothing else.

Textual's private names can change in any release. The workbench, its plugins, its benchmarks and its
tests use the public API everywhere else; what is here has no public equivalent that keeps the measured
behaviour (bench/README.md, "TUI benchmark"), and each piece says which private it touches, why, and
which public API it stands in for. `INVENTORY` lists them; `tests/tui/test_textual_compat.py` checks
every entry against the installed Textual (its shape and its behaviour) and fails naming the private
and the Textual version when an upgrade changes one; docs/textual-privates.md is generated from it
(`python -m workbench.tui.textual_compat --markdown`). Textual is pinned to `TESTED_TEXTUAL`.

Run `python -m workbench.tui.textual_compat` to print which public API each workaround stands in for.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self, TypeVar

import textual
from textual.app import App
from textual.await_remove import AwaitRemove
from textual.binding import Binding
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Tree

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.scroll_view import ScrollView

__all__ = [
    "INVENTORY",
    "REPLACED",
    "RETIRED",
    "TESTED_TEXTUAL",
    "CompatApp",
    "CompatTree",
    "NoRenderWhileHeld",
    "Private",
    "add_binding",
    "add_frame_listener",
    "bound_keys",
    "flush_refresh",
    "init_mode",
    "layout_pending",
    "main",
    "mark_styles_current",
    "markdown_table",
    "painting_held",
    "refresh_pending",
    "render_offscreen",
    "render_pending",
    "report",
    "screen_lines",
    "terminal_bytes",
    "update_screen_now",
    "update_scrollbars",
]

TESTED_TEXTUAL = ">=8.2,<9"
"""The Textual versions this module is tested against: the pin in pyproject.toml (a test keeps them equal)."""

_R = TypeVar("_R")
_S = TypeVar("_S")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Private:
    """One private Textual name the project relies on."""

    owner: str
    """Where it lives, "module:Class" (or "module" for a module-level name)."""
    name: str
    """The private name itself."""
    kind: str
    """"method" (called or overridden), "attribute" (read or written on an instance), or "module"."""
    used_by: str
    """The function or class of this module that touches it."""
    what_for: str
    """Why the workbench needs it: what it gains over the public API (with the measurement, if any)."""
    public: str
    """The public API it stands in for, or "none"."""
    parameters: tuple[str, ...] = ()
    """For a method: the parameter names this module calls or overrides it with (checked by the tests)."""
    shape: str = ""
    """For an attribute: the type of value relied on ("int", "bool", "set", "callable | None", or a
    class name, "X | None" allowing None); checked by the tests on a running app."""
    guard: str = ""
    """The test in tests/tui/test_textual_compat.py that checks it still does what it is used for
    (besides the shape test every entry has)."""

    @property
    def qualified(self) -> str:
        """`Class._name` (or `module._name`), as the docs and error messages name it."""
        module, _, cls = self.owner.partition(":")
        return f"{cls or module}.{self.name}"


INVENTORY: tuple[Private, ...] = (
    Private(
        "textual.app:App",
        "_css_update_count",
        "attribute",
        "mark_styles_current",
        "a mode's screen built from `MODES` starts 'out of date' with the app's CSS, so its first "
        "visit re-parses every stylesheet source from cold, twice (~100 ms on the workbench's views); "
        "a screen never shown has nothing stale",
        "App.refresh_css() (what Textual runs instead: the full re-parse)",
        shape="int",
        guard="test_a_screen_marked_current_is_first_shown_without_refreshing_the_css",
    ),
    Private(
        "textual.screen:Screen",
        "_css_update_count",
        "attribute",
        "mark_styles_current",
        "the screen's side of the same count",
        "App.refresh_css()",
        shape="int",
        guard="test_a_screen_marked_current_is_first_shown_without_refreshing_the_css",
    ),
    Private(
        "textual.app:App",
        "_init_mode",
        "method",
        "init_mode",
        "builds a view's mode (its screen stack, mounted) ahead of its first visit without showing it: "
        "the codebook and retrieval views' first visit then costs what a later one does "
        "(~70 ms, not ~120-250 ms)",
        "App.switch_mode() (which also shows the view)",
        ("self", "mode"),
        guard="test_a_mode_is_built_and_rendered_off_screen_without_being_shown",
    ),
    Private(
        "textual.screen:Screen",
        "_refresh_layout",
        "method",
        "render_offscreen",
        "lays a view built ahead out at the terminal's size, off screen, so the first layout of its "
        "widgets is paid during the read-ahead, not at its first visit",
        "none (a screen is laid out only while it is shown)",
        ("self", "size", "scroll"),
        guard="test_a_mode_is_built_and_rendered_off_screen_without_being_shown",
    ),
    Private(
        "textual.screen:Screen",
        "_compositor",
        "attribute",
        "render_offscreen, screen_lines",
        "renders a view built ahead once off screen (first renders of its widgets paid ahead); tests "
        "read the screen's text from it",
        "App.export_screenshot() (an SVG of the shown screen only)",
        shape="Compositor",
        guard="test_a_mode_is_built_and_rendered_off_screen_without_being_shown",
    ),
    Private(
        "textual._compositor:Compositor",
        "render_update",
        "method",
        "render_offscreen",
        "the off-screen render of a view built ahead (a public method of a private class)",
        "none",
        ("self", "full", "screen_stack", "simplify"),
        guard="test_a_mode_is_built_and_rendered_off_screen_without_being_shown",
    ),
    Private(
        "textual._compositor:Compositor",
        "render_strips",
        "method",
        "screen_lines",
        "tests: the screen's rows as text (a public method of a private class)",
        "App.export_screenshot() (SVG)",
        ("self", "size"),
        guard="test_frames_are_heard_with_their_terminal_bytes_and_the_screen_text_can_be_read",
    ),
    Private(
        "textual.widget:Widget",
        "_check_refresh",
        "method",
        "flush_refresh",
        "hands the screen the repaints and layout requests its widgets asked for, now: the transcript's "
        "status line, side pane and scroll bars land in the same frame as the text, not in a second "
        "frame ~30 ms later",
        "Widget.refresh() (passed on only when the widget's own message queue falls idle)",
        ("self",),
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.widget:Widget",
        "_repaint_required",
        "attribute",
        "flush_refresh, refresh_pending, render_pending",
        "whether a widget (or the screen) has a repaint it has not passed on yet",
        "none",
        shape="bool",
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.widget:Widget",
        "_layout_required",
        "attribute",
        "flush_refresh, layout_pending, refresh_pending, render_pending",
        "whether a widget (or the screen) has a layout request it has not passed on yet",
        "none",
        shape="bool",
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.widget:Widget",
        "_vertical_scrollbar",
        "attribute",
        "flush_refresh",
        "a widget's vertical scroll bar if it has one, without creating it",
        "Widget.vertical_scrollbar (creates one when there is none)",
        shape="ScrollBar | None",
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.widget:Widget",
        "_horizontal_scrollbar",
        "attribute",
        "flush_refresh",
        "a widget's horizontal scroll bar if it has one, without creating it",
        "Widget.horizontal_scrollbar (creates one when there is none)",
        shape="ScrollBar | None",
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.app:App",
        "_batch_count",
        "attribute",
        "painting_held, NoRenderWhileHeld, add_frame_listener, render_pending",
        "whether painting is held (a switch of view, `App.batch_update`): nothing is rendered meanwhile, "
        "and benchmarks and tests count only frames actually shown",
        "App.batch_update() holds painting but cannot be asked whether it is held",
        shape="int",
        guard="test_painting_held_says_whether_a_batch_update_is_open",
    ),
    Private(
        "textual.screen:Screen",
        "_on_timer_update",
        "method",
        "update_screen_now",
        "paints a view that has just refreshed itself at once, not at the update timer's next tick "
        "(17-33 ms later); switching views was >= 50 ms before",
        "Screen.refresh() (painted at the update timer's next tick)",
        ("self",),
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.screen:Screen",
        "_compositor_refresh",
        "method",
        "NoRenderWhileHeld",
        "renders nothing while painting is held: Textual would render the frame only to drop it "
        "(~15 ms for a full view), and the release repaints the whole screen anyway",
        "App.batch_update() (which drops the frame, but only after rendering it)",
        ("self",),
        guard="test_a_held_screen_renders_nothing_while_the_stock_screen_renders_to_drop_it",
    ),
    Private(
        "textual.app:App",
        "_prune",
        "method",
        "CompatApp",
        "removing a screen (a closed dialog) does not lay the view under it out again: closing the "
        "code picker cost two frames more than the coding it applied, ~30 ms after it",
        "none (Widget.remove() and App.pop_screen() always end in a layout pass of the app)",
        ("self", "nodes", "parent"),
        guard="test_closing_a_dialog_does_not_lay_the_screen_under_it_out_again",
    ),
    Private(
        "textual.await_remove:AwaitRemove",
        "_post_remove",
        "attribute",
        "CompatApp",
        "the aftermath of a removal, run without its layout pass (see App._prune)",
        "none",
        shape="callable | None",
        guard="test_closing_a_dialog_does_not_lay_the_screen_under_it_out_again",
    ),
    Private(
        "textual.app:App",
        "_handle_exception",
        "method",
        "CompatApp",
        "an unhandled error in a plugin's screen closes that screen and disables the plugin instead of "
        "ending the researcher's session",
        "none (App.run_action errors can be caught; handler errors reach only this)",
        ("self", "error"),
        guard="test_an_error_no_handler_caught_is_offered_to_contain_error",
    ),
    Private(
        "textual.dom:DOMNode",
        "_bindings",
        "attribute",
        "bound_keys, add_binding",
        "binds each plugin screen's key with a binding id, so a keymap can move it like any other key",
        "App.bind() (no binding id, so a keymap cannot rebind it)",
        shape="BindingsMap",
        guard="test_a_binding_added_with_its_id_runs_and_can_be_moved_by_a_keymap",
    ),
    Private(
        "textual.scroll_view:ScrollView",
        "_scroll_update",
        "method",
        "update_scrollbars",
        "a fixed-size Line-API view's new scroll range updates its scroll bars without a layout pass "
        "of the whole screen (assigning `virtual_size` costs one or two extra frames)",
        "assigning ScrollView.virtual_size (asks for a layout pass of the screen)",
        ("self", "virtual_size"),
        guard="test_a_new_scroll_range_updates_the_scroll_bars_without_a_layout_pass",
    ),
    Private(
        "textual.widgets:Tree",
        "_invalidate",
        "method",
        "CompatTree",
        "building the codebook's 400 codes invalidates the tree once, not once per node added "
        "(3 ms, not 7-8 ms, per rebuild)",
        "TreeNode.add() (invalidates the whole tree each time)",
        ("self",),
        guard="test_a_tree_filled_in_bulk_is_invalidated_once_and_can_forget_its_drawn_lines",
    ),
    Private(
        "textual.widgets:Tree",
        "_line_cache",
        "attribute",
        "CompatTree",
        "a style change (sent each time a view is shown again) forgets the drawn lines only; the stock "
        "Tree lays every code out again and asks for a layout of the screen (about a third of showing "
        "the codebook)",
        "TreeNode.refresh() on every node (0.4 ms vs 6 ms for 400 codes)",
        shape="LRUCache",
        guard="test_a_tree_filled_in_bulk_is_invalidated_once_and_can_forget_its_drawn_lines",
    ),
    Private(
        "textual.app:App",
        "_display",
        "method",
        "add_frame_listener",
        "benchmarks and tests: the moment each frame is shown (headless, it is never written)",
        "none",
        ("self", "screen", "renderable"),
        guard="test_frames_are_heard_with_their_terminal_bytes_and_the_screen_text_can_be_read",
    ),
    Private(
        "textual._compositor",
        "CompositorUpdate",
        "module",
        "terminal_bytes",
        "benchmarks: turning a frame into the bytes a real terminal is sent (headless skips it)",
        "none",
        shape="class",
        guard="test_frames_are_heard_with_their_terminal_bytes_and_the_screen_text_can_be_read",
    ),
    Private(
        "textual.screen:Screen",
        "_scroll_required",
        "attribute",
        "render_pending",
        "benchmarks: whether the screen still has a scroll update to paint",
        "none",
        shape="bool",
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
    Private(
        "textual.screen:Screen",
        "_dirty_widgets",
        "attribute",
        "render_pending",
        "benchmarks: whether the screen still has widgets to paint",
        "none",
        shape="set",
        guard="test_a_refresh_is_passed_on_and_painted_at_once",
    ),
)

REPLACED: tuple[tuple[str, str], ...] = (
    ("textual._context.active_app", "MessagePump.app (a screen built by its app's MODES factory)"),
    ("App._screen_stacks", "App.get_screen_stack(mode) (KeyError for a mode not built yet)"),
    ("App._current_mode", "App.get_screen_stack() (the current mode's stack)"),
    ("App._begin_batch / App._end_batch", "App.batch_update(), entered and left by hand"),
    ("MessagePump._parent", "DOMNode.parent"),
    ("App._keymap (clobbered by the app's own attribute)", "renamed; App.set_keymap() as before"),
    ("Widget._on_click (overridden)", "an on_click handler"),
    ("Input._on_key (overridden)", "on_key handlers"),
    ("App._driver.send_message (tests)", "App.post_message()"),
    ("WorkerManager._workers (tests)", "bool(App.workers)"),
    ("Tree._tree_lines (tests)", "Tree.get_node_at_line() and Tree.last_line"),
    ("App._notifications (tests)", "an App.notify override that records"),
    ("Screen._dirty_widgets in a Screen._compositor_refresh spy (tests)", "Widget.render_lines spy"),
    ("Compositor.render_update spy (tests)", "a spy on render_offscreen"),
)
"""Privates the project used before and reaches through the public API now."""

RETIRED: tuple[str, ...] = (
    "_screen_stacks",
    "_current_mode",
    "_begin_batch",
    "_end_batch",
    "_parent",
    "_keymap",
    "_on_click",
    "_on_key",
    "_driver",
    "_workers",
    "_tree_lines",
    "_notifications",
    "_context",
)
"""The private names of `REPLACED`: like `INVENTORY`'s, no source outside this module may use them."""


# -- styles ------------------------------------------------------------------------------------------
def mark_styles_current(screen: Screen[Any]) -> None:
    """Mark a screen that has never been shown as up to date with its app's CSS.

    Private: `App._css_update_count`, `Screen._css_update_count`. Stands in for `App.refresh_css()`,
    which Textual runs on a new mode's first visit because the fresh screen's count is 0: it re-parses
    every stylesheet source from cold, twice (~100 ms on the workbench's sources). A screen that was
    never shown has nothing stale: its widgets take their styles from the current stylesheet when they
    mount. Theme changes still refresh every screen (they bump the app's count). Call it in the
    factory that `MODES` names, inside the app (`screen.app` is the running app).
    """
    screen._css_update_count = screen.app._css_update_count


# -- modes -------------------------------------------------------------------------------------------
def init_mode(app: App[Any], mode: str) -> AwaitMount:
    """Build `mode`'s screen stack (its screen created and mounted) without switching to it.

    Private: `App._init_mode`. Stands in for `App.switch_mode()`, which also shows the view.
    """
    return app._init_mode(mode)


def render_offscreen(screen: Screen[Any], size: Size) -> None:
    """Lay `screen` out at `size` and render it once, off screen: what its first frame pays for once
    only (first layout and first renders of its widgets) is paid now. Nothing is shown.

    Private: `Screen._refresh_layout`, `Screen._compositor`, `Compositor.render_update`. No public
    equivalent: Textual lays a screen out only while it is shown.
    """
    screen._refresh_layout(size)
    screen._compositor.render_update(full=True)


# -- painting ----------------------------------------------------------------------------------------
def painting_held(app: App[Any]) -> bool:
    """Whether the app holds painting now (`App.batch_update()`, `App.delay_update()`).

    Private: `App._batch_count`. `App.batch_update()` holds painting; nothing public says it is held.
    """
    return bool(app._batch_count)


def refresh_pending(widget: Widget) -> bool:
    """Whether `widget` asked for a repaint or a layout it has not yet passed on to its screen.

    Private: `Widget._repaint_required`, `Widget._layout_required`. No public equivalent.
    """
    return bool(widget._repaint_required or widget._layout_required)


def layout_pending(widget: Widget) -> bool:
    """Whether `widget` asked for a layout pass it has not yet passed on to its screen.

    Private: `Widget._layout_required`. No public equivalent.
    """
    return bool(widget._layout_required)


def flush_refresh(widget: Widget) -> None:
    """Pass `widget`'s pending repaint and layout requests (and its scroll bars') to its screen now.

    A widget asks its screen to repaint it when the widget's own message queue falls idle, and the
    screen paints as soon as *its* queue does, so widgets updated in answer to one key landed in a
    second frame. Private: `Widget._check_refresh`, `Widget._vertical_scrollbar`,
    `Widget._horizontal_scrollbar` (the scroll bars it has, without creating any), and the flags of
    `refresh_pending`. Stands in for `Widget.refresh()`, which passes them on only when idle.
    """
    for part in (widget, widget._vertical_scrollbar, widget._horizontal_scrollbar):
        if part is not None and refresh_pending(part):
            part._check_refresh()


def update_screen_now(screen: Screen[Any]) -> None:
    """Paint `screen` now: its layout, scroll and repaints, as its update timer does on each tick.

    Private: `Screen._on_timer_update`. Stands in for `Screen.refresh()`, which paints at the update
    timer's next tick (17-33 ms after a frame).
    """
    screen._on_timer_update()


class NoRenderWhileHeld(Screen[_S]):
    """A screen that renders nothing while its app holds painting (`painting_held`).

    Textual renders a screen laid out while painting is held (a switch of view) only to drop the frame
    (~15 ms for a full view); the release repaints the whole screen anyway. Private: overrides
    `Screen._compositor_refresh`. Stands in for `App.batch_update()`, which drops the frame only after
    rendering it.
    """

    def _compositor_refresh(self) -> None:
        if painting_held(self.app):
            return
        super()._compositor_refresh()


def update_scrollbars(view: ScrollView, size: Size) -> None:
    """Bring `view`'s scroll bars (and scroll position) in line with a new virtual `size`.

    For a view whose own size does not depend on what it shows: its new scroll range is set with
    `Widget.set_reactive` and this updates the scroll bars, without the layout pass of the whole
    screen (and the second one after it) that assigning `virtual_size` asks for. Private:
    `ScrollView._scroll_update`.
    """
    view._scroll_update(size)


# -- the app -----------------------------------------------------------------------------------------
class CompatApp(App[_R]):
    """An App with two hooks Textual has no public way to offer.

    - Removing a screen from the DOM (a closed dialog) does not lay the view under it out again.
      Textual's aftermath of any removal refreshes the parent with a layout pass; a screen's parent is
      the app, which passes that on to the whole current view, twice (the removal is awaited and also
      scheduled): closing the code picker cost two frames more than the coding it applied, ~30 ms
      after it. The view is repainted in full when it resumes, and a screen that has gone takes no
      part in its layout; the rest of the aftermath (mouse-over state) still runs. Private: overrides
      `App._prune` and replaces `AwaitRemove._post_remove`.
    - `contain_error(error)`: an unhandled error in an event handler is offered to it first; when it
      returns True the app keeps running. Private: overrides `App._handle_exception`.
    """

    _removal_aftermath = False  # class-level: Textual calls `refresh` from App.__init__

    def contain_error(self, error: Exception) -> bool:
        """Called with an error no handler caught: True if it was dealt with (the app goes on)."""
        return False

    def _handle_exception(self, error: Exception) -> None:
        if not self.contain_error(error):
            super()._handle_exception(error)

    def _prune(self, *nodes: Widget, parent: DOMNode | None = None) -> AwaitRemove:
        removal = super()._prune(*nodes, parent=parent)
        if nodes and parent is self:
            aftermath = removal._post_remove

            def without_relayout() -> None:
                self._removal_aftermath = True
                try:
                    if aftermath is not None:
                        aftermath()
                finally:
                    self._removal_aftermath = False

            removal._post_remove = without_relayout
        return removal

    def refresh(self, *, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        if self._removal_aftermath and not recompose:
            return self  # a removed screen's aftermath (see the class docstring)
        return super().refresh(repaint=repaint, layout=layout, recompose=recompose)


def bound_keys(node: DOMNode) -> set[str]:
    """The keys `node`'s own bindings use (BINDINGS, and those added with `add_binding`).

    Private: `DOMNode._bindings`. No public equivalent before the node is mounted.
    """
    return set(node._bindings.key_to_bindings)


def add_binding(node: DOMNode, binding: Binding) -> None:
    """Add `binding` (with its id, so a keymap can rebind it) to `node`'s bindings.

    Private: `DOMNode._bindings`. Stands in for `App.bind()`, which takes no binding id.
    """
    node._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)


# -- the codebook's tree -----------------------------------------------------------------------------
class CompatTree(Tree[_T]):
    """A Tree that can be filled in one go and can forget its drawn lines alone.

    - `bulk_update()`: nodes added inside it do not invalidate the tree each (`TreeNode.add` does,
      and for 400 codes that was 7-8 ms per rebuild, 3 ms with one invalidation at the end). Private:
      overrides `Tree._invalidate`.
    - `forget_drawn_lines()`: the drawn lines only, for a style change; the tree's lines and layout
      stay. Private: `Tree._line_cache`. Stands in for `TreeNode.refresh()` on every node (15 times
      slower for 400 codes).
    """

    _bulk = False

    def _invalidate(self) -> None:
        if not self._bulk:
            super()._invalidate()

    @contextmanager
    def bulk_update(self) -> Iterator[None]:
        """Add nodes inside this; the tree is invalidated once, when it ends without an error."""
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
        self._invalidate()

    def forget_drawn_lines(self) -> None:
        """Forget the drawn lines (their look changed), keeping the tree's lines and layout."""
        self._line_cache.clear()


# -- benchmarks and tests ----------------------------------------------------------------------------
def add_frame_listener(app: App[Any], listener: Callable[[Screen[Any], RenderableType], object]) -> None:
    """Call `listener(screen, update)` after each frame the app shows (a frame dropped while painting
    is held is not one). Headless, that is the frame the driver would write.

    Private: wraps the instance's `App._display`. No public equivalent. For benchmarks and tests.
    """
    display = app._display

    def displayed(screen: Screen[Any], renderable: RenderableType | None) -> None:
        display(screen, renderable)
        if renderable is not None and not painting_held(app):
            listener(screen, renderable)

    app._display = displayed  # type: ignore[method-assign]


def terminal_bytes(app: App[Any], update: RenderableType) -> str:
    """What a terminal would be sent for a frame `add_frame_listener` was given ("" if not a
    compositor update). Private: `textual._compositor.CompositorUpdate`. For benchmarks."""
    from textual._compositor import CompositorUpdate

    if isinstance(update, CompositorUpdate):
        return update.render_segments(app.console)
    return ""


def render_pending(app: App[Any]) -> bool:
    """Whether the app still has something to paint: painting held, or the current screen has a
    layout, scroll or repaint pending, or dirty widgets. Private: `App._batch_count`,
    `Screen._layout_required`, `Screen._scroll_required`, `Screen._repaint_required`,
    `Screen._dirty_widgets`. For benchmarks and tests."""
    screen = app.screen
    return bool(
        painting_held(app)
        or screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._dirty_widgets
    )


def screen_lines(screen: Screen[Any]) -> list[str]:
    """The screen as last laid out, one string per row. Private: `Screen._compositor`,
    `Compositor.render_strips`. Stands in for `App.export_screenshot()` (SVG). For tests."""
    return [strip.text for strip in screen._compositor.render_strips()]


# -- the report --------------------------------------------------------------------------------------
def report() -> str:
    """Which public API each workaround stands in for, one private per entry (plain text)."""
    lines = [f"Textual {textual.__version__} (tested {TESTED_TEXTUAL}): {len(INVENTORY)} private names used"]
    for entry in INVENTORY:
        lines.append(f"- {entry.qualified} ({entry.kind}) in textual_compat.{entry.used_by}")
        lines.append(f"    for:    {entry.what_for}")
        lines.append(f"    public: {entry.public}")
        lines.append(f"    test:   tests/tui/test_textual_compat.py::{entry.guard}")
    lines.append("Replaced by the public API:")
    lines.extend(f"- {old} -> {new}" for old, new in REPLACED)
    return "\n".join(lines)


def markdown_table() -> str:
    """The inventory as the Markdown table of docs/textual-privates.md."""
    rows = [
        "| private | kind | used by (`textual_compat`) | what for | public equivalent | guarded by |",
        "|---|---|---|---|---|---|",
    ]
    for entry in INVENTORY:
        used_by = ", ".join(f"`{name.strip()}`" for name in entry.used_by.split(","))
        rows.append(
            f"| `{entry.qualified}` | {entry.kind} | {used_by} | {entry.what_for} | {entry.public} "
            f"| `{entry.guard}` |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Which private Textual names the workbench uses, and why.")
    parser.add_argument("--markdown", action="store_true", help="the table of docs/textual-privates.md")
    args = parser.parse_args(argv)
    print(markdown_table() if args.markdown else report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
