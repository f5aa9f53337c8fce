"""``workbench import DIR FILE``: a REFI-QDA project or codebook, or a workbench archive, into a project.

All or nothing. Into a new project, everything is built in a hidden folder beside DIR and renamed onto
DIR only when complete, so a failure leaves no DIR at all. Into an existing project, everything is added
in one operation (undoable as one step); the file is read and checked in full before the project is even
opened for writing, and a failure leaves it byte-identical.

Only the host's public API is used: ``Project.create``, ``open_project``, ``import_content`` (through
`apply`) and ``restore_archive`` (through `archive`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wb_interop import apply
from wb_interop.incoming import Incoming
from wb_interop.progress import Report, quiet
from workbench import BadInputError, Project, Scrubber

if TYPE_CHECKING:
    from wb_interop.archive import Archive

MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024


def read_incoming(file: Path, progress: Report = quiet) -> tuple[str, Incoming | Archive]:
    """Read and check `file` completely; returns its kind ("qdpx", "qdc", "archive") and its content."""
    from wb_interop import archive, refi_import

    where = str(file)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInputError(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", where)
        data = file.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read file ({exc.strerror})", where) from None
    suffix = file.suffix.lower()
    is_zip = data.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if is_zip and archive.is_archive(data, where):
        return "archive", archive.read_archive(data, where)
    if suffix == ".qdpx" or (is_zip and suffix not in (".qdc", ".qde")):
        return "qdpx", refi_import.read_qdpx(file, data, progress)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    if suffix == ".qdc" or b"<CodeBook" in head:
        return "qdc", refi_import.read_qdc(file, data)
    if suffix == ".qde" or b"<Project" in head:
        from wb_interop.safe_xml import parse

        return "qdpx", refi_import._project(parse(data, where), where, lambda _ref: None, progress)
    raise BadInputError("not a REFI-QDA .qdpx/.qdc file or a workbench archive", where)


def is_project(directory: Path) -> bool:
    return (directory / "project.json").is_file()


def import_file(
    directory: Path,
    file: Path,
    *,
    title: str | None = None,
    method: str | None = None,
    progress: Report = quiet,
) -> dict[str, Any]:
    """Import `file` into the project at `directory` (created if missing); returns what was done."""
    from wb_interop import archive

    kind, content = read_incoming(file, progress)
    new = not is_project(directory)
    if new and directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BadInputError("exists and is not a workbench project or an empty folder", str(directory))
    if kind == "archive":
        if not new:
            raise BadInputError(
                "an archive restores a whole project; import it into a new folder", str(directory)
            )
        assert isinstance(content, archive.Archive)
        with _building(directory) as build:
            counts, stripped = archive.restore(build, content, title=title, where=str(file))
        return {
            "kind": kind,
            "project": str(directory),
            "new": True,
            "counts": counts,
            "notes": stripped,
            "unplaced": [],
        }
    assert isinstance(content, Incoming)
    scrub = Scrubber()
    title = title or scrub.text(content.title, "project name", lines=False)
    chosen = method or (content.method if content.method in ("gt", "ipa", "none") else "none")
    notes, unplaced = content.notes, content.unplaced
    neutral = apply.to_content(content)
    del content  # the reader's objects are larger than the content; let them go before the import
    summary = f"import {file.name}"
    options: dict[str, Any] = {"where": str(file), "progress": progress}
    if new:
        with _building(directory) as build, Project.create(build, title, chosen) as project:
            counts, more = apply.write(project, neutral, summary, keep_ids=True, undoable=False, **options)
    else:
        from workbench import open_project

        with open_project(str(directory), write=True) as project:
            counts, more = apply.write(
                project, neutral, summary, keep_ids=False, undoable=True, reuse_codes=True, **options
            )
    return {
        "kind": kind,
        "project": str(directory),
        "new": new,
        "counts": {**counts, "unplaced": len(unplaced)},
        "notes": [*notes, *scrub.report(), *more],
        "unplaced": unplaced,
    }


@contextlib.contextmanager
def _building(directory: Path) -> Any:
    """A hidden folder beside `directory` that becomes `directory` only if the block succeeds."""
    parent = directory.parent
    if not parent.is_dir():
        raise BadInputError("the folder to create the project in does not exist", str(parent))
    build = parent / f".{directory.name}.importing-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    try:
        yield build
        if directory.exists():
            directory.rmdir()  # checked empty above
        os.rename(build, directory)
    finally:
        shutil.rmtree(build, ignore_errors=True)
