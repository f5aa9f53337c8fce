"""Candidate themes, each built around a central organising concept, stored as ``rta.theme`` plugin records.

Braun & Clarke distinguish a theme (a pattern of shared meaning held together by a central organising
concept) from a topic summary, so a theme cannot be created without its concept. A theme's codes are core
codes, kept as the record's links (``code:C1``), so ``workbench check`` verifies them and the extracts come
from the core's coded segments with their citations. Its overarching theme and related themes are links
too (``record:R3``). Nothing is ever deleted: a theme set aside in review is *discarded*, which keeps the
development of the analysis visible in the audit trail.

Record data: ``name``, ``concept``, ``status`` (`vocab.STATUS_IDS`), ``definition``, ``parent`` (record id
or ""), ``related`` (``[{"relation": ..., "theme": record id}]``) and ``names`` (earlier names, oldest
first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench import BadInputError, NotFoundError, Project

from .vocab import RELATION_IDS, STATUS_GLYPHS, STATUS_IDS

KIND = "rta.theme"


@dataclass(frozen=True)
class Theme:
    """One theme as the shells show it; `codes` are core code ids, `related` (relation, theme id) pairs."""

    id: str
    name: str
    concept: str
    status: str
    definition: str
    parent: str
    codes: tuple[str, ...]
    related: tuple[tuple[str, str], ...]
    names: tuple[str, ...]

    @property
    def glyph(self) -> str:
        return STATUS_GLYPHS.get(self.status, "·")

    @classmethod
    def from_record(cls, doc: dict[str, Any]) -> Theme:
        data = doc["data"]
        return cls(
            id=str(doc["id"]),
            name=str(data["name"]),
            concept=str(data.get("concept", "")),
            status=str(data.get("status", "candidate")),
            definition=str(data.get("definition", "")),
            parent=str(data.get("parent", "")),
            codes=tuple(ref.partition(":")[2] for ref in doc["links"] if ref.startswith("code:")),
            related=tuple((str(r["relation"]), str(r["theme"])) for r in data.get("related", [])),
            names=tuple(str(n) for n in data.get("names", [])),
        )


@dataclass(frozen=True)
class ThemeChange:
    """What to change on a theme; None (or empty) leaves that part as it is."""

    name: str | None = None
    concept: str | None = None
    status: str | None = None
    definition: str | None = None
    parent: str | None = None  # a theme name or id; "" makes it a top-level theme
    add_codes: Sequence[str] = ()
    drop_codes: Sequence[str] = ()
    relate: Sequence[tuple[str, str]] = ()  # (relation id, theme name or id)


def themes(project: Project, *, include_discarded: bool = True) -> list[Theme]:
    """Every theme, overarching themes before their subthemes, then oldest first."""
    found = [Theme.from_record(doc) for doc in project.records(KIND)]
    if not include_discarded:
        found = [t for t in found if t.status != "discarded"]
    by_parent: dict[str, list[Theme]] = {}
    ids = {t.id for t in found}
    for theme in found:
        by_parent.setdefault(theme.parent if theme.parent in ids else "", []).append(theme)
    ordered: list[Theme] = []

    def walk(parent: str) -> None:
        for theme in by_parent.get(parent, []):
            ordered.append(theme)
            walk(theme.id)

    walk("")
    return ordered


def find_theme(project: Project, ref: str) -> Theme:
    """A theme by record id (``R3``) or by name (exact, then case-insensitive)."""
    ref = ref.strip()
    every = themes(project)
    for theme in every:
        if theme.id == ref.removeprefix("record:") or theme.name == ref:
            return theme
    folded = [t for t in every if t.name.casefold() == ref.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise NotFoundError(f"no theme {ref!r} (see `workbench rta theme DIR`)", "THEME")


def _code_id(project: Project, label: str) -> str:
    code = project.find_code(label)
    if code is None:
        raise NotFoundError(f"no active code {label!r} (see `workbench codes DIR`)", "--code")
    return str(code["id"])


def _check_name(project: Project, name: str, own_id: str = "") -> str:
    name = " ".join(name.split())
    if not name:
        raise BadInputError("a theme needs a name", "NAME")
    for theme in themes(project):
        if theme.id != own_id and theme.name.casefold() == name.casefold():
            raise BadInputError(f"a theme named {theme.name!r} already exists ({theme.id})", "NAME")
    return name


def _check_concept(concept: str) -> str:
    concept = " ".join(concept.split())
    if not concept:
        raise BadInputError(
            "a theme needs a central organising concept (--concept): the idea that holds it together, "
            "not only its topic",
            "--concept",
        )
    return concept


def _links(data: dict[str, Any], codes: Iterable[str]) -> list[str]:
    refs = [f"code:{c}" for c in codes]
    if data.get("parent"):
        refs.append(f"record:{data['parent']}")
    refs.extend(f"record:{r['theme']}" for r in data.get("related", []) if f"record:{r['theme']}" not in refs)
    return refs


def add_theme(
    project: Project,
    name: str,
    concept: str,
    *,
    codes: Sequence[str] = (),
    parent: str | None = None,
) -> str:
    """Create a candidate theme (phase 3) from codes; returns its record id."""
    clean_name = _check_name(project, name)
    data: dict[str, Any] = {
        "name": clean_name,
        "concept": _check_concept(concept),
        "status": "candidate",
        "definition": "",
        "parent": find_theme(project, parent).id if parent else "",
        "related": [],
        "names": [],
    }
    code_ids = list(dict.fromkeys(_code_id(project, label) for label in codes))
    return project.add_record(
        KIND, data, links=_links(data, code_ids), summary=f"candidate theme {clean_name!r}"
    )


def change_theme(project: Project, ref: str, change: ThemeChange) -> Theme:
    """Apply `change` to a theme as one undoable operation; every check runs before anything changes."""
    theme = find_theme(project, ref)
    doc = project.record(theme.id)
    data = dict(doc["data"])
    codes = list(theme.codes)
    if change.name is not None:
        new_name = _check_name(project, change.name, theme.id)
        if new_name != theme.name:
            data["names"] = [*theme.names, theme.name]
            data["name"] = new_name
    if change.concept is not None:
        data["concept"] = _check_concept(change.concept)
    if change.definition is not None:
        data["definition"] = change.definition.strip()
    if change.parent is not None:
        data["parent"] = _parent_id(project, theme, change.parent)
    for label in change.add_codes:
        code_id = _code_id(project, label)
        if code_id not in codes:
            codes.append(code_id)
    for label in change.drop_codes:
        code_id = _code_id(project, label)
        if code_id not in codes:
            raise BadInputError(f"code {label!r} is not part of theme {theme.name!r}", "--drop-code")
        codes.remove(code_id)
    related = list(data.get("related", []))
    for relation, other_ref in change.relate:
        if relation not in RELATION_IDS or relation == "subtheme-of":
            usable = ", ".join(r for r in RELATION_IDS if r != "subtheme-of")
            raise BadInputError(f"unknown map relation {relation!r}; use {usable} (or --under)", "--relate")
        other = find_theme(project, other_ref)
        if other.id == theme.id:
            raise BadInputError("a theme cannot relate to itself", "--relate")
        entry = {"relation": relation, "theme": other.id}
        if entry not in related:
            related.append(entry)
    data["related"] = related
    if change.status is not None:
        if change.status not in STATUS_IDS:
            raise BadInputError(
                f"unknown theme status {change.status!r}; use one of {', '.join(STATUS_IDS)}", "--status"
            )
        if change.status == "defined" and not data.get("definition"):
            raise BadInputError(
                f"define theme {data['name']!r} before marking it defined (--definition TEXT)", "--status"
            )
        data["status"] = change.status
    project.update_record(theme.id, data, links=_links(data, codes), summary=f"change theme {data['name']!r}")
    return find_theme(project, theme.id)


def _parent_id(project: Project, theme: Theme, parent_ref: str) -> str:
    if not parent_ref.strip():
        return ""
    parent = find_theme(project, parent_ref)
    ancestor: Theme | None = parent
    while ancestor is not None:
        if ancestor.id == theme.id:
            raise BadInputError(
                f"theme {theme.name!r} cannot sit under itself or its own subtheme", "--under"
            )
        ancestor = find_theme(project, ancestor.parent) if ancestor.parent else None
    return parent.id


def code_labels(project: Project, theme: Theme) -> list[str]:
    """The labels of a theme's codes, in the order they were added (codes since retired are skipped)."""
    labels: list[str] = []
    for code_id in theme.codes:
        code = project.get("codes", code_id)
        if code is not None:
            labels.append(str(code["label"]))
    return labels


@dataclass(frozen=True)
class Extract:
    """One coded extract supporting a theme, in the core's quotation form with its citation."""

    code: str
    text: str
    citation: str
    participant: str
    segment: str
    source: str
    start: int


def extracts(project: Project, theme: Theme, limit: int | None = None) -> list[Extract]:
    """The coded extracts of a theme's codes, one per segment, by participant; at most `limit` of them."""
    found: list[Extract] = []
    seen: set[str] = set()
    for label in code_labels(project, theme):
        for segment in project.coded_segments(label, extracts=True):
            if segment.segment_id in seen:
                continue
            seen.add(segment.segment_id)
            found.append(
                Extract(
                    code=label,
                    text=" ".join((segment.extract or segment.text).split()),
                    citation=segment.citation,
                    participant=segment.participant,
                    segment=segment.segment_id,
                    source=segment.source,
                    start=segment.start,
                )
            )
    found.sort(key=lambda e: (e.participant, e.source, e.start))
    return found if limit is None else found[:limit]
