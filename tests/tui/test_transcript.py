"""The transcript view: keys drive coding, and the project (reopened read-only) shows the result.

Lines of the fixture transcript (wrap width 72):

     1  Interviewer: How did you first meet your peer support worker?
     2
     3  Participant: It was on the ward. She said she'd been there herself, and
     4  I thought (.) right, you actually get it. That changed everything for
     5  me, honestly. I stopped performing being okay.
     6
     7  Interviewer: Changed it how?
     8
     9  Participant: I could just say it. [laughs] No translating. Hope came
    10  later, slowly, like a tide you only notice when your feet are wet.

"Feeling understood" codes "you actually get it" (line 4) in S1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import TEXT, reopen
from workbench import hookimpl
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.core.selection import line_span, paragraph_span, sentence_span, turn_span, word_span
from workbench.core.text import LineMap
from workbench.plugins import PluginHost
from workbench.tui import textual_compat
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.code_picker import CodePicker
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.memo_editor import MemoEditor
from workbench.tui.screens.transcript import TranscriptScreen
from workbench.tui.widgets.prompt import ChoiceModal, NoticeModal
from workbench.tui.widgets.transcript_view import CodedSpan, TranscriptView

SEGMENT = (TEXT.index("you actually get it"), TEXT.index("you actually get it") + len("you actually get it"))
HOPE = (TEXT.index("Hope came later"), TEXT.index("Hope came later") + len("Hope came later"))


def codings(project: Project, label: str) -> list[dict[str, Any]]:
    """The codings of `label` with their segment's span, as another process reads them."""
    code = project.find_code(label, active_only=False)
    if code is None:
        return []
    out = []
    for coding in project.rows("codings"):
        if coding["code_id"] == code["id"]:
            segment = project.get("segments", coding["segment_id"])
            assert segment is not None
            out.append({**coding, "span": (segment["start"], segment["end"]), "kind": code["kind"]})
    return sorted(out, key=lambda c: c["span"])


def add_coding(path: Path, start: int, end: int, label: str, source: str = "S1") -> None:
    with Project.open(path, actor="ann") as project:
        project.code(source, start, end, label)


async def open_transcript(pilot: Pilot[None], app: WorkbenchApp) -> TranscriptView:
    """Home, Enter on the first source: the transcript view with its TranscriptView focused."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TranscriptScreen)
    view = app.screen.view
    assert app.focused is view
    return view


def row_text(view: TranscriptView, line_ordinal: int) -> str:
    """What the screen shows on the row of a tool line (scrolled into view by the test)."""
    row = view.row_of_line(line_ordinal - 1) - int(view.scroll_offset.y)
    return view.render_line(row).text


# -- opening ---------------------------------------------------------------------------------------


async def test_enter_on_home_opens_the_transcript_with_numbered_lines(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        assert app.source_id == "S1"
        assert view.render_line(0).text.strip().startswith("──── page 1")
        assert row_text(view, 1).lstrip().startswith("1 ")
        assert "Interviewer: How did you first meet" in row_text(view, 1)
        assert row_text(view, 10).lstrip().startswith("10")
        status = str(app.screen.query_one("#transcript-status").render())
        assert "Alex" in status and "S1" in status and "1:1" in status


async def test_existing_codings_show_a_marker_letter_in_the_margin(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        assert view.markers == {"C1": "F"}
        assert "F│I thought" in row_text(view, 4)
        assert " │Participant: It was" in row_text(view, 3)
        legend = app.screen.side_pane.section_text("transcript-legend")
        assert "F  Feeling understood" in legend


async def test_open_transcript_puts_the_cursor_at_the_focus_offset_once(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        offset = TEXT.replace("ward", "unit").index("unit")  # S2 says "unit" where S1 says "ward"
        app.open_transcript("S2", offset)
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.source_id == "S2"
        assert app.screen.view.cursor == offset
        assert app.focus_offset is None


# -- coding ----------------------------------------------------------------------------------------


async def test_c_with_a_new_label_codes_the_cursor_line_without_the_speaker_label(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"On the ward", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.last_code == "On the ward"
        assert "O│Participant: It was on the ward" in row_text(view, 3)  # repainted at once
    with reopen(project_dir) as p:
        (coding,) = codings(p, "On the ward")
        assert coding["span"] == p.span_of_lines("S1", 3, 3)
        assert TEXT[slice(*coding["span"])].startswith("It was on the ward.")
        assert coding["unit"] == "line"
        assert coding["coder"] == "ann"


async def test_c_can_pick_an_existing_code_by_a_fragment(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "j", "j", "c", *"feel")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert picker.choices == ["Feeling understood", "feel"]  # the existing code first; creating is last
        await pilot.press("enter")
        await pilot.pause()
    with reopen(project_dir) as p:
        assert p.find_code("feel") is None
        spans = [c["span"] for c in codings(p, "Feeling understood")]
        assert spans == [SEGMENT, p.span_of_lines("S1", 5, 5)]


async def test_escape_in_the_picker_codes_nothing(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"Nope", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
    with reopen(project_dir) as p:
        assert len(p.rows("codings")) == 1


async def test_c_on_a_blank_line_says_there_is_nothing_to_code(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "c")
        await pilot.pause()
        assert isinstance(app.screen, NoticeModal)
        assert "this line is blank" in app.screen.message and "--lines" not in app.screen.message
        await pilot.press("enter")
        assert isinstance(app.screen, TranscriptScreen)


async def test_a_code_name_typed_after_c_on_a_blank_line_runs_no_command(
    app: WorkbenchApp, project_dir: Path
) -> None:
    """`c` then `sure` then Enter, typed ahead: `u`, `s`, `r`, `e` must not undo, select or switch."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        before = (app.project.can_undo(), len(app.project.rows("codings")))
        await pilot.press("j", "c", "u", "s", "u", "r", "e", "1", "q", "x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen) and app.is_running
        assert (app.project.can_undo(), len(app.project.rows("codings"))) == before


async def test_i_codes_the_selected_sentence_in_vivo(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "S")
        assert view.unit == "sentence"
        await pilot.press("i")
        await pilot.pause()
        assert view.selection is None  # consumed by the coding
        assert app.last_code == "“It was on the ward.”"
    with reopen(project_dir) as p:
        (coding,) = codings(p, "“It was on the ward.”")
        assert TEXT[slice(*coding["span"])] == "It was on the ward."
        assert coding["unit"] == "sentence"
        assert coding["kind"] == "in-vivo"


async def test_i_codes_a_word_selection_in_vivo(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", *"wwwww", "W", "i")
        await pilot.pause()
    with reopen(project_dir) as p:
        (coding,) = codings(p, "“ward”")
        assert TEXT[slice(*coding["span"])] == "ward"
        assert coding["unit"] == "word"


async def test_i_without_a_selection_is_refused(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "i")
        await pilot.pause()
        assert any("select the words first" in n.message for n in app.announcements)
    with reopen(project_dir) as p:
        assert len(p.rows("codings")) == 1


async def test_dot_repeats_the_last_code_on_the_next_line_and_on_a_selection(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"Disclosure", "enter")
        await pilot.pause()
        await pilot.press("j", "full_stop")
        await pilot.pause()
        await pilot.press("j", "S", "full_stop")
        await pilot.pause()
    with reopen(project_dir) as p:
        found = codings(p, "Disclosure")
        assert [c["span"] for c in found[:2]] == [p.span_of_lines("S1", 3, 3), p.span_of_lines("S1", 4, 4)]
        assert [c["unit"] for c in found] == ["line", "line", "sentence"]
        assert TEXT[slice(*found[2]["span"])] == "That changed everything for me, honestly."


async def test_dot_without_a_last_code_codes_nothing(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "full_stop")
        await pilot.pause()
        assert any("no code applied yet" in n.message for n in app.announcements)
    with reopen(project_dir) as p:
        assert len(p.rows("codings")) == 1


async def test_space_selects_characters_and_c_codes_them_as_a_character_unit(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", *"wwwww", "space", "l", "l", "l")
        assert view.selection == (TEXT.index("ward"), TEXT.index("ward") + 4)
        await pilot.press("space", "j")  # fixed: moving no longer extends it
        assert view.selection == (TEXT.index("ward"), TEXT.index("ward") + 4)
        await pilot.press("c", *"Place", "enter")
        await pilot.pause()
    with reopen(project_dir) as p:
        (coding,) = codings(p, "Place")
        assert TEXT[slice(*coding["span"])] == "ward"
        assert coding["unit"] == "character"


async def test_x_removes_the_coding_under_the_cursor(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "j", "w", "w", "w")
        assert view.cursor == SEGMENT[0]
        await pilot.press("x")
        await pilot.pause()
        assert "F│" not in row_text(view, 4)
    with reopen(project_dir) as p:
        assert codings(p, "Feeling understood") == []


async def test_x_asks_which_coding_when_several_are_there(app: WorkbenchApp, project_dir: Path) -> None:
    add_coding(project_dir, *SEGMENT, "Hope")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "j", "w", "w", "w", "x")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # the second choice: Hope (C2)
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
    with reopen(project_dir) as p:
        assert codings(p, "Hope") == []
        assert [c["span"] for c in codings(p, "Feeling understood")] == [SEGMENT]


async def test_x_prefers_the_coding_exactly_on_the_selection(app: WorkbenchApp, project_dir: Path) -> None:
    sentence = (
        TEXT.index("It was on the ward."),
        TEXT.index("It was on the ward.") + len("It was on the ward."),
    )
    add_coding(project_dir, *sentence, "Setting")
    with Project.open(project_dir, actor="ann") as p:
        p.code("S1", *p.span_of_lines("S1", 3, 4), "Turning point")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "S", "x")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)  # no question: one coding is exactly there
    with reopen(project_dir) as p:
        assert codings(p, "Setting") == []
        assert len(codings(p, "Turning point")) == 1


async def test_n_and_shift_n_jump_between_segments_of_the_code_under_the_cursor(
    app: WorkbenchApp, project_dir: Path
) -> None:
    add_coding(project_dir, *HOPE, "Feeling understood")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "j", "w", "w", "w", "w")  # inside "you actually get it"
        assert SEGMENT[0] < view.cursor < SEGMENT[1]
        await pilot.press("n")
        assert view.cursor == HOPE[0]
        await pilot.press("n")  # wraps
        assert view.cursor == SEGMENT[0]
        await pilot.press("N")  # wraps backwards
        assert view.cursor == HOPE[0]
        await pilot.press("N")
        assert view.cursor == SEGMENT[0]


async def test_n_uses_the_last_code_when_the_cursor_is_on_no_coding(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("n")
        assert view.cursor == 0
        app.last_code = "Feeling understood"
        await pilot.press("n")
        assert view.cursor == SEGMENT[0]


async def test_m_writes_a_memo_linked_to_the_segment_under_the_cursor(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "j", "w", "w", "w", "m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("end", *" first sense of peers", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
    with reopen(project_dir) as p:
        (memo,) = p.rows("memos")
        segment_id = codings(p, "Feeling understood")[0]["segment_id"]
        assert memo["links"] == [f"segment:{segment_id}"]
        assert memo["title"] == "Alex, 1:4 first sense of peers"


async def test_m_on_uncoded_text_links_the_memo_to_the_source(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("G", "m")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    with reopen(project_dir) as p:
        (memo,) = p.rows("memos")
        assert memo["links"] == ["source:S1"]
        assert memo["title"] == "Alex, 1:10"


async def test_m_on_selected_uncoded_words_anchors_the_memo_to_a_new_segment(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("G", "W", "m")
        await pilot.pause()
        selected = view.text[view.selection[0] : view.selection[1]] if view.selection else ""
        await pilot.press("end", *" — tide", "ctrl+s")
        await pilot.pause()
    with reopen(project_dir) as p:
        (memo,) = p.rows("memos")
        (link,) = memo["links"]
        segment = p.get("segments", link.removeprefix("segment:"))
        assert segment is not None and not p.index.codings_by_segment.get(segment["id"])
        assert p.current_text("S1")[1].text[segment["start"] : segment["end"]] == selected.strip()


async def test_undo_after_coding_repaints_without_the_marker(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"On the ward", "enter")
        await pilot.pause()
        assert "O│" in row_text(view, 3)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "O│" not in row_text(view, 3)
    with reopen(project_dir) as p:
        assert codings(p, "On the ward") == []


async def test_coding_with_a_code_already_here_redraws_that_line_and_undo_clears_it(
    app: WorkbenchApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j")
        await pilot.pause()
        before = {line: row_text(view, line) for line in (1, 3, 4)}  # drawn, so held in the row cache
        await pilot.press("c", *"Feeling understood", "enter")
        await pilot.pause()
        assert view.markers == {"C1": "F"}  # same markers: only the coded line is drawn again
        assert "F│" in row_text(view, 3) and "F│" not in before[3]
        assert row_text(view, 4) == before[4] and row_text(view, 1) == before[1]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "F│" not in row_text(view, 3)
        assert "F│" in row_text(view, 4)


async def test_a_read_only_project_reports_the_error_and_keeps_running(project_dir: Path) -> None:
    app = WorkbenchApp([project_dir], readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"New", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert any("read-only" in n.message for n in app.announcements)
    with reopen(project_dir) as p:
        assert len(p.rows("codings")) == 1


# -- selection units and movement ------------------------------------------------------------------


async def test_unit_keys_select_word_line_sentence_turn_and_paragraph(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", *"wwwww")
        cursor = view.cursor
        assert TEXT[cursor : cursor + 4] == "ward"
        text, lm, turns = view.text, view.linemap, view.turns
        assert lm is not None
        expected = {
            "W": ("word", word_span(text, cursor)),
            "L": ("line", line_span(lm, cursor, text, turns)),
            "S": ("sentence", sentence_span(text, cursor, turns)),
            "T": ("turn", turn_span(turns, cursor, text)),
            "P": ("paragraph", paragraph_span(text, cursor, turns)),
        }
        for key, (unit, span) in expected.items():
            await pilot.press("escape", key)
            assert (view.unit, view.selection) == (unit, span), key
            assert view.cursor == cursor
        assert TEXT[slice(*expected["W"][1])] == "ward"
        assert TEXT[slice(*expected["S"][1])] == "It was on the ward."
        assert TEXT[slice(*expected["T"][1])].startswith("It was on the ward.")
        assert TEXT[slice(*expected["T"][1])].endswith("being okay.")
        status = str(app.screen.query_one("#transcript-status").render())
        assert "paragraph 1:3–5" in status
        await pilot.press("escape")
        assert view.selection is None


async def test_pressing_a_unit_key_again_extends_the_selection_by_the_next_unit(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "L", "L")
        assert view.unit == "line"
        assert view.selection is not None
        assert TEXT[slice(*view.selection)] == TEXT[TEXT.index("It was") : TEXT.index("everything for") + 14]
        assert view.cursor_line.ordinal == 4  # the cursor follows the added line
        await pilot.press("escape", "S", "S")
        assert view.unit == "sentence"
        assert view.selection is not None
        assert TEXT[slice(*view.selection)].startswith("She said she'd been there")
        assert TEXT[slice(*view.selection)].endswith("That changed everything for me, honestly.")


async def test_a_unit_key_extends_a_selection_to_the_unit_at_the_cursor(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", *"wwwww", "W", "w", "w", "W")
        assert view.selection is not None
        assert TEXT[slice(*view.selection)] == "ward. She said"
        assert view.unit == "word"
        await pilot.press("L")  # a different unit: the union is a character range
        assert view.unit == "character"


async def test_movement_keys_move_the_cursor(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("right_square_bracket")
        assert view.cursor == TEXT.index("It was")
        await pilot.press("right_square_bracket")
        assert view.cursor == TEXT.index("Changed it")
        await pilot.press("left_square_bracket")
        assert view.cursor == TEXT.index("It was")
        await pilot.press("l", "l", "h")
        assert view.cursor == TEXT.index("It was") + 1
        await pilot.press("k", "k", "down", "up")
        assert view.cursor_line.ordinal == 1
        await pilot.press("G")
        assert view.cursor_line.ordinal == 10
        await pilot.press("g")
        assert view.cursor == 0
        await pilot.press("pagedown")
        assert view.cursor_line.ordinal > 5
        await pilot.press("pageup")
        assert view.cursor_line.ordinal == 1
        await pilot.press("w", "w", "b")
        assert view.cursor == TEXT.index("How did")


async def test_up_and_down_keep_the_column_across_short_lines(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", *"wwwww")  # column 29 of line 3
        column = view.cursor - view.cursor_line.start
        await pilot.press("j", "j", "j", "j")  # through the blank line 6
        assert view.cursor_line.ordinal == 7
        await pilot.press("k", "k", "k", "k")
        assert view.cursor - view.cursor_line.start == column


# -- layout ----------------------------------------------------------------------------------------


async def test_at_80_columns_the_side_pane_stacks_under_the_text_and_z_hides_it(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        side = app.screen.query_one("#transcript-side")
        assert side.region.y >= view.region.bottom
        assert side.region.x == view.region.x
        height = view.region.height
        await pilot.press("z")
        await pilot.pause()
        assert not side.display
        assert view.region.height > height
        assert row_text(view, 1).lstrip().startswith("1 ")
        await pilot.press("z")
        await pilot.pause()
        assert side.display


async def test_at_140_columns_the_side_pane_sits_right_of_the_text(app: WorkbenchApp) -> None:
    async with app.run_test(size=(140, 40)) as pilot:
        view = await open_transcript(pilot, app)
        side = app.screen.query_one("#transcript-side")
        assert side.region.x >= view.region.right
        assert side.region.y == view.region.y
        assert row_text(view, 4).lstrip().startswith("4 F│I thought")


async def test_line_numbers_stay_visible_when_the_text_scrolls_sideways(app: WorkbenchApp) -> None:
    async with app.run_test(size=(50, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", *"w" * 12)  # "and", at the end of line 3
        assert view.scroll_offset.x > 0
        shown = row_text(view, 3)
        assert shown.lstrip().startswith("3 ")
        assert shown.rstrip().endswith("and")
        assert row_text(view, 1).lstrip().startswith("1 ")


async def test_help_starts_with_the_coding_loop_then_the_views_keys_then_the_apps(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.body().plain
        assert body.startswith("Coding a passage: move to it") and "then press c" in body
        sections = [entry.section for entry in app.screen.entries]
        assert sections == sorted(sections, key=lambda name: name == "Everywhere")  # this view first
        descriptions = {entry.description for entry in app.screen.entries}
        assert {"Select word (again: extend)", "Select sentence (again: extend)", "Select"} <= descriptions
        assert "transcript.code" not in body  # ids only on request
        await pilot.press("i")
        assert "(transcript.code)" in app.screen.body().plain


async def test_help_never_scrolls_sideways_at_80_columns(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("f1", "end")
        await pilot.pause()
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.scroll_x == 0 and scroll.scroll_y > 0


async def test_help_lists_the_transcript_keys_by_id(app: WorkbenchApp) -> None:

    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        ids = {entry.id for entry in app.screen.entries}
        assert {
            "transcript.code",
            "transcript.in_vivo",
            "transcript.repeat",
            "transcript.uncode",
            "transcript.next_segment",
            "transcript.memo",
            "transcript.toggle_pane",
            "transcript.select",
            "transcript.select_word",
            "transcript.select_paragraph",
            "transcript.turn_next",
        } <= ids


# -- scale -----------------------------------------------------------------------------------------


def long_transcript(words: int = 9000) -> str:
    """Interview-shaped text: short questions, long answers, about `words` words."""
    vocabulary = ["peer", "support", "worker", "ward", "hope", "felt", "listened", "understood", "honestly"]
    turns: list[str] = []
    count = 0
    n = 0
    while count < words:
        question = " ".join(vocabulary[(n + i) % len(vocabulary)] for i in range(10))
        answer = " ".join(vocabulary[(n * 7 + i) % len(vocabulary)] for i in range(190))
        turns.append(f"Interviewer: {question}?\n\nParticipant: {answer}.\n")
        count += 200
        n += 1
    return "\n".join(turns)


async def test_a_9000_word_transcript_renders_without_a_widget_per_line(tmp_path: Path) -> None:
    path = tmp_path / "big"
    text = long_transcript()
    with Project.create(path, "Big", "gt", actor="ann") as p:
        p.add_source(ImportedTranscript(text), "big.txt", participant_id="P01", pseudonym="Sam")
        for start in range(0, len(text) - 40, len(text) // 300):
            if not text[start].isspace() and not text[start + 30].isspace():
                p.code("S1", start, start + 30, f"code {start % 7}")
    app = WorkbenchApp([path], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        assert view.linemap is not None
        assert len(view.linemap) > 600
        widgets = len(list(app.screen.walk_children(with_self=True)))
        assert list(view.children) == []
        await pilot.press("G")
        await pilot.pause()
        last = view.linemap.lines[-1]
        assert row_text(view, last.ordinal).lstrip().startswith(str(last.number))
        await pilot.press("pageup", "pageup", "L", "L", "g")
        await pilot.pause()
        assert len(list(app.screen.walk_children(with_self=True))) == widgets
        assert list(view.children) == []


# -- plugin margins --------------------------------------------------------------------------------


@pytest.fixture
def bare_host() -> PluginHost:
    """A host with only the plugins a test registers (the bundled GT/IPA margins would show too)."""
    return PluginHost(sources=(), environ={}, discover_config=False)


def margin_plugin(factory: Callable[[Project, str], object]) -> object:
    class MarginPlugin:
        @hookimpl
        def register_views(self, register: Callable[..., None]) -> None:
            register("notes", "margin", "Exploratory notes", factory)

    return MarginPlugin()


async def test_a_plugin_margin_shows_its_annotations_for_the_lines_on_screen(
    project_dir: Path, bare_host: PluginHost
) -> None:
    wb_host = bare_host
    calls: list[str] = []

    def notes(project: Project, source_id: str) -> Mapping[int, str]:
        calls.append(source_id)
        return {3: "D: the ward as a place", 4: "L: pause (.)"}

    wb_host.register_plugin(margin_plugin(notes), "notes-plugin")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j")
        shown = app.screen.side_pane.section_text("transcript-margins")
        assert "Exploratory notes" in shown
        assert "▸   3 D: the ward as a place" in shown
        assert "    4 L: pause (.)" in shown
        assert calls and set(calls) == {"S1"}


@pytest.mark.parametrize(
    ("method", "own", "other"),
    [("gt", "GT codes", "Exploratory notes"), ("ipa", "Exploratory notes", "GT codes")],
)
async def test_a_transcript_shows_only_its_own_methods_margins(
    tmp_path: Path, wb_host: PluginHost, method: str, own: str, other: str
) -> None:
    path = tmp_path / method
    with Project.create(path, "Study", method, actor="ann") as project:
        project.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
        start = TEXT.index("you actually get it")
        project.code("S1", start, start + len("you actually get it"), "Feeling understood")
    app = WorkbenchApp([path], host=wb_host, actor="ann")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j")  # the margins load after the first frame
        await pilot.pause()
        shown = app.screen.side_pane.section_text("transcript-margins")
        assert own in shown and other not in shown


async def test_a_failing_plugin_margin_is_reported_and_the_view_keeps_working(
    project_dir: Path, bare_host: PluginHost
) -> None:
    wb_host = bare_host

    def broken(project: Project, source_id: str) -> object:
        return ["not", "a", "mapping"]

    wb_host.register_plugin(margin_plugin(broken), "broken-plugin")
    app = WorkbenchApp([project_dir], host=wb_host, actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        assert any("broken-plugin" in n.message for n in app.announcements)
        assert app.screen.side_pane.section_text("transcript-margins") == ""
        await pilot.press("j", "j", "c", *"Still works", "enter")
        await pilot.pause()
        assert "S│" in row_text(view, 3)
    assert wb_host.views(kind="margin") == []


async def test_without_colour_the_cursor_and_selection_are_reversed_text(
    project_dir: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "w", "W")  # cursor on "It", the word selected
        row = view.row_of_line(2) - int(view.scroll_offset.y)
        styled = [(segment.text, segment.style) for segment in view.render_line(row) if segment.text.strip()]
        cursor = [text for text, style in styled if style is not None and style.underline and style.bold]
        assert cursor == ["I"]  # inside the selection: un-reversed, bold and underlined
        assert any(text == "t" and style is not None and style.reverse for text, style in styled)
        screen = app.export_screenshot()  # the monochrome filter paints every row without error
        assert "Participant:" in screen and "ward" in screen


async def test_a_cursor_key_repaints_the_text_status_and_side_pane_in_one_frame(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.widget import Widget

    drawn: set[str] = set()  # the widgets rendered since the last frame
    frames: list[set[str]] = []
    render_lines = Widget.render_lines

    def recorded(widget: Widget, crop: Region) -> list[Strip]:
        drawn.add(str(widget.id))
        return render_lines(widget, crop)

    def shown(_screen: object, _update: object) -> None:
        frames.append(set(drawn))
        drawn.clear()

    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j")  # the first move also draws the scroll bars
        await pilot.pause(0.2)
        monkeypatch.setattr(Widget, "render_lines", recorded)
        textual_compat.add_frame_listener(app, shown)
        await pilot.press("j")
        await pilot.pause(0.2)
    assert len(frames) == 1, f"one key, one frame: {frames}"
    assert {"transcript-view", "transcript-status", "transcript-side"} <= frames[0]


async def test_coding_and_undo_and_redo_update_only_the_changed_codings(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        first = view.codings[0]
        await pilot.press("j", "j", "c", *"Feeling understood", "enter")
        await pilot.pause()
        assert len(view.codings) == 2 and first in view.codings  # the old span kept, one added
        assert len(screen._layered) == 2
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert view.codings == (first,)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(view.codings) == 2 and "F│" in row_text(view, 3)


async def test_a_code_renamed_elsewhere_is_shown_with_its_new_label(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        app.run_op(app.project.rename_code, "Feeling understood", "Being understood")
        await pilot.pause()
        assert [c.label for c in view.codings] == ["Being understood"]
        assert "B│" in row_text(view, 4)


async def test_change_codings_refuses_a_change_that_needs_new_markers() -> None:
    from textual.app import App, ComposeResult

    class ViewApp(App[None]):
        def compose(self) -> ComposeResult:
            yield TranscriptView()

    async with ViewApp().run_test(size=(80, 24)) as pilot:
        view = pilot.app.query_one(TranscriptView)
        _check_change_codings(view)


def _check_change_codings(view: TranscriptView) -> None:
    view.set_document(TEXT, LineMap.build(TEXT), ())
    old = CodedSpan(*SEGMENT, "C1", "Feeling understood", "G1", "K1")
    view.set_codings([old])
    new_code = CodedSpan(*HOPE, "C2", "Hope", "G2", "K2")
    assert view.change_codings([], [new_code]) is False
    assert view.codings == (old,)
    same_code = CodedSpan(*HOPE, "C1", "Feeling understood", "G2", "K2")
    assert view.change_codings([], [same_code]) is True
    assert view.codings == (old, same_code)
    assert view.codings_at(HOPE[0]) == [same_code]
    assert view.change_codings([old], []) is True
    assert view.codings == (same_code,) and view.codings_at(SEGMENT[0]) == []


async def test_closing_the_code_picker_paints_the_coding_in_one_frame(app: WorkbenchApp) -> None:
    frames: list[str] = []
    recording = False

    def recorded(screen: Any, _update: Any) -> None:
        if recording:
            frames.append(type(screen).__name__)

    textual_compat.add_frame_listener(app, recorded)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_transcript(pilot, app)
        await pilot.press("j", "j", "c")
        await pilot.press(*"On the ward")
        await pilot.pause(0.2)
        recording = True
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert "O│Participant: It was on the ward" in row_text(view, 3)
    assert frames == ["TranscriptScreen"]  # not laid out and painted again once the picker has gone


async def test_undo_of_a_coding_names_the_passage_by_pseudonym_and_line(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"Turning point", "enter")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any(
            n.message == "undone: code Alex, 1:3 as 'Turning point' (ctrl+r redoes it)"
            for n in app.announcements
        )


# -- who is coding -----------------------------------------------------------------------------------------
async def test_the_first_coding_in_a_project_with_named_coders_asks_who_is_coding(project_dir: Path) -> None:
    from workbench.core.icr.coders import set_coder

    with Project.open(project_dir, actor="ann") as project:
        set_coder(project, "sam", name="Sam Patel")
        set_coder(project, "ann", name="Ann Lee")
    app = WorkbenchApp([project_dir])  # no --coder: not the account name, silently
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"Turning point", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert [ident for ident, _text in app.screen.choices][:2] == ["sam", "ann"]
        await pilot.press("enter")  # the first: sam
        await pilot.pause()
        await pilot.press("j", "j", "j", "c", *"Turning point", "enter")  # asked once per session
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert "coder: sam" in app.screen.query_one("#transcript-status").render().plain
    with reopen(project_dir) as p:
        assert {c["coder"] for c in codings(p, "Turning point")} == {"sam"}


async def test_without_named_coders_the_first_coding_says_whose_name_it_carries(project_dir: Path) -> None:
    app = WorkbenchApp([project_dir])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"Turning point", "enter")
        await pilot.pause()
        assert any(n.message.startswith(f"coding as {app.project.actor} ") for n in app.announcements)
        assert any("--coder NAME" in n.message for n in app.announcements)


async def test_a_coder_given_at_start_is_used_without_asking(project_dir: Path) -> None:
    app = WorkbenchApp([project_dir], actor="lee")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot, app)
        await pilot.press("j", "j", "c", *"Turning point", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
    with reopen(project_dir) as p:
        assert {c["coder"] for c in codings(p, "Turning point")} == {"lee"}
