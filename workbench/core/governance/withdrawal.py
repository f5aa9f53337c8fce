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

   **Shared transcripts** (focus groups: sources owned by someone else whose speaker mapping names the
   participant) are purged in the same operation rather than only listed: every version of each is
   rewritten so the participant's turns read ``P02: [withdrawn]`` over the same number of lines
   (`withdrawn_turns`), codings wholly on those turns are removed, codings that overlap them are clipped
   to the retained text and flagged, and every other anchor moves by the exact shift, so the other
   speakers' words, line numbers and citations are unchanged. The withdrawn turns' words feed the
   scrubber like the participant's own transcripts, so quotes of them are scrubbed and searched for.
   In the report, ``shared_sources`` lists these *purged* shared sources.

   **Audit salts**: the same operation deletes the salts of every audit event that concerned the
   participant (the rule is in `salts`), so digests of their pseudonym, labels or words can no longer be
   tested against guesses; the chain is untouched, as salts live outside it. Events written before
   digests were salted (legacy ``sha256:`` digests) cannot be changed without breaking the chain: the
   report counts those that concern the participant (``legacy_audit_events``) and the CLI warns.
2. **A checkpoint** rewrites ``project.json`` atomically from the purged state and empties the journal,
   which held the words of every earlier transaction.
3. **Backups and logs** in the project (``backups/``: pre-migration copies of ``project.json`` and
   ``journal.log``; ``logs/``) are rewritten the same way, atomically, without the destroyed salts; the
   anonymisation log entries for the withdrawn sources and turns are removed.
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
import re
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core import audit
from workbench.core.errors import BadInputError, NotFoundError, WorkbenchError
from workbench.core.governance import salts
from workbench.core.governance.scrub import WITHDRAWN, Scrubber
from workbench.core.governance.withdrawn_turns import Rewrite, rewrite
from workbench.core.ids import natural_key
from workbench.core.store import journal
from workbench.core.store.fsutil import atomic_write_bytes
from workbench.core.text import guess_role, label_key

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.core.store.store import Transaction

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
    #: Sources owned by someone else in which the participant's turns were withdrawn (purged, not listed).
    shared_sources: list[str] = field(default_factory=list)
    #: Audit events from before salted digests that concern the participant: their digests stay guessable.
    legacy_audit_events: int = 0

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
            "legacy_audit_events": self.legacy_audit_events,
        }


def _names(project: Project, participant: Doc, sources: list[Doc], labels: Iterable[str] = ()) -> list[str]:
    """Strings that name the participant: pseudonym, source titles/filenames unlike any study id, and
    speaker labels of their withdrawn turns that read as names (not "Speaker 2", "P3" or a role word)."""
    ids = {p["id"].casefold() for p in project.participants()}
    candidates = [participant.get("pseudonym", "")]
    for source in sources:
        candidates += [source.get("title", ""), source.get("filename", "")]
    candidates += [label for label in labels if guess_role(label) == "other"]
    return [c for c in candidates if c and len(c) >= 3 and c.casefold() not in ids and c != WITHDRAWN]


@dataclass
class _SharedPurge:
    """What withdrawing the participant's turns does to the transcripts they shared with others."""

    sources: dict[str, Doc] = field(default_factory=dict)  # shared source id -> its relabelled document
    rewrites: dict[str, Rewrite] = field(default_factory=dict)  # version id -> its rewritten text
    segments: dict[str, Doc] = field(default_factory=dict)  # kept segments whose anchors moved
    removed: set[str] = field(default_factory=set)  # segments wholly on withdrawn turns
    clipped: int = 0
    turns: int = 0


def _shared_purge(project: Project, participant_id: str, shared: list[Doc]) -> _SharedPurge:
    """Plan (without changing anything) the rewrite of every version of every shared source."""
    plan = _SharedPurge()
    for source in shared:
        mapping: dict[str, str] = source.get("speaker_participants") or {}
        mine = {label_key(label) for label, pid in mapping.items() if pid == participant_id}
        new_label = participant_id
        for version in sorted(project.rows("versions"), key=lambda v: str(v["id"])):
            doc = project.get("texts", version["id"]) if version["source_id"] == source["id"] else None
            if doc is None:
                continue  # another source's, or a text already purged (redaction)
            taken = {label_key(t["label"]) for t in doc["turns"] if t["label"]} - mine
            result = rewrite(version["id"], doc, mine, participant_id, taken)
            if result is None:
                continue
            plan.rewrites[version["id"]] = result
            if version["id"] == source["version_id"]:
                plan.turns += len(result.edits)
                new_label = result.new_label
        roles = dict(source.get("speaker_roles") or {})
        role = next((roles.pop(label) for label in list(roles) if label_key(label) in mine), None)
        relabelled = {label: pid for label, pid in mapping.items() if pid != participant_id}
        relabelled[new_label] = participant_id
        plan.sources[source["id"]] = {
            **source,
            "speaker_participants": relabelled,
            "speaker_roles": {**roles, **({new_label: role} if role else {})},
        }
    if not plan.rewrites:
        return plan
    for segment in project.rows("segments"):
        moved = _moved_segment(segment, plan.rewrites, participant_id)
        if moved is None:
            plan.removed.add(segment["id"])
        elif moved != segment:
            plan.segments[segment["id"]] = moved
            plan.clipped += moved.get("flag", "") != segment.get("flag", "")
    return plan


def _moved_segment(segment: Doc, rewrites: dict[str, Rewrite], participant_id: str) -> Doc | None:
    """The segment after the rewrite (None: it lay wholly on withdrawn turns); earlier anchors follow."""
    previous = []
    for entry in segment.get("previous", []):
        vid, start, end = entry
        mapped = rewrites[vid].map_span(start, end) if vid in rewrites else (start, end, False)
        if mapped is not None:
            previous.append([vid, mapped[0], mapped[1]])
    new = {**segment, "previous": previous} if "previous" in segment else dict(segment)
    result = rewrites.get(segment["version_id"])
    if result is None:
        return new
    mapped = result.map_span(segment["start"], segment["end"])
    if mapped is None:
        return None
    start, end, clipped = mapped
    new.update(start=start, end=end)
    if clipped:
        new["flag"] = f"clipped: a withdrawn turn of {participant_id} was taken out (GOV-12); review"
    return new


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
        s
        for s in project.sources()
        if s.get("participant_id") != participant_id
        and participant_id in (s.get("speaker_participants") or {}).values()
    ]
    purge = _shared_purge(project, participant_id, shared)
    source_ids = {s["id"] for s in sources}
    versions = {v["id"] for v in project.rows("versions") if v["source_id"] in source_ids}
    segments = {g["id"] for g in project.rows("segments") if g["version_id"] in versions} | purge.removed
    codings = [k for k in project.rows("codings") if k["segment_id"] in segments]
    coding_ids = {k["id"] for k in codings}
    withdrawn_texts = [str((project.get("texts", v) or {}).get("text", "")) for v in versions]
    withdrawn_texts += [words for r in purge.rewrites.values() for words in r.speech]
    retained_texts = [
        str(doc.get("text", ""))
        for vid, doc in project.store.all("texts").items()
        if vid not in versions and vid not in purge.rewrites
    ] + [r.text for r in purge.rewrites.values()]
    labels = {label for r in purge.rewrites.values() for label in r.labels}
    scrubber = Scrubber(withdrawn_texts, retained_texts, _names(project, participant, sources, labels))
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
        "shared_sources": len(purge.sources),
        "versions_rewritten": len(purge.rewrites),
        "turns_withdrawn": purge.turns,
        "shared_codings_removed": sum(k["segment_id"] in purge.removed for k in codings),
        "segments_clipped": purge.clipped,
        "records_removed": 0,
        "records_changed": 0,
        "memos_changed": 0,
        "links_removed": 0,
        "codes_relabelled": 0,
        "history_entries": 0,
        "audit_salts_destroyed": 0,
        "legacy_audit_events": 0,
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
        _write_shared(project, tx, purge, scrubber, participant_id)
        tx.put(
            "participants",
            participant_id,
            {"id": participant_id, "pseudonym": WITHDRAWN, "attributes": {}, "status": "withdrawn"},
        )
        relabel = _scrub_codes(project, tx, scrubber, remaining_by_code, counts)
        for doc in project.rows("records"):
            linked = set(doc.get("links", [])) & about
            keep = doc["kind"] in KEEP_KINDS or doc["kind"].startswith("gov.")
            data, on_withdrawn_turn = _rework_data(doc["data"], source_ids, purge.rewrites)
            if (linked or on_withdrawn_turn) and mode == "remove-all" and not keep:
                tx.delete("records", doc["id"])
                counts["records_removed"] += 1
                continue
            new = {**doc, "links": [r for r in doc.get("links", []) if r not in gone]}
            new["data"] = scrubber.deep(data)
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
        salt_plan = salts.plan(project, tx, scrubber, about)
        counts["history_entries"] = project.clear_history(tx)
        salts.apply(project, tx, salt_plan)
        counts["audit_salts_destroyed"] = len(salt_plan.destroy)
        counts["legacy_audit_events"] = len(salt_plan.legacy)
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
    report.shared_sources = sorted(purge.sources, key=natural_key)
    report.legacy_audit_events = len(salt_plan.legacy)
    report.backups_rewritten = _scrub_files(
        project.path,
        scrubber,
        source_ids | versions | segments | coding_ids,
        {(audit.SALT_TABLE, key) for key in salt_plan.destroy},
    )
    from workbench.core.governance.anonlog import purge_sources

    purge_sources(project, source_ids)
    _purge_anonlog_turns(project, purge.rewrites)
    _handle_exports(project, scrubber, purge_exports, report)
    report.residue = residue(project.path, scrubber, [Path(p) for p in report.exports_kept])
    report.audit_events, broken = project.verify_audit()
    report.audit_ok = broken is None
    return report


def _write_shared(
    project: Project, tx: Transaction, purge: _SharedPurge, scrubber: Scrubber, pid: str
) -> None:
    """The rewritten versions (new sha256, length, turns, line map), relabelled sources, moved anchors."""
    from workbench.core.project import sha256

    for vid, result in sorted(purge.rewrites.items()):
        version = project.get("versions", vid) or {}
        withdrawn = sorted({*version.get("withdrawn_participants", []), pid})
        tx.put(
            "versions",
            vid,
            {
                **version,
                "sha256": sha256(result.text),
                "length": len(result.text),
                "withdrawn_participants": withdrawn,
            },
        )
        doc = project.get("texts", vid) or {}
        rest = scrubber.deep({k: v for k, v in doc.items() if k not in ("text", "turns", "linemap")})
        tx.put(
            "texts",
            vid,
            {
                **rest,
                "text": result.text,
                "turns": [asdict(t) for t in result.turns],
                "linemap": result.linemap.to_json(),
            },
        )
    for sid, relabelled in sorted(purge.sources.items()):
        source = scrubber.deep(relabelled)
        if source != project.get("sources", sid):
            tx.put("sources", sid, source)
    for gid, segment in sorted(purge.segments.items()):
        tx.put("segments", gid, segment)


def _now() -> str:
    from workbench.core.project import _now as now

    return now()


def _rework_data(data: Any, sources: set[str], rewrites: dict[str, Rewrite]) -> tuple[Any, bool]:
    """A record's data with anchors following the rewritten transcripts, and whether one lay wholly on a
    withdrawn turn. An ICR round's sample loses the withdrawn sources and the units on withdrawn turns;
    a plugin anchor (``{"version", "start", "end"}``, e.g. an IPA note) on a withdrawn turn points at its
    ``[withdrawn]`` line (kept only in ``retain-analysis``). Other data passes through."""
    hit = False

    def walk(value: Any) -> Any:
        nonlocal hit
        if isinstance(value, list):
            return [walk(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "units" in value and "sources" in value:
            units = []
            for unit in value["units"]:
                if unit[0] in sources:
                    continue
                if len(unit) >= 4 and unit[1] in rewrites:
                    mapped = rewrites[unit[1]].map_span(int(unit[2]), int(unit[3]))
                    if mapped is None:
                        continue
                    unit = [unit[0], unit[1], mapped[0], mapped[1], *unit[4:]]
                units.append(unit)
            return {**value, "units": units, "sources": [s for s in value["sources"] if s not in sources]}
        new = {k: walk(v) for k, v in value.items()}
        version = new.get("version")
        start, end = new.get("start"), new.get("end")
        if (
            isinstance(version, str)
            and version in rewrites
            and isinstance(start, int)
            and isinstance(end, int)
        ):
            mapped = rewrites[version].map_span(start, end)
            if mapped is None:
                hit = True
                new["start"], new["end"] = rewrites[version].placeholder(start)
            else:
                new["start"], new["end"] = mapped[0], mapped[1]
        return new

    return walk(data), hit


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


def _scrub_json(value: Any, scrubber: Scrubber, ids: set[str], rows: set[tuple[str, str]]) -> Any:
    """A checkpoint-shaped JSON value without rows of withdrawn ids (or the `rows` named by table and
    id: destroyed audit salts) and without the words."""
    if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
        return {
            table: {
                k: _scrub_json(v, scrubber, ids, rows)
                for k, v in docs.items()
                if k not in ids and (table, k) not in rows
            }
            if isinstance(docs, dict) and all(isinstance(v, dict) for v in docs.values())
            else scrubber.deep(docs)
            for table, docs in value.items()
            if table not in ids
        }
    return scrubber.deep(value)


def _scrub_files(root: Path, scrubber: Scrubber, ids: set[str], rows: set[tuple[str, str]]) -> list[str]:
    """Rewrite backups and logs inside the project so they no longer hold the words; returns those changed."""
    changed: list[str] = []
    for folder in ("backups", "logs"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            data = path.read_bytes()
            new = _scrub_bytes(path, data, scrubber, ids, rows)
            if new != data:
                atomic_write_bytes(path, new)
                changed.append(str(path.relative_to(root)))
    return changed


def _scrub_bytes(
    path: Path, data: bytes, scrubber: Scrubber, ids: set[str], rows: set[tuple[str, str]]
) -> bytes:
    text = data.decode("utf-8", errors="replace")
    if path.name.startswith("journal.log"):
        try:
            entries, _warning = journal.read(path)
        except WorkbenchError:
            entries = []
        if entries:
            out = []
            for entry in entries:
                ops = [
                    [t, i, None if i in ids or (t, i) in rows else scrubber.deep(doc)]
                    for t, i, doc in entry.ops
                ]
                out.append(journal.encode(entry.seq, ops))
            return b"".join(out)
    if path.name.startswith("project.json"):
        try:
            return json.dumps(
                _scrub_json(json.loads(text), scrubber, ids, rows), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
        except ValueError:
            pass
    return scrubber.text(text).encode("utf-8")


def _purge_anonlog_turns(project: Project, rewrites: dict[str, Rewrite]) -> int:
    """Anonymisation-log entries (GOV-9) inside withdrawn turns go (their originals are the participant's
    identifiers); the others' offsets follow the rewritten versions. Returns how many went."""
    from workbench.core.governance import anonlog

    if not rewrites:
        return 0
    rows = []
    dropped = 0
    for entry in anonlog.entries(project):
        row = asdict(entry)
        result = rewrites.get(entry.from_version)
        if result is not None:
            mapped = result.map_span(entry.start, entry.end)
            if mapped is None or mapped[2]:
                dropped += 1
                continue
            row.update(start=mapped[0], end=mapped[1])
        rows.append(row)
    if dropped or rows != [asdict(e) for e in anonlog.entries(project)]:
        anonlog.rewrite(project, rows)
    return dropped


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


_JOURNAL_LINE = re.compile(r"^[0-9a-f]{8} \{")


def _json_values(text: str) -> list[Any] | None:
    """The JSON a store file holds (a checkpoint, a JSON-lines log, a journal), or None if it is not JSON."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return [json.loads(stripped)]
    except ValueError:
        pass
    values = []
    for line in stripped.split("\n"):
        body = line.partition(" ")[2] if _JOURNAL_LINE.match(line) else line
        try:
            values.append(json.loads(body))
        except ValueError:
            return None
    return values


def _contains(path: Path, scrubber: Scrubber) -> bool:
    text = _file_text(path)
    if path.suffix in (".docx", ".xlsx", ".odt", ".qdpx"):
        text = re.sub(r"<[^>]+>", " ", text)  # words split across XML runs still read as words
    elif (values := _json_values(text)) is not None:
        return scrubber.contains_json(values)
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
