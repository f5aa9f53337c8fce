"""Initial (open) coding (GT-3): line by line or incident by incident, gerund hints, in-vivo codes.

The core does the coding; this module adds what GT asks of it: the unit (a single line is "line", a
longer range an "incident", unless the researcher says), a *hint* — never a block — when a constructivist
label has no gerund, in-vivo codes that keep the participant's words in quotation marks (``kind=in-vivo``),
and a code note (a question or clue to consider later) as a ``code-note`` memo on the coding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench import BadInputError, NotFoundError, Project

from .memos import write_memo
from .profiles import active_profile

UNITS = ("line", "incident", "sentence", "word", "turn")
_GERUND = re.compile(r"[A-Za-z]{2,}ing\b")
MAX_IN_VIVO = 80


@dataclass(frozen=True)
class Coded:
    coding_id: str
    label: str
    start: int
    end: int
    unit: str
    hints: tuple[str, ...]
    memo: str | None


def has_gerund(label: str) -> bool:
    return bool(_GERUND.search(label))


def gerund_hint(label: str) -> str | None:
    if has_gerund(label) or label[:1] in "\"“'":
        return None
    return f"hint: {label!r} has no -ing verb form; keep it action-oriented? (a hint, not a rule)"


def in_vivo_label(words: str) -> str:
    """The participant's words in double quotation marks, cut at a word boundary if long."""
    flat = " ".join(words.split()).strip("\"“”'")
    if len(flat) > MAX_IN_VIVO:
        flat = flat[:MAX_IN_VIVO].rsplit(" ", 1)[0] + "…"
    if not flat:
        raise BadInputError("no words to make an in-vivo code from", "--in-vivo")
    return f'"{flat}"'


def find_quote(project: Project, source_id: str, quote: str) -> tuple[int, int]:
    _vid, record = project.current_text(source_id)
    quote = quote.strip()
    if not quote:
        raise BadInputError("the quote is empty", "--quote")
    count = record.text.count(quote)
    if count == 0:
        raise NotFoundError(f"{source_id} does not contain {quote[:40]!r}", "--quote")
    if count > 1:
        raise BadInputError(
            f"{quote[:40]!r} occurs {count} times in {source_id}; quote more words", "--quote"
        )
    start = record.text.index(quote)
    return start, start + len(quote)


def code_initial(
    project: Project,
    source_id: str,
    span: tuple[int, int],
    label: str | None,
    *,
    in_vivo: bool = False,
    unit: str | None = None,
    note: str | None = None,
    coder: str | None = None,
) -> Coded:
    """Apply an initial code to the span; an in-vivo code without a label takes the span's words."""
    start, end = span
    if unit is not None and unit not in UNITS:
        raise BadInputError(f"unknown unit {unit!r}; use {', '.join(UNITS)}", "--unit")
    _vid, record = project.current_text(source_id)
    if not (0 <= start < end <= len(record.text)):
        raise BadInputError(f"span {start}:{end} is outside the text", "--chars")
    if label is None or not label.strip():
        if not in_vivo:
            raise BadInputError("give a LABEL (or --in-vivo to use the participant's words)", "LABEL")
        label = in_vivo_label(record.text[start:end])
    label = label.strip()
    if in_vivo and label[:1] not in '"“':
        label = f'"{label}"'
    existing = project.find_code(label, ids=False)
    hints: list[str] = []
    if existing is None:
        hint = gerund_hint(label) if active_profile(project).gerund_hint and not in_vivo else None
        if hint:
            hints.append(hint)
        if project.method != "gt":
            project.create_code(label, level="initial", kind="in-vivo" if in_vivo else None)
    first, last = record.linemap.lines_of_span(start, end)
    chosen_unit = unit or ("line" if first.ordinal == last.ordinal else "incident")
    coding = project.code(
        source_id,
        start,
        end,
        label,
        coder=coder,
        unit=chosen_unit,
        kind="in-vivo" if in_vivo else None,
    )
    memo = None
    if note:
        memo = write_memo(
            project,
            f"Note on {label}",
            note,
            memo_type="code-note",
            links=[f"coding:{coding}"],
            stage="initial",
        )
    return Coded(coding, label, start, end, chosen_unit, tuple(hints), memo)
