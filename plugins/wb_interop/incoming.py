"""What an import will add to a project, before any of it is written.

The REFI-QDA readers build an `Incoming` in memory, mutable because reading fixes things up as it goes
(unique labels, participants for sources without a case); `apply` then turns it into the host's frozen
`Content` and adds it in one operation. Entities refer to each other by *keys* of the form ``kind:KEY``
(a GUID, or an id of the exported project); the host gives each key its id in the target project, so
references survive whatever ids the target has already used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wb_interop.fidelity import Fidelity


@dataclass
class Participant:
    key: str
    pseudonym: str
    attributes: dict[str, Any] = field(default_factory=dict)
    status: str = "active"
    preferred_id: str = ""


@dataclass
class Coding:
    code: str  # key "code:..."
    coder: str
    key: str = ""
    created_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # layer, unit, comment, merged_from, ...


@dataclass
class Segment:
    start: int
    end: int
    codings: list[Coding]
    key: str = ""
    flag: str = ""


@dataclass
class Source:
    key: str
    filename: str
    text: str
    participant: str  # key "participant:..."
    segments: list[Segment] = field(default_factory=list)
    turns: list[dict[str, Any]] | None = None
    status: str = ""
    kind: str = "interview"
    importer: str = ""
    speaker_roles: dict[str, str] = field(default_factory=dict)
    speaker_participants: dict[str, str] = field(default_factory=dict)  # label -> participant key
    imported_by: str = ""
    imported_at: str | None = None
    preferred_id: str = ""


@dataclass
class Code:
    key: str
    label: str
    definition: str = ""
    kind: str = "constructed"
    level: str = ""
    parent: str | None = None  # key
    status: str = "active"
    created_by: str = ""
    created_at: str | None = None
    lineage: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    preferred_id: str = ""


@dataclass
class Memo:
    key: str
    title: str
    body: str
    type: str = "analytic"
    links: list[str] = field(default_factory=list)
    author: str = ""
    created_at: str | None = None
    modified_at: str | None = None
    revisions: list[Any] = field(default_factory=list)
    preferred_id: str = ""


@dataclass
class Link:
    key: str
    origin: str
    target: str
    relation: str
    direction: str = "one-way"
    evidence: list[str] = field(default_factory=list)
    memo: str | None = None
    author: str = ""
    created_at: str | None = None
    preferred_id: str = ""


@dataclass
class Group:
    """A set (``kind="set"``) or a cluster (``kind="cluster"``)."""

    key: str
    kind: str
    name: str
    members: list[str]
    description: str = ""
    parent: str | None = None
    techniques: list[str] = field(default_factory=list)
    memo: str | None = None
    author: str = ""
    created_at: str | None = None
    preferred_id: str = ""


@dataclass
class Record:
    key: str
    kind: str
    data: dict[str, Any]
    links: list[str] = field(default_factory=list)
    author: str = ""
    created_at: str | None = None
    modified_at: str | None = None
    preferred_id: str = ""


@dataclass
class Incoming:
    """Everything one import adds, plus what the reader noticed (conversions, unplaced selections)."""

    title: str
    method: str = "none"
    origin: str = ""
    participants: list[Participant] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was converted or adjusted, one line each
    unplaced: list[str] = field(default_factory=list)  # selections that could not be placed, one line each
    fidelity: Fidelity = field(default_factory=Fidelity)  # element by element: converted and dropped
