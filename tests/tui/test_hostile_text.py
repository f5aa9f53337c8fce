"""The terminal workbench never draws untrusted text raw and never parses it as markup (issues 23, 24).

A project written by an older version may hold escape sequences in pseudonyms, memo titles and
attributes; code labels may hold `[` and `[/]`. Every view, the help, the palette and the messages are drawn
with such text escaped, and nothing crashes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.tui.conftest import wait_until_open
from workbench.core.project import Project
from workbench.core.untrusted import UNSAFE
from workbench.tui.app import WorkbenchApp
from workbench.tui.untrusted_lines import EscapeUnsafeText

TITLE_ATTACK = "Al\x1b]0;owned\x07ex"
CLIPBOARD_ATTACK = "x\x1b]52;c;cm0gLXJmIH4=\x07y"


@pytest.fixture
def hostile(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The conftest study, with text only an older version (or a hand edit) could have stored."""
    with monkeypatch.context() as patch:
        patch.setattr("workbench.core.project.refuse_unsafe_text", lambda changes: None)
        patch.setattr("workbench.core.untrusted.check_text", lambda value, where, lines=False: value)
        with Project.open(project_dir, actor="ann") as project:
            participant = project.get("participants", "P01")
            assert participant is not None
            with project._operation("legacy.write", "participant:P01", "older version") as tx:
                tx.put(
                    "participants",
                    "P01",
                    {**participant, "pseudonym": TITLE_ATTACK, "attributes": {"group": "a\x9b2Jb\u202e"}},
                )
            project.write_memo("Query [/] \x1b[2J", "body " + CLIPBOARD_ATTACK, links=["P01"])
    with Project.open(project_dir, actor="ann") as project:
        project.create_code("[bold]Not bold[/]")
        start = project.current_text("S1")[1].text.index("ward")
        project.code("S1", start, start + 4, "[/]")
    return project_dir


def assert_drawn_safely(app: WorkbenchApp) -> None:
    screenshot = app.export_screenshot()
    assert UNSAFE.findall(screenshot) == [], app.screen


async def visit(pilot: Pilot[None], app: WorkbenchApp, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause(0.2)
    assert app.is_running
    assert_drawn_safely(app)


def palette_prompts(app: WorkbenchApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_every_view_draws_stored_escape_sequences_escaped(hostile: Path) -> None:
    app = WorkbenchApp([hostile], actor="ann")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until_open(pilot, app)
        assert_drawn_safely(app)
        for key in "123456789":
            await visit(pilot, app, key)
        await visit(pilot, app, "f1")


async def test_the_palette_finds_and_shows_entries_holding_markup_characters(
    hostile: Path,
) -> None:
    app = WorkbenchApp([hostile], actor="ann")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("4", "escape")  # the results list has focus: the palette lists `Query  [/]`
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await visit(pilot, app, *"query")
        assert any("Query  [/]" in prompt for prompt in palette_prompts(app))
        await visit(pilot, app, *" search")
        await visit(pilot, app, "ctrl+u", *"[/]")
        await pilot.press("escape")


async def test_a_message_quoting_markup_and_escapes_shows_them_as_text(app: WorkbenchApp) -> None:
    from workbench.tui.widgets.footer import KeyFooter

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        app.notify("undone: code [/] as \x1b]0;x\x07[bold]")
        await pilot.pause(0.2)
        assert app.is_running
        assert_drawn_safely(app)
        line = str(app.screen.query_one(KeyFooter).render()).split("\n")[0]
        assert "[/]" in line and "[bold]" in line and "\\u001b]0;x" in line


def test_the_line_filter_escapes_unsafe_text_and_keeps_the_line_width() -> None:
    line = [Segment("ab\x1b]0;x\x07cd"), Segment("  end   ")]
    width = Segment.get_line_length(line)
    drawn = EscapeUnsafeText().apply(line, Color(0, 0, 0))
    text = "".join(segment.text for segment in drawn)
    assert UNSAFE.search(text) is None
    assert text.startswith("ab\\u001b]0;x")  # cut at the old width: the rest of the line is lost, not pushed
    assert Segment.get_line_length(drawn) == width


def test_the_line_filter_leaves_safe_lines_as_they_are() -> None:
    line = [Segment("Feeling understood  [/]"), Segment(" ")]
    assert EscapeUnsafeText().apply(line, Color(0, 0, 0)) is line
