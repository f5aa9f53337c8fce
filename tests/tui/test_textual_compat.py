"""The Textual compatibility module: every private it relies on is still there and still does what the
workbench relies on, and nothing outside it uses a private Textual name.

Each failure names the private, the installed Textual version and the public API the workaround stands
in for (see workbench/tui/textual_compat.py and docs/textual-privates.md). The private names themselves
are only ever taken from `INVENTORY` and `RETIRED`, so this file uses none of them.
"""

from __future__ import annotations

import abc
import asyncio
import importlib
import inspect
import re
import tomllib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
import textual
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from textual import events
from textual.app import App, ComposeResult
from textual.await_remove import AwaitRemove
from textual.binding import Binding
from textual.geometry import Size
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from workbench.tui import textual_compat as compat
from workbench.tui.textual_compat import INVENTORY, RETIRED, Private

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "textual-privates.md"
SCANNED = ("workbench", "bench", "tests", "plugins")


def changed(entry: Private, detail: str) -> str:
    """The message of a failed guard: which private, which Textual, what it stood in for."""
    return (
        f"Textual {textual.__version__}: {entry.qualified} ({entry.kind}) has changed: {detail}. "
        f"workbench.tui.textual_compat ({entry.used_by}) relies on it for: {entry.what_for}. "
        f"Public equivalent: {entry.public}. Update the compat module and docs/textual-privates.md "
        f"(tested range {compat.TESTED_TEXTUAL})."
    )


def entry_for(name: str, owner_class: str | None = None) -> Private:
    for entry in INVENTORY:
        if entry.name == name and (owner_class is None or entry.owner.endswith(f":{owner_class}")):
            return entry
    raise AssertionError(f"{name} is not in textual_compat.INVENTORY")


def owner_of(entry: Private) -> Any:
    module, _, cls = entry.owner.partition(":")
    imported = importlib.import_module(module)
    return getattr(imported, cls) if cls else imported


# -- the pin ---------------------------------------------------------------------------------------------
def test_textual_is_pinned_to_the_tested_range_and_installed_within_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [d for d in project["dependencies"] if re.match(r"textual\b", d)]
    assert pins == [f"textual{compat.TESTED_TEXTUAL}"], "pyproject.toml pins textual_compat.TESTED_TEXTUAL"
    assert Version(textual.__version__) in SpecifierSet(compat.TESTED_TEXTUAL), (
        f"Textual {textual.__version__} is outside the tested range {compat.TESTED_TEXTUAL}"
    )


# -- shape: every private is still there, with the signature and type relied on ---------------------------
@pytest.mark.parametrize(
    "entry", [e for e in INVENTORY if e.kind in ("method", "module")], ids=lambda e: e.qualified
)
def test_each_private_method_and_module_name_is_still_there(entry: Private) -> None:
    try:
        owner = owner_of(entry)
    except (ImportError, AttributeError) as error:
        pytest.fail(changed(entry, f"{entry.owner} cannot be imported ({error})"))
    found = getattr(owner, entry.name, None)
    assert found is not None, changed(entry, "it is gone")
    if entry.kind == "module":
        assert inspect.isclass(found), changed(entry, f"it is a {type(found).__name__}, not a class")
        return
    assert callable(found), changed(entry, "it is no longer a method")
    parameters = tuple(inspect.signature(found).parameters)
    assert parameters == entry.parameters, changed(entry, f"its parameters are {parameters}")


def _shape_holds(value: object, shape: str) -> bool:
    if shape == "callable | None":
        return value is None or callable(value)
    if shape == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if shape == "bool":
        return isinstance(value, bool)
    if shape == "set":
        return isinstance(value, set)
    name, _, none = shape.partition(" | ")
    if none and value is None:
        return True
    return any(cls.__name__ == name for cls in type(value).__mro__)


class Shapes(App[None]):
    CSS = "ScrollView { height: 5; } Tree { height: 5; }"

    def compose(self) -> ComposeResult:
        yield Static("static", id="static")
        yield ScrollView(id="scroll")
        yield Tree("root", id="tree")


@pytest.mark.parametrize("entry", [e for e in INVENTORY if e.kind == "attribute"], ids=lambda e: e.qualified)
async def test_each_private_attribute_is_still_there_with_its_type(entry: Private) -> None:
    app = Shapes()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        instances: dict[str, object] = {
            "textual.app:App": app,
            "textual.dom:DOMNode": app,
            "textual.screen:Screen": app.screen,
            "textual.widget:Widget": app.query_one("#scroll"),
            "textual.widgets:Tree": app.query_one("#tree"),
            "textual.await_remove:AwaitRemove": AwaitRemove([], lambda: None),
        }
        instance = instances[entry.owner]
        assert isinstance(instance, owner_of(entry))
        assert hasattr(instance, entry.name), changed(entry, "it is gone")
        value = getattr(instance, entry.name)
        assert _shape_holds(value, entry.shape), changed(
            entry, f"it holds a {type(value).__name__}, not {entry.shape}"
        )


def test_every_private_is_documented_with_what_it_is_for_and_its_public_equivalent() -> None:
    assert len({(e.owner, e.name) for e in INVENTORY}) == len(INVENTORY)
    for entry in INVENTORY:
        assert entry.kind in ("method", "attribute", "module")
        assert entry.name.startswith("_") or "._" in entry.owner, f"{entry.qualified} is not private"
        assert entry.what_for and entry.public, entry.qualified
        for name in entry.used_by.split(","):
            assert hasattr(compat, name.strip()), f"{entry.qualified}: no textual_compat.{name.strip()}"
        if entry.kind == "attribute":
            assert entry.shape, f"{entry.qualified}: no shape to check"
        assert callable(globals().get(entry.guard)), f"{entry.qualified}: its guard {entry.guard} is missing"


# -- behaviour: each workaround still does what it is for -------------------------------------------------
class Lines(Widget):
    """A Line-API widget that counts the rows it draws."""

    DEFAULT_CSS = "Lines { height: 3; }"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drawn = 0

    def render_line(self, y: int) -> Strip:
        self.drawn += 1
        return Strip.blank(self.size.width)


class Plain(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Lines(id="lines")
        yield Static("words on the screen", id="words")


class Held(compat.NoRenderWhileHeld[None]):
    def compose(self) -> ComposeResult:
        yield Lines(id="lines")


class Dialog(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("dialog")


class Small(compat.CompatApp[None]):
    """A tiny app: `plain` shows first; `marked` and `unmarked` are built from MODES factories."""

    def __init__(self) -> None:
        super().__init__()
        self.contained: list[Exception] = []
        self.actions: list[str] = []

    @staticmethod
    def marked() -> Screen[None]:
        screen = Plain()
        compat.mark_styles_current(screen)
        return screen

    MODES = {"plain": Plain, "marked": marked, "unmarked": Plain}  # noqa: RUF012

    def on_mount(self) -> None:
        self.switch_mode("plain")

    def contain_error(self, error: Exception) -> bool:
        self.contained.append(error)
        if not isinstance(error, LookupError):
            return False
        self.pop_screen()  # the failing screen has stopped
        return True

    def action_record(self, what: str) -> None:
        self.actions.append(what)


@asynccontextmanager
async def small(app: App[None] | None = None) -> AsyncIterator[tuple[Pilot[None], Any]]:
    app = app or Small()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause(0.1)  # past the first switch of mode's hold on painting
        yield pilot, app


def _count(monkeypatch: pytest.MonkeyPatch, cls: type[Any], method: str) -> list[Any]:
    """Every call of `cls.method` from now on, by its first argument."""
    calls: list[Any] = []
    original = getattr(cls, method)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append((self, args, kwargs))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, counted)
    return calls


async def test_a_screen_marked_current_is_first_shown_without_refreshing_the_css(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = entry_for("_css_update_count", "App")
    async with small() as (pilot, app):
        refreshed = _count(monkeypatch, App, "refresh_css")
        app.switch_mode("unmarked")
        await pilot.pause()
        assert refreshed, changed(entry, "a new mode's screen no longer refreshes the CSS: moot")
        refreshed.clear()
        app.switch_mode("marked")
        await pilot.pause()
        assert not refreshed, changed(entry, "marking a screen current no longer spares the CSS refresh")


async def test_a_mode_is_built_and_rendered_off_screen_without_being_shown() -> None:
    entry = entry_for("_init_mode")
    async with small() as (pilot, app):
        with pytest.raises(KeyError):
            app.get_screen_stack("marked")
        await compat.init_mode(app, "marked")
        await pilot.pause()
        stack = app.get_screen_stack("marked")
        assert len(stack) == 1 and stack[0].is_mounted, changed(entry, "the mode's screen was not built")
        assert app.current_mode == "plain", changed(entry, "building the mode switched to it")
        lines = stack[0].query_one(Lines)
        compat.render_offscreen(stack[0], app.size)
        assert lines.drawn > 0, changed(entry_for("render_update"), "the off-screen render drew nothing")
        assert not stack[0].is_current


async def test_painting_held_says_whether_a_batch_update_is_open() -> None:
    entry = entry_for("_batch_count")
    async with small() as (_pilot, app):
        assert not compat.painting_held(app), changed(entry, "held outside a batch")
        with app.batch_update():
            assert compat.painting_held(app), changed(entry, "not held inside App.batch_update()")
        assert not compat.painting_held(app), changed(entry, "still held after the batch")


async def test_a_refresh_is_passed_on_and_painted_at_once() -> None:
    async with small() as (pilot, app):
        lines = app.screen.query_one(Lines)
        lines.refresh(layout=True)
        assert compat.layout_pending(lines), changed(entry_for("_layout_required"), "no layout pending")
        assert compat.refresh_pending(lines), changed(entry_for("_repaint_required"), "no refresh pending")
        drawn = lines.drawn
        compat.flush_refresh(lines)
        assert not compat.refresh_pending(lines), changed(entry_for("_check_refresh"), "not passed on")
        seen: list[tuple[bool, int, bool]] = []

        def paint() -> None:  # queued behind the requests: the screen has them, its timer has not run
            pending = compat.render_pending(app)
            compat.update_screen_now(app.screen)
            seen.append((pending, lines.drawn, compat.render_pending(app)))

        app.screen.call_later(paint)
        await pilot.pause()
        [(pending, drawn_now, still_pending)] = seen
        assert pending, changed(entry_for("_dirty_widgets"), "the screen had nothing to paint")
        assert drawn_now > drawn, changed(entry_for("_on_timer_update"), "the screen did not paint at once")
        assert not still_pending, changed(entry_for("_dirty_widgets"), "still pending once painted")


async def test_a_held_screen_renders_nothing_while_the_stock_screen_renders_to_drop_it() -> None:
    entry = entry_for("_compositor_refresh")
    for base, renders in ((Plain, True), (Held, False)):
        async with small(Small()) as (pilot, app):
            app.push_screen(base())
            await pilot.pause()
            lines = app.screen.query_one(Lines)
            drawn = lines.drawn
            with app.batch_update():
                await pilot.resize_terminal(50, 12)  # laid out again, rendered (only to be dropped)
                await pilot.pause()
                rendered = lines.drawn > drawn
            if renders:
                assert rendered, changed(entry, "Textual no longer renders while painting is held: moot")
            else:
                assert not rendered, changed(entry, "a NoRenderWhileHeld screen rendered while held")


async def test_closing_a_dialog_does_not_lay_the_screen_under_it_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = entry_for("_prune")

    class Stock(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Plain())

    for app, relayouts in ((Stock(), True), (Small(), False)):
        async with small(app) as (pilot, running):
            running.push_screen(Dialog())
            await pilot.pause()
            base = running.screen_stack[-2]
            refreshes = _count(monkeypatch, Widget, "refresh")
            running.pop_screen()
            await pilot.pause()
            laid_out = any(w is base and k.get("layout") for w, _a, k in refreshes)
            monkeypatch.undo()
            if relayouts:
                assert laid_out, changed(entry, "Textual no longer lays the view out after a removal: moot")
            else:
                assert not laid_out, changed(entry, "the removed dialog's aftermath laid the view out")


async def test_an_error_no_handler_caught_is_offered_to_contain_error() -> None:
    entry = entry_for("_handle_exception")

    class Failing(Plain):
        def on_key(self, event: events.Key) -> None:
            raise LookupError("contained")

    async with small() as (pilot, app):
        app.push_screen(Failing())
        await pilot.pause()
        app.screen.post_message(events.Key("x", "x"))
        await asyncio.sleep(0.2)
        await pilot.pause()
        assert [str(e) for e in app.contained] == ["contained"], changed(entry, "contain_error was not asked")
        assert app.is_running and app.return_code is None, changed(entry, "the app ended anyway")


async def test_a_binding_added_with_its_id_runs_and_can_be_moved_by_a_keymap() -> None:
    entry = entry_for("_bindings")
    async with small() as (pilot, app):
        assert "x" not in compat.bound_keys(app)
        compat.add_binding(app, Binding("x", "record('x')", "record", id="test.record"))
        assert "x" in compat.bound_keys(app), changed(entry, "the binding was not added")
        await pilot.press("x")
        await pilot.pause()
        assert app.actions == ["x"], changed(entry, "the added binding did not run")
        app.set_keymap({"test.record": "y"})
        await pilot.press("y")
        await pilot.pause()
        assert app.actions == ["x", "x"], changed(entry, "a keymap could not move the binding by its id")


class Rows(ScrollView):
    DEFAULT_CSS = "Rows { height: 5; width: 20; }"

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width)


class RowsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Rows()


async def test_a_new_scroll_range_updates_the_scroll_bars_without_a_layout_pass() -> None:
    entry = entry_for("_scroll_update")
    async with small(RowsApp()) as (pilot, app):
        view = app.query_one(Rows)
        view.set_reactive(ScrollView.virtual_size, Size(20, 100))
        compat.update_scrollbars(view, Size(20, 100))
        await pilot.pause()
        assert view.show_vertical_scrollbar, changed(entry, "the scroll bar did not appear")
        view.set_reactive(ScrollView.virtual_size, Size(20, 120))
        compat.update_scrollbars(view, Size(20, 120))
        assert not compat.layout_pending(view), changed(entry, "it asked for a layout pass")
        assert view.vertical_scrollbar.window_virtual_size == 120, changed(entry, "the thumb was not updated")
        assert view.max_scroll_y == 120 - view.scrollable_content_region.height


class Labels(compat.CompatTree[str]):
    DEFAULT_CSS = "Labels { height: 5; }"

    labelled = 0  # (the Tree measures its root's label as it is made)

    def __init__(self) -> None:
        super().__init__("root")
        self.show_root = False

    def render_label(self, node: TreeNode[str], base_style: Any, style: Any) -> Any:
        self.labelled += 1
        return super().render_label(node, base_style, style)


class TreeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Labels()


async def test_a_tree_filled_in_bulk_is_invalidated_once_and_can_forget_its_drawn_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with small(TreeApp()) as (pilot, app):
        tree = app.query_one(Labels)
        layouts = _count(monkeypatch, Widget, "refresh")
        with tree.bulk_update():
            for n in range(50):
                tree.root.add_leaf(f"code {n}")
        laid_out = [1 for w, _a, k in layouts if w is tree and k.get("layout")]
        layouts.clear()
        for n in range(5):
            tree.root.add_leaf(f"late {n}")
        stock = [1 for w, _a, k in layouts if w is tree and k.get("layout")]
        monkeypatch.undo()
        entry = entry_for("_invalidate")
        assert laid_out == [1], changed(entry, f"{len(laid_out)} invalidations for 50 nodes")
        assert len(stock) == 5, changed(entry, "TreeNode.add no longer invalidates per node: moot")
        with tree.bulk_update():
            tree.clear()
            for n in range(50):
                tree.root.add_leaf(f"code {n}")
        await pilot.pause()
        assert tree.last_line == 49
        drawn = tree.labelled
        tree.refresh()
        await pilot.pause()
        assert tree.labelled == drawn, changed(entry_for("_line_cache"), "drawn lines are not cached: moot")
        tree.forget_drawn_lines()
        tree.refresh()
        await pilot.pause()
        assert tree.labelled > drawn, changed(entry_for("_line_cache"), "the drawn lines were not forgotten")


async def test_frames_are_heard_with_their_terminal_bytes_and_the_screen_text_can_be_read() -> None:
    app = Small()
    frames: list[tuple[Screen[Any], Any]] = []
    compat.add_frame_listener(app, lambda screen, update: frames.append((screen, update)))
    async with small(app) as (pilot, _app):
        await pilot.pause(0.1)
        assert frames, changed(entry_for("_display"), "no frame was heard")
        screen, update = frames[-1]
        assert screen is app.screen
        assert "words on the screen" in compat.terminal_bytes(app, update), changed(
            entry_for("CompositorUpdate"), "a frame's terminal bytes lack the screen's words"
        )
        assert any("words on the screen" in line for line in compat.screen_lines(app.screen)), changed(
            entry_for("render_strips"), "the screen's lines lack its words"
        )
        frames.clear()
        with app.batch_update():
            app.screen.refresh()
            await pilot.pause(0.1)
            assert not frames, changed(entry_for("_batch_count"), "a frame dropped while held was heard")


# -- nothing else uses a private Textual name -------------------------------------------------------------
def _sources() -> Iterator[Path]:
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".venv" not in path.parts and path != ROOT / "workbench" / "tui" / "textual_compat.py":
                yield path


PRIVATE_IMPORT = re.compile(
    r"^\s*(from\s+textual(\.\w+)*\s+import\s+.*\b_\w|(from|import)\s+textual(\.\w+)*\._)", re.M
)


def test_no_source_outside_the_compat_module_uses_a_private_textual_name() -> None:
    names = sorted({e.name for e in INVENTORY if e.name.startswith("_")} | set(RETIRED))
    uses = re.compile(r"(?:\.|\bdef\s+)(" + "|".join(map(re.escape, names)) + r")\b")
    found: list[str] = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            if uses.search(line) or PRIVATE_IMPORT.search(line):
                found.append(where)
    assert not found, (
        "private Textual names outside workbench/tui/textual_compat.py (add a named function there, "
        "with its INVENTORY entry, or use the public API):\n" + "\n".join(found)
    )


def _textual_private_names(cls: type) -> set[str]:
    """The private names Textual's own classes in `cls`'s bases define (class-level or `self._x =`)."""
    names: set[str] = set()
    for base in cls.__mro__:
        if not base.__module__.startswith("textual"):
            continue
        names.update(n for n in vars(base) if n.startswith("_") and not n.startswith("__"))
        with suppress(OSError, TypeError):  # no source: nothing assigned in it to read
            names.update(re.findall(r"self\.(_[a-z]\w*)\s*(?::[^=\n]+)?=", inspect.getsource(base)))
    return names


def _own_private_names(cls: type) -> set[str]:
    names = {n for n in vars(cls) if n.startswith("_") and not n.startswith("__")}
    with suppress(OSError, TypeError):
        names.update(re.findall(r"self\.(_[a-z]\w*)\s*(?::[^=\n]+)?=", inspect.getsource(cls)))
    return names


def _classes() -> Iterator[type]:
    """The classes of every workbench or plugin module that imports Textual (but this one's)."""
    for path in (*sorted((ROOT / "workbench").rglob("*.py")), *sorted((ROOT / "plugins").rglob("*.py"))):
        if path == ROOT / "workbench" / "tui" / "textual_compat.py" or not TEXTUAL_IMPORT.search(
            path.read_text(encoding="utf-8")
        ):
            continue
        top = ROOT / "plugins" if path.is_relative_to(ROOT / "plugins") else ROOT  # plugins are top-level
        parts = path.relative_to(top).with_suffix("").parts
        module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                yield value


TEXTUAL_IMPORT = re.compile(r"^\s*(from|import)\s+textual\b", re.M)


def test_no_class_outside_the_compat_module_overrides_or_shadows_a_private_textual_name() -> None:
    class Probe(Widget):  # what Textual's metaclass puts in every subclass
        pass

    class Abstract(abc.ABC):  # noqa: B024 (what abc puts in every abstract class: Textual's command Provider)
        pass

    automatic = set(vars(Probe)) | set(vars(type("AppProbe", (App,), {}))) | set(vars(Abstract))
    found: list[str] = []
    for cls in _classes():
        textual_bases = [b for b in cls.__mro__[1:] if b.__module__.startswith("textual")]
        if not textual_bases:
            continue
        clashes = (_own_private_names(cls) & _textual_private_names(textual_bases[0])) - automatic
        found.extend(f"{cls.__module__}.{cls.__qualname__}.{name}" for name in sorted(clashes))
    assert not found, (
        "these override or shadow a private name of a Textual base class (rename them, or move the "
        "override into workbench/tui/textual_compat.py with an INVENTORY entry):\n" + "\n".join(found)
    )


# -- the report and the docs ------------------------------------------------------------------------------
def test_the_report_says_which_public_api_each_workaround_stands_in_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert compat.main([]) == 0
    report = capsys.readouterr().out
    for entry in INVENTORY:
        assert f"- {entry.qualified} ({entry.kind})" in report
        assert f"public: {entry.public}" in report
    with capsys.disabled():  # shown in the test run's output (`pytest -s`, or with -rP)
        print("\n" + report)


def test_the_docs_inventory_is_the_compat_modules() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert compat.markdown_table() in text, (
        "docs/textual-privates.md is out of date: paste `python -m workbench.tui.textual_compat --markdown`"
    )
    for entry in INVENTORY:
        assert f"`{entry.qualified}`" in text
