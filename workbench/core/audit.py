"""The hash-chained audit trail (GOV-10, CORE-8).

Each event stores the hash of the one before it, so any edit, deletion or
reordering of history breaks the chain at a nameable place. Events carry
digests instead of the words of participants or analysts (text, labels,
bodies), so a withdrawal can purge the words everywhere without touching the
chain.

Salted digests (GOV-12)
-----------------------
An unsalted digest of a short value (a pseudonym, an in-vivo label, a title) can be tested against
guesses, so it still identifies. Every event is therefore made with its own random salt, and its word
fields are keyed digests, ``hmac:`` + HMAC-SHA256(salt, JSON)[:16 hex], marked in the event by
``"digests": "hmac-sha256"`` (inside the hash chain, so the scheme cannot be changed unseen). The salt is
*not* in the event (the event is append-only and chained): it is a row of the ordinary table
`SALT_TABLE` (``audit_salts``, id = event key, ``{"salt": hex}``), written in the same transaction. While
the salt exists, `workbench check` recomputes the digests from the documents exactly as before; a
withdrawal deletes the salts of the events that concerned the participant, after which their digests
commit to nothing anyone can test a guess against, and the chain still verifies (salts are outside it).

Salts never leave the project: the archive export carries the events but not the salts (an auditor can
verify the chain, not test digests), so a later withdrawal cannot be undone by a copy made earlier.

Events written before salting (``sha256:`` digests, no ``digests`` field) are *legacy*: they verify and
are checked as before, but cannot be rewritten without breaking the chain; a withdrawal counts those
that concern the participant (`workbench.core.governance.withdrawal`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

AUDIT_TABLE = "audit"
SALT_TABLE = "audit_salts"
GENESIS = "0" * 64
SCHEME = "hmac-sha256"
SALTED_PREFIX = "hmac:"
LEGACY_PREFIX = "sha256:"
_CHAINED = ("seq", "time", "actor", "action", "entity", "before", "after", "prev_hash")

# Fields that may hold someone's words; the audit log keeps only their digests. Legacy (unsalted) events
# were made with this set; salted ones also digest the speaker maps, whose keys are speaker labels
# (often names) that legacy events kept in clear.
LEGACY_WORD_FIELDS = frozenset(
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
WORD_FIELDS = LEGACY_WORD_FIELDS | {"speaker_roles", "speaker_participants"}


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
    digests: str = ""  # SCHEME for salted events, "" for legacy ones
    salt: str | None = field(default=None, repr=False, compare=False)  # kept apart, never in the doc

    def to_doc(self) -> dict[str, Any]:
        doc = {
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
        if self.digests:
            doc["digests"] = self.digests
        return doc

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> AuditEvent:
        return cls(**{k: doc[k] for k in (*_CHAINED, "hash")}, digests=str(doc.get("digests", "")))


def new_salt() -> str:
    """A fresh per-event salt (128 random bits, hex)."""
    return secrets.token_hex(16)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(value: Any, salt: str | None = None) -> str:
    """Keyed digest under `salt`; without one, the legacy unsalted digest (for reading old events)."""
    if salt is None:
        return LEGACY_PREFIX + hashlib.sha256(_json(value)).hexdigest()[:16]
    return SALTED_PREFIX + hmac.new(bytes.fromhex(salt), _json(value), hashlib.sha256).hexdigest()[:16]


def redact(value: Any, salt: str | None = None) -> Any:
    """`value` with every word-bearing field, at any depth, replaced by its digest.

    With a salt: keyed digests over `WORD_FIELDS` (new events). Without: the legacy scheme, unsalted
    over `LEGACY_WORD_FIELDS`, which is how events made before salting must be re-checked.
    """
    fields = LEGACY_WORD_FIELDS if salt is None else WORD_FIELDS
    return _redact(value, salt, fields)


def _redact(value: Any, salt: str | None, fields: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return {
            key: (
                digest(item, salt)
                if key in fields and item not in (None, "")
                else _redact(item, salt, fields)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redact(item, salt, fields) for item in value]
    return value


def _mask(value: Any) -> Any:
    """An image with every digest replaced by one placeholder: what can be compared without the salt."""
    if isinstance(value, str) and value.startswith((SALTED_PREFIX, LEGACY_PREFIX)):
        return "#"
    if isinstance(value, Mapping):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def is_salted(event: Mapping[str, Any]) -> bool:
    return event.get("digests") == SCHEME


def salt_of(event: Mapping[str, Any], salts: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The event's salt from the `SALT_TABLE` rows, or None (legacy event, or salt destroyed)."""
    row = salts.get(event_key(int(event["seq"])))
    salt = row.get("salt") if row else None
    return salt if isinstance(salt, str) else None


def matches(image: Any, doc: Any, event: Mapping[str, Any], salt: str | None) -> bool:
    """Whether `doc` is what `event` recorded as `image` (its after- or before-image of one document).

    Legacy events are re-digested unsalted; salted ones with their salt. A salted event whose salt was
    destroyed (a withdrawal) can vouch only for the rest of the document: digests compare as present.
    """
    if not is_salted(event):
        return bool(image == redact(doc))
    if salt is not None:
        return bool(image == redact(doc, salt))
    return bool(_mask(image) == _mask(redact(doc, "00")))


def word_digests(image: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Every digest inside one image, by where it sits: the part of an event that can hold words."""
    out: dict[tuple[str, ...], str] = {}
    if isinstance(image, str) and image.startswith((SALTED_PREFIX, LEGACY_PREFIX)):
        out[path] = image
    elif isinstance(image, Mapping):
        for key, item in image.items():
            out.update(word_digests(item, (*path, str(key))))
    elif isinstance(image, list):
        for index, item in enumerate(image):
            out.update(word_digests(item, (*path, str(index))))
    return out


def event_hash(fields: Mapping[str, Any]) -> str:
    body = {k: fields[k] for k in _CHAINED}
    if fields.get("digests"):
        body["digests"] = fields["digests"]  # the scheme is chained too, so it cannot be swapped unseen
    return hashlib.sha256(_json(body)).hexdigest()


def make_event(
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    entity: str,
    before: Any,
    after: Any,
    when: datetime | None = None,
    *,
    salt: str | None,
) -> AuditEvent:
    """The next event; `salt` (from `new_salt`) keys its digests, None makes a legacy unsalted event.

    Store the salt with `store_rows`, never inside the event.
    """
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields: dict[str, Any] = {
        "seq": seq,
        "time": stamp,
        "actor": actor,
        "action": action,
        "entity": entity,
        "before": redact(before, salt),
        "after": redact(after, salt),
        "prev_hash": prev_hash,
        "digests": SCHEME if salt is not None else "",
    }
    return AuditEvent(**fields, hash=event_hash(fields), salt=salt)


def store_rows(event: AuditEvent) -> list[tuple[str, str, dict[str, Any]]]:
    """(table, key, document) rows one event adds to the store: the event, and its salt beside it."""
    key = event_key(event.seq)
    rows: list[tuple[str, str, dict[str, Any]]] = [(AUDIT_TABLE, key, event.to_doc())]
    if event.salt is not None:
        rows.append((SALT_TABLE, key, {"salt": event.salt}))
    return rows


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
