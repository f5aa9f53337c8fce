"""Read a QualCoder project (``NAME.qda/data.qda``) into the workbench's neutral `Content`.

The schema is QualCoder's own (``__main__.py`` creates it; ``databaseversion`` in table ``project`` is
``v1`` ... and each release migrates older databases up): ``source`` (``id``, ``name``, ``fulltext``,
``memo``, ``owner``, ``date``), ``code_cat`` (``catid``, ``name``, ``memo``, ``supercatid``), ``code_name``
(``cid``, ``name``, ``memo``, ``catid``), ``code_text`` (``ctid``, ``cid``, ``fid``, ``seltext``, ``pos0``,
``pos1``, ``owner``, ``date``, ``memo``), ``cases``, ``case_text``, ``attribute_type``, ``attribute``,
``annotation``, ``journal``, ``code_image``, ``code_av``.

Mapping: texts become sources; categories and codes one code tree (a category is a parent code); text
codings stay per coder (``owner``) at their offsets (``pos0``/``pos1`` count characters of ``fulltext``,
re-based if the text is not already in the workbench's canonical form); cases become participants with
their case attributes; journals, the project memo, source and case memos and annotations become memos.
What has no place (image and A/V codings, media without text, offsets past the end of a text) is left
out and named, item by item, in the fidelity report. A file that is not a sound QualCoder database of a
version this reader knows is refused in one line, before anything is written.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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

#: The newest ``databaseversion`` whose tables this reader knows; a newer one is refused.
MAX_VERSION = 17
REQUIRED = ("project", "source", "code_name", "code_cat", "code_text")
_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\f": "\n", "\v": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)
_LABEL_LIMIT = 200


def canonical(text: str) -> str:
    """The form the workbench counts offsets in: no BOM, LF line breaks, NFC."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").translate(_LINE_BREAKS)
    return unicodedata.normalize("NFC", text)


def database_of(path: Path) -> Path:
    """``data.qda`` inside a project folder, or the path itself when it names the database file."""
    return path / "data.qda" if path.is_dir() else path


@contextmanager
def open_read_only(database: Path) -> Iterator[sqlite3.Connection]:
    """The database opened read-only (``mode=ro``), its header and integrity checked first."""
    with open_sqlite_read_only(
        database, what="a QualCoder data.qda", missing="no data.qda: not a QualCoder project folder"
    ) as connection:
        yield connection


def read_project(path: Path) -> ProjectRead:
    """Read the QualCoder project at `path` (the ``.qda`` folder or its ``data.qda``)."""
    database = database_of(path)
    where = str(database)
    with open_read_only(database) as connection:
        try:
            return _Reader(connection, path, where).read()
        except sqlite3.Error as exc:
            raise BadInputError(f"not a QualCoder database this reader knows: {exc}", where) from None


def _rows(connection: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _when(value: object) -> str | None:
    """QualCoder's ``yyyy-mm-dd hh:mm:ss`` as ISO 8601, or None."""
    text = _text(value).strip()
    return text.replace(" ", "T", 1) if text else None


@dataclass
class _Span:
    start: int
    end: int
    codings: list[ContentCoding] = field(default_factory=list)


@dataclass
class _Source:
    key: str
    name: str
    raw: str
    text: str
    participant: str
    spans: dict[tuple[int, int], _Span] = field(default_factory=dict)


class _Reader(ReadAccount):
    def __init__(self, connection: sqlite3.Connection, path: Path, where: str) -> None:
        self.db = connection
        self.path = path
        self.where = where
        super().__init__()
        self.memos: list[ContentMemo] = []

    # --- the whole project --------------------------------------------------------------------------

    def read(self) -> ProjectRead:
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in REQUIRED if t not in tables]
        if missing:
            if {"documents", "highlights", "tags"} <= tables:
                raise BadInputError("this is a Taguette project, not QualCoder's data.qda", self.where)
            raise BadInputError(f"not a QualCoder database (no table {missing[0]!r})", self.where)
        self.tables = tables
        project = _rows(self.db, "SELECT * FROM project")
        if not project:
            raise BadInputError("not a QualCoder database (its project table is empty)", self.where)
        version_text = _text(project[0].get("databaseversion")).strip()
        digits = version_text.removeprefix("v")
        if not digits.isdigit():
            raise BadInputError(f"unknown QualCoder database version {version_text!r}", self.where)
        if int(digits) > MAX_VERSION:
            raise BadInputError(
                f"written by a newer QualCoder (database {version_text}); this reader knows up to "
                f"v{MAX_VERSION}: open it in QualCoder and export REFI-QDA (.qdpx) instead",
                self.where,
            )
        about = _text(project[0].get("about")).strip()
        self.saw("project", 1)
        codes = self._codes()
        participants, source_case = self._cases()
        sources = self._sources(participants, source_case)
        self._codings(sources, {c.key for c in codes})
        self._other_codings()
        self._annotations(sources)
        self._journals(project[0], sources)
        content = Content(
            participants=tuple(participants.values()),
            sources=tuple(
                ContentSource(
                    s.key,
                    s.name,
                    s.text,
                    s.participant,
                    segments=tuple(
                        ContentSegment(
                            span.start,
                            span.end,
                            tuple(span.codings),
                            key=f"segment:{s.key.partition(':')[2]}-{span.start}-{span.end}",
                        )
                        for span in sorted(s.spans.values(), key=lambda sp: (sp.start, sp.end))
                    ),
                    importer="qualcoder",
                )
                for s in sources.values()
            ),
            codes=tuple(codes),
            memos=tuple(self.memos),
        )
        name = self.path.name if self.path.is_dir() else self.path.parent.name
        return self.result(
            content,
            title=name.removesuffix(".qda") or "QualCoder project",
            origin=f"{about or 'QualCoder'} (database {version_text})",
        )

    # --- codes ----------------------------------------------------------------------------------------

    def _codes(self) -> list[ContentCode]:
        cats = _rows(
            self.db, "SELECT catid, name, memo, owner, date, supercatid FROM code_cat ORDER BY catid"
        )
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(code_name)")}
        extra = ", supercid" if "supercid" in columns else ""
        names = _rows(
            self.db, f"SELECT cid, name, memo, catid, owner, date{extra} FROM code_name ORDER BY cid"
        )
        self.saw("codes", len(cats) + len(names))
        used: set[str] = set()
        entries: list[tuple[str, str, dict[str, Any], str | None]] = []  # key, label, row, parent key
        cat_keys = {row["catid"]: f"code:cat-{row['catid']}" for row in cats}
        code_keys = {row["cid"]: f"code:{row['cid']}" for row in names}
        for kind, rows in (("category", cats), ("code", names)):
            for row in rows:
                ident = row["catid"] if kind == "category" else row["cid"]
                key = cat_keys[ident] if kind == "category" else code_keys[ident]
                raw = _text(row["name"])
                label = " ".join(raw.split())[:_LABEL_LIMIT].rstrip() or f"(unnamed {kind})"
                if label.casefold() in used:
                    base, number = label, 2
                    label = f"{base} ({kind})"
                    while label.casefold() in used:
                        label, number = f"{base} ({kind} {number})", number + 1
                    self.convert("codes", ident, raw, f"renamed {label!r}: another code has its name")
                elif label != raw:
                    self.convert("codes", ident, raw, "name made one line of at most 200 characters")
                used.add(label.casefold())
                if kind == "category":
                    parent = cat_keys.get(row["supercatid"])
                else:
                    parent = code_keys.get(row.get("supercid")) or cat_keys.get(row["catid"])
                entries.append((key, label, row, parent))
        parents = {key: parent for key, _, _, parent in entries}
        for key in list(parents):  # QualCoder does not stop a category becoming its own ancestor
            trail = {key}
            parent = parents[key]
            while parent is not None:
                if parent in trail:
                    parents[key] = None
                    self.convert(
                        "codes", key.partition(":")[2], key, "its parent made a loop; moved to the top"
                    )
                    break
                trail.add(parent)
                parent = parents.get(parent)
        return [
            ContentCode(
                key,
                label,
                definition=_text(row["memo"]),
                parent=parents[key],
                created_by=_text(row["owner"]),
                created_at=_when(row["date"]),
            )
            for key, label, row, _ in entries
        ]

    # --- cases and attributes ---------------------------------------------------------------------------

    def _attributes(self, which: str) -> dict[int, dict[str, Any]]:
        if "attribute" not in self.tables:
            return {}
        types: dict[str, str] = {}
        if "attribute_type" in self.tables:
            for row in _rows(self.db, "SELECT name, valuetype FROM attribute_type"):
                types[_text(row["name"])] = _text(row["valuetype"])
        values: dict[int, dict[str, Any]] = {}
        rows = _rows(self.db, "SELECT attrid, name, attr_type, value, id FROM attribute ORDER BY attrid")
        for row in rows:
            if _text(row["attr_type"]) != which:
                continue
            name, value = _text(row["name"]), _text(row["value"])
            if value == "":
                continue
            values.setdefault(row["id"], {})[name] = _typed(value, types.get(name, ""))
        return values

    def _cases(self) -> tuple[dict[str, ContentParticipant], dict[int, list[tuple[int, str]]]]:
        participants: dict[str, ContentParticipant] = {}
        source_case: dict[int, list[tuple[int, str]]] = {}
        if "cases" not in self.tables:
            return participants, source_case
        cases = _rows(self.db, "SELECT caseid, name, memo, owner, date FROM cases ORDER BY caseid")
        self.saw("cases", len(cases))
        attributes = self._attributes("case")
        self.saw("variables", sum(len(v) for v in attributes.values()))
        for row in cases:
            key = f"participant:case-{row['caseid']}"
            name = " ".join(_text(row["name"]).split()) or f"case {row['caseid']}"
            participants[key] = ContentParticipant(key, name, attributes.get(row["caseid"], {}))
            if _text(row["memo"]).strip():
                self.saw("notes", 1)
                self.memos.append(
                    ContentMemo(
                        f"memo:case-{row['caseid']}",
                        f"Memo on case {name}",
                        _text(row["memo"]),
                        links=(key,),
                        author=_text(row["owner"]),
                        created_at=_when(row["date"]),
                    )
                )
        for ident in set(attributes) - {row["caseid"] for row in cases}:
            for name in attributes[ident]:
                self.drop("variables", f"{ident}:{name}", name, "its case does not exist")
        if "case_text" in self.tables:
            for row in _rows(self.db, "SELECT caseid, fid FROM case_text ORDER BY caseid, id"):
                key = f"participant:case-{row['caseid']}"
                if key in participants:
                    entries = source_case.setdefault(row["fid"], [])
                    if all(k != key for _, k in entries):
                        entries.append((row["caseid"], key))
        return participants, source_case

    # --- sources ----------------------------------------------------------------------------------------

    def _sources(
        self, participants: dict[str, ContentParticipant], source_case: dict[int, list[tuple[int, str]]]
    ) -> dict[int, _Source]:
        rows = _rows(
            self.db, "SELECT id, name, fulltext, mediapath, memo, owner, date FROM source ORDER BY id"
        )
        self.saw("sources", len(rows))
        file_attributes = self._attributes("file")
        self.saw("variables", sum(len(v) for v in file_attributes.values()))
        sources: dict[int, _Source] = {}
        for row in rows:
            fid, name = row["id"], _text(row["name"]) or f"source {row['id']}"
            raw = _text(row["fulltext"])
            if not raw.strip():
                media = _text(row["mediapath"])
                reason = f"a media file without text ({media})" if media else "it has no text"
                self.drop("sources", fid, name, reason)
                for attribute in file_attributes.get(fid, {}):
                    self.drop("variables", f"{fid}:{attribute}", attribute, "its source was not imported")
                continue
            cases = source_case.get(fid, [])
            attributes = file_attributes.get(fid, {})
            if cases:
                participant = cases[0][1]
                if len(cases) > 1:
                    self.convert(
                        "sources",
                        fid,
                        name,
                        f"in {len(cases)} cases; belongs to the first "
                        f"({participants[participant].pseudonym})",
                    )
                for attribute in attributes:
                    self.drop(
                        "variables",
                        f"{fid}:{attribute}",
                        attribute,
                        "a source attribute; the workbench keeps attributes on participants (its case)",
                    )
            else:
                participant = f"participant:file-{fid}"
                participants[participant] = ContentParticipant(
                    participant, Path(name).stem or name, dict(attributes)
                )
                for attribute in attributes:
                    self.convert(
                        "variables",
                        f"{fid}:{attribute}",
                        attribute,
                        "kept on the participant made for the source",
                    )
            text = canonical(raw)
            if text != raw:
                self.convert(
                    "sources", fid, name, "line breaks or Unicode form made canonical; offsets re-based"
                )
            source = _Source(f"source:{fid}", name, raw, text, participant)
            sources[fid] = source
            if _text(row["memo"]).strip():
                self.saw("notes", 1)
                self.memos.append(
                    ContentMemo(
                        f"memo:source-{fid}",
                        f"Memo on {name}",
                        _text(row["memo"]),
                        links=(source.key,),
                        author=_text(row["owner"]),
                        created_at=_when(row["date"]),
                    )
                )
        return sources

    def _span(self, source: _Source, pos0: object, pos1: object) -> tuple[int, int] | str:
        """The passage in canonical offsets, or why the stored offsets cannot be used."""
        length = len(source.raw)
        if not isinstance(pos0, int) or not isinstance(pos1, int):
            return f"its offsets {pos0!r}-{pos1!r} are not whole numbers"
        if pos0 < 0 or pos1 > length:
            return f"its offsets {pos0}-{pos1} lie past the end of the text ({length} characters)"
        if pos0 >= pos1:
            return f"its offsets {pos0}-{pos1} mark no text"
        if source.text == source.raw:
            return pos0, pos1
        start, end = len(canonical(source.raw[:pos0])), len(canonical(source.raw[:pos1]))
        return (start, end) if start < end else f"its offsets {pos0}-{pos1} mark no text"

    # --- codings --------------------------------------------------------------------------------------

    def _codings(self, sources: dict[int, _Source], codes: set[str]) -> None:
        rows = _rows(
            self.db,
            "SELECT ctid, cid, fid, seltext, pos0, pos1, owner, date, memo FROM code_text ORDER BY ctid",
        )
        self.saw("codings", len(rows))
        coders: set[str] = set()
        for row in rows:
            ident = row["ctid"]
            source = sources.get(row["fid"])
            code = f"code:{row['cid']}"
            name = f"code {row['cid']} on source {row['fid']}"
            if source is None:
                self.drop("codings", ident, name, "its source was not imported")
                continue
            name = f"code {row['cid']} on {source.name}"
            if code not in codes:
                self.drop("codings", ident, name, "its code does not exist")
                continue
            span = self._span(source, row["pos0"], row["pos1"])
            if isinstance(span, str):
                self.drop("codings", ident, name, span)
                continue
            stored = _text(row["seltext"])
            if stored and stored != source.raw[row["pos0"] : row["pos1"]]:
                self.convert(
                    "codings",
                    ident,
                    name,
                    "its stored text differs from the source's text; kept at its offsets",
                )
            coder = _text(row["owner"]).strip()
            entry = source.spans.setdefault(span, _Span(*span))
            if any(c.code == code and c.coder == coder for c in entry.codings):
                self.drop(
                    "codings", ident, name, f"{coder} applied this code to the same passage twice; kept once"
                )
                continue
            coders.add(coder)
            entry.codings.append(
                ContentCoding(
                    code,
                    coder,
                    comment=_text(row["memo"]),
                    created_at=_when(row["date"]),
                    key=f"coding:{ident}",
                )
            )
        self.saw("users", len(coders - {""}))

    def _other_codings(self) -> None:
        for table, what in (("code_image", "an image area coding"), ("code_av", "an audio/video coding")):
            if table not in self.tables:
                continue
            ident = "imid" if table == "code_image" else "avid"
            rows = _rows(self.db, f"SELECT {ident}, cid, id FROM {table} ORDER BY {ident}")
            self.saw("codings", len(rows))
            for row in rows:
                self.drop(
                    "codings",
                    f"{table}-{row[ident]}",
                    f"code {row['cid']} on source {row['id']}",
                    f"{what}: the workbench codes text only",
                )

    # --- memos ----------------------------------------------------------------------------------------

    def _annotations(self, sources: dict[int, _Source]) -> None:
        if "annotation" not in self.tables:
            return
        rows = _rows(self.db, "SELECT anid, fid, pos0, pos1, memo, owner, date FROM annotation ORDER BY anid")
        self.saw("notes", len(rows))
        for row in rows:
            source = sources.get(row["fid"])
            name = f"annotation {row['anid']}"
            if source is None:
                self.drop("notes", f"annotation-{row['anid']}", name, "its source was not imported")
                continue
            span = self._span(source, row["pos0"], row["pos1"])
            if isinstance(span, str):
                self.drop("notes", f"annotation-{row['anid']}", name, span)
                continue
            source.spans.setdefault(span, _Span(*span))
            self.memos.append(
                ContentMemo(
                    f"memo:annotation-{row['anid']}",
                    f"Annotation on {source.name}",
                    _text(row["memo"]),
                    links=(f"segment:{source.key.partition(':')[2]}-{span[0]}-{span[1]}",),
                    author=_text(row["owner"]),
                    created_at=_when(row["date"]),
                )
            )

    def _journals(self, project: dict[str, Any], sources: dict[int, _Source]) -> None:
        if _text(project.get("memo")).strip():
            self.saw("notes", 1)
            self.memos.append(ContentMemo("memo:project", "Project memo", _text(project["memo"])))
        if "journal" not in self.tables:
            return
        rows = _rows(self.db, "SELECT jid, name, jentry, date, owner FROM journal ORDER BY jid")
        self.saw("notes", len(rows))
        for row in rows:
            title = " ".join(_text(row["name"]).split()) or f"journal {row['jid']}"
            self.memos.append(
                ContentMemo(
                    f"memo:journal-{row['jid']}",
                    title,
                    _text(row["jentry"]),
                    type="journal",
                    author=_text(row["owner"]),
                    created_at=_when(row["date"]),
                    modified_at=_when(row["date"]),
                )
            )


def _typed(value: str, valuetype: str) -> Any:
    """A numeric attribute as a number when it reads as one; everything else as text."""
    if valuetype == "numeric":
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() and "." not in value else number
    return value
