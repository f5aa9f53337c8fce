"""Read a Taguette project database (``NAME.sqlite3``) into the workbench's neutral `Content`.

The schema is Taguette's own (``taguette/database/models.py``, migrated by alembic; the newest revision
this reader knows is `HEAD_REVISION`): ``projects`` (``id``, ``name``, ``description``, ``created``),
``documents`` (``id``, ``name``, ``description``, ``filename``, ``created``, ``project_id``,
``text_direction``, ``contents`` -- HTML), ``tags`` (``id``, ``project_id``, ``path``, ``description``),
``highlights`` (``id``, ``document_id``, ``start_offset``, ``end_offset``, ``snippet``),
``highlight_tags`` (``highlight_id``, ``tag_id``), ``project_members``, ``commands``, ``users``.

Offsets: Taguette's ``extract.py`` counts a highlight's ``start_offset``/``end_offset`` in UTF-8 *bytes*
of the document's text nodes (tags not counted, entities decoded). A source's text here is the HTML's
text content with block elements on lines of their own; each offset is re-based to a character offset
in that text, so ``text[start:end]`` is the highlight's text content.

Mapping: documents become sources (one participant each), tags one code tree from their ``.``-separated
paths (a missing ancestor is made), highlights codings (coder: the user whose ``highlight_add`` command
made it, else ``taguette``), the project, document and tag descriptions memos (a tag's description is also
its code's definition). What has no place is left out and named in the fidelity report. A file that is
not a sound Taguette database of a revision this reader knows is refused in one line, before anything
is written.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from workbench import (
    BadInputError,
    Content,
    ContentCode,
    ContentCoding,
    ContentMemo,
    ContentParticipant,
    ContentSegment,
    ContentSource,
    ProjectRead,
    ReadAccount,
    open_sqlite_read_only,
)

#: Taguette's alembic revisions, oldest first (taguette/migrations/versions); the last is the head.
REVISIONS = (
    "e4e090a5b511",
    "dd37d9027a24",
    "679f625e6e6a",
    "80b1cc9d4c22",
    "447d636f72c5",
    "bce44849c2f2",
    "91ade71ccf4d",
    "b23f3b7a638e",
    "807c0cc0ecf6",
    "ecb4065de575",
    "bc8e0e0677e9",
    "43d6c240309d",
    "d86c45d7aa8a",
    "491de2dc7cd7",
    "e4cf92942271",
    "09c662cd9483",
    "6489b5f9cfb5",
    "382db36f20f4",
    "db5e31a0233d",
)
HEAD_REVISION = REVISIONS[-1]
REQUIRED = ("projects", "documents", "tags", "highlights", "highlight_tags")
SEPARATOR = "."
CODER = "taguette"
_LABEL_LIMIT = 200
#: Elements whose start and end break a line in the text made from the HTML.
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure"),
        *("footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"),
        *("pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_SKIP = frozenset({"script", "style", "head", "title"})
#: 1 for a byte that starts a UTF-8 character, 0 for a continuation byte (``bytes.translate`` table).
_STARTS_CHARACTER = bytes(0 if byte & 0xC0 == 0x80 else 1 for byte in range(256))
_OTHER_BREAKS = str.maketrans(dict.fromkeys("\f\v\x85\u2028\u2029", "\n"))


# --- HTML to text, with a map from Taguette's byte offsets ---------------------------------------------


class _TextParser(HTMLParser):
    """Text content of Taguette's HTML; `marks[b]` is the text offset of raw text-node byte `b`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.length = 0
        self.ends_line = True  # nothing written yet counts as a fresh line
        self.marks = array("q", [0])  # one entry per byte boundary of the text nodes (8 bytes each)
        self.skipping = 0

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.length += len(text)
        self.ends_line = text.endswith("\n")

    def _break(self) -> None:
        if not self.ends_line:
            self._emit("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self._emit("\n")
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._emit("\n")
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        # Taguette (BeautifulSoup) counts every text node, even the skipped or blank ones.
        keep = not self.skipping and not (self.ends_line and not data.strip())
        if "\r" in data:  # a CR before a LF is dropped: character by character
            self._characters(data, keep)
            return
        encoded = data.encode("utf-8")
        if not encoded:
            return
        if not keep:
            self.marks.extend(itertools.repeat(self.length, len(encoded)))
            return
        # Each character adds one to the text: byte boundary k of the node is at the text offset before
        # the character holding byte k, until the character ends (the next byte starts one, or the node
        # ends). Counted in C, as `_characters` does one character at a time.
        starts = encoded[1:].translate(_STARTS_CHARACTER) + b"\x01"
        offsets = itertools.accumulate(starts, initial=self.length)
        next(offsets)
        self._emit(data.translate(_OTHER_BREAKS))
        self.marks.extend(offsets)

    def _characters(self, data: str, keep: bool) -> None:
        previous = ""
        for char in data:
            position = self.length
            if keep and not (char == "\n" and previous == "\r"):
                self._emit("\n" if char in "\r\f\v\x85\u2028\u2029" else char)
            previous = char
            self.marks.extend([position] * (len(char.encode("utf-8")) - 1))
            self.marks.append(self.length)

    def text(self) -> str:
        return "".join(self.out).rstrip("\n")


@dataclass
class _Document:
    key: str
    name: str
    text: str
    marks: Sequence[int]
    normalized: bool
    spans: dict[tuple[int, int], list[ContentCoding]] = field(default_factory=dict)

    def span(self, start: object, end: object) -> tuple[int, int] | str:
        """Taguette's byte offsets as character offsets into `text`, or why they cannot be used."""
        limit = len(self.marks) - 1
        if not isinstance(start, int) or not isinstance(end, int):
            return f"its offsets {start!r}-{end!r} are not whole numbers"
        if start < 0 or end > limit:
            return f"its offsets {start}-{end} lie past the end of the text ({limit} bytes)"
        first, last = min(self.marks[start], len(self.text)), min(self.marks[end], len(self.text))
        if self.normalized:
            first = len(unicodedata.normalize("NFC", self.raw_text[:first]))
            last = len(unicodedata.normalize("NFC", self.raw_text[:last]))
        while first < last and self.text[first] == "\n":
            first += 1
        if first >= last:
            return f"its offsets {start}-{end} mark no text"
        return first, last

    raw_text: str = ""


def text_of(html: str) -> tuple[str, Sequence[int]]:
    """The text content of `html` and the map from Taguette's byte offsets to offsets in it."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.marks


# --- the database ---------------------------------------------------------------------------------------


@contextmanager
def open_read_only(database: Path) -> Iterator[sqlite3.Connection]:
    """The database opened read-only (``mode=ro``), its header and integrity checked first."""
    if database.is_dir():
        raise BadInputError("a folder, not a Taguette .sqlite3 database file", str(database))
    with open_sqlite_read_only(database, what="a Taguette project", missing="no such file") as connection:
        yield connection


def read_project(path: Path) -> ProjectRead:
    """Read the Taguette project database at `path`."""
    where = str(path)
    with open_read_only(path) as connection:
        try:
            return _Reader(connection, path, where).read()
        except sqlite3.Error as exc:
            raise BadInputError(f"not a Taguette database this reader knows: {exc}", where) from None


def _rows(connection: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _when(value: object) -> str | None:
    """SQLAlchemy's ``yyyy-mm-dd hh:mm:ss[.ffffff]`` as ISO 8601, or None."""
    text = _text(value).strip()
    return text.replace(" ", "T", 1) if text else None


def _label(raw: str) -> str:
    return " ".join(raw.split())[:_LABEL_LIMIT].rstrip()


class _Reader(ReadAccount):
    def __init__(self, connection: sqlite3.Connection, path: Path, where: str) -> None:
        self.db = connection
        self.path = path
        self.where = where
        super().__init__()
        self.memos: list[ContentMemo] = []

    def _check(self) -> str:
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in REQUIRED if t not in tables]
        if missing:
            if {"source", "code_name", "code_text"} <= tables:
                raise BadInputError(
                    "this is a QualCoder database (data.qda), not a Taguette project", self.where
                )
            if {"coded_line", "coder", "code", "document"} <= tables:
                raise BadInputError(
                    "this looks like a qc (qualitative-coding) database, not a Taguette project: import "
                    "the qc project's settings.yaml or its folder",
                    self.where,
                )
            raise BadInputError(f"not a Taguette database (no table {missing[0]!r})", self.where)
        if "alembic_version" not in tables:
            raise BadInputError("not a Taguette database (no alembic_version table)", self.where)
        row = self.db.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = _text(row[0] if row else "").strip()
        if revision not in REVISIONS:
            raise BadInputError(
                f"written by a newer or unknown Taguette (schema revision {revision or '?'!r}); this "
                f"reader knows up to {HEAD_REVISION}: export the project from Taguette as REFI-QDA (.qdpx)",
                self.where,
            )
        return revision

    def read(self) -> ProjectRead:
        revision = self._check()
        projects = _rows(self.db, "SELECT id, name, description FROM projects ORDER BY id")
        if not projects:
            raise BadInputError("not a Taguette project (its projects table is empty)", self.where)
        self.saw("project", len(projects))
        project = projects[0]
        pid = project["id"]
        for other in projects[1:]:
            self.drop(
                "project",
                other["id"],
                _text(other["name"]),
                "a second project in one database; only the first is read",
            )
        if _text(project["description"]).strip():
            self.saw("notes", 1)
            self.memos.append(
                ContentMemo("memo:project", "Project description", _text(project["description"]))
            )
        coders = self._coders(pid)
        codes, tag_keys = self._codes(pid)
        documents, participants = self._documents(pid)
        self._codings(pid, documents, tag_keys, coders)
        content = Content(
            participants=tuple(participants),
            sources=tuple(
                ContentSource(
                    d.key,
                    d.name,
                    d.text,
                    f"participant:{d.key.partition(':')[2]}",
                    segments=tuple(
                        ContentSegment(
                            start,
                            end,
                            tuple(codings),
                            key=f"segment:{d.key.partition(':')[2]}-{start}-{end}",
                        )
                        for (start, end), codings in sorted(d.spans.items())
                    ),
                    importer="taguette",
                )
                for d in documents.values()
            ),
            codes=tuple(codes),
            memos=tuple(self.memos),
        )
        title = _label(_text(project["name"])) or self.path.stem or "Taguette project"
        return self.result(
            content,
            title=title,
            origin=f"Taguette (schema revision {revision})",
        )

    # --- who highlighted ------------------------------------------------------------------------------

    def _coders(self, pid: int) -> dict[int, str]:
        """highlight id -> the login whose ``highlight_add`` command made it (Taguette's change log)."""
        found: dict[int, str] = {}
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "commands" not in tables:
            return found
        for row in _rows(
            self.db, "SELECT user_login, payload FROM commands WHERE project_id = ? ORDER BY id", (pid,)
        ):
            try:
                payload = json.loads(_text(row["payload"]))
            except ValueError:
                continue
            if isinstance(payload, dict) and payload.get("type") == "highlight_add":
                ident = payload.get("highlight_id")
                if isinstance(ident, int) and _text(row["user_login"]).strip():
                    found[ident] = _text(row["user_login"]).strip()
        return found

    # --- tags -----------------------------------------------------------------------------------------

    def _codes(self, pid: int) -> tuple[list[ContentCode], dict[int, str]]:
        rows = _rows(
            self.db, "SELECT id, path, description FROM tags WHERE project_id = ? ORDER BY id", (pid,)
        )
        self.saw("codes", len(rows))
        by_path: dict[tuple[str, ...], str] = {}
        codes: list[ContentCode] = []
        tag_keys: dict[int, str] = {}
        made: dict[tuple[str, ...], ContentCode] = {}
        for row in rows:
            raw = _text(row["path"])
            # Taguette's tag view nests on "."; paths written with "/" nest the same way.
            path = raw.replace("/", SEPARATOR)
            parts = tuple(p for p in (_label(part) for part in path.split(SEPARATOR)) if p)
            if not parts:
                parts = (f"(unnamed tag {row['id']})",)
                self.convert("codes", row["id"], raw, f"an empty path; named {parts[0]!r}")
            elif SEPARATOR.join(parts) != path:
                self.convert("codes", row["id"], raw, "path parts made one line of at most 200 characters")
            if parts in by_path and parts not in made:
                self.drop(
                    "codes", row["id"], raw, "another tag has the same path; its highlights join that code"
                )
                tag_keys[row["id"]] = by_path[parts]
                continue
            key = f"code:{row['id']}"
            tag_keys[row["id"]] = key
            if parts in made:  # an ancestor made earlier for a deeper tag: the real tag takes its place
                codes.remove(made.pop(parts))
                for i, code in enumerate(codes):
                    if code.parent == by_path[parts]:
                        codes[i] = ContentCode(code.key, code.label, definition=code.definition, parent=key)
            by_path[parts] = key
            parent = self._ancestor(parts[:-1], by_path, made, codes, row)
            description = _text(row["description"])
            codes.append(ContentCode(key, parts[-1], definition=description, parent=parent))
            if description.strip():
                self.saw("notes", 1)
                self.memos.append(
                    ContentMemo(
                        f"memo:tag-{row['id']}", f"Description of tag {raw}", description, links=(key,)
                    )
                )
        return codes, tag_keys

    def _ancestor(
        self,
        parts: tuple[str, ...],
        by_path: dict[tuple[str, ...], str],
        made: dict[tuple[str, ...], ContentCode],
        codes: list[ContentCode],
        row: dict[str, Any],
    ) -> str | None:
        if not parts:
            return None
        if parts in by_path:
            return by_path[parts]
        parent = self._ancestor(parts[:-1], by_path, made, codes, row)
        key = "code:path-" + SEPARATOR.join(parts)
        code = ContentCode(key, parts[-1], parent=parent)
        codes.append(code)
        made[parts] = code
        by_path[parts] = key
        self.convert(
            "codes",
            row["id"],
            _text(row["path"]),
            f"its parent {SEPARATOR.join(parts)!r} is no tag; made as a code",
        )
        return key

    # --- documents ------------------------------------------------------------------------------------

    def _documents(self, pid: int) -> tuple[dict[int, _Document], list[ContentParticipant]]:
        rows = _rows(
            self.db,
            "SELECT id, name, description, filename, created, contents FROM documents "
            "WHERE project_id = ? ORDER BY id",
            (pid,),
        )
        self.saw("sources", len(rows))
        documents: dict[int, _Document] = {}
        participants: list[ContentParticipant] = []
        used: set[str] = set()
        for row in rows:
            did = row["id"]
            name = _label(_text(row["name"])) or _text(row["filename"]) or f"document {did}"
            if name.casefold() in used:
                base, number = name, 2
                while name.casefold() in used:
                    name, number = f"{base} ({number})", number + 1
                self.convert("sources", did, base, f"renamed {name!r}: another document has its name")
            used.add(name.casefold())
            raw, marks = text_of(_text(row["contents"]))
            if not raw.strip():
                self.drop("sources", did, name, "it has no text")
                continue
            text = unicodedata.normalize("NFC", raw)
            if text != raw:
                self.convert("sources", did, name, "Unicode form made canonical (NFC); offsets re-based")
            self.convert("sources", did, name, "HTML made plain text, one line a paragraph; offsets re-based")
            document = _Document(f"source:{did}", name, text, marks, text != raw, raw_text=raw)
            documents[did] = document
            participants.append(ContentParticipant(f"participant:{did}", Path(name).stem or name, {}))
            if _text(row["description"]).strip():
                self.saw("notes", 1)
                self.memos.append(
                    ContentMemo(
                        f"memo:document-{did}",
                        f"Description of {name}",
                        _text(row["description"]),
                        links=(document.key,),
                        created_at=_when(row["created"]),
                    )
                )
        return documents, participants

    # --- highlights -----------------------------------------------------------------------------------

    def _codings(
        self, pid: int, documents: dict[int, _Document], tag_keys: dict[int, str], coders: dict[int, str]
    ) -> None:
        highlights = _rows(
            self.db,
            "SELECT h.id, h.document_id, h.start_offset, h.end_offset FROM highlights h "
            "JOIN documents d ON d.id = h.document_id WHERE d.project_id = ? ORDER BY h.id",
            (pid,),
        )
        links: dict[int, list[int]] = {}
        for row in _rows(
            self.db, "SELECT highlight_id, tag_id FROM highlight_tags ORDER BY highlight_id, tag_id"
        ):
            links.setdefault(row["highlight_id"], []).append(row["tag_id"])
        self.saw("codings", sum(max(1, len(links.get(h["id"], []))) for h in highlights))
        users: set[str] = set()
        for row in highlights:
            hid = row["id"]
            document = documents.get(row["document_id"])
            name = f"highlight {hid} on document {row['document_id']}"
            tags = links.get(hid, [])
            if document is None:
                self.drop("codings", hid, name, "its document was not imported")
                continue
            name = f"highlight {hid} on {document.name}"
            if not tags:
                self.drop(
                    "codings", hid, name, "a highlight with no tag: the workbench keeps coded passages only"
                )
                continue
            span = document.span(row["start_offset"], row["end_offset"])
            if isinstance(span, str):
                for tag in tags:
                    self.drop("codings", f"{hid}-{tag}", name, span)
                continue
            coder = coders.get(hid, CODER)
            for tag in tags:
                code = tag_keys.get(tag)
                if code is None:
                    self.drop("codings", f"{hid}-{tag}", name, "its tag does not exist")
                    continue
                entry = document.spans.setdefault(span, [])
                if any(c.code == code and c.coder == coder for c in entry):
                    self.drop(
                        "codings", f"{hid}-{tag}", name, "the same tag on the same passage twice; kept once"
                    )
                    continue
                users.add(coder)
                entry.append(ContentCoding(code, coder, key=f"coding:{hid}-{tag}"))
        self.saw("users", len(users))
