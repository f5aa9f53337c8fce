"""The Project service: the one door through which shells and plugins read and change a study.

Every analytic change runs as an *operation*: its mutations are collected in
one store transaction together with its undo record and its audit event, so
the change, its undo and its audit trail are durable together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Protocol

from workbench.core import audit, references, untrusted
from workbench.core.errors import BadInputError, CorruptProjectError, NotFoundError, WorkbenchError
from workbench.core.ids import natural_key
from workbench.core.language import check_language
from workbench.core.model import ImportedTranscript, Turn
from workbench.core.permissions import check_permission, role_of
from workbench.core.queries import Index
from workbench.core.remap import Remapper, diff
from workbench.core.store.lock import current_user
from workbench.core.store.store import Store, Transaction
from workbench.core.text import (
    LineMap,
    LineSettings,
    detect_turns,
    extract,
    format_citation,
    refuse_unsafe_characters,
    turn_label_span,
)

Doc = dict[str, Any]
METHODS = ("gt", "ipa", "none")  # the bundled ones; a method plugin may add its own id
METHOD_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
HISTORY_LIMIT = 1000
DEFAULT_LEVEL = {"gt": "initial", "ipa": "experiential-statement", "none": "code"}
CODE_KINDS = ("constructed", "in-vivo", "a-priori")
CODE_STATUSES = ("active", "merged", "split", "retired")
SOURCE_STATUSES = ("not started", "in progress", "coded")
ENTITY_TABLES = {
    "participant": "participants",
    "source": "sources",
    "version": "versions",
    "code": "codes",
    "segment": "segments",
    "coding": "codings",
    "memo": "memos",
    "link": "links",
    "snapshot": "snapshots",
    "set": "sets",
    "cluster": "clusters",
    "record": "records",
}
TABLE_ENTITIES = {table: kind for kind, table in ENTITY_TABLES.items()} | {"texts": "transcript text"}
ID_PREFIX = {
    "S": "source",
    "V": "version",
    "C": "code",
    "G": "segment",
    "K": "coding",
    "M": "memo",
    "L": "link",
    "B": "snapshot",
    "T": "set",
    "N": "cluster",
    "R": "record",
}
DIRECTIONS = ("none", "one-way", "bi")
# A plugin record's kind is "<namespace>.<name>" (gt.category, ipa.note): the namespace keeps two plugins'
# records apart and names the audit action ("gt.category.create").
RECORD_KIND = re.compile(r"^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$")
MAX_RECORD_BYTES = 1_000_000


@dataclass(frozen=True)
class OperationEvent:
    """What observers (plugins' `on_operation`) learn after an operation is durable."""

    seq: int
    action: str
    entity: str
    summary: str
    undo: bool = False


class ProjectObserver(Protocol):
    def project_opened(self, project: Project) -> None: ...
    def project_closing(self, project: Project) -> None: ...
    def operation_applied(self, project: Project, event: OperationEvent) -> None: ...


@dataclass(frozen=True)
class CodeCount:
    id: str
    label: str
    parent_id: str | None
    depth: int
    level: str
    kind: str
    status: str
    definition: str
    segments: int
    participants: int


@dataclass(frozen=True)
class CodedSegment:
    """One coding of a segment, with what a retrieval shows and cites of it."""

    code: str
    code_id: str
    coding_id: str
    segment_id: str
    source: str
    participant: str
    pseudonym: str
    start: int
    end: int
    text: str
    citation: str
    line_start: int
    line_end: int
    page_start: int
    page_end: int
    coder: str
    flag: str = ""
    extract: str = ""


def _coded_segment(**fields: Any) -> CodedSegment:
    """A CodedSegment made without its dataclass __init__, which sets each of its 18 fields through
    `object.__setattr__` (being frozen): ~3 µs a segment, 6 ms of a 2,000-segment retrieval. The
    fields go into the instance dict in one step; nothing else about the object differs, as long as
    CodedSegment has no `__post_init__`, default factories or slots (a test checks it stays so)."""
    segment = object.__new__(CodedSegment)
    object.__setattr__(segment, "__dict__", fields)
    return segment


_Where = tuple[Doc, Doc, str, str, "_TextRecord", tuple[tuple[str, int, str], tuple[str, int, str]]]


class _TextRecord:
    """One transcript version's text, turns and line map, as read from the store (cached per version).

    Turns are made when first asked for: a first retrieval reads the record of every transcript it
    cites, and needs only their text and line maps.
    """

    __slots__ = ("_raw_turns", "_turns", "linemap", "text")

    def __init__(self, text: str, raw_turns: list[dict[str, Any]], linemap: LineMap) -> None:
        self.text = text
        self.linemap = linemap
        self._raw_turns = raw_turns
        self._turns: tuple[Turn, ...] | None = None

    @property
    def turns(self) -> tuple[Turn, ...]:
        if self._turns is None:
            self._turns = tuple(Turn(**t) for t in self._raw_turns)
        return self._turns


@dataclass
class _History:
    done: list[str] = field(default_factory=list)
    undone: list[str] = field(default_factory=list)


@dataclass
class _Group:
    """Operations run as one undo step (`Project._one_step`): their changes, for its one history entry,
    and their events, for observers once the step is durable."""

    changes: list[list[Any]] = field(default_factory=list)
    events: list[OperationEvent] = field(default_factory=list)


MAX_LABEL = 200
RECENT_CHANGES = 512
"""Document changes `Project.changes_since` remembers (an operation makes a handful)."""


def check_label(label: str) -> None:
    """Code labels are one line of text a person can read in a tree and a table."""
    if not label:
        raise BadInputError("code label is empty", "LABEL")
    if len(label) > MAX_LABEL:
        raise BadInputError(f"code label is {len(label)} characters; the limit is {MAX_LABEL}", "LABEL")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in label):
        raise BadInputError("code label contains a line break or control character", "LABEL")
    untrusted.check_text(label, "LABEL")


def refuse_unsafe_text(changes: Sequence[tuple[str, str, Doc | None, Doc | None]]) -> None:
    """The input policy's last line (untrusted.py): no operation stores a new unsafe string anywhere.

    Every write of every shell, importer and plugin passes here, so a field no caller checked is still
    covered; the callers that know a field's name check it first, for a better message. A string that
    was already there unchanged (written by an older version) does not block other work on its record:
    `workbench check` reports it and `workbench clean` removes it.
    """
    afters = [after for _t, _i, _b, after in changes if after is not None]
    if not afters or not untrusted.may_hold_unsafe(afters):
        return
    for table, doc_id, before, after in changes:
        if after is None:
            continue
        old = set(untrusted.unsafe_strings(before)) if before else set()
        for path, value in untrusted.unsafe_strings(after):
            if (path, value) not in old:
                message = untrusted.problem(value, lines=True) or "contains an unsafe character"
                where = field_name(table, doc_id, after, path)
                raise BadInputError(f"{message}; remove it and try again", where)


def field_name(table: str, doc_id: str, doc: Doc, path: str) -> str:
    """A stored field as a person reads it: `participant P01 attributes.group`, `ipa.note R4 text`."""
    if table == "records" and isinstance(doc.get("kind"), str):
        kind, path = doc["kind"], path.removeprefix("data.")
    else:
        kind = TABLE_ENTITIES.get(table, table)
    return " ".join(part for part in (kind, doc_id, path) if part)


def _json_object(data: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of `data` that is plain JSON, or a clear refusal (records must survive a reload)."""
    if not isinstance(data, Mapping):
        raise BadInputError(f"record data must be a mapping, not {type(data).__name__}", "DATA")
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise BadInputError(f"record data is not plain JSON: {exc}", "DATA") from None
    if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
        raise BadInputError(f"record data is larger than {MAX_RECORD_BYTES:,} bytes", "DATA")
    copy: dict[str, Any] = json.loads(text)
    if list(copy) != [str(k) for k in data]:
        raise BadInputError("record data keys must be strings", "DATA")
    return copy


class UndoStep(NamedTuple):
    """One step of the undo history: its key, summary, when (UTC, ISO seconds) and who."""

    key: str
    summary: str
    time: str
    actor: str


_TURN_FIELDS = tuple(f.name for f in dataclass_fields(Turn))


def _turn_row(turn: Turn) -> dict[str, object]:
    """`asdict(turn)` without its recursive deep copy: every field of a Turn is a plain scalar."""
    return {name: getattr(turn, name) for name in _TURN_FIELDS}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Project:
    """An open study. Use as a context manager; writes need the writer lock (see `open`)."""

    def __init__(self, store: Store, actor: str | None, observer: ProjectObserver | None) -> None:
        self.store = store
        self.actor = actor or current_user()
        self.observer = observer
        self.index = Index(self._participant_of_segment)
        self.index.build(store._data)
        store.listeners.append(self._on_change)
        self._texts: dict[str, _TextRecord] = {}
        self.change_count = 0  # every document change applied since opening (see `changes_since`)
        self._recent: deque[tuple[str, str]] = deque(maxlen=RECENT_CHANGES)
        self._history = _History()
        self._group: _Group | None = None
        for key, entry in sorted(store.all("history").items()):
            (self._history.done if entry["state"] == "done" else self._history.undone).append(key)
        self._history.undone.reverse()  # most recently undone last, to pop
        last = store.log_tail(audit.AUDIT_TABLE)
        self._audit_head = (last["seq"], last["hash"]) if last else (0, audit.GENESIS)

    # -- life cycle ----------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path,
        title: str,
        method: str = "none",
        actor: str | None = None,
        observer: ProjectObserver | None = None,
    ) -> Project:
        if not isinstance(method, str) or not METHOD_ID.match(method):
            raise BadInputError(
                f"method {method!r} must be a short lower-case id such as {', '.join(METHODS)}", "--method"
            )
        if not title.strip():
            raise BadInputError("a project needs a title", "--title")
        untrusted.check_text(title, "--title")
        store = Store.create(path)
        project = cls(store, actor, None)
        meta = {
            "title": title.strip(),
            "method": method,
            "created_at": _now(),
            "created_by": project.actor,
            "line_settings": LineSettings().to_json(),
            "citation": "page-line",
        }
        with project._operation(
            "project.create", "project", f"created project {title!r}", undoable=False
        ) as tx:
            tx.put("_meta", "project", meta)
        project.store.checkpoint()  # the project file itself now says what the project is
        if observer:
            project.observer = observer
            observer.project_opened(project)
        return project

    @classmethod
    def open(
        cls,
        path: Path,
        readonly: bool = False,
        actor: str | None = None,
        observer: ProjectObserver | None = None,
        wait: float = 0.0,
    ) -> Project:
        project = cls(Store.open(path, readonly=readonly, wait=wait), actor, observer)
        if project.store.get("_meta", "project") is None:
            project.store.close()
            raise CorruptProjectError(
                "project has no metadata record (the project file is damaged)", str(path)
            )
        if observer:
            observer.project_opened(project)
        return project

    def close(self) -> None:
        if self.observer:
            self.observer.project_closing(self)
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def meta(self) -> Doc:
        return self.store.get("_meta", "project") or {}

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def method(self) -> str:
        return str(self.meta.get("method", "none"))

    @property
    def warnings(self) -> list[str]:
        return self.store.warnings

    def _on_change(self, table: str, doc_id: str, before: Doc | None, after: Doc | None) -> None:
        self.index.update(table, doc_id, before, after)
        if table == "texts":
            self._texts.pop(doc_id, None)
        self.change_count += 1
        self._recent.append((table, doc_id))

    def changes_since(self, count: int) -> list[tuple[str, str]] | None:
        """(table, document id) of each change applied since `change_count` was `count`, oldest first.

        None when there were too many to remember. Lets a view update what an operation changed (a
        coding added) instead of rebuilding everything it shows; anything it cannot follow, it rebuilds.
        """
        missed = self.change_count - count
        if missed < 0 or missed > len(self._recent):
            return None
        return list(self._recent)[len(self._recent) - missed :] if missed else []

    # -- the operation machinery --------------------------------------------------------------------
    @contextmanager
    def _operation(
        self, action: str, entity: str, summary: str, *, undoable: bool = True, undo: bool = False
    ) -> Iterator[Transaction]:
        """Run the body's mutations as one durable, audited and (normally) undoable operation."""
        with self.store.transaction() as tx:
            yield tx
            if not tx.changes:
                return
            if not undo:  # undo and redo restore states already accepted (or cleaned away on purpose)
                refuse_unsafe_text(tx.changes)
            self._check_role(action, entity, tx.changes)  # governance hook (GOV-11)
            changes = [[t, i, b, a] for t, i, b, a in tx.changes]
            if undoable and self._group is not None:
                self._group.changes.extend(changes)
            elif undoable:
                self._record_history(tx, action, summary, changes)
            seq, prev = self._audit_head
            event = audit.make_event(
                seq + 1,
                prev,
                self.audit_actor(),  # governance hook (GOV-11): records the role used
                action,
                entity if ":" in entity else tx.entity or entity,
                {f"{t}/{i}": b for t, i, b, _ in changes},
                {f"{t}/{i}": a for t, i, _, a in changes},
                salt=audit.new_salt(),  # kept beside the event, not in it (GOV-12: salts can be destroyed)
            )
            for table, key, doc in audit.store_rows(event):
                tx.put(table, key, doc, record=False)
        self._audit_head = (event.seq, event.hash)
        if self.observer:
            applied = OperationEvent(event.seq, action, entity, summary, undo)
            if self._group is not None:  # not durable yet: observers hear of it when the step is
                self._group.events.append(applied)
            else:
                self.observer.operation_applied(self, applied)

    @contextmanager
    def _one_step(self, action: str, summary: str) -> Iterator[None]:
        """Run the body's operations as ONE undo step, durable together or not at all (`core.batch`).

        Each operation keeps its own checks and its own audit event, and is applied in memory as it
        goes, so each sees those before it (a code the first one created). When the body ends, all of
        them, with one history entry holding every change, are journaled as one store entry
        (`Store.deferred`): one `undo` reverts the lot. If the body raises, memory, the audit head and
        the history are put back and nothing is written. Observers hear of each operation once the
        step is durable.
        """
        if self._group is not None:
            raise WorkbenchError("operations are already being grouped into one step")
        group = self._group = _Group()
        head, done, undone = self._audit_head, list(self._history.done), list(self._history.undone)
        try:
            with self.store.deferred():
                yield
                self._group = None
                if group.changes:
                    with self.store.transaction() as tx:
                        self._record_history(tx, action, summary, group.changes)
        except BaseException:
            self._audit_head = head
            self._history = _History(done, undone)
            raise
        finally:
            self._group = None
        if self.observer:
            for applied in group.events:
                self.observer.operation_applied(self, applied)

    def _record_history(self, tx: Transaction, action: str, summary: str, changes: list[list[Any]]) -> None:
        for key in self._history.undone:
            tx.delete("history", key, record=False)
        self._history.undone = []
        last = int(self._history.done[-1]) if self._history.done else 0
        key = f"{last + 1:09d}"
        tx.put(
            "history",
            key,
            {
                "action": action,
                "summary": summary,
                "time": _now(),
                "actor": self.actor,
                "changes": changes,
                "state": "done",
            },
            record=False,
        )
        self._history.done.append(key)
        while len(self._history.done) > HISTORY_LIMIT:
            tx.delete("history", self._history.done.pop(0), record=False)

    def _freeze(self, tx: Transaction, version_id: str) -> None:
        """Analysis has started on this version: its text and line map are fixed from now on (TR-10)."""
        version = tx.get("versions", version_id)
        if version and not version["frozen"]:
            tx.put("versions", version_id, {**version, "frozen": True, "frozen_at": _now()})

    def _freeze_linked(self, tx: Transaction, refs: Sequence[str]) -> None:
        """A record anchored in a transcript (an IPA note, a GT dimensional location) freezes it too."""
        for ref in refs:
            kind, _, ident = ref.partition(":")
            if kind == "version":
                self._freeze(tx, ident)
            elif kind == "source":
                source = tx.get("sources", ident)
                if source:
                    self._freeze(tx, source["version_id"])

    def _new_id(self, tx: Transaction, prefix: str) -> str:
        counters = dict(tx.get("_meta", "counters") or {})
        number = int(counters.get(prefix, 0)) + 1
        counters[prefix] = number
        tx.put("_meta", "counters", counters, record=False)
        return f"{prefix}{number}"

    def _insert(self, tx: Transaction, prefix: str, fields: Doc) -> str:
        """Allocate an id, name it as the operation's entity (if none yet) and store the new record."""
        kind = ID_PREFIX[prefix]
        new_id = self._new_id(tx, prefix)
        tx.entity = tx.entity or f"{kind}:{new_id}"
        tx.put(ENTITY_TABLES[kind], new_id, {"id": new_id, **fields})
        return new_id

    def can_undo(self) -> str | None:
        """Summary of the operation `undo` would revert, or None."""
        return self._history_summary(self._history.done)

    def can_redo(self) -> str | None:
        return self._history_summary(self._history.undone)

    def _history_summary(self, keys: list[str]) -> str | None:
        entry = self.store.get("history", keys[-1]) if keys else None
        return str(entry["summary"]) if entry else None

    def undo_details(self) -> UndoStep | None:
        """The operation `undo` would revert, or None.

        So a shell can say *what* an undo will take back, and whether it was done now or long ago.
        """
        key = self._history.done[-1] if self._history.done else None
        entry = self.store.get("history", key) if key else None
        if key is None or entry is None:
            return None
        return UndoStep(key, str(entry["summary"]), str(entry.get("time", "")), str(entry.get("actor", "")))

    def undo(self) -> str:
        """Revert the last operation (across restarts); returns its summary."""
        return self._step(self._history.done, self._history.undone, "undo")

    def redo(self) -> str:
        """Re-apply the last undone operation; returns its summary."""
        return self._step(self._history.undone, self._history.done, "redo")

    def _step(self, source: list[str], target: list[str], action: str) -> str:
        """Move the newest history entry from one stack to the other, applying its changes one way."""
        if not source:
            raise WorkbenchError(f"nothing to {action}")
        key = source[-1]
        entry = self.store.get("history", key)
        assert entry is not None
        changes = entry["changes"]
        # Undo restores each `before`, newest change first; redo re-applies each `after`, in order.
        steps = (
            [(t, i, b) for t, i, b, _a in reversed(changes)]
            if action == "undo"
            else [(t, i, a) for t, i, _b, a in changes]
        )
        with self._operation(
            action, f"history:{key}", f"{action}: {entry['summary']}", undoable=False, undo=True
        ) as tx:
            for table, doc_id, doc in steps:
                if doc is None:
                    tx.delete(table, doc_id)
                else:
                    tx.put(table, doc_id, doc)
            tx.put("history", key, {**entry, "state": "undone" if action == "undo" else "done"}, record=False)
        source.pop()
        target.append(key)
        return str(entry["summary"])

    # -- reading ------------------------------------------------------------------------------------
    def rows(self, table: str) -> list[Doc]:
        return list(self.store.all(table).values())

    def get(self, table: str, doc_id: str) -> Doc | None:
        return self.store.get(table, doc_id)

    def participants(self) -> list[Doc]:
        return sorted(self.rows("participants"), key=lambda d: natural_key(d["id"]))

    def sources(self) -> list[Doc]:
        return sorted(self.rows("sources"), key=lambda d: natural_key(d["id"]))

    def source(self, source_id: str) -> Doc:
        doc = self.store.get("sources", source_id)
        if doc is None:
            raise NotFoundError(f"no source {source_id!r} (see `workbench sources`)", "SOURCE_ID")
        return doc

    def participant_of(self, source: Doc) -> Doc | None:
        pid = source.get("participant_id")
        return self.store.get("participants", pid) if pid else None

    def text_record(self, version_id: str) -> _TextRecord:
        cached = self._texts.get(version_id)
        if cached is None:
            doc = self.store.get("texts", version_id)
            if doc is None:
                raise NotFoundError(f"no text for transcript version {version_id}")
            cached = _TextRecord(doc["text"], doc["turns"], LineMap.from_json(doc["linemap"]))
            self._texts[version_id] = cached
        return cached

    def current_text(self, source_id: str) -> tuple[str, _TextRecord]:
        source = self.source(source_id)
        return source["version_id"], self.text_record(source["version_id"])

    def codes(self) -> list[Doc]:
        return sorted(self.rows("codes"), key=lambda d: natural_key(d["id"]))

    def find_code(self, label: str, *, active_only: bool = True, ids: bool = True) -> Doc | None:
        """A code by label (exact, then case-insensitive if unambiguous), then by id when `ids`.

        Labels win over ids, so a code may be labelled "C1"; coding and creating look up labels
        only. Indexed, as coding calls it every time.
        """
        codes = [
            c
            for cid in sorted(self.index.codes_by_label.get(label.casefold(), ()), key=natural_key)
            if (c := self.store.get("codes", cid)) is not None
            and (not active_only or c["status"] == "active")
        ]
        exact = [c for c in codes if c["label"] == label]
        if exact:
            return exact[0]
        if len(codes) == 1:
            return codes[0]
        doc = self.store.get("codes", label) if ids else None
        if doc is not None and (not active_only or doc["status"] == "active"):
            return doc
        return None

    def code_by_label(self, label: str) -> Doc:
        doc = self.find_code(label)
        if doc is None:
            raise NotFoundError(f"no active code {label!r} (see `workbench codes`)", "LABEL")
        return doc

    # -- transcripts --------------------------------------------------------------------------------
    def add_source(
        self,
        imported: ImportedTranscript,
        filename: str,
        *,
        participant_id: str | None = None,
        pseudonym: str | None = None,
        importer: str = "",
        kind: str = "interview",
    ) -> str:
        """Import one transcript as a new source with its first (immutable) version."""
        text = imported.text
        if not text.strip():
            raise BadInputError("transcript has no text", filename)
        refuse_unsafe_characters(text, filename)
        warnings = list(imported.warnings)
        stored_name = untrusted.cleaned(filename, lines=False)
        if stored_name != filename:  # a name is a record of where the text came from, not an input to refuse
            warnings.append(
                f"file name {untrusted.shown(filename)} held unsafe characters; kept as {stored_name}"
            )
            filename = stored_name
        if pseudonym is not None:
            untrusted.check_text(pseudonym, "--pseudonym")
        turns = imported.turns or detect_turns(text)
        linemap = LineMap.build(text, LineSettings.from_json(self.meta.get("line_settings", {})), turns)
        with self._operation("source.import", "source", f"import {filename}") as tx:
            pid = participant_id or self._next_participant_id(tx)
            participant = tx.get("participants", pid)
            if participant is None:
                tx.put(
                    "participants",
                    pid,
                    {"id": pid, "pseudonym": pseudonym or pid, "attributes": {}, "status": "active"},
                )
            elif pseudonym and participant["pseudonym"] != pseudonym:
                raise BadInputError(
                    f"participant {pid} already has pseudonym {participant['pseudonym']!r}", "--pseudonym"
                )
            sid = self._new_id(tx, "S")
            vid = self._new_id(tx, "V")
            tx.entity = f"source:{sid}"
            tx.put(
                "sources",
                sid,
                {
                    "id": sid,
                    "participant_id": pid,
                    "kind": kind,
                    "filename": filename,
                    "title": Path(filename).stem,
                    "version_id": vid,
                    "importer": importer,
                    "encoding": imported.encoding,
                    "warnings": warnings,
                    "imported_at": _now(),
                    "imported_by": self.actor,
                    "status": "not started",
                },
            )
            self._put_version(tx, sid, vid, text, turns, linemap, parent=None, reason="import")
        return sid

    def _next_participant_id(self, tx: Transaction) -> str:
        taken = set(self.store.all("participants"))
        number = len(taken) + 1
        while f"P{number:02d}" in taken or tx.get("participants", f"P{number:02d}") is not None:
            number += 1
        return f"P{number:02d}"

    def _put_version(
        self,
        tx: Transaction,
        sid: str,
        vid: str,
        text: str,
        turns: Sequence[Turn],
        linemap: LineMap,
        *,
        parent: str | None,
        reason: str,
        frozen: bool = False,
    ) -> None:
        tx.put(
            "versions",
            vid,
            {
                "id": vid,
                "source_id": sid,
                "parent_id": parent,
                "reason": reason,
                "sha256": sha256(text),
                "created_at": _now(),
                "created_by": self.actor,
                "frozen": frozen,
                "length": len(text),
            },
        )
        tx.put(
            "texts", vid, {"text": text, "turns": [_turn_row(t) for t in turns], "linemap": linemap.to_json()}
        )

    def correct_source(
        self, source_id: str, imported: ImportedTranscript, *, reason: str = "correction"
    ) -> tuple[str, int]:
        """A corrected text becomes a new version; anchors follow by diff, changed ones are flagged (CORE-4).

        Returns the new version id and how many anchors were flagged for review.

        The old version stays untouched, so every earlier citation can still be traced.
        """
        old_vid, record = self.current_text(source_id)
        text = imported.text
        if text == record.text:
            raise BadInputError("the corrected text is identical to the current version", source_id)
        if not text.strip():
            raise BadInputError("the corrected text is empty", source_id)
        refuse_unsafe_characters(text, source_id)
        untrusted.check_text(reason, "--reason", lines=True)
        turns = imported.turns or detect_turns(text)
        linemap = LineMap.build(text, record.linemap.settings, turns)
        remapper = Remapper(diff(record.text, text))
        flagged = 0
        with self._operation(
            "source.correct", f"source:{source_id}", f"correct {source_id} ({reason})"
        ) as tx:
            vid = self._new_id(tx, "V")
            old_version = tx.get("versions", old_vid) or {}
            self._put_version(
                tx,
                source_id,
                vid,
                text,
                turns,
                linemap,
                parent=old_vid,
                reason=reason,
                frozen=bool(old_version.get("frozen")),
            )
            source = tx.get("sources", source_id)
            assert source is not None
            tx.put("sources", source_id, {**source, "version_id": vid})
            for gid in sorted(self.index.segments_by_version.get(old_vid, ())):
                segment = self.store.get("segments", gid)
                if segment is None:
                    continue
                start, end, changed = remapper.map(segment["start"], segment["end"])
                if end <= start:
                    start, end = max(min(start, len(text) - 1), 0), max(min(start, len(text) - 1), 0) + 1
                flag = f"text changed in {reason} ({vid}); review" if changed else segment.get("flag", "")
                flagged += changed
                tx.put(
                    "segments",
                    gid,
                    {
                        **segment,
                        "version_id": vid,
                        "start": start,
                        "end": end,
                        "flag": flag,
                        "previous": [
                            *segment.get("previous", []),
                            [old_vid, segment["start"], segment["end"]],
                        ],
                    },
                )
        return vid, flagged

    def speaker_roles(self, source_id: str) -> dict[str, str]:
        """Label → role as mapped by the researcher (TR-7), over the roles guessed at import."""
        _vid, record = self.current_text(source_id)
        roles: dict[str, str] = {t.label: t.role for t in record.turns if t.label}
        roles.update(self.source(source_id).get("speaker_roles", {}))
        return roles

    def effective_turns(self, source_id: str) -> tuple[Turn, ...]:
        """The current version's turns with the researcher's role mapping applied (TR-7)."""
        _vid, record = self.current_text(source_id)
        roles = self.source(source_id).get("speaker_roles", {})
        return tuple(replace(t, role=roles[t.label]) if t.label in roles else t for t in record.turns)

    def set_speaker(
        self, source_id: str, label: str, *, role: str | None = None, participant_id: str | None = None
    ) -> None:
        """Map a speaker label to a role and/or participant; the text and its anchors are untouched."""
        if role is not None and role not in ("interviewer", "participant", "other", "unknown"):
            raise BadInputError(
                f"unknown role {role!r}; use interviewer, participant, other or unknown", "ROLE"
            )
        source = self.source(source_id)
        labels = {t.label for t in self.current_text(source_id)[1].turns if t.label}
        if label not in labels:
            raise NotFoundError(
                f"no speaker {label!r} in {source_id}; speakers: {', '.join(sorted(labels))}", "LABEL"
            )
        if participant_id is not None and self.store.get("participants", participant_id) is None:
            raise NotFoundError(f"no participant {participant_id!r}", "--participant")
        with self._operation(
            "source.speaker", f"source:{source_id}", f"map speaker {label!r} in {source_id}"
        ) as tx:
            changed = dict(source)
            if role is not None:
                changed["speaker_roles"] = {**source.get("speaker_roles", {}), label: role}
            if participant_id is not None:
                changed["speaker_participants"] = {
                    **source.get("speaker_participants", {}),
                    label: participant_id,
                }
            tx.put("sources", source_id, changed)

    def update_participant(
        self, participant_id: str, *, pseudonym: str | None = None, attributes: dict[str, str] | None = None
    ) -> None:
        """Pseudonym and descriptive attributes (age band, service, ...); never a real identity (GOV-3)."""
        doc = self.store.get("participants", participant_id)
        if doc is None:
            raise NotFoundError(f"no participant {participant_id!r}", "PARTICIPANT")
        if pseudonym is not None and not pseudonym.strip():
            raise BadInputError("pseudonym is empty", "--pseudonym")
        if pseudonym is not None:
            untrusted.check_text(pseudonym, "--pseudonym")
        for key, value in (attributes or {}).items():
            untrusted.check_text(key, "--attr")
            untrusted.check_text(value, f"--attr {untrusted.shown(key)}")
        with self._operation(
            "participant.update", f"participant:{participant_id}", f"update participant {participant_id}"
        ) as tx:
            tx.put(
                "participants",
                participant_id,
                {
                    **doc,
                    "pseudonym": pseudonym.strip() if pseudonym else doc["pseudonym"],
                    "attributes": {**doc.get("attributes", {}), **(attributes or {})},
                },
            )

    def coding_count(self, source_id: str) -> int:
        """Codings on a source's current version (all coders), from the index."""
        version_id = self.source(source_id)["version_id"]
        by_segment = self.index.codings_by_segment.get  # `.get`: the index's defaultdicts must not grow
        segments = self.index.segments_by_version.get(version_id, ())
        return sum(map(len, map(by_segment, segments, repeat(())))) if segments else 0

    def blind_layers(self) -> frozenset[str]:
        """Coding layers of open blind ICR rounds (ICR-3): retrieval and the transcript view leave them
        out until the round is closed, so no coder sees another's work by looking at a shared view."""
        return frozenset(
            str(doc["data"].get("layer"))
            for doc in self.records("icr.round")
            if doc["data"].get("status") == "open"
        )

    def version_codings(self, version_id: str) -> list[tuple[Doc, Doc]]:
        """(segment, coding) pairs on one transcript version, by position, from the index.

        What margins and per-transcript reports need, in time linear in that version's codings rather
        than in the whole project's (a plugin scanning every coding costs ~30 ms at 50,000).
        """
        segments, codings = self.store.all("segments"), self.store.all("codings")
        pairs: list[tuple[Doc, Doc]] = []
        for segment_id in self.index.segments_by_version.get(version_id, ()):
            segment = segments.get(segment_id)
            if segment is None:
                continue
            for coding_id in self.index.codings_by_segment.get(segment_id, ()):
                coding = codings.get(coding_id)
                if coding is not None:
                    pairs.append((segment, coding))
        pairs.sort(key=lambda pair: (pair[0]["start"], pair[0]["end"], pair[1]["id"]))
        return pairs

    def span_of_lines(self, source_id: str, first: int, last: int) -> tuple[int, int]:
        """Character span of tool lines first..last, without the speaker label or edge blanks."""
        _vid, record = self.current_text(source_id)
        start, end = record.linemap.span_of_lines(first, last)
        for turn in record.turns:
            if not turn.label or not start <= turn.start < end:
                continue
            label_end = turn_label_span(record.text, turn)[1]
            if turn.start == start:
                start = label_end  # a turn's label is structure, not speech
            elif end <= label_end or not record.text[label_end:end].strip():
                end = turn.start  # the range runs only into the next speaker's label
                break
        text = record.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            raise BadInputError(f"lines {first}-{last} hold no text to code", "--lines")
        return start, end

    # -- coding -------------------------------------------------------------------------------------
    def code(
        self,
        source_id: str,
        start: int,
        end: int,
        label: str,
        *,
        coder: str | None = None,
        unit: str = "character",
        memo: str | None = None,
        kind: str | None = None,
        layer: str = "main",
    ) -> str:
        """Apply `label` (created if new) to [start, end) of the source's current version."""
        vid, record = self.current_text(source_id)
        self._check_span(record.text, start, end)
        label = label.strip()
        if not label:
            raise BadInputError("code label is empty", "LABEL")
        if coder is not None:
            untrusted.check_text(coder, "--coder")
        if memo is not None:
            untrusted.check_text(memo, "--memo", lines=True)
        coder = coder or self.actor
        existing = self.find_code(label, ids=False)
        summary = f"code {self.cite(source_id, start, end)} as {label!r}"
        with self._operation("coding.add", "coding", summary) as tx:
            code_id = existing["id"] if existing else self._create_code(tx, label, kind=kind)["id"]
            segment_id = self._segment(tx, vid, start, end)
            for coding_id in self.index.codings_by_segment.get(segment_id, ()):
                other = self.store.get("codings", coding_id)
                if (
                    other
                    and other["code_id"] == code_id
                    and other["coder"] == coder
                    and other["layer"] == layer
                ):
                    raise BadInputError(f"{label!r} is already applied there by {coder}", f"{source_id}")
            coding_id = self._put_coding(tx, vid, segment_id, code_id, coder=coder, layer=layer, unit=unit)
            tx.entity = f"coding:{coding_id}"
            source = tx.get("sources", source_id)
            if source and source.get("status") == "not started":
                tx.put("sources", source_id, {**source, "status": "in progress"})
            if memo:
                self._put_memo(
                    tx,
                    title=f"{label} @ {source_id}",
                    body=memo,
                    links=[f"coding:{coding_id}"],
                    memo_type="code",
                )
        return coding_id

    def _check_span(self, text: str, start: int, end: int) -> None:
        if not (0 <= start < end <= len(text)):
            raise BadInputError(f"span {start}:{end} is outside the text (0:{len(text)}) or empty", "--chars")

    def _put_coding(
        self, tx: Transaction, vid: str, segment_id: str, code_id: str, *, coder: str, layer: str, unit: str
    ) -> str:
        """Write one coding of a segment of version `vid`, for `code` and the ICR rounds alike.

        Freezes the version: text that codings point into may no longer be edited in place.
        """
        coding_id = self._new_id(tx, "K")
        tx.put(
            "codings",
            coding_id,
            {
                "id": coding_id,
                "segment_id": segment_id,
                "code_id": code_id,
                "coder": coder,
                "layer": layer,
                "unit": unit,
                "created_at": _now(),
                "comment": "",
            },
        )
        self._freeze(tx, vid)
        return coding_id

    def _segment(self, tx: Transaction, vid: str, start: int, end: int) -> str:
        existing = self.index.segment_by_anchor.get((vid, start, end))
        if existing and tx.get("segments", existing) is not None:
            return existing
        sid = self._new_id(tx, "G")
        tx.put("segments", sid, {"id": sid, "version_id": vid, "start": start, "end": end, "flag": ""})
        return sid

    def uncode(self, source_id: str, start: int, end: int, label: str, *, coder: str | None = None) -> int:
        """Remove the code's codings from exactly that span (all coders unless `coder`); returns how many."""
        vid, record = self.current_text(source_id)
        self._check_span(record.text, start, end)
        code = self.find_code(label, active_only=False)
        segment_id = self.index.segment_by_anchor.get((vid, start, end))
        if code is None:
            raise NotFoundError(f"no code {label!r}", "LABEL")
        coding_ids = sorted(
            cid
            for cid in self.index.codings_by_segment.get(segment_id or "", ())
            if (doc := self.store.get("codings", cid))
            and doc["code_id"] == code["id"]
            and (coder is None or doc["coder"] == coder)
        )
        if not coding_ids or segment_id is None:
            raise NotFoundError(f"{label!r} is not applied to {source_id} {start}:{end}", source_id)
        with self._operation(
            "coding.remove",
            f"segment:{segment_id}",
            f"remove {code['label']!r} from {self.cite(source_id, start, end)}",
        ) as tx:
            for cid in coding_ids:
                tx.delete("codings", cid)
            repointed = self._refer_to_passages(tx, {cid: segment_id for cid in coding_ids})
            if (
                len(self.index.codings_by_segment[segment_id]) == len(coding_ids)
                and not repointed
                and not self._referenced(f"segment:{segment_id}")
            ):
                tx.delete("segments", segment_id)
        return len(coding_ids)

    def _referenced(self, ref: str) -> bool:
        return references.referenced(self.store, ref)

    def _refer_to_passages(self, tx: Transaction, removed: Mapping[str, str]) -> bool:
        return references.refer_to_passages(self.store, tx, removed)

    # -- codes ---------------------------------------------------------------------------------------
    def _create_code(
        self,
        tx: Transaction,
        label: str,
        *,
        kind: str | None = None,
        level: str | None = None,
        parent_id: str | None = None,
        definition: str = "",
    ) -> Doc:
        check_label(label)
        untrusted.check_text(definition, "--definition", lines=True)
        if self.find_code(label, ids=False) is not None:
            raise BadInputError(f"a code labelled {label!r} already exists", "LABEL")
        kind = kind or ("in-vivo" if label[:1] in "\"“'" else "constructed")
        if kind not in CODE_KINDS:
            raise BadInputError(f"unknown code kind {kind!r}; use one of {', '.join(CODE_KINDS)}", "--kind")
        cid = self._new_id(tx, "C")
        tx.entity = tx.entity or f"code:{cid}"
        doc: Doc = {
            "id": cid,
            "label": label,
            "definition": definition,
            "kind": kind,
            "level": level or DEFAULT_LEVEL.get(self.method, "code"),
            "parent_id": parent_id,
            "status": "active",
            "created_by": self.actor,
            "created_at": _now(),
            "lineage": [],
        }
        tx.put("codes", cid, doc)
        return doc

    def create_code(
        self,
        label: str,
        *,
        kind: str | None = None,
        level: str | None = None,
        parent: str | None = None,
        definition: str = "",
    ) -> str:
        label = label.strip()
        if not label:
            raise BadInputError("code label is empty", "LABEL")
        parent_id = self.code_by_label(parent)["id"] if parent else None
        with self._operation("code.create", "code", f"create code {label!r}") as tx:
            doc = self._create_code(
                tx, label, kind=kind, level=level, parent_id=parent_id, definition=definition
            )
        return str(doc["id"])

    def _update_code(self, tx: Transaction, code: Doc, event: str, **changes: Any) -> Doc:
        lineage = [
            *code.get("lineage", []),
            {
                "event": event,
                "time": _now(),
                "actor": self.actor,
                **{k: v for k, v in changes.items() if k != "lineage"},
            },
        ]
        doc = {**code, **changes, "lineage": lineage}
        tx.put("codes", code["id"], doc)
        return doc

    def rename_code(self, label: str, new_label: str) -> None:
        code = self.code_by_label(label)
        new_label = new_label.strip()
        check_label(new_label)
        other = self.find_code(new_label, ids=False)
        if not new_label or (other is not None and other["id"] != code["id"]):
            raise BadInputError(f"cannot rename to {new_label!r}: empty or already used", "NEW_LABEL")
        with self._operation("code.rename", f"code:{code['id']}", f"rename {label!r} to {new_label!r}") as tx:
            self._update_code(tx, code, "rename", label=new_label, previous_label=code["label"])

    def redefine_code(self, label: str, definition: str) -> None:
        code = self.code_by_label(label)
        untrusted.check_text(definition, "DEFINITION", lines=True)
        with self._operation("code.redefine", f"code:{code['id']}", f"redefine {label!r}") as tx:
            self._update_code(tx, code, "redefine", definition=definition)

    def move_code(self, label: str, parent: str | None) -> None:
        code = self.code_by_label(label)
        parent_id = self.code_by_label(parent)["id"] if parent else None
        ancestor = parent_id
        while ancestor:
            if ancestor == code["id"]:
                raise BadInputError(f"cannot move {label!r} under its own descendant", "PARENT")
            ancestor = (self.store.get("codes", ancestor) or {}).get("parent_id")
        with self._operation(
            "code.move", f"code:{code['id']}", f"move {label!r} under {parent or 'top'}"
        ) as tx:
            self._update_code(tx, code, "move", parent_id=parent_id)

    def set_code_level(self, label: str, level: str) -> None:
        """Promote or demote (the plugin vocabulary names the levels; core only records them)."""
        code = self.code_by_label(label)
        if not level.strip():
            raise BadInputError("level is empty", "LEVEL")
        with self._operation("code.level", f"code:{code['id']}", f"set level of {label!r} to {level}") as tx:
            self._update_code(tx, code, "level", level=level.strip(), previous_level=code["level"])

    def retire_code(self, label: str) -> None:
        code = self.code_by_label(label)
        with self._operation("code.retire", f"code:{code['id']}", f"retire {label!r}") as tx:
            self._update_code(tx, code, "retire", status="retired")

    def merge_codes(self, sources: Sequence[str], target: str) -> str:
        """Merge codes n→1: their codings move to `target` (created if new); they stay as `merged` lineage."""
        olds = [self.code_by_label(s) for s in sources]
        if len({c["id"] for c in olds}) != len(olds) or not olds:
            raise BadInputError("name each code to merge once", "CODES")
        with self._operation(
            "code.merge", "code", f"merge {', '.join(c['label'] for c in olds)} into {target!r}"
        ) as tx:
            existing = self.find_code(target, ids=False)
            if existing and existing["id"] in {c["id"] for c in olds}:
                raise BadInputError("the target cannot be one of the merged codes", "TARGET")
            self._put_snapshot(tx, f"before merging {', '.join(c['label'] for c in olds)} into {target}")
            dest = existing or self._create_code(tx, target)
            tx.entity = f"code:{dest['id']}"
            self._update_code(tx, dest, "merge-in", merged_from=[c["id"] for c in olds])
            seen: set[tuple[str, str]] = set()
            for k in self.index.codings_by_code.get(dest["id"], ()):
                if (doc := self.store.get("codings", k)) is not None:
                    seen.add((doc["segment_id"], doc["coder"]))
            for old in olds:
                for cid in sorted(self.index.codings_by_code.get(old["id"], ())):
                    coding = self.store.get("codings", cid)
                    assert coding is not None
                    key = coding["segment_id"]
                    if (key, coding["coder"]) in seen:
                        tx.delete("codings", cid)  # already coded with the target by that coder
                        self._refer_to_passages(tx, {cid: key})
                    else:
                        tx.put("codings", cid, {**coding, "code_id": dest["id"], "merged_from": old["id"]})
                        seen.add((key, coding["coder"]))
                self._update_code(tx, old, "merge", status="merged", merged_into=dest["id"])
        return str(dest["id"])

    def split_code(self, label: str, assignments: dict[str, str]) -> list[str]:
        """Split 1→n: `assignments` maps coding id to a new (or existing) code label; the rest stay."""
        code = self.code_by_label(label)
        mine = self.index.codings_by_code.get(code["id"], set())
        unknown = sorted(set(assignments) - mine)
        if unknown:
            raise BadInputError(f"codings {', '.join(unknown)} are not coded {label!r}", "ASSIGNMENTS")
        targets: dict[str, str] = {}
        with self._operation("code.split", f"code:{code['id']}", f"split {label!r}") as tx:
            for coding_id, target in sorted(assignments.items()):
                if target not in targets:
                    existing = self.find_code(target, ids=False)
                    targets[target] = (
                        existing["id"]
                        if existing
                        else self._create_code(tx, target, level=code["level"], parent_id=code["parent_id"])[
                            "id"
                        ]
                    )
                coding = self.store.get("codings", coding_id)
                assert coding is not None
                tx.put("codings", coding_id, {**coding, "code_id": targets[target], "split_from": code["id"]})
            for target_id in targets.values():
                target_doc = tx.get("codes", target_id)
                assert target_doc is not None
                self._update_code(tx, target_doc, "split-in", split_from=code["id"])
            remaining = len(mine) - len(assignments)
            self._update_code(
                tx,
                code,
                "split",
                split_into=sorted(targets.values()),
                status="active" if remaining else "split",
            )
        return sorted(targets.values())

    def lineage(self, label: str) -> list[Doc]:
        """Where did this code come from? Its own events plus those of the codes merged or split into it."""
        code = self.find_code(label, active_only=False)
        if code is None:
            raise NotFoundError(f"no code {label!r}", "LABEL")
        out: list[Doc] = []
        seen: set[str] = set()
        todo = [code["id"]]
        while todo:
            cid = todo.pop()
            if cid in seen:
                continue
            seen.add(cid)
            doc = self.store.get("codes", cid)
            if doc is None:
                continue
            for event in doc.get("lineage", []):
                out.append({"code": cid, "label": doc["label"], **event})
                todo.extend(event.get("merged_from", []))
                if event["event"] == "split-in":
                    todo.append(event["split_from"])
        return sorted(out, key=lambda e: (e["time"], e["code"]))

    # -- memos ---------------------------------------------------------------------------------------
    def resolve_entity(self, ref: str) -> str:
        """`kind:ID`, a bare id (S1, C2, P01, ...) or a code label → canonical `kind:ID`."""
        ref = ref.strip()
        kind, _, ident = ref.partition(":")
        if ident and kind in ENTITY_TABLES:
            if self.store.get(ENTITY_TABLES[kind], ident) is None:
                raise NotFoundError(f"no {kind} {ident!r}", "--link")
            return f"{kind}:{ident}"
        if self.store.get("participants", ref) is not None:
            return f"participant:{ref}"
        if ref[:1] in ID_PREFIX and self.store.get(ENTITY_TABLES[ID_PREFIX[ref[:1]]], ref) is not None:
            return f"{ID_PREFIX[ref[:1]]}:{ref}"
        code = self.find_code(ref)
        if code is not None:
            return f"code:{code['id']}"
        raise NotFoundError(f"no entity {ref!r} (use kind:ID, an id such as S1, or a code label)", "--link")

    def write_memo(
        self,
        title: str,
        body: str,
        *,
        links: Sequence[str] = (),
        memo_type: str = "analytic",
        anchor: tuple[str, int, int] | None = None,
    ) -> str:
        """A memo linked to entities; `anchor` (source id, start, end) also links it to that passage,
        creating an uncoded segment when none is there yet (a memo on words not yet coded, CORE-6)."""
        if not title.strip():
            raise BadInputError("a memo needs a title", "--title")
        untrusted.check_text(title, "--title")
        untrusted.check_text(body, "--body", lines=True)
        refs = [self.resolve_entity(r) for r in links]
        if anchor is not None:
            vid, record = self.current_text(anchor[0])
            self._check_span(record.text, anchor[1], anchor[2])
        with self._operation("memo.create", "memo", f"memo {title!r}") as tx:
            if anchor is not None:
                segment = f"segment:{self._segment(tx, vid, anchor[1], anchor[2])}"
                self._freeze(tx, vid)
                refs = [*refs, segment] if segment not in refs else refs
            return self._put_memo(tx, title=title.strip(), body=body, links=refs, memo_type=memo_type)

    def _put_memo(self, tx: Transaction, *, title: str, body: str, links: list[str], memo_type: str) -> str:
        mid = self._insert(
            tx,
            "M",
            {
                "type": memo_type,
                "title": title,
                "body": body,
                "links": links,
                "author": self.actor,
                "created_at": _now(),
                "modified_at": _now(),
                "revisions": [],
            },
        )
        return mid

    def edit_memo(self, memo_id: str, body: str) -> str:
        """Memos are versioned: the old body is kept as a revision, never lost."""
        memo = self.store.get("memos", memo_id)
        if memo is None:
            raise NotFoundError(f"no memo {memo_id!r}", "MEMO")
        untrusted.check_text(body, "--body", lines=True)
        revision = {"body": memo["body"], "modified_at": memo["modified_at"], "author": memo["author"]}
        with self._operation("memo.edit", f"memo:{memo_id}", f"edit memo {memo['title']!r}") as tx:
            tx.put(
                "memos",
                memo_id,
                {
                    **memo,
                    "body": body,
                    "modified_at": _now(),
                    "author": self.actor,
                    "revisions": [*memo["revisions"], revision],
                },
            )
        return memo_id

    # -- links, sets and clusters ---------------------------------------------------------------------
    def create_link(
        self,
        origin: str,
        target: str,
        relation: str,
        *,
        direction: str = "one-way",
        evidence: Sequence[str] = (),
        memo: str | None = None,
    ) -> str:
        """A typed, directed edge between any two entities, with evidence segments (REFI-QDA `<Link>`)."""
        if direction not in DIRECTIONS:
            raise BadInputError(
                f"unknown direction {direction!r}; use {', '.join(DIRECTIONS)}", "--direction"
            )
        if not relation.strip():
            raise BadInputError("a link needs a relation type", "--relation")
        untrusted.check_text(relation, "--relation")
        refs = [self.resolve_entity(origin), self.resolve_entity(target)]
        if refs[0] == refs[1]:
            raise BadInputError("a link needs two different entities", "TARGET")
        evidence_refs = [self.resolve_entity(e) for e in evidence]
        bad = [e for e in evidence_refs if not e.startswith(("segment:", "coding:"))]
        if bad:
            raise BadInputError(f"evidence must be segments or codings, not {', '.join(bad)}", "--evidence")
        memo_ref = self.resolve_entity(memo) if memo else None
        with self._operation("link.create", "link", f"link {refs[0]} -{relation}-> {refs[1]}") as tx:
            lid = self._insert(
                tx,
                "L",
                {
                    "origin": refs[0],
                    "target": refs[1],
                    "relation": relation.strip(),
                    "direction": direction,
                    "evidence": evidence_refs,
                    "memo": memo_ref,
                    "author": self.actor,
                    "created_at": _now(),
                },
            )
        return lid

    def delete_entity(self, ref: str) -> None:
        """Delete a link, set or cluster (analytic scaffolding; codes retire, memos are never deleted)."""
        canonical = self.resolve_entity(ref)
        kind, _, ident = canonical.partition(":")
        if kind not in ("link", "set", "cluster"):
            raise BadInputError(f"{kind}s cannot be deleted here (codes are retired, memos kept)", "ENTITY")
        with self._operation(f"{kind}.delete", canonical, f"delete {canonical}") as tx:
            tx.delete(ENTITY_TABLES[kind], ident)

    def create_set(self, name: str, members: Sequence[str] = (), *, description: str = "") -> str:
        """A named set of entities ("double-coded sample", "cases after memo M4")."""
        if not name.strip():
            raise BadInputError("a set needs a name", "NAME")
        untrusted.check_text(name, "NAME")
        untrusted.check_text(description, "--description", lines=True)
        refs = sorted({self.resolve_entity(m) for m in members})
        with self._operation("set.create", "set", f"set {name!r}") as tx:
            tid = self._insert(
                tx,
                "T",
                {
                    "name": name.strip(),
                    "description": description,
                    "members": refs,
                    "author": self.actor,
                    "created_at": _now(),
                },
            )
        return tid

    def set_members(self, set_ref: str, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        kind, _, tid = self.resolve_entity(set_ref).partition(":")
        doc = self.store.get("sets", tid) if kind == "set" else None
        if doc is None:
            raise NotFoundError(f"no set {set_ref!r}", "SET")
        adding = {self.resolve_entity(m) for m in add}
        removing = {self.resolve_entity(m) for m in remove}
        with self._operation("set.members", f"set:{tid}", f"change members of set {doc['name']!r}") as tx:
            tx.put("sets", tid, {**doc, "members": sorted((set(doc["members"]) | adding) - removing)})

    def create_cluster(
        self,
        name: str,
        children: Sequence[str] = (),
        *,
        parent: str | None = None,
        techniques: Sequence[str] = (),
        memo: str | None = None,
    ) -> str:
        """A grouping node (IPA cluster, theme, CMP synthesis node) over codes, statements or other nodes."""
        if not name.strip():
            raise BadInputError("a cluster needs a name", "NAME")
        untrusted.check_text(name, "NAME")
        for technique in techniques:
            untrusted.check_text(technique, "--technique")
        refs = [self.resolve_entity(c) for c in children]
        parent_ref = self.resolve_entity(parent) if parent else None
        if parent_ref and not parent_ref.startswith("cluster:"):
            raise BadInputError(f"a cluster's parent must be a cluster, not {parent_ref}", "--parent")
        memo_ref = self.resolve_entity(memo) if memo else None
        with self._operation("cluster.create", "cluster", f"cluster {name!r}") as tx:
            nid = self._insert(
                tx,
                "N",
                {
                    "name": name.strip(),
                    "children": refs,
                    "parent": parent_ref,
                    "techniques": sorted(set(techniques)),
                    "memo": memo_ref,
                    "author": self.actor,
                    "created_at": _now(),
                },
            )
        return nid

    # -- plugin records ------------------------------------------------------------------------------
    def records(self, kind: str | None = None) -> list[Doc]:
        """Plugin records, oldest first; only those of `kind` when given."""
        rows = self.store.all("records").values()
        found = [doc for doc in rows if kind is None or doc["kind"] == kind]
        return sorted(found, key=lambda doc: int(doc["id"][1:]))

    def record(self, record_id: str) -> Doc:
        doc = self.store.get("records", record_id.removeprefix("record:"))
        if doc is None:
            raise NotFoundError(f"no record {record_id!r}", "RECORD")
        return doc

    def add_record(
        self, kind: str, data: Mapping[str, Any], *, links: Sequence[str] = (), summary: str = ""
    ) -> str:
        """Store a method plugin's own analytic object (a GT category, an IPA note, a sampling entry).

        Records get what every core entity gets: an id (`R1`), undo, an audit event (action
        ``<kind>.create``) and links to other entities that `workbench check` verifies. A record linked
        to a source or version freezes that version's line map, as a coding does (TR-10). `data` is the
        plugin's JSON object; the audit log keeps only its digest, because it may hold someone's words.
        """
        if not isinstance(kind, str) or not RECORD_KIND.match(kind):
            raise BadInputError(f"record kind {kind!r} must look like 'plugin.kind' (lower case)", "KIND")
        clean = _json_object(data)
        refs = [self.resolve_entity(ref) for ref in links]
        with self._operation(f"{kind}.create", "record", summary or f"add {kind}") as tx:
            self._freeze_linked(tx, refs)
            return self._insert(
                tx,
                "R",
                {
                    "kind": kind,
                    "data": clean,
                    "links": refs,
                    "author": self.actor,
                    "created_at": _now(),
                    "modified_at": _now(),
                },
            )

    def update_record(
        self,
        record_id: str,
        data: Mapping[str, Any] | None = None,
        *,
        links: Sequence[str] | None = None,
        summary: str = "",
    ) -> None:
        """Replace a record's data and/or links (as one undoable, audited operation)."""
        doc = self.record(record_id)
        new = dict(doc)
        if data is not None:
            new["data"] = _json_object(data)
        if links is not None:
            new["links"] = [self.resolve_entity(ref) for ref in links]
        if new == doc:
            return
        new["modified_at"] = _now()
        new["author"] = self.actor
        kind = doc["kind"]
        with self._operation(f"{kind}.update", f"record:{doc['id']}", summary or f"change {kind}") as tx:
            self._freeze_linked(tx, new["links"])
            tx.put("records", doc["id"], new)

    def delete_record(self, record_id: str, *, summary: str = "") -> None:
        doc = self.record(record_id)
        kind = doc["kind"]
        with self._operation(f"{kind}.delete", f"record:{doc['id']}", summary or f"delete {kind}") as tx:
            tx.delete("records", doc["id"])

    # -- snapshots -------------------------------------------------------------------------------------
    def snapshot_codebook(self, label: str) -> str:
        """Freeze the codebook as it is now (CORE-7): lineage, ICR and saturation evidence read these."""
        if not label.strip():
            raise BadInputError("a snapshot needs a label", "LABEL")
        with self._operation("codebook.snapshot", "snapshot", f"snapshot {label!r}") as tx:
            return self._put_snapshot(tx, label.strip())

    def _put_snapshot(self, tx: Transaction, label: str) -> str:
        """Snapshot the committed codebook inside another operation (so undo takes both together)."""
        bid = self._new_id(tx, "B")
        tx.entity = tx.entity or f"snapshot:{bid}"
        codes = [asdict(c) for c in self.code_tree(include_inactive=True)]
        tx.put(
            "snapshots", bid, {"id": bid, "label": label, "time": _now(), "actor": self.actor, "codes": codes}
        )
        return bid

    def set_source_status(self, source_id: str, status: str) -> str | None:
        """Mark a transcript's progress; marking it coded snapshots the codebook (CORE-7, GT saturation).

        Returns the snapshot id when one was taken.
        """
        if status not in SOURCE_STATUSES:
            raise BadInputError(f"unknown status {status!r}; use {', '.join(SOURCE_STATUSES)}", "STATUS")
        source = self.source(source_id)
        if source.get("status") == status:
            raise BadInputError(f"{source_id} is already {status!r}", "STATUS")
        participant = self.participant_of(source) or {}
        with self._operation("source.status", f"source:{source_id}", f"mark {source_id} {status}") as tx:
            tx.put("sources", source_id, {**source, "status": status})
            if status == "coded":
                name = participant.get("pseudonym") or source["title"]
                return self._put_snapshot(tx, f"after {source_id} ({name}) coded")
        return None

    # -- settings --------------------------------------------------------------------------------------
    def update_settings(
        self,
        *,
        citation: str | None = None,
        line_settings: LineSettings | None = None,
        repaginate: bool = False,
        language: str | None = None,
        small_cell: int | None = None,
    ) -> list[str]:
        """Change the citation style, line-map settings and/or the transcripts' language (which
        stemmer and stop words search and word counts use) and/or the small-cell threshold K of the
        matrices (cells of fewer than K participants are not shown); returns the versions re-paginated.

        Line maps of versions already being analysed are frozen (TR-10): they change only with
        `repaginate=True`, an explicit, audited act, because every printed citation moves with them.
        """
        meta = dict(self.meta)
        if citation is not None:
            untrusted.check_text(citation, "--citation")
            self._check_citation(citation)
            meta["citation"] = citation
        if language is not None:
            meta["language"] = check_language(language)
        if small_cell is not None:
            if small_cell < 1:
                raise BadInputError("--small-cell K must be 1 or more (1 shows every cell)", "--small-cell")
            meta["small_cell"] = small_cell
        targets: list[str] = []
        if line_settings is not None:
            meta["line_settings"] = line_settings.to_json()
            for source in self.sources():
                version = self.store.get("versions", source["version_id"]) or {}
                if version.get("frozen") and not repaginate:
                    continue
                targets.append(source["version_id"])
        with self._operation("project.settings", "project", "change settings") as tx:
            tx.put("_meta", "project", meta)
            for vid in targets:
                record = self.text_record(vid)
                linemap = LineMap.build(record.text, line_settings or record.linemap.settings, record.turns)
                doc = self.store.get("texts", vid)
                assert doc is not None
                tx.put("texts", vid, {**doc, "linemap": linemap.to_json()})
        return targets

    def _check_citation(self, citation: str) -> None:
        from workbench.core.text import CITATION_STYLES

        template = CITATION_STYLES.get(citation, citation)
        probe = LineMap.build("probe text", LineSettings())
        format_citation(probe, 0, 5, "Alex", "P01", template)

    # -- queries ---------------------------------------------------------------------------------------
    def code_tree(self, *, include_inactive: bool = False) -> list[CodeCount]:
        """Codes in tree order (parents before children) with segment and participant counts."""
        codes = {c["id"]: c for c in self.rows("codes") if include_inactive or c["status"] == "active"}
        children: dict[str | None, list[str]] = {}
        for cid, doc in codes.items():
            parent = doc.get("parent_id") if doc.get("parent_id") in codes else None
            children.setdefault(parent, []).append(cid)
        out: list[CodeCount] = []

        def walk(parent: str | None, depth: int) -> None:
            for cid in sorted(children.get(parent, []), key=lambda i: codes[i]["label"].casefold()):
                doc = codes[cid]
                segments, participants = self._counts(cid)
                out.append(
                    CodeCount(
                        cid,
                        doc["label"],
                        doc.get("parent_id"),
                        depth,
                        doc["level"],
                        doc["kind"],
                        doc["status"],
                        doc.get("definition", ""),
                        segments,
                        participants,
                    )
                )
                walk(cid, depth + 1)

        walk(None, 0)
        return out

    def _counts(self, code_id: str) -> tuple[int, int]:
        return len(self.index.code_segments.get(code_id, ())), len(
            self.index.code_participants.get(code_id, ())
        )

    def _participant_of_segment(self, segment_id: str) -> str | None:
        segment = self.store.get("segments", segment_id)
        version = self.store.get("versions", segment["version_id"]) if segment else None
        source = self.store.get("sources", version["source_id"]) if version else None
        return source.get("participant_id") if source else None

    def coded_segments(
        self, label: str, *, extracts: bool = False, context_lines: int = 0
    ) -> list[CodedSegment]:
        """Every segment coded with `label`, grouped by participant then source and position.

        `extracts` adds the TR-12 quote form (labels stripped, interviewer parts marked), with
        `context_lines` around it; it costs a turn lookup per segment, so retrieval views skip it.
        """
        turns_of: dict[str, tuple[Turn, ...]] = {}
        code = self.find_code(label, active_only=False)
        if code is None:
            raise NotFoundError(f"no code {label!r} (see `workbench codes`)", "LABEL")
        template = self.citation_template()
        hidden = self.blind_layers()
        code_label, code_id = code["label"], code["id"]
        keyed: list[tuple[tuple[object, ...], CodedSegment]] = []
        # Per transcript version: its source, participant, pseudonym, text and sort keys, looked up
        # once (2,000 segments of one code sit in a few dozen versions).
        where: dict[str, _Where | None] = {}
        codings, segments = self.store.all("codings"), self.store.all("segments")
        for cid in self.index.codings_by_code.get(code_id, ()):
            coding = codings.get(cid)
            if coding is None or coding.get("layer") in hidden:
                continue
            segment = segments.get(coding["segment_id"])
            if segment is None:
                continue
            vid = segment["version_id"]
            found = where[vid] if vid in where else where.setdefault(vid, self._where(vid))
            if found is None:
                continue
            version, source, participant_id, pseudonym, record, participant_key = found
            start, end = segment["start"], segment["end"]
            lines = record.linemap.lines_of_span(start, end)
            first, last = lines
            hit = _coded_segment(
                code=code_label,
                code_id=code_id,
                coding_id=cid,
                segment_id=segment["id"],
                source=source["id"],
                participant=participant_id,
                pseudonym=pseudonym,
                start=start,
                end=end,
                text=record.text[start:end],
                citation=format_citation(
                    record.linemap, start, end, pseudonym, participant_id, template, lines
                ),
                line_start=first.number,
                line_end=last.number,
                page_start=first.page,
                page_end=last.page,
                coder=coding["coder"],
                flag=segment.get("flag", ""),
                extract=extract(
                    record.text,
                    turns_of.setdefault(source["id"], self.effective_turns(source["id"]))
                    if version["id"] == source["version_id"]
                    else record.turns,
                    start,
                    end,
                    context_lines,
                    record.linemap,
                )
                if extracts
                else "",
            )
            keyed.append(((participant_key, start, end, cid), hit))
        keyed.sort(key=itemgetter(0))
        return [hit for _key, hit in keyed]

    def _where(self, version_id: str) -> _Where | None:
        """A transcript version's version and source records, participant id and pseudonym, text
        record and the (participant, source) part of the retrieval sort key; None if it is gone."""
        version = self.store.get("versions", version_id)
        source = self.store.get("sources", version["source_id"]) if version else None
        if version is None or source is None:
            return None
        participant = self.participant_of(source) or {}
        participant_id = participant.get("id", "")
        return (
            version,
            source,
            participant_id,
            participant.get("pseudonym") or source["title"],
            self.text_record(version_id),
            (natural_key(participant_id), natural_key(source["id"])),
        )

    def cite(self, source_id: str, start: int, end: int) -> str:
        """A span of a source's current version as a person finds it again: "Alex, 1:5–6".

        For what the user reads about a change (undo, history, toasts), where offsets mean nothing.
        """
        source = self.source(source_id)
        participant = self.participant_of(source) or {}
        record = self.text_record(source["version_id"])
        try:
            return format_citation(
                record.linemap,
                start,
                end,
                str(participant.get("pseudonym") or source_id),
                str(participant.get("id", "")),
                self.citation_template(),
            )
        except (BadInputError, IndexError, ValueError):  # a span the checks below will refuse anyway
            return f"{source_id} {start}:{end}"

    def citation_template(self) -> str:
        from workbench.core.text import CITATION_STYLES

        style = str(self.meta.get("citation", "page-line"))
        return CITATION_STYLES.get(style, style)

    def audit_events(self) -> list[Doc]:
        return list(self.store.log_rows(audit.AUDIT_TABLE).values())

    def audit_length(self) -> int:
        """How many events the audit log holds (the last one's number), without reading the log."""
        return self._audit_head[0]

    def verify_audit(self) -> tuple[int, str | None]:
        try:
            return audit.verify(self.store.log_rows(audit.AUDIT_TABLE))
        except CorruptProjectError as exc:
            return 0, str(exc)

    # -- governance and team coding ---------------------------------------------------------------------
    # Used by workbench.core.governance and workbench.core.icr (METHODS.md sections 5 and 6).

    @contextmanager
    def summary_operation(
        self, action: str, entity: str, summary: Mapping[str, Any]
    ) -> Iterator[Transaction]:
        """An operation audited without before-images, with a `summary`, and not undoable.

        For acts whose audit record must itself be non-identifying (GOV-12: "P07 withdrawn, 312 codings
        removed, by X, date"): the documents it deletes never reach the audit log, not even as digests.
        The after-images (None for a deletion, digests for words) are kept, so `workbench check` can still
        replay the log against the state. `summary` is read when the body ends, so it may be filled in.
        """
        with self.store.transaction() as tx:
            yield tx
            refuse_unsafe_text(tx.changes)
            self._check_role(action, entity, tx.changes)
            after: dict[str, Any] = {f"{t}/{i}": a for t, i, _b, a in tx.changes}
            after["summary"] = dict(summary)
            seq, prev = self._audit_head
            event = audit.make_event(
                seq + 1, prev, self.audit_actor(), action, entity, None, after, salt=audit.new_salt()
            )
            for table, key, doc in audit.store_rows(event):
                tx.put(table, key, doc, record=False)
        self._audit_head = (event.seq, event.hash)
        if self.observer:
            self.observer.operation_applied(self, OperationEvent(event.seq, action, entity, action))

    def clear_history(self, tx: Transaction) -> int:
        """Drop every undo/redo entry inside `tx` (an undo barrier); returns how many were dropped."""
        keys = [*self._history.done, *self._history.undone]
        for key in keys:
            tx.delete("history", key, record=False)
        return len(keys)

    def forget_history(self) -> None:
        """After `clear_history` committed: the in-memory stacks follow the store."""
        self._history = _History()
        self._texts.clear()

    def role(self) -> str | None:
        """The acting user's role under the project's role configuration (GOV-11); None when unconfigured."""
        return role_of(self, self.actor)

    def audit_actor(self) -> str:
        """The actor as the audit log records it: with the role used, once roles are configured (GOV-11)."""
        role = self.role()
        return f"{self.actor} ({role})" if role else self.actor

    def _check_role(
        self, action: str, entity: str, changes: Sequence[tuple[str, str, Doc | None, Doc | None]]
    ) -> None:
        """Refuse a change the acting user's role does not allow (GOV-11); a no-op until roles are set."""
        if self.store.get("_meta", "roles") is None:
            return
        check_permission(self, action, entity, changes)
