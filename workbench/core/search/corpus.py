"""Corpus search: "where in all my interviews did anyone talk about X?", with keyword-in-context.

Runs over the current version of every transcript (so redacted words, replaced in a new version, and
withdrawn participants' words, deleted or rewritten, are never found), narrowed by source,
participant, speaker and code, and leaves out participants a method plugin hides now (IPA bracketing:
`CaseAccess.hidden`, passed in by the shell, since core does not know plugins). Each hit is an exact
code-point span with the citation a thesis quotes, so `text[start:end]` is the matched text and
auto-coding can code it as found. Search never writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.ids import natural_key
from workbench.core.language import language_of
from workbench.core.search.matching import DEFAULT_TIMEOUT, Matcher, Region, regions_of
from workbench.core.search.query import TOKEN
from workbench.core.text import format_citation, label_key

if TYPE_CHECKING:
    from workbench.core.project import Project, _TextRecord

__all__ = ["Document", "Hit", "SearchOptions", "SearchResult", "documents", "search"]

ROLES = frozenset({"interviewer", "participant", "other", "unknown"})


@dataclass(frozen=True)
class SearchOptions:
    """How to match and what to search; repeated filters of one kind mean any of them."""

    regex: bool = False
    stem: bool = False
    ignore_accents: bool = False
    near: int | None = None
    sources: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    context: int = 8
    limit: int | None = None
    hidden: Mapping[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Hit:
    """One match. `turn` counts turns from 1 as a reader does; `line` is the printed line of `start`."""

    source: str
    participant: str
    speaker: str
    turn: int
    start: int
    end: int
    line: int
    citation: str
    text: str
    before: str
    after: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    notes: list[str]
    """What the user must know to read the result (sources left out, and why)."""


@dataclass
class Document:
    """A source's current version as search sees it."""

    source: dict[str, Any]
    version_id: str
    record: _TextRecord
    regions: list[Region]
    participant: str
    pseudonym: str
    speaker_participants: dict[str, str]

    @property
    def text(self) -> str:
        return self.record.text

    def participant_of(self, region: Region) -> str:
        return self.speaker_participants.get(region.label, self.participant)


_REGIONS: dict[int, tuple[object, list[Region]]] = {}


def _regions(project: Project, source_id: str, record: _TextRecord) -> list[Region]:
    """Speech regions of a version (with the researcher's role mapping), cached per text record."""
    roles = project.source(source_id).get("speaker_roles", {})
    key = id(record)
    cached = _REGIONS.get(key)
    if cached is not None and cached[0] is record:
        regions = cached[1]
    else:
        if len(_REGIONS) > 512:
            _REGIONS.clear()
        regions = regions_of(record.text, record.turns)
        _REGIONS[key] = (record, regions)
    if not roles:
        return regions
    return [Region(r.start, r.end, r.turn, r.label, roles.get(r.label, r.role)) for r in regions]


def documents(project: Project, options: SearchOptions) -> tuple[list[Document], list[str]]:
    """The sources a search covers, in participant then source order, and notes on what was left out."""
    known_sources = {s["id"] for s in project.sources()}
    for wanted in options.sources:
        if wanted not in known_sources:
            raise NotFoundError(f"no source {wanted!r} (see `workbench sources`)", "--source")
    known_participants = {p["id"] for p in project.participants()}
    for wanted in options.participants:
        if wanted not in known_participants:
            raise NotFoundError(f"no participant {wanted!r} (see `workbench sources`)", "--participant")
    docs: list[Document] = []
    hidden_here: set[str] = set()
    for source in project.sources():
        if options.sources and source["id"] not in options.sources:
            continue
        participant = project.participant_of(source) or {}
        pid = str(participant.get("id", ""))
        if pid in options.hidden:
            hidden_here.add(pid)
            continue
        vid, record = project.current_text(source["id"])
        docs.append(
            Document(
                source=source,
                version_id=vid,
                record=record,
                regions=_regions(project, source["id"], record),
                participant=pid,
                pseudonym=str(participant.get("pseudonym") or source["title"]),
                speaker_participants=dict(source.get("speaker_participants", {})),
            )
        )
    docs.sort(key=lambda d: (natural_key(d.participant), natural_key(d.source["id"])))
    notes = [
        f"{options.hidden[pid]}: {pid}'s transcripts were not searched"
        for pid in sorted(hidden_here, key=natural_key)
    ]
    return docs, notes


def _speaker_filter(
    docs: Sequence[Document], speakers: Sequence[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Split --speaker values into roles and label keys; a label no transcript has is refused."""
    roles = frozenset(s.strip().lower() for s in speakers if s.strip().lower() in ROLES)
    labels = frozenset(label_key(s) for s in speakers if s.strip().lower() not in ROLES)
    present = {label_key(r.label) for d in docs for r in d.regions if r.label}
    for wanted in speakers:
        if wanted.strip().lower() not in ROLES and label_key(wanted) not in present:
            raise NotFoundError(
                f"no speaker {wanted!r} in the searched transcripts (a label, or a role: "
                "interviewer, participant, other, unknown)",
                "--speaker",
            )
    return roles, labels


def _code_spans(project: Project, codes: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Version id → spans of the segments coded with any of `codes` (blind ICR layers left out)."""
    hidden = project.blind_layers()
    spans: dict[str, list[tuple[int, int]]] = {}
    for label in codes:
        code = project.find_code(label, active_only=False)
        if code is None:
            raise NotFoundError(f"no code {label!r} (see `workbench codes`)", "--code")
        for cid in project.index.codings_by_code.get(code["id"], ()):
            coding = project.store.get("codings", cid)
            if coding is None or coding.get("layer") in hidden:
                continue
            segment = project.store.get("segments", coding["segment_id"])
            if segment is not None:
                spans.setdefault(segment["version_id"], []).append((segment["start"], segment["end"]))
    return spans


_VOCABULARY: dict[int, tuple[object, frozenset[str]]] = {}


def _words_of(doc: Document) -> frozenset[str]:
    """A version's distinct words (case-folded), for stemming: cached per text record."""
    key = id(doc.record)
    cached = _VOCABULARY.get(key)
    if cached is not None and cached[0] is doc.record:
        return cached[1]
    if len(_VOCABULARY) > 512:
        _VOCABULARY.clear()
    words = frozenset(w.casefold() for r in doc.regions for w in TOKEN.findall(doc.text, r.start, r.end))
    _VOCABULARY[key] = (doc.record, words)
    return words


def matcher_for(project: Project, query: str, options: SearchOptions, docs: Sequence[Document]) -> Matcher:
    def vocabulary() -> Iterator[str]:
        return iter(frozenset().union(*(_words_of(doc) for doc in docs)))

    return Matcher(
        query,
        regex=options.regex,
        stem=options.stem,
        ignore_accents=options.ignore_accents,
        near=options.near,
        language=language_of(project.meta),
        vocabulary=vocabulary,
        timeout=options.timeout,
    )


def context_words(text: str, start: int, end: int, words: int, *, before: bool) -> str:
    """`words` whitespace-separated words of [start, end) next to the hit, on one line."""
    if words <= 0 or start >= end:
        return ""
    width = 24 * words
    if before:
        piece = text[max(start, end - width) : end]
        parts = piece.split()
        if end - width > start and len(parts) <= words:
            parts = text[start:end].split()
        return " ".join(parts[-words:])
    piece = text[start : min(end, start + width)]
    parts = piece.split()
    if start + width < end and len(parts) <= words:
        parts = text[start:end].split()
    return " ".join(parts[:words])


def search(project: Project, query: str, options: SearchOptions | None = None) -> SearchResult:
    """Every hit of `query` in the project's current transcripts, in participant and text order."""
    options = options or SearchOptions()
    if options.context < 0:
        raise BadInputError("--context needs 0 or more words", "--context")
    if options.limit is not None and options.limit < 1:
        raise BadInputError("--limit needs a number of hits, 1 or more", "--limit")
    docs, notes = documents(project, options)
    matcher = matcher_for(project, query, options, docs)
    roles, labels = (
        _speaker_filter(docs, options.speakers) if options.speakers else (frozenset(), frozenset())
    )
    code_spans = _code_spans(project, options.codes) if options.codes else None
    template = project.citation_template()
    pseudonyms = {p["id"]: str(p.get("pseudonym") or p["id"]) for p in project.participants()}
    participants = set(options.participants)
    hits: list[Hit] = []
    total = 0
    matcher.start()
    for doc in docs:
        regions = doc.regions
        if options.speakers:
            regions = [r for r in regions if r.role in roles or (r.label and label_key(r.label) in labels)]
        if participants:
            regions = [r for r in regions if doc.participant_of(r) in participants]
        if code_spans is not None:
            coded = code_spans.get(doc.version_id)
            if not coded:
                continue
        for start, end, index in matcher.spans(doc.text, regions):
            if code_spans is not None and not any(
                s <= start and end <= e for s, e in code_spans[doc.version_id]
            ):
                continue
            total += 1
            if options.limit is not None and len(hits) >= options.limit:
                continue
            region = regions[index]
            pid = doc.participant_of(region)
            linemap = doc.record.linemap
            text = doc.text
            hits.append(
                Hit(
                    source=doc.source["id"],
                    participant=pid,
                    speaker=region.label,
                    turn=region.turn + 1,
                    start=start,
                    end=end,
                    line=linemap.line_at(start).number,
                    citation=format_citation(
                        linemap, start, end, pseudonyms.get(pid, doc.pseudonym), pid, template
                    ),
                    text=text[start:end],
                    before=context_words(text, region.start, start, options.context, before=True),
                    after=context_words(text, end, region.end, options.context, before=False),
                )
            )
    return SearchResult(hits, total, notes)
