"""The IPA screen (f7) driven headlessly by keys, asserting on project state afterwards."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from wb_ipa import board, notes, statements
from wb_ipa.screens import IpaScreen

from tests.ipa.conftest import Wb, lines
from workbench.core.project import Project


class Host(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(IpaScreen(self.project))


async def type_text(pilot: Pilot[None], text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


def option_texts(app: App[None]) -> list[str]:
    screen = app.screen
    assert isinstance(screen, IpaScreen)
    listing = screen.listing
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def goto(pilot: Pilot[None], app: App[None], line: int) -> None:
    screen = app.screen
    assert isinstance(screen, IpaScreen)
    screen.listing.highlighted = line - 1
    await pilot.pause()


async def test_keys_add_a_note_and_a_statement_linked_to_it(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    target = int(lines(study, "S1", "Like breathing out").split("-")[0])
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await goto(pilot, app, target)
            await pilot.press("l")
            await type_text(pilot, "laughs before relief")
            await pilot.press("enter")
            await pilot.press("e")
            await type_text(pilot, "Relief at not explaining")
            await pilot.press("enter")
            await pilot.pause()
            found = notes.all_notes(project, case="P01")
            said = statements.all_statements(project, case="P01")
            assert [(n.type, n.text) for n in found] == [("L", "laughs before relief")]
            assert [(s.text, s.notes) for s in said] == [("Relief at not explaining", (found[0].id,))]
            assert any("L: laughs before relief" in t for t in option_texts(app))  # letter, not colour alone


async def test_board_pick_up_and_drop_into_a_new_pet_then_tag_it(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    wb(
        "ipa",
        "statement",
        str(study),
        "S1",
        "--lines",
        lines(study, "S1", "I can see a future"),
        "Hope ahead",
    )
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("v")  # board view: only "Not yet clustered" and the card
            assert option_texts(app)[0].startswith("○ Not yet clustered (1)")
            await pilot.press("down", "p", "n")
            await type_text(pilot, "Hope")
            await pilot.press("enter")
            await pilot.pause()
            pet = board.themes(project, case="P01", levels=("pet",))[0]
            assert pet.name == "Hope"
            assert statements.all_statements(project, case="P01")[0].cluster == pet.id
            await pilot.press("home", "t")
            await type_text(pilot, "abs|future as a light")
            await pilot.press("enter")
            await pilot.pause()
            tagged = board.get(project, pet.id)
            assert tagged.techniques == ("abstraction",) and tagged.rationale
            await pilot.press("escape")
            assert not isinstance(app.screen, IpaScreen)


async def test_drop_back_to_not_yet_clustered_and_discard_with_reason(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    d = str(study)
    first = wb(
        "ipa", "statement", d, "S1", "--lines", lines(study, "S1", "I can see a future"), "Hope"
    ).out.strip()
    pet = wb("ipa", "pet", d, "P01", "Hope").out.strip()
    wb("ipa", "move", d, first, pet)
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("v", "down", "p", "end", "i")  # card under the PET -> "Not yet clustered"
            await pilot.pause()
            assert statements.get(project, first).cluster is None
            await pilot.press("end", "x")
            await type_text(pilot, "off topic")
            await pilot.press("enter")
            await pilot.pause()
            assert statements.get(project, first).reason == "off topic"


async def test_screen_brackets_other_cases_while_case_two_is_open(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    hope = wb("ipa", "statement", d, "S1", "--lines", lines(study, "S1", "I can see a future"), "Ann's hope")
    pet = wb("ipa", "pet", d, "P01", "Ann's PET").out.strip()
    wb("ipa", "move", d, hope.out.strip(), pet)
    for status in ("noting", "statements", "clustering", "PETs complete"):
        wb("ipa", "status", d, "P01", status)
    wb("ipa", "start", d, "P02", "--skip-reflexive")
    wb("ipa", "statement", d, "S2", "--lines", lines(study, "S2", "Safe, honestly"), "Ben's safety")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            shown = []
            for _view in range(5):
                shown += option_texts(app)
                await pilot.press("v")
            joined = "\n".join(shown)
            assert "Ben's safety" in joined
            assert "Ann's hope" not in joined and "Ann's PET" not in joined
