"""Auto-coding: code every hit of a search (or the sentence, turn or paragraph around it), or every turn
of a speaker, as ONE analytic operation.

One operation because a researcher thinks of "code every mention of hope as Hope" as one act: one
audit event (action ``coding.autocode``, entity the run's record, which keeps the query, its options
and the count), one `undo` that removes all of it, and a crash or a cancel that leaves all or none
(the codings are staged in one store transaction). Passages already coded with the code by the same
coder in the same layer are left as they are, so running the same auto-code twice adds nothing.

Cases a method plugin locks (an IPA case whose PETs are complete: `CaseAccess.locked`, passed in by the
shell) are refused as a whole: the user narrows the search rather than getting a partial result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core import untrusted
from workbench.core.errors import BadInputError
from workbench.core.search.corpus import Document, Hit, SearchOptions, _speaker_filter, documents, search
from workbench.core.selection import paragraph_span, sentence_span, trim, turn_span
from workbench.core.text import format_citation, label_key

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["SCOPES", "AutocodeResult", "Cancelled", "Passage", "autocode", "plan"]

SCOPES = ("hit", "sentence", "turn", "paragraph")
_UNIT = {"hit": "character", "sentence": "sentence", "turn": "turn", "paragraph": "paragraph"}
RECORD_KIND = "search.autocode"


class Cancelled(BadInputError):
    """The user stopped an auto-code before it was written: nothing was changed."""


@dataclass(frozen=True)
class Passage:
    """One span to code, as a person checks it: where, the citation and the words."""

    source: str
    participant: str
    start: int
    end: int
    line: int
    citation: str
    text: str
    already: bool = False
    """Already coded with this code by this coder: left as it is."""

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "participant": self.participant,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "citation": self.citation,
            "text": self.text,
            "already_coded": self.already,
        }


@dataclass(frozen=True)
class AutocodeResult:
    code: str
    created: bool
    passages: list[Passage]
    dry_run: bool
    record: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def coded(self) -> int:
        return sum(not p.already for p in self.passages)

    @property
    def already(self) -> int:
        return sum(p.already for p in self.passages)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "created": self.created,
            "coded": self.coded,
            "already_coded": self.already,
            "dry_run": self.dry_run,
            "record": self.record,
            "passages": [p.to_json() for p in self.passages],
        }


def _expand(scope: str, text: str, turns: Sequence[Any], start: int, end: int) -> tuple[int, int]:
    if scope == "hit":
        return start, end
    if scope == "sentence":
        first, last = sentence_span(text, start, turns), sentence_span(text, max(start, end - 1), turns)
    elif scope == "turn":
        first, last = turn_span(turns, start, text), turn_span(turns, max(start, end - 1), text)
    else:
        first, last = paragraph_span(text, start, turns), paragraph_span(text, max(start, end - 1), turns)
    return min(first[0], start), max(last[1], end)


def _spans(
    project: Project,
    query: str | None,
    options: SearchOptions,
    scope: str,
    speakers: Sequence[str],
    hits: Sequence[Hit] | None,
) -> list[tuple[Document, str, int, int]]:
    """(document, participant, start, end) to code, unique, in participant and text order."""
    docs, _notes = documents(project, options)
    by_source = {d.source["id"]: d for d in docs}
    found: dict[tuple[str, int, int], tuple[Document, str, int, int]] = {}
    if query is None:
        roles, labels = _speaker_filter(docs, speakers)
        wanted = set(options.participants)
        for doc in docs:
            for region in doc.regions:
                if not (region.role in roles or (region.label and label_key(region.label) in labels)):
                    continue
                pid = doc.participant_of(region)
                if wanted and pid not in wanted:
                    continue
                start, end = trim(doc.text, (region.start, region.end))
                if start < end:
                    found.setdefault((doc.source["id"], start, end), (doc, pid, start, end))
        return list(found.values())
    for hit in search(project, query, options).hits if hits is None else hits:
        found_doc = by_source.get(hit.source)
        if found_doc is None or found_doc.text[hit.start : hit.end] != hit.text:
            raise BadInputError(
                f"the transcript {hit.source} changed since the search; search again", "autocode"
            )
        doc = found_doc
        start, end = _expand(scope, doc.text, doc.record.turns, hit.start, hit.end)
        start, end = trim(doc.text, (start, end))
        if start < end:
            found.setdefault((hit.source, start, end), (doc, hit.participant, start, end))
    return list(found.values())


def plan(
    project: Project,
    label: str,
    *,
    query: str | None = None,
    options: SearchOptions | None = None,
    scope: str = "hit",
    speakers: Sequence[str] = (),
    coder: str | None = None,
    layer: str = "main",
    locked: Mapping[str, str] | None = None,
    hits: Sequence[Hit] | None = None,
) -> tuple[list[Passage], str | None]:
    """What an auto-code would code (and the existing code's id, None if it would be created).

    `hits` (from an earlier `search` of `query`, such as the hits a user marked in the terminal
    workbench) are coded instead of every hit of the query.
    """
    options = options or SearchOptions()
    label = label.strip()
    if not label:
        raise BadInputError("code label is empty", "LABEL")
    if scope not in SCOPES:
        raise BadInputError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}", "--scope")
    if (query is None) == (not speakers):
        raise BadInputError("give either --query (with search options) or --speaker", "autocode")
    if query is not None and options.limit is not None:
        raise BadInputError("--limit cannot be used with autocode: it codes every hit", "--limit")
    coder = coder or project.actor
    code = project.find_code(label, ids=False)
    spans = _spans(project, query, options, scope, speakers if query is None else (), hits)
    for _doc, pid, _s, _e in spans:
        if locked and pid in locked:
            count = sum(1 for s in spans if s[1] == pid)
            raise BadInputError(
                f"{locked[pid]}; {count} of the passages are in it: narrow the search to other "
                "cases with --participant or --source",
                "autocode",
            )
    template = project.citation_template()
    pseudonyms = {p["id"]: str(p.get("pseudonym") or p["id"]) for p in project.participants()}
    passages: list[Passage] = []
    for doc, pid, start, end in spans:
        already = False
        if code is not None:
            segment = project.index.segment_by_anchor.get((doc.version_id, start, end))
            for cid in project.index.codings_by_segment.get(segment or "", ()):
                other = project.store.get("codings", cid)
                if (
                    other
                    and other["code_id"] == code["id"]
                    and other["coder"] == coder
                    and other["layer"] == layer
                ):
                    already = True
        linemap = doc.record.linemap
        passages.append(
            Passage(
                source=doc.source["id"],
                participant=pid,
                start=start,
                end=end,
                line=linemap.line_at(start).number,
                citation=format_citation(
                    linemap, start, end, pseudonyms.get(pid, doc.pseudonym), pid, template
                ),
                text=doc.text[start:end],
                already=already,
            )
        )
    return passages, code["id"] if code else None


def autocode(
    project: Project,
    label: str,
    *,
    query: str | None = None,
    options: SearchOptions | None = None,
    scope: str = "hit",
    speakers: Sequence[str] = (),
    coder: str | None = None,
    layer: str = "main",
    dry_run: bool = False,
    locked: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    hits: Sequence[Hit] | None = None,
) -> AutocodeResult:
    """Code what `plan` finds, as one operation; `cancelled()` is asked while staging (True: nothing
    is written)."""
    options = options or SearchOptions()
    if coder is not None:
        untrusted.check_text(coder, "--coder")
    coder = coder or project.actor
    passages, code_id = plan(
        project,
        label,
        query=query,
        options=options,
        scope=scope,
        speakers=speakers,
        coder=coder,
        layer=layer,
        locked=locked,
        hits=hits,
    )
    label = label.strip()
    todo = [p for p in passages if not p.already]
    if dry_run or not todo:
        return AutocodeResult(label, code_id is None and bool(todo), passages, dry_run)
    what = f"query {query!r}, scope {scope}" if query is not None else f"speaker {', '.join(speakers)}"
    summary = f"auto-code {len(todo)} passage{'s' * (len(todo) != 1)} as {label!r} ({what})"
    with project._operation("coding.autocode", "record", summary) as tx:
        record_id = project._insert(
            tx,
            "R",
            {
                "kind": RECORD_KIND,
                "data": {
                    "code": label,
                    "query": query,
                    "regex": options.regex,
                    "stem": options.stem,
                    "ignore_accents": options.ignore_accents,
                    "near": options.near,
                    "scope": scope,
                    "speakers": list(speakers or options.speakers),
                    "sources": list(options.sources),
                    "participants": list(options.participants),
                    "codes": list(options.codes),
                    "coder": coder,
                    "codings": len(todo),
                    "chosen_hits": None if hits is None else len(hits),
                },
                "links": [],
                "author": project.actor,
                "created_at": _now(),
                "modified_at": _now(),
            },
        )
        created = code_id is None
        if code_id is None:
            code_id = project._create_code(tx, label)["id"]
        record = tx.get("records", record_id)
        assert record is not None
        tx.put("records", record_id, {**record, "links": [f"code:{code_id}"]})
        version_of = {p.source: project.source(p.source)["version_id"] for p in todo}
        for done, passage in enumerate(todo, 1):
            if cancelled is not None and done % 64 == 0 and cancelled():
                raise Cancelled("auto-coding cancelled; nothing was coded", "autocode")
            vid = version_of[passage.source]
            segment_id = project._segment(tx, vid, passage.start, passage.end)
            project._put_coding(tx, vid, segment_id, code_id, coder=coder, layer=layer, unit=_UNIT[scope])
            if progress is not None and done % 64 == 0:
                progress(done, len(todo))
        for source_id in version_of:
            source = tx.get("sources", source_id)
            if source and source.get("status") == "not started":
                tx.put("sources", source_id, {**source, "status": "in progress"})
        if cancelled is not None and cancelled():
            raise Cancelled("auto-coding cancelled; nothing was coded", "autocode")
    if progress is not None:
        progress(len(todo), len(todo))
    return AutocodeResult(label, created, passages, False, record_id)


def _now() -> str:
    from workbench.core.project import _now as now

    return now()
