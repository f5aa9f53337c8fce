"""GOV-11: roles from the project configuration are enforced on every change and named in the log."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.icr.conftest import make_study
from workbench.core.governance.roles import PermissionDenied, set_role
from workbench.core.project import Project


@pytest.fixture
def study(tmp_path: Path) -> Path:
    directory = make_study(tmp_path)
    with Project.open(directory, actor="lena") as project:
        set_role(project, "carl", "coder")
        set_role(project, "audrey", "auditor")
        set_role(project, "dara", "data-manager")
    return directory


def test_the_first_assignment_makes_its_author_the_lead(study: Path) -> None:
    with Project.open(study, readonly=True) as project:
        assert project.store.get("_meta", "roles")["users"]["lena"] == "lead"  # type: ignore[index]


def test_a_coder_codes_in_their_own_layer_and_the_log_names_the_role(study: Path) -> None:
    with Project.open(study, actor="carl") as project:
        project.code("S1", 0, 10, "Hope")
        assert project.audit_events()[-1]["actor"] == "carl (coder)"


def test_a_coder_may_not_code_for_someone_else_or_into_consensus(study: Path) -> None:
    with Project.open(study, actor="carl") as project:
        with pytest.raises(PermissionDenied):
            project.code("S1", 0, 10, "Hope", coder="lena")
        with pytest.raises(PermissionDenied):
            project.code("S1", 0, 10, "Hope", layer="consensus")


def test_a_coder_may_not_import_or_withdraw(study: Path) -> None:
    from workbench.core.governance.withdrawal import withdraw

    with Project.open(study, actor="carl") as project, pytest.raises(PermissionDenied):
        withdraw(project, "P02", justification="no")
    with Project.open(study, readonly=True) as project:
        assert project.get("participants", "P02")["status"] == "active"  # type: ignore[index]


def test_an_auditor_may_comment_but_not_code(study: Path) -> None:
    with Project.open(study, actor="audrey") as project:
        project.write_memo("Audit note", "checked S1", memo_type="comment")
        with pytest.raises(PermissionDenied):
            project.write_memo("Analysis", "my theory", memo_type="analytic")
        with pytest.raises(PermissionDenied):
            project.code("S1", 0, 10, "Hope")


def test_a_data_manager_may_update_participants_but_not_code(study: Path) -> None:
    with Project.open(study, actor="dara") as project:
        project.update_participant("P01", attributes={"age band": "30-39"})
        with pytest.raises(PermissionDenied):
            project.code("S1", 0, 10, "Hope")


def test_someone_without_a_role_may_change_nothing_and_only_a_lead_changes_roles(study: Path) -> None:
    with Project.open(study, actor="mallory") as project, pytest.raises(PermissionDenied):
        project.write_memo("x", "y")
    with Project.open(study, actor="carl") as project, pytest.raises(PermissionDenied):
        set_role(project, "carl", "lead")


def test_undo_is_limited_to_ones_own_operations(study: Path) -> None:
    with Project.open(study, actor="lena") as project:
        project.code("S1", 0, 10, "Hope")
    with Project.open(study, actor="carl") as project, pytest.raises(PermissionDenied):
        project.undo()
