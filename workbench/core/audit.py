"""The hash-chained audit trail (GOV-10, CORE-8).

Each event stores the hash of the one before it, so any edit, deletion or
reordering of history breaks the chain at a nameable place. Events carry
digests instead of the words of participants or analysts (text, labels,
bodies), so a withdrawal can purge the words everywhere without touching the
chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

AUDIT_TABLE = "audit"
GENESIS = "0" * 64

# Fields that may hold someone's words; the audit log keeps only their digests.
WORD_FIELDS = frozenset(
    {
        "text",
        "label",
        "definition",
        "body",
        "title",
        "comment",
        "notes",
        "pseudonym",
        "quote",
        "revisions",
        "turns",
        "lines",
        "previous_label",
        "linemap",
        "inclusion",
        "exclusion",
        "attributes",
        "filename",
        "description",
        "data",
    }
)


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    time: str
    actor: str
    action: str
    entity: str
    before: Any
    after: Any
    prev_hash: str
    hash: str

    def to_doc(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> AuditEvent:
        return cls(
            **{
                k: doc[k]
                for k in ("seq", "time", "actor", "action", "entity", "before", "after", "prev_hash", "hash")
            }
        )


def digest(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def redact(value: Any) -> Any:
    """`value` with every word-bearing field, at any depth, replaced by its digest."""
    if isinstance(value, Mapping):
        return {
            key: (digest(item) if key in WORD_FIELDS and item not in (None, "") else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def event_hash(fields: Mapping[str, Any]) -> str:
    body = {
        k: fields[k] for k in ("seq", "time", "actor", "action", "entity", "before", "after", "prev_hash")
    }
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def make_event(
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    entity: str,
    before: Any,
    after: Any,
    when: datetime | None = None,
) -> AuditEvent:
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = {
        "seq": seq,
        "time": stamp,
        "actor": actor,
        "action": action,
        "entity": entity,
        "before": redact(before),
        "after": redact(after),
        "prev_hash": prev_hash,
    }
    return AuditEvent(**fields, hash=event_hash(fields))


def event_key(seq: int) -> str:
    return f"{seq:09d}"


def verify(events: Mapping[str, Mapping[str, Any]]) -> tuple[int, str | None]:
    """Walk the chain; return (events checked, description of the first broken event or None)."""
    prev = GENESIS
    ordered = sorted(events.items())
    for expected, (key, doc) in enumerate(ordered, start=1):
        try:
            seq = int(doc["seq"])
            if key != event_key(seq) or seq != expected:
                return expected - 1, f"event {expected}: sequence broken (found {doc.get('seq')!r})"
            if doc["prev_hash"] != prev:
                return expected - 1, f"event {seq}: prev_hash does not match event {seq - 1}"
            if event_hash(doc) != doc["hash"]:
                return expected - 1, f"event {seq}: content does not match its hash (altered)"
        except (KeyError, TypeError, ValueError):
            return expected - 1, f"event {expected}: malformed record"
        prev = doc["hash"]
    return len(ordered), None
