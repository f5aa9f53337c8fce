"""CLI forms of the structural operations: corrections, speakers, participants, links, sets,
clusters, settings, and printing the tables plugins register (exports live in `exchange`).

Kept apart from `main` so the contract commands stay easy to read; the same rule holds: parse,
call the Project service, print.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.cli.session import host, open_project, parse_line_range, print_json, read_transcript
from workbench.core.errors import BadInputError, NotFoundError

LISTABLE = (
    "participants",
    "sources",
    "versions",
    "codes",
    "memos",
    "links",
    "sets",
    "clusters",
    "snapshots",
    "records",
)


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, item = value.partition("=")
        if not sep or not key.strip():
            raise BadInputError(f"expected KEY=VALUE, got {value!r}", what)
        out[key.strip()] = item.strip()
    return out


def cmd_correct(args: argparse.Namespace) -> int:
    _path, _importer, imported = read_transcript(args.file)
    with open_project(args.dir, write=True) as project:
        vid, flagged = project.correct_source(args.source, imported, reason=args.reason)
    print(f"{args.source} is now version {vid}; {flagged} coded segment(s) flagged for review")
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    """The transcript as the tool numbers it: the line numbers `code --lines` and citations use."""
    with open_project(args.dir, write=False) as project:
        vid, record = project.current_text(args.source)
        lines = record.linemap.lines
        if args.lines:
            a, b = parse_line_range(args.lines)
            record.linemap.span_of_lines(a, b)  # validates the range
            lines = lines[a - 1 : b]
        rows = [
            {
                "line": ln.ordinal,
                "page": ln.page,
                "number": ln.number,
                "start": ln.start,
                "end": ln.end,
                "text": record.text[ln.start : ln.end],
            }
            for ln in lines
        ]
    if args.json:
        print_json({"source": args.source, "version": vid, "lines": rows})
        return 0
    page = None
    for row in rows:
        if row["page"] != page:
            page = row["page"]
            print(f"{'':>6}--- page {page} ---")
        print(f"{row['line']:>6}  {row['text']}")
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    roles = _pairs(args.role, "--role")
    people = _pairs(args.participant, "--participant")
    if roles or people:
        with open_project(args.dir, write=True) as project:
            for label in sorted(set(roles) | set(people)):
                project.set_speaker(
                    args.source, label, role=roles.get(label), participant_id=people.get(label)
                )
    with open_project(args.dir, write=False) as project:
        mapped = project.source(args.source).get("speaker_participants", {})
        counts: dict[str, int] = {}
        for turn in project.effective_turns(args.source):
            counts[turn.label] = counts.get(turn.label, 0) + 1
        rows = [
            {
                "label": label,
                "role": role,
                "participant": mapped.get(label, ""),
                "turns": counts.get(label, 0),
            }
            for label, role in sorted(project.speaker_roles(args.source).items())
        ]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['label']:<24}{r['role']:<13}{r['participant']:<8}{r['turns']:>5} turns")
    return 0


def cmd_participant(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        project.update_participant(args.id, pseudonym=args.pseudonym, attributes=_pairs(args.attr, "--attr"))
        doc = project.get("participants", args.id)
    print(f"{args.id}: {doc}")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        lid = project.create_link(
            args.origin,
            args.target,
            args.relation,
            direction=args.direction,
            evidence=args.evidence or (),
            memo=args.memo,
        )
    print(f"link {lid} saved")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        existing = [s for s in project.rows("sets") if s["name"] == args.name]
        if existing:
            project.set_members(f"set:{existing[0]['id']}", add=args.members, remove=args.remove or ())
            print(f"set {existing[0]['id']} updated")
        else:
            if args.remove:
                raise NotFoundError(f"no set {args.name!r} to remove members from", "--remove")
            print(f"set {project.create_set(args.name, args.members)} saved")
    return 0


def cmd_cluster(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        nid = project.create_cluster(
            args.name, args.children, parent=args.parent, techniques=args.technique or (), memo=args.memo
        )
    print(f"cluster {nid} saved")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        snapshot = project.set_source_status(args.source, args.status)
    print(f"{args.source} marked {args.status}" + (f"; codebook snapshot {snapshot}" if snapshot else ""))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        project.delete_entity(args.entity)
    print(f"deleted {args.entity}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=False) as project:
        rows = sorted(project.rows(args.kind), key=lambda d: str(d.get("id", "")))
    if args.kind in ("memos",) and not args.json:
        for r in rows:
            print(f"{r['id']:<6}[{r['type']}] {r['title']}  -> {', '.join(r['links']) or '-'}")
        return 0
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print("  ".join(f"{k}={v}" for k, v in r.items() if k not in ("lineage", "codes", "revisions")))
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from workbench.core.text import LineSettings

    line_settings = None
    if args.width is not None or args.page_lines is not None or args.mode is not None:
        with open_project(args.dir, write=False) as project:
            current = LineSettings.from_json(project.meta.get("line_settings", {}))
        line_settings = LineSettings(
            width=args.width if args.width is not None else current.width,
            page_lines=args.page_lines if args.page_lines is not None else current.page_lines,
            mode=args.mode or current.mode,
        )
    change = any(v is not None for v in (args.citation, line_settings, args.language, args.small_cell))
    with open_project(args.dir, write=change) as project:
        if change:
            changed = project.update_settings(
                citation=args.citation,
                line_settings=line_settings,
                repaginate=args.repaginate,
                language=args.language,
                small_cell=args.small_cell,
            )
            if changed:
                print(f"re-paginated {', '.join(changed)}")
        meta = project.meta
    print(
        f"citation: {meta.get('citation')}\nline settings: {meta.get('line_settings')}\n"
        f"language: {meta.get('language') or 'english'}\n"
        f"small-cell threshold: {meta.get('small_cell') or 3}"
    )
    return 0


def cmd_table(args: argparse.Namespace) -> int:
    from workbench.core.governance.disclosure import is_unsuppressed, record_unsuppressed
    from workbench.tables import format_for, render, write_table

    specs = {t.name: t for t in host().all_tables()}
    if args.name is None:
        for spec in specs.values():
            print(f"{spec.name:<24} {spec.title}  [{spec.plugin}]")
        return 0
    if args.name not in specs:
        raise NotFoundError(f"no table {args.name!r}; tables: {', '.join(sorted(specs)) or 'none'}", "NAME")
    output = Path(args.output) if args.output else None
    fmt = format_for(output, args.format)
    if output is None and fmt in ("docx", "xlsx"):
        raise BadInputError(f"a .{fmt} table is written to a file; give --output FILE.{fmt}", "--format")
    options = _pairs(args.option, "--option")
    with open_project(args.dir, write=False) as project:
        table = host().build_table(specs[args.name], project, options)
    if output is None:
        sys.stdout.write(render(table, fmt))
    else:
        written = write_table(table, output, fmt)
        if is_unsuppressed(options):
            with open_project(args.dir, write=True) as project:
                record_unsuppressed(project, args.name, written, options)
        print(f"wrote {written}")
    return 0


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add this module's subcommands through `main.build_parser`'s `command` helper."""
    p = command("correct", cmd_correct, "import a corrected text as a new version; anchors follow (CORE-4)")
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--reason", default="correction")

    p = command("text", cmd_text, "print a transcript with the tool's line numbers and page breaks")
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--lines", metavar="A-B")
    p.add_argument("--json", action="store_true")

    p = command(
        "speakers", cmd_speakers, "list a source's speaker labels; map them to roles and participants"
    )
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("--role", action="append", metavar="LABEL=ROLE")
    p.add_argument("--participant", action="append", metavar="LABEL=ID")
    p.add_argument("--json", action="store_true")

    p = command("participant", cmd_participant, "set a participant's pseudonym and attributes")
    p.add_argument("id", metavar="PARTICIPANT_ID")
    p.add_argument("--pseudonym")
    p.add_argument("--attr", action="append", metavar="KEY=VALUE")

    p = command("link", cmd_link, "a typed link between two entities, with evidence")
    p.add_argument("origin", metavar="ORIGIN")
    p.add_argument("target", metavar="TARGET")
    p.add_argument("--relation", required=True)
    p.add_argument("--direction", default="one-way", choices=["none", "one-way", "bi"])
    p.add_argument("--evidence", action="append", metavar="SEGMENT")
    p.add_argument("--memo")

    p = command("set", cmd_set, "create a named set of entities, or change its members")
    p.add_argument("name", metavar="NAME")
    p.add_argument("members", nargs="*", metavar="MEMBER")
    p.add_argument("--remove", action="append", metavar="MEMBER")

    p = command("cluster", cmd_cluster, "group codes, statements or clusters under a named node")
    p.add_argument("name", metavar="NAME")
    p.add_argument("children", nargs="*", metavar="CHILD")
    p.add_argument("--parent", metavar="CLUSTER")
    p.add_argument("--technique", action="append", metavar="TAG")
    p.add_argument("--memo", metavar="MEMO")

    p = command(
        "status", cmd_status, "mark a transcript not started, in progress or coded (snapshots on coded)"
    )
    p.add_argument("source", metavar="SOURCE_ID")
    p.add_argument("status", choices=["not started", "in progress", "coded"])

    p = command("delete", cmd_delete, "delete a link, set or cluster")
    p.add_argument("entity", metavar="ENTITY")

    p = command("show", cmd_show, "list the entities of one kind")
    p.add_argument("kind", choices=LISTABLE)
    p.add_argument("--json", action="store_true")

    p = command("settings", cmd_settings, "show or change citation style and line-map settings")
    p.add_argument("--citation", metavar="STYLE", help="page-line, p-l, lines, id-page-line or a template")
    p.add_argument("--width", type=int)
    p.add_argument("--page-lines", type=int)
    p.add_argument("--mode", choices=["continuous", "restart"])
    p.add_argument("--repaginate", action="store_true", help="also re-paginate frozen transcripts (TR-10)")
    p.add_argument("--language", metavar="NAME", help="for --stem and stop words (english, german, ...)")
    p.add_argument(
        "--small-cell", type=int, metavar="K", help="matrix cells of fewer than K participants show as <K"
    )

    p = command("table", cmd_table, "print or write a table registered by a plugin (no NAME: list them)")
    p.add_argument("name", metavar="NAME", nargs="?")
    p.add_argument("--option", action="append", metavar="KEY=VALUE", help="table options, e.g. case=P01")
    p.add_argument("--format", choices=["text", "json", "csv", "tsv", "md", "xlsx", "docx"])
    p.add_argument("--output", metavar="FILE", help="write to FILE (format from its extension)")
