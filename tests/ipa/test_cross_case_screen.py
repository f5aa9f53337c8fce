"""The cross-case screen (f8) driven headlessly by keys at 80x24, asserting on project state afterwards.

The study is built once through the real CLI (Ann and Ben complete, Cara not started, recurrence rule
"2 participants") and copied for each test, so every test starts from the same two locked cases.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from wb_ipa import board, gets, quotes
from wb_ipa.cross_case_screen import CrossCaseScreen, ExtractPicker
from wb_ipa.screens import Prompt

from tests.ipa.conftest import make_study, run_wb
from tests.tui.conftest import reopen, wait_until_open
from workbench.core.project import Project
from workbench.testing import make_host
from workbench.tui.app import WorkbenchApp

CASES = {
    "P01": ("S1", {"a1": ("Safe with someone who had been there", "something in me just unclenched")}),
    "P02": ("S2", {"b1": ("Safe to say it was bad", "Safe, honestly."), "b2": ("Spoken for", "He spoke up")}),
}
PETS = {"A": ("P01", "Safety", ["a1"]), "H": ("P01", "Hope", []), "S": ("P02", "Sameness", ["b1"])}


class Base:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.ids: dict[str, str] = {}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    """Ann (PETs Safety, Hope) and Ben (PETs Sameness, Advocacy) complete; rule: at least 2 participants."""
    made = Base(make_study(tmp_path_factory.mktemp("ipa-cross") / "study"))
    d = str(made.directory)
    for case, (source, said) in CASES.items():
        run_wb("ipa", "start", d, case, "--skip-reflexive")
        for key, (text, quote) in said.items():
            made.ids[key] = run_wb("ipa", "statement", d, source, "--quote", quote, text).out.strip()
        for status in ("noting", "statements", "clustering"):
            run_wb("ipa", "status", d, case, status)
        for key, (owner, name, members) in {**PETS, "V": ("P02", "Advocacy", ["b2"])}.items():
            if owner == case:
                made.ids[key] = run_wb("ipa", "pet", d, case, name).out.strip()
                for statement in members:
                    run_wb("ipa", "move", d, made.ids[statement], made.ids[key])
        run_wb("ipa", "status", d, case, "PETs complete")
    run_wb("ipa", "settings", d, "--recurrence", "2")
    return made


@pytest.fixture
def study(base: Base, tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    target = tmp_path / "study"
    shutil.copytree(base.directory, target)
    yield target, dict(base.ids)


def wb(study: Path, *args: str) -> str:
    return run_wb(*[str(study) if a == "DIR" else a for a in args]).out.strip()


def fed_get(study: Path, name: str, *pets: str) -> str:
    """A new GET that the given PETs feed; its id."""
    get = wb(study, "ipa", "get", "DIR", name)
    for pet in pets:
        wb(study, "ipa", "feed", "DIR", get, pet)
    return get


class Host(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.said: list[str] = []  # every notification's message

    def notify(self, message: str, **kwargs: Any) -> None:
        self.said.append(message)
        super().notify(message, **kwargs)

    def on_mount(self) -> None:
        self.push_screen(CrossCaseScreen(self.project))


def board_screen(app: App[None]) -> CrossCaseScreen:
    screen = app.screen
    assert isinstance(screen, CrossCaseScreen)
    return screen


def texts(app: App[None]) -> list[str]:
    listing = app.screen.query_one(OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def move_to(pilot: Pilot[None], app: App[None], item: tuple[str, Any]) -> None:
    """Walk the cursor with the arrow keys (from the top) until it is on `item`."""
    screen = board_screen(app)
    await pilot.press("home")
    for _ in range(len(screen.items)):
        if screen._cursor() == item:
            return
        await pilot.press("down")
    raise AssertionError(f"{item} is not in the list: {texts(app)}")


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def answer(pilot: Pilot[None], app: App[None], text: str) -> None:
    """Fill the open prompt and press enter (typing itself is tested once, in the f8 test)."""
    prompt = app.screen
    assert isinstance(prompt, Prompt)
    prompt.query_one(Input).value = text
    await pilot.press("enter")


def themes(study: Path) -> list[board.Theme]:
    """GETs and sub-themes as another process sees them after the keys."""
    with reopen(study) as project:
        return board.themes(project, levels=("get", "get-subtheme"))


async def test_a_held_pet_feeds_two_gets_and_stays_in_hand(study: tuple[Path, dict[str, str]]) -> None:
    path, ids = study
    first, second = wb(path, "ipa", "get", "DIR", "Being understood"), wb(path, "ipa", "get", "DIR", "Calm")
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("pet", ids["A"]))
            await pilot.press("p")
            await move_to(pilot, app, ("get", first))
            await pilot.press("i")
            await move_to(pilot, app, ("get", second))
            await pilot.press("i")
            assert board_screen(app).held == ids["A"]
    assert [(t.id, t.members) for t in themes(path)] == [(first, (ids["A"],)), (second, (ids["A"],))]


async def test_g_makes_a_get_that_the_held_pet_feeds(study: tuple[Path, dict[str, str]]) -> None:
    path, ids = study
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("pet", ids["S"]))
            await pilot.press("p", "g")
            await answer(pilot, app, "Kinship")
            await pilot.pause()
    assert [(t.level, t.name, t.members) for t in themes(path)] == [("get", "Kinship", (ids["S"],))]


async def test_s_makes_a_sub_theme_under_the_get_at_the_cursor(study: tuple[Path, dict[str, str]]) -> None:
    path, _ids = study
    top = wb(path, "ipa", "get", "DIR", "Being understood")
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("get", top))
            await pilot.press("s")
            await answer(pilot, app, "Calm")
            await pilot.pause()
            assert any(t.startswith("   ◇ 1a Calm") for t in texts(app))
    assert [(t.level, t.name, t.parent) for t in themes(path)][1:] == [("get-subtheme", "Calm", top)]


async def test_x_takes_a_pet_out_of_its_get_and_it_returns_to_the_idiographic_check(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    top = fed_get(path, "Being understood", ids["A"])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("member", (top, ids["A"])))
            await pilot.press("x")
            await pilot.pause()
            assert ("lost", ids["A"]) in board_screen(app).items
    assert themes(path)[0].members == ()


async def test_n_writes_the_convergence_note_for_the_get_and_participant_at_the_cursor(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    top = fed_get(path, "Being understood", ids["A"], ids["S"])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("v")  # cells view: GET × participant
            await move_to(pilot, app, ("cell", (top, "P02")))
            await pilot.press("n")
            await answer(pilot, app, "as permission")
            await pilot.pause()
            assert "      ↔ as permission" in texts(app)
    assert themes(path)[0].cells["P02"]["note"] == "as permission"


async def test_e_opens_the_picker_on_that_participant_and_enter_chooses_the_extract(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    top = fed_get(path, "Being understood", ids["A"], ids["S"])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("v")
            await move_to(pilot, app, ("cell", (top, "P02")))
            await pilot.press("e")
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, ExtractPicker)
            title = str(picker.query_one("#ipa-picker-title", Static).render())
            assert title == "Extracts for Being understood: 0 of 2 participants quoted"
            assert picker._chosen() == ("P02", ids["b1"])  # the cursor's participant comes first
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            again = app.screen
            assert isinstance(again, ExtractPicker)
            assert "1 of 2 participants quoted" in str(again.query_one("#ipa-picker-title", Static).render())
    extracts = themes(path)[0].cells["P02"]["extracts"]
    assert [e["statement"] for e in extracts] == [ids["b1"]]


async def test_o_in_the_picker_leaves_the_typed_words_out_as_an_ellipsis(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    top = fed_get(path, "Being understood", ids["S"])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("get", top))
            await pilot.press("e", "o")
            await pilot.pause()
            assert isinstance(app.screen, Prompt)
            await answer(pilot, app, "honestly")
            await pilot.pause()
    with reopen(path) as project:
        extract = board.get(project, top).cells["P02"]["extracts"][0]
        assert quotes.format_quote(project, extract) == '"Safe, […] ." (Ben, 1:9)'


async def test_recurrence_flags_show_a_glyph_and_a_word_on_each_get(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    shared, single = wb(path, "ipa", "get", "DIR", "Shared"), wb(path, "ipa", "get", "DIR", "Single")
    for get, pet in ((shared, "A"), (shared, "S"), (single, "H")):
        wb(path, "ipa", "feed", "DIR", get, ids[pet])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            rows = [t for t in texts(app) if t.startswith("◆")]
    assert rows == ["◆ 1. Shared  ✓ meets rule 2/2", "◆ 2. Single  ✗ flagged 1/2"]


async def test_the_idiographic_check_lists_every_pet_that_reached_no_get(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    fed_get(path, "Shared", ids["A"])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown = texts(app)
            lost = shown[shown.index("✗ Idiographic check: 3 PET(s) in no GET") + 1 :]
    assert lost == [
        "   ✗ [Ann] B. Hope: in no GET",
        "   ✗ [Ben] A. Sameness: in no GET",
        "   ✗ [Ben] B. Advocacy: in no GET",
    ]
    with reopen(path) as project:
        assert [pet.name for _case, pet in gets.idiographic_loss(project)] == ["Hope", "Sameness", "Advocacy"]


async def test_r_renames_the_get_at_the_cursor_starting_from_its_name(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, _ids = study
    top = wb(path, "ipa", "get", "DIR", "Being")
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("get", top))
            await pilot.press("r")
            assert app.screen.query_one(Input).value == "Being"
            await answer(pilot, app, "Being seen")
            await pilot.pause()
    assert [t.name for t in themes(path)] == ["Being seen"]


async def test_d_deletes_an_empty_get_but_refuses_one_that_pets_feed(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, ids = study
    fed, empty = wb(path, "ipa", "get", "DIR", "Fed"), wb(path, "ipa", "get", "DIR", "Empty")
    wb(path, "ipa", "feed", "DIR", fed, ids["A"])
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("get", fed))
            await pilot.press("d")
            await move_to(pilot, app, ("get", empty))
            await pilot.press("d")
            await pilot.pause()
            assert any("still has PETs feeding it" in message for message in app.said)
    assert [t.id for t in themes(path)] == [fed]


async def test_escape_puts_the_held_pet_down_before_closing(study: tuple[Path, dict[str, str]]) -> None:
    path, ids = study
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await move_to(pilot, app, ("pet", ids["H"]))
            await pilot.press("p", "escape")
            assert isinstance(app.screen, CrossCaseScreen) and app.screen.held is None
            await pilot.press("escape")
            assert not isinstance(app.screen, CrossCaseScreen)


async def test_the_board_stays_closed_until_two_cases_are_complete(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, _ids = study
    wb(path, "ipa", "status", "DIR", "P02", "clustering")  # a revisit: Ben is no longer complete
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert texts(app) == [
                "✗ cross-case analysis opens when 2 cases are 'PETs complete' (1 so far: P01)"
            ]
            await pilot.press("g")
            await pilot.pause()
            assert isinstance(app.screen, CrossCaseScreen)  # no name prompt: nothing can be made
    assert themes(path) == []


async def test_bracketing_hides_every_pet_while_a_case_is_open(study: tuple[Path, dict[str, str]]) -> None:
    path, _ids = study
    wb(path, "ipa", "start", "DIR", "P03", "--skip-reflexive")
    with Project.open(path) as project:
        app = Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown = texts(app)
    assert len(shown) == 1 and shown[0].startswith("✗ bracketing: P03 is open")


async def test_f8_opens_the_cross_case_screen_from_the_workbench_and_its_changes_are_durable(
    study: tuple[Path, dict[str, str]],
) -> None:
    path, _ids = study
    app = WorkbenchApp([path], host=make_host(), actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, CrossCaseScreen)
        await pilot.press("g")
        await type_text(pilot, "Kinship")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, CrossCaseScreen)
    assert [t.name for t in themes(path)] == ["Kinship"]
