"""The history view (`6`): the audit log, its chain check, filters and code lineage, by keys.

The merged fixture's log, oldest first:

    1 project.create   2 source.import (S1)   3 source.import (S2)
    4 coding.add (K1 "Feeling understood")     5 coding.add (K2 "Being heard")
    6 code.merge ("Feeling understood" + "Being heard" -> C3 "Understood")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.tui.conftest import TEXT, reopen
from workbench.core.project import Doc, Project
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens import history
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.history import DISPLAY_LIMIT, HistoryScreen, describe_entity, family_of
from workbench.tui.widgets.prompt import PromptModal

HEARD = "No translating"


@pytest.fixture
def merged_dir(project_dir: Path) -> Path:
    with Project.open(project_dir, actor="ann") as p:
        start = TEXT.index(HEARD)
        p.code("S1", start, start + len(HEARD), "Being heard")
        p.merge_codes(["Feeling understood", "Being heard"], "Understood")
    return project_dir


@pytest.fixture
def merged_app(merged_dir: Path) -> WorkbenchApp:
    return WorkbenchApp([merged_dir], actor="ann")


async def open_history(app: WorkbenchApp, pilot: Pilot[None]) -> HistoryScreen:
    await pilot.pause()
    await pilot.press("6")
    assert isinstance(app.screen, HistoryScreen)
    await settle(pilot, app.screen)
    return app.screen


async def settle(pilot: Pilot[None], screen: HistoryScreen) -> None:
    """Wait for the worker that reads and verifies the log, and for the table to fill."""
    for _ in range(1000):
        await pilot.pause(0.01)
        if screen.is_settled:
            return
    raise AssertionError("the history view never settled")


def on_top(app: WorkbenchApp) -> object:
    """The screen on top now (untyped, so checks after an earlier isinstance stay meaningful)."""
    return app.screen


def rows(screen: HistoryScreen) -> list[list[str]]:
    table = screen.query_one("#history-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def column(screen: HistoryScreen, index: int) -> list[str]:
    return [row[index] for row in rows(screen)]


def status(screen: HistoryScreen) -> str:
    return str(screen.query_one("#history-status", Static).render())


async def select_action(pilot: Pilot[None], screen: HistoryScreen, action: str) -> None:
    screen.query_one("#history-table", DataTable).move_cursor(row=column(screen, 3).index(action))
    await pilot.pause()


async def test_the_log_is_listed_newest_first_with_readable_entities(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        assert column(screen, 0) == ["6", "5", "4", "3", "2", "1"]
        assert column(screen, 3) == [
            "code.merge",
            "coding.add",
            "coding.add",
            "source.import",
            "source.import",
            "project.create",
        ]
        assert set(column(screen, 2)) == {"ann"}
        assert column(screen, 4)[1:5] == [
            "coding:K2 → Being heard",  # the code applied, by its label
            "coding:K1 → Feeling understood",
            "source:S2 Jas",  # sources with pseudonyms
            "source:S1 Alex",
        ]
        first = rows(screen)[0]
        assert len(first[1]) == 19 and first[1][10] == " "  # "YYYY-MM-DD HH:MM:SS", UTC


async def test_the_status_line_says_the_chain_is_intact_with_a_glyph(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        assert status(screen).startswith("✓ chain intact: 6 events")


async def test_a_broken_chain_names_the_first_broken_event(
    merged_app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Project) -> tuple[int, str | None]:
        return 3, "event 4: prev_hash does not match event 3"

    monkeypatch.setattr(Project, "verify_audit", broken)
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        assert status(screen).startswith("✗ chain BROKEN at event 4: prev_hash does not match event 3")
        assert "3 verified before it" in status(screen)


async def test_slash_filters_by_action_actor_or_entity_and_escape_clears(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        await pilot.press("slash", *"import")
        await settle(pilot, screen)
        assert column(screen, 3) == ["source.import", "source.import"]
        assert "2 of 6 match" in status(screen)
        await pilot.press("ctrl+u", *"Being heard", "enter")  # an entity's name
        await settle(pilot, screen)
        assert column(screen, 0) == ["5"]
        assert merged_app.focused is screen.query_one("#history-table")
        await pilot.press("escape")
        await settle(pilot, screen)
        assert len(rows(screen)) == 6
        await pilot.press("slash", *"nobody-did-this")
        await settle(pilot, screen)
        assert rows(screen) == []


async def test_a_cycles_action_families_and_back_to_all(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        seen: dict[str, list[str]] = {}
        for _ in range(len(history.FAMILIES)):
            await pilot.press("a")
            await settle(pilot, screen)
            seen[screen.family] = column(screen, 3)
        assert seen == {
            "coding": ["coding.add", "coding.add"],
            "code": ["code.merge"],
            "memo": [],
            "source": ["source.import", "source.import"],
            "undo/redo": [],
            "project": ["project.create"],
            "other": [],
            "all": [
                "code.merge",
                "coding.add",
                "coding.add",
                "source.import",
                "source.import",
                "project.create",
            ],
        }


def test_an_event_naming_only_a_kind_is_described_by_the_document_it_changed(merged_dir: Path) -> None:
    merge = {
        "action": "code.merge",
        "entity": "code",
        "after": {
            "snapshots/B1": {"id": "B1"},
            "codes/C1": {"status": "merged"},
            "codes/C3": {"status": "active"},
            "codes/C2": {"status": "merged"},
        },
        "before": {},
    }
    snapshot_named = {**merge, "entity": "snapshot:B1"}
    with reopen(merged_dir) as p:
        assert describe_entity(p, merge) == ("code:C3 Understood (+2)", "C3", None)
        assert describe_entity(p, snapshot_named)[1] == "C3"  # `l` still finds the merged-into code


def test_action_families_group_the_core_actions() -> None:
    assert family_of("coding.remove") == "coding"
    assert family_of("codebook.snapshot") == "code"
    assert family_of("participant.update") == "source"
    assert family_of("undo") == family_of("redo") == "undo/redo"
    assert family_of("link.create") == "other"


async def test_l_on_a_merge_shows_the_lineage_with_both_merged_codes(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        await select_action(pilot, screen, "code.merge")
        await pilot.press("l")
        assert screen.lineage is not None
        text = screen.lineage.plain
        assert text.startswith("Lineage of “Understood” (C3)")
        assert "● Understood (C3) [active]" in text
        assert "└─ ◌ Feeling understood (C1) [merged]" in text
        assert "└─ ◌ Being heard (C2) [merged]" in text
        assert "merged into “Understood” (C3)" in text
        pane = screen.query_one("#history-lineage-pane")
        assert pane.has_class("-shown") and pane.display


async def test_l_on_another_event_asks_for_a_code_offering_the_coded_one(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        screen.query_one("#history-table", DataTable).move_cursor(row=column(screen, 0).index("4"))
        await pilot.press("l")
        assert isinstance(merged_app.screen, PromptModal)
        assert merged_app.screen.value == "Feeling understood"
        await pilot.press("enter")
        assert on_top(merged_app) is screen
        assert screen.lineage is not None
        assert screen.lineage.plain.startswith("Lineage of “Feeling understood” (C1)")


async def test_shift_l_asks_for_any_code_by_label(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        await pilot.press("L")
        assert isinstance(merged_app.screen, PromptModal)
        await pilot.press("ctrl+u", *"being heard", "enter")  # any case
        assert screen.lineage is not None
        assert "Being heard (C2) [merged]" in screen.lineage.plain
        await pilot.press("L", "ctrl+u", *"No such code", "enter")
        assert screen.lineage is not None and "Being heard" in screen.lineage.plain  # unchanged


async def test_escape_clears_the_filter_first_then_closes_the_lineage(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        await pilot.press("l")  # newest event is the merge
        await pilot.press("slash", *"merge", "escape")
        await settle(pilot, screen)
        assert len(rows(screen)) == 6
        assert screen.query_one("#history-lineage-pane").has_class("-shown")
        await pilot.press("escape")
        assert not screen.query_one("#history-lineage-pane").has_class("-shown")
        assert screen.lineage is None


async def test_undo_and_redo_show_up_at_the_top_and_keep_the_chain_intact(
    merged_app: WorkbenchApp, merged_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    build_rows = history.build_rows

    def counting_build_rows(project: Project, events: Any) -> list[history.EventRow]:
        rows = build_rows(project, events)
        built.append(len(rows))
        return rows

    monkeypatch.setattr(history, "build_rows", counting_build_rows)
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        await pilot.press("l")
        await pilot.press("ctrl+z", "y")
        await settle(pilot, screen)
        assert rows(screen)[0][3] == "undo"
        entity = rows(screen)[0][4]  # the undo names what it undid
        assert entity.startswith("history ")
        assert entity.endswith(": merge Feeling understood, Being heard into 'Understood'")
        assert status(screen).startswith("✓ chain intact: 7 events")
        assert screen.lineage is not None
        assert screen.lineage.plain.startswith("C3: no code 'C3'")  # the merge made C3
        with reopen(merged_dir) as p:
            assert p.find_code("Understood") is None
            assert p.code_by_label("Being heard")["status"] == "active"
        await pilot.press("ctrl+r")
        await settle(pilot, screen)
        assert column(screen, 3)[:2] == ["redo", "undo"]
        assert status(screen).startswith("✓ chain intact: 8 events")
        assert built == [6, 1, 1]  # one full read, then each new event chained on alone
        assert "└─ ◌ Being heard (C2) [merged]" in screen.lineage.plain
        with reopen(merged_dir) as p:
            assert p.code_by_label("Understood")["id"] == "C3"
            assert p.verify_audit() == (8, None)


async def test_an_operation_elsewhere_is_read_in_full_on_return(
    merged_app: WorkbenchApp, merged_dir: Path
) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(merged_app, pilot)
        await pilot.press("1")
        merged_app.run_op(merged_app.project.write_memo, "Later", "two events", links=["Understood"])
        merged_app.run_op(merged_app.project.rename_code, "Understood", "Being understood")
        await pilot.press("6")
        await settle(pilot, screen)
        assert column(screen, 3)[:2] == ["code.rename", "memo.create"]
        assert rows(screen)[0][4] == "code:C3 Being understood"
        assert status(screen).startswith("✓ chain intact: 8 events")


def synthetic_log(count: int) -> list[Doc]:
    """A log as big as a long study's: mostly codings, some code and memo events."""
    events: list[Doc] = []
    for seq in range(1, count + 1):
        if seq % 100 == 0:
            action, entity, after = "code.rename", f"code:C{seq}", {f"codes/C{seq}": {"status": "active"}}
        elif seq % 250 == 1:
            action, entity, after = "memo.create", "memo", {f"memos/M{seq}": {"id": f"M{seq}"}}
        else:
            action, entity, after = "coding.add", "coding", {f"codings/K{seq}": {"code_id": "C1"}}
        events.append(
            {
                "seq": seq,
                "time": f"2025-01-01T00:00:{seq % 60:02d}.000000Z",
                "actor": "bench" if seq % 2 else "ann",
                "action": action,
                "entity": entity,
                "before": {},
                "after": after,
            }
        )
    return events


async def test_a_long_log_shows_the_newest_5000_builds_rows_once_and_says_so(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = synthetic_log(50_000)

    def events(self: Project) -> list[Doc]:
        return log

    def verified(self: Project) -> tuple[int, str | None]:
        return len(log), None

    builds: list[int] = []
    build_rows = history.build_rows

    def counting_build_rows(project: Project, rows: Any) -> list[history.EventRow]:
        built = build_rows(project, rows)
        builds.append(len(built))
        return built

    monkeypatch.setattr(Project, "audit_events", events)
    monkeypatch.setattr(Project, "verify_audit", verified)
    monkeypatch.setattr(history, "build_rows", counting_build_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert len(rows(screen)) == DISPLAY_LIMIT
        assert column(screen, 0)[:2] == ["50000", "49999"]
        assert "✓ chain intact: 50,000 events" in status(screen)
        assert f"newest {DISPLAY_LIMIT:,} shown" in status(screen)
        await pilot.press("slash", *"memo.create", "enter")
        await settle(pilot, screen)
        assert len(rows(screen)) == 200
        assert column(screen, 0)[-1] == "1"  # filtering reaches the oldest events
        assert "200 of 50,000 match" in status(screen)
        assert "newest" not in status(screen)
        await pilot.press("escape", "a", "a")  # code family
        await settle(pilot, screen)
        assert len(rows(screen)) == 500
        assert builds == [50_000]  # filters select from the rows built once


async def test_every_history_key_is_in_help_with_its_id(merged_app: WorkbenchApp) -> None:
    async with merged_app.run_test(size=(80, 24)) as pilot:
        await open_history(merged_app, pilot)
        await pilot.press("f1")
        assert isinstance(merged_app.screen, HelpScreen)
        ids = {entry.id for entry in merged_app.screen.entries}
        assert {
            "history.filter",
            "history.family",
            "history.lineage",
            "history.lineage_of",
            "history.back",
        } <= ids
