"""Bulk import and archive restore: a whole `Content`, or a whole archived project, as ONE operation.

Why not one `Project` call per entity: each is its own durable operation (journal append with fsync,
undo record, audit event), about a millisecond apiece, so 50,000 codings would take a minute and a
failure half-way would leave half an import. Here all of the content is first checked as the
one-at-a-time API checks it (labels, kinds, record kinds and data, anchors within their text,
references), and only then is every document staged in a single store transaction, which is
journaled, audited and (when asked) recorded for undo as one step. A refusal is one `BadInputError`
line and leaves the project exactly as it was.

This is also the only place outside `Project` that knows the shapes of the stored documents, so a
plugin that imports (``wb_interop``) describes content in the neutral model of `workbench.core.content`
and never writes a document itself.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.core import untrusted
from workbench.core.content import (
    Content,
    ContentCluster,
    ContentCode,
    ContentLink,
    ContentMemo,
    ContentRecord,
    ContentSet,
    ContentSource,
    ImportReport,
)
from workbench.core.errors import BadInputError
from workbench.core.model import Turn
from workbench.core.project import (
    CODE_KINDS,
    CODE_STATUSES,
    DEFAULT_LEVEL,
    DIRECTIONS,
    ENTITY_TABLES,
    ID_PREFIX,
    RECORD_KIND,
    SOURCE_STATUSES,
    Project,
    _json_object,
    _now,
    check_label,
    sha256,
)
from workbench.core.store.store import Transaction
from workbench.core.text import LineMap, LineSettings, detect_turns

#: ``progress(step, done, total)``, called as an import goes ("importing sources", 12, 60).
Progress = Callable[[str, int, int], None]

ROLES = ("interviewer", "participant", "other", "unknown")
#: Every table an archive holds: the entity tables (the texts travel beside them).
ARCHIVE_TABLES = tuple(ENTITY_TABLES.values())
_PREFIX = {kind: prefix for prefix, kind in ID_PREFIX.items()} | {"participant": "P"}
_ID_PATTERN = {kind: re.compile(rf"{prefix}\d+") for kind, prefix in _PREFIX.items()}


_AnalysisItem = ContentMemo | ContentLink | ContentSet | ContentCluster | ContentRecord


def _analysis_items(content: Content) -> tuple[tuple[str, Sequence[_AnalysisItem]], ...]:
    """The content that may refer to anything (memos, links, sets, clusters, records), by entity kind."""
    return (
        ("memo", content.memos),
        ("link", content.links),
        ("set", content.sets),
        ("cluster", content.clusters),
        ("record", content.records),
    )


def _quiet(_step: str, _done: int, _total: int) -> None:
    """No progress to show."""


# -- checking --------------------------------------------------------------------------------------------
@dataclass
class _Plan:
    """What checking the content established, for the writer: nothing in here is stored as it is."""

    kinds: dict[str, str] = field(default_factory=dict)  # key -> kind
    segment_of: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # segment key -> anchor
    reused: dict[str, str] = field(default_factory=dict)  # code key -> id of the project's code
    frozen: set[str] = field(default_factory=set)  # source keys whose version analysis has started
    line_settings: LineSettings | None = None
    citation: str | None = None


class _Checker:
    """Checks content as the one-at-a-time `Project` API checks each call, before anything is written."""

    def __init__(self, project: Project, content: Content, where: str) -> None:
        self.project = project
        self.content = content
        self.where = where
        self.plan = _Plan()

    def bad(self, message: str) -> BadInputError:
        return BadInputError(message, self.where)

    def declare(self, key: str, kind: str) -> None:
        if not isinstance(key, str) or key.partition(":")[0] != kind or not key.partition(":")[2]:
            raise self.bad(f"{kind} key {key!r} must look like '{kind}:...'")
        if key in self.plan.kinds:
            raise self.bad(f"the key {key!r} names two entities")
        self.plan.kinds[key] = kind

    def ref(self, value: object, what: str, allowed: tuple[str, ...] = ()) -> None:
        kind = self.plan.kinds.get(value) if isinstance(value, str) else None
        if kind is None:
            raise self.bad(f"{what} refers to {value!r}, which the content does not hold")
        if allowed and kind not in allowed:
            raise self.bad(f"{what} must refer to a {' or '.join(allowed)}, not {value!r}")

    def text(self, value: object, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.bad(f"{what} is empty")
        return value.strip()

    def run(self, *, reuse_codes: bool, settings: bool) -> _Plan:
        content = self.content
        for person in content.participants:
            self.declare(person.key, "participant")
        for source in content.sources:
            self.declare(source.key, "source")
            self._anchors(source)
        for code in content.codes:
            self.declare(code.key, "code")
        for kind, items in _analysis_items(content):
            for item in items:
                self.declare(item.key, kind)
        for person in content.participants:
            if person.attributes:
                _json_object_or_bad(person.attributes, f"participant {person.key!r} attributes", self.where)
        self._codes(content.codes, reuse_codes)
        for source in content.sources:
            self._source(source)
        self._analysis()
        if settings:
            self._settings()
        return self.plan

    def _anchors(self, source: ContentSource) -> None:
        """Declare the keys of segments and codings; one anchor on one source is one segment."""
        length = len(source.text) if isinstance(source.text, str) else 0
        for segment in source.segments:
            start, end = segment.start, segment.end
            if not (_is_int(start) and _is_int(end) and 0 <= start < end <= length):
                raise self.bad(
                    f"source {source.key!r}: span {start}:{end} is outside the text (0:{length}) or empty"
                )
            if segment.key:
                self.declare(segment.key, "segment")
                self.plan.segment_of[segment.key] = (source.key, start, end)
            for coding in segment.codings:
                if coding.key:
                    self.declare(coding.key, "coding")

    def _codes(self, codes: Sequence[ContentCode], reuse_codes: bool) -> None:
        existing = {c["label"].casefold(): c["id"] for c in self.project.codes() if c["status"] == "active"}
        seen: set[str] = set()
        parents: dict[str, str | None] = {}
        for code in codes:
            label = code.label.strip() if isinstance(code.label, str) else ""
            try:
                check_label(label)
            except BadInputError as exc:
                raise self.bad(f"code {code.key!r}: {exc.message}") from None
            if code.kind not in CODE_KINDS:
                raise self.bad(
                    f"code {label!r}: unknown kind {code.kind!r}; use one of {', '.join(CODE_KINDS)}"
                )
            if code.status not in CODE_STATUSES:
                raise self.bad(
                    f"code {label!r}: unknown status {code.status!r}; use one of {', '.join(CODE_STATUSES)}"
                )
            for event in code.lineage:
                _json_object_or_bad(event, f"code {label!r} lineage", self.where)
            if code.provenance:
                _json_object_or_bad(code.provenance, f"code {label!r} provenance", self.where)
            if code.parent is not None:
                self.ref(code.parent, f"code {label!r}", ("code",))
            parents[code.key] = code.parent
            if code.status != "active":
                continue
            folded = label.casefold()
            if folded in seen:
                raise self.bad(f"two codes are labelled {label!r}")
            seen.add(folded)
            if folded in existing:
                if not reuse_codes:
                    raise self.bad(f"a code labelled {label!r} already exists in the project")
                self.plan.reused[code.key] = existing[folded]
        for key in parents:  # the hierarchy must be a tree, as `move_code` keeps it
            trail = {key}
            parent = parents[key]
            while parent is not None and parent not in self.plan.reused:
                if parent in trail:
                    raise self.bad(f"code {key!r} is its own ancestor")
                trail.add(parent)
                parent = parents.get(parent)

    def _source(self, source: ContentSource) -> None:
        what = f"source {source.key!r}"
        self.text(source.filename, f"{what}: the file name")
        if not isinstance(source.text, str) or not source.text.strip():
            raise self.bad(f"{what}: transcript has no text")
        self.ref(source.participant, what, ("participant",))
        length = len(source.text)
        for turn in source.turns:
            if not (isinstance(turn, Turn) and 0 <= turn.start <= turn.end <= length):
                raise self.bad(f"{what}: a speaker turn lies outside the text")
        for label, role in source.speaker_roles.items():
            if role not in ROLES:
                raise self.bad(f"{what}: speaker {label!r} has unknown role {role!r}; use {', '.join(ROLES)}")
        for label, person in source.speaker_participants.items():
            self.ref(person, f"{what} speaker {label!r}", ("participant",))
        if source.status and source.status not in SOURCE_STATUSES:
            raise self.bad(f"{what}: unknown status {source.status!r}; use {', '.join(SOURCE_STATUSES)}")
        applied: set[tuple[int, int, str, str, str]] = set()
        for segment in source.segments:
            for coding in segment.codings:
                self.ref(coding.code, f"{what}: a coding", ("code",))
                layer = self.text(coding.layer, f"{what}: a coding's layer")
                if coding.provenance:
                    _json_object_or_bad(coding.provenance, f"{what}: a coding's provenance", self.where)
                marker = (segment.start, segment.end, coding.code, coding.coder or self.project.actor, layer)
                if marker in applied:
                    raise self.bad(
                        f"{what}: {coding.code!r} is applied twice to {segment.start}:{segment.end} by "
                        f"{marker[3]} in layer {layer!r}"
                    )
                applied.add(marker)
        if source.segments:
            self.plan.frozen.add(source.key)  # coded or annotated: its line map is fixed (TR-10)

    def _analysis(self) -> None:
        content = self.content
        for memo in content.memos:
            what = f"memo {memo.key!r}"
            self.text(memo.title, f"{what}: the title")
            for ref in memo.links:
                self.ref(ref, what)
        for link in content.links:
            what = f"link {link.key!r}"
            self.text(link.relation, f"{what}: the relation")
            if link.direction not in DIRECTIONS:
                raise self.bad(f"{what}: unknown direction {link.direction!r}; use {', '.join(DIRECTIONS)}")
            self.ref(link.origin, what)
            self.ref(link.target, what)
            if self._same(link.origin, link.target):
                raise self.bad(f"{what} needs two different entities")
            for ref in link.evidence:
                self.ref(ref, f"{what} evidence", ("segment", "coding"))
            if link.memo is not None:
                self.ref(link.memo, what, ("memo",))
        for group in content.sets:
            self.text(group.name, f"set {group.key!r}: the name")
            for ref in group.members:
                self.ref(ref, f"set {group.key!r}")
        for cluster in content.clusters:
            what = f"cluster {cluster.key!r}"
            self.text(cluster.name, f"{what}: the name")
            for ref in cluster.children:
                self.ref(ref, what)
            if cluster.parent is not None:
                self.ref(cluster.parent, f"{what} parent", ("cluster",))
            if cluster.memo is not None:
                self.ref(cluster.memo, what, ("memo",))
        for record in content.records:
            what = f"record {record.key!r}"
            if not isinstance(record.kind, str) or not RECORD_KIND.match(record.kind):
                raise self.bad(f"{what}: kind {record.kind!r} must look like 'plugin.kind' (lower case)")
            try:
                _json_object(record.data)
            except BadInputError as exc:
                raise self.bad(f"{what}: {exc.message}") from None
            for ref in record.links:
                self.ref(ref, what)
                if self.plan.kinds[ref] == "source":
                    self.plan.frozen.add(
                        ref
                    )  # a record anchored in a transcript freezes it, as a coding does

    def _same(self, a: str, b: str) -> bool:
        anchors = self.plan.segment_of
        return a == b or (a in anchors and anchors.get(a) == anchors.get(b))

    def _settings(self) -> None:
        content = self.content
        try:
            if content.line_settings is not None:
                self.plan.line_settings = LineSettings.from_json(content.line_settings)
            if content.citation is not None:
                self.project._check_citation(content.citation)
                self.plan.citation = content.citation
        except BadInputError as exc:
            raise self.bad(f"settings: {exc.message}") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_object_or_bad(value: Any, what: str, where: str) -> None:
    try:
        _json_object(value)
    except BadInputError as exc:
        raise BadInputError(f"{what}: {exc.message.removeprefix('record data ')}", where) from None


# -- ids ---------------------------------------------------------------------------------------------------
class _Ids:
    """Gives every key its id in the project: the content's preferred id when asked and free, else new."""

    def __init__(self, project: Project, tx: Transaction) -> None:
        self.store = project.store
        self.tx = tx
        self.map: dict[str, str] = {}
        self.counters: dict[str, int] = {k: int(v) for k, v in (tx.get("_meta", "counters") or {}).items()}
        self.taken: set[str] = set()
        self.next_participant = len(self.store.all("participants")) + 1

    def reserve(self, kind: str, key: str, preferred: str) -> None:
        """Keep `preferred` for `key` if it is a well-formed id that nothing has yet."""
        if (
            not preferred
            or preferred in self.taken
            or not _ID_PATTERN[kind].fullmatch(preferred)
            or self.store.get(ENTITY_TABLES[kind], preferred) is not None
        ):
            return
        self._take(kind, preferred)
        self.map[key] = f"{kind}:{preferred}"

    def give(self, kind: str, key: str = "") -> str:
        """The id of `key` (reserved, or new); a new one for an entity nothing refers to."""
        if key and key in self.map:
            return self.map[key].partition(":")[2]
        if kind == "participant":
            while (ident := f"P{self.next_participant:02d}") in self.taken or self.store.get(
                "participants", ident
            ):
                self.next_participant += 1
        else:
            prefix = _PREFIX[kind]
            ident = ""
            while not ident or ident in self.taken:
                self.counters[prefix] = self.counters.get(prefix, 0) + 1
                ident = f"{prefix}{self.counters[prefix]}"
        self._take(kind, ident)
        if key:
            self.map[key] = f"{kind}:{ident}"
        return ident

    def _take(self, kind: str, ident: str) -> None:
        self.taken.add(ident)
        if kind != "participant":
            prefix = _PREFIX[kind]
            self.counters[prefix] = max(self.counters.get(prefix, 0), int(ident[len(prefix) :]))

    def ref(self, key: str) -> str:
        return self.map[key]

    def ident(self, key: str) -> str:
        return self.map[key].partition(":")[2]

    def finish(self) -> None:
        """Store the counters, moved past every id used, so the next id the core allocates is free."""
        self.tx.put("_meta", "counters", self.counters, record=False)


# -- importing ---------------------------------------------------------------------------------------------
def import_content(
    project: Project,
    content: Content,
    *,
    summary: str = "import",
    keep_ids: bool = False,
    undoable: bool = True,
    reuse_codes: bool = False,
    settings: bool = False,
    progress: Progress | None = None,
    where: str = "import",
    check_only: bool = False,
) -> ImportReport:
    """Add everything in `content` to `project` as one audited operation; all of it or none of it.

    :param summary: the operation's summary, shown by undo and in the audit log ("import study.qdpx").
    :param keep_ids: give entities their ``preferred_id`` where it is well formed and free (and keep
        code lineage, which names those ids); otherwise every entity gets a new id.
    :param undoable: record the import for `Project.undo` as one step (False for a project that the
        import itself creates: there is nothing to go back to).
    :param reuse_codes: an active code whose label the project already has joins that code (its
        codings go to it) instead of being refused as a duplicate; `ImportReport.reused_codes` lists them.
    :param settings: also adopt the content's citation style and line settings (for a project built
        from the content; imported line maps then follow them).
    :param progress: ``progress(step, done, total)`` as transcripts are prepared and written.
    :param where: what error messages name as the place of a problem (the file being imported).
    :param check_only: check everything exactly as for the import and report what it would add, but
        write nothing (a dry run; the project may then be open read-only). `ImportReport.ids` is empty.
    :raises BadInputError: for the first problem found, before anything is written.
    """
    report = progress or _quiet
    content, stripped = scrubbed(content)
    plan = _Checker(project, content, where).run(reuse_codes=reuse_codes, settings=settings)
    if check_only:
        return ImportReport(
            ids={},
            counts=_counts(content, plan),
            reused_codes={k: f"code:{v}" for k, v in plan.reused.items()},
            stripped=tuple(stripped),
        )
    line_settings = plan.line_settings or LineSettings.from_json(project.meta.get("line_settings", {}))
    prepared: list[tuple[tuple[Turn, ...], LineMap]] = []
    for done, source in enumerate(content.sources, start=1):
        turns = tuple(source.turns) or detect_turns(source.text)
        prepared.append((turns, LineMap.build(source.text, line_settings, turns)))
        report("preparing transcripts", done, len(content.sources))
    actor, now = project.actor, _now()
    with project._operation("project.import", "project", summary, undoable=undoable) as tx:
        ids = _Ids(project, tx)
        if keep_ids:
            for person in content.participants:
                ids.reserve("participant", person.key, person.preferred_id)
            for code in content.codes:
                if code.key not in plan.reused:
                    ids.reserve("code", code.key, code.preferred_id)
            for source in content.sources:
                ids.reserve("source", source.key, source.preferred_id)
            for kind, items in _analysis_items(content):
                for item in items:
                    ids.reserve(kind, item.key, item.preferred_id)
        for person in content.participants:
            pid = ids.give("participant", person.key)
            tx.put(
                "participants",
                pid,
                {
                    "id": pid,
                    "pseudonym": person.pseudonym.strip() or pid,
                    "attributes": dict(person.attributes),
                    "status": person.status or "active",
                },
            )
        _write_codes(project, tx, ids, content, plan, keep_ids=keep_ids, actor=actor, now=now)
        for done, (source, (turns, linemap)) in enumerate(zip(content.sources, prepared, strict=True), 1):
            _write_source(
                tx, ids, source, turns, linemap, frozen=source.key in plan.frozen, actor=actor, now=now
            )
            report("importing sources", done, len(content.sources))
        _write_analysis(tx, ids, content, actor=actor, now=now)
        if plan.line_settings is not None or plan.citation is not None:
            meta = dict(project.meta)
            if plan.line_settings is not None:
                meta["line_settings"] = plan.line_settings.to_json()
            if plan.citation is not None:
                meta["citation"] = plan.citation
            tx.put("_meta", "project", meta)
        ids.finish()
        tx.entity = "project"
    return ImportReport(
        ids=dict(ids.map),
        counts=_counts(content, plan),
        reused_codes={k: f"code:{v}" for k, v in plan.reused.items()},
        stripped=tuple(stripped),
    )


def _counts(content: Content, plan: _Plan) -> dict[str, int]:
    """How many of each kind an import adds (codes joining the project's own are not counted)."""
    return {
        "participants": len(content.participants),
        "sources": len(content.sources),
        "codes": len(content.codes) - len(plan.reused),
        "codings": sum(len(s.codings) for src in content.sources for s in src.segments),
        "memos": len(content.memos),
        "links": len(content.links),
        "sets": len(content.sets),
        "clusters": len(content.clusters),
        "records": len(content.records),
    }


def scrubbed(content: Content) -> tuple[Content, list[str]]:
    """`content` under the input policy (untrusted.py), and one line for each kind of thing removed.

    Content comes from another tool's file, which the researcher cannot fix field by field, so unsafe
    characters are removed and reported rather than refused. A transcript's text keeps its length
    (each unsafe character becomes U+FFFD), so every anchor into it still points at the same words.
    """
    if not untrusted.may_hold_unsafe([content]):
        return content, []
    scrub = untrusted.Scrubber()
    changes: dict[str, Any] = {}
    replaced: list[str] = []
    for name, items in (
        ("participants", content.participants),
        ("sources", content.sources),
        ("codes", content.codes),
        *((f"{kind}s", seq) for kind, seq in _analysis_items(content)),
    ):
        out = []
        for item in items:
            title = _item_title(item)
            if isinstance(item, ContentSource):  # before the scrub, which would shorten the text
                text, count = untrusted.replaced(item.text)
                if count:
                    replaced.append(
                        f"{title} text: {count:,} unsafe characters replaced by U+FFFD (anchors kept)"
                    )
                    item = dataclasses.replace(item, text=text)
            out.append(scrub.value(item, title))
        if any(a is not b for a, b in zip(out, items, strict=True)):
            changes[name] = tuple(out)
    return (dataclasses.replace(content, **changes) if changes else content), [*scrub.report(), *replaced]


def _item_title(item: Any) -> str:
    """How a report names one item of content: its kind and what a person calls it."""
    kind = type(item).__name__.removeprefix("Content").lower()
    if isinstance(item, ContentRecord):
        return f"{item.kind} {item.key}"
    for attribute in ("label", "title", "name", "filename", "pseudonym", "relation"):
        value = getattr(item, attribute, "")
        if isinstance(value, str) and value.strip():
            return f"{kind} {untrusted.cleaned(value, lines=False).strip()!r}"
    return f"{kind} {untrusted.cleaned(item.key, lines=False)}"


def _write_codes(
    project: Project,
    tx: Transaction,
    ids: _Ids,
    content: Content,
    plan: _Plan,
    *,
    keep_ids: bool,
    actor: str,
    now: str,
) -> None:
    for code in content.codes:  # ids first: parents may come after their children
        if code.key in plan.reused:
            ids.map[code.key] = f"code:{plan.reused[code.key]}"
        else:
            ids.give("code", code.key)
    default_level = DEFAULT_LEVEL.get(project.method, "code")
    for code in content.codes:
        if code.key in plan.reused:
            continue
        cid = ids.ident(code.key)
        tx.put(
            "codes",
            cid,
            {
                **code.provenance,
                "id": cid,
                "label": code.label.strip(),
                "definition": code.definition,
                "kind": code.kind,
                "level": code.level.strip() or default_level,
                "parent_id": ids.ident(code.parent) if code.parent else None,
                "status": code.status,
                "created_by": code.created_by or actor,
                "created_at": code.created_at or now,
                "lineage": [dict(event) for event in code.lineage] if keep_ids else [],
            },
        )


def _write_source(
    tx: Transaction,
    ids: _Ids,
    source: ContentSource,
    turns: tuple[Turn, ...],
    linemap: LineMap,
    *,
    frozen: bool,
    actor: str,
    now: str,
) -> None:
    sid = ids.give("source", source.key)
    vid = ids.give("version")
    coded = any(segment.codings for segment in source.segments)
    doc: dict[str, Any] = {
        "id": sid,
        "participant_id": ids.ident(source.participant),
        "kind": source.kind or "interview",
        "filename": source.filename.strip(),
        "title": Path(source.filename.strip()).stem or source.filename.strip(),
        "version_id": vid,
        "importer": source.importer,
        "encoding": source.encoding,
        "warnings": list(source.warnings),
        "imported_at": source.imported_at or now,
        "imported_by": source.imported_by or actor,
        "status": source.status or ("in progress" if coded else "not started"),
    }
    if source.speaker_roles:
        doc["speaker_roles"] = dict(source.speaker_roles)
    if source.speaker_participants:
        doc["speaker_participants"] = {k: ids.ident(v) for k, v in source.speaker_participants.items()}
    tx.put("sources", sid, doc)
    version: dict[str, Any] = {
        "id": vid,
        "source_id": sid,
        "parent_id": None,
        "reason": "import",
        "sha256": sha256(source.text),
        "created_at": now,
        "created_by": actor,
        "frozen": frozen,
        "length": len(source.text),
    }
    if frozen:
        version["frozen_at"] = now
    tx.put("versions", vid, version)
    tx.put(
        "texts", vid, {"text": source.text, "turns": [asdict(t) for t in turns], "linemap": linemap.to_json()}
    )
    segments: dict[tuple[int, int], str] = {}
    for segment in source.segments:
        anchor = (segment.start, segment.end)
        gid = segments.get(anchor)
        if gid is None:
            gid = segments[anchor] = ids.give("segment")
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
        if segment.key:
            ids.map[segment.key] = f"segment:{gid}"
        for coding in segment.codings:
            kid = ids.give("coding", coding.key)
            tx.put(
                "codings",
                kid,
                {
                    **coding.provenance,
                    "id": kid,
                    "segment_id": gid,
                    "code_id": ids.ident(coding.code),
                    "coder": coding.coder or actor,
                    "layer": coding.layer.strip(),
                    "unit": coding.unit or "character",
                    "comment": coding.comment,
                    "created_at": coding.created_at or now,
                },
            )


def _write_analysis(tx: Transaction, ids: _Ids, content: Content, *, actor: str, now: str) -> None:
    """Memos, links, sets, clusters and records: ids first, as they may refer to one another."""
    for kind, items in _analysis_items(content):
        for item in items:
            ids.give(kind, item.key)
    for memo in content.memos:
        mid = ids.ident(memo.key)
        tx.put(
            "memos",
            mid,
            {
                "id": mid,
                "type": memo.type,
                "title": memo.title.strip(),
                "body": memo.body,
                "links": [ids.ref(r) for r in memo.links],
                "author": memo.author or actor,
                "created_at": memo.created_at or now,
                "modified_at": memo.modified_at or memo.created_at or now,
                "revisions": [
                    {"body": r.body, "modified_at": r.modified_at or now, "author": r.author or actor}
                    for r in memo.revisions
                ],
            },
        )
    for link in content.links:
        lid = ids.ident(link.key)
        tx.put(
            "links",
            lid,
            {
                "id": lid,
                "origin": ids.ref(link.origin),
                "target": ids.ref(link.target),
                "relation": link.relation.strip(),
                "direction": link.direction,
                "evidence": [ids.ref(r) for r in link.evidence],
                "memo": ids.ref(link.memo) if link.memo else None,
                "author": link.author or actor,
                "created_at": link.created_at or now,
            },
        )
    for group in content.sets:
        tid = ids.ident(group.key)
        tx.put(
            "sets",
            tid,
            {
                "id": tid,
                "name": group.name.strip(),
                "description": group.description,
                "members": sorted({ids.ref(r) for r in group.members}),
                "author": group.author or actor,
                "created_at": group.created_at or now,
            },
        )
    for cluster in content.clusters:
        nid = ids.ident(cluster.key)
        tx.put(
            "clusters",
            nid,
            {
                "id": nid,
                "name": cluster.name.strip(),
                "children": [ids.ref(r) for r in cluster.children],
                "parent": ids.ref(cluster.parent) if cluster.parent else None,
                "techniques": sorted(set(cluster.techniques)),
                "memo": ids.ref(cluster.memo) if cluster.memo else None,
                "author": cluster.author or actor,
                "created_at": cluster.created_at or now,
            },
        )
    for record in content.records:
        rid = ids.ident(record.key)
        tx.put(
            "records",
            rid,
            {
                "id": rid,
                "kind": record.kind,
                "data": _json_object(record.data),
                "links": [ids.ref(r) for r in record.links],
                "author": record.author or actor,
                "created_at": record.created_at or now,
                "modified_at": record.modified_at or record.created_at or now,
            },
        )


# -- archives ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VersionText:
    """One transcript version's text, and the layout (turns, line map) the project keeps beside it."""

    text: str
    layout: Mapping[str, Any]


@dataclass(frozen=True)
class ProjectDump:
    """A whole project as plain JSON documents: what an archive holds and `restore_archive` rebuilds.

    The documents are the core's own; an archive format carries them without looking inside.
    """

    meta: Mapping[str, Any]
    tables: Mapping[str, Sequence[Mapping[str, Any]]]  # table name (ARCHIVE_TABLES) -> its documents
    texts: Mapping[str, VersionText]  # version id -> its text


def dump_project(project: Project) -> ProjectDump:
    """Every document of `project` (tables sorted by id) and every version's text, for an archive."""
    tables = {t: sorted(project.rows(t), key=lambda d: str(d.get("id"))) for t in ARCHIVE_TABLES}
    texts: dict[str, VersionText] = {}
    for version in tables["versions"]:
        doc = project.get("texts", version["id"]) or {}
        texts[version["id"]] = VersionText(
            str(doc.get("text", "")), {k: v for k, v in doc.items() if k != "text"}
        )
    return ProjectDump(dict(project.meta), tables, texts)


def restore_archive(
    directory: Path,
    dump: ProjectDump,
    *,
    title: str | None = None,
    actor: str | None = None,
    where: str = "archive",
) -> ImportReport:
    """Create the project at `directory` from `dump`, with the same ids, in one operation.

    The dump is checked for shape first (known tables, one document per id, a text for every
    version), and the restored project must then pass `workbench check`; otherwise nothing is left at
    `directory` (which must not exist or be empty). Unsafe characters (untrusted.py) are removed from
    every field and reported in `ImportReport.stripped`; in a transcript they are refused, as a
    workbench never writes them there (the archive was altered). The report's `ids` is empty: every
    entity keeps its id.
    """
    _check_dump(dump, where)
    dump, stripped = _scrubbed_dump(dump, where)
    meta = dict(dump.meta)
    method = str(meta.get("method", "none"))
    kind_of = {table: kind for kind, table in ENTITY_TABLES.items()}
    existed = directory.exists()
    project = Project.create(
        directory, title or str(meta.get("title") or "") or "Restored project", method, actor
    )
    try:
        with project:
            counters: dict[str, int] = {}
            with project._operation("project.restore", "project", "restore archive", undoable=False) as tx:
                tx.put("_meta", "project", {**meta, **({"title": title} if title else {})})
                for table in ARCHIVE_TABLES:
                    for doc in dump.tables.get(table, ()):
                        ident = str(doc["id"])
                        tx.put(table, ident, dict(doc))
                        if table != "participants":  # their ids are chosen, not counted
                            prefix = _PREFIX[kind_of[table]]
                            counters[prefix] = max(counters.get(prefix, 0), int(ident[len(prefix) :]))
                for vid, version in dump.texts.items():
                    tx.put("texts", vid, {"text": version.text, **version.layout})
                tx.put("_meta", "counters", counters, record=False)
                tx.entity = "project"
            from workbench.core.integrity import check_project

            problems = check_project(project)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise BadInputError(f"the archive does not hold a sound project: {problems[0]}{more}", where)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        if existed:
            directory.mkdir(mode=0o700)
        raise
    counts = {table: len(dump.tables.get(table, ())) for table in ARCHIVE_TABLES}
    return ImportReport(ids={}, counts=counts, stripped=tuple(stripped))


def _scrubbed_dump(dump: ProjectDump, where: str) -> tuple[ProjectDump, list[str]]:
    """`dump` with unsafe characters removed from every document, and what was removed (see above)."""
    from workbench.core.project import field_name
    from workbench.core.text import refuse_unsafe_characters

    for vid, version in dump.texts.items():
        refuse_unsafe_characters(version.text, f"{where}: transcript version {vid}")
    everything = [dump.meta, *(doc for docs in dump.tables.values() for doc in docs)]
    if not untrusted.may_hold_unsafe(everything):
        return dump, []
    scrub = untrusted.Scrubber()
    meta = scrub.document(dump.meta, lambda key: f"project {key}")

    def named(table: str, doc: Mapping[str, Any]) -> Callable[[str], str]:
        return lambda key: field_name(table, str(doc["id"]), dict(doc), key)

    tables = {
        table: [scrub.document(doc, named(table, doc)) for doc in docs] for table, docs in dump.tables.items()
    }
    return ProjectDump(meta, tables, dump.texts), scrub.report()


def _check_dump(dump: ProjectDump, where: str) -> None:
    if not isinstance(dump.meta, Mapping):
        raise BadInputError("the archive's project metadata is not an object", where)
    unknown = sorted(set(dump.tables) - set(ARCHIVE_TABLES))
    if unknown:
        raise BadInputError(f"the archive holds a table this workbench does not know: {unknown[0]}", where)
    kind_of = {table: kind for kind, table in ENTITY_TABLES.items()}
    for table, docs in dump.tables.items():
        kind = kind_of[table]
        pattern = re.compile(r"(?s).+") if kind == "participant" else _ID_PATTERN[kind]
        seen: set[str] = set()
        for doc in docs:
            ident = doc.get("id") if isinstance(doc, Mapping) else None
            if not isinstance(ident, str) or not pattern.fullmatch(ident):
                raise BadInputError(f"{table}: a document has no valid id ({ident!r})", where)
            if ident in seen:
                raise BadInputError(f"{table}: two documents have the id {ident}", where)
            seen.add(ident)
    versions = {str(doc["id"]) for doc in dump.tables.get("versions", ())}
    missing = sorted(versions - set(dump.texts))
    if missing:
        raise BadInputError(f"the archive has no text for transcript version {missing[0]}", where)
    stray = sorted(set(dump.texts) - versions)
    if stray:
        raise BadInputError(f"the archive has a text for an unknown transcript version {stray[0]}", where)
