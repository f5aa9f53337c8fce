"""The neutral content model: a whole study (or part of one) as plain, frozen values, ready to import.

Why it exists: a plugin that brings a project in from elsewhere (a REFI-QDA file, another tool's
export, a script) should describe *what* to add, never *how the store keeps it*. It builds a `Content`
and hands it to `workbench.core.bulk.import_content`, which validates all of it as the one-at-a-time
`Project` API would and writes it as one operation; the documents' shapes stay in core.

Entities name each other by *key*: a string ``kind:anything`` that is unique in the content, whose
kind part is the entity's own kind (``code:3f2a...``, ``source:interview-1``, ``memo:n7``). Keys are
never stored; the import gives each entity an id in the project (keeping ``preferred_id`` when asked
and free) and reports key -> ``kind:ID``. A reference (a memo's links, a set's members, a link's
ends ...) is the key of another entity in the same content. Timestamps and people left empty become
"now" and the acting user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.core.model import Turn


@dataclass(frozen=True, slots=True)
class ContentParticipant:
    """A person in the study, known by a pseudonym (never a real identity, GOV-3)."""

    key: str
    pseudonym: str = ""  # empty: the participant's id
    attributes: Mapping[str, Any] = field(default_factory=dict)  # plain JSON (age band, service, ...)
    status: str = "active"
    preferred_id: str = ""  # "P07": kept with keep_ids when free


@dataclass(frozen=True, slots=True)
class ContentCoding:
    """One coder's application of a code to the segment it sits in."""

    code: str  # key of a code in the content
    coder: str = ""  # empty: the acting user
    layer: str = "main"
    unit: str = "character"
    comment: str = ""
    created_at: str | None = None
    key: str = ""  # "coding:..." when something refers to this coding (link evidence, memo links)
    #: History the exporting workbench kept on the coding (merged_from, split_from, ...), copied as is;
    #: it never overrides the fields above.
    provenance: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ContentSegment:
    """A passage [start, end) of its source's text in code points; segments with one anchor are one."""

    start: int
    end: int
    codings: tuple[ContentCoding, ...] = ()
    key: str = ""  # "segment:..." when something refers to it
    flag: str = ""  # a note that the passage needs review ("text changed in correction ...")


@dataclass(frozen=True, slots=True)
class ContentSource:
    """A transcript: its canonical text (LF, NFC), who it belongs to, and the passages coded in it."""

    key: str
    filename: str
    text: str
    participant: str  # key of a participant in the content
    segments: tuple[ContentSegment, ...] = ()
    turns: tuple[Turn, ...] = ()  # empty: detected from speaker labels, as `Project.add_source` does
    status: str = ""  # empty: "in progress" when coded, else "not started"
    kind: str = "interview"
    importer: str = ""
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    speaker_roles: Mapping[str, str] = field(default_factory=dict)  # speaker label -> role (TR-7)
    speaker_participants: Mapping[str, str] = field(default_factory=dict)  # label -> participant key
    imported_by: str = ""
    imported_at: str | None = None
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class ContentCode:
    """A code with its place in the hierarchy, method level, kind and definition."""

    key: str
    label: str
    definition: str = ""
    kind: str = "constructed"  # constructed, in-vivo or a-priori
    level: str = ""  # empty: the method's default level
    parent: str | None = None  # key of a code in the content
    status: str = "active"  # active, merged, split or retired
    created_by: str = ""
    created_at: str | None = None
    #: Lineage events as the exporting workbench recorded them; kept only with keep_ids, as they name
    #: that project's ids.
    lineage: tuple[Mapping[str, Any], ...] = ()
    provenance: Mapping[str, Any] = field(default_factory=dict)  # merged_into, split_into, ... as is
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class ContentRevision:
    """An earlier body of a memo (memos are versioned, never overwritten)."""

    body: str
    author: str = ""
    modified_at: str | None = None


@dataclass(frozen=True, slots=True)
class ContentMemo:
    key: str
    title: str
    body: str = ""
    type: str = "analytic"
    links: tuple[str, ...] = ()  # keys of what the memo is about
    author: str = ""
    created_at: str | None = None
    modified_at: str | None = None
    revisions: tuple[ContentRevision, ...] = ()
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class ContentLink:
    """A typed edge between two entities, with evidence segments or codings (REFI-QDA ``<Link>``)."""

    key: str
    origin: str
    target: str
    relation: str
    direction: str = "one-way"  # none, one-way or bi
    evidence: tuple[str, ...] = ()  # keys of segments or codings
    memo: str | None = None  # key of a memo
    author: str = ""
    created_at: str | None = None
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class ContentSet:
    key: str
    name: str
    members: tuple[str, ...] = ()
    description: str = ""
    author: str = ""
    created_at: str | None = None
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class ContentCluster:
    """A grouping node (IPA cluster, theme) over codes, statements or other clusters."""

    key: str
    name: str
    children: tuple[str, ...] = ()
    parent: str | None = None  # key of a cluster
    techniques: tuple[str, ...] = ()
    memo: str | None = None  # key of a memo
    author: str = ""
    created_at: str | None = None
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class ContentRecord:
    """A method plugin's own object (``gt.category``, ``ipa.note``): kind, plain JSON data and links."""

    key: str
    kind: str
    data: Mapping[str, Any]
    links: tuple[str, ...] = ()
    author: str = ""
    created_at: str | None = None
    modified_at: str | None = None
    preferred_id: str = ""


@dataclass(frozen=True, slots=True)
class Content:
    """Everything one import adds. `citation` and `line_settings` are applied only when asked."""

    participants: tuple[ContentParticipant, ...] = ()
    sources: tuple[ContentSource, ...] = ()
    codes: tuple[ContentCode, ...] = ()
    memos: tuple[ContentMemo, ...] = ()
    links: tuple[ContentLink, ...] = ()
    sets: tuple[ContentSet, ...] = ()
    clusters: tuple[ContentCluster, ...] = ()
    records: tuple[ContentRecord, ...] = ()
    citation: str | None = None  # a citation style name or template
    line_settings: Mapping[str, Any] | None = None  # {"width": 72, "page_lines": 40, "mode": ...}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `import_content` did: the id each key got, how many of each kind, and codes it joined."""

    ids: Mapping[str, str]  # content key -> "kind:ID" in the project
    counts: Mapping[str, int]
    reused_codes: Mapping[str, str] = field(default_factory=dict)  # code key -> "code:ID" it joined
    #: What the input policy removed (control characters, bidi overrides), one line per kind of field.
    stripped: tuple[str, ...] = ()
