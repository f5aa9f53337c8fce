"""`workbench check`: everything a project promises about itself, verified.

Problems are reported, never fixed: a silent repair would hide the very
damage a researcher needs to know about.
"""

from __future__ import annotations

from typing import Any

from workbench.core import audit
from workbench.core.errors import WorkbenchError
from workbench.core.project import ENTITY_TABLES, Project, sha256
from workbench.core.text import LineMap

Doc = dict[str, Any]


def check_project(project: Project) -> list[str]:
    """Every integrity problem found, one line each; empty means sound."""
    problems: list[str] = []
    store = project.store

    def missing(table: str, doc_id: str | None, what: str) -> bool:
        if doc_id is None or store.get(table, doc_id) is None:
            problems.append(f"{what} points to missing {table[:-1]} {doc_id!r}")
            return True
        return False

    def rows(table: str) -> list[tuple[str, Doc]]:
        return sorted(store.all(table).items())

    required: dict[str, tuple[str, ...]] = {
        "participants": ("id", "pseudonym", "status"),
        "sources": ("id", "version_id", "filename"),
        "versions": ("id", "source_id", "sha256", "frozen"),
        "codes": ("id", "label", "level", "kind", "status"),
        "segments": ("id", "version_id", "start", "end"),
        "codings": ("id", "segment_id", "code_id", "coder"),
        "memos": ("id", "title", "body", "links"),
        "records": ("id", "kind", "data", "links"),
    }
    for table, fields in required.items():
        for doc_id, doc in rows(table):
            absent = [f for f in fields if f not in doc]
            if absent or doc.get("id") != doc_id:
                problems.append(
                    f"{table} {doc_id}: malformed record (missing {', '.join(absent) or 'matching id'})"
                )
    if problems:
        return problems

    for sid, source in rows("sources"):
        if source.get("participant_id"):
            missing("participants", source["participant_id"], f"source {sid}")
        missing("versions", source["version_id"], f"source {sid}")
    for vid, version in rows("versions"):
        missing("sources", version["source_id"], f"version {vid}")
        text_doc = store.get("texts", vid)
        if text_doc is None:
            problems.append(f"version {vid} has no text")
            continue
        if sha256(text_doc["text"]) != version["sha256"]:
            problems.append(f"version {vid}: text does not match its sha256 (altered after import)")
        try:
            linemap = LineMap.from_json(text_doc["linemap"])
            if linemap.lines and linemap.lines[-1].end > len(text_doc["text"]):
                problems.append(f"version {vid}: line map runs past the end of the text")
        except (WorkbenchError, KeyError, TypeError) as exc:
            problems.append(f"version {vid}: line map invalid ({exc})")
    for gid, segment in rows("segments"):
        if missing("versions", segment["version_id"], f"segment {gid}"):
            continue
        length = store.get("versions", segment["version_id"]).get("length")  # type: ignore[union-attr]
        text_doc = store.get("texts", segment["version_id"])
        size = len(text_doc["text"]) if text_doc else length
        if not (0 <= segment["start"] < segment["end"] <= (size or 0)):
            problems.append(
                f"segment {gid}: anchor {segment['start']}:{segment['end']} outside its text (0:{size})"
            )
    for kid, coding in rows("codings"):
        missing("segments", coding["segment_id"], f"coding {kid}")
        missing("codes", coding["code_id"], f"coding {kid}")
    for cid, code in rows("codes"):
        if code.get("parent_id"):
            missing("codes", code["parent_id"], f"code {cid} parent")

    def refs_exist(what: str, refs: list[Any]) -> None:
        for ref in refs:
            kind, _, ident = str(ref).partition(":")
            linked = ENTITY_TABLES.get(kind)
            if linked is None:
                problems.append(f"{what}: reference {ref!r} has an unknown kind")
            else:
                missing(linked, ident, what)

    for mid, memo in rows("memos"):
        refs_exist(f"memo {mid} link", memo["links"])
    for lid, link in rows("links"):
        refs_exist(f"link {lid}", [link["origin"], link["target"], *link.get("evidence", [])])
    for tid, group in rows("sets"):
        refs_exist(f"set {tid} member", group["members"])
    for nid, cluster in rows("clusters"):
        refs_exist(
            f"cluster {nid} child",
            [*cluster["children"], *([cluster["parent"]] if cluster["parent"] else [])],
        )
    for rid, record in rows("records"):
        refs_exist(f"record {rid} link", record["links"])
    for cid, code in rows("codes"):
        seen = {cid}
        parent = code.get("parent_id")
        while parent:
            if parent in seen:
                problems.append(f"code {cid}: its parents form a cycle")
                break
            seen.add(parent)
            parent = (store.get("codes", parent) or {}).get("parent_id")
    count, broken = project.verify_audit()
    if broken:
        problems.append(f"audit log: {broken}")
    elif count == 0:
        problems.append("audit log is empty")
    else:
        problems.extend(_differences_from_audit(project))
    for key, entry in rows("history"):
        if entry.get("state") not in ("done", "undone") or not isinstance(entry.get("changes"), list):
            problems.append(f"undo history entry {key} is malformed")
    return problems


# Tables whose every change goes through an audited operation (history and counters are bookkeeping).
AUDITED_TABLES = (
    "participants",
    "sources",
    "versions",
    "texts",
    "codes",
    "segments",
    "codings",
    "memos",
    "links",
    "sets",
    "clusters",
    "snapshots",
    "records",
)


def _differences_from_audit(project: Project) -> list[str]:
    """State that does not match the last audit event touching it was changed outside the workbench.

    Each event keeps the redacted after-image of what it changed, so replaying the log gives
    what every record must look like now; an edit of project.json by hand (an anchor moved, a
    text rewritten with a fresh sha256) shows up here even though the file is well-formed.
    """
    latest: dict[str, Any] = {}
    last_event: dict[str, Doc] = {}
    salts = project.store.all(audit.SALT_TABLE)
    for event in project.audit_events():
        latest.update(event["after"])
        last_event.update(dict.fromkeys(event["after"], event))
    problems: list[str] = []
    for table in (*AUDITED_TABLES, "_meta"):
        for doc_id, doc in sorted(project.store.all(table).items()):
            key = f"{table}/{doc_id}"
            if table == "_meta" and doc_id != "project":
                continue
            if key not in latest:
                problems.append(f"{table} {doc_id} has no audit event (added outside the workbench)")
            elif not audit.matches(latest[key], doc, last_event[key], audit.salt_of(last_event[key], salts)):
                problems.append(
                    f"{table} {doc_id} differs from its last audit event (changed outside the workbench)"
                )
    for key, after in sorted(latest.items()):
        table, _, doc_id = key.partition("/")
        if after is not None and table in AUDITED_TABLES and project.store.get(table, doc_id) is None:
            problems.append(f"{table} {doc_id} was removed outside the workbench")
    return problems
