"""The table of PETs for one case (IPA-6, METHODS.md 3.4 #4), built from the clustering board.

Rows follow the board: a bold PET row (``**A. Name**``), then each sub-theme (``A1 Name``) with its
statements, page:line and key words or the chosen illustrative extract. Statements sitting directly in a
PET (not in a sub-theme) are listed under the PET. Anything changed after the case was locked carries a
"† post-lock revision" mark, so the table an examiner reads shows what moved after completion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wb_ipa import board, cases, quotes, statements
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import page_line
from wb_ipa.terminology import CASE_LEVELS, PET, PET_SUB, label, short
from workbench import BadInputError, TableData

if TYPE_CHECKING:
    from workbench import Project

POST_LOCK = "† post-lock revision"


def choose_extract(
    project: Project,
    theme_id: str,
    *,
    statement: str | None = None,
    source: str | None = None,
    lines: str | None = None,
    omit: Sequence[str] = (),
    quote: str | None = None,
) -> None:
    """Add an illustrative extract to a PET or sub-theme: a statement's segment or chosen lines."""
    theme = board.get(project, theme_id)
    if theme.level not in CASE_LEVELS:
        raise BadInputError(f"{theme_id} is not a PET or PET sub-theme", "THEME")
    extract = quotes.case_extract(
        project, theme.case, statement=statement, source=source, lines=lines, omit=omit, quote=quote
    )
    board._save(project, theme, "extract chosen", extracts=[*theme.extracts, extract])


def _mark(items: Sequence[dict[str, Any]]) -> str:
    return f" {POST_LOCK}" if items else ""


def table(project: Project, case_id: str) -> TableData:
    case = cases.get(project, case_id)
    term = settings_mod.load(project).terminology
    names = board.labels(project, case_id)
    rows: list[tuple[str, str, str, str]] = []
    subs = board.themes(project, case=case_id, levels=(PET_SUB,))

    def statement_rows(theme: board.Theme, items: list[statements.Statement], heading: str) -> None:
        extracts = [quotes.format_quote(project, e) for e in theme.extracts]
        first = True
        for statement in items:
            rows.append(
                (
                    heading if first else "",
                    statement.text + _mark(statement.post_lock),
                    page_line(project, statement.anchor),
                    statement.key_words,
                )
            )
            first = False
        for quote in extracts:
            rows.append((heading if first else "", "Illustrative extract", "", quote))
            first = False
        if first:
            rows.append((heading, "", "", ""))

    for pet in board.themes(project, case=case_id, levels=(PET,)):
        rows.append((f"**{names[pet.id]}. {pet.name}**{_mark(pet.post_lock)}", "", "", ""))
        own = board.members(project, pet, deep=False)
        if own or pet.extracts:
            statement_rows(pet, own, "")
        for sub in (s for s in subs if s.parent == pet.id):
            statement_rows(
                sub,
                board.members(project, sub, deep=False),
                f"{names[sub.id]} {sub.name}{_mark(sub.post_lock)}",
            )
    status = "locked" if case.locked else case.status
    title = f"{label('pet-table', term)}: {case.pseudonym} ({case_id}, {status})"
    columns = (
        f"{short(PET, term)} / sub-theme",
        label("experiential-statement", term) + "s",
        "Page:line",
        "Key words / extract",
    )
    return TableData(columns, tuple(rows), title)


def theme_names(project: Project, case_id: str) -> dict[str, str]:
    """PET id -> "A. Name" for listings."""
    names = board.labels(project, case_id)
    return {t.id: f"{names[t.id]}. {t.name}" for t in board.themes(project, case=case_id, levels=CASE_LEVELS)}
