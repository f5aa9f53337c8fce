"""Word .docx transcripts (TR-2), read with python-docx.

Paragraphs and tables are read in document order. A two-column ``Speaker | Text`` table (or a
three-column one with a time column first) becomes one turn per row; any other table is flattened row by
row. A bold run ending in a colon at the start of a paragraph is a speaker label even when it would not
look like one in plain text. Tracked changes are refused: which words are the transcript would be a guess.
Comments are kept as transcriber notes (not as exploratory notes), quoting the paragraph they sit on.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wb_interop.safe_zip import check_office_zip
from wb_interop.transcript import Block, compose, speaker_label
from workbench import BadInputError, ImportedTranscript, TranscriberNote

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TRACKED = ("ins", "del", "moveFrom", "moveTo")
_TIME = re.compile(r"^\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)?\]?$")
_HEADER_WORDS = {"speaker", "name", "who", "role", "text", "transcript", "utterance", "speech", "time"}
_MAX_BOLD_LABEL = 40


def load_docx(path: Path, data: bytes) -> ImportedTranscript:
    """Read a .docx file's bytes; raises `BadInputError` for a damaged file or one with tracked changes."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    where = str(path)
    check_office_zip(data, where)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise BadInputError(f"not a readable Word document ({exc})", where) from None
    body = document.element.body
    if any(next(iter(body.iter(f"{W}{tag}")), None) is not None for tag in _TRACKED):
        raise BadInputError(
            "the document has tracked changes; in Word choose Review > Accept All Changes (or reject "
            "them), save, and import again",
            where,
        )
    blocks: list[Block] = []
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_blocks(item))
        else:
            block = _paragraph_block(item)
            if block is not None:
                blocks.append(block)
    return compose(blocks, where, notes=_comments(document))


def _paragraph_block(paragraph: Paragraph) -> Block | None:
    text = paragraph.text
    if not text.strip():
        return None
    bold = _bold_label(paragraph)
    if bold is not None:
        return Block(bold[1], bold[0])
    found = speaker_label(text)
    if found is not None:
        return Block(found[1], found[0])
    return Block(text)


def _bold_label(paragraph: Paragraph) -> tuple[str, str] | None:
    """A bold run (or runs) opening the paragraph and ending in a colon: the transcriber's speaker label."""
    prefix = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        if not run.bold:
            break
        prefix += run.text
    label = prefix.strip()
    rest = paragraph.text[len(prefix) :]
    if label.endswith(":"):
        label = label[:-1].strip()
    elif rest.lstrip(" \t").startswith(":"):
        rest = rest.lstrip(" \t")[1:]
    else:
        return None
    if not label or len(label) > _MAX_BOLD_LABEL or "\n" in label:
        return None
    return label, rest.strip()


def _table_blocks(table: Table) -> list[Block]:
    rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
    rows = [_dedupe_merged(row) for row in rows if any(row)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    if rows and {c.casefold().rstrip(":") for c in rows[0] if c} <= _HEADER_WORDS:
        rows = rows[1:]
    speaker_col = None
    if width == 2:
        speaker_col = 0
    elif width == 3 and all(_TIME.match(r[0]) or not r[0] for r in rows if len(r) == 3):
        speaker_col = 1
    if speaker_col is not None and all(len(r[speaker_col]) <= _MAX_BOLD_LABEL for r in rows):
        blocks = []
        for row in rows:
            if len(row) <= speaker_col + 1:
                continue
            speaker = row[speaker_col].rstrip(":").strip()
            words = row[speaker_col + 1]
            if words:
                blocks.append(Block(words, speaker))
        return blocks
    return [Block(" | ".join(c for c in row if c)) for row in rows]


def _dedupe_merged(row: list[str]) -> list[str]:
    """python-docx repeats a horizontally merged cell once per grid column; keep it once."""
    out: list[str] = []
    for cell in row:
        if not out or cell != out[-1] or not cell:
            out.append(cell)
    return out


def _comments(document: DocumentObject) -> list[TranscriberNote]:
    """Word comments as transcriber notes, each quoting the paragraph its range starts in."""
    try:
        comments = list(document.comments)
    except (AttributeError, KeyError, ValueError):
        return []
    quotes: dict[str, str] = {}
    body: Any = document.element.body
    for paragraph in body.iter(f"{W}p"):
        ids = [el.get(f"{W}id") for el in paragraph.iter(f"{W}commentRangeStart")]
        ids += [el.get(f"{W}id") for el in paragraph.iter(f"{W}commentReference")]
        if not ids:
            continue
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).strip()
        for comment_id in ids:
            if comment_id is not None:
                quotes.setdefault(comment_id, text)
    notes = []
    for comment in comments:
        text = comment.text.strip()
        if text:
            notes.append(TranscriberNote(text, comment.author or "", quotes.get(str(comment.comment_id), "")))
    return notes
