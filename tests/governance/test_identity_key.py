"""GOV-3: the re-identification key lives in an owner-only file outside the project, is never printed
unless asked for, and nothing the project makes or exports ever contains it."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.governance.files import all_text, files
from tests.icr.conftest import cli, cli_json, make_study
from workbench.cli.main import main
from workbench.core.governance import identity_key
from workbench.core.governance.roles import PermissionDenied, set_role
from workbench.core.project import Project

IDENTITY = "Jane Okafor-Smith, 07700 900123, jane.okafor@example.org"


def _set(directory: Path, key: Path, participant: str, identity: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(identity + "\n"))
    return cli("key", "set", str(directory), participant, "--file", str(key))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_study(tmp_path_factory.mktemp("template"))


@pytest.fixture
def study(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the synthetic four-interview study (built once per module: it takes a second)."""
    return Path(shutil.copytree(template, tmp_path / "study"))


@pytest.fixture
def key(study: Path, tmp_path: Path) -> Path:
    path = tmp_path / "vault" / "peer-support.key"
    path.parent.mkdir(mode=0o700)
    cli("key", "init", str(study), "--file", str(path))
    return path


def test_a_key_inside_the_project_is_refused_and_nothing_is_made(study: Path) -> None:
    err = cli("key", "init", str(study), "--file", str(study / "key.json"), ok=False)
    assert "outside the project folder" in err
    assert not (study / "key.json").exists()
    with Project.open(study, readonly=True) as project:
        assert identity_key.binding(project) is None


def test_a_path_that_reaches_into_the_project_through_a_symlink_is_refused(
    study: Path, tmp_path: Path
) -> None:
    (tmp_path / "looks-outside").symlink_to(study / "private", target_is_directory=True)
    (study / "private").mkdir(exist_ok=True)
    err = cli("key", "init", str(study), "--file", str(tmp_path / "looks-outside" / "k.json"), ok=False)
    assert "outside the project folder" in err


def test_init_makes_an_owner_only_file_and_the_project_keeps_only_a_fingerprint(
    study: Path, key: Path
) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key_id = json.loads(key.read_text())["key_id"]
    with Project.open(study, readonly=True) as project:
        bound = identity_key.binding(project)
    assert bound is not None and bound["fingerprint"] == identity_key.fingerprint(key_id)
    project_text = all_text(files(study))
    assert str(key) not in project_text and key.name not in project_text and key_id not in project_text


def test_init_never_overwrites_an_existing_file(study: Path, tmp_path: Path) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("someone's notes")
    err = cli("key", "init", str(study), "--file", str(existing), ok=False)
    assert "already there" in err and existing.read_text() == "someone's notes"


def test_the_identity_is_read_from_stdin_and_kept_only_in_the_key_file(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _set(study, key, "P01", IDENTITY, monkeypatch)
    assert IDENTITY not in out
    assert json.loads(key.read_text())["entries"] == {"P01": IDENTITY}
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "07700" not in all_text(files(study))


def test_listings_and_lookups_never_print_an_identity_unless_revealed(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(study, key, "P01", IDENTITY, monkeypatch)
    listed = cli_json("key", "list", str(study), "--file", str(key))
    assert [(r["participant"], r["pseudonym"], r["in_key"]) for r in listed["participants"]][:2] == [
        ("P01", "Alex", True),
        ("P02", "Quentin", False),
    ]
    shown = cli("key", "show", str(study), "P01", "--file", str(key))
    assert "held in the key" in shown and "Okafor" not in shown
    assert "Okafor" not in json.dumps(listed)


def test_reveal_prints_the_identity_and_audits_the_act_not_the_words(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(study, key, "P01", IDENTITY, monkeypatch)
    assert cli("key", "show", str(study), "P01", "--file", str(key), "--reveal").strip() == IDENTITY
    with Project.open(study, readonly=True) as project:
        events = project.audit_events()
        assert [(e["action"], e["entity"]) for e in events[-2:]] == [
            ("gov.key.set", "participant:P01"),
            ("gov.key.reveal", "participant:P01"),
        ]
        assert "Okafor" not in json.dumps(events) and str(key) not in json.dumps(events)
        assert project.verify_audit()[1] is None


def test_the_key_file_path_can_come_from_the_environment(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(identity_key.ENV, str(key))
    assert "the key holds no identity" in cli("key", "show", str(study), "P01")


def test_a_key_others_can_read_is_refused(study: Path, key: Path) -> None:
    os.chmod(key, 0o644)
    err = cli("key", "list", str(study), "--file", str(key), ok=False)
    assert "chmod 600" in err


def test_another_projects_key_is_refused_and_attach_needs_replace(
    study: Path, key: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    cli("new", str(other), "--title", "Other", "--method", "gt")
    other_key = tmp_path / "vault" / "other.key"
    cli("key", "init", str(other), "--file", str(other_key))
    assert "another project" in cli("key", "list", str(study), "--file", str(other_key), ok=False)
    assert "--replace" in cli("key", "attach", str(study), "--file", str(other_key), ok=False)
    cli("key", "attach", str(study), "--file", str(other_key), "--replace")
    assert cli_json("key", "list", str(study), "--file", str(other_key))["not_in_project"] == []


def test_check_names_the_places_an_identity_occurs_without_the_words(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(study, key, "P02", "Quentin Marsh; 07700 900456", monkeypatch)  # P02's pseudonym is a real name
    cli("memo", str(study), "--title", "Field note", "--body", "Rang 07700 900456 to rearrange")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["key", "check", str(study), "--file", str(key), "--json"])
    result = json.loads(out.getvalue())
    assert code == 1
    assert result["identities_in_project"] == ["P02 in memo M1", "P02 in participant P02"]
    assert "900456" not in json.dumps(result)
    assert result["missing"] == ["P01", "P03", "P04"]


def test_a_coder_may_not_reveal_an_identity(study: Path, key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _set(study, key, "P01", IDENTITY, monkeypatch)
    with Project.open(study, actor="lena") as project:
        set_role(project, "carl", "coder")
    with Project.open(study, actor="carl") as project, pytest.raises(PermissionDenied):
        identity_key.reveal(project, key, "P01")


def test_exports_never_contain_the_key_its_path_or_an_identity(
    study: Path, key: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(study, key, "P01", IDENTITY, monkeypatch)
    cli("key", "show", str(study), "P01", "--file", str(key), "--reveal")
    d = str(study)
    cli("code", d, "S1", "--chars", "30:60", "Testing trust")
    exports = tmp_path / "exports"
    exports.mkdir()
    cli("export", d, "archive", "-o", str(exports / "study.zip"))
    cli("export", d, "qdpx", "-o", str(exports / "study.qdpx"))
    for table in ("gov-pseudonyms", "team-coders", "gov-coreq", "gov-identifiability"):
        cli("export", d, table, "-o", str(exports / f"{table}.csv"))
    cli("audit", "list", d)
    key_id = json.loads(key.read_text())["key_id"]
    for text in (all_text(files(exports)), all_text(files(study))):
        for secret in ("Okafor", "900123", "jane.okafor", str(key), key.name, key_id):
            assert secret not in text
    assert "ok" in cli("check", d)


def test_withdrawal_removes_the_persons_entry_from_the_identity_key(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(study, key, "P01", IDENTITY, monkeypatch)
    out = cli("withdraw", str(study), "P01", "--reason", "asked to withdraw", "--key-file", str(key))
    assert "P01's identity removed from the key" in out
    assert json.loads(key.read_text())["entries"] == {}


def test_withdrawal_without_the_key_file_warns_that_an_entry_remains(
    study: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set(study, key, "P01", IDENTITY, monkeypatch)
    monkeypatch.delenv("WORKBENCH_IDENTITY_KEY", raising=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["withdraw", str(study), "P01", "--reason", "asked to withdraw"])
    assert code == 0 and "workbench key remove" in err.getvalue()
    assert json.loads(key.read_text())["entries"] == {"P01": IDENTITY}
