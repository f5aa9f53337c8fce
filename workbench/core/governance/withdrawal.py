"""Participant withdrawal (GOV-12): one action that removes every trace of a participant's words.

See the package docstring for the design. In short, in this order:

1. **One operation** (`Project.summary_operation`, not undoable) deletes the participant's sources,
   transcript versions, texts, segments and codings; deletes (``remove-all``) or unlinks
   (``retain-analysis``) the records that were about them; drops withdrawn entities from links, sets,
   clusters and memo links; replaces their words and pseudonym in every remaining document with
   ``[withdrawn]`` (`scrub.Scrubber`); leaves a tombstone participant (``status: withdrawn``) and a
   justification memo; and empties the undo history (an undo barrier: undo entries hold whole
   documents). Its audit event is a *count summary*, so the audit log gains no words and no digests of
   the deleted documents.
2. **A checkpoint** rewrites ``project.json`` atomically from the purged state and empties the journal,
   which held the words of every earlier transaction.
3. **Backups and logs** in the project (``backups/``: pre-migration copies of ``project.json`` and
   ``journal.log``; ``logs/``) are rewritten the same way, atomically; the anonymisation log entries for
   the withdrawn sources are removed.
4. **Exports** listed in the export manifests that still contain the words are deleted (unless kept on
   purpose, when they are reported) so they can be re-made without the participant.
5. **Verification**: every file under the project (and every remaining manifest export) is searched for
   the withdrawn words, and the audit chain is re-verified from the first event; both results are part
   of the report.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError, NotFoundError, WorkbenchError
from workbench.core.governance.scrub import WITHDRAWN, Scrubber
from workbench.core.store import journal
from workbench.core.store.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from workbench.core.project import Project

MODES = ("remove-all", "retain-analysis")
RETAINED_KIND = "gov.retained-analysis"
#: Records about the whole study that survive a withdrawal with the participant's parts taken out.
KEEP_KINDS = ("icr.round", "icr.policy", "export.manifest", "team.coder")
Doc = dict[str, Any]


@dataclass
class WithdrawalReport:
    participant: str
    mode: str
    counts: dict[str, int]
    memo: str
    audit_seq: int
    audit_ok: bool
    audit_events: int
    backups_rewritten: list[str] = field(default_factory=list)
    exports_deleted: list[str] = field(default_factory=list)
    exports_kept: list[str] = field(default_factory=list)
    residue: list[str] = field(default_factory=list)
    shared_sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "mode": self.mode,
            "counts": self.counts,
            "justification_memo": self.memo,
            "audit_event": self.audit_seq,
            "audit_chain_ok": self.audit_ok,
            "audit_events": self.audit_events,
            "backups_rewritten": self.backups_rewritten,
            "exports_deleted": self.exports_deleted,
            "exports_kept": self.exports_kept,
            "residue": self.residue,
            "shared_sources": self.shared_sources,
        }


def _names(project: Project, participant: Doc, sources: list[Doc]) -> list[str]:
    """Strings that name the participant: pseudonym, and source titles/filenames unlike any study id."""
    ids = {p["id"].casefold() for p in project.participants()}
    candidates = [participant.get("pseudonym", "")]
    for source in sources:
        candidates += [source.get("title", ""), source.get("filename", "")]
    return [c for c in candidates if c and len(c) >= 3 and c.casefold() not in ids and c != WITHDRAWN]


def withdraw(
    project: Project,
    participant_id: str,
    *,
    justification: str,
    mode: str = "remove-all",
    purge_exports: bool = True,
) -> WithdrawalReport:
    """Withdraw `participant_id` (see the module docstring); bad input is refused before any change."""
    if mode not in MODES:
        raise BadInputError(f"unknown mode {mode!r}; use {' or '.join(MODES)}", "--mode")
    if not justification.strip():
        raise BadInputError("a withdrawal needs a justification (--reason)", "--reason")
    participant = project.get("participants", participant_id)
    if participant is None:
        raise NotFoundError(f"no participant {participant_id!r}", "PARTICIPANT")
    if participant.get("status") == "withdrawn":
        raise BadInputError(f"{participant_id} is already withdrawn", "PARTICIPANT")
    sources = [s for s in project.sources() if s.get("participant_id") == participant_id]
    shared = [
        s["id"]
        for s in project.sources()
        if s.get("participant_id") != participant_id
        and participant_id in (s.get("speaker_participants") or {}).values()
    ]
    source_ids = {s["id"] for s in sources}
    versions = {v["id"] for v in project.rows("versions") if v["source_id"] in source_ids}
    segments = {g["id"] for g in project.rows("segments") if g["version_id"] in versions}
    codings = [k for k in project.rows("codings") if k["segment_id"] in segments]
    coding_ids = {k["id"] for k in codings}
    withdrawn_texts = [str((project.get("texts", v) or {}).get("text", "")) for v in versions]
    retained_texts = [
        str(doc.get("text", "")) for vid, doc in project.store.all("texts").items() if vid not in versions
    ]
    scrubber = Scrubber(withdrawn_texts, retained_texts, _names(project, participant, sources))
    gone = (
        {f"source:{s}" for s in source_ids}
        | {f"version:{v}" for v in versions}
        | {f"segment:{g}" for g in segments}
        | {f"coding:{k}" for k in coding_ids}
    )
    about = gone | {f"participant:{participant_id}"}
    counts = {
        "sources": len(source_ids),
        "versions": len(versions),
        "segments": len(segments),
        "codings": len(codings),
        "records_removed": 0,
        "records_changed": 0,
        "memos_changed": 0,
        "links_removed": 0,
        "codes_relabelled": 0,
        "history_entries": 0,
    }
    per_code: dict[str, int] = {}
    for k in codings:
        per_code[k["code_id"]] = per_code.get(k["code_id"], 0) + 1
    remaining_by_code: dict[str, int] = {}
    for k in project.rows("codings"):
        if k["id"] not in coding_ids:
            remaining_by_code[k["code_id"]] = remaining_by_code.get(k["code_id"], 0) + 1
    summary: dict[str, Any] = {"participant": participant_id, "mode": mode}
    with project.summary_operation("participant.withdraw", f"participant:{participant_id}", summary) as tx:
        for table, ids in (
            ("sources", source_ids),
            ("versions", versions),
            ("texts", versions),
            ("segments", segments),
            ("codings", coding_ids),
        ):
            for doc_id in sorted(ids):
                tx.delete(table, doc_id)
        tx.put(
            "participants",
            participant_id,
            {"id": participant_id, "pseudonym": WITHDRAWN, "attributes": {}, "status": "withdrawn"},
        )
        relabel = _scrub_codes(project, tx, scrubber, remaining_by_code, counts)
        for doc in project.rows("records"):
            linked = set(doc.get("links", [])) & about
            keep = doc["kind"] in KEEP_KINDS or doc["kind"].startswith("gov.")
            if linked and mode == "remove-all" and not keep:
                tx.delete("records", doc["id"])
                counts["records_removed"] += 1
                continue
            new = {**doc, "links": [r for r in doc.get("links", []) if r not in gone]}
            new["data"] = scrubber.deep(_drop_units(doc["data"], source_ids))
            if new != doc:
                tx.put("records", doc["id"], new)
                counts["records_changed"] += 1
        for memo in project.rows("memos"):
            new = scrubber.deep({k: v for k, v in memo.items() if k != "links"})
            new["links"] = [r for r in memo.get("links", []) if r not in gone]
            if new != memo:
                tx.put("memos", memo["id"], new)
                counts["memos_changed"] += 1
        for link in project.rows("links"):
            if link["origin"] in gone or link["target"] in gone:
                tx.delete("links", link["id"])
                counts["links_removed"] += 1
                continue
            new = scrubber.deep({**link, "evidence": [e for e in link.get("evidence", []) if e not in gone]})
            if new != link:
                tx.put("links", link["id"], new)
        for table, key in (("sets", "members"), ("clusters", "children")):
            for doc in project.rows(table):
                new = scrubber.deep({**doc, key: [m for m in doc.get(key, []) if m not in gone]})
                if new != doc:
                    tx.put(table, doc["id"], new)
        for snap in project.rows("snapshots"):
            new = scrubber.deep(snap)
            new["codes"] = [
                {**c, "label": relabel.get(c.get("id", ""), c.get("label", ""))} for c in new.get("codes", [])
            ]
            if new != snap:
                tx.put("snapshots", snap["id"], new)
        meta = project.get("_meta", "project") or {}
        if scrubber.deep(meta) != meta:
            tx.put("_meta", "project", scrubber.deep(meta))
        for other in project.participants():
            if other["id"] != participant_id and scrubber.deep(other) != other:
                tx.put("participants", other["id"], scrubber.deep(other))
        if mode == "retain-analysis" and per_code:
            rid = project._new_id(tx, "R")
            tx.put(
                "records",
                rid,
                {
                    "id": rid,
                    "kind": RETAINED_KIND,
                    "data": {"participant": participant_id, "codings_per_code": per_code},
                    "links": [f"participant:{participant_id}"],
                    "author": project.actor,
                    "created_at": _now(),
                    "modified_at": _now(),
                },
            )
        memo_id = project._put_memo(
            tx,
            title=f"Withdrawal of {participant_id}",
            body=scrubber.text(justification.strip()),
            links=[f"participant:{participant_id}"],
            memo_type="withdrawal",
        )
        counts["history_entries"] = project.clear_history(tx)
        summary.update(counts)
        summary["justification_memo"] = memo_id
    project.forget_history()
    project.store.checkpoint()
    if (project.path / "journal.log").exists() and (project.path / "journal.log").stat().st_size:
        raise WorkbenchError(
            "the withdrawal was recorded but project.json could not be rewritten, so the journal still "
            "holds the words; free disk space and run `workbench withdraw` again to finish the purge",
            str(project.path),
        )
    report = WithdrawalReport(participant_id, mode, counts, memo_id, project._audit_head[0], False, 0)
    report.shared_sources = shared
    report.backups_rewritten = _scrub_files(project.path, scrubber, {s for s in source_ids} | versions)
    from workbench.core.governance.anonlog import purge_sources

    purge_sources(project, source_ids)
    _handle_exports(project, scrubber, purge_exports, report)
    report.residue = residue(project.path, scrubber, [Path(p) for p in report.exports_kept])
    report.audit_events, broken = project.verify_audit()
    report.audit_ok = broken is None
    return report


def _now() -> str:
    from workbench.core.project import _now as now

    return now()


def _drop_units(data: Any, sources: set[str]) -> Any:
    """An ICR round's sample without the withdrawn sources (other records pass through)."""
    if isinstance(data, dict) and "units" in data and "sources" in data:
        return {
            **data,
            "units": [u for u in data["units"] if u[0] not in sources],
            "sources": [s for s in data["sources"] if s not in sources],
        }
    return data


def _scrub_codes(
    project: Project, tx: Any, scrubber: Scrubber, remaining: dict[str, int], counts: dict[str, int]
) -> dict[str, str]:
    """Labels made of the participant's words become "[withdrawn in-vivo code Cn]"; returns id → label."""
    relabel: dict[str, str] = {}
    for code in project.codes():
        new = scrubber.deep(code)
        if new["label"] != code["label"]:
            new["label"] = f"[withdrawn in-vivo code {code['id']}]"
            relabel[code["id"]] = new["label"]
            counts["codes_relabelled"] += 1
            if not remaining.get(code["id"]) and new["status"] == "active":
                new["status"] = "retired"
        if new != code:
            tx.put("codes", code["id"], new)
    return relabel


# -- files beside the store -----------------------------------------------------------------------------


def _scrub_json(value: Any, scrubber: Scrubber, ids: set[str]) -> Any:
    """A checkpoint-shaped JSON value without rows of withdrawn ids and without the words."""
    if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
        return {k: _scrub_json(v, scrubber, ids) for k, v in value.items() if k not in ids}
    return scrubber.deep(value)


def _scrub_files(root: Path, scrubber: Scrubber, ids: set[str]) -> list[str]:
    """Rewrite backups and logs inside the project so they no longer hold the words; returns those changed."""
    changed: list[str] = []
    for folder in ("backups", "logs"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            data = path.read_bytes()
            new = _scrub_bytes(path, data, scrubber, ids)
            if new != data:
                atomic_write_bytes(path, new)
                changed.append(str(path.relative_to(root)))
    return changed


def _scrub_bytes(path: Path, data: bytes, scrubber: Scrubber, ids: set[str]) -> bytes:
    text = data.decode("utf-8", errors="replace")
    if path.name.startswith("journal.log"):
        try:
            entries, _warning = journal.read(path)
        except WorkbenchError:
            entries = []
        if entries:
            out = []
            for entry in entries:
                ops = [[t, i, None if i in ids else scrubber.deep(doc)] for t, i, doc in entry.ops]
                out.append(journal.encode(entry.seq, ops))
            return b"".join(out)
    if path.name.startswith("project.json"):
        try:
            return json.dumps(
                _scrub_json(json.loads(text), scrubber, ids), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
        except ValueError:
            pass
    return scrubber.text(text).encode("utf-8")


def _file_text(path: Path) -> str:
    """A file's text for searching: zip containers (docx, xlsx, qdpx, archives) member by member."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
                )
        except zipfile.BadZipFile:
            pass
    return data.decode("utf-8", errors="replace")


def _contains(path: Path, scrubber: Scrubber) -> bool:
    text = _file_text(path)
    if path.suffix in (".docx", ".xlsx", ".odt", ".qdpx"):
        import re

        text = re.sub(r"<[^>]+>", " ", text)  # words split across XML runs still read as words
    return scrubber.contains(text)


def _handle_exports(project: Project, scrubber: Scrubber, purge: bool, report: WithdrawalReport) -> None:
    for doc in project.records("export.manifest"):
        for entry in doc["data"].get("files", []):
            path = Path(entry.get("path", ""))
            if not path.is_file() or not _contains(path, scrubber):
                continue
            if purge:
                os.unlink(path)
                report.exports_deleted.append(str(path))
            else:
                report.exports_kept.append(str(path))


def residue(root: Path, scrubber: Scrubber, extra: Iterable[Path] = ()) -> list[str]:
    """Every file under `root` (and `extra`) that still holds the withdrawn words."""
    found: list[str] = []
    for path in [*sorted(p for p in root.rglob("*") if p.is_file()), *extra]:
        if path.name == "writer.lock":
            continue
        if _contains(path, scrubber):
            found.append(str(path))
    return found
