"""The full project archive (EXP-5): everything a supervisor or auditor needs, in one checked zip.

Layout::

    manifest.json        format, project, who and when, and the sha256 of every other member
    project/meta.json    title, method, settings
    project/<table>.json every document of each table (participants, sources, versions, codes, ...)
    texts/<Vn>.txt       each transcript version's text, UTF-8
    texts/<Vn>.json      its turns and line map
    audit.jsonl          the hash-chained audit log, one event per line

Restoring checks every hash before reading anything, and has the host rebuild the project with the same
ids in one operation (``restore_archive``); the archived audit log is kept beside it as
``archived-audit.jsonl`` (the new project starts its own chain, whose first event records the restore).
Which tables a project has and what their documents hold is the host's business (``dump_project``):
this module only packs them, hashes them and checks them.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wb_interop.output import atomic_file
from wb_interop.safe_zip import check_archive, open_zip, read_member
from workbench import (
    BadInputError,
    ProjectDump,
    VersionText,
    dump_project,
    restore_archive,
    write_private_file,
)

if TYPE_CHECKING:
    from workbench import Project

FORMAT = "qual-workbench-archive"
VERSION = 1


@dataclass(frozen=True)
class Archive:
    """A checked archive: its manifest, the project it holds, and the archived audit log (JSON lines)."""

    manifest: dict[str, Any]
    dump: ProjectDump
    audit: bytes


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def export_archive(project: Project, destination: Path) -> Path:
    """Write the archive of `project` to `destination` (a .zip)."""
    dump = dump_project(project)
    members: dict[str, bytes] = {"project/meta.json": _json(dump.meta)}
    for table, docs in dump.tables.items():
        members[f"project/{table}.json"] = _json(docs)
    for vid, version in dump.texts.items():
        members[f"texts/{vid}.txt"] = version.text.encode("utf-8")
        members[f"texts/{vid}.json"] = _json(version.layout)
    members["audit.jsonl"] = b"".join(
        json.dumps(event, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
        for event in project.audit_events()
    )
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "title": project.title,
        "method": project.method,
        "created_by": project.actor,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    with atomic_file(destination) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(manifest))
        for name, data in sorted(members.items()):
            archive.writestr(name, data)
    return destination


def is_archive(data: bytes, where: str) -> bool:
    with open_zip(data, where) as archive:
        return "manifest.json" in archive.namelist() and "project/meta.json" in archive.namelist()


def read_archive(data: bytes, where: str) -> Archive:
    """Check the archive (safety, manifest, every hash) and return its parsed members."""
    with open_zip(data, where) as archive:
        check_archive(archive, where)
        try:
            manifest = json.loads(read_member(archive, "manifest.json", where))
        except (KeyError, json.JSONDecodeError):
            raise BadInputError("the archive's manifest.json is missing or damaged", where) from None
        if manifest.get("format") != FORMAT:
            raise BadInputError("not a workbench project archive", where)
        if int(manifest.get("version", 0)) > VERSION:
            raise BadInputError("the archive was made by a newer workbench", where)
        files: dict[str, str] = manifest.get("files", {})
        extra = sorted(set(archive.namelist()) - set(files) - {"manifest.json"})
        if extra:
            raise BadInputError(
                f"the archive holds files its manifest does not list: {', '.join(extra)}", where
            )
        members: dict[str, bytes] = {}
        for name, expected in files.items():
            try:
                data_ = read_member(archive, name, where)
            except KeyError:
                raise BadInputError(f"the archive lacks {name}, which its manifest lists", where) from None
            if hashlib.sha256(data_).hexdigest() != expected:
                raise BadInputError(f"{name} does not match its sha256 in the manifest (altered?)", where)
            members[name] = data_
    try:
        tables = {
            name[len("project/") : -len(".json")]: json.loads(data_)
            for name, data_ in members.items()
            if name.startswith("project/") and name.endswith(".json") and name != "project/meta.json"
        }
        layouts = {
            name[len("texts/") : -len(".json")]: json.loads(data_)
            for name, data_ in members.items()
            if name.startswith("texts/") and name.endswith(".json")
        }
        texts = {
            name[len("texts/") : -len(".txt")]: data_.decode("utf-8")
            for name, data_ in members.items()
            if name.startswith("texts/") and name.endswith(".txt")
        }
        meta = json.loads(members["project/meta.json"])
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError) as exc:
        raise BadInputError(f"the archive's contents are damaged ({exc})", where) from None
    if not all(isinstance(docs, list) for docs in tables.values()) or not all(
        isinstance(layout, dict) for layout in layouts.values()
    ):
        raise BadInputError(
            "the archive's contents are damaged (a table or layout of the wrong shape)", where
        )
    dump = ProjectDump(
        meta, tables, {vid: VersionText(text, layouts.get(vid, {})) for vid, text in texts.items()}
    )
    return Archive(manifest, dump, members.get("audit.jsonl", b""))


def restore(
    directory: Path, archive: Archive, *, title: str | None = None, where: str = "archive"
) -> tuple[dict[str, int], list[str]]:
    """Create the project at `directory` from a checked archive, with the same ids, in one operation.

    Returns how many documents each table got, and what the input policy removed (one line each).
    """
    report = restore_archive(directory, archive.dump, title=title, where=where)
    write_private_file(directory / "archived-audit.jsonl", archive.audit)
    return dict(report.counts), list(report.stripped)
