"""The durable project store: TinyDB tables in memory, a journal on disk.

TinyDB's own `JSONStorage` rewrites the whole file on every write and is not
crash-atomic. Here TinyDB's JSON document *is* the on-disk checkpoint, but
every transaction is first appended to a checksummed journal and fsynced;
the checkpoint is rewritten atomically only now and then. Cost of a write is
one small append, whatever the size of the project.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from workbench.core.errors import (
    BadInputError,
    CorruptProjectError,
    NotFoundError,
    UnsupportedVersionError,
    WorkbenchError,
)
from workbench.core.store import journal
from workbench.core.store.fsutil import (
    FILE_MODE,
    atomic_write_bytes,
    atomic_write_chunks,
    ensure_private_dir,
    fsync_dir,
)
from workbench.core.store.lock import WriterLock

FORMAT = "qual-workbench"
SCHEMA_VERSION = 1
CHECKPOINT = "project.json"
JOURNAL = "journal.log"
STATE_TABLE = "_store"
CHECKPOINT_BYTES = 8 * 1024 * 1024
CLOSE_CHECKPOINT_BYTES = 2 * 1024 * 1024
# Append-only tables live in their own JSON-lines file, not in the checkpoint: they only ever grow,
# and rewriting (and parsing) them on every checkpoint and open would dominate both.
LOG_TABLES = {"audit": "audit.jsonl"}

Doc = dict[str, Any]
Listener = Callable[[str, str, Doc | None, Doc | None], None]
Migration = Callable[[dict[str, dict[str, Doc]]], None]

# schema_version -> function upgrading data in place to schema_version + 1.
MIGRATIONS: dict[int, Migration] = {}


class _MemoryStorage(Storage):
    """TinyDB storage whose truth is the dict the Store holds; writes are the Store's business."""

    def __init__(self, data: dict[str, dict[str, Doc]]) -> None:
        self.data = data

    def read(self) -> dict[str, dict[str, Doc]]:
        return self.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.data = data


class _Table(Table):
    """String-keyed table updated in place: TinyDB's default copies the whole table on each write."""

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Callable[[dict[Any, Any]], None]) -> None:
        tables = self._storage.read() or {}
        updater(tables.setdefault(self.name, {}))
        self.clear_cache()


class _TinyDB(TinyDB):
    table_class = _Table


class Transaction:
    """Collects the mutations of one operation; nothing touches memory or disk until commit.

    Documents are immutable by convention: a change replaces the whole document,
    so a `before` kept for undo can never be altered afterwards.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: dict[tuple[str, str], Doc | None] = {}
        self._order: list[tuple[str, str]] = []
        self.changes: list[tuple[str, str, Doc | None, Doc | None]] = []
        self.entity: str | None = None  # what the operation turned out to act on, once ids are known

    def get(self, table: str, doc_id: str) -> Doc | None:
        key = (table, doc_id)
        if key in self._pending:
            return self._pending[key]
        return self._store.get(table, doc_id)

    def put(self, table: str, doc_id: str, doc: Doc, *, record: bool = True) -> None:
        self._set(table, doc_id, doc, record)

    def delete(self, table: str, doc_id: str, *, record: bool = True) -> None:
        self._set(table, doc_id, None, record)

    def _set(self, table: str, doc_id: str, doc: Doc | None, record: bool) -> None:
        key = (table, doc_id)
        before = self.get(table, doc_id)
        if key not in self._pending:
            self._order.append(key)
        self._pending[key] = doc
        if record:
            self.changes.append((table, doc_id, before, doc))

    def ops(self) -> list[list[Any]]:
        return [[table, doc_id, self._pending[(table, doc_id)]] for table, doc_id in self._order]


class _Deferred:
    """The transactions committed inside `Store.deferred`: merged into one journal entry, and what
    memory held before each of their writes (to put it back if the block fails)."""

    def __init__(self) -> None:
        self.final: dict[tuple[str, str], Doc | None] = {}
        self.first: dict[tuple[str, str], Doc | None] = {}  # what each document was before the block
        self.undo: list[list[Any]] = []  # [table, doc_id, before] of every write, oldest first
        self.new_tables: set[str] = set()

    def add(self, ops: list[list[Any]], data: Mapping[str, Mapping[str, Doc]]) -> None:
        for table, doc_id, doc in ops:
            rows = data.get(table)
            if rows is None:
                self.new_tables.add(table)
            before = rows.get(doc_id) if rows is not None else None
            self.undo.append([table, doc_id, before])
            key = (table, doc_id)
            if key not in self.first:
                self.first[key] = before
            self.final[key] = doc

    def ops(self) -> list[list[Any]]:
        """One entry's ops: each document's last state, in first-written order (a document made and
        removed inside the block leaves no trace)."""
        return [
            [table, doc_id, doc]
            for (table, doc_id), doc in self.final.items()
            if doc is not None or self.first[(table, doc_id)] is not None
        ]


class Store:
    """A project's state: open for reading (no lock) or for writing (the one writer)."""

    def __init__(self, path: Path, data: dict[str, dict[str, Doc]], seq: int, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.seq = seq
        self.warnings: list[str] = []
        self.listeners: list[Listener] = []
        self._data = data
        self.db = _TinyDB(storage=_MemoryStorage, data=data)
        self._lock: WriterLock | None = None
        self._journal: journal.JournalWriter | None = None
        self._deferred: _Deferred | None = None

    # -- opening -------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path) -> Store:
        """Make a new, empty project directory and open it for writing."""
        try:
            if path.exists() and (not path.is_dir() or any(path.iterdir())):
                raise BadInputError("exists and is not an empty directory", str(path))
            ensure_private_dir(path)
            data: dict[str, dict[str, Doc]] = {STATE_TABLE: {"state": _state(0, {})}}
            atomic_write_bytes(path / CHECKPOINT, _dump(data))
        except OSError as exc:
            raise BadInputError(f"cannot create the project directory ({exc.strerror})", str(path)) from None
        return cls.open(path)

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, wait: float = 0.0) -> Store:
        try:
            exists = (path / CHECKPOINT).is_file()
        except PermissionError:
            raise WorkbenchError(
                "you may not read this project's files (permission denied); ask its owner for access",
                str(path),
            ) from None
        if not exists:
            raise NotFoundError("not a workbench project (no project.json)", str(path))
        if not readonly and not os.access(path, os.W_OK):
            raise WorkbenchError(
                "the project folder is read-only for you, so nothing can be changed; "
                "read it with `workbench open --read-only`, or ask its owner for write access",
                str(path),
            )
        lock = None
        try:
            if not readonly:
                lock = WriterLock(path)
                lock.acquire(wait)
                _remove_stale_temp_files(path)
            data, seq, warning = _load(path, readonly)
            store = cls(path, data, seq, readonly)
            if warning:
                store.warnings.append(warning)
            if not readonly:
                store._lock = lock
                store._journal = journal.JournalWriter(
                    path / JOURNAL, valid_length=journal.valid_prefix_length(path / JOURNAL)
                )
                for filename in LOG_TABLES.values():
                    _cut_torn_log_tail(path / filename)
                store._migrate()
        except OSError as exc:
            if lock:
                lock.release()
            name = Path(exc.filename).name if exc.filename else "a project file"
            if isinstance(exc, PermissionError):  # not damage: this user may not use the files
                raise WorkbenchError(f"you may not use {name} (permission denied)", str(path)) from None
            raise CorruptProjectError(f"cannot use {name} ({exc.strerror})", str(path)) from None
        except BaseException:
            if lock:
                lock.release()
            raise
        return store

    # -- reading -------------------------------------------------------------------------------------
    def table(self, name: str) -> Table:
        return self.db.table(name)

    def get(self, table: str, doc_id: str) -> Doc | None:
        return self._data.get(table, {}).get(doc_id)

    def all(self, table: str) -> Mapping[str, Doc]:
        return self._data.get(table, {})

    # -- writing -------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Yield a transaction; on normal exit it is journaled (fsync) and then applied."""
        if self._journal is None:
            raise WorkbenchError("project is open read-only", str(self.path))
        tx = Transaction(self)
        yield tx
        self.commit(tx)

    def commit(self, tx: Transaction) -> None:
        ops = tx.ops()
        if not ops or self._journal is None:
            return
        if self._deferred is not None:  # applied now, journaled when the deferred block ends
            self._deferred.add(ops, self._data)
            self._apply(ops, notify=True)
            return
        try:
            self._journal.append(self.seq + 1, ops)
        except OSError as exc:
            raise WorkbenchError(
                f"could not save the change ({exc.strerror}); nothing was changed", str(self.path / JOURNAL)
            ) from None
        self.seq += 1
        self._apply(ops, notify=True)
        if self._journal.size > CHECKPOINT_BYTES:
            self.checkpoint()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Transactions committed in the block are applied in memory at once (each sees those before
        it) and journaled together as ONE entry when the block ends: all of them durable, or none.

        If the block raises, or that one append fails, memory is put back as it was (listeners are
        told, so indexes follow) and nothing has reached the disk: no journal line, no checkpoint.
        """
        if self._journal is None:
            raise WorkbenchError("project is open read-only", str(self.path))
        if self._deferred is not None:
            raise WorkbenchError("transactions are already being deferred", str(self.path))
        group = self._deferred = _Deferred()
        try:
            yield
            self._deferred = None
            ops = group.ops()
            if ops:
                try:
                    self._journal.append(self.seq + 1, ops)
                except OSError as exc:
                    raise WorkbenchError(
                        f"could not save the changes ({exc.strerror}); nothing was changed",
                        str(self.path / JOURNAL),
                    ) from None
                self.seq += 1
        except BaseException:
            self._deferred = None
            self._apply(group.undo[::-1], notify=True)
            for table in group.new_tables:
                if not self._data.get(table, True):
                    del self._data[table]
            raise
        if self._journal.size > CHECKPOINT_BYTES:
            self.checkpoint()

    def _apply(self, ops: list[list[Any]], *, notify: bool) -> None:
        for table, doc_id, doc in ops:
            rows = self._data.setdefault(table, {})
            before = rows.get(doc_id)
            if doc is None:
                rows.pop(doc_id, None)
            else:
                rows[doc_id] = doc
            if notify:
                for listener in self.listeners:
                    listener(table, doc_id, before, doc)
        self.db.clear_cache()

    def checkpoint(self) -> None:
        """Write the whole state atomically and empty the journal it now contains.

        Log tables are appended to their own files first (idempotently, by key), so a crash at
        any point leaves every event either in its log file or still in the journal.
        """
        if self._journal is None or self._deferred is not None:  # memory holds what is not yet journaled
            return
        heads = dict(self._data[STATE_TABLE]["state"].get("log_heads", {}))
        for table in LOG_TABLES:
            if self._data.get(table):
                last = max(self._data[table])
                heads[table] = {"key": last, "doc": self._data[table][last]}
        self._data[STATE_TABLE] = {"state": _state(self.seq, heads)}
        try:
            for table, filename in LOG_TABLES.items():
                _append_log(self.path / filename, self._data.get(table, {}))
            atomic_write_chunks(self.path / CHECKPOINT, _dump_chunks(self._data))
        except OSError as exc:
            # The journal still holds everything; the next checkpoint will try again.
            self.warnings.append(f"checkpoint failed ({exc.strerror}); changes are safe in the journal")
            return
        self._journal.reset()
        for table in LOG_TABLES:
            self._data[table] = {}
        self.db.clear_cache()

    # -- append-only log tables ------------------------------------------------------------------------
    def log_rows(self, table: str) -> dict[str, Doc]:
        """Every row of a log table: the file's, then those still only in the journal.

        The file must run in strictly increasing key order up to the head the checkpoint
        recorded: a reordered, duplicated or truncated log is refused as damaged.
        """
        file = self.path / LOG_TABLES[table]
        rows = _read_log(file, tolerate_torn_tail=True)
        head = self._data[STATE_TABLE]["state"].get("log_heads", {}).get(table)
        if head is not None and (not rows or max(rows) != head["key"] or rows[head["key"]] != head["doc"]):
            raise CorruptProjectError(
                f"does not end at the last event the project recorded ({head['key'].lstrip('0') or '0'}); "
                "events were removed or altered",
                str(file),
            )
        rows.update(self._data.get(table, {}))
        return dict(sorted(rows.items()))

    def log_tail(self, table: str) -> Doc | None:
        """The last row of a log table without reading the log file."""
        pending = self._data.get(table, {})
        if pending:
            return pending[max(pending)]
        head = self._data[STATE_TABLE]["state"].get("log_heads", {}).get(table)
        return head["doc"] if head else None

    def _migrate(self) -> None:
        state = self._data[STATE_TABLE]["state"]
        version = int(state["schema_version"])
        if version == SCHEMA_VERSION:
            return
        backups = self.path / "backups"
        ensure_private_dir(backups)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        for name in (CHECKPOINT, JOURNAL):
            if (self.path / name).exists():
                shutil.copy2(self.path / name, backups / f"{name}.v{version}.{stamp}")
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](self._data)
            version += 1
        self.warnings.append(
            f"project upgraded from schema {state['schema_version']} to {SCHEMA_VERSION}; backup in {backups}"
        )
        self.checkpoint()

    def close(self) -> None:
        if self._journal is not None:
            if self._journal.size > CLOSE_CHECKPOINT_BYTES:
                self.checkpoint()
            self._journal.close()
            self._journal = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _state(seq: int, log_heads: Mapping[str, Doc]) -> Doc:
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "seq": seq, "log_heads": dict(log_heads)}


def _remove_stale_temp_files(path: Path) -> None:
    """A writer killed mid-checkpoint leaves its temp file; it holds words, so it must not linger."""
    for tmp in path.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def _dump(data: Mapping[str, Any]) -> bytes:
    return b"".join(_dump_chunks(data))


def _dump_chunks(data: Mapping[str, Any]) -> Iterator[bytes]:
    """The checkpoint JSON one table at a time, so peak memory is one table's text, not the file's."""
    yield b"{"
    first = True
    for table, rows in data.items():
        if table in LOG_TABLES:
            continue
        yield (b"" if first else b",") + json.dumps(table).encode() + b":"
        yield _dump_table(rows)
        first = False
    yield b"}"


def _dump_table(rows: Any) -> bytes:
    """One table as compact UTF-8 JSON: orjson (a tenth of json's time: the checkpoint after undoing a
    2,000-coding auto-code rewrites 22 MB); json for what orjson refuses (integers past 64 bits), which
    also raises as before on what neither can write (a lone surrogate)."""
    try:
        return orjson.dumps(rows)
    except orjson.JSONEncodeError:
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _log_line(key: str, doc: Doc) -> bytes:
    return json.dumps({"key": key, "doc": doc}, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _append_log(file: Path, rows: Mapping[str, Doc]) -> None:
    if not rows:
        return
    last = _last_log_row(file, key_only=True)
    fresh = [key for key in sorted(rows) if last is None or key > last["key"]]
    if not fresh:
        return
    created = not file.exists()
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.write(fd, b"".join(_log_line(key, rows[key]) for key in fresh))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(file.parent)


def _read_log(file: Path, *, tolerate_torn_tail: bool) -> dict[str, Doc]:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return {}
    rows: dict[str, Doc] = {}
    lines = data.split(b"\n")
    previous = ""
    for number, line in enumerate(lines[:-1], start=1):
        try:
            obj = json.loads(line)
            key, doc = str(obj["key"]), obj["doc"]
        except (ValueError, KeyError, TypeError):
            raise CorruptProjectError(f"line {number} is damaged", str(file)) from None
        if key <= previous:
            raise CorruptProjectError(
                f"line {number} is out of order (key {key} after {previous})", str(file)
            )
        rows[key] = doc
        previous = key
    if lines[-1] and not tolerate_torn_tail:
        raise CorruptProjectError("last line is incomplete", str(file))
    return rows


def _last_log_row(file: Path, *, key_only: bool = False) -> Doc | None:
    """Parse only the last complete line (a torn tail is ignored: its rows are still in the journal)."""
    try:
        with open(file, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            chunk = 65536
            while True:
                start = max(size - chunk, 0)
                fh.seek(start)
                data = fh.read(size - start)
                complete = data[: data.rfind(b"\n") + 1]
                lines = complete.rstrip(b"\n").split(b"\n")
                if len(lines) > 1 or start == 0:
                    break
                chunk *= 4
    except FileNotFoundError:
        return None
    if not lines or not lines[-1]:
        return None
    try:
        obj = json.loads(lines[-1])
    except ValueError:
        raise CorruptProjectError("last complete line is damaged", str(file)) from None
    if key_only:
        return {"key": str(obj["key"])}
    doc: Doc = obj["doc"]
    return doc


def _cut_torn_log_tail(file: Path) -> None:
    """A crash mid-append leaves half a line; its rows are still in the journal, so drop it."""
    try:
        with file.open("rb") as log:  # the last byte tells; the log may be tens of megabytes
            log.seek(0, os.SEEK_END)
            if log.tell() == 0:
                return
            log.seek(-1, os.SEEK_END)
            if log.read(1) == b"\n":
                return
            log.seek(0)
            data = log.read()
    except FileNotFoundError:
        return
    if data and not data.endswith(b"\n"):
        fd = os.open(file, os.O_WRONLY)
        try:
            os.ftruncate(fd, data.rfind(b"\n") + 1)
            os.fsync(fd)
        finally:
            os.close(fd)


def _load(path: Path, readonly: bool) -> tuple[dict[str, dict[str, Doc]], int, str | None]:
    """Checkpoint plus the journal entries after it; the collector is paused while millions of
    small objects are allocated (it would otherwise rescan them over and over)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_state(path, readonly)
    finally:
        if enabled:
            gc.enable()


def _load_state(path: Path, readonly: bool) -> tuple[dict[str, dict[str, Doc]], int, str | None]:
    """Checkpoint plus the journal entries after it, checked for a gap (a checkpoint racing a reader)."""
    for _attempt in range(20):
        data = _read_checkpoint(path / CHECKPOINT)
        seq = int(data[STATE_TABLE]["state"]["seq"])
        entries, warning = journal.read(path / JOURNAL)
        fresh = [e for e in entries if e.seq > seq]
        if fresh and fresh[0].seq != seq + 1:
            if readonly:
                time.sleep(0.05)  # the writer is between checkpoint and journal reset
                continue
            raise CorruptProjectError(
                f"journal starts at transaction {fresh[0].seq} but the checkpoint ends at {seq}", str(path)
            )
        for expected, entry in enumerate(fresh, start=seq + 1):
            if entry.seq != expected:
                raise CorruptProjectError(
                    f"journal skips from transaction {expected - 1} to {entry.seq}", str(path / JOURNAL)
                )
        for entry in fresh:
            for op in entry.ops:
                table, doc_id, doc = op
                rows = data.setdefault(table, {})
                if doc is None:
                    rows.pop(doc_id, None)
                else:
                    rows[doc_id] = doc
            seq = entry.seq
        return data, seq, warning
    raise CorruptProjectError(
        "could not read a consistent state while another process was writing", str(path)
    )


def _read_checkpoint(file: Path) -> dict[str, dict[str, Doc]]:
    where = str(file)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CorruptProjectError(f"cannot read the project file ({exc.strerror})", where) from None
    try:
        # orjson parses the checkpoint (18 MB on the large study) in about half json's time; its errors
        # are json.JSONDecodeError too, and it refuses what json would only accept by extension.
        data = orjson.loads(raw)
    except UnicodeDecodeError:
        raise CorruptProjectError("project file is not UTF-8 text", where) from None
    except json.JSONDecodeError as exc:
        raise CorruptProjectError(
            f"project file is damaged: {exc.msg} at line {exc.lineno} column {exc.colno}", where
        ) from None
    # orjson makes exact dicts, so one type per table is checked in C (95,000 documents in a large study).
    if not isinstance(data, dict) or not all(
        type(rows) is dict and set(map(type, rows.values())) <= {dict} for rows in data.values()
    ):
        raise CorruptProjectError("project file does not hold TinyDB tables of documents", where)
    state = data.get(STATE_TABLE, {}).get("state")
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise CorruptProjectError("not a workbench project file (format marker missing)", where)
    version = state.get("schema_version")
    seq = state.get("seq")
    if not isinstance(version, int) or not isinstance(seq, int) or version < 1 or seq < 0:
        raise CorruptProjectError("project file has an invalid schema version or sequence", where)
    if version > SCHEMA_VERSION:
        raise UnsupportedVersionError(
            f"project was written by a newer workbench (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade qual-workbench to open it",
            where,
        )
    if version < SCHEMA_VERSION and any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
        raise UnsupportedVersionError(f"no migration from schema {version}", where)
    return data
