"""Every IPA output as a registered table (METHODS.md 3.4), so each prints and exports as CSV/Markdown/DOCX.

``workbench table DIR NAME [--option k=v]`` builds them; the audit bundle and ``workbench ipa`` export
commands reuse the same builders, so every format shows the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from wb_ipa import (
    board,
    cases,
    gets,
    journal,
    notes,
    pets,
    picker,
    quotes,
    recurrence,
    skeleton,
    statements,
    transcript,
)
from wb_ipa import settings as settings_mod
from wb_ipa.anchors import page_line, pseudonym, sources_of_case
from wb_ipa.terminology import GET, PET, STATEMENT, label, short
from workbench import BadInputError, TableData

if TYPE_CHECKING:
    from workbench import Project

Build = Callable[["Project", Mapping[str, str]], TableData]
STATEMENT_ORDERS = ("chronological", "alphabetical", "unclustered")


def _case(options: Mapping[str, str]) -> str:
    case = options.get("case")
    if not case:
        raise BadInputError("this table needs case=P01", "--option")
    return case


def case_table(project: Project, _options: Mapping[str, str]) -> TableData:
    """Cases in order of analysis (IPA-1d) with status, reading passes and counts."""
    rows = []
    listed = sorted(cases.all_cases(project), key=lambda c: (c.order is None, c.order or 0, c.participant))
    open_case = cases.current(project)
    for case in listed:
        sources = sources_of_case(project, case.participant)
        rows.append(
            (
                str(case.order or ""),
                case.participant
                + (" ▸ open" if open_case and open_case.participant == case.participant else ""),
                case.pseudonym,
                case.status + (" (locked)" if case.locked and case.status != cases.COMPLETE else ""),
                ", ".join(sources),
                str(sum(journal.reading_passes(project, s) for s in sources)),
                str(len(notes.all_notes(project, case=case.participant))),
                str(len(statements.all_statements(project, case=case.participant))),
                str(len(board.themes(project, case=case.participant, levels=(PET,)))),
            )
        )
    term = settings_mod.load(project).terminology
    columns = (
        "Order",
        "Case",
        "Pseudonym",
        "Status",
        "Sources",
        "Reading passes",
        "Notes",
        short(STATEMENT, term),
        short(PET, term) + "s",
    )
    return TableData(columns, tuple(rows), "IPA cases in order of analysis")


def statement_table(project: Project, options: Mapping[str, str]) -> TableData:
    """Chronological list of statements for a case (IPA-4c, 3.4 #3); alphabetical/unclustered (IPA-5f)."""
    case = _case(options)
    order = options.get("order", "chronological")
    if order not in STATEMENT_ORDERS:
        raise BadInputError(f"order must be one of {', '.join(STATEMENT_ORDERS)}", "--option")
    items = statements.all_statements(project, case=case)
    if order == "alphabetical":
        items.sort(key=lambda s: s.text.casefold())
    elif order == "unclustered":
        items = [s for s in items if s.cluster is None and not s.excluded]
    term = settings_mod.load(project).terminology
    rows = tuple(
        (str(i), s.text + (" ✗ discarded" if s.excluded else ""), page_line(project, s.anchor), s.key_words)
        for i, s in enumerate(items, start=1)
    )
    title = f"{short(STATEMENT, term)} ({order}): {pseudonym(project, case)} ({case})"
    return TableData(("#", label(STATEMENT, term), "Page:line", "Key words"), rows, title)


def board_table(project: Project, options: Mapping[str, str]) -> TableData:
    """Clustering evidence (3.4 #5): the board as an ASCII tree with technique tags (case= or cross-case)."""
    scope = options.get("case", "cross-case")
    lines = gets.tree(project) if scope == "cross-case" else board.tree(project, scope)
    if scope != "cross-case":
        cases.get(project, scope)
    title = (
        "Cross-case board"
        if scope == "cross-case"
        else f"Clustering board: {pseudonym(project, scope)} ({scope})"
    )
    return TableData(("Board",), tuple((line,) for line in lines), title)


def snapshot_table(project: Project, options: Mapping[str, str]) -> TableData:
    """Every stored board snapshot (for the audit trail), optionally of one scope."""
    scope = options.get("case")
    rows = []
    for doc in board.snapshots(project, scope):
        data = doc["data"]
        for i, line in enumerate(data["tree"] or ["(empty board)"]):
            rows.append(
                (
                    doc["id"] if i == 0 else "",
                    data["label"] if i == 0 else "",
                    data["at"] if i == 0 else "",
                    line,
                )
            )
    return TableData(("Snapshot", "Label", "Taken", "Board"), tuple(rows), "Clustering board snapshots")


def pet_table(project: Project, options: Mapping[str, str]) -> TableData:
    return pets.table(project, _case(options))


def get_table(project: Project, _options: Mapping[str, str]) -> TableData:
    return gets.master_table(project)


def cell_table(project: Project, _options: Mapping[str, str]) -> TableData:
    """GET × participant (IPA-8b): contributing PETs and statements, convergence/divergence note, extracts."""
    numbers = gets.numbering(project)
    rows = []
    for theme in board.themes(project, levels=(GET, "get-subtheme")):
        contributed = gets.contributions(project, theme)
        for case in recurrence.sample(project):
            items = contributed.get(case.participant, [])
            cell = theme.cells.get(case.participant, {})
            pet_names = sorted(
                {pets.theme_names(project, case.participant).get(s.cluster or "", "") for s in items}
            )
            rows.append(
                (
                    f"{numbers[theme.id]} {theme.name}",
                    case.pseudonym,
                    "; ".join(p for p in pet_names if p),
                    "; ".join(f"{s.text} [{page_line(project, s.anchor)}]" for s in items),
                    cell.get("note", ""),
                    "\n".join(quotes.format_quote(project, e) for e in cell.get("extracts", [])),
                )
            )
    columns = (
        "GET / sub-theme",
        "Participant",
        "Contributing PETs",
        "Statements",
        "Convergence / divergence",
        "Extracts",
    )
    return TableData(columns, tuple(rows), "GET × participant: convergence and divergence")


def quote_table(project: Project, _options: Mapping[str, str]) -> TableData:
    """Every extract used (3.4 #8): GET | sub-theme | pseudonym | page:line | extract."""
    numbers = gets.numbering(project)
    rows = []
    for top in board.themes(project, levels=(GET,)):
        for node in gets.family(project, top):
            for participant, extract in (
                (p, e) for p, c in node.cells.items() for e in c.get("extracts", [])
            ):
                rows.append(
                    (
                        f"{numbers[top.id]}. {top.name}",
                        f"{numbers[node.id]} {node.name}" if node.level != GET else "",
                        pseudonym(project, participant),
                        page_line(project, quotes.anchor_of(extract)),
                        quotes.words(project, extract),
                    )
                )
    return TableData(
        ("GET", "Sub-theme", "Pseudonym", "Page:line", "Extract"), tuple(rows), "Quotes used in the write-up"
    )


def picker_table(project: Project, options: Mapping[str, str]) -> TableData:
    """Extract picker for one GET (IPA-9a): candidate statements grouped by participant, quoted or not."""
    theme = board.get(project, options.get("get") or "")
    if theme.level not in (GET, "get-subtheme"):
        raise BadInputError("give get=R.. (a GET or GET sub-theme)", "--option")
    found = picker.build(project, theme)
    rows = [
        (
            group.pseudonym,
            statement.id,
            statement.text,
            page_line(project, statement.anchor),
            statement.key_words,
            "✓ quoted" if group.quoted else "",
        )
        for group in found.groups
        for statement in group.statements
    ]
    title = found.title
    return TableData(
        ("Participant", "Statement", "Wording", "Page:line", "Key words", "Quoted"), tuple(rows), title
    )


def loss_table(project: Project, _options: Mapping[str, str]) -> TableData:
    """Idiographic check (IPA-8d): PETs that reached no GET, per participant."""
    rows = tuple(
        (pseudonym(project, case), pet.name, board.numeration(project, board.members(project, pet)))
        for case, pet in gets.idiographic_loss(project)
    )
    return TableData(
        ("Participant", "PET in no GET", "Statements"), rows, "Idiographic check: PETs that reached no GET"
    )


def journal_table(project: Project, _options: Mapping[str, str]) -> TableData:
    """The reflexive journal (IPA-10a), dated, with what each entry is linked to."""
    rows = tuple(
        (m.get("created_at", "")[:10], m["id"], m["title"], ", ".join(m.get("links", [])), m["body"])
        for m in journal.entries(project)
    )
    return TableData(("Date", "Memo", "Entry", "Linked to", "Text"), rows, "Reflexive journal")


def notes_table(project: Project, options: Mapping[str, str]) -> TableData:
    case = _case(options)
    rows = tuple(
        (n.id, n.anchor.source, page_line(project, n.anchor), n.type, n.text)
        for n in notes.all_notes(project, case=case)
    )
    return TableData(("Note", "Source", "Page:line", "Type", "Note"), rows, f"Exploratory notes: {case}")


TABLES: tuple[tuple[str, str, Build, str], ...] = (
    ("ipa-cases", "IPA cases", case_table, "cases in order of analysis, status and counts (IPA-1)"),
    (
        "ipa-annotated-transcript",
        "Annotated transcript",
        transcript.table,
        "three-column transcript with the tool's line numbers (3.4 #2); case= or source=, "
        "columns=, line_numbers=",
    ),
    ("ipa-notes", "Exploratory notes", notes_table, "a case's exploratory notes (IPA-3); case="),
    (
        "ipa-statements",
        "Experiential statements",
        statement_table,
        "a case's statements with page:line and key words (3.4 #3); case=, "
        "order=chronological|alphabetical|unclustered",
    ),
    (
        "ipa-board",
        "Clustering board",
        board_table,
        "ASCII tree with technique tags (3.4 #5); case= or cross-case",
    ),
    ("ipa-board-snapshots", "Board snapshots", snapshot_table, "stored board snapshots; optional case="),
    (
        "ipa-pet-table",
        "Table of PETs",
        pet_table,
        "PETs, sub-themes, statements and extracts of a case (3.4 #4); case=",
    ),
    ("ipa-get-table", "Table of GETs", get_table, "GET master table with extracts (3.4 #6)"),
    ("ipa-get-cells", "GET × participant", cell_table, "convergence/divergence notes and extracts (IPA-8b)"),
    (
        "ipa-recurrence",
        "Recurrence table",
        recurrence.table,
        "participants × GETs with the rule flag (3.4 #7); cells=tick|count|refs, rule=",
    ),
    ("ipa-quotes", "Quote table", quote_table, "every extract used in the write-up (3.4 #8)"),
    (
        "ipa-extract-picker",
        "Extract picker",
        picker_table,
        "candidate extracts for a GET by participant (IPA-9a); get=",
    ),
    ("ipa-idiographic-loss", "Idiographic check", loss_table, "PETs that reached no GET (IPA-8d)"),
    (
        "ipa-results-skeleton",
        "Results skeleton",
        lambda p, _o: skeleton.table(p),
        "results chapter skeleton (IPA-9c)",
    ),
    ("ipa-reflexive-journal", "Reflexive journal", journal_table, "reflexive memos, dated (IPA-10a)"),
)
