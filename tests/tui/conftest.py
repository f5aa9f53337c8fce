"""Headless app fixtures: a small project, the app at 80x24, helpers to read project state."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot

from workbench.core.model import ImportedTranscript
from workbench.core.project import Project
from workbench.tui.app import WorkbenchApp

TEXT = (
    "Interviewer: How did you first meet your peer support worker?\n\n"
    "Participant: It was on the ward. She said she'd been there herself, and I thought (.) right, "
    "you actually get it. That changed everything for me, honestly. I stopped performing being okay.\n\n"
    "Interviewer: Changed it how?\n\n"
    "Participant: I could just say it. [laughs] No translating. Hope came later, slowly, like a "
    "tide you only notice when your feet are wet.\n"
)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    path = tmp_path / "study"
    with Project.create(path, "Peer support", "gt", actor="ann") as p:
        p.add_source(ImportedTranscript(TEXT), "alex.txt", participant_id="P01", pseudonym="Alex")
        p.add_source(
            ImportedTranscript(TEXT.replace("ward", "unit")), "jas.txt", participant_id="P02", pseudonym="Jas"
        )
        start = TEXT.index("you actually get it")
        p.code("S1", start, start + len("you actually get it"), "Feeling understood")
    return path


@pytest.fixture
def app(project_dir: Path) -> WorkbenchApp:
    return WorkbenchApp([project_dir], actor="ann")


def reopen(path: Path) -> Project:
    """The project as another process would see it after the app's keys (read-only)."""
    return Project.open(path, readonly=True)


async def wait_until_open(pilot: Pilot[None], app: WorkbenchApp) -> None:
    """The project is opened in a worker; keys pressed before it is shown would go to the loading screen."""
    for _ in range(200):
        if app.projects and app.current_mode == "home" and app.screen.is_current:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the project did not open")


def type_ahead(app: App[object], *keys: str) -> None:
    """Send `keys` as a terminal does when they arrive in one read (type-ahead over SSH): posted to the
    app as its driver does for Pilot.press, but without waiting for the app between them."""
    characters = {"space": " ", "enter": "\r"}
    for key in keys:
        event = events.Key(key, characters.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app.post_message(event)


@pytest.fixture(scope="session")
def built_gt_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GT demo study (four coded interviews), built once per test process."""
    from workbench.demo import build_demo
    from workbench.testing import make_host

    gt, _ipa = build_demo(tmp_path_factory.mktemp("demo"), make_host())
    return gt


@pytest.fixture
def gt_demo(built_gt_demo: Path, tmp_path: Path) -> Path:
    """A copy of the GT demo study of this test's own, to change."""
    import shutil

    return Path(shutil.copytree(built_gt_demo, tmp_path / "gt-demo"))
