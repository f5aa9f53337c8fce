"""GOV-12 and the audit log: every event's word digests are keyed by its own salt, kept outside the hash
chain, and a withdrawal destroys the salts of the events about the participant, so a guess ("Amira",
"Quentin") can no longer be tested against what the log holds, while everyone else's provenance and the
chain stay intact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli_inprocess import invoke
from tests.governance.test_withdraw_focus_group import build
from tests.icr.conftest import cli, cli_json, make_study
from workbench.core import audit
from workbench.core.governance.withdrawal import withdraw
from workbench.core.project import Project

GUESSES: tuple[Any, ...] = ("Amira", "Quentin", "interview-2", "interview-2.txt", {"Amira": "P02"})


def _events(study: Path) -> list[dict[str, Any]]:
    with Project.open(study, readonly=True) as project:
        return project.audit_events()


def _salts(study: Path) -> dict[str, str]:
    with Project.open(study, readonly=True) as project:
        return {key: row["salt"] for key, row in project.store.all(audit.SALT_TABLE).items()}


def _key(event: dict[str, Any]) -> str:
    return audit.event_key(int(event["seq"]))


def _checkpoint(study: Path) -> None:
    with Project.open(study) as project:
        project.store.checkpoint()


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_study(tmp_path)


@pytest.fixture
def withdrawn(tmp_path: Path) -> tuple[Path, dict[str, Any], list[dict[str, Any]]]:
    """The focus-group study (P02 = "Quentin", speaker label "Amira"), withdrawn; with its events before."""
    directory = build(tmp_path)
    events = _events(directory)
    report = cli_json("withdraw", str(directory), "P02", "--reason", "asked")
    return directory, report, events


def test_every_event_gets_its_own_salt_kept_outside_the_chain(study: Path) -> None:
    events, salts = _events(study), _salts(study)
    assert set(salts) == {_key(e) for e in events} and len(set(salts.values())) == len(salts)
    assert all(e["digests"] == audit.SCHEME for e in events)
    assert not any(salts[_key(e)] in json.dumps(e) for e in events)
    assert audit.verify({_key(e): e for e in events}) == (len(events), None)


def test_the_same_words_get_a_different_digest_in_each_event(study: Path) -> None:
    cli("memo", str(study), "--title", "Trust", "--body", "same words")
    cli("memo", str(study), "--title", "Trust", "--body", "same words")
    events, salts = _events(study)[-2:], _salts(study)
    titles = [next(iter(e["after"].values()))["title"] for e in events]
    assert titles[0] != titles[1]
    assert titles == [audit.digest("Trust", salts[_key(e)]) for e in events]


def test_check_recomputes_the_keyed_digests_and_notices_a_word_changed_by_hand(study: Path) -> None:
    cli("memo", str(study), "--title", "Trust", "--body", "slowly")
    _checkpoint(study)
    data = json.loads((study / "project.json").read_text(encoding="utf-8"))
    data["memos"]["M1"]["body"] = "quickly"
    (study / "project.json").write_text(json.dumps(data), encoding="utf-8")
    assert "memos M1 differs from its last audit event" in cli("check", str(study), ok=False)


def test_withdrawal_destroys_the_salts_of_every_event_about_the_participant(
    withdrawn: tuple[Path, dict[str, Any], list[dict[str, Any]]],
) -> None:
    directory, report, before = withdrawn
    about = [
        e
        for e in before
        if e["entity"] in ("source:S2", "source:S5", "participant:P02")
        or any(k.startswith(("participants/P02", "texts/V2", "texts/V5", "texts/V6")) for k in e["after"])
    ]
    salts = _salts(directory)
    assert len(about) >= 6 and [_key(e) for e in about if _key(e) in salts] == []
    assert report["counts"]["audit_salts_destroyed"] >= len(about)


def test_no_remaining_salt_lets_a_guess_match_anything_in_the_log(
    withdrawn: tuple[Path, dict[str, Any], list[dict[str, Any]]],
) -> None:
    directory, _report, _before = withdrawn
    log = (directory / "audit.jsonl").read_text(encoding="utf-8")
    salts = [*_salts(directory).values(), None]
    assert [(g, s) for g in GUESSES for s in salts if audit.digest(g, s) in log] == []


def test_events_not_about_the_participant_keep_their_salts(
    withdrawn: tuple[Path, dict[str, Any], list[dict[str, Any]]],
) -> None:
    directory, _report, before = withdrawn
    others = [e for e in before if e["entity"] in ("source:S1", "source:S3", "source:S4", "code:C1")]
    salts = _salts(directory)
    assert len(others) == 4 and all(_key(e) in salts for e in others)
    imported = next(e for e in others if e["entity"] == "source:S1")
    with Project.open(directory, readonly=True) as project:
        text = project.get("texts", "V1")
    assert imported["after"]["texts/V1"] == audit.redact(text, salts[_key(imported)])


def test_the_chain_still_verifies_and_check_compares_every_document(
    withdrawn: tuple[Path, dict[str, Any], list[dict[str, Any]]],
) -> None:
    directory, report, _before = withdrawn
    assert report["audit_chain_ok"] and report["legacy_audit_events"] == 0
    assert "ok: " in cli("audit", "verify", str(directory))
    assert "ok" in cli("check", str(directory))


def test_a_record_that_quoted_them_before_an_edit_loses_its_salts(study: Path) -> None:
    with Project.open(study) as project:
        rid = project.add_record("gt.category", {"name": "trust", "quote": "Trust came slowly, week by week"})
        project.update_record(rid, {"name": "trust"})  # the quote is edited out before the withdrawal
        keys = [_key(e) for e in project.audit_events()[-2:]]
        withdraw(project, "P02", justification="asked")
        salts = project.store.all(audit.SALT_TABLE)
    assert [k for k in keys if k in salts] == []
    assert "ok" in cli("check", str(study))  # the record is restated in the withdrawal's own event


def test_an_edit_older_than_the_undo_history_counts_as_concerning_them(study: Path) -> None:
    with Project.open(study) as project:
        rid = project.add_record("gt.category", {"name": "trust", "quote": "Trust came slowly, week by week"})
        project.update_record(rid, {"name": "trust"})
        keys = [_key(e) for e in project.audit_events()[-2:]]
        withdraw(project, "P04", justification="asked")  # empties the undo history that held the quote
        withdraw(project, "P02", justification="asked")
        salts = project.store.all(audit.SALT_TABLE)
    assert [k for k in keys if k in salts] == []


def test_destroyed_salts_leave_the_backups_too(study: Path) -> None:
    cli("code", str(study), "S2", "--lines", "3", "Hope")
    _checkpoint(study)
    (study / "backups").mkdir(mode=0o700)
    backup = study / "backups" / "project.json.v1.20240101"
    shutil.copy(study / "project.json", backup)
    cli_json("withdraw", str(study), "P02", "--reason", "asked")
    kept = set(json.loads(backup.read_text(encoding="utf-8"))[audit.SALT_TABLE])
    assert kept == set(_salts(study)) - {_key(_events(study)[-1])}


def test_events_from_before_salting_are_counted_and_the_cli_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy = make_study_without_salts(tmp_path / "old", monkeypatch)
    cli("code", str(legacy), "S1", "--lines", "3", "Hope")  # salted again from here on
    result = invoke("withdraw", str(legacy), "P02", "--reason", "asked")
    assert (
        "workbench: warning: 2 audit event(s) made before salted digests concern P02; their unsalted "
        "digests cannot be withdrawn without breaking the chain"
    ) in result.err
    events = _events(legacy)
    assert events[-1]["after"]["summary"]["legacy_audit_events"] == 2
    assert "ok" in cli("check", str(legacy))  # legacy and salted events side by side


def make_study_without_salts(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A study whose events were all written as before salting (unsalted ``sha256:`` digests)."""
    folder.mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(audit, "new_salt", lambda: None)
        directory = make_study(folder)
        cli("code", str(directory), "S2", "--lines", "3", "Hope")
    events = _events(directory)
    assert _salts(directory) == {} and not any("digests" in e for e in events)
    assert all(v.startswith("sha256:") for e in events for v in _digests(e))
    return directory


def _digests(event: dict[str, Any]) -> list[str]:
    return list(audit.word_digests(event["after"]).values())
