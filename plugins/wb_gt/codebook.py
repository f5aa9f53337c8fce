"""The GT codebook (METHODS.md 2.4 #1) and its evolution across snapshots (GT-15).

The codebook lists every active code and category in tree order with the profile's name for its level,
its properties and dimensions, where it first appeared (interview order), how many segments and
participants it has, and an example quote with its citation. With ``snapshot=B3`` it is the codebook as
frozen in that snapshot (snapshots are taken when a transcript is marked coded, before merges, and on
demand with ``workbench gt snapshot``).

The evolution report compares each snapshot with the one before (and the last with the codebook now):
codes added, renamed, merged, split, retired, raised or lowered a level, moved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from workbench import NotFoundError, Project, TableData, natural_key

from .categories import PROPERTY_KIND, scale
from .facts import coding_facts, descendants, interviews, segment_view, shorten
from .profiles import active_profile

Doc = dict[str, Any]
COLUMNS = (
    "Code/Category",
    "Level",
    "Parent",
    "Kind",
    "Definition",
    "Properties (dimensions)",
    "First appeared",
    "# segs",
    "# participants",
    "Example (pseudonym, p:l)",
)


def codebook_table(project: Project, options: Mapping[str, str]) -> TableData:
    snapshot = options.get("snapshot", "").strip()
    if snapshot:
        return _snapshot_codebook(project, snapshot)
    profile = active_profile(project)
    total = len(project.participants())
    facts = coding_facts(project)
    position = {i.source_id: i.order for i in interviews(project)}
    labels = {c["id"]: c["label"] for c in project.codes()}
    props: dict[str, list[str]] = {}
    for prop in project.records(PROPERTY_KIND):
        props.setdefault(prop["data"]["category"], []).append(
            f"{prop['data']['name']} ({'↔'.join(scale(prop))})"
        )
    rows = []
    for row in project.code_tree():
        under = set(descendants(project, row.id))
        mine = sorted(
            (f for f in facts if f.code_id in under), key=lambda f: (position.get(f.source_id, 0), f.start)
        )
        people = {f.participant_id for f in mine}
        example = "—"
        first = "—"
        if mine:
            view = segment_view(project, mine[0].segment_id)
            example = f"“{shorten(view.text, 50)}” ({view.citation})"
            first = mine[0].participant_id
        rows.append(
            (
                row.label,
                profile.level_label(row.level),
                labels.get(row.parent_id or "", "—"),
                row.kind,
                row.definition or "—",
                "; ".join(props.get(row.id, [])) or "—",
                first,
                str(len({f.segment_id for f in mine})),
                f"{len(people)}/{total}",
                example,
            )
        )
    return TableData(COLUMNS, tuple(rows), f"Codebook ({profile.title})")


def _snapshot(project: Project, snapshot_id: str) -> Doc:
    doc = project.get("snapshots", snapshot_id)
    if doc is None:
        known = ", ".join(s["id"] for s in snapshots(project)) or "none yet"
        raise NotFoundError(f"no snapshot {snapshot_id!r} (snapshots: {known})", "--option")
    return doc


def _snapshot_codebook(project: Project, snapshot_id: str) -> TableData:
    doc = _snapshot(project, snapshot_id)
    profile = active_profile(project)
    total = len(project.participants())
    labels = {c["id"]: c["label"] for c in doc["codes"]}
    rows = tuple(
        (
            "  " * int(c.get("depth", 0)) + c["label"],
            profile.level_label(c["level"]),
            labels.get(c.get("parent_id") or "", "—"),
            c["kind"],
            c.get("definition") or "—",
            "—",
            "—",
            str(c["segments"]),
            f"{c['participants']}/{total}",
            "—",
        )
        for c in doc["codes"]
        if c["status"] == "active"
    )
    return TableData(COLUMNS, rows, f"Codebook at snapshot {doc['id']} ({doc['label']}, {doc['time'][:10]})")


def snapshots(project: Project) -> list[Doc]:
    return sorted(project.rows("snapshots"), key=lambda d: natural_key(d["id"]))


def diff(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """What changed between two serialised codebooks, by code id."""
    old = {c["id"]: c for c in before}
    new = {c["id"]: c for c in after}
    labels = {**{i: c["label"] for i, c in old.items()}, **{i: c["label"] for i, c in new.items()}}
    out: dict[str, list[str]] = {
        k: [] for k in ("added", "renamed", "merged", "split", "retired", "level", "moved")
    }
    for cid, code in sorted(new.items(), key=lambda item: natural_key(item[0])):
        was = old.get(cid)
        if was is None:
            if code["status"] == "active":
                out["added"].append(code["label"])
            continue
        if was["label"] != code["label"]:
            out["renamed"].append(f"{was['label']} → {code['label']}")
        if was["status"] != code["status"] and code["status"] in ("merged", "split", "retired"):
            out[code["status"]].append(code["label"])
        if was["level"] != code["level"]:
            out["level"].append(f"{code['label']}: {was['level']} → {code['level']}")
        if was.get("parent_id") != code.get("parent_id"):
            target = labels.get(code.get("parent_id") or "", "top")
            out["moved"].append(f"{code['label']} → {target}")
    return out


def evolution_table(project: Project) -> TableData:
    """GT-15: one row per snapshot (and one for now), each with its changes since the previous."""
    previous: Sequence[Mapping[str, Any]] = []
    rows = []
    series = [(s["id"], s["label"], s["time"][:10], s["codes"]) for s in snapshots(project)]
    now = [asdict(c) for c in project.code_tree(include_inactive=True)]
    series.append(("now", "current codebook", "—", now))
    for ident, label, date, codes in series:
        changes = diff(previous, codes)
        previous = codes
        active = sum(1 for c in codes if c["status"] == "active")
        rows.append(
            (
                ident,
                label,
                date,
                str(active),
                *(
                    "; ".join(changes[k]) or "—"
                    for k in ("added", "renamed", "merged", "split", "retired", "level", "moved")
                ),
            )
        )
    columns = (
        "Snapshot",
        "Label",
        "Date",
        "Active codes",
        "Added",
        "Renamed",
        "Merged",
        "Split",
        "Retired",
        "Level changes",
        "Moved",
    )
    return TableData(columns, tuple(rows), "Codebook evolution")
