"""The full project archive (EXP-5): everything a supervisor or auditor needs, in one checked zip.

Layout::

    manifest.json        format, project, who and when, and the sha256 of every other member
    project/meta.json    title, method, settings
    project/<table>.json every document of each table (participants, sources, versions, codes, ...)
    texts/<Vn>.txt       each transcript version's text, UTF-8
    texts/<Vn>.json      its turns and line map
    audit.jsonl          the hash-chained audit log, one event per line

Restoring checks every hash before reading anything, and rebuilds the project with the same ids in one
operation; the archived audit log is kept beside it as ``archived-audit.jsonl`` (the new project starts
its own chain, whose first event records the restore).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wb_interop.output import atomic_file
from wb_interop.safe_zip import check_archive, open_zip, read_member
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

FORMAT = "qual-workbench-archive"
VERSION = 1
TABLES = (
    "participants",
    "sources",
    "versions",
    "codes",
    "segments",
    "codings",
    "memos",
    "links",
    "sets",
    "clusters",
    "records",
    "snapshots",
)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def export_archive(project: Project, destination: Path) -> Path:
    """Write the archive of `project` to `destination` (a .zip)."""
    members: dict[str, bytes] = {}
    meta = dict(project.meta)
    members["project/meta.json"] = _json(meta)
    for table in TABLES:
        members[f"project/{table}.json"] = _json(sorted(project.rows(table), key=lambda d: str(d.get("id"))))
    for version in project.rows("versions"):
        record = project.get("texts", version["id"]) or {}
        members[f"texts/{version['id']}.txt"] = str(record.get("text", "")).encode("utf-8")
        members[f"texts/{version['id']}.json"] = _json({k: v for k, v in record.items() if k != "text"})
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


def read_archive(data: bytes, where: str) -> dict[str, Any]:
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
        return {
            "manifest": manifest,
            "meta": json.loads(members["project/meta.json"]),
            "tables": {t: json.loads(members.get(f"project/{t}.json", b"[]")) for t in TABLES},
            "texts": {
                name[len("texts/") : -len(".txt")]: data_.decode("utf-8")
                for name, data_ in members.items()
                if name.startswith("texts/") and name.endswith(".txt")
            },
            "text_meta": {
                name[len("texts/") : -len(".json")]: json.loads(data_)
                for name, data_ in members.items()
                if name.startswith("texts/") and name.endswith(".json")
            },
            "audit": members.get("audit.jsonl", b""),
        }
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError) as exc:
        raise BadInputError(f"the archive's contents are damaged ({exc})", where) from None


def restore(directory: Path, content: dict[str, Any], *, title: str | None = None) -> dict[str, int]:
    """Create the project at `directory` from a checked archive, with the same ids, in one operation.

    TODO(public-api): ``Project.create`` and ``Project._operation`` (see `apply`).
    """
    from workbench.core.project import Project as CoreProject
    from workbench.core.store.fsutil import atomic_write_bytes

    meta = content["meta"]
    method = meta.get("method", "none")
    with CoreProject.create(directory, title or meta.get("title") or "Restored project", method) as project:
        counters: dict[str, int] = {}
        with project._operation("interop.restore", "project", "restore archive", undoable=False) as tx:
            tx.put("_meta", "project", {**meta, **({"title": title} if title else {})})
            for table in TABLES:
                for doc in content["tables"][table]:
                    ident = str(doc["id"])
                    tx.put(table, ident, doc)
                    prefix = ident.rstrip("0123456789")
                    if prefix != "P" and ident[len(prefix) :].isdigit():
                        counters[prefix] = max(counters.get(prefix, 0), int(ident[len(prefix) :]))
            for vid, text in content["texts"].items():
                tx.put("texts", vid, {"text": text, **content["text_meta"].get(vid, {})})
            tx.put("_meta", "counters", counters, record=False)
            tx.entity = "project"
        atomic_write_bytes(directory / "archived-audit.jsonl", content["audit"])
    return {table: len(content["tables"][table]) for table in TABLES}
