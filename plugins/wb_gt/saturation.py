"""Saturation evidence (GT-12): new codes per interview, category development, and the researcher's call.

The metrics are computed from the codings themselves, in interview order (`facts.interviews`): an initial
code is *new* in the first interview where it was applied — counting the code each coding was first made
with, so promotion and merging do not hide the early codes. Focused codes and categories are new where
their first segment is; a property is new where its first incident was located on it.

The Guest, Namey & Chen (2020) figure compares the new codes in a *run* of interviews after a *base* with
the number of codes in the base. All of this is evidence *for* a judgement, never a test of theoretical
saturation (GT-12c): the per-category status (developing / nearly saturated / saturated) is the
researcher's, and needs a justification memo (``gt.saturation`` records).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench import BadInputError, Project, TableData, natural_key

from .categories import PROPERTY_KIND, category, category_participants, locations
from .facts import CodingFact, coding_facts, descendants, interviews
from .memos import write_memo
from .vocab import CATEGORY_LEVELS
from .vocab import SATURATION_STATUSES as STATUSES

SATURATION_KIND = "gt.saturation"
SPARKS = "▁▂▃▄▅▆▇█"
WARNING = (
    "Code saturation ('heard it all', about 9 interviews in Hennink et al.'s data) is not meaning or "
    "theoretical saturation ('understand it all', 16-24): these counts are evidence for, not a test of, "
    "theoretical saturation."
)


@dataclass(frozen=True)
class InterviewRow:
    order: int
    participant: str
    pseudonym: str
    source: str
    new_initial: tuple[str, ...]
    cumulative: int
    new_focused: tuple[str, ...]
    new_categories: tuple[str, ...]
    new_properties: tuple[str, ...]


def original_level(code: Mapping[str, Any]) -> str:
    """The level a code was created at (before any promotion)."""
    for event in code.get("lineage", []):
        if event.get("event") == "level" and event.get("previous_level"):
            return str(event["previous_level"])
    return str(code.get("level", ""))


def _first(orders: dict[str, int], key: str, order: int) -> None:
    if key not in orders or order < orders[key]:
        orders[key] = order


def interview_rows(project: Project, facts: list[CodingFact] | None = None) -> list[InterviewRow]:
    facts = coding_facts(project) if facts is None else facts
    order = interviews(project)
    position = {i.source_id: i.order for i in order}
    codes = {c["id"]: c for c in project.codes()}
    origin_first: dict[str, int] = {}
    code_first: dict[str, int] = {}
    for fact in facts:
        _first(origin_first, fact.origin_code_id, position[fact.source_id])
        _first(code_first, fact.code_id, position[fact.source_id])
    initial_first = {
        cid: k for cid, k in origin_first.items() if cid in codes and original_level(codes[cid]) == "initial"
    }
    focused_first = {
        cid: k
        for cid, k in code_first.items()
        if codes.get(cid, {}).get("level") == "focused" and codes[cid]["status"] == "active"
    }
    category_first: dict[str, int] = {}
    for code in codes.values():
        if code["status"] == "active" and code["level"] in CATEGORY_LEVELS:
            seen = [code_first[d] for d in descendants(project, code["id"]) if d in code_first]
            if seen:
                category_first[code["id"]] = min(seen)
    property_first: dict[str, int] = {}
    for prop in project.records(PROPERTY_KIND):
        for loc in locations(project, prop["id"]):
            segment = project.get("segments", loc.segment_id) or {}
            version = project.get("versions", str(segment.get("version_id"))) or {}
            if version.get("source_id") in position:
                _first(property_first, prop["id"], position[version["source_id"]])
    props = {p["id"]: p for p in project.records(PROPERTY_KIND)}
    rows, total = [], 0

    def at(found: dict[str, int], k: int) -> list[str]:
        return sorted((cid for cid, first in found.items() if first == k), key=natural_key)

    for interview in order:
        k = interview.order
        new = at(initial_first, k)
        total += len(new)
        rows.append(
            InterviewRow(
                k,
                interview.participant_id,
                interview.pseudonym,
                interview.source_id,
                tuple(codes[c]["label"] for c in new),
                total,
                tuple(codes[c]["label"] for c in at(focused_first, k)),
                tuple(codes[c]["label"] for c in at(category_first, k)),
                tuple(
                    f"{codes.get(props[p]['data']['category'], {}).get('label', '?')}: "
                    f"{props[p]['data']['name']}"
                    for p in at(property_first, k)
                ),
            )
        )
    return rows


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] for v in values)


@dataclass(frozen=True)
class GuestResult:
    base: int
    run: int
    threshold: float
    base_codes: int
    percents: tuple[str, ...]
    reached_at: int | None

    def summary(self) -> str:
        if self.base_codes == 0:
            return "Guest et al.: no codes in the base interviews yet"
        if self.reached_at is None:
            return (
                f"Guest et al.: saturation not reached at base {self.base} + run {self.run} "
                f"with ≤{self.threshold:g}% new information"
            )
        return (
            f"Guest et al.: saturation reached at base {self.base} + run {self.run} "
            f"with ≤{self.threshold:g}% "
            f"new information (interview {self.reached_at})"
        )


def guest(rows: list[InterviewRow], base: int = 3, run: int = 2, threshold: float = 5.0) -> GuestResult:
    """New information in each run of `run` interviews after the first `base`, as % of the base's codes."""
    if base < 1 or run < 1:
        raise BadInputError("base and run are whole numbers of at least 1", "--base")
    news = [len(r.new_initial) for r in rows]
    base_codes = sum(news[:base])
    percents, reached = [], None
    for index, new in enumerate(news):
        if index < base or base_codes == 0:
            percents.append("base" if index < base else "—")
            continue
        percents.append(f"{100 * new / base_codes:.0f}%")
        if reached is None and index + 1 >= base + run:
            window = news[index + 1 - run : index + 1]
            if 100 * sum(window) / base_codes <= threshold:
                reached = index + 1
    return GuestResult(base, run, threshold, base_codes, tuple(percents), reached)


def _options(options: Mapping[str, str]) -> tuple[int, int, float]:
    try:
        return (
            int(options.get("base", "3")),
            int(options.get("run", "2")),
            float(options.get("threshold", "5")),
        )
    except ValueError:
        raise BadInputError("base and run are whole numbers, threshold a percentage", "--option") from None


def saturation_table(project: Project, options: Mapping[str, str]) -> TableData:
    """METHODS.md 2.4 #10: per interview, new initial codes, cumulative, new focused, properties, % new."""
    rows = interview_rows(project)
    result = guest(rows, *_options(options))
    out = tuple(
        (
            str(r.order),
            f"{r.pseudonym} ({r.participant})",
            r.source,
            str(len(r.new_initial)),
            str(r.cumulative),
            str(len(r.new_focused)),
            "; ".join(r.new_categories) or "—",
            "; ".join(r.new_properties) or "—",
            pct,
        )
        for r, pct in zip(rows, result.percents, strict=True)
    )
    columns = (
        "Interview #",
        "Participant",
        "Source",
        "New initial codes",
        "Cumulative",
        "New focused codes",
        "New categories",
        "New properties (by category)",
        "% new information",
    )
    return TableData(columns, out, "Saturation evidence")


def set_status(project: Project, label: str, status: str, justification: str) -> tuple[str, str]:
    """A category's saturation status, with its (mandatory) justification memo; returns (record, memo)."""
    cat = category(project, label)
    if status not in STATUSES:
        raise BadInputError(f"unknown status {status!r}; use {', '.join(STATUSES)}", "--status")
    if not justification.strip():
        raise BadInputError("a saturation status needs a justification (--why)", "--why")
    memo = write_memo(
        project,
        f"Saturation of {cat['label']}: {status}",
        justification,
        memo_type="saturation",
        links=[f"code:{cat['id']}"],
        stage="theoretical",
    )
    record = project.add_record(
        SATURATION_KIND,
        {"category": cat["id"], "status": status, "memo": memo},
        links=[f"code:{cat['id']}", f"memo:{memo}"],
        summary=f"{cat['label']} {status}",
    )
    return record, memo


def statuses(project: Project) -> dict[str, dict[str, Any]]:
    """Category id -> its newest saturation record's data."""
    return {str(r["data"]["category"]): r["data"] for r in project.records(SATURATION_KIND)}


def category_table(project: Project) -> TableData:
    """GT-12a: per category, status, justification memo, participants, properties and located incidents."""
    status = statuses(project)
    total = len(project.participants())
    facts = coding_facts(project)
    rows = []
    for code in project.codes():
        if code["status"] != "active" or code["level"] not in CATEGORY_LEVELS:
            continue
        props = [p for p in project.records(PROPERTY_KIND) if p["data"]["category"] == code["id"]]
        located = sum(len(locations(project, p["id"])) for p in props)
        entry = status.get(code["id"], {})
        rows.append(
            (
                code["label"],
                str(entry.get("status", "developing (not judged)")),
                str(entry.get("memo", "—")),
                f"{len(category_participants(project, code['id'], facts))}/{total}",
                str(len(props)),
                str(located),
            )
        )
    columns = ("Category", "Status", "Justification memo", "Participants", "Properties", "Located incidents")
    return TableData(columns, tuple(rows), "Category saturation")
