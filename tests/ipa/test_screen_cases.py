"""Opening, revisiting and finishing a case from the IPA screen (f7) at 80x24, by keys alone.

The study is the three synthetic interviews (P01 Ann, P02 Ben, P03 Cara). Each test drives the screen
headlessly and asserts on what the researcher sees (header, list, message line, footer) or on the
project afterwards.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from wb_ipa import board, cases, notes
from wb_ipa.screens import CasePicker, Confirm, IpaScreen, Prompt

from tests.ipa.conftest import Wb, line_of, lines
from tests.tui.conftest import reopen, wait_until_open
from workbench.core.project import Project
from workbench.testing import make_host
from workbench.tui.app import WorkbenchApp
from workbench.tui.commands import binding_rows

SIZE = (80, 24)


class Host(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(IpaScreen(self.project))


def ipa(app: App[None]) -> IpaScreen:
    screen = app.screen
    assert isinstance(screen, IpaScreen), screen
    return screen


def header(app: App[None]) -> str:
    return str(ipa(app).query_one("#ipa-header", Static).render())


def message(app: App[None]) -> str:
    return str(ipa(app).query_one("#ipa-message", Static).render())


def rows(listing: OptionList) -> list[str]:
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def footer_keys(app: App[None]) -> dict[str, str]:
    """Key -> description of every footer entry drawn fully inside the 80 columns (``^p`` excluded)."""
    shown = {}
    for widget in app.screen.query("FooterKey"):
        region = widget.region
        if region.width and region.right <= SIZE[0] - len("▏^p Commands"):
            shown[str(getattr(widget, "key_display", ""))] = str(getattr(widget, "description", ""))
    return shown


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def open_by_typing(pilot: Pilot[None], text: str) -> None:
    await pilot.press("o")
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


def complete(wb: Wb, study: Path, case: str, source: str, phrase: str) -> None:
    """Take `case` through every step to 'PETs complete' with one statement in one PET."""
    d = str(study)
    wb("ipa", "start", d, case, "--skip-reflexive")
    said = wb("ipa", "statement", d, source, "--lines", lines(study, source, phrase), f"{case} said").out
    for step in ("noting", "statements", "clustering"):
        wb("ipa", "status", d, case, step)
    pet = wb("ipa", "pet", d, case, f"{case} PET").out.strip()
    wb("ipa", "move", d, said.strip(), pet)
    wb("ipa", "status", d, case, "PETs complete")


async def test_with_no_case_open_the_screen_lists_every_case_by_id_pseudonym_and_step(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE):
            listed = rows(ipa(app).listing)
            assert [row.split()[:2] for row in listed] == [["P01", "Ann"], ["P02", "Ben"], ["P03", "Cara"]]
            assert all("not started" in row for row in listed)
            assert "no case is open" in header(app)


async def test_enter_on_a_listed_case_opens_it_and_the_header_and_transcript_follow(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("down", "enter")
            await pilot.pause()
            assert cases.current(project) is not None and cases.current(project).participant == "P02"
            assert header(app).startswith("IPA · P02 Ben · reading")
            assert any("He spoke up for me" in row for row in rows(ipa(app).listing))
            assert message(app) == "P02 Ben is open, at reading"


async def test_the_open_case_key_is_drawn_in_the_footer_at_80_columns(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE):
            assert footer_keys(app).get("o") == "Open case"


async def test_the_case_prompt_lists_the_cases_and_typing_filters_them_by_pseudonym(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("o")
            picker = app.screen
            assert isinstance(picker, CasePicker)
            listing = picker.query_one(OptionList)
            assert len(rows(listing)) == 3
            await type_text(pilot, "ca")
            assert [row.split()[:2] for row in rows(listing)] == [["P03", "Cara"]]


async def test_a_typed_pseudonym_opens_its_case(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_by_typing(pilot, "Ben")
            assert header(app).startswith("IPA · P02 Ben")


async def test_a_typed_id_in_any_letter_case_opens_its_case(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_by_typing(pilot, "p03")
            assert header(app).startswith("IPA · P03 Cara")


async def test_an_unknown_name_is_refused_in_words_naming_the_cases_and_the_prompt_stays(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_by_typing(pilot, "Zed")
            picker = app.screen
            assert isinstance(picker, CasePicker)
            said = str(picker.query_one("#ipa-cases-message").render())
            assert said == "no case is called 'Zed'; the cases are: P01 Ann, P02 Ben, P03 Cara"
            assert "CASE" not in said and "workbench" not in said and "`" not in said


async def test_a_complete_case_reopens_as_a_logged_revisit_showing_its_board(study: Path, wb: Wb) -> None:
    complete(wb, study, "P01", "S1", "I can see a future")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            assert "PETs complete (locked) · reopens as a revisit" in rows(ipa(app).listing)[0]
            await pilot.press("enter")
            assert isinstance(app.screen, Confirm)
            await pilot.press("enter")
            await pilot.pause()
            assert header(app).startswith("IPA · P01 Ann · clustering (revisit")
            await pilot.press("v")
            assert rows(ipa(app).listing)[0].startswith("▣ A. P01 PET")
            assert cases.get(project, "P01").history[-1]["event"] == "revisit"


async def test_keeping_a_complete_case_closed_leaves_it_complete(study: Path, wb: Wb) -> None:
    complete(wb, study, "P01", "S1", "I can see a future")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "escape")
            await pilot.pause()
            assert cases.get(project, "P01").status == cases.COMPLETE
            assert message(app) == "P01 Ann stays complete"


async def test_starting_a_new_case_after_another_asks_what_i_might_be_carrying(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_by_typing(pilot, "Ben")
            prompt = app.screen
            assert isinstance(prompt, Prompt) and cases.BEFORE_NEXT_CASE in prompt.title_text
            prompt.query_one(Input).value = "Ann's relief"
            await pilot.press("enter")
            await pilot.pause()
            assert cases.get(project, "P02").history[-1]["event"] == "before-next-case answered"
            assert message(app) == "P02 Ben is open, at reading; reflexive note saved"


async def test_escaping_the_before_next_case_question_logs_it_as_skipped(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_by_typing(pilot, "Ben")
            await pilot.press("escape")
            await pilot.pause()
            assert cases.get(project, "P02").history[-1]["event"] == "before-next-case skipped"
            assert header(app).startswith("IPA · P02 Ben")


async def test_the_next_step_key_moves_the_open_case_one_step_on(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            await pilot.pause()
            assert cases.get(project, "P01").status == "noting"
            assert header(app).startswith("IPA · P01 Ann · noting")


async def test_marking_pets_complete_asks_first_then_locks_and_closes_the_case(study: Path, wb: Wb) -> None:
    d = str(study)
    wb("ipa", "start", d, "P01")
    for step in ("noting", "statements", "clustering"):
        wb("ipa", "status", d, "P01", step)
    wb("ipa", "pet", d, "P01", "Hope")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a")
            assert isinstance(app.screen, Confirm)
            await pilot.press("enter")
            await pilot.pause()
            assert cases.get(project, "P01").locked
            assert cases.current(project) is None and "no case is open" in header(app)


async def test_a_note_on_a_blank_line_is_refused_as_blank_without_asking_for_text(
    study: Path, wb: Wb
) -> None:
    wb("ipa", "start", str(study), "P01")
    blank = line_of(study, "S1", "How did you first meet") + 1
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            ipa(app).listing.highlighted = blank - 1
            await pilot.press("d")
            assert isinstance(app.screen, IpaScreen)
            assert message(app) == (
                "Not done: this line is blank; move to a line the participant or interviewer said"
            )
            assert notes.all_notes(project) == []


async def test_every_ipa_action_is_in_help_and_the_palette_in_every_view(study: Path, wb: Wb) -> None:
    wb("ipa", "start", str(study), "P01")
    every = {b.id for b in IpaScreen.BINDINGS if not isinstance(b, tuple) and b.id}
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            for _view in range(5):
                listed = {row[2].binding.id for row in binding_rows(ipa(app))}
                assert every <= listed, ipa(app).view
                await pilot.press("v")


async def test_the_footer_shows_noting_keys_in_the_text_view_and_clustering_keys_on_the_board(
    study: Path, wb: Wb
) -> None:
    wb("ipa", "start", str(study), "P01")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            text_keys = footer_keys(app)
            await pilot.press("v")
            await pilot.pause()
            board_keys = footer_keys(app)
    assert {"d", "l", "c", "e", "o", "v"} <= set(text_keys)
    assert {"p", "i", "n", "t", "o", "v"} <= set(board_keys)


async def test_a_pseudonym_with_brackets_is_shown_as_written(tmp_path: Path, wb: Wb) -> None:
    study = tmp_path / "study"
    wb("new", str(study), "--title", "Brackets", "--method", "ipa")
    transcript = tmp_path / "jo.txt"
    transcript.write_text("Participant: It was [/] fine, really.\n", encoding="utf-8")
    wb("add", str(study), str(transcript), "--participant", "P01", "--pseudonym", "[Jo]")
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            assert rows(ipa(app).listing)[0].split()[:2] == ["P01", "[Jo]"]
            await pilot.press("enter")
            await pilot.pause()
            assert header(app).startswith("IPA · P01 [Jo] · reading")


async def test_at_80x24_a_case_is_noted_stated_and_clustered_by_keys_alone(study: Path) -> None:
    with Project.open(study) as project:
        app = Host(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_by_typing(pilot, "Ann")
            ipa(app).listing.highlighted = line_of(study, "S1", "I can see a future") - 1
            await pilot.press("c")
            await type_text(pilot, "hope borrowed from her")
            await pilot.press("enter", "e")
            await type_text(pilot, "Hope through her")
            await pilot.press("enter", "v", "down", "p", "n")
            await type_text(pilot, "Borrowed hope")
            await pilot.press("enter")
            await pilot.pause()
            (pet,) = board.themes(project, case="P01", levels=("pet",))
            assert pet.name == "Borrowed hope"
            first, second = rows(ipa(app).listing)[:2]
            assert first.startswith("▣ A. Borrowed hope  (1 statement")
            assert second.startswith("   · Hope through her  [1:")
            assert message(app) == "new PET 'Borrowed hope', holding 'Hope through her'"


async def test_f7_in_the_workbench_opens_a_case_and_the_header_names_it_at_once(study: Path) -> None:
    app = WorkbenchApp([study], host=make_host(), actor="ann")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until_open(pilot, app)
        await pilot.press("f7")
        await pilot.pause()
        await open_by_typing(pilot, "Cara")
        assert header(app).startswith("IPA · P03 Cara · reading · text · S3")
        assert any("I felt like a person again" in row for row in rows(ipa(app).listing))
    with reopen(study) as project:
        assert cases.current(project) is not None and cases.current(project).participant == "P03"


def test_every_ipa_key_has_an_id_and_a_tooltip() -> None:
    from wb_ipa.screens import BoardList, CaseList, TextList

    for owner in (IpaScreen, TextList, BoardList, CaseList, CasePicker, Confirm, Prompt):
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            assert binding.id and binding.id.startswith("ipa.") and binding.tooltip, (owner, binding)
