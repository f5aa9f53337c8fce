"""Constant comparison (GT-4a/4b): a code's segments across participants, and two things side by side.

Glaser and Strauss's defining rule — compare each incident with the previous incidents coded in the same
category, in the same and different groups — needs every segment of a code in one place, grouped by
participant, each with its page:line citation, coder and date coded. For a category the segments of the
codes under it are included, since a category is compared through its incidents. Side by side puts two
codes (or one segment against a code) in parallel, one row per participant, to decide whether to merge,
split or differentiate; what the researcher sees is written down as a ``comparison`` memo.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from workbench import BadInputError, Project, TableData, natural_key

from .facts import code_doc, descendants, interviews, segment_ref, segment_view, shorten

SORTS = ("participant", "interview")
_SEGMENT_REF = re.compile(r"^(?:[GK][0-9]+|segment:G[0-9]+|coding:K[0-9]+|S[0-9]+:.+)$", re.DOTALL)


@dataclass(frozen=True)
class Incident:
    code: str
    participant: str
    pseudonym: str
    source: str
    segment_id: str
    coding_id: str
    citation: str
    coder: str
    coded_on: str
    text: str
    start: int


def incidents(project: Project, label: str, *, context: int = 0, sort: str = "participant") -> list[Incident]:
    """Every segment of the code (and of the codes beneath it), grouped by participant or interview order."""
    if sort not in SORTS:
        raise BadInputError(f"unknown sort {sort!r}; use {', '.join(SORTS)}", "--sort")
    if context < 0:
        raise BadInputError("context is a number of lines, 0 or more", "--context")
    root = code_doc(project, label)
    out: list[Incident] = []
    for code_id in descendants(project, root["id"]):
        code = project.get("codes", code_id) or {}
        for s in project.coded_segments(
            code_id if code_id != root["id"] else root["label"], extracts=True, context_lines=context
        ):
            coding = project.get("codings", s.coding_id) or {}
            out.append(
                Incident(
                    str(code.get("label", "")),
                    s.participant,
                    s.pseudonym,
                    s.source,
                    s.segment_id,
                    s.coding_id,
                    s.citation,
                    s.coder,
                    str(coding.get("created_at", ""))[:10],
                    s.extract or s.text,
                    s.start,
                )
            )
    order = {i.source_id: i.order for i in interviews(project)}
    if sort == "interview":
        out.sort(key=lambda i: (order.get(i.source, 0), i.start, natural_key(i.segment_id)))
    else:
        out.sort(
            key=lambda i: (
                natural_key(i.participant),
                order.get(i.source, 0),
                i.start,
                natural_key(i.segment_id),
            )
        )
    return out


def incidents_table(project: Project, options: Mapping[str, str]) -> TableData:
    label = options.get("code", "").strip()
    if not label:
        raise BadInputError("the comparison table needs --option code=LABEL", "--option")
    context = _int_option(options, "context", 0)
    rows = tuple(
        (i.pseudonym, i.participant, i.citation, i.code, i.coder, i.coded_on, " ".join(i.text.split()))
        for i in incidents(project, label, context=context, sort=options.get("sort", "participant"))
    )
    columns = ("Pseudonym", "Participant", "Citation", "Code", "Coder", "Coded on", "Segment")
    return TableData(columns, rows, f"Constant comparison: {code_doc(project, label)['label']}")


@dataclass(frozen=True)
class Side:
    title: str
    by_participant: dict[str, list[str]]


def side(project: Project, ref: str) -> Side:
    """One side of a comparison: a code (its segments by participant) or a single segment."""
    if _SEGMENT_REF.match(ref.strip()) and project.find_code(ref.strip()) is None:
        view = segment_view(project, segment_ref(project, ref))
        return Side(
            f"Segment {view.segment_id}", {view.participant_id: [f"{view.citation}: {shorten(view.text)}"]}
        )
    found: dict[str, list[str]] = {}
    for i in incidents(project, ref):
        found.setdefault(i.participant, []).append(f"{i.citation}: {shorten(i.text)}")
    return Side(code_doc(project, ref)["label"], found)


def side_by_side(project: Project, left: str, right: str) -> TableData:
    """Participant rows; each side's segments (citation: words) in its column."""
    a, b = side(project, left), side(project, right)
    names = {p["id"]: p["pseudonym"] for p in project.participants()}
    people = sorted(set(a.by_participant) | set(b.by_participant), key=natural_key)
    rows = tuple(
        (
            f"{names.get(p, p)} ({p})",
            "\n".join(a.by_participant.get(p, [])) or "—",
            "\n".join(b.by_participant.get(p, [])) or "—",
        )
        for p in people
    )
    return TableData(("Participant", a.title, b.title), rows, f"Side by side: {a.title} | {b.title}")


def side_by_side_table(project: Project, options: Mapping[str, str]) -> TableData:
    left, right = options.get("left", "").strip(), options.get("right", "").strip()
    if not left or not right:
        raise BadInputError(
            "side by side needs --option left=CODE|SEGMENT and --option right=CODE", "--option"
        )
    return side_by_side(project, left, right)


def _int_option(options: Mapping[str, str], key: str, default: int) -> int:
    value = options.get(key, "")
    if not value:
        return default
    if not value.isdigit():
        raise BadInputError(f"option {key} must be a whole number, not {value!r}", "--option")
    return int(value)
