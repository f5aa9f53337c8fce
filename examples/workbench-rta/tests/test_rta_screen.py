"""The themes screen driven headlessly at 80x24, judged by the project it leaves behind."""

from __future__ import annotations

from textual.app import App
from textual.widgets import DataTable
from workbench import Project

from workbench_rta import _themes_screen
from workbench_rta.screen import ThemesScreen
from workbench_rta.themes import add_theme, find_theme, themes


class Host(App[None]):
    """What the workbench does with a screen view: build it with ``factory(project)`` and push it."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(_themes_screen(self.project))


async def test_n_creates_a_candidate_theme_from_name_colon_concept(study: Project) -> None:
    app = Host(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Home: safe", "enter")
        await pilot.pause()
    (theme,) = themes(study)
    assert (theme.name, theme.concept, theme.status) == ("Home", "safe", "candidate")


async def test_a_new_theme_without_a_concept_is_refused_and_nothing_changes(study: Project) -> None:
    app = Host(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Home", "enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ThemesScreen)
    assert themes(study) == []


async def test_the_highlighted_themes_extracts_are_listed_with_citations(study: Project) -> None:
    add_theme(
        study, "Belonging", "safety comes from recognition", codes=["Expecting judgement", "Being recognised"]
    )
    app = Host(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.screen.query_one("#rta-extracts", DataTable)
        assert [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)] == ["Alex, 1:3", "Alex, 1:7"]


async def test_r_then_d_reviews_and_defines_the_theme(study: Project) -> None:
    theme_id = add_theme(study, "Belonging", "safety comes from recognition", codes=["Being recognised"])
    app = Host(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        assert find_theme(study, theme_id).status == "reviewed"
        await pilot.press("d", *"at ease", "enter")
        await pilot.pause()
    theme = find_theme(study, theme_id)
    assert (theme.status, theme.definition) == ("defined", "at ease")


async def test_j_writes_a_journal_entry_linked_to_the_theme_and_escape_closes(study: Project) -> None:
    theme_id = add_theme(study, "Belonging", "safety comes from recognition")
    app = Host(study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", *"I am wary", "enter", "p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ThemesScreen)
    (memo,) = [m for m in study.rows("memos") if m["type"] == "reflexive"]
    assert (memo["body"], memo["links"]) == ("I am wary", [f"record:{theme_id}"])
    assert [r["data"]["phase"] for r in study.records("rta.phase")] == ["coding"]
