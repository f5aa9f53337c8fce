"""The independent-audit bundle (IPA-10b): the paper trail from notes to GETs, in one folder or zip.

Smith et al. (2009), after Yin, suggest an auditor follows the chain initial notes → annotated
transcripts → tables of themes → final report. One command writes that chain, per case and across
cases, in the order an auditor reads it, plus the reflexive journal and the event log, with a README
that lists every file. Files are owner-only (0600 in 0700 folders), as everything the workbench writes.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wb_ipa import cases, recurrence, tables, transcript
from wb_ipa.anchors import sources_of_case
from workbench import BadInputError, TableData, docx_bytes, render_markdown

if TYPE_CHECKING:
    from workbench import Project


def _csv(table: TableData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue()


def files(project: Project) -> dict[str, bytes]:
    """Bundle path -> bytes, in reading order."""
    out: dict[str, bytes] = {}

    def add(
        name: str, table: TableData, *, docx: Callable[[], bytes] | None = None, formats: str = "md"
    ) -> None:
        if "md" in formats:
            out[f"{name}.md"] = render_markdown(table).encode("utf-8")
        if "csv" in formats:
            out[f"{name}.csv"] = _csv(table).encode("utf-8")
        if docx is not None:
            out[f"{name}.docx"] = docx()

    add("00-cases", tables.case_table(project, {}))
    for case in cases.all_cases(project):
        if case.status == cases.NOT_STARTED:
            continue
        folder = f"{case.participant}-{case.pseudonym}".replace("/", "_")
        options = {"case": case.participant}
        add(f"{folder}/1-exploratory-notes", tables.notes_table(project, options), formats="md,csv")
        for source in sources_of_case(project, case.participant):
            source_options = {"source": source}
            add(
                f"{folder}/2-annotated-transcript-{source}",
                transcript.table(project, source_options),
                docx=functools.partial(transcript.docx, project, source_options),
            )
        add(
            f"{folder}/3-statements-chronological", tables.statement_table(project, options), formats="md,csv"
        )
        add(f"{folder}/4-clustering-board", tables.board_table(project, options))
        add(f"{folder}/4b-board-snapshots", tables.snapshot_table(project, options))
        pet = tables.pet_table(project, options)
        add(
            f"{folder}/5-pet-table",
            pet,
            docx=functools.partial(docx_bytes, pet, landscape=True),
            formats="md,csv",
        )
    add("cross-case/6-cross-case-board", tables.board_table(project, {}))
    add("cross-case/6b-board-snapshots", tables.snapshot_table(project, {"case": "cross-case"}))
    get_table = tables.get_table(project, {})
    add(
        "cross-case/7-get-table",
        get_table,
        docx=lambda: docx_bytes(get_table, landscape=True),
        formats="md,csv",
    )
    add("cross-case/8-get-by-participant", tables.cell_table(project, {}))
    recurrence_table = recurrence.table(project, {})
    add(
        "cross-case/9-recurrence-table",
        recurrence_table,
        docx=lambda: docx_bytes(recurrence_table),
        formats="md,csv",
    )
    add("cross-case/10-idiographic-check", tables.loss_table(project, {}))
    add("cross-case/11-quotes", tables.quote_table(project, {}), formats="md,csv")
    add("12-reflexive-journal", tables.journal_table(project, {}))
    events = TableData(
        ("Seq", "Time", "Actor", "Action", "Entity"),
        tuple(
            (str(e["seq"]), str(e["time"]), str(e["actor"]), str(e["action"]), str(e.get("entity", "")))
            for e in project.audit_events()
        ),
        "Event log",
    )
    out["13-event-log.csv"] = _csv(events).encode("utf-8")
    readme = [
        f"# Independent-audit bundle: {project.title}",
        "",
        f"Written {datetime.now(UTC).isoformat(timespec='seconds')} by Qualitative Workbench (IPA plugin).",
        "Contains verbatim transcript text (pseudonymised): handle as study data.",
        "Interview schedule versions are not held in the project; add them by hand if the audit needs them.",
        "",
        "Read in this order: per case, notes → annotated transcript → statements → board → PET table; then",
        "cross-case board → GET table → GET × participant → recurrence → idiographic check → quotes.",
        "",
        *(f"- {name}" for name in out),
        "",
    ]
    return {"README.md": "\n".join(readme).encode("utf-8"), **out}


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def replace_private(path: Path, data: bytes) -> None:
    """Write `path` owner-only through a temporary file beside it, so a crash never leaves half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write(temporary, data)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def write(project: Project, destination: Path) -> list[Path]:
    """Write the bundle to a new folder, or to a new ``.zip`` file; refuses to overwrite."""
    if destination.exists():
        raise BadInputError("already exists; choose a new folder or zip name", str(destination))
    bundle = files(project)
    if destination.suffix.lower() == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in bundle.items():
                archive.writestr(name, data)
        _write(destination, buffer.getvalue())
        return [destination]
    written = []
    for name, data in bundle.items():
        path = destination / name
        for folder in reversed([p for p in path.parents if not p.exists()]):
            folder.mkdir(mode=0o700)
        _write(path, data)
        written.append(path)
    return written
