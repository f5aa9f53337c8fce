"""``workbench ipa SUBCOMMAND DIR ...``: every IPA step from the command line.

Each subcommand opens the project (for writing only when it changes something), calls the concept
module that does the work, and prints a short result; listings take ``--json``. Bracketing applies to
listings: while a case is open, ``statements``, ``notes``, ``board`` and ``pets`` show only that case
unless ``--all`` is given.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import BadInputError, open_project, print_json

if TYPE_CHECKING:
    from workbench import Project, TableData

Handler = Callable[[argparse.Namespace], int]
_HANDLERS: dict[str, tuple[Handler, bool]] = {}


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="ipa_command", required=True, metavar="SUBCOMMAND")

    def command(name: str, help_text: str, handler: Handler, *, write: bool) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("dir", metavar="DIR", help="project directory")
        _HANDLERS[name] = (handler, write)
        return p

    p = command("settings", "show or change IPA settings", _settings, write=True)
    p.add_argument("--terminology", choices=["2022", "2009"])
    p.add_argument("--columns", choices=["notes-first", "statements-first"])
    p.add_argument("--line-numbers", choices=["column", "prefix"])
    p.add_argument("--bracketing", choices=["on", "off"])
    p.add_argument(
        "--recurrence", metavar="RULE", help="half, a number of participants (3) or a share (50%%)"
    )
    p.add_argument("--cells", choices=["tick", "count", "refs"])
    p.add_argument("--unlock", choices=["2", "all"], help="cross-case opens after 2 or all complete cases")
    p.add_argument("--json", action="store_true")

    p = command("cases", "cases in order of analysis with their status", _cases, write=False)
    p.add_argument("--json", action="store_true")

    p = command("start", "open a case (offers the 'before next case' reflexive prompt)", _start, write=True)
    p.add_argument("case", metavar="CASE")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--reflexive", metavar="TEXT", help="answer: what from the last case might I be carrying?"
    )
    group.add_argument("--skip-reflexive", action="store_true", help="decline the prompt (logged)")

    p = command("status", "move a case to its next status, or back (a logged revisit)", _status, write=True)
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "status", metavar="STATUS", help="reading, noting, statements, clustering, 'PETs complete'"
    )

    p = command("read", "log a reading pass with first impressions", _read, write=True)
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--impressions", required=True, metavar="TEXT")

    p = command("reflect", "write a reflexive journal entry", _reflect, write=True)
    p.add_argument("--body", required=True)
    p.add_argument("--title", default="")
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--link", action="append", default=[], metavar="ENTITY")

    p = command("note", "add an exploratory note (D, L, C or F) on tool lines", _note, write=True)
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--lines", metavar="A-B", help="tool line numbers")
    p.add_argument("--quote", metavar="TEXT", help="or: the exact words the note is about")
    p.add_argument("--type", required=True, metavar="D|L|C|F")
    p.add_argument("--text", required=True)

    p = command("notes", "list exploratory notes (open case only under bracketing)", _notes, write=False)
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--all", action="store_true", help="ignore bracketing")
    p.add_argument("--json", action="store_true")

    p = command("statement", "add an experiential statement on tool lines", _statement, write=True)
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--lines", metavar="A-B", help="tool line numbers")
    p.add_argument("--quote", metavar="TEXT", help="or: the exact words the statement is tied to")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--note", action="append", default=[], metavar="NOTE_ID", help="a note it was built from")
    p.add_argument("--key-words", default="")
    p.add_argument("--link-notes", action="store_true", help="link every note overlapping the statement")

    p = command("statements", "list statements (open case only under bracketing)", _statements, write=False)
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--all", action="store_true", help="ignore bracketing")
    p.add_argument(
        "--order", choices=["chronological", "alphabetical", "unclustered"], default="chronological"
    )
    p.add_argument("--json", action="store_true")

    p = command(
        "pet", "create a PET (or, with --parent, a PET sub-theme) on a case's board", _pet, write=True
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--parent", metavar="THEME_ID")

    p = command(
        "move", "drop a statement into a PET/sub-theme ('none' = not yet clustered)", _move, write=True
    )
    p.add_argument("statement", metavar="STATEMENT_ID")
    p.add_argument("theme", metavar="THEME_ID|none")

    p = command("tag", "tag a clustering decision with techniques and a rationale", _tag, write=True)
    p.add_argument("theme", metavar="THEME_ID")
    p.add_argument("--technique", action="append", default=[], metavar="NAME")
    p.add_argument("--rationale", default="")

    p = command("subsume", "promote a statement to be its theme's label (subsumption)", _subsume, write=True)
    p.add_argument("theme", metavar="THEME_ID")
    p.add_argument("statement", metavar="STATEMENT_ID")

    p = command("rename", "rename a PET, GET or sub-theme", _rename, write=True)
    p.add_argument("theme", metavar="THEME_ID")
    p.add_argument("name", metavar="NAME")

    p = command("delete", "delete an empty theme", _delete, write=True)
    p.add_argument("theme", metavar="THEME_ID")

    p = command("discard", "discard a statement with a reason (kept, marked excluded)", _discard, write=True)
    p.add_argument("statement", metavar="STATEMENT_ID")
    p.add_argument("--reason", required=True)

    p = command("restore", "bring a discarded statement back", _restore, write=True)
    p.add_argument("statement", metavar="STATEMENT_ID")

    p = command("board", "print a board as an ASCII tree (a case's, or cross-case)", _board, write=True)
    p.add_argument("--case", metavar="CASE", help="a case id, or cross-case (default: the open case)")
    p.add_argument("--all", action="store_true", help="ignore bracketing")
    p.add_argument("--snapshot", metavar="LABEL", help="also keep this board as a snapshot")

    p = command("pets", "print a case's table of PETs", _pets, write=False)
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--all", action="store_true", help="ignore bracketing")
    p.add_argument("--json", action="store_true")

    p = command(
        "extract",
        "choose an illustrative extract for a PET, or a GET × participant cell",
        _extract,
        write=True,
    )
    p.add_argument("theme", metavar="THEME_ID")
    p.add_argument("--participant", metavar="CASE", help="for a GET: whose extract")
    p.add_argument("--statement", metavar="STATEMENT_ID")
    p.add_argument("--source", metavar="SOURCE_ID")
    p.add_argument("--lines", metavar="A-B")
    p.add_argument("--quote", metavar="TEXT", help="the exact words (instead of --lines)")
    p.add_argument("--omit", action="append", default=[], metavar="TEXT", help="words to leave out as […]")

    p = command("get", "create a GET (or, with --parent, a GET sub-theme)", _get, write=True)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--parent", metavar="GET_ID")

    p = command("feed", "let a PET feed a GET (a PET may feed several)", _feed, write=True)
    p.add_argument("get", metavar="GET_ID")
    p.add_argument("pet", metavar="PET_ID")
    p.add_argument("--statement", action="append", default=[], metavar="STATEMENT_ID", help="only these")

    p = command("unfeed", "take a PET out of a GET", _unfeed, write=True)
    p.add_argument("get", metavar="GET_ID")
    p.add_argument("pet", metavar="PET_ID")

    p = command("converge", "convergence/divergence note for a GET × participant cell", _converge, write=True)
    p.add_argument("get", metavar="GET_ID")
    p.add_argument("participant", metavar="CASE")
    p.add_argument("--note", required=True)

    p = command("quote", 'format a quote: "words […]" (Pseudonym, page:line–line)', _quote, write=False)
    p.add_argument("--statement", metavar="STATEMENT_ID")
    p.add_argument("--source", metavar="SOURCE_ID")
    p.add_argument("--lines", metavar="A-B")
    p.add_argument("--quote", metavar="TEXT", help="the exact words (instead of --lines)")
    p.add_argument("--omit", action="append", default=[], metavar="TEXT")

    p = command(
        "transcript", "write the annotated transcript (.docx landscape, .md, .csv)", _transcript, write=False
    )
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--source", metavar="SOURCE_ID")
    p.add_argument("--output", required=True, metavar="FILE")

    p = command("skeleton", "write the results-chapter skeleton (.md or .docx)", _skeleton, write=False)
    p.add_argument("--output", required=True, metavar="FILE")

    p = command(
        "audit-bundle", "write the independent-audit bundle to a new folder or .zip", _bundle, write=False
    )
    p.add_argument("output", metavar="FOLDER|FILE.zip")


def run(args: argparse.Namespace) -> int:
    handler, write = _HANDLERS[args.ipa_command]
    args.write = write
    return handler(args)


def _open(args: argparse.Namespace) -> Project:
    """Open the project and turn statement/theme names in the arguments into record ids (`refs`)."""
    project = open_project(args.dir, write=bool(args.write))
    try:
        _resolve(project, args)
    except BaseException:
        project.close()
        raise
    return project


def _resolve(project: Project, args: argparse.Namespace) -> None:
    from wb_ipa import refs

    for name, resolve in (
        ("statement", refs.statement),
        ("theme", refs.theme),
        ("get", refs.theme),
        ("pet", refs.theme),
        ("parent", refs.theme),
    ):
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, [resolve(project, v) for v in value])
        elif isinstance(value, str) and not (name == "theme" and value.casefold() == "none"):
            setattr(args, name, resolve(project, value))


# -- settings and cases -----------------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> int:
    from wb_ipa import settings

    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("terminology", args.terminology),
            ("column_order", args.columns),
            ("line_numbers", args.line_numbers),
            ("recurrence", args.recurrence and settings.parse_rule(args.recurrence)),
            ("recurrence_cells", args.cells),
            ("cross_case_unlock", args.unlock),
        )
        if value
    }
    if args.bracketing:
        changes["bracketing"] = args.bracketing == "on"
    args.write = bool(changes)
    with _open(args) as project:
        current = settings.change(project, **changes) if changes else settings.load(project)
    if args.json:
        print_json(current.to_json())
    else:
        for key, value in current.to_json().items():
            print(f"{key:<18} {value}")
    return 0


def _print_table(table: TableData, as_json: bool) -> None:
    """Rows as JSON objects, or padded columns under the title for the terminal."""
    if as_json:
        print_json([dict(zip(table.columns, row, strict=True)) for row in table.rows])
        return
    rows = [[" / ".join(cell.splitlines()) for cell in row] for row in table.rows]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(table.columns)]
    print(table.title)
    print("  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _cases(args: argparse.Namespace) -> int:
    from wb_ipa import tables

    with _open(args) as project:
        _print_table(tables.case_table(project, {}), args.json)
    return 0


def _start(args: argparse.Namespace) -> int:
    from wb_ipa import cases

    with _open(args) as project:
        previous = any(c.order is not None and c.participant != args.case for c in cases.all_cases(project))
        case = cases.start(project, args.case, reflexive=args.reflexive, skip=args.skip_reflexive)
    print(f"{case.participant} ({case.pseudonym}) is open: {case.status}; order of analysis {case.order}")
    if previous and not args.reflexive and not args.skip_reflexive:
        print(f"Before next case: {cases.BEFORE_NEXT_CASE}")
        print(
            f"  (answer with `workbench ipa reflect {args.dir} --case {args.case} --body ...`;"
            " logged as offered)"
        )
    return 0


def _status(args: argparse.Namespace) -> int:
    from wb_ipa import cases, lifecycle

    with _open(args) as project:
        case = lifecycle.set_status(project, args.case, args.status)
    suffix = " (locked; later changes are post-lock revisions)" if case.status == cases.COMPLETE else ""
    print(f"{case.participant}: {case.status}{suffix}")
    return 0


def _read(args: argparse.Namespace) -> int:
    from wb_ipa import journal

    with _open(args) as project:
        memo, number = journal.log_reading(project, args.source, args.impressions)
    print(f"reading pass {number} of {args.source} logged as {memo}")
    return 0


def _reflect(args: argparse.Namespace) -> int:
    from wb_ipa import journal

    with _open(args) as project:
        memo = journal.reflect(project, args.body, case=args.case, title=args.title, links=args.link)
    print(memo)
    return 0


# -- notes and statements --------------------------------------------------------------------------------


def _note(args: argparse.Namespace) -> int:
    from wb_ipa import notes

    with _open(args) as project:
        print(notes.add(project, args.source, args.lines, args.type, args.text, quote=args.quote))
    return 0


def _scope(project: Project, args: argparse.Namespace) -> list[str] | None:
    """The cases a listing may show: bracketing first, then --case."""
    from wb_ipa import cases

    if args.case:
        cases.get(project, args.case)
        cases.check_visible(project, args.case, show_all=args.all)
        return [args.case]
    return cases.visible_cases(project, show_all=args.all)


def _notes(args: argparse.Namespace) -> int:
    from wb_ipa import notes
    from wb_ipa.anchors import page_line

    with _open(args) as project:
        scope = _scope(project, args)
        found = [n for n in notes.all_notes(project) if scope is None or n.case in scope]
        rows = [
            {
                "id": n.id,
                "case": n.case,
                "source": n.anchor.source,
                "at": page_line(project, n.anchor),
                "type": n.type,
                "text": n.text,
            }
            for n in found
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(
                f"{row['id']:<6}{row['case']:<5}{row['source']:<5}{row['at']:<10}{row['type']}: {row['text']}"
            )
    return 0


def _statement(args: argparse.Namespace) -> int:
    from wb_ipa import statements

    with _open(args) as project:
        print(
            statements.add(
                project,
                args.source,
                args.lines,
                args.text,
                note_ids=args.note,
                key_words=args.key_words,
                quote=args.quote,
                link_overlapping=args.link_notes,
            )
        )
    return 0


def _statements(args: argparse.Namespace) -> int:
    from wb_ipa import statements
    from wb_ipa.anchors import page_line

    with _open(args) as project:
        scope = _scope(project, args)
        found = statements.all_statements(project, cases_=scope)
        if args.order == "alphabetical":
            found.sort(key=lambda s: s.text.casefold())
        elif args.order == "unclustered":
            found = [s for s in found if s.cluster is None and not s.excluded]
        rows = [
            {
                "id": s.id,
                "case": s.case,
                "text": s.text,
                "at": page_line(project, s.anchor),
                "key_words": s.key_words,
                "notes": list(s.notes),
                "cluster": s.cluster,
                "excluded": s.excluded,
                "reason": s.reason,
            }
            for s in found
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            mark = f"  ✗ discarded: {row['reason']}" if row["excluded"] else ""
            print(f"{row['id']:<6}{row['case']:<5}{row['at']:<10}{row['text']}  {row['key_words']}{mark}")
    return 0


# -- the clustering board --------------------------------------------------------------------------------


def _pet(args: argparse.Namespace) -> int:
    from wb_ipa import board

    with _open(args) as project:
        print(board.create(project, args.case, args.name, parent=args.parent))
    return 0


def _move(args: argparse.Namespace) -> int:
    from wb_ipa import board

    with _open(args) as project:
        board.move(project, args.statement, None if args.theme.casefold() == "none" else args.theme)
    return 0


def _tag(args: argparse.Namespace) -> int:
    from wb_ipa import board

    with _open(args) as project:
        board.tag(project, args.theme, args.technique, args.rationale)
        print(", ".join(board.get(project, args.theme).techniques))
    return 0


def _subsume(args: argparse.Namespace) -> int:
    from wb_ipa import board

    with _open(args) as project:
        board.subsume(project, args.theme, args.statement)
        print(board.get(project, args.theme).name)
    return 0


def _rename(args: argparse.Namespace) -> int:
    from wb_ipa import board

    with _open(args) as project:
        board.rename(project, args.theme, args.name)
    return 0


def _delete(args: argparse.Namespace) -> int:
    from wb_ipa import board

    with _open(args) as project:
        board.delete(project, args.theme)
    return 0


def _discard(args: argparse.Namespace) -> int:
    from wb_ipa import statements

    with _open(args) as project:
        statements.discard(project, args.statement, args.reason)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from wb_ipa import statements

    with _open(args) as project:
        statements.restore(project, args.statement)
    return 0


def _board(args: argparse.Namespace) -> int:
    from wb_ipa import board, cases, gets

    args.write = bool(args.snapshot)
    with _open(args) as project:
        scope = args.case
        if scope is None:
            open_case = cases.current(project)
            if open_case is None:
                raise BadInputError("no case is open; give --case CASE or --case cross-case", "--case")
            scope = open_case.participant
        if scope == "cross-case":
            lines = gets.tree(project)
        else:
            cases.get(project, scope)
            cases.check_visible(project, scope, show_all=args.all)
            lines = board.tree(project, scope)
        if args.snapshot:
            snap = board.snapshot(project, scope, label=args.snapshot, lines=lines)
            print(f"# snapshot {snap}")
    print("\n".join(lines) if lines else "(empty board)")
    return 0


def _pets(args: argparse.Namespace) -> int:
    from wb_ipa import cases, pets

    with _open(args) as project:
        case = args.case
        if case is None:
            open_case = cases.current(project)
            if open_case is None:
                raise BadInputError("no case is open; give --case CASE", "--case")
            case = open_case.participant
        cases.check_visible(project, case, show_all=args.all)
        _print_table(pets.table(project, case), args.json)
    return 0


def _extract(args: argparse.Namespace) -> int:
    from wb_ipa import board, gets, pets
    from wb_ipa.terminology import CASE_LEVELS

    with _open(args) as project:
        theme = board.get(project, args.theme)
        chosen = {
            "statement": args.statement,
            "source": args.source,
            "lines": args.lines,
            "omit": args.omit,
            "quote": args.quote,
        }
        if theme.level in CASE_LEVELS:
            pets.choose_extract(project, args.theme, **chosen)
        else:
            if not args.participant:
                raise BadInputError("a GET extract needs --participant", "--participant")
            gets.choose_extract(project, args.theme, args.participant, **chosen)
    return 0


# -- cross-case ------------------------------------------------------------------------------------------


def _get(args: argparse.Namespace) -> int:
    from wb_ipa import gets

    with _open(args) as project:
        print(gets.create(project, args.name, parent=args.parent))
    return 0


def _feed(args: argparse.Namespace) -> int:
    from wb_ipa import gets

    with _open(args) as project:
        gets.add_pet(project, args.get, args.pet, only=args.statement)
    return 0


def _unfeed(args: argparse.Namespace) -> int:
    from wb_ipa import gets

    with _open(args) as project:
        gets.remove_pet(project, args.get, args.pet)
    return 0


def _converge(args: argparse.Namespace) -> int:
    from wb_ipa import gets

    with _open(args) as project:
        gets.cell_note(project, args.get, args.participant, args.note)
    return 0


# -- writing up and audit --------------------------------------------------------------------------------


def _quote(args: argparse.Namespace) -> int:
    from wb_ipa import quotes, statements

    with _open(args) as project:
        anchor = statements.get(project, args.statement).anchor if args.statement else None
        extract = quotes.from_lines_or_statement(
            project,
            statement_anchor=anchor,
            source=args.source,
            lines=args.lines,
            omit=args.omit,
            quote=args.quote,
        )
        print(quotes.format_quote(project, extract))
    return 0


def _atomic(path: Path, data: bytes) -> None:
    from wb_ipa.audit_bundle import replace_private

    replace_private(path, data)


def _transcript(args: argparse.Namespace) -> int:
    from wb_ipa import transcript
    from workbench import write_table

    options = {k: v for k, v in (("case", args.case), ("source", args.source)) if v}
    output = Path(args.output)
    with _open(args) as project:
        if output.suffix.lower() == ".docx":
            _atomic(output, transcript.docx(project, options))
        else:
            write_table(transcript.table(project, options), output)
    print(f"wrote {output}")
    return 0


def _skeleton(args: argparse.Namespace) -> int:
    from wb_ipa import skeleton
    from workbench import write_table

    output = Path(args.output)
    with _open(args) as project:
        if output.suffix.lower() == ".md":
            _atomic(output, skeleton.markdown(project).encode("utf-8"))
        else:
            write_table(skeleton.table(project), output)
    print(f"wrote {output}")
    return 0


def _bundle(args: argparse.Namespace) -> int:
    from wb_ipa import audit_bundle

    with _open(args) as project:
        written = audit_bundle.write(project, Path(args.output))
    print(f"wrote {len(written)} file(s) to {args.output}")
    return 0
