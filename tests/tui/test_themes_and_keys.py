"""Themes, limited terminals and keys: what keeps the app usable over SSH in 16 colours or none.

The binding checks walk every screen and widget module that exists under `workbench.tui`, so views
that are still being written are checked as soon as they land, without editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual.constants
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import DataTable

import workbench.tui.app as app_module
import workbench.tui.screens
import workbench.tui.widgets
from tests.tui.conftest import reopen, wait_until_open
from workbench.core.errors import BadInputError
from workbench.tui.app import WorkbenchApp
from workbench.tui.keymap import load_keymap
from workbench.tui.screens.home import HomeScreen
from workbench.tui.themes import load_themes, theme_dirs

BUNDLED = Path(__file__).resolve().parents[2] / "themes"

# Keys that many terminals never deliver as themselves (STYLE.md): they arrive as another key
# (ctrl+h is backspace, ctrl+i tab, ctrl+m enter, ctrl+[ escape) or not at all.
SWALLOWED = {
    "ctrl+enter",
    "shift+enter",
    "ctrl+slash",
    "ctrl+/",
    "ctrl+h",
    "ctrl+i",
    "ctrl+m",
    "ctrl+left_square_bracket",
    "ctrl+backspace",
}
SWALLOWED_MODIFIERS = {"cmd", "super", "hyper", "meta"}


# -- themes ----------------------------------------------------------------------------------------
def bundled_theme_names() -> list[str]:
    return sorted(tomllib.loads(path.read_text(encoding="utf-8"))["name"] for path in BUNDLED.glob("*.toml"))


def test_every_bundled_theme_file_loads() -> None:
    assert BUNDLED.resolve() in [d.resolve() for d in theme_dirs()]
    themes, errors = load_themes([BUNDLED])
    assert errors == []
    assert sorted(t.name for t in themes) == bundled_theme_names()
    assert {"workbench-dark", "workbench-light", "high-contrast", "ansi"} <= {t.name for t in themes}


async def test_every_bundled_theme_can_be_applied_to_the_running_app(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for name in bundled_theme_names():
            app.theme = name
            await pilot.pause()
            assert app.theme == name
            for key, view in (("5", "MemosScreen"), ("6", "HistoryScreen"), ("1", "HomeScreen")):
                await pilot.press(key)
                await pilot.pause()
                assert type(app.screen).__name__ == view, name
            assert "Alex" in app.export_screenshot()  # the view still paints in this theme


def test_a_broken_theme_file_is_skipped_with_a_message_naming_it(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "#5fafd7"\ndark = true\n')
    (tmp_path / "syntax.toml").write_text('name = "syntax"\nprimary = \n')
    (tmp_path / "unknown.toml").write_text('name = "unknown"\nprimary = "#000000"\nsparkle = true\n')
    (tmp_path / "missing.toml").write_text('name = "missing"\n')  # no primary colour
    themes, errors = load_themes([tmp_path])
    assert [t.name for t in themes] == ["good"]
    assert len(errors) == 3
    for name in ("syntax", "unknown", "missing"):
        assert any(str(tmp_path / f"{name}.toml") in e and "theme skipped" in e for e in errors)
    assert any("sparkle" in e for e in errors)


async def test_the_app_starts_despite_a_broken_theme_and_keeps_the_message(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    themes_dir = tmp_path / "themes"
    themes_dir.mkdir()
    (themes_dir / "bad.toml").write_text("name = [\n")
    monkeypatch.setattr(app_module, "load_themes", lambda: load_themes([BUNDLED, themes_dir]))
    app = WorkbenchApp([project_dir])
    assert len(app.startup_warnings) == 1 and "bad.toml" in app.startup_warnings[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.theme == "workbench-dark"


# -- limited terminals -----------------------------------------------------------------------------
async def test_no_color_still_renders_the_home_view_at_80x24(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = WorkbenchApp([project_dir])
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#home-sources", DataTable).row_count == 2
        screen = app.export_screenshot()
        assert "Alex" in screen
        assert "◐" in screen  # status is a glyph and a word, not a colour


async def test_sixteen_colours_with_the_ansi_theme_still_render_the_home_view(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")  # read once, at import
    app = WorkbenchApp([project_dir])
    assert app.console.color_system == "standard"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "ansi"
        await pilot.pause()
        assert app.current_theme.ansi
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#home-sources", DataTable).row_count == 2
        assert "Jas" in app.export_screenshot()


# -- user keymaps ----------------------------------------------------------------------------------
async def test_a_user_keymap_rebinds_undo_by_its_id(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\n"app.undo" = "y"\n')
    monkeypatch.setenv("WORKBENCH_KEYMAP", str(keymap))
    app = WorkbenchApp([project_dir], keymap=load_keymap())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")  # no longer undo
        with reopen(project_dir) as p:
            assert len(p.rows("codings")) == 1
        await pilot.press("y", "y")  # undo; yes, the coding made before this session
        with reopen(project_dir) as p:
            assert p.rows("codings") == []


def test_a_malformed_keymap_raises_an_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keymap = tmp_path / "keymap.toml"
    monkeypatch.setenv("WORKBENCH_KEYMAP", str(keymap))
    keymap.write_text('[keys\n"app.undo" = "y"\n')
    with pytest.raises(BadInputError) as syntax:
        load_keymap()
    assert str(keymap) in str(syntax.value)
    keymap.write_text('[keys]\n"app.undo" = 3\n')
    with pytest.raises(BadInputError) as value:
        load_keymap()
    assert str(keymap) in str(value.value)


def test_a_missing_keymap_file_is_an_empty_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_KEYMAP", str(tmp_path / "absent.toml"))
    assert load_keymap() == {}


# -- every binding in the workbench ----------------------------------------------------------------
def workbench_classes() -> Iterator[type[DOMNode]]:
    """The app and every screen and widget class defined under workbench.tui (whatever exists now)."""
    yield WorkbenchApp
    modules = [app_module]
    for package in (workbench.tui.screens, workbench.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            modules.append(importlib.import_module(info.name))
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
                and value is not WorkbenchApp
            ):
                yield value


def declared_bindings() -> list[tuple[str, Binding | object]]:
    """(class name, binding) for each entry of each class's own BINDINGS (inherited ones once)."""
    return [
        (cls.__qualname__, binding)
        for cls in workbench_classes()
        for binding in cls.__dict__.get("BINDINGS", [])
    ]


def test_the_walk_finds_the_views_being_built() -> None:
    names = {cls.__name__ for cls in workbench_classes()}
    assert {"WorkbenchApp", "HomeScreen", "HelpScreen", "MemoEditor", "MemosScreen", "HistoryScreen"} <= names
    assert len(declared_bindings()) >= 20


def test_every_binding_has_a_unique_id_and_a_description() -> None:
    owners: dict[str, str] = {}
    problems: list[str] = []
    for owner, binding in declared_bindings():
        if not isinstance(binding, Binding):
            problems.append(f"{owner}: {binding!r} is a tuple; use Binding(..., id=...)")
            continue
        if not binding.id:
            problems.append(f"{owner}: {binding.key!r} -> {binding.action} has no id")
        elif binding.id in owners:
            problems.append(f"{owner}: id {binding.id!r} is also used by {owners[binding.id]}")
        else:
            owners[binding.id] = owner
        if not (binding.description or "").strip():
            problems.append(f"{owner}: {binding.id or binding.action} has no description")
    assert problems == []


def swallowed(key: str) -> bool:
    key = key.strip().lower()
    *modifiers, _base = key.split("+")
    return (
        key in SWALLOWED
        or bool(SWALLOWED_MODIFIERS & set(modifiers))
        or ({"ctrl", "shift"} <= set(modifiers))  # ctrl+shift+x arrives as ctrl+x
        or (modifiers == ["ctrl"] and _base.isdigit())  # ctrl+1 sends nothing in most terminals
    )


def test_no_binding_uses_keys_that_terminals_swallow() -> None:
    bad = [
        f"{owner}: {binding.id} = {key!r}"
        for owner, binding in declared_bindings()
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
        if swallowed(key)
    ]
    assert bad == []


def test_the_swallowed_key_check_catches_what_it_should() -> None:
    assert all(swallowed(k) for k in ("ctrl+enter", "ctrl+/", "ctrl+h", "super+s", "cmd+k", "ctrl+shift+p"))
    assert not any(swallowed(k) for k in ("ctrl+s", "ctrl+r", "f1", "question_mark", "slash", "L", "escape"))


def test_memo_and_history_keys_do_not_hide_the_app_keys() -> None:
    from workbench.tui.screens.history import HistoryScreen
    from workbench.tui.screens.memos import MemosScreen

    def keys(bindings: list[object]) -> set[str]:
        return {k.strip() for b in bindings if isinstance(b, Binding) for k in b.key.split(",")}

    app_keys = keys(list(WorkbenchApp.BINDINGS))
    for screen in (MemosScreen, HistoryScreen):
        assert keys(list(screen.BINDINGS)) & app_keys == set(), screen.__name__


async def test_a_view_shown_for_the_first_time_is_styled_without_reparsing_every_stylesheet(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        reparsed: list[bool] = []
        reparse = app.stylesheet.reparse
        monkeypatch.setattr(app.stylesheet, "reparse", lambda: reparsed.append(True) or reparse())
        await pilot.press("3")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodebookScreen"
        assert reparsed == []
        assert app.screen.query_one("#codebook-status").outer_size.height == 1  # app.tcss applies


async def test_a_view_first_shown_after_a_theme_change_wears_the_new_theme(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        light = next(name for name in bundled_theme_names() if "light" in name)
        app.theme = light
        await pilot.pause()
        home_background = app.screen.styles.background
        await pilot.press("3")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodebookScreen"
        assert app.screen.styles.background == home_background
