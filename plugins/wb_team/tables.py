"""The registered tables of team coding and governance (METHODS.md 5.4 and 6.5).

Each builder reads the project and returns `TableData`; ``workbench table DIR NAME`` prints or writes
them in any format and ``workbench export`` records them in the export manifest. The anonymisation log is
deliberately *not* a table: it must never leave the project (GOV-9).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from workbench import TableData

if TYPE_CHECKING:
    from workbench import Project, RegisterTable


def icr_report(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import REPORT_COLUMNS, report_rows

    coefficients = {"yes": True, "no": False}.get(options.get("coefficients", ""))
    rows = report_rows(project, options.get("round") or None, coefficients=coefficients)
    return TableData(
        REPORT_COLUMNS,
        tuple(tuple(str(row[c]) for c in REPORT_COLUMNS) for row in rows),
        title="ICR report",
    )


def icr_disagreements(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import DISAGREEMENT_COLUMNS, disagreement_rows

    rows = disagreement_rows(project, options.get("round") or None)
    return TableData(
        DISAGREEMENT_COLUMNS,
        tuple((f"D{r.number}", r.citation, r.code, r.a, r.b, r.type, r.resolution, r.memo) for r in rows),
        title="Disagreement log",
    )


def icr_changes(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import CHANGE_COLUMNS, codebook_change_rows

    rows = codebook_change_rows(project)
    return TableData(
        CHANGE_COLUMNS,
        tuple(tuple(r[c] for c in CHANGE_COLUMNS) for r in rows),
        title="Codebook changes from ICR",
    )


def coders_table(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import coders

    return TableData(
        ("coder", "name", "initials", "codings", "memos", "layers"),
        tuple(
            (
                c.id,
                c.name,
                c.initials,
                str(c.codings),
                str(c.memos),
                ", ".join(f"{layer} {n}" for layer, n in c.layers.items()),
            )
            for c in coders(project)
        ),
        title="Coders",
    )


def coreq_table(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import COLUMNS, checklist

    return TableData(COLUMNS, tuple(tuple(row) for row in checklist(project)), title="COREQ checklist")


def identifiability_table(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import small_cells

    threshold = options.get("k", "2")
    if not threshold.isdigit() or int(threshold) < 2:
        from workbench import BadInputError

        raise BadInputError("k must be a whole number of at least 2", "--option k")
    rows = small_cells(project, int(threshold))
    return TableData(
        ("attributes", "values", "participants", "warning"),
        tuple((r.attributes, r.values, str(r.count), r.warning) for r in rows),
        title="Small-cell (jigsaw) identifiability check",
    )


def pseudonym_table(project: Project, options: Mapping[str, str]) -> TableData:
    from workbench.team import pseudonym_registry

    return TableData(
        ("participant", "pseudonym", "status", "sources", "warning"),
        tuple(tuple(row) for row in pseudonym_registry(project)),
        title="Pseudonym registry",
    )


def register(register_table: RegisterTable) -> None:
    register_table("icr-report", "ICR report", icr_report, "agreement per code and overall per closed round")
    register_table(
        "icr-disagreements", "Disagreement log", icr_disagreements, "disagreements with type and resolution"
    )
    register_table(
        "icr-codebook-changes", "Codebook changes from ICR", icr_changes, "codes created while adjudicating"
    )
    register_table("team-coders", "Coders", coders_table, "coders, initials and their codings per layer")
    register_table(
        "gov-coreq", "COREQ checklist", coreq_table, "the 32 COREQ items pre-filled from the project"
    )
    register_table(
        "gov-identifiability",
        "Identifiability check",
        identifiability_table,
        "attribute combinations shared by fewer than k participants (option k, default 2)",
    )
    register_table(
        "gov-pseudonyms", "Pseudonym registry", pseudonym_table, "participants, pseudonyms, warnings"
    )
