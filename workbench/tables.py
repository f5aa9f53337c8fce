"""Render a `TableData` the way a thesis needs it: plain text, CSV, Markdown, JSON or a Word table.

Every registered table (codebook, PET table, saturation grid, ...) goes through these functions, so a
method plugin only builds rows and gets all formats; plugins with a special layout (the IPA annotated
transcript) call `write_docx_table` with their own column widths.

Files are written atomically and readable by the owner only, like everything else the workbench writes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.store.fsutil import atomic_write_bytes
from workbench.registry import TableData

FORMATS = ("text", "json", "csv", "md", "docx")
_SUFFIX = {".txt": "text", ".json": "json", ".csv": "csv", ".md": "md", ".docx": "docx"}


def format_for(path: Path | None, requested: str | None) -> str:
    """The explicit format, else the one the output file's extension names, else plain text."""
    if requested:
        if requested not in FORMATS:
            raise BadInputError(f"unknown table format {requested!r}; use {', '.join(FORMATS)}", "--format")
        return requested
    if path is not None:
        found = _SUFFIX.get(path.suffix.lower())
        if found is None:
            raise BadInputError(
                f"cannot tell the format from {path.name!r}; add --format ({', '.join(FORMATS)})", "--output"
            )
        return found
    return "text"


def render_text(table: TableData) -> str:
    """Columns padded to their widest cell, for the terminal (multi-line cells are flattened)."""
    rows = [[_one_line(cell) for cell in row] for row in table.rows]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(table.columns)]
    lines = [table.title] if table.title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip())
    lines.extend("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    return "\n".join(lines) + "\n"


def render_csv(table: TableData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue()


def render_json(table: TableData) -> str:
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render_markdown(table: TableData) -> str:
    """A GitHub/pandoc pipe table; pipes are escaped and line breaks become ``<br>``."""

    def cell(value: str) -> str:
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")

    lines = [f"## {table.title}", ""] if table.title else []
    lines.append("| " + " | ".join(cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows)
    return "\n".join(lines) + "\n"


def docx_bytes(
    table: TableData, *, widths_cm: Sequence[float] | None = None, landscape: bool = False
) -> bytes:
    """A Word document holding the table under its title, header row repeated on every page."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if table.title:
        document.add_heading(table.title, level=2)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    # Repeat the header row at the top of each page, as thesis tables that run over pages must.
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            parts = value.split("\n")
            cell.text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    for paragraph_cell in (c for r in grid.rows for c in r.cells):
        for paragraph in paragraph_cell.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(10)
    if widths_cm:
        for row_ in grid.rows:
            for cell, width in zip(row_.cells, widths_cm, strict=False):
                cell.width = Cm(width)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(table: TableData, fmt: str) -> str:
    """Any text format (everything but docx)."""
    renderers = {"text": render_text, "csv": render_csv, "json": render_json, "md": render_markdown}
    if fmt not in renderers:
        raise BadInputError(f"format {fmt!r} is written to a file; give --output FILE", "--format")
    return renderers[fmt](table)


def write_table(table: TableData, path: Path, fmt: str | None = None) -> Path:
    """Write `table` to `path` in `fmt` (or the format its extension names), atomically, owner-only."""
    chosen = format_for(path, fmt)
    data = docx_bytes(table) if chosen == "docx" else render(table, chosen).encode("utf-8")
    atomic_write_bytes(path, data)
    return path


def _one_line(value: str) -> str:
    return " / ".join(part for part in value.splitlines() if part) if "\n" in value else value
