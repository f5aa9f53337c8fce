"""The grounded-theory vocabularies: code levels, relation types, memo types and analysis stages.

They are data, not code, so the TUI, the CLI, the validators and the tables all speak the same words, and
a profile (see `profiles`) can rename a level without the store changing: the store keeps the term ids.
"""

from __future__ import annotations

from workbench import Term

#: Code levels, lowest first (METHODS.md 10.1 item 1). A focused code is a code at level "focused"; a
#: category is a code at level "category" (its subcategories at "subcategory"), the core category "core".
LEVELS: tuple[Term, ...] = (
    Term("initial", "Initial code", "first-pass code: line by line or incident by incident", "○"),
    Term("focused", "Focused code", "a significant initial code raised to test against more data", "◇"),
    Term("subcategory", "Subcategory", "a part of a category", "□"),
    Term("category", "Category", "a concept with properties and dimensions", "■"),
    Term("core", "Core category", "the category every major category relates to", "★"),
)
LEVEL_IDS = tuple(term.id for term in LEVELS)
CATEGORY_LEVELS = ("subcategory", "category", "core")
GLYPHS = {term.id: term.glyph for term in LEVELS}

#: Paradigm slots (GT-8a): 1990/1998 terms and the collapsed 2008/2015 "conditions".
PARADIGM_1990 = (
    "causal-conditions",
    "context",
    "intervening-conditions",
    "actions-interactions",
    "consequences",
)
PARADIGM_2008 = ("conditions", "actions-interactions", "consequences")
PARADIGM_SLOTS = tuple(dict.fromkeys((*PARADIGM_1990, *PARADIGM_2008)))
SLOT_TITLES = {
    "causal-conditions": "Causal conditions",
    "context": "Context",
    "intervening-conditions": "Intervening conditions",
    "conditions": "Conditions",
    "actions-interactions": "Actions/interactions",
    "consequences": "Consequences",
}

#: Glaser's theoretical coding families (GT-9), usable as relation types in every profile.
CODING_FAMILIES: tuple[tuple[str, str], ...] = (
    ("causes", "Six Cs: causes"),
    ("contexts", "Six Cs: contexts"),
    ("contingencies", "Six Cs: contingencies"),
    ("covariances", "Six Cs: covariances"),
    ("process", "process: stages, phases, trajectories"),
    ("degree", "degree: extent, level, intensity"),
    ("dimension", "dimension: parts, aspects, sectors"),
    ("type", "type: kinds, forms, styles"),
    ("strategy", "strategy: tactics, techniques, means"),
    ("interactive", "interactive: mutual effects, reciprocity"),
    ("identity-self", "identity-self: self-image, transformations of self"),
    ("cutting-point", "cutting point: boundaries, turning points"),
    ("means-goal", "means-goal: ends, purposes, products"),
    ("cultural", "cultural: norms, values, beliefs"),
    ("consensus", "consensus: agreements, conformity"),
    ("relates-to", "relates to (unspecified)"),
)

RELATIONS: tuple[Term, ...] = (
    *(Term(slot, SLOT_TITLES[slot], "paradigm slot (Strauss & Corbin)", "→") for slot in PARADIGM_SLOTS),
    *(Term(ident, label, "theoretical coding family (Glaser 1978)", "~") for ident, label in CODING_FAMILIES),
)
RELATION_IDS = tuple(term.id for term in RELATIONS)

#: Memo types (GT-5) with the stage a memo of that type belongs to when nobody said otherwise.
MEMO_TYPES: tuple[Term, ...] = (
    Term("reflexive", "Reflexive memo", "the researcher's position and its influence", "R"),
    Term("sensitising-concepts", "Sensitising concepts", "concepts and reading brought to the study", "S"),
    Term("code-note", "Code note", "a question or clue about a code, written while coding", "N"),
    Term("code", "Code memo", "a memo written on a coding", "N"),
    Term("comparison", "Comparison memo", "what comparing incidents, codes or categories showed", "C"),
    Term("focused", "Focused-coding memo", "why these codes were raised to focused codes", "F"),
    Term("theoretical", "Theoretical memo", "about categories and how they relate", "T"),
    Term("methodological", "Methodological memo", "what to do next and why; skipped steps", "O"),
    Term("sampling", "Sampling memo", "why the next interview, to develop which category", "P"),
    Term("saturation", "Saturation memo", "why a category, or the study, is judged saturated", "Z"),
    Term("diagram", "Diagram memo", "a memo attached to a diagram version", "D"),
    Term("storyline", "Storyline memo", "the integrating story around the core category", "Y"),
    Term("sort", "Sort memo", "about the ordering of memos", "O"),
)
MEMO_TYPE_IDS = tuple(term.id for term in MEMO_TYPES)

#: Analysis stages in order; the memo trail sorts by date, then by stage.
STAGES = ("set-up", "initial", "focused", "theoretical")
TYPE_STAGE = {
    "reflexive": "set-up",
    "sensitising-concepts": "set-up",
    "code-note": "initial",
    "code": "initial",
    "focused": "focused",
    "theoretical": "theoretical",
    "storyline": "theoretical",
    "diagram": "theoretical",
    "saturation": "theoretical",
    "sort": "theoretical",
}

#: A category's saturation status (GT-12a); each needs a justification memo.
SATURATION_STATUSES = ("developing", "nearly saturated", "saturated")
