"""Small cells shown on purpose: a matrix written to a file with suppression off is audited.

Matrices suppress cells of fewer than K participants (`workbench.core.matrix.displayed`). A researcher
may need the raw counts (for a supervisor, or a table they will suppress by hand), so ``suppress=off``
is allowed, but a file holding them leaves the project, so who wrote which file with which options is
recorded as its own audited record, beside the export manifest entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.core.project import Project

__all__ = ["KIND", "is_unsuppressed", "record_unsuppressed"]

KIND = "governance.unsuppressed"


def is_unsuppressed(options: Mapping[str, str]) -> bool:
    return options.get("suppress", "").strip().lower() in ("off", "no")


def record_unsuppressed(project: Project, table: str, path: Path, options: Mapping[str, str]) -> str:
    """The audited record of one unsuppressed matrix file; returns its id."""
    return project.add_record(
        KIND,
        {
            "table": table,
            "file": str(path.resolve()),
            "options": dict(options),
            "who": project.actor,
            "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        summary=f"wrote table {table} with small cells shown (suppress=off) to {path.name}",
    )
