"""Mappings between the two studies' concepts (CMP-4), with the method-awareness prompt (CMP-13).

A mapping is a ``cmp.mapping`` record in the workspace: concept A → concept B, a relation (see
`relations`), a required rationale memo (memo type ``mapping-rationale``; changing the rationale edits
the memo, whose old bodies are kept as revisions), evidence quotes from each side as references into the
source projects, a confidence and — for ``refutes`` — the refutation's nature and possible explanation
(CMP-8). Mappings are never deleted: unmapping marks the record ``deleted``. Every create, change and
delete appends to the record's ``history`` (who, when, relation, rationale, reason) and is one audited
operation of the workspace, so the mapping audit trail (METHODS.md 4.3 #8) survives deletion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, NotFoundError, Scrubber

from .relations import BY_ID, Relation, relation, symbol
from .workspace import now

if TYPE_CHECKING:
    from workbench import Project

    from .inventory import Concept
    from .workspace import Comparison

KIND = "cmp.mapping"
CONFIDENCE = ("low", "medium", "high")
FACTORS = ("sample", "setting", "method", "researcher", "other")
KIND_WORDS = {
    "process": "a process category (GT)",
    "experiential": "an experiential theme (IPA)",
    "code": "a code",
}


@dataclass(frozen=True)
class Mapping:
    id: str
    a: str
    b: str
    a_label: str
    b_label: str
    relation: str
    label: str
    rationale_memo: str
    rationale: str
    evidence_a: tuple[str, ...]
    evidence_b: tuple[str, ...]
    confidence: str
    method_note: str
    status: str
    author: str
    created_at: str
    refutation: dict[str, Any] = field(default_factory=dict)
    history: tuple[dict[str, Any], ...] = ()

    @property
    def symbol(self) -> str:
        return symbol(self.relation, self.label)

    @property
    def active(self) -> bool:
        return self.status == "active"


def method_prompt(a: Concept, b: Concept, rel: Relation | None = None) -> str:
    """CMP-13: a reminder when the two concepts are different kinds of construct ("" when they are not)."""
    if a.kind == b.kind or "code" in (a.kind, b.kind):
        return ""
    text = (
        f"A's concept is {KIND_WORDS.get(a.kind, a.kind)}, B's is {KIND_WORDS.get(b.kind, b.kind)}: "
        f"equivalence claims may be about content, not kind"
    )
    if rel is not None and rel.id in ("equivalent", "broader", "narrower"):
        text += "; consider ≈ content (content overlap, different level of abstraction)"
    return text + "."


def _load(project: Project, doc: dict[str, Any]) -> Mapping:
    data = doc["data"]
    memo = project.get("memos", str(data.get("rationale_memo", ""))) or {}
    return Mapping(
        id=doc["id"],
        a=str(data["a"]),
        b=str(data["b"]),
        a_label=str(data.get("a_label", "")),
        b_label=str(data.get("b_label", "")),
        relation=str(data["relation"]),
        label=str(data.get("label", "")),
        rationale_memo=str(data.get("rationale_memo", "")),
        rationale=str(memo.get("body", "")),
        evidence_a=tuple(str(e) for e in data.get("evidence_a", [])),
        evidence_b=tuple(str(e) for e in data.get("evidence_b", [])),
        confidence=str(data.get("confidence", "")),
        method_note=str(data.get("method_note", "")),
        status=str(data.get("status", "active")),
        author=str(doc.get("author", "")),
        created_at=str(doc.get("created_at", "")),
        refutation=dict(data.get("refutation") or {}),
        history=tuple(data.get("history", [])),
    )


def all_mappings(project: Project, *, include_deleted: bool = False) -> list[Mapping]:
    found = [_load(project, doc) for doc in project.records(KIND)]
    return [m for m in found if include_deleted or m.active]


def get(project: Project, mapping_id: str) -> Mapping:
    doc = project.record(mapping_id)
    if doc["kind"] != KIND:
        raise BadInputError(f"{mapping_id} is not a mapping", "MAPPING")
    return _load(project, doc)


def between(project: Project, a_id: str, b_id: str) -> Mapping | None:
    return next((m for m in all_mappings(project) if m.a == a_id and m.b == b_id), None)


def _evidence(concept: Concept, picks: Sequence[int] | None) -> list[str]:
    """Quote references chosen by number (1 = the concept's first exemplar); default: its first quote."""
    if picks is None:
        return [concept.quotes[0].ref] if concept.quotes else []
    out = []
    for number in picks:
        if not 1 <= number <= len(concept.quotes):
            raise BadInputError(
                f"{concept.label!r} has {len(concept.quotes)} quotes; there is no quote {number}",
                "--evidence",
            )
        out.append(concept.quotes[number - 1].ref)
    return out


def _check(rel: Relation, rationale: str, label: str, confidence: str) -> None:
    if not rationale.strip():
        raise BadInputError("a mapping needs a rationale (why these concepts relate this way)", "--rationale")
    if rel.id == "related" and not label.strip():
        raise BadInputError("a 'related' mapping needs --label naming the relation", "--label")
    if confidence not in CONFIDENCE:
        raise BadInputError(f"confidence must be one of {', '.join(CONFIDENCE)}", "--confidence")


def map_concepts(
    comparison: Comparison,
    a_ref: str,
    b_ref: str,
    relation_name: str,
    rationale: str,
    *,
    label: str = "",
    evidence_a: Sequence[int] | None = None,
    evidence_b: Sequence[int] | None = None,
    confidence: str = "medium",
    explanation: str = "",
) -> tuple[Mapping, bool]:
    """Map A's concept to B's, or change the existing mapping of that pair; returns (mapping, created)."""
    rel = relation(relation_name)
    _check(rel, rationale, label, confidence)
    a, b = _copied(comparison.concept(a_ref, "A")), _copied(comparison.concept(b_ref, "B"))
    if a.side != "A" or b.side != "B":
        raise BadInputError("map a concept of study A to a concept of study B, in that order", "CONCEPT")
    project = comparison.workspace
    existing = between(project, a.id, b.id)
    note = method_prompt(a, b, rel)
    entry: dict[str, Any] = {
        "at": now(),
        "by": project.actor,
        "relation": rel.id,
        "label": label.strip(),
        "rationale": rationale.strip(),
    }
    refutation = (
        {"nature": "", "explanation": explanation.strip(), "factors": []} if rel.id == "refutes" else {}
    )
    if existing is None:
        memo = project.write_memo(
            f"Mapping: {a.label} {symbol(rel.id, label)} {b.label}",
            rationale.strip(),
            memo_type="mapping-rationale",
        )
        data = {
            "a": a.id,
            "b": b.id,
            "a_label": a.label,
            "b_label": b.label,
            "relation": rel.id,
            "label": label.strip(),
            "rationale_memo": memo,
            "evidence_a": _evidence(a, evidence_a),
            "evidence_b": _evidence(b, evidence_b),
            "confidence": confidence,
            "method_note": note,
            "status": "active",
            "refutation": refutation,
            "history": [{**entry, "event": "create"}],
        }
        record = project.add_record(
            KIND, data, links=[f"memo:{memo}"], summary=f"map {a.id} {symbol(rel.id, label)} {b.id}"
        )
        return get(project, record), True
    doc = project.record(existing.id)
    data = dict(doc["data"])
    if rationale.strip() != existing.rationale.strip():
        project.edit_memo(existing.rationale_memo, rationale.strip())
    data.update(
        relation=rel.id,
        label=label.strip(),
        confidence=confidence,
        method_note=note,
        a_label=a.label,
        b_label=b.label,
        history=[*data.get("history", []), {**entry, "event": "change", "previous": existing.symbol}],
    )
    if evidence_a is not None:
        data["evidence_a"] = _evidence(a, evidence_a)
    if evidence_b is not None:
        data["evidence_b"] = _evidence(b, evidence_b)
    if rel.id == "refutes":
        kept = dict(existing.refutation) or {"nature": "", "explanation": "", "factors": []}
        if explanation.strip():
            kept["explanation"] = explanation.strip()
        data["refutation"] = kept
    else:
        data["refutation"] = {}
    project.update_record(
        existing.id,
        data,
        summary=f"change mapping {existing.id}: {existing.symbol} → {symbol(rel.id, label)}",
    )
    return get(project, existing.id), False


def _mapping_of(comparison: Comparison, ref: str, b_ref: str | None) -> Mapping:
    """A mapping by record id (R7), or by its two concepts."""
    project = comparison.workspace
    if b_ref is None:
        found = get(project, ref)
        if not found.active:
            raise NotFoundError(f"mapping {ref} was deleted", "MAPPING")
        return found
    a = comparison.concept(ref, "A")
    b = comparison.concept(b_ref, "B")
    found_pair = between(project, a.id, b.id)
    if found_pair is None:
        raise NotFoundError(f"{a.label!r} and {b.label!r} are not mapped", "CONCEPT")
    return found_pair


def unmap(comparison: Comparison, ref: str, b_ref: str | None = None, *, reason: str = "") -> Mapping:
    """Delete a mapping: it is marked deleted (with who, when and why), never erased."""
    found = _mapping_of(comparison, ref, b_ref)
    project = comparison.workspace
    data = dict(project.record(found.id)["data"])
    data["status"] = "deleted"
    data["history"] = [
        *data.get("history", []),
        {
            "event": "delete",
            "at": now(),
            "by": project.actor,
            "relation": found.relation,
            "label": found.label,
            "rationale": reason.strip(),
        },
    ]
    project.update_record(
        found.id, data, summary=f"delete mapping {found.id} ({found.a} {found.symbol} {found.b})"
    )
    return get(project, found.id)


def refute(
    comparison: Comparison,
    ref: str,
    b_ref: str | None = None,
    *,
    explanation: str,
    nature: str = "",
    factors: Sequence[str] = (),
) -> Mapping:
    """Fill in a refutation's nature and its required possible explanation (CMP-8)."""
    found = _mapping_of(comparison, ref, b_ref)
    if found.relation != "refutes":
        raise BadInputError(f"mapping {found.id} is {found.symbol}, not ✕ refutes", "MAPPING")
    if not explanation.strip():
        raise BadInputError("a refutation needs a possible explanation", "--explanation")
    unknown = [f for f in factors if f not in FACTORS]
    if unknown:
        raise BadInputError(f"unknown factor {', '.join(unknown)}; use {', '.join(FACTORS)}", "--factor")
    project = comparison.workspace
    data = dict(project.record(found.id)["data"])
    data["refutation"] = {
        "nature": nature.strip() or str(found.refutation.get("nature", "")),
        "explanation": explanation.strip(),
        "factors": sorted(set(factors)),
    }
    data["history"] = [
        *data.get("history", []),
        {
            "event": "explain",
            "at": now(),
            "by": project.actor,
            "relation": found.relation,
            "label": found.label,
            "rationale": explanation.strip(),
        },
    ]
    project.update_record(found.id, data, summary=f"explain refutation {found.id}")
    return get(project, found.id)


def counterparts(project: Project, concept_id: str) -> list[tuple[str, Mapping]]:
    """(other concept id, mapping) for every active mapping of a concept."""
    out = []
    for m in all_mappings(project):
        if m.a == concept_id:
            out.append((m.b, m))
        elif m.b == concept_id:
            out.append((m.a, m))
    return out


def relation_of(mapping: Mapping) -> Relation:
    return BY_ID[mapping.relation]


def _copied(concept: Concept) -> Concept:
    """A study's concept as a mapping stores a copy of its label: under the input policy, cleaned.

    The label belongs to the study (whose own `workbench check` reports an unsafe one); the mapping
    must not be refused for it.
    """
    label = Scrubber().text(concept.label, concept.id, lines=False)
    return concept if label is concept.label else replace(concept, label=label)
