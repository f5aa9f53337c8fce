"""ICR-2 in the transcript view at 80x24: `v` shows all layers (each marker tagged with its coder's
initial), the union, one coder's layer or the consensus layer; an open blind round is never drawn.

S1 (the TUI fixture transcript): "you actually get it" (line 4) is coded "Feeling understood" by ann,
by bob and in the consensus layer; "Hope came later" (line 9) "Hope" by bob; carl codes line 9
"Secret" in the still-open blind round r1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import TEXT, reopen, wait_until_open
from workbench.core.icr.rounds import code_in_round, create_round
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.transcript import TranscriptScreen
from workbench.tui.widgets.prompt import ChoiceModal

SEGMENT = (TEXT.index("you actually get it"), TEXT.index("you actually get it") + len("you actually get it"))
HOPE = (TEXT.index("Hope came later"), TEXT.index("Hope came later") + len("Hope came later"))
CYCLE = ["all", "union", "coder:ann", "coder:bob", "consensus"]


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    path = tmp_path / "study"
    with Project.create(path, "Peer support", "gt", actor="ann") as p:
        p.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
        p.code("S1", *SEGMENT, "Feeling understood")
        p.code("S1", *SEGMENT, "Feeling understood", coder="bob")
        p.code("S1", *HOPE, "Hope", coder="bob")
        p.code("S1", *SEGMENT, "Feeling understood", layer="consensus")
        p.create_code("Secret")
        create_round(p, "r1", ["carl", "dana"], "line", sources=["S1"])
        code_in_round(p, "r1", "S1", *HOPE, "Secret", coder="carl")
    return path


@pytest.fixture
def app(project_dir: Path) -> WorkbenchApp:
    return WorkbenchApp([project_dir], actor="ann")


async def transcript(pilot: Pilot[None], app: WorkbenchApp, offset: int = 0) -> TranscriptScreen:
    await wait_until_open(pilot, app)
    app.open_transcript("S1", offset)
    await pilot.pause()
    assert isinstance(app.screen, TranscriptScreen)
    return app.screen


def row(screen: TranscriptScreen, line: int) -> str:
    view = screen.view
    return view.render_line(view.row_of_line(line - 1) - int(view.scroll_offset.y)).text


def margin(screen: TranscriptScreen, line: int) -> str:
    """The marker cells of a line: between the gutter (" 4 ") and the bar."""
    return row(screen, line).split("│")[0][3:]


def legend(screen: TranscriptScreen) -> str:
    return screen.side_pane.section_text("transcript-legend")


async def test_all_layers_tag_each_marker_with_its_coders_initial(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app)
        assert "=F aF bF│I thought (.) right" in row(screen, 4)
        assert " 9 bH      │Participant: I could" in row(screen, 9)
        text = legend(screen)
        assert " =  consensus layer" in text and " a  ann's layer" in text and " b  bob's layer" in text


async def test_v_cycles_union_each_coder_and_consensus_and_changes_nothing(
    app: WorkbenchApp, project_dir: Path
) -> None:
    with reopen(project_dir) as project:
        events = len(project.audit_events())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app)
        drawn = {}
        for _ in CYCLE:
            await pilot.press("v")
            drawn[screen.layer_choice] = (margin(screen, 4), margin(screen, 9))
        assert drawn == {
            "union": ("F", "H"),
            "coder:ann": ("F", " "),
            "coder:bob": ("F", "H"),
            "consensus": ("F", " "),
            "all": ("=F aF bF", "bH      "),
        }
        await pilot.press("v", "v", "v")
        status = str(screen.query_one("#transcript-status").render())
        assert "layer: bob's layer" in status
    with reopen(project_dir) as project:
        assert len(project.audit_events()) == events


async def test_an_open_blind_round_is_never_offered_nor_drawn(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app)
        assert [choice for choice, _text in screen.layer_choices()] == CYCLE
        for _ in CYCLE:
            assert all(c.label != "Secret" for c in screen.view.codings)
            assert "Secret" not in legend(screen) and "carl" not in legend(screen)
            await pilot.press("v")


async def test_V_chooses_the_layer_from_a_list(app: WorkbenchApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app)
        await pilot.press("V")
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "down", "down", "down", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.layer_choice == "consensus"
        assert "Layers shown: consensus layer" in legend(screen)


async def test_coding_while_showing_another_coders_layer_goes_into_your_own(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app, TEXT.index("Changed it how"))
        screen.set_layer_choice("coder:bob")
        app.last_code = "Hope"
        await pilot.press("full_stop")
        await pilot.pause()
        assert margin(screen, 7) == " "  # bob's layer does not draw ann's new coding
    with reopen(project_dir) as project:
        hope = project.find_code("Hope")
        assert hope is not None
        mine = [c for c in project.rows("codings") if c["code_id"] == hope["id"] and c["coder"] == "ann"]
        assert [(c["layer"], c["coder"]) for c in mine] == [("main", "ann")]


async def test_x_on_one_coders_layer_removes_only_that_coders_coding(
    app: WorkbenchApp, project_dir: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app, SEGMENT[0] + 2)
        screen.set_layer_choice("coder:bob")
        await pilot.press("x")
        await pilot.pause()
        assert margin(screen, 4) == " "
    with reopen(project_dir) as project:
        code = project.find_code("Feeling understood")
        assert code is not None
        left = sorted((c["coder"], c["layer"]) for c in project.rows("codings") if c["code_id"] == code["id"])
        assert left == [("ann", "consensus"), ("ann", "main")]


async def test_x_on_the_consensus_layer_points_to_adjudication(app: WorkbenchApp, project_dir: Path) -> None:
    with reopen(project_dir) as project:
        before = project.rows("codings")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await transcript(pilot, app, SEGMENT[0] + 2)
        screen.set_layer_choice("consensus")
        await pilot.press("x")
        await pilot.pause()
    with reopen(project_dir) as project:
        assert project.rows("codings") == before
