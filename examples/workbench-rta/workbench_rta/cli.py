"""``workbench rta SUBCOMMAND DIR ...``: the six phases, themes, the thematic map and the journal.

Parsing stays cheap because the CLI builds its parser on every run; each handler opens the project through
``workbench.open_project``, calls one concept module, and prints one line per change (or a listing, or
JSON with ``--json``). Bad input raises ``BadInputError`` before anything changes, so the CLI prints one
``workbench: error: ...`` line and the project is untouched.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .themes import Theme

Handler = Callable[[argparse.Namespace], int]


def run_phase(args: argparse.Namespace) -> int:
    from workbench import open_project, print_json

    from .phases import enter_phase, progress, step_of

    if args.phase:
        with open_project(args.dir, write=True) as project:
            enter_phase(project, args.phase, args.note or "")
        print(f"now in phase {step_of(args.phase).title!r}")
        return 0
    with open_project(args.dir, write=False) as project:
        rows = progress(project)
    if args.json:
        print_json(
            [
                {"phase": r.step.id, "title": r.step.title, "status": r.status, "evidence": r.evidence}
                for r in rows
            ]
        )
        return 0
    marks = {"current": "▶", "visited": "✓", "not yet": " "}
    for row in rows:
        print(f"{marks[row.status]} {row.step.title:<42} {row.evidence}")
    return 0


def run_note(args: argparse.Namespace) -> int:
    from workbench import open_project

    from .journal import write_note

    with open_project(args.dir, write=True) as project:
        memo = write_note(project, args.source, args.text)
    print(f"familiarisation note {memo} on {args.source}")
    return 0


def _theme_json(project: Any, theme: Theme) -> dict[str, Any]:
    from .themes import code_labels

    return {
        "id": theme.id,
        "name": theme.name,
        "status": theme.status,
        "concept": theme.concept,
        "definition": theme.definition,
        "parent": theme.parent,
        "codes": code_labels(project, theme),
        "related": [{"relation": r, "theme": t} for r, t in theme.related],
        "names": list(theme.names),
    }


def _has_changes(args: argparse.Namespace) -> bool:
    return any(
        value
        for value in (
            args.concept,
            args.rename,
            args.status,
            args.definition is not None,
            args.under is not None,
            args.top,
            args.code,
            args.drop_code,
            args.relate,
        )
    )


def run_theme(args: argparse.Namespace) -> int:
    from workbench import NotFoundError, open_project, print_json

    from .themes import ThemeChange, add_theme, change_theme, code_labels, find_theme, themes

    if not args.name:
        with open_project(args.dir, write=False) as project:
            every = themes(project)
            if args.json:
                print_json([_theme_json(project, t) for t in every])
                return 0
            for theme in every:
                indent = "  " if theme.parent else ""
                codes = ", ".join(code_labels(project, theme)) or "no codes"
                print(f"{indent}{theme.glyph} {theme.id} {theme.name} — {theme.concept} [{codes}]")
        return 0
    if not _has_changes(args):
        with open_project(args.dir, write=False) as project:
            theme = find_theme(project, args.name)
            details = _theme_json(project, theme)
        if args.json:
            print_json(details)
        else:
            for key, value in details.items():
                print(f"{key}: {value}")
        return 0
    relate = [(str(relation), str(other)) for relation, other in args.relate]
    with open_project(args.dir, write=True) as project:
        try:
            existing: Theme | None = find_theme(project, args.name)
        except NotFoundError:
            existing = None
        if existing is None:
            if not args.concept:
                raise NotFoundError(
                    f"no theme {args.name!r}; create it with --concept 'its central organising concept'",
                    "THEME",
                )
            theme_id = add_theme(project, args.name, args.concept, codes=args.code, parent=args.under)
            print(f"candidate theme {theme_id} {args.name!r}")
            if any((args.rename, args.status, args.definition is not None, relate)):
                rest = ThemeChange(
                    name=args.rename, status=args.status, definition=args.definition, relate=relate
                )
                change_theme(project, theme_id, rest)
            return 0
        change = ThemeChange(
            name=args.rename,
            concept=args.concept,
            status=args.status,
            definition=args.definition,
            parent="" if args.top else args.under,
            add_codes=args.code,
            drop_codes=args.drop_code,
            relate=relate,
        )
        theme = change_theme(project, existing.id, change)
    print(f"{theme.glyph} theme {theme.id} {theme.name!r} ({theme.status}) updated")
    return 0


def run_map(args: argparse.Namespace) -> int:
    from workbench import open_project, write_private_file

    from .thematic_map import render

    with open_project(args.dir, write=False) as project:
        text = render(project, args.format, codes=args.codes, include_discarded=args.discarded)
    if args.output:
        path = write_private_file(Path(args.output), text)
        print(f"thematic map ({args.format}) written to {path}")
    else:
        print(text, end="")
    return 0


def run_journal(args: argparse.Namespace) -> int:
    from workbench import open_project, print_json

    from .journal import entries, write_entry

    if args.text:
        with open_project(args.dir, write=True) as project:
            memo_id = write_entry(project, args.text, title=args.title or "", links=args.link)
        print(f"journal entry {memo_id}")
        return 0
    with open_project(args.dir, write=False) as project:
        found = entries(project)
    if args.json:
        print_json([{k: m[k] for k in ("id", "created_at", "title", "body", "links")} for m in found])
        return 0
    for memo in found:
        print(f"{memo['created_at'][:10]} {memo['id']} {memo['title']}\n    {memo['body']}")
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``rta`` subcommands; each one's first positional is the project directory."""
    from .vocab import PHASE_IDS, RELATION_IDS, STATUS_IDS

    sub = parser.add_subparsers(dest="rta_command", metavar="SUBCOMMAND", required=True)

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("dir", metavar="DIR", help="project directory")
        p.set_defaults(rta_handler=handler)
        return p

    p = command("phase", run_phase, "show the six phases, or move to PHASE (forwards or back) with a note")
    p.add_argument("phase", nargs="?", metavar="PHASE", help=", ".join(PHASE_IDS))
    p.add_argument("--note", help="why you are moving now (kept with the move)")
    p.add_argument("--json", action="store_true")

    p = command("note", run_note, "write a familiarisation note on a transcript (phase 1)")
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("text", metavar="TEXT")

    p = command("theme", run_theme, "list themes, show one, create a candidate theme or change it")
    p.add_argument("name", nargs="?", metavar="THEME", help="a theme name or id (none: list every theme)")
    p.add_argument("--concept", help="its central organising concept (required to create a theme)")
    p.add_argument("--code", action="append", default=[], metavar="LABEL", help="add a code (repeatable)")
    p.add_argument("--drop-code", action="append", default=[], metavar="LABEL", help="remove a code")
    p.add_argument("--under", metavar="THEME", help="make it a subtheme of THEME")
    p.add_argument("--top", action="store_true", help="make it an overarching (top-level) theme again")
    p.add_argument("--status", choices=STATUS_IDS)
    p.add_argument("--definition", help="what the theme is about (phase 5)")
    p.add_argument("--rename", metavar="NEW_NAME", help="rename it (earlier names are kept)")
    p.add_argument(
        "--relate",
        nargs=2,
        action="append",
        default=[],
        metavar=("RELATION", "THEME"),
        help=f"an edge on the thematic map: {', '.join(r for r in RELATION_IDS if r != 'subtheme-of')}",
    )
    p.add_argument("--json", action="store_true")

    p = command("map", run_map, "draw the thematic map as Graphviz DOT or Mermaid")
    p.add_argument("--format", choices=["dot", "mermaid"], default="dot")
    p.add_argument("--codes", action="store_true", help="draw each theme's codes as leaves")
    p.add_argument("--discarded", action="store_true", help="include discarded themes")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of printing")

    p = command("journal", run_journal, "list the reflexivity journal, or add TEXT as an entry")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--title", help="a title (default: the current phase)")
    p.add_argument("--link", action="append", default=[], metavar="REF", help="link an entity (repeatable)")
    p.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    handler: Handler = args.rta_handler
    return handler(args)
