"""Theoretical sampling (GT-11) and the data collection & theoretical sampling log (METHODS.md 2.4 #9).

A sampling decision (``gt.sampling`` record) says why the next interview — or a re-reading of existing
data — is sought: the category (and optionally property or gap) it is meant to develop, the sampling
criterion, the questions to add to the guide, and whom it led to. Its reasoning is a ``sampling`` memo.
The log puts each interview's collection details beside why it was sampled, whether it was coded before
the next interview (the visible sign of simultaneous collection and analysis) and what it added.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from workbench import BadInputError, NotFoundError, Project, TableData

from .categories import category
from .collection import check_date, coded_on
from .facts import interviews
from .memos import write_memo
from .saturation import interview_rows

SAMPLING_KIND = "gt.sampling"


def record_decision(
    project: Project,
    *,
    category_label: str,
    reason: str,
    criterion: str,
    gap: str = "",
    questions: str = "",
    participants: Sequence[str] = (),
    existing_data: bool = False,
    date: str | None = None,
) -> tuple[str, str]:
    """Record why the next sample is sought and which category it serves; returns (record, memo)."""
    cat = category(project, category_label)
    if not reason.strip():
        raise BadInputError("say why this sample is sought (--reason)", "--reason")
    if not criterion.strip():
        raise BadInputError("give the sampling criterion (--criterion)", "--criterion")
    for pid in participants:
        if project.get("participants", pid) is None:
            raise NotFoundError(f"no participant {pid!r}", "--participant")
    day = check_date(date, "--date") if date else datetime.now(UTC).strftime("%Y-%m-%d")
    memo = write_memo(
        project,
        f"Sampling to develop {cat['label']}",
        reason,
        memo_type="sampling",
        links=[f"code:{cat['id']}", *(f"participant:{p}" for p in participants)],
    )
    data: dict[str, Any] = {
        "date": day,
        "category": cat["id"],
        "gap": gap.strip(),
        "criterion": criterion.strip(),
        "questions": questions.strip(),
        "target": "existing data" if existing_data else "new participants",
        "participants": list(participants),
        "memo": memo,
    }
    record = project.add_record(
        SAMPLING_KIND,
        data,
        links=[f"code:{cat['id']}", f"memo:{memo}", *(f"participant:{p}" for p in participants)],
        summary=f"theoretical sampling for {cat['label']}",
    )
    return record, memo


def decisions_table(project: Project) -> TableData:
    codes = {c["id"]: c for c in project.codes()}
    rows = tuple(
        (
            r["id"],
            r["data"]["date"],
            str(codes.get(r["data"]["category"], {}).get("label", r["data"]["category"])),
            r["data"].get("gap") or "—",
            r["data"]["criterion"],
            r["data"].get("questions") or "—",
            r["data"]["target"],
            ", ".join(r["data"].get("participants", [])) or "—",
            r["data"]["memo"],
        )
        for r in project.records(SAMPLING_KIND)
    )
    columns = (
        "Record",
        "Date",
        "Category",
        "Gap",
        "Criterion",
        "Planned questions",
        "Target",
        "Participants",
        "Memo",
    )
    return TableData(columns, rows, "Theoretical sampling decisions")


def why_sampled(project: Project, participant_id: str, record: dict[str, Any] | None) -> str:
    codes = {c["id"]: c for c in project.codes()}
    reasons = [
        f"{r['data']['criterion']} (develop {codes.get(r['data']['category'], {}).get('label', '?')})"
        for r in project.records(SAMPLING_KIND)
        if participant_id in r["data"].get("participants", [])
    ]
    if reasons:
        return "; ".join(reasons)
    return str(record["data"].get("purpose") or "—") if record else "—"


def log_table(project: Project) -> TableData:
    """Per interview: date, duration, guide, why sampled, coded before the next?, new codes, properties."""
    order = interviews(project)
    metrics = {r.source: r for r in interview_rows(project)}
    rows = []
    for index, interview in enumerate(order):
        data = interview.record["data"] if interview.record else {}
        coded = coded_on(project, interview.source_id, interview.record)
        following = order[index + 1].date if index + 1 < len(order) else ""
        if not coded:
            before = "no"
        elif following and coded > following:
            before = f"no (coded {coded}, next interview {following})"
        else:
            before = f"yes ({coded})"
        metric = metrics[interview.source_id]
        rows.append(
            (
                str(interview.order),
                f"{interview.pseudonym} ({interview.participant_id})",
                interview.source_id,
                interview.date or "—",
                f"{data['duration']} min" if data.get("duration") else "—",
                str(data.get("guide") or "—"),
                str(data.get("setting") or "—"),
                str(data.get("interviewer") or "—"),
                why_sampled(project, interview.participant_id, interview.record),
                before,
                str(len(metric.new_initial)),
                f"{len(metric.new_properties)} ({'; '.join(metric.new_properties)})"
                if metric.new_properties
                else "—",
            )
        )
    columns = (
        "Order",
        "Participant",
        "Source",
        "Date",
        "Duration",
        "Guide version",
        "Setting",
        "Interviewer",
        "Why sampled (category/gap)",
        "Coded before next interview?",
        "New codes",
        "New properties",
    )
    return TableData(columns, tuple(rows), "Data collection and theoretical sampling log")
