"""Read a qc (qualitative-coding) project into the workbench's neutral `Content`.

The layout is qc's own (``qualitative_coding/corpus.py``, ``database/models.py``, ``tree_node.py``,
``views/viewer.py`` and the migrations, release 1.7.8): ``settings.yaml`` names the rest, each path
relative to the settings file's folder: ``corpus_dir`` (the texts, any depth), ``codebook`` (a YAML list
whose items are a code name or ``{name: [children]}``; a name may appear in several places),
``memos_dir`` (``*.md`` memos) and, since qc 1.0 (``qc_version`` >= 1.0.0), ``database``: an SQLite file
(SQLAlchemy's tables ``document`` (``file_path`` relative to the corpus, ``file_hash`` the SHA-1 of its
bytes), ``document_index`` (the ``paragraphs`` index of each document), ``location`` (a paragraph's
``start_line``..``end_line``), ``code``, ``coder``, ``coded_line`` (``line``, ``coder_id``, ``code_id``) and
``coded_line_location_association`` (which paragraph, so which document, a coded line is in). Before
1.0 (no ``qc_version``, or one below 1.0.0) codes were files ``codes_dir/TEXT.CODER.codes``: line N of
the file holds the comma-separated codes of line N of ``corpus_dir/TEXT``.

qc codes whole lines, counted from 0 as Python reads the text file (universal newlines: ``\\r\\n``,
``\\r`` and ``\\n`` each end a line), which is how qc's own REFI-QDA export places them. Each coded line
becomes a segment from the line's first character to its last (the line break left out, end-exclusive),
re-based into the canonical text (no BOM, LF, NFC), with one coding per qc coder and code.

Mapping: corpus texts become sources (one participant each), the codebook one code tree (a code used
but missing from the codebook is added at the top, as ``qc codebook`` would), coded lines codings,
memos memos (author and time from qc's memo heading). What has no place (a line past the end of its
text, a blank line, a document whose file is missing, a file in the corpus qc never registered) is left
out and named in the fidelity report. A text changed since qc registered it (its SHA-1 differs, which
qc's ``qc check`` also reports) comes in with its segments flagged for review. A project that is not a
sound qc project of a layout this reader knows is refused in one line, before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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

#: The newest qc release this reader was checked against (its schema has been the same since 1.0.0).
KNOWN_VERSION = (1, 7, 8)
#: The release that moved codes from per-coder code files into the SQLite database.
DATABASE_SINCE = (1, 0, 0)
#: qc's tables (``database/models.py``) and the columns read from each.
TABLES: dict[str, tuple[str, ...]] = {
    "document": ("file_path", "file_hash"),
    "document_index": ("id", "name", "document_id"),
    "location": ("id", "start_line", "end_line", "document_index_id"),
    "code": ("name",),
    "coder": ("name",),
    "coded_line": ("id", "line", "coder_id", "code_id"),
    "coded_line_location_association": ("coded_line_id", "location_id"),
}
CODER = "qc"
MAX_SETTINGS_BYTES = 1 << 20  # settings.yaml and codebook.yaml each
#: How deeply a YAML file may nest collections (a codebook tree is two per level of codes).
MAX_YAML_DEPTH = 100
MAX_TEXT_BYTES = 64 << 20
MAX_FILES = 20_000
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$")
_LINE_BREAKS = str.maketrans({"\f": "\n", "\v": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
_MEMO_BY = re.compile(r"^Memo by (?P<author>.+) on (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d)$")
_MEMO_STAMP = re.compile(r"^(?P<author>\S.*) (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d)$")
_MEMO_FILE = re.compile(r"^(?P<date>\d{4}-\d\d-\d\d)-(?P<hour>\d\d)-(?P<minute>\d\d)_")
_LABEL_LIMIT = 200


def canonical(text: str) -> str:
    """The form the workbench counts offsets in: no BOM, LF line breaks, NFC (line breaks already LF)."""
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff").translate(_LINE_BREAKS))


def _label(raw: str) -> str:
    return " ".join(raw.split())[:_LABEL_LIMIT].rstrip()


def _version_text(version: tuple[int, int, int]) -> str:
    return ".".join(map(str, version))


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _read_bytes(path: Path, limit: int) -> bytes | str:
    """The file's bytes, or why they cannot be read; never more than `limit` bytes are read."""
    try:
        size = path.stat().st_size
        if size > limit:
            return f"it is {size:,} bytes; the limit is {limit:,}"
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:  # it grew since, or is not a regular file
            return f"it is more than {limit:,} bytes; the limit is {limit:,}"
        return data
    except FileNotFoundError:
        return "its file is missing"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"


def _walk(folder: Path) -> tuple[list[str], bool]:
    """Files under `folder` as sorted POSIX paths relative to it, and whether the walk hit `MAX_FILES`."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file():
                found.append(path.relative_to(folder).as_posix())
                if len(found) >= MAX_FILES:
                    return found, True
    return found, False


# --- YAML ------------------------------------------------------------------------------------------------

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _TextLoader(_SafeLoader):
    """PyYAML's safe loader, with every plain scalar read as text except an empty one, ``~`` and ``null``.

    qc's settings and code names are names: a code ``2020``, ``yes`` or ``2024-05-01`` that a researcher
    typed into codebook.yaml is the code of that name in qc's database, not a number, boolean or date.
    A mapping with a key twice is refused (PyYAML would keep the last silently).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key.value!r} appears twice", key.start_mark
                    )
                seen.add(key.value)
        return super().construct_mapping(node, deep)


_TextLoader.yaml_implicit_resolvers = {}  # none of the safe loader's: plain scalars are text ...
_TextLoader.add_implicit_resolver(  # ... but for null
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class YamlRefused(ValueError):
    """A YAML file refused: not YAML, or YAML qc never writes. The message is one line."""


def _where(mark: object) -> str:
    """``line L, column C: `` for a PyYAML mark (the pure-Python one or libyaml's), or ""."""
    line, column = getattr(mark, "line", None), getattr(mark, "column", None)
    return (
        f"line {line + 1}, column {column + 1}: " if isinstance(line, int) and isinstance(column, int) else ""
    )


def load_yaml(text: str) -> Any:
    """The one YAML document `text`: dicts, lists, text and None, read by PyYAML's safe loader.

    Anchors and aliases (which qc never writes, and which can make a small file expand without bound),
    explicit tags and collections nested more than `MAX_YAML_DEPTH` deep are refused before anything is
    built, from the parser's event stream; any `yaml.YAMLError` becomes `YamlRefused` in one line.
    """
    text = text.removeprefix("\ufeff")
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_TextLoader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused(
                    f"{_where(event.start_mark)}an alias (*{event.anchor}), which qc never writes"
                )
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise YamlRefused(
                    f"{_where(event.start_mark)}an anchor (&{event.anchor}), which qc never writes"
                )
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and event.tag is not None:
                raise YamlRefused(f"{_where(event.start_mark)}a tag ({event.tag}), which qc never writes")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise YamlRefused(
                        f"{_where(event.start_mark)}nested more than {MAX_YAML_DEPTH} levels deep"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=_TextLoader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        problem = ": ".join(str(p) for p in (exc.context, exc.problem) if p) or "not YAML"
        raise YamlRefused(
            " ".join(f"{_where(exc.problem_mark or exc.context_mark)}{problem}".split())
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()
        raise YamlRefused(" ".join((first[0] if first else "not YAML").split())) from None


# --- settings.yaml --------------------------------------------------------------------------------------


@dataclass
class _Settings:
    path: Path
    values: dict[str, Any]
    version: tuple[int, int, int] | None
    legacy: bool  # per-coder code files (before qc 1.0), not the database

    @property
    def where(self) -> str:
        return str(self.path)

    def refuse(self, message: str) -> BadInputError:
        return BadInputError(message, self.where)

    def path_of(self, key: str) -> Path:
        """The path setting `key` names, relative to the settings file's folder as qc resolves it."""
        value = self.values.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.refuse(f"not a qc settings file this reader knows: {key!r} is not a path")
        path = Path(value)
        return path if path.is_absolute() else self.path.parent / path

    @property
    def origin(self) -> str:
        version = _version_text(self.version) if self.version else ""
        if self.legacy:
            return f"qc {version or 'before 1.0'} (per-coder code files)"
        return f"qc {version or '(no qc_version)'} (database {self.path_of('database').name})"


def read_settings(path: Path) -> _Settings:
    """The settings file at `path` (a project folder: its ``settings.yaml``), checked to be qc's."""
    if path.is_dir():
        path = path / "settings.yaml"
    where = str(path)
    data = _read_bytes(path, MAX_SETTINGS_BYTES)
    if isinstance(data, str):
        message = "not found" if data == "its file is missing" else data.replace("it ", "the file ", 1)
        raise BadInputError(message, where)
    if b"\x00" in data:
        raise BadInputError("not a qc settings file: binary data (corrupt, or another program's file)", where)
    text = _decode(data)
    if text is None:
        raise BadInputError("not a qc settings file: not UTF-8 text (corrupt or truncated?)", where)
    try:
        values = load_yaml(text)
    except YamlRefused as exc:
        raise BadInputError(f"not a qc settings file this reader can read: {exc}", where) from None
    if not isinstance(values, dict):
        raise BadInputError("not a qc settings file (qc's settings are a YAML mapping)", where)
    for key in ("corpus_dir", "codebook"):
        if key not in values:
            raise BadInputError(f"not a qc (qualitative-coding) settings file: no {key!r} setting", where)
    raw_version = values.get("qc_version")
    version: tuple[int, int, int] | None = None
    if raw_version is not None:
        match = _VERSION.match(str(raw_version).strip())
        if match is None:
            raise BadInputError(f"unknown qc version {raw_version!r} (setting qc_version)", where)
        version = (int(match[1]), int(match[2]), int(match[3]))
        if version[0] > KNOWN_VERSION[0]:
            raise BadInputError(
                f"written by a newer qc (qc_version {raw_version}); this reader knows qc up to "
                f"{_version_text(KNOWN_VERSION)}: export it with `qc export PROJECT.qdpx` and import that",
                where,
            )
        legacy = version < DATABASE_SINCE
    elif "database" in values:
        legacy = False
    elif "codes_dir" in values:
        legacy = True
    else:
        raise BadInputError("not a qc settings file: neither a 'database' nor a 'codes_dir' setting", where)
    if legacy and "codes_dir" not in values:
        raise BadInputError(f"a qc project before 1.0 ({raw_version}) without a 'codes_dir' setting", where)
    if not legacy and "database" not in values:
        raise BadInputError("not a qc settings file: no 'database' setting", where)
    return _Settings(path, values, version, legacy)


# --- texts ------------------------------------------------------------------------------------------------


@dataclass
class _Text:
    key: str
    name: str  # the path relative to the corpus folder, as qc names the document
    raw: str  # decoded, line breaks made LF as Python's text mode does
    text: str  # canonical
    lines: list[tuple[int, int]]  # each line's [start, end) in `raw`, line break excluded
    flag: str = ""
    spans: dict[tuple[int, int], list[ContentCoding]] = field(default_factory=dict)

    def span(self, line: int) -> tuple[int, int] | None:
        """Line `line` (from 0) in canonical offsets, or None when it holds only white space."""
        start, end = self.lines[line]
        if not self.raw[start:end].strip():
            return None
        if self.text == self.raw:
            return start, end
        first, last = len(canonical(self.raw[:start])), len(canonical(self.raw[:end]))
        return (first, last) if first < last else None


def _line_spans(raw: str) -> list[tuple[int, int]]:
    """Lines as a Python text file iterates them: each ends at a LF, the last may have none."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(raw):
        end = raw.find("\n", start)
        if end < 0:
            spans.append((start, len(raw)))
            break
        spans.append((start, end))
        start = end + 1
    return spans


# --- the reader ---------------------------------------------------------------------------------------


class _Reader(ReadAccount):
    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        super().__init__()
        self.memos: list[ContentMemo] = []
        self.codes: list[ContentCode] = []
        self.code_keys: dict[str, str] = {}  # qc code name -> key
        self.labels: set[str] = set()
        self.texts: dict[str, _Text] = {}  # document name -> text, for those imported
        self.known: set[str] = set()  # document names qc has, imported or not
        self.coders: set[str] = set()
        self.corpus = settings.path_of("corpus_dir")

    # --- the whole project --------------------------------------------------------------------------

    def read(self) -> ProjectRead:
        settings = self.settings
        if not self.corpus.is_dir():
            raise settings.refuse(
                f"no corpus folder {self.corpus.name}/ beside the settings (setting corpus_dir)"
            )
        self.saw("project", 1)
        self._codebook()
        if settings.legacy:
            self._legacy()
        else:
            self._database()
        self._memos()
        self.saw("codes", len(self.code_keys))
        self.saw("users", len(self.coders))
        participants: list[ContentParticipant] = []
        sources: list[ContentSource] = []
        for number, text in enumerate(self.texts.values(), start=1):
            participant = f"participant:{number}"
            participants.append(ContentParticipant(participant, Path(text.name).stem or text.name, {}))
            sources.append(
                ContentSource(
                    text.key,
                    text.name,
                    text.text,
                    participant,
                    segments=tuple(
                        ContentSegment(
                            start,
                            end,
                            tuple(codings),
                            key=f"segment:{number}-{start}-{end}",
                            flag=text.flag,
                        )
                        for (start, end), codings in sorted(text.spans.items())
                    ),
                    importer="qc",
                )
            )
        content = Content(
            participants=tuple(participants),
            sources=tuple(sources),
            codes=tuple(self.codes),
            memos=tuple(self.memos),
        )
        return self.result(
            content,
            title=_label(settings.path.resolve().parent.name) or "qc project",
            origin=settings.origin,
        )

    # --- codebook.yaml ------------------------------------------------------------------------------

    def _codebook(self) -> None:
        path = self.settings.path_of("codebook")
        data = _read_bytes(path, MAX_SETTINGS_BYTES)
        if isinstance(data, str):
            if data == "its file is missing":
                self.notes.append(f"no codebook {path.name}: codes come in flat, from the codings")
                return
            raise BadInputError(f"the codebook cannot be read: {data}", str(path))
        text = _decode(data)
        if text is None or "\x00" in text:
            raise BadInputError("not a qc codebook: not UTF-8 text (corrupt or truncated?)", str(path))
        try:
            tree = load_yaml(text)
        except YamlRefused as exc:
            raise BadInputError(f"not a qc codebook this reader can read: {exc}", str(path)) from None
        if tree is None:
            return
        if not isinstance(tree, list):
            raise BadInputError("not a qc codebook: qc's codebook is a YAML list of codes", str(path))
        for node in tree:
            self._node(node, None, "", path)

    def _node(self, node: Any, parent: str | None, parent_name: str, path: Path) -> None:
        children: list[Any]
        if isinstance(node, str):
            name, children = node, []
        elif isinstance(node, dict) and len(node) == 1:
            ((name, value),) = node.items()
            children = [] if value is None else value
            if not isinstance(children, list):
                raise BadInputError(
                    f"not a qc codebook: what is under {name!r} is not a list of codes", str(path)
                )
        else:
            raise BadInputError(
                f"not a qc codebook: {node!r} is not a code (a name, or a name with a list of codes "
                "under it)",
                str(path),
            )
        if not name.strip():
            raise BadInputError("not a qc codebook: a code without a name", str(path))
        if name in self.code_keys:
            where = f"under {parent_name}" if parent_name else "at the top"
            self.convert(
                "codes", name, name, f"in the codebook again ({where}); kept once, at its first place"
            )
            key = self.code_keys[name]
        else:
            key = self._add_code(name, parent)
        for child in children:
            self._node(child, key, name, path)

    def _add_code(self, name: str, parent: str | None) -> str:
        key = f"code:{len(self.codes) + 1}"
        label = _label(name) or f"(code {len(self.codes) + 1})"
        if label.casefold() in self.labels:
            base, number = label, 2
            while label.casefold() in self.labels:
                label, number = f"{base} ({number})", number + 1
            self.convert("codes", name, name, f"renamed {label!r}: another code has its name")
        elif label != name:
            self.convert("codes", name, name, "name made one line of at most 200 characters")
        self.labels.add(label.casefold())
        self.code_keys[name] = key
        self.codes.append(ContentCode(key, label, parent=parent))
        return key

    def _code_for(self, name: str) -> str:
        """The key of code `name`, added at the top when the codebook does not have it."""
        if name not in self.code_keys:
            self._add_code(name, None)
            self.convert("codes", name, name, "used in codings but not in the codebook; added at the top")
        return self.code_keys[name]

    # --- corpus texts --------------------------------------------------------------------------------

    def _text(self, name: str, expected_hash: str | None) -> None:
        """Load corpus text `name` (a path relative to the corpus folder) or name why it is left out."""
        self.known.add(name)
        path = self.corpus / name
        try:
            inside = path.resolve().is_relative_to(self.corpus.resolve())
        except (OSError, ValueError):
            inside = False
        if not name.strip() or Path(name).is_absolute() or not inside:
            self.drop("sources", name, name, "its path leads out of the corpus folder")
            return
        data = _read_bytes(path, MAX_TEXT_BYTES)
        if isinstance(data, str):
            reason = (
                f"its file is missing from {self.corpus.name}/" if data == "its file is missing" else data
            )
            self.drop("sources", name, name, reason)
            return
        decoded = _decode(data)
        if decoded is None:
            self.drop("sources", name, name, "not UTF-8 text")
            return
        raw = decoded.replace("\r\n", "\n").replace("\r", "\n")
        if not raw.strip():
            self.drop("sources", name, name, "it has no text")
            return
        text = _Text(f"source:{len(self.texts) + 1}", name, raw, canonical(raw), _line_spans(raw))
        if expected_hash is not None and hashlib.sha1(data).hexdigest() != expected_hash:
            text.flag = "text changed since qc registered it: check that the coded lines still fit"
            self.convert(
                "sources",
                name,
                name,
                "changed since qc registered it (its SHA-1 differs, as `qc check` reports); its coded "
                "lines are kept at their line numbers and flagged for review",
            )
        if text.text != raw or "\r" in decoded:
            self.convert(
                "sources", name, name, "line breaks or Unicode form made canonical; offsets re-based"
            )
        self.texts[name] = text

    def _unregistered(self, registered: set[str]) -> None:
        """Files in the corpus folder that qc's database does not list (qc check names them too)."""
        files, capped = _walk(self.corpus)
        if capped:
            self.notes.append(
                f"the corpus folder has more than {MAX_FILES:,} files; only the first were looked at"
            )
        for name in files:
            if name not in registered:
                self.saw("sources", 1)
                self.drop(
                    "sources",
                    name,
                    name,
                    "in the corpus folder but not part of the qc project "
                    "(never added with `qc corpus import`)",
                )

    # --- codings -----------------------------------------------------------------------------------

    def _coding(self, ident: object, document: object, line: object, coder: object, code: object) -> None:
        shown = f"line {line + 1}" if isinstance(line, int) else f"line {line!r}"
        name = f"{code} by {coder} on {document} {shown}"
        if not isinstance(document, str):
            self.drop("codings", ident, name, "it is attached to no document (no paragraph in qc's database)")
            return
        text = self.texts.get(document)
        if text is None:
            reason = (
                "its document was not imported"
                if document in self.known
                else "its document is not in the project"
            )
            self.drop("codings", ident, name, reason)
            return
        if not isinstance(line, int) or isinstance(line, bool):
            self.drop("codings", ident, name, f"its line {line!r} is not a whole number")
            return
        if line < 0 or line >= len(text.lines):
            count = len(text.lines)
            self.drop(
                "codings",
                ident,
                name,
                f"its line {line + 1} lies past the end of the text "
                f"({count} line{'s' if count != 1 else ''})",
            )
            return
        if not isinstance(code, str) or not code.strip():
            self.drop("codings", ident, name, "it has no code")
            return
        span = text.span(line)
        if span is None:
            self.drop("codings", ident, name, f"its line {line + 1} is blank: there is no text to code")
            return
        who = coder.strip() if isinstance(coder, str) else ""
        if not who:
            who = CODER
            self.convert("codings", ident, name, f"no coder named; coded by {CODER!r}")
        key = self._code_for(code)
        entry = text.spans.setdefault(span, [])
        if any(c.code == key and c.coder == who for c in entry):
            self.drop("codings", ident, name, f"{who} applied this code to the same line twice; kept once")
            return
        self.coders.add(who)
        entry.append(ContentCoding(key, who, key=f"coding:{ident}"))

    # --- qc 1.0 and later: the database ----------------------------------------------------------------

    def _database(self) -> None:
        database = self.settings.path_of("database")
        if database.is_dir():
            raise BadInputError("a folder, not qc's SQLite database", str(database))
        with open_sqlite_read_only(
            database,
            what="qc's SQLite database",
            missing=f"no database {database.name} (setting 'database'): not a complete qc project",
        ) as connection:
            try:
                self._check_schema(connection, str(database))
                self._documents(connection)
                self._coded_lines(connection)
                self._unused_codes(connection)
            except sqlite3.Error as exc:
                raise BadInputError(f"not a qc database this reader knows: {exc}", str(database)) from None

    def _check_schema(self, db: sqlite3.Connection, where: str) -> None:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [t for t in TABLES if t not in tables]
        if missing:
            if {"projects", "documents", "highlights", "tags"} <= tables:
                raise BadInputError("this is a Taguette database, not a qc project's", where)
            if {"source", "code_name", "code_text"} <= tables:
                raise BadInputError("this is a QualCoder database (data.qda), not a qc project's", where)
            raise BadInputError(f"not a qc database (no table {missing[0]!r})", where)
        for table, columns in TABLES.items():
            have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            for column in columns:
                if column not in have:
                    raise BadInputError(
                        f"not a qc database this reader knows (table {table!r} has no column {column!r})",
                        where,
                    )
        extra = sorted(tables - set(TABLES) - {"sqlite_sequence"})
        version = self.settings.version
        newer = version is not None and version > KNOWN_VERSION
        if extra and newer:
            assert version is not None
            raise BadInputError(
                f"written by a newer qc (qc_version {_version_text(version)}, with tables this reader does "
                f"not know: {', '.join(extra)}); this reader knows qc up to {_version_text(KNOWN_VERSION)}: "
                "export it with `qc export PROJECT.qdpx` and import that",
                where,
            )
        if extra:
            self.notes.append(f"tables that are not qc's were not read: {', '.join(extra)}")
        if newer:
            assert version is not None
            self.notes.append(
                f"qc_version {_version_text(version)} is newer than {_version_text(KNOWN_VERSION)}, the last "
                "release this reader was checked against; its tables are the ones this reader knows"
            )

    def _documents(self, db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT file_path, file_hash FROM document ORDER BY rowid").fetchall()
        self.saw("sources", len(rows))
        for file_path, file_hash in rows:
            name = file_path if isinstance(file_path, str) else str(file_path)
            self._text(name, file_hash if isinstance(file_hash, str) else "")
        self._unregistered(self.known)

    def _coded_lines(self, db: sqlite3.Connection) -> None:
        rows = db.execute(
            "SELECT cl.id, cl.line, cl.coder_id, cl.code_id, ("
            " SELECT di.document_id FROM coded_line_location_association a"
            " JOIN location l ON l.id = a.location_id"
            " JOIN document_index di ON di.id = l.document_index_id"
            " WHERE a.coded_line_id = cl.id AND di.name = 'paragraphs' ORDER BY l.id LIMIT 1"
            ") FROM coded_line cl ORDER BY cl.id"
        ).fetchall()
        self.saw("codings", len(rows))
        for ident, line, coder, code, document in rows:
            self._coding(ident, document, line, coder, code)

    def _unused_codes(self, db: sqlite3.Connection) -> None:
        """Codes in qc's code table that are neither in the codebook nor on any line (qc shows them
        nowhere)."""
        for (name,) in db.execute("SELECT name FROM code ORDER BY rowid"):
            if isinstance(name, str) and name not in self.code_keys:
                self.saw("codes", 1)
                self.drop(
                    "codes", name, name, "in qc's code table, but neither in the codebook nor on any line"
                )

    # --- before qc 1.0: per-coder code files --------------------------------------------------------

    def _legacy(self) -> None:
        files, capped = _walk(self.corpus)
        if capped:
            self.notes.append(
                f"the corpus folder has more than {MAX_FILES:,} files; only the first were read"
            )
        self.saw("sources", len(files))
        for name in files:
            self._text(name, None)
        codes_dir = self.settings.path_of("codes_dir")
        if not codes_dir.is_dir():
            self.notes.append(
                f"no code files: the folder {codes_dir.name}/ (setting codes_dir) does not exist"
            )
            return
        code_files, capped = _walk(codes_dir)
        if capped:
            self.notes.append(f"the codes folder has more than {MAX_FILES:,} files; only the first were read")
        for file_name in code_files:
            if not file_name.endswith(".codes"):
                continue
            document, dot, coder = file_name.removesuffix(".codes").rpartition(".")
            data = _read_bytes(codes_dir / file_name, MAX_TEXT_BYTES)
            text = _decode(data) if isinstance(data, bytes) else None
            if not dot or not coder or text is None:
                self.saw("codings", 1)
                reason = (
                    "its name names no coder (qc names code files TEXT.CODER.codes)"
                    if not dot or not coder
                    else data
                    if isinstance(data, str)
                    else "not UTF-8 text"
                )
                self.drop("codings", file_name, f"code file {file_name}", f"the whole file: {reason}")
                continue
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for number, entry in enumerate(lines):
                for code in (c.strip() for c in entry.split(",")):
                    if code:
                        self.saw("codings", 1)
                        self._coding(f"{file_name}:{number + 1}:{code}", document, number, coder, code)

    # --- memos ----------------------------------------------------------------------------------------

    def _memos(self) -> None:
        if "memos_dir" not in self.settings.values:
            return
        folder = self.settings.path_of("memos_dir")
        if not folder.is_dir():
            return
        files = sorted(p for p in folder.iterdir() if p.is_file())[:MAX_FILES]
        self.saw("notes", len(files))
        for path in files:
            if path.suffix.lower() != ".md":
                self.drop(
                    "notes", path.name, path.name, "not a qc memo (qc's memos are the folder's *.md files)"
                )
                continue
            data = _read_bytes(path, MAX_TEXT_BYTES)
            text = _decode(data) if isinstance(data, bytes) else None
            if text is None:
                reason = data if isinstance(data, str) else "not UTF-8 text"
                self.drop("notes", path.name, path.name, reason)
                continue
            self.memos.append(self._memo(len(self.memos) + 1, path.name, text))

    def _memo(self, number: int, file_name: str, text: str) -> ContentMemo:
        """One memo as qc writes it: ``# TITLE``, a line ``CODER yyyy-mm-dd hh:mm`` (or the heading
        ``# Memo by CODER on yyyy-mm-dd hh:mm``), then the researcher's text."""
        text = canonical(text.replace("\r\n", "\n").replace("\r", "\n"))
        first, _, rest = text.partition("\n")
        title, body = "", text
        if first.startswith("# "):
            title, body = _label(first[2:]), rest.lstrip("\n")
        author, when = "", ""
        match = _MEMO_BY.match(title)
        if match is None:
            match = _MEMO_STAMP.match(body.partition("\n")[0].strip())
        if match is not None:
            author, when = match["author"].strip(), match["when"]
        else:
            stamp = _MEMO_FILE.match(file_name)
            if stamp is not None:
                when = f"{stamp['date']} {stamp['hour']}:{stamp['minute']}"
        if author:
            self.coders.add(author)
        return ContentMemo(
            f"memo:{number}",
            title or Path(file_name).stem,
            body,
            author=author,
            created_at=f"{when.replace(' ', 'T')}:00" if when else None,
        )


def read_project(path: Path) -> ProjectRead:
    """Read the qc project whose settings file is `path` (or the folder holding ``settings.yaml``)."""
    return _Reader(read_settings(path)).read()
