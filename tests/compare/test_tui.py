"""CMP-5: the side-by-side screen, driven from the keyboard at 80x24, asserting on workspace state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static, Tree
from wb_compare import mappings
from wb_compare.screen import CompareScreen, open_screen

from tests.cli.conftest import tree_digest
from workbench import Project, WorkbenchError


class _Host(App[None]):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(open_screen(self.project))


@asynccontextmanager
async def _screen(workspace: Path) -> AsyncIterator[tuple[Any, Project]]:
    with Project.open(workspace) as project:
        app = _Host(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            yield pilot, project


async def _find(pilot: Any, text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await pilot.pause()


def _labels(tree: Tree[str]) -> list[str]:
    out: list[str] = []
    stack = list(tree.root.children)
    while stack:
        node = stack.pop(0)
        out.append(str(node.label))
        stack[:0] = list(node.children)
    return out


async def test_two_concepts_are_mapped_from_the_keyboard_at_80x24(workspace: Path) -> None:
    async with _screen(workspace) as (pilot, project):
        await _find(pilot, "process")
        await pilot.press("p")
        await _find(pilot, "known")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # ≡ ⊃ ⊂ ∩: overlap
        await pilot.press(*"via disclosure", "enter")
        await pilot.pause()
        found = mappings.all_mappings(project)
        assert [(m.a, m.relation, m.b, m.rationale) for m in found] == [
            ("A:code:C23", "overlap", "B:record:R50", "via disclosure")
        ]
        assert found[0].method_note  # CMP-13 recorded with the mapping


async def test_at_80_columns_one_tree_shows_and_p_switches_to_the_other(workspace: Path) -> None:
    async with _screen(workspace) as (pilot, _project):
        tree_a = pilot.app.screen.query_one("#cmp-tree-a", Tree)
        tree_b = pilot.app.screen.query_one("#cmp-tree-b", Tree)
        assert tree_a.display and not tree_b.display
        await pilot.press("p")
        await pilot.pause()
        assert tree_b.display and not tree_a.display and tree_b.has_focus


async def test_the_map_dialog_shows_the_method_awareness_prompt_and_escape_maps_nothing(
    workspace: Path,
) -> None:
    async with _screen(workspace) as (pilot, project):
        await pilot.press("m")
        await pilot.pause()
        head = str(pilot.app.screen.query_one("#cmp-map-head", Static).render())
        assert "process category (GT)" in head and "experiential theme (IPA)" in head
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CompareScreen)
        assert mappings.all_mappings(project) == []


async def test_a_mapping_without_a_rationale_is_not_saved(workspace: Path) -> None:
    async with _screen(workspace) as (pilot, project):
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter", "enter")  # ≡ chosen, empty rationale submitted
        await pilot.pause()
        assert mappings.all_mappings(project) == []


async def test_u_filters_to_unmapped_concepts(workspace: Path, cli: Any) -> None:
    cli("compare", "map", str(workspace), "Dual roles", "R52", "--relation", "refutes", "--rationale", "r")
    async with _screen(workspace) as (pilot, _project):
        tree = pilot.app.screen.query_one("#cmp-tree-a", Tree)
        assert any("✕ Dual roles" in label for label in _labels(tree))
        await pilot.press("u")
        await pilot.pause()
        labels = _labels(tree)
        assert not any("Dual roles (n" in label for label in labels)
        assert any("· Holding dual roles" in label for label in labels)


async def test_selecting_a_concept_marks_its_counterpart_and_shows_both_definitions(
    workspace: Path, cli: Any
) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", "r")
    async with _screen(workspace) as (pilot, _project):
        await _find(pilot, "product")
        detail = str(pilot.app.screen.query_one("#cmp-detail", Static).render())
        assert "What disclosure makes possible" in detail
        assert "≡ B Safety through shared experience" in detail
        tree_b = pilot.app.screen.query_one("#cmp-tree-b", Tree)
        assert any(
            label.startswith("» ") and "Safety through shared experience" in label
            for label in _labels(tree_b)
        )


async def test_x_deletes_the_highlighted_pairs_mapping_with_a_reason(workspace: Path, cli: Any) -> None:
    cli("compare", "map", str(workspace), "C24", "R49", "--relation", "equivalent", "--rationale", "r")
    async with _screen(workspace) as (pilot, project):
        await _find(pilot, "product")
        await pilot.press("p")
        await _find(pilot, "Safety")
        await pilot.press("x", *"no", "enter")
        await pilot.pause()
        assert mappings.all_mappings(project) == []
        deleted = mappings.all_mappings(project, include_deleted=True)[0]
        assert deleted.history[-1]["event"] == "delete" and deleted.history[-1]["rationale"] == "no"


async def test_s_moves_to_a_suggested_counterpart_without_mapping_it(workspace: Path) -> None:
    before = tree_digest(workspace)
    async with _screen(workspace) as (pilot, project):
        await _find(pilot, "Embodying")
        await pilot.press("s")
        await pilot.pause()
        tree_b = pilot.app.screen.query_one("#cmp-tree-b", Tree)
        assert tree_b.cursor_node is not None and tree_b.cursor_node.data == "B:record:R51"
        assert mappings.all_mappings(project) == []
    assert tree_digest(workspace) == before


def test_the_screen_refuses_a_project_that_is_not_a_workspace(demos: tuple[Path, Path]) -> None:
    with (
        Project.open(demos[0], readonly=True) as project,
        pytest.raises(WorkbenchError, match="not a comparison"),
    ):
        open_screen(project)
