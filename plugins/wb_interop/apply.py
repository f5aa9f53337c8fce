"""Adding an `Incoming` to a project as ONE operation: all of it or none of it, fast at any size.

Why not one public ``Project`` call per entity: each is its own durable operation (journal append with
fsync, undo record, audit event), about a millisecond apiece, so 50,000 codings would take a minute and a
failure half-way would leave half an import. Here every document is staged in a single store transaction,
which the store journals, audits and (for an existing project) records for undo as one step
"import FILE"; an exception before the commit leaves the project exactly as it was.

TODO(public-api): this module reaches into the core: ``Project.create``, ``Project._operation``,
``Project._new_id``, ``Project.store``, ``Project.index``, ``workbench.core.text.LineMap/LineSettings`` and
``workbench.core.project.check_label/sha256/CODE_KINDS/RECORD_KIND``, and writes documents in the shapes
``workbench/core/project.py`` gives them. The lead is asked to expose a public
``Project.bulk_import(...)``/``Project.batch()`` so that this module can go through the public API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from wb_interop.incoming import Incoming
from wb_interop.progress import Report, quiet
from workbench import BadInputError, Turn, detect_turns

if TYPE_CHECKING:
    from workbench import Project

_LABEL_LIMIT = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# table prefix for each kind of reference
_PREFIX = {
    "participant": "P",
    "source": "S",
    "version": "V",
    "code": "C",
    "segment": "G",
    "coding": "K",
    "memo": "M",
    "link": "L",
    "set": "T",
    "cluster": "N",
    "record": "R",
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clean_label(label: str) -> str:
    """A code label the core accepts: one line, no control characters, at most 200 characters."""
    text = " ".join(_CONTROL.sub(" ", label).split())
    return text[:_LABEL_LIMIT].rstrip() or "(unnamed code)"


class _Ids:
    """Gives every key its id in the target project, keeping the exported ids when asked and free."""

    def __init__(self, project: Project, tx: Any, keep: bool) -> None:
        self.project = project
        self.tx = tx
        self.keep = keep
        self.map: dict[str, str] = {}
        self.counters: dict[str, int] = dict(tx.get("_meta", "counters") or {})
        self.taken: set[str] = set()

    def assign(self, kind: str, key: str, preferred: str = "") -> str:
        ref = key if key.startswith(f"{kind}:") else f"{kind}:{key}"
        if ref in self.map:
            return self.map[ref].partition(":")[2]
        prefix = _PREFIX[kind]
        table = "participants" if kind == "participant" else f"{kind}s"
        if (
            self.keep
            and preferred
            and preferred not in self.taken
            and self.project.store.get(table, preferred) is None
            and re.fullmatch(rf"{prefix}\d+", preferred)
        ):
            ident = preferred
        elif kind == "participant":
            number = len(self.project.store.all("participants")) + 1
            while (ident := f"P{number:02d}") in self.taken or self.project.store.get("participants", ident):
                number += 1
        else:
            ident = ""
            while not ident or ident in self.taken:
                self.counters[prefix] = self.counters.get(prefix, 0) + 1
                ident = f"{prefix}{self.counters[prefix]}"
        self.taken.add(ident)
        if prefix != "P":
            number = int(ident[len(prefix) :])
            if number > self.counters.get(prefix, 0):
                self.counters[prefix] = number
        self.map[ref] = f"{kind}:{ident}"
        return ident

    def ref(self, key: str | None) -> str | None:
        """The target's ``kind:ID`` for a key, or None when the key names nothing imported."""
        return self.map.get(key) if key else None

    def refs(self, keys: Iterable[str]) -> list[str]:
        return [r for k in keys if (r := self.ref(k)) is not None]

    def finish(self) -> None:
        """Store the id counters, moved past every id used, so the next id the core allocates is free."""
        self.tx.put("_meta", "counters", self.counters, record=False)


def write(
    project: Project,
    incoming: Incoming,
    summary: str,
    *,
    keep_ids: bool,
    undoable: bool,
    progress: Report = quiet,
) -> dict[str, str]:
    """Add everything in `incoming` to `project` in one operation; returns key -> ``kind:ID``."""
    from workbench.core.text import LineMap, LineSettings  # TODO(public-api)

    settings = LineSettings.from_json(project.meta.get("line_settings", {}))
    actor = project.actor
    now = _now()
    texts: list[tuple[Any, tuple[Turn, ...], Any]] = []
    for done, source in enumerate(incoming.sources, start=1):
        turns = _turns(source.text, source.turns)
        texts.append((source, turns, LineMap.build(source.text, settings, turns)))
        progress("preparing transcripts", done, len(incoming.sources))
    existing_labels = {c["label"].casefold() for c in project.codes() if c["status"] == "active"}
    for code in incoming.codes:
        if not code.existing_id and code.status == "active":
            if code.label.casefold() in existing_labels:
                raise BadInputError(f"a code labelled {code.label!r} already exists in the project", "import")
            existing_labels.add(code.label.casefold())

    with project._operation(
        "interop.import", "project", summary, undoable=undoable
    ) as tx:  # TODO(public-api)
        ids = _Ids(project, tx, keep_ids)
        for person in incoming.participants:
            pid = ids.assign("participant", person.key, person.preferred_id)
            tx.put(
                "participants",
                pid,
                {
                    "id": pid,
                    "pseudonym": person.pseudonym or pid,
                    "attributes": dict(person.attributes),
                    "status": person.status or "active",
                },
            )
        for code in incoming.codes:  # ids first: parents may come after children
            if code.existing_id:
                ids.map[code.key] = f"code:{code.existing_id}"
            else:
                ids.assign("code", code.key, code.preferred_id)
        default_level = {"gt": "initial", "ipa": "experiential-statement"}.get(project.method, "code")
        for code in incoming.codes:
            if code.existing_id:
                continue
            cid = ids.map[code.key].partition(":")[2]
            parent = ids.ref(code.parent)
            tx.put(
                "codes",
                cid,
                {
                    **code.extra,
                    "id": cid,
                    "label": code.label,
                    "definition": code.definition,
                    "kind": code.kind
                    if code.kind in ("constructed", "in-vivo", "a-priori")
                    else "constructed",
                    "level": code.level or default_level,
                    "parent_id": parent.partition(":")[2] if parent else None,
                    "status": code.status or "active",
                    "created_by": code.created_by or actor,
                    "created_at": code.created_at or now,
                    "lineage": list(code.lineage) if keep_ids else [],
                },
            )
        for done, (source, turns, linemap) in enumerate(texts, start=1):
            _write_source(project, tx, ids, source, turns, linemap, actor, now)
            progress("importing sources", done, len(texts))
        for memo in incoming.memos:
            ids.assign("memo", memo.key, memo.preferred_id)
        for link in incoming.links:
            ids.assign("link", link.key, link.preferred_id)
        for group in incoming.groups:
            ids.assign(group.kind, group.key, group.preferred_id)
        for record in incoming.records:
            ids.assign("record", record.key, record.preferred_id)
        for memo in incoming.memos:
            mid = ids.map[memo.key].partition(":")[2]
            tx.put(
                "memos",
                mid,
                {
                    "id": mid,
                    "type": memo.type or "analytic",
                    "title": memo.title.strip() or "(untitled note)",
                    "body": memo.body,
                    "links": ids.refs(memo.links),
                    "author": memo.author or actor,
                    "created_at": memo.created_at or now,
                    "modified_at": memo.modified_at or memo.created_at or now,
                    "revisions": list(memo.revisions),
                },
            )
        for link in incoming.links:
            origin, target = ids.ref(link.origin), ids.ref(link.target)
            if origin is None or target is None or origin == target:
                incoming.notes.append(f"link {link.relation!r} skipped: one of its ends was not imported")
                continue
            lid = ids.map[link.key].partition(":")[2]
            tx.put(
                "links",
                lid,
                {
                    "id": lid,
                    "origin": origin,
                    "target": target,
                    "relation": link.relation.strip() or "related",
                    "direction": link.direction if link.direction in ("none", "one-way", "bi") else "one-way",
                    "evidence": [r for r in ids.refs(link.evidence) if r.startswith(("segment:", "coding:"))],
                    "memo": ids.ref(link.memo),
                    "author": link.author or actor,
                    "created_at": link.created_at or now,
                },
            )
        for group in incoming.groups:
            gid = ids.map[group.key].partition(":")[2]
            if group.kind == "set":
                doc: dict[str, Any] = {
                    "id": gid,
                    "name": group.name.strip() or "(unnamed set)",
                    "description": group.description,
                    "members": sorted(set(ids.refs(group.members))),
                    "author": group.author or actor,
                    "created_at": group.created_at or now,
                }
                tx.put("sets", gid, doc)
            else:
                parent = ids.ref(group.parent)
                tx.put(
                    "clusters",
                    gid,
                    {
                        "id": gid,
                        "name": group.name.strip() or "(unnamed cluster)",
                        "children": ids.refs(group.members),
                        "parent": parent if parent and parent.startswith("cluster:") else None,
                        "techniques": sorted(set(group.techniques)),
                        "memo": ids.ref(group.memo),
                        "author": group.author or actor,
                        "created_at": group.created_at or now,
                    },
                )
        for record in incoming.records:
            rid = ids.map[record.key].partition(":")[2]
            tx.put(
                "records",
                rid,
                {
                    "id": rid,
                    "kind": record.kind,
                    "data": record.data,
                    "links": ids.refs(record.links),
                    "author": record.author or actor,
                    "created_at": record.created_at or now,
                    "modified_at": record.modified_at or record.created_at or now,
                },
            )
        if incoming.settings and keep_ids:
            meta = dict(project.meta)
            meta.update({k: v for k, v in incoming.settings.items() if v is not None})
            tx.put("_meta", "project", meta)
        ids.finish()
        tx.entity = "project"
    return dict(ids.map)


def _turns(text: str, stored: list[dict[str, Any]] | None) -> tuple[Turn, ...]:
    """The exported turns when they still fit the text, else turns detected afresh."""
    if stored:
        try:
            turns = tuple(Turn(**t) for t in stored)
        except TypeError:
            turns = ()
        if turns and all(0 <= t.start <= t.end <= len(text) for t in turns):
            return turns
    return detect_turns(text)


def _write_source(
    project: Project,
    tx: Any,
    ids: _Ids,
    source: Any,
    turns: tuple[Turn, ...],
    linemap: Any,
    actor: str,
    now: str,
) -> None:
    from workbench.core.project import sha256  # TODO(public-api)

    sid = ids.assign("source", source.key, source.preferred_id)
    vid = ids.assign("version", f"version:{source.key}", "")
    participant = ids.ref(source.participant)
    if participant is None:
        raise BadInputError(f"source {source.filename!r} names no imported participant", "import")
    coded = any(s.codings for s in source.segments)
    status = source.status or ("in progress" if coded else "not started")
    doc: dict[str, Any] = {
        "id": sid,
        "participant_id": participant.partition(":")[2],
        "kind": source.kind or "interview",
        "filename": source.filename,
        "title": source.filename.rsplit(".", 1)[0] if "." in source.filename else source.filename,
        "version_id": vid,
        "importer": source.importer or "refi-qda",
        "encoding": "utf-8",
        "warnings": [],
        "imported_at": source.imported_at or now,
        "imported_by": source.imported_by or actor,
        "status": status,
    }
    if source.speaker_roles:
        doc["speaker_roles"] = dict(source.speaker_roles)
    mapped = {label: ids.ref(key) for label, key in source.speaker_participants.items()}
    if any(mapped.values()):
        doc["speaker_participants"] = {k: v.partition(":")[2] for k, v in mapped.items() if v}
    tx.put("sources", sid, doc)
    version: dict[str, Any] = {
        "id": vid,
        "source_id": sid,
        "parent_id": None,
        "reason": "import",
        "sha256": sha256(source.text),
        "created_at": now,
        "created_by": actor,
        "frozen": coded,
        "length": len(source.text),
    }
    if coded:
        version["frozen_at"] = now
    tx.put("versions", vid, version)
    tx.put(
        "texts", vid, {"text": source.text, "turns": [asdict(t) for t in turns], "linemap": linemap.to_json()}
    )
    anchors: dict[tuple[int, int], str] = {}
    for segment in source.segments:
        gid = anchors.get((segment.start, segment.end))
        if gid is None:
            gid = ids.assign("segment", segment.key or f"segment:{sid}:{segment.start}:{segment.end}")
            anchors[(segment.start, segment.end)] = gid
            tx.put(
                "segments",
                gid,
                {
                    "id": gid,
                    "version_id": vid,
                    "start": segment.start,
                    "end": segment.end,
                    "flag": segment.flag,
                },
            )
        elif segment.key:
            ids.map[segment.key] = f"segment:{gid}"
        seen: set[tuple[str, str, str]] = set()
        for coding in segment.codings:
            code = ids.ref(coding.code)
            if code is None:
                continue
            layer = str(coding.extra.get("layer", "main"))
            marker = (code, coding.coder, layer)
            if marker in seen:
                continue
            seen.add(marker)
            kid = ids.assign("coding", coding.key or f"coding:{gid}:{len(seen)}")
            tx.put(
                "codings",
                kid,
                {
                    "unit": "character",
                    "comment": "",
                    **coding.extra,
                    "id": kid,
                    "segment_id": gid,
                    "code_id": code.partition(":")[2],
                    "coder": coding.coder or actor,
                    "layer": layer,
                    "created_at": coding.created_at or now,
                },
            )
