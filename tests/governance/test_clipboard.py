"""GOV-2a: terminal clipboard copies (OSC 52) are off by default; turning them on needs a reason, warns
and is audited; every copy is recorded before it happens, and none happens while the setting is off."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from tests.icr.conftest import cli, cli_json
from workbench.cli.main import main
from workbench.core.errors import WorkbenchError
from workbench.core.governance import clipboard
from workbench.core.governance.roles import PermissionDenied, set_role
from workbench.core.model import ImportedTranscript
from workbench.core.project import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study"
    with Project.create(path, "Peer support", "gt", actor="lena") as project:
        project.add_source(ImportedTranscript("Interviewer: Hi?\n\nParticipant: Hello.\n"), "a.txt")
    return path


def test_copies_are_off_by_default_and_a_copy_is_refused_without_a_trace(study: Path) -> None:
    assert cli("clipboard", str(study)).strip() == "clipboard copies: off (the default)"
    with Project.open(study, actor="lena") as project:
        events = len(project.audit_events())
        with pytest.raises(WorkbenchError, match="clipboard copies are off"):
            clipboard.record_copy(project, "source:S1", 12)
        assert len(project.audit_events()) == events


def test_turning_copies_on_needs_a_reason_and_changes_nothing_without_one(study: Path) -> None:
    assert "--reason" in cli("clipboard", str(study), "on", ok=False)
    assert cli_json("clipboard", str(study))["enabled"] is False


def test_turning_copies_on_warns_and_is_audited_with_its_reason(study: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["clipboard", str(study), "on", "--reason", "pasting codes into the team's notes"]) == 0
    assert "outside the secure environment" in err.getvalue()
    with Project.open(study, readonly=True) as project:
        event = project.audit_events()[-1]
        assert (event["action"], event["entity"]) == ("gov.clipboard", "project")
        assert clipboard.state(project)["reason"] == "pasting codes into the team's notes"
        assert project.can_undo() != "clipboard copies on"


def test_each_copy_is_audited_with_its_origin_and_size_not_undoably(study: Path) -> None:
    cli("clipboard", str(study), "on", "--reason", "team notes")
    with Project.open(study, actor="lena") as project:
        undo = project.can_undo()
        clipboard.record_copy(project, "source:S1", 12)
        event = project.audit_events()[-1]
        assert (event["action"], event["entity"]) == ("gov.copy", "source:S1")
        assert project.can_undo() == undo
    assert "on since" in cli("clipboard", str(study)) and "1 copy recorded" in cli("clipboard", str(study))


def test_turning_copies_off_again_is_audited_and_stops_copies(study: Path) -> None:
    cli("clipboard", str(study), "on", "--reason", "team notes")
    cli("clipboard", str(study), "off")
    with Project.open(study, actor="lena") as project:
        assert [e["action"] for e in project.audit_events()[-2:]] == ["gov.clipboard", "gov.clipboard"]
        with pytest.raises(WorkbenchError):
            clipboard.record_copy(project, "source:S1", 3)
    assert "turned off by" in cli("clipboard", str(study))


def test_only_the_lead_turns_copies_on_but_a_coder_may_copy_once_they_are(study: Path) -> None:
    with Project.open(study, actor="lena") as project:
        set_role(project, "carl", "coder")
    with Project.open(study, actor="carl") as project, pytest.raises(PermissionDenied):
        clipboard.set_enabled(project, True, "I want to")
    with Project.open(study, actor="lena") as project:
        clipboard.set_enabled(project, True, "team notes")
    with Project.open(study, actor="carl") as project:
        clipboard.record_copy(project, "source:S1", 5)
        assert project.audit_events()[-1]["actor"] == "carl (coder)"
