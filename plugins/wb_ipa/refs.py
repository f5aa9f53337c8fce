"""Naming statements and themes on the command line: by id (R12), wording, ``P01:wording``, ``group:name``.

Ids are exact but opaque; wording is what a researcher remembers (and what keeps the demo plan readable).
A wording that matches more than one object is refused with the candidates' ids, never guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wb_ipa import board, statements
from workbench import BadInputError, NotFoundError

if TYPE_CHECKING:
    from workbench import Project

_ID = re.compile(r"^R[0-9]+$")


def _split(ref: str) -> tuple[str | None, str]:
    head, sep, tail = ref.partition(":")
    if sep and re.fullmatch(r"P[0-9A-Za-z_-]*", head):
        return head, tail.strip()
    return None, ref.strip()


def _pick(ref: str, matches: list[tuple[str, str]], what: str) -> str:
    if len(matches) == 1:
        return matches[0][0]
    if not matches:
        raise NotFoundError(f"no {what} {ref!r}", what)
    listed = ", ".join(f"{i} ({case})" for i, case in matches)
    raise BadInputError(f"{ref!r} names more than one {what}: {listed}; use an id or CASE:wording", what)


def statement(project: Project, ref: str) -> str:
    if _ID.match(ref.strip()):
        return ref.strip()
    case, text = _split(ref)
    found = [
        (s.id, s.case)
        for s in statements.all_statements(project, case=case)
        if s.text.casefold() == text.casefold()
    ]
    return _pick(ref, found, "statement")


def theme(project: Project, ref: str) -> str:
    if _ID.match(ref.strip()):
        return ref.strip()
    if ref.casefold().startswith("group:"):  # GETs and GET sub-themes only
        text = ref.partition(":")[2].strip()
        candidates = [t for t in board.themes(project) if t.case is None]
    else:
        case, text = _split(ref)
        candidates = board.themes(project, case=case)
    found = [(t.id, t.case or "group") for t in candidates if t.name.casefold() == text.casefold()]
    return _pick(ref, found, "theme")
