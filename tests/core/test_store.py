"""The durable store: journal, checkpoint, lock, validation."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from workbench.core.errors import (
    CorruptProjectError,
    NotFoundError,
    ProjectLockedError,
    UnsupportedVersionError,
    WorkbenchError,
)
from workbench.core.store import journal, store
from workbench.core.store.store import Store


def _put(s: Store, table: str, doc_id: str, doc: dict[str, object]) -> None:
    with s.transaction() as tx:
        tx.put(table, doc_id, doc)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "proj"


def test_a_committed_write_survives_reopening_without_checkpoint(path: Path) -> None:
    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    s._journal.close()  # type: ignore[union-attr]  # simulate a crash: no close(), no checkpoint
    s._lock.release()  # type: ignore[union-attr]
    reopened = Store.open(path, readonly=True)
    assert reopened.get("codes", "C1") == {"label": "hope"}


def test_checkpoint_writes_tinydb_json_and_empties_the_journal(path: Path) -> None:
    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    s.checkpoint()
    s.close()
    data = json.loads((path / store.CHECKPOINT).read_text())
    assert data["codes"] == {"C1": {"label": "hope"}}
    assert (path / store.JOURNAL).stat().st_size == 0


def test_tinydb_queries_see_the_stored_documents(path: Path) -> None:
    from tinydb import Query

    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    _put(s, "codes", "C2", {"label": "trust"})
    found = s.table("codes").search(Query().label == "trust")
    assert [doc.doc_id for doc in found] == ["C2"]
    s.close()


def test_a_torn_last_journal_line_is_dropped_with_a_warning(path: Path) -> None:
    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    s.close()
    with open(path / store.JOURNAL, "ab") as fh:
        fh.write(b'0000abcd {"seq":2,"ops":[["codes","C2",{"la')
    reopened = Store.open(path)
    assert reopened.get("codes", "C1") is not None
    assert reopened.get("codes", "C2") is None
    assert any("incomplete last transaction" in w for w in reopened.warnings)
    _put(reopened, "codes", "C3", {"label": "after"})
    reopened.close()
    assert Store.open(path, readonly=True).get("codes", "C3") == {"label": "after"}


def test_a_damaged_journal_line_in_the_middle_is_refused(path: Path) -> None:
    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    _put(s, "codes", "C2", {"label": "trust"})
    s.close()
    lines = (path / store.JOURNAL).read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b"hope", b"HOPE")
    (path / store.JOURNAL).write_bytes(b"\n".join(lines))
    with pytest.raises(CorruptProjectError, match="journal line 1 is damaged"):
        Store.open(path)


def test_a_second_writer_is_refused_naming_the_holder(path: Path) -> None:
    first = Store.create(path)
    with pytest.raises(ProjectLockedError, match=f"pid {os.getpid()}"):
        Store.open(path, wait=0.1)
    first.close()
    Store.open(path).close()


def test_a_reader_works_beside_a_writer(path: Path) -> None:
    writer = Store.create(path)
    _put(writer, "codes", "C1", {"label": "hope"})
    reader = Store.open(path, readonly=True)
    assert reader.get("codes", "C1") == {"label": "hope"}
    with pytest.raises(WorkbenchError, match="read-only"), reader.transaction():
        pass
    writer.close()


def test_a_corrupt_checkpoint_is_refused_not_repaired(path: Path) -> None:
    Store.create(path).close()
    (path / store.CHECKPOINT).write_text('{"_store": {"state": ')
    before = (path / store.CHECKPOINT).read_bytes()
    with pytest.raises(CorruptProjectError, match="damaged"):
        Store.open(path)
    assert (path / store.CHECKPOINT).read_bytes() == before


def test_a_project_from_a_newer_version_is_refused(path: Path) -> None:
    Store.create(path).close()
    data = json.loads((path / store.CHECKPOINT).read_text())
    data["_store"]["state"]["schema_version"] = store.SCHEMA_VERSION + 1
    (path / store.CHECKPOINT).write_text(json.dumps(data))
    with pytest.raises(UnsupportedVersionError, match="newer workbench"):
        Store.open(path)


def test_an_older_project_is_migrated_after_a_backup(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.create(path).close()
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)

    def add_field(data: dict[str, dict[str, dict[str, object]]]) -> None:
        data["_store"]["state"]["schema_version"] = store.SCHEMA_VERSION
        data.setdefault("codes", {})["C0"] = {"label": "migrated"}

    monkeypatch.setitem(store.MIGRATIONS, store.SCHEMA_VERSION - 1, add_field)
    s = Store.open(path)
    assert s.get("codes", "C0") == {"label": "migrated"}
    assert any("upgraded" in w for w in s.warnings)
    s.close()
    assert list((path / "backups").iterdir())


def test_a_non_project_directory_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        Store.open(tmp_path)


def test_files_and_directories_are_owner_only(path: Path) -> None:
    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    s.checkpoint()
    s.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    for child in path.iterdir():
        assert stat.S_IMODE(child.stat().st_mode) & 0o077 == 0, child


def test_a_failed_append_changes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Store.create(path)
    _put(s, "codes", "C1", {"label": "hope"})
    size = (path / store.JOURNAL).stat().st_size

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal.os, "fdatasync", full_disk)
    with pytest.raises(WorkbenchError, match="No space left"):
        _put(s, "codes", "C2", {"label": "lost"})
    monkeypatch.undo()
    assert s.get("codes", "C2") is None
    assert (path / store.JOURNAL).stat().st_size == size
    s.close()
    assert Store.open(path, readonly=True).get("codes", "C2") is None


def test_journal_entries_round_trip() -> None:
    line = journal.encode(7, [["codes", "C1", {"label": "é"}], ["codes", "C2", None]])
    entry = journal._decode(line.rstrip(b"\n"))
    assert entry == journal.Entry(7, [["codes", "C1", {"label": "é"}], ["codes", "C2", None]])


def test_log_tables_move_to_their_own_file_at_checkpoint(path: Path) -> None:
    s = Store.create(path)
    _put(s, "audit", "000000001", {"seq": 1})
    s.checkpoint()
    _put(s, "audit", "000000002", {"seq": 2})
    assert "audit" not in json.loads((path / store.CHECKPOINT).read_text())
    assert list(s.log_rows("audit")) == ["000000001", "000000002"]
    assert s.log_tail("audit") == {"seq": 2}
    s.close()
    reopened = Store.open(path, readonly=True)
    assert reopened.log_tail("audit") == {"seq": 2}


def test_a_crash_between_log_append_and_checkpoint_duplicates_nothing(path: Path) -> None:
    s = Store.create(path)
    _put(s, "audit", "000000001", {"seq": 1})
    store._append_log(path / "audit.jsonl", s.all("audit"))  # as if the checkpoint died right after
    s.checkpoint()
    s.close()
    assert (path / "audit.jsonl").read_text().count('"key"') == 1


def test_a_torn_log_tail_is_cut_when_a_writer_opens(path: Path) -> None:
    s = Store.create(path)
    _put(s, "audit", "000000001", {"seq": 1})
    s.checkpoint()
    _put(s, "audit", "000000002", {"seq": 2})
    s.close()
    with open(path / "audit.jsonl", "ab") as fh:
        fh.write(b'{"key":"000000002","doc":{"se')
    reopened = Store.open(path)
    assert list(reopened.log_rows("audit")) == ["000000001", "000000002"]
    reopened.checkpoint()
    reopened.close()
    assert store._read_log(path / "audit.jsonl", tolerate_torn_tail=False) == {
        "000000001": {"seq": 1},
        "000000002": {"seq": 2},
    }
