"""OpenDocument .odt transcripts (TR-3), read with odfpy.

Paragraphs, headings, list items and tables are read in document order; tables follow the Word rules
(a two-column ``Speaker | Text`` table gives one turn per row). Annotations (comments) are kept as
transcriber notes and left out of the text; tracked changes are refused, as for Word; soft page breaks
are layout hints only and are ignored.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from wb_interop.safe_zip import check_office_zip
from wb_interop.transcript import Block, compose, speaker_label
from workbench import BadInputError, ImportedTranscript, TranscriberNote

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"
_SKIP = {(TEXT_NS, "tracked-changes"), (TEXT_NS, "sequence-decls"), (OFFICE_NS, "forms")}


def load_odt(path: Path, data: bytes) -> ImportedTranscript:
    """Read an .odt file's bytes; raises `BadInputError` for a damaged file or one with tracked changes."""
    from odf.opendocument import load  # type: ignore[import-untyped]

    where = str(path)
    check_office_zip(data, where)
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises bare KeyError/SAX errors for damaged files
        raise BadInputError(f"not a readable OpenDocument text ({type(exc).__name__})", where) from None
    body = document.text
    reader = _Reader()
    for node in body.childNodes:
        if (
            node.nodeType == node.ELEMENT_NODE
            and node.qname == (TEXT_NS, "tracked-changes")
            and any(child.nodeType == child.ELEMENT_NODE for child in node.childNodes)
        ):
            raise BadInputError(
                "the document has tracked changes; in your word processor accept (or reject) all "
                "changes, save, and import again",
                where,
            )
    reader.walk(body)
    return compose(reader.blocks, where, notes=reader.notes)


class _Reader:
    """Walks the body, turning paragraphs and tables into blocks and annotations into notes."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.notes: list[TranscriberNote] = []

    def walk(self, parent: Any) -> None:
        for node in parent.childNodes:
            if node.nodeType != node.ELEMENT_NODE or node.qname in _SKIP:
                continue
            if node.qname in ((TEXT_NS, "p"), (TEXT_NS, "h")):
                self._paragraph(node)
            elif node.qname == (TABLE_NS, "table"):
                self._table(node)
            else:
                self.walk(node)  # lists, sections, list items

    def _paragraph(self, node: Any) -> None:
        text = self.text_of(node)
        if not text.strip():
            return
        found = speaker_label(text)
        self.blocks.append(Block(found[1], found[0]) if found else Block(text))

    def _table(self, node: Any) -> None:
        rows: list[list[str]] = []
        for row in _descendants(node, (TABLE_NS, "table-row")):
            cells = [
                "\n".join(self.text_of(p) for p in cell.childNodes if p.nodeType == p.ELEMENT_NODE).strip()
                for cell in row.childNodes
                if cell.nodeType == cell.ELEMENT_NODE and cell.qname == (TABLE_NS, "table-cell")
            ]
            if any(cells):
                rows.append(cells)
        if rows and {c.casefold().rstrip(":") for c in rows[0] if c} <= {"speaker", "name", "text", "time"}:
            rows = rows[1:]
        for cells in rows:
            if len(cells) == 2 and cells[0] and len(cells[0]) <= 40:
                self.blocks.append(Block(cells[1], cells[0].rstrip(":")))
            else:
                self.blocks.append(Block(" | ".join(c for c in cells if c)))

    def text_of(self, node: Any) -> str:
        """A paragraph's words as written: spaces, tabs and line breaks kept, annotations set aside."""
        out: list[str] = []
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                out.append(child.data)
                continue
            if child.nodeType != child.ELEMENT_NODE:
                continue
            name = child.qname
            if name == (TEXT_NS, "s"):
                out.append(" " * int(child.getAttrNS(TEXT_NS, "c") or 1))
            elif name == (TEXT_NS, "tab"):
                out.append("\t")
            elif name == (TEXT_NS, "line-break"):
                out.append("\n")
            elif name == (OFFICE_NS, "annotation"):
                self._note(child, node)
            elif name in ((OFFICE_NS, "annotation-end"), (TEXT_NS, "soft-page-break")):
                continue
            elif name == (TEXT_NS, "note"):
                continue  # footnotes and endnotes are not speech
            else:
                out.append(self.text_of(child))
        return "".join(out)

    def _note(self, annotation: Any, paragraph: Any) -> None:
        author = "".join(
            self.text_of(c)
            for c in annotation.childNodes
            if c.nodeType == 1 and c.qname == (DC_NS, "creator")
        )
        words = "\n".join(
            self.text_of(c)
            for c in annotation.childNodes
            if c.nodeType == c.ELEMENT_NODE and c.qname == (TEXT_NS, "p")
        ).strip()
        if words:
            quote = "".join(c.data if c.nodeType == c.TEXT_NODE else "" for c in paragraph.childNodes).strip()
            self.notes.append(TranscriberNote(words, author.strip(), quote))


def _descendants(node: Any, qname: tuple[str, str]) -> list[Any]:
    found: list[Any] = []
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname == qname:
            found.append(child)
        elif child.qname != (TABLE_NS, "table"):  # rows of nested tables belong to those tables
            found.extend(_descendants(child, qname))
    return found
