"""The write-ahead journal: one checksummed JSON line per transaction.

An edit is acknowledged only after its line is fsynced, so `kill -9` or power
loss at any instant loses nothing that was reported done. A torn last line is
the signature of a crash mid-append and is dropped with a warning; a bad line
anywhere else means the file was damaged, and the project is refused.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from workbench.core.errors import CorruptProjectError
from workbench.core.store.fsutil import FILE_MODE, fsync_dir


@dataclass(frozen=True)
class Entry:
    seq: int
    ops: list[list[Any]]  # [table, doc_id, doc-or-None]


_STRICT = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def encode(seq: int, ops: list[list[Any]]) -> bytes:
    # orjson, as the checkpoint's tables (store._dump_table): adding a 9,000-word transcript journals
    # its text, turns and line map, ~80 KB, in a tenth of json's time; json for what orjson refuses,
    # which raises as before on what neither writes (a dataclass or datetime: passed through to it).
    try:
        raw = orjson.dumps({"seq": seq, "ops": ops}, option=_STRICT)
    except orjson.JSONEncodeError:
        raw = json.dumps({"seq": seq, "ops": ops}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"%08x " % zlib.crc32(raw) + raw + b"\n"


def read(path: Path) -> tuple[list[Entry], str | None]:
    """Return the journal's entries and a warning if a torn last line was dropped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], None
    entries: list[Entry] = []
    lines = data.split(b"\n")
    complete, tail = lines[:-1], lines[-1]
    warning = None
    for number, line in enumerate(complete, start=1):
        entry = _decode(line)
        if entry is None:
            # A complete line (newline written) was acknowledged: a bad one is damage, never a torn write.
            raise CorruptProjectError(f"journal line {number} is damaged (checksum mismatch)", str(path))
        entries.append(entry)
    if tail:
        warning = f"{path.name}: dropped an incomplete last transaction (line {len(complete) + 1})"
    return entries, warning


def _decode(line: bytes) -> Entry | None:
    if len(line) < 10 or line[8:9] != b" ":
        return None
    raw = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(raw):
            return None
        obj = orjson.loads(raw)  # a session's journal (up to megabytes) is read at every open
        return Entry(int(obj["seq"]), list(obj["ops"]))
    except (ValueError, KeyError, TypeError):
        return None


class JournalWriter:
    """Appends durable entries; owned by the single writer process."""

    def __init__(self, path: Path, *, valid_length: int | None = None) -> None:
        self.path = path
        created = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
        if created:
            fsync_dir(path.parent)  # the new file's name must survive power loss too
        if valid_length is not None:
            # Cut a torn tail away so the next entry starts on a clean line.
            os.ftruncate(self._fd, valid_length)
        os.lseek(self._fd, 0, os.SEEK_END)
        self.size = os.lseek(self._fd, 0, os.SEEK_CUR)
        self.count = 0

    def append(self, seq: int, ops: list[list[Any]]) -> None:
        line = encode(seq, ops)
        start = self.size
        try:
            view = memoryview(line)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fdatasync(self._fd)
        except OSError:
            # Disk full or I/O error: leave no half line behind, report, change nothing.
            os.ftruncate(self._fd, start)
            os.lseek(self._fd, start, os.SEEK_SET)
            raise
        self.size += len(line)
        self.count += 1

    def reset(self) -> None:
        """Empty the journal after a checkpoint made its entries redundant."""
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.fsync(self._fd)
        self.size = 0
        self.count = 0

    def close(self) -> None:
        os.close(self._fd)


def valid_prefix_length(path: Path) -> int:
    """Byte length of the journal up to and including its last complete, valid line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    length = 0
    for line in data.split(b"\n")[:-1]:
        if _decode(line) is None:
            break
        length += len(line) + 1
    return length
