"""The memo index (`5`): every key changes what the researcher sees, and writes reach the project.

Project state is read back as another process would (`reopen`, read-only), never from the screen.
The fixture memos:

    M1 analytic   "Being understood"   links: coding of "Feeling understood" (S1 line 4), S1
    M2 reflexive  "My own ward days"   no links
    M3 methodological "Guide v2"       links: code "Feeling understood", participant P02
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tests.tui.conftest import TEXT, reopen, type_ahead
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.memo_editor import MemoEditor
from workbench.tui.screens.memos import MISSING, MemosScreen

QUOTE = "you actually get it"


@pytest.fixture
def memo_dir(project_dir: Path) -> Path:
    """The shared study plus three memos of different types, written a moment apart."""
    with Project.open(project_dir, actor="ann") as p:
        coding = p.rows("codings")[0]["id"]
        p.write_memo("Being understood", "Recognition first.", links=[f"coding:{coding}", "S1"])
        p.write_memo("My own ward days", "I was an inpatient once.", memo_type="reflexive")
        p.write_memo(
            "Guide v2", "Ask about hope.", links=["Feeling understood", "P02"], memo_type="methodological"
        )
    return project_dir


@pytest.fixture
def memo_app(memo_dir: Path) -> WorkbenchApp:
    return WorkbenchApp([memo_dir], actor="ann")


class StubTranscript(Screen[None]):
    """Stands in for the transcript view: these tests check where `g` sends the app, not the view."""

    def compose(self) -> ComposeResult:
        yield Static("transcript")


async def open_memos(app: WorkbenchApp, pilot: Pilot[None]) -> MemosScreen:
    await pilot.pause()
    await pilot.press("5")
    await pilot.pause()
    assert isinstance(app.screen, MemosScreen)
    return app.screen


def on_top(app: WorkbenchApp) -> object:
    """The screen on top now (untyped, so checks after an earlier isinstance stay meaningful)."""
    return app.screen


def focused(app: WorkbenchApp) -> object:
    return app.focused


def table_of(screen: MemosScreen) -> DataTable[object]:
    return screen.query_one("#memos-table", DataTable)


def shown_ids(screen: MemosScreen) -> list[str]:
    table = table_of(screen)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def preview_text(screen: MemosScreen) -> str:
    content = screen.query_one("#memos-preview", Static).render()
    return content.plain if isinstance(content, Text) else str(content)


def status_text(screen: MemosScreen) -> str:
    return str(screen.query_one("#memos-status", Static).render())


async def select(pilot: Pilot[None], screen: MemosScreen, memo_id: str) -> None:
    table = table_of(screen)
    table.move_cursor(row=shown_ids(screen).index(memo_id))
    await pilot.pause()


async def test_the_index_lists_every_memo_with_readable_links(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        assert sorted(shown_ids(screen)) == ["M1", "M2", "M3"]
        table = table_of(screen)
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(3)}
        assert rows["M1"][1] == "analytic"
        assert rows["M1"][2] == "Being understood"
        assert rows["M1"][3] == "Feeling understood @ Alex, 1:4; S1 Alex"
        assert rows["M3"][3] == "code: Feeling understood; P02 Jas"
        assert rows["M2"][3] == "—"
        assert rows["M1"][5] == "0"
        assert "3 memos" in status_text(screen)


async def test_n_writes_a_new_memo_with_its_title_and_body(memo_app: WorkbenchApp, memo_dir: Path) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await pilot.press("n")
        assert isinstance(memo_app.screen, MemoEditor)
        await pilot.press(*"Hope as a tide")
        await pilot.press("tab", "tab")  # past the type, into the body
        await pilot.press(*"Notice it late.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert on_top(memo_app) is screen
        assert "M4" in shown_ids(screen)
        assert screen.selected_id() == "M4"
    with reopen(memo_dir) as p:
        memo = p.get("memos", "M4")
        assert memo is not None
        assert (memo["title"], memo["body"], memo["links"], memo["type"]) == (
            "Hope as a tide",
            "Notice it late.",
            [],
            "analytic",
        )


async def test_escape_in_the_editor_writes_nothing(memo_app: WorkbenchApp, memo_dir: Path) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await pilot.press("n", *"Draft", "escape")
        assert memo_app.screen is screen
    with reopen(memo_dir) as p:
        assert len(p.rows("memos")) == 3


async def test_a_new_memo_hidden_by_the_filters_widens_them_to_show_it(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        while screen.memo_type != "reflexive":  # a new memo defaults to analytic
            await pilot.press("t")
        await pilot.press("n", *"Saturation?", "ctrl+s")
        await pilot.pause()
        assert screen.memo_type == "all"
        assert screen.selected_id() == "M4"


async def test_e_edits_the_selected_memo_and_keeps_the_old_body_as_a_revision(
    memo_app: WorkbenchApp, memo_dir: Path
) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M2")
        await pilot.press("e")
        assert isinstance(memo_app.screen, MemoEditor)
        assert memo_app.screen.memo_id == "M2"
        await pilot.press("end", *" Still shapes me.", "ctrl+s")
        await pilot.pause()
        table = table_of(screen)
        assert str(table.get_row_at(table.cursor_row)[5]) == "1"
    with reopen(memo_dir) as p:
        memo = p.get("memos", "M2")
        assert memo is not None
        assert memo["body"] == "I was an inpatient once. Still shapes me."
        assert [r["body"] for r in memo["revisions"]] == ["I was an inpatient once."]


async def test_enter_edits_the_selected_memo_too(memo_app: WorkbenchApp, memo_dir: Path) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M3")
        await pilot.press("enter")
        assert isinstance(memo_app.screen, MemoEditor)
        assert memo_app.screen.memo_id == "M3"
        await pilot.press("end", *" And endings.", "ctrl+s")
        await pilot.pause()
    with reopen(memo_dir) as p:
        memo = p.get("memos", "M3")
        assert memo is not None
        assert memo["body"] == "Ask about hope. And endings."
        assert len(memo["revisions"]) == 1


async def test_t_cycles_the_memo_types_and_back_to_all(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        seen: dict[str, list[str]] = {}
        for _ in range(20):
            await pilot.press("t")
            seen[screen.memo_type] = shown_ids(screen)
            if screen.memo_type == "all":
                break
        assert seen["analytic"] == ["M1"]
        assert seen["reflexive"] == ["M2"]
        assert seen["methodological"] == ["M3"]
        assert seen["code"] == []
        assert sorted(seen["all"]) == ["M1", "M2", "M3"]
        assert "type: all" in status_text(screen)


async def test_slash_filters_by_words_in_title_body_or_links(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await pilot.press("slash")
        assert isinstance(memo_app.focused, Input)
        await pilot.press(*"inpatient")  # a body word; its letters must not trigger n, e, t...
        assert shown_ids(screen) == ["M2"]
        assert isinstance(memo_app.screen, MemosScreen)
        await pilot.press("escape")
        assert sorted(shown_ids(screen)) == ["M1", "M2", "M3"]
        await pilot.press("slash", *"JAS", "enter")  # a link: P02's pseudonym, any case
        assert shown_ids(screen) == ["M3"]
        assert focused(memo_app) is table_of(screen)
        assert "1 of 3 memos" in status_text(screen)
        await pilot.press("slash", "ctrl+u", *"understood")  # title of M1, code link of M3
        assert sorted(shown_ids(screen)) == ["M1", "M3"]


async def test_o_toggles_sorting_by_date_and_by_type(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        assert shown_ids(screen) == ["M3", "M2", "M1"]  # newest first
        await pilot.press("o")
        assert shown_ids(screen) == ["M1", "M3", "M2"]  # analytic, methodological, reflexive
        assert "sort: by type" in status_text(screen)
        await pilot.press("o")
        assert shown_ids(screen) == ["M3", "M2", "M1"]


async def test_the_preview_shows_body_links_and_the_live_quote_with_its_citation(
    memo_app: WorkbenchApp, memo_dir: Path
) -> None:
    with reopen(memo_dir) as p:
        citation = p.coded_segments("Feeling understood")[0].citation
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M1")
        text = preview_text(screen)
        assert "Recognition first." in text
        assert f"“{QUOTE}” — {citation}" in text
        assert citation == "Alex, 1:4"
        assert "S1 Alex  (source:S1)" in text


async def test_a_corrected_quote_shows_its_new_words_and_a_review_flag(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        corrected = ImportedTranscript(TEXT.replace("you actually get it", "you really get it"))
        memo_app.run_op(memo_app.project.correct_source, "S1", corrected, reason="typo")
        await select(pilot, screen, "M1")
        text = preview_text(screen)
        assert "“you really get it” — Alex, 1:4" in text
        assert "⚑ text changed in typo" in text


async def test_a_memo_on_an_uncoded_coding_keeps_its_quote(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        start = TEXT.index(QUOTE)
        memo_app.run_op(memo_app.project.uncode, "S1", start, start + len(QUOTE), "Feeling understood")
        await select(pilot, screen, "M1")
        assert MISSING not in preview_text(screen) and QUOTE in preview_text(screen)


async def test_a_link_to_nothing_shows_as_withdrawn(memo_app: WorkbenchApp) -> None:
    """A project written before links moved with their codings may hold a link to nothing."""
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        project = memo_app.project
        coding = next(iter(project.store.all("codings")))
        with project.store.transaction() as tx:  # beneath the operations: what an old version left
            tx.delete("codings", coding)
        memo_app.refresh_views()
        await select(pilot, screen, "M1")
        assert MISSING in preview_text(screen)
        assert MISSING in str(table_of(screen).get_row_at(table_of(screen).cursor_row)[3])


async def test_v_shows_the_revision_history_of_the_selected_memo(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M2")
        await pilot.press("e", "end", *" Changed.", "ctrl+s")
        await pilot.pause()
        await pilot.press("v")
        text = preview_text(screen)
        assert "1 earlier version(s)" in text
        assert "▶ current" in text and "I was an inpatient once. Changed." in text
        assert "◇ revision 1" in text
        assert text.index("◇ revision 1") < text.rindex("I was an inpatient once.")
        await pilot.press("v")
        assert "◇ revision 1" not in preview_text(screen)


async def test_g_opens_the_transcript_at_the_first_linked_quote(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        memo_app.remove_mode("transcript")
        memo_app.add_mode("transcript", StubTranscript)
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M1")
        await pilot.press("g")
        await pilot.pause()
        assert memo_app.current_mode == "transcript"
        assert memo_app.source_id == "S1"
        assert memo_app.focus_offset == TEXT.index(QUOTE)


async def test_g_on_a_participant_link_opens_their_transcript_at_the_start(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        memo_app.remove_mode("transcript")
        memo_app.add_mode("transcript", StubTranscript)
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M3")  # code link first (no transcript), then P02
        await pilot.press("g")
        await pilot.pause()
        assert (memo_app.current_mode, memo_app.source_id, memo_app.focus_offset) == (
            "transcript",
            "S2",
            None,
        )


async def test_g_on_a_memo_without_transcript_links_stays_put(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M2")
        await pilot.press("g")
        await pilot.pause()
        assert memo_app.current_mode == "memos"
        assert memo_app.source_id is None


async def test_undo_from_the_memo_index_removes_the_memo_just_written(
    memo_app: WorkbenchApp, memo_dir: Path
) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await pilot.press("n", *"Fleeting", "ctrl+s")
        await pilot.pause()
        assert "M4" in shown_ids(screen)
        await pilot.press("ctrl+z")
        assert "M4" not in shown_ids(screen)
    with reopen(memo_dir) as p:
        assert p.get("memos", "M4") is None


async def test_a_read_only_project_does_not_open_the_editor(memo_dir: Path) -> None:
    app = WorkbenchApp([memo_dir], readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(app, pilot)
        await pilot.press("n")
        await pilot.press("e")
        assert app.screen is screen


async def test_titles_show_as_typed_not_as_markup(project_dir: Path) -> None:
    with Project.open(project_dir, actor="ann") as p:
        p.write_memo("[laughs] and [b]hope", "[withdrawn] stays literal")
    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(app, pilot)
        assert str(table_of(screen).get_row_at(0)[2]) == "[laughs] and [b]hope"
        assert "[withdrawn] stays literal" in preview_text(screen)


async def test_an_empty_study_says_how_to_write_the_first_memo(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(app, pilot)
        assert table_of(screen).row_count == 0
        assert "n writes one" in preview_text(screen)
        await pilot.press("e", "g", "v", "t", "o")  # nothing selected: no error, no editor
        assert app.screen is screen


async def test_every_memo_key_is_in_help_with_its_id(memo_app: WorkbenchApp) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        await open_memos(memo_app, pilot)
        await pilot.press("f1")
        assert isinstance(memo_app.screen, HelpScreen)
        ids = {entry.id for entry in memo_app.screen.entries}
        expected = {"new", "edit", "type", "filter", "sort", "revisions", "goto", "clear_filter"}
        assert {f"memos.{name}" for name in expected} <= ids


async def test_words_typed_just_before_ctrl_s_are_saved(memo_app: WorkbenchApp, memo_dir: Path) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M2")
        await pilot.press("e")
        await pilot.pause()
        type_ahead(memo_app, *"Now", "space", "ctrl+s")  # one read over SSH
        await pilot.pause()
    with reopen(memo_dir) as p:
        memo = p.get("memos", "M2")
        assert memo is not None and memo["body"] == "Now I was an inpatient once."


async def test_ctrl_s_pressed_twice_ahead_saves_once(memo_app: WorkbenchApp, memo_dir: Path) -> None:
    async with memo_app.run_test(size=(80, 24)) as pilot:
        screen = await open_memos(memo_app, pilot)
        await select(pilot, screen, "M2")
        await pilot.press("e")
        await pilot.pause()
        type_ahead(memo_app, *"Now", "space", "ctrl+s", "ctrl+s")
        await pilot.pause()
        assert memo_app.screen is screen
    with reopen(memo_dir) as p:
        memo = p.get("memos", "M2")
        assert memo is not None and memo["body"] == "Now I was an inpatient once."
        assert len(memo["revisions"]) == 1
