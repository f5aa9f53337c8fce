"""From what a reader found (`Incoming`) to the host's neutral `Content`, added in one operation.

The readers of other programs' files are lenient; the host's bulk import (`workbench.import_content`)
is not: it checks content as the one-at-a-time `Project` API checks each call and refuses the whole
import at the first problem, leaving the project as it was. This module is the bridge between them.
It keeps what a REFI-QDA file really says and notes what it has to leave out — references to entities
the file did not bring, a link whose ends were not imported, a code applied twice to one passage by one
coder — so that a foreign file imports with notes instead of failing, while a value that cannot be
right (an unknown code kind in a workbench payload, an empty code label) is still refused in one line.

How documents are stored is the host's business: nothing here knows a table or a document's fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from wb_interop import incoming as inc
from wb_interop.fidelity import Fidelity
from wb_interop.progress import Report, quiet
from workbench import (
    Content,
    ContentCluster,
    ContentCode,
    ContentCoding,
    ContentLink,
    ContentMemo,
    ContentParticipant,
    ContentRecord,
    ContentRevision,
    ContentSegment,
    ContentSet,
    ContentSource,
    Turn,
    import_content,
)

if TYPE_CHECKING:
    from workbench import Project

_LABEL_LIMIT = 200
_DIRECTIONS = ("none", "one-way", "bi")
#: Coding fields the REFI payload carries among a coding's extras; the rest is the coding's history.
_CODING_FIELDS = ("layer", "unit", "comment")
_NOTHING: Mapping[str, Any] = MappingProxyType({})  # shared by the many codings without extras


def clean_label(label: str) -> str:
    """A code label the host accepts: one line, at most 200 characters.

    Control characters are left for the host's input policy, which removes them and says so in the
    import report (`ImportReport.stripped`).
    """
    text = " ".join(label.split())
    return text[:_LABEL_LIMIT].rstrip() or "(unnamed code)"


def write(
    project: Project,
    content: Content,
    summary: str,
    *,
    keep_ids: bool,
    undoable: bool,
    reuse_codes: bool = False,
    where: str = "import",
    progress: Report = quiet,
    check_only: bool = False,
) -> tuple[dict[str, int], list[str]]:
    """Add `content` to `project` in one operation; returns how many of each were added, and notes.

    A new project (`keep_ids`) keeps the exported ids and adopts the exported citation and line settings.
    With `reuse_codes`, a code whose label the project already has joins it, and a note says so. With
    `check_only` (a dry run) everything is checked exactly as for the import, and nothing is written.
    """
    report = import_content(
        project,
        content,
        summary=summary,
        keep_ids=keep_ids,
        undoable=undoable,
        reuse_codes=reuse_codes,
        settings=keep_ids,
        progress=progress,
        where=where,
        check_only=check_only,
    )
    labels = {code.key: code.label for code in content.codes}
    notes = [
        f"code {labels[key]!r} already exists ({ref.partition(':')[2]}); its codings join it"
        for key, ref in report.reused_codes.items()
    ]
    return dict(report.counts), [*notes, *report.stripped]


def to_content(incoming: inc.Incoming) -> Content:
    """The host's content for `incoming`, with what cannot be imported left out and noted in it.

    Done before the project is opened, so that the reader's own (mutable, larger) objects can be let go
    of before the import builds its documents: at 50,000 codings that is tens of megabytes.
    """
    known: dict[str, str] = {}  # key -> kind, of everything that will be imported

    def know(keys: Iterable[str]) -> None:
        for key in keys:
            if key:
                known[key] = key.partition(":")[0]

    fid = incoming.fidelity
    labels = {c.key: c.label for c in incoming.codes}
    know(p.key for p in incoming.participants)
    know(c.key for c in incoming.codes)
    sources = [_source(s, known, fid, labels) for s in incoming.sources]
    for source in sources:
        know([source.key])
        for segment in source.segments:
            know([segment.key, *(c.key for c in segment.codings)])
    know(m.key for m in incoming.memos)
    know(g.key for g in incoming.groups)
    know(r.key for r in incoming.records)
    links = []
    for link in incoming.links:
        if link.origin not in known or link.target not in known or link.origin == link.target:
            incoming.notes.append(f"link {link.relation!r} skipped: one of its ends was not imported")
            fid.drop(
                "links",
                link.key.partition(":")[2],
                link.relation,
                "it joins a thing to itself"
                if link.origin == link.target
                else "one of its ends was not imported",
            )
            continue
        links.append(link)
    know(link.key for link in links)
    refs = _References(known, fid)
    content = Content(
        participants=tuple(
            ContentParticipant(
                p.key, p.pseudonym, dict(p.attributes), p.status or "active", preferred_id=p.preferred_id
            )
            for p in incoming.participants
        ),
        sources=tuple(sources),
        codes=tuple(_code(c, known) for c in incoming.codes),
        memos=tuple(
            ContentMemo(
                m.key,
                m.title.strip() or "(untitled note)",
                m.body,
                type=m.type or "analytic",
                links=refs.keep(m.links, owner=(m.key, m.title, "links")),
                author=m.author,
                created_at=_when(m.created_at),
                modified_at=_when(m.modified_at),
                revisions=tuple(_revision(r) for r in m.revisions if isinstance(r, Mapping)),
                preferred_id=m.preferred_id,
            )
            for m in incoming.memos
        ),
        links=tuple(
            ContentLink(
                link.key,
                link.origin,
                link.target,
                link.relation.strip() or "related",
                direction=link.direction if link.direction in _DIRECTIONS else "one-way",
                evidence=refs.keep(
                    link.evidence, ("segment", "coding"), owner=(link.key, link.relation, "evidence")
                ),
                memo=refs.one(link.memo, "memo", owner=(link.key, link.relation, "note")),
                author=link.author,
                created_at=_when(link.created_at),
                preferred_id=link.preferred_id,
            )
            for link in links
        ),
        sets=tuple(
            ContentSet(
                g.key,
                g.name.strip() or "(unnamed set)",
                refs.keep(g.members, owner=(g.key, g.name, "members")),
                description=g.description,
                author=g.author,
                created_at=_when(g.created_at),
                preferred_id=g.preferred_id,
            )
            for g in incoming.groups
            if g.kind == "set"
        ),
        clusters=tuple(
            ContentCluster(
                g.key,
                g.name.strip() or "(unnamed cluster)",
                refs.keep(g.members, owner=(g.key, g.name, "children")),
                parent=refs.one(g.parent, "cluster", owner=(g.key, g.name, "parent")),
                techniques=tuple(str(t) for t in g.techniques),
                memo=refs.one(g.memo, "memo", owner=(g.key, g.name, "note")),
                author=g.author,
                created_at=_when(g.created_at),
                preferred_id=g.preferred_id,
            )
            for g in incoming.groups
            if g.kind == "cluster"
        ),
        records=tuple(
            ContentRecord(
                r.key,
                r.kind,
                dict(r.data),
                refs.keep(r.links, owner=(r.key, r.kind, "links")),
                author=r.author,
                created_at=_when(r.created_at),
                modified_at=_when(r.modified_at),
                preferred_id=r.preferred_id,
            )
            for r in incoming.records
        ),
        citation=_text_or_none(incoming.settings.get("citation")),
        line_settings=_mapping_or_none(incoming.settings.get("line_settings")),
    )
    if refs.dropped:
        incoming.notes.append(
            f"{refs.dropped} reference(s) to entities the file does not hold (or of the wrong kind) left out"
        )
    return content


#: Which element of the fidelity report an incoming entity of each kind is counted under.
_ELEMENT = {"memo": "notes", "set": "sets", "cluster": "clusters", "link": "links", "record": "records"}


class _References:
    """Keeps the references that name something imported (of the right kind), counting the rest.

    Each entity that loses references is reported as converted, under the element it came from.
    """

    def __init__(self, known: Mapping[str, str], fid: Fidelity) -> None:
        self.known = known
        self.fid = fid
        self.dropped = 0

    def keep(
        self, keys: Iterable[str], kinds: tuple[str, ...] = (), owner: tuple[str, str, str] | None = None
    ) -> tuple[str, ...]:
        kept = []
        lost = 0
        for key in keys:
            kind = self.known.get(key)
            if kind is not None and (not kinds or kind in kinds):
                kept.append(key)
            else:
                lost += 1
        if lost:
            self.dropped += lost
            if owner is not None:
                key, name, what = owner
                element, ident, name = self.fid.origin_of.get(
                    key, (_ELEMENT.get(key.partition(":")[0], "project"), key.partition(":")[2], name)
                )
                self.fid.convert(
                    element, ident, name, f"{lost} of its {what} left out: they name things not imported"
                )
        return tuple(kept)

    def one(self, key: str | None, kind: str, owner: tuple[str, str, str] | None = None) -> str | None:
        if not key:
            return None
        kept = self.keep([key], (kind,), owner)
        return kept[0] if kept else None


def _code(code: inc.Code, known: Mapping[str, str]) -> ContentCode:
    return ContentCode(
        code.key,
        code.label,
        definition=code.definition,
        kind=code.kind or "constructed",
        level=code.level,
        parent=code.parent if code.parent and known.get(code.parent) == "code" else None,
        status=code.status or "active",
        created_by=code.created_by,
        created_at=_when(code.created_at),
        lineage=tuple(dict(event) for event in code.lineage if isinstance(event, Mapping)),
        provenance=dict(code.extra),
        preferred_id=code.preferred_id,
    )


def _source(
    source: inc.Source, known: Mapping[str, str], fid: Fidelity, labels: Mapping[str, str]
) -> ContentSource:
    """A source with its segments; a code applied twice to one passage by one coder is kept once."""
    segments = []
    applied: set[tuple[int, int, str, str, str]] = set()
    for number, segment in enumerate(source.segments):
        codings = []
        for coding in segment.codings:
            name = f"{labels.get(coding.code, coding.code)} on {source.filename}"
            ident = coding.key.partition(":")[2] or f"{source.key}#{number}:{coding.code}:{coding.coder}"
            if known.get(coding.code) != "code":
                fid.drop("codings", ident, name, "its code was not imported")
                continue
            extra = dict(coding.extra)
            fields = {name: str(extra.pop(name)) for name in _CODING_FIELDS if extra.get(name) is not None}
            layer = fields.get("layer") or "main"
            marker = (segment.start, segment.end, coding.code, coding.coder, layer)
            if marker in applied:
                fid.drop(
                    "codings",
                    ident,
                    name,
                    f"{coding.coder} applied this code to the same passage twice; kept once",
                )
                continue
            applied.add(marker)
            codings.append(
                ContentCoding(
                    coding.code,
                    coding.coder,
                    layer=layer,
                    unit=fields.get("unit") or "character",
                    comment=fields.get("comment", ""),
                    created_at=_when(coding.created_at),
                    key=coding.key,
                    provenance=extra or _NOTHING,
                )
            )
        segments.append(ContentSegment(segment.start, segment.end, tuple(codings), segment.key, segment.flag))
    return ContentSource(
        source.key,
        source.filename,
        source.text,
        source.participant,
        segments=tuple(segments),
        turns=_turns(source.text, source.turns),
        status=source.status,
        kind=source.kind or "interview",
        importer=source.importer or "refi-qda",
        speaker_roles=dict(source.speaker_roles),
        speaker_participants={
            label: key
            for label, key in source.speaker_participants.items()
            if known.get(key) == "participant"
        },
        imported_by=source.imported_by,
        imported_at=_when(source.imported_at),
        preferred_id=source.preferred_id,
    )


def _turns(text: str, stored: list[dict[str, Any]] | None) -> tuple[Turn, ...]:
    """The exported turns when they still fit the text, else none (the host detects them afresh)."""
    if not stored:
        return ()
    try:
        turns = tuple(Turn(**t) for t in stored)
    except TypeError:
        return ()
    return turns if all(0 <= t.start <= t.end <= len(text) for t in turns) else ()


def _revision(revision: Mapping[str, Any]) -> ContentRevision:
    return ContentRevision(
        str(revision.get("body", "")), str(revision.get("author", "")), _when(revision.get("modified_at"))
    )


def _when(value: object) -> str | None:
    return str(value) if value else None


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping_or_none(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None
