"""The reflexive-TA vocabularies: the six phases, code levels, theme statuses, map relations and memo types.

They are data, not code, so the CLI, the screen, the tables and the validators all speak the same words
(Braun & Clarke 2006, 2021). The store keeps the ids; the labels are what people read.
"""

from __future__ import annotations

from workbench import Term, WorkflowStep

#: The method id: ``workbench new DIR --method rta``.
METHOD = "rta"

#: The six phases, in the order they are first met. Reflexive TA is recursive: a researcher moves back and
#: forth between them, so none is enforced and every one can be revisited.
PHASES: tuple[WorkflowStep, ...] = (
    WorkflowStep(
        "familiarisation",
        "1. Familiarisation",
        "Read and re-read the data; note first impressions (familiarisation notes) and reflexive thoughts.",
        entry="transcripts imported",
        exit="a familiarisation note on each transcript",
        skippable=False,
    ),
    WorkflowStep(
        "coding",
        "2. Coding",
        "Code the whole dataset systematically, semantic and latent codes, as an active interpretation.",
        entry="familiar with the data",
        exit="every transcript coded",
        skippable=False,
    ),
    WorkflowStep(
        "generating",
        "3. Generating initial themes",
        "Cluster codes into candidate themes, each with a central organising concept.",
        entry="codes across the dataset",
        exit="candidate themes with their codes",
        skippable=False,
    ),
    WorkflowStep(
        "reviewing",
        "4. Developing and reviewing themes",
        "Check candidate themes against the coded extracts and the whole dataset; merge, split or discard.",
        entry="candidate themes",
        exit="each kept theme reviewed",
        skippable=False,
    ),
    WorkflowStep(
        "defining",
        "5. Refining, defining and naming themes",
        "Write what each theme is about (its definition) and give it a concise, informative name.",
        entry="reviewed themes",
        exit="every kept theme defined",
        skippable=False,
    ),
    WorkflowStep(
        "writing",
        "6. Writing up",
        "Weave the analytic narrative and vivid extracts into the report.",
        entry="defined themes",
        exit="report drafted",
        skippable=False,
    ),
)
PHASE_IDS = tuple(step.id for step in PHASES)

#: Code levels. "code" is the core's default level for a method it does not know, so it is the semantic one.
LEVELS: tuple[Term, ...] = (
    Term("code", "Semantic code", "captures what is said, on the surface of the data", "○"),
    Term("latent", "Latent code", "captures underlying ideas, assumptions or meanings", "◐"),
)

#: Where a theme is in its development, each with a glyph so the status never depends on colour.
STATUSES: tuple[Term, ...] = (
    Term("candidate", "Candidate theme", "generated from codes; not yet reviewed", "?"),
    Term("reviewed", "Reviewed theme", "checked against its extracts and the whole dataset", "~"),
    Term("defined", "Defined theme", "refined, defined and named", "✓"),
    Term("discarded", "Discarded theme", "set aside in review; kept for the audit trail", "✗"),
)
STATUS_IDS = tuple(term.id for term in STATUSES)
STATUS_GLYPHS = {term.id: term.glyph for term in STATUSES}

#: Edges of the thematic map besides "subtheme of" (which comes from a theme's parent).
RELATIONS: tuple[Term, ...] = (
    Term("subtheme-of", "subtheme of", "a theme that sits under an overarching theme"),
    Term("relates-to", "relates to", "two themes that speak to each other"),
    Term("tension-with", "in tension with", "two themes that pull against each other"),
)
RELATION_IDS = tuple(term.id for term in RELATIONS)

#: Memo types. The reflexivity journal is memos of type "reflexive"; familiarisation notes are their own.
MEMO_TYPES: tuple[Term, ...] = (
    Term("reflexive", "Reflexivity journal", "the researcher's position, assumptions and choices", "R"),
    Term("familiarisation", "Familiarisation note", "first impressions of a transcript (phase 1)", "F"),
    Term("theme", "Theme memo", "thinking about a theme: its boundaries, its story", "T"),
)

#: The ICR policy statement (METHODS.md 5.1), shown by the validator, the phases table and the screen.
NO_COEFFICIENTS = (
    "inter-coder agreement coefficients are not computed for reflexive TA, by design: coding is the "
    "researcher's interpretation, so a kappa would neither validate nor invalidate it (METHODS.md 5.1); "
    "keep a reflexivity journal instead"
)
