"""``workbench import DIR FILE``: a REFI-QDA project or codebook, or a workbench archive, into a project.

All or nothing. Into a new project, everything is built in a hidden folder beside DIR and renamed onto
DIR only when complete, so a failure leaves no DIR at all. Into an existing project, everything is added
in one operation (undoable as one step); the file is read and checked in full before the project is even
opened for writing, and a failure leaves it byte-identical.

TODO(public-api): uses ``workbench.core.project.Project.create`` (and, through `apply`, the operation
machinery); see `apply` for the names the lead is asked to expose.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

from wb_interop import apply
from wb_interop.incoming import Incoming
from wb_interop.progress import Report, quiet
from workbench import BadInputError, Project

MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024


def read_incoming(file: Path, progress: Report = quiet) -> tuple[str, Incoming | dict[str, Any]]:
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
        assert isinstance(content, dict)
        with _building(directory) as build:
            counts = archive.restore(build, content, title=title)
        return {
            "kind": kind,
            "project": str(directory),
            "new": True,
            "counts": counts,
            "notes": [],
            "unplaced": [],
        }
    assert isinstance(content, Incoming)
    summary = f"import {file.name}"
    if new:
        chosen = method or (content.method if content.method in ("gt", "ipa", "none") else "none")
        with _building(directory) as build:
            from workbench.core.project import Project as CoreProject  # TODO(public-api): Project.create

            with CoreProject.create(build, title or content.title, chosen) as project:
                apply.write(project, content, summary, keep_ids=True, undoable=False, progress=progress)
    else:
        from workbench import open_project

        with open_project(str(directory), write=True) as project:
            _reuse_codes(project, content)
            apply.write(project, content, summary, keep_ids=False, undoable=True, progress=progress)
    return {
        "kind": kind,
        "project": str(directory),
        "new": new,
        "counts": content.counts(),
        "notes": content.notes,
        "unplaced": content.unplaced,
    }


def _reuse_codes(project: Project, content: Incoming) -> None:
    """Codes whose label the project already has are merged into the existing code, and said so."""
    for code in content.codes:
        if code.status != "active":
            continue
        existing = project.find_code(code.label, ids=False)
        if existing is not None:
            code.existing_id = existing["id"]
            content.notes.append(
                f"code {code.label!r} already exists ({existing['id']}); its codings join it"
            )


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
