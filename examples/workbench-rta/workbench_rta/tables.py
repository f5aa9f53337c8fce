"""The reflexive-TA tables (``workbench table DIR rta-...``), exported by the core like every other table.

* ``rta-themes``: each theme with its central organising concept, definition and supporting extracts with
  their citations (options: ``extracts=N`` per theme, default 3, or ``all``; ``status=candidate|...|all``,
  default every theme not discarded).
* ``rta-journal``: the reflexivity journal.
* ``rta-phases``: the six phases with status and evidence, and the ICR policy row (no coefficients).
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench import BadInputError, Project, RegisterTable, TableData

from . import journal, phases
from .themes import extracts as theme_extracts
from .themes import themes
from .vocab import NO_COEFFICIENTS, STATUS_IDS


def _limit(options: Mapping[str, str]) -> int | None:
    raw = options.get("extracts", "3").strip()
    if raw == "all":
        return None
    if not raw.isdigit():
        raise BadInputError(f"extracts must be a whole number or 'all', not {raw!r}", "--option extracts")
    return int(raw)


def themes_table(project: Project, options: Mapping[str, str]) -> TableData:
    """One row per supporting extract (a theme without extracts still gets one row)."""
    limit = _limit(options)
    wanted = options.get("status", "").strip()
    if wanted and wanted != "all" and wanted not in STATUS_IDS:
        raise BadInputError(
            f"unknown status {wanted!r}; use one of {', '.join(STATUS_IDS)} or all", "--option status"
        )
    every = themes(project)
    names = {t.id: t.name for t in every}
    rows: list[tuple[str, ...]] = []
    for theme in every:
        if wanted == "" and theme.status == "discarded":
            continue
        if wanted not in ("", "all") and theme.status != wanted:
            continue
        name = f"{names[theme.parent]} › {theme.name}" if theme.parent in names else theme.name
        head = (name, f"{theme.glyph} {theme.status}", theme.concept, theme.definition)
        found = theme_extracts(project, theme, limit)
        if not found:
            rows.append((*head, "", "", ""))
        for extract in found:
            rows.append((*head, extract.code, extract.text, extract.citation))
    return TableData(
        ("Theme", "Status", "Central organising concept", "Definition", "Code", "Extract", "Citation"),
        tuple(rows),
        "Themes with extracts",
    )


def journal_table(project: Project, options: Mapping[str, str]) -> TableData:
    rows = tuple(
        (memo["created_at"][:10], memo["id"], memo["title"], memo["body"], ", ".join(memo["links"]))
        for memo in journal.entries(project)
    )
    return TableData(("Date", "Memo", "Title", "Entry", "Links"), rows, "Reflexivity journal")


def phases_table(project: Project, options: Mapping[str, str]) -> TableData:
    rows = [(p.step.title, p.status, p.evidence) for p in phases.progress(project)]
    rows.append(("Inter-coder agreement", "not computed", NO_COEFFICIENTS))
    return TableData(("Phase", "Status", "Evidence"), tuple(rows), "Reflexive TA phases")


def register_all(register: RegisterTable) -> None:
    register(
        "rta-themes",
        "Themes with extracts",
        themes_table,
        "themes, central organising concepts, definitions, extracts and citations "
        "(options: extracts=N|all, status=...|all)",
    )
    register(
        "rta-journal", "Reflexivity journal", journal_table, "the reflexive journal entries, oldest first"
    )
    register("rta-phases", "Reflexive TA phases", phases_table, "the six phases, their evidence, ICR policy")
