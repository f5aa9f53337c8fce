"""Thesis appendices (EXP-2): the annotated transcript and the coded-segments report.

The annotated transcript prints the tool's own line numbers (TR-10) beside each line of text, with the
codes that start on that line in a second column and, in the three-column layout, the memos linked to
those codings in a third. Word output uses named styles ("WB Transcript", "WB Codes", ...) so the student
can restyle the whole appendix at once; HTML output is one self-contained file with no remote resources.
"""

from __future__ import annotations

import bisect
import html
import io
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

STYLES = {
    "title": "WB Title",
    "line": "WB Line Number",
    "text": "WB Transcript",
    "codes": "WB Codes",
    "notes": "WB Notes",
    "quote": "WB Quote",
    "citation": "WB Citation",
}


def annotated_rows(project: Project, source_id: str) -> list[tuple[str, str, str, str]]:
    """(printed line number, text, codes, notes) for each tool line of the source's current version.

    A code is listed on the line its segment starts on, with "(to N)" when it runs on to line N; notes
    are the memos linked to those codings or segments.
    """
    version_id, record = project.current_text(source_id)
    lines = record.linemap.lines
    starts = [line.start for line in lines]
    codes_at: dict[int, list[str]] = defaultdict(list)
    notes_at: dict[int, list[str]] = defaultdict(list)
    memos_for: dict[str, list[str]] = defaultdict(list)
    for memo in project.rows("memos"):
        for ref in memo.get("links", []):
            memos_for[ref].append(memo["title"] + (": " + memo["body"] if memo.get("body") else ""))
    labels = {c["id"]: c["label"] for c in project.codes()}
    codings_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for coding in project.rows("codings"):
        codings_of[coding["segment_id"]].append(coding)
    segments = sorted(
        (s for s in project.rows("segments") if s["version_id"] == version_id),
        key=lambda s: (s["start"], s["end"]),
    )
    for segment in segments:
        index = max(bisect.bisect_right(starts, segment["start"]) - 1, 0)
        last = record.linemap.lines_of_span(segment["start"], segment["end"])[1]
        for coding in codings_of.get(segment["id"], []):
            label = str(labels.get(coding["code_id"], coding["code_id"]))
            codes_at[index].append(f"{label} (to {last.number})" if last.ordinal != index + 1 else label)
            notes_at[index].extend(memos_for.get(f"coding:{coding['id']}", []))
        notes_at[index].extend(memos_for.get(f"segment:{segment['id']}", []))
    return [
        (
            str(line.number),
            record.text[line.start : line.end],
            "; ".join(codes_at[i]),
            " | ".join(notes_at[i]),
        )
        for i, line in enumerate(lines)
    ]


def _source_options(project: Project, options: Mapping[str, str]) -> tuple[str, int]:
    source = options.get("source", "").strip()
    if not source:
        raise BadInputError("the annotated transcript needs --option source=SOURCE_ID", "--option")
    project.source(source)
    columns = options.get("columns", "2")
    if columns not in ("2", "3"):
        raise BadInputError("columns must be 2 or 3", "--option columns")
    return source, int(columns)


def _title(project: Project, source_id: str) -> str:
    source = project.source(source_id)
    person = project.participant_of(source) or {}
    return f"{person.get('pseudonym') or source['title']} ({source['participant_id']}), {source['filename']}"


def annotated_docx(project: Project, options: Mapping[str, str]) -> bytes:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    source, columns = _source_options(project, options)
    document = Document()
    styles = document.styles
    for key, name in STYLES.items():
        if name not in [s.name for s in styles]:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.size = Pt(14 if key == "title" else 9 if key in ("line", "codes", "notes") else 10)
            style.font.bold = key == "title"
            style.font.italic = key == "notes"
    document.add_paragraph(_title(project, source), style=STYLES["title"])
    headers = ["Line", "Transcript", "Codes"] + (["Notes"] if columns == 3 else [])
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
    for number, text, codes, notes in annotated_rows(project, source):
        cells = table.add_row().cells
        values = [(number, "line"), (text, "text"), (codes, "codes")] + (
            [(notes, "notes")] if columns == 3 else []
        )
        for cell, (value, style) in zip(cells, values, strict=True):
            cell.paragraphs[0].text = value
            cell.paragraphs[0].style = styles[STYLES[style]]
    widths = [1.2, 10.0, 4.5] if columns == 2 else [1.2, 8.0, 3.8, 3.8]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def annotated_html(project: Project, options: Mapping[str, str]) -> bytes:
    source, columns = _source_options(project, options)
    title = html.escape(_title(project, source))
    head = (
        "<tr><th>Line</th><th>Transcript</th><th>Codes</th>"
        + ("<th>Notes</th>" if columns == 3 else "")
        + "</tr>"
    )
    body = []
    for number, text, codes, notes in annotated_rows(project, source):
        cells = [f'<td class="line">{number}</td>', f'<td class="text">{html.escape(text)}</td>']
        cells.append(f'<td class="codes">{html.escape(codes)}</td>')
        if columns == 3:
            cells.append(f'<td class="notes">{html.escape(notes)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
        + title
        + "</title><style>body{font-family:serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
        "td.line{text-align:right;color:#555}td.text{white-space:pre-wrap;font-family:monospace}"
        "td.notes{font-style:italic}</style></head><body><h1>"
        + title
        + "</h1><table>"
        + head
        + "".join(body)
        + "</table></body></html>\n"
    )
    return page.encode("utf-8")


def segments_report(project: Project, options: Mapping[str, str], fmt: str) -> bytes:
    """Each code's segments grouped by participant, verbatim extract then citation (``code=LABEL`` or all)."""
    label = options.get("code", "").strip()
    labels = [label] if label else [c.label for c in project.code_tree()]
    groups: list[tuple[str, list[Any]]] = [
        (name, project.coded_segments(name, extracts=True)) for name in labels
    ]
    if fmt == "html":
        parts = [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>Coded segments</title></head><body>"
        ]
        for name, segments in groups:
            parts.append(f"<h2>{html.escape(name)}</h2>")
            for s in segments:
                quote, cite = html.escape(s.extract or s.text), html.escape(s.citation)
                parts.append(f"<blockquote>{quote}<br><cite>{cite}</cite></blockquote>")
        parts.append("</body></html>\n")
        return "".join(parts).encode("utf-8")
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE

    document = Document()
    for key in ("quote", "citation"):
        style = document.styles.add_style(STYLES[key], WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.italic = key == "citation"
    document.add_heading("Coded segments", level=1)
    for name, segments in groups:
        document.add_heading(name, level=2)
        for s in segments:
            document.add_paragraph(s.extract or s.text, style=STYLES["quote"])
            document.add_paragraph(s.citation, style=STYLES["citation"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
