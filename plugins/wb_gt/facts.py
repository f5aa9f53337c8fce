"""Facts every GT table derives from: interviews in order, each coding with the code it began as, segments.

Grounded theory reads the data *in the order it was collected* (new codes per interview, coded before the
next interview?), so interview order is one function here: interviews with a logged date (``gt.collection``
records, see `collection`) first, by date, then unlogged sources by id.

A coding keeps its origin across merges and splits (the core writes ``merged_from``/``split_from`` on it),
which is how saturation counts the *initial* codes first applied in each interview even after they were
promoted into focused codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench import BadInputError, NotFoundError, Project, format_citation, natural_key

Doc = dict[str, Any]
COLLECTION_KIND = "gt.collection"


@dataclass(frozen=True)
class Interview:
    order: int
    source_id: str
    participant_id: str
    pseudonym: str
    date: str
    record: Doc | None


@dataclass(frozen=True)
class CodingFact:
    coding_id: str
    code_id: str
    origin_code_id: str
    segment_id: str
    source_id: str
    participant_id: str
    start: int
    end: int


def collection_records(project: Project) -> dict[str, Doc]:
    """Source id -> its (newest) data collection record."""
    return {str(r["data"]["source"]): r for r in project.records(COLLECTION_KIND)}


def interviews(project: Project) -> list[Interview]:
    logged = collection_records(project)

    def key(source: Doc) -> tuple[int, str, tuple[str, int, str]]:
        record = logged.get(source["id"])
        date = str(record["data"].get("date", "")) if record else ""
        return (0 if date else 1, date, natural_key(source["id"]))

    out = []
    for order, source in enumerate(sorted(project.sources(), key=key), start=1):
        participant = project.participant_of(source) or {}
        record = logged.get(source["id"])
        out.append(
            Interview(
                order,
                source["id"],
                str(participant.get("id", "")),
                str(participant.get("pseudonym") or source["title"]),
                str(record["data"].get("date", "")) if record else "",
                record,
            )
        )
    return out


def coding_facts(project: Project) -> list[CodingFact]:
    """Every coding on a live segment, with its source, participant and the code it was first made with."""
    segments = {s["id"]: s for s in project.rows("segments")}
    versions = {v["id"]: v for v in project.rows("versions")}
    sources = {s["id"]: s for s in project.sources()}
    out = []
    for coding in project.rows("codings"):
        segment = segments.get(coding["segment_id"])
        version = versions.get(segment["version_id"]) if segment else None
        source = sources.get(version["source_id"]) if version else None
        if segment is None or source is None:
            continue
        origin = coding.get("merged_from") or coding.get("split_from") or coding["code_id"]
        out.append(
            CodingFact(
                coding["id"],
                coding["code_id"],
                str(origin),
                segment["id"],
                source["id"],
                str(source.get("participant_id") or ""),
                int(segment["start"]),
                int(segment["end"]),
            )
        )
    out.sort(key=lambda f: (natural_key(f.source_id), f.start, f.end, natural_key(f.coding_id)))
    return out


def code_doc(project: Project, label_or_id: str) -> Doc:
    """A code (active or not) by label or id; a `NotFoundError` names the missing label."""
    doc = project.find_code(label_or_id, active_only=False)
    if doc is None:
        raise NotFoundError(f"no code {label_or_id!r} (see `workbench codes`)", "LABEL")
    return doc


def active_code(project: Project, label: str) -> Doc:
    doc = project.find_code(label)
    if doc is None:
        raise NotFoundError(f"no active code {label!r} (see `workbench codes`)", "LABEL")
    return doc


def descendants(project: Project, code_id: str) -> list[str]:
    """The code and every active code beneath it."""
    children: dict[str, list[str]] = {}
    for code in project.codes():
        if code.get("parent_id") and code["status"] == "active":
            children.setdefault(code["parent_id"], []).append(code["id"])
    out, todo = [], [code_id]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


_QUOTE_REF = re.compile(r"^(S[0-9]+):(.+)$", re.DOTALL)


def segment_ref(project: Project, ref: str) -> str:
    """A segment id from ``G5``, a coding id ``K5``, or ``S1:words`` (the coded segment holding the words).

    The ``S1:words`` form lets scripts and demo plans name evidence by what the participant said, which
    survives re-numbering; it must match exactly one coded segment of that source.
    """
    ref = ref.strip()
    match = _QUOTE_REF.match(ref)
    if match:
        source_id, words = match[1], match[2].strip()
        _vid, record = project.current_text(source_id)
        found = [
            f.segment_id
            for f in coding_facts(project)
            if f.source_id == source_id and words in record.text[f.start : f.end]
        ]
        unique = sorted(set(found), key=natural_key)
        if not unique:
            raise NotFoundError(f"no coded segment of {source_id} contains {words[:40]!r}", ref)
        if len(unique) > 1:
            raise BadInputError(f"{len(unique)} coded segments of {source_id} contain {words[:40]!r}", ref)
        return unique[0]
    resolved = project.resolve_entity(ref)
    kind, _, ident = resolved.partition(":")
    if kind == "segment":
        return ident
    if kind == "coding":
        coding = project.get("codings", ident) or {}
        return str(coding["segment_id"])
    raise BadInputError(f"{ref!r} is not a segment (give G5, a coding id K5, or S1:quoted words)", ref)


def segment_refs(project: Project, refs: Iterable[str]) -> list[str]:
    return [f"segment:{segment_ref(project, r)}" for r in refs]


@dataclass(frozen=True)
class SegmentView:
    segment_id: str
    source_id: str
    participant_id: str
    pseudonym: str
    text: str
    citation: str


def segment_view(project: Project, segment_id: str) -> SegmentView:
    """A segment's words and citation (pseudonym, page:line) through its version's frozen line map."""
    segment = project.get("segments", segment_id)
    if segment is None:
        raise NotFoundError(f"no segment {segment_id!r}", "SEGMENT")
    version = project.get("versions", segment["version_id"]) or {}
    source = project.source(str(version.get("source_id")))
    participant = project.participant_of(source) or {}
    record = project.text_record(segment["version_id"])
    pseudonym = str(participant.get("pseudonym") or source["title"])
    citation = format_citation(
        record.linemap,
        segment["start"],
        segment["end"],
        pseudonym,
        str(participant.get("id", "")),
        project.citation_template(),
    )
    text = record.text[segment["start"] : segment["end"]]
    return SegmentView(segment_id, source["id"], str(participant.get("id", "")), pseudonym, text, citation)


def shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
