"""The GT artefacts of METHODS.md 2.4 as registered tables (``workbench table DIR gt-...``).

Each is exportable as text, CSV, JSON, Markdown and DOCX by the core table command and the TUI's
Outputs view; this module only names them and adapts builders that take no options.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from workbench import Project, RegisterTable, TableData

from . import (
    categories,
    codebook,
    collection,
    comparison,
    focused,
    memos,
    progress,
    relations,
    sampling,
    saturation,
)


def _plain(build: Callable[[Project], TableData]) -> Callable[[Project, Mapping[str, str]], TableData]:
    def table(project: Project, options: Mapping[str, str]) -> TableData:
        return build(project)

    table.__doc__ = build.__doc__
    return table


def guides_table(project: Project) -> TableData:
    rows = tuple(
        (
            r["data"]["version"],
            r["data"].get("date") or r["created_at"][:10],
            r["data"].get("previous") or "—",
            r["data"].get("changes") or "—",
            str(len(r["data"]["text"].split())),
            r["data"]["text"],
        )
        for r in collection.guides(project)
    )
    return TableData(
        ("Version", "Date", "Previous", "Changes", "Words", "Guide"), rows, "Interview guide versions"
    )


def steps_table(project: Project) -> TableData:
    rows = tuple((s.id, s.title, s.status) for s in progress.steps(project))
    checks = tuple(("✓" if ok else "✗", text, "") for ok, text in progress.checklist(project))
    return TableData(("Step / check", "Title", "Status"), rows + checks, "GT workflow and checklist")


TABLES: tuple[tuple[str, str, Callable[[Project, Mapping[str, str]], TableData], str], ...] = (
    (
        "gt-codebook",
        "Codebook with definitions",
        codebook.codebook_table,
        "codes and categories with level, kind, definition, properties, first appearance, counts, example; "
        "option snapshot=B3 for a frozen codebook",
    ),
    (
        "gt-lineage",
        "Code lineage (initial → focused → category)",
        _plain(focused.lineage_table),
        "which initial codes, and which of their segments, each focused code came from",
    ),
    (
        "gt-categories",
        "Category hierarchy",
        _plain(categories.hierarchy_table),
        "core → categories → subcategories → codes with definitions and participants",
    ),
    (
        "gt-properties",
        "Properties and dimensions",
        _plain(categories.properties_table),
        "category | property | dimension low ↔ high | participants located | memo",
    ),
    (
        "gt-dimensional-profile",
        "Dimensional profile",
        _plain(categories.dimensional_profile),
        "where each participant's incidents sit on each property",
    ),
    (
        "gt-paradigm",
        "Paradigm model",
        relations.paradigm_table,
        "per phenomenon: conditions | actions/interactions | consequences (option mode=1990: older slots)",
    ),
    (
        "gt-relations",
        "Relations between categories",
        _plain(relations.relations_table),
        "from | relation type | to | evidence | memo (the edges of the diagram)",
    ),
    (
        "gt-sampling-log",
        "Data collection and theoretical sampling log",
        _plain(sampling.log_table),
        "per interview: date, duration, guide, why sampled, coded before the next?, new codes and properties",
    ),
    (
        "gt-sampling",
        "Theoretical sampling decisions",
        _plain(sampling.decisions_table),
        "why the next interview, which category it is meant to develop",
    ),
    (
        "gt-saturation",
        "Saturation evidence",
        saturation.saturation_table,
        "new codes per interview, cumulative, new focused codes, categories, properties, % new; "
        "options base=, run=, threshold=",
    ),
    (
        "gt-category-saturation",
        "Category saturation",
        _plain(saturation.category_table),
        "per category: status, justification memo, participants, properties",
    ),
    (
        "gt-memo-trail",
        "Memo audit trail",
        _plain(memos.trail),
        "date | memo | type | title | linked entities | stage | words",
    ),
    (
        "gt-codebook-evolution",
        "Codebook evolution",
        _plain(codebook.evolution_table),
        "changes between snapshots: added, renamed, merged, split, retired, level, moved",
    ),
    (
        "gt-comparison",
        "Constant comparison",
        comparison.incidents_table,
        "a code's segments across participants with citations; options code= (required), context=, sort=",
    ),
    (
        "gt-side-by-side",
        "Side-by-side comparison",
        comparison.side_by_side_table,
        "two codes (or a segment and a code) per participant; options left=, right=",
    ),
    ("gt-guides", "Interview guide versions", _plain(guides_table), "the versioned interview guide"),
    (
        "gt-steps",
        "GT workflow and checklist",
        _plain(steps_table),
        "the active profile's steps and checklist",
    ),
)


def register(register_table: RegisterTable) -> None:
    for name, title, build, description in TABLES:
        register_table(name, title, build, description)
