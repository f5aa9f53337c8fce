"""The codebook view: every key changes the project as a researcher expects, and undo puts it back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.widgets import OptionList, SelectionList

from tests.tui.conftest import TEXT, reopen, type_ahead
from workbench.core.project import Project
from workbench.registry import Term
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.codebook import CodebookScreen, CodeTree, PickCodingsModal, short_level
from workbench.tui.screens.retrieval import RetrievalScreen
from workbench.tui.widgets.prompt import ChoiceModal, ConfirmModal, PromptModal
from workbench.tui.widgets.side_pane import TextPane

HOPE = "Hope came later, slowly"


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def study(project_dir: Path) -> Path:
    """Tree order: Feeling understood, Holding hope (└ Warmth), Testing trust."""
    with Project.open(project_dir, actor="ann") as p:
        p.code("S1", *_span(HOPE), "Holding hope")
        p.code("S2", *_span(HOPE), "Holding hope")
        p.code("S2", *_span("Hope came later"), "Testing trust")
        p.create_code("Warmth", parent="Holding hope")
    return project_dir


@pytest.fixture
def app(study: Path) -> WorkbenchApp:
    return WorkbenchApp([study], actor="ann")


async def _codebook(app: WorkbenchApp, pilot: object) -> CodebookScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(app.screen, CodebookScreen)
    return app.screen


def _tree_labels(screen: CodebookScreen) -> list[str]:
    tree = screen.query_one(CodeTree)
    nodes = (tree.get_node_at_line(line) for line in range(tree.last_line + 1))
    return [str(tree.process_label(node.label)) for node in nodes if node is not None]


def _code(path: Path, label: str) -> dict[str, object]:
    with reopen(path) as p:
        code = p.find_code(label, active_only=False)
        assert code is not None, label
        return code


async def _go_to(pilot: object, screen: CodebookScreen, label: str) -> None:
    """Move the tree cursor with the arrow keys until `label` is highlighted."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    labels = [screen.codes[c].label for c in screen.order]
    here = labels.index(screen.codes[screen.cursor_id or ""].label)
    step = "down" if labels.index(label) > here else "up"
    for _ in range(len(labels) + 1):
        if screen.codes[screen.cursor_id or ""].label == label:
            return
        await pilot.press(step)
    raise AssertionError(f"{label} not reachable")


# -- showing the codebook -----------------------------------------------------------------------------
async def test_the_tree_shows_codes_in_tree_order_with_counts_level_and_status(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        assert _tree_labels(screen) == [
            "● Feeling understood (1 seg · 1 ppt) initial",
            "● Holding hope (2 seg · 2 ppt) initial",
            "● Warmth (0 seg · 0 ppt) initial",
            "● Testing trust (1 seg · 1 ppt) initial",
        ]
        tree = screen.query_one(CodeTree)
        warmth = screen.nodes[screen.order[2]]
        assert (
            warmth.parent is screen.nodes[screen.order[1]]
            and tree.cursor_node is screen.nodes[screen.order[0]]
        )


async def test_the_detail_pane_describes_the_highlighted_code(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Holding hope")
        detail = screen.query_one("#codebook-detail", TextPane).text
        assert "Holding hope" in detail
        assert "Level: initial (1 of 4)" in detail
        assert "2 segments · 2 participants" in detail
        assert "● active" in detail


async def test_both_layouts_fit_80x24_and_a_wide_terminal(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        tree = screen.query_one(CodeTree)
        detail = screen.query_one("#codebook-detail")
        assert tree.region.height >= 10 and detail.region.bottom <= 23  # the footer keeps the last line
        assert screen.region.contains_region(tree.region) and screen.region.contains_region(detail.region)
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert screen.has_class("-wide")
        assert detail.region.x > tree.region.x and detail.region.y == tree.region.y
    assert app.return_code in (None, 0)


async def test_400_codes_render_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big"
    with Project.create(path, "Big codebook", "gt", actor="ann") as p:
        for i in range(100):
            parent = p.create_code(f"Category {i:03d}")
            for j in range(3):
                p.create_code(f"Code {i:03d}.{j}", parent=parent)
    app = WorkbenchApp([path], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        started = time.perf_counter()
        screen.refresh_from_project()
        await pilot.pause()
        elapsed = time.perf_counter() - started
        assert len(screen.order) == 400
        assert screen.query_one(CodeTree).last_line == 399
        assert elapsed < 1.0  # a sanity bound for slow CI machines; bench/ measures the 100 ms budget


# -- each key ----------------------------------------------------------------------------------------------
async def test_a_creates_a_code_and_highlights_it(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        await pilot.press(*"Loss", "enter")
        await pilot.pause()
        code = _code(study, "Loss")
        assert code["status"] == "active" and code["parent_id"] is None
        assert screen.cursor_id == code["id"]


async def test_r_renames_the_highlighted_code_and_keeps_it_highlighted(
    app: WorkbenchApp, study: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Testing trust")
        code_id = screen.cursor_id
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Acceptance", "enter")
        await pilot.pause()
        assert _code(study, "Acceptance")["id"] == code_id
        # It sorts first now, and the cursor went with it.
        assert screen.cursor_id == code_id
        assert code_id is not None and screen.query_one(CodeTree).cursor_node is screen.nodes[code_id]
        assert screen.query_one(CodeTree).cursor_line == 0


async def test_escape_cancels_a_rename(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _codebook(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Nope", "escape")
        await pilot.pause()
        with reopen(study) as p:
            assert p.find_code("Nope") is None and p.find_code("Feeling understood") is not None


async def test_d_redefines_the_code(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _codebook(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"Peer is heard as knowing", "enter")
        await pilot.pause()
        assert _code(study, "Feeling understood")["definition"] == "Peer is heard as knowing"


async def test_v_moves_a_code_under_another_and_back_to_the_top(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Warmth")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0] == "(top level)" and "Warmth" not in " ".join(prompts)
        await pilot.press("down", "enter")  # from (top level) to Feeling understood
        await pilot.pause()
        assert _code(study, "Warmth")["parent_id"] == _code(study, "Feeling understood")["id"]
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")  # (top level) is first and highlighted
        await pilot.pause()
        assert _code(study, "Warmth")["parent_id"] is None


async def test_v_offers_no_descendant_as_a_new_parent(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Holding hope")
        await pilot.press("v")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt).strip() for i in range(options.option_count)]
        assert prompts == ["(top level)", "Feeling understood", "Testing trust"]


async def test_plus_and_minus_step_along_the_methods_levels(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _codebook(app, pilot)
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert _code(study, "Feeling understood")["level"] == "category"
        await pilot.press("minus")
        await pilot.pause()
        assert _code(study, "Feeling understood")["level"] == "focused"
        await pilot.press("minus", "minus")  # the second is refused: already the lowest level
        await pilot.pause()
        assert _code(study, "Feeling understood")["level"] == "initial"
        with reopen(study) as p:
            assert [e["event"] for e in p.lineage("Feeling understood")].count("level") == 4


async def test_levels_come_from_the_method_plugins_vocabulary_when_registered(study: Path) -> None:
    from workbench import hookimpl

    class Levels:
        @hookimpl
        def register_vocabularies(self, register: object) -> None:
            assert callable(register)
            register("code-levels", "gt", [Term("initial", "initial"), Term("theory", "theoretical code")])

    from workbench.plugins import PluginHost

    host = PluginHost(sources=(), environ={}, discover_config=False)  # no bundled GT plugin's levels
    host.register_plugin(Levels(), "levels")
    app = WorkbenchApp([study], actor="ann", host=host)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        assert [t.id for t in screen.levels()] == ["initial", "theory"]
        await pilot.press("plus")
        await pilot.pause()
        assert _code(study, "Feeling understood")["level"] == "theory"
        assert _tree_labels(screen)[0].endswith(" TC")  # a long level label shows as initials
        assert "Level: theoretical code (2 of 2)" in screen.query_one("#codebook-detail", TextPane).text


def test_long_level_names_are_shortened_to_initials() -> None:
    terms = [Term("personal-experiential-theme", "personal experiential theme")]
    assert short_level("personal-experiential-theme", terms) == "PET"
    assert short_level("focused", []) == "focused"


async def test_space_marks_and_M_merges_into_the_highlighted_code(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await pilot.press("space")  # Feeling understood
        await _go_to(pilot, screen, "Holding hope")
        await pilot.press("space")
        assert _tree_labels(screen)[0].startswith("◆ ● Feeling understood")
        await _go_to(pilot, screen, "Testing trust")
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        await pilot.press("enter")  # keep the highlighted code as the target
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        with reopen(study) as p:
            target = p.code_by_label("Testing trust")
            for label in ("Feeling understood", "Holding hope"):
                assert _code(study, label)["status"] == "merged"
            assert len(p.coded_segments("Testing trust")) == 4  # 1 + 2 + its own 1
            assert _code(study, "Feeling understood")["merged_into"] == target["id"]
        assert screen.marked == []
        assert screen.codes[screen.cursor_id or ""].label == "Testing trust"


async def test_M_can_merge_into_a_new_label_and_u_undoes_the_merge(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await pilot.press("space")
        await _go_to(pilot, screen, "Holding hope")
        await pilot.press("space", "M")
        await pilot.pause()
        await pilot.press(*"Connection", "enter")  # the highlighted code is marked: no default target
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        with reopen(study) as p:
            assert len(p.coded_segments("Connection")) == 3
            assert p.find_code("Holding hope") is None
        assert screen.codes[screen.cursor_id or ""].label == "Connection"
        await pilot.press("ctrl+z")
        await pilot.pause()
        with reopen(study) as p:
            assert p.find_code("Connection") is None
            assert len(p.coded_segments("Feeling understood")) == 1
            assert len(p.coded_segments("Holding hope")) == 2
            assert p.code_by_label("Holding hope")["status"] == "active"
        assert "Holding hope" in " ".join(_tree_labels(screen))


async def test_declining_the_merge_confirmation_changes_nothing(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await pilot.press("space")
        await _go_to(pilot, screen, "Testing trust")
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert _code(study, "Feeling understood")["status"] == "active"
        assert len(screen.marked) == 1


async def test_M_without_marks_explains_what_to_do(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _codebook(app, pilot)
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert any("space" in n.message for n in app.announcements)


async def test_S_splits_chosen_codings_into_a_new_code(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Holding hope")
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, PickCodingsModal)
        choices = app.screen.query_one(SelectionList)
        assert choices.option_count == 2
        assert str(choices.get_option_at_index(0).prompt).startswith("Alex, ")  # by citation
        await pilot.press("space", "enter")  # mark the first (Alex's) coding
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        await pilot.press(*"Late hope", "enter")
        await pilot.pause()
        with reopen(study) as p:
            (moved,) = p.coded_segments("Late hope")
            (kept,) = p.coded_segments("Holding hope")
            assert (moved.pseudonym, kept.pseudonym) == ("Alex", "Jas")
            assert p.code_by_label("Late hope")["parent_id"] is None
        assert screen.codes[screen.cursor_id or ""].label == "Late hope"


async def test_S_can_move_codings_into_an_existing_code(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Holding hope")
        await pilot.press("S")
        await pilot.pause()
        await pilot.press("space", "down", "space", "enter")
        await pilot.pause()
        await pilot.press(*"Feeling understood", "enter")
        await pilot.pause()
        with reopen(study) as p:
            assert len(p.coded_segments("Feeling understood")) == 3
            assert p.find_code("Holding hope", active_only=False)["status"] == "split"  # type: ignore[index]


async def test_R_retires_after_confirmation_and_A_shows_retired_codes(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Warmth")
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert _code(study, "Warmth")["status"] == "active"
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert _code(study, "Warmth")["status"] == "retired"
        assert "Warmth" not in " ".join(_tree_labels(screen))
        # The cursor stays where the code was rather than jumping to the top.
        assert screen.codes[screen.cursor_id or ""].label == "Testing trust"
        await pilot.press("A")
        await pilot.pause()
        assert any(label.startswith("✕ Warmth") for label in _tree_labels(screen))
        await pilot.press("A")
        await pilot.pause()
        assert "Warmth" not in " ".join(_tree_labels(screen))


async def test_inactive_codes_cannot_be_changed_and_say_why(app: WorkbenchApp, study: Path) -> None:
    with Project.open(study, actor="ann") as p:
        p.retire_code("Feeling understood")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await pilot.press("A")
        await pilot.pause()
        await _go_to(pilot, screen, "Feeling understood")
        assert screen.codes[screen.cursor_id or ""].status == "retired"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert any("only active codes" in n.message for n in app.announcements)


async def test_l_shows_the_lineage_of_the_code(app: WorkbenchApp, study: Path) -> None:
    with Project.open(study, actor="ann") as p:
        p.rename_code("Feeling understood", "Being understood")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await pilot.press("l")
        detail = screen.query_one("#codebook-detail", TextPane).text
        assert "Lineage of Being understood" in detail
        assert "renamed from «Feeling understood» to «Being understood»" in detail
        await pilot.press("l")
        assert "Definition:" in screen.query_one("#codebook-detail", TextPane).text
    with reopen(study) as p:
        assert p.lineage("Being understood")[0]["event"] == "rename"


async def test_enter_opens_retrieval_for_the_highlighted_code(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Holding hope")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "retrieval"
        assert isinstance(app.screen, RetrievalScreen)
        assert app.screen.query_input.value == '"Holding hope"'
        assert [h.pseudonym for h in app.screen.hit_list.hits] == ["Alex", "Jas"]
        assert app.retrieval_query is None  # consumed: the box now holds the query


async def test_every_key_has_an_id_and_tooltip_and_is_in_help(app: WorkbenchApp) -> None:
    bindings = [b for b in CodebookScreen.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) == len(CodebookScreen.BINDINGS)
    assert all(b.id and b.id.startswith("codebook.") and b.tooltip and b.description for b in bindings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _codebook(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        ids = {entry.id for entry in app.screen.entries}
        assert {b.id for b in bindings} <= ids


async def test_the_command_palette_runs_a_codebook_action(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _codebook(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Promote")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert _code(study, "Feeling understood")["level"] == "focused"


async def test_left_folds_a_branch_and_it_stays_folded_after_a_change(app: WorkbenchApp, study: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        await _go_to(pilot, screen, "Warmth")
        await pilot.press("left")  # a leaf: to its parent
        assert screen.codes[screen.cursor_id or ""].label == "Holding hope"
        await pilot.press("left")
        await pilot.pause()
        assert "Warmth" not in " ".join(_tree_labels(screen))
        await pilot.press("plus")  # any change rebuilds the tree
        await pilot.pause()
        assert _code(study, "Holding hope")["level"] == "focused"
        assert "Warmth" not in " ".join(_tree_labels(screen))
        await pilot.press("right")
        await pilot.pause()
        assert "Warmth" in " ".join(_tree_labels(screen))


async def test_enter_typed_ahead_of_the_cursor_messages_opens_the_code_the_cursor_is_on(
    app: WorkbenchApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        tree = screen.query_one(CodeTree)
        target = tree.get_node_at_line(tree.cursor_line + 2)
        assert target is not None and target.data is not None
        type_ahead(app, "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        assert screen.codes[target.data].label in app.screen.query_input.value


async def test_space_typed_ahead_of_the_cursor_keys_marks_the_code_the_cursor_went_to(
    app: WorkbenchApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _codebook(app, pilot)
        tree = screen.query_one(CodeTree)
        target = tree.get_node_at_line(tree.cursor_line + 1)
        assert target is not None and target.data is not None
        type_ahead(app, "down", "space")
        await pilot.pause()
        assert screen.marked == [target.data]


async def test_a_choice_toggled_ahead_of_enter_is_in_the_answer() -> None:
    app = _Picking()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        type_ahead(app, "down", "space", "enter")
        await pilot.pause()
    assert app.answers == [["K2"]]


class _Picking(App[None]):
    """The codings picker alone; records each answer it closed with."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[list[str] | None] = []

    def on_mount(self) -> None:
        choices = [("K1", "first"), ("K2", "second"), ("K3", "third")]
        self.push_screen(PickCodingsModal("Which?", choices), self.answers.append)


async def test_enter_pressed_twice_ahead_closes_the_picker_once() -> None:
    app = _Picking()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        type_ahead(app, "down", "space", "enter", "enter")
        await pilot.pause()
    assert app.answers == [["K2"]]


async def test_enter_then_escape_typed_ahead_keeps_the_choice_made_first() -> None:
    app = _Picking()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        type_ahead(app, "down", "space", "enter", "escape")
        await pilot.pause()
    assert app.answers == [["K2"]]
