"""The annotated transcript (IPA-3c, METHODS.md 3.4 #2): notes | line + transcript | statements.

One row per line of the tool's own `LineMap` (TR-9), so the printed line numbers are the ones every
citation uses. Statements and notes appear on the first line they anchor to; several notes on one
line are listed one per paragraph with their ``D:``/``L:``/``C:``/``F:`` prefix. The column order is a
setting (``statements-first``, as in the 3.4 layout and many reproductions of Smith et al.'s worked
example, or ``notes-first``, the classic description); line numbers are a column of their own
(``column``) or a prefix of the transcript text (``prefix``), giving exactly three columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wb_ipa import notes, statements
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import case_of_source, pseudonym, sources_of_case
from wb_ipa.terminology import STATEMENT, short
from workbench import BadInputError, TableData, docx_bytes

if TYPE_CHECKING:
    from workbench import Project

NOTES_HEADING = "Exploratory notes (D / L / C)"
#: Column widths (cm) on a landscape A4 page: statements, line, transcript, notes.
WIDTHS = {"statements": 6.0, "line": 1.3, "transcript": 10.3, "notes": 7.0}


def pick_source(project: Project, options: Mapping[str, str]) -> str:
    """The source named by ``source=``, or the only source of ``case=``."""
    if "source" in options:
        project.source(options["source"])
        return options["source"]
    case = options.get("case")
    if not case:
        raise BadInputError("give source=S1 or case=P01", "--option")
    found = sources_of_case(project, case)
    if len(found) != 1:
        raise BadInputError(
            f"case {case} has {len(found)} sources ({', '.join(found) or 'none'}); give source=", "--option"
        )
    return found[0]


def line_label(line: Any) -> str:
    """The printed line number; "page:line" when numbering restarts on each page."""
    return str(line.number) if line.ordinal == line.number else f"{line.page}:{line.number}"


def table(project: Project, options: Mapping[str, str]) -> TableData:
    source_id = pick_source(project, options)
    config = settings_mod.load(project)
    order = options.get("columns", config.column_order)
    numbering = options.get("line_numbers", config.line_numbers)
    if order not in settings_mod.COLUMN_ORDERS or numbering not in settings_mod.LINE_NUMBERS:
        raise BadInputError("columns= notes-first|statements-first, line_numbers= column|prefix", "--option")
    version, record = project.current_text(source_id)
    by_line = notes.by_line(project, source_id)
    said: dict[int, list[str]] = {}
    for statement in statements.all_statements(project, case=case_of_source(project, source_id)):
        if statement.anchor.source == source_id and statement.anchor.version == version:
            said.setdefault(statements.first_line(project, statement), []).append(statement.text)
    rows = []
    for line in record.linemap.lines:
        text = record.text[line.start : line.end].rstrip()
        note_cell = "\n".join(n.prefixed for n in by_line.get(line.ordinal, []))
        statement_cell = "\n".join(said.get(line.ordinal, []))
        middle = (line_label(line), text) if numbering == "column" else (f"{line_label(line)}  {text}",)
        row = (
            (statement_cell, *middle, note_cell)
            if order == "statements-first"
            else (note_cell, *middle, statement_cell)
        )
        rows.append(row)
    statements_heading = short(STATEMENT, config.terminology)
    middle_heads = ("Line", "Transcript") if numbering == "column" else ("Line  Transcript",)
    if order == "statements-first":
        columns = (statements_heading, *middle_heads, NOTES_HEADING)
    else:
        columns = (NOTES_HEADING, *middle_heads, statements_heading)
    case = case_of_source(project, source_id)
    title = f"Annotated transcript: {pseudonym(project, case)} ({case}, {source_id})"
    return TableData(columns, tuple(rows), title)


def widths(table_: TableData) -> list[float]:
    """Landscape widths matching the table's columns."""
    out = []
    for column in table_.columns:
        if column == "Line":
            out.append(WIDTHS["line"])
        elif column.startswith("Line  ") or column == "Transcript":
            out.append(WIDTHS["transcript"] + (WIDTHS["line"] if column.startswith("Line") else 0))
        elif column == NOTES_HEADING:
            out.append(WIDTHS["notes"])
        else:
            out.append(WIDTHS["statements"])
    return out


def docx(project: Project, options: Mapping[str, str]) -> bytes:
    """The appendix as a landscape Word table with the columns sized for reading."""
    built = table(project, options)
    return docx_bytes(built, widths_cm=widths(built), landscape=True)
