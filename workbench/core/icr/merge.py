"""Merge another coder's copy of the project (ICR-8).

Team members often code their own copy and hand it back. Transcripts are matched by the sha256 of the
version text — a copy coded on a different text cannot be merged without remapping (CORE-4), so such
sources are listed as conflicts and skipped. Codes are matched by id when the labels agree, else by
label; a code whose id matches but whose label differs, or whose definition differs, is a conflict (ours
is kept). Codings keep their coder and layer; memos keep their author. The merge is one undoable,
audited operation and returns the conflict list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BadInputError
from workbench.core.icr.rounds import add_coding
from workbench.core.untrusted import Scrubber

if TYPE_CHECKING:
    from workbench.core.project import Project


@dataclass
class MergeResult:
    codes_added: int = 0
    codings_added: int = 0
    memos_added: int = 0
    sources_matched: int = 0
    conflicts: list[str] = field(default_factory=list)
    #: What the input policy removed from the copy's text (untrusted.py), one line per kind of field.
    stripped: list[str] = field(default_factory=list)


def merge_project(project: Project, other_path: Path) -> MergeResult:
    from workbench.core.project import Project as ProjectClass

    if other_path.resolve() == project.path.resolve():
        raise BadInputError("cannot merge a project into itself", "OTHER")
    result = MergeResult()
    scrub = Scrubber()  # a copy comes back from someone else's machine: its text is untrusted

    def rows(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
        def cleaned(doc: dict[str, Any]) -> dict[str, Any]:
            return scrub.document(doc, lambda key: f"{kind} {doc['id']} {key}")

        return [cleaned(doc) for doc in docs]

    with ProjectClass.open(other_path, readonly=True) as other:
        ours_by_sha: dict[str, str] = {}
        for source in project.sources():
            version = project.get("versions", source["version_id"]) or {}
            ours_by_sha[version.get("sha256", "")] = source["version_id"]
        version_map: dict[str, str] = {}
        for source in other.sources():
            version = other.get("versions", source["version_id"]) or {}
            mine = ours_by_sha.get(version.get("sha256", ""))
            if mine is None:
                result.conflicts.append(
                    f"{source['id']}: transcript text differs from every source here (different sha256); "
                    "not merged — correct the transcript first so anchors can be remapped (CORE-4)"
                )
                continue
            version_map[source["version_id"]] = mine
            result.sources_matched += 1
        code_map: dict[str, str] = {}
        new_codes: list[dict[str, Any]] = []
        for code in rows(other.codes(), "code"):
            same_id = project.get("codes", code["id"])
            by_label = project.find_code(code["label"], active_only=False, ids=False)
            if same_id is not None and same_id["label"] == code["label"]:
                target: dict[str, Any] | None = same_id
            elif by_label is not None:
                target = by_label
                if same_id is not None:
                    result.conflicts.append(
                        f"code {code['id']} is {code['label']!r} there but {same_id['label']!r} here; "
                        f"matched by label to {by_label['id']}"
                    )
            else:
                target = None
                if same_id is not None:
                    result.conflicts.append(
                        f"code {code['id']} is {code['label']!r} there but {same_id['label']!r} here; "
                        f"added as a new code"
                    )
            if target is None:
                new_codes.append(code)
                continue
            code_map[code["id"]] = target["id"]
            if code.get("definition") and code.get("definition") != target.get("definition"):
                result.conflicts.append(
                    f"code {target['label']!r}: definitions differ; kept this project's (theirs: "
                    f"{' '.join(str(code['definition']).split())[:80]!r})"
                )
        with project._operation("icr.merge", "project", f"merge coder copy {other_path.name}") as tx:
            for code in new_codes:
                created = project._create_code(
                    tx,
                    code["label"],
                    kind=code.get("kind"),
                    level=code.get("level"),
                    definition=code.get("definition", ""),
                )
                code_map[code["id"]] = created["id"]
                result.codes_added += 1
            for coding in rows(other.rows("codings"), "coding"):
                segment = other.get("segments", coding["segment_id"]) or {}
                vid = version_map.get(segment.get("version_id", ""))
                if vid is None or coding["code_id"] not in code_map:
                    continue
                added = add_coding(
                    project,
                    tx,
                    vid,
                    segment["start"],
                    segment["end"],
                    code_map[coding["code_id"]],
                    coder=coding["coder"],
                    layer=coding["layer"],
                    unit=coding.get("unit", "character"),
                )
                result.codings_added += added is not None
            existing = {(m["title"], m["body"]) for m in project.rows("memos")}
            for memo in rows(other.rows("memos"), "memo"):
                if (memo["title"], memo["body"]) in existing:
                    continue
                links = []
                for ref in memo.get("links", []):
                    kind, _, ident = ref.partition(":")
                    if kind == "code" and ident in code_map:
                        links.append(f"code:{code_map[ident]}")
                    elif kind == "participant" and project.get("participants", ident) is not None:
                        links.append(ref)
                mid = project._put_memo(
                    tx,
                    title=memo["title"],
                    body=memo["body"],
                    links=links,
                    memo_type=memo.get("type", "analytic"),
                )
                doc = tx.get("memos", mid)
                assert doc is not None
                tx.put("memos", mid, {**doc, "author": memo.get("author", doc["author"])})
                result.memos_added += 1
    result.stripped = scrub.report()
    return result
