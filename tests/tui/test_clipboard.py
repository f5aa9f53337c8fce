"""GOV-2a in the TUI: nothing reaches the terminal clipboard (OSC 52) unless the project allows it."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import reopen, wait_until_open
from workbench.core.governance.clipboard import set_enabled
from workbench.core.project import Project
from workbench.tui.app import WorkbenchApp


def _copies(project_dir: Path) -> list[str]:
    with reopen(project_dir) as project:
        return [e["action"] for e in project.audit_events() if e["action"] == "gov.copy"]


async def test_a_copy_is_refused_while_the_clipboard_is_off(app: WorkbenchApp, project_dir: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        app.copy_to_clipboard("you actually get it")
        await pilot.pause()
        assert app.clipboard == ""
        assert any("clipboard copies are off" in n.message for n in app.announcements)
    assert _copies(project_dir) == []


async def test_a_copy_is_recorded_without_its_words_when_allowed(project_dir: Path) -> None:
    with Project.open(project_dir, actor="ann") as project:
        set_enabled(project, True, reason="copying our own memo drafts")
    app = WorkbenchApp([project_dir], actor="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_open(pilot, app)
        app.copy_to_clipboard("you actually get it")
        await pilot.pause()
        assert app.clipboard == "you actually get it"
    assert _copies(project_dir) == ["gov.copy"]
    with reopen(project_dir) as project:
        assert "actually" not in str(project.audit_events()[-1])
