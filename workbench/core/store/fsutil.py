"""Owner-only, crash-atomic file writes (GOV-2, data is sacred).

Every file the tool writes goes through here so that permissions and the
temp-file + fsync + rename + directory-fsync dance live in one place.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) owner-only; tighten an existing one we own."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):  # parents too: mkdir's parents=True would use the umask
        directory.mkdir(mode=DIR_MODE, exist_ok=True)
    with contextlib.suppress(PermissionError):
        os.chmod(path, DIR_MODE)


def fsync_dir(path: Path) -> None:
    """Make a rename or create inside `path` survive power loss."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write_chunks(path, [data])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace `path` with the chunks so that a crash leaves the old or the new file, never half of one.

    The temp file lives beside the target (same directory, same file system)
    so `os.replace` is atomic and nothing of the project touches /tmp.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    remove_stale_temp_files(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        for data in chunks:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def remove_stale_temp_files(path: Path) -> None:
    """Temp files that a writer of `path` killed half-way left beside it (their process is gone).

    They hold half of an export or a checkpoint, participants' words included, so they must not linger.
    """
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = stale.name[len(path.name) + 2 : -len(".tmp")]
        if pid.isdigit() and not process_alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def write_private_file(path: Path, data: bytes | str) -> Path:
    """Write an output file (a diagram, a report) as the workbench writes everything: atomically and
    readable by the owner only; a full disk or a missing folder is one clear error, not a traceback."""
    from workbench.core.errors import WorkbenchError

    try:
        atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise WorkbenchError(f"cannot write the file ({exc.strerror or exc})", str(path)) from None
    return path
