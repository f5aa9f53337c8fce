"""``workbench import DIR FILE``: a REFI-QDA project or codebook, or a workbench archive, into a project.

All or nothing. Into a new project, everything is built in a hidden folder beside DIR and renamed onto
DIR only when complete, so a failure leaves no DIR at all. Into an existing project, everything is added
in one operation (undoable as one step); the file is read and checked in full before the project is even
opened for writing, and a failure leaves it byte-identical. What a REFI-QDA file holds that cannot come
in (a PDF source, a selection outside its text) is left out and named in the fidelity report
(`fidelity`); anything else wrong refuses the import in one line.

A dry run reads and checks exactly as the import does (against the existing project opened read-only,
or against an empty scratch project outside DIR) and writes nothing: no DIR is created, an existing one
stays byte-for-byte as it was.

Only the host's public API is used: ``Project.create``, ``open_project``, ``import_content`` (through
`apply`) and ``restore_archive`` (through `archive`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wb_interop import apply
from wb_interop.fidelity import Fidelity
from wb_interop.incoming import Incoming
from wb_interop.progress import Report, quiet
from workbench import BadInputError, Project, Scrubber

if TYPE_CHECKING:
    from wb_interop.archive import Archive
    from workbench import ProjectFormat, ProjectRead

MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
#: Read by this plugin itself, whatever project formats other plugins register.
OWN_SUFFIXES = (".qdpx", ".qdc", ".qde", ".zip")
_SQLITE = b"SQLite format 3\x00"


def read_project_format(file: Path) -> tuple[ProjectFormat, ProjectRead] | None:
    """Another program's project read by a registered project format (`register_project_formats`), or
    None when the file is REFI-QDA, an archive, or claimed by no format (then `read_incoming` decides)."""
    from workbench import plugin_host

    if file.suffix.lower() in OWN_SUFFIXES:
        return None
    host = plugin_host()
    fmt = host.project_format_for(file)
    if fmt is None:
        formats = host.project_formats()
        if file.is_dir():
            folders = [f"one holding {' or '.join(f.markers)} ({f.name})" for f in formats if f.markers]
            raise BadInputError(
                "a folder that no project format reads; folders understood: "
                f"{', '.join(folders) or 'none (no project format reads folders)'}",
                str(file),
            )
        if _is_sqlite(file):
            claimed = ", ".join(f"{ext} ({f.name})" for f in formats for ext in f.extensions)
            raise BadInputError(
                "an SQLite database that no project format reads by its name; formats: "
                f"{claimed or 'none registered'}",
                str(file),
            )
        return None
    if not file.exists():
        raise BadInputError("not found", str(file))
    return fmt, host.run_project_format(fmt, file)


def _is_sqlite(file: Path) -> bool:
    try:
        with file.open("rb") as handle:
            return handle.read(16) == _SQLITE
    except OSError:
        return False


def _fidelity_of(fmt: ProjectFormat, read: ProjectRead, file: Path) -> Fidelity:
    """The fidelity account of a project format's read, in the same shape as a REFI-QDA import's."""
    fid = Fidelity(format=fmt.name, file=str(file), origin=read.origin)
    for element, count in read.found.items():
        fid.saw(element, count)
    for item in read.items:
        if item.action == "dropped":
            fid.drop(item.element, item.id, item.name, item.reason)
        else:
            fid.convert(item.element, item.id, item.name, item.reason)
    return fid


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
        return "qdpx", refi_import.read_qde(file, data, progress)
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
    dry_run: bool = False,
) -> dict[str, Any]:
    """Import `file` into the project at `directory` (created if missing); returns what was done.

    The result's ``fidelity`` is the element-by-element report (`Fidelity.to_json`). With `dry_run`
    nothing is written anywhere and the result says what the import would do.
    """
    from wb_interop import archive

    foreign = read_project_format(file)
    if foreign is not None:
        fmt, read = foreign
        kind: str = fmt.name
        content: Incoming | Archive | None = None
    else:
        kind, content = read_incoming(file, progress)
    new = not is_project(directory)
    if new and directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BadInputError("exists and is not a workbench project or an empty folder", str(directory))
    context = {"project": str(directory), "new_project": new, "dry_run": dry_run}
    if kind == "archive":
        if not new:
            raise BadInputError(
                "an archive restores a whole project; import it into a new folder", str(directory)
            )
        assert isinstance(content, archive.Archive)
        if dry_run:
            with tempfile.TemporaryDirectory(prefix="wb-dry-run-") as scratch:
                counts, stripped = archive.restore(Path(scratch) / "p", content, title=title, where=str(file))
        else:
            with _building(directory) as build:
                counts, stripped = archive.restore(build, content, title=title, where=str(file))
        return {
            "kind": kind,
            "project": str(directory),
            "new": True,
            "dry_run": dry_run,
            "counts": counts,
            "notes": stripped,
            "unplaced": [],
            "fidelity": _archive_report(file, counts, context),
        }
    scrub = Scrubber()
    if foreign is not None:
        fmt, read = foreign
        title = title or scrub.text(read.title or file.stem, "project name", lines=False)
        chosen = method or (read.method if read.method in ("gt", "ipa", "none") else "none")
        notes, unplaced, fid = list(read.notes), [], _fidelity_of(fmt, read, file)
        neutral = read.content
    else:
        assert isinstance(content, Incoming)
        title = title or scrub.text(content.title, "project name", lines=False)
        chosen = method or (content.method if content.method in ("gt", "ipa", "none") else "none")
        notes, unplaced, fid = content.notes, content.unplaced, content.fidelity
        neutral = apply.to_content(content)
    del content  # the reader's objects are larger than the content; let them go before the import
    summary = f"import {file.name}"
    options: dict[str, Any] = {"where": str(file), "progress": progress, "check_only": dry_run}
    if new:
        with contextlib.ExitStack() as stack:
            if dry_run:  # an empty scratch project outside DIR, thrown away: DIR is never created
                build = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wb-dry-run-"))) / "p"
            else:
                build = stack.enter_context(_building(directory))
            project = stack.enter_context(Project.create(build, title, chosen))
            counts, more = apply.write(project, neutral, summary, keep_ids=True, undoable=False, **options)
    else:
        from workbench import open_project

        with open_project(str(directory), write=not dry_run) as project:
            counts, more = apply.write(
                project, neutral, summary, keep_ids=False, undoable=True, reuse_codes=True, **options
            )
    return {
        "kind": kind,
        "project": str(directory),
        "new": new,
        "dry_run": dry_run,
        "counts": {**counts, "unplaced": len(unplaced)},
        "notes": [*notes, *scrub.report(), *more],
        "unplaced": unplaced,
        "fidelity": fid.to_json(**context),
    }


def _archive_report(file: Path, counts: dict[str, int], context: dict[str, Any]) -> dict[str, Any]:
    """A workbench archive restores everything: one element per table, all of it imported."""
    report = Fidelity(format="archive", file=str(file), origin="Qualitative Workbench").to_json(**context)
    report["elements"] = {
        table: {"found": n, "imported": n, "converted": 0, "dropped": 0, "items": []}
        for table, n in counts.items()
    }
    return report


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
