"""The export manifest (GOV-2b): every file that leaves the project is recorded in it.

Each export, from the command line or the terminal workbench alike, adds one ``export.manifest``
record (so it is audited and travels with the project): what was exported, in which format, to which
files with their sha256 and size, by whom and when, whether it holds participants' words, the options
used, and what the pre-export identifier scan found (GOV-7). An export with small-cell suppression
switched off is recorded in the disclosure log too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.project import Project

MANIFEST_KIND = "export.manifest"
RAW_TEXT = frozenset({"qdpx", "archive", "annotated-transcript", "segments-report", "coded-segments"})
"""Built-in exports that hold participants' words."""
NO_RAW_TEXT = frozenset({"qdc", "codebook", "diagram"})
"""Built-in exports that never do; any other is checked against the transcripts (`holds_words`)."""


def exporter_holds_words(what: str) -> bool:
    """Whether an exporter's files are taken to hold participants' words (unknown ones are)."""
    return what in RAW_TEXT or what not in NO_RAW_TEXT


def holds_words(project: Project, what: str, cells: Sequence[str]) -> bool:
    """Whether a table's cells hold participants' words: named so, or some longer cell is a
    verbatim stretch of a transcript."""
    if what in RAW_TEXT:
        return True
    if what in NO_RAW_TEXT:
        return False
    texts = [project.current_text(s["id"])[1].text for s in project.sources()]
    return any(len(cell) >= 20 and any(cell in text for text in texts) for cell in cells[:2000])


def record_export(
    project: Project,
    what: str,
    fmt: str,
    paths: Sequence[Path],
    raw: bool,
    options: Mapping[str, str],
) -> dict[str, Any]:
    """Add the manifest record of one export (an audited operation); returns the identifier scan."""
    from workbench.core.governance.checks import export_scan
    from workbench.core.governance.disclosure import is_unsuppressed, record_unsuppressed

    written = [p for p in paths if p.is_file()]
    files = [
        {
            "path": str(p.resolve()),
            "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            "bytes": p.stat().st_size,
        }
        for p in written
    ]
    scan = export_scan(project, written)
    project.add_record(
        MANIFEST_KIND,
        {
            "what": what,
            "format": fmt,
            "files": files,
            "who": project.actor,
            "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "contains_raw_text": raw,
            "options": dict(options),
            "identifier_scan": scan,  # GOV-7: what the pre-export scan found
        },
        summary=f"export {what} ({fmt})",
    )
    if is_unsuppressed(options):
        for path in paths:
            record_unsuppressed(project, what, path, options)
    return scan


def scan_line(scan: Mapping[str, object]) -> str:
    """The identifier scan in a few words (``nhs-number ×2, phone ×1``)."""
    found = scan.get("identifiers") or {}
    if isinstance(found, dict):
        return ", ".join(f"{kind} ×{count}" for kind, count in sorted(found.items())) or "some"
    return str(found)
