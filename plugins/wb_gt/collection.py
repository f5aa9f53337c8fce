"""Data collection log and the versioned interview guide (GT-2).

Each interview gets one ``gt.collection`` record (date, duration, setting, interviewer, guide version,
purpose, date coded) linked to its source; each version of the interview guide is one ``gt.guide`` record
with its full text and what changed, so the guide's evolution sits in the audit trail beside the
categories that prompted it. "Coded before the next interview?" is what makes simultaneous collection and
analysis visible, so the date coded is kept: given with ``gt coded --on`` or else the day the source was
marked coded.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from workbench import BadInputError, NotFoundError, Project

from .facts import COLLECTION_KIND, collection_records

GUIDE_KIND = "gt.guide"
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def check_date(value: str, where: str) -> str:
    value = value.strip()
    if not _DATE.match(value):
        raise BadInputError(f"dates look like 2014-05-02, not {value!r}", where)
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise BadInputError(f"{value!r} is not a calendar date", where) from None
    return value


def guides(project: Project) -> list[dict[str, Any]]:
    return project.records(GUIDE_KIND)


def guide(project: Project, version: str) -> dict[str, Any]:
    for record in guides(project):
        if record["data"]["version"] == version:
            return record
    known = ", ".join(r["data"]["version"] for r in guides(project)) or "none yet"
    raise NotFoundError(f"no interview guide {version!r} (guides: {known})", "--guide")


def add_guide(project: Project, version: str, text: str, *, changes: str = "", date: str = "") -> str:
    """Store a new version of the interview guide; versions are never edited, only superseded."""
    version = version.strip()
    if not version:
        raise BadInputError("a guide version needs a name (v1, v2 ...)", "VERSION")
    if not text.strip():
        raise BadInputError("the interview guide is empty", "--text")
    if any(r["data"]["version"] == version for r in guides(project)):
        raise BadInputError(f"guide {version!r} already exists; add a new version instead", "VERSION")
    previous = guides(project)[-1]["data"]["version"] if guides(project) else ""
    data = {
        "version": version,
        "text": text,
        "changes": changes.strip(),
        "previous": previous,
        "date": check_date(date, "--date") if date else "",
    }
    return project.add_record(GUIDE_KIND, data, summary=f"interview guide {version}")


def log_interview(
    project: Project,
    source_id: str,
    *,
    date: str | None = None,
    duration: int | None = None,
    setting: str | None = None,
    interviewer: str | None = None,
    guide_version: str | None = None,
    purpose: str | None = None,
) -> str:
    """Create or update the source's collection record; only the fields given change."""
    project.source(source_id)
    if duration is not None and duration <= 0:
        raise BadInputError("duration is a positive number of minutes", "--duration")
    if guide_version is not None:
        guide(project, guide_version)
    existing = collection_records(project).get(source_id)
    data: dict[str, Any] = dict(existing["data"]) if existing else {"source": source_id}
    for key, value in (
        ("date", check_date(date, "--date") if date else None),
        ("duration", duration),
        ("setting", setting),
        ("interviewer", interviewer),
        ("guide", guide_version),
        ("purpose", purpose),
    ):
        if value is not None:
            data[key] = value
    if existing is None:
        return project.add_record(
            COLLECTION_KIND, data, links=[f"source:{source_id}"], summary=f"log interview {source_id}"
        )
    project.update_record(existing["id"], data, summary=f"update interview log {source_id}")
    return str(existing["id"])


def mark_coded(project: Project, source_id: str, on: str | None = None) -> tuple[str | None, str]:
    """Mark a transcript coded (the core snapshots the codebook) and record the day.

    Returns the snapshot id (None if it was already coded) and the day recorded.
    """
    source = project.source(source_id)
    day = check_date(on, "--on") if on else datetime.now(UTC).strftime("%Y-%m-%d")
    snapshot = None
    if source.get("status") != "coded":
        snapshot = project.set_source_status(source_id, "coded")
    existing = collection_records(project).get(source_id)
    if existing is None:
        project.add_record(
            COLLECTION_KIND,
            {"source": source_id, "coded_on": day},
            links=[f"source:{source_id}"],
            summary=f"{source_id} coded on {day}",
        )
    else:
        project.update_record(
            existing["id"], {**existing["data"], "coded_on": day}, summary=f"{source_id} coded"
        )
    return snapshot, day


def coded_on(project: Project, source_id: str, record: dict[str, Any] | None) -> str:
    """The day a source was coded: as logged, else the day it was marked coded (from the audit log)."""
    if record and record["data"].get("coded_on"):
        return str(record["data"]["coded_on"])
    if project.source(source_id).get("status") != "coded":
        return ""
    for event in reversed(project.audit_events()):
        after = event.get("after") or {}
        doc = after.get(f"sources/{source_id}") if isinstance(after, dict) else None
        if event.get("action") == "source.status" and isinstance(doc, dict) and doc.get("status") == "coded":
            return str(event["time"])[:10]
    return ""
