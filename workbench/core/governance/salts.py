"""Which audit events concern a withdrawn participant, so a withdrawal can destroy their salts (GOV-12).

Every audit event's word digests are keyed by a salt kept outside the chain (`workbench.core.audit`).
Deleting the salt leaves a digest nobody can test a guess ("Amira") against, without touching the chain.
The rule must never miss an event whose digests were made from the participant's words, and should keep
the salts of everyone else's provenance. An event *concerns* the participant — and its salt goes — when

(a) it names them: its entity is the participant or one of their withdrawn entities (sources, versions,
    segments, codings, including those on withdrawn turns of shared transcripts), or it touched a
    document the withdrawal deletes or whose words it changes (scrubbed memos, relabelled codes, records,
    rewritten shared transcripts, the participant's own record); or
(b) one of its digests cannot be shown to be free of their words: a digest is cleared only when a known
    state of that document — its state now, or one held by the undo history or the journal — reproduces
    the digest under the event's salt and holds none of the withdrawn words or names. A document edited
    long ago (beyond the undo history) therefore counts as concerning: over-inclusive by design, since
    a digest of an unknown earlier state might be a digest of a quote.

Events made before salting (legacy ``sha256:`` digests) are judged by the same rule and counted, since
they cannot be changed without breaking the chain. Documents whose last audit event loses its salt are
restated in the withdrawal's own event, so `workbench check` keeps comparing every document exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core import audit
from workbench.core.errors import WorkbenchError
from workbench.core.governance.scrub import Scrubber
from workbench.core.store import journal

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.core.store.store import Transaction

Doc = dict[str, Any]
_COMPARE_SALT = "00"  # any fixed key: used only to tell whether two states differ in their words


@dataclass
class SaltPlan:
    destroy: list[str] = field(default_factory=list)  # event keys whose salts go
    legacy: list[str] = field(default_factory=list)  # keys of legacy events that concern them
    restate: list[tuple[str, str]] = field(default_factory=list)  # (table, id) to restate


def _words(doc: Doc | None) -> Any:
    return None if doc is None else audit.word_digests(audit.redact(doc, _COMPARE_SALT))


def touched_keys(changes: Iterable[tuple[str, str, Doc | None, Doc | None]]) -> set[str]:
    """``table/id`` of every document a withdrawal deletes, or whose words it changes."""
    keys: set[str] = set()
    for table, doc_id, before, after in changes:
        if before is None:
            continue  # made by the withdrawal itself (its memo): no earlier event knew it
        if after is None or _words(before) != _words(after):
            keys.add(f"{table}/{doc_id}")
    return keys


class _KnownStates:
    """Every state of a document the project still holds: now, in the undo history, in the journal."""

    def __init__(self, project: Project, scrubber: Scrubber) -> None:
        self.project = project
        self.scrubber = scrubber
        self.states: dict[str, list[Doc]] = {}
        seen: set[tuple[str, str]] = set()

        def add(key: str, doc: Any) -> None:
            if isinstance(doc, dict):
                fingerprint = (key, json.dumps(doc, sort_keys=True, ensure_ascii=False))
                if fingerprint not in seen:
                    seen.add(fingerprint)
                    self.states.setdefault(key, []).append(doc)

        for entry in project.store.all("history").values():
            for table, doc_id, before, after in entry.get("changes", []):
                add(f"{table}/{doc_id}", before)
                add(f"{table}/{doc_id}", after)
        try:
            entries, _warning = journal.read(project.path / "journal.log")
        except WorkbenchError:
            entries = []
        for item in entries:
            for table, doc_id, doc in item.ops:
                add(f"{table}/{doc_id}", doc)
        self._clean: dict[int, bool] = {}

    def candidates(self, key: str) -> list[Doc]:
        table, _, doc_id = key.partition("/")
        now = self.project.store.get(table, doc_id)
        return [*([now] if now is not None else []), *self.states.get(key, [])]

    def clean(self, doc: Doc) -> bool:
        marker = id(doc)
        if marker not in self._clean:
            self._clean[marker] = self.scrubber.deep(doc) == doc
        return self._clean[marker]


def _proven_clean(image: Any, key: str, salt: str | None, known: _KnownStates) -> bool:
    wanted = audit.word_digests(image)
    if not wanted:
        return True
    return any(
        audit.word_digests(audit.redact(state, salt)) == wanted and known.clean(state)
        for state in known.candidates(key)
    )


def plan(project: Project, tx: Transaction, scrubber: Scrubber, about: set[str]) -> SaltPlan:
    """The salts to destroy for a withdrawal whose changes are in `tx` (see the module docstring)."""
    from workbench.core.integrity import AUDITED_TABLES

    touched = touched_keys(tx.changes)
    changed_now = {f"{t}/{i}" for t, i, _b, _a in tx.changes}
    salts = project.store.all(audit.SALT_TABLE)
    known = _KnownStates(project, scrubber)
    result = SaltPlan()
    latest: dict[str, str] = {}
    for event in project.audit_events():
        key = audit.event_key(int(event["seq"]))
        images: dict[str, Any] = {}
        for side in ("before", "after"):
            if isinstance(event.get(side), Mapping):
                images.update({f"{side}:{k}": v for k, v in event[side].items()})
        latest.update(dict.fromkeys((k for k in (event.get("after") or {}) if "/" in k), key))
        salted = audit.is_salted(event)
        salt = audit.salt_of(event, salts)
        if salted and salt is None:
            continue  # its salt is already gone: nothing left to test a guess against
        concerned = event.get("entity") in about or any(k.partition(":")[2] in touched for k in images)
        if not concerned:
            concerned = not all(
                _proven_clean(image, name.partition(":")[2], salt, known)
                for name, image in images.items()
                if image is not None
            )
        if concerned:
            (result.destroy if salted else result.legacy).append(key)
    gone = set(result.destroy)
    for doc_key, event_key in sorted(latest.items()):
        table, _, doc_id = doc_key.partition("/")
        if event_key not in gone or doc_key in changed_now:
            continue
        audited = table in AUDITED_TABLES or doc_key == "_meta/project"
        if audited and project.store.get(table, doc_id) is not None:
            result.restate.append((table, doc_id))
    return result


def apply(project: Project, tx: Transaction, salt_plan: SaltPlan) -> None:
    """Delete the salts (outside the chain, not undoable) and restate documents, inside `tx`."""
    for key in salt_plan.destroy:
        tx.delete(audit.SALT_TABLE, key, record=False)
    for table, doc_id in salt_plan.restate:
        doc = project.store.get(table, doc_id)
        if doc is not None:
            tx.put(table, doc_id, doc)
