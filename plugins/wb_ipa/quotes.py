"""Extracts and quotes (IPA-6 illustrative extracts, IPA-9a picker, IPA-9b formatter).

An extract is stored as ``{source, version, start, end, omit: [[a, b], ...], statement}``: a span of
one transcript version plus the spans left out. Formatting never alters the participant's words: the
quote is slices of the canonical text, each omission becomes ``[…]``, speaker labels are dropped (they
are structure, not speech) and interviewer speech inside a quote is marked ``I:``. The citation follows
the project's style (TR-11), by default ``(Pseudonym, page:line–line)``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wb_ipa import statements
from wb_ipa.anchors import Anchor, citation, locate
from workbench import BadInputError

if TYPE_CHECKING:
    from workbench import Project

ELLIPSIS = "[…]"


def make(
    project: Project,
    *,
    anchor: Anchor,
    omit: Sequence[str] = (),
    statement: str | None = None,
) -> dict[str, Any]:
    """An extract over `anchor`, leaving out the first occurrence of each `omit` phrase inside it."""
    text: str = project.text_record(anchor.version).text
    spans: list[list[int]] = []
    for phrase in omit:
        phrase = phrase.strip()
        if not phrase:
            continue
        at = text.find(phrase, anchor.start, anchor.end)
        if at < 0:
            raise BadInputError(f"{phrase!r} is not inside the extract", "--omit")
        spans.append([at, at + len(phrase)])
    spans.sort()
    for (_a, b), (c, _d) in itertools.pairwise(spans):
        if c < b:
            raise BadInputError("omitted parts overlap", "--omit")
    return {**anchor.to_json(), "omit": spans, "statement": statement}


def from_lines_or_statement(
    project: Project,
    *,
    statement_anchor: Anchor | None,
    source: str | None,
    lines: str | None,
    omit: Sequence[str] = (),
    statement: str | None = None,
    quote: str | None = None,
) -> dict[str, Any]:
    """An extract from a statement's segment, or from ``--source`` with ``--lines`` or ``--quote``."""
    if lines is not None or quote is not None:
        if source is None:
            raise BadInputError("--lines/--quote need --source", "--source")
        return make(project, anchor=locate(project, source, lines, quote), omit=omit)
    if statement_anchor is None:
        raise BadInputError(
            "choose the extract: --statement, or --source S with --lines or --quote", "--statement"
        )
    return make(project, anchor=statement_anchor, omit=omit, statement=statement)


def case_extract(
    project: Project,
    case: str | None,
    *,
    statement: str | None = None,
    source: str | None = None,
    lines: str | None = None,
    omit: Sequence[str] = (),
    quote: str | None = None,
) -> dict[str, Any]:
    """An extract chosen for one participant's cell (a PET, a GET × participant): a statement's segment
    or lines of a source, refused when the statement or source is another participant's."""
    anchor = None
    if statement is not None:
        found = statements.get(project, statement)
        if found.case != case:
            raise BadInputError(f"{statement} belongs to {found.case}, not {case}", "--statement")
        anchor = found.anchor
    if source is not None and project.source(source).get("participant_id") != case:
        raise BadInputError(f"{source} is not a source of {case}", "--source")
    return from_lines_or_statement(
        project,
        statement_anchor=anchor,
        source=source,
        lines=lines,
        omit=omit,
        statement=statement,
        quote=quote,
    )


def anchor_of(extract: dict[str, Any]) -> Anchor:
    return Anchor.from_json(extract)


def words(project: Project, extract: dict[str, Any]) -> str:
    """The quoted words: labels dropped, omissions as […], interviewer parts as I:, whitespace tidied."""
    anchor = anchor_of(extract)
    record = project.text_record(anchor.version)
    text: str = record.text
    cuts = [(int(a), int(b)) for a, b in extract.get("omit", [])]
    turns: list[Any] = [t for t in record.turns if t.start < anchor.end and t.end > anchor.start] or [None]
    pieces: list[str] = []
    for turn in turns:
        start = anchor.start if turn is None else max(anchor.start, turn.start)
        end = anchor.end if turn is None else min(anchor.end, turn.end)
        if turn is not None and turn.label and start == turn.start:
            match = re.match(rf"\s*{re.escape(turn.label.strip())}\s*:\s*", text[start:end])
            if match:
                start += match.end()
        part = _with_omissions(text, start, end, cuts)
        part = " ".join(part.split())
        if not part:
            continue
        pieces.append(
            f"I: {part}" if turn is not None and turn.role == "interviewer" and len(turns) > 1 else part
        )
    return " / ".join(pieces)


def _with_omissions(text: str, start: int, end: int, cuts: list[tuple[int, int]]) -> str:
    out: list[str] = []
    pos = start
    for a, b in cuts:
        if b <= start or a >= end:
            continue
        out.append(text[pos : max(a, pos)])
        out.append(f" {ELLIPSIS} ")
        pos = max(pos, min(b, end))
    out.append(text[pos:end])
    joined = "".join(out)
    return re.sub(r"(\s*\[…\]\s*)+", f" {ELLIPSIS} ", joined)


def format_quote(project: Project, extract: dict[str, Any]) -> str:
    """‘"words […] words" (Helen, 4:112–118)’: the IPA-9b quote with its TR-11 citation."""
    return f'"{words(project, extract)}" ({citation(project, anchor_of(extract))})'
