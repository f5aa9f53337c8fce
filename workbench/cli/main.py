"""The scripting CLI: parse, call the Project service, print, map errors to one line.

This module stays thin on purpose: every rule lives in `workbench.core`, so
the TUI and scripts get exactly the same behaviour.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from workbench._version import __version__
from workbench.cli import exchange, lexical, structure
from workbench.cli import session as _session
from workbench.cli.session import (
    CliError,
    host,
    open_project,
    parse_line_range,
    print_json,
    read_transcript,
    warn,
)
from workbench.core.errors import BadInputError, WorkbenchError
from workbench.core.untrusted import SURROGATE, problem, shown

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.plugins import PluginHost
    from workbench.registry import CommandSpec

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (the CLI contract), not a usage block."""

    def error(self, message: str) -> NoReturn:
        raise CliError(message, self.prog)


_CHAR_RANGE = re.compile(r"([0-9]+):([0-9]+)", re.ASCII)


def _span(project: Project, source_id: str, lines: str | None, chars: str | None) -> tuple[int, int, str]:
    if lines is not None:
        start, end = project.span_of_lines(source_id, *parse_line_range(lines))
        return start, end, "line"
    match = _CHAR_RANGE.fullmatch((chars or "").strip())
    if match is None:
        raise BadInputError(f"expected START:END code-point offsets, got {chars!r}", "--chars")
    return int(match[1]), int(match[2]), "character"


# -- commands ----------------------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    from workbench.core.project import Project

    known = ["none", *host().methods()]
    if args.method not in known:
        raise BadInputError(
            f"unknown method {args.method!r}; installed methods: {', '.join(known)}", "--method"
        )
    with Project.create(Path(args.dir), args.title, args.method, observer=host()) as project:
        print(f"created {project.method} project {project.title!r} in {project.path}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    if args.pseudonym and not args.participant and len(args.files) > 1:
        raise BadInputError("--pseudonym with several files needs --participant", "--pseudonym")
    # Read and import every file before touching the project: a bad file changes nothing.
    prepared = [read_transcript(name) for name in args.files]
    results = []
    with open_project(args.dir, write=True) as project:
        for path, importer, imported in prepared:
            sid = project.add_source(
                imported,
                path.name,
                participant_id=args.participant,
                pseudonym=args.pseudonym,
                importer=importer.name,
            )
            source = project.source(sid)
            memos = []
            for number, note in enumerate((n for n in imported.notes if n.text.strip()), start=1):
                quote = f"On “{note.quote}”:\n\n" if note.quote else ""
                by = f" ({note.author})" if note.author else ""
                memos.append(
                    project.write_memo(
                        f"Transcriber note {number}{by}: {path.name}",
                        quote + note.text,
                        links=[f"source:{sid}"],
                        memo_type="transcriber-note",
                    )
                )
            results.append(
                {
                    "id": sid,
                    "participant": source["participant_id"],
                    "filename": path.name,
                    "importer": importer.name,
                    "warnings": list(imported.warnings),
                    "speakers": project.speaker_roles(sid),
                    "transcriber_notes": memos,
                }
            )
            for warning in imported.warnings:
                warn(f"{path.name}: {warning}")
    if args.json:
        print_json(results)
    else:
        for row in results:
            print(f"added {row['id']} ({row['participant']}) from {row['filename']} [{row['importer']}]")
            if row["speakers"]:
                roles = ", ".join(f"{label} = {role}" for label, role in sorted(row["speakers"].items()))
                print(f"  speakers: {roles}")
                print(f"  map them with `workbench speakers {args.dir} {row['id']} --role LABEL=ROLE`")
            if row["transcriber_notes"]:
                print(f"  transcriber notes kept as memos {', '.join(row['transcriber_notes'])}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=False) as project:
        rows = []
        for source in project.sources():
            participant = project.participant_of(source) or {}
            record = project.text_record(source["version_id"])
            version = project.get("versions", source["version_id"]) or {}
            codings = project.coding_count(source["id"])
            rows.append(
                {
                    "id": source["id"],
                    "participant": source["participant_id"],
                    "pseudonym": participant.get("pseudonym", ""),
                    "filename": source["filename"],
                    "version": source["version_id"],
                    "frozen": bool(version.get("frozen")),
                    "words": len(record.text.split()),
                    "turns": len(record.turns),
                    "lines": len(record.linemap),
                    "codings": codings,
                    "status": source.get("status", ""),
                    "warnings": source.get("warnings", []),
                }
            )
    if args.json:
        print_json(rows)
    elif not rows:
        print("no sources yet: add transcripts with `workbench add DIR FILE...`")
    else:
        print(
            f"{'ID':<6}{'PART':<7}{'PSEUDONYM':<14}{'WORDS':>7}{'LINES':>7}{'CODINGS':>9}  STATUS       FILE"
        )
        for r in rows:
            print(
                f"{r['id']:<6}{r['participant']:<7}{r['pseudonym'][:13]:<14}{r['words']:>7}{r['lines']:>7}"
                f"{r['codings']:>9}  {r['status']:<12} {r['filename']}"
            )
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        start, end, unit = _span(project, args.source, args.lines, args.chars)
        coding = project.code(
            args.source, start, end, args.label, coder=args.coder, unit=unit, memo=args.memo, kind=args.kind
        )
        code_id = (project.get("codings", coding) or {}).get("code_id", "")
        label = (project.get("codes", code_id) or {}).get("label", args.label)
        print(f"coded {args.source} {start}:{end} as {label!r} ({coding})")
    return 0


def cmd_uncode(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        start, end, _unit = _span(project, args.source, args.lines, args.chars)
        removed = project.uncode(args.source, start, end, args.label, coder=args.coder)
        print(f"removed {removed} coding(s) of {args.label!r} from {args.source} {start}:{end}")
    return 0


def cmd_codes(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=False) as project:
        tree = project.code_tree(include_inactive=args.all)
    if args.json:
        print_json([asdict(c) for c in tree])
    elif not tree:
        print("no codes yet")
    else:
        for c in tree:
            status = "" if c.status == "active" else f" [{c.status}]"
            print(f"{'  ' * c.depth}{c.label}  ({c.segments} seg, {c.participants} ppt; {c.level}){status}")
    return 0


def cmd_segments(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=False) as project:
        segments = project.coded_segments(args.label, extracts=True, context_lines=args.context)
    if args.json:
        print_json([asdict(s) for s in segments])
        return 0
    if not segments:
        print(f"no segments coded {args.label!r}")
    current = None
    for s in segments:
        if s.participant != current:
            current = s.participant
            print(f"== {s.pseudonym} ({s.participant})")
        flag = f"  [! {s.flag}]" if s.flag else ""
        print(f'  {s.citation}{flag}\n    "{" ".join(s.text.split())}"')
    return 0


def cmd_memo(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        memo = project.write_memo(args.title, args.body, links=args.link or (), memo_type=args.type)
        print(f"memo {memo} saved")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        print(f"undone: {project.undo()}")
    return 0


def cmd_redo(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=True) as project:
        print(f"redone: {project.redo()}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from workbench.core.cleaning import unsafe_fields
    from workbench.core.integrity import check_project

    with open_project(args.dir, write=False) as project:
        problems = check_project(project)
        findings = host().run_validators(project)
        unsafe = [f.describe(project) for f in unsafe_fields(project)]
    for f in findings:
        print(f"{f.level}: {f.message}" + (f" ({f.entity})" if f.entity else ""))
    for line in unsafe:
        print(f"warning: {line}")
    if problems:
        for p in problems:
            print(f"problem: {p}", file=sys.stderr)
        print(f"workbench: {len(problems)} integrity problem(s) in {args.dir}", file=sys.stderr)
        return 1
    print(f"ok: {args.dir} passes every integrity check")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from workbench.core.cleaning import clean

    with open_project(args.dir, write=True) as project:
        cleaned = clean(project, args.field)
    if args.json:
        print_json([{"field": f.ref, "before": f.value} for f in cleaned])
    elif not cleaned:
        print("nothing to clean: no field holds unsafe characters")
    else:
        for f in cleaned:
            print(f"cleaned {f.ref}")
        print(f"removed unsafe characters from {len(cleaned)} field(s); `workbench undo {args.dir}` restores")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    with open_project(args.dir, write=False) as project:
        if args.action == "verify":
            count, broken = project.verify_audit()
            if broken:
                print(f"workbench: audit chain broken at {broken}", file=sys.stderr)
                return 1
            print(f"ok: {count} audit events, chain intact")
            return 0
        events = project.audit_events()
    if args.json:
        print_json(events)
    else:
        for e in events:
            print(f"{e['seq']:>6} {e['time'][:19]} {e['actor']:<12} {e['action']:<18} {e['entity']}")
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    rows = host().to_json()
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            error = f"  ({r['error']})" if r.get("error") else ""
            print(f"{r['name']:<20}{r['version']:<10}{r['source']:<10}{r['status']}{error}")
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    op = args.op
    if op == "lineage":
        with open_project(args.dir, write=False) as project:
            events = project.lineage(args.args[0] if args.args else "")
        if args.json:
            print_json(events)
        else:
            for e in events:
                print(f"{e['time']}  {e['label']} ({e['code']}): {e['event']}")
        return 0
    need = {
        "create": 1,
        "rename": 2,
        "redefine": 2,
        "move": 1,
        "level": 2,
        "retire": 1,
        "merge": 2,
        "split": 2,
        "snapshot": 1,
    }[op]
    if len(args.args) < need:
        raise BadInputError(f"`codebook {op}` needs {need} argument(s)", "codebook")
    a = args.args
    with open_project(args.dir, write=True) as project:
        if op == "create":
            print(
                f"created {project.create_code(a[0], parent=args.parent, level=args.level, kind=args.kind)}"
            )
        elif op == "rename":
            project.rename_code(a[0], a[1])
        elif op == "redefine":
            project.redefine_code(a[0], a[1])
        elif op == "move":
            project.move_code(a[0], a[1] if len(a) > 1 else None)
        elif op == "level":
            project.set_code_level(a[0], a[1])
        elif op == "retire":
            project.retire_code(a[0])
        elif op == "merge":
            print(f"merged into {project.merge_codes(a[:-1], a[-1])}")
        elif op == "split":
            assignments = dict(pair.split("=", 1) for pair in a[1:] if "=" in pair)
            if len(assignments) != len(a) - 1:
                raise BadInputError("split assignments look like CODING_ID=NEW_LABEL", "codebook split")
            print(f"split into {', '.join(project.split_code(a[0], assignments))}")
        elif op == "snapshot":
            print(f"snapshot {project.snapshot_codebook(a[0])}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """Apply a JSON-lines file of operations (or stdin, `-`) as one undo step (`workbench.core.batch`)."""
    from workbench.core.batch import apply_batch

    if args.file == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
        name = "stdin"
    else:
        name = args.file
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise BadInputError(f"cannot read file ({exc.strerror})", name) from None
    with open_project(args.dir, write=True) as project:
        result = apply_batch(project, data, name)
    if args.json:
        print_json(result.to_json())
    elif not result.applied:
        print(f"no operations in {name}; nothing changed")
    else:
        counts = ", ".join(f"{op} {count:,}" for op, count in result.counts.items())
        print(
            f"applied {result.applied:,} operation{'s' * (result.applied != 1)} from {name} as one step "
            f"({counts}); `workbench undo {args.dir}` takes the whole batch back"
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from workbench.demo import build_demo

    for path in build_demo(Path(args.dir), host(), run=main):
        print(f"demo project ready: {path}")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    """Open the TUI on one or more projects (`--summary` prints what the home screen shows, for scripts)."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if not args.summary and not interactive:
        warn("not a terminal: printing the summary instead of opening the workbench")
    if not args.summary and interactive:
        from workbench.core.project import Project

        for directory in args.dirs:  # fail fast, with one line, before the screen is taken over
            Project.open(Path(directory), readonly=True).close()
        from workbench.tui.app import run

        coder = args.coder or os.environ.get("WORKBENCH_CODER") or None
        if coder is not None:
            from workbench.core import untrusted

            untrusted.check_text(coder, "--coder")
        from workbench.tui.screen_reader import wanted

        return run(
            [Path(d) for d in args.dirs],
            host=host(),
            readonly=args.read_only,
            coder=coder,
            screen_reader=wanted(args.screen_reader),
        )
    for directory in args.dirs:
        with open_project(directory, write=False) as project:
            codings = len(project.rows("codings"))
            print(f"{project.title} [{project.method}] — {directory}")
            print(
                f"  {len(project.participants())} participants, {len(project.sources())} sources, "
                f"{len(project.code_tree())} codes, {codings} codings, {len(project.rows('memos'))} memos"
            )
            for source in project.sources():
                participant = project.participant_of(source) or {}
                print(
                    f"  {source['id']:<5}{participant.get('pseudonym', ''):<12}{source.get('status', ''):<13}"
                    f"{source['filename']}"
                )
    return 0


# -- parser ------------------------------------------------------------------------------------------------
_PARSER: tuple[object, argparse.ArgumentParser] | None = None


def _parser(args_list: Sequence[str], *, light: bool = True) -> argparse.ArgumentParser:
    """The parser for one run.

    Without plugins loaded yet, a run that names no command (``--help``, ``--version``) or a core
    command gets `_light_parser`: plugin commands only as listed in the plugin-command cache, so no plugin
    is imported until the command itself needs one. Otherwise (a plugin's command, an unknown word, no
    usable cache) the plugins are loaded and the full parser is built, once per plugin host: scripts and
    the demo run many commands in one process, and building ~160 subcommand parsers took most of each
    command's time there. A run that loaded the plugins refreshes the cache.
    """
    global _PARSER
    loaded = _session.loaded_host()
    if light and loaded is None:
        parser = _light_parser(args_list)
        if parser is not None:
            return parser
    if loaded is not None:
        if _PARSER is None or _PARSER[0] is not loaded:
            _PARSER = (loaded, _full_parser()[0])
        return _PARSER[1]
    with _session.capture_plugin_warnings() as captured:
        current = host()
        parser, added, shadowed = _full_parser()
    _PARSER = (current, parser)
    _remember_plugin_commands(current, added, shadowed, captured)
    return parser


def _command_word(args_list: Sequence[str]) -> str | None:
    """The subcommand a command line names: the top level has only flags (-h, --help, --version)."""
    for index, arg in enumerate(args_list):
        if arg == "--":
            return args_list[index + 1] if index + 1 < len(args_list) else None
        if not arg.startswith("-") or arg == "-":
            return arg
    return None


def _light_parser(args_list: Sequence[str]) -> argparse.ArgumentParser | None:
    """Core commands plus placeholders for the cached plugin commands, or None when the run needs the
    plugins: it names a command that is not a core one, or the cache is missing or stale."""
    from workbench.cli import plugin_commands

    record = plugin_commands.load()
    word = _command_word(args_list)
    if record is None or (word is not None and word in {c.name for c in record.commands}):
        return None
    parser, sub = _core_parser()
    builtin = set(sub.choices)
    if word is not None and word not in builtin:
        return None
    if any(c.name in builtin for c in record.commands) or any(n not in builtin for n in record.shadowed):
        return None  # the core commands changed since the record: what shadows what is to be redone
    for spec in record.commands:
        placeholder = sub.add_parser(spec.name, help=spec.help, description=spec.help)
        placeholder.set_defaults(handler=None)
    _session.replay_warnings(record.warnings)
    return parser


def _remember_plugin_commands(
    current: PluginHost, added: Sequence[CommandSpec], shadowed: Sequence[str], warnings: Sequence[str]
) -> None:
    """Refresh the plugin-command cache after a run that loaded the plugins (only if it changed)."""
    from workbench.cli import plugin_commands

    record = plugin_commands.Record(
        commands=tuple(plugin_commands.PluginCommand(c.name, c.help, c.plugin) for c in added),
        shadowed=tuple(shadowed),
        warnings=tuple(warnings),
    )
    if plugin_commands.load() != record:
        config = current.config
        plugin_commands.save(record, plugin_commands.plugin_files(config.local if config else ()))


def build_parser() -> argparse.ArgumentParser:
    """The whole parser: the core commands and every active plugin's (this loads the plugins)."""
    return _full_parser()[0]


def _full_parser() -> tuple[argparse.ArgumentParser, list[CommandSpec], list[str]]:
    """The whole parser, with the plugin commands it added and the names of those it refused."""
    parser, sub = _core_parser()
    builtin = set(sub.choices)
    added: list[CommandSpec] = []
    shadowed: list[str] = []
    for spec in host().commands():
        if spec.name in builtin:
            shadows = f"plugin {spec.plugin!r} command {spec.name!r} shadows a built-in; ignored"
            _session.plugin_warning(shadows)
            shadowed.append(spec.name)
            continue
        p = sub.add_parser(spec.name, help=spec.help, description=spec.help)
        with host().guard(spec.plugin, f"configuring command {spec.name!r}"):
            spec.configure(p)
        p.set_defaults(handler=_guarded(spec.plugin, spec.name, spec.run))
        added.append(spec)
    return parser, added, shadowed


def _core_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[_Parser]]:
    """The parser with the core commands only; imports no plugin."""
    parser = _Parser(prog="workbench", description="Qualitative Workbench: analyse interview transcripts.")
    parser.add_argument("--version", action="version", version=f"qual-workbench {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str, handler: Handler, help_text: str, *, project: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if project:
            p.add_argument("dir", metavar="DIR", help="project directory")
        p.set_defaults(handler=handler)
        return p

    p = command("new", cmd_new, "create a project")
    p.add_argument("--title", required=True)
    p.add_argument("--method", default="none", help="gt, ipa, none, or a method a plugin adds")

    p = command("add", cmd_add, "import transcripts (.txt, .md, and formats plugins add)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--participant", metavar="ID")
    p.add_argument("--pseudonym", metavar="NAME")
    p.add_argument("--json", action="store_true")

    p = command("sources", cmd_sources, "list sources")
    p.add_argument("--json", action="store_true")

    for name, handler, text in (
        ("code", cmd_code, "apply a code to a span (creating the code if new)"),
        ("uncode", cmd_uncode, "remove a code from a span"),
    ):
        p = command(name, handler, text)
        p.add_argument("source", metavar="SOURCE_ID")
        span = p.add_mutually_exclusive_group(required=True)
        span.add_argument("--lines", metavar="A-B", help="tool line numbers (1-based, inclusive)")
        span.add_argument("--chars", metavar="START:END", help="code-point offsets, end-exclusive")
        p.add_argument("label", metavar="LABEL")
        p.add_argument("--coder", metavar="NAME")
        if name == "code":
            p.add_argument("--memo", metavar="TEXT")
            p.add_argument("--kind", choices=["constructed", "in-vivo", "a-priori"])

    p = command("codes", cmd_codes, "the code tree with segment and participant counts")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include merged, split and retired codes")

    p = command("segments", cmd_segments, "every segment coded with LABEL, with citations")
    p.add_argument("label", metavar="LABEL")
    p.add_argument("--json", action="store_true")
    p.add_argument("--context", type=int, default=0, metavar="N", help="lines of context in each extract")

    p = command("memo", cmd_memo, "write a memo")
    p.add_argument("--title", required=True)
    p.add_argument("--body", required=True)
    p.add_argument(
        "--link", action="append", metavar="ENTITY", help="kind:ID, an id (S1, C2, P01) or a code label"
    )
    p.add_argument("--type", default="analytic")

    command("undo", cmd_undo, "undo the last analytic operation")
    command("redo", cmd_redo, "redo the last undone operation")
    command("check", cmd_check, "validate the project (integrity, anchors, audit chain, plugin checks)")
    p = command("clean", cmd_clean, "remove control characters and bidi overrides from stored text")
    p.add_argument("--field", action="append", metavar="REF", help="table/id/field, as `check` lists it")
    p.add_argument("--json", action="store_true")

    p = command("audit", cmd_audit, "verify or list the audit log", project=False)
    p.add_argument("action", choices=["verify", "list"])
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true")

    p = command("plugins", cmd_plugins, "list plugins and their status", project=False)
    p.add_argument("--json", action="store_true")

    p = command(
        "codebook",
        cmd_codebook,
        "code operations: create, rename, redefine, move, level, retire, merge, split, lineage, snapshot",
    )
    p.add_argument(
        "op",
        choices=[
            "create",
            "rename",
            "redefine",
            "move",
            "level",
            "retire",
            "merge",
            "split",
            "lineage",
            "snapshot",
        ],
    )
    p.add_argument("args", nargs="*", metavar="ARG")
    p.add_argument("--parent")
    p.add_argument("--level")
    p.add_argument("--kind", choices=["constructed", "in-vivo", "a-priori"])
    p.add_argument("--json", action="store_true")

    p = command(
        "batch",
        cmd_batch,
        "apply a JSON-lines file of code, uncode, memo, codebook and participant operations "
        "as one undo step, all or nothing",
    )
    p.add_argument("file", metavar="FILE", help="one JSON object per line; - reads stdin")
    p.add_argument("--json", action="store_true")

    p = command("demo", cmd_demo, "write the two demo studies into DIR/gt-demo and DIR/ipa-demo")

    p = command("open", cmd_open, "open projects in the terminal workbench", project=False)
    p.add_argument("dirs", nargs="+", metavar="DIR")
    p.add_argument("--summary", action="store_true", help="print the projects' summary instead")
    p.add_argument("--read-only", action="store_true", help="open without taking the writer lock")
    p.add_argument(
        "--coder", metavar="NAME", help="who is coding (default: $WORKBENCH_CODER, else asked or shown)"
    )
    p.add_argument(
        "--screen-reader",
        action="store_true",
        help="cursor on the focused item, every change said on the message line, one pane at a time",
    )

    structure.add_commands(command)
    exchange.add_commands(command)
    lexical.add_commands(command)
    return parser, sub


def _guarded(plugin: str, name: str, run: Handler) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        with host().guard(plugin, f"running command {name!r}"):
            return run(args)

    return handler


def _log_crash(argv: Sequence[str]) -> str:
    """Write the traceback inside the project (never /tmp, never the screen); return where."""
    try:
        return _write_crash_log(argv)
    except OSError:  # the report of one failure must not become a second one
        return "(run with WORKBENCH_DEBUG=1 to see the traceback)"


def _write_crash_log(argv: Sequence[str]) -> str:
    directory = next((Path(a) for a in argv if _is_project(a)), None)
    if directory is None or not os.access(directory, os.W_OK):
        return "(run with WORKBENCH_DEBUG=1 to see the traceback)"
    import traceback
    from datetime import UTC, datetime

    from workbench.core.store.fsutil import ensure_private_dir

    logs = directory / "logs"
    ensure_private_dir(logs)
    path = logs / f"crash-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(traceback.format_exc())
    return f"(details in {path})"


def _is_project(arg: str) -> bool:
    try:
        return Path(arg, "project.json").is_file()
    except (OSError, ValueError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if argv is None:
        # `workbench codes DIR | head` must end quietly, as any Unix tool does, not as an internal error.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    from workbench.cli.terminal import escaped_output

    with escaped_output():
        return _run(args_list)


def _run(args_list: list[str]) -> int:
    _session.take_warnings()
    try:
        refuse_undecodable_arguments(args_list)
        args = _parser(args_list).parse_args(args_list)
        if args.handler is None:  # a cached plugin command's placeholder: `_parser` sends those on, but
            args = _parser(args_list, light=False).parse_args(args_list)  # the plugin is what runs it
        code: int = args.handler(args)
        for message in _session.take_warnings():
            print(f"workbench: warning: {one_line(message)}", file=sys.stderr)
        return code
    except WorkbenchError as exc:
        print(f"workbench: error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine said no (permissions, a full disk): the user can act on it
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"workbench: error: {one_line(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return 74
    except Exception as exc:
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        print(
            f"workbench: internal error: {type(exc).__name__}: {one_line(str(exc))} {_log_crash(args_list)}",
            file=sys.stderr,
        )
        return 70


def refuse_undecodable_arguments(argv: Sequence[str]) -> None:
    """Bytes that are not UTF-8 in an argument get one clear line before any command sees them.

    Python hands them over as lone surrogates, which every later encode (the audit digest, the
    journal) would fail on deep inside a command. A file or folder name is the exception: on a
    server whose names are in another encoding it is still the right name, so an argument naming an
    existing path passes (and is escaped wherever it is printed).
    """
    for index, arg in enumerate(argv):
        message = problem(arg) if SURROGATE.search(arg) else None
        if message is None or os.path.lexists(arg):
            continue
        option, _, value = arg.partition("=") if arg.startswith("--") and "=" in arg else ("", "", arg)
        if not option and index and argv[index - 1].startswith("-"):
            option = argv[index - 1]
        where = option or f"argument {index + 1}"
        raise BadInputError(f"{problem(value) or message}; pass it as UTF-8 text", where)


def one_line(message: str) -> str:
    """An error or warning is one line, whatever text it quotes."""
    return shown(message, lines=False)


if __name__ == "__main__":
    sys.exit(main())
