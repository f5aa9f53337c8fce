"""Cross-case analysis (IPA-8): PETs of completed cases clustered into GETs and GET sub-themes.

A GET (or GET sub-theme) is an ``ipa.theme`` record whose ``members`` are PET ids, from any cases; a PET
may feed several GETs (IPA-8a), optionally with only some of its statements (``member_statements``).
Each GET × participant cell (IPA-8b) lives in the GET's ``cells``: ``{P01: {note, extracts}}`` — the
convergence/divergence note and the extracts chosen to illustrate it. GETs are numbered 1, 2 and
sub-themes 1a, 1b in the order they were made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wb_ipa import board, cases, quotes, statements
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import pseudonym
from wb_ipa.terminology import CASE_LEVELS, GET, GET_SUB, GROUP_LEVELS, PET, label
from workbench import BadInputError, TableData

if TYPE_CHECKING:
    from workbench import Project


def _ready(project: Project) -> None:
    ready, why = cases.cross_case_ready(project)
    if not ready:
        raise BadInputError(why, "cross-case")


def create(project: Project, name: str, *, parent: str | None = None) -> str:
    """A new GET, or a GET sub-theme under `parent`."""
    _ready(project)
    if not name.strip():
        raise BadInputError("a theme needs a name", "NAME")
    level = GET
    if parent is not None:
        if board.get(project, parent).level != GET:
            raise BadInputError(f"{parent} is not a GET; sub-themes go under a GET", "--parent")
        level = GET_SUB
    data: dict[str, Any] = {
        "level": level,
        "case": None,
        "name": name.strip(),
        "parent": parent,
        "members": [],
        "cells": {},
    }
    return project.add_record(board.KIND, data, summary=f"{level} {name.strip()!r}")


def _group(project: Project, theme_id: str) -> board.Theme:
    theme = board.get(project, theme_id)
    if theme.level not in GROUP_LEVELS:
        raise BadInputError(f"{theme_id} is not a GET or GET sub-theme", "GET")
    return theme


def add_pet(project: Project, get_id: str, pet_id: str, *, only: Sequence[str] = ()) -> None:
    """Let a PET (of a completed case) feed a GET; `only` restricts it to some of its statements."""
    _ready(project)
    theme = _group(project, get_id)
    pet = board.get(project, pet_id)
    if pet.level not in CASE_LEVELS or pet.case is None:
        raise BadInputError(f"{pet_id} is not a PET", "PET")
    if cases.get(project, pet.case).status != cases.COMPLETE:
        raise BadInputError(f"{pet.case}'s PETs are not complete yet", "PET")
    if pet_id in theme.members:
        raise BadInputError(f"{pet_id} already feeds {get_id}", "PET")
    inside = {s.id for s in board.members(project, pet)}
    stray = [s for s in only if s not in inside]
    if stray:
        raise BadInputError(f"{', '.join(stray)} are not statements of {pet_id}", "--statement")
    chosen = dict(theme.member_statements)
    if only:
        chosen[pet_id] = list(only)
    project.update_record(
        get_id,
        {**project.record(get_id)["data"], "members": [*theme.members, pet_id], "member_statements": chosen},
        summary=f"{pet_id} feeds {get_id}",
    )


def remove_pet(project: Project, get_id: str, pet_id: str) -> None:
    theme = _group(project, get_id)
    if pet_id not in theme.members:
        raise BadInputError(f"{pet_id} does not feed {get_id}", "PET")
    chosen = {k: v for k, v in theme.member_statements.items() if k != pet_id}
    data = {**project.record(get_id)["data"], "members": [m for m in theme.members if m != pet_id]}
    project.update_record(get_id, {**data, "member_statements": chosen}, summary=f"{pet_id} out of {get_id}")


def cell_note(project: Project, get_id: str, participant: str, note: str) -> None:
    """The convergence/divergence note for one GET × participant cell (IPA-8b)."""
    theme = _group(project, get_id)
    cases.get(project, participant)
    cells = {k: dict(v) for k, v in theme.cells.items()}
    cells.setdefault(participant, {"note": "", "extracts": []})["note"] = note.strip()
    project.update_record(
        get_id,
        {**project.record(get_id)["data"], "cells": cells},
        summary=f"note on {get_id} × {participant}",
    )


def choose_extract(
    project: Project,
    get_id: str,
    participant: str,
    *,
    statement: str | None = None,
    source: str | None = None,
    lines: str | None = None,
    omit: Sequence[str] = (),
    quote: str | None = None,
) -> None:
    """Pick an extract for a GET × participant cell (IPA-8b, IPA-9a)."""
    theme = _group(project, get_id)
    cases.get(project, participant)
    extract = quotes.case_extract(
        project, participant, statement=statement, source=source, lines=lines, omit=omit, quote=quote
    )
    cells = {k: dict(v) for k, v in theme.cells.items()}
    cell = cells.setdefault(participant, {"note": "", "extracts": []})
    cell["extracts"] = [*cell.get("extracts", []), extract]
    project.update_record(
        get_id,
        {**project.record(get_id)["data"], "cells": cells},
        summary=f"extract for {get_id} × {participant}",
    )


def numbering(project: Project) -> dict[str, str]:
    """GET id -> "1", sub-theme id -> "1a", in creation order."""
    out: dict[str, str] = {}
    subs = board.themes(project, levels=(GET_SUB,))
    for i, top in enumerate(board.themes(project, levels=(GET,)), start=1):
        out[top.id] = str(i)
        for j, sub in enumerate(s for s in subs if s.parent == top.id):
            out[sub.id] = f"{i}{chr(97 + j % 26)}"
    return out


def family(project: Project, theme: board.Theme) -> list[board.Theme]:
    """A GET with its sub-themes (a sub-theme alone)."""
    if theme.level == GET_SUB:
        return [theme]
    return [theme, *(t for t in board.themes(project, levels=(GET_SUB,)) if t.parent == theme.id)]


def contributions(project: Project, theme: board.Theme) -> dict[str, list[statements.Statement]]:
    """participant -> the statements that reach this GET (sub-themes included) through its PETs."""
    out: dict[str, list[statements.Statement]] = {}
    for node in family(project, theme):
        for pet_id in node.members:
            pet = board.get(project, pet_id)
            items = board.members(project, pet)
            only = node.member_statements.get(pet_id)
            if only:
                items = [s for s in items if s.id in only]
            bucket = out.setdefault(pet.case or "", [])
            bucket.extend(s for s in items if s not in bucket)
    return out


def participants(project: Project, theme: board.Theme) -> list[str]:
    """Participants who contribute at least one PET to the GET (or sub-theme), in study order."""
    present = set()
    for node in family(project, theme):
        for pet_id in node.members:
            case = board.get(project, pet_id).case
            if case:
                present.add(case)
    return [p["id"] for p in project.participants() if p["id"] in present]


def cell_extracts(project: Project, theme: board.Theme) -> list[tuple[str, dict[str, Any]]]:
    """(participant, extract) for every extract chosen on the GET and its sub-themes."""
    out: list[tuple[str, dict[str, Any]]] = []
    for node in family(project, theme):
        for participant, cell in node.cells.items():
            out.extend((participant, e) for e in cell.get("extracts", []))
    return out


def idiographic_loss(project: Project) -> list[tuple[str, board.Theme]]:
    """(case, PET) for every PET of a completed case that reached no GET (IPA-8d)."""
    used = {m for t in board.themes(project, levels=GROUP_LEVELS) for m in t.members}
    out = []
    for case in cases.all_cases(project):
        if case.status != cases.COMPLETE:
            continue
        for pet in board.themes(project, case=case.participant, levels=(PET,)):
            subs = [t.id for t in board.themes(project, case=case.participant) if t.parent == pet.id]
            if pet.id not in used and not used.intersection(subs):
                out.append((case.participant, pet))
    return out


def tree(project: Project) -> list[str]:
    """The cross-case board as an ASCII tree: GETs, sub-themes, and the PETs feeding them by pseudonym."""
    numbers = numbering(project)
    out: list[str] = []
    for top in board.themes(project, levels=(GET,)):
        for node in family(project, top):
            indent = "" if node.level == GET else "   "
            who = participants(project, node)
            out.append(
                f"{indent}{numbers[node.id]}{'.' if node.level == GET else ''} {node.name}  "
                f"({len(who)} participants)"
            )
            for pet_id in node.members:
                pet = board.get(project, pet_id)
                assert pet.case is not None
                only = node.member_statements.get(pet_id)
                part = f" (statements {', '.join(only)})" if only else ""
                out.append(f"{indent}   ├─ [{pseudonym(project, pet.case)}] {pet.name}{part}")
    lost = idiographic_loss(project)
    if lost:
        out.append(f"PETs in no GET ({len(lost)})")
        out.extend(f"   · [{pseudonym(project, case)}] {pet.name}" for case, pet in lost)
    return out


def master_table(project: Project) -> TableData:
    """METHODS.md 3.4 #6: GET | sub-theme | contributing participants | example extract."""
    term = settings_mod.load(project).terminology
    numbers = numbering(project)
    rows: list[tuple[str, str, str, str]] = []
    for top in board.themes(project, levels=(GET,)):
        for node in family(project, top):
            names = ", ".join(pseudonym(project, p) for p in participants(project, node))
            own = [(p, e) for p, cell in node.cells.items() for e in cell.get("extracts", [])]
            quote = "\n".join(quotes.format_quote(project, e) for _p, e in own)
            if node.level == GET:
                rows.append((f"{numbers[node.id]}. {node.name}", "", names, quote))
            else:
                rows.append(("", f"{numbers[node.id]} {node.name}", names, quote))
    columns = (
        label(GET, term),
        "Sub-theme",
        "Contributing participants",
        "Example extract (pseudonym, page:line)",
    )
    return TableData(columns, tuple(rows), label("get-table", term))


def pet_choices(project: Project) -> list[board.Theme]:
    """PETs (and PET sub-themes) of completed cases: the cards of the cross-case board."""
    done = {c.participant for c in cases.all_cases(project) if c.status == cases.COMPLETE}
    return [t for t in board.themes(project, levels=CASE_LEVELS) if t.case in done]
