"""Writing export files the way the workbench writes everything: atomically and readable by the owner only.

An export is often an appendix someone will hand in; a crash half-way must leave the old file or the new
one, never half of one, and participants' words must not become world-readable on a shared server (GOV-2).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from workbench import BadInputError

FILE_MODE = 0o600


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary handle on a temp file beside `path`, renamed onto `path` when the block ends cleanly."""
    if path.is_dir():
        raise BadInputError("is a directory; give a file name", str(path))
    if not path.parent.is_dir():
        raise BadInputError("the folder for this file does not exist", str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove_stale_temp_files(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    except OSError as exc:  # where to write is the user's choice: an unwritable place is bad input
        raise BadInputError(f"cannot write here ({exc.strerror})", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _remove_stale_temp_files(path: Path) -> None:
    """Temp files an export killed half-way left beside `path` (their process is gone): never half a file."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = stale.name[len(path.name) + 2 : -len(".tmp")]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_bytes(path: Path, data: bytes) -> Path:
    with atomic_file(path) as handle:
        handle.write(data)
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
