"""Render a `TableData` the way a thesis needs it: text, CSV, TSV, Markdown, JSON, Excel or a Word table.

Every registered table (codebook, PET table, saturation grid, ...) goes through these functions, so a
method plugin only builds rows and gets all formats; plugins with a special layout (the IPA annotated
transcript) call `write_docx_table` with their own column widths.

Files are written atomically and readable by the owner only, like everything else the workbench writes.
CSV is UTF-8, optionally with a byte-order mark so Excel on Windows reads accents right (EXP-1). Word
tables use named paragraph styles ("WB Table Title", "WB Table Header", "WB Table Text") so a student can
restyle every table of a thesis at once; Excel cells are always text, never formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.store.fsutil import write_private_file
from workbench.registry import TableData

FORMATS = ("text", "json", "csv", "tsv", "md", "xlsx", "docx")
#: Formats that are files, not text for a terminal.
BINARY_FORMATS = ("xlsx", "docx")
_SUFFIX = {
    ".txt": "text",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
    ".docx": "docx",
}
STYLE_TITLE = "WB Table Title"
STYLE_HEADER = "WB Table Header"
STYLE_TEXT = "WB Table Text"


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
    rows = [[one_line(cell) for cell in row] for row in table.rows]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(table.columns)]
    lines = [table.title] if table.title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip())
    lines.extend("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    return "\n".join(lines) + "\n"


def render_csv(table: TableData, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", delimiter=delimiter)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue()


def render_tsv(table: TableData) -> str:
    """Tab-separated; a cell holding a tab, quote or line break is quoted as in CSV."""
    return render_csv(table, "\t")


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
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    styles = document.styles
    for name, size, bold in ((STYLE_TITLE, 12, True), (STYLE_HEADER, 10, True), (STYLE_TEXT, 10, False)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.paragraph_format.space_after = Pt(0 if name != STYLE_TITLE else 6)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if table.title:
        document.add_paragraph(table.title, style=STYLE_TITLE)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    # Repeat the header row at the top of each page, as thesis tables that run over pages must.
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].style = styles[STYLE_HEADER]
        cell.paragraphs[0].add_run(name).bold = True
    text_style = styles[STYLE_TEXT]
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            parts = value.split("\n")
            cell.paragraphs[0].style = text_style
            cell.paragraphs[0].add_run(parts[0])
            for part in parts[1:]:
                cell.add_paragraph(part, style=text_style)
    if widths_cm:
        for row_ in grid.rows:
            for cell, width in zip(row_.cells, widths_cm, strict=False):
                cell.width = Cm(width)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(table: TableData) -> bytes:
    """An Excel workbook with the table on one sheet: bold, frozen header row; every cell is text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    title = "".join(ch for ch in (table.title or "Table") if ch not in "[]:*?/\\")[:31].strip()
    sheet.title = title or "Table"
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=1):
        for cell in row_cells:
            cell.data_type = "s"  # a cell starting with "=" stays words, never a formula
            cell.alignment = wrap
    for index, name in enumerate(table.columns, start=1):
        longest = max([len(name), *(min(len(r[index - 1]), 60) for r in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = max(8, longest + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render(table: TableData, fmt: str) -> str:
    """Any text format (everything but xlsx and docx)."""
    renderers = {
        "text": render_text,
        "csv": render_csv,
        "tsv": render_tsv,
        "json": render_json,
        "md": render_markdown,
    }
    if fmt not in renderers:
        raise BadInputError(f"format {fmt!r} is written to a file; give --output FILE", "--format")
    return renderers[fmt](table)


def table_bytes(table: TableData, fmt: str, *, bom: bool = False) -> bytes:
    """The bytes of `table` in `fmt`; ``bom`` puts a UTF-8 byte-order mark before CSV/TSV for Excel."""
    if fmt == "docx":
        return docx_bytes(table)
    if fmt == "xlsx":
        return xlsx_bytes(table)
    data = render(table, fmt).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom and fmt in ("csv", "tsv") else data


def write_table(table: TableData, path: Path, fmt: str | None = None, *, bom: bool = False) -> Path:
    """Write `table` to `path` in `fmt` (or the format its extension names), atomically, owner-only."""
    chosen = format_for(path, fmt)
    return write_private_file(path, table_bytes(table, chosen, bom=bom))


def one_line(value: str) -> str:
    """A multi-line cell on one line ("a / b"), for the terminal and the TUI's table grid."""
    return " / ".join(part for part in value.splitlines() if part) if "\n" in value else value
