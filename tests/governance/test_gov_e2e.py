"""GOV-E2E (METHODS.md 10.2) through the real CLI: a redaction pass makes a new version and an
anonymisation log kept out of every export; withdrawing P02 removes every trace of their words from the
project, its history, journals, backups and exports; the audit chain still verifies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.governance.files import all_text, files
from tests.icr.conftest import cli, cli_json, make_study

IDENTIFIERS = (
    "Interviewer: Anything else?\n\nParticipant: My NHS number is 943 476 5919, I live near SW1A 1AA, "
    "ring 020 7946 0018 or mail sam@example.org. Dr Okonkwo helped me.\n"
)
P02_WORDS = ("radiator", "Quentin", "week by week")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    directory = make_study(tmp_path)
    extra = tmp_path / "identifiers.txt"
    extra.write_text(IDENTIFIERS, encoding="utf-8")
    cli("add", str(directory), str(extra), "--participant", "P05", "--pseudonym", "Robin")
    return directory


def test_redaction_makes_a_new_version_and_keeps_the_anonymisation_log_out_of_exports(
    study: Path, tmp_path: Path
) -> None:
    d = str(study)
    cli("code", d, "S5", "--chars", "30:60", "Testing trust")
    cli("names", d, "add", "Okonkwo", "--replacement", "[doctor's name]")
    suggestions = cli_json("redact", d, "S5", "--kinds", "name,nhs-number,postcode,phone,email")
    assert [s["kind"] for s in suggestions] == ["nhs-number", "postcode", "phone", "email", "name"]
    accept = ",".join(str(s["n"]) for s in suggestions)
    out = cli("redact", d, "S5", "--kinds", "name,nhs-number,postcode,phone,email", "--accept", accept)
    assert "new version V6" in out
    text = cli("text", d, "S5")
    assert "[NHS number]" in text and "[doctor's name]" in text and "Okonkwo" not in text
    log = cli_json("redact", d, "S5", "--log")
    assert {e["original"] for e in log} >= {"943 476 5919", "Okonkwo"}
    assert {e["to_version"] for e in log} == {"V6"}
    log_file = study / "private" / "anonymisation-log.jsonl"
    assert oct(log_file.stat().st_mode & 0o777) == "0o600"
    cli("redact", d, "S5", "--purge-original")
    exports = tmp_path / "exports"
    exports.mkdir()
    cli("export", d, "archive", "-o", str(exports / "study.zip"))
    cli("export", d, "qdpx", "-o", str(exports / "study.qdpx"))
    cli("export", d, "icr-report", "-o", str(exports / "report.csv"))
    exported = all_text(files(exports))
    assert "Okonkwo" not in exported and "943 476 5919" not in exported and "[NHS number]" in exported
    assert "Okonkwo" not in all_text([p for p in files(study) if "private" not in p.parts])
    assert "ok" in cli("check", d)


def test_withdrawing_p02_removes_every_trace_and_the_audit_chain_still_verifies(
    study: Path, tmp_path: Path
) -> None:
    d = str(study)
    cli("code", d, "S2", "--lines", "3", '"warm radiator"', "--kind", "in-vivo")
    cli("code", d, "S2", "--lines", "7", "Testing trust")
    cli("code", d, "S1", "--lines", "7", "Testing trust")
    cli(
        "memo",
        d,
        "--title",
        "Quentin and trust",
        "--body",
        'He said "Trust came slowly, week by week" - telling.',
    )
    cli("status", d, "S2", "coded")  # snapshot label names the pseudonym
    exports = tmp_path / "exports"
    exports.mkdir()
    cli("export", d, "archive", "-o", str(exports / "before.zip"))
    before = cli_json("withdraw", d, "P02", "--reason", "Participant asked to withdraw on 1 May")
    assert before["counts"]["codings"] == 2 and before["audit_chain_ok"] and before["residue"] == []
    assert str(exports / "before.zip") in before["exports_deleted"]
    cli("export", d, "archive", "-o", str(exports / "after.zip"))
    cli("export", d, "qdpx", "-o", str(exports / "after.qdpx"))
    everything = all_text(files(study, exports))
    for words in P02_WORDS:
        assert words.casefold() not in everything.casefold(), words
    assert "She had been on the same ward" in everything  # other participants untouched
    assert "ok: " in cli("audit", "verify", d)
    assert "ok" in cli("check", d)
    rows = cli_json("table", d, "gov-pseudonyms", "--format", "json")
    assert {"participant": "P02", "pseudonym": "[withdrawn]", "status": "withdrawn"}.items() <= rows[
        1
    ].items()
    events = cli_json("audit", "list", d)
    withdrawal = next(e for e in events if e["action"] == "participant.withdraw")
    assert withdrawal["after"]["summary"]["codings"] == 2 and withdrawal["before"] is None


def test_withdrawal_empties_undo_history_and_journal(study: Path) -> None:
    d = str(study)
    cli("code", d, "S2", "--lines", "3", "Hope")
    cli_json("withdraw", d, "P02", "--reason", "asked")
    assert (study / "journal.log").stat().st_size == 0
    assert "nothing to undo" in cli("undo", d, ok=False)


def test_withdrawal_scrubs_migration_backups_too(study: Path) -> None:
    backups = study / "backups"
    backups.mkdir(mode=0o700)
    (backups / "project.json.v0.20240101").write_bytes((study / "project.json").read_bytes())
    cli_json("withdraw", str(study), "P02", "--reason", "asked")
    assert "radiator" not in (backups / "project.json.v0.20240101").read_text(encoding="utf-8")


def test_withdrawal_without_a_reason_or_twice_is_refused_and_changes_nothing(study: Path) -> None:
    assert "required" in cli("withdraw", str(study), "P02", ok=False)
    cli_json("withdraw", str(study), "P02", "--reason", "asked")
    assert "already withdrawn" in cli("withdraw", str(study), "P02", "--reason", "again", ok=False)


def test_retain_analysis_keeps_per_code_counts_but_no_words(study: Path) -> None:
    d = str(study)
    cli("code", d, "S2", "--lines", "3", "Hope")
    report = cli_json("withdraw", d, "P02", "--reason", "consented to retention", "--mode", "retain-analysis")
    assert report["residue"] == []
    shown = cli("show", d, "records")
    assert "gov.retained-analysis" in shown


def test_every_file_and_folder_the_tool_writes_is_owner_only(study: Path) -> None:
    d = str(study)
    cli("names", d, "add", "Okonkwo")
    cli("redact", d, "S5", "--kinds", "nhs-number", "--accept", "1")
    result = cli_json("govcheck", d)
    assert result["loose_permissions"] == []
    assert all(os.stat(p).st_mode & 0o077 == 0 for p in [study, *study.rglob("*")])
