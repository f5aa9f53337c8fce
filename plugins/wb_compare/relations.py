"""The relation types a mapping between two studies' concepts can have (CMP-4, CMP-6, CMP-13).

A relation is read from A to B: "A ⊃ B" says A's concept is broader than B's. Each has a glyph used by
every view and export (never colour alone) and a family: *shared* relations make the two concepts
counterparts in the shared/unique summary, *refutes* puts them in the refutational register, and
*related* needs a free label saying how they relate.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench import BadInputError, Term


@dataclass(frozen=True)
class Relation:
    id: str
    glyph: str
    title: str
    description: str
    shared: bool  # counts as a counterpart in "shared vs unique" (CMP-4)


RELATIONS: tuple[Relation, ...] = (
    Relation("equivalent", "≡", "equivalent / reciprocal", "the two concepts say the same thing", True),
    Relation("broader", "⊃", "broader than", "A's concept contains B's", True),
    Relation("narrower", "⊂", "narrower than", "A's concept is a part of B's", True),
    Relation("overlap", "∩", "overlapping (partial)", "the concepts share part of their meaning", True),
    Relation(
        "content",
        "≈",
        "content overlap, different level of abstraction",
        "same content, different kind of construct (e.g. a GT process vs an IPA experiential theme)",
        True,
    ),
    Relation("refutes", "✕", "refutes / contradicts", "the concepts contradict each other", False),
    Relation("related", "~", "related (other)", "another relation, named by a free label", False),
)
BY_ID = {r.id: r for r in RELATIONS}
IDS = tuple(BY_ID)
ALIASES = {
    "reciprocal": "equivalent",
    "equals": "equivalent",
    "overlapping": "overlap",
    "contradicts": "refutes",
    "related-other": "related",
    "other": "related",
}


def relation(value: str) -> Relation:
    """A relation by id, alias or glyph; a clear error listing the choices otherwise."""
    key = value.strip().casefold()
    key = ALIASES.get(key, key)
    found = BY_ID.get(key) or next((r for r in RELATIONS if r.glyph == value.strip()), None)
    if found is None:
        raise BadInputError(f"unknown relation {value!r}; use one of {', '.join(IDS)}", "--relation")
    return found


def symbol(relation_id: str, label: str = "") -> str:
    """The glyph and, for "related", its free label: ``~ supports``."""
    rel = BY_ID.get(relation_id)
    glyph = rel.glyph if rel else "?"
    return f"{glyph} {label}".rstrip() if label else glyph


TERMS: tuple[Term, ...] = tuple(Term(r.id, r.title, r.description, r.glyph) for r in RELATIONS)
MEMO_TYPES: tuple[Term, ...] = (
    Term("mapping-rationale", "Mapping rationale", "why two concepts were mapped with this relation"),
    Term("translation", "Translation", "the reviewer's third-order interpretation of a translation"),
    Term("refutation", "Refutation", "the contradiction between two concepts and its possible explanation"),
    Term("synthesis", "Synthesis", "line-of-argument and other synthesis memos"),
    Term("overlap", "Participant overlap", "why a participant-overlap flag was raised or dismissed"),
)
