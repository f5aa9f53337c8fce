"""The words of a REFI-QDA source's rich-text document, for sources whose plain text is empty.

NVivo for Mac writes each ``<TextSource>``'s plain-text member (nearly) empty and keeps the words in the
document its ``richTextPath`` names: a ``.docx`` inside the archive. The standard says selections count
characters of the plain text, so the plain text is rebuilt the way a word processor reports it: each
paragraph's text (tabs and line breaks as characters, tables cell by cell, comments and footnotes left
out), paragraphs joined by CRLF. The CRLF lets `offsets` decide, from the selections themselves, whether
the other program counted a paragraph break as one character or two; the stored text has LF only.

``.docx`` is read with python-docx and ``.odt`` with odfpy, each after `safe_zip.check_office_zip` has
refused unsafe archives and any DTD; ``.txt`` is decoded like a plain-text member. RTF is refused: no
maintained RTF reader is among the workbench's dependencies, and guessing at RTF would misplace every
selection. Each failure is a `RichTextError` whose message says why, so the reader can leave that one
source out and say so, instead of refusing the whole project.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath
from typing import Any

from wb_interop.source_text import decode_text
from workbench import BadInputError

PARAGRAPH_BREAK = "\r\n"
READABLE = (".docx", ".odt", ".txt")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class RichTextError(Exception):
    """Why a rich-text document gives no text (one line, for the fidelity report)."""


def suffix_of(reference: str) -> str:
    return PurePosixPath(reference.split("://", 1)[-1]).suffix.lower()


def flatten(data: bytes, reference: str, where: str) -> str:
    """The plain text of the document `reference` names, paragraphs joined by CRLF."""
    suffix = suffix_of(reference)
    if suffix == ".docx":
        return _docx(data, where)
    if suffix == ".odt":
        return _odt(data, where)
    if suffix == ".txt":
        try:
            return decode_text(data, where)
        except BadInputError as exc:
            raise RichTextError(exc.message) from None
    if suffix == ".rtf" or data.startswith(b"{\\rtf"):
        raise RichTextError(
            "is RTF, which this workbench cannot read; export the source from the other program as "
            "plain text or Word (.docx) and import it with `workbench add`"
        )
    raise RichTextError(f"is a {suffix or 'file without extension'}, not a .docx, .odt or .txt document")


def _docx(data: bytes, where: str) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    from wb_interop.safe_zip import check_office_zip

    try:
        check_office_zip(data, where)
    except BadInputError as exc:
        raise RichTextError(f"was refused as unsafe or damaged ({exc.message})") from None
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise RichTextError(f"is not a readable Word document ({exc})") from None
    body = document.element.body
    if any(next(iter(body.iter(f"{W}{tag}")), None) is not None for tag in ("ins", "del")):
        raise RichTextError(
            "has tracked changes, so which words the selections count is uncertain; accept or reject "
            "them in the other program and export again"
        )
    paragraphs: list[str] = []

    def walk(container: Any) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)
            else:
                paragraphs.append(item.text)

    walk(document)
    return PARAGRAPH_BREAK.join(paragraphs)


def _odt(data: bytes, where: str) -> str:
    from odf.opendocument import load  # type: ignore[import-untyped]

    from wb_interop.odt_import import TABLE_NS, TEXT_NS, _Reader
    from wb_interop.safe_zip import check_office_zip

    try:
        check_office_zip(data, where)
    except BadInputError as exc:
        raise RichTextError(f"was refused as unsafe or damaged ({exc.message})") from None
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises bare KeyError/SAX errors for damaged files
        raise RichTextError(f"is not a readable OpenDocument text ({type(exc).__name__})") from None
    reader = _Reader()
    paragraphs: list[str] = []
    skip = {(TEXT_NS, "tracked-changes"), (TEXT_NS, "sequence-decls"), (TEXT_NS, "note")}

    def walk(parent: Any) -> None:
        for node in parent.childNodes:
            if node.nodeType != node.ELEMENT_NODE or node.qname in skip:
                continue
            if node.qname in ((TEXT_NS, "p"), (TEXT_NS, "h")):
                paragraphs.append(reader.text_of(node))
            elif node.qname == (TABLE_NS, "covered-table-cell"):
                continue
            else:
                walk(node)

    walk(document.text)
    return PARAGRAPH_BREAK.join(paragraphs)
